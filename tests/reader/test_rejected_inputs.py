"""Inputs a hostile-user trial found accepted, silently dropped or crashing: each is now a located
error (or a `check` warning), the same from `exporter check` and `exporter all`, read through the CLI."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from exporter.cli import main
from support.paths import FIXTURES


def write(tmp_path, front: str, body: str = "正文一段。\n"):
    path = tmp_path / "doc.md"
    path.write_text(f"---\ntitle: 测试\n{front}\n---\n\n{body}", encoding="utf-8")
    return path


def run(command: str, path, tmp_path):
    args = [command, str(path)] + (["-o", str(tmp_path / "out")] if command == "all" else [])
    return CliRunner().invoke(main, args)


def check_and_all(tmp_path, front: str, body: str = "正文一段。\n") -> tuple[str, str]:
    """The output of `check` and of `all` for one source that both must reject with exit 1."""
    path = write(tmp_path, front, body)
    outputs = []
    for command in ("check", "all"):
        result = run(command, path, tmp_path)
        assert result.exit_code == 1, (command, result.output)
        assert "Traceback" not in result.output
        outputs.append(result.output)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    return outputs[0], outputs[1]


# -- 1. an empty list is an error for every list-valued key ----------------------------------

@pytest.mark.parametrize("front, message", [
    ("issuer: 甲局\ndate: 2025-03-10\nseal: []", "5:7: error: 'seal' must be a path or a list of paths, not an empty list"),
    ("kind: 纪要\nissuer: 甲局\nattendees: []", "5:12: error: 'attendees' must be a name or a list of names, not an "
                                              "empty list"),
    ("kind: 纪要\nissuer: 甲局\nabsent: []", "5:9: error: 'absent' must be a name or a list of names, not an empty list"),
    ("kind: 纪要\nissuer: 甲局\nobservers: []", "5:12: error: 'observers' must be a name or a list of names, not an "
                                              "empty list"),
    ("kind: 令\nissuer: 甲局\nsignature_seal: []", "5:17: error: 'signature_seal' must be a path or a list of paths, "
                                                 "not an empty list"),
    ("kind: 令\nissuer: 甲局\nsigner_title: []", "5:15: error: 'signer_title' must be a 职务 or a list of them, not an "
                                               "empty list"),
    ("issuer: []", "3:9: error: 'issuer' must be a name or a list of names, not an empty list"),
    ("cc: []", "3:5: error: 'cc' must be a name or a list of names, not an empty list"),
    ("attachments: []", "3:14: error: 'attachments' must be a title or a list of titles, not an empty list"),
    ("kind: 请示\nissuer: 甲局\nsigner: []", "5:9: error: 'signer' must be a name or a list of names, not an empty list"),
    ("issuer: 甲局\nissuer_mark: []", "4:14: error: 'issuer_mark' must be a name or a list of names, not an empty list"),
    ("checks: []", "3:9: error: 'checks' must be a list of checks, not an empty list"),
])
def test_an_empty_list_is_a_located_error_from_check_and_all(tmp_path, front, message):
    path = tmp_path / "doc.md"
    checked, exported = check_and_all(tmp_path, front)
    expected = f"{path}:{message} (remove the key to leave it out)\n"
    assert checked.endswith(expected) and exported.endswith(expected)
    assert checked.count(": error: ") == 1 and exported.count(": error: ") == 1
