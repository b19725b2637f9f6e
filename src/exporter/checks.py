"""Consistency checks between a report's figures, evaluated without `eval`.

A declared check compares arithmetic expressions over indicator ids (`a + b + c` against
`total`, `part / whole * 100` against `rate`) by one comparison — =, <, ≤, ≥, > or between two
ends — within a tolerance. The grammar is numbers, ids, + - * / and parentheses; nothing else
can run. Automatic checks (each percentage within the range of its kind, unique ids) are added
for every report.

A figure is what it printed, not a number: "20余" is 20 or more, "3至5" anything from 3 to 5,
"约20" an unknown value near 20. Each side of a comparison is therefore the interval of values
its figures allow, and a check passes only when it holds for every value in them, fails only
when it holds for none, and is otherwise not evaluated (未核验), with the reason. Both sides
must be in the same base unit (万元 and 元 compare on 元; % and 项 never compare).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext
from enum import Enum
from typing import Mapping, Union, assert_never

from .model import CheckResult, CheckStatus, Indicator, PercentKind, Position, Qualifier


class ExpressionError(ValueError):
    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    name: str
    offset: int


@dataclass(frozen=True)
class BinOp:
    op: str
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Neg:
    operand: "Expr"


Expr = Union[Num, Ref, BinOp, Neg]

# A name is an indicator id, or a table reference `table:row:column` (`table:column` for a table
# without label columns) whose row or column may be a range `first..last` (summed) and whose
# key segments may be `*` (the check is evaluated once for every key `*` stands for).
_SEGMENT = r"(?:[A-Za-z0-9_]+|\*)"
_KEY = rf"{_SEGMENT}(?:\.{_SEGMENT})*"
_SPEC = rf"{_KEY}(?:\.\.{_KEY})?"
_TOKEN = re.compile(
    rf"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?::{_SPEC}){{0,2}})|(?P<op>[-+*/()]))")
WILDCARD = "*"


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match:
            bad = len(text[pos:]) - len(text[pos:].lstrip())
            raise ExpressionError(f"unexpected '{text[pos + bad]}' in expression", pos + bad)
        kind = match.lastgroup
        start = match.start(kind)
        tokens.append((kind, match.group(kind), start))
        pos = match.end()
    return tokens


class _Parser:
    """expr := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*; factor := num | id | '-' factor | '(' expr ')'"""

    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        tok = self.peek()
        if tok is None:
            raise ExpressionError("expression ends too early", len(self.text))
        self.i += 1
        return tok

    def parse(self) -> Expr:
        if not self.tokens:
            raise ExpressionError("empty expression", 0)
        node = self.expr()
        rest = self.peek()
        if rest is not None:
            raise ExpressionError(f"unexpected '{rest[1]}' in expression", rest[2])
        return node

    def expr(self) -> Expr:
        node = self.term()
        while (tok := self.peek()) is not None and tok[1] in "+-" and tok[0] == "op":
            self.take()
            node = BinOp(tok[1], node, self.term())
        return node

    def term(self) -> Expr:
        node = self.factor()
        while (tok := self.peek()) is not None and tok[1] in "*/" and tok[0] == "op":
            self.take()
            node = BinOp(tok[1], node, self.factor())
        return node

    def factor(self) -> Expr:
        kind, value, offset = self.take()
        if kind == "num":
            return Num(Decimal(value))
        if kind == "name":
            return Ref(value, offset)
        if value == "-":
            return Neg(self.factor())
        if value == "(":
            node = self.expr()
            close = self.take()
            if close[1] != ")":
                raise ExpressionError("missing ')'", close[2])
            return node
        raise ExpressionError(f"unexpected '{value}' in expression", offset)


def parse_expression(text: str) -> Expr:
    return _Parser(text).parse()


def references(node: Expr) -> list[Ref]:
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, BinOp):
        return references(node.left) + references(node.right)
    if isinstance(node, Neg):
        return references(node.operand)
    return []


def evaluate(node: Expr, values: Mapping[str, Decimal]) -> Decimal:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        return values[node.name]
    if isinstance(node, Neg):
        return -evaluate(node.operand, values)
    left, right = evaluate(node.left, values), evaluate(node.right, values)
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    return left / right


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



class Comparison(str, Enum):
    """How a check's left side must relate to its right side, named as the source writes it."""

    EQUALS = "equals"
    LESS_THAN = "less_than"
    AT_MOST = "at_most"
    AT_LEAST = "at_least"
    GREATER_THAN = "greater_than"
    BETWEEN = "between"  # right ≤ left ≤ upper

    @property
    def symbol(self) -> str:
        return {"equals": "=", "less_than": "<", "at_most": "≤", "at_least": "≥", "greater_than": ">",
                "between": "≤"}[self.value]


