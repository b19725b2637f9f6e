"""The workbook of the bundled report, source/yaoan-2021.md, as a statistician would load it."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from support.xlsx import (EXPECTED_HEADER, SHEETS, TABLE_COLUMNS, assert_clean_workbook, load, printed_number, records,
                               soffice_to_csv, write_workbook)

from support.paths import ROOT
SEED = ROOT / "source" / "yaoan-2021.md"

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="source/yaoan-2021.md is not in this checkout yet")


def tagged_ids() -> list[str]:
    """Every figure id tagged in the source body, in order, read straight from the Markdown."""
    text = SEED.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    return re.findall(r"\]\{#([A-Za-z0-9_]+)", body)


@pytest.fixture(scope="module")
def seed_workbook(seed_read):
    document, profile = seed_read
    data, warnings = write_workbook(document, profile)
    return document, data, warnings


def test_the_workbook_holds_exactly_the_tagged_figures(seed_workbook):
    _, data, warnings = seed_workbook
    frame = pd.read_excel(io.BytesIO(data))
    assert list(frame.columns) == EXPECTED_HEADER
    assert frame["指标代码"].tolist() == tagged_ids()
    assert len(frame) == 71
    assert frame["数值"].dtype == "float64" and frame["数值"].notna().all()
    assert warnings == []


def test_known_figures_of_the_report(seed_workbook):
    rows = {r["指标代码"]: r for r in records(load(seed_workbook[1])["指标"])}
    rate = rows["online_handling_rate"]
    assert (rate["数值"], rate["计量单位"], rate["取值性质"]) == (53.62, "%", "精确值")
    reach = rows["law_seven_into_audience"]
    assert (reach["数值"], reach["计量单位"], reach["取值性质"], reach["折算数值"], reach["基本单位"]) == (
        20, "万人次", "下限", 200000, "人次")
    trained = rows["members_public_trained"]
    assert (trained["数值"], trained["折算数值"], trained["取值性质"]) == (3.5, 35000, "下限")
    assert rows["law_to_countryside_events"]["原文数字"] == "258余场次"
    assert rows["law_to_countryside_events"]["取值性质"] == "下限"
    assert rows["online_handling_rate"]["地区代码"] == "532325"
    assert rows["online_handling_rate"]["统计时期"] == "2021"
    assert rows["online_handling_rate"]["原文位置"].startswith("yaoan-2021.md:")


def test_every_value_is_the_figure_printed_in_its_sentence(seed_workbook):
    for row in records(load(seed_workbook[1])["指标"]):
        assert row["原文数字"] in row["原文摘录"], row["指标代码"]
        assert Decimal(str(row["数值"])) == printed_number(row["原文数字"]), row["指标代码"]
        if "余" in row["原文数字"]:
            assert row["取值性质"] == "下限", row["指标代码"]


def test_every_figure_is_on_the_source_line_its_location_names(seed_workbook):
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for row in records(load(seed_workbook[1])["指标"]):
        line = int(row["原文位置"].rsplit(":", 1)[1])
        assert f"[{row['原文数字']}]{{#{row['指标代码']}" in lines[line - 1]


def test_declared_checks_pass_and_the_impossible_share_is_flagged(seed_workbook):
    wb = load(seed_workbook[1])
    checks = {r["规则代码"]: r for r in records(wb["一致性核验"])}
    review = checks["case_review_results_sum"]
    assert (review["来源"], review["判定"], review["左值"], review["右值"]) == ("源文件声明", "通过", 160, 160)
    coverage = checks["supervision_coverage_rate"]
    assert (coverage["来源"], coverage["判定"], coverage["右值"]) == ("源文件声明", "通过", 48.08)
    assert abs(coverage["左值"] - 602 / 1252 * 100) < 1e-9
    rows = {r["指标代码"]: r for r in records(wb["指标"])}
    # 通过: read by the two declared checks, or a percentage within 0–100 as printed; the shares
    # printed with 以上 cannot be confirmed within 0–100 and, like every figure no check reads, are 未核验.
    declared = {"case_files_reviewed", "case_files_excellent", "case_files_qualified", "case_files_unqualified",
                "items_with_supervision_actions", "supervision_items", "supervision_item_coverage_rate"}
    with_bound = {"time_limit_reduction_rate", "one_visit_item_share", "immediate_handling_share"}
    percentages = {k for k, r in rows.items() if r["计量单位"] == "%"}
    assert {k for k, r in rows.items() if r["质量标记"] == "通过"} == declared | (percentages - with_bound)
    assert {k for k, r in rows.items() if r["质量标记"] == "未核验"} == set(rows) - declared - (percentages - with_bound)
    assert "inspection_list_completion_rate" in percentages - with_bound  # a share named with 完成
    assert not [k for k, r in rows.items() if r["质量标记"] == "未通过"]
    assert "share_range__one_visit_item_share" in rows["one_visit_item_share"]["备注"]


def test_the_report_has_no_tables_so_the_table_columns_are_empty(seed_workbook):
    frame = pd.read_excel(io.BytesIO(seed_workbook[1]))
    assert list(frame.columns[-len(TABLE_COLUMNS):]) == TABLE_COLUMNS
    assert frame[TABLE_COLUMNS].isna().all().all()


def test_seed_workbook_is_clean(seed_workbook):
    wb = load(seed_workbook[1])
    assert wb.sheetnames == SHEETS
    assert_clean_workbook(wb)
    assert wb["指标"].tables["indicators"].ref == "A1:Z72"


@pytest.mark.soffice
def test_libreoffice_opens_the_workbook_and_reads_the_same_table(seed_workbook, tmp_path):
    _, data, _ = seed_workbook
    path = tmp_path / "yaoan-2021.xlsx"
    path.write_bytes(data)
    result, csvs = soffice_to_csv(path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower()
    assert [p.name for p in csvs] == sorted(f"yaoan-2021-{s}.csv" for s in SHEETS)
    with open(tmp_path / "yaoan-2021-指标.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == EXPECTED_HEADER
    assert len(rows) == 72
    expected = records(load(data)["指标"])
    value = EXPECTED_HEADER.index("数值")
    assert [Decimal(r[value]) for r in rows[1:]] == [Decimal(str(e["数值"])) for e in expected]
    assert not any(cell.startswith(("Err:", "#")) for r in rows for cell in r)


@pytest.mark.soffice
def test_libreoffice_follows_the_link_to_the_docx_bookmark(seed_workbook, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    path = tmp_path / "yaoan-2021.xlsx"
    path.write_bytes(seed_workbook[1])
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", "html", "--outdir", str(tmp_path), str(path)],
                   capture_output=True, timeout=180, check=True)
    html = (tmp_path / "yaoan-2021.html").read_text(encoding="utf-8", errors="replace")
    assert f'href="{(tmp_path / "yaoan-2021.docx").as_uri()}#online_handling_rate"' in html
