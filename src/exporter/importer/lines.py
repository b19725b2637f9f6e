"""The unit the importer works on: one logical line of the input with where it came from.

A `.txt` line or a `.docx` paragraph becomes a `Line`. `origin` keeps the input line numbers it
was built from (several when hard-wrapped lines were rejoined), so every message and every
dropped or moved piece of text can say where it stood.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Line:
    text: str
    origin: tuple[int, ...]
    indented: bool = False          # had leading indentation in the input (a paragraph start)
    level_hint: int | None = None   # a .docx heading style or outline level (1–4)
    title_hint: bool = False        # a .docx Title-styled paragraph
    bookmarks: list[tuple[str, str]] = field(default_factory=list)  # .docx (name, covered text), in order

    @property
    def first_line(self) -> int:
        return self.origin[0]


@dataclass
class Removed:
    """Input text that is not in the body: dropped, or moved to the front matter."""

    origin: tuple[int, ...]
    text: str
    reason: str
    moved_to: str | None = None     # a front-matter key, or None when dropped


@dataclass
class Counts:
    """How many changes of each kind the clean-up made."""

    values: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        if n:
            self.values[kind] = self.values.get(kind, 0) + n

    def get(self, kind: str) -> int:
        return self.values.get(kind, 0)
