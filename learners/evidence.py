"""Evidence files for outside training: PDF, JPEG or PNG, at most 10 MB, recognised by their
content (magic numbers, via `filetype`), never by their name or the browser's claim."""

from __future__ import annotations

import uuid

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 10 * 1024 * 1024
ACCEPTED = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
TOO_LARGE = "The file is {size:.1f} MB; the limit is 10 MB."
WRONG_TYPE = "Upload a PDF, JPEG or PNG file; this file's content is {found}."
EMPTY = "The file is empty."


def evidence_check(upload: UploadedFile) -> str:
    """The evidence's MIME type, or ValidationError saying what is wrong with it. The file is
    renamed to a random name with the extension its content calls for."""
    if upload.size == 0:
        raise ValidationError(EMPTY)
    if upload.size > MAX_BYTES:
        raise ValidationError(TOO_LARGE.format(size=upload.size / 1024 / 1024))
    upload.seek(0)
    kind = filetype.guess(upload.read(261))
    upload.seek(0)
    if kind is None or kind.mime not in ACCEPTED:
        raise ValidationError(WRONG_TYPE.format(found=kind.mime if kind else "not recognised"))
    upload.name = f"{uuid.uuid4().hex}.{ACCEPTED[kind.mime]}"
    return kind.mime
