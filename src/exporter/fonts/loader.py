"""Faces made ready for reportlab: registered, measurable, embeddable as subsets.

TrueType faces (the Windows fonts, AR PL, WenQuanYi) register directly. CFF faces get a
small TrueType font built for the document's characters from the glyph bank, with a
PostScript name unique to that character set: reportlab merges fonts that share a
PostScript name, which would silently drop the characters of a second subset.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont as ToolsFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..diagnostics import FontError
from ..outputs import write_atomically
from .bank import GlyphBank
from .cache import cache_root, file_digest
from .catalog import InstalledFace
from .convert import FaceMetrics, build_truetype

# Built fonts for one character set, kept so that exporting the same document again (every
# save under `watch`, every re-run) skips the glyph bank, the build and the measuring, about a
# third of a cold PDF. Bump the version when build_truetype's output changes.
BUILT_FORMAT = "built-v1"

@dataclass(frozen=True)
class LoadedFont:
    """A registered reportlab font and what layout needs to know about it."""

    name: str                 # the reportlab font name
    ps_name: str              # the PostScript name written into the PDF
    face: InstalledFace
    font: TTFont
    em_descent: float         # where the baseline sits in the em box, as a fraction of the em
    ink: dict[int, tuple[float, float]]  # per character: (yMin, yMax) of the outline, in em

    def advance(self, char: str) -> float:
        """Advance width in em (1.0 for an ideograph)."""
        return self.font.face.getCharWidth(ord(char)) / 1000.0

    def ink_bounds(self, char: str) -> tuple[float, float] | None:
        return self.ink.get(ord(char))


def load_font(face: InstalledFace, chars: frozenset[str]) -> LoadedFont:
    """The face registered with reportlab, covering `chars` (those it has)."""
    codepoints = frozenset(ord(c) for c in chars)
    if face.outline == "TrueType":
        return _load_truetype(face, file_digest(face.path))
    return _load_converted(face, file_digest(face.path), codepoints)


@lru_cache(maxsize=32)
def _load_truetype(face: InstalledFace, digest: str) -> LoadedFont:
    name = f"F{digest[:16]}-{face.index}"
    try:
        font = TTFont(name, face.path, subfontIndex=face.index)
    except (TTFError, OSError, ValueError) as exc:
        raise FontError(f"{face.path}: error: reportlab cannot use this font: {exc}") from None
    pdfmetrics.registerFont(font)
    tools = ToolsFont(face.path, fontNumber=face.index, lazy=True)
    try:
        metrics = FaceMetrics.of(tools)
        ink = _ink_bounds(tools, metrics.units_per_em)
    finally:
        tools.close()
    return LoadedFont(name, metrics.ps_name, face, pdfmetrics.getFont(name), _em_descent(metrics), ink)


@lru_cache(maxsize=64)
def _load_converted(face: InstalledFace, digest: str, codepoints: frozenset[int]) -> LoadedFont:
    request = hashlib.sha256(f"{digest}|{face.index}|{','.join(map(str, sorted(codepoints)))}".encode())
    stored = cache_root() / BUILT_FORMAT / request.hexdigest()
    built = _read_built(stored)
    if built is None:
        built = _build_converted(face, digest, codepoints)
        _write_built(stored, built)
    data, ps_name, suffix, em_descent, ink = built
    name = f"F{digest[:16]}-{face.index}-{suffix}"
    try:
        font = TTFont(name, io.BytesIO(data))
    except (TTFError, ValueError) as exc:
        raise FontError(f"{face.path}: error: the converted font is not usable: {exc}") from None
    pdfmetrics.registerFont(font)
    return LoadedFont(name, ps_name, face, pdfmetrics.getFont(name), em_descent, ink)


_Built = tuple[bytes, str, str, float, dict[int, tuple[float, float]]]


def _build_converted(face: InstalledFace, digest: str, codepoints: frozenset[int]) -> _Built:
    glyphs = GlyphBank(face).glyphs_for(set(codepoints))
    key = hashlib.sha256(f"{digest}|{face.index}|{','.join(map(str, sorted(glyphs.cmap)))}".encode())
    suffix = key.hexdigest()[:8].upper()
    ps_name = f"{glyphs.metrics.ps_name}-{suffix}"
    data = build_truetype(glyphs.metrics, ps_name, glyphs.glyphs, glyphs.advances, glyphs.cmap,
                          keep_glyph_names=False)
    built = ToolsFont(io.BytesIO(data), lazy=True)
    ink = _ink_bounds(built, glyphs.metrics.units_per_em)
    built.close()
    return data, ps_name, suffix, _em_descent(glyphs.metrics), ink


def _read_built(stored: Path) -> _Built | None:
    try:
        data = stored.with_suffix(".ttf").read_bytes()
        about = json.loads(stored.with_suffix(".json").read_text(encoding="utf-8"))
        if about["sha256"] != hashlib.sha256(data).hexdigest():
            return None  # the pair was written by two runs at once, or damaged: build again
        ink = {int(cp): (float(low), float(high)) for cp, (low, high) in about["ink"].items()}
        return data, str(about["ps_name"]), str(about["suffix"]), float(about["em_descent"]), ink
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_built(stored: Path, built: _Built) -> None:
    data, ps_name, suffix, em_descent, ink = built
    about = {"sha256": hashlib.sha256(data).hexdigest(), "ps_name": ps_name, "suffix": suffix,
             "em_descent": em_descent, "ink": {str(cp): list(bounds) for cp, bounds in ink.items()}}
    try:
        write_atomically(stored.with_suffix(".ttf"), data)
        write_atomically(stored.with_suffix(".json"), json.dumps(about, sort_keys=True).encode("utf-8"))
    except OSError:
        pass  # an unwritable cache only costs time


def _em_descent(metrics: FaceMetrics) -> float:
    """The part of the em box below the baseline (0.12 for Fandol and Noto, 0.141 for SimSun)."""
    ascent, descent = metrics.typo_ascender, metrics.typo_descender
    if not (ascent > 0 > descent):
        ascent, descent = metrics.ascent, metrics.descent
    if not (ascent > 0 > descent):
        return 0.12  # the ideographic em box of nearly every CJK face: 880 above, 120 below
    return -descent / (ascent - descent)


def _ink_bounds(font: ToolsFont, units_per_em: int) -> dict[int, tuple[float, float]]:
    """Vertical outline extents of the dash-like characters page numbers are centred on."""
    cmap = font.getBestCmap() or {}
    glyph_set = font.getGlyphSet()
    bounds = {}
    for cp in (0x2014, 0x2015, 0x2013, 0x002D, 0x2212):
        glyph_name = cmap.get(cp)
        if glyph_name is None:
            continue
        pen = BoundsPen(glyph_set)
        glyph_set[glyph_name].draw(pen)
        if pen.bounds is not None:
            bounds[cp] = (pen.bounds[1] / units_per_em, pen.bounds[3] / units_per_em)
    return bounds
