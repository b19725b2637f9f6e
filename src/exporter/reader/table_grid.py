"""A table's rows → a `Table` (reader/tables.py reads the syntax): the head, header bands and body,
merged cells as rectangles, each slot's kind (header, label, figure, blank, 不适用), the keys of
rows and columns, and each data cell's figure with its id `table:row_key:column_key`."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..checks import TableCells
from ..figures import FigureSyntaxError, parse_figure
from ..model import CellKind, FigureRef, Indicator, Inline, Position, Table, TableCell, Text
from .inline import ID_PATTERN

if TYPE_CHECKING:
    from .tables import TableReader

CELL_ATTRIBUTES = ("id", "unit")
NOT_APPLICABLE = ("-", "－", "—", "——", "/", "／")
KEY_SEPARATOR = "."
# "一、", "（三）", "1." and "（1）" lead labels as printed; a figure's name reads better without them.
_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])\s*")
# A trailing parenthesised remark after a figure in a cell: "22（其中修订16件）".
_CELL_NOTE = re.compile(r"^(?P<figure>.*?\S)\s*[（(](?P<note>[^（）()]*)[）)]\s*$")
_TRAILING_ATTRIBUTES = re.compile(r"\{(?P<body>[^{}]*)\}\s*$")
_SPAN = re.compile(r"\[[^\[\]]*\]\{[^{}]*\}")
_FIGURE_LIKE = re.compile(r"^[\d０-９+\-−－.．]|^(?:约|近|超过|不足|逾)\d")


@dataclass
class Slot:
    raw: str            # as typed, stripped
    pos: Position       # its first character, or just after the '|' when it is empty

    @property
    def marker(self) -> str | None:
        return self.raw if self.raw in ("<", "^") else None


@dataclass
class Line:
    number: int
    pos: Position
    slots: list[Slot]
    delimiter: bool


@dataclass
class Attributes:
    values: dict[str, str]
    positions: dict[str, Position]


class GridBuilder:
    """One table's grid: merges, kinds, keys, units and the figures of its data cells."""

    def __init__(self, reader: TableReader, rows: list[Line], labels: int,
                 attrs: Attributes, table_pos: Position, path: tuple[str, ...], title: str | None,
                 widths: tuple[Decimal, ...] | None, note_lines: list[int]):
        self.reader = reader
        self.diags = reader.diags
        self.src = reader.src
        self.labels = labels
        self.attrs = attrs
        self.table_id = attrs.values["id"]
        self.table_pos = table_pos
        self.path = path
        self.title = attrs.values.get("caption") or title
        self.widths = widths
        self.note_lines = note_lines
        self.grid = [row for row in rows if not row.delimiter]
        self.width = len(rows[0].slots)
        # part[r]: which band of rows grid row r belongs to; merges never cross parts.
        # role[r]: "head", "band" or "body"; header_of[r]: the rows giving the column keys of body row r.
        self.part: list[int] = []
        self.role: list[str] = []
        self.delimiter_line: dict[int, int] = {}
        self.header_of: dict[int, list[int]] = {}
        self._parts(rows)

    # ----------------------------------------------------------------- parts and bands
    def _parts(self, rows: list[Line]) -> None:
        kinds: list[str] = []
        after_delimiter: list[int | None] = []  # the line of the delimiter row right above each grid row
        pending: int | None = None
        for row in rows:
            if row.delimiter:
                if pending is None and kinds and any(kind == "body" for kind in kinds):
                    self._mark_band(kinds, after_delimiter, row)
                pending = row.number
                continue
            kinds.append("body" if pending is not None or "body" in kinds or "band" in kinds else "head")
            after_delimiter.append(pending)
            pending = None
        head_rows = [r for r, kind in enumerate(kinds) if kind == "head"]
        current_header = head_rows
        part = 0
        for r, kind in enumerate(kinds):
            starts_part = r > 0 and (after_delimiter[r] is not None or kinds[r - 1] != kind)
            if starts_part:
                part += 1
                self.delimiter_line[r] = after_delimiter[r] or -1
            if kind == "band" and (r == 0 or starts_part):
                current_header = []
            if kind == "band":
                current_header.append(r)
            self.part.append(part)
            self.role.append(kind)
            if kind == "body":
                self.header_of[r] = current_header or head_rows

    def _mark_band(self, kinds: list[str], after_delimiter: list[int | None], delimiter: Line) -> None:
        """The rows directly above a later delimiter row are a header band, back to the nearest row
        that reads as a body row (a keyed label, or a figure or 不适用 mark in a data slot)."""
        r = len(kinds) - 1
        count = 0
        while r >= 0 and kinds[r] == "body" and not self._reads_as_body(r):
            kinds[r] = "band"
            count += 1
            if after_delimiter[r] is not None:
                break
            r -= 1
        if count == 0:
            self.diags.error(
                "this delimiter row has no header rows directly above it: the row above holds figures or a "
                "keyed label, so it is a body row (a header band is the keyless rows above a later delimiter row)",
                delimiter.pos)

    def _reads_as_body(self, r: int) -> bool:
        slots = self.grid[r].slots
        for c, slot in enumerate(slots):
            if slot.marker:
                continue
            if c < self.labels and _TRAILING_ATTRIBUTES.search(slot.raw) and "#" in slot.raw:
                return True
            if c >= self.labels and (slot.raw in NOT_APPLICABLE or _FIGURE_LIKE.match(slot.raw)):
                return True
        return False

    # ----------------------------------------------------------------- build
    def build(self) -> Table | None:
        errors_before = len(self.diags.errors)
        anchors = self._anchors()
        if anchors is None:
            return None
        cells_by_anchor: dict[tuple[int, int], dict] = {}
        for r, row in enumerate(anchors):
            for c, anchor in enumerate(row):
                entry = cells_by_anchor.setdefault(anchor, {"rows": set(), "cols": set()})
                entry["rows"].add(r)
                entry["cols"].add(c)
        if not self._rectangles(anchors, cells_by_anchor):
            return None
        spans = {a: (max(e["rows"]) - a[0] + 1, max(e["cols"]) - a[1] + 1) for a, e in cells_by_anchor.items()}
        self._no_label_into_data(spans)
        keyed: dict[tuple[int, int], tuple[str, str | None, str | None]] = {}  # anchor → (text, key, unit)
        kinds: dict[tuple[int, int], CellKind] = {}
        for anchor in sorted(cells_by_anchor):
            r, c = anchor
            slot = self.grid[r].slots[c]
            if self.role[r] in ("head", "band"):
                kinds[anchor] = CellKind.HEADER
                keyed[anchor] = self._keyed_text(slot, allow_unit=True)
            elif c < self.labels:
                kinds[anchor] = CellKind.LABEL
                keyed[anchor] = self._keyed_text(slot, allow_unit=False)
            else:
                kinds[anchor] = self._data_kind(slot)
        if len(self.diags.errors) > errors_before:
            return None
        cells: list[TableCell] = []
        keys = TableCells(self.table_id)
        indicators: list[Indicator] = []
        first_ids: dict[str, Position] = {}
        for anchor in sorted(cells_by_anchor):
            r, c = anchor
            slot = self.grid[r].slots[c]
            row_span, column_span = spans[anchor]
            kind = kinds[anchor]
            if kind in (CellKind.HEADER, CellKind.LABEL):
                text, key, unit = keyed[anchor]
                cells.append(TableCell(r, c, row_span, column_span, kind, self.reader.text_runs(text, slot.pos),
                                       slot.pos, key=key, unit=unit))
                continue
            row_key, row_labels = self._row_key(anchor, row_span, anchors, keyed)
            column_key, column_labels, column_unit, name_labels = self._column_key(
                anchor, column_span, anchors, keyed)
            if row_key is None or column_key is None:
                continue
            if kind == CellKind.BLANK or kind == CellKind.TEXT:
                if column_key and (row_key or not self.labels):
                    self._remember(keys, row_key, column_key, None)
                inlines = self.reader.text_runs(slot.raw, slot.pos) if kind == CellKind.TEXT else ()
                cells.append(TableCell(r, c, row_span, column_span, kind, inlines, slot.pos))
                continue
            missing = []
            if self.labels and not row_key:
                missing.append("row key: give a label cell of this row a {#key}")
            if not column_key:
                missing.append("column key: give a header cell above this column a {#key}")
            if missing:
                self.diags.error(f"figure '{slot.raw}' has no " + " and no ".join(missing)
                                 + " (a figure's id is table:row:column, stable across years)", slot.pos)
                continue
            figure_id = ":".join(part for part in (self.table_id, row_key, column_key) if part)
            if figure_id in first_ids:
                first = first_ids[figure_id]
                self.diags.error(f"duplicate id '{figure_id}' (first used at {first.line}:{first.column}): two "
                                 "cells have the same row and column keys", slot.pos)
                continue
            first_ids[figure_id] = slot.pos
            unit = column_unit or self.attrs.values.get("unit")
            made = self._figure(slot, figure_id, row_key, column_key, row_labels, column_labels, name_labels, unit)
            if made is None:
                continue
            inlines, indicator = made
            indicators.append(indicator)
            self._remember(keys, row_key, column_key, figure_id)
            cells.append(TableCell(r, c, row_span, column_span, CellKind.FIGURE, inlines, slot.pos,
                                   note=indicator.note))
        failed = len(self.diags.errors) > errors_before
        if not failed:
            for indicator in indicators:
                self.reader.inline.indicators.append(indicator)
                self.reader.inline.indicator_ids[indicator.id] = indicator.pos
        notes = tuple(self.reader.note_inlines(n, self.path) for n in self.note_lines)
        if failed:
            return None
        self.reader.keys[self.table_id] = keys
        caption = self.attrs.values.get("caption")
        number = None
        if caption is not None:
            self.reader.captions += 1
            number = f"表{self.reader.captions}"
        unit_line = self.attrs.values.get("unit")
        orientation = self.attrs.values.get("orientation")
        return Table(
            id=self.table_id, caption=caption, number=number,
            unit_line=f"单位：{unit_line}" if unit_line else None,
            header_rows=sum(1 for role in self.role if role == "head"), label_columns=self.labels,
            row_count=len(self.grid), column_count=self.width, cells=tuple(cells), notes=notes, path=self.path,
            pos=self.table_pos, widths=self.widths,
            landscape=None if orientation is None else orientation == "landscape",
        )

    def _remember(self, keys: TableCells, row_key: str, column_key: str, figure_id: str | None) -> None:
        if row_key not in keys.row_keys:
            keys.row_keys.append(row_key)
        if column_key not in keys.column_keys:
            keys.column_keys.append(column_key)
        keys.cells[(row_key, column_key)] = figure_id

    def _anchors(self) -> list[list[tuple[int, int]]] | None:
        anchors: list[list[tuple[int, int] | None]] = [[None] * self.width for _ in self.grid]
        ok = True
        for r, row in enumerate(self.grid):
            for c, slot in enumerate(row.slots):
                if slot.marker == "<":
                    if c == 0:
                        self.diags.error("'<' in the first column: there is no cell on its left to merge with",
                                         slot.pos)
                        ok = False
                        continue
                    anchors[r][c] = anchors[r][c - 1]
                elif slot.marker == "^":
                    if r == 0:
                        self.diags.error("'^' in the first row: there is no cell above to merge with", slot.pos)
                        ok = False
                        continue
                    if self.part[r] != self.part[r - 1]:
                        line = self.delimiter_line.get(r, -1)
                        where = f"the delimiter row at line {line}" if line > 0 else "the edge of a header band"
                        self.diags.error(f"'^' cannot merge across {where}: header rows, header bands and body "
                                         "rows are merged only among themselves", slot.pos)
                        ok = False
                        continue
                    anchors[r][c] = anchors[r - 1][c]
                else:
                    anchors[r][c] = (r, c)
        if not ok or any(a is None for row in anchors for a in row):
            return None
        return [[a for a in row if a is not None] for row in anchors]

    def _rectangles(self, anchors: list[list[tuple[int, int]]], cells: dict[tuple[int, int], dict]) -> bool:
        ok = True
        for anchor, entry in sorted(cells.items()):
            for r in range(anchor[0], max(entry["rows"]) + 1):
                for c in range(anchor[1], max(entry["cols"]) + 1):
                    if anchors[r][c] != anchor:
                        slot = self.grid[r].slots[c]
                        owner = self.grid[anchor[0]].slots[anchor[1]]
                        self.diags.error(
                            f"this slot lies inside the merged cell '{_short(owner.raw)}' ({owner.pos.line}:"
                            f"{owner.pos.column}), which is not a rectangle: a merged cell covers whole rows and "
                            "columns of slots, so write '<' or '^' here or merge less", slot.pos)
                        ok = False
        return ok

    def _no_label_into_data(self, spans: dict[tuple[int, int], tuple[int, int]]) -> None:
        for (r, c), (_, column_span) in spans.items():
            if self.role[r] == "body" and c < self.labels < c + column_span:
                slot = self.grid[r].slots[c]
                self.diags.error(f"the row label '{_short(slot.raw)}' is merged into the data columns: labels="
                                 f"{self.labels} makes the first {self.labels} column(s) labels (a row of headings "
                                 "inside the table is a header band: put a delimiter row under it)", slot.pos)

    def _hides_unit(self, text: str, unit: str) -> bool:
        """Whether a header's own unit differs from the table's printed 单位 line without the
        header saying so."""
        table_unit = self.attrs.values.get("unit")
        if not table_unit:
            return False
        same = str.maketrans("％", "%")  # a full-width ％ in the header says % as well
        unit, table_unit, text = unit.strip().translate(same), table_unit.strip().translate(same), text.translate(same)
        return unit != table_unit and unit not in text

    def _keyed_text(self, slot: Slot, allow_unit: bool) -> tuple[str, str | None, str | None]:
        raw = slot.raw
        if _SPAN.search(raw):
            self.diags.error("figure spans […]{…} are not allowed in a table: every number in a data cell is a "
                             "figure already, named from its row and column", slot.pos)
            return raw, None, None
        m = _TRAILING_ATTRIBUTES.search(raw)
        key = unit = None
        text = raw
        if m and not _escaped(raw, m.start()):
            values, positions = self.reader.parse_attributes(
                m.group("body"), slot.pos.line, slot.pos.column + m.start(), CELL_ATTRIBUTES, "cell")
            text = raw[:m.start()].rstrip()
            if values is not None:
                key = values.get("id")
                unit = values.get("unit")
                if "id" in values and not ID_PATTERN.match(key or ""):
                    self.diags.error(f"malformed key '{key}': use ASCII snake_case (lower-case letters, digits, "
                                     "single '_'), starting with a letter", positions["id"])
                if unit is not None and not allow_unit:
                    self.diags.error("unit= belongs on a header cell (it gives its column a unit), not on a label",
                                     positions["unit"])
                elif unit is not None and not unit.strip():
                    self.diags.error("'unit' is empty", positions["unit"])
                elif unit is not None and self._hides_unit(text, unit):
                    # The printed 单位 line would name the wrong unit for this column: a reader of the
                    # page takes "30" under 权重 for 30 分 while the workbook says 30 %.
                    table_unit = self.attrs.values.get("unit")
                    self.diags.error(f"this column's unit '{unit}' is printed nowhere, and the table's unit line "
                                     f"says '单位：{table_unit}': write it in the header, e.g. "
                                     f"'{text}（{unit}）'", positions["unit"])
        for k, ch in enumerate(text):
            if ch in "{}" and not _escaped(text, k):
                self.diags.error(f"stray '{ch}' in a cell: a key goes at the end as {{#key}}; escape it as "
                                 f"'\\{ch}' to print it", dataclasses.replace(slot.pos, column=slot.pos.column + k))
                break
        return text, key, unit

    def _data_kind(self, slot: Slot) -> CellKind:
        raw = slot.raw
        if not raw:
            return CellKind.BLANK
        if raw in NOT_APPLICABLE:
            return CellKind.TEXT
        if _SPAN.search(raw):
            self.diags.error("figure spans […]{…} are not allowed in a table: every number in a data cell is a "
                             "figure already, named from its row and column", slot.pos)
        elif _TRAILING_ATTRIBUTES.search(raw):
            self.diags.error("a data cell takes no {#key}: its id comes from its row and column keys "
                             "(a heading inside the body belongs in a header band, above a delimiter row)", slot.pos)
        elif not re.search(r"[\d０-９〇零一二两三四五六七八九十百千万亿]", raw):
            self.diags.error(f"'{_short(raw)}' in a data cell is not a figure: write a number, leave the cell "
                             "empty (blank, 空白 — not 0) or write '—' (不适用); a text row or column belongs in "
                             f"the labels (labels={self.labels}) or a header band", slot.pos)
        return CellKind.FIGURE

    def _row_key(self, anchor: tuple[int, int], row_span: int, anchors: list[list[tuple[int, int]]],
                 keyed: dict) -> tuple[str | None, tuple[str, ...]]:
        found: list[tuple[str, tuple[str, ...]]] = []
        for r in range(anchor[0], anchor[0] + row_span):
            seen: list[tuple[int, int]] = []
            for c in range(self.labels):
                if anchors[r][c] not in seen:
                    seen.append(anchors[r][c])
            key = KEY_SEPARATOR.join(keyed[a][1] for a in seen if keyed[a][1])
            found.append((key, tuple(keyed[a][0] for a in seen)))
        if len({k for k, _ in found}) > 1:
            slot = self.grid[anchor[0]].slots[anchor[1]]
            self.diags.error(f"this cell spans rows with different keys ({', '.join(k or '—' for k, _ in found)}): "
                             "a merged data cell must stay within one keyed row", slot.pos)
            return None, ()
        return found[0]

    def _column_key(self, anchor: tuple[int, int], column_span: int, anchors: list[list[tuple[int, int]]],
                    keyed: dict) -> tuple[str | None, tuple[str, ...], str | None, tuple[str, ...]]:
        header = self.header_of[anchor[0]]
        head = [r for r, role in enumerate(self.role) if role == "head"]
        found = []
        for c in range(anchor[1], anchor[1] + column_span):
            key, labels, unit, name_labels = self._column_of(header, c, anchors, keyed)
            if not key and header is not head:
                key, labels, unit, name_labels = self._column_of(head, c, anchors, keyed)
            found.append((key, labels, unit, name_labels))
        if len({f[0] for f in found}) > 1:
            slot = self.grid[anchor[0]].slots[anchor[1]]
            self.diags.error(f"this cell spans columns with different keys ({', '.join(f[0] or '—' for f in found)}):"
                             " a merged data cell must stay under one keyed header", slot.pos)
            return None, (), None, ()
        return found[0]

    def _column_of(self, header: list[int], c: int, anchors: list[list[tuple[int, int]]],
                   keyed: dict) -> tuple[str, tuple[str, ...], str | None, tuple[str, ...]]:
        seen: list[tuple[int, int]] = []
        for r in header:
            if anchors[r][c] not in seen:
                seen.append(anchors[r][c])
        key = KEY_SEPARATOR.join(keyed[a][1] for a in seen if keyed[a][1])
        unit = None
        for a in seen:
            if keyed[a][2]:
                unit = keyed[a][2]
        labels = tuple(keyed[a][0] for a in seen)
        # A heading over every data column ("申请人情况") tells no column from another, so a name
        # leaves it out, unless nothing else stands above the column ("本年处理决定数量" in t2).
        printed = [a for a in seen if keyed[a][0]]
        telling = [a for a in printed if not self._spans_all_data_columns(a, anchors)]
        name_labels = tuple(keyed[a][0] for a in (telling or printed[-1:]))
        return key, labels, unit, name_labels

    def _spans_all_data_columns(self, anchor: tuple[int, int], anchors: list[list[tuple[int, int]]]) -> bool:
        r = anchor[0]
        return all(anchors[r][c] == anchor for c in range(self.labels, self.width)) and self.width - self.labels > 1

    def _figure(self, slot: Slot, figure_id: str, row_key: str, column_key: str, row_labels: tuple[str, ...],
                column_labels: tuple[str, ...], name_labels: tuple[str, ...],
                unit: str | None) -> tuple[tuple[Inline, ...], Indicator] | None:
        raw = slot.raw
        printed, note = raw, None
        m = _CELL_NOTE.match(raw)
        if m and re.search(r"\d", m.group("figure")):
            printed, note = m.group("figure"), m.group("note").strip() or None
        try:
            parsed = parse_figure(printed)
            if not parsed.unit and unit:
                parsed = parse_figure(printed, unit=unit)
        except FigureSyntaxError as exc:
            message = str(exc)
            if "value=" in message:
                message += " (a table cell takes no value=: write the number in Arabic numerals, as printed)"
            self.diags.error(message, slot.pos)
            return None
        row_names = tuple(_ORDINAL.sub("", label) for label in row_labels if label)
        name = "／".join(row_names)
        if name_labels:
            name = f"{name}（{'／'.join(name_labels)}）" if name else "／".join(name_labels)
        if self.title:
            name = f"{self.title}：{name}"
        indicator = Indicator(
            id=figure_id, name=name, text=printed, value=parsed.value, unit=parsed.unit,
            qualifier=parsed.qualifier, multiplier=parsed.multiplier, base_value=parsed.base_value,
            base_unit=parsed.base_unit, section=self.path, sentence="", pos=slot.pos, note=note,
            upper=parsed.upper, base_upper=parsed.base_upper, table_id=self.table_id, row_key=row_key,
            column_key=column_key, row_labels=tuple(row_labels), column_labels=tuple(column_labels),
        )
        inlines: list[Inline] = [FigureRef(figure_id, printed, slot.pos)]
        if printed != raw:
            rest = raw[len(printed):]
            inlines.append(Text(rest, dataclasses.replace(slot.pos, column=slot.pos.column + len(printed))))
        return tuple(inlines), indicator


def _escaped(text: str, k: int) -> bool:
    backslashes = 0
    while k - backslashes - 1 >= 0 and text[k - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _short(text: str) -> str:
    return text if len(text) <= 16 else text[:15] + "…"
