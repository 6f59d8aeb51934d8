"""QR codes as data: URIs (the CSP allows `data:` images), for certificates and check-in."""

from __future__ import annotations

import base64
import io

import qrcode

# Every mask reads alike on a scanner; choosing the "best" of the eight builds the code nine
# times, two thirds of a code's cost (an evidence pack's PDF makes two: issue 18's 300 ms).
MASK_PATTERN = 0


def qr_data_uri(text: str) -> str:
    """One pixel per module, 1-bit: every page and PDF showing one scales it with
    `image-rendering: pixelated`, so it prints as sharp as a large image at a fraction of the
    cost to encode and embed."""
    code = qrcode.QRCode(border=2, box_size=1, mask_pattern=MASK_PATTERN)
    code.add_data(text)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
