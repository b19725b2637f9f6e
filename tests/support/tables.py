"""Table models built by hand for the writer tests.

`pdf_hand_table` reads the ```table syntax of TABLES.md just far enough to build a `Table` for
layout tests (merges `<` `^`, `{#key}` suffixes dropped, delimiter rows, header bands, labels,
notes); it is no reader: no keys, no figures' meaning, no errors. `pdf_document_with` puts
tables into a document read from a real source.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path

from exporter.model import CellKind, FigureRef, Position, Table, TableCell, Text

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
