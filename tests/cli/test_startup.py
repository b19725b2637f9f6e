"""What each command imports: start-up is most of a `check` and a third of an `all`, so a
command loads only what it uses (issue 17). Read from Python's own import log of a real run."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from support.paths import ROOT

SEED = ROOT / "source" / "yaoan-2021.md"


def imported_by(*arguments: str, tmp_path) -> set[str]:
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "exporter", "-q", *arguments],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    return {m.group(1) for m in re.finditer(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", run.stderr, re.M)}


def top_level(modules: set[str]) -> set[str]:
    """Packages of which a module was loaded ("numpy" alone is the attempt the CLI turns away)."""
    return {name.split(".")[0] for name in modules if "." in name or name not in ("numpy",)}


def test_check_imports_no_writer_and_no_importer(tmp_path):
    modules = imported_by("check", str(SEED), tmp_path=tmp_path)
    assert "exporter.reader" in modules  # the log is read right
    assert not top_level(modules) & {"reportlab", "docx", "openpyxl", "pdfplumber", "numpy"}
    assert not {m for m in modules if m.startswith(("exporter.writers.", "exporter.importer"))}


def test_all_imports_neither_the_importer_nor_numpy(tmp_path):
    pytest.importorskip("numpy")  # installed with pandas; openpyxl would import it unasked
    modules = imported_by("all", str(SEED), "-o", str(tmp_path / "out"), tmp_path=tmp_path)
    assert {"reportlab", "docx", "openpyxl"} <= top_level(modules)
    assert not top_level(modules) & {"numpy", "pdfplumber"}
    assert not {m for m in modules if m.startswith("exporter.importer")}
