"""scripts/compare_renderings.py on two small PDFs drawn here with plain reportlab, where every line,
page and missing character is known."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from support.paths import ROOT


def _load():
    spec = importlib.util.spec_from_file_location("compare_renderings", ROOT / "scripts" / "compare_renderings.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module   # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


compare_renderings = _load()


def _pdf(path: Path, pages: list[list[str]], page_number: bool = True) -> Path:
    """Each page's lines 30 pt apart from y = 120 pt (from the top), and "- N -" at 770 pt."""
    c = canvas.Canvas(str(path), pagesize=(595.276, 841.89))
    for number, lines in enumerate(pages, start=1):
        c.setFont("Helvetica", 16)
        for k, line in enumerate(lines):
            c.drawString(80, 841.89 - (120 + 30 * k), line)
        if page_number:
            c.drawString(280, 841.89 - 770, f"- {number} -")
        c.showPage()
    c.save()
    return path


def test_identical_pdfs_match_everywhere(tmp_path):
    pages = [["The quick brown", "fox jumps over"], ["the lazy dog."]]
    first = compare_renderings.read_rendering(_pdf(tmp_path / "a.pdf", pages))
    second = compare_renderings.read_rendering(_pdf(tmp_path / "b.pdf", pages, page_number=False))
    # Blanks are dropped and the page number below the 版心 is not text.
    assert first.pages == (("Thequickbrown", "foxjumpsover"), ("thelazydog.",))
    result = compare_renderings.compare("same", first, second)
    assert result.pages == (2, 2)
    assert result.same_starts == 2
    assert result.lines == (3, 3)
    assert result.same_ends == 3
    assert result.missing_in_other == result.missing_in_first == ""


def test_a_moved_break_a_moved_page_and_a_missing_mark_are_counted(tmp_path):
    tool = [["alpha beta gamma,", "delta epsilon"], ["zeta eta theta", "iota kappa"]]
    # The second file breaks line 1 one word early, drops the comma, and starts page 2 a line late.
    other = [["alpha beta", "gamma delta epsilon", "zeta eta theta"], ["iota kappa"]]
    result = compare_renderings.compare(
        "moved", compare_renderings.read_rendering(_pdf(tmp_path / "t.pdf", tool)),
        compare_renderings.read_rendering(_pdf(tmp_path / "o.pdf", other)))
    assert result.pages == (2, 2)
    assert result.same_starts == 1            # page 1 alike, page 2 not
    assert result.lines == (4, 4)
    # Ends alike: after "epsilon", "theta" and "kappa"; not after "gamma," (the comma is missing) nor "beta".
    assert result.same_ends == 3
    assert result.end_ratio == pytest.approx(0.75)
    assert result.missing_in_other == ","
    assert result.missing_in_first == ""


def test_extra_page_counts_against_both_ratios(tmp_path):
    tool = [["one two three"], ["four"]]
    other = [["one two three four"]]
    result = compare_renderings.compare(
        "pages", compare_renderings.read_rendering(_pdf(tmp_path / "t.pdf", tool)),
        compare_renderings.read_rendering(_pdf(tmp_path / "o.pdf", other)))
    assert result.pages == (2, 1)
    assert result.start_ratio == pytest.approx(0.5)
    assert result.same_ends == 1              # only the last line's end
    assert result.end_ratio == pytest.approx(0.5)


def test_command_line_prints_the_table_and_fails_below_a_required_share(tmp_path, capsys):
    a = _pdf(tmp_path / "a.pdf", [["one two", "three four"]])
    b = _pdf(tmp_path / "b.pdf", [["one", "two three four"]])
    assert compare_renderings.main(["--pdf", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "| a | 1 / 1 | 1 / 1 (100 %) | 1 / 2 (50.0 %) | 0 | 0 |" in out
    assert compare_renderings.main(["--pdf", str(a), str(b), "--require-ends", "0.9"]) == 1
    assert compare_renderings.main(["--pdf", str(a), str(a), "--require-ends", "0.9"]) == 0


def test_alignment_skips_what_one_stream_lacks():
    pairs = compare_renderings.align("abcdef,ghijklmnop", "abcdefghijklmnop")
    assert [i for i, _ in pairs] == [k for k in range(17) if k != 6]
    assert [j for _, j in pairs] == list(range(16))


def test_detail_names_the_first_line_end_apart_before_a_page_that_starts_differently(tmp_path):
    tool = [["alpha beta gamma", "delta epsilon"], ["zeta eta", "theta"]]
    other = [["alpha beta", "gamma delta epsilon"], ["zeta eta", "theta"]]
    same = compare_renderings.differing_starts(
        "same", compare_renderings.read_rendering(_pdf(tmp_path / "t.pdf", tool)),
        compare_renderings.read_rendering(_pdf(tmp_path / "t2.pdf", tool)))
    assert same == ""
    moved = [["alpha beta gamma", "delta"], ["epsilon zeta eta", "theta"]]
    detail = compare_renderings.differing_starts(
        "moved", compare_renderings.read_rendering(_pdf(tmp_path / "m.pdf", moved)),
        compare_renderings.read_rendering(_pdf(tmp_path / "o.pdf", other)))
    lines = detail.splitlines()
    assert lines[0] == "moved page 2: tool starts 'epsilonzet', LO 'zetaetathe'"
    # The first line end apart on the way there: the tool's first line, LibreOffice's first line.
    assert lines[1] == "  first line end apart: tool p1 'alphabetagamma'"
    assert lines[2].strip() == "LO   p1 'alphabeta'"
