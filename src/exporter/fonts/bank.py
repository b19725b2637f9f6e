"""The converted-glyph bank of one CFF face, kept in the per-user cache.

A bank is a TrueType font holding every glyph of the face converted so far, named by the
face file's SHA-256 and face index. A document converts only the glyphs the bank lacks
(about 0.6 ms a glyph) and writes the grown bank back atomically; later documents, and later
runs of the same one, convert nothing. Two exports growing the same bank at once can only
lose each other's additions, which the next run converts again.
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass

from fontTools.ttLib import TTFont, TTLibError

from ..outputs import write_atomically
from .cache import cache_root, file_digest
from .catalog import InstalledFace
from .convert import FaceMetrics, build_truetype, convert_glyphs
from .faces import open_face

log = logging.getLogger("exporter.fonts")

BANK_FORMAT = "truetype-v1"


@dataclass
class BankGlyphs:
    """Converted glyphs for a set of characters, ready to build a font from."""

    metrics: FaceMetrics
    glyphs: dict[str, bytes]      # compiled, in the bank's glyph order, .notdef first
    advances: dict[str, int]
    cmap: dict[int, str]


class GlyphBank:
    def __init__(self, face: InstalledFace):
        self.face = face
        self.digest = file_digest(face.path)
        self.path = cache_root() / BANK_FORMAT / f"{self.digest}-{face.index}.ttf"

    def glyphs_for(self, codepoints: set[int]) -> BankGlyphs:
        """The converted glyphs of `codepoints` (those the face has), converting what is new."""
        bank = self._load()
        have = bank.getBestCmap() if bank is not None else {}
        wanted = {cp for cp in codepoints if cp not in have}
        if bank is None or wanted:
            bank = self._grow(bank, wanted)
            have = bank.getBestCmap()
        glyf, hmtx = bank["glyf"], bank["hmtx"]
        cmap = {cp: have[cp] for cp in sorted(codepoints) if cp in have}
        needed = {".notdef", *cmap.values()}
        order = [g for g in bank.getGlyphOrder() if g in needed]
        return BankGlyphs(
            metrics=FaceMetrics.of(bank),
            glyphs={g: _compiled(glyf, g) for g in order},
            advances={g: hmtx[g][0] for g in order},
            cmap=cmap,
        )

    def _load(self) -> TTFont | None:
        try:
            data = self.path.read_bytes()
        except OSError:
            return None
        try:
            font = TTFont(io.BytesIO(data))
            font.getBestCmap()
            return font
        except (TTLibError, AssertionError, KeyError, ValueError, EOFError):
            log.warning("fonts: ignoring a damaged cache file %s", self.path)
            return None

    def _grow(self, bank: TTFont | None, codepoints: set[int]) -> TTFont:
        source = open_face(self.face)
        source_cmap = source.getBestCmap() or {}
        metrics = FaceMetrics.of(source)
        glyphs: dict[str, bytes] = {}
        advances: dict[str, int] = {}
        cmap: dict[int, str] = {}
        if bank is not None:
            glyf, hmtx = bank["glyf"], bank["hmtx"]
            for glyph_name in bank.getGlyphOrder():
                glyphs[glyph_name] = _compiled(glyf, glyph_name)
                advances[glyph_name] = hmtx[glyph_name][0]
            cmap.update(bank.getBestCmap())
        new_names = [".notdef"] if ".notdef" not in glyphs else []
        for cp in sorted(codepoints):
            glyph_name = source_cmap.get(cp)
            if glyph_name is None:
                continue
            cmap[cp] = glyph_name
            if glyph_name not in glyphs and glyph_name not in new_names:
                new_names.append(glyph_name)
        if new_names:
            started = time.perf_counter()
            label = f"{metrics.ps_name} ({self.face.path})"
            log.info("fonts: converting %d glyphs of %s from CFF to TrueType into the font cache %s",
                     len(new_names), metrics.ps_name, self.path.parent)

            def progress(done: int, total: int) -> None:
                if total >= 2 * 2000:
                    log.info("fonts:   %s: %d of %d glyphs", metrics.ps_name, done, total)

            glyphs.update(convert_glyphs(source, new_names, label, progress))
            hmtx = source["hmtx"]
            for glyph_name in new_names:
                advances[glyph_name] = hmtx[glyph_name][0]
            log.info("fonts: %s: %d glyphs converted in %.1f s", metrics.ps_name, len(new_names),
                     time.perf_counter() - started)
        source_order = {name: i for i, name in enumerate(source.getGlyphOrder())}
        order = sorted(glyphs, key=lambda g: source_order.get(g, len(source_order)))
        data = build_truetype(metrics, metrics.ps_name, {g: glyphs[g] for g in order}, advances,
                              cmap, keep_glyph_names=True)
        source.close()
        try:
            write_atomically(self.path, data)
        except OSError as exc:
            log.warning("fonts: cannot write the font cache %s (%s); converting again next time",
                        self.path, exc.strerror)
        return TTFont(io.BytesIO(data))


def _compiled(glyf, glyph_name: str) -> bytes:
    """A glyph's stored bytes, without decoding its outline."""
    glyph = glyf.glyphs[glyph_name]
    data = getattr(glyph, "data", None)
    if data is not None:
        return data
    return glyph.compile(glyf, recalcBBoxes=False) if glyph.numberOfContours else b""
