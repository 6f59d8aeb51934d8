"""The one exception type the catalog services raise, with messages keyed by field."""

from __future__ import annotations


class CatalogError(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(m for messages in errors.values() for m in messages))


class EnrollmentError(Exception):
    """A seat could not be taken; `reasons` are the messages to show the learner."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(" ".join(reasons))
