"""`make run`: DEBUG on unless the environment says otherwise."""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403

# The development signing key for credentials: `make run` writes one with
# `manage.py credential_key` the first time (the file is git-ignored).
_DEV_KEY_FILE = BASE_DIR / ".credential-key"  # noqa: F405
if not CREDENTIAL_SIGNING_KEY and _DEV_KEY_FILE.exists():  # noqa: F405
    CREDENTIAL_SIGNING_KEY = _DEV_KEY_FILE.read_text().strip()
