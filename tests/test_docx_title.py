"""Title breaking (GB/T 9704 D3) and the line-count model the Word writer pads the 版记 with."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.writers.docx_lines import TextMetrics, count_lines, rendered_width_pt
from exporter.writers.docx_title import break_title

ISSUER = "某某县人民政府"


@pytest.mark.parametrize("title, issuer, expected", [
    ("某某县人民政府关于2024年度法治政府建设情况的报告", ISSUER,
     ("某某县人民政府关于2024年度", "法治政府建设情况的报告")),
    ("姚安县人民政府关于2021年度法治政府建设情况的报告", "姚安县人民政府",
     ("姚安县人民政府关于2021年度", "法治政府建设情况的报告")),
    ("某某县人民政府办公室关于2024年度法治政府建设工作情况和2025年工作安排的报告", "某某县人民政府办公室",
     ("某某县人民政府办公室", "关于2024年度法治政府建设工作情况", "和2025年工作安排的报告")),
])
def test_titles_break_at_natural_boundaries(title, issuer, expected):
    assert break_title(title, 20, (issuer,)) == expected


def test_short_title_stays_one_line():
    assert break_title("姚安县2021年法治政府建设年度报告", 20) == ("姚安县2021年法治政府建设年度报告",)


def test_a_full_twenty_character_title_is_broken():
    title = "某某县人民政府关于法治政府建设工作的报告"
    assert len(title) == 20
    assert len(break_title(title, 20, (ISSUER,))) == 2


def test_number_with_its_year_is_not_split():
    lines = break_title("某某县人民政府关于贯彻落实2024年度全县法治政府建设考核意见的报告", 20, (ISSUER,))
    assert not any(line.endswith("2024") or line.startswith("年度") for line in lines)
    assert not any(line[-1].isdigit() and nxt[0].isdigit() for line, nxt in zip(lines, lines[1:]))


TITLE_CHARS = st.sampled_from(list("某县市人民政府关于年度法治建设工作情况和的报告推进改革办公室意见实施") + list("0123456789"))


@settings(max_examples=200, deadline=None)
@given(st.lists(TITLE_CHARS, min_size=1, max_size=70).map("".join))
def test_breaking_keeps_every_character_and_the_line_limit(title):
    lines = break_title(title, 20, (ISSUER,))
    assert "".join(lines) == title
    assert all(0 < len(line) <= 20 for line in lines)


# -- line-count model (three号 at −0.25 pt on a 442.25 pt line, as the writer sets it) ------------

LINE = 8845 / 20
INDENT = 32.0
BODY = TextMetrics(16.0, -0.25, 0.21875, 0.98)


def lines(text: str) -> int:
    return count_lines(text, BODY, LINE - INDENT, LINE)


def test_twenty_eight_chinese_characters_fill_a_line():
    assert lines("汉" * 26) == 1  # after the 2-character indent
    assert lines("汉" * 27) == 2
    assert lines("汉" * (26 + 28)) == 2
    assert lines("汉" * (26 + 29)) == 3


def test_closing_punctuation_hangs_instead_of_wrapping():
    assert lines("汉" * 26 + "。") == 1
    assert lines("汉" * 26 + "”") == 2  # not a hanging mark: it takes the last character along


def test_a_number_is_never_split():
    assert lines("汉" * 24 + "53.62%") == 2
    assert lines("汉" * 22 + "53.62%") == 1


def test_digits_get_the_autospace_gap():
    plain = rendered_width_pt("某某", BODY)
    with_number = rendered_width_pt("某2某", BODY)
    assert with_number - plain == pytest.approx(8 - 0.25 + 2 * 3.5)
    assert rendered_width_pt("某，2", TextMetrics(16.0, 0.0, 0.21875)) == pytest.approx(16 + 16 + 8)  # none after punctuation


def test_condensed_punctuation_is_scaled_not_spaced():
    assert rendered_width_pt("，", BODY) == pytest.approx(16 * 0.98)
    assert rendered_width_pt("汉", BODY) == pytest.approx(15.75)
    assert lines("汉" * 20 + "，" * 6) == 1  # 26 marks of 15.68 pt still fit the first line


def test_empty_paragraph_takes_one_line():
    assert lines("") == 1
