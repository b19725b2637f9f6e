"""The indicator registry: unknown ids warn, unit or kind drift stops, suggest drafts entries."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import main
from exporter.diagnostics import ProfileError
from exporter.registry import load_registry
from support.paths import FIXTURES, ROOT

SEED = ROOT / "source" / "yaoan-2021.md"
SHIPPED = ROOT / "registry" / "county-rule-of-law.toml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def seed_copy(folder: Path, *replacements: tuple[str, str]) -> Path:
    text = SEED.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = folder / "copy.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_registry_defines_every_seed_id():
    registry = load_registry(SHIPPED)
    text = SEED.read_text(encoding="utf-8")
    import re
    ids = re.findall(r"\]\{#([a-z0-9_]+)", text)
    assert len(ids) == 71
    assert all(registry.lookup(i) is not None for i in ids)
    assert all(e.definition and e.name for e in registry.entries)
    rate = registry.lookup("supervision_item_coverage_rate")
    assert (rate.measure, rate.kind, rate.numerator, rate.denominator) == (
        "%", "ratio", "items_with_supervision_actions", "supervision_items")
    joint, single = registry.lookup("one_thing_joint_items"), registry.lookup("one_thing_single_items")
    assert joint.counting_words == single.counting_words == ("件", "项")  # 14件 and 12项: one measure


def test_check_of_the_seed_is_silent():
    result = run("check", str(SEED))
    assert result.exit_code == 0 and result.output == ""


def test_unit_drift_and_kind_drift_are_located_errors(tmp_path):
    source = seed_copy(tmp_path, ("[14件]", "[14人次]"), ("[7232条]", "[72.32%]"))
    result = run("check", str(source))
    assert result.exit_code == 1
    lines = [l for l in result.output.splitlines() if ": error: " in l]
    assert len(lines) == 2
    assert ": error: unit drift: 'one_thing_joint_items' is printed in 人次 (14人次)" in lines[0]
    assert "kind drift: 'website_posts' is a percentage here (72.32%)" in lines[1]
    assert "registry entry at registry/county-rule-of-law.toml:" in lines[0]


def test_unknown_ids_warn_and_suggest_drafts_loadable_entries(tmp_path):
    source = seed_copy(tmp_path, ("{#website_posts ", "{#website_items_posted "))
    result = run("check", str(source))
    assert result.exit_code == 0
    assert "warning: indicator 'website_items_posted' is not in the registry county-rule-of-law.toml" in result.output
    drafted = run("registry", "suggest", str(source))
    assert drafted.exit_code == 0
    body = drafted.output.split("\n1 draft entries")[0]
    draft = tomllib.loads(body)
    assert list(draft["indicators"]) == ["website_items_posted"]
    entry = draft["indicators"]["website_items_posted"]
    assert (entry["measure"], entry["counting_words"], entry["kind"]) == ("count", ["条"], "flow")
    path = tmp_path / "drafts.toml"
    path.write_text('[registry]\nname = "drafts"\n' + body, encoding="utf-8")
    assert load_registry(path).lookup("website_items_posted") is not None


def test_patterns_cover_table_cell_ids(tmp_path):
    path = tmp_path / "gov.toml"
    path.write_text('[registry]\nname = "gov"\n\n[indicators."t3:denied.*:natural"]\nname = "不予公开（自然人）"\n'
                    'definition = "…"\nmeasure = "count"\ncounted = "政府信息公开申请"\ncounting_words = ["件"]\n'
                    'kind = "flow"\naggregation = "sum"\n', encoding="utf-8")
    registry = load_registry(path)
    assert registry.lookup("t3:denied.state_secret:natural").code == "t3:denied.*:natural"
    assert registry.lookup("t3:denied.state_secret:legal_person") is None


@pytest.mark.parametrize("entry, message, line", [
    ('measure = "项"\n', "'项' is a counting word, not a unit", 5),
    ('measure = "count"\ncounting_words = ["人次"]\n', "人次 is a unit of measure, not a counting word", 6),
    ('measure = "%"\nkind = "level"\n', "kind must be one of stock, flow, ratio", 6),
    ('measure = "%"\nnumerator = "a"\ndenominator = "b"\n', "numerator 'a' is not an indicator of this registry", 6),
])
def test_a_bad_registry_entry_is_a_located_error(tmp_path, entry, message, line):
    path = tmp_path / "bad.toml"
    base = {"name": '"x"', "definition": '"x"', "kind": '"flow"', "aggregation": '"sum"'}
    keys = {k.split(" =")[0] for k in entry.splitlines()}
    rest = "".join(f"{k} = {v}\n" for k, v in base.items() if k not in keys)
    path.write_text(f'[registry]\nname = "r"\n\n[indicators.rate]\n{entry}{rest}', encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_registry(path)
    found = [str(d) for d in caught.value.diagnostics]
    assert any(message in d and d.startswith(f"{path}:{line}:") for d in found), found


def test_a_missing_registry_is_a_located_error(tmp_path):
    source = seed_copy(tmp_path, ("registry: county-rule-of-law", "registry: ../nowhere.toml"))
    result = run("check", str(source))
    assert result.exit_code == 3
    assert f"{source}:7:11: error: indicator registry '../nowhere.toml' not found" in result.output


# -- the registry of the 政府信息公开工作年度报告 template ------------------------------------------------

GOV_INFO = ROOT / "source" / "gov-info-2023.md"
GOV_REGISTRY = ROOT / "registry" / "gov-info-annual-report.toml"


def gov_copy(folder: Path, *replacements: tuple[str, str]) -> Path:
    text = GOV_INFO.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = folder / "gov.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_gov_info_registry_defines_every_figure_of_its_report():
    from exporter.reader import read_source

    document = read_source(GOV_INFO).document
    registry = load_registry(GOV_REGISTRY)
    ids = [ind.id for ind in document.indicators]
    assert len(ids) == 233 and len([i for i in ids if i.startswith("t3:")]) == 170
    assert [i for i in ids if registry.lookup(i) is None] == []
    # Stocks on a date and flows over the year, as the template means them.
    kinds = {code: registry.lookup(code).kind for code in (
        "t2:normative_docs:in_force", "t2:normative_docs:issued", "t3:carried_over:natural",
        "t3:carried_forward:total", "t3:new_received:total", "t4:review.pending", "t4:review.total")}
    assert kinds == {"t2:normative_docs:in_force": "stock", "t2:normative_docs:issued": "flow",
                     "t3:carried_over:natural": "stock", "t3:carried_forward:total": "stock",
                     "t3:new_received:total": "flow", "t4:review.pending": "stock", "t4:review.total": "flow"}
    cell = registry.lookup("t3:denied.third_party:legal_service")
    assert (cell.code, cell.measure, cell.counting_words, cell.aggregation) == (
        "t3:denied.third_party:*", "count", ("件",), "sum")
    fee = registry.lookup("t2:admin_fees:fee_wan_yuan")
    assert fee.measure == "元" and "万元" in fee.definition   # printed in 万元, registered in its 折算 unit
    # The template's blank 规章 cells and unknown rows or groups: defined and undefined as they should be.
    assert registry.lookup("t2:regulations:in_force").kind == "stock"
    assert registry.lookup("t3:denied.no_such_reason:natural") is None
    assert registry.lookup("t4:appeal.total") is None


def test_check_of_the_gov_info_report_is_silent():
    result = run("check", str(GOV_INFO))
    assert result.exit_code == 0 and result.output == ""


def test_a_table_cell_in_another_unit_is_a_drift_error(tmp_path):
    # 表二's 本年制发件数 column in 人次 (no check ties it, so only the registry can notice).
    source = gov_copy(tmp_path, ('{#issued unit="件"}', '{#issued unit="人次"}'))
    result = run("check", str(source))
    assert result.exit_code == 1
    errors = [l for l in result.output.splitlines() if ": error: " in l]
    assert len(errors) == 1                                         # the 规章 cell is blank: no figure
    assert "unit drift: 't2:normative_docs:issued' is printed in 人次 (9)" in errors[0]
    assert "registry entry at registry/gov-info-annual-report.toml:" in errors[0]


# -- a profile names the registry for sources that name none ----------------------------------------

def house_profile(folder: Path, registry: str) -> Path:
    path = folder / "house.toml"
    path.write_text(f'extends = "gbt9704"\n\n[data]\nregistry = "{registry}"\n', encoding="utf-8")
    return path


def test_the_profiles_registry_applies_to_a_source_that_names_none(tmp_path):
    unnamed = gov_copy(tmp_path, ("registry: gov-info-annual-report\n", ""),
                       ("{#wechat_posts ", "{#wechat_items "))
    assert run("check", str(unnamed)).output == ""          # no registry, nothing to check against
    result = run("check", "--profile", str(house_profile(tmp_path, "gov-info-annual-report")), str(unnamed))
    assert result.exit_code == 0
    warnings = [l for l in result.output.splitlines() if ": warning: " in l]
    assert len(warnings) == 1
    assert "indicator 'wechat_items' is not in the registry gov-info-annual-report.toml" in warnings[0]
    fixed = gov_copy(tmp_path, ("registry: gov-info-annual-report\n", ""))
    assert run("check", "--profile", str(tmp_path / "house.toml"), str(fixed)).output == ""


def test_the_sources_registry_wins_over_the_profiles(tmp_path):
    profile = house_profile(tmp_path, "gov-info-annual-report")
    # The seed names county-rule-of-law: checked against the gov-info registry, all 71 ids would warn.
    assert run("check", "--profile", str(profile), str(SEED)).output == ""
    renamed = gov_copy(tmp_path, ("registry: gov-info-annual-report", "registry: county-rule-of-law"))
    result = run("check", "--profile", str(profile), str(renamed))
    assert result.exit_code == 0
    # Every id of the report but wechat_posts, which the county registry defines too.
    assert result.output.count("is not in the registry county-rule-of-law.toml") == 232
    assert "'wechat_posts'" not in result.output and "gov-info-annual-report" not in result.output


def test_a_profiles_registry_path_is_relative_to_the_profile(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "codes").mkdir()
    # A copy of the gov-info registry whose 表四 counts are measured in 人次: every t4 cell drifts.
    (tmp_path / "codes" / "gov.toml").write_text(
        GOV_REGISTRY.read_text(encoding="utf-8").replace(
            'counted = "行政复议案件"\ncounting_words = ["件"]', 'counted = "x"\ncounting_words = ["人"]'),
        encoding="utf-8")
    profile = house_profile(tmp_path / "profiles", "../codes/gov.toml")
    source = gov_copy(tmp_path, ("registry: gov-info-annual-report\n", ""))
    result = run("check", "--profile", str(profile), str(source))
    assert result.exit_code == 1
    errors = [l for l in result.output.splitlines() if ": error: " in l]
    assert len(errors) == 4                                        # 表四's review group, pending excepted
    assert all("'t4:review." in e and "codes/gov.toml:" in e for e in errors)


def test_a_profile_naming_a_missing_registry_is_a_located_profile_error(tmp_path):
    profile = house_profile(tmp_path, "no-such-registry")
    result = run("check", "--profile", str(profile), str(GOV_INFO))
    assert result.exit_code == 3
    assert f"{profile.resolve()}:4:1: error: [data] registry 'no-such-registry' not found" in result.output
    assert "gov-info-annual-report" in result.output               # the shipped ones are named
