"""The 信函's first-page letterhead and the seal picture, in Word.

The 信函's mark sits 30 mm below the page's top edge, above the 版心, and its double lines run
170 mm, past both sides of the 版心; the lower one is 20 mm above the page's bottom edge
[L2–L5]. None of that can be body text on the 22-line grid, so the mark is a framed paragraph
(w:framePr) and the strokes are VML lines, all placed from the page's edges and anchored at
the top of the first page's body, on the first page only [L12]. The frame does not wrap
(w:wrap="none"; LibreOffice 7.4 reads "through" as "auto" and pushes the first line below
the frame, measured) and the lines do not wrap either, so they push nothing on the grid; in a
header, LibreOffice grows the header to hold the frame and moves the body down. The first page has its own footer, without a page number
[L10]. The 份号 … and 发文字号 rows under the line are body text (see head.py).

The seal is a picture anchored on the 署名 paragraph, over the text, centred on the date [G2, S3].
"""

from __future__ import annotations

import io

from docx.document import Document as WordDocument
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.section import Section

from ...furniture import Head
from ...profile import Profile
from ...units import EMU_PER_POINT, EMU_PER_TWIP, Mm, Pt
from . import styles
from .ooxml import paragraph, role_fonts, rpr, run, w

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def letter_first_page(section: Section, profile: Profile, number: object) -> None:
    """The first page's own footer: no page number on it [L10]."""
    section.different_first_page_header_footer = True
    # No first-page header part: with one, LibreOffice moves the first page's body down.
    element = section.first_page_footer._element
    for child in list(element):
        element.remove(child)
    element.append(number if profile.letter.number_first_page else paragraph(styles.FOOTER))


def letter_mark(head: Head, profile: Profile) -> tuple[object, list]:
    """The mark as a framed paragraph placed from the page's top edge, and the runs of the four
    strokes of the double lines (to go into a paragraph of the first page) [L1–L5]."""
    letter, page = profile.letter, profile.page
    red = profile.colors.word_red
    role = profile.role("issuer_mark")
    size = Pt(letter.mark_size_pt)
    mark_top = Mm(letter.mark_top_from_page_mm).twips
    text_width = Mm(page.width_mm - page.margin_left_mm - page.margin_right_mm).twips
    mark = _framed(size.twips, mark_top, Mm(page.margin_left_mm).twips, text_width,
                   [run(head.mark_text, rpr(role_fonts(role), w("color", {"val": red}),
                                            w("sz", {"val": size.half_points}),
                                            w("szCs", {"val": size.half_points})))],
                   [w("jc", {"val": "center"})])
    # Centred on the 版心, not the page [L3]: the 版心's centre is 1 mm right of the page's.
    left_pt = Mm(page.margin_left_mm + (page.width_mm - page.margin_left_mm - page.margin_right_mm) / 2
                 - letter.rule_length_mm / 2).pt
    right_pt = left_pt + Mm(letter.rule_length_mm).pt
    upper_top = Mm(letter.mark_top_from_page_mm).pt + letter.mark_size_pt + Mm(letter.rule_gap_mm).pt
    lower_bottom = Mm(page.height_mm - letter.lower_rule_from_page_bottom_mm).pt
    t, g, n = letter.thick_rule_pt, letter.double_rule_gap_pt, letter.thin_rule_pt
    # Each stroke a VML line placed from the page's edges (LibreOffice keeps a framed paragraph
    # with borders in the flow): thick over thin above, thin over thick below [L3–L5]; y is
    # each stroke's centre.
    strokes = [_vml_line(left_pt, right_pt, upper_top + t / 2, t, red),
               _vml_line(left_pt, right_pt, upper_top + t + g + n / 2, n, red),
               _vml_line(left_pt, right_pt, lower_bottom - t / 2, t, red),
               _vml_line(left_pt, right_pt, lower_bottom - t - g - n / 2, n, red)]
    return mark, strokes


