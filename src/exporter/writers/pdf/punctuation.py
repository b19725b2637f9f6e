"""Which full-width punctuation may give up blank space (标点挤压, clreq §3.1.6, JIS X 4051),
and how much a given font allows.

A full-width mark draws its ink in one half of its cell: 点号 and closing brackets and quotes
on the left (the blank is on the right), opening brackets and quotes on the right. That is
the GB convention, but fonts differ (FandolFang centres "？"), so a mark only counts as
compressible when the font's own outline fits in the part of the cell that is kept.
"""

from __future__ import annotations

import struct
import weakref
from typing import Sequence

from ...fonts import LoadedFont

# Ink in the left half, blank on the right.
BLANK_RIGHT = frozenset("，。、；：？！）》」』”’〉】〕］｝〗〙〛")
# Ink in the right half, blank on the left.
BLANK_LEFT = frozenset("（《「『“‘〈【〔［｛〖〘〚")


def blank_side(char: str) -> str | None:
    """"right" or "left": where a full-width mark's blank half lies by convention."""
    if char in BLANK_RIGHT:
        return "right"
    if char in BLANK_LEFT:
        return "left"
    return None


def allowances(text: str, fonts: Sequence[LoadedFont], sizes: Sequence[float], advances: Sequence[float],
               units: Sequence[float], spacings: Sequence[float], fraction: float) -> list[float]:
    """Per character, how many pt its blank side may give up (0 for anything else)."""
    result = [0.0] * len(text)
    if fraction <= 0:
        return result
    for i, char in enumerate(text):
        side = blank_side(char)
        if side is None:
            continue
        amount = fraction * units[i]
        # Only a full-width mark has a blank half to give; a proportional quote has none.
        if advances[i] + spacings[i] < units[i] - 0.01:
            continue
        ink = horizontal_ink(fonts[i], char)
        if ink is None:
            continue
        left, right = ink[0] * sizes[i], ink[1] * sizes[i]
        kept_ok = right <= advances[i] - amount if side == "right" else left >= amount
        if kept_ok:
            result[i] = amount
    return result


def horizontal_ink(font: LoadedFont, char: str) -> tuple[float, float] | None:
    """(xMin, xMax) of the character's outline in em, read from the embedded font's glyf
    header; None when the glyph is blank or cannot be read."""
    face = font.font.face
    known = _BOUNDS.setdefault(face, {})
    codepoint = ord(char)
    if codepoint not in known:
        known[codepoint] = _glyph_x_bounds(face, codepoint)
    return known[codepoint]


# Per face, so a face (several MB of font data) is not kept alive by this cache.
_BOUNDS: "weakref.WeakKeyDictionary[object, dict[int, tuple[float, float] | None]]" = weakref.WeakKeyDictionary()


def _glyph_x_bounds(face, codepoint: int) -> tuple[float, float] | None:
    glyph = (face.charToGlyph or {}).get(codepoint)
    positions = getattr(face, "glyphPos", None)
    if glyph is None or not positions or glyph + 1 >= len(positions):
        return None
    if positions[glyph + 1] == positions[glyph]:
        return None
    try:
        glyf, _length = face.get_table_pos("glyf")
        header = face.get_chunk(glyf + positions[glyph], 10)
    except (KeyError, IndexError, struct.error):
        return None
    if len(header) < 10:
        return None
    _contours, x_min, _y_min, x_max, _y_max = struct.unpack(">hhhhh", header)
    units = float(face.unitsPerEm)
    return x_min / units, x_max / units
