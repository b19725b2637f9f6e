"""Random text and random structure through the reader and all three writers: the result is
always three files that their readers open, or located errors — never a crash."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from docx import Document as WordDocument
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from exporter.diagnostics import ExportError, SourceError
from exporter.reader import read_source
from exporter.writers import available_formats, get_writer

# Characters that matter: CJK, full- and half-width punctuation, Markdown and XML specials,
# digits and units, quotes, spaces, and a few from far planes.
ALPHABET = st.sampled_from(list(
    "法治政府建设依法行政一二三四五六七八九十年月日项件人次户份%％.，。、；：？！（）《》“”‘’—…"
    "0123456789,;:?!()[]{}#*_`<>&\\/=+-@ \t\u3000\u200b\U00020000\U0001f600aZ"
))
TEXT = st.text(ALPHABET, min_size=0, max_size=60)


@st.composite
def sources(draw) -> str:
    title = draw(st.text(ALPHABET, min_size=0, max_size=30))
    lines = ["---", f"title: {title}" if draw(st.booleans()) else "title: 报告", "---", ""]
    ids = 0
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["heading", "paragraph", "figure", "raw"]))
        if kind == "heading":
            lines.append("#" * draw(st.integers(1, 5)) + " " + draw(TEXT))
        elif kind == "figure":
            ids += 1
            number = draw(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
            unit = draw(st.sampled_from(["%", "项", "万人次", "余件", ""]))
            lines.append(f"{draw(TEXT)}[{number}{unit}]{{#fig_{ids} name=\"{draw(TEXT)}\"}}{draw(TEXT)}")
        elif kind == "raw":
            lines.append(draw(st.text(ALPHABET, max_size=80)))
        else:
            lines.append(draw(TEXT))
        lines.append("")
    return "\n".join(lines)


# Text a reader always accepts: CJK, digits, full-width punctuation, a Latin letter and a
# space; no Markdown or attribute syntax, no character the free fonts lack.
PLAIN = st.text(st.sampled_from(list("法治政府建设依法行政一二三四五六七八九十年月日项件人次户份%％，。、；：？！（）《》“”—…0123456789aZ ")),
                min_size=1, max_size=60).map(str.strip).filter(bool)


@st.composite
def well_formed_sources(draw) -> str:
    """Sources that read without error, so every example reaches the three writers."""
    lines = ["---", f"title: \"{draw(PLAIN)}\"", "---", ""]
    level = 0
    for number in range(draw(st.integers(1, 10))):
        kind = draw(st.sampled_from(["heading", "paragraph", "figure"]))
        if kind == "heading":
            level = draw(st.integers(1, min(level + 1, 4)))
            # A heading's number is generated; text opening like one ("0、", "一、") is refused.
            lines.append("#" * level + " 建设" + draw(PLAIN))
        elif kind == "figure":
            value = draw(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
            unit = draw(st.sampled_from(["%", "项", "万人次", "余件", "个"]))
            lines.append(f"{draw(PLAIN)}[{value}{unit}]{{#fig_{number} name=\"指标{number}\"}}{draw(PLAIN)}")
        else:
            lines.append(draw(PLAIN))
        lines.append("")
    return "\n".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(source=well_formed_sources())
def test_well_formed_sources_always_give_three_valid_files(tmp_path, source):
    path = tmp_path / "random.md"
    path.write_text(source, encoding="utf-8")
    result = read_source(path, shown_path="random.md")
    produced = {}
    for fmt in available_formats():
        out = io.BytesIO()
        get_writer(fmt)(result.document, result.profile, out)
        produced[fmt] = out.getvalue()
    assert [p.text for p in WordDocument(io.BytesIO(produced["docx"])).paragraphs if p.text.strip()]
    assert len(PdfReader(io.BytesIO(produced["pdf"])).pages) >= 1
    sheet = openpyxl.load_workbook(io.BytesIO(produced["xlsx"])).worksheets[0]
    assert sheet.max_row - 1 == len(result.document.indicators)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(source=st.one_of(sources(), well_formed_sources()))
def test_three_valid_files_or_located_errors(tmp_path, source):
    path = tmp_path / "random.md"
    path.write_text(source, encoding="utf-8", errors="surrogatepass")
    try:
        result = read_source(path, shown_path="random.md")
    except SourceError as exc:
        assert any(d.is_error for d in exc.diagnostics)
        for d in exc.diagnostics:
            assert d.pos is not None and d.pos.line >= 1 and d.pos.column >= 1, str(d)
            assert str(d).startswith(f"random.md:{d.pos.line}:{d.pos.column}: {d.severity}: ")
        event("located errors")
        return
    produced = {}
    for fmt in available_formats():
        out = io.BytesIO()
        try:
            get_writer(fmt)(result.document, result.profile, out)
        except ExportError as exc:
            # A writer may refuse (e.g. a character no installed font has), but only with a message.
            assert exc.diagnostics and all(str(d) for d in exc.diagnostics)
            event(f"{fmt} writer refused")
            return
        produced[fmt] = out.getvalue()
    event("three files")
    WordDocument(io.BytesIO(produced["docx"]))
    assert len(PdfReader(io.BytesIO(produced["pdf"])).pages) >= 1
    openpyxl.load_workbook(io.BytesIO(produced["xlsx"]))
    for data in (produced["docx"], produced["xlsx"]):
        assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
