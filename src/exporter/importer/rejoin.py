"""Rebuild paragraphs from physical lines: rejoin what a tool broke, keep what the author broke.

Three kinds of breaks are undone (counted as `rejoin`):
* a line ending in an opening bracket or quote, or a line starting with closing punctuation —
  no paragraph ends or starts that way (web copies break lines around links: "根据《" / "…建议" / "》，");
* a break marked by a line holding only zero-width characters, when the line before does not
  end a sentence (Wikisource page breaks that split a word: "交出一份人" / "民满意");
* hard wraps of a PDF-to-text tool: when most lines have the same width, a full-width line
  is joined to the next unless that one is indented or starts with a heading number.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .lines import Counts, Line
from .markers import find_marker
from .tables import SENTINEL_MARK

OPENING = "《“‘（(〈「『【〔［"
CLOSING_START = "，。、；：！？）)》”’〉」』】〕］"
SENTENCE_END = "。！？；：…"
QUOTES = ("“", "”", "‘", "’")
# A justified line is a character shorter when kinsoku pulled a character to the next line, and
# half-width digits make widths uneven: lines within two Chinese characters count as full.
WIDTH_TOLERANCE = 4
# Short texts and short lines (headings, lists) can share a width by chance; a page of wrapped
# text has at least ten lines of at least twenty Chinese characters.
MIN_WRAPPED_LINES = 10
MIN_INDENTED_WRAPPED_LINES = 5
MIN_WRAP_WIDTH = 40
COLUMN_GAP = re.compile(r"\S[ \u3000]{2,}\S")
# A number or a Latin word at the start of a line, which the line before may have been too short
# to take ("…主动公开政府信息" / "4386 条，其中…": the line ends two characters early).
LEADING_WORD = re.compile(r"[0-9A-Za-z][0-9A-Za-z.,%‰+\-/:]*")


@dataclass
class PhysicalLine:
    number: int
    text: str
    indented: bool = False
    zero_width_only: bool = False
    width: int = 0      # display width as printed, indentation included
    level_hint: int | None = None
    title_hint: bool = False
    bookmarks: list[tuple[str, str]] = field(default_factory=list)
    indent_width: int = 0   # display width of the indentation removed


def wrap_width(lines: list[PhysicalLine], minimum: int = MIN_WRAPPED_LINES, share: float = 0.5) -> int | None:
    """The common width of a hard-wrapped text, or None when lines are whole paragraphs."""
    # Lines laid out in columns (a table in `pdftotext -layout` text) say nothing about the wrap.
    widths = [line.width for line in lines if len(line.text) >= 8 and not COLUMN_GAP.search(line.text)]
    if len(widths) < min(8, minimum):
        return None
    counts = Counter(widths)
    best, best_n = 0, 0
    for width in counts:
        n = sum(counts[w] for w in range(width - WIDTH_TOLERANCE, width + 1))
        if n > best_n or (n == best_n and width > best):
            best, best_n = width, n
    if best_n < share * len(widths) or best_n < minimum or best < MIN_WRAP_WIDTH:
        return None
    return best


def rejoin(physical: list[PhysicalLine], counts: Counts, enabled: bool = True) -> list[Line]:
    uses_indent = sum(p.indented for p in physical if p.text) >= 3
    # A short text copied out of a PDF (a one-page 通知) has fewer full lines than a report, and its
    # head, title, 主送 and 版记 lines are a larger share; where paragraphs are indented, the indent
    # still marks each start, so fewer full lines are evidence enough.
    minimum, share = (MIN_INDENTED_WRAPPED_LINES, 0.4) if uses_indent else (MIN_WRAPPED_LINES, 0.5)
    width = wrap_width([p for p in physical if p.text], minimum, share) if enabled else None
    out: list[Line] = []
    blank_run = 0
    zero_width_gap = False
    last_width = 0  # of the last input line of out[-1], for the wrap-width test
    for p in physical:
        if not p.text:
            blank_run += 1
            zero_width_gap = zero_width_gap or p.zero_width_only
            continue
        prev = out[-1] if out else None
        if prev is not None and enabled and _joins(prev, last_width, p, blank_run, zero_width_gap, width,
                                                   uses_indent):
            prev.text += _joiner(prev.text, p.text) + p.text
            prev.origin = prev.origin + (p.number,)
            prev.bookmarks = prev.bookmarks + p.bookmarks
            counts.add("rejoin")
        else:
            out.append(Line(p.text, (p.number,), indented=p.indented,
                            level_hint=p.level_hint, title_hint=p.title_hint, bookmarks=list(p.bookmarks)))
        last_width = p.width
        blank_run = 0
        zero_width_gap = False
    return out


def _joins(prev: Line, last_width: int, cur: PhysicalLine, blank_run: int, zero_width_gap: bool, width: int | None,
           uses_indent: bool) -> bool:
    if cur.level_hint or cur.title_hint != prev.title_hint:
        return False
    if SENTINEL_MARK in cur.text or SENTINEL_MARK in prev.text:
        return False  # a table stands on its own line
    if width is not None and blank_run == 0 and uses_indent:
        # Indented hard-wrapped text: the indent, not a number, says where a paragraph starts
        # (a wrapped line may well begin with "六是" or "1."). But no paragraph starts with closing
        # punctuation, and a justified line copied out of a PDF pads a quotation mark with a space:
        # a wrapped line that starts " “放管服”" after a full line is a piece of that paragraph, not
        # a new one (a paragraph's indent is two characters, four columns).
        full = _full(prev.text, last_width, cur.text, width)
        if cur.text.startswith(tuple(CLOSING_START)) or prev.text.endswith(tuple(OPENING)):
            return True
        if (cur.indented and cur.indent_width == 1 and full and not prev.text.endswith(tuple(SENTENCE_END))
                and (cur.text.startswith(QUOTES) or prev.text.endswith(QUOTES))):
            return True
        return not cur.indented and full
    if find_marker(cur.text) is not None:
        return False
    if blank_run == 0 or zero_width_gap:
        if prev.text.endswith(tuple(OPENING)) or cur.text.startswith(tuple(CLOSING_START)):
            return True
    if zero_width_gap and not prev.text.endswith(tuple(SENTENCE_END)):
        return True
    if width is not None and blank_run == 0:
        return _full(prev.text, last_width, cur.text, width)
    return False


def _full(prev_text: str, last_width: int, cur_text: str, width: int) -> bool:
    """Whether the line before `cur_text` ran to the wrap width, or stopped short only because
    the number or word that starts the next line did not fit after it (in mid-sentence)."""
    if last_width >= width - WIDTH_TOLERANCE:
        return True
    word = LEADING_WORD.match(cur_text)
    if word is None or prev_text.endswith(tuple(SENTENCE_END)):
        return False
    # The word, and the gap a renderer puts between it and a Chinese character before it.
    return last_width + len(word.group()) + 1 >= width - WIDTH_TOLERANCE


def _joiner(left: str, right: str) -> str:
    """Latin words wrapped across lines keep a space; Chinese and numbers join directly."""
    if left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha():
        return " "
    return ""
