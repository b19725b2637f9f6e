"""Where a key of a layout profile stands in its TOML files, so that every profile problem is
reported at the line that causes it (in an extending file before its base)."""

from __future__ import annotations

import re

from .model import Position


def toml_error_location(message: str) -> tuple[int, int]:
    match = re.search(r"at line (\d+), column (\d+)", message)
    if match:
        return int(match.group(1)), int(match.group(2))
    return 1, 1


_BARE_OR_QUOTED = r'(?:[A-Za-z0-9_\-]+|"[^"]*"|\'[^\']*\')'
_DOTTED = rf"{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*"


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.findall(_BARE_OR_QUOTED, dotted))


class Locator:
    """Where `[table]` headers and `key =` lines stand in one TOML file, for located messages."""

    def __init__(self, text: str, shown: str):
        self.shown = shown
        self.tables: dict[tuple[str, ...], int] = {}
        self.keys: dict[tuple[str, ...], tuple[int, int]] = {}
        table: tuple[str, ...] = ()
        for lineno, line in enumerate(text.splitlines(), start=1):
            header = re.match(rf"\s*\[\s*({_DOTTED})\s*\]", line)
            if header:
                table = _key_parts(header.group(1))
                for depth in range(1, len(table) + 1):
                    self.tables.setdefault(table[:depth], lineno)
                continue
            key = re.match(rf"(\s*)({_DOTTED})\s*=", line)
            if key:
                self.keys.setdefault(table + _key_parts(key.group(2)), (lineno, len(key.group(1)) + 1))

    def key_position(self, path: tuple[str, ...]) -> Position | None:
        if path in self.keys:
            return Position(self.shown, *self.keys[path])
        return None

    def table_position(self, path: tuple[str, ...]) -> Position | None:
        if path in self.tables:
            return Position(self.shown, self.tables[path], 1)
        return None


class Where:
    """Locates a key of the merged profile in the file that set it (an extending file before its base)."""

    def __init__(self, locators: list[Locator]):
        self.locators = locators

    def at(self, table: str, key: str | None = None) -> Position:
        parts = tuple(table.split(".")) if table else ()
        if key is not None:
            for locator in self.locators:
                found = locator.key_position((*parts, key))
                if found:
                    return found
        for locator in self.locators:
            found = locator.table_position(parts)
            if found:
                return found
        return Position(self.locators[0].shown, 1, 1)

    def latest(self, *keys: tuple[str, str]) -> Position:
        """Of several keys that disagree, the one set by the file nearest the user (the
        extending file before its base); the first listed when one file sets them all."""
        for locator in self.locators:
            for table, key in keys:
                found = locator.key_position((*table.split("."), key))
                if found:
                    return found
        return self.at(*keys[0])

    @property
    def top(self) -> Position:
        return Position(self.locators[0].shown, 1, 1)
