"""Tables on pages: the laid-out table (TableFlow, built by table_layout.py), the pieces it
takes on its pages, and what each piece draws (text lines and ruled lines).

Pages break between rows only; the head rows are repeated on each page, a cell
spanning rows across a page break repeats its text in each part, and a row is cut between
text lines only when it alone is taller than a page.

Coordinates here are in pt, x from the table's left edge and y downwards from the top of the
piece; render.py places a piece on the page or in the rotated frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ...model import CellKind, Table, TableCell
from .breaking import EPSILON

if TYPE_CHECKING:
    from .typeset import PlacedLine


def line_width(line: PlacedLine) -> float:
    """Drawn width of a placed line, from its first character's left edge to its last one's advance."""
    if not line.runs:
        return 0.0
    last = line.runs[-1]
    return last.x + sum(last.font.advance(c) * last.size for c in last.text) + last.spacing * (len(last.text) - 1)


@dataclass(frozen=True)
class LaidCell:
    cell: TableCell
    x0: float
    x1: float
    lines: tuple[PlacedLine, ...]    # x from the table's left edge
    size: float
    em_descent: float


@dataclass(frozen=True)
class TextLine:
    """A line to draw: baseline y from the piece top."""

    line: PlacedLine
    baseline: float


@dataclass(frozen=True)
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float


@dataclass(frozen=True)
class TablePiece:
    """What a table puts on one page (or one landscape frame)."""

    flow: "TableFlow"
    prelude: bool                       # caption and unit line on top (the first piece)
    head: bool                          # the head rows (every piece holding body rows)
    body: tuple[float, float] | None    # the body part shown, in table grid y
    notes: tuple[int, int]              # note lines [a, b)
    height: float
    kind: str = "table"
    glue_next: bool = False

    @property
    def landscape(self) -> bool:
        return self.flow.landscape

    def drawing(self) -> tuple[list[TextLine], list[Rule]]:
        return self.flow.draw(self)


@dataclass
class TableFlow:
    """A laid-out table, not yet cut into pages."""

    table: Table
    landscape: bool
    width: float
    columns: tuple[float, ...]          # column boundaries, x
    row_tops: tuple[float, ...]         # row boundaries, y from the head's top; row_count + 1 values
    cells: tuple[LaidCell, ...]
    slots: list[list[TableCell]]
    caption: tuple[tuple[PlacedLine, float, float], ...]   # (line, size, em_descent), one grid pitch each
    caption_pitch: float
    unit: tuple[PlacedLine, float, float] | None
    notes: tuple[tuple[PlacedLine, float, float], ...]
    line_height: float
    padding: float                      # above and below a cell's text
    outer: float
    inner: float
    vertical_alignment: str
    kind: str = "table"
    glue_next: bool = False

    # -- sizes --------------------------------------------------------------------------

    @property
    def head_height(self) -> float:
        return self.row_tops[self.table.header_rows]

    @property
    def body_range(self) -> tuple[float, float]:
        return self.head_height, self.row_tops[-1]

    @property
    def prelude_height(self) -> float:
        height = len(self.caption) * self.caption_pitch
        if self.unit is not None:
            height += self.line_height + self.padding
        return height

    @property
    def notes_gap(self) -> float:
        return self.padding

    def text_height(self, laid: LaidCell) -> float:
        return len(laid.lines) * self.line_height + 2 * self.padding

    # -- pages --------------------------------------------------------------------------

    def pieces(self, first_room: float, page_room: float, fresh: bool) -> list[TablePiece] | None:
        """The table cut into pieces: the first fits `first_room`, the others `page_room`.
        None when the start (caption, unit line, head, first row) does not fit `first_room`
        and the page is not `fresh` (the caller then starts the table on a new page)."""
        body_start, body_end = self.body_range
        head = self.head_height
        y = body_start
        note_at = 0
        note_count = len(self.notes)
        pieces: list[TablePiece] = []
        first = True
        while first or y < body_end - EPSILON or note_at < note_count:
            room = first_room if first else page_room
            used = self.prelude_height if first else 0.0
            body: tuple[float, float] | None = None
            shows_head = False
            if first and body_end - body_start <= EPSILON:
                shows_head = True       # a table of head rows only
                used += head
            elif y < body_end - EPSILON:
                shows_head = True
                avail = room - used - head
                end = self._page_end(y, avail)
                if end is None:
                    if first and not fresh:
                        return None
                    end = self._cut_row(y, avail)
                elif end >= body_end - EPSILON and self.notes and avail - (end - y) < self._notes_height():
                    # The notes would start the next page alone: the last rows go with them.
                    earlier = self._page_end(y, body_end - y - 2 * EPSILON)
                    if earlier is not None and self._notes_height() + head + (body_end - earlier) <= page_room:
                        end = earlier
                body = (y, end)
                used += head + (end - y)
                y = end
            notes_from = note_at
            if y >= body_end - EPSILON:
                gap = self.notes_gap if note_at == 0 else 0.0
                while note_at < note_count:
                    extra = gap + self.line_height
                    if used + extra > room + EPSILON and (body is not None or note_at > notes_from):
                        break
                    used += extra
                    gap = 0.0
                    note_at += 1
            pieces.append(TablePiece(self, first, shows_head, body, (notes_from, note_at), used))
            first = False
        return pieces

    def _notes_height(self) -> float:
        return self.notes_gap + len(self.notes) * self.line_height

    def _boundaries(self) -> list[int]:
        return list(range(self.table.header_rows + 1, self.table.row_count + 1))

    def _page_end(self, y: float, avail: float) -> float | None:
        """The last row boundary below `y` within `avail`, preferring one that leaves every
        cell spanning across it room for its text on both sides."""
        fitting = [r for r in self._boundaries() if y + EPSILON < self.row_tops[r] <= y + avail + EPSILON]
        if not fitting:
            return None
        for r in reversed(fitting):
            if r == self.table.row_count or (self._clean_break(r, y) and not self._is_band(r - 1)):
                return self.row_tops[r]
        for r in reversed(fitting):
            if r == self.table.row_count or not self._is_band(r - 1):
                return self.row_tops[r]
        return self.row_tops[fitting[-1]]

    def _is_band(self, row: int) -> bool:
        """A header band row (decision 1 of the table design) heads the rows below it: a page
        never ends right after it."""
        return row >= self.table.header_rows and all(
            slot.kind == CellKind.HEADER for slot in self.slots[row])

    def _clean_break(self, boundary: int, y: float) -> bool:
        cut = self.row_tops[boundary]
        for laid in self.cells:
            cell = laid.cell
            if cell.row < boundary < cell.row + cell.row_span:
                need = self.text_height(laid)
                above = cut - max(self.row_tops[cell.row], y)
                below = self.row_tops[cell.row + cell.row_span] - cut
                if above + EPSILON < need or below + EPSILON < need:
                    return False
        return True

    def _cut_row(self, y: float, avail: float) -> float:
        """A row taller than a page: cut it between text lines (at least one line a page)."""
        row = next(r for r in range(self.table.row_count) if self.row_tops[r + 1] > y + EPSILON)
        top = self.row_tops[row]
        lines = max(1, math.floor((y + avail - top - self.padding + EPSILON) / self.line_height))
        cut = top + self.padding + lines * self.line_height
        if cut <= y + EPSILON:
            cut = y + self.line_height
        return min(cut, self.row_tops[row + 1])

    # -- drawing ------------------------------------------------------------------------

    def draw(self, piece: TablePiece) -> tuple[list[TextLine], list[Rule]]:
        texts: list[TextLine] = []
        rules: list[Rule] = []
        y = 0.0
        if piece.prelude:
            for line, size, descent in self.caption:
                texts.append(TextLine(line, _baseline(y, self.caption_pitch, size, descent)))
                y += self.caption_pitch
            if self.unit is not None:
                line, size, descent = self.unit
                texts.append(TextLine(line, _baseline(y, self.line_height, size, descent)))
                y += self.line_height + self.padding
        table_top = y
        # Bands: (grid row, grid top, grid bottom, piece top) for each row part shown.
        bands: list[tuple[int, float, float, float]] = []
        if piece.head:
            for r in range(self.table.header_rows):
                bands.append((r, self.row_tops[r], self.row_tops[r + 1], y + self.row_tops[r]))
            y += self.head_height
        if piece.body is not None:
            start, end = piece.body
            for r in range(self.table.header_rows, self.table.row_count):
                top, bottom = max(self.row_tops[r], start), min(self.row_tops[r + 1], end)
                if bottom > top + EPSILON:
                    bands.append((r, top, bottom, y + top - start))
            y += end - start
        table_bottom = y
        if bands:
            texts.extend(self._cell_texts(bands))
            rules.extend(self._rules(bands, table_top, table_bottom))
        a, b = piece.notes
        if b > a:
            y += self.notes_gap if a == 0 else 0.0
            for line, size, descent in self.notes[a:b]:
                texts.append(TextLine(line, _baseline(y, self.line_height, size, descent)))
                y += self.line_height
        return texts, rules

    def _cell_texts(self, bands: list[tuple[int, float, float, float]]) -> list[TextLine]:
        """Cell text in reading order: row by row, left to right, each cell's lines top down."""
        by_row = {r: (top, bottom, at) for r, top, bottom, at in bands}
        placed: list[tuple[int, int, list[TextLine]]] = []
        for laid in self.cells:
            cell = laid.cell
            rows = [r for r in range(cell.row, cell.row + cell.row_span) if r in by_row]
            if not rows or not laid.lines:
                continue
            grid_top, grid_bottom = by_row[rows[0]][0], by_row[rows[-1]][1]
            piece_top = by_row[rows[0]][2]
            full_top, full_bottom = self.row_tops[cell.row], self.row_tops[cell.row + cell.row_span]
            height = grid_bottom - grid_top
            need = self.text_height(laid)
            cut_inside_row = (grid_top > self.row_tops[rows[0]] + EPSILON
                              or grid_bottom < self.row_tops[rows[-1] + 1] - EPSILON)
            lines: list[TextLine] = []
            if cut_inside_row or (need > height + EPSILON and (grid_top, grid_bottom) != (full_top, full_bottom)):
                # A row taller than a page: its lines run on from the row's top, each on the
                # page where it falls.
                for k, line in enumerate(laid.lines):
                    line_top = full_top + self.padding + k * self.line_height
                    if grid_top - EPSILON <= line_top and line_top + self.line_height <= grid_bottom + EPSILON:
                        at = piece_top + line_top - grid_top
                        lines.append(TextLine(line, _baseline(at, self.line_height, laid.size, laid.em_descent)))
            else:
                offset = self.padding
                if self.vertical_alignment == "center":
                    offset = max(self.padding, (height - len(laid.lines) * self.line_height) / 2)
                for k, line in enumerate(laid.lines):
                    at = piece_top + offset + k * self.line_height
                    lines.append(TextLine(line, _baseline(at, self.line_height, laid.size, laid.em_descent)))
            placed.append((rows[0], cell.column, lines))
        placed.sort(key=lambda item: (item[0], item[1]))
        return [line for _r, _c, lines in placed for line in lines]

    def _rules(self, bands: list[tuple[int, float, float, float]], top: float, bottom: float) -> list[Rule]:
        columns = self.columns
        count = self.table.column_count
        horizontal: list[Rule] = []
        for (r_above, _t, _b, at), (r_below, _t2, _b2, at_below) in zip(bands, bands[1:]):
            y = at_below
            for c in range(count):
                if self.slots[r_above][c] is not self.slots[r_below][c]:
                    horizontal.append(Rule(columns[c], y, columns[c + 1], y, self.inner))
        vertical: list[Rule] = []
        for r, grid_top, grid_bottom, at in bands:
            for c in range(1, count):
                if self.slots[r][c - 1] is not self.slots[r][c]:
                    vertical.append(Rule(columns[c], at, columns[c], at + grid_bottom - grid_top, self.inner))
        outer = [
            Rule(0.0, top, self.width, top, self.outer),
            Rule(0.0, bottom, self.width, bottom, self.outer),
            Rule(0.0, top, 0.0, bottom, self.outer),
            Rule(self.width, top, self.width, bottom, self.outer),
        ]
        return outer + _joined(horizontal, horizontal=True) + _joined(vertical, horizontal=False)


def _joined(rules: list[Rule], horizontal: bool) -> list[Rule]:
    """Collinear segments that touch become one line."""
    if horizontal:
        ordered = sorted(rules, key=lambda r: (round(r.y0, 3), r.x0))
    else:
        ordered = sorted(rules, key=lambda r: (round(r.x0, 3), r.y0))
    joined: list[Rule] = []
    for rule in ordered:
        if joined:
            last = joined[-1]
            if horizontal and abs(last.y0 - rule.y0) < 1e-6 and abs(last.x1 - rule.x0) < 1e-6:
                joined[-1] = replace(last, x1=rule.x1)
                continue
            if not horizontal and abs(last.x0 - rule.x0) < 1e-6 and abs(last.y1 - rule.y0) < 1e-6:
                joined[-1] = replace(last, y1=rule.y1)
                continue
        joined.append(rule)
    return joined


def _baseline(top: float, height: float, size: float, em_descent: float) -> float:
    """Baseline of text whose em box is centred in a line box (as on the grid)."""
    return top + (height + size) / 2 - em_descent * size
