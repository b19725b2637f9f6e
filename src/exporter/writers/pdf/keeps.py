"""Which lines of a paragraph must share a page: widow and orphan control, run-in headings.

Pagination (paginate.py) never ends a page after a row that is glued to the next one, so the
rules are stated as glue on rows: the first line of a paragraph is glued to the second (no
orphan: a first line alone at a page's foot), the second-to-last to the last (no widow: a last
line alone at a page's head), so a paragraph of two or three lines moves whole. This is what
Word and LibreOffice do with `w:widowControl` (two lines at each end), which the .docx turns on
from the same profile setting ([grid] widow_control), so both files break pages alike.

A run-in heading (the lead of a paragraph, "（一）……。") is glued to the first line of the text
after it: every line the lead touches, and the line holding the text's first character.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:   # compose.py applies these rules as it sets each paragraph
    from .compose import Row
    from .typeset import PlacedLine


def glue_paragraph(rows: "Sequence[Row]", lead_chars: int = 0) -> None:
    """Glue the rows of one paragraph (set from `lines`, in order): widows, orphans, the lead."""
    count = len(rows)
    if count < 2:
        return
    rows[0].glue_next = True
    rows[count - 2].glue_next = True
    if lead_chars:
        # Lines up to and including the one where the text after the lead starts.
        seen = 0
        for row in rows[:-1]:
            seen += _drawn_chars(row.lines)
            if seen > lead_chars:
                break
            row.glue_next = True


def _drawn_chars(lines: "Sequence[PlacedLine]") -> int:
    return sum(len(line.text) for line in lines)


def whole_names(text: str, label: str, separator: str) -> list[bool]:
    """Per character of a list of names ("抄送：县纪委县监委，县法院。"), whether a line may not
    break before it: inside the label and inside each name, so "县纪委县 / 监委" cannot happen
    (a break comes after a separator, or the list's final mark stays with the last name)."""
    joined = [False] * len(text)
    start = len(label) if text.startswith(label) else 0
    for k in range(1, start):
        joined[k] = True
    for k in range(start + 1, len(text)):
        joined[k] = text[k - 1] not in separator
    return joined
