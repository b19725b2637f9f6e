"""Rows onto pages of `lines_per_page` grid lines.

Pages are filled to their 22 lines except where rows are glued to the next one (a heading and
the lines after it, a paragraph's first two and last two lines: keeps.py, the signature chain),
and a blank row never starts a continuation page. The 版记
goes at the bottom of the last page, or of a page of its own when the last page is too full.

A table is off the grid: it starts at the top of a grid line, is cut into pieces by the room
left on each page (table.py decides where), and the text after it resumes on the next whole
grid line. A landscape table takes pages of its own, and the heading right before it goes with
it onto the first of them (as the .docx moves it into the landscape section).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .breaking import EPSILON
from .compose import Composition, Imprint, Row
from .table import TableFlow, TablePiece


@dataclass
class Page:
    rows: list[tuple[int, Row]] = field(default_factory=list)    # (first grid line, row)
    tables: list[tuple[int, TablePiece]] = field(default_factory=list)   # (first grid line, piece)
    landscape: TablePiece | None = None     # a landscape table piece fills the page
    # Rows set on a landscape page above its table (the heading that goes with it), each
    # (first grid line of the turned page, row); the table piece starts below them.
    landscape_rows: list[tuple[int, Row]] = field(default_factory=list)
    imprint: Imprint | None = None
    imprint_start: int = 0
    table_lines: int = 0    # grid lines the table pieces reach down to
    numbered: bool = True   # False: a blank page before the 版记, or the 版记's own page [F14, 7.5]

    def used(self) -> int:
        return max(max((start + row.span for start, row in self.rows), default=0), self.table_lines)


def paginate(composition: Composition, lines_per_page: int, pitch: float = 0.0,
             landscape_height: float = 0.0, imprint_on_even_page: bool = False) -> list[Page]:
    """`pitch` (pt per grid line) and `landscape_height` (pt of a landscape frame) are needed
    only when the composition holds tables. `imprint_on_even_page`: the 版记 goes to the bottom
    of an even page, on a page of its own after a blank one when need be, and neither of those
    pages is numbered [F14, 7.5]."""

    def span(entry: Row | TablePiece) -> int:
        if isinstance(entry, TablePiece):
            return max(1, math.ceil(entry.height / pitch - EPSILON / pitch))
        return entry.span

    rows = composition.rows
    pages: list[list[Row | TablePiece]] = []
    landscape_heads: dict[int, list[Row]] = {}    # page index → heading rows on that landscape page
    current: list[Row | TablePiece] = []
    used = 0
    i = 0

    def break_page() -> None:
        nonlocal current, used
        keep = len(current)
        while keep > 0 and current[keep - 1].glue_next:
            keep -= 1
        if keep == 0:
            keep = len(current)   # a page of glued rows only: break it anyway
        pages.append(current[:keep])
        current = [r for r in current[keep:]]
        while current and current[0].kind == "blank":
            current.pop(0)
        used = sum(span(r) for r in current)

    def close_up(at: int) -> bool:
        """Leave out the droppable blank rows of the glued chain that does not fit from row `at`
        on (the blank above the 署名), when that keeps the whole chain on this page."""
        nonlocal used
        tail = len(current)
        while tail > 0 and isinstance(current[tail - 1], Row) and current[tail - 1].glue_next:
            tail -= 1
        end = at
        while end < len(rows) - 1 and isinstance(rows[end], Row) and rows[end].glue_next:
            end += 1
        if any(isinstance(r, TableFlow) for r in rows[at:end + 1]):
            return False
        chain = [r for r in current[tail:] if isinstance(r, Row)] + [r for r in rows[at:end + 1] if isinstance(r, Row)]
        dropped = [r for r in chain if r.droppable]
        if not dropped:
            return False
        needed = used - sum(span(r) for r in current[tail:]) + sum(r.span for r in chain if not r.droppable)
        if needed > lines_per_page:
            return False
        current[tail:] = [r for r in current[tail:] if not (isinstance(r, Row) and r.droppable)]
        used = sum(span(r) for r in current)
        for k in range(at, end + 1):
            row_k = rows[k]
            if isinstance(row_k, Row) and row_k.droppable:
                skipped.add(k)
        return True

    skipped: set[int] = set()
    while i < len(rows):
        if i in skipped:
            i += 1
            continue
        row = rows[i]
        if isinstance(row, TableFlow):
            if row.landscape:
                # The glued heading rows that end the text go onto the landscape page with the
                # table: a heading never stays behind at the foot of the portrait page.
                keep = len(current)
                while keep > 0 and isinstance(current[keep - 1], Row) and current[keep - 1].glue_next \
                        and current[keep - 1].kind == "heading":
                    keep -= 1
                heads = [r for r in current[keep:] if isinstance(r, Row)]
                current = current[:keep]
                if current:
                    pages.append(current)
                    current, used = [], 0
                head_height = sum(r.span for r in heads) * pitch
                turned = row.pieces(landscape_height - head_height, landscape_height, fresh=True) or []
                if heads and turned:
                    landscape_heads[len(pages)] = heads
                elif heads:
                    pages.append(list(heads))
                for piece in turned:
                    pages.append([piece])
                i += 1
                continue
            pieces = row.pieces((lines_per_page - used) * pitch, lines_per_page * pitch, fresh=not current)
            if pieces is None:
                break_page()
                continue
            current.append(pieces[0])
            used += span(pieces[0])
            for piece in pieces[1:]:
                pages.append(current)
                current, used = [piece], span(piece)
            i += 1
            continue
        if row.new_page and current:
            # An attachment starts a new page whatever the rows before it ask [F8].
            pages.append(current)
            current, used = [], 0
        if not current and pages and row.kind == "blank":
            i += 1
            continue
        if used + row.span <= lines_per_page:
            current.append(row)
            used += row.span
            i += 1
            continue
        if close_up(i):
            continue
        break_page()
    if current or not pages:
        pages.append(current)

    result = []
    for index, page_entries in enumerate(pages):
        page = Page()
        line = 0
        for head in landscape_heads.get(index, []):
            page.landscape_rows.append((line, head))
            line += head.span
        line = 0
        for entry in page_entries:
            if isinstance(entry, TablePiece):
                if entry.landscape:
                    page.landscape = entry
                    page.table_lines = lines_per_page
                    continue
                page.tables.append((line, entry))
                line += span(entry)
                page.table_lines = line
            else:
                page.rows.append((line, entry))
                line += entry.span
        result.append(page)

    imprint = composition.imprint
    if imprint is not None:
        needed = len(imprint.rows)
        last = result[-1]
        if last.used() + needed > lines_per_page:
            last = Page()
            result.append(last)
        if imprint_on_even_page and len(result) % 2 == 1:
            # The 版记 would fall on an odd page: it moves to the next (even) page, alone, and a
            # page it leaves without text is a blank one; neither is numbered [F14, 7.5].
            if last.used() == 0 and last.landscape is None:
                last.numbered = False
            last = Page(numbered=False)
            result.append(last)
        elif imprint_on_even_page and last.used() == 0 and last.landscape is None:
            last.numbered = False
        last.imprint = imprint
        last.imprint_start = lines_per_page - needed
    return result
