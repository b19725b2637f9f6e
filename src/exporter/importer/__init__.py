"""`exporter import`: turn a report that exists only as plain text or a .docx into a source file.

    result = import_file(Path("last-year.docx"))
    Path("source/last-year.md").write_text(result.markdown, encoding="utf-8")

The result is a first draft: front matter recognised from the text's front and end blocks,
typed heading numbers turned into heading levels, clean-ups applied and counted, every
statistic tagged as an indicator marked for review. `ImportResult.report()` says what was
recognised, changed, dropped and moved. The importer writes source Markdown only; it never
imports a writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import assert_never

from ..cjk import INVISIBLE, display_width
from .cleanup import (
    close_extraction_spaces, remove_control, remove_invisible, standard_dashes, strip_indent, tidy_spaces, to_ascii_width,
    to_full_punctuation,
)
from .figures import Figure, FigureTagger, Segment
from .front import (
    DUPLICATE_TITLE, PLACEHOLDER_TITLE, FrontMatter, drop_invisible_only, settle_head, take_end_block,
    take_front_block, take_head_block,
)
from .furniture import boilerplate_reason, licence_footer_start, page_furniture
from .lines import Counts, Removed
from .rejoin import PhysicalLine, rejoin
from .structure import HeadingItem, Item, ParagraphItem, TableItem, structure
from .tables import ImportedTable

CLEANUPS = {
    "punctuation": "make half-width punctuation in Chinese text full-width (GB/T 15834)",
    "width": "make full-width digits and letters ASCII",
    "invisible": "remove zero-width characters",
    "spaces": "remove stray spaces (before %, doubled after an article number, between Chinese characters and "
              "numbers as PDF-to-text tools insert them)",
    "rejoin": "rejoin lines broken by a converter or web page",
    "furniture": "drop page numbers and form feeds",
    "boilerplate": "drop web and database lines, licence footers and repeated titles",
}
SWITCHES = tuple(CLEANUPS) + ("figures",)
# Lines a reader drops before the clean-up that count as page furniture in the report (a PDF's
# page numbers and running heads, a continued table's head printed again).
FURNITURE_REASONS = ("page number", "running header or footer", "table head repeated",
                     "table label printed again after a page break")


@dataclass
class ImportOptions:
    disabled: frozenset[str] = frozenset()  # names from SWITCHES
    title: str | None = None

    def on(self, name: str) -> bool:
        return name not in self.disabled


@dataclass
class ImportResult:
    source_name: str
    input_kind: str
    encoding: str
    line_ending: str
    input_lines: int
    markdown: str
    front: FrontMatter
    items: list[Item]
    body: list[list[Segment]]       # the rendered segments of each item, in order
    figures: list[Figure]
    removed: list[Removed]
    counts: Counts
    warnings: list[str] = field(default_factory=list)
    encoding_evidence: str = ""     # why a legacy encoding was assumed ("" when a BOM or UTF-8 decided)
    pages: list[str] = field(default_factory=list)  # a PDF input: what each page became

    @property
    def median_paragraph_length(self) -> int:
        """In characters: a sane draft of a report has paragraphs of 50–300 characters; one line
        per paragraph (about 28) or the whole text in one says the rejoining went wrong."""
        lengths = sorted(len(p.text) for p in self.paragraphs)
        return lengths[len(lengths) // 2] if lengths else 0

    @property
    def headings(self) -> list[HeadingItem]:
        return [item for item in self.items if isinstance(item, HeadingItem)]

    @property
    def paragraphs(self) -> list[ParagraphItem]:
        return [item for item in self.items if isinstance(item, ParagraphItem)]

    def report(self, target: str | None = None, check_summary: str | None = None) -> str:
        from .report import render_report

        return render_report(self, target, check_summary)


def import_file(path: Path, options: ImportOptions | None = None) -> ImportResult:
    options = options or ImportOptions()
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from .docx import read_docx

        read = read_docx(path)
        result = _import_lines(path.name, "docx", read.encoding, read.line_ending, read.input_lines,
                               read.physical, read.hints, options, read.properties, read.tables)
        result.warnings.extend(read.warnings)
        return result
    if suffix == ".pdf":
        from .pdf import page_summary, read_pdf

        pdf = read_pdf(path)
        result = _import_lines(path.name, "pdf", pdf.encoding, pdf.line_ending, pdf.input_lines, pdf.physical,
                               pdf.hints, options, None, pdf.tables, dropped=pdf.removed)
        result.warnings.extend(pdf.warnings)
        result.pages = page_summary(pdf.page_of, pdf.continued, _origins(result),
                                    [r for r in result.removed if r.moved_to is None])
        return result
    from .text import decode

    decoded = decode(path.read_bytes(), str(path))
    physical = [(n, line) for n, line in enumerate(decoded.text.split("\n"), start=1)]
    result = _import_text_lines(path.name, decoded.encoding, decoded.line_ending, physical, options)
    result.encoding_evidence = decoded.evidence
    return result


def import_text(text: str, name: str = "input.txt", options: ImportOptions | None = None) -> ImportResult:
    """Import text already in memory (tests, pasted text)."""
    physical = [(n, line) for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1)]
    return _import_text_lines(name, "UTF-8", "LF", physical, options or ImportOptions())


def _import_text_lines(name: str, encoding: str, line_ending: str, physical: list[tuple[int, str]],
                       options: ImportOptions) -> ImportResult:
    """Plain text: tables laid out in columns (`pdftotext -layout`) are read first, while the
    columns are still where the text put them."""
    from .layout_tables import find_layout_tables

    found = find_layout_tables(physical)
    result = _import_lines(name, "txt", encoding, line_ending, len(physical), found.physical, None, options,
                           tables=found.tables, dropped=found.removed)
    result.warnings.extend(found.warnings)
    if any("\f" in text for _n, text in physical):
        # Text copied out of a PDF page by page (form feeds between pages): say what each page became.
        from .pdf import page_summary

        page_of: dict[int, int] = {}
        page = 1
        for number, text in physical:
            page += text.count("\f")   # pdftotext ends each page with one: the next line opens a page
            page_of[number] = page
        continued = {n: sorted({page_of[line] for line in lines}) for n, lines in found.continued.items()}
        result.pages = page_summary(page_of, continued, _origins(result),
                                    [r for r in result.removed if r.moved_to is None])
    return result


def _origins(result: ImportResult) -> list[tuple[str, tuple[int, ...]]]:
    origins = [(_kind(item), item.origin) for item in result.items]
    return origins + [("to the front matter", r.origin) for r in result.removed if r.moved_to is not None]


def _import_lines(name: str, kind: str, encoding: str, line_ending: str, input_lines: int,
                  physical_input: list[tuple[int, str]], hints: dict | None,
                  options: ImportOptions, properties: dict[str, str] | None = None,
                  tables: dict[int, ImportedTable] | None = None,
                  dropped: list[Removed] | None = None) -> ImportResult:
    counts = Counts()
    removed: list[Removed] = list(dropped or [])
    counts.add("furniture", sum(1 for r in removed if r.reason in FURNITURE_REASONS))
    physical = _clean_physical(physical_input, counts, removed, options)
    for p in physical:
        hint = (hints or {}).get(p.number)
        if hint is not None:
            p.level_hint, p.title_hint, p.bookmarks = hint.level, hint.title, list(hint.bookmarks)
    lines = rejoin(physical, counts, enabled=options.on("rejoin"))
    for line in lines:
        if options.on("width"):
            line.text = to_ascii_width(line.text, counts)
        if options.on("punctuation"):
            line.text = to_full_punctuation(standard_dashes(line.text, counts), counts)
        if options.on("spaces"):
            line.text = tidy_spaces(close_extraction_spaces(line.text, counts), counts)
    front = FrontMatter()
    lines = take_head_block(lines, front, removed)
    lines = take_front_block(lines, front, removed, drop_duplicates=options.on("boilerplate"),
                             find_title=options.title is None)
    counts.add("boilerplate", sum(1 for r in removed if r.reason == DUPLICATE_TITLE))
    lines = take_end_block(lines, front, removed)
    drop_invisible_only(front, INVISIBLE)
    settle_head(front)
    for key, value in (properties or {}).items():
        value = remove_control(remove_invisible(value, Counts()), counts).strip()
        if getattr(front, key) is None and value:
            setattr(front, key, value)
    warnings = []
    if options.title:
        front.title = [options.title]
    elif not front.title:
        front.title = [PLACEHOLDER_TITLE]
        front.title_is_placeholder = True
        warnings.append(f"no title line found: the title is {PLACEHOLDER_TITLE!r}; give one with --title")
    items = structure(lines, counts, tidy=options.on("spaces"))
    if tables:
        items = [TableItem(tables[item.origin[0]], item.origin)
                 if isinstance(item, ParagraphItem) and item.origin[0] in tables else item for item in items]
        for table in tables.values():
            if table.generated_keys:
                warnings.append(f"table {table.id}: the input carries no keys; the placeholders todo_r…/todo_c… "
                                "need stable names before the figures are used across years")
    bookmarks = {line.first_line: [_clean_bookmark(b, options) for b in line.bookmarks] for line in lines}
    tagger = FigureTagger(reserved={name for names in bookmarks.values() for name, _text in names})
    body: list[list[Segment]] = []
    for item in items:
        match item:
            case TableItem():
                body.append([])  # its figures are its cells
            case HeadingItem() | ParagraphItem():
                if options.on("figures"):
                    body.append(tagger.tag(item.text, item.origin[0], bookmarks.get(item.origin[0], [])))
                else:
                    body.append([item.text])
            case _:
                assert_never(item)
    from .emit import render_source

    markdown = render_source(name, front, removed, items, body, bool(tagger.figures))
    return ImportResult(
        source_name=name, input_kind=kind, encoding=encoding, line_ending=line_ending, input_lines=input_lines,
        markdown=markdown, front=front, items=items, body=body, figures=tagger.figures, removed=removed,
        counts=counts, warnings=warnings,
    )


def _kind(item: Item) -> str:
    match item:
        case HeadingItem():
            return "heading"
        case ParagraphItem():
            return "paragraph"
        case TableItem():
            return "table"
        case _:
            assert_never(item)


def _clean_bookmark(bookmark: tuple[str, str], options: ImportOptions) -> tuple[str, str]:
    """A bookmark's text goes through the same clean-up as its line, so it is found there again."""
    name, text = bookmark
    scratch = Counts()
    text = remove_control(text, scratch)
    if options.on("invisible"):
        text = remove_invisible(text, scratch)
    if options.on("width"):
        text = to_ascii_width(text, scratch)
    return name, text.strip()


