"""How many grid lines a paragraph takes, predicted the way Word and LibreOffice break lines.

Every paragraph this writer makes has exact line spacing of one grid pitch, so a page holds a
fixed number of lines and the only unknown is where each paragraph wraps. The 版记 must end on
the 版心's bottom edge, and LibreOffice ignores bottom-anchored frames (spec §2.9), so the
writer counts lines with this model and pads with blank lines.

The model: Chinese characters and full-width punctuation are one em wide; half-width text
uses the advance widths of Times New Roman (Liberation Serif has the same metrics); a run of
half-width characters without spaces cannot be broken; characters that may not start a line
stick to the one before, and those that may not end a line to the one after (kinsoku);
the marks of the profile's renderer model may hang past the right edge; a letter or digit
touching a Chinese character (not punctuation) gets the renderer's automatic Asian/Latin gap
(LibreOffice always applies it: it ignores `w:autoSpaceDE`/`w:autoSpaceDN`). The constants are
the profile's [renderer], the ones the PDF engine breaks lines with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

# Kinsoku, hanging and full width as Word and LibreOffice apply them, not as GB/T 15834 states
# them: this module predicts those renderers (exporter.cjk says where they differ and why).
from ...cjk import (
    WORD_HANGING, WORD_NO_LINE_END, WORD_NO_LINE_START, autospaced, docx_dashes, is_latin_slot,
    joins_across, libreoffice_scripts, line_breaking_rules, word_sets_full_width,
)
from ...profile import Profile

# Advance widths in em of Times New Roman = Liberation Serif (metric-compatible), by character.
_LATIN_EM: dict[str, float] = {}
for _chars, _em in (
    ("'", 0.18), ("|", 0.2), (" ,.", 0.25), ("/:;\\ijlt", 0.278), ("!()-I[]`fr", 0.333), ("Js", 0.389),
    ('"', 0.408), ("?acez", 0.444), ("^", 0.469), ("{}", 0.48), ("#$*0123456789_bdghknopquvxy", 0.5),
    ("~", 0.541), ("FPS", 0.556), ("+<=>", 0.564), ("ELTZ", 0.611), ("BCR", 0.667),
    ("ADGHKNOQUVXYw", 0.722), ("&m", 0.778), ("%", 0.833), ("M", 0.889), ("@", 0.921), ("W", 0.944),
    # Marks a renderer may set in the Latin face after Western text ([renderer] weak_follows_script).
    ("‘’·", 0.333), ("“”", 0.444), ("—…―", 1.0),
):
    for _c in _chars:
        _LATIN_EM[_c] = _em
_UNKNOWN_LATIN_EM = 0.5


def advance_em(ch: str) -> float:
    if word_sets_full_width(ch):
        return 1.0
    return _LATIN_EM.get(ch, _UNKNOWN_LATIN_EM)


def text_width_em(text: str) -> float:
    """Width in ems of the font size, without character spacing."""
    return sum(advance_em(ch) for ch in text)


@dataclass
class _Token:
    text: str
    width: float
    is_space: bool = False
    hang: float = 0.0  # width of a trailing character allowed to overhang the right edge


_autospaced = autospaced


@dataclass(frozen=True)
class TextMetrics:
    """How a run's characters advance and where its lines may break, in the renderer model of
    the profile ([renderer]): font size, character spacing, the Asian/Latin autospace gap, the
    kinsoku tables and the marks that may hang past the right edge."""

    size_pt: float
    spacing_pt: float = 0.0
    autospace_em: float = 0.0
    run_boundary_pt: float = 0.0
    fit_margin_pt: float = 0.0
    hanging: frozenset[str] = WORD_HANGING
    no_start: frozenset[str] = WORD_NO_LINE_START
    no_end: frozenset[str] = WORD_NO_LINE_END
    # [renderer] portion_end_spacing and weak_follows_script (LibreOffice: False, True).
    portion_end_spacing: bool = True
    weak_follows_script: bool = False
    line_breaking: str = "word"        # [renderer] line_breaking, for its pair rules (joins_across)

    def advance(self, ch: str) -> float:
        return advance_em(ch) * self.size_pt + self.spacing_pt

    def latin_advance(self, ch: str) -> float:
        return _LATIN_EM.get(ch, _UNKNOWN_LATIN_EM) * self.size_pt + self.spacing_pt


def renderer_metrics(profile: Profile, size_pt: float, spacing_pt: float) -> TextMetrics:
    """The metrics of text at `size_pt` with `spacing_pt` after each character, in the profile's
    renderer model (the constants the PDF engine breaks lines with)."""
    renderer = profile.renderer
    no_start, no_end = line_breaking_rules(renderer.line_breaking)
    return TextMetrics(size_pt, spacing_pt, renderer.autospace_em, profile.docx.run_boundary_pt,
                       profile.docx.line_fit_margin_pt, frozenset(renderer.hanging), no_start, no_end,
                       renderer.portion_end_spacing, renderer.weak_follows_script, renderer.line_breaking)


def rendered_width_pt(text: str, metrics: TextMetrics) -> float:
    """The advance of `text` set on one line."""
    text = docx_dashes(text)
    width = sum(metrics.advance(ch) for ch in text)
    gaps = sum(1 for a, b in zip(text, text[1:]) if _autospaced(a, b))
    return width + gaps * metrics.autospace_em * metrics.size_pt


def _run_starts(runs: Sequence[str]) -> set[int]:
    """Indices of the characters that start a new run."""
    starts: set[int] = set()
    index = 0
    for text in runs:
        if index and text:
            starts.add(index)
        index += len(text)
    return starts


def _tokens(runs: Sequence[str], metrics: TextMetrics) -> list[_Token]:
    """Break opportunities: around each full-width character, and at spaces."""
    # As written into the .docx: the 破折号 as "――" (same length, so run starts stay put).
    text = docx_dashes("".join(runs))
    run_starts = _run_starts(runs)
    raw: list[_Token] = []
    latin = ""
    latin_width = 0.0

    def flush() -> None:
        nonlocal latin, latin_width
        if latin:
            raw.append(_Token(latin, latin_width))
            latin, latin_width = "", 0.0

    scripts = libreoffice_scripts(text) if metrics.weak_follows_script or not metrics.portion_end_spacing else []
    previous = ""
    for index, ch in enumerate(text):
        western = metrics.weak_follows_script and scripts[index] == "latin" and not is_latin_slot(ch)
        width = metrics.latin_advance(ch) if western else metrics.advance(ch)
        if index in run_starts:
            width += metrics.run_boundary_pt
        if previous and _autospaced(previous, ch):
            width += metrics.autospace_em * metrics.size_pt
        elif index and not metrics.portion_end_spacing and (index in run_starts or scripts[index] != scripts[index - 1]):
            # No spacing after the last character of the portion before (LibreOffice).
            width -= metrics.spacing_pt
        previous = ch
        if ch == " ":
            flush()
            raw.append(_Token(ch, width, is_space=True))
        elif word_sets_full_width(ch) and not western:
            flush()
            raw.append(_Token(ch, width))
        else:
            latin += ch
            latin_width += width
            if ch == "-" and len(latin) > 1 and latin[-2].isascii() and latin[-2].isalnum() and \
                    index + 1 < len(text) and text[index + 1].isascii() and text[index + 1].isalnum():
                flush()     # Word breaks after a hyphen inside a word or number ("0000-0000000")
    flush()

    glued: list[_Token] = []
    stick_to_next = False
    for token in raw:
        first, last = token.text[0], token.text[-1]
        if glued and not token.is_space and (stick_to_next or first in metrics.no_start
                                             or joins_across(metrics.line_breaking, glued[-1].text[-1], first)):
            previous = glued[-1]
            previous.text += token.text
            previous.width += token.width
            previous.hang = token.width if last in metrics.hanging else 0.0
        else:
            token.hang = token.width if last in metrics.hanging else 0.0
            glued.append(token)
        stick_to_next = not token.is_space and last in metrics.no_end
    return glued


def count_lines(runs: str | Sequence[str], metrics: TextMetrics, first_width_pt: float, rest_width_pt: float) -> int:
    """Lines a paragraph wraps into, given its text or the texts of its runs in order; an
    empty paragraph takes one line."""
    # Near-ties are counted as full lines: a line too many leaves the 版记 a line high, a line
    # too few would push it onto a page of its own.
    first_width_pt -= metrics.fit_margin_pt
    rest_width_pt -= metrics.fit_margin_pt
    lines, x, width = 1, 0.0, first_width_pt
    tolerance = 0.01
    for token in _tokens([runs] if isinstance(runs, str) else list(runs), metrics):
        if token.is_space:
            x += token.width
            continue
        if x + token.width - token.hang <= width + tolerance or x == 0.0:
            x += token.width
            if x > width + tolerance and token.width - token.hang > width:
                # A half-width run wider than a line is broken anywhere.
                extra = int((token.width - token.hang) // rest_width_pt)
                lines += extra
                x = token.width - extra * rest_width_pt
            continue
        lines += 1
        width = rest_width_pt
        x = token.width
    return lines