@dataclass(frozen=True)
class CheckDefinition:
    """A check as declared in the source: `left` must relate to `right` by `comparison`
    within `tolerance`; for `between`, `right` is the lower end and `upper` the upper end."""

    id: str
    description: str
    left: str
    right: str
    tolerance: Decimal
    pos: Position
    comparison: Comparison = Comparison.EQUALS
    upper: str | None = None

    @property
    def sides(self) -> tuple[str, ...]:
        """The expressions of the check: left, right, and the upper end of `between`."""
        return (self.left, self.right) if self.upper is None else (self.left, self.right, self.upper)

    def written(self, sides: tuple[str, ...] | None = None) -> str:
        """The check as one line, e.g. `a + b ≤ total` or `0 ≤ rate ≤ 100`."""
        left, right, *rest = sides or self.sides
        if self.comparison == Comparison.BETWEEN:
            return f"{right} ≤ {left} ≤ {rest[0]}"
        return f"{left} {self.comparison.symbol} {right}"


def reference_problems(d: CheckDefinition, known: set[str],
                       tables: Mapping[str, TableCells]) -> list[tuple[str, str]]:
    """What keeps `d` from being evaluated: (the name as written, the problem), for the reader to locate."""
    problems: list[tuple[str, str]] = []
    names = [r.name for side in d.sides for r in references(parse_expression(side))]
    for name in dict.fromkeys(names):
        ref = cell_reference(name)
        if ref is None:
            if name not in known:
                problems.append((name, "unknown indicator"))
            continue
        table = tables.get(ref.table)
        if table is None:
            problems.append((name, f"no table '{ref.table}'"))
            continue
        if ref.has_wildcard:
            values = wildcard_values(ref, table)
            if not values:
                problems.append((name, f"'*' matches no key of {ref.table}"))
                continue
            ref = ref.with_value(values[0])
        resolved = resolve_cells(ref, table)
        if isinstance(resolved, str):
            problems.append((name, resolved))
    return problems


# ---- what a side of a check can be: an interval of values, in a unit --------------------

INFINITY = Decimal("Infinity")


@dataclass(frozen=True)
class Bounds:
    """The values a figure, or an expression over figures, allows: `low` to `high` inclusive
    (±Infinity where the report set no limit). `approximate` marks a value printed with 约/近:
    its true value is near `low`, by an amount nobody can say."""

    low: Decimal
    high: Decimal
    approximate: bool = False

    @staticmethod
    def exactly(value: Decimal) -> "Bounds":
        return Bounds(value, value)

    @property
    def single(self) -> Decimal | None:
        return self.low if self.low == self.high else None

    @property
    def exact(self) -> bool:
        return not self.approximate and self.low == self.high

    def __str__(self) -> str:
        if self.approximate:
            return f"about {_fmt(self.low)}"
        if self.low == self.high:
            return _fmt(self.low)
        if self.high == INFINITY:
            return "-∞ to ∞" if self.low == -INFINITY else f"{_fmt(self.low)} or more"
        if self.low == -INFINITY:
            return f"{_fmt(self.high)} or less"
        return f"{_fmt(self.low)} to {_fmt(self.high)}"


def bounds_of(ind: Indicator) -> Bounds:
    """What the printed figure allows, in its base unit: "20余万" is 200000 or more."""
    value = ind.base_value
    match ind.qualifier:
        case Qualifier.EXACT:
            return Bounds.exactly(value)
        case Qualifier.APPROXIMATE:
            return Bounds(value, value, approximate=True)
        case Qualifier.LOWER_BOUND:
            return Bounds(value, INFINITY)
        case Qualifier.UPPER_BOUND:
            return Bounds(-INFINITY, value)
        case Qualifier.RANGE:
            return Bounds(value, ind.base_upper if ind.base_upper is not None else value)
        case _:
            assert_never(ind.qualifier)


