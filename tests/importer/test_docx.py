"""`exporter import` on .docx input: styles, outline levels, Word's numbering, bookmarks, tables,
and the round trip — a .docx made by the Word writer imports back to the same model."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from exporter.importer import import_file
from exporter.model import Heading
from exporter.reader import read_source
from exporter.writers import available_formats, get_writer
from support.importing import body_lines, read_back

from support.paths import ROOT
CORPUS = ROOT / "tests" / "fixtures" / "corpus"


def _numbering(document: docx.Document) -> str:
    """Add a Word list 一、 / （一） / 1. and return its numId."""
    numbering = document.part.numbering_part.element
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering.find(qn("w:num")).addprevious(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>{xml}</w:abstractNum>'
    ))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _numbered(document, text: str, num_id: str, level: int):
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))
    return paragraph


def _outline(paragraph, level: int) -> None:
    paragraph._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{level}"/>'))


def _bookmark(paragraph, before: str, marked: str, after: str, name: str) -> None:
    paragraph.add_run(before)
    paragraph._p.append(parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="7" w:name="{name}"/>'))
    paragraph.add_run(marked)
    paragraph._p.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="7"/>'))
    paragraph.add_run(after)


def test_title_style_heading_styles_and_outline_levels(tmp_path):
    document = docx.Document()
    document.add_paragraph("某县2024年", style="Title")
    document.add_paragraph("工作报告", style="Title")
    document.add_paragraph("各位代表：")
    document.add_paragraph("工作回顾", style="Heading 1")
    document.add_paragraph("经济发展", style="Heading 2")
    _outline(document.add_paragraph("具体措施"), 2)
    document.add_paragraph("全年经济平稳。")
    document.add_paragraph("二、下一步安排")
    document.add_paragraph("继续推进。")
    path = tmp_path / "styled.docx"
    document.save(path)
    result = import_file(path)
    read = read_back(result, tmp_path)
    assert read.meta.title == ("某县2024年", "工作报告")  # Title paragraphs keep their lines
    assert read.meta.recipients == "各位代表："
    assert [(h.level, h.label, h.text) for h in read.headings()] == [
        (1, "一、", "工作回顾"), (2, "（一）", "经济发展"), (3, "1.", "具体措施"), (1, "二、", "下一步安排"),
    ]
    assert [h.typed for h in result.headings] == ["", "", "", "二、"]


def test_word_numbering_is_read_as_typed_numbers(tmp_path):
    document = docx.Document()
    num_id = _numbering(document)
    _numbered(document, "工作回顾", num_id, 0)
    _numbered(document, "依法行政。全面推进政务公开。", num_id, 1)
    _numbered(document, "案卷评查", num_id, 2)
    document.add_paragraph("评查案卷。")
    _numbered(document, "严格执法", num_id, 1)
    _numbered(document, "下一步安排", num_id, 0)
    path = tmp_path / "numbered.docx"
    document.save(path)
    read = read_back(import_file(path), tmp_path)
    assert [(h.level, h.label, h.text, h.run_in) for h in read.headings()] == [
        (1, "一、", "工作回顾", False), (2, "（一）", "依法行政。", True), (3, "1.", "案卷评查", False),
        (2, "（二）", "严格执法", False), (1, "二、", "下一步安排", False),
    ]
    assert body_lines(read)[1] == "依法行政。全面推进政务公开。"


def test_bookmarks_keep_indicator_ids_and_tables_are_read(tmp_path):
    document = docx.Document()
    document.add_paragraph("某县工作报告", style="Title")
    document.add_paragraph("一、成效")
    _bookmark(document.add_paragraph(), "网办率达", "53.62%", "，组织开展两次评查，受理案件9件。", "online_rate")
    _bookmark(document.add_paragraph(), "组织开展", "两次", "集中评查。", "review_rounds")
    document.add_paragraph("某县人民政府")
    document.add_paragraph("2025年1月20日")
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "抄送：市司法局。"
    table.cell(1, 0).text = "某县人民政府办公室\t2025年1月20日印发"
    path = tmp_path / "marked.docx"
    document.save(path)
    read = read_back(import_file(path), tmp_path)
    assert [(i.id, i.text, str(i.value)) for i in read.indicators] == [
        ("online_rate", "53.62%", "53.62"), ("fig_001", "9件", "9"), ("review_rounds", "两次", "2"),
    ]
    assert (read.meta.issuer, read.meta.cc, read.meta.printed_by) == ("某县人民政府", ("市司法局",), "某县人民政府办公室")


def test_a_damaged_docx_is_an_error(tmp_path):
    from exporter.diagnostics import SourceError

    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SourceError) as info:
        import_file(path)
    assert "not a readable .docx" in str(info.value)


# ---- round trip through the Word writer -------------------------------------------------------

needs_word_writer = pytest.mark.skipif("docx" not in available_formats(), reason="the Word writer is not installed")


def comparable(document):
    """What a .docx can carry: printed furniture, blocks as printed, and each figure's id and value.
    Indicator names and notes and declared checks are not in it; region, its code, the period and 发文字号
    travel as custom document properties."""
    meta = document.meta
    furniture = (meta.title_text, meta.issuer, meta.date, meta.recipients, meta.note, meta.attachments, meta.cc,
                 meta.printed_by, meta.printed_on, meta.region, meta.region_code, meta.period, meta.doc_number)
    blocks = []
    for block in document.blocks:
        if isinstance(block, Heading):
            blocks.append(("heading", block.level, block.label, block.text))
        else:
            lead = (block.lead.level, block.lead.label, block.lead.text) if block.lead else None
            blocks.append(("paragraph", lead, block.text))
    figures = [(i.id, i.text, i.value, i.unit, i.qualifier, i.base_value) for i in document.indicators]
    return furniture, blocks, figures


def _round_trip(document, profile, tmp_path, name):
    path = tmp_path / f"{name}.docx"
    with open(path, "wb") as out:
        get_writer("docx")(document, profile, out)
    result = import_file(path)
    return read_back(result, tmp_path, f"{name}-imported.md"), result


@needs_word_writer
def test_the_full_furniture_fixture_round_trips(full_read, tmp_path):
    original, profile = full_read
    back, result = _round_trip(original, profile, tmp_path, "full")
    assert comparable(back) == comparable(original)
    assert back.meta.title == original.meta.title  # two Title paragraphs, two lines
    assert result.counts.get("punctuation") == result.counts.get("width") == 0


@needs_word_writer
def test_the_seed_source_round_trips(tmp_path):
    source = ROOT / "source" / "yaoan-2021.md"
    if not source.exists():
        pytest.skip("source/yaoan-2021.md is not there yet")
    read = read_source(source)
    back, _result = _round_trip(read.document, read.profile, tmp_path, "seed")
    assert comparable(back) == comparable(read.document)


@needs_word_writer
@pytest.mark.parametrize("name", [
    "01_yunnan-gov-work-report-2025", "05_baotou-digital-gov-assessment-notice-2022",
    "06_aba-gov-data-measures-notice-2021", "09_gansu-gov-work-report-2025",
])
def test_an_imported_text_exported_to_docx_imports_back_to_the_same_model(name, tmp_path):
    first = import_file(CORPUS / f"{name}.txt")
    path = tmp_path / f"{name}.md"
    path.write_text(first.markdown, encoding="utf-8")
    read = read_source(path)
    back, _result = _round_trip(read.document, read.profile, tmp_path, name)
    assert comparable(back) == comparable(read.document)
    assert [i.name for i in back.indicators] == [i.name for i in read.document.indicators]


def test_what_cannot_be_imported_is_reported_and_text_boxes_are_read_once(tmp_path):
    document = docx.Document()
    document.add_paragraph("某县工作报告", style="Title")
    paragraph = document.add_paragraph("正文见注")
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="1"/></w:r>'))
    boxed = document.add_paragraph("框外")
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = '<w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p></w:txbxContent>'
    boxed._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:mc="{mc}"><mc:AlternateContent><mc:Choice Requires="wps">{box}</mc:Choice>'
        f'<mc:Fallback>{box}</mc:Fallback></mc:AlternateContent></w:r>'
    ))
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "数值"
    path = tmp_path / "extras.docx"
    document.save(path)
    result = import_file(path)
    assert body_lines(read_back(result, tmp_path)) == ["正文见注", "框外框内文字", "指标", "数值"]
    assert result.warnings == [
        "1 table(s) without figures (a 版记 or a layout table): each cell became a paragraph",
        "1 footnote(s) not imported: copy them into the text by hand",
    ]
    assert "  warning: 1 footnote(s) not imported" in result.report()
