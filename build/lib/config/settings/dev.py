"""`make run`: DEBUG on unless the environment says otherwise."""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403
