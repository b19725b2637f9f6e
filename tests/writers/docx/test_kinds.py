"""信函, 命令 and 纪要 formats, the seal, the 主送 in the 版记 and the joint 署名 in the .docx: what
the XML says, and where LibreOffice draws the 信函's lines and the seal (reference material
shared/spec/gbt9704-kinds.md §5 L, §6 M, §7 J, §8 S; gbt9704.md D6, G1, G2)."""

from __future__ import annotations

import io
import os
import re
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
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
V = "urn:schemas-microsoft-com:vml"
MM = 72 / 25.4
TWIPS_PER_MM = 1440 / 25.4
CHAR = 320          # one 3号 character in twips [B3]
LEFT, RIGHT, TOP = 79.370, 521.575, 104.882
SOURCES = {
    "letter": ROOT / "source" / "letter-example.md",
    "minutes": ROOT / "source" / "minutes-example.md",
    "order": ROOT / "source" / "order-example.md",
    "sealed": FIXTURES / "sealed-joint.md",
}


def w(local: str) -> str:
    return f"{{{W}}}{local}"


def docx_bytes(path) -> bytes:
    result = read_source(path)
    assert result.document is not None
    out = io.BytesIO()
    write(result.document, result.profile, out)
    return out.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture(scope="module")
def made() -> dict[str, dict[str, bytes]]:
    return {name: parts(docx_bytes(path)) for name, path in SOURCES.items()}


def body(made, name: str):
    return etree.fromstring(made[name]["word/document.xml"])


def paragraph_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")))


def paragraph_with(root, text: str):
    return next(p for p in root.iter(w("p")) if paragraph_text(p) == text)


# -- 信函 [L1–L12] ----------------------------------------------------------------------------

def test_letter_mark_is_a_frame_30_mm_below_the_page_top_red_at_the_profile_size(made):
    root = body(made, "letter")
    mark = paragraph_with(root, "某某县司法局")
    frame = mark.find(w("pPr")).find(w("framePr"))
    assert frame.get(w("vAnchor")) == "page" and int(frame.get(w("y"))) == round(30 * TWIPS_PER_MM)   # [L2]
    assert frame.get(w("wrap")) == "none"
    props = mark.find(w("r")).find(w("rPr"))
    assert props.find(w("color")).get(w("val")) == "FF0000"
    assert props.find(w("sz")).get(w("val")) == "52"                  # [letter] mark_size_pt = 26
    assert mark.find(w("pPr")).find(w("jc")).get(w("val")) == "center"


def test_letter_double_lines_are_four_red_vml_strokes_170_mm_long(made):
    root = body(made, "letter")
    strokes = list(root.iter(f"{{{V}}}line"))
    assert len(strokes) == 4
    ys, weights = [], []
    for stroke in strokes:
        (x0, y0), (x1, y1) = (tuple(float(v.removesuffix("pt")) for v in stroke.get(k).split(","))
                              for k in ("from", "to"))
        assert y0 == y1 and x1 - x0 == pytest.approx(170 * MM, abs=0.02)       # [L3, L4]
        assert (x0 + x1) / 2 == pytest.approx((LEFT + RIGHT) / 2, abs=0.02)     # on the 版心's centre
        assert stroke.get("strokecolor") == "#FF0000"
        ys.append(y0)
        weights.append(float(stroke.get("strokeweight").removesuffix("pt")))
    by_y = [wt for _, wt in sorted(zip(ys, weights))]
    assert by_y == [1.5, 0.75, 0.75, 1.5]                              # thick over thin, thin over thick [L3–L5]
    assert max(ys) + 0.75 == pytest.approx(841.89 - 20 * MM, abs=0.05)  # lower line's bottom edge 20 mm up [L4]


def test_letter_first_page_has_its_own_footer_without_page_number(made):
    root = body(made, "letter")
    sect = root.find(w("body")).find(w("sectPr"))
    assert sect.find(w("titlePg")) is not None
    first = next(ref for ref in sect.findall(w("footerReference")) if ref.get(w("type")) == "first")
    rels = made["letter"]["word/_rels/document.xml.rels"].decode()
    target = re.search(rf'Id="{first.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")}"'
                       r'[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="'
                       + first.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id") + '"',
                       rels)
    footer = made["letter"]["word/" + (target.group(1) or target.group(2))].decode()
    assert "PAGE" not in footer                                        # [L10]
    assert "PAGE" in "".join(v.decode() for k, v in made["letter"].items() if k.startswith("word/footer"))


def test_letter_doc_number_flush_right_by_a_right_tab_at_the_type_area_edge(made):
    root = body(made, "letter")
    number = next(p for p in root.iter(w("p")) if paragraph_text(p).endswith("某司函〔2025〕7号"))
    tab = number.find(w("pPr")).find(w("tabs")).find(w("tab"))
    assert tab.get(w("val")) == "right" and int(tab.get(w("pos"))) == pytest.approx(156 * TWIPS_PER_MM, abs=1)   # [L7]


# -- 命令 and 纪要 ----------------------------------------------------------------------------

def test_order_prints_its_mark_and_number_and_no_title(made):
    root = body(made, "order")
    assert paragraph_text(paragraph_with(root, "某某县人民政府令")) == "某某县人民政府令"     # [M1]
    assert paragraph_with(root, "第3号") is not None                                          # [M3]
    styles = {p.find(w("pPr")).find(w("pStyle")).get(w("val")) for p in root.iter(w("p"))}
    assert "Title" not in styles                                                               # [M4]
    date = paragraph_with(root, "2025年7月1日")
    signer = paragraph_with(root, "县长　张某某")
    for p in (date, signer):
        assert int(p.find(w("pPr")).find(w("ind")).get(w("right"))) == 4 * CHAR               # 右空四字 [M5, S9]


