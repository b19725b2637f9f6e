"""Text set in the profile's faces and sizes: runs of one font, lines placed on the 版心, and the
measures a paragraph is broken to (the Typesetter every part of the PDF writer shares).

Split out of compose.py, which lays the document out as grid rows with it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ...cjk import autospaced, is_latin_slot, joins_across, libreoffice_scripts, line_breaking_rules
from ...fonts import FontSet, LoadedFont
from ...profile import Profile
from .breaking import Measure, break_paragraph, is_word_char, natural_width
from .geometry import Geometry
from .punctuation import allowances, blank_side


@dataclass(frozen=True)
class Run:
    """Characters drawn with one font, size and spacing-after-each-character, starting at `x`
    (pt from the line's start). Each run is positioned on its own, so a viewer that does not
    add the spacing after the last glyph of a string still puts every character in place."""

    text: str
    font: LoadedFont
    size: float
    spacing: float
    x: float


@dataclass(frozen=True)
class PlacedLine:
    x: float                    # from the 版心's left edge, pt
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


class Typesetter:
    def __init__(self, profile: Profile, fonts: FontSet, geometry: Geometry):
        self.profile = profile
        self.fonts = fonts
        self.geometry = geometry
        renderer = profile.renderer
        # 标点挤压 only when the renderer model compresses (at most half a cell: the profile checks it).
        self.squeeze_fraction = profile.pdf.max_punctuation_compression if renderer.compress_punctuation else 0.0
        self.autospace_em = renderer.autospace_em
        self.line_breaking = renderer.line_breaking
        self.no_start, self.no_end = line_breaking_rules(renderer.line_breaking)
        self.hangable = frozenset(renderer.hanging)
        self.docx_metrics = renderer.docx_metrics
        self.portion_end_spacing = renderer.portion_end_spacing
        self.weak_follows_script = renderer.weak_follows_script

    def size(self, role: str) -> float:
        return self.profile.role(role).size_pt

    def styled(self, segments: Sequence[tuple[str, str]]) -> tuple[str, list[LoadedFont], list[float]]:
        text_parts, fonts, sizes = [], [], []
        scripts = libreoffice_scripts("".join(t for t, _ in segments)) if self.weak_follows_script else None
        index = 0
        for text, role in segments:
            size = self.size(role)
            text_parts.append(text)
            for char in text:
                font = self.fonts.font(role, char)
                if scripts is not None and scripts[index] == "latin" and not is_latin_slot(char):
                    # A weak mark after Western text, or "·": the renderer sets it in the Latin face.
                    font = self.fonts.western_font(role, char) or font
                fonts.append(font)
                sizes.append(size)
                index += 1
        return "".join(text_parts), fonts, sizes

    def advances(self, text: str, fonts: Sequence[LoadedFont], sizes: Sequence[float]) -> list[float]:
        return [f.advance(c) * s for c, f, s in zip(text, fonts, sizes)]

    def gaps(self, text: str, sizes: Sequence[float]) -> list[float]:
        """Per character, the renderer's Asian/Latin gap after it (0 where there is none)."""
        return [self.autospace_em * sizes[i] if i + 1 < len(text) and autospaced(text[i], text[i + 1]) else 0.0
                for i in range(len(text))]

    def width(self, text: str, role: str) -> float:
        """Drawn width of a string at its role's grid spacing."""
        text_, fonts, sizes = self.styled([(text, role)])
        size = self.size(role)
        return natural_width(self.advances(text_, fonts, sizes), self.geometry.base_spacing(size)) + \
            sum(self.gaps(text_, sizes))

    def cells(self, text: str, role: str) -> float:
        """Room a string takes on the grid (its width plus the spacing after its last character)."""
        size = self.size(role)
        return self.width(text, role) + (self.geometry.base_spacing(size) if text else 0.0)

    def paragraph(self, segments: Sequence[tuple[str, str]], measure: Measure,
                  joined: Sequence[bool] | None = None, runs: Sequence[str] = ()) -> list[PlacedLine]:
        """`runs`: the texts of the .docx's runs of this paragraph, in order, where they are
        more than one (a figure, a run-in heading's label); a renderer that leaves the spacing
        out after a run's last character breaks lines by them."""
        text, fonts, sizes = self.styled(segments)
        advances = self.advances(text, fonts, sizes)
        squeezable = self.squeezable(text, fonts, sizes, advances)
        gaps = self.gaps(text, sizes)
        if not self.portion_end_spacing and measure.fit_spacing:
            for i in self.portion_ends(text, runs):
                if not gaps[i]:
                    gaps[i] = -measure.fit_spacing
        placed = []
        pairs = [i for i in range(1, len(text)) if joins_across(self.line_breaking, text[i - 1], text[i])]
        if pairs:
            joined = list(joined) if joined is not None else [False] * len(text)
            for i in pairs:
                joined[i] = True
        for line in break_paragraph(text, advances, measure, squeezable, gaps, joined):
            placed.append(PlacedLine(line.x, tuple(_runs(text, fonts, sizes, advances, line.start, line.draw_end,
                                                         line.spacing, line.word_spacing, line.squeezed, gaps))))
        return placed

    def portion_ends(self, text: str, runs: Sequence[str]) -> list[int]:
        """Indices of the characters that end a text portion of the renderer inside `text`: the
        last character of a run, and the last before a change between Asian and Western script."""
        ends = set()
        end = -1
        for run in runs[:-1]:
            end += len(run)
            ends.add(end)
        scripts = libreoffice_scripts(text)
        ends.update(i for i in range(len(text) - 1) if scripts[i] != scripts[i + 1])
        return sorted(i for i in ends if 0 <= i < len(text) - 1)

    def squeezable(self, text: str, fonts: Sequence[LoadedFont], sizes: Sequence[float],
                   advances: Sequence[float]) -> list[float]:
        """Per character, the pt of blank it may give up (half a grid cell for a full-width mark)."""
        units = {size: self.geometry.char_unit(size) for size in set(sizes)}
        spacings = {size: self.geometry.base_spacing(size) for size in units}
        return allowances(text, fonts, sizes, advances, [units[s] for s in sizes], [spacings[s] for s in sizes],
                          self.squeeze_fraction)

    def single(self, text: str, role: str, x: float) -> PlacedLine:
        text_, fonts, sizes = self.styled([(text, role)])
        spacing = self.geometry.base_spacing(self.size(role))
        advances = self.advances(text_, fonts, sizes)
        return PlacedLine(x, tuple(_runs(text_, fonts, sizes, advances, 0, len(text_), spacing, spacing,
                                         gaps=self.gaps(text_, sizes))))

    def measure(self, role: str, first_chars: float = 0.0, rest_chars: float = 0.0,
                first: float | None = None, rest: float | None = None, right: float = 0.0) -> Measure:
        size = self.size(role)
        unit = self.geometry.char_unit(size)
        first_indent = first if first is not None else first_chars * unit
        rest_indent = rest if rest is not None else rest_chars * unit
        # The .docx indents by ems (twips of the role's size) and condenses 3号 text by its own spacing.
        fit_indents = (first if first is not None else first_chars * size,
                       rest if rest is not None else rest_chars * size)
        base = self.geometry.base_spacing(size)
        return Measure(
            width=self.geometry.text_width,
            first_indent=first_indent,
            rest_indent=rest_indent,
            base_spacing=base,
            justify=self.profile.body.justify,
            hang=bool(self.hangable),
            right_indent=right,
            no_start=self.no_start,
            no_end=self.no_end,
            hangable=self.hangable,
            fit_spacing=(self.profile.grid.docx_char_spacing_pt if base else 0.0) if self.docx_metrics else None,
            fit_indents=fit_indents if self.docx_metrics else None,
            avoid_lone_end=self.profile.pdf.avoid_lone_last_character,
        )


def _runs(text: str, fonts: Sequence[LoadedFont], sizes: Sequence[float], advances: Sequence[float],
          start: int, end: int, spacing: float, word_spacing: float,
          squeezed: Sequence[tuple[int, float]] = (), gaps: Sequence[float] | None = None) -> list[Run]:
    """Split characters [start, end) where the font, the size or the spacing after a character
    changes (the spacing after a line's last character does not matter).

    A squeezed mark keeps its ink where the full-width glyph has it: "，" (blank on the right)
    pulls the next character in, "“" (blank on the left) is itself drawn further left."""
    afters = [_spacing_after(text, i, end, spacing, word_spacing) + (gaps[i] if gaps and i < end - 1 else 0.0)
              for i in range(start, end)]
    for index, amount in squeezed:
        owner = index if blank_side(text[index]) == "right" else index - 1
        afters[owner - start] -= amount
    runs: list[Run] = []
    i = start
    x = 0.0
    while i < end:
        font, size = fonts[i], sizes[i]
        after = afters[i - start]
        j = i + 1
        while j < end and fonts[j] is font and sizes[j] == size:
            if j < end - 1 and afters[j - start] != after:
                break
            j += 1
        runs.append(Run(text[i:j], font, size, after, x))
        x += sum(advances[i:j]) + sum(afters[i - start:j - start])
        i = j
    return runs


def _spacing_after(text: str, i: int, end: int, spacing: float, word_spacing: float) -> float:
    if i + 1 < end and is_word_char(text[i]) and is_word_char(text[i + 1]):
        return word_spacing
    return spacing
