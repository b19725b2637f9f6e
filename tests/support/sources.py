"""Sources made for a test from the full-furniture fixture with a few strings replaced."""

from __future__ import annotations

from pathlib import Path

from support.paths import FIXTURES

FIXTURE_TEXT = (FIXTURES / "full-furniture.md").read_text(encoding="utf-8")


def variant(folder: Path, name: str, *replacements: tuple[str, str]) -> Path:
    """tests/fixtures/full-furniture.md with each (old, new) replaced, written as `folder/name`."""
    text = FIXTURE_TEXT
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
