"""The PDF measuring helpers (support/pdf.py) on a PDF whose geometry is known."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.pdf import PAGE_H, PAGE_W, content_operators, ink_rows, rules, text_lines


# --- tests of the helpers, on a PDF whose geometry is known ------------------------------------

@pytest.fixture(scope="module")
def known_pdf(tmp_path_factory) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path_factory.mktemp("known") / "known.pdf"
    canvas = Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    canvas.setFont("Helvetica", 16)
    canvas.drawString(100, PAGE_H - 200, "AB")
    canvas.drawString(300, PAGE_H - 200, "C")
    canvas.drawString(100, PAGE_H - 300, "D")
    canvas.setLineWidth(2)
    canvas.line(100, PAGE_H - 400, 200, PAGE_H - 400)
    canvas.setFillColorRGB(1, 0, 0)
    canvas.rect(100, PAGE_H - 500, 50, 20, fill=1, stroke=0)
    canvas.save()
    return path


def test_text_lines_groups_by_baseline(known_pdf):
    lines = text_lines(known_pdf.read_bytes())
    assert [(ln.baseline, ln.text) for ln in lines] == [(200.0, "ABC"), (300.0, "D")]
    assert lines[0].x0 == pytest.approx(100) and lines[0].size == 16


def test_rules_and_operators_are_read(known_pdf):
    data = known_pdf.read_bytes()
    [rule] = rules(data, 1)
    assert rule["y"] == pytest.approx(400) and rule["width"] == pytest.approx(2)
    assert (["1", "0", "0"], "rg") in content_operators(data)


def test_ink_rows_finds_a_filled_box(known_pdf):
    top, bottom = ink_rows(known_pdf, 1, (90, 470, 160, 510), dpi=300)
    assert top == pytest.approx(480, abs=0.5) and bottom == pytest.approx(500, abs=0.5)
