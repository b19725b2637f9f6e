"""Tidy sheets: a single header row in row 1, one record a row, values only.

Every sheet of the workbook, including 说明, is itself a rectangle a program can read.
Data sheets are Excel Tables (which carry their own filter, so no sheet auto-filter is set:
both on one range make Excel offer to repair the file).
"""

from __future__ import annotations

from copy import copy
from pathlib import PurePath
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ...model import CheckResult, Position
from ...profile import Profile
from .cells import CellStyle, Warnings, as_number, fit_columns, number_format, put_number, put_text
from .columns import DATA_COLUMNS, LINK_COLUMN, NUMBER_COLUMNS, Row


@dataclass(frozen=True)
class Cell:
    value: str | Decimal | None
    number_format: str | None = None
    link: tuple[str, str] | None = None
    pos: Position | None = None


@dataclass(frozen=True)
class Sheet:
    """Where the writers put things: the sheet, its profile-derived style, and the warning sink."""

    ws: Worksheet
    profile: Profile
    style: CellStyle
    warnings: Warnings
    title: str = ""  # the report's (or panel's) title, printed in the page header


def write_table(sheet: Sheet, headers: Sequence[str], rows: Sequence[Sequence[Cell]], table_name: str | None,
                freeze: str, wrap_headers: frozenset[str] = frozenset()) -> None:
    ws, profile, style, warnings = sheet.ws, sheet.profile, sheet.style, sheet.warnings
    texts: dict[int, list[str]] = {}
    for col, header in enumerate(headers, start=1):
        put_text(ws, 1, col, header, style, warnings, f"header of sheet {ws.title}", header=True)
        texts[col] = [header]
    for r, cells in enumerate(rows, start=2):
        for col, (header, cell) in enumerate(zip(headers, cells), start=1):
            wrap = header in wrap_headers
            if isinstance(cell.value, Decimal):
                put_number(ws, r, col, cell.value, cell.number_format or profile.xlsx.computed_format, style)
                texts[col].append(_shown_number(cell.value))
            else:
                where = f"{ws.title}!{get_column_letter(col)}{r} ({header})"
                put_text(ws, r, col, cell.value, style, warnings, where, cell.pos, wrap=wrap)
                texts[col].append(cell.value or "")
            if cell.link is not None and cell.value:
                _link(sheet, r, col, *cell.link)
    # Wrapped columns are fitted too: the cap keeps long quotes to a readable measure.
    fit_columns(ws, texts, profile)
    ws.freeze_panes = freeze
    print_setup(sheet)
    if table_name and rows:
        ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
        table = Table(displayName=table_name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name=profile.xlsx.table_style, showRowStripes=True)
        ws.add_table(table)


# Excel refuses a header or footer section longer than this (characters, codes included).
MAX_HEADER_TEXT = 200


def print_setup(sheet: Sheet) -> None:
    """Printed from Excel or LibreOffice, a sheet is as wide as one page (the 指标 sheet used to come
    out as 28 pages of one column each), with its header row on every page and the report's
    title and the page number in the page header and footer."""
    ws, x = sheet.ws, sheet.profile.xlsx
    ws.page_setup.orientation = x.print_orientation
    ws.page_setup.paperSize = x.print_paper_size
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    title = sheet.title.replace("&", "&&")  # '&' starts a header code
    ws.oddHeader.center.text = x.print_header.replace("{title}", title)[:MAX_HEADER_TEXT] or None
    ws.oddFooter.center.text = x.print_footer.replace("{title}", title)[:MAX_HEADER_TEXT] or None


def _shown_number(value: Decimal) -> str:
    return f"{as_number(value):,}"


def _link(sheet: Sheet, row: int, col: int, target: str, location: str) -> None:
    """An external link with a sub-address: Excel keeps the bookmark in `location`, as it does itself."""
    cell = sheet.ws.cell(row=row, column=col)
    cell.hyperlink = Hyperlink(ref=cell.coordinate, target=target, location=location)
    sheet.style.styled_as(cell, "link", _link_style, sheet)


def _link_style(cell: SheetCell, sheet: Sheet) -> None:
    """The profile's link style's colour and underline on the cell's own font, top-aligned."""
    font = copy(cell.font)
    cell.style = sheet.profile.xlsx.link_style
    linked: Font = cell.font
    cell.font = Font(name=font.name, size=font.size, underline=linked.underline, color=linked.color)
    cell.alignment = sheet.style.top


def data_cells(row: Row, profile: Profile) -> list[Cell]:
    cells = []
    for column in DATA_COLUMNS:
        value = row.values[column.header]
        if column.header in NUMBER_COLUMNS:
            cells.append(Cell(value, number_format(profile, row.decimals[column.header])))
        elif column.header == LINK_COLUMN:
            cells.append(Cell(value, link=(row.link_target, row.link_location), pos=row.pos))
        else:
            cells.append(Cell(value, pos=row.pos))
    return cells


def write_data_sheet(sheet: Sheet, rows: Sequence[Row]) -> None:
    x = sheet.profile.xlsx
    if not rows:
        sheet.warnings.add(f"xlsx: the report has no tagged figures; sheet {x.data_sheet} holds only its header")
    write_table(sheet, [c.header for c in DATA_COLUMNS], [data_cells(r, sheet.profile) for r in rows],
                x.data_table, x.data_freeze_panes, frozenset(c.header for c in DATA_COLUMNS if c.wrap))


DICTIONARY_HEADERS = ("字段名", "英文名", "SDMX概念", "类型", "单位或代码表", "必填", "唯一", "说明")
TYPE_NAMES = {"string": "文本", "number": "数值"}


def write_dictionary_sheet(sheet: Sheet) -> None:
    rows = [[
        Cell(c.header), Cell(c.english), Cell(c.sdmx or None), Cell(TYPE_NAMES[c.kind]), Cell(c.codes or None),
        Cell("是" if c.required else "否"), Cell("是" if c.unique else "否"), Cell(c.meaning),
    ] for c in DATA_COLUMNS]
    write_table(sheet, DICTIONARY_HEADERS, rows, sheet.profile.xlsx.dictionary_table, "B2", frozenset({"说明"}))


CHECK_HEADERS = ("规则代码", "来源", "规则说明", "表达式", "左值", "右值", "容差", "判定", "涉及指标", "说明", "原文位置")


def check_cells(check: CheckResult) -> list[Cell]:
    path = PurePath(check.pos.path).name if check.pos.path else ""
    return [
        Cell(check.id), Cell("源文件声明" if check.declared else "自动"), Cell(check.description),
        Cell(check.expression), Cell(check.left), Cell(check.right), Cell(check.tolerance),
        Cell(check.status.chinese), Cell("、".join(check.indicator_ids) or None), Cell(check.message or None),
        Cell(f"{path}:{check.pos.line}" if path else None),
    ]


def write_checks_sheet(sheet: Sheet, rows: Sequence[Sequence[Cell]], headers: Sequence[str] = CHECK_HEADERS) -> None:
    write_table(sheet, headers, rows, sheet.profile.xlsx.checks_table, "B2", frozenset({"规则说明", "说明"}))


README_HEADERS = ("项目", "内容")


def write_readme_sheet(sheet: Sheet, items: Sequence[tuple[str, str | None]]) -> None:
    rows = [[Cell(key), Cell(value)] for key, value in items if value]
    write_table(sheet, README_HEADERS, rows, None, "A2", frozenset({"内容"}))
