"""Read a .docx input into lines with hints: paragraphs in order (table cells included), their
style and outline level, Word's own list numbering written out as text, and bookmarks.

* A `Title` style marks title lines; `Heading 1–4` (or 标题 1–4), an outline level 0–3 (on
  the paragraph or its style chain), or leading runs in a heading's character style (a run-in
  heading) give the line a heading level.
* A paragraph numbered by Word (w:numPr) gets its number as text ("一、", "（一）", "1.") from
  numbering.xml, so it is read like a typed one.
* Bookmarks hold indicator ids (the Word writer names one bookmark per figure), so an
  indicator keeps its id when last year's .docx is imported.
Headers and footers (page numbers) are not read.

The file may be hostile (a zip bomb, a billion-laughs DTD, a truncated download): before
python-docx sees it, every member is decompressed once in bounded chunks (its CRC checked),
against caps on the total size, the XML size and the compression ratio, and any DTD is refused
(OPC forbids them in a package, and a DTD is what entity expansion needs). Every problem is a
located error, `file.docx: error: <part>: …`, never a traceback.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, SourceError
from ..numbering import chinese_numeral
from .tables import CAPTION, NOTE, SENTINEL, UNIT_LINE, ImportedTable, read_table, take_label_line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


@dataclass
class ParagraphHint:
    level: int | None = None
    title: bool = False
    bookmarks: list[tuple[str, str]] = field(default_factory=list)   # (name, covered text) in order


@dataclass
class DocxRead:
    physical: list[tuple[int, str]]
    hints: dict[int, ParagraphHint]
    warnings: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)  # front-matter key → value
    tables: dict[int, ImportedTable] = field(default_factory=dict)  # by the physical line it stands on
    encoding: str = "Office Open XML"
    line_ending: str = "paragraphs"

    @property
    def input_lines(self) -> int:
        return len(self.physical)


# Caps for a report's package. A 1,000-page report's word/document.xml is about 20 MB and its
# XML compresses 13-17 times; a zip bomb compresses about 1,000 times.
MAX_PACKAGE_BYTES = 128 * 2**20        # the .docx file itself
MAX_TOTAL_BYTES = 512 * 2**20          # all members decompressed (pictures included)
MAX_XML_BYTES = 64 * 2**20             # XML members decompressed: they become lxml trees (~10x)
MAX_RATIO = 200                        # decompressed / compressed, for members over RATIO_GRACE
RATIO_GRACE = 2**20
CHUNK = 2**20
XML_SUFFIXES = (".xml", ".rels", ".vml")
DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(codec) for codec in ("ascii", "utf-16-le", "utf-16-be"))


def read_docx(path: Path) -> DocxRead:
    shown = str(path)
    package = _checked_package(path, shown)
    document = _parse_document(package, shown)
    try:
        return _read_document(document, _custom_properties(package, shown))
    except ValueError as exc:  # an attribute python-docx or this reader cannot convert (w:val="x")
        raise SourceError(_error(shown, None, f"unexpected content in the document's XML ({exc}); "
                                 "save the file again from Word or WPS")) from None


def _error(shown: str, part: str | None, message: str) -> Diagnostic:
    return Diagnostic("error", f"{part}: {message}" if part else message, path=shown)


def _checked_package(path: Path, shown: str) -> bytes:
    """The file's bytes, once every member has been decompressed within the caps."""
    try:
        size = path.stat().st_size
        if size > MAX_PACKAGE_BYTES:
            raise SourceError(_error(shown, None, f"the file is {size / 2**20:.0f} MB, more than the "
                                     f"{MAX_PACKAGE_BYTES // 2**20} MB a report's .docx can need; not imported"))
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(_error(shown, None, f"cannot read: {exc.strerror or exc}")) from None
    try:
        package = zipfile.ZipFile(io.BytesIO(raw))
        infos = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise SourceError(_error(shown, None, f"not a readable .docx file: not a zip package ({exc})")) from None
    total = sum(info.file_size for info in infos)
    xml_total = sum(info.file_size for info in infos if info.filename.lower().endswith(XML_SUFFIXES))
    if total > MAX_TOTAL_BYTES or xml_total > MAX_XML_BYTES:
        raise SourceError(_error(shown, None, (
            f"the package would decompress to {total / 2**20:,.0f} MB ({xml_total / 2**20:,.0f} MB of XML) from "
            f"{len(raw) / 2**20:,.1f} MB, more than a report can need ({MAX_TOTAL_BYTES // 2**20} MB, "
            f"{MAX_XML_BYTES // 2**20} MB of XML): refused as a possible zip bomb")))
    with package:
        for info in infos:
            _check_member(package, info, shown)
    return raw


