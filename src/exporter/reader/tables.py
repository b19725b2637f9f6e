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

Every problem is a located error; a table with errors in its grid is not built. This module reads
the syntax (attributes, rows, widths); table_grid.py builds the grid, its keys and its figures.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from decimal import Decimal, InvalidOperation

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..checks import TableCells
from ..model import Inline, Paragraph, Position, Table, Text
from .inline import ID_PATTERN, InlineReader
from .sentences import attach_sentences
from .table_grid import Attributes, GridBuilder, Line, Slot
from .text import SourceLines

TABLE_ATTRIBUTES = ("id", "caption", "unit", "labels", "widths", "orientation")
NOTE_STARTS = ("注：", "注:")
_ATTRIBUTE = re.compile(r'\s*(?:#(?P<id>[^\s}]*)|\.(?P<cls>[^\s}]*)|(?P<key>[A-Za-z_][A-Za-z0-9_-]*)\s*=\s*'
                        r'(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>[^\s"}]+)))')


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
                    braces_required: bool = False) -> Attributes | None:
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
        values, positions = self.parse_attributes(body, line, start + 1, TABLE_ATTRIBUTES, "table")
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
        return Attributes(values, positions) if ok else None

    def parse_attributes(self, body: str, line: int, brace_col: int, allowed: tuple[str, ...],
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
    def _split(self, number: int, min_dashes: int, gfm: bool) -> Line:
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
            slots.append(Slot(raw.strip(), self.src.at(number, s + lead + 1 if raw.strip() else s + 1)))
        cell = re.compile(r":?-{%d,}:?" % min_dashes)
        delimiter = bool(slots) and all(cell.fullmatch(s.raw) for s in slots)
        return Line(number, self.src.at(number, indent + 1), slots, delimiter)

    def _table(self, line_indices: list[int], attrs: Attributes, table_pos: Position,
               path: tuple[str, ...], title: str | None, min_dashes: int, gfm: bool = False) -> Table | None:
        rows: list[Line] = []
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
        return GridBuilder(self, rows, labels, attrs, table_pos, path, title, widths,
                           note_lines).build()

    def _widths(self, attrs: Attributes, columns: int) -> tuple[Decimal, ...] | None:
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


