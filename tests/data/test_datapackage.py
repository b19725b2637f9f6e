"""`exporter data`: a Frictionless Data Package a statistician can build on (issue 16).

Everything is read back from the files written: frictionless validates the package, pandas reads
it with the schema's types, and the panel rules stop it with both places named.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from exporter.cli import main
from support.paths import FIXTURES, ROOT

SEED = ROOT / "source" / "yaoan-2021.md"
from support.sources import FIXTURE_TEXT, variant


def data(out: Path, *sources: Path):
    return CliRunner().invoke(main, ["data", *map(str, sources), "-o", str(out)])


@pytest.fixture(scope="module")
def seed_package(tmp_path_factory):
    out = tmp_path_factory.mktemp("package")
    result = data(out, SEED)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def panel_package(tmp_path_factory):
    folder = tmp_path_factory.mktemp("panel")
    older = variant(folder, "report-2023.md", ("period: 2024", "period: 2023"), ("[160卷]", "[150卷]"),
                    ("[84卷]", "[74卷]"))
    newer = variant(folder, "report-2024.md")
    result = data(folder / "out", newer, older)
    assert result.exit_code == 0, result.output
    return folder / "out"


def test_frictionless_validates_the_seed_package(seed_package):
    from frictionless import validate

    report = validate(str(seed_package / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    # The package's five files, and exporter's bookkeeping (manifest, folder lock); no temporaries.
    assert sorted(p.name for p in seed_package.iterdir()) == [
        ".exporter-manifest.json", ".exporter.lock",
        "checks.csv", "datapackage.json", "indicators.csv", "registry.csv", "sources.csv"]


def test_frictionless_validates_a_two_year_panel(panel_package):
    from frictionless import validate

    report = validate(str(panel_package / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    frame = pd.read_csv(panel_package / "indicators.csv", dtype=str)
    assert len(frame) == 26
    assert sorted(set(frame["time_period"])) == ["2023", "2024"]


def test_frictionless_catches_what_the_schema_declares(seed_package, tmp_path):
    """The schema is not decoration: a broken key, code or registry reference fails validation."""
    from frictionless import validate

    for name in ("datapackage.json", "checks.csv", "sources.csv", "registry.csv"):
        (tmp_path / name).write_bytes((seed_package / name).read_bytes())
    rows = list(csv.reader((seed_package / "indicators.csv").open(encoding="utf-8", newline="")))
    header = rows[0]
    rows[2][header.index("ref_area")] = "0532325"                    # not a GB/T 2260 code
    rows[3][header.index("registry_code")] = "no_such_entry"         # dangling foreign key
    rows[4][header.index("indicator_id")] = rows[5][header.index("indicator_id")]  # duplicate key
    with (tmp_path / "indicators.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    report = validate(str(tmp_path / "datapackage.json"))
    types = {error[0] for error in report.flatten(["type"])}
    assert {"constraint-error", "foreign-key", "primary-key"} <= types


def _schema_dtypes(package: Path, resource: str) -> dict[str, type]:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    [fields] = [r["schema"]["fields"] for r in descriptor["resources"] if r["name"] == resource]
    return {f["name"]: str for f in fields if f["type"] == "string"}


def test_pandas_with_the_schema_types_keeps_codes_and_periods_as_text(seed_package):
    path = seed_package / "indicators.csv"
    guessed = pd.read_csv(path)
    assert guessed["ref_area"].dtype == "int64"  # what a reader without the schema gets
    frame = pd.read_csv(path, dtype=_schema_dtypes(seed_package, "indicators"))
    assert set(frame["ref_area"]) == {"532325"} and set(frame["time_period"]) == {"2021"}
    assert frame["obs_value"].dtype == "float64"
    assert len(frame) == 71


def test_the_schema_declares_string_codes_with_patterns_and_the_keys(seed_package):
    descriptor = json.loads((seed_package / "datapackage.json").read_text(encoding="utf-8"))
    [indicators] = [r for r in descriptor["resources"] if r["name"] == "indicators"]
    fields = {f["name"]: f for f in indicators["schema"]["fields"]}
    assert fields["ref_area"]["type"] == "string" and fields["ref_area"]["constraints"]["pattern"] == r"\d{6}(\d{6})?"
    assert fields["time_period"]["type"] == "string" and "pattern" in fields["time_period"]["constraints"]
    assert fields["source_offset"]["type"] == "integer"
    assert fields["ref_area"]["title"] == "地区代码"
    assert indicators["schema"]["primaryKey"] == ["ref_area", "time_period", "indicator_id"]
    assert {"resource": "registry", "fields": ["registry", "code"]} in [
        fk["reference"] for fk in indicators["schema"]["foreignKeys"]]
    assert indicators["schema"]["missingValues"] == [""]


def test_every_seed_figure_points_into_the_registry(seed_package):
    indicators = pd.read_csv(seed_package / "indicators.csv", dtype=str, keep_default_na=False)
    registry = pd.read_csv(seed_package / "registry.csv", dtype=str, keep_default_na=False)
    assert (indicators["registry"] == "county-rule-of-law").all()
    assert set(indicators["registry_code"]) <= set(registry["code"])
    joint = registry.set_index("code").loc["one_thing_joint_items"]
    assert (joint["measure"], joint["counting_words"], joint["kind"]) == ("count", "件|项", "stock")


def test_unquoted_region_code_is_a_located_error_not_an_octal_number(tmp_path):
    source = variant(tmp_path, "octal.md", ('region_code: "539901"', "region_code: 0532325"))
    result = data(tmp_path / "out", source)
    assert result.exit_code == 1
    assert f"{source}:19:14: error: 'region_code' must be quoted text: write region_code: \"0532325\" " \
           "(YAML reads it as the number 177365)" in result.output
    assert not (tmp_path / "out" / "datapackage.json").exists()


def test_a_quoted_code_off_the_gbt2260_structure_is_an_error(tmp_path):
    source = variant(tmp_path, "bad.md", ('region_code: "539901"', 'region_code: "0532325"'))
    result = data(tmp_path / "out", source)
    assert result.exit_code == 1
    assert f"{source}:19:14: error: 'region_code' must be a 6- or 12-digit administrative division code" in result.output


def test_stale_periods_stop_the_package_with_both_places(tmp_path):
    """The copied-source case of the issue: period="2021" left on figures of the 2022 report."""
    older = variant(tmp_path, "2023.md", ("period: 2024", "period: 2023"))
    newer = variant(tmp_path, "2024.md", ("{#powers_received ", "{#powers_received period=\"2023\" "))
    out = tmp_path / "out"
    out.mkdir()
    (out / "datapackage.json").write_text("earlier", encoding="utf-8")
    result = data(out, older, newer)
    assert result.exit_code == 1
    [error] = [line for line in result.output.splitlines() if ": error: " in line]
    assert error.startswith(f"{newer}:39:") and f"the other is at {older}:39:" in error
    assert "duplicate key: 'powers_received' for 539901 2023" in error
    assert (out / "datapackage.json").read_text(encoding="utf-8") == "earlier"  # the earlier package stands
    # Nothing new but exporter's folder lock (taken while the temporaries existed); no temporary stays.
    assert sorted(p.name for p in out.iterdir()) == [".exporter.lock", "datapackage.json"]


def test_data_and_xlsx_give_the_same_bytes_from_any_working_directory(tmp_path):
    """原文位置 and every other path are relative to the source's folder: no working directory and
    no machine folder reaches the files."""
    outputs = []
    for k, cwd in enumerate((ROOT, ROOT / "source", tmp_path)):
        out = tmp_path / f"out{k}"
        for command in (["data", str(SEED), "-o", str(out / "package")], ["xlsx", str(SEED), "-o", str(out)]):
            proc = subprocess.run([sys.executable, "-m", "exporter", *command], cwd=cwd, capture_output=True, text=True)
            assert proc.returncode == 0, proc.stderr
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1] == outputs[2]
    assert sorted(outputs[0]) == [
        ".exporter-manifest.json", ".exporter.lock", "package/.exporter-manifest.json", "package/.exporter.lock",
        "package/checks.csv", "package/datapackage.json", "package/indicators.csv", "package/registry.csv",
        "package/sources.csv", "yaoan-2021.xlsx"]
    for blob in outputs[0].values():
        assert str(ROOT).encode() not in blob and str(tmp_path).encode() not in blob


def test_every_quote_is_verbatim_in_the_printed_text_at_its_offset(seed_read, seed_package):
    document, _ = seed_read
    body = document.body_text()
    frame = pd.read_csv(seed_package / "indicators.csv", dtype={"source_offset": int}, keep_default_na=False)
    assert len(frame) == 71
    for row in frame.itertuples():
        offset = row.source_offset
        assert body[offset:offset + len(row.source_figure)] == row.source_figure, row.indicator_id
        quote_at = body.rfind(row.source_quote, 0, offset + len(row.source_quote))  # starts at or before the figure
        assert quote_at >= 0 and quote_at + len(row.source_quote) >= offset + len(row.source_figure), row.indicator_id


def test_sources_carry_url_published_and_reference_date(tmp_path):
    source = variant(tmp_path, "dated.md", ("period: 2024", "period: 2024\nurl: https://www.example.gov.cn/a/1.html\n"
                                                            "published: 2025-01-20\nreference_date: 2024-12-31"))
    result = data(tmp_path / "out", source)
    assert result.exit_code == 0, result.output
    [row] = list(csv.DictReader((tmp_path / "out" / "sources.csv").open(encoding="utf-8")))
    assert (row["url"], row["published"], row["reference_date"]) == (
        "https://www.example.gov.cn/a/1.html", "2025-01-20", "2024-12-31")
