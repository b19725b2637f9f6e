"""A table laid out: column widths solved from the cells, cell text set and aligned, row heights,
caption, unit line and notes - a TableFlow that table.py cuts into pages and draws.

Column widths come from the cells: a label or header cell may wrap between characters where
Chinese line breaking allows, a figure never wraps. When every column at its widest fits the
版心 the spare width is shared in proportion to those widths; otherwise each column gets its
minimum and the rest goes to the columns whose text wants more (the CSS automatic table
layout). A table whose minimum widths do not fit the portrait 版心 is set landscape: on a page
of its own, in the 225 mm × 156 mm frame that render.py rotates onto the portrait page
(gbt9704-kinds T1–T4).

Rows take the height of their tallest cell; a cell spanning rows shares what it lacks evenly
among them.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Sequence

from ...diagnostics import WriterError
from ...furniture import BODY_ROLE, CAPTION_ROLE, caption_text, cell_role, note_texts
from ...model import CellKind, Table, TableCell
from ...units import POINTS_PER_MM
from .breaking import EPSILON, Measure, break_allowed
from .table import LaidCell, TableFlow, line_width

if TYPE_CHECKING:
    from .typeset import PlacedLine, Typesetter

_ALIGNMENTS = ("left", "center", "right")


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
