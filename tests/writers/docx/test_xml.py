"""The .docx read back as XML: every GB/T 9704 checklist item a file can show without rendering.

Checklist IDs are those of the reference material shared/spec/gbt9704.md. Expected values are written out from the
spec (twips, half-points, font names) or taken from the profile and the model, never from the
writer's own helpers.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from functools import cached_property
from pathlib import Path

import pytest
from lxml import etree

from exporter.model import FigureRef, Heading
from exporter.reader import read_source
from exporter.timestamps import document_datetime
from exporter.writers.docx import write

from support.paths import FIXTURES, ROOT
from support.pdf import long_markdown, read_markdown
LONG_TITLE = ROOT / "tests" / "fixtures" / "docx-long-title.md"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
      "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


class Docx:
    """A written .docx: its bytes and parsed parts."""

    def __init__(self, data: bytes):
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.parts = {name: self.zip.read(name) for name in self.zip.namelist()}

    def xml(self, name: str):
        return etree.fromstring(self.parts[name])

    @cached_property
    def document(self):
        return self.xml("word/document.xml")

    @cached_property
    def styles(self):
        return self.xml("word/styles.xml")

    def style(self, style_id: str):
        found = self.styles.findall(f"w:style[@w:styleId='{style_id}']", NS)
        assert len(found) == 1, style_id
        return found[0]

    def paragraphs(self, style_id: str) -> list:
        return [p for p in self.document.iter(q("w:p")) if _style_of(p) == style_id]

    def footers(self) -> dict[str, etree._Element]:
        """Footer part root by footerReference type, resolved through the relationships."""
        rels = self.xml("word/_rels/document.xml.rels")
        targets = {r.get("Id"): r.get("Target") for r in rels}
        sect = self.document.find(".//w:body/w:sectPr", NS)
        refs = sect.findall("w:footerReference", NS)
        rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        return {r.get(q("w:type")): self.xml("word/" + targets[r.get(rid)]) for r in refs}


def _style_of(p) -> str:
    style = p.find("w:pPr/w:pStyle", NS)
    return style.get(q("w:val")) if style is not None else "Normal"


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(q("w:t")))


def attr(element, path: str, name: str) -> str | None:
    found = element.find(path, NS)
    return None if found is None else found.get(q(f"w:{name}"))


def write_docx(document, profile) -> Docx:
    out = io.BytesIO()
    write(document, profile, out)
    return Docx(out.getvalue())


@pytest.fixture(scope="module")
def long_read():
    result = read_source(LONG_TITLE)
    return result.document, result.profile


@pytest.fixture(scope="module")
def full(full_read):
    return write_docx(*full_read)


@pytest.fixture(scope="module")
def seed(seed_read):
    return write_docx(*seed_read)


@pytest.fixture(scope="module")
def long(long_read):
    return write_docx(*long_read)


@pytest.fixture(scope="module", params=["full", "seed", "long"])
def any_docx(request, full, seed, long):
    return {"full": full, "seed": seed, "long": long}[request.param]


# -- A: paper, margins ------------------------------------------------------------------------

def test_page_is_portrait_a4_with_gbt9704_margins(any_docx):
    sections = list(any_docx.document.iter(q("w:sectPr")))
    assert len(sections) == 1
    sect = sections[0]
    size = sect.find("w:pgSz", NS)
    assert (size.get(q("w:w")), size.get(q("w:h"))) == ("11906", "16838")  # A1
    assert size.get(q("w:orient")) is None
    margins = sect.find("w:pgMar", NS)
    assert margins.get(q("w:top")) == "2098"  # A2: 37 mm
    assert margins.get(q("w:left")) in ("1587", "1588")  # A3: 28 mm
    assert margins.get(q("w:right")) == "1474"  # A4: 26 mm
    assert margins.get(q("w:bottom")) == "1984"  # A4: 35 mm
    assert margins.get(q("w:gutter")) == "0"
    assert any_docx.xml("word/settings.xml").find("w:mirrorMargins", NS) is None


# -- B: grid ----------------------------------------------------------------------------------

def test_grid_is_lines_only_at_579_twips(any_docx):
    grids = list(any_docx.document.iter(q("w:docGrid")))
    assert len(grids) == 1  # N5: replaced, not added
    assert grids[0].get(q("w:type")) == "lines"  # a char grid gives 14 chars a line in LibreOffice
    assert grids[0].get(q("w:linePitch")) == "579"


def test_every_text_paragraph_has_exact_579_twip_lines(any_docx):
    """B1, B5: exact 28.95 pt everywhere in the body (title included), so 22 lines fill a page."""
    styles = any_docx.styles
    defaults = styles.find("w:docDefaults/w:pPrDefault/w:pPr/w:spacing", NS)
    assert (defaults.get(q("w:line")), defaults.get(q("w:lineRule"))) == ("579", "exact")
    assert defaults.get(q("w:before")) == "0" and defaults.get(q("w:after")) == "0"
    for style in styles.findall("w:style[@w:type='paragraph']", NS):
        spacing = style.find("w:pPr/w:spacing", NS)
        style_id = style.get(q("w:styleId"))
        if style_id in ("Footer", "Trailer", "TableText", "TableHead"):
            continue  # table cells have their own exact line height: tests/writers/docx/test_tables.py
        if spacing is not None:
            assert spacing.get(q("w:line")) == "579", style_id
            assert spacing.get(q("w:lineRule")) == "exact", style_id
    for p in any_docx.document.iter(q("w:p")):
        assert p.find("w:pPr/w:spacing", NS) is None  # no direct spacing overrides


def test_widow_control_is_on(any_docx):
    """Issue 15: no first line of a paragraph alone at a page's foot, no last line alone at the
    next page's head (as the PDF breaks its pages); nothing switches it off again."""
    assert attr(any_docx.styles, "w:docDefaults/w:pPrDefault/w:pPr/w:widowControl", "val") == "1"
    assert not any(e.get(q("w:val")) in ("0", "false") for e in any_docx.styles.iter(q("w:widowControl")))
    assert not any(e.get(q("w:val")) in ("0", "false") for e in any_docx.document.iter(q("w:widowControl")))


