"""styles.xml built from the profile, replacing python-docx's template styles entirely.

Nothing of the template survives: its docDefaults name theme fonts (which win over explicit
names, N2) and an en-US East Asian language (N3), and its Heading/Title styles are blue,
bold and spaced (N4). Every style here names its fonts explicitly, is black, not bold, and
uses exact line spacing of one grid pitch, so each line of every paragraph takes exactly one
of the page's grid lines [B1, B5].

Styles that need no first-line indent are not based on Normal: Normal carries
`w:firstLineChars`, which Word lets override any twips indent inherited below it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import heading_role
from ...profile import Profile, Role
from ...units import Pt
from .ooxml import exact_spacing, flag, indent, ppr, role_fonts, role_rpr, w

NORMAL = "Normal"
TITLE = "Title"
RECIPIENTS = "Recipients"
SIGNATURE = "Signature"
SIGN_DATE = "SignDate"
NOTE = "Note"
ATTACHMENTS = "Attachments"
IMPRINT = "Imprint"
FOOTER = "Footer"
TRAILER = "Trailer"
TABLE_CAPTION = "TableCaption"
TABLE_UNIT = "TableUnit"
TABLE_TEXT = "TableText"
TABLE_HEAD = "TableHead"
TABLE_NOTE = "TableNote"
HEAD = "Head"


def heading_style(level: int) -> str:
    return f"Heading{level}"


def heading_char_style(level: int) -> str:
    return f"Heading{level}Char"


@dataclass(frozen=True)
class Geometry:
    """Per-document measures the furniture styles need, in twips."""

    signature_right: int
    date_right: int
    text_width: int
    head: bool = False          # the document has a 版头 (its paragraph style is added only then)


def char_twips(role: Role) -> int:
    """One character (字) of a role, the unit of GB/T 9704's 空N字 [B3]."""
    return Pt(role.size_pt).twips


