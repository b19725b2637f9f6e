"""Helpers shared by the import tests: import a text, read the generated source back, and the
nothing-lost property (Chinese characters of the input, in order)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from exporter.importer import ImportOptions, ImportResult, import_text
from exporter.model import Document, Heading, Paragraph, Table
from exporter.reader import read_source

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f〇]")
# What a typed heading number may look like; anything else removed from a heading is a loss.
TYPED_NUMBER = re.compile(
    r"^(?:第[〇零一二两三四五六七八九十百]+[章节]|[〇零一二两三四五六七八九十百]+[、是]|[（(][〇零一二两三四五六七八九十百]+[）)]"
    r"|\d{1,3}[.．、]|[（(]\d{1,3}[）)])$"
)


def han(text: str) -> list[str]:
    return HAN.findall(text)


def imported(text: str, *disabled: str, title: str | None = None) -> ImportResult:
    return import_text(text, options=ImportOptions(frozenset(disabled), title))


def read_back(result: ImportResult, folder: Path, name: str = "imported.md") -> Document:
    path = folder / name
    path.write_text(result.markdown, encoding="utf-8")
    return read_source(path).document


def body_lines(document: Document) -> list[str]:
    """Each block as printed by the reader's model, without generated numbers."""
    out = []
    for block in document.blocks:
        if isinstance(block, Heading):
            out.append(block.text)
        elif isinstance(block, Table):
            out.append(f"[table of {block.row_count} rows]")
        else:
            out.append((block.lead.text if block.lead else "") + block.text)
    return out


def expected_body_chars(raw_text: str, result: ImportResult) -> list[str]:
    """The input's Chinese characters minus the lines the report lists as dropped or moved and
    minus the typed heading numbers (which the writers regenerate)."""
    removed_lines = {n for r in result.removed for n in r.origin}
    typed = {}
    for heading in result.headings:
        if heading.typed:
            assert TYPED_NUMBER.match(heading.typed), heading.typed
            typed[heading.origin[0]] = han(heading.typed)
    sequence: list[str] = []
    for number, line in enumerate(raw_text.split("\n"), start=1):
        if number in removed_lines:
            continue
        chars = han(line)
        number_chars = typed.get(number)
        if number_chars:
            assert chars[: len(number_chars)] == number_chars, (number, line[:20])
            chars = chars[len(number_chars):]
        sequence.extend(chars)
    return sequence


def model_body_chars(document: Document) -> list[str]:
    chars: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph) and block.lead is not None:
            chars.extend(han(block.lead.text))
        chars.extend(han(block.text))
    return chars


def docx_text(path: Path) -> str:
    """All text of the .docx body (tables included; headers and footers not)."""
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml))


def is_subsequence(needle: list[str], haystack: list[str]) -> tuple[bool, int]:
    """Whether needle appears in order in haystack; also how many of its items were found."""
    it = iter(haystack)
    found = 0
    for item in needle:
        for candidate in it:
            if candidate == item:
                found += 1
                break
        else:
            return False, found
    return True, found
