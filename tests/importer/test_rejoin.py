"""Hard wraps without indentation: a PDF-to-text tool that drops the first-line indent still
wraps every line at one width, and a line shorter than that width ends its paragraph."""

from __future__ import annotations

from support.importing import imported

PARAGRAPHS = [
    "2024年，县人民政府坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大精神，"
    "全面贯彻落实习近平法治思想，扎实推进法治政府建设，各项工作取得明显成效。",
    "持续深化放管服改革，政务服务事项网上可办率达到百分之九十以上，企业开办时间压缩至一个工作日以内，"
    "群众办事更加便利，营商环境持续优化，市场主体活力不断增强。",
    "坚持严格规范公正文明执法，全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度，"
    "行政执法质量明显提高，执法行为更加规范，人民群众满意度稳步上升。",
    "不断加强行政权力制约监督，自觉接受人大监督和政协民主监督，认真办理代表建议和委员提案，"
    "全年办结率达到百分之百，政务公开工作不断深化，政府公信力进一步增强。",
]
WIDTH = 24  # Chinese characters per printed line: display width 48


def _wrapped(paragraphs: list[str]) -> str:
    lines = []
    for paragraph in paragraphs:
        lines.extend(paragraph[k:k + WIDTH] for k in range(0, len(paragraph), WIDTH))
    return "\n".join(lines)


def test_unindented_hard_wrapped_lines_are_joined_into_their_paragraphs():
    wrapped = _wrapped(PARAGRAPHS)
    assert wrapped.count("\n") + 1 >= 12 and not any(line.startswith((" ", "\u3000")) for line in wrapped.split("\n"))
    result = imported(wrapped, "figures")
    assert [item.text for item in result.items] == PARAGRAPHS
    assert result.counts.get("rejoin") == wrapped.count("\n") + 1 - len(PARAGRAPHS)
    kept = [item.text for item in imported(wrapped, "figures", "rejoin").items]
    assert not set(PARAGRAPHS) & set(kept) and kept[-1] == PARAGRAPHS[-1][-(len(PARAGRAPHS[-1]) % WIDTH):]


def test_a_line_that_stopped_short_of_a_number_is_joined_to_it():
    """pdftotext of a justified PDF: "…主动公开政府信息" ends two characters early because "4386"
    (with the gap before it) did not fit; the next line starts with the number, not a paragraph."""
    filler = "围绕稳经济、促发展、惠民生等重点领域加大主动公开力度，持续提升"  # 30 characters
    lines = [filler[:28]] * 6 + ["公开力度。全年通过县人民政府门户网站主动公开政府信息",
                                 "4386 条，其中政策文件 127 件，发布政策解读 52 篇，图解、音",
                                 "视频等多元化解读。"] + [filler[:28]] * 6
    result = imported("\n".join(lines), "figures")
    texts = [item.text for item in result.items]
    assert any("主动公开政府信息4386条，其中" in text for text in texts)
    # A line ending a sentence stays the end of its paragraph, number or not.
    lines[6] = "公开力度。全年通过县人民政府门户网站主动公开了信息。"
    texts = [item.text for item in imported("\n".join(lines), "figures").items]
    assert not any("公开了信息。4386" in text for text in texts)
