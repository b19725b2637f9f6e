"""The page in PDF points, from the profile: A4, the 版心 and its 22 × 28 grid.

y values here count down from the top of the page (as the standard and pdfplumber do);
`pdf_y` turns them into PDF's bottom-up coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...profile import Profile
from ...units import Mm


@dataclass(frozen=True)
class Geometry:
    page_width: float
    page_height: float
    left: float
    top: float
    text_width: float
    text_height: float
    pitch: float          # one grid line
    cell: float           # one grid character
    lines_per_page: int
    body_size: float

    @classmethod
    def of(cls, profile: Profile) -> "Geometry":
        page, grid = profile.page, profile.grid
        return cls(
            page_width=Mm(page.width_mm).pt,
            page_height=Mm(page.height_mm).pt,
            left=Mm(page.margin_left_mm).pt,
            top=Mm(page.margin_top_mm).pt,
            text_width=Mm(profile.text_width_mm).pt,
            text_height=Mm(profile.text_height_mm).pt,
            pitch=grid.pdf_line_pitch_pt,
            cell=grid.pdf_cell_pt,
            lines_per_page=grid.lines_per_page,
            body_size=profile.role("body").size_pt,
        )

    @property
    def right(self) -> float:
        return self.left + self.text_width

    @property
    def bottom(self) -> float:
        """The 版心's bottom edge, from the page top."""
        return self.top + self.lines_per_page * self.pitch

    def row_top(self, row: int) -> float:
        return self.top + row * self.pitch

    def baseline(self, row: int, span: int, size: float, em_descent: float) -> float:
        """Baseline (from the top) of text centred, em box and all, in rows [row, row+span)."""
        height = span * self.pitch
        em_bottom = self.row_top(row) + (height + size) / 2
        return em_bottom - em_descent * size

    def pdf_y(self, y_from_top: float) -> float:
        return self.page_height - y_from_top

    def char_unit(self, size: float) -> float:
        """One 字 of text at `size`: a grid cell for 3号 body text, else the em."""
        return self.cell if size == self.body_size else size

    def base_spacing(self, size: float) -> float:
        """Character spacing that puts body-size text on the grid (−0.207 pt at 16 pt)."""
        return self.cell - size if size == self.body_size else 0.0
