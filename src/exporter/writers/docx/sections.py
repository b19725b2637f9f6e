"""Sections: the portrait page of GB/T 9704 and the landscape pages of wide tables (横排表格).

A landscape section is the portrait page turned: its page is the portrait page's height wide, and
its margins are the portrait margins turned with it (top = 订口 28 mm, bottom = 26 mm, left = the
portrait bottom margin, right = the portrait top margin), so its 225 × 156 mm 版心 lands on the
portrait 版心 when the sheet is printed with the table's head towards the left edge of the portrait
page, as GB/T 9704 clause 8 wants on odd and even pages alike (spec gbt9704-kinds T1, T2).

The page number of such a page stays where portrait pages have it [T1, I1–I3]. A footer cannot do
that: it sits at the landscape page's bottom edge, which is the portrait page's right edge. So the
landscape footers hold the number in a text box anchored to the page, with its text turned 90°
clockwise (DrawingML `vert="vert"`), at the place the portrait footer prints it once the sheet is
turned back: odd pages at the landscape page's lower left, even pages at its upper left (T2).
"""

from __future__ import annotations

from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ...profile import Profile
from ...units import EMU_PER_MM, EMU_PER_TWIP, Mm, Pt
from .ooxml import w


def landscape_margins_mm(profile: Profile) -> dict[str, float]:
    page = profile.page
    return {"top": page.margin_left_mm, "right": page.margin_top_mm,
            "bottom": page.margin_right_mm, "left": page.margin_bottom_mm}


def page_geometry(sect_pr: Any, profile: Profile, landscape: bool) -> None:
    """Page size, margins and the lines-only grid on `sect_pr`, which holds them already."""
    page = profile.page
    pg_sz = sect_pr.find(qn("w:pgSz"))
    pg_sz.attrib.clear()
    width, height = Mm(page.width_mm).twips, Mm(page.height_mm).twips
    if landscape:
        pg_sz.set(qn("w:w"), str(height))
        pg_sz.set(qn("w:h"), str(width))
        pg_sz.set(qn("w:orient"), "landscape")
        margins = landscape_margins_mm(profile)
    else:
        pg_sz.set(qn("w:w"), str(width))
        pg_sz.set(qn("w:h"), str(height))
        margins = {"top": page.margin_top_mm, "right": page.margin_right_mm,
                   "bottom": page.margin_bottom_mm, "left": page.margin_left_mm}
    pg_mar = sect_pr.find(qn("w:pgMar"))
    pg_mar.attrib.clear()
    for key in ("top", "right", "bottom", "left"):
        pg_mar.set(qn(f"w:{key}"), str(Mm(margins[key]).twips))
    pg_mar.set(qn("w:header"), str(Mm(profile.docx.header_distance_mm).twips))
    pg_mar.set(qn("w:footer"), str(Mm(profile.docx.footer_distance_mm).twips))
    pg_mar.set(qn("w:gutter"), "0")
    grid = sect_pr.find(qn("w:docGrid"))
    grid.attrib.clear()
    # A lines-only grid: a character grid renders at ~14 characters a line in LibreOffice.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(profile.grid.docx_line_pitch_twips))


def section_break(profile: Profile, landscape: bool) -> Any:
    """The `w:sectPr` that ends a section (it goes in the section's last paragraph); the next
    section starts on a new page. Footers are added when the document's sections are set up."""
    sect_pr = w("sectPr", None, w("type", {"val": "nextPage"}), w("pgSz"), w("pgMar"), w("docGrid"))
    page_geometry(sect_pr, profile, landscape)
    return sect_pr


def is_landscape(sect_pr: Any) -> bool:
    pg_sz = sect_pr.find(qn("w:pgSz"))
    return pg_sz is not None and pg_sz.get(qn("w:orient")) == "landscape"


_ANCHOR = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:drawing>
<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{z}" behindDoc="0" locked="1"
 layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>
<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>
<wp:docPr id="{shape_id}" name="{name}"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>
<wps:txbx><w:txbxContent/></wps:txbx>
<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr" anchorCtr="0"
 upright="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"""


class LandscapePageNumber:
    """The text box that prints a landscape page's number at the portrait position."""

    def __init__(self, profile: Profile):
        self.profile = profile

    def run(self, number_paragraph: Any, shape_id: int) -> Any:
        """A run holding the anchored box; `number_paragraph` is the portrait footer's paragraph
        ("— N —", aligned and inset as on portrait pages), moved into the box."""
        page = self.profile.page
        role = self.profile.role("page_number")
        # The portrait footer line: its bottom `footer_distance_mm` above the paper's bottom edge,
        # one single line of the page-number face high. Turned, the paper's bottom edge is the
        # landscape page's left edge.
        thickness = Pt(role.size_pt * self.profile.docx.single_line_em).twips * EMU_PER_TWIP
        x = round(self.profile.docx.footer_distance_mm * EMU_PER_MM)
        # Along the portrait line: the 版心's width, from its left edge (landscape top) down; the
        # paragraph's own alignment and inset (odd right, even left) place the number in it.
        length = round((page.width_mm - page.margin_left_mm - page.margin_right_mm) * EMU_PER_MM)
        y = round(page.margin_left_mm * EMU_PER_MM)
        element = parse_xml(_ANCHOR.format(z=251659264 + shape_id, x=x, y=y, cx=thickness, cy=length,
                                           shape_id=shape_id, name=f"页码 {shape_id}"))
        element.find(".//" + qn("w:txbxContent")).append(number_paragraph)
        return element
