"""Consistency checks between a report's figures, evaluated without `eval`.

A declared check compares two arithmetic expressions over indicator ids
(`a + b + c` against `total`, or `part / whole * 100` against `rate`) within a tolerance.
The grammar is numbers, ids, + - * / and parentheses; nothing else can run.
Automatic checks (shares within 0–100, unique ids) are added for every report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/()]))")


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


@dataclass(frozen=True)
class CheckDefinition:
    """A check as declared in the source: `left` must equal `right` within `tolerance`."""

    id: str
    description: str
    left: str
    right: str
    tolerance: Decimal
    pos: Position


def run_checks(definitions: tuple[CheckDefinition, ...], indicators: tuple[Indicator, ...]) -> tuple[CheckResult, ...]:
    """Evaluate declared checks, then the automatic ones. Unknown ids are the reader's error."""
    # A range has no single value to compute with: a check reading one is not evaluated.
    values = {ind.id: ind.base_value for ind in indicators if not ind.is_range}
    ranges = {ind.id: ind for ind in indicators if ind.is_range}
    results = [_run_declared(d, values, ranges) for d in definitions]
    results.extend(_automatic(indicators))
    return tuple(results)


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