def test_headings_keep_with_the_next_paragraph_and_whole(any_docx):
    """A standalone heading never ends a page nor breaks across one (Word and LibreOffice
    honour w:keepNext and w:keepLines)."""
    for level in range(1, 5):
        style = any_docx.style(f"Heading{level}")
        assert attr(style, "w:pPr/w:keepNext", "val") == "1"
        assert attr(style, "w:pPr/w:keepLines", "val") == "1"
    headings = [p for p in any_docx.document.iter(q("w:p"))
                if (attr(p, "w:pPr/w:pStyle", "val") or "").startswith("Heading")]
    assert headings
    for p in headings:
        assert p.find("w:pPr/w:keepNext", NS) is None and p.find("w:pPr/w:keepLines", NS) is None


def test_a_dash_is_written_so_that_no_renderer_splits_it(tmp_path):
    """The 破折号 "——" (U+2014 twice) is written as U+2015 twice: LibreOffice breaks a line
    between two U+2014 but keeps U+2015 off a line start, as Word does (issue 15)."""
    markdown = long_markdown(paragraphs=12)
    docx = write_docx(*read_markdown(tmp_path, markdown))
    text = "".join(t.text or "" for t in docx.document.iter(q("w:t")))
    assert "——" not in text
    assert text.count("\u2015\u2015") == markdown.count("——") > 0


def test_body_runs_are_condensed_a_quarter_point(full):
    """B2: −0.25 pt on 三号 runs fits 28 characters in 156 mm."""
    normal = full.style("Normal")
    assert attr(normal, "w:rPr/w:spacing", "val") == "-5"
    assert attr(normal, "w:rPr/w:sz", "val") == "32"


# -- C, N: fonts ------------------------------------------------------------------------------

ROLE_FONTS = {"Normal": "仿宋_GB2312", "Title": "方正小标宋简体", "Heading1": "黑体", "Heading2": "楷体_GB2312",
              "Heading3": "仿宋_GB2312", "Heading4": "仿宋_GB2312", "Imprint": "仿宋_GB2312",
              "Footer": "宋体", "Heading1Char": "黑体", "Heading2Char": "楷体_GB2312"}
