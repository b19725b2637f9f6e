"""The expressions of a check: tokens, a recursive-descent parser to a small tree (numbers,
names, + - * /, parentheses, unary minus) and its evaluation; nothing else can run."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Union


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


def tokenize(text: str) -> list[tuple[str, str, int]]:
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
        self.tokens = tokenize(text)
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
