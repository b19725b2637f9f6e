"""CFF outlines → TrueType, and small TrueType fonts built from converted glyphs.

reportlab embeds only TrueType (`glyf`) outlines, while the free CJK faces on Debian (Fandol,
Noto CJK) are CFF. Each glyph is drawn through cu2qu into a quadratic TrueType glyph. The
fonts built here copy the face-wide metrics from the source and set every timestamp from it,
so the same glyphs always give the same bytes.
"""

from __future__ import annotations

import io
import logging
import struct
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._g_l_y_f import Glyph

log = logging.getLogger("exporter.fonts")

# Largest distance (font units, 1/1000 em for CJK faces) between a cubic curve and its
# quadratic approximation: 1 unit is 0.016 pt at 16 pt, far below what a printer resolves.
MAX_CURVE_ERROR = 1.0
PROGRESS_EVERY = 2000


@dataclass(frozen=True)
class FaceMetrics:
    """The face-wide values a TrueType font needs, copied from the source face."""

    units_per_em: int
    ascent: int
    descent: int
    line_gap: int
    typo_ascender: int
    typo_descender: int
    typo_line_gap: int
    win_ascent: int
    win_descent: int
    fs_type: int
    weight_class: int
    width_class: int
    fs_selection: int
    x_height: int
    cap_height: int
    italic_angle: float
    underline_position: int
    underline_thickness: int
    is_fixed_pitch: int
    mac_style: int
    font_revision: float
    created: int
    modified: int
    family: str
    style: str
    ps_name: str

    @classmethod
    def of(cls, font: TTFont) -> "FaceMetrics":
        head, hhea, os2, post, name = font["head"], font["hhea"], font["OS/2"], font["post"], font["name"]
        family = name.getBestFamilyName() or "Unnamed"
        style = name.getBestSubFamilyName() or "Regular"
        ps_name = name.getDebugName(6) or family.replace(" ", "")
        return cls(
            units_per_em=head.unitsPerEm, ascent=hhea.ascent, descent=hhea.descent, line_gap=hhea.lineGap,
            typo_ascender=os2.sTypoAscender, typo_descender=os2.sTypoDescender,
            typo_line_gap=os2.sTypoLineGap, win_ascent=os2.usWinAscent, win_descent=os2.usWinDescent,
            fs_type=os2.fsType, weight_class=os2.usWeightClass, width_class=os2.usWidthClass,
            fs_selection=os2.fsSelection, x_height=getattr(os2, "sxHeight", 0) or 0,
            cap_height=getattr(os2, "sCapHeight", 0) or 0, italic_angle=post.italicAngle,
            underline_position=post.underlinePosition, underline_thickness=post.underlineThickness,
            is_fixed_pitch=post.isFixedPitch, mac_style=head.macStyle, font_revision=head.fontRevision,
            created=head.created, modified=head.modified, family=family, style=style, ps_name=ps_name,
        )


def convert_glyphs(source: TTFont, names: Iterable[str], label: str,
                   on_progress: Callable[[int, int], None] | None = None) -> dict[str, bytes]:
    """Compiled TrueType glyph data (bounds included) for the named glyphs of a CFF face."""
    names = list(names)
    glyph_set = source.getGlyphSet()
    converted: dict[str, bytes] = {}
    started = time.perf_counter()
    for done, glyph_name in enumerate(names, start=1):
        pen = TTGlyphPen(None)
        glyph_set[glyph_name].draw(Cu2QuPen(pen, max_err=MAX_CURVE_ERROR, reverse_direction=True))
        converted[glyph_name] = pen.glyph().compile(None, recalcBBoxes=True)
        if on_progress and (done % PROGRESS_EVERY == 0 or done == len(names)):
            on_progress(done, len(names))
    log.debug("fonts: converted %d glyphs of %s in %.2f s", len(names), label, time.perf_counter() - started)
    return converted


@dataclass(frozen=True)
class _OutlineStats:
    contours: int
    points: int
    bounds: tuple[int, int, int, int] | None


