"""The .docx and the PDF print the same furniture, and it is the furniture GB/T 9704 asks for.

Title lines, 主送, 附件说明, 署名, 成文日期, 附注, 抄送, 印发 and the page number are read back from
the Word XML (paragraphs by style, the 版记 table, the footer) and from the PDF's text lines, and
compared with each other and with strings written out here. The scratch sources reproduce the
three ways the writers once differed: a 附注 typed in brackets, a 抄送 entry ending in "。", and a
profile numbering attachments "1、".
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from exporter.furniture import cc_line, note_text, numbered_attachments, recipients_line
from exporter.profile import load_profile
from exporter.reader import read_source
from exporter.writers.docx import write as write_docx

from support.paths import ROOT
from support.pdf import TextLine, text_lines, write_pdf

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

FULL_FIXTURE_EXPECTED = {
    "title": ("某某县人民政府关于2024年度", "法治政府建设情况的报告"),
    "recipients": "某某市人民政府：",
    "attachments": ("附件：1.某某县2024年度法治政府建设重点指标完成情况表", "2.某某县2024年度行政复议和行政应诉案件统计表"),
    "issuer": "某某县人民政府",
    "date": "2025年1月20日",
    "note": "（此件公开发布）",
    "cc": "抄送：市委依法治市办，市司法局。",
    "printed": ("某某县人民政府办公室", "2025年1月20日印发"),
    "page_number": "— 1 —",
}

DRIFT_SOURCE = """---
title: 某某县人民政府关于2024年度法治政府建设情况的报告
issuer: 某某县人民政府
date: 2025-01-20
recipients: 某某市人民政府
note: {note}
attachments:
  - 重点指标完成情况表
  - 案件统计表
cc:
  - 市委依法治市办
  - 市司法局。
printed_by: 某某县人民政府办公室
printed_on: 2025-01-20
profile: {profile}
---

