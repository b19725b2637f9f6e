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


# ---- comparisons over figures as printed: operator × qualifier × unit → outcome -------------
# Each expected status is worked out by hand from what the printed figures allow: "10余项" is 10
# or more, "不足10项" 10 or less, "3至5项" anything from 3 to 5, "约10项" an unknown value near 10.

from exporter.checks import CheckDefinition, Comparison, run_checks, unit_problems  # noqa: E402
from exporter.model import Indicator, PercentKind, Position, Qualifier  # noqa: E402
from exporter.model import CheckStatus as S  # noqa: E402

E, LB, UB, APPROX, RANGE = (Qualifier.EXACT, Qualifier.LOWER_BOUND, Qualifier.UPPER_BOUND, Qualifier.APPROXIMATE,
                            Qualifier.RANGE)
HERE = Position("test.md", 3, 5)


def figure(indicator_id: str, value: str, unit: str = "项", qualifier: Qualifier = E, upper: str | None = None,
           kind: PercentKind | None = None) -> Indicator:
    multiplier = 10000 if unit.startswith("万") and len(unit) > 1 else 1
    base_unit = unit[1:] if multiplier != 1 else unit
    return Indicator(indicator_id, indicator_id, value + unit, Decimal(value), unit, qualifier, multiplier,
                     Decimal(value) * multiplier, base_unit, (), "", HERE,
                     upper=Decimal(upper) if upper else None,
                     base_upper=Decimal(upper) * multiplier if upper else None, kind=kind)


def outcome(left: Indicator, comparison: Comparison, right: str, *others: Indicator, upper: str | None = None,
            tolerance: str = "0"):
    d = CheckDefinition("c", "c", left.id, right, Decimal(tolerance), HERE, comparison, upper)
    result = run_checks((d,), (left, *others))[0]
    return result


TEN, NINE, FIVE, TWELVE = (figure("ten", "10"), figure("nine", "9"), figure("five", "5"), figure("twelve", "12"))
MORE_THAN_TEN = figure("more", "10", qualifier=LB)          # 10余项
UNDER_TEN = figure("under", "10", qualifier=UB)             # 不足10项
ABOUT_TEN = figure("about", "10", qualifier=APPROX)         # 约10项
THREE_TO_FIVE = figure("span", "3", qualifier=RANGE, upper="5")  # 3至5项

CASES = [
    # exact against exact
    (TEN, Comparison.EQUALS, "ten", S.PASSED),
    (TEN, Comparison.EQUALS, "nine", S.FAILED),
    (TEN, Comparison.LESS_THAN, "ten", S.FAILED),
    (NINE, Comparison.LESS_THAN, "ten", S.PASSED),
    (TEN, Comparison.AT_MOST, "ten", S.PASSED),
    (TEN, Comparison.AT_MOST, "nine", S.FAILED),
    (TEN, Comparison.AT_LEAST, "ten", S.PASSED),
    (NINE, Comparison.AT_LEAST, "ten", S.FAILED),
    (TEN, Comparison.GREATER_THAN, "nine", S.PASSED),
    (TEN, Comparison.GREATER_THAN, "ten", S.FAILED),
    # a lower bound: never equal, ≥ in the direction it allows, ≤ only when it cannot hold
    (MORE_THAN_TEN, Comparison.EQUALS, "ten", S.NOT_EVALUATED),
    (MORE_THAN_TEN, Comparison.EQUALS, "five", S.FAILED),
    (MORE_THAN_TEN, Comparison.AT_LEAST, "ten", S.PASSED),
    (MORE_THAN_TEN, Comparison.GREATER_THAN, "nine", S.PASSED),
    (MORE_THAN_TEN, Comparison.GREATER_THAN, "ten", S.NOT_EVALUATED),  # 10 itself is allowed
    (MORE_THAN_TEN, Comparison.AT_MOST, "twelve", S.NOT_EVALUATED),
    (MORE_THAN_TEN, Comparison.AT_MOST, "nine", S.FAILED),
    (MORE_THAN_TEN, Comparison.LESS_THAN, "ten", S.FAILED),
    # an upper bound, the mirror image
    (UNDER_TEN, Comparison.EQUALS, "ten", S.NOT_EVALUATED),
    (UNDER_TEN, Comparison.EQUALS, "twelve", S.FAILED),
    (UNDER_TEN, Comparison.AT_MOST, "ten", S.PASSED),
    (UNDER_TEN, Comparison.AT_LEAST, "five", S.NOT_EVALUATED),
    (UNDER_TEN, Comparison.GREATER_THAN, "twelve", S.FAILED),
    # an approximate figure decides nothing, not even against a far bound
    (ABOUT_TEN, Comparison.EQUALS, "ten", S.NOT_EVALUATED),
    (ABOUT_TEN, Comparison.AT_LEAST, "five", S.NOT_EVALUATED),
    (ABOUT_TEN, Comparison.LESS_THAN, "twelve", S.NOT_EVALUATED),
    # a range uses its ends
    (THREE_TO_FIVE, Comparison.EQUALS, "five", S.NOT_EVALUATED),
    (THREE_TO_FIVE, Comparison.EQUALS, "nine", S.FAILED),
    (THREE_TO_FIVE, Comparison.AT_MOST, "five", S.PASSED),
    (THREE_TO_FIVE, Comparison.LESS_THAN, "five", S.NOT_EVALUATED),
    (THREE_TO_FIVE, Comparison.GREATER_THAN, "five", S.FAILED),
    (THREE_TO_FIVE, Comparison.AT_LEAST, "3", S.PASSED),
]


