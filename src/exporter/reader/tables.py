"""Tables: a ```table fenced block (or a GFM pipe table after an attribute line) → a `Table` block.

The syntax is written down in docs/source-format.md ("Tables"); in short:

* `| a | b |` rows of the same number of cells; `<` joins a slot to the cell on its left, `^` to
  the cell above; a merged cell must be a rectangle.
* A delimiter row `|---|…` ends the head (header rows above it). A later delimiter row makes the
  rows directly above it a header band: printed like header rows, giving the column keys of the
  body rows below it.
* The first `labels=N` columns of body rows are row labels; every other body slot is a data cell:
  empty (blank, 空白, not 0), `-` `—` `/` (不适用) or a figure in the grammar of figures.py.
* `{#key}` after a header or label cell's text gives its key; a figure's id is
  `table:row_key:column_key` (row key: the label keys along the row joined with "."; column key:
  the header keys above the column joined with "."), so no cell needs tagging.

Every problem is a located error; a table with errors in its grid is not built.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..checks import TableCells
from ..figures import FigureSyntaxError, parse_figure
from ..model import CellKind, FigureRef, Indicator, Inline, Paragraph, Position, Table, TableCell, Text
from .inline import ID_PATTERN, InlineReader
from .sentences import attach_sentences
from .text import SourceLines

TABLE_ATTRIBUTES = ("id", "caption", "unit", "labels", "widths", "orientation")
CELL_ATTRIBUTES = ("id", "unit")
NOT_APPLICABLE = ("-", "－", "—", "——", "/", "／")
NOTE_STARTS = ("注：", "注:")
KEY_SEPARATOR = "."
# "一、", "（三）", "1." and "（1）" lead labels as printed; a figure's name reads better without them.
_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])\s*")
# A trailing parenthesised remark after a figure in a cell: "22（其中修订16件）".
_CELL_NOTE = re.compile(r"^(?P<figure>.*?\S)\s*[（(](?P<note>[^（）()]*)[）)]\s*$")
_ATTRIBUTE = re.compile(r'\s*(?:#(?P<id>[^\s}]*)|\.(?P<cls>[^\s}]*)|(?P<key>[A-Za-z_][A-Za-z0-9_-]*)\s*=\s*'
                        r'(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>[^\s"}]+)))')
_TRAILING_ATTRIBUTES = re.compile(r"\{(?P<body>[^{}]*)\}\s*$")
_SPAN = re.compile(r"\[[^\[\]]*\]\{[^{}]*\}")
_FIGURE_LIKE = re.compile(r"^[\d０-９+\-−－.．]|^(?:约|近|超过|不足|逾)\d")


@dataclass
class _Slot:
    raw: str            # as typed, stripped
    pos: Position       # its first character, or just after the '|' when it is empty

    @property
    def marker(self) -> str | None:
        return self.raw if self.raw in ("<", "^") else None


@dataclass
class _Line:
    number: int
    pos: Position
    slots: list[_Slot]
    delimiter: bool


@dataclass
class _Attributes:
    values: dict[str, str]
    positions: dict[str, Position]


class TableReader:
    """Reads the tables of one document; keeps table ids, caption numbers and the keys checks use."""

    def __init__(self, src: SourceLines, inline: InlineReader, md: MarkdownIt):
        self.src = src
        self.diags = src.diags
        self.lines = src.lines
        self.inline = inline
        self.md = md
        self.table_ids: dict[str, Position] = {}
        self.captions = 0
        self.keys: dict[str, TableCells] = {}

    # ----------------------------------------------------------------- entry points
    def read_fence(self, token: Token, path: tuple[str, ...], title: str | None) -> Table | None:
        start = token.map[0] if token.map else 0
        end = token.map[1] if token.map else start + 1
        opening = self.lines[start]
        fence_col = len(opening) - len(opening.lstrip()) + 1
        table_pos = self.src.at(start + 1, fence_col)
        marker = opening.strip()[:3]
        closed = end - 1 > start and self.lines[end - 1].strip().startswith(marker) and \
            not self.lines[end - 1].strip().lstrip(marker[0])
        if not closed:
            self.diags.error(f"table not closed: add a '{marker}' line after its last row or note", table_pos)
            return None
        info_offset = opening.index(token.info) if token.info and token.info in opening else fence_col + 2
        after_word = info_offset + len("table")
        attrs = self._attributes(opening[after_word:], start + 1, after_word, table_pos, "table")
        if attrs is None:
            return None
        return self._table(list(range(start + 1, end - 1)), attrs, table_pos, path, title, min_dashes=3)

    def read_gfm(self, token: Token, attribute_line: int | None, path: tuple[str, ...],
                 title: str | None) -> Table | None:
        start = token.map[0] if token.map else 0
        end = token.map[1] if token.map else start + 1
        first = self.lines[start]
        table_pos = self.src.at(start + 1, len(first) - len(first.lstrip()) + 1)
        if attribute_line is None:
            self.diags.error(
                "a table needs an id: write an attribute line such as {#t1 caption=\"…\" unit=\"…\"} right "
                "above it, or write it as a ```table {#t1 …} block (see docs/source-format.md, Tables)",
                table_pos)
            return None
        text = self.lines[attribute_line - 1]
        attrs = self._attributes(text, attribute_line, 0, self.src.at(attribute_line, 1), "attribute line",
                                 braces_required=True)
        if attrs is None:
            return None
        return self._table(list(range(start, end)), attrs, table_pos, path, title, min_dashes=1, gfm=True)

    def finish(self) -> None:
        """Table ids and figure ids share one namespace: a clash is an error at the later one."""
        for table_id, pos in self.table_ids.items():
            other = self.inline.indicator_ids.get(table_id)
            if other is not None and ":" not in table_id:
                later, earlier = (pos, other) if (pos.line, pos.column) > (other.line, other.column) else (other, pos)
                self.diags.error(f"id '{table_id}' names both a table and a figure (first used at "
                                 f"{earlier.line}:{earlier.column}): ids must be unique", later)

    # ----------------------------------------------------------------- attributes
    def _attributes(self, text: str, line: int, offset: int, fallback: Position, what: str,
                    braces_required: bool = False) -> _Attributes | None:
        stripped = text.strip()
        if not stripped:
            self.diags.error("a table needs attributes: ```table {#t1 caption=\"…\" unit=\"件\"}", fallback)
            return None
        start = offset + len(text) - len(text.lstrip())
        if not (stripped.startswith("{") and stripped.endswith("}")):
            self.diags.error(f"cannot read the table's {what} '{stripped}': write {{#id caption=\"…\" unit=\"…\"}}",
                             self.src.at(line, start + 1))
            return None
        body = stripped[1:-1]
        values, positions = self._parse_attributes(body, line, start + 1, TABLE_ATTRIBUTES, "table")
        if values is None:
            return None
        ok = True
        table_id = values.get("id")
        id_pos = positions.get("id", self.src.at(line, start + 1))
        if not table_id:
            self.diags.error("a table needs an id: add #snake_case_id to its attributes", id_pos)
            ok = False
        elif not ID_PATTERN.match(table_id):
            self.diags.error(f"malformed table id '{table_id}': use ASCII snake_case (lower-case letters, digits, "
                             "single '_'), starting with a letter", id_pos)
            ok = False
        elif table_id in self.table_ids:
            first = self.table_ids[table_id]
            self.diags.error(f"duplicate table id '{table_id}' (first used at {first.line}:{first.column})", id_pos)
            ok = False
        else:
            self.table_ids[table_id] = id_pos
        for key in ("caption", "unit"):
            if key in values and not values[key].strip():
                self.diags.error(f"'{key}' is empty", positions[key])
                ok = False
        if "orientation" in values and values["orientation"] not in ("portrait", "landscape"):
            self.diags.error(f"orientation must be \"portrait\" or \"landscape\", not \"{values['orientation']}\"",
                             positions["orientation"])
            ok = False
        if "labels" in values and not re.fullmatch(r"\d+", values["labels"]):
            self.diags.error(f"labels must be the number of label columns (0, 1, 2, …), not \"{values['labels']}\"",
                             positions["labels"])
            ok = False
        return _Attributes(values, positions) if ok else None

    def _parse_attributes(self, body: str, line: int, brace_col: int, allowed: tuple[str, ...],
                          what: str) -> tuple[dict[str, str] | None, dict[str, Position]]:
        """`#id key=value key="quoted"` inside braces that stand at `brace_col` of `line`."""
        values: dict[str, str] = {}
        positions: dict[str, Position] = {}
        k = 0
        ok = True
        while k < len(body):
            if not body[k:].strip():
                break
            m = _ATTRIBUTE.match(body, k)
            lead = len(body[k:]) - len(body[k:].lstrip())
            pos = self.src.at(line, brace_col + 1 + k + lead)
            if not m:
                self.diags.error(f"cannot read the {what} attribute '{body[k + lead:].split()[0]}': write "
                                 "#key, name=value or name=\"quoted value\"", pos)
                return None, positions
            if m.group("cls") is not None:
                self.diags.error(f"classes (.{m.group('cls')}) are not supported on a {what}", pos)
                ok = False
            else:
                key = "id" if m.group("id") is not None else m.group("key")
                value = m.group("id") if m.group("id") is not None else (
                    re.sub(r'\\(["\\])', r"\1", m.group("quoted")) if m.group("quoted") is not None
                    else m.group("bare"))
                if key not in allowed:
                    hint = difflib.get_close_matches(key, allowed, n=1)
                    suggestion = f" (did you mean '{hint[0]}'?)" if hint else f" (allowed: {', '.join(allowed)})"
                    self.diags.error(f"unknown {what} attribute '{key}'{suggestion}", pos)
                    ok = False
                elif key in values:
                    self.diags.error(f"'{key}' is given twice", pos)
                    ok = False
                else:
                    values[key] = value
                    positions[key] = pos
            k = m.end()
        return (values if ok else None), positions

    # ----------------------------------------------------------------- rows
    def _split(self, number: int, min_dashes: int, gfm: bool) -> _Line:
        text = self.lines[number - 1]
        indent = len(text) - len(text.lstrip())
        k = indent
        if text[k:k + 1] == "|":
            k += 1
        elif not gfm:
            raise AssertionError("rows start with '|'")
        starts = [k]
        ends: list[int] = []
        while k < len(text):
            ch = text[k]
            if ch == "\\" and k + 1 < len(text):
                k += 2
                continue
            if ch == "|":
                ends.append(k)
                starts.append(k + 1)
            k += 1
        ends.append(len(text))
        if not text[starts[-1]:].strip() and len(starts) > 1:
            starts.pop()
            ends.pop()
        slots = []
        for s, e in zip(starts, ends):
            raw = text[s:e]
            lead = len(raw) - len(raw.lstrip())
            slots.append(_Slot(raw.strip(), self.src.at(number, s + lead + 1 if raw.strip() else s + 1)))
        cell = re.compile(r":?-{%d,}:?" % min_dashes)
        delimiter = bool(slots) and all(cell.fullmatch(s.raw) for s in slots)
        return _Line(number, self.src.at(number, indent + 1), slots, delimiter)

    def _table(self, line_indices: list[int], attrs: _Attributes, table_pos: Position,
               path: tuple[str, ...], title: str | None, min_dashes: int, gfm: bool = False) -> Table | None:
        rows: list[_Line] = []
        note_lines: list[int] = []
        ok = True
        for index in line_indices:
            number = index + 1
            text = self.lines[index]
            stripped = text.strip()
            col = len(text) - len(text.lstrip()) + 1
            if not stripped:
                continue
            if not gfm and (stripped.startswith(NOTE_STARTS) or note_lines and not stripped.startswith("|")):
                # Every line from the first '注：' on is a note of its own ("注：1. …", "2. …").
                note_lines.append(number)
                continue
            if not gfm and not stripped.startswith("|"):
                self.diags.error("a line in a table is a row ('| … |') or, after the rows, a note ('注：…')",
                                 self.src.at(number, col))
                ok = False
                continue
            if note_lines:
                self.diags.error("a table row after the notes: notes ('注：…') come after the last row",
                                 self.src.at(number, col))
                ok = False
                continue
            rows.append(self._split(number, min_dashes, gfm))
        table_id = attrs.values.get("id", "")
        if not rows:
            self.diags.error(f"table '{table_id}' has no rows", table_pos)
            return None
        width = len(rows[0].slots)
        for row in rows[1:]:
            if len(row.slots) != width:
                self.diags.error(f"this row has {len(row.slots)} cells, the table's first row (line {rows[0].number})"
                                 f" has {width}: every row needs the same number of cells (write '<' or '^' for "
                                 "a slot covered by a merged cell)", row.pos)
                ok = False
        delimiters = [k for k, row in enumerate(rows) if row.delimiter]
        if not delimiters:
            self.diags.error(f"table '{table_id}' has no delimiter row: put a row of '|---|' cells (at least "
                             f"{min_dashes} '-' each) under the header rows", rows[0].pos)
            return None
        if delimiters[0] == 0:
            self.diags.error("the delimiter row comes first: header rows go above it", rows[0].pos)
            ok = False
        for a, b in zip(delimiters, delimiters[1:]):
            if b == a + 1:
                self.diags.error("two delimiter rows in a row: a delimiter row follows header rows", rows[b].pos)
                ok = False
        if delimiters[-1] == len(rows) - 1:
            self.diags.error("the table ends with a delimiter row: body rows go below it", rows[-1].pos)
            ok = False
        labels = int(attrs.values.get("labels", "1"))
        if labels >= width:
            self.diags.error(f"labels={labels} leaves no data column in a table of {width} columns",
                             attrs.positions.get("labels", table_pos))
            ok = False
        widths = self._widths(attrs, width)
        if not ok or (widths is None and "widths" in attrs.values):
            return None
        return _GridBuilder(self, rows, delimiters, labels, attrs, table_pos, path, title, widths,
                            note_lines).build()

    def _widths(self, attrs: _Attributes, columns: int) -> tuple[Decimal, ...] | None:
        raw = attrs.values.get("widths")
        if raw is None:
            return None
        parts = [p.strip() for p in raw.split(",")]
        try:
            values = tuple(Decimal(p) for p in parts)
        except InvalidOperation:
            values = ()
        if not values or any(not v.is_finite() or v <= 0 for v in values):
            self.diags.error(f"widths must be positive numbers separated by commas, such as \"3,1,1\", "
                             f"not \"{raw}\"", attrs.positions["widths"])
            return None
        if len(values) != columns:
            self.diags.error(f"widths gives {len(values)} columns, the table has {columns}", attrs.positions["widths"])
            return None
        return values

    # ----------------------------------------------------------------- text
    def text_runs(self, raw: str, pos: Position) -> tuple[Inline, ...]:
        """Cell text as Text runs: '\\X' prints X; a run never spans an escape, so columns map one to one."""
        runs: list[Inline] = []
        current = ""
        current_col = pos.column
        k = 0
        while k < len(raw):
            ch = raw[k]
            if ch == "\\" and k + 1 < len(raw) and raw[k + 1].isascii() and not raw[k + 1].isalnum() \
                    and not raw[k + 1].isspace():
                if current:
                    runs.append(Text(current, dataclasses.replace(pos, column=current_col)))
                runs.append(Text(raw[k + 1], dataclasses.replace(pos, column=pos.column + k)))
                current = ""
                current_col = pos.column + k + 2
                k += 2
                continue
            current += ch
            k += 1
        if current:
            runs.append(Text(current, dataclasses.replace(pos, column=current_col)))
        return tuple(runs)

    def note_inlines(self, number: int, path: tuple[str, ...]) -> tuple[Inline, ...]:
        """A note line is running text: it may hold figure spans, as a paragraph does."""
        text = self.lines[number - 1].strip()
        token = self.md.parseInline(text)[0]
        token.map = [number - 1, number]
        inlines = tuple(self.inline.read(token, heading_path=path))
        if inlines:
            attach_sentences(Paragraph(inlines, inlines[0].pos), self.inline.indicators)
        return inlines


class _GridBuilder:
    """One table's grid: merges, kinds, keys, units and the figures of its data cells."""

    def __init__(self, reader: TableReader, rows: list[_Line], delimiters: list[int], labels: int,
                 attrs: _Attributes, table_pos: Position, path: tuple[str, ...], title: str | None,
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
        self._parts(rows, delimiters)

    # ----------------------------------------------------------------- parts and bands
    def _parts(self, rows: list[_Line], delimiters: list[int]) -> None:
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

    def _mark_band(self, kinds: list[str], after_delimiter: list[int | None], delimiter: _Line) -> None:
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

    def _keyed_text(self, slot: _Slot, allow_unit: bool) -> tuple[str, str | None, str | None]:
        raw = slot.raw
        if _SPAN.search(raw):
            self.diags.error("figure spans […]{…} are not allowed in a table: every number in a data cell is a "
                             "figure already, named from its row and column", slot.pos)
            return raw, None, None
        m = _TRAILING_ATTRIBUTES.search(raw)
        key = unit = None
        text = raw
        if m and not _escaped(raw, m.start()):
            values, positions = self.reader._parse_attributes(
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
        for k, ch in enumerate(text):
            if ch in "{}" and not _escaped(text, k):
                self.diags.error(f"stray '{ch}' in a cell: a key goes at the end as {{#key}}; escape it as "
                                 f"'\\{ch}' to print it", dataclasses.replace(slot.pos, column=slot.pos.column + k))
                break
        return text, key, unit

    def _data_kind(self, slot: _Slot) -> CellKind:
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

    def _figure(self, slot: _Slot, figure_id: str, row_key: str, column_key: str, row_labels: tuple[str, ...],
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
