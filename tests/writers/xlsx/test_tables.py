"""Tables in the workbook: every numeric cell a tidy row that pivots back, and a sheet per table as printed."""

from __future__ import annotations

import csv
import dataclasses
import io
from decimal import Decimal

import pandas as pd
import pytest

from exporter.model import CheckResult, CheckStatus
from exporter.writers.xlsx.panel import write_panel
from support.tables import xlsx_with_hand_tables
from support.xlsx import (EXPECTED_HEADER, SHEETS, TABLE_COLUMNS, assert_clean_workbook, load, records, soffice_to_csv,
                          write_workbook)

HAND_SHEETS = ["办理情况统计", "收费情况"]


@pytest.fixture(scope="module")
def hand(full_read):
    document, profile = full_read
    document = xlsx_with_hand_tables(document)
    data, warnings = write_workbook(document, profile)
    return document, profile, data, warnings


def data_frame(data: bytes) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), sheet_name="指标", dtype={"地区代码": str})


def test_hand_tables_pivot_back_from_the_data_sheet(hand):
    _, _, data, warnings = hand
    assert warnings == []
    frame = data_frame(data)
    assert list(frame.columns) == EXPECTED_HEADER
    t9 = frame[frame["表"] == "t9"].pivot(index="行键", columns="列键", values="数值")
    expected = pd.DataFrame({"natural": [10, 6, 4], "legal": [2, None, None], "total": [12, 6, 4]},
                            index=["new", "granted", "denied"], dtype="float64")
    pd.testing.assert_frame_equal(t9.loc[expected.index, expected.columns], expected, check_names=False)
    # The blank cell and the 不适用 "—" are not rows: 7 figures of 9 data slots.
    assert len(frame[frame["表"] == "t9"]) == 7
    assert frame[frame["表"] == "t9"]["数值"].dtype == "float64"


def test_table_rows_carry_their_labels_and_title(hand):
    rows = {r["指标代码"]: r for r in records(load(hand[2])["指标"])}
    row = rows["t9:granted:natural"]
    assert (row["表"], row["表名"], row["行键"], row["列键"]) == ("t9", "办理情况统计", "granted", "natural")
    assert row["行标签"] == "二、办理结果 › （一）予以公开"
    assert row["列标签"] == "申请人情况 › 自然人"
    assert row["原文数字"] == "6（含部分公开1件）" and row["数值"] == 6
    assert "含部分公开1件" in row["备注"]
    fee = rows["t8:fee_wan_yuan"]
    assert (fee["表"], fee["表名"], fee["行键"], fee["列键"], fee["数值"]) == ("t8", "收费情况", None, "fee_wan_yuan",
                                                                        1246.385)
    # A table without label columns has no row key: its figures line up by column key.
    t8 = data_frame(hand[2]).query("表 == 't8'").set_index("列键")["数值"]
    assert t8.to_dict() == {"fee_wan_yuan": 1246.385, "share": 12.5}
    # Figures of running text have no table dimensions.
    assert all(rows["online_rate"][c] is None for c in TABLE_COLUMNS)


def test_each_table_has_a_sheet_after_the_fixed_ones(hand):
    wb = load(hand[2])
    assert wb.sheetnames == SHEETS + HAND_SHEETS
    assert wb.active.title == "指标"
    assert_clean_workbook(wb, table_sheets=tuple(HAND_SHEETS))
    items = {r["项目"]: r["内容"] for r in records(wb["说明"])}
    assert [k.removeprefix("工作表：") for k in items if k.startswith("工作表：")] == wb.sheetnames
    assert "pivot" in items["表格"]


def test_table_sheet_is_laid_out_as_printed(hand):
    ws = load(hand[2])["办理情况统计"]
    # No caption and no unit line: the grid starts in A1. Merges exactly as the model spells them.
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:B2", "C1:E1", "A3:B3", "A4:A5"}
    grid = [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=5, max_col=5)]
    assert grid == [
        ["事项", None, "申请人情况", None, None],
        [None, None, "自然人", "法人", "总计"],
        ["一、本年新收申请", None, 10, 2, 12],
        ["二、办理结果", "（一）予以公开", 6, "—", 6],
        [None, "（二）不予公开", 4, None, 4],
    ]
    assert ws["A6"].value == "注：空白单元格为未填报。"
    assert ws["D5"].value is None and ws["D5"].data_type == "n"  # blank stays empty, not 0
    assert all(ws[c].data_type == "n" for c in ("C3", "D3", "E3", "C4", "E4", "C5", "E5"))
    assert ws["D4"].data_type == "s"
    # Shown as printed: the note around the number is a literal of the format, the value a number.
    assert ws["C4"].number_format == '0"（含部分公开1件）"'
    assert ws["C3"].number_format == "0"
    assert all(ws[c].font.b for c in ("A1", "C1", "C2", "D2", "E2"))
    assert not any(ws[c].font.b for c in ("A3", "B4", "C3"))
    assert ws.freeze_panes == "C3"  # below the head, right of the label columns
    assert ws.print_title_rows == "$1:$2"


