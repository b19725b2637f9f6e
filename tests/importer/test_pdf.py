"""`exporter import` on PDF input: the round trip source → PDF → import → source gives the same
paragraphs, headings, tables and figures (compared on the reader's model), for PDFs made by this
project's own PDF writer and by LibreOffice from the Word writer's .docx (how most published
PDFs are made); and hostile PDFs are refused with a located error."""

from __future__ import annotations

import io
from collections import Counter
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest

from exporter.importer import import_file
from exporter.model import Document, Heading, Paragraph, Table
from exporter.reader import read_source
from support.importing import read_back
from support.paths import ROOT

SOURCES = ("yaoan-2021", "gov-info-2023")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exporter", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """Each bundled source as the project's own PDF and .docx."""
    out = tmp_path_factory.mktemp("made")
    for fmt in ("pdf", "docx"):
        proc = run(fmt, "-o", str(out), *(str(ROOT / "source" / f"{s}.md") for s in SOURCES), cwd=out)
        assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def imported(made):
    """Each made PDF imported once for the module (an import takes about two seconds); the tests
    only read the results."""
    results: dict[str, object] = {}

    def get(name: str):
        if name not in results:
            results[name] = import_file(made / name)
        return results[name]

    return get


def _shape(document: Document) -> list[tuple]:
    """What a reader sees: headings (level, text), paragraphs, tables (grid, merges, head, cell
    kinds, unit, notes) and every figure's printed text and value, in order. Ids and indicator
    names are left out: a PDF does not carry them (the draft's placeholders are reviewed)."""
    out: list[tuple] = []
    for block in document.blocks:
        match block:
            case Heading():
                out.append(("heading", block.level, block.text))
            case Paragraph():
                if block.lead is not None:
                    out.append(("heading", block.lead.level, block.lead.text))
                out.append(("paragraph", block.text))
            case Table():
                cells = tuple((c.row, c.column, c.row_span, c.column_span, c.kind.value, c.text) for c in block.cells)
                notes = tuple("".join(i.text for i in note) for note in block.notes)
                out.append(("table", block.header_rows, block.label_columns, block.row_count, block.column_count,
                            block.unit_line, notes, cells))
    return out


def _figures(document: Document) -> list[tuple[str, Decimal, str, str | None]]:
    return [(i.text, i.value, i.unit, i.table_id and "cell") for i in document.indicators]





def _round_trip(result, name: str, tmp_path: Path) -> tuple[Document, Document]:
    original = read_source(ROOT / "source" / f"{name}.md").document
    return original, read_back(result, tmp_path, f"{name}.md")


@pytest.mark.parametrize("name", SOURCES)
def test_the_project_pdf_imports_to_the_same_model(imported, tmp_path, name):
    original, imported = _round_trip(imported(f"{name}.pdf"), name, tmp_path)
    assert _shape(imported) == _shape(original)
    assert imported.meta.title == original.meta.title
    assert imported.meta.issuer == original.meta.issuer


@pytest.mark.parametrize("name", SOURCES)
def test_every_figure_of_the_text_and_every_table_cell_comes_back_with_its_value(imported, tmp_path, name):
    original, imported = _round_trip(imported(f"{name}.pdf"), name, tmp_path)
    # A cell's unit comes back when it is printed: in the unit line ("单位：件") or in the column's
    # header ("本年收费金额（单位：万元）"); t2's 件 is an attribute of the source only.
    printed_units = {t.id: t.unit_line for t in original.blocks if isinstance(t, Table)}
    cells = sorted((f[0], f[1], f[2] if printed_units.get(i.table_id) or f[2] == "万元" else "")
                   for f, i in zip(_figures(original), original.indicators) if f[3])
    assert sorted(f[:3] for f in _figures(imported) if f[3]) == cells
    # Text figures: the importer tags Arabic numbers with a unit (a figure spelled out, "两次", is
    # left for the author, as in a .txt import); every such figure of the source is among them,
    # with the same printed text and value, in order.
    expected = [f for f in _figures(original) if not f[3] and f[0][:1].isdigit()]
    found = [f for f in _figures(imported) if not f[3]]
    position = 0
    for figure in expected:
        assert figure in found[position:], figure
        position = found.index(figure, position) + 1


@pytest.mark.soffice
@pytest.mark.parametrize("name", SOURCES)
def test_a_libreoffice_render_of_the_docx_imports_to_the_same_model(made, tmp_path, name):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = tmp_path / "lo-profile"
    proc = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(made / f"{name}.docx")],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    original, imported = _round_trip(import_file(tmp_path / f"{name}.pdf"), name, tmp_path)
    assert _shape(imported) == _shape(original)


