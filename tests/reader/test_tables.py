"""Tables in the source: the model read from the bundled 政府信息公开 report, every located error,
GFM tables, and checks over table cells."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from exporter.diagnostics import SourceError
from exporter.lint import lint
from exporter.model import CellKind, CheckStatus, FigureRef, Table, TableCell, Text
from exporter.reader import read_source
from support.paths import ROOT

GOV_INFO = ROOT / "source" / "gov-info-2023.md"
T3_ONLY = ROOT / "tests" / "fixtures" / "gov-info-t3-only.md"
GOV_LINES = GOV_INFO.read_text(encoding="utf-8").split("\n")

# The template's keys (spec of 国办公开办函〔2021〕30号, table 三), written out here, not read from the code.
T3_ROWS = [
    "new_received", "carried_over", "granted", "partial",
    *(f"denied.{k}" for k in ("state_secret", "law_prohibited", "security_stability", "third_party",
                               "internal_affairs", "process_info", "enforcement_file", "admin_inquiry")),
    *(f"unable.{k}" for k in ("not_held", "needs_creation", "still_unclear")),
    *(f"not_processed.{k}" for k in ("petition", "duplicate", "publication", "mass_repeat", "reconfirm")),
    *(f"other.{k}" for k in ("no_correction", "unpaid_fee", "other")),
    "total_processed", "carried_forward",
]
T3_COLUMNS = ["natural", "commercial", "research", "nonprofit", "legal_service", "other_org", "total"]
T3_BLANK = {f"t3:other.unpaid_fee:{c}" for c in ("commercial", "research", "nonprofit", "legal_service", "other_org")}


@pytest.fixture(scope="module")
def gov_info():
    return read_source(GOV_INFO, shown_path="source/gov-info-2023.md")


def table(document, table_id: str) -> Table:
    return next(b for b in document.blocks if isinstance(b, Table) and b.id == table_id)


def line_of(lines: list[str], needle: str) -> int:
    return next(k for k, text in enumerate(lines, start=1) if needle in text)


def cell_at(t: Table, row: int, column: int) -> TableCell:
    return next(c for c in t.cells if (c.row, c.column) == (row, column))


# ----------------------------------------------------------------------------------------------- t3

def test_t3_grid(gov_info):
    t3 = table(gov_info.document, "t3")
    assert (t3.row_count, t3.column_count, t3.header_rows, t3.label_columns) == (28, 10, 3, 3)
    assert t3.unit_line == "单位：件" and t3.caption is None and t3.number is None
    assert t3.path == ("三",)
    # Anchors and spans of the merged cells, spec §3.1/§3.2 (1-based grid there, 0-based here).
    expected = {
        (0, 0): (3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
        (0, 3): (1, 7, "申请人情况"), (1, 3): (2, 1, "自然人"), (1, 4): (1, 5, "法人或其他组织"),
        (1, 9): (2, 1, "总计"), (2, 4): (1, 1, "商业企业"), (2, 8): (1, 1, "其他"),
        (3, 0): (1, 3, "一、本年新收政府信息公开申请数量"), (4, 0): (1, 3, "二、上年结转政府信息公开申请数量"),
        (5, 0): (22, 1, "三、本年度办理结果"), (5, 1): (1, 2, "（一）予以公开"),
        (7, 1): (8, 1, "（三）不予公开"), (15, 1): (3, 1, "（四）无法提供"), (18, 1): (5, 1, "（五）不予处理"),
        (23, 1): (3, 1, "（六）其他处理"), (26, 1): (1, 2, "（七）总计"),
        (27, 0): (1, 3, "四、结转下年度继续办理"),
    }
    for (r, c), (rows, columns, text) in expected.items():
        cell = cell_at(t3, r, c)
        assert (cell.row_span, cell.column_span, cell.text) == (rows, columns, text), (r, c)
    kinds = [c.kind for c in t3.cells]
    assert kinds.count(CellKind.FIGURE) == 170 and kinds.count(CellKind.BLANK) == 5
    assert all(c.kind == CellKind.HEADER for c in t3.cells if c.row < 3)
    assert all(c.kind == CellKind.LABEL for c in t3.cells if c.row >= 3 and c.column < 3)
    assert cell_at(t3, 1, 3).key == "natural" and cell_at(t3, 1, 4).key is None
    assert cell_at(t3, 5, 0).key is None and cell_at(t3, 7, 1).key == "denied"
    # Every slot has exactly one anchor, and the anchors tile the grid.
    slots = t3.slot_map()
    assert len(slots) == 28 and all(len(row) == 10 for row in slots)
    assert sum(c.row_span * c.column_span for c in t3.cells) == 280


def test_t3_figures(gov_info):
    doc = gov_info.document
    t3_ids = [i.id for i in doc.indicators if i.table_id == "t3"]
    assert len(t3_ids) == 170 == len(set(t3_ids))
    assert set(t3_ids) == {f"t3:{r}:{c}" for r in T3_ROWS for c in T3_COLUMNS} - T3_BLANK
    state_secret = doc.indicator("t3:denied.state_secret:natural")
    assert state_secret.name == "收到和处理政府信息公开申请情况：本年度办理结果／不予公开／属于国家秘密（自然人）"
    assert (state_secret.row_key, state_secret.column_key) == ("denied.state_secret", "natural")
    assert state_secret.row_labels == ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密")
    assert state_secret.column_labels == ("申请人情况", "自然人")
    commercial = doc.indicator("t3:new_received:commercial")
    assert commercial.name == "收到和处理政府信息公开申请情况：本年新收政府信息公开申请数量（法人或其他组织／商业企业）"
    assert (commercial.value, commercial.unit, commercial.base_unit) == (Decimal(12), "件", "件")
    total = doc.indicator("t3:total_processed:total")
    assert (total.value, total.text, total.section) == (Decimal(187), "187", ("三",))
    assert all(i.unit == "件" for i in doc.indicators if i.table_id == "t3")


def test_t3_positions(gov_info):
    """A figure's position is its cell's first character, found here by counting '|' on the line."""
    doc = gov_info.document
    line = line_of(GOV_LINES, "1.属于国家秘密")
    text = GOV_LINES[line - 1]
    bars = [k for k, ch in enumerate(text) if ch == "|"]
    for n, column in enumerate(T3_COLUMNS):
        start = bars[3 + n] + 1
        first = start + len(text[start:]) - len(text[start:].lstrip())
        pos = doc.indicator(f"t3:denied.state_secret:{column}").pos
        assert (pos.line, pos.column) == (line, first + 1), column
    unpaid = line_of(GOV_LINES, "{#unpaid_fee}")
    t3 = table(doc, "t3")
    blank = cell_at(t3, 24, 4)
    assert blank.kind == CellKind.BLANK and blank.inlines == ()
    assert blank.pos.line == unpaid
    refs = [run for c in t3.cells for run in c.inlines if isinstance(run, FigureRef)]
    assert {r.indicator_id for r in refs} == {i.id for i in doc.indicators if i.table_id == "t3"}


# ----------------------------------------------------------------------------------------------- t2, t4

def test_t2_header_bands(gov_info):
    doc = gov_info.document
    t2 = table(doc, "t2")
    assert (t2.row_count, t2.column_count, t2.header_rows, t2.label_columns) == (14, 4, 2, 1)
    # The rows above each later delimiter row print as headers (spec §2.1: r5–r6, r8–r9, r12–r13).
    header_rows = sorted({c.row for c in t2.cells if c.kind == CellKind.HEADER})
    assert header_rows == [0, 1, 4, 5, 7, 8, 11, 12]
    assert [c.kind for c in t2.cells if c.row == 2] == [CellKind.LABEL] + [CellKind.BLANK] * 3
    ids = [i.id for i in doc.indicators if i.table_id == "t2"]
    assert ids == ["t2:normative_docs:issued", "t2:normative_docs:repealed", "t2:normative_docs:in_force",
                   "t2:admin_license:decisions", "t2:admin_penalty:decisions", "t2:admin_coercion:decisions",
                   "t2:admin_fees:fee_wan_yuan"]
    license_cell = cell_at(t2, 6, 1)
    assert (license_cell.column_span, license_cell.kind, license_cell.text) == (3, CellKind.FIGURE, "18642")
    fee = doc.indicator("t2:admin_fees:fee_wan_yuan")
    assert (fee.value, fee.unit, fee.base_value, fee.base_unit) == (
        Decimal("1246.385"), "万元", Decimal(12463850), "元")
    assert fee.column_labels == ("第二十条第（八）项", "本年收费金额（单位：万元）")
    assert doc.indicator("t2:admin_license:decisions").name == "主动公开政府信息情况：行政许可（本年处理决定数量）"


def test_t4_without_label_columns(gov_info):
    doc = gov_info.document
    t4 = table(doc, "t4")
    assert (t4.row_count, t4.column_count, t4.header_rows, t4.label_columns) == (4, 15, 3, 0)
    ids = [i.id for i in doc.indicators if i.table_id == "t4"]
    assert ids == [f"t4:{g}.{c}" for g in ("review", "suit_direct", "suit_after_review")
                   for c in ("upheld", "corrected", "other", "pending", "total")]
    upheld = doc.indicator("t4:suit_direct.upheld")
    assert upheld.row_key == "" and upheld.column_key == "suit_direct.upheld"
    assert upheld.name == "政府信息公开行政复议、行政诉讼情况：行政诉讼／未经复议直接起诉／结果维持"
    note_line = line_of(GOV_LINES, "注：行政复议")
    assert t4.notes == ((Text("注：行政复议、行政诉讼案件数含上年结转至本年审结的案件。",
                              t4.notes[0][0].pos),),)
    assert (t4.notes[0][0].pos.line, t4.notes[0][0].pos.column) == (note_line, 1)


def test_fixture_caption_and_number():
    doc = read_source(T3_ONLY).document
    t3 = table(doc, "t3")
    assert (t3.caption, t3.number, t3.unit_line) == ("收到和处理政府信息公开申请情况", "表1", "单位：件")
    assert len(t3.notes) == 1 and t3.notes[0][0].text.startswith("注：本表数据")
    assert doc.indicator("t3:granted:natural").name == "收到和处理政府信息公开申请情况：本年度办理结果／予以公开（自然人）"


def test_gov_info_checks_clean():
    proc = subprocess.run([sys.executable, "-m", "exporter", "check", "source/gov-info-2023.md"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and "warning" not in proc.stdout


# ----------------------------------------------------------------------------------------------- small sources

FM = "---\ntitle: 测试报告\n---\n\n"  # the body starts on line 5


def read(tmp_path: Path, body: str, front: str = ""):
    path = tmp_path / "r.md"
    path.write_text(FM.replace("---\n\n", front + "---\n\n") + body, encoding="utf-8")
    return read_source(path, shown_path="r.md")


def errors(tmp_path: Path, body: str, front: str = "") -> list[str]:
    with pytest.raises(SourceError) as info:
        read(tmp_path, body, front)
    return [str(d) for d in info.value.diagnostics]


SIMPLE = """```table {#t1 caption="测试表" unit="件"}
| 项目 | 数量 {#count} | 金额（万元） {#amount unit="万元"} |
|---|---|---|
| 甲 {#a} | 3 | 1.5 |
| 乙 {#b} | 22（其中修订16件） | 251000元 |
| 丙 {#c} | — | |
```
"""


def test_simple_table(tmp_path):
    doc = read(tmp_path, SIMPLE).document
    t1 = table(doc, "t1")
    assert (t1.number, t1.unit_line, t1.header_rows, t1.label_columns) == ("表1", "单位：件", 1, 1)
    a_count = doc.indicator("t1:a:count")
    assert (a_count.unit, a_count.name, a_count.pos.line, a_count.pos.column) == ("件", "测试表：甲（数量）", 8, 12)
    a_amount = doc.indicator("t1:a:amount")
    assert (a_amount.unit, a_amount.base_value, a_amount.base_unit) == ("万元", Decimal(15000), "元")
    revised = doc.indicator("t1:b:count")
    assert (revised.value, revised.text, revised.note) == (Decimal(22), "22", "其中修订16件")
    cell = cell_at(t1, 2, 1)
    assert cell.text == "22（其中修订16件）" and cell.note == "其中修订16件"
    assert [type(r) for r in cell.inlines] == [FigureRef, Text]
    assert doc.indicator("t1:b:amount").unit == "元"  # the cell's own unit wins over the column's
    assert [c.kind for c in t1.cells if c.row == 3] == [CellKind.LABEL, CellKind.TEXT, CellKind.BLANK]
    assert cell_at(t1, 3, 1).text == "—"
    assert {i.id for i in doc.indicators} == {"t1:a:count", "t1:a:amount", "t1:b:count", "t1:b:amount"}


def test_gfm_table_after_attribute_line(tmp_path):
    body = "导语。\n{#t1 unit=\"人\"}\n| 地区 | 人数 {#people} |\n|:---|---:|\n| 东区 {#east} | 12 |\n| 西区 {#west} | 7 |\n"
    doc = read(tmp_path, body).document
    assert doc.blocks[0].text == "导语。"  # the attribute line ends the paragraph, it is not printed
    t1 = table(doc, "t1")
    assert (t1.row_count, t1.column_count, t1.header_rows, t1.label_columns, t1.number) == (3, 2, 1, 1, None)
    west = doc.indicator("t1:west:people")
    assert (west.value, west.unit, west.pos.line, west.pos.column) == (Decimal(7), "人", 10, 16)


def test_table_cells_are_not_untagged_figures(tmp_path):
    body = ("```table {#t1}\n| 期限 | 件数 {#n} |\n|---|---|\n| 3个月以上 {#long} | 5 |\n"
            "注：另有20件未计入。\n```\n")
    result = read(tmp_path, body)
    found = [str(d) for d in lint(result.document)]
    assert found == ["r.md:9:5: warning: figure '20件' looks like a statistic but is not tagged: "
                     "write it as [20件]{#id name=\"指标名称\"}"]


def test_note_may_tag_a_figure(tmp_path):
    body = "```table {#t1}\n| 项目 | 件数 {#n} |\n|---|---|\n| 甲 {#a} | 5 |\n注：另有[20件]{#extra name=\"未计入件数\"}未计入。\n```\n"
    doc = read(tmp_path, body).document
    extra = doc.indicator("extra")
    assert (extra.value, extra.pos.line, extra.pos.column) == (Decimal(20), 9, 5)
    assert isinstance(table(doc, "t1").notes[0][1], FigureRef)


def test_captions_numbered_in_order(tmp_path):
    one = "```table {#%s%s}\n| 项目 | 件数 {#n} |\n|---|---|\n| 甲 {#a} | 5 |\n```\n\n"
    doc = read(tmp_path, one % ("t1", ' caption="一"') + one % ("t2", "") + one % ("t3", ' caption="三"')).document
    assert [(t.id, t.number) for t in doc.blocks if isinstance(t, Table)] == [
        ("t1", "表1"), ("t2", None), ("t3", "表2")]


HEAD = "```table {#t1}\n| 项目 | 甲 {#x} | 乙 {#y} |\n|---|---|---|\n"  # rows from line 5; body rows from line 8

# name: (body, "line:col", message fragment)
ERROR_CASES = {
    "ragged_row": (HEAD + "| 一 {#a} | 1 |\n```\n", "8:1", "this row has 2 cells, the table's first row (line 6) has 3"),
    "not_rectangle": ("```table {#t1}\n| 项目 | 甲 {#x} | < |\n| ^ | ^ | 丙 {#z} |\n|---|---|---|\n"
                      "| 一 {#a} | 1 | 2 |\n```\n", "7:11", "inside the merged cell '甲 {#x}' (6:8), which is not a rectangle"),
    "left_merge_in_first_column": (HEAD + "| < | 1 | 2 |\n```\n", "8:3", "'<' in the first column"),
    "up_merge_in_first_row": ("```table {#t1}\n| ^ | 甲 {#x} |\n|---|---|\n| 一 {#a} | 1 |\n```\n", "6:3",
                              "'^' in the first row"),
    "up_merge_across_delimiter": (HEAD + "| 一 {#a} | ^ | 2 |\n```\n", "8:12",
                                  "'^' cannot merge across the delimiter row at line 7"),
    "no_delimiter_row": ("```table {#t1}\n| 项目 | 甲 {#x} |\n| 一 {#a} | 1 |\n```\n", "6:1", "has no delimiter row"),
    "no_row_key": (HEAD + "| 一 | 1 | 2 |\n```\n", "8:7", "figure '1' has no row key"),
    "no_column_key": ("```table {#t1}\n| 项目 | 甲 |\n|---|---|\n| 一 {#a} | 1 |\n```\n", "8:12",
                      "figure '1' has no column key"),
    "duplicate_row_key": (HEAD + "| 一 {#a} | 1 | 2 |\n| 二 {#a} | 3 | 4 |\n```\n", "9:12",
                          "duplicate id 't1:a:x' (first used at 8:12)"),
    "text_in_data_slot": (HEAD + "| 一 {#a} | 很多 | 2 |\n```\n", "8:12", "'很多' in a data cell is not a figure"),
    "figure_syntax": (HEAD + "| 一 {#a} | 1/3 | 2 |\n```\n", "8:12", "a table cell takes no value="),
    "key_on_data_cell": (HEAD + "| 一 {#a} | 1 {#q} | 2 |\n```\n", "8:12", "a data cell takes no {#key}"),
    "span_in_cell": (HEAD + "| 一 {#a} | [1]{#q name=\"x\"} | 2 |\n```\n", "8:12", "figure spans […]{…} are not allowed"),
    "malformed_key": ("```table {#t1}\n| 项目 | 甲 {#Bad-Key} |\n|---|---|\n| 一 {#a} | 1 |\n```\n", "6:11",
                      "malformed key 'Bad-Key'"),
    "unit_on_label": (HEAD + "| 一 {#a unit=\"件\"} | 1 | 2 |\n```\n", "8:9", "unit= belongs on a header cell"),
    # The printed 单位 line would claim 分 for a column the workbook holds in %.
    "column_unit_printed_nowhere": ("```table {#t1 unit=\"分\"}\n| 项目 | 权重 {#w unit=\"%\"} |\n|---|---|\n"
                                    "| 一 {#a} | 30 |\n```\n", "6:15",
                                    "this column's unit '%' is printed nowhere, and the table's unit line says "
                                    "'单位：分': write it in the header, e.g. '权重（%）'"),
    "unknown_table_attribute": ("```table {#t1 colour=red}\n| 项目 | 甲 {#x} |\n|---|---|\n| 一 {#a} | 1 |\n```\n",
                                "5:15", "unknown table attribute 'colour'"),
    "unknown_cell_attribute": ("```table {#t1}\n| 项目 | 甲 {#x nmae=\"q\"} |\n|---|---|\n| 一 {#a} | 1 |\n```\n",
                               "6:14", "unknown cell attribute 'nmae'"),
    "table_without_id": ("```table {caption=\"表\"}\n| 项目 | 甲 {#x} |\n|---|---|\n| 一 {#a} | 1 |\n```\n", "5:10",
                         "a table needs an id"),
    "malformed_table_id": ("```table {#T-1}\n| 项目 | 甲 {#x} |\n|---|---|\n| 一 {#a} | 1 |\n```\n", "5:11",
                           "malformed table id 'T-1'"),
    "labels_not_a_number": ("```table {#t1 labels=two}\n| 项目 | 甲 {#x} |\n|---|---|\n| 一 {#a} | 1 |\n```\n",
                            "5:15", "labels must be the number of label columns"),
    "labels_leave_no_data": ("```table {#t1 labels=2}\n| 项目 | 甲 {#x} |\n|---|---|\n| 一 {#a} | 1 |\n```\n",
                             "5:15", "labels=2 leaves no data column"),
    "widths_wrong_count": ("```table {#t1 widths=\"3,1,1\"}\n| 项目 | 甲 {#x} |\n|---|---|\n| 一 {#a} | 1 |\n```\n",
                           "5:15", "widths gives 3 columns, the table has 2"),
    "bad_orientation": ("```table {#t1 orientation=sideways}\n| 项目 | 甲 {#x} |\n|---|---|\n| 一 {#a} | 1 |\n```\n",
                        "5:15", "orientation must be"),
    "duplicate_table_id": (HEAD + "| 一 {#a} | 1 | 2 |\n```\n\n" + HEAD + "| 一 {#a} | 1 | 2 |\n```\n", "11:11",
                           "duplicate table id 't1' (first used at 5:11)"),
    "table_id_is_a_figure_id": ("共[3件]{#t1 name=\"件数\"}。\n\n" + HEAD + "| 一 {#a} | 1 | 2 |\n```\n", "7:11",
                                "id 't1' names both a table and a figure (first used at 5:2)"),
    "unclosed_table": (HEAD + "| 一 {#a} | 1 | 2 |\n", "5:1", "table not closed"),
    "line_neither_row_nor_note": (HEAD + "| 一 {#a} | 1 | 2 |\n说明：略\n```\n", "9:1", "a line in a table is a row"),
    "row_after_notes": (HEAD + "| 一 {#a} | 1 | 2 |\n注：略\n| 二 {#b} | 1 | 2 |\n```\n", "10:1",
                        "a table row after the notes"),
    "label_merged_into_data": (HEAD + "| 一 {#a} | 1 | 2 |\n| 小计 {#s} | < | 3 |\n```\n", "9:3",
                               "the row label '小计 {#s}' is merged into the data columns"),
    "data_cell_across_rows": (HEAD + "| 一 {#a} | 1 | 2 |\n| 二 {#b} | ^ | 3 |\n```\n", "8:12",
                              "this cell spans rows with different keys (a, b)"),
    "delimiter_without_band": (HEAD + "| 一 {#a} | 1 | 2 |\n|---|---|---|\n| 二 {#b} | 1 | 2 |\n```\n", "9:1",
                               "this delimiter row has no header rows directly above it"),
    "gfm_without_attribute_line": ("| 项目 | 甲 |\n|---|---|\n| 一 | 1 |\n", "5:1", "a table needs an id"),
    "gfm_without_keys": ("{#t1}\n| 项目 | 甲 |\n|---|---|\n| 一 | 1 |\n", "8:7", "figure '1' has no row key"),
}


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_table_error_located(tmp_path, name):
    body, where, fragment = ERROR_CASES[name]
    found = errors(tmp_path, body)
    assert any(line.startswith(f"r.md:{where}: error: ") and fragment in line for line in found), found


def test_every_grid_error_reported_together(tmp_path):
    body = HEAD + "| 一 {#a} | 1 |\n| < | 1 | 2 |\n| 二 {#b} | 1 | 2 | 3 |\n```\n"
    found = errors(tmp_path, body)
    assert [line.split(": error")[0] for line in found] == ["r.md:8:1", "r.md:10:1"]


# ----------------------------------------------------------------------------------------------- checks

CHECK_TABLE = """```table {#t1 labels=1}
| 项目 | 甲 {#x} | 乙 {#y} | 合计 {#total} |
|---|---|---|---|
| 一 {#a} | 1 | 2 | 3 |
| 二 {#b} | 4 | | 4 |
| 三 {#c} | 5 | 3 | 8 |
| 四 {#d} | | | |
```
"""


def checks_front(*items: str) -> str:
    return "checks:\n" + "".join(items)


def test_row_and_column_checks(tmp_path):
    front = checks_front(
        "  - id: row_total\n    sum: [t1:*:x..y]\n    equals: t1:*:total\n",
        "  - id: column_sum\n    sum: [t1:a..b:*]\n    equals: [t1:c:*]\n    tolerance: 0\n",
    )
    doc = read(tmp_path, CHECK_TABLE, front).document
    results = {c.id: c for c in doc.checks if c.declared}
    assert {k: v.status for k, v in results.items()} == {
        "row_total[a]": CheckStatus.PASSED, "row_total[b]": CheckStatus.PASSED,
        "row_total[c]": CheckStatus.PASSED, "row_total[d]": CheckStatus.NOTICE,  # all blank: not compared
        "column_sum[x]": CheckStatus.PASSED, "column_sum[y]": CheckStatus.FAILED, "column_sum[total]": CheckStatus.FAILED,
    }
    failed = results["column_sum[y]"]
    assert (failed.left, failed.right, failed.expression) == (Decimal(2), Decimal(3), "t1:a..b:y = t1:c:y")
    assert failed.indicator_ids == ("t1:a:y", "t1:c:y")  # the blank t1:b:y counts as 0 and is no figure


def test_breaking_one_number_fails_the_template_check(tmp_path):
    text = GOV_INFO.read_text(encoding="utf-8")
    line = line_of(GOV_LINES, "{#carried_over}")
    old = GOV_LINES[line - 1]
    broken = old.replace("| 6 | 1 |", "| 7 | 1 |", 1)
    assert broken != old
    path = tmp_path / "gov.md"
    path.write_text(text.replace(old, broken), encoding="utf-8")
    result = read_source(path, shown_path="gov.md")
    failed = sorted(c.id for c in result.document.checks if c.status == CheckStatus.FAILED)
    assert failed == ["t3_balance[natural]", "t3_row_total[carried_over]"]
    check_line = line_of(text.split("\n"), "- id: t3_balance")
    assert f"gov.md:{check_line}:5: warning: check 't3_balance[natural]' failed: 175 ≠ 174 (tolerance 0)" in [
        str(w) for w in result.warnings]
    proc = subprocess.run([sys.executable, "-m", "exporter", "check", "gov.md"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "check 't3_balance[natural]' failed" in proc.stderr


CHECK_ERRORS = {
    "unknown_table": ("  - id: c1\n    expr: t9:a:x\n    equals: 1\n", "cannot read 't9:a:x': no table 't9'"),
    "unknown_row": ("  - id: c1\n    expr: t1:z:x\n    equals: 1\n", "no key 'z' among the rows of t1"),
    "unknown_column": ("  - id: c1\n    expr: t1:a:q\n    equals: 1\n", "no key 'q' among the columns of t1"),
    "missing_row_part": ("  - id: c1\n    expr: t1:x\n    equals: 1\n", "'t1' has row keys: write t1:row:column"),
    "range_backwards": ("  - id: c1\n    sum: [t1:c..a:x]\n    equals: 1\n", "runs backwards"),
    "wildcard_matches_nothing": ("  - id: c1\n    sum: [t1:*.q:x]\n    equals: 1\n", "'*' matches no key of t1"),
}


@pytest.mark.parametrize("name", sorted(CHECK_ERRORS))
def test_check_reference_errors_located(tmp_path, name):
    item, fragment = CHECK_ERRORS[name]
    found = errors(tmp_path, CHECK_TABLE, checks_front(item))
    assert any(line.startswith("r.md:4:5: error: check 'c1' ") and fragment in line for line in found), found


@pytest.mark.parametrize("header", ["权重（%）", "权重（％）", "权重（单位：%）"])
def test_a_column_unit_printed_in_its_header_is_accepted(tmp_path, header):
    """The header says the unit (a full-width ％ says % too), so the 单位 line of the table does
    not mislead: the figure keeps the column's unit."""
    body = f'```table {{#t1 unit="分"}}\n| 项目 | {header} {{#w unit="%"}} |\n|---|---|\n| 一 {{#a}} | 30 |\n```\n'
    assert read(tmp_path, body).document.indicator("t1:a:w").unit == "%"
