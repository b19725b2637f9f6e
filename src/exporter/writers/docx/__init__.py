"""The Word writer: a GB/T 9704-2012 .docx that Word, WPS and LibreOffice lay out alike.

Layout choices (spec §0.5, §2.9): exact line spacing of one grid pitch on every paragraph and
−0.25 pt character spacing on 三号 runs give 22 lines × 28 characters in Word and LibreOffice
alike (a character grid would give 14 characters a line in LibreOffice); widow control is off
so every full page holds 22 lines. All formatting lives in named styles built from the
profile (docx_styles); runs only name their fonts, so Chinese text never falls back to a theme
font. The 版记 is pushed to the last page's bottom edge with blank lines counted from the
grid (docx_lines), because LibreOffice ignores bottom-anchored frames.
"""

from __future__ import annotations

import io
import math
from typing import Any, BinaryIO, assert_never

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn

from ...diagnostics import Diagnostic, Diagnostics, WriterError
# Not imported as `furniture`: importing the submodule .furniture rebinds that name in this package.
from ...furniture import AttachmentPage, attachment_pages, furniture as printed_furniture, page_number_affixes
from ...bookmarks import bookmark_names
from ...model import Block, Document, FigureRef, Heading, Inline, Paragraph, Table, Text
from ...profile import Profile, Role
from ...reproducible import rewrite_zip
from ...timestamps import document_datetime
from ...units import Mm, Pt, Twips
from . import package
from . import styles
from .furniture import FurnitureLayout, Placed
from .sections import LandscapePageNumber, is_landscape, page_geometry, section_break
from .table import Frame, TableWriter
from .flow import PageFlow
from .head import HeadLayout
from .letter import letter_first_page, seal_anchor
from .lines import count_lines, renderer_metrics
from .ooxml import (
    bookmark, east_asian_font, indent, page_field, paragraph, role_fonts, rpr, run, text_runs, w,
)

FONT_ROLES = ("title", "body", "heading1", "heading2", "heading3", "heading4", "imprint", "page_number")
HEAD_FONT_ROLES = ("issuer_mark", "head_label", "signer")


def write(document: Document, profile: Profile, out: BinaryIO) -> list[Diagnostic]:
    return _WordWriter(document, profile).write(out)