def _times(x: Decimal, y: Decimal) -> Decimal:
    # An end at 0 times an unbounded end is 0 in interval arithmetic; Decimal would refuse 0 × ∞.
    return Decimal(0) if x == 0 or y == 0 else x * y


def _combine(op: str, a: Bounds, b: Bounds) -> Bounds:
    approximate = a.approximate or b.approximate
    if op == "+":
        return Bounds(a.low + b.low, a.high + b.high, approximate)
    if op == "-":
        return Bounds(a.low - b.high, a.high - b.low, approximate)
    if op == "/":
        k = b.single
        if k is not None:
            if k == 0:
                raise ZeroDivisionError
            ends = (a.low / k, a.high / k)
            return Bounds(min(ends), max(ends), approximate)
        if b.low <= 0 <= b.high:
            return Bounds(-INFINITY, INFINITY, approximate)
        # 1/x falls on each side of 0, so 1/[l, h] is [1/h, 1/l]; 1/∞ is 0.
        b = Bounds(Decimal(0) if abs(b.high) == INFINITY else 1 / b.high,
                   Decimal(0) if abs(b.low) == INFINITY else 1 / b.low)
    products = [_times(x, y) for x in (a.low, a.high) for y in (b.low, b.high)]
    return Bounds(min(products), max(products), approximate)


def evaluate_bounds(node: Expr, values: Mapping[str, Bounds]) -> Bounds:
    if isinstance(node, Num):
        return Bounds.exactly(node.value)
    if isinstance(node, Ref):
        return values[node.name]
    if isinstance(node, Neg):
        inner = evaluate_bounds(node.operand, values)
        return Bounds(-inner.high, -inner.low, inner.approximate)
    return _combine(node.op, evaluate_bounds(node.left, values), evaluate_bounds(node.right, values))


# A unit is its base units with their powers, sorted: (("项", 1),) for 项, () for a pure number
# or a percentage (percentage points are numbers: `part / whole * 100` is one). None is a bare
# number written in the check, which takes the unit of what it meets.
Unit = tuple[tuple[str, int], ...] | None


class UnitMismatch(ValueError):
    pass


def unit_of(ind: Indicator) -> Unit:
    if ind.is_share or not ind.base_unit:
        return ()
    return ((ind.base_unit, 1),)


def show_unit(unit: Unit) -> str:
    if not unit:
        return "% (a pure number)"
    return "·".join(name if power == 1 else f"{name}^{power}" for name, power in unit)


def _unit_product(a: Unit, b: Unit, sign: int) -> Unit:
    if a is None and b is None:
        return None
    powers: dict[str, int] = dict(a or ())
    for name, power in b or ():
        powers[name] = powers.get(name, 0) + sign * power
    return tuple(sorted((n, p) for n, p in powers.items() if p != 0))


def evaluate_unit(node: Expr, units: Mapping[str, Unit]) -> Unit:
    """The unit of `node`; UnitMismatch when it adds or subtracts things in different units."""
    if isinstance(node, Num):
        return None
    if isinstance(node, Ref):
        return units[node.name]
    if isinstance(node, Neg):
        return evaluate_unit(node.operand, units)
    left, right = evaluate_unit(node.left, units), evaluate_unit(node.right, units)
    if node.op in "*/":
        return _unit_product(left, right, 1 if node.op == "*" else -1)
    if left is None or right is None or left == right:
        return right if left is None else left
    raise UnitMismatch(f"'{node.op}' between {show_unit(left)} and {show_unit(right)}")


def _same_unit(a: Unit, b: Unit) -> bool:
    return a is None or b is None or a == b


# ---- deciding a comparison -------------------------------------------------------------


def _holds(comparison: Comparison, left: Bounds, right: Bounds, tolerance: Decimal) -> bool | None:
    """True when `left comparison right` holds for every value the two sides allow, False when for
    none, None when it depends on values the report did not print. Never called with `between`."""
    match comparison:
        case Comparison.EQUALS:
            if left.exact and right.exact:
                return abs(left.low - right.low) <= tolerance
            if left.low > right.high + tolerance or left.high < right.low - tolerance:
                return False
            return None
        case Comparison.AT_MOST:
            if left.high <= right.low + tolerance:
                return True
            return False if left.low > right.high + tolerance else None
        case Comparison.LESS_THAN:
            if left.high < right.low + tolerance:
                return True
            return False if left.low >= right.high + tolerance else None
        case Comparison.AT_LEAST:
            return _holds(Comparison.AT_MOST, right, left, tolerance)
        case Comparison.GREATER_THAN:
            return _holds(Comparison.LESS_THAN, right, left, tolerance)
        case Comparison.BETWEEN:
            raise ValueError("between is two comparisons")
        case _:
            assert_never(comparison)