def _check_member(package: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> None:
    part = info.filename
    if info.file_size > RATIO_GRACE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise SourceError(_error(shown, part, (
            f"compressed {info.file_size / max(info.compress_size, 1):,.0f} to 1 ({info.compress_size:,} bytes "
            f"would become {info.file_size:,}); no document part compresses more than {MAX_RATIO} to 1: "
            f"refused as a possible zip bomb")))
    is_xml = part.lower().endswith(XML_SUFFIXES)
    tail = b""
    try:
        # zipfile never returns more than the declared size and checks the CRC at the end, so a
        # member that lies about its size is an error here, not a memory blow-up.
        with package.open(info) as member:
            while chunk := member.read(CHUNK):
                if is_xml:
                    window = tail + chunk
                    if any(mark in window for mark in DOCTYPE_MARKS):
                        raise SourceError(_error(shown, part, (
                            "the XML declares a DTD (<!DOCTYPE …>), which Office files never contain and "
                            "entity-expansion attacks need: not imported")))
                    tail = window[-32:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise SourceError(_error(shown, part, f"damaged compressed data ({exc}); the file is truncated or "
                                 "corrupt: save it again from Word or WPS")) from None
    except (NotImplementedError, RuntimeError) as exc:  # another compression method, or encrypted
        raise SourceError(_error(shown, part, f"cannot be read ({exc}); save the file again from Word or WPS "
                                 "without a password")) from None


def _parse_document(package: bytes, shown: str):
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        return docx.Document(io.BytesIO(package))
    except etree.XMLSyntaxError:
        raise SourceError(_locate_xml_error(package, shown)) from None
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise SourceError(_error(shown, None, f"not a readable .docx file ({exc})")) from None


def _safe_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _locate_xml_error(package: bytes, shown: str) -> Diagnostic:
    """Which part's XML is malformed, and where (python-docx's own error does not say)."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        for info in archive.infolist():
            if not info.filename.lower().endswith(XML_SUFFIXES):
                continue
            try:
                etree.fromstring(archive.read(info), _safe_parser())
            except etree.XMLSyntaxError as exc:
                line, column = exc.position
                return _error(shown, f"{info.filename}:{line}:{column}", f"malformed XML ({exc.msg})")
    return _error(shown, None, "malformed XML in the package")


def _read_document(document, properties: dict[str, str]) -> DocxRead:
    numbering = _Numbering(document)
    styles = _StyleInfo(document)
    physical: list[tuple[int, str]] = []
    hints: dict[int, ParagraphHint] = {}
    tables: dict[int, ImportedTable] = {}
    for element in _with_tables(document.element.body):
        number = len(physical) + 1
        if isinstance(element, ImportedTable):
            physical.append((number, SENTINEL.format(n=len(tables) + 1)))
            hints[number] = ParagraphHint()
            tables[number] = element
            continue
        text, bookmarks = _paragraph_text(element)
        style_id = _style_id(element)
        hint = ParagraphHint(
            level=_outline_level(element) or styles.level(style_id) or styles.run_in_level(_lead_run_style(element)),
            title=styles.is_title(style_id),
            bookmarks=bookmarks,
        )
        label = numbering.label(element, styles.numbering(style_id))
        physical.append((number, label + text))
        hints[number] = hint
    return DocxRead(physical, hints, _unread(document.element.body, len(tables)), properties, tables=tables)


# Custom document properties the Word writer records (File › Properties › Custom), by the
# front-matter key they restore; a report's region and period are not printed anywhere else.
CUSTOM_PROPERTY_KEYS = {"地区": "region", "地区代码": "region_code", "统计时期": "period", "发文字号": "doc_number"}


CUSTOM_PART = "docProps/custom.xml"


def _custom_properties(package: bytes, shown: str) -> dict[str, str]:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        try:
            data = archive.read(CUSTOM_PART)
        except KeyError:
            return {}
    try:
        root = etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise SourceError(_error(shown, f"{CUSTOM_PART}:{line}:{column}", (
            f"malformed custom document properties ({exc.msg}); remove them in File › Properties › Custom, "
            f"or save the file again"))) from None
    found = {}
    for prop in root:
        key = CUSTOM_PROPERTY_KEYS.get(prop.get("name", ""))
        value = "".join(prop.itertext()).strip()
        if key and value:
            found[key] = value
    return found


def _unread(body, imported_tables: int) -> list[str]:
    """What the source format cannot hold, said in the report rather than lost silently."""
    warnings = []
    tables = len(body.findall(f"{W}tbl")) - imported_tables
    if tables:
        warnings.append(f"{tables} table(s) without figures (a 版记 or a layout table): each cell became a paragraph")
    for tag, what in (("footnoteReference", "footnote"), ("endnoteReference", "endnote"),
                      ("commentReference", "comment")):
        count = len(body.findall(f".//{W}{tag}"))
        if count:
            warnings.append(f"{count} {what}(s) not imported: copy them into the text by hand")
    return warnings


def _with_tables(body):
    """Body paragraphs in reading order, with each top-level table that holds figures as one
    `ImportedTable` that takes in its caption and unit line above and its 注 lines below."""
    items: list = []
    for child in body.iterchildren():
        if child.tag == W + "tbl":
            table = read_table(child, sum(isinstance(i, ImportedTable) for i in items) + 1)
            if table is not None:
                _take_caption(items, table)
                items.append(table)
                continue
            items.extend(child.iter(W + "p"))
        elif child.tag == W + "p":
            if items and isinstance(items[-1], ImportedTable):
                text = _paragraph_text(child)[0].strip()
                if NOTE.match(text):
                    items[-1].notes.append(text)
                    continue
            items.append(child)
        elif child.tag == W + "sdt":
            items.extend(_body_paragraphs(child.find(W + "sdtContent")))
    return items


def _take_caption(items: list, table: ImportedTable) -> None:
    """The unit line and the caption right above a table become its attributes."""
    for pattern in (UNIT_LINE, CAPTION):
        if items and not isinstance(items[-1], ImportedTable) \
                and take_label_line(pattern, _paragraph_text(items[-1])[0], table):
            items.pop()


def _body_paragraphs(body):
    """w:p in reading order, descending into tables (a 版记 is usually a table)."""
    for child in body.iterchildren():
        if child.tag == W + "p":
            yield child
        elif child.tag == W + "tbl":
            for paragraph in child.iter(W + "p"):
                yield paragraph
        elif child.tag == W + "sdt":
            yield from _body_paragraphs(child.find(W + "sdtContent"))


def _paragraph_text(p) -> tuple[str, list[tuple[str, str]]]:
    text = []
    length = 0
    open_marks: dict[str, tuple[str, int]] = {}
    bookmarks: list[tuple[int, str, str]] = []
    for element in p.iter():
        tag = element.tag
        if tag == W + "t":
            if _inside(element, "del") or _inside(element, "moveFrom") or _inside(element, MC_FALLBACK):
                continue
            text.append(element.text or "")
            length += len(element.text or "")
        elif tag == W + "tab" and element.getparent().tag == W + "r":
            text.append("\t")
            length += 1
        elif tag == W + "bookmarkStart":
            name = element.get(W + "name") or ""
            if name and not name.startswith("_"):
                open_marks[element.get(W + "id")] = (name, length)
        elif tag == W + "bookmarkEnd":
            opened = open_marks.pop(element.get(W + "id"), None)
            if opened is not None:
                bookmarks.append((opened[1], opened[0], length))
    joined = "".join(text)
    return joined, [(name, joined[start:end]) for start, name, end in sorted(bookmarks) if end > start]


def _lead_run_style(p) -> str | None:
    """The character style of the paragraph's first run with text (a run-in heading's style)."""
    for run in p.iter(W + "r"):
        if run.find(W + "t") is None:
            continue
        rpr = run.find(W + "rPr")
        style = rpr.find(W + "rStyle") if rpr is not None else None
        return style.get(W + "val") if style is not None else None
    return None


def _inside(element, tag: str) -> bool:
    """Whether `element` lies inside a w:`tag` (or a fully qualified `tag`): deleted or moved-away
    text, and the fallback copy of a text box, are not part of what the document shows."""
    qualified = tag if tag.startswith("{") else W + tag
    parent = element.getparent()
    while parent is not None:
        if parent.tag == qualified:
            return True
        parent = parent.getparent()
    return False


def _style_id(p) -> str | None:
    ppr = p.find(W + "pPr")
    style = ppr.find(W + "pStyle") if ppr is not None else None
    return style.get(W + "val") if style is not None else None


def _outline_level(p) -> int | None:
    ppr = p.find(W + "pPr")
    outline = ppr.find(W + "outlineLvl") if ppr is not None else None
    if outline is None:
        return None
    value = int(outline.get(W + "val", "9"))
    return value + 1 if value <= 3 else None


class _StyleInfo:
    """Heading level, title and numbering of paragraph styles, following basedOn chains."""

    def __init__(self, document) -> None:
        self.by_id = {}
        for style in document.styles.element.findall(W + "style"):
            self.by_id[style.get(W + "styleId")] = style

    def _chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find(W + "basedOn")
            style_id = based.get(W + "val") if based is not None else None

    def _name(self, style) -> str:
        name = style.find(W + "name")
        return (name.get(W + "val") if name is not None else "").lower()

    def level(self, style_id: str | None) -> int | None:
        for style in self._chain(style_id):
            name = self._name(style)
            for prefix in ("heading ", "标题 "):
                if name.startswith(prefix) and name[len(prefix):].isdigit():
                    level = int(name[len(prefix):])
                    return level if level <= 4 else None
            ppr = style.find(W + "pPr")
            outline = ppr.find(W + "outlineLvl") if ppr is not None else None
            if outline is not None:
                value = int(outline.get(W + "val", "9"))
                return value + 1 if value <= 3 else None
        return None

    def run_in_level(self, char_style_id: str | None) -> int | None:
        """A run-in heading is a Normal paragraph led by runs in a heading's character style
        ("Heading 2 Char", linked to "Heading 2")."""
        style = self.by_id.get(char_style_id) if char_style_id else None
        if style is None:
            return None
        link = style.find(W + "link")
        if link is not None and link.get(W + "val") in self.by_id:
            return self.level(link.get(W + "val"))
        name = self._name(style)
        for prefix in ("heading ", "标题 "):
            rest = name[len(prefix):].removesuffix(" char").removesuffix(" 字符")
            if name.startswith(prefix) and rest.isdigit() and int(rest) <= 4:
                return int(rest)
        return None

    def is_title(self, style_id: str | None) -> bool:
        return any(self._name(style) in ("title", "标题") for style in self._chain(style_id))

    def numbering(self, style_id: str | None):
        for style in self._chain(style_id):
            ppr = style.find(W + "pPr")
            num = ppr.find(W + "numPr") if ppr is not None else None
            if num is not None:
                return num
        return None


class _Numbering:
    """Word list numbers as printed: counters per list and level, formats from numbering.xml."""

    def __init__(self, document) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            part = document.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            return
        root = part.element
        abstract = {}
        for node in root.findall(W + "abstractNum"):
            abstract[node.get(W + "abstractNumId")] = node
        for num in root.findall(W + "num"):
            ref = num.find(W + "abstractNumId")
            node = abstract.get(ref.get(W + "val")) if ref is not None else None
            if node is None:
                continue
            for lvl in node.findall(W + "lvl"):
                ilvl = int(lvl.get(W + "ilvl", "0"))
                fmt = lvl.find(W + "numFmt")
                text = lvl.find(W + "lvlText")
                start = lvl.find(W + "start")
                self.levels[(num.get(W + "numId"), ilvl)] = (
                    fmt.get(W + "val") if fmt is not None else "decimal",
                    text.get(W + "val") if text is not None else "",
                    int(start.get(W + "val")) if start is not None else 1,
                )

    def label(self, p, style_num) -> str:
        ppr = p.find(W + "pPr")
        num = ppr.find(W + "numPr") if ppr is not None else None
        num = num if num is not None else style_num
        if num is None:
            return ""
        num_id_el, ilvl_el = num.find(W + "numId"), num.find(W + "ilvl")
        num_id = num_id_el.get(W + "val") if num_id_el is not None else None
        ilvl = int(ilvl_el.get(W + "val")) if ilvl_el is not None else 0
        if num_id in (None, "0") or (num_id, ilvl) not in self.levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        fmt, text, _start = self.levels[(num_id, ilvl)]
        for level in range(ilvl + 1):
            lvl_fmt, _t, lvl_start = self.levels.get((num_id, level), ("decimal", "", 1))
            value = counters[level] + lvl_start - 1
            text = text.replace(f"%{level + 1}", _format(lvl_fmt, value))
        return text


def _format(fmt: str, value: int) -> str:
    if value <= 0:
        return str(value)
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
               "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese_numeral(value)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if fmt == "decimalEnclosedCircle" and value <= 20:
        return chr(0x2460 + value - 1)
    if fmt == "decimalEnclosedParen":
        return f"({value})"
    if fmt == "lowerLetter":
        return chr(ord("a") + (value - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (value - 1) % 26)
    return str(value)
