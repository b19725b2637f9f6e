"""Punctuation compression (标点挤压): a line takes blank space back from its full-width marks
to hold one more cluster instead of pushing it over and letter-spacing what is left.

The breaker alone with synthetic advances first, then the produced PDFs: measured from
pdfplumber's character positions, and the marks' ink from the font files themselves.
"""

from __future__ import annotations

import functools

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont as ToolsFont

from exporter.diagnostics import ProfileError
from exporter.profile import load_profile
from exporter.writers.pdf.breaking import Measure, break_paragraph
from support.pdf import LEFT, RIGHT, body_lines, read_markdown, text_lines, write_pdf

WIDTH = 442.20472
CELL = WIDTH / 28
BASE = CELL - 16.0
# Full-width marks whose blank half is on the right / on the left (GB convention), kept here
# independent of the writer.
BLANK_RIGHT = set("，。、；：？！）》”’")
BLANK_LEFT = set("（《“‘")
MARKS = BLANK_RIGHT | BLANK_LEFT
CLUSTER = "99.91%，"
# 23 cells of text with two adjacent pairs ("”，" and "，“"), then a 4-cell number cluster:
# the first line (26 cells after the indent) is one cell short for it.
PAIRS_FIRST = "字" * 10 + "”，“" + "字" * 10 + CLUSTER + "字" * 40


def advances(text: str) -> list[float]:
    return [8.0 if ch.isascii() else 16.0 for ch in text]


def half_cells(text: str) -> list[float]:
    return [CELL / 2 if ch in MARKS else 0.0 for ch in text]


def measure() -> Measure:
    return Measure(WIDTH, 2 * CELL, 0.0, BASE)


def drawn_end(text: str, line, adv: list[float]) -> float:
    """Right edge of the line's last character, with the marks' given-up blank taken off."""
    squeezed = dict(line.squeezed)
    x = line.x
    for i in range(line.start, line.draw_end):
        x += adv[i] - squeezed.get(i, 0.0)
        if i < line.draw_end - 1:
            both_word = text[i].isascii() and text[i + 1].isascii()
            x += line.word_spacing if both_word else line.spacing
    return x


def test_without_compression_the_number_cluster_is_pushed_back_and_the_line_letter_spaced():
    text = PAIRS_FIRST
    first = break_paragraph(text, advances(text), measure())[0]
    assert text[first.start:first.end] == text[:23]
    assert first.spacing - BASE > 2.0


def test_adjacent_pairs_give_up_their_blank_to_fit_the_number_cluster():
    text = PAIRS_FIRST
    adv = advances(text)
    lines = break_paragraph(text, adv, measure(), half_cells(text))
    first = lines[0]
    assert text[first.start:first.end].endswith(CLUSTER)
    assert first.spacing - BASE < 0.05           # no letter-spacing left on the line
    given = dict(first.squeezed)
    # only the marks between adjacent marks: ” (its blank faces ，) and ， (faces “)
    assert sorted(text[i] for i in given) == ["”", "，"]
    assert all(0 < amount <= CELL / 2 + 1e-9 for amount in given.values())
    assert drawn_end(text, first, adv) == pytest.approx(WIDTH, abs=1e-6)
    for line in lines[1:-1]:
        assert drawn_end(text, line, adv) == pytest.approx(WIDTH, abs=1e-6)


def test_single_marks_give_up_blank_only_when_the_pairs_are_not_enough():
    # 23 cells, then "“1234567.5%" (about 5.9 cells): 1.9 cells short, the pairs give only 1
    text = "字" * 5 + "，" + "字" * 5 + "、" + "字" * 5 + "。" + "字" * 2 + "”，“" + "1234567.5%" + "字" * 30
    adv = advances(text)
    first = break_paragraph(text, adv, measure(), half_cells(text))[0]
    assert text[first.start:first.end].endswith("1234567.5%")
    given = dict(first.squeezed)
    pair_owners = {text.index("”，“"), text.index("”，“") + 1}
    assert pair_owners <= set(given) and all(given[i] == pytest.approx(CELL / 2) for i in pair_owners)
    singles = [amount for i, amount in given.items() if i not in pair_owners]
    assert singles and all(0 < amount < CELL / 2 for amount in singles)
    assert drawn_end(text, first, adv) == pytest.approx(WIDTH, abs=1e-6)


def test_a_full_line_is_not_squeezed_to_take_one_more_character():
    text = "字" * 10 + "，" + "字" * 5 + "、" + "字" * 40
    first = break_paragraph(text, advances(text), measure(), half_cells(text))[0]
    assert first.end - first.start == 26 and first.squeezed == ()


def test_not_enough_blank_means_push_back_as_before():
    text = "字" * 12 + "，" + "字" * 10 + "12345678" + "字" * 30   # needs 1.5 cells, one mark gives 0.5
    lines = break_paragraph(text, advances(text), measure(), half_cells(text))
    assert text[lines[0].start:lines[0].end] == text[:23] and lines[0].squeezed == ()