def _outline_stats(data: bytes) -> _OutlineStats:
    """Contour and point counts and bounds from a simple glyph's compiled header."""
    if len(data) < 10:
        return _OutlineStats(0, 0, None)
    contours, x_min, y_min, x_max, y_max = struct.unpack(">hhhhh", data[:10])
    if contours <= 0:
        return _OutlineStats(0, 0, (x_min, y_min, x_max, y_max))
    last_end = struct.unpack(">H", data[10 + 2 * (contours - 1):12 + 2 * (contours - 1)])[0]
    return _OutlineStats(contours, last_end + 1, (x_min, y_min, x_max, y_max))


def build_truetype(metrics: FaceMetrics, ps_name: str, glyphs: Mapping[str, bytes],
                   advances: Mapping[str, int], cmap: Mapping[int, str], keep_glyph_names: bool) -> bytes:
    """A TrueType font with exactly these compiled glyphs (in this order, `.notdef` first).

    The glyphs are copied as compiled bytes, never decoded again; the header, hhea and maxp
    summaries are computed here from the glyph headers, so they depend only on these glyphs.
    """
    order = list(glyphs)
    if not order or order[0] != ".notdef":
        raise ValueError("the first glyph must be .notdef")
    stats = {g: _outline_stats(glyphs[g]) for g in order}
    boxes = [s.bounds for s in stats.values() if s.bounds is not None]
    builder = FontBuilder(metrics.units_per_em, isTTF=True)
    font = builder.font
    font.recalcTimestamp = False  # the timestamps come from the source face
    font.recalcBBoxes = False     # computed below from the glyph headers
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(dict(cmap))
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {g: Glyph(glyphs[g]) for g in order}
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    horizontal = {g: (advances[g], stats[g].bounds[0] if stats[g].bounds else 0) for g in order}
    builder.setupHorizontalMetrics(horizontal)
    builder.setupHorizontalHeader(ascent=metrics.ascent, descent=metrics.descent, lineGap=metrics.line_gap)
    hhea = font["hhea"]
    hhea.advanceWidthMax = max(advances[g] for g in order)
    hhea.minLeftSideBearing = min((b[0] for b in boxes), default=0)
    hhea.minRightSideBearing = min((advances[g] - s.bounds[2] for g, s in stats.items() if s.bounds), default=0)
    hhea.xMaxExtent = max((b[2] for b in boxes), default=0)
    hhea.numberOfHMetrics = len(order)
    builder.setupNameTable({
        "familyName": metrics.family, "styleName": metrics.style, "psName": ps_name,
        "uniqueFontIdentifier": ps_name, "fullName": f"{metrics.family} {metrics.style}",
    }, mac=False)
    builder.setupOS2(
        sTypoAscender=metrics.typo_ascender, sTypoDescender=metrics.typo_descender,
        sTypoLineGap=metrics.typo_line_gap, usWinAscent=metrics.win_ascent, usWinDescent=metrics.win_descent,
        fsType=metrics.fs_type, usWeightClass=metrics.weight_class, usWidthClass=metrics.width_class,
        fsSelection=metrics.fs_selection, sxHeight=metrics.x_height, sCapHeight=metrics.cap_height,
    )
    builder.setupPost(
        keepGlyphNames=keep_glyph_names, italicAngle=metrics.italic_angle,
        underlinePosition=metrics.underline_position, underlineThickness=metrics.underline_thickness,
        isFixedPitch=metrics.is_fixed_pitch,
    )
    builder.setupHead(
        unitsPerEm=metrics.units_per_em, created=metrics.created, modified=metrics.modified,
        macStyle=metrics.mac_style, fontRevision=metrics.font_revision,
        xMin=min((b[0] for b in boxes), default=0), yMin=min((b[1] for b in boxes), default=0),
        xMax=max((b[2] for b in boxes), default=0), yMax=max((b[3] for b in boxes), default=0),
    )
    builder.setupMaxp()
    maxp = font["maxp"]
    maxp.maxPoints = max((s.points for s in stats.values()), default=0)
    maxp.maxContours = max((s.contours for s in stats.values()), default=0)
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()
