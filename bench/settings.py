"""Settings for the benchmark server: the app's own, with a URLconf that adds a bare view."""

from fithub.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
