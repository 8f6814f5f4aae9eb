"""The enrolment QR code as plain data for a template to draw (inline SVG, nothing fetched)."""

from dataclasses import dataclass

import segno

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


@dataclass(frozen=True)
class QrDrawing:
    size: int  # modules per side, quiet zone included
    path: str  # an SVG path of one unit square per dark module


def qr_drawing(text: str) -> QrDrawing:
    code = segno.make(text, error="m", micro=False)
    squares = [
        f"M{x + QUIET_ZONE} {y + QUIET_ZONE}h1v1h-1z"
        for y, row in enumerate(code.matrix)
        for x, dark in enumerate(row)
        if dark
    ]
    return QrDrawing(size=len(code.matrix) + 2 * QUIET_ZONE, path="".join(squares))
