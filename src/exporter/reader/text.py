"""The source as text: decoding, screening characters no output can carry, and locating lines."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..diagnostics import Diagnostics
from ..model import Position


@dataclass
class SourceLines:
    """The decoded source split into lines, the name it is shown under, and where problems go."""

    shown: str
    lines: list[str]
    diags: Diagnostics

    def at(self, line: int, column: int = 1) -> Position:
        return Position(self.shown, line, column)


def decode(raw: bytes, shown: str, diags: Diagnostics) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        diags.error(
            f"not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", Position(shown, line, column)
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        diags.error("empty file: a source needs front matter with at least a title", Position(shown, 1, 1))
        return None
    return _screen_characters(text, shown, diags)


# Characters no output format can carry: XML 1.0 forbids C0 controls and U+FFFE/U+FFFF,
# and a PDF has no glyph for them. Zero-width characters are legal but invisible, and they
# split words for search and for the workbook, so they are removed with a warning.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ufdd0-\ufdef]")
from ..cjk import ZERO_WIDTH_PATTERN as _ZERO_WIDTH  # noqa: E402
_MAX_REPEATED = 20


def _screen_characters(text: str, shown: str, diags: Diagnostics) -> str | None:
    forbidden = 0
    zero_width = 0
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        for m in _FORBIDDEN.finditer(line):
            forbidden += 1
            if forbidden <= _MAX_REPEATED:
                code = ord(m.group(0))
                name = unicodedata.name(m.group(0), None) or (
                    "control character" if code < 0x80 else "noncharacter")
                diags.error(f"character U+{code:04X} ({name}) cannot appear in a report: delete it",
                            Position(shown, number, m.start() + 1))
        for m in _ZERO_WIDTH.finditer(line):
            zero_width += 1
            if zero_width <= _MAX_REPEATED:
                name = unicodedata.name(m.group(0))
                diags.warning(f"invisible character U+{ord(m.group(0)):04X} ({name}) removed",
                              Position(shown, number, m.start() + 1))
    if forbidden > _MAX_REPEATED:
        diags.error(f"{forbidden - _MAX_REPEATED} more forbidden characters not listed", Position(shown, 1, 1))
    if zero_width > _MAX_REPEATED:
        diags.warning(f"{zero_width - _MAX_REPEATED} more invisible characters removed", Position(shown, 1, 1))
    if forbidden:
        return None
    return _ZERO_WIDTH.sub("", text) if zero_width else text
