"""Word tables (`w:tbl`) read as source tables: the ```table block of docs/source-format.md.

Merges come from `w:gridSpan` (`<` slots) and `w:vMerge` (`^` slots). The head is the rows Word
repeats on each page (`w:tblHeader`), or else the rows above the first one holding a number. The
label columns are those left of the first data slot of every body row. Header bands are body rows
printed wholly in the exporter's header style. The table id and the row and column keys come back
from the hidden bookmarks the exporter's Word writer puts on a table's first cell (`_T<n>_<id>`)
and on keyed header and label cells (`_K<n>_<key>`, and `_U<n>_<unit>` for a column's unit), so a report written by this tool imports with
the same figure ids; a table without them gets `todo_…` placeholders and a warning to review.
A caption ("表1　…") and a unit line ("单位：件") right above the table and 注 lines right under it
become the table's attributes and notes.

A table is imported as a table only when a data slot holds a number: a one-column 版记 or a layout
table stays text, read paragraph by paragraph as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The placeholder line a table stands on while the lines around it are cleaned and structured.
SENTINEL = "\ue000表格{n}\ue000"
SENTINEL_MARK = "\ue000"
HEAD_STYLE = "TableHead"

CAPTION = re.compile(r"^表\s*(\d+)[\s\u3000]*(.+)$")
UNIT_LINE = re.compile(r"^单位[:：]\s*(.+)$")
NOTE = re.compile(r"^注[:：]")
# A figure starts with a number; "1.属于国家秘密" and "2、…" are numbered labels, not figures.
NUMBER = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?(?![.．、\d])")
_HIDDEN_MARK = re.compile(r"^_([TK])\d+_([a-z][a-z0-9_]*)$")
_UNIT_MARK = re.compile(r"^_U\d+_(\w+)$")


@dataclass
class ImportedTable:
    id: str
    rows: list[list[str]]               # slot texts as the source writes them: text {#key}, "<", "^"
    header_rows: int
    labels: int
    band_rows: set[int] = field(default_factory=set)
    caption: str | None = None
    unit: str | None = None
    notes: list[str] = field(default_factory=list)
    generated_keys: bool = False


@dataclass(eq=False)
class Cell:
    text: str
    row: int
    column: int
    span: int
    head_style: bool
    key: str | None = None
    unit: str | None = None
    table_id: str | None = None
    rows: int = 1


def cell_text(tc) -> tuple[str, list[str]]:
    """The cell's visible text (paragraphs joined) and the names of the bookmarks in it."""
    texts, marks = [], []
    for p in tc.iter(W + "p"):
        texts.append("".join(t.text or "" for t in p.iter(W + "t")))
    for start in tc.iter(W + "bookmarkStart"):
        marks.append(start.get(W + "name") or "")
    return "".join(texts).strip(), marks


def _style(tc) -> str | None:
    style = tc.find(f"{W}p/{W}pPr/{W}pStyle")
    return style.get(W + "val") if style is not None else None


def read_table(tbl, ordinal: int) -> ImportedTable | None:
    """The table as a source table, or None when it holds no figures (then it stays text)."""
    grid: list[list[Cell]] = []
    anchors: list[Cell] = []
    repeated = 0
    for r, tr in enumerate(tbl.findall(W + "tr")):
        if tr.find(f"{W}trPr/{W}tblHeader") is not None and repeated == r:
            repeated += 1
        row: list[Cell] = []
        for tc in tr.findall(W + "tc"):
            span_el = tc.find(f"{W}tcPr/{W}gridSpan")
            span = int(span_el.get(W + "val", "1")) if span_el is not None else 1
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            column = len(row)
            if merge is not None and merge.get(W + "val") in (None, "continue") and r and column < len(grid[r - 1]):
                above = grid[r - 1][column]
                above.rows += 1
                row.extend([above] * span)
                continue
            text, marks = cell_text(tc)
            cell = Cell(text, r, column, span, _style(tc) == HEAD_STYLE)
            for name in marks:
                found = _HIDDEN_MARK.match(name)
                unit_mark = _UNIT_MARK.match(name)
                if unit_mark:
                    cell.unit = unit_mark.group(1)
                if found and found.group(1) == "K":
                    cell.key = found.group(2)
                elif found and found.group(1) == "T":
                    cell.table_id = found.group(2)
            anchors.append(cell)
            row.extend([cell] * span)
        grid.append(row)
    return table_from_grid(grid, anchors, repeated, ordinal)


