"""Which lines are headings, at which level, and which are paragraphs.

Typed numbers map to the four GB/T 9704 levels: 一、 → 1, （一） → 2, 1. 1． 1、 → 3, （1） → 4.
"一是 … 二是 …" at the start of two or more lines is one level below the heading they stand
under. A line becomes a heading only when its number is the one the reader will generate there
(the next ordinal under the current parent, no skipped level); otherwise it stays a paragraph
with its typed number, so no number changes in print. After an "附件" line everything stays a
paragraph: an attachment restarts its own numbering, which one document cannot express.

A numbered line whose first sentence ends in "。" and goes on is a run-in heading: the sentence
becomes the heading and the rest its paragraph; a short numbered sentence alone on its line is a
run-in heading for the paragraph after it. A numbered line ending in "；" "，" "、" or "：", or a
numbered sentence alone on its line that is a definition ("“两重”：…。"), is an item, not a
heading.

Texts with articles (two or more lines starting "第X条") are statutes: 第X章 → level 1 and
第X节 → level 2 (the chapter or section title as heading text; without 第X章 lines, 一、 is
the chapter, as the writers print it); articles, and the （一） items
inside them, stay paragraphs with their numbers, because articles are numbered through the
whole text and the generated numbers restart under each heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cjk import INVISIBLE
from .cleanup import tidy_spaces
from .lines import Counts, Line
from ..numbering import chinese_numeral
from .markers import HEADING_KINDS, Marker, find_marker
from .tables import ImportedTable

ATTACHMENT_START = re.compile(r"^附\s*件\s*\d*$")
LIST_ITEM_ENDINGS = ("；", "，", "、", "：", ";", ",", ":")
MAX_STANDALONE_HEADING = 60
_STATUTE_SPLIT = re.compile(r"[ \t\u3000\u2002\u2003\u00a0]+(?=第[〇零一二两三四五六七八九十百]+条)")
_OPEN = "“‘（《〈「『【(["
_CLOSE = "”’）》〉」』】)]"


@dataclass
class HeadingItem:
    level: int
    text: str
    origin: tuple[int, ...]
    typed: str          # the typed number that was removed ("" for a .docx heading style)
    run_in: bool = False


@dataclass
class ParagraphItem:
    text: str
    origin: tuple[int, ...]
    kept_number: str | None = None  # why a typed number at the start was not made a heading


@dataclass
class TableItem:
    """A Word table read as a source table (importer.tables); it is written as it was read."""

    table: ImportedTable
    origin: tuple[int, ...]

    @property
    def text(self) -> str:
        return "\n".join("".join(row) for row in self.table.rows)


Item = HeadingItem | ParagraphItem | TableItem


def is_statute(lines: list[Line]) -> bool:
    """"第二十条第（一）项" (a table row of a 政府信息公开 report) cites an article; it is not one."""
    markers = (find_marker(_after_chapter(line.text), ("article",)) for line in lines)
    articles = sum(1 for marker in markers if marker is not None and not marker.rest.startswith("第"))
    return articles >= 2


def _after_chapter(text: str) -> str:
    marker = find_marker(text, ("chapter", "section"))
    if marker is None:
        return text
    parts = _STATUTE_SPLIT.split(marker.rest, maxsplit=1)
    return parts[1] if len(parts) == 2 else text


def structure(lines: list[Line], counts: Counts, tidy: bool = True) -> list[Item]:
    if is_statute(lines):
        return _statute(lines, counts, tidy)
    return _numbered(lines)


def _statute(lines: list[Line], counts: Counts, tidy: bool) -> list[Item]:
    items: list[Item] = []
    counters = {1: 0, 2: 0}
    # Chapters typed as 第X章, or — in a statute printed by the writers — as 一、.
    has_chapters = any(find_marker(line.text, ("chapter",)) for line in lines)
    kinds = ("chapter", "section") if has_chapters else ("cn_comma",)
    for line in lines:
        marker = find_marker(line.text, kinds)
        if marker is None:
            items.append(ParagraphItem(line.text, line.origin))
            continue
        level = 2 if marker.kind == "section" else 1
        parts = _STATUTE_SPLIT.split(marker.rest, maxsplit=1)
        title = parts[0].strip()
        expected = counters[level] + 1
        if (not _visible(title) or marker.ordinal != expected or (level == 2 and counters[1] == 0)
                or _TYPED_START.match(title)):
            items.append(ParagraphItem(line.text, line.origin, kept_number=f"number {marker.typed.strip()!r} out of sequence"))
            continue
        counters[level] = marker.ordinal
        if level == 1:
            counters[2] = 0
        items.append(HeadingItem(level, title, line.origin, marker.typed.strip()))
        if len(parts) == 2:
            article = parts[1].strip()
            items.append(ParagraphItem(tidy_spaces(article, counts) if tidy else article, line.origin))
    return items


def _shi_lines(lines: list[Line]) -> set[int]:
    """Indices of "一是 … 二是 …" lines that form a run of two or more at line starts."""
    accepted: set[int] = set()
    run: list[int] = []
    expected = 1
    for index, line in enumerate(lines):
        marker = find_marker(line.text)
        if marker is None:
            continue
        if marker.kind == "shi" and marker.ordinal == expected:
            run.append(index)
            expected += 1
            continue
        if marker.kind == "shi" and marker.ordinal == 1:
            if len(run) >= 2:
                accepted.update(run)
            run, expected = [index], 2
            continue
        if marker.fixed_level is not None:
            if len(run) >= 2:
                accepted.update(run)
            run, expected = [], 1
    if len(run) >= 2:
        accepted.update(run)
    return accepted


class _Numbering:
    def __init__(self) -> None:
        self.counters = [0] * 6
        self.level = 0
        self.blocked_below: int | None = None
        self.shi_level = 0

    def refuse(self, level: int, ordinal: int) -> str | None:
        if level > 4:
            return "deeper than four levels"
        if level > self.level + 1:
            return "the level above is missing"
        if self.blocked_below is not None and level > self.blocked_below:
            return "its parent number was not taken as a heading"
        if ordinal != self.counters[level] + 1:
            return f"out of sequence (expected number {self.counters[level] + 1})"
        return None

    def accept(self, level: int) -> None:
        self.counters[level] += 1
        for deeper in range(level + 1, len(self.counters)):
            self.counters[deeper] = 0
        self.level = level
        if self.blocked_below is not None and level <= self.blocked_below:
            self.blocked_below = None

    def block(self, level: int) -> None:
        self.blocked_below = level if self.blocked_below is None else min(self.blocked_below, level)


def _numbered(lines: list[Line]) -> list[Item]:
    items: list[Item] = []
    shi = _shi_lines(lines)
    numbering = _Numbering()
    in_attachment = False
    for index, line in enumerate(lines):
        text = line.text
        if ATTACHMENT_START.match(text):
            in_attachment = True
        marker = find_marker(text, HEADING_KINDS + ("shi",))
        if marker is not None and marker.kind == "shi" and index not in shi:
            marker = None
        if line.level_hint is not None:
            marker = _expected_label(text, line.level_hint, numbering) or marker
        if marker is None:
            level = line.level_hint
            if (level is not None and not in_attachment and _visible(text) and not _TYPED_START.match(text)
                    and numbering.refuse(level, numbering.counters[level] + 1) is None):
                numbering.accept(level)
                items.extend(_heading_items(level, text, "", line))
            else:
                items.append(ParagraphItem(text, line.origin))
            continue
        if marker.kind == "shi":
            if marker.ordinal == 1:
                numbering.shi_level = numbering.level + 1
            level = numbering.shi_level
        else:
            level = marker.fixed_level or 0
        reason = "inside an attachment (own numbering)" if in_attachment else numbering.refuse(level, marker.ordinal)
        if reason is None:
            reason = _shape_problem(marker)
        if reason is not None:
            if marker.kind != "shi":
                numbering.block(level)
            items.append(ParagraphItem(text, line.origin, kept_number=f"{marker.typed.strip()!r}: {reason}"))
            continue
        numbering.accept(level)
        items.extend(_heading_items(level, marker.rest.strip(), marker.typed.strip(), line))
    return items


_LEVEL_KINDS = {1: "cn_comma", 2: "cn_paren", 3: "digit_dot", 4: "digit_paren"}


def _expected_label(text: str, level: int, numbering: _Numbering) -> Marker | None:
    """A .docx heading (or run-in heading) that starts with the very number the reader would
    generate there: "3." before "10种…" is that number, not the decimal 3.10."""
    if level not in _LEVEL_KINDS:
        return None
    ordinal = numbering.counters[level] + 1
    cn = chinese_numeral(ordinal)
    label = {1: f"{cn}、", 2: f"（{cn}）", 3: f"{ordinal}.", 4: f"（{ordinal}）"}[level]
    if not text.startswith(label):
        return None
    return Marker(_LEVEL_KINDS[level], ordinal, label, text[len(label):])


# The reader refuses a heading whose text starts like a typed number (it would print twice).
_TYPED_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])")


def _visible(text: str) -> str:
    return "".join(ch for ch in text if ch not in INVISIBLE).strip()


def _shape_problem(marker: Marker) -> str | None:
    rest = marker.rest.strip()
    if not _visible(rest):
        return "no text after the number"
    if _TYPED_START.match(rest):
        return "the text after the number starts with another number"
    end = _first_sentence_end(rest)
    if end is None:
        if rest.endswith(LIST_ITEM_ENDINGS):
            return "an enumeration item (ends with ；，、：), not a heading"
        if len(rest) > MAX_STANDALONE_HEADING:
            return f"longer than {MAX_STANDALONE_HEADING} characters without 。, not a heading"
    elif end == len(rest) - 1 and "：" in rest[:end]:
        # A whole numbered sentence alone on its line would run into the next paragraph; a
        # definition ("“两重”：国家重大战略….") is a numbered item, not a heading.
        return "a numbered definition (“term”：…。), not a heading"
    return None


def _first_sentence_end(text: str) -> int | None:
    """Index of the first "。" outside quotes and brackets."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif ch == "。" and depth == 0:
            return i
    return None


def _heading_items(level: int, text: str, typed: str, line: Line) -> list[Item]:
    end = _first_sentence_end(text)
    if end is None or end == len(text) - 1:
        return [HeadingItem(level, text, line.origin, typed, run_in=level >= 2 and end is not None)]
    return [
        HeadingItem(level, text[: end + 1], line.origin, typed, run_in=level >= 2),
        ParagraphItem(text[end + 1:].strip(), line.origin),
    ]