def test_the_report_says_what_each_page_became_and_lists_the_dropped_page_numbers(made, imported):
    result = imported("gov-info-2023.pdf")
    report = result.report()
    pages = len(pypdf.PdfReader(made / "gov-info-2023.pdf").pages)
    assert [line.split(":")[0] for line in result.pages] == [f"page {n}" for n in range(1, pages + 1)]
    assert "table continued" in "\n".join(result.pages)  # 表三 runs over three pages
    dropped = [r for r in result.removed if r.moved_to is None and r.reason == "page number"]
    assert [r.text for r in dropped] == [f"—{n}—" for n in range(1, pages + 1)]
    repeated = [r for r in result.removed if r.reason == "table head repeated"]
    assert len(repeated) == 2 * 3  # 表三's three head rows, printed again on two more pages
    assert "dropped (17 lines" in report
    assert f"median paragraph {result.median_paragraph_length} characters, {len(result.figures)} figures" in report
    assert 100 < result.median_paragraph_length < 400


def test_nothing_is_lost(made, imported):
    """Every printed character is in the draft's body or front matter, or in the dropped list."""
    import pdfplumber

    result = imported("gov-info-2023.pdf")
    kept = result.markdown
    with pdfplumber.open(made / "gov-info-2023.pdf") as pdf:
        printed = [c["text"] for page in pdf.pages for c in page.chars if c["text"].strip()]
    # The draft holds every printed character but the typed heading numbers (the writers number
    # headings); the page numbers and a continued table's repeated head are in its comments; a
    # date moved to the front matter is written as 2024-01-26, and "单位：件" as unit="件".
    expected = Counter("".join(printed))
    expected.subtract(Counter("".join(h.typed for h in result.headings)))
    expected.subtract(Counter("单位：" * sum(1 for t in result.items if getattr(t, "table", None)
                                            and t.table.unit)))
    draft = Counter(kept + "".join(r.text for r in result.removed if r.moved_to))
    assert {c: (n, draft[c]) for c, n in expected.items() if draft[c] < n} == {}


# --- hostile PDFs ----------------------------------------------------------------------------

def _import(tmp_path: Path, name: str) -> subprocess.CompletedProcess:
    return run("import", "-o", str(tmp_path / "out"), name, cwd=tmp_path)


def test_a_scanned_pdf_is_refused(tmp_path):
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    png = io.BytesIO()
    from PIL import Image

    Image.new("L", (200, 280), 255).save(png, format="PNG")
    pdf = canvas.Canvas(str(tmp_path / "scan.pdf"))
    pdf.drawImage(ImageReader(io.BytesIO(png.getvalue())), 50, 50, 400, 560)
    pdf.showPage()
    pdf.save()
    proc = _import(tmp_path, "scan.pdf")
    assert proc.returncode == 1
    assert proc.stderr.startswith("scan.pdf: error: no text layer on any of the 1 pages: a scanned PDF")
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_an_encrypted_pdf_is_refused(made, tmp_path):
    writer = pypdf.PdfWriter(clone_from=made / "yaoan-2021.pdf")
    writer.encrypt(user_password="secret", owner_password="owner")
    with open(tmp_path / "locked.pdf", "wb") as handle:
        writer.write(handle)
    proc = _import(tmp_path, "locked.pdf")
    assert proc.returncode == 1
    assert proc.stderr.startswith("locked.pdf: error: the PDF is encrypted and needs a password to open")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("keep", [0.5, 0.05])
def test_a_truncated_pdf_is_a_located_error(made, tmp_path, keep):
    data = (made / "yaoan-2021.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[: int(len(data) * keep)])
    proc = _import(tmp_path, "cut.pdf")
    assert proc.returncode == 1
    assert proc.stderr.startswith("cut.pdf: error: ")
    assert "truncated or corrupt" in proc.stderr or "damaged" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_not_a_pdf_at_all(tmp_path):
    (tmp_path / "fake.pdf").write_bytes(b"%PDF-1.4")
    proc = _import(tmp_path, "fake.pdf")
    assert proc.returncode == 1
    assert proc.stderr.startswith("fake.pdf: error: not a readable PDF file")


def test_a_huge_page_count_is_refused_before_any_page_is_read(tmp_path):
    from exporter.importer import pdf as pdf_reader

    writer = pypdf.PdfWriter()
    for _ in range(pdf_reader.MAX_PAGES + 1):
        writer.add_blank_page(595, 842)
    with open(tmp_path / "huge.pdf", "wb") as handle:
        writer.write(handle)
    proc = _import(tmp_path, "huge.pdf")
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"huge.pdf: error: {pdf_reader.MAX_PAGES + 1} pages, more than the "
                                  f"{pdf_reader.MAX_PAGES} a report has")
