"""WordprocessingML building blocks for the Word writer: elements, run fonts.

Layout decisions live in the callers; this module only knows how OOXML spells things and
in which order the schema wants child elements (Word rejects or ignores misordered ones).
"""

from __future__ import annotations

from typing import Iterable

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ...cjk import docx_dashes
from ...profile import Profile, Role
from ...units import Pt


def w(tag: str, attrs: dict | None = None, *children) -> OxmlElement:
    """`<w:tag w:key="value">children</w:tag>`; None children are skipped."""
    element = OxmlElement(f"w:{tag}")
    for key, value in (attrs or {}).items():
        element.set(qn(key if ":" in key else f"w:{key}"), str(value))
    for child in children:
        if child is not None:
            element.append(child)
    return element


def flag(tag: str, on: bool) -> OxmlElement:
    """An on/off property written explicitly, so nothing inherited can switch it back."""
    return w(tag, {"val": "1" if on else "0"})


def role_fonts(role: Role) -> OxmlElement:
    """Explicit fonts for every script slot, never a theme font [N1, N2].

    `hint="eastAsia"` makes Word draw ambiguous characters (“ ” — …) with the Chinese face [N3].
    """
    return w("rFonts", {
        "ascii": role.word_latin, "hAnsi": role.word_latin, "eastAsia": role.word,
        "cs": role.word_latin, "hint": "eastAsia",
    })


def east_asian_font(role: Role) -> OxmlElement:
    """The East Asian face alone, for runs inside a paragraph whose style already names the
    role's Latin faces: a long report has a hundred thousand runs, and four more font
    attributes on each made the .docx writer's tree the largest thing in memory [N1, N3]."""
    return w("rFonts", {"eastAsia": role.word, "hint": "eastAsia"})


# Child order of w:rPr in the schema (CT_RPr), restricted to what this writer uses.
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "vanish", "color", "spacing", "w", "kern",
              "sz", "szCs", "lang")
# Child order of w:pPr (CT_PPr), restricted likewise.
_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "pBdr", "tabs",
              "kinsoku", "overflowPunct", "autoSpaceDE", "autoSpaceDN", "snapToGrid", "spacing", "ind", "jc", "outlineLvl", "rPr",
              "sectPr")


def _ordered(tag: str, order: tuple[str, ...], children: Iterable[OxmlElement]) -> OxmlElement:
    present = [c for c in children if c is not None]
    rank = {name: i for i, name in enumerate(order)}

    def key(child: OxmlElement) -> int:
        return rank[child.tag.split("}", 1)[1]]

    return w(tag, None, *sorted(present, key=key))


def rpr(*children: OxmlElement | None) -> OxmlElement:
    return _ordered("rPr", _RPR_ORDER, children)


def ppr(*children: OxmlElement | None) -> OxmlElement:
    return _ordered("pPr", _PPR_ORDER, children)


def role_rpr(role: Role, profile: Profile, char_spacing_pt: float = 0.0, style: str | None = None) -> OxmlElement:
    """Run properties of a font role: fonts, size, black, not bold or italic [C1–C6, N4]."""
    return rpr(
        w("rStyle", {"val": style}) if style else None,
        role_fonts(role),
        flag("b", False), flag("bCs", False), flag("i", False), flag("iCs", False),
        w("color", {"val": profile.colors.word_text}),
        w("spacing", {"val": Pt(char_spacing_pt).twips}),
        w("kern", {"val": 0}),
        w("sz", {"val": Pt(role.size_pt).half_points}),
        w("szCs", {"val": Pt(role.size_pt).half_points}),
    )


def exact_spacing(line_twips: int) -> OxmlElement:
    return w("spacing", {"before": 0, "beforeLines": 0, "after": 0, "afterLines": 0,
                         "line": line_twips, "lineRule": "exact"})


def indent(first_line: int = 0, left: int = 0, right: int = 0, hanging: int = 0,
           first_line_chars: int | None = None) -> OxmlElement:
    """`w:ind` in twips. `first_line_chars` (1/100 character) is written only when asked for."""
    attrs: dict = {"left": left, "right": right}
    if hanging:
        attrs["hanging"] = hanging
    else:
        attrs["firstLine"] = first_line
    if first_line_chars is not None:
        attrs["firstLineChars"] = first_line_chars
    return w("ind", attrs)


def text_element(text: str) -> OxmlElement:
    """`w:t` of `text`; a 破折号 is written as "――", which no renderer splits (exporter.cjk)."""
    t = w("t")
    text = docx_dashes(text)
    t.text = text
    if text != text.strip():
        t.set(qn("xml:space"), "preserve")
    return t


def run(text: str, rpr_element: OxmlElement | None) -> OxmlElement:
    return w("r", None, rpr_element, text_element(text))


def text_runs(text: str, make_rpr) -> list[OxmlElement]:
    """The runs of `text`: one, in the paragraph's own spacing. Never a scaled run (w:w): the
    text must stay editable, and LibreOffice failed to paint scaled hanging marks."""
    return [run(text, make_rpr())]


def paragraph(style: str, children: Iterable[OxmlElement] = (), extra_ppr: Iterable[OxmlElement | None] = ()) -> OxmlElement:
    p = w("p", None, ppr(w("pStyle", {"val": style}), *extra_ppr))
    for child in children:
        p.append(child)
    return p


def bookmark(bookmark_id: int, name: str, content: Iterable[OxmlElement]) -> list[OxmlElement]:
    """Content wrapped in a named bookmark, so other files can link to it by name."""
    return [w("bookmarkStart", {"id": bookmark_id, "name": name}), *content, w("bookmarkEnd", {"id": bookmark_id})]


def page_field(rpr_factory, cached: str) -> list[OxmlElement]:
    """A PAGE field as a complex field (begin / instruction / separate / cached result / end) [I4, N7]."""
    return [
        w("r", None, rpr_factory(), w("fldChar", {"fldCharType": "begin"})),
        w("r", None, rpr_factory(), _instr(" PAGE ")),
        w("r", None, rpr_factory(), w("fldChar", {"fldCharType": "separate"})),
        w("r", None, rpr_factory(), text_element(cached)),
        w("r", None, rpr_factory(), w("fldChar", {"fldCharType": "end"})),
    ]


def _instr(code: str) -> OxmlElement:
    element = w("instrText")
    element.text = code
    element.set(qn("xml:space"), "preserve")
    return element
