"""Declared checks as a clerk writes them: comparisons, units and bounds, through `exporter check`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from exporter.model import CheckStatus
from exporter.reader import read_source

BODY = ("共[10项]{#ten name=\"甲\"}，[12项]{#twelve name=\"乙\"}，[3人]{#people name=\"丙\"}，"
        "[40%]{#share name=\"丁\"}，[20余项]{#more name=\"戊\"}，[2万元]{#budget name=\"己\"}，"
        "[20000元]{#spent name=\"庚\"}。\n")


def _source(tmp_path: Path, checks: str, body: str = BODY) -> Path:
    path = tmp_path / "report.md"
    path.write_text(f"---\ntitle: 测试报告\nchecks:\n{checks}---\n\n{body}", encoding="utf-8")
    return path


def _check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exporter", "check", path.name], capture_output=True, text=True,
                          cwd=path.parent)


def test_comparisons_that_do_not_compare_are_located_errors(tmp_path):
    checks = (
        "  - id: rate_against_count\n"      # line 4
        "    expr: share\n"
        "    equals: ten\n"
        "  - id: percent_plus_items\n"      # line 7
        "    expr: share + ten\n"
        "    at_most: twelve\n"
        "  - id: items_against_people\n"    # line 10
        "    expr: ten\n"
        "    less_than: people\n"
        "  - id: typed_operator\n"          # line 13
        "    expr: ten\n"
        "    \"<=\": twelve\n"
        "  - id: misspelt\n"                # line 16
        "    expr: ten\n"
        "    at_mots: twelve\n"
        "  - id: two_comparisons\n"         # line 19
        "    expr: ten\n"
        "    equals: ten\n"
        "    at_most: twelve\n"
        "  - id: no_comparison\n"           # line 23
        "    expr: ten\n"
        "  - id: between_one_end\n"         # line 25
        "    expr: share\n"
        "    between: 100\n"
        "  - id: not_equal\n"               # line 28
        "    expr: ten\n"
        "    \"!=\": twelve\n"
    )
    proc = _check(_source(tmp_path, checks))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if ": error: " in line]
    assert errors == [
        "report.md:4:5: error: check 'rate_against_count': the left side is in % (a pure number), the right side"
        " in 项: they do not compare",
        "report.md:7:5: error: check 'percent_plus_items': 'share + ten' mixes units: '+' between % (a pure number)"
        " and 项",
        "report.md:10:5: error: check 'items_against_people': the left side is in 项, the right side in 人:"
        " they do not compare",
        "report.md:15:5: error: unknown comparison '<=': write 'at_most: …'",
        "report.md:18:5: error: unknown check key 'at_mots' (did you mean 'at_most'?)",
        "report.md:22:5: error: check 'two_comparisons' needs exactly one comparison: it has equals and at_most",
        "report.md:23:5: error: check 'no_comparison' needs exactly one comparison: equals, less_than, at_most,"
        " at_least, greater_than or between",
        "report.md:27:5: error: check 'between_one_end': 'between' takes the two ends as a list, e.g."
        " 'between: [0, 100]' (each a number, an id or an expression)",
        "report.md:30:5: error: unknown comparison '!=': a check states what must hold (equals, less_than,"
        " at_most, at_least, greater_than, between)",
    ]


def test_a_lower_bound_is_never_equal_and_a_failed_inequality_is_a_warning(tmp_path):
    checks = (
        "  - id: bound_equals\n"            # line 4: 20余项 = 20 cannot be confirmed
        "    expr: more\n"
        "    equals: 20\n"
        "  - id: bound_at_least\n"          # line 7: 20余项 ≥ 10 + 10 holds
        "    expr: more\n"
        "    at_least: [ten, ten]\n"
        "  - id: part_at_most_whole\n"      # line 10: 10 + 3 ≤ 12 fails
        "    expr: ten + 3\n"
        "    at_most: twelve\n"
        "  - id: share_between\n"           # line 13
        "    expr: share\n"
        "    between: [0, twelve / twelve * 100]\n"
        "  - id: wan_against_yuan\n"        # line 16: 2万元 = 20000元 on the base unit
        "    expr: budget\n"
        "    equals: spent\n"
        "  - id: strictly_more\n"           # line 19: 12 > 10
        "    expr: twelve\n"
        "    greater_than: ten\n"
    )
    path = _source(tmp_path, checks)
    proc = _check(path)
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if ": warning: check " in line]
    assert warnings == [
        "report.md:4:5: warning: check 'bound_equals' could not be evaluated: not decided by what the report"
        " printed: 20 or more = 20 holds for some of the values more (20余项, 下限) allows and not for others",
        "report.md:10:5: warning: check 'part_at_most_whole' failed: 13 is not ≤ 12 (tolerance 0)",
    ]
    document = read_source(path, shown_path="report.md").document
    statuses = {c.id: (c.status, c.expression) for c in document.checks if c.declared}
    assert statuses == {
        "bound_equals": (CheckStatus.NOT_EVALUATED, "more = 20"),
        "bound_at_least": (CheckStatus.PASSED, "more ≥ ten + ten"),
        "part_at_most_whole": (CheckStatus.FAILED, "ten + 3 ≤ twelve"),
        "share_between": (CheckStatus.PASSED, "0 ≤ share ≤ twelve / twelve * 100"),
        "wan_against_yuan": (CheckStatus.PASSED, "budget = spent"),
        "strictly_more": (CheckStatus.PASSED, "twelve > ten"),
    }


def test_a_range_of_cells_in_different_units_is_a_located_error(tmp_path):
    table = ("```table {#t1 unit=\"件\" labels=1}\n"
             "| 项目 | 数量{#n} | 占比（%）{#s unit=\"%\"} |\n"
             "|---|---|---|\n"
             "| 甲{#a} | 3 | 30 |\n"
             "```\n")
    checks = ("  - id: cells\n"
              "    sum: [t1:a:n..s]\n"
              "    at_least: 0\n")
    proc = _check(_source(tmp_path, checks, body=table))
    assert proc.returncode == 1
    assert "report.md:4:5: error: check 'cells': 't1:a:n..s' adds cells in 件 and % (a pure number)" in proc.stderr


def test_kind_is_checked_where_the_figure_stands(tmp_path):
    body = ("增长[12%]{#growth name=\"增幅\" kind=\"growth\"}，共[3项]{#items name=\"事项\" kind=\"share\"}，"
            "为上年的[120%]{#ratio name=\"收入比上年\" kind=\"ratio\"}。\n")
    proc = _check(_source(tmp_path, "  - id: ok\n    expr: ratio\n    at_least: 100\n", body=body))
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if ": error: " in line]
    assert errors == [
        "report.md:9:3: error: unknown kind 'growth': a percentage is kind=\"share\" (0–100, the default),"
        " \"ratio\" (to a plan or a past year) or \"change\" (a growth rate)",
        "report.md:9:43: error: kind=\"share\" is for percentages: '3项' is not one",
    ]
