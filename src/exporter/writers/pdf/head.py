"""The 版头 of the first page: 份号, 密级, 紧急程度, 发文机关标志, 发文字号, 签发人 and the red
分隔线 [K1–K16], placed in points from the 版心 top rather than on grid lines.

The standard measures the mark from the 版心 top (35 mm) and the rule from the 发文字号
(4 mm), neither of which falls on the 22-line grid, so the head is drawn at absolute
positions and takes the whole grid lines it covers; the title and the body continue on the
grid below it. What the head says is decided in exporter.furniture; this module places it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from ...fonts import LoadedFont
from ...furniture import Head
from ...units import Mm
from .compose import Row
from .typeset import PlacedLine, Typesetter
from .geometry import Geometry


@dataclass(frozen=True)
class Glyph:
    char: str
    font: LoadedFont
    size: float
    x: float                    # from the 版心's left edge, before the line's horizontal scale


@dataclass(frozen=True)
class HeadText:
    glyphs: tuple[Glyph, ...]
    left: float                 # where the (scaled) line starts, from the 版心's left edge
    baseline: float             # from the 版心 top
    red: bool
    scale: float = 1.0          # horizontal scale: a mark wider than the 版心 is condensed [K7]

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


@dataclass(frozen=True)
class HeadRule:
    y: float                    # the rule's centre line, from the 版心 top
    x0: float
    x1: float
    thickness: float


@dataclass(frozen=True)
class HeadLayout:
    texts: tuple[HeadText, ...]
    rules: tuple[HeadRule, ...]
    lines: int                  # grid lines the head covers, its rule included


@dataclass
class HeadRow(Row):
    head: HeadLayout | None = None


def head_rows(ts: Typesetter, head: Head) -> list[Row]:
    """The head as one row spanning the grid lines it covers, then the title's blank lines [K15]
    (信函 [L8]; 命令: the blank lines before the 正文 [M4])."""
    layout = HeadComposer(ts, head).layout()
    rows: list[Row] = [HeadRow("head", span=layout.lines, glue_next=True, head=layout)]
    blanks = {"letter": ts.profile.letter.blank_lines_before_title,
              "order": ts.profile.order.blank_lines_after_number}.get(head.style,
                                                                      ts.profile.head.blank_lines_before_title)
    rows.extend(Row("blank", glue_next=True) for _ in range(blanks))
    return rows


class HeadComposer:
    def __init__(self, ts: Typesetter, head: Head):
        self.ts = ts
        self.head = head
        self.geometry: Geometry = ts.geometry
        self.settings = ts.profile.head
        self.texts: list[HeadText] = []

    def layout(self) -> HeadLayout:
        if self.head.style == "letter":
            return self._letter()
        for line, text, role in self.head.corner:
            self._on_grid(self.ts.single(text, role, 0.0), role, line)
        order = self.head.style == "order"
        top = {"order": self.ts.profile.order.mark_top_mm,
               "minutes": self.ts.profile.minutes.mark_top_mm}.get(self.head.style, self.settings.mark_top_mm)
        mark_bottom = self._mark(Mm(top).pt)
        pitch = self.geometry.pitch
        after_mark = self.ts.profile.order.blank_lines_after_mark if order else self.settings.blank_lines_after_mark
        doc_line = math.ceil(mark_bottom / pitch - 1e-6) + after_mark
        if order:
            # 命令: the 令号 centred below the mark, no 分隔线 [M3, M4].
            self._doc_number_and_signers(doc_line)
            return HeadLayout(tuple(self.texts), (), doc_line + 1)
        doc_line += max(len(self.head.signer_lines) - 1, 0)
        self._doc_number_and_signers(doc_line)
        body = self.ts.size("body")
        em_bottom = doc_line * pitch + (pitch + body) / 2
        thickness = self.settings.rule_pt
        rule_y = em_bottom + Mm(self.settings.rule_gap_mm).pt + thickness / 2
        rule = HeadRule(rule_y, 0.0, self.geometry.text_width, thickness)
        lines = math.floor((rule_y + thickness / 2) / pitch) + 1
        return HeadLayout(tuple(self.texts), (rule,), lines)

    # -- pieces -------------------------------------------------------------------------------

    def _on_grid(self, line: PlacedLine, role: str, grid_line: int) -> None:
        size = self.ts.size(role)
        baseline = self.geometry.baseline(grid_line, 1, size, self.ts.fonts.primary[role].em_descent)
        self.texts.append(HeadText(_glyphs(line), 0.0, baseline - self.geometry.top, red=False))

    def _letter(self) -> HeadLayout:
        """信函格式 [L1–L14]: the issuer's name centred, its top `mark_top_from_page_mm` below the
        page's top edge; the red double line (thick over thin) `rule_gap_mm` below it, 170 mm
        long and centred on the 版心; 份号, 密级, 紧急程度 flush left one a line from
        `fields_gap_pt` below the line, the 发文字号 flush right on the first of those rows; the
        lower double line (thin over thick) `lower_rule_from_page_bottom_mm` above the page's
        bottom edge, on the first page only [L12]. Positions are from the 版心 top."""
        letter, geometry, ts = self.ts.profile.letter, self.geometry, self.ts
        page = self.ts.profile.page
        mark_top = Mm(letter.mark_top_from_page_mm - page.margin_top_mm).pt
        role = "issuer_mark"
        size = letter.mark_size_pt
        width = geometry.text_width
        glyphs, natural = self._set(self.head.mark_text, role, size)
        scale = min(1.0, width / natural)
        self._mark_text(glyphs, (width - natural * scale) / 2, mark_top, size, scale)
        length = Mm(letter.rule_length_mm).pt
        x0 = (width - length) / 2
        thick, thin, gap = letter.thick_rule_pt, letter.thin_rule_pt, letter.double_rule_gap_pt
        upper = mark_top + size + Mm(letter.rule_gap_mm).pt
        rules = [HeadRule(upper + thick / 2, x0, x0 + length, thick),
                 HeadRule(upper + thick + gap + thin / 2, x0, x0 + length, thin)]
        lower = Mm(page.height_mm - page.margin_top_mm - letter.lower_rule_from_page_bottom_mm).pt
        rules += [HeadRule(lower - thick / 2, x0, x0 + length, thick),
                  HeadRule(lower - thick - gap - thin / 2, x0, x0 + length, thin)]
        fields_top = upper + thick + gap + thin + letter.fields_gap_pt
        rows = [(text, role_name) for _, text, role_name in self.head.corner]
        pitch = geometry.pitch
        for k, (text, role_name) in enumerate(rows):
            self._at_top(ts.single(text, role_name, 0.0), role_name, fields_top + k * pitch)
        if self.head.doc_number:
            number = self.head.doc_number
            self._at_top(ts.single(number, "body", width - ts.width(number, "body")), "body", fields_top)
        bottom = fields_top + max(len(rows), 1 if self.head.doc_number else 0) * ts.size("body")
        lines = max(math.ceil(bottom / pitch - 1e-6), 0)
        return HeadLayout(tuple(self.texts), tuple(rules), lines)

    def _at_top(self, line: PlacedLine, role: str, em_top: float) -> None:
        size = self.ts.size(role)
        baseline = em_top + size * (1 - self.ts.fonts.primary[role].em_descent)
        self.texts.append(HeadText(_glyphs(line), 0.0, baseline, red=False))

    def _mark(self, top: float) -> float:
        """The 发文机关标志 centred on the 版心, its top `mark_top_mm` below the 版心 top [K7]; joint
        issuers stacked (host first), each spread to the widest name, "文件" to their right and
        centred on the block [K8]. Returns the mark's bottom, from the 版心 top."""
        head, settings = self.head, self.settings
        role = "issuer_mark"
        width = self.geometry.text_width
        if len(head.mark_names) == 1:
            size = self.ts.size(role)
            glyphs, natural = self._set(head.mark_text, role, size)
            scale = min(1.0, width / natural)
            self._mark_text(glyphs, (width - natural * scale) / 2, top, size, scale)
            return top + size
        size = settings.joint_size_pt
        names = [self._set(name, role, size) for name in head.mark_names]
        names_width = max(w for _, w in names)
        suffix, suffix_width = self._set(head.mark_suffix, role, size) if head.mark_suffix else ((), 0.0)
        gap = settings.joint_suffix_gap_chars * size if head.mark_suffix else 0.0
        natural = names_width + gap + suffix_width
        scale = min(1.0, width / natural)
        left = (width - natural * scale) / 2
        step = size * settings.joint_line_spacing
        for k, (glyphs, name_width) in enumerate(names):
            self._mark_text(_spread(glyphs, name_width, names_width), left, top + k * step, size, scale)
        height = size + step * (len(names) - 1)
        if suffix:
            shifted = tuple(Glyph(g.char, g.font, g.size, g.x + names_width + gap) for g in suffix)
            self._mark_text(shifted, left, top + (height - size) / 2, size, scale)
        return top + height

    def _set(self, text: str, role: str, size: float) -> tuple[tuple[Glyph, ...], float]:
        glyphs, x = [], 0.0
        for char in text:
            font = self.ts.fonts.font(role, char)
            glyphs.append(Glyph(char, font, size, x))
            x += font.advance(char) * size
        return tuple(glyphs), x

    def _mark_text(self, glyphs: tuple[Glyph, ...], left: float, em_top: float, size: float, scale: float) -> None:
        descent = self.ts.fonts.primary["issuer_mark"].em_descent
        self.texts.append(HeadText(glyphs, left, em_top + size * (1 - descent), red=True, scale=scale))

    def _doc_number_and_signers(self, doc_line: int) -> None:
        """下行文: the 发文字号 centred [K10]. 上行文: the 发文字号 左空一字 on the last 签发人 line,
        the 签发人 block 右空一字, "签发人：" once, later lines under the first name [K11–K13]."""
        head, ts, settings = self.head, self.ts, self.settings
        cell = self.geometry.char_unit(ts.size("body"))
        width = self.geometry.text_width
        if head.doc_number:
            if head.upward:
                x = settings.doc_number_indent_chars * cell
            else:
                x = (width - ts.width(head.doc_number, "body")) / 2
            self._on_grid(ts.single(head.doc_number, "body", x), "body", doc_line)
        if not head.signer_lines:
            return
        label = ts.cells(head.signer_label, "body")
        columns = max(len(line) for line in head.signer_lines)
        column_widths = [max((ts.width(line[j], "signer") for line in head.signer_lines if j < len(line)),
                             default=0.0) for j in range(columns)]
        gap = settings.signer_gap_chars * cell
        block = label + sum(column_widths) + gap * (columns - 1)
        start = width - settings.signer_indent_chars * cell - block
        first_line = doc_line - len(head.signer_lines) + 1
        for k, names in enumerate(head.signer_lines):
            if k == 0:
                self._on_grid(ts.single(head.signer_label, "body", start), "body", first_line)
            x = start + label
            for j, name in enumerate(names):
                self._on_grid(ts.single(name, "signer", x), "signer", first_line + k)
                x += column_widths[j] + gap