def _clean_physical(physical_input: list[tuple[int, str]], counts: Counts, removed: list[Removed],
                    options: ImportOptions) -> list[PhysicalLine]:
    physical: list[PhysicalLine] = []
    page_breaks: set[int] = set()   # lines that held only a form feed: furniture, not a blank line
    for number, raw in physical_input:
        text = raw
        if "\f" in text and options.on("furniture"):
            counts.add("furniture", text.count("\f"))
            text = text.replace("\f", "")
            if not text.strip():
                page_breaks.add(number)
        text = remove_control(text, counts)
        visible = "".join(ch for ch in text if ch not in INVISIBLE)
        zero_width_only = bool(text.strip()) and not visible.strip()
        if options.on("invisible"):
            text = remove_invisible(text, counts)
        elif zero_width_only:
            text = ""  # a line of zero-width characters only is a blank line either way
        width = display_width(text.rstrip())
        # Always: a source holds no indentation (Markdown drops it, or makes a code block of
        # four spaces); the layout indents every paragraph.
        text, indented = strip_indent(text, counts)
        line = PhysicalLine(number, text, indented, zero_width_only, width)
        line.indent_width = width - display_width(text) if indented else 0
        physical.append(line)
    texts = [p.text.strip() for p in physical]
    footer = licence_footer_start(texts) if options.on("boilerplate") else None
    kept: list[PhysicalLine] = []
    page_end = False    # just after a page number: the blank lines of the page margin follow
    for index, p in enumerate(physical):
        if p.number in page_breaks:
            continue
        stripped = p.text.strip()
        if page_end and not stripped:
            continue
        page_end = False
        reason = None
        if stripped:
            if footer is not None and index >= footer:
                reason, kind = "licence footer", "boilerplate"
            elif options.on("furniture") and page_furniture(stripped):
                reason, kind = "page number", "furniture"
            elif options.on("boilerplate"):
                reason, kind = boilerplate_reason(stripped), "boilerplate"
        if reason:
            # Dropped, not blanked: a page number between two halves of a paragraph must not
            # count as the blank line that ends it.
            removed.append(Removed((p.number,), p.text, reason))
            counts.add(kind)
            if kind == "furniture":
                # The blank lines around a page number are the page's margin, not a paragraph
                # break: `pdftotext -layout` sets them around every footer.
                while kept and not kept[-1].text and not kept[-1].zero_width_only:
                    kept.pop()
                page_end = True
            continue
        kept.append(p)
    return kept