def decide(comparison: Comparison, sides: tuple[Bounds, ...], tolerance: Decimal) -> bool | None:
    """Whether the check holds (True), cannot hold (False), or cannot be decided (None).

    An approximate figure (约) allows no decision at all: how far it is from the truth is not printed."""
    if any(side.approximate for side in sides):
        return None
    if comparison == Comparison.BETWEEN:
        value, low, high = sides
        outcomes = (_holds(Comparison.AT_LEAST, value, low, tolerance),
                    _holds(Comparison.AT_MOST, value, high, tolerance))
        if False in outcomes:
            return False
        return True if outcomes == (True, True) else None
    return _holds(comparison, sides[0], sides[1], tolerance)


# ---- running the checks ----------------------------------------------------------------


@dataclass
class _Instance:
    """One evaluation of a check: the key `*` stands for (None without `*`) and, for each name
    the check reads, the figure ids it reads (None for a blank cell), or what is wrong."""

    key: str | None
    reads: dict[str, list[str | None]] = field(default_factory=dict)
    problem: str = ""


def _instances(d: CheckDefinition, tables: Mapping[str, TableCells]) -> list[_Instance]:
    refs = [r for side in d.sides for r in references(parse_expression(side))]
    keys: list[str] = []
    for ref in (cell_reference(r.name) for r in refs):
        if ref is not None and ref.has_wildcard and ref.table in tables:
            keys.extend(v for v in wildcard_values(ref, tables[ref.table]) if v not in keys)
    instances = []
    for key in keys or [None]:
        instance = _Instance(key)
        for r in refs:
            ref = cell_reference(r.name)
            if ref is None:
                instance.reads[r.name] = [r.name]
                continue
            table = tables.get(ref.table)
            filled = ref.with_value(key) if key is not None else ref
            resolved = resolve_cells(filled, table) if table is not None else f"no table '{ref.table}'"
            if isinstance(resolved, str):
                instance.problem = instance.problem or resolved
                continue
            assert table is not None
            instance.reads[r.name] = [table.cells[cell] for cell in resolved]
        instances.append(instance)
    return instances


def _units(instance: _Instance, indicators: Mapping[str, Indicator]) -> dict[str, Unit]:
    """The unit of each name the instance reads; UnitMismatch when a range of cells mixes units."""
    units: dict[str, Unit] = {}
    for name, figures in instance.reads.items():
        found = list(dict.fromkeys(unit_of(indicators[f]) for f in figures if f is not None and f in indicators))
        if len(found) > 1:
            raise UnitMismatch(f"'{name}' adds cells in {' and '.join(show_unit(u) for u in found)}")
        units[name] = found[0] if found else None  # all blank: 0, in whatever unit
    return units


def _side_units(d: CheckDefinition, instance: _Instance, indicators: Mapping[str, Indicator]) -> str | None:
    """Why the sides of `instance` cannot be compared, or None when their units agree."""
    try:
        units = _units(instance, indicators)
        side_units = []
        for side in d.sides:
            try:
                side_units.append(evaluate_unit(parse_expression(side), units))
            except UnitMismatch as exc:
                return f"'{_instantiate(side, instance.key)}' mixes units: {exc}"
    except UnitMismatch as exc:
        return str(exc)
    for other, label in zip(side_units[1:], ("right side", "upper end")):
        if not _same_unit(side_units[0], other):
            return (f"the left side is in {show_unit(side_units[0])}, the {label} in {show_unit(other)}:"
                    f" they do not compare")
    return None


def unit_problems(d: CheckDefinition, indicators: tuple[Indicator, ...],
                  tables: Mapping[str, TableCells] | None = None) -> list[str]:
    """Why `d` compares things in different units (% and 项, 件 and 人), once per distinct problem.

    The reader reports these as errors at the check: such a check is wrong as written."""
    by_id = {ind.id: ind for ind in indicators}
    problems: list[str] = []
    for instance in _instances(d, tables or {}):
        if instance.problem:
            continue
        problem = _side_units(d, instance, by_id)
        if problem is not None and problem not in problems:
            problems.append(problem)
    return problems