class _WordWriter:
    def __init__(self, document: Document, profile: Profile):
        self.document = document
        self.profile = profile
        self.diagnostics = Diagnostics()
        page = profile.page
        self.text_width = Mm(page.width_mm).twips - Mm(page.margin_left_mm).twips - Mm(page.margin_right_mm).twips
        self.pitch = profile.grid.docx_line_pitch_twips
        self.body = profile.role("body")
        self.printed = printed_furniture(document.meta, profile)
        self.furniture = FurnitureLayout(self.printed, profile, self.text_width)
        self.condensed = self.furniture.condensed
        self._bookmark_ids = 0
        self.bookmark_names = bookmark_names(
            inline.indicator_id for _block, inlines in document.iter_inline_groups()
            for inline in inlines if isinstance(inline, FigureRef))
        self.has_tables = any(isinstance(block, Table) for block in document.all_blocks())
        self.tables = TableWriter(profile, self.bookmark_names, self._next_bookmark_id)
        self.unnumbered_tail = False

    def _next_bookmark_id(self) -> int:
        self._bookmark_ids += 1
        return self._bookmark_ids

    def write(self, out: BinaryIO) -> list[Diagnostic]:
        self._check_attachment_names()
        word = docx.Document()
        package.drop_template_leftovers(word)
        sig_right, date_right = self.furniture.signature_geometry()
        self._replace_styles(word, styles.Geometry(sig_right, date_right, self.text_width,
                                                   head=self.printed.head is not None))
        self._fill_body(word)
        self._set_up_section(word)
        package.adjust_settings(word, self.profile)
        package.replace_font_table(word, self._font_names())
        stamp = document_datetime(self.document)
        package.set_core_properties(word, self.document.meta, self.profile, stamp)
        package.replace_app_properties(word, self.document.meta)
        package.add_custom_properties(word, self.document.meta)
        buffer = io.BytesIO()
        word.save(buffer)
        rewrite_zip(buffer.getvalue(), stamp, out, package.FIRST_ENTRIES)
        if self.diagnostics.has_errors:
            raise WriterError(self.diagnostics.errors)
        return self.diagnostics.warnings

    def _check_attachment_names(self) -> None:
        meta = self.document.meta
        for name in meta.attachments:
            if name and name[-1] in "。，；：、.,;:":
                self.diagnostics.warning(
                    f"attachment name ends with '{name[-1]}': GB/T 9704 puts no punctuation after it [F1]",
                    meta.position_of("attachments"))

    # -- styles -----------------------------------------------------------------------------

    def _replace_styles(self, word: WordDocument, geometry: styles.Geometry) -> None:
        root = word.styles.element
        for child in list(root):
            root.remove(child)
        for element in styles.build_styles(self.profile, geometry, self.has_tables):
            root.append(element)

    def _font_names(self) -> list[str]:
        names: list[str] = []
        for role_name in FONT_ROLES + (HEAD_FONT_ROLES if self.printed.head is not None else ()):
            role = self.profile.role(role_name)
            for name in (role.word, role.word_latin):
                if name not in names:
                    names.append(name)
        return names

    # -- body -------------------------------------------------------------------------------

    def _fill_body(self, word: WordDocument) -> None:
        if self.printed.seal_png is not None or self.printed.signature_seals:
            self.furniture.seal_anchor = lambda centre, png=None, width_pt=None, above_pt=None: seal_anchor(
                word, png or self.printed.seal_png or b"", self.profile, centre, width_pt, above_pt)
        body = word.element.body
        section = body.sectPr
        for child in list(body):
            if child is not section:
                body.remove(child)
        for element in self._layout().elements:
            section.addprevious(element)

    def _layout(self) -> Placed:
        """Every body element in order, with the grid lines they take (blank lines included)."""
        per_page = self.profile.grid.lines_per_page
        placed = Placed()
        if self.printed.head is not None:
            placed.extend(HeadLayout(self.printed.head, self.profile, self.text_width, self.condensed).placed())
        placed.extend(self._title())
        placed.extend(self._recipients())
        last_start, last_element = self._blocks(self.document.blocks, placed)
        closing, move_last = self.furniture.closing(placed.lines)
        if move_last and last_element is not None and last_start % per_page:
            # The 落款 would sit on a page without 正文: the last paragraph goes with it [G4].
            p_pr = placed.elements[last_element].find(qn("w:pPr"))
            p_pr.insert(1, w("pageBreakBefore"))
            placed.lines += per_page - last_start % per_page
            closing, _ = self.furniture.closing(placed.lines)
        placed.extend(closing)
        for attachment, page in zip(self.document.attachments,
                                    attachment_pages(self.document.attachments, self.profile)):
            placed.extend(self._attachment_head(page, placed.lines))
            self._blocks(attachment.blocks, placed)
        if self.furniture.has_imprint():
            imprint = self.furniture.imprint(self.pitch)
            self._before_imprint(placed, imprint.lines)
            placed.extend(imprint)
        return placed

    def _before_imprint(self, placed: Placed, imprint_lines: int) -> None:
        """Blank lines that bring the 版记 to the bottom of the last page [H2]. With attachments,
        that page is an even one [F14]: when it would be odd, the 版记 moves to the next page, and
        pages holding nothing but the 版记, or nothing at all, are a section without page numbers
        (7.5), as the PDF has them."""
        per_page = self.profile.grid.lines_per_page
        text_end = placed.lines
        blanks = (-(text_end + imprint_lines)) % per_page
        if not (self.document.attachments and self.profile.attachments.imprint_on_even_page):
            for _ in range(blanks):
                placed.add(paragraph(styles.NORMAL), 1)
            return
        imprint_page = (text_end + blanks + imprint_lines) // per_page
        if imprint_page % 2:
            imprint_page += 1
        text_pages = -(-text_end // per_page)
        if imprint_page <= text_pages:
            for _ in range(blanks):
                placed.add(paragraph(styles.NORMAL), 1)
            return
        # The section of numbered pages ends with the text; the next starts on a new page.
        last = placed.elements[-1] if placed.elements else None
        if last is not None and last.tag == qn("w:p"):
            last.find(qn("w:pPr")).append(section_break(self.profile, landscape=False))
        else:
            placed.add(paragraph(styles.TRAILER, (), [section_break(self.profile, landscape=False)]), 0)
        self.unnumbered_tail = True
        placed.lines = text_pages * per_page
        for _ in range((imprint_page - 1) * per_page + (per_page - imprint_lines) - placed.lines):
            placed.add(paragraph(styles.NORMAL), 1)

    def _attachment_head(self, page: AttachmentPage, used: int) -> Placed:
        """An attachment's first page: the label "附件2" flush left on line 1 in 黑体, no colon
        [F9], a blank line, the title centred from line 3 [F10], a blank line; a new page before
        it [F8]. An issued attachment (印发) opens with its title."""
        per_page = self.profile.grid.lines_per_page
        placed = Placed()
        placed.lines = (-used) % per_page  # the rest of the page the text before it ends on
        page_break = [w("pageBreakBefore")]
        if page.label is not None:
            role = self.profile.role(page.label_role)
            flush = [indent(first_line_chars=0), w("jc", {"val": "left"})]
            placed.add(paragraph(_role_style(page.label_role), self._runs(page.label, role), page_break + flush), 1)
            for _ in range(page.blank_lines_after_label):
                placed.add(paragraph(styles.NORMAL), 1)
            page_break = []
        role = self.profile.role(page.title_role)
        metrics = renderer_metrics(self.profile, role.size_pt, 0.0)
        width = self._width_pt(0)
        for line in page.title_lines:
            centred = [indent(first_line_chars=0), w("jc", {"val": "center"})]
            placed.add(paragraph(_role_style(page.title_role), [run(line, rpr(role_fonts(role)))],
                                 page_break + centred),
                       count_lines(line, metrics, width, width))
            page_break = []
        for _ in range(page.blank_lines_after_title):
            placed.add(paragraph(styles.NORMAL), 1)
        return placed

    def _blocks(self, blocks: tuple[Block, ...], placed: Placed) -> tuple[int, int | None]:
        """Lay out `blocks` after what `placed` holds; where the last one starts (its grid line and
        element index, None for a landscape table)."""
        per_page = self.profile.grid.lines_per_page
        last_start, last_element = placed.lines, None
        previous: Heading | Paragraph | Table | None = None
        # Where Word ends the pages of the body (widow control, keepNext): see .flow.
        flow = PageFlow(per_page, self.profile.grid.widow_control)
        flow.restart(placed.lines)
        headings_at: int | None = None      # the first of the headings right before this block
        headings_lines = 0
        for block in blocks:
            match block:
                case Heading():
                    made = self._heading(block)
                    if not isinstance(previous, Heading):
                        headings_at, headings_lines = len(placed.elements), 0
                    headings_lines += made.lines
                    flow.heading(made.lines)
                case Paragraph():
                    made = self._paragraph(block)
                    flow.paragraph(made.lines)
                case Table():
                    if self.tables.is_landscape(block, self.text_width):
                        moved = headings_at if isinstance(previous, Heading) else None
                        if moved is not None:
                            flow.drop_last(headings_lines)
                        placed.lines = flow.position
                        self._landscape_table(block, placed, moved, headings_lines if moved is not None else 0)
                        flow.restart(placed.lines)
                        previous = block
                        last_start, last_element = placed.lines, None
                        continue
                    flow.settle()
                    placed.lines = flow.position
                    made = self.tables.build(block, self._portrait_frame(), placed.lines % per_page, per_page)
                    if not block.notes:
                        # Word joins two tables with nothing between them into one.
                        made.add(paragraph(styles.TRAILER), 0)
                    flow.restart(placed.lines + made.lines)
                case _:
                    assert_never(block)
            if not isinstance(previous, Heading):
                # Where the last block starts with the headings right before it: when it moves
                # to the 落款's page [G4] they go with it, as the PDF moves them (a page break
                # on the paragraph would leave them at the foot of the page before).
                last_start, last_element = placed.lines, len(placed.elements)
            previous = block
            placed.extend(made)
            placed.lines = flow.position
        return last_start, last_element

    def _portrait_frame(self) -> Frame:
        pitch_pt = self.pitch / 20
        # The 版心 measure rounded once (156 mm = 8844 twips), not the difference of two rounded margins.
        width = Mm(self.profile.text_width_mm).twips
        return Frame(width, self.profile.grid.lines_per_page * pitch_pt, pitch_pt, landscape=False)

    def _landscape_table(self, table: Table, placed: Placed, heading_at: int | None, heading_lines: int = 0) -> None:
        """A table too wide for portrait, on pages of its own turned landscape: a section break
        before and after it [T1–T4]. The headings right before the table (`heading_lines` lines
        from element `heading_at`, no longer counted in `placed.lines`) go with it, as they would
        with keepNext on a portrait page. The portrait text resumes on a new page."""
        per_page = self.profile.grid.lines_per_page
        portrait = section_break(self.profile, landscape=False)
        end = len(placed.elements) if heading_at is None else heading_at
        last = placed.elements[end - 1] if end else None
        if last is not None and last.tag == qn("w:p"):
            last.find(qn("w:pPr")).append(portrait)
        else:
            placed.elements.insert(end, paragraph(styles.TRAILER, (), [portrait]))
        if placed.lines % per_page:
            placed.lines += per_page - placed.lines % per_page
        width = Mm(self.profile.text_height_mm).twips
        height_pt = Mm(self.profile.text_width_mm).twips / 20
        pitch_pt = self.pitch / 20
        lines = max(1, math.floor(height_pt / pitch_pt))
        # A heading carried over takes (about) one line of the landscape page: its 225 mm measure
        # holds a 40-character heading.
        start = 0 if heading_at is None else max(1, heading_lines)
        made = self.tables.build(table, Frame(width, lines * pitch_pt, pitch_pt, landscape=True), start, lines)
        placed.elements.extend(made.elements)
        # Count whole landscape pages as whole portrait pages: only the page parity and the
        # portrait text after the table matter to the 版记's placement.
        placed.lines += per_page * math.ceil((start + made.lines) / lines)
        placed.add(paragraph(styles.TRAILER, (), [section_break(self.profile, landscape=True)]), 0)

    def _width_pt(self, indent_twips: int) -> float:
        return Twips(self.text_width - indent_twips).pt

    def _title(self) -> Placed:
        title = self.profile.title
        role = self.profile.role("title")
        placed = Placed()
        width = self._width_pt(0)
        metrics = renderer_metrics(self.profile, role.size_pt, 0.0)
        for line in self.printed.title_lines:
            placed.add(paragraph(styles.TITLE, [run(line, rpr(role_fonts(role)))]),
                       count_lines(line, metrics, width, width))
        if not self.printed.title_lines:
            return placed   # a 命令 prints no title [M4]
        for _ in range(title.blank_lines_after):
            placed.add(paragraph(styles.NORMAL), 1)
        return placed

    def _recipients(self) -> Placed:
        text = self.printed.recipients
        placed = Placed()
        if not text:
            return placed
        left = round(self.profile.recipients.indent_chars * styles.char_twips(self.body))
        width = self._width_pt(left)
        placed.add(paragraph(styles.RECIPIENTS, self._runs(text, self.body)),
                   self._count(text, width, width))
        return placed

    def _count(self, runs: str | list[str], first_pt: float, rest_pt: float) -> int:
        return count_lines(runs, self.condensed, first_pt, rest_pt)

    def _runs(self, text: str, role: Role, char_style: str | None = None) -> list[Any]:
        def properties() -> Any:
            fonts = role_fonts(role) if role.word_latin != self.body.word_latin else east_asian_font(role)
            return rpr(w("rStyle", {"val": char_style}) if char_style else None, fonts)

        return text_runs(text, properties)

    def _first_line_twips(self, chars: float) -> int:
        return round(chars * styles.char_twips(self.body))

    def _heading(self, heading: Heading) -> Placed:
        role = self.profile.role(heading.role)
        children = self._runs(heading.label, role) + self._inline_runs(heading.inlines, role)
        first = self._first_line_twips(self.profile.body.heading_first_line_indent_chars)
        extra = []
        if heading.centred:  # 第一章　总则 [articles scheme]
            first = 0
            extra = [indent(first_line_chars=0), w("jc", {"val": "center"})]
        placed = Placed()
        runs = [heading.label] + [inline.text for inline in heading.inlines]
        placed.add(paragraph(styles.heading_style(heading.level), children, extra),
                   self._count(runs, self._width_pt(first), self._width_pt(0)))
        return placed

    def _paragraph(self, block: Paragraph) -> Placed:
        children = []
        runs: list[str] = []
        if block.lead is not None:
            # A run-in heading: its runs carry the heading's character style, so only they
            # take the heading's face; the rest of the paragraph is body text [C3].
            lead = block.lead
            role = self.profile.role(lead.role)
            # The character style of the heading level whose face the lead uses (第X条 takes 黑体).
            char_style = styles.heading_char_style(int(lead.role.removeprefix("heading")))
            children.extend(self._runs(lead.label, role, char_style))
            children.extend(self._inline_runs(lead.inlines, role, char_style))
            runs += [lead.label] + [inline.text for inline in lead.inlines]
        children.extend(self._inline_runs(block.inlines, self.body))
        runs += [inline.text for inline in block.inlines]
        first = self._first_line_twips(self.profile.body.first_line_indent_chars)
        placed = Placed()
        placed.add(paragraph(styles.NORMAL, children), self._count(runs, self._width_pt(first), self._width_pt(0)))
        return placed

    def _inline_runs(self, inlines: tuple[Inline, ...], role: Role, char_style: str | None = None) -> list[Any]:
        elements = []
        for inline in inlines:
            runs = self._runs(inline.text, role, char_style)
            match inline:
                case FigureRef():
                    # The workbook links to the figure by this bookmark name.
                    elements.extend(bookmark(self._next_bookmark_id(), self.bookmark_names[inline.indicator_id], runs))
                case Text():
                    elements.extend(runs)
                case _:
                    assert_never(inline)
        return elements

    # -- page -------------------------------------------------------------------------------

    def _set_up_section(self, word: WordDocument) -> None:
        sect_pr = word.element.body.sectPr
        page_geometry(sect_pr, self.profile, landscape=False)
        for name in ("rsidR", "rsidRPr", "rsidSect"):
            sect_pr.attrib.pop(qn(f"w:{name}"), None)
        pn = self.profile.page_number
        landscape_number = LandscapePageNumber(self.profile)
        sections = list(word.sections)
        for index, section in enumerate(sections):
            section.footer.is_linked_to_previous = False
            section.even_page_footer.is_linked_to_previous = False
            odd = self._number_paragraph(pn.odd_alignment, "1")
            even = self._number_paragraph(pn.even_alignment, "2")
            if self.unnumbered_tail and index == len(sections) - 1:
                # The 版记's page and a blank page before it carry no number [F14, 7.5].
                odd, even = paragraph(styles.FOOTER), paragraph(styles.FOOTER)
            if is_landscape(section._sectPr):
                # The number stays where portrait pages print it [T1, I1–I3]: see .sections.
                odd = paragraph(styles.FOOTER, [landscape_number.run(odd, 2 * index + 1)])
                even = paragraph(styles.FOOTER, [landscape_number.run(even, 2 * index + 2)])
            for footer, content in ((section.footer, odd), (section.even_page_footer, even)):
                element = footer._element
                for child in list(element):
                    element.remove(child)
                element.append(content)
        if self.printed.head is not None and self.printed.head.style == "letter":
            # 信函: the first page has a footer of its own, with no page number [L10].
            letter_first_page(word.sections[0], self.profile, self._number_paragraph(pn.odd_alignment, "1"))

    def _number_paragraph(self, alignment: str, cached: str) -> Any:
        """"— N —" with a PAGE field, one 4号 character in from the side it is aligned to [I1–I4]."""
        pn = self.profile.page_number
        role = self.profile.role("page_number")
        inset = round(pn.indent_chars * styles.char_twips(role))
        prefix, suffix = page_number_affixes(self.profile)

        def number_rpr() -> Any:
            return rpr(role_fonts(role), w("sz", {"val": Pt(role.size_pt).half_points}),
                       w("szCs", {"val": Pt(role.size_pt).half_points}))

        children = []
        if prefix:
            children.append(run(prefix, number_rpr()))
        children.extend(page_field(number_rpr, cached))
        if suffix:
            children.append(run(suffix, number_rpr()))
        ind = indent(right=inset) if alignment == "right" else indent(left=inset)
        return paragraph(styles.FOOTER, children, [ind, w("jc", {"val": alignment})])


def _role_style(role: str) -> str:
    """The paragraph style that sets a font role's size (its runs name the faces)."""
    if role == "title":
        return styles.TITLE
    if role.startswith("heading"):
        return styles.heading_style(int(role.removeprefix("heading")))
    return styles.NORMAL
