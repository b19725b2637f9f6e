"""`exporter import` as a user meets it: files written, report printed, nothing replaced by accident."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from exporter.reader import read_source

from support.paths import ROOT
TEXT = "2025年某县政府工作报告\n来源：某某日报\n各位代表：\n一、工作回顾\n网办率达53.62%,成效明显。\n"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exporter", *args], capture_output=True, text=True, cwd=cwd)


def test_import_writes_the_source_and_prints_the_report(tmp_path):
    (tmp_path / "report.txt").write_text(TEXT, encoding="utf-8")
    proc = run("import", "report.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    document = read_source(tmp_path / "source" / "report.md").document
    assert document.meta.title == ("2025年某县政府工作报告",)
    assert [(i.id, i.name, i.text) for i in document.indicators] == [("fig_001", "网办率", "53.62%")]
    out = proc.stdout
    assert out.startswith("report.txt -> source/report.md: txt, UTF-8, LF, 6 lines\n")
    assert "    line 2: 来源：某某日报 (web source line)\n" in out
    assert "half-width punctuation made full-width 1" in out
    assert "check: source/report.md reads with 0 errors and 0 warnings" in out
    assert "    fig_001  line 5  53.62%  网办率\n" in out
    assert run("check", "source/report.md", cwd=tmp_path).returncode == 0


def test_an_existing_source_is_never_replaced_without_force(tmp_path):
    (tmp_path / "report.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "report.md").write_text("mine", encoding="utf-8")
    proc = run("import", "report.txt", cwd=tmp_path)
    assert proc.returncode == 4
    assert "exists: an import never replaces a source; use --force" in proc.stderr
    assert (tmp_path / "source" / "report.md").read_text(encoding="utf-8") == "mine"
    assert run("import", "--force", "report.txt", cwd=tmp_path).returncode == 0
    assert (tmp_path / "source" / "report.md").read_text(encoding="utf-8").startswith("---\n")


def test_switches_title_output_folder_and_report_file(tmp_path):
    (tmp_path / "report.txt").write_text(TEXT.replace("2025年某县政府工作报告\n", ""), encoding="utf-8")
    proc = run("-q", "import", "--no-punctuation", "--no-figures", "--no-boilerplate", "--title", "某县报告",
               "-o", "drafts", "--report", "import.log", "report.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")
    document = read_source(tmp_path / "drafts" / "report.md").document
    assert document.meta.title == ("某县报告",)
    assert document.indicators == ()
    assert "网办率达53.62%,成效明显。" in document.body_text()
    assert "来源：某某日报" in document.body_text()
    assert "half-width punctuation made full-width 0" in (tmp_path / "import.log").read_text(encoding="utf-8")


def test_files_that_cannot_be_imported_are_refused_with_advice(tmp_path):
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    proc = run("import", "old.doc", "scan.pdf", "missing.txt", cwd=tmp_path)
    assert proc.returncode == 1  # the same status as a source `exporter check` cannot read
    assert proc.stderr.splitlines() == [
        "old.doc: error: cannot import '.doc' files: save it as .docx in Word or WPS first",
        "scan.pdf: error: not a readable PDF file (PDFSyntaxError: No /Root object! - Is this really a PDF?); "
        "the file is truncated or corrupt: download or export it again",
        "missing.txt: error: no such file",
    ]
    assert not (tmp_path / "source").exists()


def test_help_lists_every_switch():
    proc = run("import", "--help", cwd=ROOT)
    for switch in ("--no-punctuation", "--no-width", "--no-invisible", "--no-spaces", "--no-rejoin",
                   "--no-furniture", "--no-boilerplate", "--no-figures", "--title", "--force", "-o, --output"):
        assert switch in proc.stdout


def test_a_draft_that_would_fail_check_is_never_written(tmp_path, monkeypatch):
    """The safety net behind the emitter: a draft the reader rejects is reported, not written."""
    from click.testing import CliRunner

    from exporter import cli
    from exporter.importer import command, import_text

    def broken_import(path, options):
        result = import_text(TEXT)
        result.markdown = result.markdown.replace("fig_001", "Fig 1")  # an id the reader refuses
        return result

    monkeypatch.setattr(command, "import_file", broken_import)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.txt").write_text(TEXT, encoding="utf-8")
    proc = CliRunner().invoke(cli.main, ["import", "report.txt"])
    assert proc.exit_code == 70
    errors = proc.stderr.splitlines()
    assert errors[0] == ("report.txt: error: the draft for source/report.md would not pass `exporter check`, so it "
                         "was not written; this is a bug in `exporter import`: please report it with this file")
    assert errors[1].startswith("source/report.md:") and len(errors) >= 2
    assert "check: not written: " in proc.stdout
    assert not (tmp_path / "source").exists()


def test_control_characters_are_removed_and_counted(tmp_path):
    (tmp_path / "report.txt").write_bytes(TEXT.replace("成效明显", "成\x7f效\x0b明\x1b显").encode("utf-8"))
    proc = run("import", "report.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "control characters removed 3" in proc.stdout
    assert "成效明显" in read_source(tmp_path / "source" / "report.md").document.body_text()
