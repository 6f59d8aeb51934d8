"""The rules on file, built once per process until a rule changes (issue 17: rebuilding the 51
rules from their StreamFields cost 18-24 ms on every page that shows one). Every rule is saved
through `rules.rules_save`, which calls `rules_changed()`; the version lives in the shared
cache, so every process rebuilds on its next read."""

from __future__ import annotations

from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

from config.page_cache import version_now

from . import rules  # module import: rules.rules_save calls back rules_changed()
from .engine import Rule

VERSION_KEY = "rules:version"
_built: dict[str, tuple[str, list[Rule]]] = {}


def rules_version() -> str:
    """The current rules' version: it changes with every `rules_changed()`."""
    return version_now(VERSION_KEY)


def rules_on_file(profession: str) -> list[Rule]:
    """Return `rules_for_profession(profession)`, rebuilt only after `rules_changed()`."""
    version = rules_version()
    built = _built.get(profession)
    if built is None or built[0] != version:
        built = (version, rules.rules_for_profession(profession))
        _built[profession] = built
    return list(built[1])


def _bump() -> None:
    cache.set(VERSION_KEY, uuid4().hex, timeout=None)


def rules_changed() -> None:
    """Call after saving a rule: now, and again once the transaction commits, so a process
    that rebuilt from the uncommitted past in between builds again."""
    _bump()
    transaction.on_commit(_bump)
