"""The character classes of exporter.cjk, checked against characters written out from the
standards (GB/T 15834-2011 §5.1 横排文稿, W3C clreq §3.1.7) and Unicode, not from the module."""

from __future__ import annotations

import pytest

from exporter import cjk

# GB/T 15834-2011 §5.1: 句号、逗号、顿号、分号、冒号、问号、叹号 never start a line; the second half
# of 引号、括号、书名号 never starts one, the first half never ends one; 间隔号 never starts one.
POINTS = "。，、；：？！"
CLOSING = "”’）》」』】〕"
OPENING = "“‘（《「『【〔"
IDEOGRAPHS = "中国政府报告的一"


@pytest.mark.parametrize("char", list(POINTS + CLOSING + "·"))
def test_points_and_closing_halves_may_not_start_a_line(char):
    assert char in cjk.NO_START
    assert char not in cjk.NO_END


@pytest.mark.parametrize("char", list(OPENING))
def test_opening_halves_may_not_end_a_line(char):
    assert char in cjk.NO_END
    assert char not in cjk.NO_START


@pytest.mark.parametrize("char", list(IDEOGRAPHS + "0A"))
def test_ideographs_digits_and_letters_may_start_and_end_lines(char):
    assert char not in cjk.NO_START
    assert char not in cjk.NO_END
    assert char not in cjk.WORD_NO_LINE_START
    assert char not in cjk.WORD_NO_LINE_END


def test_dash_and_ellipsis_are_doubled_marks():
    # 破折号 "——" and 省略号 "……" take two character cells and are never split (§5.1).
    assert {"—", "…"} <= cjk.DOUBLED
    assert "，" not in cjk.DOUBLED


def test_only_points_hang():
    assert set("，。、；：？！") <= cjk.HANGABLE
    assert not (set(CLOSING + OPENING) & cjk.HANGABLE)


def test_word_variant_agrees_on_the_common_marks_and_differs_where_word_does():
    common = set(POINTS + CLOSING)
    assert common <= cjk.WORD_NO_LINE_START
    assert set(OPENING) <= cjk.WORD_NO_LINE_END
    # Word's zh-CN list lets the iteration mark 々 and small kana start a line; clreq does not.
    for char in "々ぁッ":
        assert char in cjk.NO_START and char not in cjk.WORD_NO_LINE_START
    # Word keeps the ratio colon ∶ (U+2236) and the ditto mark 〃 off a line start.
    for char in "∶〃":
        assert char in cjk.WORD_NO_LINE_START and char not in cjk.NO_START
    # Word and LibreOffice let only 、。，． overflow the right edge.
    assert cjk.WORD_HANGING == frozenset("、。，．")


@pytest.mark.parametrize(("char", "full"), [
    ("中", True), ("，", True), ("“", True), ("”", True), ("—", True), ("…", True), ("·", True),
    ("a", False), ("1", False), (",", False), ("%", False),
])
def test_word_sets_chinese_text_and_curly_quotes_full_width(char, full):
    assert cjk.word_sets_full_width(char) is full


@pytest.mark.parametrize(("char", "chinese"), [
    ("中", True), ("\u3400", True),          # CJK Unified Ideographs, Extension A
    ("\U00020000", True),                   # Extension B
    ("\u2f00", True),                       # Kangxi radical 一
    ("、", True), ("〔", True),              # CJK Symbols and Punctuation
    ("，", True), ("０", True),              # Fullwidth Forms
    ("“", True), ("’", True),                # curly quotes in Chinese text
    ("a", False), ("1", False), (",", False), ("é", False),
    ("\uac00", False),                      # Hangul 가
    ("", False),
])
def test_is_chinese(char, chinese):
    assert cjk.is_chinese(char) is chinese


def test_has_chinese_tells_chinese_font_names():
    assert cjk.has_chinese("仿宋_GB2312")
    assert cjk.has_chinese("方正小标宋简体")
    assert not cjk.has_chinese("Times New Roman")


def test_invisible_characters():
    for char in "\u200b\u200c\u200d\u2060\ufeff":   # ZWSP, ZWNJ, ZWJ, WORD JOINER, BOM
        assert char in cjk.ZERO_WIDTH and char in cjk.INVISIBLE
    # A soft hyphen is invisible to the importer, but the reader keeps one a writer typed.
    assert "\u00ad" in cjk.INVISIBLE and "\u00ad" not in cjk.ZERO_WIDTH
    for char in " \u3000\u00a0a中":
        assert char not in cjk.INVISIBLE
    assert cjk.ZERO_WIDTH_PATTERN.sub("", "法\u200b治\ufeff") == "法治"


@pytest.mark.parametrize(("text", "units", "width"), [
    ("中文", 2, 4), ("ab", 2, 2), ("１２", 2, 4), ("，。", 2, 4),
    ("“”", 2, 2),                    # East Asian Ambiguous: one cell
    ("中a", 3, 4), ("", 2, 0),
])
def test_display_width_counts_wide_and_fullwidth_characters(text, units, width):
    assert cjk.display_width(text, units) == width


@pytest.mark.parametrize("text, scripts", [
    # A weak mark takes the script of the character before it; "·" (Latin-1) is Western.
    ("广“334”“622”等", "AALLLLLLLLLA"),
    ("京滇·澜", "AALA"),
    ("11.“编外", "LLLLAA"),
    ("15%，煤", "LLLAA"),
    # Weak marks that open a paragraph take the first strong script after them.
    ("“十四五”", "AAAAA"),
    ("2025—2027年", "LLLLLLLLLA"),
])
def test_libreoffice_scripts_follow_the_character_before(text, scripts):
    assert "".join(s[0].upper() for s in cjk.libreoffice_scripts(text)) == scripts


@pytest.mark.parametrize("before, after, joined", [
    ("、", "5", True), ("。", "1", True), ("，", "Q", True), ("）", "2", True),
    ("、", "五", False), ("；", "5", False), ("增", "5", False),
])
def test_libreoffice_keeps_a_closing_mark_with_a_following_digit_or_letter(before, after, joined):
    assert cjk.joins_across("libreoffice", before, after) is joined
    assert cjk.joins_across("word", before, after) is False