def test_facing_blanks_are_given_up_once():
    # After "，" gives its right half, "“" keeps its left one: half a cell stays between them,
    # so the pairs' single cell is all there is, and 1.4 cells short means push back.
    text = "字" * 10 + "”，“" + "字" * 10 + "123456.5%" + "字" * 30
    lines = break_paragraph(text, advances(text), measure(), half_cells(text))
    assert text[lines[0].start:lines[0].end] == text[:23] and lines[0].squeezed == ()


def test_marks_on_the_line_edges_keep_their_outer_blank():
    # The line ends in "，" and the next one starts with "“": neither may give up that blank,
    # or its em box would cross the measure.
    text = "字" * 10 + "，“" + "字" * 10 + "1234567，" + "“引号”" + "字" * 30
    adv = advances(text)
    lines = break_paragraph(text, adv, measure(), half_cells(text))
    for line in lines:
        given = dict(line.squeezed)
        assert not (text[line.start] in BLANK_LEFT and line.start in given)
        assert not (text[line.draw_end - 1] in BLANK_RIGHT and line.draw_end - 1 in given)


def test_a_squeezed_last_line_leaves_no_empty_line_behind():
    text = "字" * 10 + "”，“" + "字" * 10 + CLUSTER
    lines = break_paragraph(text, advances(text), measure(), half_cells(text))
    assert len(lines) == 1 and lines[0].end == len(text)


def test_a_very_long_paragraph_with_marks_breaks_completely():
    text = ("政府工作报告“全文”，共计" + "12.5%" + "，") * 11_000   # about 200,000 characters
    lines = break_paragraph(text, advances(text), measure(), half_cells(text))
    assert lines[0].start == 0 and lines[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(lines, lines[1:]))
    assert any(line.squeezed for line in lines)


# --- the produced PDF ---------------------------------------------------------------------------

def justified_lines(lines):
    """Body lines followed by a line that continues the paragraph at the left edge."""
    body = body_lines(lines)
    return [line for line, following in zip(body, body[1:])
            if abs(following.x0 - LEFT) < 0.5 and following.baseline != line.baseline]


def largest_gap(line) -> float:
    return max(b["x0"] - a["x1"] for a, b in zip(line.chars, line.chars[1:]))


# Compression is a renderer-model constant now: the default model (Word with the .docx's
# doNotCompress) squeezes nothing, so these tests run the engine on a profile that compresses on
# the PDF's own grid, without the word processor's autospace gaps or Latin face (the model these
# tests were written for).
GRID_MODEL = """extends = "{base}"

[renderer]
name = "grid"
line_breaking = "gbt15834"
autospace_em = 0.0
hanging = ""
compress_punctuation = true
latin_face = false
docx_metrics = false
"""


def _grid_profile(folder, extra: str = ""):
    from exporter.profile import resolve_profile_path

    path = folder / "grid-model.toml"
    path.write_text(GRID_MODEL.format(base=resolve_profile_path(None).as_posix()) + extra, encoding="utf-8")
    return load_profile(str(path))


@pytest.fixture(scope="module")
def grid_profile(tmp_path_factory):
    return _grid_profile(tmp_path_factory.mktemp("grid"))


@pytest.fixture(scope="module")
def seed_pdf(seed_read, grid_profile):
    document, _profile = seed_read
    return text_lines(write_pdf(document, grid_profile))


@pytest.fixture(scope="module")
def crafted(tmp_path_factory, grid_profile):
    # Each first line holds 23 cells (26 after the indent) before a number cluster of 4 cells.
    paragraphs = [
        "办件比例" + "字" * 4 + "、以上”，“一门" + "字" * 3 + "进驻率达" + CLUSTER + "部门网上可办率100%。",
        "字" * 8 + "什么？”" + "字" * 11 + "12345678" + "字" * 20,          # FandolFang centres ？
        "字" * 5 + "（含政策）" + "字" * 5 + "《纲要》" + "字" * 4 + "53.62%，" + "字" * 20,
        "字" * 3 + "“三项制度”、" + "字" * 8 + "‘互联网’" + "71.52%；" + "字" * 20,
    ]
    folder = tmp_path_factory.mktemp("crafted")
    document, _profile = read_markdown(folder, "---\ntitle: 标点挤压\n---\n\n" + "\n\n".join(paragraphs) + "\n")
    return document, grid_profile, text_lines(write_pdf(document, grid_profile))


def test_seed_has_no_letter_spaced_line(seed_pdf):
    lines = justified_lines(seed_pdf)
    assert len(lines) > 180
    assert max(largest_gap(line) for line in lines) < 1.0        # was +2.74 pt before compression
    assert any("进驻率达99.91%，" in line.text for line in body_lines(seed_pdf))


def test_crafted_number_cluster_is_pulled_in_by_the_pairs(crafted):
    document, profile, lines = crafted
    body = body_lines(lines)
    first = next(line for line in body if line.text.startswith("办件比例"))
    assert first.text.endswith("进驻率达" + CLUSTER)
    assert abs(first.x1 - RIGHT) <= 0.5
    assert largest_gap(first) < 0.1                               # the old breaker left about +2 pt
    advance = {c["text"]: b["x0"] - c["x0"] for c, b in zip(first.chars, first.chars[1:]) if c["text"] in "”，“、"}
    # the pair "”，“" gives one cell's worth first (” and ， down to half a cell), 、 the rest
    assert advance["”"] == pytest.approx(CELL / 2, abs=0.05) and advance["，"] == pytest.approx(CELL / 2, abs=0.05)
    assert advance["“"] > CELL - 0.05 and CELL / 2 < advance["、"] < CELL - 0.5


