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

from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext
from typing import Mapping

from .check_bounds import (
    Bounds, Comparison, Unit, UnitMismatch, bounds_of, combine_bounds, decide, evaluate_bounds, evaluate_unit,
    format_number, same_unit, show_unit, unit_of,
)
from .check_cells import WILDCARD, TableCells, cell_reference, resolve_cells, wildcard_values
from .check_expressions import parse_expression, references, tokenize
# Offered here too: the reader and the tests import them from exporter.checks.
from .check_expressions import ExpressionError as ExpressionError
from .check_expressions import evaluate as evaluate
from .model import CheckResult, CheckStatus, Indicator, PercentKind, Position, Qualifier


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
        if not same_unit(side_units[0], other):
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
        total = combine_bounds("+", total, bounds)
    return total


def _failure(d: CheckDefinition, sides: tuple[Bounds, ...]) -> str:
    tolerance = f"(tolerance {format_number(d.tolerance)})"
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
    for kind, token, start in tokenize(text):
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
        expression = f"{ind.id} ≥ {format_number(low)}"
        outcome = decide(Comparison.AT_LEAST, (figure, Bounds.exactly(low)), Decimal(0))
    else:
        expression = f"{format_number(low)} ≤ {ind.id} ≤ {format_number(high)}"
        outcome = decide(Comparison.BETWEEN, (figure, Bounds.exactly(low), Bounds.exactly(high)), Decimal(0))
    description = f"{ind.name}（{kind.chinese}，百分比）{_KIND_RANGE_WORDS[kind]}"
    if outcome is True:
        status, message = CheckStatus.PASSED, ""
    elif outcome is False and high is not None and figure.low > high:
        status = CheckStatus.FAILED
        message = (f"{ind.name}为{ind.text}，超过{format_number(high)}%（增长率等变动率请在源文件中标注 kind=\"change\"，"
                   f"与计划或上年之比标注 kind=\"ratio\"）")
    elif outcome is False:
        status, message = CheckStatus.FAILED, f"{ind.name}为{ind.text}，低于{format_number(low)}%"
    elif kind == PercentKind.SHARE and ind.qualifier == Qualifier.LOWER_BOUND and ind.value == high:
        status, message = CheckStatus.NOTICE, f"{ind.name}印为“{format_number(ind.value)}%以上”，而比例不能超过100%"
    else:
        status = CheckStatus.NOT_EVALUATED
        message = f"{ind.name}印为“{ind.text}”（{ind.qualifier.chinese}），无法确定是否{_KIND_RANGE_WORDS[kind]}"
    return CheckResult(f"{kind.value}_range__{ind.id}", description, expression, False, status, (ind.id,), ind.pos,
                       left=ind.value, right=high, message=message)


