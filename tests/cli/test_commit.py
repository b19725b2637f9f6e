"""The commit guarantees, tested deterministically by stopping a run at an exact step
(exporter.faults, driven by EXPORTER_FAULT) instead of by timers.

* a kill at every step of the commit leaves each output old or new, and the next run in the
  folder (of any source) rolls the interrupted commit forward or back, never leaving a mix;
* runs on one folder never hold its lock at the same time, never touch each other's
  temporaries, and all succeed;
* -j runs sources at the same time, and a child killed by the OOM killer fails alone;
* in a shared (sticky) folder, a target someone else owns stops the set before any rename.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.paths import ROOT

GOOD = ROOT / "tests" / "fixtures" / "full-furniture.md"
OLD_TEXT = GOOD.read_text(encoding="utf-8").replace("法治政府建设情况的报告", "法治政府建设情况的报告（旧版）", 1)
OTHER_TEXT = "---\ntitle: 另一份报告\ndate: 2024-03-01\n---\n\n另一份报告的正文。\n"
FORMATS = ("docx", "pdf", "xlsx")
# Every step of a commit of the three formats, in order; the manifest is the fourth rename.
STEPS = ["write-pdf", "staged", "checked", "journal", "rename-1", "rename-2", "rename-3", "rename-4", "committed"]
FIRST_STEP_AFTER_JOURNAL = STEPS.index("journal")
DEADLINE = 300  # seconds; only a guard against a hung run, never what a test waits for


def exporter(*args: str, cwd: Path, env: dict | None = None, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "exporter", *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})}, **popen)


def run(*args: str, cwd: Path, env: dict | None = None, **popen) -> subprocess.CompletedProcess:
    proc = exporter(*args, cwd=cwd, env=env, **popen)
    out, err = proc.communicate(timeout=DEADLINE)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def visible(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def bookkeeping(folder: Path) -> list[str]:
    """What a finished run may leave besides the outputs: the lock file and the manifest."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def wait_for(predicate, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def old_and_new(tmp_path_factory):
    """An output folder holding the outputs of the old source, and the bytes of the new one's."""
    work = tmp_path_factory.mktemp("versions")
    (work / "report.md").write_text(OLD_TEXT, encoding="utf-8")
    assert run("all", "report.md", "-o", "old", cwd=work).returncode == 0
    (work / "new").mkdir()
    shutil.copy(GOOD, work / "new" / "report.md")
    assert run("all", "report.md", "-o", "out", cwd=work / "new").returncode == 0  # the workbook names "report.md"
    old, new = visible(work / "old"), visible(work / "new" / "out")
    assert sorted(old) == sorted(new) == [f"report.{ext}" for ext in FORMATS]
    assert all(old[name] != new[name] for name in old)
    return work / "old", old, new


