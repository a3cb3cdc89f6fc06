"""WSGI entry point for gunicorn: `gunicorn fithub.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fithub.settings")
application = get_wsgi_application()
