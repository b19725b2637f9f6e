"""The 版头 in the .docx: what the XML says (colour, size, fonts, the rule's border) and where
LibreOffice draws it (the reference material shared/spec/gbt9704-kinds.md §2, K2–K16)."""

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
MM = 72 / 25.4
LEFT, RIGHT, TOP = 79.370, 521.575, 104.882
CENTRE = (LEFT + RIGHT) / 2
PITCH = 579 / 20      # templates/gbt9704.toml docx_line_pitch_twips
SOURCES = {
    "notice": ROOT / "source" / "notice-example.md",
    "request": ROOT / "source" / "request-example.md",
    "joint": FIXTURES / "head-joint.md",
    "headless": FIXTURES / "full-furniture.md",
}


def q(name: str) -> str:
    prefix, local = name.split(":")
    assert prefix == "w"
    return f"{{{W}}}{local}"


def docx_bytes(path) -> bytes:
    result = read_source(path)
    assert result.document is not None
    out = io.BytesIO()
    write(result.document, result.profile, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def xml() -> dict[str, etree._Element]:
    out = {}
    for name, path in SOURCES.items():
        with zipfile.ZipFile(io.BytesIO(docx_bytes(path))) as z:
            out[name] = etree.fromstring(z.read("word/document.xml"))
    return out


def runs_with(root, text: str) -> list:
    return [r for r in root.iter(q("w:r")) if text in "".join(t.text or "" for t in r.iter(q("w:t")))]


def test_mark_runs_are_red_small_biao_song_at_the_profile_size(xml):
    (mark,) = runs_with(xml["notice"], "某某县人民政府文件")
    props = mark.find(q("w:rPr"))
    assert props.find(q("w:color")).get(q("w:val")) == "FF0000"       # [G5] the nearest RGB of C0 M100 Y100 K0
    assert props.find(q("w:sz")).get(q("w:val")) == "72"              # [roles.issuer_mark] 36 pt
    assert props.find(q("w:rFonts")).get(q("w:eastAsia")) == "方正小标宋简体"
    assert props.find(q("w:b")) is None


def test_head_fields_fonts(xml):
    root = xml["joint"]
    for text, face in (("000003", "仿宋_GB2312"), ("秘密★1年", "黑体"), ("特急", "黑体"), ("王某某", "楷体_GB2312"),
                       ("签发人：", "仿宋_GB2312"), ("某政请〔2025〕7号", "仿宋_GB2312")):
        (run,) = runs_with(root, text)
        assert run.find(q("w:rPr")).find(q("w:rFonts")).get(q("w:eastAsia")) == face, text
        assert run.find(q("w:rPr")).find(q("w:sz")).get(q("w:val")) == "32", text


def test_separator_is_a_red_top_border_as_wide_as_the_type_area(xml):
    root = xml["notice"]
    borders = [b for b in root.iter(q("w:top")) if b.get(q("w:color")) == "FF0000"]
    assert len(borders) == 1
    border = borders[0]
    assert border.get(q("w:val")) == "single"
    assert int(border.get(q("w:sz"))) == 12                            # 1.5 pt in eighths [K14]
    table = next(t for t in root.iter(q("w:tbl")) if border in list(t.iter()))
    width = int(table.find(q("w:tblPr")).find(q("w:tblW")).get(q("w:w")))
    assert width == pytest.approx(156 * 1440 / 25.4, abs=1.5)         # the 版心, margins rounded to twips


def test_a_document_without_a_head_has_no_red(xml):
    root = xml["headless"]
    assert not [c for c in root.iter(q("w:color")) if c.get(q("w:val")) == "FF0000"]
    assert not [b for b in root.iter() if b.get(q("w:color")) == "FF0000"]
    assert not runs_with(root, "某政报〔2025〕3号")


# -- LibreOffice's rendering ------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, request) -> dict[str, pdfplumber.page.Page]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed (Debian: libreoffice-writer-nogui); deselect with -m 'not soffice'"
    folder = tmp_path_factory.mktemp("head-render")
    names = ("notice", "request", "joint")
    for name in names:
        (folder / f"{name}.docx").write_bytes(docx_bytes(SOURCES[name]))
    profile_dir = tmp_path_factory.mktemp("lo-profile")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile_dir}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), *[str(folder / f"{n}.docx") for n in names]],
        check=True, capture_output=True, timeout=300, env=dict(os.environ, HOME=str(profile_dir)))
    pages = {}
    for name in names:
        pdf = pdfplumber.open(folder / f"{name}.pdf")
        request.addfinalizer(pdf.close)
        pages[name] = pdf.pages[0]
    return pages