def _folder_with_old_outputs(tmp_path: Path, old_folder: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(old_folder, out)
    shutil.copy(GOOD, tmp_path / "report.md")
    (tmp_path / "other.md").write_text(OTHER_TEXT, encoding="utf-8")
    return out


@pytest.mark.parametrize("step", STEPS)
def test_a_kill_at_each_step_of_the_commit_is_finished_or_undone_by_the_next_run(tmp_path, old_and_new, step):
    old_folder, old, new = old_and_new
    out = _folder_with_old_outputs(tmp_path, old_folder)
    killed = run("all", "report.md", "-o", "out", cwd=tmp_path, env={"EXPORTER_FAULT": f"kill@{step}"})
    assert killed.returncode == -9, killed.stderr
    for name, data in visible(out).items():
        assert data in (old[name], new[name]), f"{name} is partial after a kill at {step}"
    # The next run in the folder, of another source, finishes the interrupted commit (after the
    # journal was written) or leaves the old set (before), and removes what the killed run left.
    assert run("all", "other.md", "-o", "out", cwd=tmp_path).returncode == 0
    expected = new if STEPS.index(step) >= FIRST_STEP_AFTER_JOURNAL else old
    after = visible(out)
    assert {name: after[name] for name in old} == expected, f"a mixed or wrong set after a kill at {step}"
    assert bookkeeping(out) == [".exporter-manifest.json", ".exporter.lock"]
    # The manifest knows every file in place, so the next export replaces them without --force.
    again = run("all", "report.md", "-o", "out", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert {name: visible(out)[name] for name in new} == new


def _gate(tmp_path: Path) -> Path:
    gate = tmp_path / "gate"
    gate.mkdir()
    return gate


def test_runs_on_one_folder_take_its_lock_in_turn(tmp_path):
    """While one run holds the folder's lock, another that wants it waits (the log of steps
    shows no overlap); both then succeed."""
    shutil.copy(GOOD, tmp_path / "a.md")
    (tmp_path / "b.md").write_text(OTHER_TEXT, encoding="utf-8")
    gate, log = _gate(tmp_path), tmp_path / "steps.log"
    holder = exporter("all", "a.md", "-o", "out", cwd=tmp_path, env={
        "EXPORTER_FAULT": "hold@locked", "EXPORTER_FAULT_GATE": str(gate), "EXPORTER_FAULT_LOG": str(log)})
    try:
        wait_for(lambda: any(gate.iterdir()), "the first run to hold the lock")
        waiter = exporter("all", "b.md", "-o", "out", cwd=tmp_path, env={"EXPORTER_FAULT_LOG": str(log)})
        wait_for(lambda: f"{waiter.pid} lock-wanted" in log.read_text(encoding="utf-8"),
                 "the second run to ask for the lock")
    finally:
        (gate / "release").touch()
    assert holder.wait(DEADLINE) == 0 and waiter.wait(DEADLINE) == 0, holder.stderr.read() + waiter.stderr.read()
    holding = None
    for line in log.read_text(encoding="utf-8").splitlines():
        pid, step, _stem = line.split(" ")
        if step == "locked":
            assert holding is None, f"process {pid} took the lock while {holding} held it"
            holding = pid
        elif step == "unlocking":
            assert holding == pid
            holding = None
    assert sorted(visible(tmp_path / "out")) == sorted(f"{s}.{e}" for s in ("a", "b") for e in FORMATS)


@pytest.mark.parametrize("second", ["report.md", "report.v2.md"])
def test_a_run_never_touches_the_temporaries_of_another_live_run(tmp_path, second):
    """Run A has written its temporaries and is about to commit; run B (the same source, or one
    whose name extends A's) exports into the same folder meanwhile. Both succeed, and A's
    temporaries survive B's clean-up."""
    shutil.copy(GOOD, tmp_path / "report.md")
    if second != "report.md":
        (tmp_path / second).write_text(OTHER_TEXT, encoding="utf-8")
    gate = _gate(tmp_path)
    first = exporter("all", "report.md", "-o", "out", cwd=tmp_path,
                     env={"EXPORTER_FAULT": "hold@staged", "EXPORTER_FAULT_GATE": str(gate)})
    try:
        wait_for(lambda: any(gate.iterdir()), "the first run to stage its outputs")
        temporaries = sorted(p.name for p in (tmp_path / "out").glob(".exporter-*.tmp"))
        assert len(temporaries) == 3
        other = run("all", second, "-o", "out", cwd=tmp_path)
        assert other.returncode == 0, other.stderr
        assert sorted(p.name for p in (tmp_path / "out").glob(".exporter-*.tmp")) == temporaries
    finally:
        (gate / "release").touch()
    _, err = first.communicate(timeout=DEADLINE)
    assert first.returncode == 0, err
    out = tmp_path / "out"
    assert bookkeeping(out) == [".exporter-manifest.json", ".exporter.lock"]
    stems = {"report", Path(second).stem}
    assert sorted(visible(out)) == sorted(f"{s}.{e}" for s in stems for e in FORMATS)


def test_jobs_export_sources_at_the_same_time(tmp_path):
    """With -j 2 both sources are read and held at once, which only parallel runs can do."""
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(GOOD, batch / "a.md")
    (batch / "b.md").write_text(OTHER_TEXT, encoding="utf-8")
    gate = _gate(tmp_path)
    proc = exporter("all", "batch", "-o", "out", "-j", "2", cwd=tmp_path,
                    env={"EXPORTER_FAULT": "hold@read", "EXPORTER_FAULT_GATE": str(gate)})
    try:
        def holders_so_far() -> set[str]:
            return {p.name.split(".", 1)[1] for p in gate.glob("read.*")}

        # A source held in the parent itself means sources run one after another: fail at once.
        wait_for(lambda: len(holders_so_far()) == 2 or str(proc.pid) in holders_so_far() or proc.poll() is not None,
                 "both sources to be read at once")
        holders = holders_so_far()
        assert len(holders) == 2 and str(proc.pid) not in holders
    finally:
        (gate / "release").touch()
        _, err = proc.communicate(timeout=DEADLINE)
    assert proc.returncode == 0, err
    assert sorted(visible(tmp_path / "out")) == sorted(f"{s}.{e}" for s in ("a", "b") for e in FORMATS)


def test_a_child_killed_by_the_oom_killer_fails_its_source_alone(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    for stem in ("a", "b", "c"):
        shutil.copy(GOOD, batch / f"{stem}.md")
    proc = run("all", "batch", "-o", "out", "-j", "2", cwd=tmp_path, env={"EXPORTER_FAULT": "kill@read:b"})
    assert proc.returncode == 70 and "Traceback" not in proc.stderr
    assert ("batch/b.md: error: the process exporting this source was killed by SIGKILL (often the out-of-memory "
            "killer); its earlier outputs are unchanged") in proc.stderr.splitlines()
    assert proc.stderr.splitlines()[-1] == "2 of 3 sources exported, 1 failed: batch/b.md"
    assert sorted(visible(tmp_path / "out")) == sorted(f"{s}.{e}" for s in ("a", "c") for e in FORMATS)


FOLDER_OWNER, SOMEONE_ELSE = 65532, 65533


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv to give files to other users and drop CAP_FOWNER")
def test_a_target_another_user_owns_in_a_sticky_folder_stops_the_set_before_any_rename(tmp_path, old_and_new):
    """In a shared folder (mode 1777) the kernel lets only a file's owner (or the folder's)
    replace it: the run must find that out before it renames anything, and name the target.
    The run is root without CAP_FOWNER, which the sticky bit binds like any user."""
    _old_folder, _old, new = old_and_new
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chown(shared, FOLDER_OWNER, FOLDER_OWNER)
    shared.chmod(0o1777)
    (shared / "report.md").write_text(OLD_TEXT, encoding="utf-8")
    assert run("all", "report.md", "-o", ".", cwd=shared).returncode == 0
    old = {name: (shared / name).read_bytes() for name in new}
    os.chown(shared / "report.pdf", SOMEONE_ELSE, SOMEONE_ELSE)
    (shared / "report.md").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    proc = subprocess.run(["setpriv", "--bounding-set", "-fowner", sys.executable, "-m", "exporter",
                           "all", "report.md", "-o", "."], cwd=shared, capture_output=True, text=True,
                          timeout=DEADLINE)
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == ("report.pdf: error: cannot write output: owned by another user in a shared "
                                   "folder (sticky bit), so it cannot be replaced")
    assert {name: (shared / name).read_bytes() for name in new} == old
    assert not list(shared.glob(".exporter-*.tmp")) and not list(shared.glob(".exporter-*.journal"))


def test_a_same_named_source_from_another_folder_does_not_replace_the_first_ones_files(tmp_path):
    """县A/report.md then 县B/report.md into one folder, in two runs: the second is refused (exit 4),
    the first county's files stay byte for byte; --force replaces them."""
    from click.testing import CliRunner

    from exporter.cli import main

    seed = (ROOT / "source" / "yaoan-2021.md").read_text(encoding="utf-8")
    for county in ("A", "B"):
        (tmp_path / county).mkdir()
        (tmp_path / county / "report.md").write_text(seed.replace("姚安县2021年", f"{county}县2021年"), encoding="utf-8")
    out = tmp_path / "out"
    first = CliRunner().invoke(main, ["-q", "all", str(tmp_path / "A" / "report.md"), "-o", str(out)])
    assert first.exit_code == 0, first.output
    kept = {p.name: p.read_bytes() for p in out.glob("report.*")}
    again = CliRunner().invoke(main, ["-q", "all", str(tmp_path / "A" / "report.md"), "-o", str(out)])
    assert again.exit_code == 0, again.output
    other = CliRunner().invoke(main, ["-q", "all", str(tmp_path / "B" / "report.md"), "-o", str(out)])
    assert other.exit_code == 4
    assert "report.docx: error: cannot write output: was written from another source file of the same name" in other.stderr
    assert {p.name: p.read_bytes() for p in out.glob("report.*")} == kept
    forced = CliRunner().invoke(main, ["-q", "all", str(tmp_path / "B" / "report.md"), "-o", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    assert {p.name: p.read_bytes() for p in out.glob("report.*")} != kept
