"""Tables in the .docx: a real `w:tbl` with fixed column widths, merges, a repeated head and
rows that never split, with its caption, unit line and notes, and the grid lines it takes.

GB/T 9704 says only that a landscape table keeps the page number where portrait pages have it
(clause 8; spec gbt9704-kinds T1); everything else is practice and comes from the profile's
`[table]` and the `table_body`, `table_head` and `table_caption` roles [T5–T7].

Column widths. A column's *minimum* is `min_column_chars` table characters, or the widest figure
or text data cell it holds on one line (a number is never broken), plus the cell padding; a
merged cell wider than its columns' minimums widens them evenly. A table whose minimums add up to
more than the portrait 版心 × `landscape_min_width_ratio` goes on a landscape page (unless the
source says `orientation=`). The space left over goes first to the label columns, in proportion to
what their text needs to sit on one line, then to every column the same way, then evenly: row
labels are what makes a row tall. `widths=` in the source overrides all this.

Height. Cell lines are set exactly at `single_line_em` × `cell_line_spacing` of the table font, so
a row's height is its tallest cell's lines (counted with the body's line-break model at the cell's
width) plus the vertical padding; a merged cell taller than its rows grows the last of them. The
writer then lays the rows onto pages as Word does with `cantSplit` and a repeated head, and reports
the grid lines taken, rounded up to whole lines. The approximation: borders are ignored (0.5–1 pt a
row) and the body after a table starts on the next grid line, which Word does not snap to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from ...model import CellKind, FigureRef, Inline, Table, TableCell, Text
from ...profile import Profile, Role
from . import styles
from .furniture import Placed
from .lines import TextMetrics, count_lines, rendered_width_pt
from ...units import Mm, Pt
from .ooxml import bookmark, east_asian_font, paragraph, rpr, text_runs, w


@dataclass(frozen=True)
class Frame:
    """The 版心 a table is set in: its width in twips, its height in points, and the grid pitch
    (points) the page's other text follows."""

    width_twips: int
    height_pt: float
    pitch_pt: float
    landscape: bool


@dataclass(frozen=True)
class KeyMarks:
    """Hidden bookmarks (a leading `_` hides them in Word's dialog) that carry a table's id and its
    row and column keys (and a column's unit), so `exporter import` gives the same keys back:
    `_T1_t3`, `_K7_natural`, `_U9_万元`."""

    table_prefix: str = "_T"
    key_prefix: str = "_K"
    unit_prefix: str = "_U"


MARKS = KeyMarks()


