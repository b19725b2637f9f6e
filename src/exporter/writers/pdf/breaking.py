"""Line breaking for Chinese text per GB/T 15834-2011 and W3C clreq, and justification.

The text is cut into clusters that must stay on one line: closing punctuation joins the
character before it, opening punctuation the character after it, and a run of digits, Latin
letters and their inner marks ("56.75%", "QQ", "12.4") is one cluster. Lines are filled
greedily with whole clusters. A cluster that does not fit is first pulled in by taking blank
space back from the line's full-width punctuation (标点挤压, squeeze.py); only when that is not
enough is it pushed to the next line (推出). Every line but a paragraph's last is then
justified to the full measure.

Widths follow the character grid: a character occupies its advance plus the base spacing
(negative for 3号 text, so 28 ideographs fill 156 mm exactly). Everything here is linear in
the length of the text: a 200,000-character paragraph is fine.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate
from typing import Sequence

from ...cjk import DASH_PAIR, DOUBLED, HANGABLE, NO_END, NO_START, SPACES
from .squeeze import Squeeze

_WORD_MARKS = frozenset(".,:/-_'&+@#*=^~%")


def is_word_char(char: str) -> bool:
    """Digits, Latin/Greek/Cyrillic letters and the marks inside numbers and words."""
    code = ord(char)
    if code < 0x80:
        return char.isalnum() or char in _WORD_MARKS
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return True
    return code < 0x2000 and char.isalnum()


def break_allowed(before: str, after: str, no_start: frozenset[str] = NO_START,
                  no_end: frozenset[str] = NO_END) -> bool:
    """May a line end between these two characters (under these kinsoku tables)?"""
    if after in no_start or before in no_end or after in SPACES:
        return False
    if before == after and before in DOUBLED:
        return False
    if is_word_char(before) and is_word_char(after):
        return False
    return True


def breaks_after_hyphen(before_hyphen: str, hyphen: str, after: str) -> bool:
    """Word and LibreOffice end a line after a hyphen between letters or digits ("电话：0000-" /
    "0000000"), as UAX #14 does not: without it a phone number is one unbreakable word, and the
    line before it is justified with gaps of several characters."""
    return hyphen == "-" and before_hyphen.isascii() and before_hyphen.isalnum() and after.isascii() and \
        after.isalnum()


@dataclass(frozen=True)
class Measure:
    """Where a paragraph's lines go: offsets from the left edge of the 版心, in pt."""

    width: float              # the full measure
    first_indent: float       # left offset of the first line
    rest_indent: float        # left offset of the other lines
    base_spacing: float       # added after every character (the grid condensation)
    justify: bool = True
    hang: bool = False
    right_indent: float = 0.0
    # The renderer model's kinsoku tables and the marks it lets hang (exporter.cjk variants).
    no_start: frozenset[str] = NO_START
    no_end: frozenset[str] = NO_END
    hangable: frozenset[str] = HANGABLE
    # What the renderer fits lines with, when it differs from the drawing grid: Word and
    # LibreOffice set 3号 text at 16 pt − 0.25 pt (the .docx's condensation), not on the PDF's
    # 15.793 pt cell, and indent by ems (2 × 16 pt), not cells. None: as drawn.
    fit_spacing: float | None = None
    fit_indents: tuple[float, float] | None = None
    # Push a narrow cluster from the line before onto a last line of one character.
    avoid_lone_end: bool = False


@dataclass(frozen=True)
class Line:
    """One line: characters [start, end) of the paragraph, drawn from x (pt from the left edge).

    `spacing` is added after a character that is followed by an ordinary gap; `word_spacing`
    after one inside a digit/Latin run (runs are never letter-spaced when a line is justified).
    Characters [draw_end, end) are trailing spaces, not drawn. `squeezed` lists the marks that
    give up blank space, as (index, pt): on the right of a mark whose blank half is on the
    right ("，"), on the left of one whose blank half is on the left ("“").
    """

    start: int
    end: int
    draw_end: int
    x: float
    spacing: float
    word_spacing: float
    justified: bool
    hung: bool = False
    squeezed: tuple[tuple[int, float], ...] = ()


# Widths are compared with this slack: the profile's cell (15.793031 pt) times 28 exceeds
# 156 mm by 0.0001 pt, and a hundredth of a point is far below what anyone can see.
EPSILON = 0.01


