"""The indicator workbook of the full-furniture fixture, read back with openpyxl and pandas."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from exporter import __version__
from exporter.reader import read_source
from exporter.timestamps import document_datetime
from support.xlsx import (EXPECTED_HEADER, SHEETS, TABLE_COLUMNS, assert_clean_workbook, load, printed_number,
                          records, write_workbook)

from support.paths import ROOT
FIXTURE = ROOT / "tests" / "fixtures" / "full-furniture.md"


@pytest.fixture(scope="module")
def written(full_read):
    document, profile = full_read
    data, warnings = write_workbook(document, profile)
    return document, profile, data, warnings


@pytest.fixture(scope="module")
def wb(written):
    return load(written[2])


def test_sheets_in_order_with_the_data_sheet_first_and_active(wb):
    assert wb.sheetnames == SHEETS
    assert wb.active.title == "指标"
    assert [bool(ws.sheet_view.tabSelected) for ws in wb.worksheets] == [True, False, False, False]


def test_pandas_reads_the_first_sheet_with_no_cleaning(written):
    document, _, data, warnings = written
    frame = pd.read_excel(io.BytesIO(data), dtype={"地区代码": str, "统计时期": str})
    assert list(frame.columns) == EXPECTED_HEADER
    assert len(frame) == len(document.indicators) == 13
    assert frame["数值"].dtype == "float64"
    assert frame["折算数值"].dtype == "float64"
    assert frame["数值"].notna().all()
    assert frame["地区代码"].tolist() == ["539901"] * 13
    assert frame["统计时期"].tolist() == ["2024"] * 13
    assert frame.loc[frame["指标代码"] == "online_rate", "数值"].item() == 53.62
    assert frame.loc[frame["指标代码"] == "online_rate", "计量单位"].item() == "%"
    assert warnings == []


def test_workbook_has_no_formulas_errors_merges_or_filters_over_tables(wb):
    assert_clean_workbook(wb)


def test_data_sheet_is_one_table_over_the_used_range_with_frozen_header(wb):
    ws = wb["指标"]
    assert list(ws.tables) == ["indicators"]
    assert ws.tables["indicators"].ref == f"A1:Z{13 + 1}"
    assert ws.freeze_panes == "C2"
    assert [c.value for c in ws[1]] == EXPECTED_HEADER


def test_each_column_holds_one_type(wb):
    ws = wb["指标"]
    for column in ws.iter_cols(min_row=2):
        header = ws.cell(row=1, column=column[0].column).value
        types = {c.data_type for c in column if c.value is not None}
        if header in ("数值上限", "折算数值上限", *TABLE_COLUMNS):
            assert types == set(), header  # filled only for a range or a table cell, and this source has neither
        else:
            assert types == ({"n"} if header in ("数值", "折算数值", "原文偏移") else {"s"}), header


def test_every_value_is_the_figure_printed_in_its_sentence(wb):
    rows = records(wb["指标"])
    for row in rows:
        assert row["原文数字"] in row["原文摘录"], row["指标代码"]
        assert Decimal(str(row["数值"])) == printed_number(row["原文数字"]), row["指标代码"]


def test_every_figure_is_on_the_source_line_its_location_names(wb):
    for row in records(wb["指标"]):
        name, line = row["原文位置"].rsplit(":", 1)
        # 原文位置 is relative to the source's folder, whatever folder the export ran from.
        source_line = (ROOT / "tests" / "fixtures" / name).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert f"[{row['原文数字']}]{{#{row['指标代码']}" in source_line


def test_wan_is_kept_as_printed_and_expanded_beside_it(wb):
    rows = {r["指标代码"]: r for r in records(wb["指标"])}
    reach = rows["education_reach"]
    assert (reach["数值"], reach["计量单位"], reach["取值性质"]) == (20, "万人次", "下限")
    assert (reach["折算数值"], reach["基本单位"]) == (200000, "人次")
    leaflets = rows["leaflets"]
    assert (leaflets["数值"], leaflets["计量单位"], leaflets["取值性质"]) == (45, "万份", "约数")
    assert (leaflets["折算数值"], leaflets["基本单位"]) == (450000, "份")
    for row in rows.values():
        factor = 10000 if row["计量单位"].startswith("万") else 1
        assert row["折算数值"] == row["数值"] * factor


def test_number_formats_show_the_printed_decimals(wb):
    ws = wb["指标"]
    header = [c.value for c in ws[1]]
    value_col, figure_col = header.index("数值") + 1, header.index("原文数字") + 1
    for r in range(2, ws.max_row + 1):
        figure = ws.cell(row=r, column=figure_col).value
        match = re.search(r"\d+(?:\.(\d+))?", figure)
        decimals = len(match.group(1) or "") if match else 0
        fmt = ws.cell(row=r, column=value_col).number_format
        shown = fmt.split(".")[1].count("0") if "." in fmt else 0
        assert shown == decimals, (figure, fmt)
    assert ws.cell(row=3, column=value_col).value == 53.62  # stored as points, not 0.5362


def test_section_paths_and_defaults(wb):
    rows = {r["指标代码"]: r for r in records(wb["指标"])}
    assert rows["powers_received"]["章节"] == "一（一）"
    assert rows["files_reviewed"]["章节"] == "一（二）1（1）"
    assert rows["cases_received"]["章节"] == "一（二）2"
    assert rows["powers_received"]["统计口径"] == "未注明"
    assert rows["powers_received"]["地区"] == "某某省某某市某某县"
    assert rows["review_rounds"]["原文数字"] == "两次"
    assert "两次" in rows["review_rounds"]["备注"]


def test_location_links_to_the_bookmark_in_the_docx_beside_it(written, wb):
    ws = wb["指标"]
    header = [c.value for c in ws[1]]
    col = header.index("原文位置") + 1
    for r in range(2, ws.max_row + 1):
        link = ws.cell(row=r, column=col).hyperlink
        assert link.target == "full-furniture.docx"
        assert link.location == ws.cell(row=r, column=1).value
    with zipfile.ZipFile(io.BytesIO(written[2])) as z:
        rels = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert 'Target="full-furniture.docx"' in rels and 'TargetMode="External"' in rels


def test_each_row_is_marked_by_the_checks_that_read_its_figure(wb):
    rows = {r["指标代码"]: r for r in records(wb["指标"])}
    assert {k: r["质量标记"] for k, r in rows.items()} == {
        "powers_received": "未核验",   # no check reads it
        "online_rate": "通过",         # its 0–100 range
        "one_visit_rate": "未核验",    # "100%以上": only a notice
        "files_reviewed": "通过", "files_excellent": "通过", "files_qualified": "通过",
        "files_unqualified": "通过",   # review_results_sum
        "review_rounds": "未核验",
        "cases_received": "通过", "cases_closed": "通过", "closing_rate": "通过",  # handling_rate
        "education_reach": "未核验", "leaflets": "未核验",
    }
    assert "share_range__one_visit_rate" in rows["one_visit_rate"]["备注"]


def test_a_failed_declared_check_flags_every_row_it_reads(tmp_path, full_read):
    broken = tmp_path / "broken.md"
    broken.write_text(FIXTURE.read_text(encoding="utf-8").replace("[160卷]", "[161卷]"), encoding="utf-8")
    result = read_source(broken)
    data, _ = write_workbook(result.document, result.profile)
    wb = load(data)
    rows = {r["指标代码"]: r for r in records(wb["指标"])}
    for indicator_id in ("files_reviewed", "files_excellent", "files_qualified", "files_unqualified"):
        assert rows[indicator_id]["质量标记"] == "未通过"
        assert "review_results_sum" in rows[indicator_id]["备注"]
    assert rows["powers_received"]["质量标记"] == "未核验"
    assert rows["closing_rate"]["质量标记"] == "通过"
    checks = {r["规则代码"]: r for r in records(wb["一致性核验"])}
    assert checks["review_results_sum"]["判定"] == "未通过"
    assert (checks["review_results_sum"]["左值"], checks["review_results_sum"]["右值"]) == (160, 161)


def test_rows_are_marked_by_comparisons_bounds_and_ranges(tmp_path):
    source = tmp_path / "marks.md"
    source.write_text(
        "---\ntitle: 测试报告\nchecks:\n"
        "  - id: part_within_whole\n    sum: [part_a, part_b]\n    at_most: whole\n"
        "  - id: more_than_planned\n    expr: done\n    at_least: planned\n"
        "  - id: bound_total\n    sum: [part_a, part_b]\n    equals: about_total\n"
        "  - id: growth_is_real\n    expr: growth\n    between: [-100, 1000]\n"
        "---\n\n"
        "共[20项]{#whole name=\"总数\"}，其中甲[12项]{#part_a name=\"甲\"}、乙[7项]{#part_b name=\"乙\"}；"
        "计划[30件]{#planned name=\"计划数\"}，完成[28件]{#done name=\"完成数\"}；合计[19余项]{#about_total name=\"合计\"}；"
        "增长[150%]{#growth name=\"增幅\" kind=\"change\"}；另有[5人]{#people name=\"人数\"}。\n",
        encoding="utf-8")
    result = read_source(source)
    data, _ = write_workbook(result.document, result.profile)
    wb = load(data)
    marks = {r["指标代码"]: r["质量标记"] for r in records(wb["指标"])}
    assert marks == {
        "whole": "通过",         # 12 + 7 ≤ 20
        "part_a": "通过",        # … and no check on it failed: 19 = 19余 is undecided, not failed
        "part_b": "通过",
        "planned": "未通过",     # 28 ≥ 30 does not hold
        "done": "未通过",
        "about_total": "未核验",  # 19余 can only be read by checks that cannot decide on it
        "growth": "通过",        # change: −100 or more, and declared between −100 and 1000
        "people": "未核验",      # no check reads it
    }
    checks = {r["规则代码"]: r for r in records(wb["一致性核验"])}
    assert {k: (c["表达式"], c["判定"]) for k, c in checks.items() if c["来源"] == "源文件声明"} == {
        "part_within_whole": ("part_a + part_b ≤ whole", "通过"),
        "more_than_planned": ("done ≥ planned", "未通过"),
        "bound_total": ("part_a + part_b = about_total", "未核验"),
        "growth_is_real": ("-100 ≤ growth ≤ 1000", "通过"),
    }
    assert (checks["bound_total"]["左值"], checks["bound_total"]["右值"]) == (19, None)
    assert checks["change_range__growth"]["判定"] == "通过"
    assert checks["change_range__growth"]["表达式"] == "growth ≥ -100"
    dictionary = {r["字段名"]: r for r in records(wb["字段说明"])}
    assert dictionary["质量标记"]["单位或代码表"] == "通过 / 未通过 / 未核验"


def test_checks_sheet_lists_every_check_with_its_result(written, wb):
    document = written[0]
    checks = records(wb["一致性核验"])
    assert [c["规则代码"] for c in checks] == [c.id for c in document.checks]
    by_id = {c["规则代码"]: c for c in checks}
    assert by_id["review_results_sum"]["来源"] == "源文件声明"
    assert by_id["review_results_sum"]["判定"] == "通过"
    assert by_id["review_results_sum"]["左值"] == 160
    assert by_id["handling_rate"]["容差"] == 0.005
    assert by_id["share_range__one_visit_rate"]["来源"] == "自动"
    assert by_id["share_range__one_visit_rate"]["判定"] == "提示"
    assert by_id["review_results_sum"]["原文位置"] == "full-furniture.md:22"
    assert wb["一致性核验"].tables["checks"].ref == wb["一致性核验"].dimensions


def test_dictionary_describes_every_data_column(wb):
    fields = records(wb["字段说明"])
    assert [f["字段名"] for f in fields] == EXPECTED_HEADER
    english = [f["英文名"] for f in fields]
    assert all(re.fullmatch(r"[a-z_]+", e) for e in english) and len(set(english)) == len(english)
    types = {f["字段名"]: f["类型"] for f in fields}
    assert types["数值"] == types["折算数值"] == "数值"
    assert types["地区代码"] == "文本"
    assert all(f["说明"] for f in fields)
    assert {f["必填"] for f in fields} == {"是", "否"}


def test_readme_names_the_report_source_units_and_sheets(wb):
    items = {r["项目"]: r["内容"] for r in records(wb["说明"])}
    assert items["报告标题"] == "某某县人民政府关于2024年度法治政府建设情况的报告"
    assert items["发文机关"] == "某某县人民政府"
    assert items["地区代码"] == "539901"
    assert items["统计时期"] == "2024"
    assert items["源文件"] == "full-furniture.md"
    assert items["源文件 SHA-256"] == hashlib.sha256(FIXTURE.read_bytes()).hexdigest()
    assert items["工具版本"] == __version__
    assert items["指标行数"].startswith("13 行")
    assert "百分点" in items["单位约定：百分比"]
    assert "下限" in items["单位约定：余、多、以上"]
    assert [k.removeprefix("工作表：") for k in items if k.startswith("工作表：")] == wb.sheetnames


def test_document_properties_are_filled(written, wb):
    document = written[0]
    props = wb.properties
    assert props.title == "某某县人民政府关于2024年度法治政府建设情况的报告 数值指标"
    assert props.creator == "某某县人民政府"
    assert props.language == "zh-CN"
    assert props.keywords and props.description and props.subject
    when = document_datetime(document).replace(tzinfo=None)
    assert props.created == when and props.modified == when
    custom = {p.name: p.value for p in wb.custom_doc_props.props}
    assert custom["source_sha256"] == hashlib.sha256(FIXTURE.read_bytes()).hexdigest()
    assert custom["ref_area"] == "539901"
    assert custom["generator_version"] == __version__


def test_same_input_gives_the_same_bytes_and_no_clock_time(written):
    document, profile, data, _ = written
    again, _ = write_workbook(document, profile)
    assert again == data
    stamp = document_datetime(document).timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {info.date_time for info in z.infolist()} == {stamp}


def test_column_widths_count_cjk_characters_twice(wb, written):
    ws = wb["指标"]
    x = written[1].xlsx
    header = [c.value for c in ws[1]]
    width = {h: ws.column_dimensions[chr(ord("A") + i)].width for i, h in enumerate(header)}
    longest_name = max(len(r["指标名称"]) for r in records(ws))
    assert width["指标名称"] >= 2 * longest_name
    assert width["指标代码"] >= max(len(r["指标代码"]) for r in records(ws))
    assert width["原文摘录"] == x.max_column_width
    assert ws.cell(row=2, column=header.index("原文摘录") + 1).alignment.wrap_text
    assert all(x.min_column_width <= w <= x.max_column_width for w in width.values())


INJECTIONS = ['=HYPERLINK("http://example.com/x","点击")', "@SUM(1)", "+1", "-1", "=1+1", "#N/A", "\t=1"]


def test_formula_like_text_stays_text(full_read):
    document, profile = full_read
    indicators = tuple(
        dataclasses.replace(ind, name=INJECTIONS[i]) if i < len(INJECTIONS) else ind
        for i, ind in enumerate(document.indicators)
    )
    data, _ = write_workbook(dataclasses.replace(document, indicators=indicators), profile)
    wb = load(data)
    ws = wb["指标"]
    for r, text in enumerate(INJECTIONS, start=2):
        cell = ws.cell(row=r, column=2)
        assert cell.value == text and cell.data_type == "s"
        assert cell.quotePrefix == (text[0] in "=+-@\t")
    assert_clean_workbook(wb)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    # pandas reads the text "#N/A" as missing unless told not to; the cell itself holds the text.
    frame = pd.read_excel(io.BytesIO(data), keep_default_na=False)
    assert frame["指标名称"].tolist()[: len(INJECTIONS)] == INJECTIONS


def test_characters_xml_forbids_are_removed_with_a_warning(full_read):
    document, profile = full_read
    first, *rest = document.indicators
    dirty = dataclasses.replace(first, name="承接\x0b下放\ufffe职权\ud800数", sentence=first.sentence + "\x07")
    data, warnings = write_workbook(dataclasses.replace(document, indicators=(dirty, *rest)), profile)
    row = records(load(data)["指标"])[0]
    assert row["指标名称"] == "承接下放职权数"
    assert row["原文摘录"] == first.sentence
    messages = " ".join(w.message for w in warnings)
    assert all(code in messages for code in ("U+000B", "U+FFFE", "U+D800", "U+0007"))
    assert all(w.severity == "warning" and w.pos == first.pos for w in warnings)
    assert pd.read_excel(io.BytesIO(data))["指标名称"][0] == "承接下放职权数"


def test_a_report_without_figures_gives_a_header_only_sheet(full_read):
    document, profile = full_read
    data, warnings = write_workbook(dataclasses.replace(document, indicators=(), checks=()), profile)
    wb = load(data)
    assert [c.value for c in wb["指标"][1]] == EXPECTED_HEADER
    assert wb["指标"].max_row == 1
    assert_clean_workbook(wb)
    said = [w for w in warnings if "no tagged figures" in w.message]
    # In a batch the message must say which report it is about.
    assert len(said) == 1 and str(said[0]).startswith(f"{document.source.path}: warning: xlsx: the report has no")
