"""Shared fixtures: the bundled report, the full-furniture fixture, and a reader helper."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.reader import read_source

ROOT = Path(__file__).resolve().parents[1]
SEED_SOURCE = ROOT / "source" / "yaoan-2021.md"
FULL_FIXTURE = ROOT / "tests" / "fixtures" / "full-furniture.md"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_read():
    """(document, profile) of source/yaoan-2021.md, read once per test session."""
    result = read_source(SEED_SOURCE)
    return result.document, result.profile


@pytest.fixture(scope="session")
def full_read():
    """(document, profile) of tests/fixtures/full-furniture.md: every piece of furniture."""
    result = read_source(FULL_FIXTURE)
    return result.document, result.profile