def break_paragraph(chars: str, advances: Sequence[float], measure: Measure,
                    squeezable: Sequence[float] | None = None, gaps: Sequence[float] | None = None,
                    joined: Sequence[bool] | None = None) -> list[Line]:
    """Lines for a paragraph whose characters have these advances (pt). `squeezable` gives,
    per character, how many pt of blank it may give up to fit one more cluster on a line
    (see punctuation.allowances); without it nothing is compressed. `gaps` gives, per character,
    a fixed space after it (the renderer's gap between a Chinese character and a digit or Latin
    letter); a gap at a line's end is dropped, as Word and LibreOffice drop it. `joined[i]`
    forbids a break before character i (a name kept whole); a run longer than a line is still
    cut where it must be."""
    n = len(chars)
    if n == 0:
        return []
    base = measure.base_spacing
    fit_base = base if measure.fit_spacing is None else measure.fit_spacing
    gap = list(gaps) if gaps is not None else [0.0] * n
    cell = [a + fit_base + g for a, g in zip(advances, gap)]
    prefix = [0.0, *accumulate(cell)]
    # A 破折号 never starts a line in any model: the .docx writes it as "――", which Word's and
    # LibreOffice's lists keep off a line start (exporter.cjk.DOCX_DASH_PAIR). After an ASCII
    # hyphen inside a word or number ("0000-0000000") Word and LibreOffice may break, as here.
    starts = [0] + [i for i in range(1, n)
                    if (break_allowed(chars[i - 1], chars[i], measure.no_start, measure.no_end)
                        or i > 1 and breaks_after_hyphen(chars[i - 2], chars[i - 1], chars[i]))
                    and chars[i:i + 2] != DASH_PAIR and not (joined is not None and joined[i])]
    starts.append(n)

    first_fit, rest_fit = measure.fit_indents or (measure.first_indent, measure.rest_indent)

    def avail(line_no: int) -> float:
        indent = first_fit if line_no == 0 else rest_fit
        return measure.width - indent - measure.right_indent

    def core_end(a: int, b: int) -> int:
        while b > a and chars[b - 1] in SPACES:
            b -= 1
        return b

    squeeze = Squeeze(chars, squeezable) if squeezable is not None and any(squeezable) else None
    bounds: list[tuple[int, int, bool, tuple[tuple[int, float], ...]]] = []   # (start, end, hung, squeezed)
    line_start = 0
    used = 0.0
    for k in range(len(starts) - 1):
        a, b = starts[k], starts[k + 1]
        room = avail(len(bounds))
        core = core_end(a, b)
        need = prefix[core] - prefix[a] - (gap[core - 1] if core > a else 0.0)
        if used + need <= room + EPSILON:
            used += prefix[b] - prefix[a]
            continue
        if measure.hang and core > a and chars[core - 1] in measure.hangable and \
                used + need - cell[core - 1] <= room + EPSILON:
            bounds.append((line_start, b, True, ()))
            line_start, used = b, 0.0
            continue
        if squeeze is not None and used > 0 and core > a:
            # Squeeze only where pushing back would leave a loose line, and only when that
            # takes less space away than justifying would add: a full line stays as it is.
            shortage = used + need - room
            line_core = core_end(line_start, a)
            slack = room - (prefix[line_core] - prefix[line_start]) + (gap[line_core - 1] if line_core > line_start else 0.0)
            if EPSILON < slack and shortage <= slack and \
                    shortage <= squeeze.available(line_start, core) + EPSILON:
                bounds.append((line_start, b, False, squeeze.distribute(line_start, core, shortage)))
                line_start, used = b, 0.0
                continue
        if used > 0 and need <= avail(len(bounds) + 1) + EPSILON:
            bounds.append((line_start, a, False, ()))
            line_start, used = a, prefix[b] - prefix[a]
            continue
        # The cluster is wider than a whole line: split it by characters, starting here.
        i = a
        while i < b:
            room = avail(len(bounds))
            if used + cell[i] <= room + EPSILON or used == 0:
                used += cell[i]
                i += 1
            else:
                bounds.append((line_start, i, False, ()))
                line_start, used = i, 0.0
    if line_start < n or not bounds:
        bounds.append((line_start, n, False, ()))
    if measure.avoid_lone_end:
        _no_lone_last_character(chars, bounds, starts, prefix, avail, core_end)

    word_gap = [0] * n  # word_gap[i] = 1 when chars[i-1], chars[i] are both in one word run
    for i in range(1, n):
        if is_word_char(chars[i - 1]) and is_word_char(chars[i]):
            word_gap[i] = 1
    word_prefix = [0, *accumulate(word_gap)]
    # A gap belongs to the space between a character and the next: the advances a line's
    # spacing is computed from include the gaps inside the line, never the one after its end.
    advance_prefix = [0.0, *accumulate(a + g for a, g in zip(advances, gap))]

    lines = []
    last = len(bounds) - 1
    for number, (s, e, hung, squeezed) in enumerate(bounds):
        indent = measure.first_indent if number == 0 else measure.rest_indent
        draw_end = core_end(s, e)
        spacing = word_spacing = base
        justified = False
        stretch_end = draw_end - 1 if hung else draw_end
        count = stretch_end - s
        target = measure.width - indent - measure.right_indent
        given = sum(amount for _index, amount in squeezed)
        end_gap = gap[stretch_end - 1] if stretch_end > s else 0.0
        natural_end = advance_prefix[stretch_end] - advance_prefix[s] - end_gap - given + base * (count - 1)
        # A paragraph's last line is set with the grid spacing, unless a full last line would
        # then poke past the measure (28 ideographs are 0.2 pt wider than 156 mm at 16 pt).
        overfull = natural_end > target + EPSILON
        if (measure.justify and number != last or overfull) and count > 1:
            words = word_prefix[stretch_end] - word_prefix[s + 1]
            openings = count - 1
            natural = advance_prefix[stretch_end] - advance_prefix[s] - end_gap - given
            if openings > words:
                spacing = (target - natural - words * base) / (openings - words)
            else:
                spacing = word_spacing = (target - natural) / openings
            justified = True
        lines.append(Line(s, e, draw_end, indent, spacing, word_spacing, justified, hung, squeezed))
    return lines


