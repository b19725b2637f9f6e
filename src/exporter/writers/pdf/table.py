"""Tables: column widths, cell text, row heights, the pieces a table takes on its pages, and
what each piece draws (text lines and ruled lines).

Column widths come from the cells: a label or header cell may wrap between characters where
Chinese line breaking allows, a figure never wraps. When every column at its widest fits the
版心 the spare width is shared in proportion to those widths; otherwise each column gets its
minimum and the rest goes to the columns whose text wants more (the CSS automatic table
layout). A table whose minimum widths do not fit the portrait 版心 is set landscape: on a page
of its own, in the 225 mm × 156 mm frame that render.py rotates onto the portrait page
(gbt9704-kinds T1–T4).

Rows take the height of their tallest cell; a cell spanning rows shares what it lacks evenly
among them. Pages break between rows only; the head rows are repeated on each page, a cell
spanning rows across a page break repeats its text in each part, and a row is cut between
text lines only when it alone is taller than a page.

Coordinates here are in pt, x from the table's left edge and y downwards from the top of the
piece; render.py places a piece on the page or in the rotated frame.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Sequence

from ...diagnostics import WriterError
from ...furniture import BODY_ROLE, CAPTION_ROLE, caption_text, cell_role, note_texts
from ...model import CellKind, Table, TableCell, inline_text
from .breaking import EPSILON, Measure, break_allowed
from ...units import POINTS_PER_MM

if TYPE_CHECKING:
    from .compose import PlacedLine, Typesetter

_ALIGNMENTS = ("left", "center", "right")


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


# -- layout ---------------------------------------------------------------------------------

def lay_out_table(table: Table, ts: Typesetter) -> TableFlow:
    profile, geometry = ts.profile, ts.geometry
    settings = profile.table
    for key in ("label_alignment", "number_alignment", "header_alignment", "caption_alignment"):
        if settings[key] not in _ALIGNMENTS:
            raise WriterError(f"{profile.path}: error: [table] {key} must be one of {', '.join(_ALIGNMENTS)}, "
                              f"not '{settings[key]}'")
    if settings.vertical_alignment not in ("top", "center"):
        raise WriterError(f"{profile.path}: error: [table] vertical_alignment must be 'top' or 'center', "
                          f"not '{settings.vertical_alignment}'")
    padding = settings.cell_padding_mm * POINTS_PER_MM
    slots = table.slot_map()
    minimum, natural = _column_demands(table, ts, padding)
    portrait, landscape_width = geometry.text_width, geometry.text_height
    if table.landscape is None:
        landscape = sum(minimum) > portrait * settings.landscape_min_width_ratio + EPSILON
    else:
        landscape = table.landscape
    width = landscape_width if landscape else portrait
    widths = _column_widths(table, minimum, natural, width, "landscape" if landscape else "portrait")
    columns = [0.0]
    for w in widths:
        columns.append(columns[-1] + w)
    columns[-1] = width

    body_size = ts.size(BODY_ROLE)
    line_height = body_size * settings.pdf_line_height_em * settings.cell_line_spacing
    vertical_padding = settings.cell_padding_vertical_mm * POINTS_PER_MM
    laid_cells = []
    for cell in table.cells:
        role = cell_role(cell)
        x0, x1 = columns[cell.column], columns[cell.column + cell.column_span]
        alignment = _alignment(cell, settings)
        lines = _cell_lines(ts, cell.text, role, x0 + padding, x1 - x0 - 2 * padding, alignment)
        laid_cells.append(LaidCell(cell, x0, x1, tuple(lines), ts.size(role), ts.fonts.primary[role].em_descent))
    row_heights = _row_heights(table, laid_cells, line_height, vertical_padding)
    row_tops = [0.0]
    for h in row_heights:
        row_tops.append(row_tops[-1] + h)

    caption_lines: list[tuple[PlacedLine, float, float]] = []
    caption = caption_text(table, settings.caption)
    if caption:
        size = ts.size(CAPTION_ROLE)
        descent = ts.fonts.primary[CAPTION_ROLE].em_descent
        measure = Measure(width=width, first_indent=0.0, rest_indent=0.0, base_spacing=geometry.base_spacing(size),
                          justify=False, hang=False)
        for line in ts.paragraph([(caption, CAPTION_ROLE)], measure):
            caption_lines.append((_aligned(line, 0.0, width, settings.caption_alignment), size, descent))
    unit = None
    body_descent = ts.fonts.primary[BODY_ROLE].em_descent
    if table.unit_line:
        single = ts.single(table.unit_line, BODY_ROLE, 0.0)
        unit = (replace(single, x=width - line_width(single)), body_size, body_descent)
    notes: list[tuple[PlacedLine, float, float]] = []
    indent = settings.note_indent_chars * geometry.char_unit(body_size)
    for text in note_texts(table):
        measure = Measure(width=width, first_indent=indent, rest_indent=indent,
                          base_spacing=geometry.base_spacing(body_size), justify=profile.body.justify,
                          hang=False)
        notes.extend((line, body_size, body_descent) for line in ts.paragraph([(text, BODY_ROLE)], measure))
    return TableFlow(
        table=table, landscape=landscape, width=width, columns=tuple(columns), row_tops=tuple(row_tops),
        cells=tuple(laid_cells), slots=slots, caption=tuple(caption_lines), caption_pitch=geometry.pitch,
        unit=unit, notes=tuple(notes), line_height=line_height, padding=vertical_padding,
        outer=settings.outer_rule_pt, inner=settings.inner_rule_pt, vertical_alignment=settings.vertical_alignment,
    )


def _alignment(cell: TableCell, settings) -> str:
    match cell.kind:
        case CellKind.HEADER:
            return str(settings.header_alignment)
        case CellKind.LABEL:
            return str(settings.label_alignment)
        case CellKind.FIGURE | CellKind.TEXT | CellKind.BLANK:
            return str(settings.number_alignment)
    raise AssertionError(cell.kind)


def _wraps(cell: TableCell) -> bool:
    """Labels and headers wrap; a figure (or a 不适用 mark in a data slot) never does."""
    return cell.kind in (CellKind.HEADER, CellKind.LABEL)


def _cell_lines(ts: Typesetter, text: str, role: str, left: float, width: float, alignment: str) -> list[PlacedLine]:
    if not text:
        return []
    size = ts.size(role)
    # A left-aligned cell is justified like body text; centred and right-aligned lines are not
    # spread (a two-character header would otherwise be letter-spaced across its column).
    measure = Measure(width=max(width, 0.0), first_indent=0.0, rest_indent=0.0,
                      base_spacing=ts.geometry.base_spacing(size),
                      justify=alignment == "left" and ts.profile.body.justify, hang=False)
    return [_aligned(line, left, width, alignment) for line in ts.paragraph([(text, role)], measure)]


def _aligned(line: PlacedLine, left: float, width: float, alignment: str) -> PlacedLine:
    spare = max(width - line_width(line), 0.0)
    shift = {"left": 0.0, "center": spare / 2, "right": spare}[alignment]
    return replace(line, x=left + shift)


def _clusters(text: str) -> list[str]:
    """The pieces a line may not be broken inside."""
    parts, start = [], 0
    for i in range(1, len(text)):
        if break_allowed(text[i - 1], text[i]):
            parts.append(text[start:i])
            start = i
    parts.append(text[start:])
    return [p for p in parts if p]


def _column_demands(table: Table, ts: Typesetter, padding: float) -> tuple[list[float], list[float]]:
    """Per column, the narrowest width that breaks no cluster and no figure, and the width that
    sets every cell on one line (padding included)."""
    settings = ts.profile.table
    count = table.column_count
    floor = settings.min_column_chars * ts.size(BODY_ROLE) + 2 * padding
    minimum = [floor] * count
    natural = [floor] * count
    demands = []
    for cell in table.cells:
        role = cell_role(cell)
        text = cell.text
        whole = ts.width(text, role) + 2 * padding if text else 0.0
        if _wraps(cell):
            least = max((ts.width(part, role) for part in _clusters(text)), default=0.0) + 2 * padding
            # A cell spanning rows has a line per row at no cost in height: it wants only the
            # width that sets it in that many lines ("三、本年度办理结果" beside 22 rows).
            whole = max(least, (whole - 2 * padding) / cell.row_span + 2 * padding)
        else:
            least = whole
        demands.append((cell, least, whole))
    for cell, least, whole in demands:
        if cell.column_span == 1:
            minimum[cell.column] = max(minimum[cell.column], least)
            natural[cell.column] = max(natural[cell.column], whole)
    for cell, least, whole in sorted(demands, key=lambda d: d[0].column_span):
        if cell.column_span == 1:
            continue
        span = range(cell.column, cell.column + cell.column_span)
        for demands_of, need in ((minimum, least), (natural, whole)):
            lack = need - sum(demands_of[c] for c in span)
            if lack > 0:
                for c in span:
                    demands_of[c] += lack / cell.column_span
    natural = [max(n, m) for n, m in zip(natural, minimum)]
    return minimum, natural


def _column_widths(table: Table, minimum: Sequence[float], natural: Sequence[float], width: float,
                   frame: str) -> list[float]:
    if table.widths is not None:
        if len(table.widths) != table.column_count:
            raise WriterError(f"{table.pos}: error: table '{table.id}' gives {len(table.widths)} widths for "
                              f"{table.column_count} columns")
        total = sum(table.widths, Decimal(0))
        widths = [width * float(w / total) for w in table.widths]
        for c, (w, least) in enumerate(zip(widths, minimum)):
            if w + EPSILON < least:
                raise WriterError(f"{table.pos}: error: column {c + 1} of table '{table.id}' is "
                                  f"{w / POINTS_PER_MM:.1f} mm wide by its widths= but its text needs "
                                  f"{least / POINTS_PER_MM:.1f} mm; widen it")
        return widths
    least_total = sum(minimum)
    if least_total > width + EPSILON:
        raise WriterError(f"{table.pos}: error: table '{table.id}' needs {least_total / POINTS_PER_MM:.0f} mm at "
                          f"its narrowest but the {frame} 版心 is {width / POINTS_PER_MM:.0f} mm wide; "
                          "split the table or shorten its figures")
    natural_total = sum(natural)
    if natural_total <= width:
        return [n + (width - natural_total) * n / natural_total for n in natural]
    wanting = [n - m for n, m in zip(natural, minimum)]
    spare = width - least_total
    total_want = sum(wanting)
    return [m + (spare * w / total_want if total_want > 0 else spare / len(minimum)) for m, w in zip(minimum, wanting)]


def _row_heights(table: Table, cells: Sequence[LaidCell], line_height: float, padding: float) -> list[float]:
    heights = [line_height + 2 * padding] * table.row_count
    for laid in sorted(cells, key=lambda c: c.cell.row_span):
        cell = laid.cell
        need = max(len(laid.lines), 1) * line_height + 2 * padding
        span = range(cell.row, cell.row + cell.row_span)
        lack = need - sum(heights[r] for r in span)
        if lack > EPSILON:
            for r in span:
                heights[r] += lack / cell.row_span
    return heights
