"""-j N keeps N worker processes and hands them sources: a worker imports the writers and
loads its fonts once for many sources, and one the OOM killer takes is replaced, failing
only the source it held. Counted from the steps each process reaches (exporter.faults),
never from timings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from support.paths import ROOT

GOOD = ROOT / "tests" / "fixtures" / "full-furniture.md"
FORMATS = ("docx", "pdf", "xlsx")
DEADLINE = 300


def run(*args: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exporter", *args], cwd=cwd, text=True, capture_output=True,
                          env={**os.environ, **env}, timeout=DEADLINE)


def readers(log: Path) -> dict[str, list[str]]:
    """PID → the sources that process read, from EXPORTER_FAULT_LOG."""
    found: dict[str, list[str]] = defaultdict(list)
    for line in log.read_text(encoding="utf-8").splitlines():
        pid, step, stem = line.split(" ")
        if step == "read":
            found[pid].append(stem)
    return found


def batch_of(tmp_path: Path, stems: list[str]) -> None:
    (tmp_path / "batch").mkdir()
    for stem in stems:
        shutil.copy(GOOD, tmp_path / "batch" / f"{stem}.md")


def test_two_workers_export_six_sources_between_them(tmp_path):
    stems = ["a", "b", "c", "d", "e", "f"]
    batch_of(tmp_path, stems)
    log = tmp_path / "steps.log"
    proc = run("all", "batch", "-o", "out", "-j", "2", cwd=tmp_path, env={"EXPORTER_FAULT_LOG": str(log)})
    assert proc.returncode == 0, proc.stderr
    by_process = readers(log)
    assert sorted(s for sources in by_process.values() for s in sources) == stems
    assert len(by_process) == 2 and all(len(sources) >= 1 for sources in by_process.values())
    outputs = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert outputs == sorted(f"{s}.{e}" for s in stems for e in FORMATS)


def test_a_killed_worker_is_replaced_and_fails_only_its_source(tmp_path):
    stems = ["a", "b", "c", "d", "e"]
    batch_of(tmp_path, stems)
    log = tmp_path / "steps.log"
    proc = run("all", "batch", "-o", "out", "-j", "2", cwd=tmp_path,
               env={"EXPORTER_FAULT_LOG": str(log), "EXPORTER_FAULT": "kill@read:b"})
    assert proc.returncode == 70 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[-1] == "4 of 5 sources exported, 1 failed: batch/b.md"
    by_process = readers(log)
    assert sorted(s for sources in by_process.values() for s in sources) == stems
    assert len(by_process) == 3  # the two first workers, and the one that replaced b's
    outputs = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert outputs == sorted(f"{s}.{e}" for s in stems if s != "b" for e in FORMATS)
