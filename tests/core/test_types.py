"""The type check is part of the tests: mypy, configured in pyproject.toml, must pass, and it must
be able to do its job - name every place that has to handle a new kind of block."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from support.paths import ROOT

SRC = ROOT / "src" / "exporter"
# Modules that only build blocks and never treat kinds differently.
BUILDERS = ("exporter.reader",)
BLOCK_NAMES = {"Block", "Heading", "Paragraph", "inline_groups"}
# Where a new member of model.Block must be handled (docs/architecture.md, "Adding a block type").
# lint.py and characters.locate_character read blocks through model.inline_groups, so they follow.
MUST_HANDLE_A_NEW_BLOCK = {
    "src/exporter/model.py": 3,                   # inline_groups, Document.headings, _block_lines (body_text)
    "src/exporter/dump.py": 1,                    # _blocks (dump_document)
    "src/exporter/writers/docx/__init__.py": 1,   # _WordWriter._blocks
    "src/exporter/writers/pdf/compose.py": 1,     # _Composer.block
    "src/exporter/characters.py": 1,              # characters_by_role
    "src/exporter/writers/xlsx/columns.py": 1,    # table_titles
    "src/exporter/provenance.py": 1,              # figure_offsets (mirrors Document.body_text)
}


def _mypy(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", *args], cwd=cwd, capture_output=True, text=True)


def _strict_modules() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    strict = set()
    for override in config["overrides"]:
        if override.get("disallow_untyped_defs") and override.get("disallow_any_generics"):
            strict.update(override["module"])
    return strict


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _reads_blocks(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("model"):
            if BLOCK_NAMES & {alias.name for alias in node.names}:
                return True
        if isinstance(node, (ast.For, ast.comprehension)):
            if isinstance(node.iter, ast.Attribute) and node.iter.attr == "blocks":
                return True
    return False


def test_the_type_check_passes():
    result = _mypy(cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_that_reads_blocks_is_checked_strictly():
    # Not strict, mypy skips the body of a function without annotations, and `assert_never` on a
    # parameter without one (`Any`) passes: a missing case would go unnoticed.
    strict = _strict_modules()
    assert "exporter.model" in strict
    readers = set()
    for path in sorted(SRC.rglob("*.py")):
        name = _module_name(path)
        if name.startswith(BUILDERS):
            continue
        if _reads_blocks(ast.parse(path.read_text(encoding="utf-8"))):
            readers.add(name)
    assert readers, "the scan found no module that reads blocks"
    assert readers <= strict, f"read blocks but are not strictly type-checked: {sorted(readers - strict)}"


@pytest.mark.slow
def test_a_new_block_type_fails_the_type_check_at_every_place_that_must_handle_it(tmp_path):
    shutil.copytree(SRC, tmp_path / "src" / "exporter", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    model = tmp_path / "src" / "exporter" / "model.py"
    text, added = re.subn(r"^Block = Union\[(.*)\]$", lambda m: (
        "@dataclass(frozen=True)\n"
        "class DummyBlock:\n"
        "    inlines: tuple[Inline, ...]\n"
        "    pos: Position\n\n\n"
        f"Block = Union[{m.group(1)}, DummyBlock]"
    ), model.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert added == 1
    model.write_text(text, encoding="utf-8")

    result = _mypy("--cache-dir", str(tmp_path / "mypy-cache"), cwd=tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    unhandled = [line for line in errors
                 if re.search(r'Argument 1 to "assert_never" has incompatible type "DummyBlock"', line)]
    assert len(unhandled) == len(errors), "\n".join(errors)
    found: dict[str, int] = {}
    for line in unhandled:
        path = line.split(":", 1)[0]
        found[path] = found.get(path, 0) + 1
    assert found == MUST_HANDLE_A_NEW_BLOCK
