from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and scale data. It sits below every domain app, so it may import all of them."""

    name = "fithub.demo"
    verbose_name = "Demo data"