def test_caption_unit_line_decimals_and_percent_as_printed(hand):
    ws = load(hand[2])["收费情况"]
    assert ws["A1"].value == "表1\u3000收费情况" and ws["A1"].font.b
    assert ws["B2"].value == "单位：万元、%" and ws["B2"].alignment.horizontal == "right"
    assert [ws["A3"].value, ws["B3"].value] == ["本年收费金额（万元）", "占比"]
    assert (ws["A4"].value, ws["A4"].number_format) == (1246.385, "0.000")
    assert (ws["B4"].value, ws["B4"].number_format) == (12.5, '0.00"%"')
    assert ws.freeze_panes == "A4"
    assert not ws.merged_cells.ranges


def test_a_failing_table_check_flags_the_rows_it_reads(full_read):
    document, profile = full_read
    document = xlsx_with_hand_tables(document)
    ids = ("t9:new:natural", "t9:new:legal", "t9:new:total")
    failing = CheckResult("t9_row_total__new", "t9 new 行：总计等于各列之和", "t9:new:total = t9:new:natural + t9:new:legal",
                          True, CheckStatus.FAILED, ids, document.indicator(ids[2]).pos, left=Decimal(12),
                          right=Decimal(13), message="12 ≠ 13")
    data, _ = write_workbook(dataclasses.replace(document, checks=document.checks + (failing,)), profile)
    rows = {r["指标代码"]: r for r in records(load(data)["指标"])}
    for indicator_id in ids:
        assert rows[indicator_id]["质量标记"] == "未通过"
        assert "t9_row_total__new" in rows[indicator_id]["备注"]
    assert rows["t9:granted:total"]["质量标记"] == "未核验"  # no check reads it


def test_sheet_names_are_legal_and_unique(full_read):
    document, profile = full_read
    document = xlsx_with_hand_tables(document)
    # Two tables titled alike, one with characters Excel forbids and more than 31 characters, one named 说明.
    t9, t8 = (b for b in document.blocks if b.__class__.__name__ == "Table")
    long = dataclasses.replace(t8, caption="收费/罚没[情况]:本年度*全县?各部门\\汇总情况统计表附表一二三")
    same = dataclasses.replace(t9, caption="说明")
    blocks = tuple(long if b is t8 else same if b is t9 else b for b in document.blocks)
    data, _ = write_workbook(dataclasses.replace(document, blocks=blocks), profile)
    names = load(data).sheetnames
    assert names[:4] == SHEETS
    assert names[4] == "说明 (2)"
    assert names[5] == "收费_罚没_情况__本年度_全县_各部门_汇总情况统计表附表一"
    assert all(len(n) <= 31 for n in names)


def test_the_hand_workbook_is_byte_identical_when_written_again(hand):
    document, profile, data, _ = hand
    assert write_workbook(document, profile)[0] == data


def test_table_dimensions_survive_in_a_panel(full_read):
    document, profile = full_read
    document = xlsx_with_hand_tables(document)
    out = io.BytesIO()
    write_panel([document], profile, out)
    frame = data_frame(out.getvalue())
    assert list(frame.columns) == EXPECTED_HEADER
    t9 = frame[frame["表"] == "t9"].pivot(index="行键", columns="列键", values="数值")
    assert t9.loc["new"].to_dict() == {"legal": 2, "natural": 10, "total": 12}
    assert frame.loc[frame["指标代码"] == "t9:denied:total", "行标签"].item() == "二、办理结果 › （二）不予公开"


@pytest.mark.soffice
def test_libreoffice_shows_the_table_sheets_as_printed(hand, tmp_path):
    path = tmp_path / "hand.xlsx"
    path.write_bytes(hand[2])
    result, csvs = soffice_to_csv(path, tmp_path, as_shown=True)
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "hand-办理情况统计.csv", encoding="utf-8", newline="") as f:
        assert list(csv.reader(f)) == [
            ["事项", "", "申请人情况", "", ""],
            ["", "", "自然人", "法人", "总计"],
            ["一、本年新收申请", "", "10", "2", "12"],
            ["二、办理结果", "（一）予以公开", "6（含部分公开1件）", "—", "6"],
            ["", "（二）不予公开", "4", "", "4"],
            ["注：空白单元格为未填报。", "", "", "", ""],
        ]
    with open(tmp_path / "hand-收费情况.csv", encoding="utf-8", newline="") as f:
        assert list(csv.reader(f))[-1] == ["1246.385", "12.50%"]