class TableWriter:
    def __init__(self, profile: Profile, bookmark_names: dict[str, str], next_bookmark_id: Callable[[], int]):
        self.profile = profile
        self.settings = profile.table
        self.body_role = profile.role("table_body")
        self.head_role = profile.role("table_head")
        self.caption_role = profile.role("table_caption")
        self.bookmark_names = bookmark_names
        self.next_bookmark_id = next_bookmark_id
        self.padding_pt = Mm(self.settings.cell_padding_mm).pt
        self.vertical_padding_pt = Mm(self.settings.cell_padding_vertical_mm).pt

    # -- geometry ---------------------------------------------------------------------------

    def role_of(self, cell: TableCell) -> Role:
        return self.head_role if cell.kind == CellKind.HEADER else self.body_role

    def line_pt(self, role: Role) -> float:
        return styles.cell_line_twips(self.profile, role) / 20

    def _one_line_pt(self, cell: TableCell) -> float:
        role = self.role_of(cell)
        return rendered_width_pt(cell.text, TextMetrics(role.size_pt)) + 2 * self.padding_pt

    def minimum_widths_pt(self, table: Table) -> list[float]:
        floor = self.settings.min_column_chars * self.body_role.size_pt + 2 * self.padding_pt
        minimum = [floor] * table.column_count
        for cell in table.cells:
            if cell.column_span == 1 and cell.kind in (CellKind.FIGURE, CellKind.TEXT):
                minimum[cell.column] = max(minimum[cell.column], self._one_line_pt(cell))
        for cell in table.cells:
            if cell.column_span > 1 and cell.kind in (CellKind.FIGURE, CellKind.TEXT):
                columns = range(cell.column, cell.column + cell.column_span)
                short = self._one_line_pt(cell) - sum(minimum[c] for c in columns)
                for c in columns:
                    minimum[c] += max(short, 0) / cell.column_span
        return minimum

    def is_landscape(self, table: Table, portrait_width_twips: int) -> bool:
        if table.landscape is not None:
            return table.landscape
        return sum(self.minimum_widths_pt(table)) * 20 > portrait_width_twips * self.settings.landscape_min_width_ratio

    def column_widths(self, table: Table, width_twips: int) -> list[int]:
        """Fixed widths in twips that add up to `width_twips` exactly."""
        if table.widths:
            parts = sum(table.widths, Decimal(0))
            return _exact([float(Decimal(width_twips) * part / parts) for part in table.widths], width_twips)
        minimum = self.minimum_widths_pt(table)
        natural = list(minimum)
        for cell in table.cells:
            if cell.column_span == 1:
                natural[cell.column] = max(natural[cell.column], self._one_line_pt(cell))
        widths = list(minimum)
        spare = width_twips / 20 - sum(widths)
        if spare > 0:
            labels = [c < table.label_columns for c in range(table.column_count)]
            spare = _share(widths, natural, spare, labels)
            spare = _share(widths, natural, spare, [True] * table.column_count)
            if spare > 0:
                total = sum(widths)
                widths = [wd + spare * wd / total for wd in widths]
        return _exact([wd * 20 for wd in widths], width_twips)

    def row_heights_pt(self, table: Table, widths: list[int]) -> list[float]:
        heights = [0.0] * table.row_count
        spanning = []
        for cell in table.cells:
            need = self._cell_height_pt(cell, widths)
            if cell.row_span == 1:
                heights[cell.row] = max(heights[cell.row], need)
            else:
                spanning.append((cell, need))
        for cell, need in spanning:
            rows = range(cell.row, cell.row + cell.row_span)
            short = need - sum(heights[r] for r in rows)
            if short > 0:
                heights[rows[-1]] += short
        return heights

    def _cell_height_pt(self, cell: TableCell, widths: list[int]) -> float:
        role = self.role_of(cell)
        width_pt = sum(widths[cell.column:cell.column + cell.column_span]) / 20 - 2 * self.padding_pt
        lines = count_lines(cell.text, TextMetrics(role.size_pt), width_pt, width_pt) if cell.text else 1
        return lines * self.line_pt(role) + 2 * self.vertical_padding_pt

    def grid_lines(self, table: Table, heights: list[float], frame: Frame, start_pt: float) -> tuple[int, float]:
        """Lay the rows onto pages as Word does (rows never split, the head repeated), from
        `start_pt` below the top of the current page; returns the pages the table ends after and
        where it ends on its last page (points from the page top)."""
        head = sum(heights[:table.header_rows])
        body = heights[table.header_rows:]
        first = body[0] if body else 0.0
        pages, y = 0, start_pt
        if y > 0 and y + head + first > frame.height_pt:
            pages, y = 1, 0.0
        y += head
        for height in body:
            if y + height > frame.height_pt and y > head:
                pages += 1
                y = head
            y += height
        return pages, y

    # -- elements ---------------------------------------------------------------------------

    def build(self, table: Table, frame: Frame, start_line: int, lines_per_page: int) -> Placed:
        """Caption, unit line, the table and its notes, with the grid lines they take from grid
        line `start_line` (0-based, on the page) of a page of `lines_per_page` lines."""
        placed = Placed()
        width = frame.width_twips
        if table.caption is not None:
            caption = self._caption_text(table)
            placed.add(paragraph(styles.TABLE_CAPTION, self._runs(caption, self.caption_role)),
                       count_lines(caption, TextMetrics(self.caption_role.size_pt), width / 20, width / 20))
        if table.unit_line:
            placed.add(paragraph(styles.TABLE_UNIT, self._runs(table.unit_line, self.body_role)), 1)
        widths = self.column_widths(table, width)
        heights = self.row_heights_pt(table, widths)
        slot = (start_line + placed.lines) % lines_per_page
        pages, end_pt = self.grid_lines(table, heights, frame, slot * frame.pitch_pt)
        table_lines = pages * lines_per_page + math.ceil(end_pt / frame.pitch_pt - 0.01) - slot
        placed.add(self.table_element(table, widths), table_lines)
        note_width = width - round(self.settings.note_indent_chars * Pt(self.body_role.size_pt).twips)
        for note in table.notes:
            placed.add(paragraph(styles.TABLE_NOTE, self._inline_runs(note, self.body_role)),
                       count_lines([i.text for i in note], TextMetrics(self.body_role.size_pt),
                                   note_width / 20, width / 20))
        return placed

    def _caption_text(self, table: Table) -> str:
        number = (table.number or "").removeprefix("表")
        return self.settings.caption.format(n=number, caption=table.caption or "")

    def table_element(self, table: Table, widths: list[int]):
        """Header-band cells (HEADER below the head) get the head's style but no tblHeader: they are
        not repeated [TABLES.md decision 1]."""
        outer = Pt(self.settings.outer_rule_pt).eighth_points
        inner = Pt(self.settings.inner_rule_pt).eighth_points

        def rule(side: str, size: int):
            return w(side, {"val": "single", "sz": size, "space": 0, "color": self.profile.colors.word_text})

        padding = Mm(self.settings.cell_padding_mm).twips
        vertical = Mm(self.settings.cell_padding_vertical_mm).twips
        tbl_pr = w("tblPr", None,
                   w("tblW", {"w": sum(widths), "type": "dxa"}),
                   w("jc", {"val": "center"}),
                   w("tblInd", {"w": 0, "type": "dxa"}),
                   w("tblBorders", None, rule("top", outer), rule("left", outer), rule("bottom", outer),
                     rule("right", outer), rule("insideH", inner), rule("insideV", inner)),
                   w("tblLayout", {"type": "fixed"}),
                   w("tblCellMar", None,
                     w("top", {"w": vertical, "type": "dxa"}), w("left", {"w": padding, "type": "dxa"}),
                     w("bottom", {"w": vertical, "type": "dxa"}), w("right", {"w": padding, "type": "dxa"})),
                   w("tblLook", {"val": "0000", "firstRow": 0, "lastRow": 0, "firstColumn": 0, "lastColumn": 0,
                                 "noHBand": 1, "noVBand": 1}))
        grid = w("tblGrid", None, *[w("gridCol", {"w": width}) for width in widths])
        element: Any = w("tbl", None, tbl_pr, grid)
        slots = table.slot_map()
        marked_table = False
        for r in range(table.row_count):
            tr_pr = w("trPr", None, w("cantSplit"), w("tblHeader") if r < table.header_rows else None)
            row: Any = w("tr", None, tr_pr)
            c = 0
            while c < table.column_count:
                cell = slots[r][c]
                span = cell.column_span
                cell_width = sum(widths[c:c + span])
                if cell.row != r:
                    row.append(self._cell(cell_width, span, "continue", [paragraph(self._style(cell))]))
                else:
                    content = self._cell_runs(cell, table, mark_table=not marked_table)
                    marked_table = True
                    merge = "restart" if cell.row_span > 1 else None
                    row.append(self._cell(cell_width, span, merge,
                                          [paragraph(self._style(cell), content, [w("jc", {"val": self._alignment(cell)})])]))
                c += span
            element.append(row)
        return element

    def _cell(self, width: int, span: int, merge: str | None, paragraphs: list):
        tc_pr = w("tcPr", None,
                  w("tcW", {"w": width, "type": "dxa"}),
                  w("gridSpan", {"val": span}) if span > 1 else None,
                  (w("vMerge", {"val": "restart"}) if merge == "restart" else w("vMerge")) if merge else None,
                  w("vAlign", {"val": "center"}))
        return w("tc", None, tc_pr, *paragraphs)

    def _style(self, cell: TableCell) -> str:
        return styles.TABLE_HEAD if cell.kind == CellKind.HEADER else styles.TABLE_TEXT

    def _alignment(self, cell: TableCell) -> str:
        match cell.kind:
            case CellKind.HEADER:
                return _jc(self.settings.header_alignment)
            case CellKind.LABEL:
                return _jc(self.settings.label_alignment)
            case CellKind.FIGURE | CellKind.TEXT | CellKind.BLANK:
                return _jc(self.settings.number_alignment)

    def _cell_runs(self, cell: TableCell, table: Table, mark_table: bool) -> list:
        role = self.role_of(cell)
        content = self._inline_runs(cell.inlines, role)
        if cell.key and cell.kind in (CellKind.HEADER, CellKind.LABEL):
            content = self._hidden_mark(f"{MARKS.key_prefix}{{n}}_{cell.key}", content)
            if cell.unit and cell.unit.isalnum():
                content = self._hidden_mark(f"{MARKS.unit_prefix}{{n}}_{cell.unit}", content)
        if mark_table:
            content = self._hidden_mark(f"{MARKS.table_prefix}{{n}}_{table.id}", content)
        return content

    def _hidden_mark(self, pattern: str, content: list) -> list:
        bookmark_id = self.next_bookmark_id()
        name = pattern.format(n=bookmark_id)
        if len(name) > 40:
            return content  # too long to keep: import generates a key to review instead
        return bookmark(bookmark_id, name, content)

    def _runs(self, text: str, role: Role) -> list:
        return text_runs(text, lambda: rpr(east_asian_font(role)))

    def _inline_runs(self, inlines: tuple[Inline, ...], role: Role) -> list:
        elements = []
        for inline in inlines:
            runs = self._runs(inline.text, role)
            match inline:
                case FigureRef():
                    elements.extend(bookmark(self.next_bookmark_id(), self.bookmark_names[inline.indicator_id], runs))
                case Text():
                    elements.extend(runs)
        return elements


def _jc(alignment: str) -> str:
    return {"centre": "center", "justify": "both"}.get(alignment, alignment)


def _share(widths: list[float], natural: list[float], spare: float, eligible: list[bool]) -> float:
    """Give `spare` to the eligible columns in proportion to what they lack of their natural
    width, never beyond it; returns what is left."""
    while spare > 1e-6:
        wants = [max(natural[c] - widths[c], 0.0) if eligible[c] else 0.0 for c in range(len(widths))]
        total = sum(wants)
        if total <= 1e-6:
            break
        if total <= spare:
            for c, want in enumerate(wants):
                widths[c] += want
            return spare - total
        for c, want in enumerate(wants):
            widths[c] += spare * want / total
        return 0.0
    return spare


def _exact(widths: list[float], total: int) -> list[int]:
    """Rounded widths whose sum is exactly `total` (the rounding error goes to the widest column)."""
    rounded = [round(width) for width in widths]
    widest = max(range(len(rounded)), key=lambda c: rounded[c])
    rounded[widest] += total - sum(rounded)
    return rounded