def test_every_non_final_line_still_spans_the_measure(seed_pdf, crafted):
    for lines in (seed_pdf, crafted[2]):
        for line in justified_lines(lines):
            if abs(line.x0 - LEFT) < 0.5 or abs(line.x0 - LEFT - 2 * CELL) < 0.5:
                assert abs(line.x1 - RIGHT) <= 0.5, (line.page, line.text, line.x1)


class InkBounds:
    """Horizontal outline extents (pt per pt of size) of characters, read with fontTools from the
    font files the writer embedded, matched by PostScript name."""

    def __init__(self, document, profile):
        from exporter.fonts import prepare_fonts
        from exporter.characters import characters_by_role

        fonts = prepare_fonts(profile, characters_by_role(document, profile), lambda char: None)
        self.faces = {font.ps_name: (font.face.path, font.face.index) for font in fonts.primary.values()}

    @functools.lru_cache(maxsize=None)
    def _font(self, ps_name: str):
        path, index = self.faces[ps_name]
        font = ToolsFont(path, fontNumber=index, lazy=True)
        return font, font.getBestCmap(), font.getGlyphSet(), font["head"].unitsPerEm

    def of(self, char: dict) -> tuple[float, float] | None:
        ps_name = char["fontname"].split("+", 1)[-1]
        if ps_name not in self.faces:
            return None
        font, cmap, glyphs, units = self._font(ps_name)
        pen = BoundsPen(glyphs)
        glyphs[cmap[ord(char["text"])]].draw(pen)
        if pen.bounds is None:
            return None
        size = char["size"]
        return char["x0"] + pen.bounds[0] / units * size, char["x0"] + pen.bounds[2] / units * size


def squeezed_marks(lines) -> list[tuple]:
    """(line, index) of every mark drawn narrower than its cell, and of every opening mark drawn
    closer to the character before it than the grid puts it."""
    found = []
    for line in body_lines(lines):
        for k, (char, following) in enumerate(zip(line.chars, line.chars[1:])):
            if char["text"] in MARKS and following["x0"] - char["x0"] < CELL - 0.5:
                found.append((line, k))
            if following["text"] in BLANK_LEFT and following["x0"] - char["x1"] < BASE - 0.5:
                found.append((line, k + 1))
    return found


def test_squeezed_marks_keep_half_a_cell_and_never_touch_their_neighbours_ink(seed_read, seed_pdf, crafted):
    for (document, profile), lines in (((seed_read[0], crafted[1]), seed_pdf), (crafted[:2], crafted[2])):
        inks = InkBounds(document, profile)
        checked = 0
        squeezed = squeezed_marks(lines)
        assert squeezed
        for line, k in squeezed:
            chars = line.chars
            if k + 1 < len(chars):
                assert chars[k + 1]["x0"] - chars[k]["x0"] >= CELL / 2 - 0.01, line.text
            if k > 0:
                before = chars[k - 1]
                assert chars[k]["x0"] - before["x0"] >= min(CELL / 2, before["x1"] - before["x0"]) - 0.01
            for left, right in ((k - 1, k), (k, k + 1)):
                if 0 <= left and right < len(chars):
                    a, b = inks.of(chars[left]), inks.of(chars[right])
                    if a and b:
                        assert a[1] <= b[0] + 0.01, (line.text, chars[left]["text"], chars[right]["text"])
                        checked += 1
        assert checked > 10


def test_a_mark_centred_by_its_font_is_not_squeezed(crafted):
    document, profile, lines = crafted
    question = [(c, b) for line in body_lines(lines) for c, b in zip(line.chars, line.chars[1:])
                if c["text"] == "？"]
    assert question and all(b["x0"] - c["x0"] > CELL - 0.5 for c, b in question)


def test_squeezed_seed_is_byte_identical_on_rerun(seed_read, grid_profile):
    document, _profile = seed_read
    assert write_pdf(document, grid_profile) == write_pdf(document, grid_profile)


def _profile_with(tmp_path, value: str):
    return _grid_profile(tmp_path, f"\n[pdf]\nmax_punctuation_compression = {value}\n")


def test_compression_can_be_switched_off_in_the_profile(seed_read, tmp_path):
    document, _profile = seed_read
    lines = justified_lines(text_lines(write_pdf(document, _profile_with(tmp_path, "0"))))
    assert max(largest_gap(line) for line in lines) > 2.0         # the loose line is back


def test_compression_beyond_half_a_cell_is_refused_by_the_profile(tmp_path):
    with pytest.raises(ProfileError, match=r"\[pdf\] max_punctuation_compression must be between 0 and 0.5, not 0.75"):
        _profile_with(tmp_path, "0.75")
