"""Hostile content renders literally in all three formats; huge inputs export.

(Kills and Ctrl-C at each step of a commit are tested deterministically in test_commit.py and
test_interrupts.py.)

Each output is read back with a library other than the one that wrote it would use
(python-docx for the .docx text, pypdf for the PDF text, openpyxl for cell types).
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document as WordDocument
from pypdf import PdfReader


HOSTILE_LINES = [
    "标签<b>粗体</b>与<i>斜体",
    "符号&与&lt;不是实体",
    "数据<![CDATA[ 内容 ]]>结束",
    "版式<para>标记</para><font name=\"x\">字体</font><br/>",
    "尖括号a<b且c>d，以及]]>结尾",
]


def run_export(source: Path, out: Path, *extra: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exporter", "all", str(source), "-o", str(out), *extra],
                          capture_output=True, text=True, cwd=cwd or source.parent, timeout=900)


def docx_text(path: Path) -> str:
    return "\n".join(p.text for p in WordDocument(str(path)).paragraphs)


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(str(path)).pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def hostile_export(tmp_path_factory):
    folder = tmp_path_factory.mktemp("外部 目录")  # outside the project, with a space and Chinese
    # As an author writes them: an entity to print literally and a lone ']' are escaped.
    body = "\n\n".join(line.replace("&lt;", "\\&lt;").replace("以及]]>", "以及\\]\\]>") for line in HOSTILE_LINES)
    source = folder / "敌意 输入.md"
    source.write_text(
        "---\ntitle: 敌意内容测试\n---\n\n" + body + "\n\n"
        "共[3项]{#formula_name name=\"=HYPERLINK(&quot;http://x&quot;,&quot;点此&quot;)\" note=\"@SUM(1)\"}，"
        "[4项]{#plus_name name=\"+1\" note=\"-2+3\"}，[5项]{#cmd_name name=\"=cmd|' /C calc'!A0\"}。\n",
        encoding="utf-8",
    )
    out = folder / "输出"
    proc = run_export(source, out)
    assert proc.returncode == 0, proc.stderr
    return out, "敌意 输入"


def test_hostile_text_is_literal_in_docx(hostile_export):
    out, stem = hostile_export
    text = docx_text(out / f"{stem}.docx")
    for line in HOSTILE_LINES:
        assert line in text


def test_hostile_text_is_literal_in_pdf(hostile_export):
    out, stem = hostile_export
    text = squeeze(pdf_text(out / f"{stem}.pdf"))
    for line in HOSTILE_LINES:
        assert squeeze(line) in text


def test_formula_text_is_stored_as_text_in_xlsx(hostile_export):
    out, stem = hostile_export
    sheet = openpyxl.load_workbook(out / f"{stem}.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    name_col, note_col = header.index("指标名称"), header.index("备注")
    assert rows["formula_name"][name_col].value == '=HYPERLINK("http://x","点此")'
    assert rows["cmd_name"][name_col].value == "=cmd|' /C calc'!A0"
    assert rows["plus_name"][name_col].value == "+1"
    for row in rows.values():
        for cell in row:
            assert cell.data_type in ("s", "n"), (cell.coordinate, cell.data_type)
    assert "@SUM(1)" in str(rows["formula_name"][note_col].value)
    with zipfile.ZipFile(out / f"{stem}.xlsx") as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_200000_character_paragraph(tmp_path):
    paragraph = ("依法行政，建设法治政府。" * 16667)[:200_000]
    source = tmp_path / "long.md"
    source.write_text("---\ntitle: 超长段落\n---\n\n" + paragraph + "\n", encoding="utf-8")
    proc = run_export(source, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert squeeze(docx_text(tmp_path / "out" / "long.docx")).endswith(paragraph[-500:])
    reader = PdfReader(str(tmp_path / "out" / "long.pdf"))
    assert len(reader.pages) >= 200_000 // (28 * 22)
    assert squeeze(reader.pages[-1].extract_text()).replace("—", "").rstrip("0123456789").endswith(paragraph[-20:])


def test_10000_indicators(tmp_path):
    spans = "，".join(f"第{k}组[{k}项]{{#item_{k} name=\"事项{k}\"}}" for k in range(10_000))
    source = tmp_path / "many.md"
    source.write_text("---\ntitle: 一万个指标\n---\n\n" + spans + "。\n", encoding="utf-8")
    proc = run_export(source, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    sheet = openpyxl.load_workbook(tmp_path / "out" / "many.xlsx", read_only=True).worksheets[0]
    values = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == list(range(10_000))
    with zipfile.ZipFile(tmp_path / "out" / "many.docx") as package:
        document_xml = package.read("word/document.xml").decode()
    assert document_xml.count("<w:bookmarkStart ") == 10_000
