"""Attachments in the PDF [gbt9704-kinds F8–F14]: each on a new page, "附件N" flush left on line 1
in 黑体, the title centred on line 3, page numbers running on, the 版记 after the last one on an
even page (a page holding only the 版记 carries no number)."""

from __future__ import annotations

import pytest

from exporter.reader import read_source
from exporter.writers.pdf.compose import Composition, Imprint, ImprintRow, Row
from exporter.writers.pdf.paginate import paginate
from support.paths import FIXTURES, ROOT
from support.pdf import BOTTOM, LEFT, PITCH, RIGHT, TOP, page_count, read_markdown, rules, text_lines, write_pdf

NUMBER_BASELINE_MIN = BOTTOM + 7 * 2.835  # the page number sits 7 mm below the 版心 [I1]


@pytest.fixture(scope="module")
def notice():
    result = read_source(ROOT / "source" / "notice-example.md")
    pdf = write_pdf(result.document, result.profile)
    return result.document, pdf, text_lines(pdf)


def _page_numbers(lines) -> dict[int, str]:
    return {ln.page: ln.text for ln in lines if ln.baseline > NUMBER_BASELINE_MIN}


def _line_of(baseline: float) -> int:
    """The 1-based grid line of the 版心 a baseline stands on."""
    return int((baseline - TOP) // PITCH) + 1


def test_each_attachment_starts_a_page_with_its_label_top_left_in_hei(notice):
    _, _, lines = notice
    for number in (1, 2):
        label = next(ln for ln in lines if ln.text.replace(" ", "") == f"附件{number}")   # [F9] no colon
        first_on_page = min((ln for ln in lines if ln.page == label.page), key=lambda ln: ln.baseline)
        assert first_on_page is label
        assert _line_of(label.baseline) == 1
        assert label.x0 == pytest.approx(LEFT, abs=0.5)
        assert label.size == 16.0
        # 附件 in 黑体 (the number in the role's Latin face, as Word sets digits)
        assert all("Hei" in c["fontname"] for c in label.chars if c["text"] in "附件")


def test_attachment_title_is_centred_from_line_three_in_the_title_face(notice):
    document, _, lines = notice
    label = next(ln for ln in lines if ln.text.replace(" ", "") == "附件1")
    title = [ln for ln in lines if ln.page == label.page and ln.size == 22.0]
    assert "".join(ln.text for ln in title).replace(" ", "") == document.attachments[0].title   # [F11]
    assert _line_of(title[0].baseline) == 3                                                       # [F10]
    for line in title:
        assert (line.x0 + line.x1) / 2 == pytest.approx((LEFT + RIGHT) / 2, abs=2.0)
    assert not [ln for ln in lines if ln.page == label.page and _line_of(ln.baseline) == 2]


def test_the_attachment_list_is_generated_from_the_attachments(notice):
    document, _, lines = notice
    texts = [ln.text.replace(" ", "") for ln in lines]
    assert "附件：1." + document.attachments[0].title in texts
    assert "2." + document.attachments[1].title in texts


def test_page_numbers_run_on_through_the_attachments(notice):
    _, pdf, lines = notice
    numbers = _page_numbers(lines)
    assert page_count(pdf) == 4
    assert [numbers[p].replace(" ", "") for p in range(1, 5)] == ["—1—", "—2—", "—3—", "—4—"]   # [F12]


def test_attachment_table_and_figures_are_printed(notice):
    _, _, lines = notice
    label = next(ln for ln in lines if ln.text.replace(" ", "") == "附件1")
    on_page = " ".join(ln.text for ln in lines if ln.page == label.page)
    assert "县政务服务管理局" in on_page and "表1" in on_page.replace(" ", "")


def test_imprint_follows_the_last_attachment_at_the_bottom_of_an_even_page(notice):
    _, pdf, lines = notice
    last = page_count(pdf)
    assert last % 2 == 0
    cc = next(ln for ln in lines if ln.text.startswith("抄送"))
    assert cc.page == last
    label = next(ln for ln in lines if ln.text.replace(" ", "") == "附件2")
    assert label.page <= cc.page
    bottom_rule = max(rules(pdf, last), key=lambda r: r["y"])
    assert bottom_rule["y"] == pytest.approx(BOTTOM, abs=1.5)                                  # [F14, H2]


# An issued (印发) attachment and a numbered one whose text ends on an odd page, so the 版记 moves [F14].
ODD = (FIXTURES / "attachments-odd-pages.md").read_text(encoding="utf-8")


def test_odd_last_page_moves_the_imprint_to_an_unnumbered_even_page(tmp_path):
    document, profile = read_markdown(tmp_path, ODD)
    pdf = write_pdf(document, profile)
    lines = text_lines(pdf)
    assert page_count(pdf) == 4
    cc = next(ln for ln in lines if ln.text.startswith("抄送"))
    assert cc.page == 4
    assert not [ln for ln in lines if ln.page == 4 and not ln.text.startswith(("抄送", "某某县人民政府办公室"))]
    numbers = _page_numbers(lines)
    assert sorted(numbers) == [1, 2, 3]                                                         # [F14, 7.5]


def test_an_issued_attachment_has_its_title_and_no_label(tmp_path):
    document, profile = read_markdown(tmp_path, ODD)
    lines = text_lines(write_pdf(document, profile))
    title = next(ln for ln in lines if ln.text.replace(" ", "") == "某某县行政执法公示办法")
    assert title.page == 2 and _line_of(title.baseline) == 1 and title.size == 22.0
    # The issued one is neither numbered nor listed: the other is the only 附件, so "附件" alone.
    label = next(ln for ln in lines if ln.text.replace(" ", "") == "附件")
    assert label.page == 3
    assert "附件：某某县行政执法公示事项清单" in [ln.text.replace(" ", "") for ln in lines]
    assert not [ln for ln in lines if "附件：" in ln.text and "办法" in ln.text]


def _rows(count: int) -> list:
    return [Row("text") for _ in range(count)]


def test_a_full_even_last_page_gets_a_blank_page_and_the_imprint_page_both_unnumbered():
    imprint = Imprint([ImprintRow([], 14.0, 0.1, 1.0)], 1.0)
    rows = _rows(22 * 2)
    pages = paginate(Composition(rows, imprint), 22, imprint_on_even_page=True)
    assert len(pages) == 4
    assert [p.numbered for p in pages] == [True, True, False, False]
    assert pages[3].imprint is imprint and pages[2].imprint is None and not pages[2].rows


def test_without_the_rule_the_imprint_takes_the_next_page_numbered():
    imprint = Imprint([ImprintRow([], 14.0, 0.1, 1.0)], 1.0)
    pages = paginate(Composition(_rows(22 * 2), imprint), 22)
    assert len(pages) == 3 and all(p.numbered for p in pages)


def test_a_new_page_row_starts_a_page():
    rows = _rows(3) + [Row("attachment_label", new_page=True)] + _rows(2)
    pages = paginate(Composition(rows, None), 22)
    assert [len(p.rows) for p in pages] == [3, 3]


LANDSCAPE = """---
title: 某某县人民政府关于报送统计表的通知
issuer: 某某县人民政府
date: 2025-03-10
cc: [县委办公室]
printed_by: 某某县人民政府办公室
printed_on: 2025-03-11
---

现将统计表印发给你们。

::: attachment 某某县统计表

```table {#wide caption="宽表" unit="件" orientation="landscape"}
| 项目 | 一月 {#m1} | 二月 {#m2} | 三月 {#m3} |
|---|---|---|---|
| 收到 {#got} | 1 | 2 | 3 |
```

说明文字。

:::
"""


def test_a_landscape_table_in_an_attachment_takes_a_page_of_its_own(tmp_path):
    document, profile = read_markdown(tmp_path, LANDSCAPE)
    pdf = write_pdf(document, profile)
    lines = text_lines(pdf)
    label = next(ln for ln in lines if ln.text.replace(" ", "") == "附件")
    # The table is drawn turned (one character a pdfplumber line): find its page by a character.
    table_pages = {ln.page for ln in lines if "宽" in ln.text}
    after = next(ln for ln in lines if ln.text.startswith("说明文字"))
    assert (label.page, after.page) == (2, 4) and table_pages == {3}                           # [F15, T1]
    assert next(ln for ln in lines if ln.text.startswith("抄送")).page == 4