def chars_of(page, text: str) -> list[dict]:
    """The characters of the first line whose text contains `text`."""
    rows: dict[float, list[dict]] = {}
    for c in page.chars:
        rows.setdefault(round(c["bottom"], 1), []).append(c)
    for key in sorted(rows):
        row = sorted(rows[key], key=lambda c: c["x0"])
        joined = "".join(c["text"] for c in row)
        if text in joined:
            start = joined.index(text)
            return row[start:start + len(text)]
    raise AssertionError(f"{text!r} not rendered")


def em_top(chars: list[dict]) -> float:
    # LibreOffice's PDF fonts have no descent, so pdfplumber's box is baseline − size .. baseline;
    # the em box of a CJK face sits 0.12 em lower (Noto, Fandol), the layout's reference.
    return min(c["top"] for c in chars) + 0.12 * chars[0]["size"]


def em_bottom(chars: list[dict]) -> float:
    return max(c["bottom"] for c in chars) + 0.12 * chars[0]["size"]


@pytest.mark.soffice
@pytest.mark.slow
def test_rendered_mark_number_and_rule_positions(rendered):
    page = rendered["notice"]
    mark = chars_of(page, "某某县人民政府文件")
    assert em_top(mark) == pytest.approx(TOP + 35 * MM, abs=1 * MM)                   # [K7]
    assert (mark[0]["x0"] + mark[-1]["x1"]) / 2 == pytest.approx(CENTRE, abs=1 * MM)
    number = chars_of(page, "某政发〔2025〕5号")
    assert (number[0]["x0"] + number[-1]["x1"]) / 2 == pytest.approx(CENTRE, abs=1 * MM)  # [K10]
    assert 2 * PITCH <= em_top(number) - em_bottom(mark) <= 3 * PITCH
    rules = [ln for ln in page.lines + page.rects if abs(ln["top"] - ln["bottom"]) < 2.5 and ln["x1"] - ln["x0"] > 400]
    assert len(rules) == 1                                                             # [K14]
    rule = rules[0]
    assert rule["x0"] == pytest.approx(LEFT, abs=1) and rule["x1"] == pytest.approx(RIGHT, abs=1)
    assert rule["top"] - em_bottom(number) == pytest.approx(4 * MM, abs=1 * MM)
    assert tuple(rule["stroking_color"] or rule["non_stroking_color"]) == (1, 0, 0)


@pytest.mark.soffice
@pytest.mark.slow
def test_rendered_upward_number_and_signers(rendered):
    page = rendered["request"]
    number = chars_of(page, "某政请〔2025〕2号")
    signer = chars_of(page, "签发人：王某某")
    assert number[0]["x0"] == pytest.approx(LEFT + 16, abs=1 * MM)                  # [K11]
    assert signer[-1]["x1"] == pytest.approx(RIGHT - 16, abs=1 * MM)                # [K12]
    assert number[0]["bottom"] == pytest.approx(signer[0]["bottom"], abs=0.5)
    joint = rendered["joint"]
    first = chars_of(joint, "王某某")
    last = chars_of(joint, "赵某某")
    assert last[0]["x0"] == pytest.approx(first[0]["x0"], abs=1)                   # [K13]
    assert last[0]["bottom"] - first[0]["bottom"] == pytest.approx(PITCH, abs=1)
    assert em_top(chars_of(joint, "某某县人民政府")) == pytest.approx(TOP + 35 * MM, abs=1 * MM)
