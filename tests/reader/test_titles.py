"""Title breaking (GB/T 9704 D3), done once by the reader so the .docx and the PDF agree."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.reader import read_source
from exporter.cjk import NO_START
from exporter.titles import break_title

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


@pytest.mark.parametrize("title", [
    "某某县人民政府关于2024年度法治政府建设情况的报告",
    "姚安县人民政府关于2021年法治政府建设工作情况的报告",
    "国务院关于2023年度国有资产管理情况的综合报告",
    "某某市人民政府办公室关于印发某某市推进政务数据共享开放实施方案的通知",
])
def test_titles_break_per_d3(title):
    lines = break_title(title, 20)
    assert "".join(lines) == title and len(lines) >= 2
    assert all(len(line) <= 20 for line in lines)
    assert len({len(line) for line in lines}) > 1                      # not equal lengths
    assert not any(line.endswith("的") for line in lines[:-1])
    assert not any(line[0] in NO_START for line in lines)
    if len(lines) == 3:
        assert not (len(lines[1]) < len(lines[0]) and len(lines[1]) < len(lines[2]))  # no hourglass


def test_title_keeps_the_year_whole_and_prefers_a_longer_first_line():
    assert break_title("某某县人民政府关于2024年度法治政府建设情况的报告", 20) == (
        "某某县人民政府关于2024年度", "法治政府建设情况的报告")


def test_short_title_is_one_line():
    assert break_title("姚安县2021年法治政府建设年度报告", 20) == ("姚安县2021年法治政府建设年度报告",)


@pytest.mark.parametrize("length", [61, 79, 200])
def test_long_titles_get_balanced_lines(length):
    lines = break_title("某" * length, 20)
    assert "".join(lines) == "某" * length
    assert all(len(line) <= 20 for line in lines)
    assert len(lines) == -(-length // 20)
    assert max(map(len, lines)) - min(map(len, lines)) <= 1


def test_reader_breaks_a_one_string_title_and_keeps_given_lines(tmp_path):
    path = tmp_path / "t.md"
    path.write_text("---\ntitle: 某某市人民政府办公室关于印发某某市推进政务数据共享开放实施方案的通知\n---\n",
                    encoding="utf-8")
    meta = read_source(path).document.meta
    assert meta.title == ("某某市人民政府办公室关于印发", "某某市推进政务数据共享开放实施方案的通知")
    assert not meta.title_given_as_lines
    path.write_text("---\ntitle: [某某县人民政府关于2024年度法治政府建设工作, 情况的报告]\n---\n", encoding="utf-8")
    result = read_source(path, shown_path="t.md")
    assert result.document.meta.title == ("某某县人民政府关于2024年度法治政府建设工作", "情况的报告")
    assert [str(w) for w in result.warnings] == [
        "t.md:2:8: warning: title line '某某县人民政府关于2024年度法治政府建设工作' has 23 characters; "
        "GB/T 9704 allows 20 [D3]"]


@pytest.mark.parametrize("title", [
    "某某县人民政府关于印发《某某县推进政务数据共享开放实施方案》的通知",
    "关于转发省人民政府办公厅《关于加快推进一网通办的实施意见》的通知",
    "某某县人民政府办公室关于进一步加强全县政务公开标准化规范化建设工作的通知",
])
def test_the_last_line_is_never_a_stray_word(title):
    """Issue 15: never "的通知" (or two or three characters) alone on the last line."""
    lines = break_title(title, 20, (ISSUER,))
    assert "".join(lines) == title and all(len(line) <= 20 for line in lines)
    assert len(lines[-1]) > 3 and lines[-1] not in ("的通知", "情况的报告", "的报告")


def test_a_book_title_that_fits_a_line_is_not_broken():
    lines = break_title("关于转发省人民政府办公厅《关于加快推进一网通办的实施意见》的通知", 20)
    assert any("《关于加快推进一网通办的实施意见》" in line for line in lines)


@pytest.mark.parametrize("title, name", [
    ("某某市人民政府关于同意设立某某县经济技术开发区管理委员会的批复", "某某县经济技术开发区管理委员会"),
    ("某某县人民政府关于某某镇人民政府违规举债问题整改情况的报告", "某某镇人民政府"),
])
def test_an_organisation_name_is_not_broken(title, name):
    lines = break_title(title, 20, (ISSUER,))
    assert any(name in line for line in lines), lines


@pytest.mark.parametrize("title, issuers, expected", [
    # Never inside a number with its unit or an ordinal: not "2026年第 / 1次".
    ("某某县财政局2026年第1次局长办公会议纪要", ("某某县财政局",),
     ("某某县财政局2026年第1次", "局长办公会议纪要")),
    # "2026年第一季度" is one time phrase.
    ("某某县人民政府办公室关于做好2026年第一季度安全生产工作的通知", ("某某县人民政府办公室",),
     ("某某县人民政府办公室关于做好", "2026年第一季度安全生产工作的通知")),
    # Not "关于2026年度 / (20 characters)": no line under about half of the longest.
    ("关于2026年度某某县农村集体经济组织财务审计结果的公告", (),
     ("关于2026年度某某县农村集体经济组织", "财务审计结果的公告")),
    # Two lines rather than the issuer alone on a short first line of three.
    ("某某县司法局关于商请协助开展2025年度行政执法案卷交叉评查的函", ("某某县司法局",),
     ("某某县司法局关于商请协助开展2025年度", "行政执法案卷交叉评查的函")),
    # Not "…政 / 府…" nor the issuer alone over a line more than twice as long.
    ("青岚县人民政府2023年政府信息公开工作年度报告", ("青岚县人民政府",),
     ("青岚县人民政府2023年", "政府信息公开工作年度报告")),
])
def test_titles_keep_number_phrases_whole_and_lines_balanced(title, issuers, expected):
    assert break_title(title, 20, issuers) == expected


@pytest.mark.parametrize("title, phrase", [
    ("某某县财政局2026年第1次局长办公会议纪要", "2026年第1次"),
    ("某某县人民政府办公室关于做好2026年第一季度安全生产工作的通知", "2026年第一季度"),
    ("某某县人民政府关于召开第十二届人民代表大会第3次会议有关事项的通知", "第十二届"),
    ("某某县人民政府关于2025年12月份全县安全生产检查情况的通报", "2025年12月份"),
])
def test_a_number_phrase_is_never_split(title, phrase):
    lines = break_title(title, 20)
    assert "".join(lines) == title
    assert any(phrase in line for line in lines)


BALANCED_TITLES = [
    "关于2026年度某某县农村集体经济组织财务审计结果的公告",
    "某某县财政局2026年第1次局长办公会议纪要",
    "某某县人民政府办公室关于做好2026年第一季度安全生产工作的通知",
    "某某县司法局关于商请协助开展2025年度行政执法案卷交叉评查的函",
    "青岚县人民政府2023年政府信息公开工作年度报告",
    "某某县人民政府关于印发某某县行政执法公示制度实施办法的通知",
]


@pytest.mark.parametrize("title", BALANCED_TITLES)
def test_no_line_is_under_about_half_of_the_longest(title):
    lengths = [len(line) for line in break_title(title, 20)]
    assert 2 * min(lengths) >= max(lengths) - 1


@pytest.mark.parametrize("title", [
    "某某县财政局2026年第1次局长办公会议纪要",
    "关于2026年度某某县农村集体经济组织财务审计结果的公告",
])
def test_the_docx_and_the_pdf_print_the_same_title_lines(tmp_path, title):
    import io
    import zipfile

    from lxml import etree

    from exporter.writers.docx import write as write_docx
    from support.pdf import text_lines, write_pdf

    path = tmp_path / "t.md"
    path.write_text(f"---\ntitle: {title}\nissuer: 某某县财政局\ndate: 2026-02-01\n---\n\n正文一段。\n", encoding="utf-8")
    read = read_source(path)
    expected = list(break_title(title, 20, ("某某县财政局",)))
    pdf_title = [ln.text for ln in text_lines(write_pdf(read.document, read.profile)) if ln.size == 22.0]
    out = io.BytesIO()
    write_docx(read.document, read.profile, out)
    body = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    docx_title = ["".join(p.itertext()) for p in body.iterfind(".//w:p", ns)
                  if p.find("w:pPr/w:pStyle[@w:val='Title']", ns) is not None]
    assert pdf_title == docx_title == expected
