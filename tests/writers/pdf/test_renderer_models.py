"""The `libreoffice` renderer model sets lines as LibreOffice 7.4 sets the .docx: weak marks take
the script of the character before them, and a text portion's last character gets no character
spacing. Both read back from the PDF, against a profile that turns just these two off."""

from __future__ import annotations

import pytest

from support.pdf import body_lines, read_markdown, text_lines, write_pdf

# The second paragraph's second line is the one corpus 04 showed: with the −0.25 pt spacing after
# every character it fills the measure to within 0.03 pt; LibreOffice, which leaves the spacing out
# after "%" before "，" (a change of script), ends it one character earlier.
SOURCE = """---
title: 测试报告
profile: gbt9704-libreoffice
---

一二三四五六七八九十一二三四五六七八九十一二三四五六产品产量增长的情况是：发电增长15%，煤增长17%，原油增长的情况良好。

总结推广“334”“622”等联农带农模式，开行“京滇·澜湄线”国际货运班列。

一二三四五六七八九十一二三四五六七八九十一二三四五、5件大中型水库和小型水库。
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from exporter.profile import load_profile

    folder = tmp_path_factory.mktemp("renderer")
    document, profile = read_markdown(folder, SOURCE)
    (folder / "without.toml").write_text(
        'extends = "gbt9704-libreoffice"\n[renderer]\nportion_end_spacing = true\nweak_follows_script = false\n',
        encoding="utf-8")
    without = load_profile(str(folder / "without.toml"))
    return (body_lines(text_lines(write_pdf(document, profile))),
            body_lines(text_lines(write_pdf(document, without))))


def _marks(line) -> list[tuple[str, str, float]]:
    return [(c["text"], c["fontname"].split("+", 1)[-1], round(c["x1"] - c["x0"], 1))
            for c in line.chars if c["text"] in "“”·"]


def test_a_portion_end_without_spacing_moves_a_full_line_break(rendered):
    libreoffice, without = rendered
    assert [line.text for line in libreoffice[:3]] == [
        "一二三四五六七八九十一二三四五六七八九十一二三四五六",
        "产品产量增长的情况是：发电增长15%，煤增长17%，原油增",
        "长的情况良好。",
    ]
    assert without[1].text.endswith("原油增长")


def test_weak_marks_after_western_text_and_the_middle_dot_take_the_latin_face(rendered):
    libreoffice, without = rendered
    line = next(line for line in libreoffice if line.text.startswith("总结推广"))
    marks = _marks(line)
    # “ after 广 stays Chinese and full width; ” after 334, “ after that ”, ” after 622 and the
    # "·" are Liberation Serif, as narrow as LibreOffice draws them (7.1 pt and 5.3 pt at 16 pt).
    assert marks[0][0] == "“" and "Liberation" not in marks[0][1] and marks[0][2] == 16.0
    assert [(text, "Liberation" in font, width) for text, font, width in marks[1:4]] == [
        ("”", True, 7.1), ("“", True, 7.1), ("”", True, 7.1)]
    assert ("·", True, 5.3) in [(text, "Liberation" in font, width) for text, font, width in marks]
    # The quote after 开行 is Chinese again.
    assert [width for text, _font, width in marks if text == "“"][-1] == 16.0
    # Without the rule every mark is the Chinese face's, one em wide, as Word sets them.
    plain = next(line for line in without if line.text.startswith("总结推广"))
    assert {(width, "Liberation" in font) for _text, font, width in _marks(plain)} == {(16.0, False)}


def test_a_closing_mark_stays_with_the_digit_after_it(rendered):
    libreoffice, _without = rendered
    # 25 characters and "、" fill the first line exactly; LibreOffice does not break between "、"
    # and "5" (its line.txt rule 30, CL × NU), and "、" may not start a line, so "五、" goes down.
    first = next(k for k, line in enumerate(libreoffice) if "水库" in line.text) - 1
    assert libreoffice[first].text == "一二三四五六七八九十一二三四五六七八九十一二三四"
    assert libreoffice[first + 1].text.startswith("五、5件")
