"""The floor: bare Django rendering one small template, no database, no sessions. The product's
pages are measured as a share of what this app serves under the same gunicorn."""

from __future__ import annotations

from pathlib import Path

DEBUG = False
SECRET_KEY = "floor-benchmark-only"  # never deployed
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "benchmarks.floor.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
DATABASES: dict = {}
USE_TZ = True
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
    }
]