ROLE_SIZES = {"Normal": "32", "Title": "44", "Heading1": "32", "Heading2": "32", "Heading3": "32",
              "Heading4": "32", "Imprint": "28", "Footer": "28"}


@pytest.mark.parametrize("style_id", sorted(ROLE_FONTS))
def test_styles_name_their_chinese_font_explicitly(full, style_id):
    """C1–C6, N1: the East Asian font is named in the style, at the role's size."""
    style = full.style(style_id)
    assert attr(style, "w:rPr/w:rFonts", "eastAsia") == ROLE_FONTS[style_id]
    if style_id in ROLE_SIZES:
        assert attr(style, "w:rPr/w:sz", "val") == ROLE_SIZES[style_id]


def test_default_fonts_and_language_are_chinese(full):
    """C1, N2, N3: docDefaults name 仿宋 and zh-CN, not the template's theme font and en-US."""
    rpr = full.styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert attr(rpr, "w:rFonts", "eastAsia") == "仿宋_GB2312"
    assert attr(rpr, "w:sz", "val") == "32"
    assert attr(rpr, "w:lang", "eastAsia") == "zh-CN"


@pytest.mark.parametrize("part", ["word/styles.xml", "word/document.xml", "word/footer1.xml", "word/footer2.xml"])
def test_no_theme_font_anywhere(any_docx, part):
    """N2: a theme attribute in rFonts would win over the explicit name."""
    for fonts in any_docx.xml(part).iter(q("w:rFonts")):
        assert not [k for k in fonts.attrib if k.endswith("Theme") or k.endswith("theme")], etree.tostring(fonts)


def test_every_run_with_chinese_text_names_its_east_asian_font(any_docx):
    """N1: explicit w:eastAsia on the run itself, not only in the style chain."""
    runs = [r for r in any_docx.document.iter(q("w:r")) if CJK.search(text_of(r))]
    assert runs
    for r in runs:
        assert attr(r, "w:rPr/w:rFonts", "eastAsia"), text_of(r)


def test_ambiguous_punctuation_is_hinted_east_asian(full):
    """N3, J4: “ ” — … take the Chinese face in Word only with w:hint="eastAsia"."""
    runs = [r for r in full.document.iter(q("w:r")) if re.search("[“”—…]", text_of(r))]
    assert runs  # the fixture has “最多跑一次”
    for r in runs:
        assert attr(r, "w:rPr/w:rFonts", "hint") == "eastAsia"