def run_checks(definitions: tuple[CheckDefinition, ...], indicators: tuple[Indicator, ...],
               tables: Mapping[str, TableCells] | None = None) -> tuple[CheckResult, ...]:
    """Evaluate declared checks, then the automatic ones. Unknown ids and units that do not
    compare are the reader's errors; here they only keep a check from being evaluated.

    A check over table cells with `*` gives one result per key `*` stands for (id `check[key]`).
    """
    by_id = {ind.id: ind for ind in indicators}
    results: list[CheckResult] = []
    for d in definitions:
        for instance in _instances(d, tables or {}):
            results.append(_run_instance(d, instance, by_id))
    results.extend(_automatic(indicators))
    return tuple(results)


def _run_instance(d: CheckDefinition, instance: _Instance, indicators: Mapping[str, Indicator]) -> CheckResult:
    key = instance.key
    check_id = d.id if key is None else f"{d.id}[{key}]"
    description = d.description if key is None else f"{d.description}（{key}）"
    expression = d.written(tuple(_instantiate(side, key) for side in d.sides))
    ids = tuple(dict.fromkeys(f for figures in instance.reads.values() for f in figures if f is not None))

    def result(status: CheckStatus, message: str = "", left: Decimal | None = None,
               right: Decimal | None = None) -> CheckResult:
        return CheckResult(check_id, description, expression, True, status, ids, d.pos, left=left, right=right,
                           tolerance=d.tolerance, message=message)

    if instance.problem:
        return result(CheckStatus.NOT_EVALUATED, instance.problem)
    unknown = [i for i in ids if i not in indicators]
    if unknown:
        return result(CheckStatus.NOT_EVALUATED, f"unknown indicator {unknown[0]}")
    unit_problem = _side_units(d, instance, indicators)
    if unit_problem is not None:
        return result(CheckStatus.NOT_EVALUATED, unit_problem)
    asts = [parse_expression(side) for side in d.sides]
    side_names = [[r.name for r in references(ast)] for ast in asts]
    if any(names and all(_all_blank(instance.reads[n]) for n in names) for names in side_names):
        # A side left wholly blank (a 总计 cell not filled in) is back-filled from the other side
        # in the template's practice: nothing to compare, and nothing stored for it.
        return result(CheckStatus.NOTICE, "every cell on one side is blank: not compared (back-filled)")
    values = {name: _sum(figures, indicators) for name, figures in instance.reads.items()}
    try:
        with localcontext() as ctx:
            ctx.prec = 28
            sides = tuple(evaluate_bounds(ast, values) for ast in asts)
    except (DivisionByZero, InvalidOperation, ZeroDivisionError):
        return result(CheckStatus.NOT_EVALUATED, "division by zero")
    left = sides[0].single
    right = sides[1].single if d.comparison != Comparison.BETWEEN else None
    outcome = decide(d.comparison, sides, d.tolerance)
    if outcome is True:
        return result(CheckStatus.PASSED, "", left, right)
    if outcome is False:
        return result(CheckStatus.FAILED, _failure(d, sides), left, right)
    inexact = [f"{i} ({indicators[i].text}, {indicators[i].qualifier.chinese})" for i in ids
               if indicators[i].qualifier != Qualifier.EXACT]
    shown = d.written(tuple(str(side) for side in sides))
    return result(CheckStatus.NOT_EVALUATED,
                  f"not decided by what the report printed: {shown} holds for some of the values"
                  f" {'、'.join(inexact)} allow{'s' if len(inexact) == 1 else ''}"
                  f" and not for others" + (" (an approximate figure has no exact value)"
                                            if any(s.approximate for s in sides) else ""),
                  left, right)


def _all_blank(figures: list[str | None]) -> bool:
    return bool(figures) and all(f is None for f in figures)


def _sum(figures: list[str | None], indicators: Mapping[str, Indicator]) -> Bounds:
    """The cells (or the one figure) a name reads, added up; a blank or 不适用 cell counts as 0."""
    read = [bounds_of(indicators[f]) for f in figures if f is not None]
    if not read:
        return Bounds.exactly(Decimal(0))
    total = read[0]  # not 0 + …: that would round a figure of more than 28 digits
    for bounds in read[1:]:
        total = _combine("+", total, bounds)
    return total


