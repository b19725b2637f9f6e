"""Where Word and LibreOffice end the pages of the body text, counted in grid lines.

The .docx sets `w:widowControl` (from the profile's [grid] widow_control) and `w:keepNext` plus
`w:keepLines` on headings, so a page may end a line or two early: a paragraph's first line
never stays alone at a page's foot nor its last line alone at the next page's head (a paragraph
of two or three lines moves whole), and a heading goes to the next page with the first two
lines of its text. The 版记 is pushed to the last page's bottom with blank lines counted from
this model, so it has to know those early page ends; it applies the same rule as the PDF's
pagination: a page never ends after a line that is glued to the next one.
"""

from __future__ import annotations


class PageFlow:
    """Lines placed so far; the glue of the lines on the current page decides where it ends."""

    def __init__(self, lines_per_page: int, widow_control: bool):
        self.per_page = lines_per_page
        self.widow_control = widow_control
        self.pages = 0
        self.current: list[bool] = []   # per line on the current page: glued to the next one

    @property
    def position(self) -> int:
        """Grid lines from the document's start to where the next line goes."""
        return self.pages * self.per_page + len(self.current)

    def restart(self, position: int) -> None:
        """Continue after content placed by other rules (tables, furniture): nothing glued."""
        self.pages, used = divmod(position, self.per_page)
        self.current = [False] * used

    def paragraph(self, lines: int) -> None:
        glue = [False] * lines
        if self.widow_control and lines >= 2:
            glue[0] = glue[lines - 2] = True
        self.add(glue)

    def heading(self, lines: int) -> None:
        """keepLines and keepNext: every line glued, the last one to the next paragraph."""
        self.add([True] * lines)

    def add(self, glue: list[bool]) -> None:
        for glued in glue:
            if len(self.current) == self.per_page:
                self.break_page()
            self.current.append(glued)

    def break_page(self) -> None:
        keep = len(self.current)
        while keep > 0 and self.current[keep - 1]:
            keep -= 1
        if keep == 0:
            keep = len(self.current)    # a page of glued lines only: Word breaks it anyway
        self.pages += 1
        self.current = self.current[keep:]

    def settle(self) -> None:
        """Before content the glue cannot reach (a table): a full page ending in glued lines
        (a heading on the last line) ends before them, as keepNext moves the heading."""
        if len(self.current) == self.per_page and self.current[-1]:
            self.break_page()
        self.current = [False] * len(self.current)

    def drop_last(self, lines: int) -> None:
        """The last `lines` lines leave the page (a heading moved onto a landscape page)."""
        del self.current[max(0, len(self.current) - lines):]
