"""Pages onto a reportlab canvas: text through the canvas text API, rules, page numbers,
bookmarks, document information. All colour is CMYK from the profile (black as K only)."""

from __future__ import annotations

import io
from typing import BinaryIO

from reportlab.lib.utils import ImageReader

from reportlab.pdfgen.canvas import Canvas

from ... import __version__
from ...fonts import FontSet
from ...furniture import furniture, page_number_text
from ...model import Document
from ...profile import Profile
from ...timestamps import document_datetime
from ...units import Mm
from .compose import SealRow
from .typeset import PlacedLine, Typesetter
from .geometry import Geometry
from .head import HeadRow, draw_head
from .paginate import Page
from .table import TablePiece

PDF_DATE = "D:%Y%m%d%H%M%S+00'00'"
# /Lang in the catalog and DisplayDocTitle are PDF 1.4 features; reportlab's default header says 1.3.
PDF_VERSION = (1, 4)


def render(document: Document, profile: Profile, fonts: FontSet, geometry: Geometry, pages: list[Page],
           out: BinaryIO) -> None:
    body_font = fonts.primary["body"]
    canvas = Canvas(
        out,
        pagesize=(geometry.page_width, geometry.page_height),
        invariant=1,
        pageCompression=1 if profile.pdf.compress else 0,
        initialFontName=body_font.name,
        initialFontSize=geometry.body_size,
        lang=profile.pdf.language,
        pdfVersion=PDF_VERSION,
    )
    _document_info(canvas, document, profile)
    typesetter = Typesetter(profile, fonts, geometry)
    text_cmyk = tuple(profile.colors.text_cmyk)
    outline = _Outline(canvas, geometry)
    # 信函: no page number on the first page [L10].
    numbered_first = furniture(document.meta, profile).style != "letter" or profile.letter.number_first_page
    for number, page in enumerate(pages, start=1):
        canvas.setFillColorCMYK(*text_cmyk)
        canvas.setStrokeColorCMYK(*text_cmyk)
        for start, row in page.rows:
            for title, level in row.bookmarks:
                outline.add(title, level, start)
            if isinstance(row, HeadRow) and row.head is not None:
                draw_head(canvas, geometry, row.head, tuple(profile.colors.red_cmyk), text_cmyk)
            if not row.lines:
                continue
            baseline = geometry.baseline(start, row.span, row.size, row.em_descent)
            for line in row.lines:
                _draw_line(canvas, geometry, line, baseline)
            if isinstance(row, SealRow) and row.seal_png:
                _draw_seal(canvas, geometry, row, start, profile.seal.centre_above_signature_pt)
        for start, piece in page.tables:
            _draw_table_piece(canvas, piece, geometry.left, geometry.pdf_y(geometry.row_top(start)))
        if page.landscape is not None:
            # The portrait page turned clockwise shows the table upright: its top edge on the
            # 版心's left edge, its left edge on the 版心's bottom (gbt9704-kinds T3).
            canvas.saveState()
            canvas.transform(0, 1, -1, 0, geometry.left, geometry.pdf_y(geometry.bottom))
            head_lines = 0
            for start, row in page.landscape_rows:
                # Rows on the turned page's grid lines, from its top edge (the 版心's left edge).
                for title, level in row.bookmarks:
                    outline.add(title, level, 0)
                baseline = geometry.baseline(start, row.span, row.size, row.em_descent) - geometry.top
                for line in row.lines:
                    _draw_line_at(canvas, 0.0, -baseline, line)
                head_lines = start + row.span
            _draw_table_piece(canvas, page.landscape, 0.0, -head_lines * geometry.pitch)
            canvas.restoreState()
        if page.imprint is not None:
            _draw_imprint(canvas, geometry, page)
        if page.numbered and (number > 1 or numbered_first):
            _draw_page_number(canvas, profile, geometry, typesetter, number)
        canvas.showPage()
    if profile.pdf.show_outline:
        canvas.showOutline()
    canvas.save()


class _Outline:
    """Bookmarks in reading order; a level never deeper than one below the previous entry
    (PDF outlines cannot skip levels)."""

    def __init__(self, canvas: Canvas, geometry: Geometry):
        self.canvas = canvas
        self.geometry = geometry
        self.count = 0
        self.previous = -1

    def add(self, title: str, heading_level: int, row: int) -> None:
        level = max(0, min(heading_level - 1, self.previous + 1))
        key = f"h{self.count}"
        self.count += 1
        top = self.geometry.pdf_y(self.geometry.row_top(row))
        self.canvas.bookmarkPage(key, fit="XYZ", left=self.geometry.left, top=top)
        self.canvas.addOutlineEntry(title, key, level=level)
        self.previous = level


def _document_info(canvas: Canvas, document: Document, profile: Profile) -> None:
    meta = document.meta
    stamp = document_datetime(document)
    canvas.setDateFormatter(lambda *_ignored: stamp.strftime(PDF_DATE))
    canvas.setTitle(meta.title_text)
    if meta.issuer:
        canvas.setAuthor(meta.issuer)
    canvas.setSubject(meta.doc_number or meta.title_text)
    keywords = [k for k in (meta.issuer, meta.region, meta.period) if k]
    if keywords:
        canvas.setKeywords(", ".join(keywords))
    canvas.setCreator(f"exporter {__version__}")
    canvas.setViewerPreference("DisplayDocTitle", "true")


