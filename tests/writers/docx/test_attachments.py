"""Attachments in the .docx [gbt9704-kinds F8–F14]: what the XML says (a page break before each
label, 黑体 flush left, the title centred in the title style, page numbers in every section until
the 版记 page) and, with LibreOffice, where the pages fall."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile

import pdfplumber
import pytest
from lxml import etree

from exporter.reader import read_source
from exporter.writers.docx import write
from support.paths import FIXTURES, ROOT

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NOTICE = ROOT / "source" / "notice-example.md"
LEFT = 79.370
# An issued (印发) attachment and a numbered one whose text ends on an odd page, so the 版记 moves [F14].
ODD = (FIXTURES / "attachments-odd-pages.md").read_text(encoding="utf-8")


def q(local: str) -> str:
    return f"{{{W}}}{local}"


def docx_bytes(path) -> bytes:
    result = read_source(path)
    out = io.BytesIO()
    write(result.document, result.profile, out)
    return out.getvalue()


def parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: etree.fromstring(z.read(name)) for name in z.namelist()
                if name.startswith("word/") and name.endswith(".xml")}


def text(element) -> str:
    return "".join(t.text or "" for t in element.iter(q("t")))


def paragraph_with(root, wanted: str):
    return next(p for p in root.iter(q("p")) if text(p) == wanted)


@pytest.fixture(scope="module")
def notice():
    return read_source(NOTICE).document, parts(docx_bytes(NOTICE))


def test_each_label_starts_a_page_flush_left_in_hei_without_colon(notice):
    document, xml = notice
    body = xml["word/document.xml"]
    for number in (1, 2):
        label = paragraph_with(body, f"附件{number}")                                   # [F9]
        p_pr = label.find(q("pPr"))
        assert p_pr.find(q("pageBreakBefore")) is not None                              # [F8]
        assert p_pr.find(q("jc")).get(q("val")) == "left"
        assert p_pr.find(q("ind")).get(q("firstLine")) == "0"
        for run in label.iter(q("r")):
            assert run.find(q("rPr")).find(q("rFonts")).get(q("eastAsia")) == "黑体"


def test_title_follows_a_blank_line_centred_in_the_title_style(notice):
    document, xml = notice
    paragraphs = list(xml["word/document.xml"].iter(q("p")))
    label = next(k for k, p in enumerate(paragraphs) if text(p) == "附件1")
    assert text(paragraphs[label + 1]) == ""                                             # line 2 blank
    title = paragraphs[label + 2:label + 4]
    assert "".join(text(p) for p in title) == document.attachments[0].title             # [F10, F11]
    for p in title:
        p_pr = p.find(q("pPr"))
        assert p_pr.find(q("pStyle")).get(q("val")) == "Title"
        assert p_pr.find(q("jc")).get(q("val")) == "center"


def test_attachment_list_is_generated_and_the_imprint_comes_last(notice):
    document, xml = notice
    texts = [text(p) for p in xml["word/document.xml"].iter(q("p"))]
    assert "附件：1." + document.attachments[0].title in texts
    second_label = texts.index("附件2")
    cc = next(k for k, t in enumerate(texts) if t.startswith("抄送："))
    assert cc > second_label                                                              # [F14]
    # The table of the first attachment is in the document, its cells too.
    assert "县政务服务管理局" in texts


def test_every_page_of_the_notice_is_numbered(notice):
    _, xml = notice
    # One section: the 版记 shares the even last page with text, so nothing is unnumbered.
    assert len(list(xml["word/document.xml"].iter(q("sectPr")))) == 1
    footers = [root for name, root in xml.items() if name.startswith("word/footer")]
    assert footers and all(" PAGE " in "".join(i.text or "" for i in f.iter(q("instrText"))) for f in footers)


def test_an_imprint_alone_on_its_page_is_a_section_without_page_numbers(tmp_path):
    path = tmp_path / "odd.md"
    path.write_text(ODD, encoding="utf-8")
    xml = parts(docx_bytes(path))
    body = xml["word/document.xml"]
    sections = list(body.iter(q("sectPr")))
    assert len(sections) == 2                                                            # [F14, 7.5]
    last = sections[-1]
    rels = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx_bytes(path))).read("word/_rels/document.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    last_footers = [targets[ref.get(f"{{{R}}}id")] for ref in last.iter(q("footerReference"))]
    first_footers = [targets[ref.get(f"{{{R}}}id")] for ref in sections[0].iter(q("footerReference"))]
    assert last_footers and first_footers
    for target in last_footers:
        assert not list(xml["word/" + target].iter(q("instrText")))
    for target in first_footers:
        assert " PAGE " in "".join(i.text or "" for i in xml["word/" + target].iter(q("instrText")))
    # The issued 办法 opens its page with its title, without a label; the other is "附件".
    title = paragraph_with(body, "某某县行政执法公示办法")
    assert title.find(q("pPr")).find(q("pageBreakBefore")) is not None
    assert paragraph_with(body, "附件").find(q("pPr")).find(q("pageBreakBefore")) is not None


@pytest.mark.soffice
def test_libreoffice_puts_each_attachment_on_its_own_page(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed (Debian: libreoffice-writer-nogui); deselect with -m 'not soffice'"
    (tmp_path / "notice.docx").write_bytes(docx_bytes(NOTICE))
    profile_dir = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile_dir}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "notice.docx")],
                   check=True, capture_output=True, timeout=300, env=dict(os.environ, HOME=str(profile_dir)))
    with pdfplumber.open(tmp_path / "notice.pdf") as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
        assert len(pages) == 4
        for number, index in ((1, 2), (2, 3)):
            lines = pages[index].splitlines()
            assert lines[0].replace(" ", "") == f"附件{number}"
            first = min(pdf.pages[index].chars, key=lambda c: (c["top"], c["x0"]))
            assert first["text"] == "附" and first["x0"] == pytest.approx(LEFT, abs=1.0)
        for k, page in enumerate(pages, start=1):
            assert page.splitlines()[-1].replace(" ", "") == f"—{k}—"
        assert "抄送" in pages[3]
