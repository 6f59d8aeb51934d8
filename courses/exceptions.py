"""The exceptions the catalog services raise, and the check that a registrar gave a reason."""

from __future__ import annotations

from config.errors import ApplicationError


class CatalogError(ApplicationError):
    """An offering could not be saved; `errors` holds the reasons by field."""

    code = "catalog_refused"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(m for messages in errors.values() for m in messages)


class EnrollmentError(ApplicationError):
    """A seat could not be taken, paid, moved, cancelled or refunded."""

    code = "enrollment_refused"


def reason_given(reason: str, message: str) -> str:
    """The reason a registrar gave, stripped; EnrollmentError([message]) when there is none."""
    if not reason.strip():
        raise EnrollmentError([message])
    return reason.strip()
