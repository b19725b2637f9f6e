"""Joint sealed sign-offs and the 命令's 签名章 in the .docx: what the XML says (centre tab stops
on the seal centres, one anchored picture per seal, the 签名章 beside its 职务), and where
LibreOffice draws them (reference material shared/spec/gbt9704-kinds.md §8 S5, S6, S9; §6 M5)."""

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
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
EMU_PER_MM = 36000
EMU_PER_TWIP = 635
TWIPS_PER_MM = 1440 / 25.4
CHAR = 320                      # one 3号 character in twips [B3]
MM = 72 / 25.4
LEFT, RIGHT = 79.370, 521.575
EXAMPLE = ROOT / "source" / "joint-notice-example.md"


def w(local: str) -> str:
    return f"{{{W}}}{local}"


def docx_parts(path) -> dict[str, bytes]:
    result = read_source(path)
    assert result.document is not None
    out = io.BytesIO()
    write(result.document, result.profile, out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        return {name: z.read(name) for name in z.namelist()}


def paragraph_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")))


def paragraph_with(root, text: str):
    return next(p for p in root.iter(w("p")) if paragraph_text(p) == text)


def anchors(p) -> list:
    return list(p.iter(f"{{{WP}}}anchor"))


def offset(anchor, axis: str) -> int:
    return int(anchor.find(f"{{{WP}}}position{axis}").find(f"{{{WP}}}posOffset").text)


def width(anchor) -> int:
    return int(anchor.find(f"{{{WP}}}extent").get("cx"))


def test_joint_seals_one_row_tab_centred_signatures_one_picture_each():
    parts = docx_parts(EXAMPLE)
    root = etree.fromstring(parts["word/document.xml"])
    row = paragraph_with(root, "某某县人民政府某某县司法局")          # both 署名 on one line [S5]
    tabs = [(t.get(w("val")), int(t.get(w("pos")))) for t in row.find(w("pPr")).find(w("tabs"))]
    assert [kind for kind, _ in tabs] == ["center", "center"]
    assert len(row.findall(f"{{{W}}}r/{{{W}}}tab")) == 2
    pictures = anchors(row)
    assert len(pictures) == 2
    for (_, centre), picture in zip(tabs, pictures):
        assert width(picture) == pytest.approx(42 * EMU_PER_MM, abs=2)                  # [seal] diameter_mm
        assert offset(picture, "H") + width(picture) // 2 == pytest.approx(centre * EMU_PER_TWIP, abs=EMU_PER_TWIP)
    # Neighbouring centres one seal and `joint_gap_mm` apart: no two seals touch [S5, S6].
    assert tabs[1][1] - tabs[0][1] == pytest.approx(45 * TWIPS_PER_MM, abs=2)
    date = paragraph_with(root, "2025年4月8日")
    assert int(date.find(w("pPr")).find(w("ind")).get(w("right"))) == 4 * CHAR          # 右空四字
    # The pictures are the given seals, the host's first.
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    targets = {r.get("Id"): r.get("Target") for r in rels}
    blips = [b.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
             for b in row.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")]
    assert [parts["word/" + targets[b]] for b in blips] == [
        (ROOT / "source" / "seal-county.png").read_bytes(), (ROOT / "source" / "seal-justice.png").read_bytes()]


def test_five_seals_go_in_rows_of_three_and_two_on_the_same_columns(tmp_path):
    for png in ("seal.png", "seal-2.png"):
        shutil.copy(FIXTURES / png, tmp_path / png)
    names = ["某某县人民政府", "某某县司法局", "某某县财政局", "某某县教育局", "某某县公安局"]
    path = tmp_path / "five.md"
    path.write_text(f"---\ntitle: 联合通知\nkind: 通知\nissuer: [{', '.join(names)}]\ndate: 2025-04-08\n"
                    f"seal: [seal.png, seal-2.png, seal.png, seal-2.png, seal.png]\n---\n\n正文。\n", encoding="utf-8")
    root = etree.fromstring(docx_parts(path)["word/document.xml"])
    first, second = paragraph_with(root, "".join(names[:3])), paragraph_with(root, "".join(names[3:]))
    column = lambda p: [int(t.get(w("pos"))) for t in p.find(w("pPr")).find(w("tabs"))]   # noqa: E731
    assert len(column(first)) == 3 and column(second) == column(first)[1:]    # right-aligned rows [S6]
    paragraphs = list(root.iter(w("p")))
    between = paragraphs.index(second) - paragraphs.index(first)
    assert between * 579 >= (42 + 3) * TWIPS_PER_MM                          # rows never touch


def test_order_signature_seal_is_anchored_beside_the_title(tmp_path):
    shutil.copy(FIXTURES / "signature-seal.png", tmp_path / "signature-seal.png")
    path = tmp_path / "order.md"
    path.write_text("---\ntitle: 某某县人民政府令（第3号）\nkind: 令\nissuer: 某某县人民政府\ndoc_number: 第3号\n"
                    "signer: 张某某\nsigner_title: 县长\nsignature_seal: signature-seal.png\ndate: 2025-07-01\n---\n\n"
                    "现予公布。\n", encoding="utf-8")
    root = etree.fromstring(docx_parts(path)["word/document.xml"])
    title = paragraph_with(root, "县长")
    (stamp,) = anchors(title)
    stamp_twips = round(width(stamp) / EMU_PER_TWIP)
    assert stamp_twips == pytest.approx(15 * TWIPS_PER_MM, abs=1)            # square PNG, 15 mm high
    right = int(title.find(w("pPr")).find(w("ind")).get(w("right")))
    assert right == 4 * CHAR + stamp_twips + 2 * CHAR                        # 职务 2字 left of the 签名章 [S9]
    text_width = round(156 * TWIPS_PER_MM)
    assert (offset(stamp, "H") + width(stamp)) / EMU_PER_TWIP == pytest.approx(text_width - 4 * CHAR, abs=2)
    # Centred on the 职务's line: half a line minus half the picture above the paragraph's top.
    assert offset(stamp, "V") == pytest.approx(579 * EMU_PER_TWIP / 2 - width(stamp) / 2, abs=2)
    date = paragraph_with(root, "2025年7月1日")
    assert int(date.find(w("pPr")).find(w("ind")).get(w("right"))) == 4 * CHAR
    paragraphs = list(root.iter(w("p")))
    assert paragraphs.index(date) - paragraphs.index(title) == 3             # 签名章 overhang + one blank line


@pytest.mark.soffice
def test_libreoffice_draws_the_joint_seals_side_by_side_over_their_signatures(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed (Debian: libreoffice-writer-nogui); deselect with -m 'not soffice'"
    result = read_source(EXAMPLE)
    with open(tmp_path / "joint.docx", "wb") as out:
        write(result.document, result.profile, out)
    profile_dir = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile_dir}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "joint.docx")],
        check=True, capture_output=True, timeout=300, env=dict(os.environ, HOME=str(profile_dir)))
    with pdfplumber.open(tmp_path / "joint.pdf") as pdf:
        (page,) = [p for p in pdf.pages if p.images]       # the sign-off goes with the last text, page 2
        left, right = sorted(page.images, key=lambda i: i["x0"])
        assert right["x0"] - left["x1"] == pytest.approx(3 * MM, abs=1)    # side by side, not touching
        assert left["top"] == pytest.approx(right["top"], abs=0.5)
        assert LEFT <= left["x0"] and right["x1"] <= RIGHT
        for name, seal in (("某某县人民政府", left), ("某某县司法局", right)):
            (found,) = [m for m in page.search(r"\s*".join(name)) if seal["top"] < m["top"] < seal["bottom"]]
            assert (found["x0"] + found["x1"]) / 2 == pytest.approx((seal["x0"] + seal["x1"]) / 2, abs=1 * MM)
        (date,) = page.search(r"2025\s*年\s*4\s*月\s*8\s*日")
        assert (date["x0"] + date["x1"]) / 2 == pytest.approx((right["x0"] + right["x1"]) / 2, abs=1 * MM)
        assert right["top"] < date["top"] < right["bottom"]                  # the last seal covers the date