def build_styles(profile: Profile, geometry: Geometry, with_tables: bool = False) -> list:
    """The children of `w:styles`, in order; the table styles only for a document with tables, so
    the files of reports without tables stay as they were."""
    body = profile.role("body")
    pitch = profile.grid.docx_line_pitch_twips
    spacing_pt = profile.grid.docx_char_spacing_pt
    char = char_twips(body)
    first_line = round(profile.body.first_line_indent_chars * char)
    heading_first_line = round(profile.body.heading_first_line_indent_chars * char)
    justify = "both" if profile.body.justify else "left"
    styles = [
        _doc_defaults(profile),
        _paragraph_style(NORMAL, "Normal", None, ppr(
            indent(first_line=first_line, first_line_chars=round(profile.body.first_line_indent_chars * 100)),
            w("jc", {"val": justify}),
        ), role_rpr(body, profile, spacing_pt), default=True),
        w("style", {"type": "character", "default": "1", "styleId": "DefaultParagraphFont"},
          w("name", {"val": "Default Paragraph Font"}), w("uiPriority", {"val": 1}),
          w("semiHidden"), w("unhideWhenUsed")),
        _table_normal(),
    ]
    styles.append(_paragraph_style(TITLE, "Title", None, ppr(
        exact_spacing(pitch), indent(first_line_chars=0), w("jc", {"val": "center"}),
    ), role_rpr(profile.role("title"), profile, 0.0)))
    for level in range(1, 5):
        role = profile.role(heading_role(level))
        # A heading never ends a page or breaks across one: it moves to the next page with
        # the text it heads (the line model accounts for the lines this leaves empty).
        styles.append(_paragraph_style(heading_style(level), f"heading {level}", NORMAL, ppr(
            flag("keepNext", True), flag("keepLines", True),
            indent(first_line=heading_first_line,
                   first_line_chars=round(profile.body.heading_first_line_indent_chars * 100)),
            w("outlineLvl", {"val": level - 1}),
        ), role_rpr(role, profile, spacing_pt), link=heading_char_style(level)))
        styles.append(_character_style(heading_char_style(level), f"Heading {level} Char",
                                       role_rpr(role, profile, spacing_pt), link=heading_style(level)))
    styles.append(_paragraph_style(RECIPIENTS, "主送机关", None, ppr(
        indent(left=round(profile.recipients.indent_chars * char), first_line_chars=0),
        w("jc", {"val": justify}),
    ), role_rpr(body, profile, spacing_pt)))
    styles.append(_paragraph_style(SIGNATURE, "发文机关署名", None, ppr(
        flag("keepNext", True),  # the 署名 never ends a page without its date
        indent(right=geometry.signature_right, first_line_chars=0), w("jc", {"val": "right"}),
    ), role_rpr(body, profile, spacing_pt)))
    styles.append(_paragraph_style(SIGN_DATE, "成文日期", None, ppr(
        indent(right=geometry.date_right, first_line_chars=0), w("jc", {"val": "right"}),
    ), role_rpr(body, profile, spacing_pt)))
    styles.append(_paragraph_style(NOTE, "附注", None, ppr(
        indent(first_line=round(profile.note.indent_chars * char)), w("jc", {"val": justify}),
    ), role_rpr(body, profile, spacing_pt)))
    # Left-aligned: justifying a wrapped item would move "1." off the column "2." starts in.
    styles.append(_paragraph_style(ATTACHMENTS, "附件说明", None, ppr(
        indent(first_line=round(profile.attachments.indent_chars * char)), w("jc", {"val": "left"}),
    ), role_rpr(body, profile, spacing_pt)))
    imprint = profile.role("imprint")
    imprint_indent = round(profile.imprint.indent_chars * char_twips(imprint))
    styles.append(_paragraph_style(IMPRINT, "版记", None, ppr(
        w("tabs", None, w("tab", {"val": "right", "pos": geometry.text_width - imprint_indent})),
        exact_spacing(pitch), indent(left=imprint_indent, right=imprint_indent), w("jc", {"val": "left"}),
    ), role_rpr(imprint, profile, 0.0)))
    if geometry.head:
        # 版头 paragraphs: each sets its own exact height (head.py), off the grid, no indent.
        styles.append(_paragraph_style(HEAD, "版头", None, ppr(
            flag("snapToGrid", False), indent(first_line_chars=0), w("jc", {"val": "left"}),
        ), role_rpr(body, profile, spacing_pt)))
    # The footer must not inherit the grid pitch or Normal's indent (spec §3 item 4); its line is
    # the font's own height, which `footer_distance_mm` in the profile is calibrated against.
    styles.append(_paragraph_style(FOOTER, "footer", None, ppr(
        flag("snapToGrid", False),
        w("spacing", {"before": 0, "after": 0, "line": 240, "lineRule": "auto"}),
        indent(),
    ), role_rpr(profile.role("page_number"), profile, 0.0)))
    # The paragraph Word requires after a table: one point high, so a 版记 that ends on the
    # last grid line does not push an empty page after it.
    styles.append(_paragraph_style(TRAILER, "版记后段", None, ppr(
        flag("snapToGrid", False), exact_spacing(TWIPS_TRAILER), indent(),
    ), w("rPr", None, w("sz", {"val": TRAILER_HEIGHT.half_points}), w("szCs", {"val": TRAILER_HEIGHT.half_points}))))
    if with_tables:
        styles.extend(_table_styles(profile))
    return styles


TRAILER_HEIGHT = Pt(1)
TWIPS_TRAILER = TRAILER_HEIGHT.twips


def cell_line_twips(profile: Profile, role: Role) -> int:
    """The exact line height of table cell text (the .docx table writer predicts rows with it)."""
    return Pt(role.size_pt * profile.docx.single_line_em * profile.table.cell_line_spacing).twips


