"""Widows and orphans in the PDF, read back from the produced file (issue 15): no first line of
a paragraph alone at the foot of a page, no last line alone at the head of the next one, and a
heading never the last line of a page."""

from __future__ import annotations

import pytest

from support.pdf import BOTTOM, CELL, LEFT, RIGHT, body_lines, long_markdown, read_markdown, text_lines, write_pdf

INDENT = LEFT + 2 * CELL


def starts_paragraph(line) -> bool:
    """A paragraph's (or a heading's) first line is indented two characters; the lines after it
    start at the left edge."""
    return abs(line.x0 - INDENT) < 0.5


def starts_at_left(line) -> bool:
    return abs(line.x0 - LEFT) < 0.5


@pytest.fixture(scope="module", params=["long", "seed", "full"])
def produced(request, tmp_path_factory, seed_read, full_read):
    if request.param == "long":
        document, profile = read_markdown(tmp_path_factory.mktemp("keeps"), long_markdown())
    else:
        document, profile = seed_read if request.param == "seed" else full_read
    return document, body_lines(text_lines(write_pdf(document, profile)))


def page_breaks(lines):
    """(last lines of a page, first lines of the next page) for each page break in the text."""
    for page in sorted({ln.page for ln in lines})[:-1]:
        before = [ln for ln in lines if ln.page == page]
        after = [ln for ln in lines if ln.page == page + 1]
        if before and after:
            yield before, after


def test_no_first_line_alone_at_the_foot_of_a_page(produced):
    _document, lines = produced
    for before, after in page_breaks(lines):
        last, following = before[-1], after[0]
        if starts_paragraph(last):
            # The paragraph started on the last line must end there too.
            assert not starts_at_left(following), (last.page, last.text, following.text)


def test_no_last_line_alone_at_the_head_of_a_page(produced):
    _document, lines = produced
    for before, after in page_breaks(lines):
        first = after[0]
        if not starts_at_left(first) or len(after) < 2:
            continue
        # A continued paragraph goes on: its first line here is not also its last one.
        ends_here = starts_paragraph(after[1]) or first.x1 < RIGHT - CELL
        assert not ends_here, (first.page, before[-1].text, first.text, after[1].text)


def test_no_heading_ends_a_page(produced):
    document, lines = produced
    headings = {block.printed for block in document.blocks if type(block).__name__ == "Heading"}
    assert headings
    for before, _after in page_breaks(lines):
        assert before[-1].text.replace(" ", "") not in headings, before[-1].text


CC = ["县委办公室", "县人大常委会办公室", "县政协办公室", "县纪委县监委", "县法院", "县检察院", "县人武部",
      "县委组织部", "县委宣传部", "县委政法委员会", "县委机构编制委员会办公室"]


def test_no_agency_name_is_split_across_lines_of_the_cc(tmp_path):
    """抄送 breaks only after a separator: never "县纪委县 / 监委" (issue 15)."""
    markdown = ("---\ntitle: 测试抄送\nissuer: 某某县人民政府\ndate: 2025-01-20\n"
                f"cc: [{', '.join(CC)}]\nprinted_by: 某某县人民政府办公室\nprinted_on: 2025-01-20\n---\n\n正文一段。\n")
    document, profile = read_markdown(tmp_path, markdown)
    lines = [ln for ln in text_lines(write_pdf(document, profile)) if abs(ln.size - 14.0) < 0.05 and ln.baseline <= BOTTOM]
    cc_lines = [ln.text.replace(" ", "") for ln in lines if "印发" not in ln.text]
    assert len(cc_lines) >= 2 and cc_lines[0].startswith("抄送：")
    names = [name for line in cc_lines for name in line.removeprefix("抄送：").rstrip("。").split("，") if name]
    assert names == CC


def test_a_cc_line_ending_early_on_a_whole_name_is_ragged_not_letter_spaced(tmp_path):
    """Names are kept whole, so a 抄送 line may end well short of the measure: it is set ragged
    right with the 版记's normal spacing, never spread to the edge ("某 某 县 人 民 法 院 ，") [H3]."""
    cc = ["某某县人民代表大会常务委员会办公室", "某某县中国人民政治协商会议委员会办公室", "县委办", "某某县人民法院",
          "某某县人民检察院", "某某县某某某某某某某某某某某委员会"]
    markdown = ("---\ntitle: 测试抄送\nissuer: 某某县人民政府\ndate: 2025-01-20\n"
                f"cc: [{', '.join(cc)}]\nprinted_by: 某某县人民政府办公室\nprinted_on: 2025-01-20\n---\n\n正文一段。\n")
    document, profile = read_markdown(tmp_path, markdown)
    lines = [ln for ln in text_lines(write_pdf(document, profile)) if abs(ln.size - 14.0) < 0.05 and ln.baseline <= BOTTOM]
    cc_lines = [ln for ln in lines if "印发" not in ln.text]
    assert len(cc_lines) >= 3
    short = [ln for ln in cc_lines if ln.x1 < RIGHT - 14.0 - 14.0]     # ends a character or more early
    assert short
    for line in cc_lines:
        gaps = [b["x0"] - a["x1"] for a, b in zip(line.chars, line.chars[1:])]
        assert max(gaps) < 0.5, line.text            # 4号 ideographs sit edge to edge on the 版记's grid


def test_the_signature_never_stands_with_one_line_on_the_last_page(seed_read):
    """The seed's last paragraph ends on the 21st line of a page: the blank line above the 署名
    gives way (GB/T 9704 7.3.5.5) so the 署名 closes that page, rather than a last page with one
    line of text and the 署名 (issue 15)."""
    document, profile = seed_read
    lines = body_lines(text_lines(write_pdf(document, profile)))
    [signature] = [ln for ln in lines if ln.text.replace(" ", "") == document.meta.issuer]
    above = [ln for ln in lines if ln.page == signature.page and ln.baseline < signature.baseline]
    assert len(above) >= 2
    assert signature.page == max(ln.page for ln in lines)


def test_a_paragraph_never_ends_on_a_line_of_one_character(tmp_path):
    """26 + 28 ideographs fill the first two lines; the 55th with its full stop would stand alone
    on the third. The second line gives up one character instead and is set a little looser."""
    text = ("法治政府建设" * 10)[:55] + "。"
    markdown = f"---\ntitle: 测试孤字\nissuer: 某某县人民政府\ndate: 2025-01-20\n---\n\n{text}\n"
    document, profile = read_markdown(tmp_path, markdown)
    lines = [ln for ln in body_lines(text_lines(write_pdf(document, profile))) if ln.text[:1] in text]
    paragraph = [ln.text.replace(" ", "") for ln in lines if ln.text.replace(" ", "") in text]
    assert "".join(paragraph) == text
    assert [len(line) for line in paragraph] == [26, 27, 3]
    second = next(ln for ln in lines if ln.text.replace(" ", "") == paragraph[1])
    assert abs(second.x1 - RIGHT) < 0.5          # still justified to the full measure