def table_from_grid(grid: list[list[Cell]], anchors: list[Cell], repeated: int, ordinal: int) -> ImportedTable | None:
    """The source table of a grid of slots (each slot points at its anchor cell), or None when no
    data slot holds a number. `repeated` is the number of head rows the input marks as repeated on
    each page (0 when it does not say). Shared by the .docx and the PDF readers."""
    width = max((len(row) for row in grid), default=0)
    if width < 2 or any(len(row) != width for row in grid):
        return None
    head = repeated or next((r for r, row in enumerate(grid) if any(_is_number(c.text) for c in row)), 1)
    body = range(head, len(grid))
    firsts = []
    for r in body:
        for c, cell in enumerate(grid[r]):
            if cell.row == r and (cell.text == "" or _is_number(cell.text)):
                firsts.append(c)
                break
    if not any(_is_number(c.text) for r in body for c in grid[r] if c.row == r):
        return None
    labels = min(firsts) if firsts else 1
    bands = {r for r in body if all(c.head_style for c in grid[r]) and grid[r]}
    table_id = next((c.table_id for c in anchors if c.table_id), None)
    generated = table_id is None or not any(c.key for c in anchors)
    if generated:
        _placeholder_keys(grid, head, labels, bands)
    rows = []
    for r, row in enumerate(grid):
        slots = []
        for c, cell in enumerate(row):
            if cell.row != r:
                slots.append("^")
            elif cell.column != c:
                slots.append("<")
            else:
                unit = f' unit="{_attr(cell.unit)}"' if cell.unit else ""
                slots.append(cell.text + (f" {{#{cell.key}{unit}}}" if cell.key else ""))
        rows.append(slots)
    return ImportedTable(table_id or f"table_{ordinal}", rows, head, labels, bands, generated_keys=generated)


def _placeholder_keys(grid, head: int, labels: int, bands: set[int]) -> None:
    """Row keys on the last label column, column keys on the last head (or band) row: enough for
    every figure to get an id, named so nobody takes them for final (`todo_r5`, `todo_c3`)."""
    for r in range(head, len(grid)):
        if r in bands or not labels:
            continue
        cell = grid[r][labels - 1]
        if cell.key is None and cell.row == r:
            cell.key = f"todo_r{r + 1}"
    key_rows = [head - 1] + sorted(bands)
    for r in key_rows:
        if r < 0:
            continue
        for c in range(labels, len(grid[r])):
            cell = grid[r][c]
            if cell.key is None and cell.column == c:
                cell.key = f"todo_c{c + 1}"


def _is_number(text: str) -> bool:
    return bool(NUMBER.match(text))


def render_table(table: ImportedTable) -> str:
    attrs = [f"#{table.id}"]
    if table.caption:
        attrs.append(f'caption="{_attr(table.caption)}"')
    if table.unit:
        attrs.append(f'unit="{_attr(table.unit)}"')
    attrs.append(f"labels={table.labels}")
    lines = ["```table {" + " ".join(attrs) + "}"]
    delimiter = "|" + "---|" * len(table.rows[0])
    band_ends = {r for r in table.band_rows if r + 1 not in table.band_rows}
    for r, row in enumerate(table.rows):
        lines.append("| " + " | ".join(_slot(slot) for slot in row) + " |")
        if r == table.header_rows - 1 or r in band_ends:
            lines.append(delimiter)
    lines.extend(table.notes)
    lines.append("```")
    return "\n".join(lines)


def _slot(text: str) -> str:
    return text.replace("|", "｜")


def _attr(text: str) -> str:
    return text.replace('"', "”")


def take_label_line(pattern: re.Pattern[str], text: str, table: ImportedTable) -> bool:
    """Whether `text` is the unit line ("单位：件", `UNIT_LINE`) or the caption ("表3　…",
    `CAPTION`) `pattern` asks for; if so it becomes the table's attribute. Callers try
    UNIT_LINE on the line right above a table, then CAPTION on the one above that."""
    found = pattern.match(text.strip())
    if not found:
        return False
    if pattern is UNIT_LINE:
        table.unit = found.group(1).strip()
    else:
        table.caption = found.group(2).strip()
    return True

