"""The line breaker and the title breaker on their own, with synthetic advances."""

from __future__ import annotations

import pytest

from exporter.writers.pdf.breaking import Measure, break_paragraph

CELL = 442.20472 / 28
WIDTH = 442.20472
NO_START = set("，。、；：？！）》」』”’…—%")
NO_END = set("（《「『“‘〔")


def advances(text: str) -> list[float]:
    return [8.0 if ch.isascii() else 16.0 for ch in text]


def measure(indent_chars: float = 2, **kw) -> Measure:
    return Measure(WIDTH, indent_chars * CELL, 0.0, CELL - 16.0, **kw)


def line_texts(text: str, m: Measure) -> list[str]:
    return [text[ln.start:ln.end] for ln in break_paragraph(text, advances(text), m)]


def is_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".%")


def line_end_x(text: str, line, adv: list[float]) -> float:
    x = line.x
    for i in range(line.start, line.draw_end):
        x += adv[i]
        if i < line.draw_end - 1:
            both_word = is_word(text[i]) and is_word(text[i + 1])
            x += line.word_spacing if both_word else line.spacing
    return x


def test_grid_lines_hold_26_then_28_ideographs():
    text = "字" * (26 + 28 * 3 + 5)
    assert [len(t) for t in line_texts(text, measure())] == [26, 28, 28, 28, 5]


@pytest.mark.parametrize("mark", sorted(NO_START))
def test_closing_punctuation_never_starts_a_line(mark):
    text = "字" * 26 + mark + "字" * 40
    lines = line_texts(text, measure())
    assert all(t[0] not in NO_START for t in lines)
    assert lines[0] == "字" * 25 and lines[1].startswith("字" + mark)


@pytest.mark.parametrize("mark", sorted(NO_END))
def test_opening_punctuation_never_ends_a_line(mark):
    text = "字" * 25 + mark + "字" * 40
    lines = line_texts(text, measure())
    assert all(t[-1] not in NO_END for t in lines)
    assert lines[1].startswith(mark)


@pytest.mark.parametrize("run", ["56.75%", "QQ", "12.4", "2021", "www.gov.cn"])
def test_digit_and_latin_runs_are_never_split(run):
    for offset in range(20, 27):   # the run straddles the end of the first line in some of these
        lines = line_texts("字" * offset + run + "字" * 40, measure())
        assert any(run in line for line in lines), (offset, lines)


def test_doubled_dashes_and_ellipses_stay_together():
    for mark in ("——", "……"):
        for offset in range(24, 28):
            lines = line_texts("字" * offset + mark + "字" * 30, measure())
            assert any(mark in line for line in lines), (offset, lines)


def test_justified_lines_end_exactly_at_the_measure():
    text = "全年办理行政复议案件12件，办结率达100%，“放管服”改革持续深化。" * 6
    adv = advances(text)
    lines = break_paragraph(text, adv, measure())
    assert len(lines) > 3
    for line in lines[:-1]:
        assert line.justified
        assert line_end_x(text, line, adv) == pytest.approx(WIDTH, abs=1e-6)
    assert not lines[-1].justified and lines[-1].spacing == pytest.approx(CELL - 16.0)


def test_digits_inside_a_run_keep_the_grid_spacing_when_justified():
    text = "字" * 20 + "56.75%" + "字" * 40
    line = break_paragraph(text, advances(text), measure())[0]
    assert line.word_spacing == pytest.approx(CELL - 16.0)
    assert line.spacing > line.word_spacing


def test_an_unbreakable_run_longer_than_a_line_is_cut_not_overflowing():
    text = "见" + "a" * 200 + "字"
    lines = break_paragraph(text, advances(text), measure())
    adv = advances(text)
    for line in lines:
        assert line_end_x(text, line, adv) <= WIDTH + 0.01
    assert "".join(text[ln.start:ln.end] for ln in lines) == text


def test_hanging_punctuation_when_enabled():
    text = "字" * 26 + "，" + "字" * 30
    lines = line_texts(text, measure(hang=True))
    assert lines[0] == "字" * 26 + "，"


def test_a_very_long_paragraph_breaks_completely():
    text = ("政府工作报告全文共计" + "12.5%" + "，") * 12_500   # 200,000 characters
    lines = break_paragraph(text, advances(text), measure())
    assert lines[0].start == 0 and lines[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(lines, lines[1:]))
    assert all(text[ln.start] not in NO_START for ln in lines)




# -- a hyphen inside a number or word: Word and LibreOffice break after it ------------------------

def test_a_phone_number_breaks_after_its_hyphen_instead_of_stretching_the_line():
    # The 附注 of source/letter-example.md: without the break, "0000-0000000）" goes down whole and
    # the first line is justified with gaps of almost a character between its letters.
    text = "（联系人：县司法局执法监督股　李某某，电话：0000-0000000）"
    lines = break_paragraph(text, advances(text), measure())
    assert [text[ln.start:ln.end] for ln in lines] == ["（联系人：县司法局执法监督股　李某某，电话：0000-", "0000000）"]
    assert lines[0].spacing - (CELL - 16.0) < 2.0          # pt added per gap: a normal justified line


@pytest.mark.parametrize("text", ["字" * 24 + "增长-5%以上" + "字" * 30, "字" * 24 + "A--B" + "字" * 30])
def test_no_break_after_a_hyphen_that_is_a_sign_or_doubled(text):
    for line in line_texts(text, measure()):
        assert not line.endswith("-")
