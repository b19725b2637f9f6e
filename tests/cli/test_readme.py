"""The README's Quick start stays true: CI runs its test command, and its commands name real files."""

from __future__ import annotations

import re
from pathlib import Path

from support.paths import ROOT


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)


def test_quick_start_has_two_commands():
    commands = _quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert commands[0].endswith("exporter all")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _quick_start_commands()[1] in ci.splitlines()


def test_setup_script_exists_and_is_referenced():
    for command in _quick_start_commands():
        script = command.split("&&")[0].split()[1]
        assert (ROOT / script).is_file()