2024年，某某县全面推进法治政府建设。
"""


def drift_expected(note: str, number: str) -> dict:
    return {
        "title": ("某某县人民政府关于2024年度", "法治政府建设情况的报告"),
        "recipients": "某某市人民政府：",
        "attachments": (f"附件：1{number}重点指标完成情况表", f"2{number}案件统计表"),
        "issuer": "某某县人民政府",
        "date": "2025年1月20日",
        "note": note,
        "cc": "抄送：市委依法治市办，市司法局。",
        "printed": ("某某县人民政府办公室", "2025年1月20日印发"),
        "page_number": "— 1 —",
    }


# -- reading the furniture back ---------------------------------------------------------------

def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{{{W}}}t"))


def docx_furniture(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        footer = etree.fromstring(z.read("word/footer1.xml"))

    def styled(style: str) -> list:
        return body.xpath(".//w:p[w:pPr/w:pStyle/@w:val=$style]", namespaces=NS, style=style)

    def single(style: str) -> str:
        found = [_text(p) for p in styled(style)]
        assert len(found) == 1, (style, found)
        return found[0]

    imprint = styled("Imprint")
    assert len(imprint) == 2, [_text(p) for p in imprint]
    # The 印发 line: 印发机关, a tab to the right-aligned stop, 印发日期.
    printed_by, printed_on = [], []
    side = printed_by
    for element in imprint[1].iter(f"{{{W}}}t", f"{{{W}}}tab"):
        if element.tag == f"{{{W}}}tab":
            side = printed_on
        else:
            side.append(element.text or "")
    return {
        "title": tuple(_text(p) for p in styled("Title")),
        "recipients": single("Recipients"),
        "attachments": tuple(_text(p) for p in styled("Attachments")),
        "issuer": single("Signature"),
        "date": single("SignDate"),
        "note": single("Note"),
        "cc": _text(imprint[0]),
        "printed": ("".join(printed_by), "".join(printed_on)),
        # The footer's PAGE field caches "1" for the first (odd) page.
        "page_number": _text(footer),
    }


def printed_in_pdf(lines: list[TextLine], text: str) -> bool:
    """Whether `text` is printed as whole consecutive lines of one page (wrapped or not)."""
    for start in range(len(lines)):
        joined = ""
        for line in lines[start:]:
            if line.page != lines[start].page:
                break
            joined += line.text
            if joined == text:
                return True
            if not text.startswith(joined):
                break
    return False


def assert_same_furniture(document, profile, expected: dict) -> None:
    out = io.BytesIO()
    write_docx(document, profile, out)
    in_docx = docx_furniture(out.getvalue())
    lines = text_lines(write_pdf(document, profile))
    assert in_docx == expected
    title = tuple(line.text for line in lines if line.page == 1 and abs(line.size - 22.0) < 0.05)
    assert title == expected["title"]
    for key in ("recipients", "issuer", "date", "note", "cc", "page_number"):
        assert printed_in_pdf(lines, expected[key]), (key, expected[key], [ln.text for ln in lines])
    for item in expected["attachments"]:
        assert printed_in_pdf(lines, item), (item, [ln.text for ln in lines])
    # 印发机关 and 印发日期 share the last line of the 版记, the date right of the 机关.
    printed_by, printed_on = expected["printed"]
    row = [ln for ln in lines if ln.text == printed_by + printed_on]
    assert len(row) == 1, [ln.text for ln in lines]
    chars = row[0].chars
    assert chars[len(printed_by)]["x0"] > chars[len(printed_by) - 1]["x1"] + 16


# -- the tests --------------------------------------------------------------------------------

def test_full_fixture_prints_the_same_furniture_in_both_formats(full_read):
    document, profile = full_read
    assert_same_furniture(document, profile, FULL_FIXTURE_EXPECTED)


def _house_profile(folder: Path, number: str) -> Path:
    text = (ROOT / "templates" / "gbt9704.toml").read_text(encoding="utf-8")
    changed, count = re.subn(r'(?m)^number = "\{n\}\."', f'number = "{{n}}{number}"', text)
    assert count == 1
    path = folder / "house.toml"
    path.write_text(changed, encoding="utf-8")
    return path


@pytest.mark.parametrize(("note", "printed_note"), [
    ("（此件公开发布）", "（此件公开发布）"),          # brackets typed by the writer: printed once
    ("(此件公开发布)", "（此件公开发布）"),             # half-width brackets too
    ("此件公开发布", "（此件公开发布）"),
    ("此件公开发布（摘要）", "（此件公开发布（摘要））"),  # not enclosing the note: kept, and enclosed
], ids=["bracketed", "half-width-brackets", "bare", "inner-brackets"])
@pytest.mark.parametrize("number", ["、", "."], ids=["dun-hao", "point"])
def test_drift_sources_print_the_same_furniture_in_both_formats(tmp_path, note, printed_note, number):
    _house_profile(tmp_path, number)
    source = tmp_path / "drift.md"
    source.write_text(DRIFT_SOURCE.format(note=note, profile="house.toml"), encoding="utf-8")
    result = read_source(source)
    assert result.document is not None, result.diagnostics
    assert result.profile.attachments.number == "{n}" + number
    assert_same_furniture(result.document, result.profile, drift_expected(printed_note, number))


# -- the rules, without a writer --------------------------------------------------------------

@pytest.fixture(scope="module")
def profile():
    return load_profile("gbt9704")


@pytest.mark.parametrize(("cc", "line"), [
    (("市委依法治市办", "市司法局"), "抄送：市委依法治市办，市司法局。"),
    (("市委依法治市办", "市司法局。"), "抄送：市委依法治市办，市司法局。"),
    (("市委依法治市办。", "市司法局。。"), "抄送：市委依法治市办，市司法局。"),
    (("市委依法治市办，", " 市司法局 "), "抄送：市委依法治市办，市司法局。"),
    (("市司法局",), "抄送：市司法局。"),
    ((), None),
])
def test_cc_line_has_one_separator_between_agencies_and_one_full_stop(profile, cc, line):
    assert cc_line(cc, profile) == line


@pytest.mark.parametrize(("note", "printed"), [
    ("（此件公开发布）", "（此件公开发布）"),
    ("（此件公开发布)", "（此件公开发布）"),
    (" 此件公开发布 ", "（此件公开发布）"),
    ("（一）此件公开发布（摘要）", "（（一）此件公开发布（摘要））"),
    ("（（此件公开发布））", "（（此件公开发布））"),
    ("", None),
    (None, None),
])
def test_note_is_enclosed_in_one_pair_of_brackets(profile, note, printed):
    assert note_text(note, profile) == printed


@pytest.mark.parametrize(("recipients", "printed"), [
    ("某某市人民政府", "某某市人民政府："),
    ("某某市人民政府：", "某某市人民政府："),
    ("某某市人民政府:", "某某市人民政府："),
    ("  ", None),
    (None, None),
])
def test_recipients_end_with_one_full_width_colon(recipients, printed):
    assert recipients_line(recipients) == printed


def test_a_single_attachment_is_not_numbered(profile):
    assert numbered_attachments(("统计表",), profile) == (("", "统计表"),)
    assert numbered_attachments(("甲表", "乙表"), profile) == (("1.", "甲表"), ("2.", "乙表"))
    assert numbered_attachments((), profile) == ()
