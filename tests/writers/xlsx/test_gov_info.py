"""The workbook of the 政府信息公开年度报告 template's tables (source/gov-info-2023.md and the t3-only
fixture): every table pivots back from 指标 to the figures printed in the source, each table sheet
merges what the template merges, and the template's 勾稽关系 are evaluated in 一致性核验."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from exporter.reader import read_source
from support.paths import FIXTURES, ROOT
from support.xlsx import SHEETS, assert_clean_workbook, load, records, write_workbook

GOV_INFO = ROOT / "source" / "gov-info-2023.md"
T3_ONLY = FIXTURES / "gov-info-t3-only.md"

T3_COLUMNS = ["natural", "commercial", "research", "nonprofit", "legal_service", "other_org", "total"]
# 表三 as printed in both sources (grid rows 4–28 of the template, spec §3.2); None = blank cell.
T3 = """
new_received             168 12 0 1 4 1 186
carried_over               6  1 0 0 0 0   7
granted                   72  6 0 1 2 0  81
partial                   14  2 0 0 0 0  16
denied.state_secret        0  0 0 0 0 0   0
denied.law_prohibited      1  0 0 0 0 0   1
denied.security_stability  0  0 0 0 0 0   0
denied.third_party         3  1 0 0 0 0   4
denied.internal_affairs    2  0 0 0 0 0   2
denied.process_info        4  0 0 0 0 0   4
denied.enforcement_file    2  0 0 0 0 0   2
denied.admin_inquiry       5  0 0 0 0 0   5
unable.not_held           38  2 0 0 1 0  41
unable.needs_creation      6  0 0 0 0 0   6
unable.still_unclear       2  0 0 0 0 0   2
not_processed.petition     7  0 0 0 0 0   7
not_processed.duplicate    4  0 0 0 1 0   5
not_processed.publication  1  0 0 0 0 0   1
not_processed.mass_repeat  0  0 0 0 0 0   0
not_processed.reconfirm    1  0 0 0 0 0   1
other.no_correction        5  1 0 0 0 1   7
other.unpaid_fee           0  -  - - - -  0
other.other                2  0 0 0 0 0   2
total_processed          169 12 0 1 4 1 187
carried_forward            5  1 0 0 0 0   6
"""


def t3_expected() -> pd.DataFrame:
    rows = {}
    for line in T3.strip().splitlines():
        key, *cells = line.split()
        rows[key] = [None if c == "-" else float(c) for c in cells]
    return pd.DataFrame.from_dict(rows, orient="index", columns=T3_COLUMNS, dtype="float64")


# 表二 (spec §2.1), (row key, column key) → printed value; the 规章 row is blank.
T2 = {
    ("normative_docs", "issued"): 9, ("normative_docs", "repealed"): 3, ("normative_docs", "in_force"): 46,
    ("admin_license", "decisions"): 18642, ("admin_penalty", "decisions"): 3127,
    ("admin_coercion", "decisions"): 86, ("admin_fees", "fee_wan_yuan"): 1246.385,
}
# 表四 (spec §4): one data row, no label column.
T4 = dict(zip(
    [f"{g}.{c}" for g in ("review", "suit_direct", "suit_after_review")
     for c in ("upheld", "corrected", "other", "pending", "total")],
    [6, 2, 1, 1, 10, 2, 0, 1, 1, 4, 1, 0, 0, 1, 2]))


def shifted(ranges: list[str], rows: int) -> set[str]:
    """Spec ranges (grid rows from 1) moved down by the caption and unit lines above the grid."""
    import re
    return {re.sub(r"\d+", lambda m: str(int(m.group()) + rows), r) for r in ranges}


# Spec §3.1/§3.2: the merges of 表三 in template grid coordinates.
T3_MERGES = ["A1:C3", "D1:J1", "D2:D3", "E2:I2", "J2:J3", "A4:C4", "A5:C5", "A6:A27", "B6:C6", "B7:C7",
             "B8:B15", "B16:B18", "B19:B23", "B24:B26", "B27:C27", "A28:C28"]
# Spec §4.
T4_MERGES = ["A1:E1", "F1:O1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:J2", "K2:O2"]
# Spec §2.1: the four block captions 1×4, the header and value cells of blocks (五)(六)(八) 1×3.
T2_MERGES = ["A1:D1", "A5:D5", "B6:D6", "B7:D7", "A8:D8", "B9:D9", "B10:D10", "B11:D11", "A12:D12", "B13:D13",
             "B14:D14"]


@pytest.fixture(scope="module")
def gov_info():
    result = read_source(GOV_INFO)
    data, warnings = write_workbook(result.document, result.profile)
    return result.document, data, warnings


@pytest.fixture(scope="module")
def t3_only():
    result = read_source(T3_ONLY)
    data, warnings = write_workbook(result.document, result.profile)
    return result.document, data, warnings


def frame_of(data: bytes) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), sheet_name="指标", dtype={"地区代码": str})


@pytest.mark.parametrize("which", ["gov_info", "t3_only"])
def test_t3_pivots_back_to_the_printed_table(which, request):
    _, data, warnings = request.getfixturevalue(which)
    assert warnings == []
    frame = frame_of(data)
    t3 = frame[frame["表"] == "t3"]
    assert len(t3) == 25 * 7 - 5  # the five blank cells of other.unpaid_fee are no rows
    pivot = t3.pivot(index="行键", columns="列键", values="数值")
    expected = t3_expected()
    pd.testing.assert_frame_equal(pivot.loc[expected.index, expected.columns], expected, check_names=False)
    assert pd.api.types.is_numeric_dtype(t3["数值"]) and (t3["计量单位"] == "件").all()


def test_t2_and_t4_pivot_back(gov_info):
    frame = frame_of(gov_info[1])
    t2 = frame[frame["表"] == "t2"]
    assert {(r, c): v for r, c, v in zip(t2["行键"], t2["列键"], t2["数值"])} == T2
    assert "regulations" not in set(t2["行键"])
    t4 = frame[frame["表"] == "t4"]
    assert t4["行键"].isna().all()
    assert t4.set_index("列键")["数值"].to_dict() == T4


def test_every_table_has_its_sheet_with_the_template_merges(gov_info, t3_only):
    wb = load(gov_info[1])
    titles = ["主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况"]
    assert wb.sheetnames == SHEETS + titles
    assert_clean_workbook(wb, table_sheets=tuple(titles))
    t2, t3, t4 = (wb[t] for t in titles)
    # t2 has neither caption nor unit line; t3 and t4 print the unit line 单位：件 above the grid.
    assert {str(r) for r in t2.merged_cells.ranges} == set(T2_MERGES)
    assert {str(r) for r in t3.merged_cells.ranges} == shifted(T3_MERGES, 1)
    assert {str(r) for r in t4.merged_cells.ranges} == shifted(T4_MERGES, 1)
    assert t3["J1"].value == "单位：件"
    # The t3-only fixture has a caption too: 表1 in row 1, the unit line in row 2.
    only = load(t3_only[1])
    sheet = only["收到和处理政府信息公开申请情况"]
    assert sheet["A1"].value == "表1\u3000收到和处理政府信息公开申请情况"
    assert {str(r) for r in sheet.merged_cells.ranges} == shifted(T3_MERGES, 2)
    assert sheet.freeze_panes == "D6"


def test_t3_sheet_shows_numbers_as_numbers_and_blanks_empty(t3_only):
    ws = load(t3_only[1])["收到和处理政府信息公开申请情况"]
    top = 3
    expected = t3_expected()
    for i, key in enumerate(expected.index):
        r = top + 3 + i
        for j, column in enumerate(T3_COLUMNS):
            cell = ws.cell(row=r, column=4 + j)
            value = expected.loc[key, column]
            if pd.isna(value):
                assert cell.value is None, (key, column)
            else:
                assert cell.data_type == "n" and cell.value == value, (key, column, cell.value)
    assert ws.cell(row=top, column=1).font.b and ws.cell(row=top + 2, column=5).font.b
    assert ws.cell(row=top + 3 + 25, column=1).value.startswith("注：")


def template_rule_ids() -> list[str]:
    """The 勾稽关系 of spec §5 that a single report can check, one row per column, row or group."""
    rows = ["new_received", "carried_over", "granted", "partial"] + [
        f"denied.{k}" for k in ("state_secret", "law_prohibited", "security_stability", "third_party",
                                "internal_affairs", "process_info", "enforcement_file", "admin_inquiry")] + [
        f"unable.{k}" for k in ("not_held", "needs_creation", "still_unclear")] + [
        f"not_processed.{k}" for k in ("petition", "duplicate", "publication", "mass_repeat", "reconfirm")] + [
        f"other.{k}" for k in ("no_correction", "unpaid_fee", "other")] + ["total_processed", "carried_forward"]
    return ([f"t3_balance[{c}]" for c in T3_COLUMNS] + [f"t3_results_sum[{c}]" for c in T3_COLUMNS]
            + [f"t3_row_total[{r}]" for r in rows]
            + [f"t4_group_total[{g}]" for g in ("review", "suit_direct", "suit_after_review")])


def test_every_template_total_checks_in_the_checks_sheet(gov_info):
    wb = load(gov_info[1])
    checks = {c["规则代码"]: c for c in records(wb["一致性核验"])}
    for rule in template_rule_ids():
        assert checks[rule]["判定"] == "通过", rule
        assert checks[rule]["来源"] == "源文件声明"
        assert checks[rule]["左值"] == checks[rule]["右值"]
    assert checks["t3_balance[total]"]["左值"] == 186 + 7
    assert checks["t4_group_total[review]"]["右值"] == 10
    table_rows = [r for r in records(wb["指标"]) if r["表"]]
    # every figure of 表三 and 表四 is read by a template total that holds; of 表二 only the one
    # cell the text repeats (现行有效规范性文件数) is read by a check
    marks = {(r["表"], r["质量标记"]) for r in table_rows}
    assert marks == {("t3", "通过"), ("t4", "通过"), ("t2", "通过"), ("t2", "未核验")}
    checked_in_t2 = [r["指标代码"] for r in table_rows if r["表"] == "t2" and r["质量标记"] == "通过"]
    assert checked_in_t2 == ["t2:normative_docs:in_force"]


def test_a_broken_number_fails_its_rules_and_flags_their_rows(tmp_path):
    text = GOV_INFO.read_text(encoding="utf-8")
    printed = "| 一、本年新收政府信息公开申请数量 {#new_received} | < | < | 168 |"
    assert text.count(printed) == 1
    broken = tmp_path / "gov-info-2023.md"
    broken.write_text(text.replace(printed, printed.replace("168", "169")), encoding="utf-8")
    result = read_source(broken)
    data, _ = write_workbook(result.document, result.profile)
    wb = load(data)
    checks = {c["规则代码"]: c for c in records(wb["一致性核验"])}
    assert checks["t3_balance[natural]"]["判定"] == "未通过"
    assert (checks["t3_balance[natural]"]["左值"], checks["t3_balance[natural]"]["右值"]) == (169 + 6, 169 + 5)
    assert checks["t3_row_total[new_received]"]["判定"] == "未通过"
    assert checks["t3_balance[commercial]"]["判定"] == "通过"
    rows = {r["指标代码"]: r for r in records(wb["指标"])}
    balance = ["t3:new_received:natural", "t3:carried_over:natural", "t3:total_processed:natural",
               "t3:carried_forward:natural"]
    row_total = [f"t3:new_received:{c}" for c in T3_COLUMNS]
    for indicator_id in balance + row_total:
        assert rows[indicator_id]["质量标记"] == "未通过", indicator_id
    assert "t3_balance[natural]" in rows["t3:carried_forward:natural"]["备注"]
    assert "t3_row_total[new_received]" in rows["t3:new_received:research"]["备注"]
    assert rows["t3:granted:natural"]["质量标记"] == "通过"
    assert rows["t3:carried_over:commercial"]["质量标记"] == "通过"
    # The sheet as printed shows the number as the source now prints it.
    assert wb["收到和处理政府信息公开申请情况"]["D5"].value == 169
