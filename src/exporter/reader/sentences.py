"""The sentence each figure stands in, kept beside it in the workbook."""

from __future__ import annotations

import bisect
import dataclasses

from ..model import FigureRef, Heading, Indicator, Paragraph

SENTENCE_END = "。！？"
MAX_SENTENCE = 300
CLAUSE_BREAKS = "，；：、"


def attach_sentences(block: Paragraph | Heading, indicators: list[Indicator]) -> None:
    """Give each indicator of a paragraph the sentence it stands in."""
    text_parts = []
    spans: dict[str, tuple[int, int]] = {}
    length = 0
    for inline in block.inlines:
        if isinstance(inline, FigureRef):
            spans[inline.indicator_id] = (length, length + len(inline.text))
        text_parts.append(inline.text)
        length += len(inline.text)
    if not spans:
        return
    text = "".join(text_parts)
    ends = [k for k, ch in enumerate(text) if ch in SENTENCE_END]
    # Only this block's indicators are the last len(spans) ones: no scan over the whole report.
    first = len(indicators) - 1
    while first >= 0 and indicators[first].id in spans and not indicators[first].sentence:
        first -= 1
    for index in range(first + 1, len(indicators)):
        ind = indicators[index]
        start, end = spans[ind.id]
        before = bisect.bisect_left(ends, start)
        s = ends[before - 1] + 1 if before > 0 else 0
        after = bisect.bisect_left(ends, end)
        e = ends[after] + 1 if after < len(ends) else len(text)
        indicators[index] = dataclasses.replace(ind, sentence=_excerpt(text, s, e, start, end))

def _excerpt(text: str, s: int, e: int, start: int, end: int) -> str:
    """The sentence around a figure; a run-on sentence is cut to the clauses near the figure.

    The result is always a verbatim piece of the printed text: a cut adds no "…", so a reader can
    find the quote in the report (and the figure in the quote) by plain search.
    """
    if e - s <= MAX_SENTENCE:
        return text[s:e].strip()
    half = MAX_SENTENCE // 2
    lo = max(s, start - half)
    hi = min(e, end + half)
    cut_lo = next((k + 1 for k in range(lo, start) if text[k] in CLAUSE_BREAKS), lo)
    cut_hi = next((k + 1 for k in range(hi - 1, end - 1, -1) if text[k] in CLAUSE_BREAKS), hi)
    return text[cut_lo:cut_hi].strip()
