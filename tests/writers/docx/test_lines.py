"""The line-count model the Word writer pads the 版记 with (three号 at −0.25 pt)."""

from __future__ import annotations

import pytest

from exporter.writers.docx.lines import TextMetrics, count_lines, rendered_width_pt


# -- line-count model (three号 at −0.25 pt on a 442.25 pt line, as the writer sets it) ------------

LINE = 8845 / 20
INDENT = 32.0
BODY = TextMetrics(16.0, -0.25, 0.21875)


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


def test_condensed_punctuation_is_spaced_like_every_character():
    # No scaled punctuation runs any more: a mark is condensed by the run's spacing like a character.
    assert rendered_width_pt("，", BODY) == pytest.approx(15.75)
    assert rendered_width_pt("汉", BODY) == pytest.approx(15.75)
    assert lines("汉" * 20 + "，" * 6) == 1  # 26 cells of 15.75 pt fit the first line (409.5 ≤ 410.2)
    assert lines("汉" * 20 + "，" * 7) == 1  # the 27th hangs, as Word hangs it
    no_hanging = TextMetrics(16.0, -0.25, 0.21875, hanging=frozenset())
    assert count_lines("汉" * 20 + "，" * 7, no_hanging, LINE - INDENT, LINE) == 2


def test_empty_paragraph_takes_one_line():
    assert lines("") == 1


def test_a_number_breaks_after_an_inner_hyphen_as_word_does():
    # 23 ideographs + "0000-" fit the first line; "0000000" starts the second. Unbroken, the
    # whole number would go down and the text would need a third line.
    assert lines("汉" * 23 + "0000-0000000" + "汉" * 23) == 2
    assert lines("汉" * 23 + "00000000000" + "汉" * 23) == 3