def test_no_bold_no_colour_no_template_styles(any_docx):
    """C2, C3, C4, N4: nothing bold, everything black, and no python-docx template style left."""
    for part in ("word/styles.xml", "word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        root = any_docx.xml(part)
        for color in root.iter(q("w:color")):
            assert color.get(q("w:val")) in ("000000", "auto")
        for bold in root.iter(q("w:b")):
            assert bold.get(q("w:val")) in ("0", "false")
        assert not list(root.iter(q("w:pBdr")))
    ids = {s.get(q("w:styleId")) for s in any_docx.styles.findall("w:style", NS)}
    assert ids == {"Normal", "DefaultParagraphFont", "TableNormal", "Title", "Heading1", "Heading2", "Heading3",
                   "Heading4", "Heading1Char", "Heading2Char", "Heading3Char", "Heading4Char", "Recipients",
                   "Signature", "SignDate", "Note", "Attachments", "Imprint", "Footer", "Trailer"}
    assert "word/stylesWithEffects.xml" not in any_docx.parts


def test_font_table_lists_the_profile_fonts(full, full_read):
    """N10: Chinese faces with the GB2312 character set."""
    _, profile = full_read
    table = full.xml("word/fontTable.xml")
    fonts = {f.get(q("w:name")): attr(f, "w:charset", "val") for f in table.findall("w:font", NS)}
    for role in profile.roles.values():
        assert fonts[role.word] == "86"
    assert fonts["Times New Roman"] == "00"


# -- D: title and 主送 -------------------------------------------------------------------------

def test_title_is_one_centred_paragraph_per_line(full, full_read):
    document, _ = full_read
    titles = full.paragraphs("Title")
    assert [text_of(p) for p in titles] == list(document.meta.title)
    title_style = full.style("Title")
    assert attr(title_style, "w:pPr/w:jc", "val") == "center"  # D1
    assert attr(title_style, "w:pPr/w:ind", "firstLine") == "0"
    assert attr(title_style, "w:pPr/w:ind", "firstLineChars") in (None, "0")
    assert attr(title_style, "w:rPr/w:spacing", "val") == "0"


def test_one_string_title_is_broken_per_d3(long, long_read):
    document, _ = long_read
    lines = [text_of(p) for p in long.paragraphs("Title")]
    assert "".join(lines) == document.meta.title_text
    assert len(lines) >= 2
    assert all(len(line) <= 20 for line in lines)
    assert len(set(len(line) for line in lines)) == len(lines)  # no two lines of equal length
    assert not any(line.endswith("的") for line in lines)
    assert lines[0] == document.meta.issuer  # the 机关名称 is whole, and 关于 starts the next line
    assert lines[1].startswith("关于")
    assert lines[-1].endswith("的报告")


def test_recipients_flush_left_after_one_blank_line(full, full_read):
    """D5: one blank line below the title, 顶格, ends with a full-width colon."""
    document, _ = full_read
    body = list(full.document.find("w:body", NS))
    recipients = full.paragraphs("Recipients")
    assert len(recipients) == 1
    index = body.index(recipients[0])
    assert _style_of(body[index - 2]) == "Title"
    assert text_of(body[index - 1]) == ""
    assert text_of(recipients[0]) == document.meta.recipients
    assert text_of(recipients[0]).endswith("：")
    style = full.style("Recipients")
    assert attr(style, "w:pPr/w:ind", "left") == "0"
    assert attr(style, "w:pPr/w:ind", "firstLine") == "0"
    assert attr(style, "w:pPr/w:ind", "firstLineChars") in (None, "0")


def test_recipients_get_their_colon(long):
    assert text_of(long.paragraphs("Recipients")[0]) == "某某县人民政府："


# -- E: body and headings ---------------------------------------------------------------------

def test_body_and_headings_are_indented_two_characters(full):
    """E2, E4, E5: 左空二字 (640 twips, 200 hundredths of a character), justified."""
    normal = full.style("Normal")
    assert attr(normal, "w:pPr/w:ind", "firstLine") == "640"
    assert attr(normal, "w:pPr/w:ind", "firstLineChars") == "200"
    assert attr(normal, "w:pPr/w:ind", "left") == "0"
    assert attr(normal, "w:pPr/w:jc", "val") == "both"
    for level in range(1, 5):
        style = full.style(f"Heading{level}")
        assert style.find("w:basedOn", NS).get(q("w:val")) == "Normal"
        assert attr(style, "w:pPr/w:ind", "firstLine") == "640"


def test_heading_styles_have_outline_levels(full):
    """E6: Word's navigation pane shows the structure."""
    for level in range(1, 5):
        assert attr(full.style(f"Heading{level}"), "w:pPr/w:outlineLvl", "val") == str(level - 1)


def test_headings_print_their_generated_numbers(full, full_read):
    """E3: 一、（一）1.（1）, each standalone heading in the style of its level."""
    document, _ = full_read
    expected = [(f"Heading{b.level}", b.printed) for b in document.blocks if isinstance(b, Heading)]
    found = [(_style_of(p), text_of(p)) for p in full.document.iter(q("w:p")) if _style_of(p).startswith("Heading")]
    assert found == expected
    assert {level for level, _ in found} == {"Heading1", "Heading2", "Heading3", "Heading4"}


def test_run_in_heading_is_the_first_run_of_its_paragraph(full, full_read):
    """C3: only the run-in heading takes the heading face; the rest is body text in 仿宋."""
    document, _ = full_read
    leads = [b for b in document.blocks if getattr(b, "lead", None) is not None]
    assert leads
    paragraphs = {text_of(p): p for p in full.paragraphs("Normal")}
    for block in leads:
        p = paragraphs[block.printed]
        runs = p.findall("w:r", NS)
        heading_runs = [r for r in runs if attr(r, "w:rPr/w:rStyle", "val") == f"Heading{block.lead.level}Char"]
        assert "".join(text_of(r) for r in heading_runs) == block.lead.printed
        assert runs[: len(heading_runs)] == heading_runs
        face = {2: "楷体_GB2312", 1: "黑体"}.get(block.lead.level, "仿宋_GB2312")
        assert {attr(r, "w:rPr/w:rFonts", "eastAsia") for r in heading_runs} == {face}
        assert {attr(r, "w:rPr/w:rFonts", "eastAsia") for r in runs[len(heading_runs):]} == {"仿宋_GB2312"}


@pytest.mark.parametrize("which", ["full", "seed", "long"])
def test_blocks_are_printed_exactly_in_order(which, full, seed, long, full_read, seed_read, long_read):
    docx_file = {"full": full, "seed": seed, "long": long}[which]
    document = {"full": full_read, "seed": seed_read, "long": long_read}[which][0]
    texts = [text_of(p) for p in docx_file.document.iter(q("w:p"))
             if _style_of(p) in ("Normal", "Heading1", "Heading2", "Heading3", "Heading4") and text_of(p)]
    assert texts == [b.printed for b in document.blocks]


@pytest.mark.parametrize("which", ["full", "seed", "long"])
def test_each_figure_is_wrapped_in_a_bookmark_named_by_its_id(which, full, seed, long, full_read, seed_read, long_read):
    docx_file = {"full": full, "seed": seed, "long": long}[which]
    document = {"full": full_read, "seed": seed_read, "long": long_read}[which][0]
    figures = [i for b in document.blocks for i in ((b.lead.inlines if getattr(b, "lead", None) else ()) + b.inlines)
               if isinstance(i, FigureRef)]
    assert figures
    marked = {}
    for p in docx_file.document.iter(q("w:p")):
        open_marks: dict[str, str] = {}
        for child in p:
            if child.tag == q("w:bookmarkStart"):
                open_marks[child.get(q("w:id"))] = child.get(q("w:name"))
                marked.setdefault(child.get(q("w:name")), "")
            elif child.tag == q("w:bookmarkEnd"):
                open_marks.pop(child.get(q("w:id")))
            elif child.tag == q("w:r"):
                for name in open_marks.values():
                    marked[name] += text_of(child)
    assert marked == {f.indicator_id: f.text for f in figures}
    ids = [b.get(q("w:id")) for b in docx_file.document.iter(q("w:bookmarkStart"))]
    assert len(ids) == len(set(ids))


# -- F, G: 附件说明, 署名, 成文日期, 附注 ------------------------------------------------------------

def test_attachments_are_numbered_and_aligned(full, full_read):
    """F1: "附件：1.name", "2.name" under "1.", wrapped lines under the name; no punctuation after names."""
    document, _ = full_read
    items = full.paragraphs("Attachments")
    names = document.meta.attachments
    assert [text_of(p) for p in items] == [f"附件：1.{names[0]}", f"2.{names[1]}"]
    body = list(full.document.find("w:body", NS))
    assert text_of(body[body.index(items[0]) - 1]) == ""  # one blank line below 正文
    first, second = (p.find("w:pPr/w:ind", NS) for p in items)
    name_start = int(first.get(q("w:left")))
    assert int(second.get(q("w:left"))) == name_start
    # first line starts 2 characters in; the second item starts where "1." starts (after "附件：")
    assert name_start - int(first.get(q("w:hanging"))) == 640
    assert name_start - int(second.get(q("w:hanging"))) > 640 + 3 * 300


def test_single_attachment_has_no_number(long, long_read):
    document, _ = long_read
    items = long.paragraphs("Attachments")
    assert [text_of(p) for p in items] == ["附件：" + document.meta.attachments[0]]


def test_signature_date_and_note(full, full_read):
    """G1 (no seal), G3 (Arabic date, no zero padding), G5 (附注 in brackets, 2 characters in)."""
    document, _ = full_read
    body = list(full.document.find("w:body", NS))
    (signature,) = full.paragraphs("Signature")
    (date,) = full.paragraphs("SignDate")
    (note,) = full.paragraphs("Note")
    assert text_of(signature) == document.meta.issuer
    assert text_of(date) == "2025年1月20日"
    assert re.fullmatch(r"(19|20)\d{2}年([1-9]|1[0-2])月([1-9]|[12]\d|3[01])日", text_of(date))
    assert text_of(note) == "（此件公开发布）"
    index = body.index(signature)
    assert text_of(body[index - 1]) == ""  # one blank line below the 附件说明
    assert body[index + 1] is date and body[index + 2] is note
    for style_id in ("Signature", "SignDate"):
        assert attr(full.style(style_id), "w:pPr/w:jc", "val") == "right"
    rights = [int(attr(full.style(s), "w:pPr/w:ind", "right")) for s in ("Signature", "SignDate")]
    assert min(rights) == 640  # 右空二字 for the longer of the two
    assert attr(full.style("Note"), "w:pPr/w:ind", "firstLine") == "640"


# -- H: 版记 -----------------------------------------------------------------------------------

def test_imprint_table_rules_and_lines(full, full_read):
    """H1: as wide as the 版心, 1 pt outer and 0.75 pt inner rules; H3: 抄送 ends with 。; H5: 印发."""
    document, _ = full_read
    tables = list(full.document.iter(q("w:tbl")))
    assert len(tables) == 1
    table = tables[0]
    assert attr(table, "w:tblPr/w:tblW", "w") == "8845"
    borders = table.find("w:tblPr/w:tblBorders", NS)
    assert {side: attr(borders, f"w:{side}", "sz") for side in ("top", "bottom", "insideH")} == {
        "top": "8", "bottom": "8", "insideH": "6"}
    assert {attr(borders, f"w:{side}", "val") for side in ("left", "right", "insideV")} == {"nil"}
    rows = table.findall("w:tr", NS)
    assert text_of(rows[0]) == "抄送：市委依法治市办，市司法局。"
    assert text_of(rows[1]) == "某某县人民政府办公室2025年1月20日印发"
    assert rows[1].find(".//w:tab", NS) is not None
    imprint = full.style("Imprint")
    assert attr(imprint, "w:pPr/w:ind", "left") == "280" and attr(imprint, "w:pPr/w:ind", "right") == "280"
    assert attr(imprint, "w:pPr/w:tabs/w:tab", "pos") == str(8845 - 280)
    # Word needs a paragraph after a table; it must be tiny so the 版记 ends the last page.
    last = list(full.document.find("w:body", NS))[-2]
    assert last.tag == q("w:p") and _style_of(last) == "Trailer" and text_of(last) == ""


def test_imprint_sits_on_the_last_grid_line(full, long):
    """H2 by construction: body lines plus blank lines plus 版记 rows fill whole pages of 22 lines."""
    for docx_file in (full, long):
        rows = docx_file.document.findall(".//w:tbl/w:tr", NS)
        heights = [int(attr(r, "w:trPr/w:trHeight", "val")) for r in rows]
        assert all(h % 579 == 0 for h in heights[:-1])
        assert 0 < (heights[-1] % 579) and 579 - heights[-1] % 579 <= 60  # last row yields 2 pt at most


def test_seed_without_imprint_has_no_table(seed):
    assert not list(seed.document.iter(q("w:tbl")))


# -- I: page numbers --------------------------------------------------------------------------

def test_odd_and_even_page_number_footers(any_docx):
    """I1–I4, N6, N7: "— N —" in 4号宋体 with a PAGE field; odd right, even left, one character in."""
    assert any_docx.xml("word/settings.xml").find("w:evenAndOddHeaders", NS) is not None
    sect = any_docx.document.find(".//w:body/w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is None
    footers = any_docx.footers()
    assert set(footers) == {"default", "even"}
    for kind, (jc, side) in {"default": ("right", "right"), "even": ("left", "left")}.items():
        (p,) = footers[kind].findall("w:p", NS)
        assert attr(p, "w:pPr/w:jc", "val") == jc
        ind = p.find("w:pPr/w:ind", NS)
        assert ind.get(q(f"w:{side}")) == "280"
        assert ind.get(q("w:firstLine")) == "0"
        instr = "".join(t.text for t in p.iter(q("w:instrText")))
        assert instr.strip() == "PAGE"
        runs = p.findall("w:r", NS)
        assert text_of(runs[0]) == "— " and text_of(runs[-1]) == " —"
        for r in runs:
            fonts = r.find("w:rPr/w:rFonts", NS)
            assert {fonts.get(q(f"w:{k}")) for k in ("ascii", "hAnsi", "eastAsia")} == {"宋体"}
            assert attr(r, "w:rPr/w:sz", "val") == "28"
    pgmar = sect.find("w:pgMar", NS)
    assert pgmar.get(q("w:footer")) == str(round(25.5 * 1440 / 25.4))


# -- document properties and reproducibility --------------------------------------------------

def test_core_properties(full, full_read):
    document, _ = full_read
    core = full.xml("docProps/core.xml")

    def value(name):
        return core.find(name, NS).text

    assert value("dc:title") == "某某县人民政府关于2024年度法治政府建设情况的报告"
    assert value("dc:creator") == "某某县人民政府"
    assert value("cp:lastModifiedBy") == "某某县人民政府"
    assert value("dc:subject") == "2024年度法治政府建设情况"
    assert "2024" in value("cp:keywords")
    assert value("dc:language") == "zh-CN"
    assert value("dcterms:created") == value("dcterms:modified") == "2025-01-20T00:00:00Z"
    assert value("cp:revision") == "1"
    assert not value("dc:description")
    assert core.find("cp:lastPrinted", NS) is None
    assert b"python-docx" not in full.parts["docProps/core.xml"] + full.parts["docProps/app.xml"]
    assert "docProps/thumbnail.jpeg" not in full.parts
    assert not [n for n in full.parts if n.startswith("customXml/")]


def test_zip_entries_carry_the_document_date(full, full_read):
    document, _ = full_read
    stamp = document_datetime(document)
    names = full.zip.namelist()
    assert names[:6] == ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
                         "docProps/custom.xml", "word/document.xml"]
    for info in full.zip.infolist():
        assert info.date_time == (stamp.year, stamp.month, stamp.day, 0, 0, 0)


def test_same_input_gives_the_same_bytes(full_read, full):
    assert write_docx(*full_read).data == full.data


def test_source_date_epoch_wins(full_read, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    written = write_docx(*full_read)
    core = written.xml("docProps/core.xml")
    assert core.find("dcterms:created", NS).text == "2023-11-14T22:13:20Z"
    assert written.zip.infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)


def test_seed_date_comes_from_its_period(seed_read, seed):
    document, _ = seed_read
    assert document.meta.date is None
    created = seed.xml("docProps/core.xml").find("dcterms:created", NS).text
    assert created == document_datetime(document).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert created.startswith("2021-12-31")


def test_word_opens_it_as_a_docx(full):
    """python-docx (as a stand-in reader) loads it and sees the styles by name."""
    import docx

    opened = docx.Document(io.BytesIO(full.data))
    assert opened.core_properties.title.startswith("某某县")
    assert opened.sections[0].page_width == 11906 * 635
    assert isinstance(opened.core_properties.created, dt.datetime)


# -- G4: the 落款 never sits on a page without 正文 -----------------------------------------------

def _with_body_lines(document, count: int):
    """The full fixture's furniture (no 附件说明, no 附注) after `count` one-line paragraphs."""
    from dataclasses import replace

    from exporter.model import Paragraph, Position, Text

    pos = Position("synthetic.md", 1)
    blocks = tuple(Paragraph((Text(f"第{i}段。", pos),), pos) for i in range(count))
    meta = replace(document.meta, attachments=(), note=None)
    return replace(document, meta=meta, blocks=blocks, indicators=())


def _closing_shape(docx_file):
    body = [e for e in docx_file.document.find("w:body", NS) if e.tag == q("w:p")]
    signature = docx_file.paragraphs("Signature")[0]
    index = body.index(signature)
    blank_before = text_of(body[index - 1]) == ""
    page_break = [text_of(p) for p in body if p.find("w:pPr/w:pageBreakBefore", NS) is not None]
    return blank_before, page_break


@pytest.mark.parametrize("paragraphs, blank_before, moved", [
    (6, True, False),    # 正文 ends on line 10: the usual blank line, 署名 on 12, date on 13
    (16, False, False),  # ends on line 20: with the blank line the date would start page 2
    (18, True, True),    # ends on line 22: the last paragraph goes to page 2 with the 落款
])
def test_signature_and_date_share_a_page_with_text(full_read, paragraphs, blank_before, moved):
    document, profile = full_read
    # title (2 lines) + blank + 主送 = 4 lines before the 正文
    written = write_docx(_with_body_lines(document, paragraphs), profile)
    blank, page_break = _closing_shape(written)
    assert blank == blank_before
    assert page_break == ([f"第{paragraphs - 1}段。"] if moved else [])


def test_attachment_name_with_punctuation_is_warned(full_read):
    from dataclasses import replace

    document, profile = full_read
    meta = replace(document.meta, attachments=("某某县统计表。",))
    warnings = write(replace(document, meta=meta), profile, io.BytesIO())
    assert [w.pos for w in warnings if "[F1]" in w.message] == [document.meta.position_of("attachments")]
    assert not [w for w in write(document, profile, io.BytesIO()) if "[F1]" in w.message]


def test_unprinted_report_data_travels_as_custom_properties(tmp_path):
    """Region, its code, the period and 发文字号 are printed nowhere, so `exporter import` would lose
    them; Word shows them under File › Properties › Custom."""
    import zipfile

    from lxml import etree

    from exporter.reader import read_source
    from exporter.writers import get_writer

    read = read_source(FIXTURES / "full-furniture.md")
    target = tmp_path / "f.docx"
    with open(target, "wb") as out:
        get_writer("docx")(read.document, read.profile, out)
    with zipfile.ZipFile(target) as package:
        custom = etree.fromstring(package.read("docProps/custom.xml"))
        types = package.read("[Content_Types].xml").decode()
        rels = package.read("_rels/.rels").decode()
    values = {p.get("name"): "".join(p.itertext()) for p in custom}
    assert values == {"地区": "某某省某某市某某县", "地区代码": "539901", "统计时期": "2024", "发文字号": "某政报〔2025〕3号"}
    assert [p.get("pid") for p in custom] == ["2", "3", "4", "5"]
    assert 'PartName="/docProps/custom.xml"' in types and "relationships/custom-properties" in rels


def _with_body_lines_and_attachments(document, count: int):
    """`_with_body_lines`, keeping the fixture's two-line 附件说明."""
    from dataclasses import replace

    made = _with_body_lines(document, count)
    return replace(made, meta=replace(made.meta, attachments=document.meta.attachments))


@pytest.mark.parametrize("paragraphs, moved", [
    (6, False),     # 正文 ends on line 10: 附件说明 and 落款 follow on page 1
    (18, True),     # ends on line 22: 附件说明 and 落款 would open page 2 without 正文
])
def test_the_attachment_note_alone_does_not_carry_the_signature_page(full_read, paragraphs, moved):
    """The 附件说明 is not 正文: the page of the 署名 must hold a line of the text itself [G4]."""
    document, profile = full_read
    written = write_docx(_with_body_lines_and_attachments(document, paragraphs), profile)
    _, page_break = _closing_shape(written)
    assert page_break == ([f"第{paragraphs - 1}段。"] if moved else [])


def test_imprint_and_attachment_note_are_ragged_right(full):
    """The 抄送 and the 附件说明 break between names, so their lines are set flush left, never
    justified or distributed across the measure [H3, F1]."""
    assert attr(full.style("Imprint"), "w:pPr/w:jc", "val") == "left"
    table = next(full.document.iter(q("w:tbl")))
    paragraphs = list(table.iter(q("w:p"))) + full.paragraphs("Attachments")
    assert paragraphs
    for p in paragraphs:
        assert attr(p, "w:pPr/w:jc", "val") in (None, "left")
    assert attr(full.style("Attachments"), "w:pPr/w:jc", "val") == "left"


def test_the_minutes_last_paragraph_moves_with_its_heading_to_the_signature_page():
    """The bundled 纪要 ends page 1 with its last heading and paragraph; the lists and the 落款
    alone would open page 2 [G4]. The paragraph moves, and the heading before it with it, as
    in the PDF: the page break sits on the heading."""
    read = read_source(ROOT / "source" / "minutes-example.md")
    written = write_docx(read.document, read.profile)
    body = [e for e in written.document.find("w:body", NS) if e.tag == q("w:p")]
    moved = [text_of(p) for p in body if p.find("w:pPr/w:pageBreakBefore", NS) is not None]
    assert len(moved) == 1 and moved[0].endswith("推进工作")
