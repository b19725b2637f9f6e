"""One sheet per table of the report, laid out as printed, for people.

The data of a table is in the tidy 指标 sheet (one row per numeric cell, with 表/行键/列键);
these sheets are its picture: merged cells where the printed table merges them, the head and
header bands in bold, figures as typed numbers shown as printed ("22（其中修订16件）" is the
number 22 with the note as a literal of its number format), blank cells empty, 不适用 marks
("—", "/") as the text printed. They are the only sheets with merged cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, assert_never

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from ...model import CellKind, Document, FigureRef, Indicator, Table, TableCell, inline_text
from ...profile import Profile
from .cells import fit_columns, printed_decimals, put_number, put_text
from .columns import table_titles
from .sheets import Sheet

EXCEL_MAX_SHEET_NAME = 31
# Characters Excel forbids in a sheet name; a name may not start or end with an apostrophe either.
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


@dataclass(frozen=True)
class TableSheet:
    """Where a table goes: its sheet name, its name for people and its printed caption line."""

    table: Table
    name: str
    title: str
    caption: str | None


def plan_table_sheets(document: Document, profile: Profile, taken: Iterable[str]) -> list[TableSheet]:
    """A sheet for every table, in document order, named after its caption or heading (else its id).

    Names are made legal (≤ 31 characters, none of []:*?/\\) and unique against `taken` and each
    other the way Excel compares them (case-insensitively), with " (2)", " (3)" … when needed.
    """
    used = {name.casefold() for name in taken}
    titles = table_titles(document)
    plans = []
    captioned = 0
    for block in document.all_blocks():
        if not isinstance(block, Table):
            continue
        caption = None
        if block.caption:
            captioned += 1
            caption = profile.table.caption.format(n=captioned, caption=block.caption)
        title = titles[block.id]
        name = _unique(_legal_sheet_name(title) or block.id, used)
        used.add(name.casefold())
        plans.append(TableSheet(block, name, title, caption))
    return plans


def _legal_sheet_name(text: str) -> str:
    name = _FORBIDDEN_IN_SHEET_NAME.sub("_", text).strip().strip("'").strip()
    return name[:EXCEL_MAX_SHEET_NAME].rstrip().rstrip("'")


def _unique(name: str, used: set[str]) -> str:
    if name.casefold() not in used:
        return name
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = name[: EXCEL_MAX_SHEET_NAME - len(suffix)] + suffix
        if candidate.casefold() not in used:
            return candidate
        n += 1


def write_table_sheet(sheet: Sheet, plan: TableSheet, indicators: dict[str, Indicator]) -> None:
    ws, profile, style, warnings = sheet.ws, sheet.profile, sheet.style, sheet.warnings
    table, t, x = plan.table, sheet.profile.table, sheet.profile.xlsx
    vertical = x.table_vertical_alignment
    row = 1
    if plan.caption:
        put_text(ws, row, 1, plan.caption, style, warnings, f"{ws.title}!A{row} (表题)", table.pos, header=True)
        style.restyle(ws.cell(row=row, column=1), alignment=("left", vertical, False))
        row += 1
    if table.unit_line:
        # Printed above the table's right edge.
        put_text(ws, row, table.column_count, table.unit_line, style, warnings, f"{ws.title} (单位)", table.pos)
        style.restyle(ws.cell(row=row, column=table.column_count), alignment=("right", vertical, False))
        row += 1
    top = row

    texts: dict[int, list[str]] = {c: [] for c in range(1, table.column_count + 1)}
    for cell in table.cells:
        r, c = top + cell.row, 1 + cell.column
        where = f"{ws.title}!{get_column_letter(c)}{r}"
        if cell.row_span > 1 or cell.column_span > 1:
            # Merged before the anchor is styled: openpyxl then has no border to spread over the
            # range (the loop below rules every cell of it), which cost a third of the sheet's time.
            ws.merge_cells(start_row=r, start_column=c, end_row=r + cell.row_span - 1,
                           end_column=c + cell.column_span - 1)
        horizontal = t.number_alignment
        match cell.kind:
            case CellKind.HEADER:
                put_text(ws, r, c, cell.text, style, warnings, where, cell.pos, header=True)
                horizontal = t.header_alignment
            case CellKind.LABEL:
                put_text(ws, r, c, cell.text, style, warnings, where, cell.pos)
                horizontal = t.label_alignment
            case CellKind.FIGURE:
                indicator = indicators[_figure_id(cell)]
                put_number(ws, r, c, indicator.value, _printed_format(profile, indicator, cell.text), style)
            case CellKind.TEXT:
                put_text(ws, r, c, cell.text, style, warnings, where, cell.pos)
            case CellKind.BLANK:
                pass
            case _:
                assert_never(cell.kind)
        style.restyle(ws.cell(row=r, column=c), alignment=(horizontal, vertical, True))
        for rr in range(r, r + cell.row_span):
            for cc in range(c, c + cell.column_span):
                style.restyle(ws.cell(row=rr, column=cc), border=x.table_border)
        if cell.column_span == 1 and cell.text:
            # Text across several columns is spread over them and wraps; it does not widen one of them.
            texts[c].append(cell.text)

    row = top + table.row_count
    for note in table.notes:
        put_text(ws, row, 1, inline_text(note), style, warnings, f"{ws.title}!A{row} (注)", table.pos)
        row += 1

    fit_columns(ws, texts, profile)
    head_end = top + table.header_rows
    ws.freeze_panes = f"{get_column_letter(table.label_columns + 1)}{head_end}"
    if table.header_rows:
        # Printed on paper, the head repeats on every page, as in the report.
        ws.print_title_rows = f"{top}:{head_end - 1}"
    ws.page_setup.orientation = "landscape" if table.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _figure_id(cell: TableCell) -> str:
    refs = [i for i in cell.inlines if isinstance(i, FigureRef)]
    assert len(refs) == 1, f"figure cell at {cell.pos} holds {len(refs)} figures"
    return refs[0].indicator_id


def _printed_format(profile: Profile, indicator: Indicator, printed: str) -> str:
    """A number format that shows the value as the cell printed it: no thousands separator, the
    printed decimals, and whatever the cell printed around the number ("（其中修订16件）", "%")
    as a literal, so the cell reads as printed and still holds a number."""
    x = profile.xlsx
    decimals = printed_decimals(indicator.value)
    number = x.table_integer_format if decimals == 0 else x.table_decimal_format.replace("{zeros}", "0" * decimals)
    digits = format(indicator.value, "f")
    at = printed.find(digits)
    if at < 0:
        return number
    return _literal(printed[:at]) + number + _literal(printed[at + len(digits):])


def _literal(text: str) -> str:
    if not text:
        return ""
    if '"' not in text:
        return f'"{text}"'
    return "".join("\\" + ch for ch in text)
