"""Lengths that name their unit, and the one place units are converted.

Profile keys carry their unit in the name (`_mm`, `_pt`, `_twips`); a writer converts by
naming it, `Mm(page.width_mm).pt` or `Pt(role.size_pt).twips`, instead of repeating
`* 72 / 25.4`, `* 20` or `* 2` inline.

A conversion returns a plain `float` (points, millimetres) or `int` (twips, half points):
reportlab writes only exact `float`s and `int`s as PDF numbers and any subclass with `str()`
at full precision, so a typed number must not travel into a writer's output.
Each conversion keeps the exact arithmetic the writers used before this module existed (the
same operations in the same order), so the outputs stay byte-identical.
"""

from __future__ import annotations

MM_PER_INCH = 25.4
POINTS_PER_INCH = 72.0
TWIPS_PER_INCH = 1440
TWIPS_PER_POINT = 20
HALF_POINTS_PER_POINT = 2
EIGHTH_POINTS_PER_POINT = 8
POINTS_PER_MM = POINTS_PER_INCH / MM_PER_INCH
# DrawingML's English Metric Units (pictures, shapes and their offsets in the .docx).
EMU_PER_POINT = 12700
EMU_PER_TWIP = EMU_PER_POINT // TWIPS_PER_POINT
EMU_PER_MM = 36000


class Mm(float):
    """Millimetres: the standard's unit for paper, margins and distances."""

    @property
    def pt(self) -> float:
        return float(self) * POINTS_PER_MM

    @property
    def twips(self) -> int:
        return round(float(self) * TWIPS_PER_INCH / MM_PER_INCH)


class Pt(float):
    """PostScript points, 1/72 inch: the PDF's unit and the unit of font sizes."""

    @property
    def twips(self) -> int:
        return round(float(self) * TWIPS_PER_POINT)

    @property
    def half_points(self) -> int:
        """WordprocessingML's unit for font sizes (`w:sz`)."""
        return round(float(self) * HALF_POINTS_PER_POINT)

    @property
    def eighth_points(self) -> int:
        """WordprocessingML's unit for border widths."""
        return round(float(self) * EIGHTH_POINTS_PER_POINT)


class Twips(int):
    """Twentieths of a point: WordprocessingML's unit for page geometry, indents and spacing."""

    def __new__(cls, value: int) -> Twips:
        # int() would silently drop a fraction; a twips value is made by rounding, never by truncating.
        if value != int(value):
            raise ValueError(f"a length in twips is a whole number, not {value!r}")
        return super().__new__(cls, value)

    @property
    def pt(self) -> float:
        return int(self) / TWIPS_PER_POINT
