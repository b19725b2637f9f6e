"""`exporter all` as a pipeline: reproducible bytes, progress only on a terminal, -q/-v."""

from __future__ import annotations

import os
import re
import pty
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from support.paths import ROOT
SEED = ROOT / "source" / "yaoan-2021.md"
FULL = ROOT / "tests" / "fixtures" / "full-furniture.md"


def export(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exporter", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=600)


def test_two_runs_give_identical_bytes(tmp_path):
    for run in ("first", "second"):
        proc = export("all", str(SEED), str(FULL), "-o", run, cwd=tmp_path, env={"PYTHONHASHSEED": str(len(run))})
        assert proc.returncode == 0, proc.stderr
    first = sorted(p for p in (tmp_path / "first").iterdir() if not p.name.startswith("."))
    assert [p.name for p in first] == sorted(f"{s}.{e}" for s in ("yaoan-2021", "full-furniture")
                                             for e in ("docx", "pdf", "xlsx"))
    for path in first:
        assert path.read_bytes() == (tmp_path / "second" / path.name).read_bytes(), path.name


def test_source_date_epoch_sets_the_stamped_date(tmp_path):
    proc = export("all", str(FULL), "-o", "a", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert proc.returncode == 0, proc.stderr
    proc = export("all", str(FULL), "-o", "b", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for ext in ("docx", "pdf", "xlsx"):
        assert (tmp_path / "a" / f"full-furniture.{ext}").read_bytes() != (tmp_path / "b" / f"full-furniture.{ext}").read_bytes()
    with zipfile.ZipFile(tmp_path / "a" / "full-furniture.docx") as package:
        core = package.read("docProps/core.xml").decode()
    assert "2023-11-14T22:13:20Z" in core


def _run_on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run with stderr on a pseudo-terminal, as a user at a shell would."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "exporter", *args], cwd=cwd, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for k in range(3):
        shutil.copy(FULL, folder / f"r{k}.md")
    code, screen = _run_on_a_terminal(["all", "batch", "-o", "out"], tmp_path)
    assert code == 0
    assert "exporting" in screen and "3/3" in screen
    assert "3 of 3 sources exported" in screen
    proc = export("all", "batch", "-o", "out2", cwd=tmp_path)
    assert proc.returncode == 0
    # Besides the count, at most the one warning about substitute fonts (issue 15), once per run.
    lines = [ln for ln in proc.stderr.splitlines() if "substitute faces for the official fonts" not in ln]
    assert len(proc.stderr.splitlines()) - len(lines) <= 1
    assert "exporting" not in proc.stderr and lines == ["3 of 3 sources exported"]
    proc = export("-q", "all", "batch", "-o", "out3", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")
    proc = export("-v", "all", "batch", "-o", "out4", cwd=tmp_path)
    assert proc.returncode == 0
    assert sorted(line for line in proc.stderr.splitlines() if line.startswith("wrote ")) == sorted(
        f"wrote out4/r{k}.{ext}" for k in range(3) for ext in ("docx", "pdf", "xlsx"))


def test_a_source_without_date_or_period_stamps_a_fixed_date_not_the_clock(tmp_path):
    """Without 成文日期 or period (and without SOURCE_DATE_EPOCH) every file carries 2000-01-01,
    so tomorrow's export of the same source gives the same bytes."""
    (tmp_path / "undated.md").write_text("---\ntitle: 无日期的报告\n---\n\n正文。\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    proc = subprocess.run([sys.executable, "-m", "exporter", "all", "undated.md", "-o", "out"], capture_output=True,
                          text=True, cwd=tmp_path, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    for ext in ("docx", "xlsx"):
        with zipfile.ZipFile(tmp_path / "out" / f"undated.{ext}") as package:
            core = package.read("docProps/core.xml").decode()
        stamps = re.findall(r"<dcterms:(created|modified)[^>]*>([^<]+)<", core)
        assert sorted(stamps) == [("created", "2000-01-01T00:00:00Z"), ("modified", "2000-01-01T00:00:00Z")], ext
    info = PdfReader(str(tmp_path / "out" / "undated.pdf")).metadata
    assert info["/CreationDate"].startswith("D:20000101000000") and info["/ModDate"].startswith("D:20000101000000")


def test_substitute_fonts_are_warned_about_once_for_the_whole_run(tmp_path):
    """`exporter all` lists, in one warning, the official fonts the PDFs printed with other faces
    (issue 15). Which are installed is asked of fontconfig, not of exporter."""
    official = {"仿宋_GB2312": "FangSong_GB2312", "黑体": "SimHei"}
    missing = [name for name, alias in official.items()
               if not any(subprocess.run(["fc-list", f":family={family}", "family"], capture_output=True,
                                         text=True).stdout.strip() for family in (name, alias))]
    if not missing:
        pytest.skip("the official fonts are installed: nothing is substituted")
    folder = tmp_path / "batch"
    folder.mkdir()
    for k in range(3):
        shutil.copy(FULL, folder / f"r{k}.md")
    proc = export("all", "batch", "-o", "out", "-j", "2", cwd=tmp_path)
    assert proc.returncode == 0
    warnings = [ln for ln in proc.stderr.splitlines() if "substitute faces" in ln]
    assert len(warnings) == 1, proc.stderr
    assert warnings[0].startswith("export: warning: the PDF uses substitute faces for the official fonts: ")
    for name in missing:
        assert f"{name} → " in warnings[0]
