"""`exporter xlsx --combine PATH SOURCE...`: one workbook for several reports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from exporter.cli import main
from support.xlsx import EXPECTED_HEADER, assert_clean_workbook, load, records, soffice_to_csv

from support.paths import ROOT
from support.sources import FIXTURE_TEXT, variant


def combine(target: Path, *sources: Path):
    result = CliRunner().invoke(main, ["xlsx", "--combine", str(target), *map(str, sources)])
    return result


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    folder = tmp_path_factory.mktemp("panel")
    older = variant(folder, "report-2023.md", ("period: 2024", "period: 2023"),
                    ('name="网上办理率"', 'name="网办率"'), ("[20余万人次]", "[198000余人次]"), ("[160卷]", "[150卷]"),
                    ("[84卷]", "[74卷]"))
    newer = variant(folder, "report-2024.md")
    target = folder / "out" / "panel.xlsx"
    result = combine(target, newer, older)
    return folder, target, result


def test_long_table_stacks_every_report_keyed_by_region_period_indicator(two_years):
    _, target, result = two_years
    assert result.exit_code == 0, result.output
    frame = pd.read_excel(target, dtype={"地区代码": str, "统计时期": str})
    assert list(frame.columns) == EXPECTED_HEADER
    assert len(frame) == 26
    assert frame["数值"].dtype == "float64"
    assert not frame.duplicated(["地区代码", "统计时期", "指标代码"]).any()
    assert frame["统计时期"].tolist() == ["2023"] * 13 + ["2024"] * 13
    reviewed = frame[frame["指标代码"] == "files_reviewed"]
    assert reviewed["数值"].tolist() == [150, 160]
    assert reviewed["原文位置"].str.split(":").str[0].str.endswith(("report-2023.md", "report-2024.md")).all()


def test_wide_sheet_puts_periods_in_columns_with_base_values(two_years):
    _, target, _ = two_years
    wide = pd.read_excel(target, sheet_name="宽表")
    # Both years hold bounds (以上, 余, 约): each period column carries its 取值性质 beside it.
    assert list(wide.columns) == ["指标代码", "指标名称", "基本单位", "2023", "2023取值性质", "2024", "2024取值性质",
                                  "质量标记", "备注"]
    rows = wide.set_index("指标代码")
    assert len(rows) == 13
    assert (rows.loc["files_reviewed", "2023"], rows.loc["files_reviewed", "2024"]) == (150, 160)
    # 198000余人次 and 20余万人次 line up once 万 is expanded, both flagged as lower bounds.
    assert (rows.loc["education_reach", "2023"], rows.loc["education_reach", "2024"]) == (198000, 200000)
    assert (rows.loc["education_reach", "2023取值性质"], rows.loc["education_reach", "2024取值性质"]) == ("下限", "下限")
    assert rows.loc["files_reviewed", "2024取值性质"] == "精确值"
    assert rows.loc["education_reach", "基本单位"] == "人次"
    assert rows.loc["online_rate", "2024"] == 53.62


def test_different_names_and_units_are_flagged(two_years):
    _, target, result = two_years
    wb = load(target.read_bytes())
    long_rows = records(wb["指标"])
    for row in long_rows:
        if row["指标代码"] in ("online_rate", "education_reach"):
            assert "panel_" in row["备注"]
            # a notice verifies nothing and refutes nothing: the row keeps what its own checks say
            # (53.62% lies within 0–100; 20余万人次 is read by no check)
            assert row["质量标记"] == ("通过" if row["指标代码"] == "online_rate" else "未核验"), row
    checks = {r["规则代码"]: r for r in records(wb["一致性核验"])}
    assert checks["panel_name__online_rate"]["来源"] == "跨报告"
    assert checks["panel_name__online_rate"]["判定"] == "提示"
    assert checks["panel_unit__education_reach"]["判定"] == "提示"
    wide = {r["指标代码"]: r for r in records(wb["宽表"])}
    assert wide["online_rate"]["质量标记"] == "通过"
    assert wide["education_reach"]["质量标记"] == "未核验"
    assert "网办率" in wide["online_rate"]["备注"] and "网上办理率" in wide["online_rate"]["备注"]
    assert "online_rate is named differently" in result.output
    assert "education_reach has different units" in result.output


def test_each_report_keeps_its_own_checks(two_years):
    _, target, _ = two_years
    checks = records(load(target.read_bytes())["一致性核验"])
    sums = [c for c in checks if c["规则代码"] == "review_results_sum"]
    assert sorted(c["判定"] for c in sums) == ["通过", "通过"]
    assert sorted(c["原文位置"] for c in sums) == ["report-2023.md:22", "report-2024.md:22"]


def test_panel_is_clean_and_reproducible(two_years):
    folder, target, _ = two_years
    wb = load(target.read_bytes())
    assert wb.sheetnames == ["指标", "宽表", "说明", "字段说明", "一致性核验"]
    assert wb.active.title == "指标"
    assert_clean_workbook(wb)
    again = folder / "again.xlsx"
    assert combine(again, folder / "report-2023.md", folder / "report-2024.md").exit_code == 0
    assert again.read_bytes() == target.read_bytes()
    readme = {r["项目"]: r["内容"] for r in records(wb["说明"])}
    assert "report-2023.md" in readme["报告 1"] and "report-2024.md" in readme["报告 2"]


def test_regions_go_in_columns_when_the_period_is_shared(tmp_path):
    north = variant(tmp_path, "north.md")
    south = variant(tmp_path, "south.md", ('region_code: "539901"', 'region_code: "539902"'),
                    ("region: 某某省某某市某某县", "region: 某某省某某市另一县"))
    target = tmp_path / "regions.xlsx"
    assert combine(target, north, south).exit_code == 0
    wide = pd.read_excel(target, sheet_name="宽表")
    assert list(wide.columns)[3:7] == ["某某省某某市某某县（539901）", "某某省某某市某某县（539901）取值性质",
                                      "某某省某某市另一县（539902）", "某某省某某市另一县（539902）取值性质"]


def _errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if ": error: " in line]


def test_duplicate_keys_stop_the_panel_with_both_places(tmp_path):
    """A copied source with stale period attributes: two figures claim one key, nothing is written."""
    first = variant(tmp_path, "first.md")
    second = variant(tmp_path, "second.md")
    target = tmp_path / "dup.xlsx"
    result = combine(target, first, second)
    assert result.exit_code == 1
    assert not target.exists()
    errors = _errors(result)
    dup = [e for e in errors if "duplicate key: 'powers_received'" in e]
    assert len(dup) == 1
    assert dup[0].startswith(f"{second}:39:") and f"the other is at {first}:39:" in dup[0]
    assert len([e for e in errors if "duplicate key" in e]) == 13


def test_a_changed_unit_stops_the_panel(tmp_path):
    first = variant(tmp_path, "first.md")
    second = variant(tmp_path, "second.md", ("period: 2024", "period: 2023"), ("[13项]", "[13人次]"))
    result = combine(tmp_path / "p.xlsx", first, second)
    assert result.exit_code == 1 and not (tmp_path / "p.xlsx").exists()
    [error] = _errors(result)
    assert "'powers_received' changes unit across reports: 人次 here (13人次), 项 in the other" in error
    assert error.startswith(f"{second}:39:") and f"the other is at {first}:39:" in error


def test_a_changed_bound_kind_stops_the_panel(tmp_path):
    first = variant(tmp_path, "first.md")
    second = variant(tmp_path, "second.md", ("period: 2024", "period: 2023"), ("[20余万人次]", "[198000人次]"))
    result = combine(tmp_path / "p.xlsx", first, second)
    assert result.exit_code == 1
    [error] = _errors(result)
    assert "'education_reach' changes bound kind across reports: 精确值 here (198000人次), 下限 in the other" in error
    assert error.startswith(f"{second}:59:") and f"the other is at {first}:59:" in error


def test_one_region_under_two_codes_stops_the_panel(tmp_path):
    first = variant(tmp_path, "first.md")
    second = variant(tmp_path, "second.md", ("period: 2024", "period: 2023"),
                     ('region_code: "539901"', 'region_code: "539901000000"'))
    result = combine(tmp_path / "p.xlsx", first, second)
    assert result.exit_code == 1
    [error] = _errors(result)
    assert "is written as 539901000000 here and 539901 in another report" in error
    assert error.startswith(f"{second}:19:") and f"the other is at {first}:19:" in error


def test_a_likely_rename_stops_the_panel(tmp_path):
    first = variant(tmp_path, "first.md")
    second = variant(tmp_path, "second.md", ("period: 2024", "period: 2023"),
                     ("{#powers_received ", "{#devolved_powers "))
    result = combine(tmp_path / "p.xlsx", first, second)
    assert result.exit_code == 1
    [error] = _errors(result)
    assert "'devolved_powers' has the name “承接下放行政职权数”, which is 'powers_received' in another report" in error
    assert error.startswith(f"{second}:39:") and f"the other is at {first}:39:" in error


def test_six_and_twelve_digit_codes_of_different_regions_get_distinct_headers(tmp_path):
    north = variant(tmp_path, "north.md")
    south = variant(tmp_path, "south.md", ("period: 2024", "period: 2023"),
                    ('region_code: "539901"', 'region_code: "539901001000"'),
                    ("region: 某某省某某市某某县", "region: 某某省某某市某某县某某镇"))
    target = tmp_path / "p.xlsx"
    result = combine(target, north, south)
    assert result.exit_code == 0, result.output
    wide = pd.read_excel(target, sheet_name="宽表")
    headers = [h for h in wide.columns if "539901" in h and "取值性质" not in h]
    assert len(headers) == len(set(headers)) == 2


def test_a_broken_source_writes_no_panel(tmp_path):
    good = variant(tmp_path, "good.md")
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\n正文。\n", encoding="utf-8")
    target = tmp_path / "panel.xlsx"
    result = combine(target, good, bad)
    assert result.exit_code != 0
    assert not target.exists()


def test_without_combine_each_source_gets_its_workbook(tmp_path):
    source = variant(tmp_path, "alone.md")
    result = CliRunner().invoke(main, ["xlsx", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    frame = pd.read_excel(io.BytesIO((tmp_path / "out" / "alone.xlsx").read_bytes()))
    assert len(frame) == 13


@pytest.mark.soffice
def test_libreoffice_opens_the_panel(two_years, tmp_path):
    _, target, _ = two_years
    result, csvs = soffice_to_csv(target, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower()
    with open(tmp_path / "panel-宽表.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["指标代码", "指标名称", "基本单位", "2023", "2023取值性质", "2024", "2024取值性质", "质量标记", "备注"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["education_reach"][3:7] == ["198000", "下限", "200000", "下限"]
    assert len(csvs) == 5
