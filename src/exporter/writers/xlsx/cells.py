"""Safe cell writing for the workbook: values only, never formulas, never illegal XML.

openpyxl turns any string starting with "=" into a formula and "#N/A" into an error cell,
and writes U+FFFE or lone surrogates into a file nobody can reopen. Every string therefore
goes through `clean_text` and `put_text`, which strip what XML 1.0 forbids (reported, since
a quote must stay traceable to the source) and pin the cell to the string type.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ...cjk import display_width
from ...diagnostics import WARNING, Diagnostic
from ...model import Position
from ...profile import Profile

# Everything outside the XML 1.0 Char production (W3C XML 1.0 §2.2).
# Written as the set itself, not as the complement of the allowed ranges: the same characters,
# and a pattern that compiles in a fraction of the time.
_NOT_XML_CHAR = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]")
# Excel reads these as the start of a formula when a user edits the cell (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_TEXT = 32767


@dataclass
class Warnings:
    """Collects the writer's located warnings."""

    items: list[Diagnostic] = field(default_factory=list)
    # The source a warning without a position is about: in a batch, "the report has no tagged
    # figures" must say which report.
    source: str | None = None

    def add(self, message: str, pos: Position | None = None) -> None:
        self.items.append(Diagnostic(WARNING, message, pos, None if pos is not None else self.source))


def clean_text(text: str, warnings: Warnings, where: str, pos: Position | None = None) -> str:
    """`text` without characters XML 1.0 forbids, cut to Excel's cell limit; each change is reported."""
    removed = _NOT_XML_CHAR.findall(text)
    if removed:
        codes = ", ".join(dict.fromkeys(f"U+{ord(ch):04X}" for ch in removed))
        warnings.add(f"xlsx: removed {len(removed)} character(s) not allowed in XML ({codes}) from {where}", pos)
        text = _NOT_XML_CHAR.sub("", text)
    if len(text) > EXCEL_MAX_TEXT:
        warnings.add(f"xlsx: {where} cut to {EXCEL_MAX_TEXT} characters, Excel's limit for a cell", pos)
        text = text[:EXCEL_MAX_TEXT]
    return text


@dataclass(frozen=True)
class CellStyle:
    """What every cell of the workbook shares, read once from the profile."""

    font: Font
    header_font: Font
    wrap: Alignment
    top: Alignment
    # Each combination's style indices, worked out once per workbook: assigning a Font or an
    # Alignment to a cell makes openpyxl hash it against the workbook's list, which took most
    # of the writer's time (two thirds of it on the seed) for a handful of distinct styles.
    _arrays: dict[tuple[object, ...], StyleArray] = field(default_factory=dict, compare=False, repr=False)

    def apply(self, cell: Cell, header: bool = False, wrap: bool = False, number_format: str | None = None) -> None:
        """Give `cell` the font, alignment and number format, as `cell.font = …` etc. would."""
        key = (cell.parent.parent, header, wrap, number_format)
        array = self._arrays.get(key)
        if array is None:
            probe = Cell(cell.parent)
            probe.font = self.header_font if header else self.font
            probe.alignment = self.wrap if wrap else self.top
            if number_format is not None:
                probe.number_format = number_format
            array = self._arrays[key] = probe._style
        cell._style = copy(array)

    def styled_as(self, cell: Cell, name: str, style_cell: Callable[..., None], *args: object) -> None:
        """Give `cell` what `style_cell(cell, *args)` gives it, working that out once per starting style."""
        current = cell._style or StyleArray()
        key = (cell.parent.parent, tuple(current), name)
        array = self._arrays.get(key)
        if array is None:
            style_cell(cell, *args)
            array = self._arrays[key] = copy(cell._style)
        cell._style = copy(array)

    def restyle(self, cell: Cell, alignment: tuple[str, str, bool] | None = None,
                border: str | None = None) -> None:
        """Set the alignment (horizontal, vertical, wrap) and a border of `border` style on all four
        sides, keeping the cell's other style, as `cell.alignment = …`, `cell.border = …` would."""
        current = cell._style or StyleArray()  # a cell inside a merge has none yet
        key = (cell.parent.parent, tuple(current), alignment, border)
        array = self._arrays.get(key)
        if array is None:
            probe = Cell(cell.parent)
            probe._style = copy(current)
            if alignment is not None:
                horizontal, vertical, wrap = alignment
                probe.alignment = Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap or None)
            if border is not None:
                side = Side(style=border)
                probe.border = Border(left=side, right=side, top=side, bottom=side)
            array = self._arrays[key] = probe._style
        cell._style = copy(array)

    @classmethod
    def from_profile(cls, profile: Profile) -> "CellStyle":
        x = profile.xlsx
        return cls(
            font=Font(name=x.font, size=x.font_size_pt),
            header_font=Font(name=x.font, size=x.font_size_pt, bold=True),
            wrap=Alignment(wrap_text=True, vertical="top"),
            top=Alignment(vertical="top"),
        )


def put_text(ws: Worksheet, row: int, column: int, text: str | None, style: CellStyle, warnings: Warnings,
             where: str, pos: Position | None = None, wrap: bool = False, header: bool = False) -> None:
    """A string cell that stays a string in Excel, LibreOffice and every reader; None leaves it empty."""
    cell = ws.cell(row=row, column=column)
    style.apply(cell, header=header, wrap=wrap)
    if text is None or text == "":
        return
    text = clean_text(text, warnings, where, pos)
    cell.value = text
    # openpyxl has just made "=…" a formula and "#N/A" an error; both must stay text.
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def put_number(ws: Worksheet, row: int, column: int, value: Decimal | None, number_format: str,
               style: CellStyle) -> None:
    """A numeric cell: int when integral (so 13 stays 13), float otherwise; None leaves it empty."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        style.apply(cell)
        return
    style.apply(cell, number_format=number_format)
    cell.value = as_number(value)


def as_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def printed_decimals(value: Decimal) -> int:
    """Decimals needed to show `value` as printed: 53.62 → 2, 12.50 → 2 (the printed zero is
    precision, not noise), 200000 (from 20 万) → 0. The reader keeps a value's exponent as printed."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def number_format(profile: Profile, decimals: int) -> str:
    x = profile.xlsx
    return x.integer_format if decimals == 0 else x.decimal_format.replace("{zeros}", "0" * decimals)


def fit_columns(ws: Worksheet, texts: dict[int, list[str]], profile: Profile) -> None:
    """Set each column's width from its longest line, between the profile's floor and cap."""
    x = profile.xlsx
    for column, values in sorted(texts.items()):
        # Only the first max_column_width characters can matter: each counts at least 1.
        # Width in digit units: East Asian Wide and Fullwidth characters count `wide_char_units`.
        longest = max((display_width(line[: x.max_column_width], x.wide_char_units)
                       for v in values for line in v.split("\n")), default=0)
        width = min(max(longest + x.width_padding, x.min_column_width), x.max_column_width)
        ws.column_dimensions[get_column_letter(column)].width = width
