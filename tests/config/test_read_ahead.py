"""Keys read ahead with a session (config/read_ahead.py) are answered once, only to a reader
naming all of them, and never outlive their request: a value kept by one request is not what
the next one reads, so a change made in between shows."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from config.read_ahead import read_ahead_keep, read_ahead_take

pytestmark = pytest.mark.django_db


def test_a_kept_value_is_answered_once_then_read_from_the_cache():
    cache.set("b", "newer")
    read_ahead_keep(["a", "b"], {"a": 1, "b": "older"})

    assert read_ahead_take(["a", "missing"]) is None  # not all read ahead: read them yourself
    assert read_ahead_take(["b"]) == {"b": "older"}
    assert read_ahead_take(["b"]) is None
    assert read_ahead_take(["a"]) == {"a": 1}


def test_a_key_read_ahead_and_found_missing_is_answered_missing():
    read_ahead_keep(["a", "b"], {"a": 1})

    assert read_ahead_take(["a", "b"]) == {"a": 1}


def test_nothing_kept_outlives_its_request():
    read_ahead_keep(["pages:version"], {"pages:version": "old"})

    Client().get("/healthz")

    assert read_ahead_take(["pages:version"]) is None