@pytest.mark.parametrize("left, comparison, right, expected", CASES,
                         ids=[f"{c[0].text}-{c[1].value}-{c[2]}" for c in CASES])
def test_a_comparison_passes_only_when_every_printed_value_satisfies_it(left, comparison, right, expected):
    others = [f for f in (TEN, NINE, FIVE, TWELVE) if f.id != left.id]
    result = outcome(left, comparison, right, *others)
    assert result.status == expected, result.message
    if expected == S.NOT_EVALUATED:
        assert left.id in result.message and "not decided" in result.message


@pytest.mark.parametrize("left, low, high, expected", [
    (TEN, "0", "10", S.PASSED),
    (TEN, "11", "20", S.FAILED),
    (THREE_TO_FIVE, "0", "10", S.PASSED),
    (THREE_TO_FIVE, "4", "10", S.NOT_EVALUATED),
    (THREE_TO_FIVE, "6", "10", S.FAILED),
    (MORE_THAN_TEN, "0", "100", S.NOT_EVALUATED),
    (MORE_THAN_TEN, "0", "9", S.FAILED),
    (UNDER_TEN, "0", "100", S.NOT_EVALUATED),
    (ABOUT_TEN, "0", "100", S.NOT_EVALUATED),
])
def test_between_takes_both_ends(left, low, high, expected):
    result = outcome(left, Comparison.BETWEEN, low, upper=high)
    assert result.status == expected, result.message
    assert result.expression == f"{low} ≤ {left.id} ≤ {high}"


def test_a_lower_bound_in_a_sum_bounds_the_sum_from_below_only():
    # 10余项 + 5项 is 15 or more: at least 15, never equal to 15, not at most 20
    total = figure("total", "15")
    parts = (MORE_THAN_TEN, FIVE)
    d = CheckDefinition("c", "c", "more + five", "total", Decimal(0), HERE, Comparison.AT_LEAST)
    assert run_checks((d,), (*parts, total))[0].status == S.PASSED
    d = CheckDefinition("c", "c", "more + five", "total", Decimal(0), HERE)
    equality = run_checks((d,), (*parts, total))[0]
    assert equality.status == S.NOT_EVALUATED and "15 or more = 15" in equality.message


def test_a_part_at_most_its_whole():
    whole, part_a, part_b = figure("whole", "20"), figure("a", "12"), figure("b", "7")
    d = CheckDefinition("c", "c", "a + b", "whole", Decimal(0), HERE, Comparison.AT_MOST)
    result = run_checks((d,), (whole, part_a, part_b))[0]
    assert (result.status, result.left, result.right, result.expression) == (S.PASSED, 19, 20, "a + b ≤ whole")
    failing = run_checks((d,), (figure("whole", "18"), part_a, part_b))[0]
    assert failing.status == S.FAILED and failing.message == "19 is not ≤ 18 (tolerance 0)"


def test_figures_in_wan_compare_on_their_base_values():
    in_wan, in_yuan = figure("budget", "2", unit="万元"), figure("spent", "20000", unit="元")
    d = CheckDefinition("c", "c", "budget", "spent", Decimal(0), HERE)
    assert run_checks((d,), (in_wan, in_yuan))[0].status == S.PASSED
    d = CheckDefinition("c", "c", "budget", "spent", Decimal(0), HERE, Comparison.LESS_THAN)
    assert run_checks((d,), (figure("budget", "1.5", unit="万元"), figure("spent", "14999", unit="元")))[0].status \
        == S.FAILED