# How much looser the line before may get to give a lone last character company: one cluster
# of at most two grid cells, and no gap of the line widened by more than 1/16 of a cell (1 pt at
# 3号: wider gaps read as letter-spacing).
LONE_PUSH_CELLS = 2.0
LONE_MAX_GAP_CELLS = 1 / 16


def _no_lone_last_character(chars: str, bounds: list, starts: Sequence[int], prefix: Sequence[float],
                            avail, core_end) -> None:
    """A paragraph never ends on a line of one character ("…余人 / 次。"): the line before ends
    one cluster earlier, set a little looser, when that cluster is narrow (a word run or a
    number is never pushed) and the line keeps most of its measure. The line count is unchanged,
    so pages break as before; Word and LibreOffice have no such setting, so the .docx may still
    end such a paragraph on one character."""
    if len(bounds) < 2:
        return
    last_start, last_end, _hung, _squeezed = bounds[-1]
    core = core_end(last_start, last_end)
    letters = [c for c in chars[last_start:core] if unicodedata.category(c)[0] != "P"]
    if len(letters) != 1:
        return
    before_start, before_end = bounds[-2][0], bounds[-2][1]
    # The last break opportunity inside the line before, not at its start.
    k = bisect_left(starts, before_end) - 1
    if k < 0 or starts[k] <= before_start:
        return
    cut = starts[k]
    cell = max(prefix[i + 1] - prefix[i] for i in range(before_start, before_end))   # a full-width character
    pushed = prefix[before_end] - prefix[cut]
    if pushed > LONE_PUSH_CELLS * cell + EPSILON or is_word_char(chars[cut]):
        return
    kept = core_end(before_start, cut)
    slack = avail(len(bounds) - 2) - (prefix[kept] - prefix[before_start])
    if kept - before_start < 2 or slack / (kept - before_start - 1) > LONE_MAX_GAP_CELLS * cell:
        return
    # The last line must still fit with what it receives.
    if prefix[core] - prefix[cut] > avail(len(bounds) - 1) + EPSILON:
        return
    bounds[-2] = (before_start, cut, False, ())
    bounds[-1] = (cut, last_end, False, ())


def natural_width(advances: Sequence[float], spacing: float) -> float:
    """Width from the first character's left edge to the last one's advance end."""
    if not advances:
        return 0.0
    return sum(advances) + spacing * (len(advances) - 1)
