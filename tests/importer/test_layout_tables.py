"""Tables in `pdftotext -layout` text (text copied out of a published PDF): what aligns becomes a
source table whose numbers are figures, what does not is listed in the report with its lines.

The layout texts are made here from the bundled 政府信息公开工作年度报告 (the national template's
表二/表三/表四): exported by this project's PDF writer, and its .docx rendered by LibreOffice (how
most published PDFs are made), each through `pdftotext -layout`. The imported tables' figures are
compared on the reader's model with the source's: the same values, in the same order."""

from __future__ import annotations

import re

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from exporter.importer import import_text
from exporter.importer.layout_tables import REPEATED_HEAD, UNALIGNED
from exporter.importer.structure import TableItem
from exporter.model import Table
from exporter.reader import read_source
from support.importing import read_back
from support.paths import ROOT

SOURCE = ROOT / "source" / "gov-info-2023.md"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exporter", *args], capture_output=True, text=True, cwd=cwd)


def _layout(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def own_pdf_text(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("layout")
    proc = _run("pdf", "-o", str(out), str(SOURCE), cwd=out)
    assert proc.returncode == 0, proc.stderr
    return _layout(out / "gov-info-2023.pdf")


def _table_values(document) -> list[tuple[str, object]]:
    return [(i.text, i.value) for i in document.indicators if i.table_id]


def _check_tables(text: str, tmp_path: Path):
    original = read_source(SOURCE).document
    result = import_text(text, "gov-info-2023.txt")
    imported = read_back(result, tmp_path, "gov-info-2023.md")
    # Every cell figure of 表二, 表三 and 表四, with its printed text and value, in order; a blank
    # cell (空白) stays blank, so the counts agree too.
    assert _table_values(imported) == _table_values(original)
    assert len(_table_values(imported)) == 7 + 25 * 7 - 5 + 15
    proc = _run("check", "gov-info-2023.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return result, imported


def test_the_tables_of_the_project_pdf_as_layout_text_come_back_with_every_figure(own_pdf_text, tmp_path):
    result, imported = _check_tables(own_pdf_text, tmp_path)
    tables = [b for b in imported.blocks if isinstance(b, Table)]
    # 表二 prints as four small tables one under the other (each with its own head); 表三 runs over
    # three pages with its head printed again on each: one table of 25 rows.
    assert [t.row_count - t.header_rows for t in tables] == [1, 1, 2, 1, 25, 1]
    assert [t.column_count for t in tables] == [4, 2, 2, 2, 8, 15]
    assert tables[4].unit_line and "件" in tables[4].unit_line
    assert ["".join(i.text for i in note) for note in tables[5].notes] == ["注：行政复议、行政诉讼案件数含上年结转至本年审结的案件。"]
    # Per page (pdftotext ends each page with a form feed): what it became, 表三 going on over two.
    assert [line.split(":")[0] for line in result.pages] == [f"page {n}" for n in range(1, own_pdf_text.count("\f") + 1)]
    assert [line.split(":")[0] for line in result.pages if "1 table continued" in line] == ["page 5", "page 6"]
    # 表二's four parts on page 3; the headings counted page by page are the document's, wherever
    # the layout (keeps, widow control) put them.
    assert "4 tables" in result.pages[2]
    per_page = [int(m.group(1)) for line in result.pages for m in re.finditer(r"(\d+) headings?\b", line)]
    assert sum(per_page) == len(list(read_source(SOURCE).document.headings()))
    repeated = [r for r in result.removed if r.reason == REPEATED_HEAD]
    assert len(repeated) == 2 * 7        # 表三's seven head lines, printed again on two more pages
    labels = [t for t in tables[4].cells if t.column == 0 and t.row >= tables[4].header_rows]
    assert labels[0].text == "一、本年新收政府信息公开申请数量"   # a label printed above and below its numbers
    assert labels[5].text == "2.其他法律行政法规禁止公开"
    # No table text became paragraph text: between the headings over the tables stand only tables.
    kinds = [type(item).__name__ if not hasattr(item, "level") else item.text for item in result.items]
    start, end = kinds.index("主动公开政府信息情况"), kinds.index("存在的主要问题及改进情况")
    assert kinds[start:end] == ["主动公开政府信息情况", *["TableItem"] * 4, "收到和处理政府信息公开申请情况", "TableItem",
                                "政府信息公开行政复议、行政诉讼情况", "TableItem"]


@pytest.mark.soffice
def test_the_tables_of_a_libreoffice_render_as_layout_text_come_back_with_every_figure(tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    proc = _run("docx", "-o", str(tmp_path), str(SOURCE), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    profile = tmp_path / "lo-profile"
    rendered = tmp_path / "rendered"
    proc = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(rendered), str(tmp_path / "gov-info-2023.docx")],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    _check_tables(_layout(rendered / "gov-info-2023.pdf"), tmp_path)


def test_nothing_of_a_layout_table_is_lost(own_pdf_text):
    """Every printed character is in the draft (body, tables, front matter) or in the dropped list."""
    result = import_text(own_pdf_text, "gov-info-2023.txt")
    expected = Counter(ch for ch in own_pdf_text if ch.strip())
    expected.subtract(Counter("".join(h.typed for h in result.headings)))
    expected.subtract(Counter("单位：" * sum(1 for t in result.items if isinstance(t, TableItem) and t.table.unit)))
    draft = Counter(result.markdown + "".join(r.text for r in result.removed if r.moved_to))
    assert {c: (n, draft[c]) for c, n in expected.items() if draft[c] < n} == {}


TABLE = """\
  一、分类情况

          项目           甲类      乙类      丙类
  一类                    1         2         3
  二类                    4         5         6
  三类                                   78 9
  四类                    7                   8
  注：三类的数字挤在一起，对不齐。

  二、其他
  全年办理 12 件。
"""


def test_what_cannot_be_aligned_is_listed_with_its_line_not_mangled_into_a_paragraph(tmp_path):
    result = import_text(TABLE)
    tables = [item.table for item in result.items if isinstance(item, TableItem)]
    assert len(tables) == 1
    body = tables[0].rows[tables[0].header_rows:]
    assert body == [["一类 {#todo_r1}", "1", "2", "3"], ["二类 {#todo_r2}", "4", "5", "6"],
                    ["四类 {#todo_r3}", "7", "", "8"]]
    assert tables[0].rows[0][1:] == ["甲类 {#todo_c1}", "乙类 {#todo_c2}", "丙类 {#todo_c3}"]
    assert tables[0].notes == ["注：三类的数字挤在一起，对不齐。"]
    unaligned = [r for r in result.removed if r.reason == UNALIGNED]
    assert [(r.origin, r.text) for r in unaligned] == [((6,), "三类                                   78 9")]
    assert "三类" in result.report() and "could not be aligned" in result.report()
    assert not any("78" in p.text for p in result.paragraphs)
    assert [p.text for p in result.paragraphs] == ["全年办理12件。"]
    read_back(result, tmp_path)


def test_numbers_at_the_end_of_a_paragraph_line_are_not_a_table():
    text = "\n".join([
        "  全年因政府信息公开被申请行政复议 10 件，其中结果纠正 2 件，被提起行政诉讼 6",
        "件，对被纠正的案件已督促承办单位重新答复。",
        "",
        "                                   12",
    ])
    result = import_text(text)
    assert not any(isinstance(item, TableItem) for item in result.items)