def _table_styles(profile: Profile) -> list:
    """Caption and unit line above a table and notes under it sit on the page's grid; cell text
    is set at its own exact line height (no grid), so rows are as tall as their text [T6]."""
    pitch = profile.grid.docx_line_pitch_twips
    table = profile.table
    body, head, caption = profile.role("table_body"), profile.role("table_head"), profile.role("table_caption")

    def cell_ppr(role: Role):
        return ppr(flag("snapToGrid", False), exact_spacing(cell_line_twips(profile, role)), indent(first_line_chars=0))

    return [
        _paragraph_style(TABLE_CAPTION, "表题", None, ppr(
            flag("keepNext", True), flag("keepLines", True), exact_spacing(pitch), indent(first_line_chars=0),
            w("jc", {"val": "center"}),
        ), role_rpr(caption, profile, 0.0)),
        _paragraph_style(TABLE_UNIT, "表格单位", None, ppr(
            flag("keepNext", True), exact_spacing(pitch), indent(first_line_chars=0), w("jc", {"val": "right"}),
        ), role_rpr(body, profile, 0.0)),
        _paragraph_style(TABLE_TEXT, "表格文字", None, cell_ppr(body), role_rpr(body, profile, 0.0)),
        _paragraph_style(TABLE_HEAD, "表头", None, cell_ppr(head), role_rpr(head, profile, 0.0)),
        _paragraph_style(TABLE_NOTE, "表注", None, ppr(
            exact_spacing(pitch),
            indent(first_line=round(table.note_indent_chars * char_twips(body)), first_line_chars=0),
            w("jc", {"val": "both"}),
        ), role_rpr(body, profile, 0.0)),
    ]


def _doc_defaults(profile: Profile):
    body = profile.role("body")
    lang = profile.docx.language
    return w("docDefaults", None,
             w("rPrDefault", None, w("rPr", None,
                                     role_fonts(body),
                                     w("color", {"val": profile.colors.word_text}),
                                     w("sz", {"val": Pt(body.size_pt).half_points}),
                                     w("szCs", {"val": Pt(body.size_pt).half_points}),
                                     w("lang", {"val": profile.docx.latin_language, "eastAsia": lang}))),
             w("pPrDefault", None, ppr(
                 flag("widowControl", profile.grid.widow_control),
                 # Explicit "on": Word hangs its marks as by default, while LibreOffice, which reads the
                 # value inverted, hangs nothing; it does not paint a hanging mark in the condensed
                 # (−0.25 pt) text of this .docx, so a hang there would lose the mark on screen.
                 flag("overflowPunct", True),
                 flag("snapToGrid", False),
                 exact_spacing(profile.grid.docx_line_pitch_twips),
             )))


def _paragraph_style(style_id: str, name: str, based_on: str | None, ppr_element, rpr_element,
                     default: bool = False, link: str | None = None):
    attrs = {"type": "paragraph", "styleId": style_id}
    if default:
        attrs["default"] = "1"
    return w("style", attrs,
             w("name", {"val": name}),
             w("basedOn", {"val": based_on}) if based_on else None,
             w("next", {"val": NORMAL}),
             w("link", {"val": link}) if link else None,
             w("qFormat"),
             ppr_element, rpr_element)


def _character_style(style_id: str, name: str, rpr_element, link: str):
    return w("style", {"type": "character", "customStyle": "1", "styleId": style_id},
             w("name", {"val": name}),
             w("basedOn", {"val": "DefaultParagraphFont"}),
             w("link", {"val": link}),
             rpr_element)


def _table_normal():
    return w("style", {"type": "table", "default": "1", "styleId": "TableNormal"},
             w("name", {"val": "Normal Table"}), w("uiPriority", {"val": 99}),
             w("semiHidden"), w("unhideWhenUsed"),
             w("tblPr", None,
               w("tblInd", {"w": 0, "type": "dxa"}),
               w("tblCellMar", None,
                 w("top", {"w": 0, "type": "dxa"}), w("left", {"w": 0, "type": "dxa"}),
                 w("bottom", {"w": 0, "type": "dxa"}), w("right", {"w": 0, "type": "dxa"}))))
