"""Table references in checks: `table:row:column` (`table:column` without label columns), a
range `first..last` of keys (summed), and `*` in a key (one evaluation per key it matches),
resolved against a table's data cells by key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WILDCARD = "*"


@dataclass
class TableCells:
    """A table's data cells by key, for checks: each (row key, column key) with the id of its
    figure, or None for a blank or 不适用 cell (it exists, and counts as 0 in a sum)."""

    id: str
    row_keys: list[str] = field(default_factory=list)
    column_keys: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], str | None] = field(default_factory=dict)

    @property
    def has_row_keys(self) -> bool:
        return self.row_keys != [""]


@dataclass(frozen=True)
class CellReference:
    """`t3:granted..other.other:*` read: a table, and first/last patterns for rows and columns."""

    table: str
    rows: tuple[str, str]
    columns: tuple[str, str]
    row_part_given: bool

    def with_value(self, value: str) -> "CellReference":
        def fill(pair: tuple[str, str]) -> tuple[str, str]:
            return (_fill(pair[0], value), _fill(pair[1], value))
        return CellReference(self.table, fill(self.rows), fill(self.columns), self.row_part_given)

    @property
    def has_wildcard(self) -> bool:
        return any(WILDCARD in _segments(p) for p in (*self.rows, *self.columns))


def _segments(pattern: str) -> list[str]:
    return pattern.split(".") if pattern else []


def _fill(pattern: str, value: str) -> str:
    return ".".join(value if seg == WILDCARD else seg for seg in _segments(pattern))


def cell_reference(name: str) -> CellReference | None:
    """The table reference `name` stands for, or None for a plain indicator id."""
    parts = name.split(":")
    if len(parts) == 1:
        return None
    table, *specs = parts
    row_spec, column_spec = (specs[0], specs[1]) if len(specs) == 2 else ("", specs[0])

    def pair(spec: str) -> tuple[str, str]:
        first, _, last = spec.partition("..")
        return (first, last or first)
    return CellReference(table, pair(row_spec), pair(column_spec), len(specs) == 2)


def _pattern(pattern: str) -> re.Pattern[str]:
    parts, seen = [], False
    for seg in _segments(pattern):
        if seg == WILDCARD:
            parts.append("(?P=w)" if seen else r"(?P<w>[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)")
            seen = True
        else:
            parts.append(re.escape(seg))
    return re.compile(r"\.".join(parts))


def wildcard_values(ref: CellReference, table: TableCells) -> list[str]:
    """The keys `*` can stand for in `ref`, in table order (rows first, then columns)."""
    found: list[str] = []
    for patterns, keys in ((ref.rows, table.row_keys), (ref.columns, table.column_keys)):
        for pattern in dict.fromkeys(patterns):
            if WILDCARD not in _segments(pattern):
                continue
            regex = _pattern(pattern)
            for key in keys:
                m = regex.fullmatch(key)
                if m and m.group("w") not in found:
                    found.append(m.group("w"))
    return found


def _span(first: str, last: str, keys: list[str]) -> list[str] | str:
    """The keys from `first` through `last` in table order, or why there are none."""
    for key in (first, last):
        if key not in keys:
            return f"no key '{key}'"
    i, j = keys.index(first), keys.index(last)
    if i > j:
        return f"the range '{first}..{last}' runs backwards ('{last}' comes before '{first}')"
    return keys[i:j + 1]


def resolve_cells(ref: CellReference, table: TableCells) -> list[tuple[str, str]] | str:
    """The (row, column) cells `ref` names, or why it names none. A wildcard must be filled first."""
    if ref.row_part_given != table.has_row_keys:
        return (f"'{table.id}' has row keys: write {table.id}:row:column" if table.has_row_keys else
                f"'{table.id}' has no label columns: write {table.id}:column")
    rows = _span(*ref.rows, table.row_keys) if ref.row_part_given else [""]
    if isinstance(rows, str):
        return f"{rows} among the rows of {table.id}"
    columns = _span(*ref.columns, table.column_keys)
    if isinstance(columns, str):
        return f"{columns} among the columns of {table.id}"
    cells = [(r, c) for r in rows for c in columns]
    missing = [(r, c) for r, c in cells if (r, c) not in table.cells]
    if missing:
        r, c = missing[0]
        return f"no cell {':'.join(p for p in (table.id, r, c) if p)}"
    return cells