def _draw_line(canvas: Canvas, geometry: Geometry, line: PlacedLine, baseline: float) -> None:
    _draw_line_at(canvas, geometry.left, geometry.pdf_y(baseline), line)


def _draw_line_at(canvas: Canvas, left: float, y: float, line: PlacedLine) -> None:
    """Every string shown gets its own position: PDF adds the character spacing after a
    string's last glyph too, but pdfminer (pdfplumber) does not, and reportlab starts a new
    string wherever a run crosses into another 256-glyph font subset."""
    text = canvas.beginText(left + line.x, y)
    first = True
    for run in line.runs:
        text.setFont(run.font.name, run.size)
        text.setCharSpace(run.spacing)
        x = left + line.x + run.x
        done = 0
        for _subset, codes in run.font.font.splitString(run.text, canvas._doc):
            chunk = run.text[done:done + len(codes)]
            if not first:
                text.setTextOrigin(x, y)
            text.textOut(chunk)
            first = False
            done += len(chunk)
            x += sum(run.font.advance(c) * run.size + run.spacing for c in chunk)
    canvas.drawText(text)


def _draw_imprint(canvas: Canvas, geometry: Geometry, page: Page) -> None:
    left, right = geometry.left, geometry.right
    for k, row in enumerate(page.imprint.rows):
        line_no = page.imprint_start + k
        if row.rule_above:
            _rule(canvas, left, right, geometry.pdf_y(geometry.row_top(line_no)), row.rule_above)
        baseline = geometry.baseline(line_no, 1, row.size, row.em_descent)
        for line in row.lines:
            _draw_line(canvas, geometry, line, baseline)
    bottom = page.imprint_start + len(page.imprint.rows)
    if page.imprint.bottom_rule:   # none in a 信函's 版记 [L11]
        _rule(canvas, left, right, geometry.pdf_y(geometry.row_top(bottom)), page.imprint.bottom_rule)


def _draw_seal(canvas: Canvas, geometry: Geometry, row: SealRow, start: int, above_pt: float) -> None:
    """The seal image, upright, centred on the date's centre and a little above the 署名 line's
    centre, over the text (a seal PNG is red on a transparent ground) [G2, S3, S12]; then the
    row's other joint seals, left to right [S5], each centred over its own 署名."""
    if row.centre_above is not None:
        above_pt = row.centre_above
    for png, centre_x in ((row.seal_png, row.seal_centre_x), *row.row_seals):
        image = ImageReader(io.BytesIO(png))
        pixels_wide, pixels_high = image.getSize()
        width = row.seal_width
        height = width * pixels_high / pixels_wide
        centre_y = geometry.pdf_y(geometry.row_top(start) + row.span * geometry.pitch / 2) + above_pt
        canvas.drawImage(image, geometry.left + centre_x - width / 2, centre_y - height / 2, width, height,
                         mask="auto")


def _draw_table_piece(canvas: Canvas, piece: TablePiece, left: float, top: float) -> None:
    """A table piece whose top-left corner is at (left, top) in the current (y-up) space:
    text first, in reading order, then the ruled lines. Projecting caps close the corners
    where rules meet."""
    texts, rules = piece.drawing()
    for text in texts:
        _draw_line_at(canvas, left, top - text.baseline, text.line)
    canvas.saveState()
    canvas.setLineCap(2)
    width = None
    for rule in rules:
        if rule.width != width:
            canvas.setLineWidth(rule.width)
            width = rule.width
        canvas.line(left + rule.x0, top - rule.y0, left + rule.x1, top - rule.y1)
    canvas.restoreState()


def _rule(canvas: Canvas, x0: float, x1: float, y: float, thickness: float) -> None:
    canvas.setLineWidth(thickness)
    canvas.setLineCap(0)
    canvas.line(x0, y, x1, y)


def _draw_page_number(canvas: Canvas, profile: Profile, geometry: Geometry, typesetter: Typesetter,
                      number: int) -> None:
    role = "page_number"
    settings = profile.page_number
    text = page_number_text(profile, number)
    size = typesetter.size(role)
    inset = settings.indent_chars * geometry.char_unit(size)
    width = typesetter.width(text, role)
    alignment = settings.odd_alignment if number % 2 else settings.even_alignment
    if alignment == "right":
        x = geometry.text_width - inset - width
    elif alignment == "left":
        x = inset
    else:
        x = (geometry.text_width - width) / 2
    # The dash's ink, not its em box, sits `distance_below_text_mm` below the 版心 (GB/T 9704 §7.5).
    target = geometry.bottom + Mm(settings.distance_below_text_mm).pt
    font = typesetter.fonts.font(role, text[0]) if text else typesetter.fonts.primary[role]
    ink = font.ink_bounds(text[0]) if text else None
    if ink is not None:
        baseline = target + (ink[0] + ink[1]) / 2 * size
    else:
        baseline = target + (0.5 - font.em_descent) * size
    _draw_line(canvas, geometry, typesetter.single(text, role, x), baseline)
