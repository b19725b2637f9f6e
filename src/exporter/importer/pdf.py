"""Read a PDF's text layer into lines with hints, the way the .docx reader does (importer.docx).

pdfplumber (on pdfminer.six) gives every character with its position, font name and size, and
finds tables on the ruling lines; pypdf gives text without geometry, which is what made text
copied out of a PDF useless (every printed line its own paragraph). So paragraphs come from
geometry, not from guesses:

* the text frame is the most common left edge and right edge of body-size lines;
* a line continues the paragraph above when it starts at the left margin and the line above ran
  to (within a few characters of) the right margin; a first-line indent starts a paragraph; a
  centred or right-aligned line (title, 署名, 日期) stands alone;
* lines larger than the body text, centred, on the first page before the body are title lines;
* a line printed in 黑体 (or led by 楷体) that starts with the heading number of that level is a
  heading hint (GB/T 9704: 一、 in 黑体, （一） in 楷体);
* page numbers (— 1 —, 第1页, 1/8) and a running header or footer repeated on most pages are
  dropped and listed, never lost silently;
* ruled tables (pdfplumber's table finder on the ruling lines) become source tables with their
  merged cells; a table that goes on over the next page (head repeated or not) is one table.

A scanned PDF (no text layer) and a PDF that needs a password are refused; so is a damaged file
and one of more pages than a report has. Every problem is `file.pdf: error: …`, exit 1.

Characters become printed lines in pdf_lines.py and ruled tables grids in pdf_tables.py; this
module opens the file and turns lines and tables into paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

from ..diagnostics import Diagnostic, SourceError
from .docx import ParagraphHint
from .lines import Removed
from .markers import find_marker
from .pdf_lines import PdfLine, page_lines
from .pdf_tables import PdfTable, head_rows, join_tables, tables_of_page
from .rejoin import _joiner
from .tables import CAPTION, NOTE, SENTINEL, UNIT_LINE, ImportedTable, table_from_grid, take_label_line

MAX_PAGES = 2000            # a long budget report has a few hundred pages
MAX_BYTES = 256 * 2**20
# A line continues the paragraph above when the line above stopped at most this many characters
# short of the right margin: a number or a word that did not fit went to the next line whole.
RIGHT_SLACK_CHARS = 2.5
LEFT_SLACK_CHARS = 0.5
PAGE_NUMBER = re.compile(r"^(?:[—–\-－‒―\s]*\d{1,4}[—–\-－‒―\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                         r"|\d{1,4}\s*/\s*\d{1,4}|[-—]?\s*[ivxlcIVXLC]{1,6}\s*[-—]?)$")


@dataclass
class PdfRead:
    physical: list[tuple[int, str]]
    hints: dict[int, ParagraphHint]
    removed: list[Removed]
    tables: dict[int, ImportedTable]
    page_of: dict[int, int]              # physical or removed line number → page (1-based)
    continued: dict[int, list[int]]      # a table's line number → the further pages it runs over
    pages: int
    printed_lines: int
    warnings: list[str] = field(default_factory=list)
    encoding: str = "PDF text layer"
    line_ending: str = "printed lines"

    @property
    def input_lines(self) -> int:
        return self.printed_lines


def _error(shown: str, message: str) -> SourceError:
    return SourceError(Diagnostic("error", message, path=shown))


def read_pdf(path: Path) -> PdfRead:
    shown = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _error(shown, f"cannot read: {exc.strerror or exc}") from None
    if size > MAX_BYTES:
        raise _error(shown, f"the file is {size / 2**20:.0f} MB, more than the {MAX_BYTES // 2**20} MB a report's "
                     "PDF can need; not imported")
    pdf = _open(path, shown)
    with pdf:
        count = _page_count(pdf, shown)
        if count > MAX_PAGES:
            raise _error(shown, f"{count} pages, more than the {MAX_PAGES} a report has; split the file first")
        lines: list[PdfLine] = []
        tables: list[PdfTable] = []
        for number, page in enumerate(_pages(pdf, shown), start=1):
            try:
                page_tables = tables_of_page(page, number)
                lines.extend(page_lines(page, number, page_tables))
            except SourceError:
                raise
            except Exception as exc:  # pdfminer raises many kinds on a damaged content stream
                raise _error(shown, f"page {number}: cannot read the page's content ({type(exc).__name__}: {exc}); "
                             "the file is damaged: download or export it again") from None
            tables.extend(page_tables)
            page.flush_cache()
    if not any(line.text.strip() for line in lines) and not tables:
        raise _error(shown, f"no text layer on any of the {count} pages: a scanned PDF (pictures of pages) cannot be "
                     "imported; OCR is out of scope — ask the issuer for the Word file, or OCR it and import the text")
    return _assemble(lines, tables, count)


def _open(path: Path, shown: str):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfplumber wraps pdfminer's errors in PdfminerException
        cause = exc.args[0] if exc.args else exc
        if isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)) or isinstance(
                cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise _error(shown, f"the PDF is encrypted and needs a password to open ({type(cause).__name__}); "
                         "save an unprotected copy first") from None
        # pdfminer's PDFSyntaxError, PSEOF, struct and zlib errors on a truncated or damaged file
        detail = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
        raise _error(shown, f"not a readable PDF file ({detail}); the file is "
                     "truncated or corrupt: download or export it again") from None
    return pdf


def _page_count(pdf, shown: str) -> int:
    try:
        return len(pdf.pages)
    except Exception as exc:
        raise _error(shown, f"not a readable PDF file: its page tree is damaged ({type(exc).__name__}: {exc})") from None


def _pages(pdf, shown: str):
    try:
        yield from pdf.pages
    except Exception as exc:
        raise _error(shown, f"not a readable PDF file: its page tree is damaged ({type(exc).__name__}: {exc})") from None


# --- lines and tables to paragraphs -----------------------------------------------------------

def _assemble(lines: list[PdfLine], tables: list[PdfTable], pages: int) -> PdfRead:
    removed: list[Removed] = []
    page_of: dict[int, int] = {}
    number = 0
    furniture = _furniture(lines, pages)
    flow: list[PdfLine | PdfTable] = sorted([*lines, *tables], key=lambda item: (item.page, item.top))
    flow = join_tables(flow, furniture)
    body = [item for item in flow if isinstance(item, PdfLine) and id(item) not in furniture]
    body = [item for item in flow if isinstance(item, PdfLine)]
    size = _body_size(body)
    left, right = _frame(body, size)
    physical: list[tuple[int, str]] = []
    hints: dict[int, ParagraphHint] = {}
    imported: dict[int, ImportedTable] = {}
    sources: dict[int, PdfTable] = {}
    warnings: list[str] = []
    previous: PdfLine | None = None
    body_started = False
    for item in flow:
        if isinstance(item, PdfTable):
            number += 1
            page_of[number] = item.page
            table = table_from_grid(item.grid, item.anchors, item.repeated or head_rows(item.grid),
                                    len(imported) + 1)
            if table is None:
                text = " ".join(c.text for c in item.anchors if c.text)
                physical.append((number, text))
                hints[number] = ParagraphHint()
                warnings.append(f"page {item.page}: a ruled table without figures became one paragraph")
            else:
                _take_caption(physical, hints, table)
                physical.append((number, SENTINEL.format(n=len(imported) + 1)))
                hints[number] = ParagraphHint()
                imported[number] = table
                sources[number] = item
                for page, text, why in item.dropped:
                    number += 1
                    page_of[number] = page
                    removed.append(Removed((number,), text, why))
                if len(item.pages) > 1:
                    warnings.append(f"table {table.id}: one table over pages {item.pages[0]}–{item.pages[-1]}"
                                    + (f" (head of {item.repeated} rows repeated)" if item.repeated else ""))
            previous = None
            continue
        line = item
        number += 1
        page_of[number] = line.page
        reason = furniture.get(id(line))
        if reason:
            removed.append(Removed((number,), line.text, reason))
            continue
        if imported and previous is None and physical and physical[-1][0] in imported and NOTE.match(line.text):
            imported[physical[-1][0]].notes.append(line.text)
            continue
        if previous is not None and physical and _continues_paragraph(previous, line, left, right, size):
            last_number, last_text = physical[-1]
            physical[-1] = (last_number, last_text + _joiner(last_text, line.text) + line.text)
            previous = line
            continue
        title = (not body_started and line.size >= size + 2 and _centred(line, left, right, size))
        body_started = body_started or (not title and abs(line.size - size) < 1)
        physical.append((number, line.text))
        hints[number] = ParagraphHint(level=_heading_hint(line), title=title)
        previous = line
    continued = {n: t.pages[1:] for n, t in sources.items() if len(t.pages) > 1}
    return PdfRead(physical, hints, removed, imported, page_of, continued, pages, len(lines), warnings)


def _take_caption(physical: list[tuple[int, str]], hints: dict[int, ParagraphHint], table: ImportedTable) -> None:
    for pattern in (UNIT_LINE, CAPTION):
        if physical and take_label_line(pattern, physical[-1][1], table):
            hints.pop(physical.pop()[0], None)


def _body_size(lines: list[PdfLine]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 16.0


def _frame(lines: list[PdfLine], size: float) -> tuple[float, float]:
    body = [line for line in lines if abs(line.size - size) < 1 and len(line.text) >= 6]
    if not body:
        return (min((line.x0 for line in lines), default=0.0), max((line.x1 for line in lines), default=0.0))
    lefts = Counter(round(line.x0) for line in body)
    # The left margin is where wrapped lines start: the leftmost edge shared by many lines (a
    # first-line indent or a centred line is further right).
    floor = max(2, lefts.most_common(1)[0][1] // 4)
    left = min((x for x, n in lefts.items() if n >= floor), default=lefts.most_common(1)[0][0])
    rights = sorted(line.x1 for line in body)
    right = median(rights[len(rights) // 2:]) if rights else 0.0
    return float(left), float(right)


def _centred(line: PdfLine, left: float, right: float, size: float) -> bool:
    indent, tail = line.x0 - left, right - line.x1
    return indent > size and tail > size and abs(indent - tail) < 1.5 * size


def _continues_paragraph(previous: PdfLine, line: PdfLine, left: float, right: float, size: float) -> bool:
    if abs(previous.size - line.size) >= 1:
        return False
    if line.page == previous.page and line.top - previous.bottom > 1.6 * line.size:
        return False  # a gap wider than the line spacing ends a paragraph
    starts_at_margin = line.x0 <= left + LEFT_SLACK_CHARS * line.size
    ran_to_margin = previous.x1 >= right - RIGHT_SLACK_CHARS * line.size
    previous_in_frame = previous.x0 <= left + 2.6 * line.size
    if not (starts_at_margin and ran_to_margin and previous_in_frame):
        return False
    # A heading wraps in its own font; body text after a heading line is a new paragraph.
    return previous.heading_font == line.heading_font or not previous.heading_font


def _heading_hint(line: PdfLine) -> int | None:
    marker = find_marker(line.text, ("cn_comma", "cn_paren"))
    if marker is None:
        return None
    if marker.kind == "cn_comma" and line.heading_font:
        return 1
    if marker.kind == "cn_paren" and line.kai_lead:
        return 2
    return None


def _furniture(lines: list[PdfLine], pages: int) -> dict[int, str]:
    """Page numbers and running headers/footers: the first or last lines of a page that are a
    page number, or whose text stands at the same place on at least half of the pages (3 or more)."""
    reasons: dict[int, str] = {}
    by_page: dict[int, list[PdfLine]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    edge_lines: list[PdfLine] = []
    for lines_of_page in by_page.values():
        ordered = sorted(lines_of_page, key=lambda line: line.top)
        edge_lines.extend({id(line): line for line in ordered[:2] + ordered[-2:]}.values())
    repeated = Counter((_digitless(line.text), round(line.top / 4)) for line in edge_lines)
    for lines_of_page in by_page.values():
        ordered = sorted(lines_of_page, key=lambda line: line.top)
        for line in (ordered[-1], ordered[0]) if len(ordered) > 1 else (ordered[0],):
            if PAGE_NUMBER.match(line.text.strip()) and _isolated(line, ordered):
                reasons[id(line)] = "page number"
        for line in ordered[:2] + ordered[-2:]:
            key = (_digitless(line.text), round(line.top / 4))
            if id(line) not in reasons and pages >= 3 and repeated[key] >= max(3, pages // 2):
                reasons[id(line)] = "running header or footer"
    return reasons


def _isolated(line: PdfLine, ordered: list[PdfLine]) -> bool:
    """A page number stands apart from the text (not a number that ends a table-less list)."""
    others = [other for other in ordered if other is not line]
    if not others:
        return True
    gap = min(abs(line.top - other.bottom) if line.top >= other.top else abs(other.top - line.bottom)
              for other in others)
    return gap > 0.8 * line.size


def _digitless(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip())


def page_summary(page_of: dict[int, int], continued: dict[int, list[int]],
                 origins: list[tuple[str, tuple[int, ...]]], removed: list[Removed]) -> list[str]:
    """Per page: which items begin on it, which tables go on over it, and what was dropped."""
    summary: dict[int, Counter[str]] = {}
    for pages in continued.values():
        for page in pages:
            summary.setdefault(page, Counter())["table continued"] += 1
    events = [(kind, origin[0]) for kind, origin in origins] + [("dropped " + r.reason, r.origin[0]) for r in removed]
    for kind, number in events:
        on = page_of.get(number)
        if on is not None:
            summary.setdefault(on, Counter())[kind] += 1
    out = []
    for page in sorted(summary):
        parts = ", ".join(f"{n} {kind}" + ("s" if n > 1 and kind in ("paragraph", "heading", "table") else "")
                          for kind, n in summary[page].items())
        out.append(f"page {page}: {parts}")
    return out
