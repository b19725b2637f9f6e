"""Ctrl-C exits 130 in every command at every step, and no failure shows a traceback.

Ctrl-C is delivered at an exact step (EXPORTER_FAULT=interrupt@STEP sends SIGINT to the run
itself there), not after a timer, so each case is tested every time.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter import cli

from support.paths import ROOT

GOOD = ROOT / "tests" / "fixtures" / "full-furniture.md"
OLD_TEXT = GOOD.read_text(encoding="utf-8").replace("法治政府建设情况的报告", "法治政府建设情况的报告（旧版）", 1)
INTERRUPTED = "exporter: interrupted"
INTERRUPTED_EXPORT = "exporter: interrupted; the outputs of unfinished sources are unchanged"


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exporter", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=600)


def visible(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """report.md (new) beside out/ holding the outputs of its older version, and notes.txt to import."""
    (tmp_path / "report.md").write_text(OLD_TEXT, encoding="utf-8")
    assert run("all", "report.md", "-o", "out", cwd=tmp_path).returncode == 0
    shutil.copy(GOOD, tmp_path / "report.md")
    (tmp_path / "notes.txt").write_text("某县工作报告\n一、工作回顾\n全年办结案件12件。\n", encoding="utf-8")
    return tmp_path


EXPORT = ["all", "report.md", "-o", "out"]
# (arguments, step, last line of stderr). The earliest step is before the CLI module is imported.
CASES = [
    (EXPORT, "start", INTERRUPTED),
    (EXPORT, "read", INTERRUPTED_EXPORT),
    (EXPORT, "write-pdf", INTERRUPTED_EXPORT),
    (EXPORT, "staged", INTERRUPTED_EXPORT),
    (EXPORT, "checked", INTERRUPTED_EXPORT),
    (["pdf", "report.md", "-o", "out"], "write-pdf", INTERRUPTED_EXPORT),
    (["xlsx", "--combine", "out/report.xlsx", "report.md"], "read", INTERRUPTED_EXPORT),
    (["xlsx", "--combine", "out/report.xlsx", "report.md"], "staged", INTERRUPTED_EXPORT),
    (["check", "report.md"], "start", INTERRUPTED),
    (["check", "report.md"], "read", INTERRUPTED),
    (["fonts", "report.md"], "read", INTERRUPTED),
    (["fonts", "report.md"], "start", INTERRUPTED),
    (["import", "notes.txt", "-o", "drafts"], "start", INTERRUPTED),
    (["import", "notes.txt", "-o", "drafts"], "locked", INTERRUPTED),
]


@pytest.mark.parametrize("args, step, message", CASES, ids=[f"{a[0]}-{s}" for a, s, _ in CASES])
def test_ctrl_c_exits_130_and_changes_nothing(project, args, step, message):
    before = visible(project / "out")
    proc = run(*args, cwd=project, env={"EXPORTER_FAULT": f"interrupt@{step}"})
    assert proc.returncode == 130 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[-1] == message
    assert visible(project / "out") == before
    assert sorted(p.name for p in (project / "out").glob(".exporter*")) == [".exporter-manifest.json",
                                                                            ".exporter.lock"]
    assert not (project / "drafts" / "notes.md").exists()


@pytest.mark.parametrize("step", ["journal", "rename-2"])
def test_ctrl_c_during_the_renames_takes_effect_once_the_set_is_whole(project, step):
    """The renames take milliseconds: they finish, then the run stops with 130."""
    proc = run(*EXPORT, cwd=project, env={"EXPORTER_FAULT": f"interrupt@{step}"})
    assert proc.returncode == 130 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[-1] == INTERRUPTED_EXPORT
    reference = project / "reference"
    assert run(*EXPORT[:2], "-o", "reference", cwd=project).returncode == 0
    assert visible(project / "out") == visible(reference)
    assert not list((project / "out").glob(".exporter-*.*[tl]"))


def held_batch(project: Path, out: str, **popen) -> tuple[subprocess.Popen, Path, list[int]]:
    """`exporter all batch -j 2` with both workers held at 'read' (until gate/release exists):
    the process, the gate and the workers' PIDs."""
    batch = project / "batch"
    batch.mkdir()
    for stem in ("a", "b"):
        shutil.copy(GOOD, batch / f"{stem}.md")
    gate = project / "gate"
    gate.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "exporter", "all", "batch", "-o", out, "-j", "2"],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "EXPORTER_FAULT": "hold@read", "EXPORTER_FAULT_GATE": str(gate)},
                            **popen)
    deadline = time.monotonic() + 300
    while len(list(gate.glob("read.*"))) < 2:
        if time.monotonic() > deadline or proc.poll() is not None:
            (gate / "release").touch()
            raise AssertionError("the workers never read their sources")
        time.sleep(0.02)
    return proc, gate, [int(p.name.split(".")[1]) for p in gate.glob("read.*")]


