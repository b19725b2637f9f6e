"""The 版头 in Word: 份号, 密级, 紧急程度, 发文机关标志, 发文字号, 签发人 and the red 分隔线 [K1–K16].

The body is laid on exact grid lines (one pitch each) and the 版记 is pushed down by counting
them, so the head is made of paragraphs and tables whose exact heights add up to whole grid
lines: the lines the PDF's head covers, computed the same way. Inside that span, the mark's
top is put `mark_top_mm` below the 版心 top by the spacing above it, and the red rule is the
top border of a one-row table placed `rule_gap_mm` below the 发文字号's glyphs. What the head
says is decided in exporter.furniture; this module places it.
"""

from __future__ import annotations

import math

from ...furniture import Head
from ...profile import Profile
from ...units import Mm, Pt
from . import styles
from .furniture import Placed
from .letter import letter_mark
from .lines import TextMetrics, rendered_width_pt
from .ooxml import flag, indent, paragraph, role_fonts, rpr, run, w

# Where LibreOffice and Word put a run's em box inside an exact-height line: the line's extra
# height goes above the text, and the em box ends this fraction of the size above the line's
# bottom. Measured on LibreOffice 7.4 renders with the free faces (Noto Serif CJK Bold for the
# mark, FandolFang for 3号); other faces move the text by their own descent, well within the
# ±1 mm of GB/T 9704 6.1 (tests/writers/docx/test_head.py measures a render).
_EM_BOTTOM_ABOVE_LINE_BOTTOM = 0.125
# The same for 3号 text on a grid line (the 发文字号 above the rule): 3.4 pt in 28.95 pt lines.
_BODY_EM_BOTTOM_ABOVE_LINE_BOTTOM = 0.21


