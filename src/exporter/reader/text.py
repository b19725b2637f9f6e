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


# Characters a report cannot hold, each class for its own reason (see character_problem):
# C0 controls, DEL and U+FFFE/U+FFFF, which XML 1.0 forbids; C1 controls, which are
# invisible and come from text decoded with the wrong encoding; U+2028/U+2029, which Word
# breaks at but Markdown and the PDF do not; bidirectional controls, which make Word show
# the text (a figure too) in another order than the PDF and the workbook; other invisible
# format controls no output prints; lone surrogates (only YAML escapes make them), which
# UTF-8 cannot store; and the noncharacters U+FDD0-U+FDEF.
# Zero-width characters are legal but invisible, and they split words for search and for
# the workbook, so they are removed with a warning.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2061-\u2064\u2066-\u206f\ud800-\udfff\ufdd0-\ufdef\ufff9-\ufffb\ufffe\uffff"
    "\U000e0001\U000e0020-\U000e007f]"
)
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
from ..cjk import ZERO_WIDTH_PATTERN as _ZERO_WIDTH  # noqa: E402
_MAX_REPEATED = 20


def character_problem(char: str) -> str:
    """Why `char` (a character _FORBIDDEN matches) cannot be in a report, and what to do."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return (f"a lone surrogate U+{code:04X} (half of a UTF-16 pair, not a character) cannot appear in a "
                "report: write the character itself")
    if code < 0x20 or code == 0x7F:
        return f"character U+{code:04X} (control character) cannot appear in a report: delete it"
    if code < 0xA0:
        return (f"character U+{code:04X} (C1 control character) cannot appear in a report: delete it (it "
                "usually comes from text decoded with the wrong encoding; check the characters around it)")
    label = f"U+{code:04X} ({unicodedata.name(char, None) or 'noncharacter'})"
    if code == 0x2028:
        return (f"character {label} cannot appear in a report: Word breaks the line there but the PDF "
                "cannot; start a new source line instead")
    if code == 0x2029:
        return (f"character {label} cannot appear in a report: Word breaks the paragraph there but the PDF "
                "cannot; leave a blank line between paragraphs instead")
    if char in _BIDI_CONTROLS:
        return (f"character {label} cannot appear in a report: it is an invisible bidirectional control that "
                "makes Word show the text around it in another order than the PDF and the workbook; delete it")
    if unicodedata.category(char) == "Cf":
        return f"character {label} cannot appear in a report: it is an invisible format control no output prints; delete it"
    return f"character {label} cannot appear in a report: delete it"


def forbidden_characters(text: str) -> list[tuple[int, str]]:
    """(offset, message) of each character of `text` a report cannot hold."""
    return [(m.start(), character_problem(m.group(0))) for m in _FORBIDDEN.finditer(text)]


def _screen_characters(text: str, shown: str, diags: Diagnostics) -> str | None:
    forbidden = 0
    zero_width = 0
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        for m in _FORBIDDEN.finditer(line):
            forbidden += 1
            if forbidden <= _MAX_REPEATED:
                diags.error(character_problem(m.group(0)), Position(shown, number, m.start() + 1))
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