def test_ctrl_c_during_a_parallel_batch_stops_every_process_quietly(project):
    """Ctrl-C at a terminal reaches the whole process group: the parent and each child."""
    proc, gate, _workers = held_batch(project, "out2", start_new_session=True)
    try:
        os.killpg(proc.pid, signal.SIGINT)
    finally:
        (gate / "release").touch()
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert err.splitlines()[-1] == INTERRUPTED_EXPORT
    assert not (project / "out2").exists()  # the children stopped before they made it


# ---- no traceback ------------------------------------------------------------------------------

def test_fonts_with_a_broken_profile_exits_3(project):
    (project / "bad.toml").write_text("[page\n", encoding="utf-8")
    proc = run("fonts", "--profile", "bad.toml", "report.md", cwd=project)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("bad.toml:1:") and "invalid TOML" in proc.stderr


@pytest.mark.parametrize("args", [["check", "report.md"], ["fonts", "report.md"],
                                  ["xlsx", "--combine", "panel.xlsx", "report.md"]])
def test_a_reader_that_fails_is_an_internal_error_not_a_traceback(project, monkeypatch, args):
    def broken_reader(*_args, **_kwargs):
        raise RuntimeError("reader bug")

    monkeypatch.chdir(project)
    monkeypatch.setattr(cli, "read", broken_reader)
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 70
    assert "Traceback" not in result.output
    assert "report.md: error: internal error, please report it with this file: RuntimeError: reader bug" \
        in result.output.splitlines()
    assert not (project / "panel.xlsx").exists()


def test_import_report_into_a_missing_folder_is_written(project):
    proc = run("import", "notes.txt", "-o", "drafts", "--report", "logs/import.log", cwd=project)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert (project / "logs" / "import.log").read_text(encoding="utf-8").startswith("notes.txt -> drafts/notes.md")


def test_import_report_that_cannot_be_written_exits_4(project):
    (project / "logs").write_text("a file, not a folder", encoding="utf-8")
    proc = run("import", "notes.txt", "-o", "drafts", "--report", "logs/import.log", cwd=project)
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("logs/import.log: error: cannot write the report: ")


TERMINATIONS = [("terminate", "SIGTERM", 143), ("hangup", "SIGHUP", 129)]
STEPS = ["start", "read", "write-pdf", "staged"]


@pytest.mark.parametrize("action, name, status", TERMINATIONS, ids=[t[1] for t in TERMINATIONS])
@pytest.mark.parametrize("step", STEPS)
def test_sigterm_and_sighup_stop_a_run_as_ctrl_c_does(project, action, name, status, step):
    """`kill`, a closed terminal or a service manager: the temporaries go, the earlier outputs
    stay, the status is the shell's 128 + N, and the message says what stopped the run."""
    before = visible(project / "out")
    proc = run(*EXPORT, cwd=project, env={"EXPORTER_FAULT": f"{action}@{step}"})
    assert proc.returncode == status and "Traceback" not in proc.stderr
    expected = INTERRUPTED_EXPORT if step != "start" else INTERRUPTED
    assert proc.stderr.splitlines()[-1] == expected.replace("interrupted", f"stopped by {name}")
    assert visible(project / "out") == before
    assert sorted(p.name for p in (project / "out").glob(".exporter*")) == [".exporter-manifest.json",
                                                                            ".exporter.lock"]


def test_sigterm_stops_a_parallel_batch_started_with_sigint_ignored(project):
    """`exporter all -j 2 &` from a script starts with SIGINT ignored, which the workers inherit;
    the parent stops them with SIGINT, so SIGTERM must still end the whole batch, not hang it."""
    proc, gate, workers = held_batch(project, "out3",
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)  # a hang fails here; the workers are still held at 'read'
    finally:
        (gate / "release").touch()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143 and "Traceback" not in err, err
    assert err.splitlines()[-1] == INTERRUPTED_EXPORT.replace("interrupted", "stopped by SIGTERM")
    assert not any(Path(f"/proc/{pid}/cmdline").exists() and Path(f"/proc/{pid}/cmdline").read_bytes()
                   for pid in workers)
    assert not (project / "out3").exists() or not [p for p in (project / "out3").iterdir()
                                                    if p.suffix in (".docx", ".pdf", ".xlsx")]
