"""How much blank a line's punctuation can give up, and who gives it (标点挤压).

Adjacent marks come first (clreq §3.1.6.2: two marks that take two cells should take one and
a half): in "”，“" the blank between ” and ， and the one between ， and “ are each given up
by one mark (” and ，), so only one half-cell of blank stays between consecutive marks. Only when that
is not enough do single marks inside the line give up their blank half too.

A mark at a line's edge never gives up its outer blank (an opening mark starting the line,
a closing mark ending it): that would move its em box past the measure. Prefix sums keep
every question about a line O(1), so breaking stays linear in the paragraph's length.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Sequence

from .punctuation import blank_side


class Squeeze:
    """The blank a paragraph's marks can give up, summed so any line's share is O(1)."""

    def __init__(self, chars: str, allowance: Sequence[float]):
        sides = [blank_side(c) if a > 0 else None for c, a in zip(chars, allowance)]
        # Where two blanks face each other ("，“"), only the first one gives: half a cell of
        # blank always stays between consecutive marks, and no mark gets narrower than half.
        allowance = [0.0 if side == "left" and i > 0 and sides[i - 1] == "right" else a
                     for i, (side, a) in enumerate(zip(sides, allowance))]
        self.allowance = allowance
        self.sides = [side if a > 0 else None for side, a in zip(sides, allowance)]
        # owner[i]: the mark that gives up the blank between characters i and i+1, or -1.
        owner = [-1] * max(len(chars) - 1, 0)
        for i in range(len(chars) - 1):
            if blank_side(chars[i]) is None or blank_side(chars[i + 1]) is None:
                continue
            if self.sides[i] == "right":
                owner[i] = i
            elif self.sides[i + 1] == "left":
                owner[i] = i + 1
        self.owner = owner
        self.total = [0.0, *accumulate(allowance)]
        self.pairs = [0.0, *accumulate(allowance[k] if k >= 0 else 0.0 for k in owner)]

    def _edges(self, start: int, end: int) -> float:
        """Allowance of the marks whose blank lies on the outer edge of line [start, end)."""
        edge = 0.0
        if self.sides[start] == "left":
            edge += self.allowance[start]
        if self.sides[end - 1] == "right":
            edge += self.allowance[end - 1]
        return edge

    def _pairs(self, start: int, end: int) -> float:
        return self.pairs[max(end - 1, start)] - self.pairs[start]

    def available(self, start: int, end: int) -> float:
        """Total blank (pt) the drawn characters [start, end) of a line can give up."""
        if end <= start:
            return 0.0
        return self.total[end] - self.total[start] - self._edges(start, end)

    def distribute(self, start: int, end: int, amount: float) -> tuple[tuple[int, float], ...]:
        """(character index, pt) for the marks of line [start, end) that give up `amount`:
        adjacent pairs first, evenly, then the other marks, evenly."""
        pairs = self._pairs(start, end)
        rest = self.available(start, end) - pairs
        amount = min(amount, pairs + rest)
        if amount <= 0:
            return ()
        in_pair = {self.owner[i] for i in range(start, end - 1) if self.owner[i] >= 0}
        pair_share = min(1.0, amount / pairs) if pairs > 0 else 0.0
        rest_share = (amount - pairs) / rest if amount > pairs and rest > 0 else 0.0
        given = []
        for i in range(start, end):
            side = self.sides[i]
            if side is None or (side == "left" and i == start) or (side == "right" and i == end - 1):
                continue
            share = pair_share if i in in_pair else rest_share
            if share > 0:
                given.append((i, self.allowance[i] * share))
        return tuple(given)
