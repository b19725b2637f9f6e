"""Consistency checks between a report's figures, evaluated without `eval`.

A declared check compares two arithmetic expressions over indicator ids
(`a + b + c` against `total`, or `part / whole * 100` against `rate`) within a tolerance.
The grammar is numbers, ids, + - * / and parentheses; nothing else can run.
Automatic checks (shares within 0–100, unique ids) are added for every report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext
from typing import Mapping, Union

from .figures import percentage_may_exceed_100
from .model import CheckResult, CheckStatus, Indicator, Position, Qualifier


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


def reference_problems(d: "CheckDefinition", known: set[str],
                       tables: Mapping[str, TableCells]) -> list[tuple[str, str]]:
    """What keeps `d` from being evaluated: (the name as written, the problem), for the reader to locate."""
    problems: list[tuple[str, str]] = []
    names = [r.name for r in references(parse_expression(d.left)) + references(parse_expression(d.right))]
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


@dataclass(frozen=True)
class CheckDefinition:
    """A check as declared in the source: `left` must equal `right` within `tolerance`."""

    id: str
    description: str
    left: str
    right: str
    tolerance: Decimal
    pos: Position


def run_checks(definitions: tuple[CheckDefinition, ...], indicators: tuple[Indicator, ...],
               tables: Mapping[str, TableCells] | None = None) -> tuple[CheckResult, ...]:
    """Evaluate declared checks, then the automatic ones. Unknown ids are the reader's error.

    A check over table cells with `*` gives one result per key `*` stands for (id `check[key]`).
    """
    # A range has no single value to compute with: a check reading one is not evaluated.
    values = {ind.id: ind.base_value for ind in indicators if not ind.is_range}
    ranges = {ind.id: ind for ind in indicators if ind.is_range}
    results: list[CheckResult] = []
    for d in definitions:
        names = [r.name for r in references(parse_expression(d.left)) + references(parse_expression(d.right))]
        if all(cell_reference(n) is None for n in names):
            results.append(_run_declared(d, values, ranges))
        else:
            results.extend(_run_over_cells(d, values, ranges, tables or {}))
    results.extend(_automatic(indicators))
    return tuple(results)


def _run_over_cells(d: CheckDefinition, values: Mapping[str, Decimal], ranges: Mapping[str, Indicator],
                    tables: Mapping[str, TableCells]) -> list[CheckResult]:
    left_ast, right_ast = parse_expression(d.left), parse_expression(d.right)
    sides = (references(left_ast), references(right_ast))
    wildcards: list[str] = []
    for ref in (cell_reference(r.name) for side in sides for r in side):
        if ref is not None and ref.has_wildcard and ref.table in tables:
            wildcards.extend(v for v in wildcard_values(ref, tables[ref.table]) if v not in wildcards)
    results = []
    for value in wildcards or [None]:
        instance_values: dict[str, Decimal] = {}
        read: list[str] = []
        problem = ""
        all_blank = []
        for side in sides:
            cells_on_side = blanks_on_side = 0
            plain_on_side = False
            for r in side:
                ref = cell_reference(r.name)
                if ref is None:
                    plain_on_side = True
                    read.append(r.name)
                    if r.name in values:
                        instance_values[r.name] = values[r.name]
                    continue
                table = tables.get(ref.table)
                filled = ref.with_value(value) if value is not None else ref
                resolved = resolve_cells(filled, table) if table is not None else f"no table '{ref.table}'"
                if isinstance(resolved, str):
                    problem = problem or resolved
                    continue
                assert table is not None
                total = Decimal(0)
                for cell in resolved:
                    figure = table.cells[cell]
                    cells_on_side += 1
                    if figure is None:
                        blanks_on_side += 1  # 空白 and 不适用 count as 0; the cell stays blank in storage
                        continue
                    read.append(figure)
                    if figure in values:
                        total += values[figure]
                instance_values[r.name] = total
            all_blank.append(cells_on_side > 0 and blanks_on_side == cells_on_side and not plain_on_side)
        check_id = d.id if value is None else f"{d.id}[{value}]"
        description = d.description if value is None else f"{d.description}（{value}）"
        expression = f"{_instantiate(d.left, value)} = {_instantiate(d.right, value)}"
        ids = tuple(dict.fromkeys(read))
        in_range = [i for i in ids if i in ranges]
        if problem or in_range:
            message = problem or "a range has no single value: " + ", ".join(in_range)
            results.append(CheckResult(check_id, description, expression, True, CheckStatus.NOT_EVALUATED, ids,
                                       d.pos, tolerance=d.tolerance, message=message))
            continue
        if any(all_blank):
            # A side left wholly blank (a 总计 cell not filled in) is back-filled from the other side
            # in the template's practice: nothing to compare, and nothing stored for it.
            results.append(CheckResult(check_id, description, expression, True, CheckStatus.NOTICE, ids, d.pos,
                                       tolerance=d.tolerance,
                                       message="every cell on one side is blank: not compared (back-filled)"))
            continue
        results.append(_compare(d, check_id, description, expression, ids, left_ast, right_ast, instance_values))
    return results


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


def _compare(d: CheckDefinition, check_id: str, description: str, expression: str, ids: tuple[str, ...],
             left_ast: Expr, right_ast: Expr, values: Mapping[str, Decimal]) -> CheckResult:
    try:
        with localcontext() as ctx:
            ctx.prec = 28
            left, right = evaluate(left_ast, values), evaluate(right_ast, values)
    except (DivisionByZero, InvalidOperation, ZeroDivisionError):
        return CheckResult(check_id, description, expression, True, CheckStatus.NOT_EVALUATED, ids, d.pos,
                           tolerance=d.tolerance, message="division by zero")
    except KeyError as exc:
        return CheckResult(check_id, description, expression, True, CheckStatus.NOT_EVALUATED, ids, d.pos,
                           tolerance=d.tolerance, message=f"unknown indicator {exc.args[0]}")
    passed = abs(left - right) <= d.tolerance
    message = "" if passed else f"{_fmt(left)} ≠ {_fmt(right)} (tolerance {_fmt(d.tolerance)})"
    return CheckResult(check_id, description, expression, True,
                       CheckStatus.PASSED if passed else CheckStatus.FAILED, ids, d.pos, left=left, right=right,
                       tolerance=d.tolerance, message=message)


def _run_declared(d: CheckDefinition, values: Mapping[str, Decimal],
                  ranges: Mapping[str, Indicator] | None = None) -> CheckResult:
    left_ast, right_ast = parse_expression(d.left), parse_expression(d.right)
    ids = tuple(dict.fromkeys(r.name for r in references(left_ast) + references(right_ast)))
    expression = f"{d.left} = {d.right}"
    in_range = [i for i in ids if i in (ranges or {})]
    if in_range:
        return CheckResult(d.id, d.description, expression, True, CheckStatus.NOT_EVALUATED, ids, d.pos,
                           tolerance=d.tolerance,
                           message="a range has no single value: " + ", ".join(in_range))
    try:
        with localcontext() as ctx:
            ctx.prec = 28
            left, right = evaluate(left_ast, values), evaluate(right_ast, values)
    except (DivisionByZero, InvalidOperation, ZeroDivisionError):
        return CheckResult(d.id, d.description, expression, True, CheckStatus.NOT_EVALUATED, ids, d.pos,
                           tolerance=d.tolerance, message="division by zero")
    except KeyError as exc:
        return CheckResult(d.id, d.description, expression, True, CheckStatus.NOT_EVALUATED, ids, d.pos,
                           tolerance=d.tolerance, message=f"unknown indicator {exc.args[0]}")
    passed = abs(left - right) <= d.tolerance
    message = "" if passed else f"{_fmt(left)} ≠ {_fmt(right)} (tolerance {_fmt(d.tolerance)})"
    return CheckResult(
        d.id, d.description, expression, True, CheckStatus.PASSED if passed else CheckStatus.FAILED,
        ids, d.pos, left=left, right=right, tolerance=d.tolerance, message=message,
    )


def _automatic(indicators: tuple[Indicator, ...]) -> list[CheckResult]:
    results = []
    for ind in indicators:
        # Growth rates and plan/past-year ratios are percentages that may exceed 100.
        if not ind.is_share or percentage_may_exceed_100(ind.name, ind.sentence, ind.text):
            continue
        expression = f"0 <= {ind.id} <= 100"
        description = f"{ind.name}（百分比）在0至100之间"
        highest = ind.upper if ind.upper is not None else ind.value
        if highest > 100:
            status, message = CheckStatus.FAILED, f"{ind.name}为{_fmt(highest)}%，超过100%"
        elif ind.value == 100 and ind.qualifier == Qualifier.LOWER_BOUND:
            status, message = CheckStatus.NOTICE, f"{ind.name}印为“100%以上”，而比例不能超过100%"
        elif ind.value < 0:
            status, message = CheckStatus.FAILED, f"{ind.name}为负数"
        else:
            status, message = CheckStatus.PASSED, ""
        results.append(CheckResult(
            f"share_range__{ind.id}", description, expression, False, status, (ind.id,), ind.pos,
            left=ind.value, right=Decimal(100), message=message,
        ))
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


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text and len(text.split(".")[1]) > 6:
        text = format(value.quantize(Decimal("0.000001")), "f")
    return text
