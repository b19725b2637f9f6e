"""Table models built by hand for writer tests that must not depend on the table reader.

`xlsx_hand_tables` spells out anchor cells and the Indicators of figure cells literally, so a test's
expectation comes from this text, not from code under test. `pdf_hand_table` reads the ```table syntax
just far enough to build a `Table` for layout tests (merges `<` `^`, delimiter rows, header bands,
labels, notes); it is no reader: no keys, no figures' meaning, no errors. `pdf_document_with` puts
tables into a document read from a real source.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
import re
from pathlib import Path

from exporter.model import (CellKind, Document, FigureRef, Heading, Indicator, Qualifier, Table, TableCell, Text)
from exporter.model import Position  # noqa: F811


HAND_PATH = "tests/support/tables.py"


def _pos(line: int, column: int = 1) -> Position:
    return Position(HAND_PATH, line, column)


def _figure(table_id: str, row_key: str, column_key: str, printed: str, value: str, unit: str,
            row_labels: tuple[str, ...], column_labels: tuple[str, ...], pos: Position,
            note: str | None = None) -> Indicator:
    indicator_id = ":".join(part for part in (table_id, row_key, column_key) if part)
    return Indicator(
        id=indicator_id, name="".join(row_labels + column_labels), text=printed, value=Decimal(value), unit=unit,
        qualifier=Qualifier.EXACT, multiplier=1, base_value=Decimal(value), base_unit=unit, section=(),
        sentence=printed, pos=pos, note=note, table_id=table_id, row_key=row_key, column_key=column_key,
        row_labels=row_labels, column_labels=column_labels,
    )


def _cell(row: int, column: int, kind: CellKind, text: str = "", row_span: int = 1, column_span: int = 1,
          key: str | None = None, figure: Indicator | None = None, note: str | None = None) -> TableCell:
    pos = _pos(100 + row, 1 + column)
    inlines = (FigureRef(figure.id, text, pos),) if figure is not None else ((Text(text, pos),) if text else ())
    return TableCell(row, column, row_span, column_span, kind, inlines, pos, key=key, note=note)


def xlsx_hand_tables() -> tuple[tuple[Table, ...], tuple[Indicator, ...]]:
    """Two small tables and their figures.

    `t9` (no caption, 2 header rows, 2 label columns, 6 × 5 grid)::

        | 事项 ⟨2×2⟩                  |          | 申请人情况 ⟨1×3⟩ |                 |          |
        | ″                           |          | 自然人 natural   | 法人 legal      | 总计 total |
        | 一、本年新收申请 new ⟨1×2⟩   |          | 10               | 2               | 12        |
        | 二、办理结果 ⟨2×1⟩           | （一）予以公开 granted | 6（含部分公开1件） | —   | 6     |
        | ″                           | （二）不予公开 denied  | 4                | (blank)         | 4         |
        注：空白单元格为未填报。

    `t8` (caption 收费情况, unit line, no label column, 1 header row)::

        | 本年收费金额（万元） fee_wan_yuan | 占比 share |
        | 1246.385                          | 12.50%     |
    """
    natural, legal, total = ("申请人情况", "自然人"), ("申请人情况", "法人"), ("申请人情况", "总计")
    new, granted, denied = ("一、本年新收申请",), ("二、办理结果", "（一）予以公开"), ("二、办理结果", "（二）不予公开")
    f = {
        "new:natural": _figure("t9", "new", "natural", "10", "10", "件", new, natural, _pos(102, 3)),
        "new:legal": _figure("t9", "new", "legal", "2", "2", "件", new, legal, _pos(102, 4)),
        "new:total": _figure("t9", "new", "total", "12", "12", "件", new, total, _pos(102, 5)),
        "granted:natural": _figure("t9", "granted", "natural", "6（含部分公开1件）", "6", "件", granted, natural,
                                   _pos(103, 3), note="含部分公开1件"),
        "granted:total": _figure("t9", "granted", "total", "6", "6", "件", granted, total, _pos(103, 5)),
        "denied:natural": _figure("t9", "denied", "natural", "4", "4", "件", denied, natural, _pos(104, 3)),
        "denied:total": _figure("t9", "denied", "total", "4", "4", "件", denied, total, _pos(104, 5)),
    }
    h, lab, fig = CellKind.HEADER, CellKind.LABEL, CellKind.FIGURE
    t9_cells = (
        _cell(0, 0, h, "事项", 2, 2), _cell(0, 2, h, "申请人情况", 1, 3),
        _cell(1, 2, h, "自然人", key="natural"), _cell(1, 3, h, "法人", key="legal"), _cell(1, 4, h, "总计", key="total"),
        _cell(2, 0, lab, "一、本年新收申请", 1, 2, key="new"),
        _cell(2, 2, fig, "10", figure=f["new:natural"]), _cell(2, 3, fig, "2", figure=f["new:legal"]),
        _cell(2, 4, fig, "12", figure=f["new:total"]),
        _cell(3, 0, lab, "二、办理结果", 2, 1), _cell(3, 1, lab, "（一）予以公开", key="granted"),
        _cell(3, 2, fig, "6（含部分公开1件）", figure=f["granted:natural"], note="含部分公开1件"),
        _cell(3, 3, CellKind.TEXT, "—"), _cell(3, 4, fig, "6", figure=f["granted:total"]),
        _cell(4, 1, lab, "（二）不予公开", key="denied"),
        _cell(4, 2, fig, "4", figure=f["denied:natural"]), _cell(4, 3, CellKind.BLANK),
        _cell(4, 4, fig, "4", figure=f["denied:total"]),
    )
    t9 = Table("t9", None, None, None, header_rows=2, label_columns=2, row_count=5, column_count=5, cells=t9_cells,
               notes=((Text("注：空白单元格为未填报。", _pos(105)),),), path=("九",), pos=_pos(100))
    fee = ("本年收费金额（万元）",)
    g = {
        "fee": _figure("t8", "", "fee_wan_yuan", "1246.385", "1246.385", "万元", (), fee, _pos(201, 1)),
        "share": _figure("t8", "", "share", "12.50%", "12.50", "%", (), ("占比",), _pos(201, 2)),
    }
    t8_cells = (
        _cell(0, 0, h, "本年收费金额（万元）", key="fee_wan_yuan"), _cell(0, 1, h, "占比", key="share"),
        _cell(1, 0, fig, "1246.385", figure=g["fee"]), _cell(1, 1, fig, "12.50%", figure=g["share"]),
    )
    t8 = Table("t8", "收费情况", "表1", "单位：万元、%", header_rows=1, label_columns=0, row_count=2, column_count=2,
               cells=t8_cells, notes=(), path=("九",), pos=_pos(200))
    return (t9, t8), tuple(f.values()) + tuple(g.values())


def xlsx_with_hand_tables(document: Document) -> Document:
    """`document` with a heading 九、办理情况统计 and the two hand-built tables appended, figures included."""
    tables, indicators = xlsx_hand_tables()
    heading = Heading(1, 9, "九、", "九", (Text("办理情况统计", _pos(99)),), False, ("九",), _pos(99))
    return dataclasses.replace(document, blocks=document.blocks + (heading,) + tables,
                               indicators=document.indicators + indicators)


_KEY_SUFFIX = re.compile(r"\s*\{#[^}]*\}\s*$")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"|(\w+)=([^\s}"]+)|#(\w+)')
_DELIMITER = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")
_NUMBER = re.compile(r"^-?\d[\d.]*")


def pdf_hand_table(block: str, path: str = "hand.md") -> Table:
    """A Table from a ```table block: rows above the first delimiter row are the head, rows
    directly above a later delimiter row are a header band."""
    lines = [line for line in block.strip().splitlines() if line.strip() != "```"]
    attributes = {}
    for m in _ATTRIBUTE.finditer(lines[0].split("{", 1)[1]):
        if m.group(5):
            attributes["id"] = m.group(5)
        else:
            attributes[m.group(1) or m.group(3)] = m.group(2) if m.group(1) else m.group(4)
    labels = int(attributes.get("labels", "1"))
    rows: list[list[str]] = []
    header_rows = -1
    band_rows: set[int] = set()
    pending: list[int] = []      # rows since the last delimiter row
    for line in lines[1:]:
        if _DELIMITER.match(line):
            if header_rows < 0:
                header_rows = len(rows)
            else:
                band_rows.update(r for r in pending if not any(_NUMBER.match(s) for s in rows[r][labels:]))
            pending = []
        elif line.startswith("|"):
            pending.append(len(rows))
            rows.append([slot.strip() for slot in line.strip().strip("|").split("|")])
    notes = tuple((Text(line, Position(path, 1)),) for line in lines[1:] if line.startswith(("注：", "注:")))
    anchor: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c, slot in enumerate(row):
            anchor[(r, c)] = anchor[(r, c - 1)] if slot == "<" else anchor[(r - 1, c)] if slot == "^" else (r, c)
    cells = []
    for (r, c), owner in sorted(anchor.items()):
        if owner != (r, c):
            continue
        covered = [slot for slot, a in anchor.items() if a == owner]
        text = _KEY_SUFFIX.sub("", rows[r][c])
        pos = Position(path, r + 2, c + 1)
        if r < header_rows or r in band_rows:
            kind = CellKind.HEADER
        elif c < labels:
            kind = CellKind.LABEL
        elif not text:
            kind = CellKind.BLANK
        elif _NUMBER.match(text):
            kind = CellKind.FIGURE
        else:
            kind = CellKind.TEXT
        inlines: tuple = ((FigureRef(f"{attributes['id']}:{r}:{c}", text, pos),) if kind == CellKind.FIGURE
                          else (Text(text, pos),) if text else ())
        cells.append(TableCell(r, c, max(s[0] for s in covered) - r + 1, max(s[1] for s in covered) - c + 1,
                               kind, inlines, pos))
    orientation = attributes.get("orientation")
    widths = attributes.get("widths")
    unit = attributes.get("unit")
    return Table(attributes["id"], attributes.get("caption"), None, f"单位：{unit}" if unit else None,
                 header_rows, labels, len(rows), len(rows[0]), tuple(cells), notes, (), Position(path, 1),
                 widths=tuple(Decimal(w) for w in widths.split(",")) if widths else None,
                 landscape=True if orientation == "landscape" else None)


def pdf_document_with(source: Path, *tables: Table, after: int | None = None):
    """(document, profile) read from `source` with `tables` inserted after its first `after`
    blocks (default: at the end); captioned tables are numbered 表1, 表2, …"""
    from exporter.reader import read_source

    result = read_source(source)
    blocks = list(result.document.blocks)
    at = len(blocks) if after is None else after
    numbered, n = [], 0
    for table in tables:
        if table.caption:
            n += 1
            table = dataclasses.replace(table, number=f"表{n}")
        numbered.append(table)
    blocks[at:at] = numbered
    return dataclasses.replace(result.document, blocks=tuple(blocks)), result.profile