def _glyphs(line: PlacedLine) -> tuple[Glyph, ...]:
    glyphs = []
    for run in line.runs:
        x = line.x + run.x
        for char in run.text:
            glyphs.append(Glyph(char, run.font, run.size, x))
            x += run.font.advance(char) * run.size + run.spacing
    return tuple(glyphs)


def _spread(glyphs: tuple[Glyph, ...], natural: float, target: float) -> tuple[Glyph, ...]:
    """A name spread to `target` width by even gaps between its characters (分散对齐) [K8]."""
    if len(glyphs) < 2:
        return tuple(Glyph(g.char, g.font, g.size, g.x + (target - natural) / 2) for g in glyphs)
    extra = (target - natural) / (len(glyphs) - 1)
    return tuple(Glyph(g.char, g.font, g.size, g.x + k * extra) for k, g in enumerate(glyphs))


def draw_head(canvas: Canvas, geometry: Geometry, layout: HeadLayout, red: tuple[float, ...],
              black: tuple[float, ...]) -> None:
    """Red in CMYK from the profile, never RGB [G5]; each glyph at its own position."""
    for text in layout.texts:
        colour = red if text.red else black
        canvas.setFillColorCMYK(*colour)
        y = geometry.pdf_y(geometry.top + text.baseline)
        obj = canvas.beginText(geometry.left + text.left, y)
        obj.setHorizScale(text.scale * 100)
        for glyph in text.glyphs:
            obj.setFont(glyph.font.name, glyph.size)
            obj.setTextOrigin(geometry.left + text.left + glyph.x * text.scale, y)
            obj.textOut(glyph.char)
        canvas.drawText(obj)
    canvas.setFillColorCMYK(*black)
    for rule in layout.rules:
        canvas.setStrokeColorCMYK(*red)
        canvas.setLineWidth(rule.thickness)
        canvas.setLineCap(0)
        y = geometry.pdf_y(geometry.top + rule.y)
        canvas.line(geometry.left + rule.x0, y, geometry.left + rule.x1, y)
    canvas.setStrokeColorCMYK(*black)
