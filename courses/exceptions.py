"""The exceptions the catalog services raise, and the check that a registrar gave a reason."""

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


def reason_given(reason: str, message: str) -> str:
    """The reason a registrar gave, stripped; EnrollmentError([message]) when there is none."""
    if not reason.strip():
        raise EnrollmentError([message])
    return reason.strip()
