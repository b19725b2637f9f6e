"""Bad input never costs earlier work: every case gives its located message, its exit status,
no traceback, and leaves the previous outputs byte for byte as they were, with no stray files.

The good outputs are made once per session by `exporter all`; each case then writes a broken
source under the same name and runs `exporter all` again into a copy of that folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.test_errors import CASES as READER_CASES

from support.paths import ROOT
GOOD = ROOT / "tests" / "fixtures" / "full-furniture.md"
STEM = "report"
FM = "---\ntitle: 测试报告\n---\n\n"


def export(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exporter", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600)


@pytest.fixture(scope="session")
def good_outputs(tmp_path_factory) -> dict[str, bytes]:
    work = tmp_path_factory.mktemp("good")
    shutil.copy(GOOD, work / f"{STEM}.md")
    proc = export("all", f"{STEM}.md", "-o", "out", cwd=work)
    assert proc.returncode == 0, proc.stderr
    files = {p.name: p.read_bytes() for p in (work / "out").iterdir()}
    assert sorted(files) == [f"{STEM}.docx", f"{STEM}.pdf", f"{STEM}.xlsx"]
    return files


def _prepare(tmp_path: Path, good_outputs: dict[str, bytes]) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    for name, data in good_outputs.items():
        (out / name).write_bytes(data)
    return out


def _assert_untouched(out: Path, good_outputs: dict[str, bytes]) -> None:
    assert sorted(os.listdir(out)) == sorted(good_outputs), "stray files left behind"
    for name, data in good_outputs.items():
        assert (out / name).read_bytes() == data, f"{name} changed"


# Extra cases beyond the reader's own error list: (source bytes, "line:col", message fragment).
EXTRA_CASES = {
    "nesting_60_levels": ((FM + ">" * 60 + " 嵌套\n").encode(), "5:1", "block quotes are not supported"),
    "nesting_60_lists": ((FM + "".join("  " * k + "- 层\n" for k in range(60))).encode(), "5:1", "lists are not supported"),
    "id_200_chars": ((FM + "共[1项]{#" + "x" * 200 + " name=\"x\"}。\n").encode(), "5:2", "longer than 40 characters"),
    "heading_only_hashes": ((FM + "# \n").encode(), "5:1", "empty heading"),
    "unclosed_quote_in_attributes": ((FM + "共[1项]{#a name=\"x}。\n").encode(), "5:2", "cannot read the span"),
    "lone_surrogate_bytes": (FM.encode() + b"\xed\xa0\x80\n", "5:1", "not UTF-8"),
    "u_fffe": ((FM + "文\ufffe字\n").encode(), "5:2", "U+FFFE"),
    "nul_byte": ((FM + "文\x00字\n").encode(), "5:2", "U+0000"),
}

ALL_CASES = {**{f"reader_{k}": v for k, v in READER_CASES.items()}, **EXTRA_CASES}


def test_suite_is_large_enough():
    assert len(ALL_CASES) >= 40


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_bad_source_keeps_earlier_outputs(tmp_path, good_outputs, name):
    data, where, fragment = ALL_CASES[name]
    out = _prepare(tmp_path, good_outputs)
    (tmp_path / f"{STEM}.md").write_bytes(data)
    proc = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert any(line.startswith(f"{STEM}.md:{where}: error: ") and fragment in line
               for line in proc.stderr.splitlines()), proc.stderr
    _assert_untouched(out, good_outputs)


def test_symlink_loop(tmp_path, good_outputs):
    out = _prepare(tmp_path, good_outputs)
    os.symlink(f"{STEM}.md", tmp_path / f"{STEM}.md")
    proc = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"{STEM}.md: error: cannot read: Too many levels of symbolic links")
    _assert_untouched(out, good_outputs)


def test_missing_source(tmp_path, good_outputs):
    out = _prepare(tmp_path, good_outputs)
    proc = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    assert (proc.returncode, proc.stderr.strip()) == (1, f"{STEM}.md: error: no such file")
    _assert_untouched(out, good_outputs)


def test_source_is_a_folder_of_nothing(tmp_path):
    (tmp_path / "empty").mkdir()
    proc = export("all", "empty", cwd=tmp_path)
    assert proc.returncode == 2 and "no sources" in proc.stderr and "Traceback" not in proc.stderr


def test_broken_profile_exits_3(tmp_path, good_outputs):
    out = _prepare(tmp_path, good_outputs)
    shutil.copy(GOOD, tmp_path / f"{STEM}.md")
    (tmp_path / "bad.toml").write_text("[page\n", encoding="utf-8")
    proc = export("all", f"{STEM}.md", "-o", "out", "--profile", "bad.toml", cwd=tmp_path)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("bad.toml:1:") and "invalid TOML" in proc.stderr
    _assert_untouched(out, good_outputs)


def test_output_path_is_a_file_exits_4(tmp_path):
    shutil.copy(GOOD, tmp_path / f"{STEM}.md")
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    proc = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == "out: error: output path is not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_unwritable_output_folder_exits_4(tmp_path, good_outputs):
    out = _prepare(tmp_path, good_outputs)
    shutil.copy(GOOD, tmp_path / f"{STEM}.md")
    out.chmod(0o555)
    try:
        proc = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    finally:
        out.chmod(0o755)
    assert proc.returncode == 4 and "not writable" in proc.stderr
    _assert_untouched(out, good_outputs)


def test_target_occupied_by_a_folder_exits_4_and_keeps_the_rest(tmp_path, good_outputs):
    """A target that cannot be replaced (here a folder where the .xlsx goes) stops the whole set."""
    out = _prepare(tmp_path, good_outputs)
    (out / f"{STEM}.xlsx").unlink()
    (out / f"{STEM}.xlsx").mkdir()
    shutil.copy(GOOD, tmp_path / f"{STEM}.md")
    proc = export("all", f"{STEM}.md", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    assert f"{STEM}.xlsx: error: cannot write output" in proc.stderr
    assert (out / f"{STEM}.docx").read_bytes() == good_outputs[f"{STEM}.docx"]
    assert (out / f"{STEM}.pdf").read_bytes() == good_outputs[f"{STEM}.pdf"]
    assert sorted(os.listdir(out)) == sorted(good_outputs)


def test_one_bad_source_does_not_stop_the_batch(tmp_path):
    src = tmp_path / "batch"
    src.mkdir()
    shutil.copy(GOOD, src / "a.md")
    (src / "b.md").write_text("no front matter\n", encoding="utf-8")
    shutil.copy(GOOD, src / "c 报告 副本.md")
    proc = export("all", "batch", "-o", "out", "--jobs", "2", cwd=tmp_path)
    assert proc.returncode == 1
    assert "batch/b.md:1:1: error: no front matter" in proc.stderr
    assert "2 of 3 sources exported, 1 failed: batch/b.md" in proc.stderr
    assert sorted(os.listdir(tmp_path / "out")) == sorted(
        [f"{stem}.{ext}" for stem in ("a", "c 报告 副本") for ext in ("docx", "pdf", "xlsx")]
    )
