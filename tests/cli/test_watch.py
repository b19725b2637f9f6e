"""`exporter watch`: a saved source is exported again, a broken one keeps the last good
outputs and says where it is broken, Ctrl-C exits 130. Every wait is on the files (the
manifest's record of what was written) or the printed lines, with a generous deadline that
only guards against a hang; nothing here depends on how fast the export is."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import docx as python_docx

from support.paths import ROOT

GOOD = ROOT / "tests" / "fixtures" / "full-furniture.md"
DEADLINE = 300


class Watcher:
    def __init__(self, cwd: Path, *args: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "exporter", "watch", *args], cwd=cwd, text=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, predicate, what: str) -> None:
        deadline = time.monotonic() + DEADLINE
        while not predicate():
            assert self.proc.poll() is None, f"watch ended ({self.proc.returncode}) waiting for {what}: {self.lines}"
            assert time.monotonic() < deadline, f"timed out waiting for {what}: {self.lines}"
            time.sleep(0.02)

    def stop(self) -> int:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)  # Ctrl-C at a terminal reaches the whole group
        code = self.proc.wait(timeout=DEADLINE)
        self.reader.join(timeout=DEADLINE)
        return code


def written(out: Path) -> dict[str, str]:
    try:
        return json.loads((out / ".exporter-manifest.json").read_text(encoding="utf-8"))["written"]
    except (OSError, ValueError, KeyError):
        return {}


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in python_docx.Document(str(path)).paragraphs]


def test_watch_exports_each_save_keeps_the_last_good_outputs_and_exits_130(tmp_path):
    source = tmp_path / "report.md"
    shutil.copy(GOOD, source)
    out = tmp_path / "out"
    watcher = Watcher(tmp_path, "report.md", "-o", "out")
    try:
        watcher.wait_for(lambda: sorted(written(out)) == ["report.docx", "report.pdf", "report.xlsx"],
                         "the first export")
        first = written(out)
        text = GOOD.read_text(encoding="utf-8")
        marker = "这一句是保存后加入的。"
        edited = text.rstrip("\n") + "\n\n" + marker + "\n"
        source.write_text(edited, encoding="utf-8")
        watcher.wait_for(lambda: all(written(out).get(n) not in (None, first[n]) for n in first), "the re-export")
        assert marker in paragraphs(out / "report.docx")
        good = {name: (out / name).read_bytes() for name in first}
        assert any(line.endswith("report.md: exported again in " + line.rsplit(" in ", 1)[-1])
                   for line in watcher.lines)

        broken_line = len(edited.splitlines()) + 2
        source.write_text(edited + "\n[x]{#bad name=\"比例\"}\n", encoding="utf-8")
        watcher.wait_for(lambda: any(": error: " in line for line in watcher.lines), "the error")
        watcher.wait_for(lambda: any("not exported" in line for line in watcher.lines), "the failed export")
        assert any(line.startswith(f"report.md:{broken_line}:1: error: ") for line in watcher.lines), watcher.lines
        assert {name: (out / name).read_bytes() for name in first} == good
    finally:
        code = watcher.stop()
    assert code == 130 and not any("Traceback" in line for line in watcher.lines), watcher.lines
    assert watcher.lines[-1] == "exporter: stopped"
    assert not list(out.glob(".exporter-*.tmp"))
    # The substitute-face warning (on a machine without the official fonts) is said once, not on
    # every save: as often as a single export says it.
    shutil.copy(GOOD, tmp_path / "good.md")
    once = subprocess.run([sys.executable, "-m", "exporter", "all", "good.md", "-o", "again"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=DEADLINE)
    assert once.returncode == 0, once.stderr
    faces = "the PDF uses substitute faces"
    assert sum(faces in line for line in watcher.lines) == sum(faces in line for line in once.stderr.splitlines())


def test_watch_with_nothing_to_watch_is_a_usage_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "exporter", "watch"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=DEADLINE)
    assert proc.returncode == 2 and "no sources" in proc.stderr
