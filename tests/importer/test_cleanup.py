"""`exporter import` clean-ups: each one changes what it should, is counted, and can be switched off."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.paths import FIXTURES
from exporter.cjk import display_width
from support.importing import body_lines, imported, read_back

CORPUS = FIXTURES / "corpus"


def test_half_width_punctuation_in_chinese_text_becomes_full_width(tmp_path):
    text = "一、成效\n2021年,全县(含9个乡镇)推进改革;成效如何?显著!比例为1:2,金额3,000元,时间10:30。"
    result = imported(text, "figures")
    assert body_lines(read_back(result, tmp_path))[1] == (
        "2021年，全县（含9个乡镇）推进改革；成效如何？显著！比例为1:2，金额3,000元，时间10:30。"
    )
    assert result.counts.get("punctuation") == 8
    kept = imported(text, "figures", "punctuation")
    assert body_lines(read_back(kept, tmp_path))[1] == text.split("\n")[1]
    assert kept.counts.get("punctuation") == 0


def test_straight_quotes_in_chinese_text_become_curly(tmp_path):
    text = "一、成效\n采取“数字政府专班+牵头考核单位\"计分模式，推进\"一网通办\"。"
    result = imported(text)
    assert body_lines(read_back(result, tmp_path))[1] == "采取“数字政府专班+牵头考核单位”计分模式，推进“一网通办”。"


def test_full_width_digits_and_letters_become_ascii_with_their_separators(tmp_path):
    text = "一、决算\n本年收入合计２７，２０３，３１９，０００元，完成预算的９６．９８％，ＡＢ类。"
    result = imported(text, "figures")
    assert body_lines(read_back(result, tmp_path))[1] == "本年收入合计27,203,319,000元，完成预算的96.98%，AB类。"
    assert result.counts.get("width") == 22
    kept = imported(text, "figures", "width")
    assert body_lines(read_back(kept, tmp_path))[1] == text.split("\n")[1]


def test_a_full_width_dot_after_a_number_is_a_heading_number_not_a_decimal(tmp_path):
    text = "一、工作重点\n（一）产业\n1.农业\n2.工业\n3．10种有色金属\n铜、铅、锌。"
    document = read_back(imported(text), tmp_path)
    assert [(h.level, h.label + h.text) for h in document.headings()][-1] == (3, "3.10种有色金属")


def test_zero_width_characters_are_removed_and_a_word_they_split_is_rejoined(tmp_path):
    text = "\u200b\n\n一、回顾\n\n交出一份人\n\n\u200b\n\n民满意的答卷。\n\n\u200b\n\n各位代表！\u200b\n"
    result = imported(text)
    assert body_lines(read_back(result, tmp_path)) == ["回顾", "交出一份人民满意的答卷。", "各位代表！"]
    assert result.counts.get("invisible") == 4
    assert result.counts.get("rejoin") == 1
    kept = imported(text, "invisible")
    # Kept inside text when asked (a line of nothing but zero-width characters is blank either way).
    assert "各位代表！\u200b\n" in kept.markdown and kept.counts.get("invisible") == 0


def test_indents_and_stray_spaces_are_removed(tmp_path):
    text = "一、成效\n\u3000\u3000全县压缩时限56.75 %以上。\n    第二段。\n第三条\u2002\u3000本办法自颁布之日起施行。"
    result = imported(text, "figures")
    assert body_lines(read_back(result, tmp_path))[1:] == [
        "全县压缩时限56.75%以上。", "第二段。", "第三条\u3000本办法自颁布之日起施行。"]
    assert (result.counts.get("indent"), result.counts.get("spaces")) == (2, 2)
    kept = imported(text, "figures", "spaces")
    # Indentation always goes (the layout indents); the stray spaces stay when asked.
    assert body_lines(read_back(kept, tmp_path))[1:] == [
        "全县压缩时限56.75 %以上。", "第二段。", "第三条\u2002\u3000本办法自颁布之日起施行。"]
    assert kept.counts.get("spaces") == 0


def test_lines_broken_around_a_link_are_rejoined(tmp_path):
    text = "一、目标\n根据《\n中共中央关于制定规划的建议\n》，国务院编制了《\n纲要（草案）\n》。\n下一段。"
    result = imported(text)
    assert body_lines(read_back(result, tmp_path)) == ["目标", "根据《中共中央关于制定规划的建议》，国务院编制了《纲要（草案）》。", "下一段。"]
    assert result.counts.get("rejoin") == 4
    kept = imported(text, "rejoin")
    assert len(body_lines(read_back(kept, tmp_path))) == 7


def _pdf_to_text_of(text: str, width: int = 56, page_lines: int = 22) -> str:
    """What a PDF-to-text tool makes of `text`: indented paragraphs wrapped at a fixed width, a
    page number and a form feed after every page."""
    lines = []
    for paragraph in filter(None, text.split("\n")):
        line = "\u3000\u3000"
        for ch in paragraph:
            if display_width(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    out = []
    for index, line in enumerate(lines, start=1):
        out.append(line)
        if index % page_lines == 0:
            out.extend([f"— {index // page_lines} —", "\f"])
    return "\n".join(out)


def test_hard_wrapped_pdf_text_gives_the_same_source_as_the_unwrapped_text():
    seed = (CORPUS / "yaoan-2021.txt").read_text(encoding="utf-8")
    wrapped = _pdf_to_text_of(seed)
    assert wrapped.count("\n") > 150
    plain, rejoined = imported(seed), imported(wrapped)
    assert [(type(i).__name__, i.text) for i in rejoined.items] == [(type(i).__name__, i.text) for i in plain.items]
    body = lambda markdown: markdown.split("\n---\n", 1)[1]  # noqa: E731
    assert body(rejoined.markdown) == body(plain.markdown)
    pages = wrapped.count("\f")
    assert rejoined.counts.get("furniture") == 2 * pages
    assert [r.reason for r in rejoined.removed] == ["page number"] * pages


@pytest.mark.parametrize("line", ["-1-", "- 12 -", "— 3 —", "－4－", "第 5 页 共 9 页", "第6页"])
def test_page_numbers_are_dropped(line, tmp_path):
    result = imported(f"一、回顾\n工作有成效，\n{line}\n继续推进。")
    assert [(r.text, r.reason) for r in result.removed] == [(line, "page number")]
    kept = imported(f"一、回顾\n工作有成效。\n{line}\n继续推进。", "furniture")
    assert line in body_lines(read_back(kept, tmp_path))


def test_web_and_database_lines_and_a_licence_footer_are_dropped(tmp_path):
    text = "\n".join([
        "    【法宝引证码】 CLI.12.5115678",
        "原文链接：https://www.pkulaw.com/lar/ea5258e56c60aba96802bb670d6bf530bdfb.html",
        "关于印发办法的通知",
        "来源：北京日报",
        "一、总则",
        "正文第一段。", "正文第二段。", "正文第三段。", "正文第四段。", "正文第五段。", "正文第六段。",
        "本作品是中华人民共和国的",
        "法律",
        "，国家机关的决议。",
        "Public domain",
        "false",
    ])
    result = imported(text)
    assert [(r.origin[0], r.reason) for r in result.removed if r.moved_to is None] == [
        (1, "database citation code"), (2, "web link line"), (4, "web source line"),
        (12, "licence footer"), (13, "licence footer"), (14, "licence footer"), (15, "licence footer"),
        (16, "licence footer"),
    ]
    assert result.counts.get("boilerplate") == 8
    assert body_lines(read_back(result, tmp_path))[-1] == "正文第六段。"
    kept = read_back(imported(text, "boilerplate"), tmp_path)
    assert body_lines(kept)[-1] == "false"
    # Kept as the title (broken into two lines by the reader, the space falling at the break).
    assert kept.meta.title == ("【法宝引证码】", "CLI.12.5115678")


def test_a_dash_written_as_two_horizontal_bars_becomes_the_standard_dash(tmp_path):
    """Word (code page 936) and this tool's .docx write the 破折号 as U+2015 U+2015; the source
    holds GB/T 15834's U+2014 U+2014, so a .docx round trip gives back what was written."""
    result = imported("部门协同监管平台\u2015\u2015内蒙古开展“双随机、一公开”监管。\n", "figures")
    assert [item.text for item in result.items] == ["部门协同监管平台——内蒙古开展“双随机、一公开”监管。"]
    assert result.counts.get("dashes") == 1