def _failure(d: CheckDefinition, sides: tuple[Bounds, ...]) -> str:
    tolerance = f"(tolerance {_fmt(d.tolerance)})"
    if d.comparison == Comparison.EQUALS and all(s.exact for s in sides):
        return f"{sides[0]} ≠ {sides[1]} {tolerance}"
    if d.comparison == Comparison.BETWEEN:
        return f"{sides[0]} is not between {sides[1]} and {sides[2]} {tolerance}"
    return f"{sides[0]} is not {d.comparison.symbol} {sides[1]} {tolerance}"


def _instantiate(text: str, value: str | None) -> str:
    """`text` with every `*` of its table references replaced by `value` (multiplication stays)."""
    if value is None:
        return text
    out, pos = [], 0
    for kind, token, start in _tokenize(text):
        out.append(text[pos:start])
        out.append(token.replace(WILDCARD, value) if kind == "name" else token)
        pos = start + len(token)
    out.append(text[pos:])
    return "".join(out)


_KIND_RANGE_WORDS = {PercentKind.SHARE: "在0至100之间", PercentKind.RATIO: "不小于0", PercentKind.CHANGE: "不小于-100"}


def _automatic(indicators: tuple[Indicator, ...]) -> list[CheckResult]:
    results = [_percent_range(ind) for ind in indicators if ind.percent_kind is not None]
    seen: dict[str, Indicator] = {}
    duplicates = []
    for ind in indicators:
        if ind.id in seen:
            duplicates.append(ind.id)
        seen[ind.id] = ind
    pos = indicators[0].pos if indicators else Position("", 1, 1)
    results.append(CheckResult(
        "unique_ids", "指标代码唯一", "count(distinct id) = count(id)", False,
        CheckStatus.FAILED if duplicates else CheckStatus.PASSED, tuple(duplicates), pos,
        left=Decimal(len(seen)), right=Decimal(len(indicators)),
        message=("重复的指标代码：" + "、".join(duplicates)) if duplicates else "",
    ))
    return results


def _percent_range(ind: Indicator) -> CheckResult:
    """A percentage lies within the range of its kind (the unit decides that it is checked; the
    span's kind=, never its name, decides the range)."""
    kind = ind.percent_kind
    assert kind is not None
    low, high = kind.bounds
    figure = bounds_of(ind)
    if high is None:
        expression = f"{ind.id} ≥ {_fmt(low)}"
        outcome = decide(Comparison.AT_LEAST, (figure, Bounds.exactly(low)), Decimal(0))
    else:
        expression = f"{_fmt(low)} ≤ {ind.id} ≤ {_fmt(high)}"
        outcome = decide(Comparison.BETWEEN, (figure, Bounds.exactly(low), Bounds.exactly(high)), Decimal(0))
    description = f"{ind.name}（{kind.chinese}，百分比）{_KIND_RANGE_WORDS[kind]}"
    if outcome is True:
        status, message = CheckStatus.PASSED, ""
    elif outcome is False and high is not None and figure.low > high:
        status = CheckStatus.FAILED
        message = (f"{ind.name}为{ind.text}，超过{_fmt(high)}%（增长率等变动率请在源文件中标注 kind=\"change\"，"
                   f"与计划或上年之比标注 kind=\"ratio\"）")
    elif outcome is False:
        status, message = CheckStatus.FAILED, f"{ind.name}为{ind.text}，低于{_fmt(low)}%"
    elif kind == PercentKind.SHARE and ind.qualifier == Qualifier.LOWER_BOUND and ind.value == high:
        status, message = CheckStatus.NOTICE, f"{ind.name}印为“{_fmt(ind.value)}%以上”，而比例不能超过100%"
    else:
        status = CheckStatus.NOT_EVALUATED
        message = f"{ind.name}印为“{ind.text}”（{ind.qualifier.chinese}），无法确定是否{_KIND_RANGE_WORDS[kind]}"
    return CheckResult(f"{kind.value}_range__{ind.id}", description, expression, False, status, (ind.id,), ind.pos,
                       left=ind.value, right=high, message=message)


def _fmt(value: Decimal) -> str:
    if not value.is_finite():
        return "∞" if value > 0 else "-∞"
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text and len(text.split(".")[1]) > 6:
        text = format(value.quantize(Decimal("0.000001")), "f")
    return text
