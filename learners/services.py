"""Registrar decisions about learners' records, each kept with who, when and why, and
written to the admin's audit log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from accounts.models import User

from .models import License

REJECT_REASON_NEEDED = "Say why the license is rejected: the learner sees the reason."
LICENSE_REVIEW_LOG_ACTION = "dn.license.reviewed"


class LicenseReviewError(Exception):
    pass


@transaction.atomic
def license_review(*, registrar: User, license_id: int, verified: bool, reason: str) -> License:
    """Verify or reject a license; a rejection needs a reason."""
    license = License.objects.select_for_update().get(pk=license_id)
    if not verified and not reason.strip():
        raise LicenseReviewError(REJECT_REASON_NEEDED)
    previous = license.status
    license.status = License.Status.VERIFIED if verified else License.Status.REJECTED
    license.status_changed_by = registrar
    license.status_changed_at = timezone.now()
    license.status_reason = reason.strip()
    license.save(
        update_fields=["status", "status_changed_by", "status_changed_at", "status_reason"]
    )
    log(instance=license, action=LICENSE_REVIEW_LOG_ACTION, user=registrar,
        data={"from": previous, "to": license.status, "reason": license.status_reason})  # fmt: skip
    return license
