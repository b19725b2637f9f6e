"""Tables in `pdftotext -layout` text: best-effort, as the issue asks. What aligns becomes a source
table; what does not is listed in the report with its lines, never mangled into paragraph text.

Layout text places each printed character on a grid of character cells, so a table prints as
lines whose numbers end in columns separated by runs of spaces. What that text cannot say is
which label fragment belongs to which row, nor how a header cell spans columns: a Chinese
character takes one grid cell but is twice as wide as a digit, so x positions drift by several
cells from line to line. So:

* a **data row** is a line ending in numbers: three or more, or one or more after a gap of two
  spaces (a paragraph line ending "行政诉讼 6" has one space, a page number stands alone);
* a **block** is a run of data rows with the lines between them, the header lines above (lines
  with a column gap, or set far in), and label lines below; a blank line ends it. A line with a
  column gap whose text stands over the numbers, after a data row, starts a new table (the
  national template's 表二 is four small tables one under the other);
* the number of columns is the most numbers a row of the table holds; a full row fills them in
  order, a shorter row puts each number in the column whose median position is nearest, and a
  row where two numbers fall in one column (or with more numbers than columns) could not be
  aligned: its lines go to the report's dropped list;
* label lines between two data rows belong to the row below when they start a numbered label
  ("2.其他法律行政", "三、"), else to the row above ("申请数量" under "一、本年新收…");
* header text stands over the column nearest to it, and a header line's text left of the
  numbers is the label head; a table that goes on after a page break (only blank lines and a
  page number between) with the same head is one table, its head printed again is dropped and
  listed.

The draft's keys are `todo_r…`/`todo_c…` placeholders (a warning says so), as for a ruled table
without keys; the labels of a table with merged label cells come out joined row by row, for the
author to review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from .furniture import page_furniture
from .lines import Removed
from .markers import find_marker
from .tables import CAPTION, NOTE, SENTINEL, UNIT_LINE, ImportedTable, take_label_line

NUMBER_TOKEN = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?%?")
GAP = re.compile(r"[ \u3000]{2,}")
TOKEN = re.compile(r"[^ \u3000]+")
LABEL_NUMBER = re.compile(r"^(?:\d{1,2}[.．、]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)])")
# Header lines above a table are set in from the margin or have a column gap; a body paragraph
# line starts within a few cells of the margin.
HEADER_INDENT = 8
MAX_BETWEEN_ROWS = 8        # label lines between two data rows (a label wrapped over many lines)
UNALIGNED = "table line that could not be aligned (layout text)"
REPEATED_HEAD = "table head repeated"


@dataclass
class _Token:
    start: int
    end: int
    text: str

    @property
    def centre(self) -> float:
        return (self.start + self.end - 1) / 2


@dataclass
class _Line:
    number: int
    text: str
    tokens: list[_Token]
    numbers: list[_Token]       # the trailing numbers of a data row ([] otherwise)

    @property
    def label_tokens(self) -> list[_Token]:
        return self.tokens[: len(self.tokens) - len(self.numbers)]

    @property
    def label(self) -> str:
        return "".join(t.text for t in self.label_tokens)


@dataclass
class _Group:
    head: list[_Line] = field(default_factory=list)
    body: list[_Line] = field(default_factory=list)     # data rows and the label lines among them
    tail: list[_Line] = field(default_factory=list)     # label lines after the last data row


@dataclass
class LayoutTables:
    physical: list[tuple[int, str]]         # the input with each table on one sentinel line
    tables: dict[int, ImportedTable]        # sentinel line number → table
    removed: list[Removed]
    warnings: list[str]
    continued: dict[int, list[int]] = field(default_factory=dict)  # sentinel → first lines of later parts


def _scan(number: int, text: str) -> _Line:
    text = text.replace("\t", "    ").replace("\f", " ")  # a form feed opens a page; it holds no place
    tokens = [_Token(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    k = len(tokens)
    while k > 0 and NUMBER_TOKEN.fullmatch(tokens[k - 1].text):
        k -= 1
    count = len(tokens) - k
    numbers: list[_Token] = []
    if count:
        gap = tokens[k].start - tokens[k - 1].end if k else tokens[0].start
        if count >= 3 or (k and gap >= 2) or (not k and count >= 2):
            numbers = tokens[k:]
    return _Line(number, text, tokens, numbers)


def _is_data(line: _Line) -> bool:
    return bool(line.numbers)


def _headerish(line: _Line) -> bool:
    """A line that can be part of a table's head: set in, or with a column gap; not a heading or
    a sentence."""
    stripped = line.text.strip()
    if not stripped or page_furniture(stripped) or UNIT_LINE.match(stripped) or CAPTION.match(stripped):
        return False
    if stripped.endswith("。") or NOTE.match(stripped):
        return False
    gap = bool(GAP.search(stripped))
    if not gap and find_marker(stripped, ("cn_comma", "cn_paren")) is not None:
        return False
    indent = len(line.text) - len(line.text.lstrip(" \u3000"))
    return gap or indent >= HEADER_INDENT


def find_layout_tables(physical: list[tuple[int, str]]) -> LayoutTables:
    lines = [_scan(n, text) for n, text in physical]
    data_indices = [i for i, line in enumerate(lines) if _is_data(line)]
    if not data_indices:
        return LayoutTables(physical, {}, [], [])
    blocks: list[tuple[int, int]] = []      # [first, last] line indices
    taken = -1
    for i in data_indices:
        if i <= taken:
            continue
        last = i
        j = i + 1
        while j < len(lines):
            between = 0
            k = j
            while k < len(lines) and not _is_data(lines[k]) and lines[k].text.strip() and between < MAX_BETWEEN_ROWS:
                if NOTE.match(lines[k].text.strip()):
                    break
                between += 1
                k += 1
            if k < len(lines) and _is_data(lines[k]):
                last = k
                j = k + 1
                continue
            break
        first = i
        candidate = i
        if (not lines[i].label and i - 1 > taken and _label_line(lines[i - 1]) and i + 1 < len(lines)
                and _label_tail(lines[i + 1], lines[i])):
            # A row whose label is printed on the lines around its numbers ("一、本年新收政府信息公开"
            # over "168 …" over "申请数量"): the line above is its label's first line (a heading
            # over a table has no label piece under the numbers).
            first = candidate = i - 1
        while candidate - 1 > taken and (_headerish(lines[candidate - 1]) or _label_line(lines[candidate - 1])):
            candidate -= 1
            if _headerish(lines[candidate]):
                first = candidate   # a block starts at a head line, not at a loose short line
        single = last == i
        if single and first == i:
            continue        # one line of numbers with no head: not evidence of a table
        # label lines right under the last row ("申请数量"): short, set in, no sentence.
        end = last
        while (end + 1 < len(lines) and lines[end + 1].text.strip() and not _is_data(lines[end + 1])
               and _label_tail(lines[end + 1], lines[last])):
            end += 1
        blocks.append((first, end))
        taken = end
    return _build(physical, lines, blocks)


def _label_line(line: _Line) -> bool:
    stripped = line.text.strip()
    return (bool(stripped) and len(stripped) <= 24 and not stripped.endswith("。") and not page_furniture(stripped)
            and not UNIT_LINE.match(stripped) and not NOTE.match(stripped))


def _label_tail(line: _Line, row: _Line) -> bool:
    stripped = line.text.strip()
    if NOTE.match(stripped) or stripped.endswith("。") or page_furniture(stripped) or GAP.search(stripped):
        return False
    return bool(row.numbers) and line.tokens[-1].end <= row.numbers[0].start and len(stripped) <= 16


def _build(physical: list[tuple[int, str]], lines: list[_Line], blocks: list[tuple[int, int]]) -> LayoutTables:
    out: list[tuple[int, str]] = []
    tables: dict[int, ImportedTable] = {}
    removed: list[Removed] = []
    warnings: list[str] = []
    continued: dict[int, list[int]] = {}
    index = 0
    previous: tuple[int, ImportedTable, list[str]] | None = None     # (sentinel line, table, head texts)
    between: list[tuple[int, str]] = []
    for first, last in blocks:
        between = list(physical[index:first])
        for group in _groups(lines[first:last + 1]):
            table, head, dropped = _table(group, len(tables) + 1)
            head_texts = ["".join(t.text for t in line.tokens) for line in head]
            removed.extend(dropped)
            if table is None:
                removed.extend(Removed((line.number,), line.text.strip(), UNALIGNED)
                               for line in group.head + group.body + group.tail if line.text.strip())
                warnings.append(f"line {group.body[0].number}: numbers laid out in columns that could not be "
                                "aligned into a table; their lines are in the dropped list")
                continue
            if (previous is not None and not _out_after(out, previous[0]) and _only_page_break(between)
                    and previous[2] == head_texts and len(previous[1].rows[0]) == len(table.rows[0])):
                # The table goes on after a page break with its head printed again.
                for line in head:
                    removed.append(Removed((line.number,), line.text.strip(), REPEATED_HEAD))
                for number, text in between:
                    if text.strip():
                        removed.append(Removed((number,), text.strip(), "page number"))
                previous[1].rows.extend(table.rows[table.header_rows:])
                continued.setdefault(previous[0], []).append((group.head or group.body)[0].number)
                between = []
                continue
            out.extend(between)
            between = []
            _take_unit_and_caption(out, table)
            number = (group.head or group.body)[0].number   # the block's first line, head or label
            out.append((number, SENTINEL.format(n=len(tables) + 1)))
            tables[number] = table
            previous = (number, table, head_texts)
        out.extend(between)
        between = []
        index = last + 1
    out.extend(physical[index:])
    _take_notes(out, tables)
    for number, table in tables.items():
        _renumber_keys(table)
    return LayoutTables(out, tables, removed, warnings, continued)


def _out_after(out: list[tuple[int, str]], sentinel: int) -> bool:
    """Whether anything but blank lines follows the sentinel line in `out`."""
    for number, text in reversed(out):
        if number == sentinel:
            return False
        if text.strip():
            return True
    return True


def _only_page_break(lines: list[tuple[int, str]]) -> bool:
    texts = [text.replace("\f", "").strip() for _n, text in lines]
    return bool(lines) and all(not t or page_furniture(t) for t in texts) and sum(1 for t in texts if t) <= 1


def _groups(block: list[_Line]) -> list[_Group]:
    groups: list[_Group] = [_Group()]
    pending: list[_Line] = []
    for line in block:
        group = groups[-1]
        if _is_data(line):
            if not group.body:
                group.head.extend(pending)
            else:
                group.body.extend(pending)
            pending = []
            group.body.append(line)
            continue
        if group.body and _stands_over_numbers(line, group):
            groups.append(_Group(head=pending))
            pending = []
        pending.append(line)
    groups[-1].tail.extend(pending) if groups[-1].body else groups[-1].head.extend(pending)
    return [g for g in groups if g.body]


def _stands_over_numbers(line: _Line, group: _Group) -> bool:
    """A head line of a new table: a column gap, and text starting where the numbers are."""
    if not GAP.search(line.text.strip()):
        return False
    left = median(row.numbers[0].start for row in group.body if row.numbers)
    return any(t.end > left for t in line.tokens[1:])


def _table(group: _Group, ordinal: int) -> tuple[ImportedTable | None, list[_Line], list[Removed]]:
    rows = [line for line in group.body if line.numbers]
    width = max(len(row.numbers) for row in rows)
    full = [row for row in rows if len(row.numbers) == width]
    ends = [median(row.numbers[k].end for row in full) for k in range(width)]
    starts = [median(row.numbers[k].start for row in full) for k in range(width)]
    centres = [(s + e - 1) / 2 for s, e in zip(starts, ends)]
    # A number of a short row is in a column when it ends near where that column's numbers end:
    # well within half the way to the next column (the numbers of a full row are taken in order).
    spacing = min((b - a for a, b in zip(ends, ends[1:])), default=8)
    reach = max(2.0, 0.4 * spacing)
    dropped: list[Removed] = []
    placed: list[tuple[_Line, list[str]]] = []
    for row in rows:
        cells = [""] * width
        if len(row.numbers) == width:
            cells = [t.text for t in row.numbers]
        else:
            slots = [min(range(width), key=lambda k: abs(ends[k] - t.end)) for t in row.numbers]
            if (len(set(slots)) != len(slots) or slots != sorted(slots)
                    or any(abs(ends[k] - t.end) >= reach for k, t in zip(slots, row.numbers))):
                dropped.append(Removed((row.number,), row.text.strip(), UNALIGNED))
                continue
            for slot, token in zip(slots, row.numbers):
                cells[slot] = token.text
        placed.append((row, cells))
    if not placed:
        return None, [], dropped
    left_edge = min(starts) - 1
    # Lines above the first row whose text all stands left of the numbers are its label's first
    # lines ("一、本年新收政府信息公开" over "168 …"), not head.
    head_end = len(group.head)
    while head_end and all(t.end <= left_edge for t in group.head[head_end - 1].tokens):
        head_end -= 1
    lead = group.head[head_end:]
    group = _Group(group.head[:head_end], lead + group.body, group.tail)
    labels_of = _row_labels(group, [row for row, _cells in placed])
    head_label: list[str] = []
    head_columns: list[list[str]] = [[] for _ in range(width)]
    for line in group.head:
        for token in line.tokens:
            # The label head is the text at the line's start, left of the numbers; a Chinese
            # character takes one cell of the layout grid for two digits' width, so a column's
            # head ("自然" over 168) may stand left of its numbers' cells and is still the column's.
            if token is line.tokens[0] and token.end <= left_edge and (
                    token.start < HEADER_INDENT or len(line.tokens) == 1 or line.tokens[1].start - token.end >= 2):
                head_label.append(token.text)
            else:
                k = min(range(width), key=lambda k: abs(centres[k] - token.centre))
                head_columns[k].append(token.text)
    has_labels = any(labels_of[id(row)] for row, _cells in placed)
    table_rows: list[list[str]] = []
    header = ([_cell_text("".join(head_label))] if has_labels else []) + [
        _keyed(_cell_text("".join(texts)), f"todo_c{k + 1}") for k, texts in enumerate(head_columns)]
    table_rows.append(header)
    for r, (row, cells) in enumerate(placed):
        label = [_keyed(_cell_text(labels_of[id(row)]), f"todo_r{r + 1}")] if has_labels else []
        table_rows.append(label + cells)
    table = ImportedTable(f"table_{ordinal}", table_rows, 1, 1 if has_labels else 0, generated_keys=True)
    return table, group.head, dropped


def _row_labels(group: _Group, rows: list[_Line]) -> dict[int, str]:
    """Each data row's label: its own label text, with the label lines around it (see the module)."""
    parts: dict[int, list[str]] = {id(row): [] for row in rows}
    pending: list[_Line] = []
    previous: _Line | None = None
    for line in group.body + group.tail:
        if line.numbers and id(line) in parts:
            if previous is None:
                parts[id(line)].extend(p.label for p in pending)
            else:
                split = next((i for i, p in enumerate(pending) if _starts_label(p)), len(pending))
                parts[id(previous)].extend(p.label for p in pending[:split])
                parts[id(line)].extend(p.label for p in pending[split:])
            parts[id(line)].append(line.label)
            pending = []
            previous = line
        elif line.numbers:
            continue        # an unaligned row (in the report): the label lines around it stay in labels
        else:
            pending.append(line)
    if previous is not None:
        parts[id(previous)].extend(p.label for p in pending)
    return {key: "".join(texts) for key, texts in parts.items()}


