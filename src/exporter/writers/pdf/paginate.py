"""Rows onto pages of `lines_per_page` grid lines.

Pages are filled completely (no orphan or widow control: GB/T 9704 pages hold 22 lines);
the page may end early only where rows are glued to the next one (a heading and the line
after it, the signature chain), and a blank row never starts a continuation page. The 版记
goes at the bottom of the last page, or of a page of its own when the last page is too full.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .compose import Composition, Imprint, Row


@dataclass
class Page:
    rows: list[tuple[int, Row]] = field(default_factory=list)    # (first grid line, row)
    imprint: Imprint | None = None
    imprint_start: int = 0

    def used(self) -> int:
        return max((start + row.span for start, row in self.rows), default=0)


def paginate(composition: Composition, lines_per_page: int) -> list[Page]:
    rows = composition.rows
    pages: list[list[Row]] = []
    current: list[Row] = []
    used = 0
    i = 0
    while i < len(rows):
        row = rows[i]
        if not current and pages and row.kind == "blank":
            i += 1
            continue
        if used + row.span <= lines_per_page:
            current.append(row)
            used += row.span
            i += 1
            continue
        keep = len(current)
        while keep > 0 and current[keep - 1].glue_next:
            keep -= 1
        if keep == 0:
            keep = len(current)   # a page of glued rows only: break it anyway
        pages.append(current[:keep])
        current = [r for r in current[keep:]]
        while current and current[0].kind == "blank":
            current.pop(0)
        used = sum(r.span for r in current)
    if current or not pages:
        pages.append(current)

    result = []
    for page_rows in pages:
        page = Page()
        line = 0
        for row in page_rows:
            page.rows.append((line, row))
            line += row.span
        result.append(page)

    imprint = composition.imprint
    if imprint is not None:
        needed = len(imprint.rows)
        last = result[-1]
        if last.used() + needed > lines_per_page:
            last = Page()
            result.append(last)
        last.imprint = imprint
        last.imprint_start = lines_per_page - needed
    return result
