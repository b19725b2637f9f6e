"""The safe evaluator behind declared consistency checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from exporter.checks import ExpressionError, evaluate, parse_expression, references

VALUES = {"a": Decimal("602"), "b": Decimal("1252"), "c": Decimal("48.08")}


@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3", Decimal(7)),
    ("(1 + 2) * 3", Decimal(9)),
    ("10 - 4 - 3", Decimal(3)),
    ("-2 + 5", Decimal(3)),
    ("a / b * 100", Decimal("602") / Decimal("1252") * 100),
    ("c", Decimal("48.08")),
])
def test_evaluates_arithmetic_exactly(text, expected):
    assert evaluate(parse_expression(text), VALUES) == expected


@pytest.mark.parametrize("text, offset", [
    ("__import__('os')", 11),
    ("a ** b", 3),
    ("a + ", 4),
    ("(a + b", 6),
    ("a; b", 1),
    ("", 0),
])
def test_rejects_anything_but_arithmetic(text, offset):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert info.value.offset == offset


def test_references_in_order():
    assert [r.name for r in references(parse_expression("x + y * (z - x)"))] == ["x", "y", "z", "x"]