def _starts_label(line: _Line) -> bool:
    tokens = line.label_tokens
    return bool(tokens) and bool(LABEL_NUMBER.match(tokens[-1].text) or LABEL_NUMBER.match(tokens[0].text))


def _cell_text(text: str) -> str:
    return text.replace("|", "｜").strip()


def _keyed(text: str, key: str) -> str:
    return f"{text} {{#{key}}}" if text else f"{{#{key}}}"


def _renumber_keys(table: ImportedTable) -> None:
    """Placeholder row keys count the rows of the whole table (a table joined over pages)."""
    if not table.labels:
        return
    for r, row in enumerate(table.rows[table.header_rows:], start=1):
        row[0] = re.sub(r"\{#todo_r\d+\}$", f"{{#todo_r{r}}}", row[0])


def _take_unit_and_caption(out: list[tuple[int, str]], table: ImportedTable) -> None:
    """A unit line ("单位：件") and a caption ("表3　…") right above the table become its attributes."""
    for pattern in (UNIT_LINE, CAPTION):
        if out and take_label_line(pattern, out[-1][1], table):
            out.pop()


def _take_notes(out: list[tuple[int, str]], tables: dict[int, ImportedTable]) -> None:
    """注： lines right under a table are its notes."""
    keep: list[tuple[int, str]] = []
    table: ImportedTable | None = None
    for number, text in out:
        if number in tables and text.startswith("\ue000"):
            table = tables[number]
            keep.append((number, text))
            continue
        if table is not None and text.strip() and NOTE.match(text.strip()):
            table.notes.append(text.strip())
            continue
        if text.strip():
            table = None
        keep.append((number, text))
    out[:] = keep
