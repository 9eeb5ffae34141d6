"""QR codes that lead from a printed list to a service's page: segno, as inline SVG.

Inline, so the print view and its PDF need no image files or extra requests; the quiet zone
(segno's default border of 4 modules) stays, or phones read the code badly on paper.
"""

from __future__ import annotations

import segno
from markupsafe import Markup

LABEL = "QR-code: scan hem met uw telefoon om deze dienst op de website te openen"


def qr_svg(url: str) -> Markup:
    """An SVG QR code of `url` (medium error correction: survives a fold or a coffee ring)."""
    code = segno.make(url, error="m", micro=False)
    # segno escapes the title; the size comes from CSS (.qr svg), so none is written.
    return Markup(code.svg_inline(title=LABEL, omitsize=True, svgclass="qr-code"))