class HeadLayout:
    def __init__(self, head: Head, profile: Profile, text_width: int, condensed: TextMetrics):
        self.head = head
        self.profile = profile
        self.settings = profile.head
        self.text_width = text_width
        self.pitch = profile.grid.docx_line_pitch_twips
        self.body = profile.role("body")
        self.char = styles.char_twips(self.body)
        self.condensed = condensed

    # -- the whole head -----------------------------------------------------------------------

    def placed(self) -> Placed:
        head, settings, pitch = self.head, self.settings, self.pitch
        if head.style == "letter":
            return self._letter()
        profile = self.profile
        placed = Placed()
        corner = {line: (text, role) for line, text, role in head.corner}
        corner_lines = max(corner, default=-1) + 1
        for line in range(corner_lines):
            text, role = corner.get(line, ("", "body"))
            placed.add(self._line(self._runs(text, role) if text else [], pitch), 1)
        used = corner_lines * pitch
        order = head.style == "order"
        top_mm = {"order": profile.order.mark_top_mm,
                  "minutes": profile.minutes.mark_top_mm}.get(head.style, settings.mark_top_mm)
        mark, mark_bottom, mark_end = self._mark(used, Mm(top_mm).twips)
        after_mark = profile.order.blank_lines_after_mark if order else settings.blank_lines_after_mark
        doc_line = math.ceil(mark_bottom / pitch - 1e-6) + after_mark
        doc_line += max(len(head.signer_lines) - 1, 0)
        first_signer_line = doc_line - max(len(head.signer_lines) - 1, 0)
        # The mark, then a spacer down to the first line of the 发文字号/签发人.
        placed.elements.extend(mark)
        after_mark = first_signer_line * pitch - mark_end
        placed.add(self._line([], max(after_mark, 1)), first_signer_line - corner_lines)
        for line in range(first_signer_line, doc_line + 1):
            placed.add(self._doc_line(line - first_signer_line, line == doc_line), 1)
        if order:
            # 命令: the 令号 and no 分隔线; the 正文 two blank lines below [M3, M4].
            for _ in range(profile.order.blank_lines_after_number):
                placed.add(paragraph(styles.NORMAL), 1)
            return placed
        rule = self._rule()
        placed.extend(rule)
        for _ in range(settings.blank_lines_before_title):
            placed.add(paragraph(styles.NORMAL), 1)
        return placed

    # -- pieces -------------------------------------------------------------------------------

    def _line(self, children: list, height: int, extra: tuple = ()) -> object:
        """A paragraph exactly `height` twips high, off the document grid."""
        return paragraph(styles.HEAD, children, [
            flag("snapToGrid", False),
            w("spacing", {"before": 0, "after": 0, "line": height, "lineRule": "exact"}),
            *extra,
        ])

    def _runs(self, text: str, role_name: str, colour: str | None = None, size_pt: float | None = None,
              scale: float = 1.0) -> list:
        role = self.profile.role(role_name)
        size = Pt(size_pt if size_pt is not None else role.size_pt).half_points
        spacing = self.profile.grid.docx_char_spacing_pt if role.size_pt == self.body.size_pt and size_pt is None else 0
        properties = rpr(role_fonts(role), w("color", {"val": colour}) if colour else None,
                         w("spacing", {"val": Pt(spacing).twips}) if spacing else None,
                         w("w", {"val": round(scale * 100)}) if scale < 1 else None,
                         w("sz", {"val": size}), w("szCs", {"val": size}))
        return [run(text, properties)]

    def _width_pt(self, text: str, role_name: str, size_pt: float | None = None) -> float:
        role = self.profile.role(role_name)
        if size_pt is None and role.size_pt == self.body.size_pt:
            return rendered_width_pt(text, self.condensed)
        metrics = TextMetrics(size_pt or role.size_pt, 0.0, self.profile.renderer.autospace_em)
        return rendered_width_pt(text, metrics)

    def _letter(self) -> Placed:
        """信函 [L1–L8]: the mark, framed from the page's top edge, and the double lines, drawn
        from the page's edges, anchored at the top of the first page (letter.py); then the rows under the upper line: 份号, 密级, 紧急程度 flush left one a
        line, the 发文字号 flush right on the first row, the first row's glyphs `fields_gap_pt`
        below the line, in the grid lines the PDF's head covers, then the title's blank lines."""
        letter, page, pitch = self.profile.letter, self.profile.page, self.pitch
        size = letter.mark_size_pt
        body = self.body.size_pt
        line_bottom_pt = (Mm(letter.mark_top_from_page_mm - page.margin_top_mm).pt + size
                          + Mm(letter.rule_gap_mm).pt + letter.thick_rule_pt + letter.double_rule_gap_pt
                          + letter.thin_rule_pt)
        fields_top = Pt(line_bottom_pt + letter.fields_gap_pt).twips
        rows = [(text, role) for _, text, role in self.head.corner]
        count = max(len(rows), 1 if self.head.doc_number else 0)
        bottom = fields_top + count * Pt(body).twips
        lines = max(math.ceil(bottom / pitch - 1e-6), 0)
        # An exact line puts the em box's bottom this far above its own bottom (see _rule).
        em_top_in_line = pitch - Pt(body * _BODY_EM_BOTTOM_ABOVE_LINE_BOTTOM).twips - Pt(body).twips
        placed = Placed()
        spacer = max(fields_top - em_top_in_line, 1)
        mark, strokes = letter_mark(self.head, self.profile)
        placed.elements.append(mark)
        placed.elements.append(self._line(strokes, spacer))
        used = spacer
        right = w("tabs", None, w("tab", {"val": "right", "pos": self.text_width}))
        for k in range(count):
            text, role = rows[k] if k < len(rows) else ("", "body")
            children = self._runs(text, role) if text else []
            if k == 0 and self.head.doc_number:
                children += [w("r", None, w("tab"))] + self._runs(self.head.doc_number, "body")
            placed.elements.append(self._line(children, pitch, (right,)))
            used += pitch
        placed.elements.append(self._line([], max(lines * pitch - used, 1)))
        placed.lines += lines
        for _ in range(letter.blank_lines_before_title):
            placed.add(paragraph(styles.NORMAL), 1)
        return placed

    def _mark(self, used: int, top: int) -> tuple[list, int, int]:
        """The 发文机关标志, red, centred, its em box's top `mark_top_mm` below the 版心 top [K7];
        joint issuers in a borderless table: names stacked and spread (分散对齐) on the left,
        "文件" on the right, centred on the names [K8]. Returns the elements (they start at
        `used` twips below the 版心 top), the mark's em bottom and where the elements end."""
        head, settings = self.head, self.settings
        red = self.profile.colors.word_red
        width_pt = self.text_width / 20
        descent_of = lambda size: Pt(size * _EM_BOTTOM_ABOVE_LINE_BOTTOM).twips  # noqa: E731
        if len(head.mark_names) == 1:
            size = self.profile.role("issuer_mark").size_pt
            natural = self._width_pt(head.mark_text, "issuer_mark")
            scale = min(1.0, width_pt / natural)
            height = Pt(size).twips
            # A line one em plus the descent high starts at the em box's top.
            line = height + descent_of(size)
            spacer = self._line([], max(top - used, 1))
            mark = self._line(self._runs(head.mark_text, "issuer_mark", red, scale=scale), line,
                              (w("jc", {"val": "center"}),))
            return [spacer, mark], top + height, top + line
        size = settings.joint_size_pt
        names_width = max(self._width_pt(name, "issuer_mark", size) for name in head.mark_names)
        suffix_width = self._width_pt(head.mark_suffix, "issuer_mark", size) if head.mark_suffix else 0.0
        gap = settings.joint_suffix_gap_chars * size if head.mark_suffix else 0.0
        natural = names_width + gap + suffix_width
        scale = min(1.0, width_pt / natural)
        step = Pt(size * settings.joint_line_spacing).twips
        height = Pt(size).twips + step * (len(head.mark_names) - 1)
        descent = descent_of(size)
        # Each name line is `step` high with the name at its bottom; the first line's extra
        # height sits above the block, so the table starts that much higher.
        first_extra = step - Pt(size).twips
        table_top = top - first_extra + descent
        spacer = self._line([], max(table_top - used, 1))
        name_cell_width = round(Pt(names_width * scale).twips)
        suffix_cell_width = round(Pt((gap + suffix_width) * scale).twips) + 1
        names = [self._line(self._runs(name, "issuer_mark", red, size, scale), step,
                            (w("jc", {"val": "distribute"}),)) for name in head.mark_names]
        suffix = [self._line(self._runs(head.mark_suffix, "issuer_mark", red, size, scale) if head.mark_suffix
                             else [], step, (w("jc", {"val": "right"}),))]
        row_height = step * len(head.mark_names)
        table = w("tbl", None,
                  w("tblPr", None,
                    w("tblW", {"w": name_cell_width + suffix_cell_width, "type": "dxa"}),
                    w("jc", {"val": "center"}),
                    w("tblBorders", None, *(w(side, {"val": "nil"}) for side in
                                            ("top", "left", "bottom", "right", "insideH", "insideV"))),
                    w("tblLayout", {"type": "fixed"}),
                    w("tblCellMar", None, *(w(side, {"w": 0, "type": "dxa"}) for side in
                                            ("top", "left", "bottom", "right"))),
                    w("tblLook", {"val": "0000"})),
                  w("tblGrid", None, w("gridCol", {"w": name_cell_width}), w("gridCol", {"w": suffix_cell_width})),
                  w("tr", None, w("trPr", None, w("cantSplit"), w("trHeight", {"val": row_height, "hRule": "exact"})),
                    w("tc", None, w("tcPr", None, w("tcW", {"w": name_cell_width, "type": "dxa"})), *names),
                    w("tc", None, w("tcPr", None, w("tcW", {"w": suffix_cell_width, "type": "dxa"}),
                                    w("vAlign", {"val": "center"})), *suffix)))
        return [spacer, table], top + height, table_top + row_height

    def _doc_line(self, k: int, last: bool) -> object:
        """One line of the 发文字号 and 签发人: 下行文 the number centred [K10]; 上行文 the number
        左空一字 on the last 签发人 line, the 签发人 block 右空一字 through tab stops [K11–K13]."""
        head, settings = self.head, self.settings
        pitch = self.pitch
        if not head.upward:
            children = self._runs(head.doc_number, "body") if head.doc_number and last else []
            return self._line(children, pitch, (w("jc", {"val": "center"}),))
        char = self.char
        children = []
        if head.doc_number and last:
            children += self._runs(head.doc_number, "body")
        extra: list = [indent(left=round(settings.doc_number_indent_chars * char))]
        if head.signer_lines:
            label = Pt(self._width_pt(head.signer_label, "body")).twips
            columns = max(len(line) for line in head.signer_lines)
            widths = [Pt(max((self._width_pt(line[j], "signer") for line in head.signer_lines if j < len(line)),
                             default=0.0)).twips for j in range(columns)]
            gap = round(settings.signer_gap_chars * char)
            block = label + sum(widths) + gap * (columns - 1)
            start = self.text_width - round(settings.signer_indent_chars * char) - block
            stops = [start, start + label] + [start + label + sum(widths[:j]) + gap * j for j in range(1, columns)]
            extra.insert(0, w("tabs", None, *(w("tab", {"val": "left", "pos": pos}) for pos in stops)))
            tab = w("r", None, w("tab"))
            children.append(tab)
            if k == 0:
                children += self._runs(head.signer_label, "body")
            else:
                children.append(w("r", None, w("tab")))
            for j, name in enumerate(head.signer_lines[k]):
                if j:
                    children.append(w("r", None, w("tab")))
                children += self._runs(name, "signer")
        return self._line(children, pitch, tuple(extra))

    def _rule(self) -> Placed:
        """The red 分隔线 as wide as the 版心, `rule_gap_mm` below the 发文字号's glyph bottom [K14]:
        a spacer, then a one-row table whose top border is the rule, filling the grid line."""
        pitch = self.pitch
        body_size = self.body.size_pt
        glyph_gap = Pt(body_size * _BODY_EM_BOTTOM_ABOVE_LINE_BOTTOM).twips  # em bottom above the line bottom
        rule = Pt(self.settings.rule_pt)
        gap = Mm(self.settings.rule_gap_mm).twips - glyph_gap - rule.twips // 2
        spacer = self._line([], max(gap, 1))
        red = self.profile.colors.word_red
        border = {"val": "single", "sz": rule.eighth_points, "space": 0, "color": red}
        height = pitch - max(gap, 1) - rule.twips
        table = w("tbl", None,
                  w("tblPr", None,
                    w("tblW", {"w": self.text_width, "type": "dxa"}), w("jc", {"val": "left"}),
                    w("tblInd", {"w": 0, "type": "dxa"}),
                    w("tblBorders", None, w("top", border), *(w(side, {"val": "nil"}) for side in
                                                            ("left", "bottom", "right", "insideH", "insideV"))),
                    w("tblLayout", {"type": "fixed"}),
                    w("tblCellMar", None, *(w(side, {"w": 0, "type": "dxa"}) for side in
                                            ("top", "left", "bottom", "right"))),
                    w("tblLook", {"val": "0000"})),
                  w("tblGrid", None, w("gridCol", {"w": self.text_width})),
                  w("tr", None, w("trPr", None, w("cantSplit"), w("trHeight", {"val": height, "hRule": "exact"})),
                    w("tc", None, w("tcPr", None, w("tcW", {"w": self.text_width, "type": "dxa"})),
                      self._line([], max(height - 20, 20)))))
        placed = Placed()
        placed.elements.append(spacer)
        placed.add(table, 1)
        return placed
