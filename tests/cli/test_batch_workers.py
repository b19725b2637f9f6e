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


def test_workers_die_with_a_parent_killed_with_sigkill(tmp_path):
    """kill -9 of `exporter all -j 2` must not leave workers that go on committing outputs (or
    wait for a parent that is gone, holding their memory)."""
    import signal
    import time

    batch_of(tmp_path, ["a", "b"])
    gate = tmp_path / "gate"
    gate.mkdir()
    parent = subprocess.Popen([sys.executable, "-m", "exporter", "all", "batch", "-o", "out", "-j", "2"],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "EXPORTER_FAULT": "hold@read", "EXPORTER_FAULT_GATE": str(gate)})
    try:
        deadline = time.monotonic() + DEADLINE
        while len(list(gate.glob("read.*"))) < 2:
            assert time.monotonic() < deadline and parent.poll() is None, "the workers never read their sources"
            time.sleep(0.02)
        workers = [int(p.name.split(".")[1]) for p in gate.glob("read.*")]
        assert parent.pid not in workers
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=60)
    finally:
        (gate / "release").touch()
    deadline = time.monotonic() + 60
    while any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived its parent"
        time.sleep(0.05)
    assert not (tmp_path / "out").exists() or not [p for p in (tmp_path / "out").iterdir()
                                                    if p.suffix in (".docx", ".pdf", ".xlsx")]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0].lower()
    except (OSError, IndexError):
        return "zombie"
