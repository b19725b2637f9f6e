"""The PDF writer: a print-ready GB/T 9704-2012 PDF with embedded fonts.

Layout is our own (pdf_engine): the 22 × 28 grid of the 版心, Chinese line breaking per
GB/T 15834 and clreq with justified lines, 22-line pages, the 版记 at the bottom of the last
page and "— N —" page numbers. Every font is embedded as a subset; black is K-only CMYK.
The same document and fonts always give the same bytes.
"""

from __future__ import annotations

from typing import BinaryIO

from ...diagnostics import Diagnostic, WARNING
from ...fonts import FontSet, SubstituteFaces, prepare_fonts
from ...furniture import furniture
from ...model import Document
from ...characters import characters_by_role, locate_character
from ...profile import Profile
from .compose import compose
from .typeset import Typesetter
from .geometry import Geometry
from .head import head_rows
from .paginate import paginate
from .render import render


def write(document: Document, profile: Profile, out: BinaryIO) -> list[Diagnostic]:
    fonts = prepare_fonts(profile, characters_by_role(document, profile),
                          lambda char: locate_character(document, char))
    geometry = Geometry.of(profile)
    composition = compose(document, profile, fonts, geometry)
    head = furniture(document.meta, profile).head
    if head is not None:
        composition.rows[0:0] = head_rows(Typesetter(profile, fonts, geometry), head)
    pages = paginate(composition, geometry.lines_per_page, geometry.pitch, geometry.text_width,
                     imprint_on_even_page=bool(document.attachments) and profile.attachments.imprint_on_even_page)
    render(document, profile, fonts, geometry, pages, out)
    return _warnings(document, composition, geometry) + substitute_warnings(fonts)


def substitute_warnings(fonts: FontSet) -> list[Diagnostic]:
    """One warning naming every official font the PDF printed with another face."""
    return [SubstituteFaces.of(fonts.substitutes.values())] if fonts.substitutes else []


def _warnings(document: Document, composition, geometry: Geometry) -> list[Diagnostic]:
    warnings = []
    title_pos = document.meta.position_of("title")
    for row in composition.rows:
        if row.kind != "title":
            continue
        for line in row.lines:
            if line.x < -0.5:
                warnings.append(Diagnostic(
                    WARNING, f"title line '{line.text}' is wider than the 版心 ({geometry.text_width:.1f} pt); "
                    "break the title into shorter lines", pos=title_pos))
    if composition.imprint is not None and len(composition.imprint.rows) > geometry.lines_per_page:
        warnings.append(Diagnostic(WARNING, "the 版记 is longer than a page", pos=document.meta.position_of("cc")))
    return warnings