def _vml_line(x0: float, x1: float, y: float, weight: float, colour: str) -> object:
    """A run holding a horizontal VML line from (x0, y) to (x1, y), in pt from the page's top-left."""
    return parse_xml(
        f'<w:r xmlns:w="{W_NS}"><w:pict><v:line xmlns:v="urn:schemas-microsoft-com:vml" '
        f'from="{x0:.2f}pt,{y:.2f}pt" to="{x1:.2f}pt,{y:.2f}pt" strokecolor="#{colour}" '
        f'strokeweight="{weight:.2f}pt" style="position:absolute;mso-position-horizontal-relative:page;'
        f'mso-position-vertical-relative:page;z-index:1">'
        # No wrapping: text under the line keeps its place (LibreOffice wraps by default).
        f'<w10:wrap xmlns:w10="urn:schemas-microsoft-com:office:word" type="none"/></v:line></w:pict></w:r>')


def _framed(height: int, y: int, x: int, width: int, children: list, extra: list, inner: int | None = None) -> object:
    """A paragraph in a frame `width` × `height` twips at (x, y) from the page's top-left corner."""
    frame = w("framePr", {"w": width, "h": height, "hRule": "exact", "wrap": "none", "hAnchor": "page",
                          "vAnchor": "page", "x": x, "y": y})
    spacing = w("spacing", {"before": 0, "after": 0, "line": max(inner if inner is not None else height, 20),
                            "lineRule": "exact"})
    return paragraph(styles.HEAD, children, [frame, *extra, spacing, w("ind", {"left": 0, "right": 0,
                                                                                 "firstLine": 0})])


def seal_anchor(word: WordDocument, png: bytes, profile: Profile, centre_twips: int,
                width_pt: float | None = None, above_pt: float | None = None) -> object:
    """A run holding the seal picture anchored to its paragraph, over the text: `diameter_mm`
    wide (or `width_pt`), centred `centre_twips` from the 版心's left edge and
    `centre_above_signature_pt` (or `above_pt`) above the centre of the paragraph's line
    [G2, S3, S4]; a joint seal [S5] or a 签名章 [S9] alike."""
    seal = profile.seal
    inline = word.part.new_pic_inline(io.BytesIO(png), None, None)
    extent = inline.find(qn("wp:extent"))
    natural_w, natural_h = int(extent.get("cx")), int(extent.get("cy"))
    width = (Mm(seal.diameter_mm).pt if width_pt is None else width_pt) * EMU_PER_POINT
    above = seal.centre_above_signature_pt if above_pt is None else above_pt
    height = width * natural_h / natural_w
    width_emu, height_emu = round(width), round(height)
    extent.set("cx", str(width_emu))
    extent.set("cy", str(height_emu))
    graphic = inline.find(qn("a:graphic"))
    for ext in graphic.iter(qn("a:ext")):
        ext.set("cx", str(width_emu))
        ext.set("cy", str(height_emu))
    line = profile.grid.docx_line_pitch_twips * EMU_PER_TWIP
    x = centre_twips * EMU_PER_TWIP - width_emu // 2
    y = round(line / 2 - above * EMU_PER_POINT - height_emu / 2)
    anchor = OxmlElement("wp:anchor")
    for key, value in (("distT", "0"), ("distB", "0"), ("distL", "0"), ("distR", "0"), ("simplePos", "0"),
                       ("relativeHeight", "251659264"), ("behindDoc", "0"), ("locked", "0"),
                       ("layoutInCell", "1"), ("allowOverlap", "1")):
        anchor.set(key, value)
    simple = OxmlElement("wp:simplePos")
    simple.set("x", "0")
    simple.set("y", "0")
    anchor.append(simple)
    for tag, relative, offset in (("wp:positionH", "margin", x), ("wp:positionV", "paragraph", y)):
        position = OxmlElement(tag)
        position.set("relativeFrom", relative)
        value = OxmlElement("wp:posOffset")
        value.text = str(offset)
        position.append(value)
        anchor.append(position)
    anchor.append(extent)
    effect = OxmlElement("wp:effectExtent")
    for side in "ltrb":
        effect.set(side, "0")
    anchor.append(effect)
    anchor.append(OxmlElement("wp:wrapNone"))
    for tag in ("wp:docPr", "wp:cNvGraphicFramePr"):
        child = inline.find(qn(tag))
        if child is not None:
            anchor.append(child)
    anchor.append(graphic)
    drawing = OxmlElement("w:drawing")
    drawing.append(anchor)
    holder = OxmlElement("w:r")
    holder.append(drawing)
    return holder
