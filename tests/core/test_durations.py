"""Durations are figures, years are not (issue 16, part 7).

The rule: a number of 1 to 3 digits before 年 is a number of years ("为期3年", "3年来", "连续5年"),
and a figure; 4 digits before 年 make a year ("2021年"), which is a date. Time limits in 月, 日,
工作日 and 小时 stay untagged, as before.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from exporter.figures import FigureSyntaxError, is_duration, parse_figure
from exporter.lint import lint
from exporter.reader import read_source


@pytest.mark.parametrize("printed, after, value, unit", [
    ("3年", "", "3", "年"),
    ("3年来", "", "3", "年"),          # 来 says "up to now", the unit is still 年
    ("5年以来", "", "5", "年"),
    ("2年内", "", "2", "年"),
    ("10余年", "", "10", "年"),
    ("3", "年来", "3", "年"),          # the unit right after the span: [3]{…}年来
    ("1.5年", "", "1.5", "年"),
])
def test_a_number_of_years_is_a_figure(printed, after, value, unit):
    figure = parse_figure(printed, after=after)
    assert (figure.value, figure.unit, figure.base_unit) == (Decimal(value), unit, unit)


@pytest.mark.parametrize("printed, after", [("2021年", ""), ("2021", "年"), ("2021年度", "")])
def test_a_year_is_not_a_figure(printed, after):
    with pytest.raises(FigureSyntaxError, match="(date|year), not a figure"):
        parse_figure(printed, after=after)


@pytest.mark.parametrize("text, duration", [
    ("为期3年", True), ("3年来", True), ("连续5年", True), ("近10年", True), ("10余年", True), ("5年以来", True),
    ("2021年", False), ("3年级", False), ("2021年度", False), ("3个月", False), ("7个工作日", False),
])
def test_duration_rule(text, duration):
    core = text.removeprefix("为期").removeprefix("连续").removeprefix("近")
    assert is_duration(core) is duration


def _untagged(tmp_path, body: str) -> list[tuple[str, str]]:
    path = tmp_path / "d.md"
    path.write_text("---\ntitle: 测试\n---\n\n" + body, encoding="utf-8")
    found = lint(read_source(path).document)
    return [(f"{d.pos.line}:{d.pos.column}", d.message.split("'")[1]) for d in found if "not tagged" in d.message]


@pytest.mark.parametrize("body, expected", [
    ("正式开启为期3年异地办理业务合作。\n", [("5:7", "3年")]),
    ("3年来，累计办理案件。\n", [("5:1", "3年")]),
    ("连续5年获评先进。\n", [("5:3", "5年")]),
    ("2021年，全县推进法治建设。\n", []),              # a year
    ("2019年至2021年连续开展。\n", []),                 # two years
    ("小学3年级学生参加。\n", []),                      # a school grade
    ("为期3个月的专项行动。\n", []),                    # a time limit in months stays untagged
    ("为期[3年]{#term name=\"合作期限\"}。\n", []),       # tagged
])
def test_lint_flags_an_untagged_duration_but_never_a_year(tmp_path, body, expected):
    assert _untagged(tmp_path, body) == expected


def test_the_seed_tags_its_duration():
    from support.paths import ROOT

    document = read_source(ROOT / "source" / "yaoan-2021.md").document
    term = document.indicator("cross_province_cooperation_years")
    assert (term.text, term.value, term.unit) == ("3年", Decimal(3), "年")
    assert "为期3年异地办理业务合作" in term.sentence
    assert [d for d in lint(document) if "not tagged" in d.message] == []
