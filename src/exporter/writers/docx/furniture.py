"""The furniture after the 正文: 附件说明 [F1], 署名 and 成文日期 without seal [G1, G3], 附注 [G5]
and the 版记 [H1–H5], with the grid lines each takes so the 版记 can be pushed to the bottom.

What they say is decided in exporter.furniture, for the PDF as well; this module only places it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ...furniture import Furniture
from ...profile import Profile
from ...seal_layout import image_height, overhang_lines, seal_grid
from ...units import Mm, Pt, Twips
from . import styles
from .lines import TextMetrics, count_lines, renderer_metrics, rendered_width_pt
from .ooxml import indent, paragraph, role_fonts, rpr, run, text_runs, w


@dataclass
class Placed:
    """Body elements with the number of grid lines they take."""

    elements: list = field(default_factory=list)
    lines: int = 0

    def add(self, element, lines: int) -> None:
        self.elements.append(element)
        self.lines += lines

    def extend(self, other: "Placed") -> None:
        self.elements.extend(other.elements)
        self.lines += other.lines


class FurnitureLayout:
    """Builds the closing parts of one document from its printed furniture and the profile."""

    def __init__(self, printed: Furniture, profile: Profile, text_width_twips: int):
        self.printed = printed
        self.profile = profile
        self.text_width = text_width_twips
        self.body = profile.role("body")
        self.char = styles.char_twips(self.body)
        self.condensed = renderer_metrics(profile, self.body.size_pt, profile.grid.docx_char_spacing_pt)
        # Makes the seal's anchored picture for a 署名 paragraph, given the seal's centre in twips
        # from the 版心's left edge; set by the writer, which owns the package the image goes in.
        # With a PNG, a width and a centre height (pt above the line's centre), another picture:
        # a joint seal [S5] or a 签名章 [S9].
        self.seal_anchor: Callable[..., object] | None = None

    # -- shared -------------------------------------------------------------------------------

    def body_runs(self, text: str) -> list:
        return text_runs(text, lambda: rpr(role_fonts(self.body)))

    def blank(self, style: str = styles.NORMAL):
        return paragraph(style)

    def lines_of(self, text: str, first_twips: int, rest_twips: int, metrics: TextMetrics | None = None) -> int:
        return count_lines(text, metrics or self.condensed, Twips(first_twips).pt, Twips(rest_twips).pt)

    # -- 署名 and 成文日期 [G1] ---------------------------------------------------------------

    def signature_geometry(self) -> tuple[int, int]:
        """Right indents (twips) of 署名 and 成文日期.

        The 署名 is 右空二字 and the date starts `date_shift_chars` right of the 署名's first
        character; a date longer than the 署名 is 右空二字 instead and the 署名 moves left.
        Lengths are the rendered advances (digits are half width, and the renderers add a gap
        between digits and Chinese characters), so the shift holds in the rendered page.
        """
        sig = self.profile.signature
        edge = round(sig.right_indent_chars * self.char)
        if not (self.printed.issuer and self.printed.date):
            return edge, edge
        s = self._advance_twips(self.printed.issuer)
        d = self._advance_twips(self.printed.date)
        shift = round(sig.date_shift_chars * self.char)
        if d > s:
            return edge + shift + d - s, edge
        return edge, edge - shift + s - d

    def closing(self, used: int) -> tuple[Placed, bool]:
        """附件说明, 署名, 成文日期 and 附注 after `used` grid lines of text, and whether the last
        正文 paragraph must move to a new page.

        The 署名 and the date must share a page with 正文, not only the 附件说明 [G4]. When the
        standard blank line would push them over, it is dropped, as 7.3.5.5 allows adjusting
        spacing; when even that fails, the last paragraph moves to the next page with them (a
        page break, not keep-with-next, which Word and LibreOffice apply differently).
        """
        placed = Placed()
        if self.printed.attachments:
            for _ in range(self.profile.attachments.blank_lines_before):
                placed.add(self.blank(), 1)
            placed.extend(self.attachments())
        placed.extend(self.minutes_lists())
        move_last = False
        signature = self._signature()
        if signature.elements:
            per_page = self.profile.grid.lines_per_page
            text_end = used + placed.lines
            wanted = self._signature_blank_lines()
            for blanks in range(wanted, -1, -1):
                last = text_end + blanks + signature.lines - 1
                # The 附件说明 and a 纪要's lists are not 正文: the page must hold a line of the text.
                if (used - 1) // per_page == last // per_page:
                    break
            else:
                blanks, move_last = wanted, True
            for _ in range(blanks):
                placed.add(self.blank(), 1)
            placed.extend(signature)
        if self.printed.note:
            text = self.printed.note
            first = self.text_width - round(self.profile.note.indent_chars * self.char)
            placed.add(paragraph(styles.NOTE, self.body_runs(text)), self.lines_of(text, first, self.text_width))
        return placed, move_last

    def _signature_blank_lines(self) -> int:
        printed = self.printed
        if printed.signoff_lines:
            return self.profile.order.signature_blank_lines_before   # [M5, S9]
        if printed.signature_seals:
            order = self.profile.order
            return order.signature_blank_lines_before + overhang_lines(
                Mm(order.signature_seal_height_mm).twips, self.profile.grid.docx_line_pitch_twips)
        if printed.sealed:
            return self.profile.seal.blank_lines_before               # [S4]
        return self.profile.signature.blank_lines_before              # [G1]

    def minutes_lists(self) -> Placed:
        """纪要: 出席, 请假, 列席 one blank line below the 正文 (or 附件说明), 左空二字, the label in
        黑体, the names in 仿宋, wrapped lines under the first name [J2, J3]."""
        placed = Placed()
        if not self.printed.minutes_lists:
            return placed
        settings = self.profile.minutes
        label_role = self.profile.role(settings.label_role)
        for _ in range(settings.blank_lines_before_lists):
            placed.add(self.blank(), 1)
        left = round(settings.list_indent_chars * self.char)
        for label, names in self.printed.minutes_lists:
            hang = self._advance_twips(label)
            children = [run(label, rpr(role_fonts(label_role)))] + self.body_runs(names)
            element = paragraph(styles.ATTACHMENTS, children, [indent(left=left + hang, hanging=hang)])
            placed.add(element, self.lines_of(label + names, self.text_width - left, self.text_width - left - hang))
        return placed

    def _right_paragraph(self, text: str, right: int, keep_next: bool = True) -> object:
        style = styles.SIGNATURE if keep_next else styles.SIGN_DATE
        return paragraph(style, self.body_runs(text), [indent(right=right, first_line_chars=0)])

    def _special_signature(self) -> Placed:
        """Sealed [G2, S3]: 成文日期 右空四字, the 署名 centred on it, the seal anchored on the
        first 署名 and centred on both. 命令 [M5, S9]: the 签发人 lines and, one blank line
        below, the date, all 右空四字. Joint, unsealed [S8]: the 署名 one a line aligned on
        their first character, the date per [G1] against the longest."""
        printed, profile = self.printed, self.profile
        placed = Placed()
        one = lambda element: placed.add(element, 1)  # noqa: E731
        if printed.signoff_lines:
            order = profile.order
            right = round(order.signature_right_indent_chars * self.char)
            for text in printed.signoff_lines:
                one(self._right_paragraph(text, right))
            if printed.date:
                for _ in range(order.date_blank_lines_before):
                    one(paragraph(styles.SIGNATURE))
                one(self._right_paragraph(printed.date, right, keep_next=False))
            return placed
        if printed.signature_seals:
            return self._signature_seals()
        names = [n for n in (printed.issuer, *printed.co_issuers) if n]
        if printed.joint_seal_pngs and len(names) == len(printed.joint_seal_pngs):
            return self._joint_seals(names)
        if printed.sealed:
            date_right = round(profile.seal.date_right_indent_chars * self.char)
            date_width = self._advance_twips(printed.date) if printed.date else self._advance_twips(names[0])
            centre_right = date_right + date_width // 2        # the date's centre, from the right margin
            for k, name in enumerate(names):
                element = self._right_paragraph(name, centre_right - self._advance_twips(name) // 2)
                if k == 0 and self.seal_anchor is not None:
                    element.append(self.seal_anchor(self.text_width - centre_right))
                one(element)
            if printed.date:
                element = self._right_paragraph(printed.date, date_right, keep_next=False)
                if not names and self.seal_anchor is not None:
                    element.append(self.seal_anchor(self.text_width - centre_right))
                one(element)
            return placed
        sig = profile.signature
        edge = round(sig.right_indent_chars * self.char)
        shift = round(sig.date_shift_chars * self.char)
        widths = [self._advance_twips(name) for name in names]
        longest = max(widths)
        d = self._advance_twips(printed.date) if printed.date else 0
        names_right, date_right = (edge + shift + d - longest, edge) if d > longest else (edge, edge - shift + longest - d)
        for name, width in zip(names, widths):
            one(self._right_paragraph(name, names_right + longest - width))
        if printed.date:
            one(self._right_paragraph(printed.date, date_right, keep_next=False))
        return placed

    def _joint_seals(self, names: list[str]) -> Placed:
        """One seal per issuer, side by side in rows (exporter.seal_layout), each 署名 centred on
        its seal by a centre tab stop; the last seal over the last 署名 and the date [S5, S6]."""
        printed, profile = self.printed, self.profile
        seal = profile.seal
        placed = Placed()
        date_right = round(seal.date_right_indent_chars * self.char)
        date_width = self._advance_twips(printed.date) if printed.date else self._advance_twips(names[-1])
        diameter = Mm(seal.diameter_mm).twips
        pngs = printed.joint_seal_pngs
        widths = [self._advance_twips(name) for name in names]
        grid = seal_grid([float(w_) for w_ in widths], diameter, max(image_height(p, diameter) for p in pngs),
                         Mm(seal.joint_gap_mm).twips, seal.seals_per_row,
                         self.text_width - date_right - date_width / 2, self.text_width,
                         profile.grid.docx_line_pitch_twips, self.char)
        for r, row in enumerate(grid.rows):
            if r:
                for _ in range(grid.lines_between_rows - 1):
                    placed.add(paragraph(styles.SIGNATURE), 1)
            centres = [round(grid.centres[k]) for k in row]
            tabs = w("tabs", None, *(w("tab", {"val": "center", "pos": c}) for c in centres))
            children: list = []
            for k in row:
                children += [w("r", None, rpr(role_fonts(self.body)), w("tab")), *self.body_runs(names[k])]
            element = paragraph(styles.SIGNATURE, children, [tabs, indent(first_line_chars=0),
                                                              w("jc", {"val": "left"})])
            if self.seal_anchor is not None:
                for k, centre in zip(row, centres):
                    element.append(self.seal_anchor(centre, pngs[k]))
            placed.add(element, 1)
        if printed.date:
            placed.add(self._right_paragraph(printed.date, date_right, keep_next=False), 1)
        return placed

    def _signature_seals(self) -> Placed:
        """命令 with 签名章 [M5, S9]: each 签名章 右空四字 with its 职务 2字 to its left, centred on
        the 职务 line; joint ones stacked, aligned on the right; the date 右空四字 one blank line
        below the last 签名章. The blank lines before the first come from _signature_blank_lines."""
        order = self.profile.order
        placed = Placed()
        right = round(order.signature_right_indent_chars * self.char)
        height = Mm(order.signature_seal_height_mm).twips
        overhang = overhang_lines(height, self.profile.grid.docx_line_pitch_twips)
        for k, (title, png) in enumerate(self.printed.signature_seals):
            if k:
                for _ in range(2 * overhang):
                    placed.add(paragraph(styles.SIGNATURE), 1)
            width = round(height * height / image_height(png, height))   # the PNG's ratio kept
            element = self._right_paragraph(title, right + width + round(order.title_gap_chars * self.char))
            if self.seal_anchor is not None:
                element.append(self.seal_anchor(self.text_width - right - width // 2, png, Twips(width).pt, 0.0))
            placed.add(element, 1)
        if self.printed.date:
            for _ in range(overhang + order.date_blank_lines_before):
                placed.add(paragraph(styles.SIGNATURE), 1)
            placed.add(self._right_paragraph(self.printed.date, right, keep_next=False), 1)
        return placed

    def _signature(self) -> Placed:
        if self.printed.sealed or self.printed.co_issuers or self.printed.signoff_lines \
                or self.printed.signature_seals:
            return self._special_signature()
        placed = Placed()
        sig_right, date_right = self.signature_geometry()
        if self.printed.issuer:
            width = self.text_width - sig_right
            placed.add(paragraph(styles.SIGNATURE, self.body_runs(self.printed.issuer)),
                       self.lines_of(self.printed.issuer, width, width))
        if self.printed.date:
            text = self.printed.date
            width = self.text_width - date_right
            placed.add(paragraph(styles.SIGN_DATE, self.body_runs(text)), self.lines_of(text, width, width))
        return placed

    # -- 附件说明 [F1] ------------------------------------------------------------------------

    def attachments(self) -> Placed:
        """"附件：1.name" then "2.name" under "1.", wrapped lines under the name's first character.

        Indents are computed from the advances the text really has (character spacing included),
        so the alignment holds in Word and LibreOffice with Times New Roman metrics.
        """
        label = self.printed.attachment_label
        advance = self._advance_twips
        label_start = round(self.profile.attachments.indent_chars * self.char)
        placed = Placed()
        for index, ((number, _), text) in enumerate(zip(self.printed.attachments, self.printed.attachment_texts)):
            name_start = label_start + advance(label) + advance(number)
            item_start = label_start + advance(label) if index > 0 else label_start
            element = paragraph(styles.ATTACHMENTS, self.body_runs(text),
                                [indent(left=name_start, hanging=name_start - item_start)])
            placed.add(element, self.lines_of(text, self.text_width - item_start, self.text_width - name_start))
        return placed

    def _advance_twips(self, text: str) -> int:
        return Pt(rendered_width_pt(text, self.condensed)).twips

    # -- 版记 [H1–H5] -------------------------------------------------------------------------

    def has_imprint(self) -> bool:
        return self.printed.has_imprint

    def imprint(self, pitch: int) -> Placed:
        """A one-column table as wide as the 版心: thick rules first and last, thin between.

        Rows have exact heights of whole grid lines, so the table's bottom rule lands where the
        line count says, within a point or two of the 版心's bottom edge [H2].
        """
        imprint = self.profile.imprint
        role = self.profile.role("imprint")
        char = styles.char_twips(role)
        inner = self.text_width - 2 * round(imprint.indent_chars * char)
        rows: list[tuple[str, int, int]] = []  # text, hanging indent, lines
        # 主送 moved from the head, above 抄送 [D6]; then 抄送 [H3].
        for text, label in ((self.printed.record_recipients, self.profile.recipients.record_label),
                            (self.printed.cc, self.printed.cc_label)):
            if not text:
                continue
            hang = len(label) * char
            metrics = renderer_metrics(self.profile, role.size_pt, 0.0)
            rows.append((text, hang, self.lines_of(text, inner, inner - hang, metrics)))
        if self.printed.printed_by or self.printed.printed_on:
            rows.append(("", 0, 1))
        table = w("tbl", None, self._imprint_table_properties(), w("tblGrid", None, w("gridCol", {"w": self.text_width})))
        total = 0
        for index, (text, hang, lines) in enumerate(rows):
            height = lines * pitch
            if index == len(rows) - 1:
                # Renderers draw the top rule outside the first row (LibreOffice adds its width to
                # the table), and the trailer paragraph must still fit on the page.
                height -= styles.TWIPS_TRAILER + Pt(imprint.outer_rule_pt).twips
            if text:
                content = paragraph(styles.IMPRINT, [run(text, rpr(role_fonts(role)))],
                                    [indent(left=round(imprint.indent_chars * char) + hang,
                                            right=round(imprint.indent_chars * char), hanging=hang)])
            else:
                content = self._printed_line(role)
            table.append(w("tr", None,
                           w("trPr", None, w("cantSplit"), w("trHeight", {"val": height, "hRule": "exact"})),
                           w("tc", None, w("tcPr", None, w("tcW", {"w": self.text_width, "type": "dxa"})), content)))
            total += lines
        placed = Placed()
        placed.add(table, total)
        placed.add(paragraph(styles.TRAILER), 0)
        return placed

    def _printed_line(self, role):
        """印发机关 左空一字 and "date印发" 右空一字 on one line, via the style's right tab [H5]."""
        date = self.printed.printed_on or ""
        children = [run(self.printed.printed_by or "", rpr(role_fonts(role)))]
        if date:
            children.append(w("r", None, rpr(role_fonts(role)), w("tab")))
            children.append(run(date, rpr(role_fonts(role))))
        return paragraph(styles.IMPRINT, children)

    def _imprint_table_properties(self):
        imprint = self.profile.imprint
        color = self.profile.colors.word_text
        outer = {"val": "single", "sz": Pt(imprint.outer_rule_pt).eighth_points, "space": 0, "color": color}
        inner = {"val": "single", "sz": Pt(imprint.inner_rule_pt).eighth_points, "space": 0, "color": color}
        none = {"val": "nil"}
        if self.printed.style == "letter" and not self.profile.letter.imprint_rules:
            outer = inner = none    # 信函: no separator lines in the 版记 [L11]
        return w("tblPr", None,
                 w("tblW", {"w": self.text_width, "type": "dxa"}),
                 w("jc", {"val": "left"}),
                 w("tblInd", {"w": 0, "type": "dxa"}),
                 w("tblBorders", None, w("top", outer), w("left", none), w("bottom", outer), w("right", none),
                   w("insideH", inner), w("insideV", none)),
                 w("tblLayout", {"type": "fixed"}),
                 w("tblCellMar", None, w("top", {"w": 0, "type": "dxa"}), w("left", {"w": 0, "type": "dxa"}),
                   w("bottom", {"w": 0, "type": "dxa"}), w("right", {"w": 0, "type": "dxa"})),
                 w("tblLook", {"val": "0000", "firstRow": 0, "lastRow": 0, "firstColumn": 0, "lastColumn": 0,
                               "noHBand": 1, "noVBand": 1}))
