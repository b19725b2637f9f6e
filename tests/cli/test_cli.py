"""The export command as a user meets it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from exporter import __version__
from exporter.cli import main

from support.paths import ROOT
FULL = ROOT / "tests" / "fixtures" / "full-furniture.md"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exporter", *args], capture_output=True, text=True, cwd=cwd or ROOT)


def test_version_and_help():
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"exporter, version {__version__}"
    proc = run("--help")
    assert proc.returncode == 0
    for command in ("all", "check", "docx", "pdf", "xlsx"):
        assert f"  {command}" in proc.stdout
    assert "Exit status: 0 ok, 1 source error" in proc.stdout


def test_check_clean_source_is_silent_and_exits_zero():
    proc = run("check", str(FULL))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_check_verbose_reports_counts():
    result = CliRunner().invoke(main, ["-v", "check", str(FULL)])
    assert result.exit_code == 0
    assert "13 indicators, 0 warnings" in result.output


def test_check_warnings_are_located_and_quiet_hides_them(tmp_path):
    src = tmp_path / "w.md"
    src.write_text("---\ntitle: 测试\n---\n\n全县共有9个乡镇,网办率达[53.62 %]{#rate name=\"网办率\"}。\n", encoding="utf-8")
    proc = run("check", str(src), cwd=tmp_path)
    assert proc.returncode == 0
    lines = proc.stderr.splitlines()
    assert lines == [
        "w.md:5:5: warning: figure '9个' looks like a statistic but is not tagged: write it as [9个]{#id name=\"指标名称\"}",
        "w.md:5:9: warning: half-width ',' in Chinese text: use '，' (GB/T 15834)",
        "w.md:5:20: warning: space before '%': write the figure and '%' together",
    ]
    proc = run("-q", "check", str(src), cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")


def test_no_sources_is_a_usage_error(tmp_path):
    proc = run("check", cwd=tmp_path)
    assert proc.returncode == 2
    assert "no sources" in proc.stderr and "Traceback" not in proc.stderr


def test_default_sources_are_source_md(tmp_path):
    (tmp_path / "source").mkdir()
    shutil.copy(FULL, tmp_path / "source" / "a.md")
    (tmp_path / "source" / "b.md").write_text("---\ntitle: x\nbogus: 1\n---\n", encoding="utf-8")
    proc = run("check", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "source/b.md:3:1: error: unknown front-matter key 'bogus' (allowed: title, issuer, date, recipients, "
        "doc_number, note, attachments, cc, printed_by, printed_on, region, region_code, period, profile, checks, "
        "heading_scheme, head, kind, direction, issuer_mark, copy_number, secret, secret_period, urgency, signer, "
        "url, published, reference_date, registry, format, attendees, absent, observers, seal, recipients_in_record, "
        "signer_title, signature_seal)"
    ]


def test_folder_argument_expands_to_its_sources(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "bad.md").write_text("no front matter\n", encoding="utf-8")
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    proc = run("check", "reports", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.startswith("reports/bad.md:1:1: error: no front matter")


def test_unknown_profile_exits_3(tmp_path):
    proc = run("check", "--profile", "nonexistent", str(FULL), cwd=tmp_path)
    assert proc.returncode == 3
    assert "profile not found" in proc.stderr and "Traceback" not in proc.stderr
