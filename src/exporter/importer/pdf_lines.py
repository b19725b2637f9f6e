"""A PDF page's characters → printed lines (importer.pdf): characters grouped by baseline, spaces
only where Latin text had them, the font of each character, and text printed sideways (a
landscape table's frame) read turned upright."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pdf_tables import PdfTable

HEADING_FONTS = ("hei", "黑体", "simhei", "bold", "-bd", "heavy")
KAI_FONTS = ("kai", "楷")


@dataclass
class PdfLine:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    fonts: list[str]           # font name of each character, in order

    @property
    def heading_font(self) -> bool:
        return bool(self.fonts) and all(is_heading_font(f) for f in self.fonts)

    @property
    def kai_lead(self) -> bool:
        return bool(self.fonts) and any(k in self.fonts[0].lower() for k in KAI_FONTS)


def is_heading_font(name: str) -> bool:
    lowered = name.lower()
    return any(mark in lowered for mark in HEADING_FONTS)


def group_lines(chars: list[dict]) -> list[list[dict]]:
    chars = sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"]))
    rows: list[list[dict]] = []
    for char in chars:
        middle = (char["top"] + char["bottom"]) / 2
        for row in reversed(rows[-3:]):
            ref = row[0]
            if abs((ref["top"] + ref["bottom"]) / 2 - middle) < 0.45 * max(ref["size"], char["size"]):
                row.append(char)
                break
        else:
            rows.append([char])
    for row in rows:
        row.sort(key=lambda c: c["x0"])
    rows.sort(key=lambda row: min(c["top"] for c in row))
    return rows


def row_text(row: list[dict]) -> tuple[str, list[str]]:
    """Text and per-character fonts; a space only where the gap between Latin letters or digits
    says the PDF meant one (Chinese text has no spaces, and a justified line's gaps are not spaces)."""
    out: list[str] = []
    fonts: list[str] = []
    previous = None
    for char in row:
        text = char["text"]
        if not text.strip():
            previous = char if previous is None else previous
            continue
        if previous is not None and out:
            gap = char["x0"] - previous["x1"]
            if gap > 0.25 * char["size"] and out[-1][-1:].isascii() and text[:1].isascii():
                out.append(" ")
                fonts.append(fonts[-1])
        out.append(text)
        fonts.extend([_font_name(char)] * len(text))
        previous = char
    return "".join(out), fonts


def _font_name(char: dict) -> str:
    return str(char.get("fontname", "")).split("+")[-1]


def page_lines(page, number: int, tables: list[PdfTable]) -> list[PdfLine]:
    chars = [c for c in page.chars if not any(inside(c, t.bbox) for t in tables)]
    upright = [c for c in chars if c.get("upright", True)]
    turned = [c for c in chars if not c.get("upright", True)]
    groups = group_lines(upright)
    if turned:
        # Text printed sideways (the unit line and notes of a landscape table): read turned upright,
        # in the same frame as the page's turned table, so it stands before or after it.
        turn = quarter_turn(turned) or 1
        groups += group_lines([turned_char(c, turn, page.width, page.height) for c in turned])
    lines = []
    for row in groups:
        text, fonts = row_text(row)
        if not text:
            continue
        sizes = Counter(round(c["size"], 1) for c in row if c["text"].strip())
        lines.append(PdfLine(number, text, row[0]["x0"], max(c["x1"] for c in row), min(c["top"] for c in row),
                             max(c["bottom"] for c in row), sizes.most_common(1)[0][0], fonts))
    return lines


def inside(char: dict, box) -> bool:
    x0, top, x1, bottom = box
    return x0 <= (char["x0"] + char["x1"]) / 2 <= x1 and top <= (char["top"] + char["bottom"]) / 2 <= bottom


def quarter_turn(chars: list[dict]) -> int:
    """+1 when most characters run up the page (turned a quarter anticlockwise), -1 when down, 0 upright."""
    turned = [ch for ch in chars if not ch.get("upright", True)]
    if len(turned) <= len(chars) / 2:
        return 0
    ups = sum(1 for ch in turned if ch.get("matrix", (0, 1))[1] > 0)
    return 1 if ups >= len(turned) / 2 else -1


def turned_box(box, turn: int, width: float, height: float) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = box
    if turn > 0:
        return (height - bottom, x0, height - top, x1)
    return (top, width - x1, bottom, width - x0)


def turned_char(char: dict, turn: int, width: float, height: float) -> dict:
    x0, top, x1, bottom = turned_box((char["x0"], char["top"], char["x1"], char["bottom"]), turn, width, height)
    return {**char, "x0": x0, "top": top, "x1": x1, "bottom": bottom, "upright": True}
