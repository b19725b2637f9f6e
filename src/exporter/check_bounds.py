"""What a side of a check can be, and when a comparison holds.

A figure is what it printed: "20余" allows 20 or more, "3至5" anything from 3 to 5, "约20" an
unknown value near 20. A side is the interval (Bounds) of values its figures allow, in a unit;
a comparison holds when it holds for every value, fails when for none, and is otherwise
undecided."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Mapping, assert_never

from .check_expressions import Expr, Neg, Num, Ref
from .model import Indicator, Qualifier


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
            return f"about {format_number(self.low)}"
        if self.low == self.high:
            return format_number(self.low)
        if self.high == INFINITY:
            return "-∞ to ∞" if self.low == -INFINITY else f"{format_number(self.low)} or more"
        if self.low == -INFINITY:
            return f"{format_number(self.high)} or less"
        return f"{format_number(self.low)} to {format_number(self.high)}"


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


def combine_bounds(op: str, a: Bounds, b: Bounds) -> Bounds:
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
    return combine_bounds(node.op, evaluate_bounds(node.left, values), evaluate_bounds(node.right, values))


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


def same_unit(a: Unit, b: Unit) -> bool:
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


def format_number(value: Decimal) -> str:
    if not value.is_finite():
        return "∞" if value > 0 else "-∞"
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text and len(text.split(".")[1]) > 6:
        text = format(value.quantize(Decimal("0.000001")), "f")
    return text
