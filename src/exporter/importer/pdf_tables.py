"""A PDF's ruled tables (importer.pdf): pdfplumber's cells → a grid of Cells with their merges, a
landscape table read turned upright, and a table that goes on over the next page joined into one
(its repeated head rows dropped and listed)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .pdf_lines import group_lines, inside, is_heading_font, quarter_turn, row_text, turned_box, turned_char
from .rejoin import _joiner
from .tables import NUMBER, Cell

# A column's unit printed in its header ("本年收费金额（单位：万元）") is the unit of its figures.
HEADER_UNIT = re.compile(r"[（(]单位[:：]\s*([^（）()]+)[）)]")


@dataclass
class PdfTable:
    page: int
    top: float
    bottom: float
    columns: list[float]        # x of the column edges
    grid: list[list[Cell]]
    anchors: list[Cell]
    repeated: int = 0
    pages: list[int] = field(default_factory=list)
    bbox: tuple[float, float, float, float] = (0, 0, 0, 0)   # on the page, as printed
    dropped: list[tuple[int, str, str]] = field(default_factory=list)  # (page, text, why) printed again
    turned: bool = False


def tables_of_page(page, number: int) -> list[PdfTable]:
    found = []
    for table in page.find_tables():
        cells = [c for c in table.cells if c is not None]
        chars = [ch for ch in page.chars if inside(ch, table.bbox)]
        turn = quarter_turn(chars)
        if turn:
            # A landscape table on a portrait page (GB/T 9704 clause 8): read it turned upright.
            height, width = page.height, page.width
            cells = [turned_box(c, turn, width, height) for c in cells]
            chars = [turned_char(ch, turn, width, height) for ch in chars]
        xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
        ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
        if len(xs) < 3 or len(ys) < 3:
            continue
        grid: list[list[Cell | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
        anchors = []
        for box in sorted(cells, key=lambda c: (round(c[1]), c[0])):
            x0, top, x1, bottom = box
            c0, c1, r0, r1 = _index(xs, x0), _index(xs, x1), _index(ys, top), _index(ys, bottom)
            if c1 <= c0 or r1 <= r0 or grid[r0][c0] is not None:
                continue
            text, head = _cell_text([ch for ch in chars if inside(ch, box)])
            cell = Cell(text, r0, c0, c1 - c0, head, rows=r1 - r0)
            printed_unit = HEADER_UNIT.search(text)
            if printed_unit and head:
                cell.unit = printed_unit.group(1).strip()
            anchors.append(cell)
            for r in range(r0, r1):
                for c in range(c0, c1):
                    grid[r][c] = cell
        if any(slot is None for row in grid for slot in row):
            continue  # not a grid of rectangles: leave its text to the lines
        found.append(PdfTable(number, ys[0], ys[-1], xs, grid, anchors,  # type: ignore[arg-type]
                              pages=[number], bbox=tuple(table.bbox), turned=bool(turn)))
    return found


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > 2:
            out.append(value)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _cell_text(chars: list[dict]) -> tuple[str, bool]:
    """A cell's lines joined (a label wrapped over several lines is one text), and whether all of
    it is in the header font."""
    text = ""
    fonts: list[str] = []
    for row in group_lines(chars):
        line, line_fonts = row_text(row)
        text = text + _joiner(text, line) + line if text else line
        fonts.extend(line_fonts)
    return text.strip(), bool(fonts) and all(is_heading_font(f) for f in fonts)


def _continues(previous: PdfTable, table: PdfTable) -> bool:
    if len(previous.columns) != len(table.columns):
        return False
    return all(abs(a - b) < 3 for a, b in zip(previous.columns, table.columns))


def _merge(previous: PdfTable, table: PdfTable) -> None:
    """Append a continuation part: drop its repeated head rows, and join a label cell merged over
    the page break (printed again, or left empty, at the top of the new page) to the one above."""
    repeated = 0
    while (repeated < min(len(previous.grid), len(table.grid) - 1)
           and [c.text for c in _unique(previous.grid[repeated])] == [c.text for c in _unique(table.grid[repeated])]
           and _spans(previous.grid[repeated]) == _spans(table.grid[repeated])):
        repeated += 1
    for row in table.grid[:repeated]:
        previous.dropped.append((table.page, " | ".join(c.text for c in _unique(row)), "table head repeated"))
    rows = table.grid[repeated:]
    offset = len(previous.grid) - repeated
    first = rows[0] if rows else []
    last = previous.grid[-1]
    data_from = next((c for c, cell in enumerate(first) if NUMBER.match(cell.text)), len(first))
    joined: dict[int, Cell] = {}
    for c, cell in enumerate(first[:data_from]):
        above = last[c]
        if (cell.row == repeated and cell.column == c and above.column == c and above.span == cell.span
                and (cell.text == "" or (cell.text == above.text and (above.rows > 1 or cell.rows > 1)))):
            joined[id(cell)] = above
    for cell in table.anchors:
        if cell.row < repeated:
            continue
        target = joined.get(id(cell))
        if target is not None:
            target.rows += cell.rows
            if cell.text:
                previous.dropped.append((table.page, cell.text, "table label printed again after a page break"))
            continue
        cell.row += offset
        previous.anchors.append(cell)
    for row in rows:
        previous.grid.append([joined.get(id(cell), cell) for cell in row])
    previous.repeated = previous.repeated or repeated
    previous.bottom = table.bottom
    previous.pages.append(table.page)


def head_rows(grid: list[list[Cell]]) -> int:
    """The rows at the top printed wholly in the header font (黑体 or bold), when there are such rows
    and body rows under them; 0 lets the rows above the first number be the head."""
    count = 0
    while count < len(grid) and all(cell.head_style for cell in grid[count]):
        count += 1
    return count if count < len(grid) else 0


def _unique(row: list[Cell]) -> list[Cell]:
    seen: list[Cell] = []
    for cell in row:
        if not any(cell is s for s in seen):
            seen.append(cell)
    return seen


def _spans(row: list[Cell]) -> list[int]:
    return [cell.span for cell in _unique(row)]


def join_tables(flow: list, furniture: dict[int, str]) -> list:
    """A table that opens a page, right after a table that closed the page before (only page
    furniture between them), with the same column edges, is the same table."""
    out: list = []
    for item in flow:
        before = next((x for x in reversed(out) if id(x) not in furniture), None)
        if (isinstance(item, PdfTable) and isinstance(before, PdfTable) and before.pages[-1] == item.page - 1
                and _continues(before, item)):
            _merge(before, item)
            continue
        out.append(item)
    return out