def test_minutes_labels_are_hei_and_names_hang_under_the_first_name(made):
    root = body(made, "minutes")
    mark = paragraph_with(root, "某某县人民政府常务会议纪要")
    assert mark.find(w("r")).find(w("rPr")).find(w("color")).get(w("val")) == "FF0000"       # [J1]
    labels = []
    for label in ("出席：", "请假：", "列席："):
        p = next(p for p in root.iter(w("p")) if paragraph_text(p).startswith(label))
        labels.append(p)
        first = p.find(w("r"))
        assert "".join(t.text for t in first.iter(w("t"))) == label
        assert first.find(w("rPr")).find(w("rFonts")).get(w("eastAsia")) == "黑体"           # [J2]
        rest = p.findall(w("r"))[1:]
        assert all(r.find(w("rPr")).find(w("rFonts")).get(w("eastAsia")) != "黑体" for r in rest)
        ind = p.find(w("pPr")).find(w("ind"))
        assert int(ind.get(w("left"))) - int(ind.get(w("hanging"))) == 2 * CHAR                 # 左空二字
        assert int(ind.get(w("hanging"))) > 2 * CHAR                                            # under the names
    order = [list(root.iter(w("p"))).index(p) for p in labels]
    assert order == sorted(order)                                                               # 出席, 请假, 列席 [J3]


# -- 印章 [G2], 主送 in the 版记 [D6] -----------------------------------------------------------

def test_seal_is_an_anchored_picture_of_the_given_png_on_the_signature_date_right_four(made):
    root = body(made, "sealed")
    host = paragraph_with(root, "某某县人民政府")
    anchor = host.find(".//" + f"{{{WP}}}anchor")
    assert anchor is not None and anchor.get("behindDoc") == "0"
    extent = anchor.find(f"{{{WP}}}extent")
    assert int(extent.get("cx")) == pytest.approx(42 * 36000, abs=2)      # [seal] diameter_mm in EMU
    date = paragraph_with(root, "2025年9月1日")
    assert int(date.find(w("pPr")).find(w("ind")).get(w("right"))) == 4 * CHAR                # 右空四字 [G2]
    media = [v for k, v in made["sealed"].items() if k.startswith("word/media/")]
    assert media == [(FIXTURES / "seal.png").read_bytes()]


def test_recipients_in_the_record_table_above_cc(made):
    root = body(made, "sealed")
    texts = [paragraph_text(p) for p in root.iter(w("p"))]
    assert not any(t.startswith("各乡") for t in texts)
    table = next(t for t in root.iter(w("tbl")) if "抄送" in "".join(x.text or "" for x in t.iter(w("t"))))
    rows = ["".join(x.text or "" for x in row.iter(w("t"))) for row in table.iter(w("tr"))]
    assert rows[0].startswith("主送：各乡") and rows[1].startswith("抄送：")                   # [D6]


def test_without_seal_the_joint_signature_is_one_issuer_a_line(tmp_path):
    path = tmp_path / "joint.md"
    path.write_text((FIXTURES / "sealed-joint.md").read_text(encoding="utf-8").replace("seal: seal.png\n", ""),
                    encoding="utf-8")
    root = etree.fromstring(parts(docx_bytes(path))["word/document.xml"])
    texts = [paragraph_text(p) for p in root.iter(w("p"))]
    host, other = texts.index("某某县人民政府"), texts.index("某某县司法局")
    assert other == host + 1 and texts[other + 1] == "2025年9月1日"                             # [S8]
    assert not list(root.iter(f"{{{WP}}}anchor"))


# -- LibreOffice's rendering ------------------------------------------------------------------

@pytest.mark.soffice
def test_libreoffice_draws_the_letter_lines_and_the_seal_where_the_pdf_does(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed (Debian: libreoffice-writer-nogui); deselect with -m 'not soffice'"
    for name in ("letter", "sealed"):
        (tmp_path / f"{name}.docx").write_bytes(docx_bytes(SOURCES[name]))
    profile_dir = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile_dir}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "letter.docx"), str(tmp_path / "sealed.docx")],
        check=True, capture_output=True, timeout=300, env=dict(os.environ, HOME=str(profile_dir)))
    with pdfplumber.open(tmp_path / "letter.pdf") as pdf:
        page = pdf.pages[0]
        strokes = sorted(page.lines + page.curves + page.rects, key=lambda s: s["top"])
        assert len(strokes) == 4
        mark_bottom = 30 * MM + 26
        assert strokes[0]["top"] - strokes[0]["linewidth"] / 2 == pytest.approx(mark_bottom + 4 * MM, abs=1 * MM)
        assert strokes[-1]["top"] + strokes[-1]["linewidth"] / 2 == pytest.approx(841.89 - 20 * MM, abs=1 * MM)
        mark = [c for c in page.chars if c["size"] == pytest.approx(26)]
        assert min(c["top"] for c in mark) == pytest.approx(30 * MM, abs=2 * MM)
        # The grid below is not moved by the frame: the title where the PDF writer puts it.
        title = min(c["top"] for c in page.chars if c["size"] == pytest.approx(22))
        assert title == pytest.approx(224.3, abs=1 * MM)
        assert "— 1 —" not in page.extract_text()
    with pdfplumber.open(tmp_path / "sealed.pdf") as pdf:
        page = pdf.pages[0]
        (seal,) = page.images
        (date,) = [m for m in page.search(r"2025\s*年\s*9\s*月\s*1\s*日") if m["top"] > seal["top"]]
        centre = (date["x0"] + date["x1"]) / 2
        assert (seal["x0"] + seal["x1"]) / 2 == pytest.approx(centre, abs=1 * MM)
        assert seal["x1"] - seal["x0"] == pytest.approx(42 * MM, abs=1)
