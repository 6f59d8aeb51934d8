"""WSGI entry point of the floor app (`gunicorn benchmarks.floor.wsgi`)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.floor.settings"
application = get_wsgi_application()
