"""QR codes as data: URIs (the CSP allows `data:` images), for certificates and check-in."""

from __future__ import annotations

import base64
import io

import qrcode


def qr_data_uri(text: str) -> str:
    """One pixel per module, 1-bit: every page and PDF showing one scales it with
    `image-rendering: pixelated`, so it prints as sharp as a large image at a fraction of the
    cost to encode and embed."""
    buffer = io.BytesIO()
    qrcode.make(text, border=2, box_size=1).save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