def test_tolerance_applies_to_every_comparison():
    rate, part, whole = figure("rate", "48.08", unit="%"), figure("part", "602"), figure("whole", "1252")
    for tolerance, expected in (("0.005", S.PASSED), ("0", S.FAILED)):
        d = CheckDefinition("c", "c", "part / whole * 100", "rate", Decimal(tolerance), HERE)
        assert run_checks((d,), (rate, part, whole))[0].status == expected
    d = CheckDefinition("c", "c", "ten", "nine", Decimal(1), HERE, Comparison.LESS_THAN)
    assert run_checks((d,), (TEN, NINE))[0].status == S.FAILED  # 10 < 9 + 1 does not hold
    d = CheckDefinition("c", "c", "ten", "nine", Decimal(1), HERE, Comparison.AT_MOST)
    assert run_checks((d,), (TEN, NINE))[0].status == S.PASSED  # 10 ≤ 9 + 1


@pytest.mark.parametrize("left, right, figures, problem", [
    ("share + ten", "twelve", ("share", "ten", "twelve"), "'share + ten' mixes units: '+' between % (a pure number) and 项"),
    ("share", "ten", ("share", "ten"), "the left side is in % (a pure number), the right side in 项"),
    ("ten", "people", ("ten", "people"), "the left side is in 项, the right side in 人"),
    ("ten", "budget", ("ten", "budget"), "the left side is in 项, the right side in 元"),
    ("ten + 1", "twelve", ("ten", "twelve"), None),           # a bare number takes the unit it meets
    ("ten / twelve * 100", "share", ("ten", "twelve", "share"), None),  # 项 ÷ 项 × 100 is a percentage
    ("budget", "spent", ("budget", "spent"), None),          # 万元 and 元 share the base unit 元
])
def test_both_sides_must_be_in_the_same_base_unit(left, right, figures, problem):
    known = {"share": figure("share", "40", unit="%"), "ten": TEN, "twelve": TWELVE,
             "people": figure("people", "3", unit="人"), "budget": figure("budget", "2", unit="万元"),
             "spent": figure("spent", "20000", unit="元")}
    d = CheckDefinition("c", "c", left, right, Decimal(0), HERE)
    found = unit_problems(d, tuple(known[f] for f in figures))
    if problem is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith(problem)
        # run on its own (without the reader), such a check is never evaluated
        assert run_checks((d,), tuple(known[f] for f in figures))[0].status == S.NOT_EVALUATED


# ---- the automatic range of a percentage: from its unit and its kind, never from its name ----

@pytest.mark.parametrize("value, qualifier, kind, expected", [
    ("50", E, None, S.PASSED),
    ("120", E, None, S.FAILED),
    ("-5", E, None, S.FAILED),
    ("120", E, PercentKind.SHARE, S.FAILED),
    ("120", E, PercentKind.RATIO, S.PASSED),
    ("-5", E, PercentKind.RATIO, S.FAILED),
    ("120", E, PercentKind.CHANGE, S.PASSED),
    ("-5", E, PercentKind.CHANGE, S.PASSED),
    ("-120", E, PercentKind.CHANGE, S.FAILED),
    ("100", LB, None, S.NOTICE),          # "100%以上": a share cannot exceed 100
    ("56.75", LB, None, S.NOT_EVALUATED),  # 56.75 to 100, or beyond: not known
    ("120", LB, None, S.FAILED),
    ("150", LB, PercentKind.RATIO, S.PASSED),
    ("5", UB, None, S.NOT_EVALUATED),      # "不足5%": as printed, it does not exclude below 0
    ("50", APPROX, None, S.NOT_EVALUATED),
])
def test_a_percentage_lies_within_the_range_of_its_kind(value, qualifier, kind, expected):
    rate = figure("rate", value, unit="%", qualifier=qualifier, kind=kind)
    results = [r for r in run_checks((), (rate,)) if r.id != "unique_ids"]
    assert [(r.id, r.status) for r in results] == [(f"{(kind or PercentKind.SHARE).value}_range__rate", expected)]


def test_a_percentage_named_with_completion_words_is_still_a_share():
    completion = figure("completion", "104", unit="%")
    completion = Indicator(**{**completion.__dict__, "name": "检查实施清单完成率"})
    [result] = [r for r in run_checks((), (completion,)) if r.id != "unique_ids"]
    assert result.status == S.FAILED and "kind=\"ratio\"" in result.message


def test_only_percentages_get_a_range_check():
    assert [r.id for r in run_checks((), (TEN, figure("money", "3", unit="万元")))] == ["unique_ids"]
