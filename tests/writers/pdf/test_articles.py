"""章/条 in the PDF: chapter titles centred in 黑体, article numbers in 黑体 run in with 仿宋 text."""

from __future__ import annotations

import pytest

from exporter.reader import read_source
from support.paths import FIXTURES
from support.pdf import CELL, LEFT, RIGHT, text_lines, write_pdf


@pytest.fixture(scope="module")
def lines():
    result = read_source(FIXTURES / "articles.md")
    return text_lines(write_pdf(result.document, result.profile))


def test_chapter_title_is_centred_in_hei(lines):
    chapter = next(ln for ln in lines if ln.text.startswith("第二章"))
    assert chapter.text == "第二章　审核"
    assert (chapter.x0 + chapter.x1) / 2 == pytest.approx((LEFT + RIGHT) / 2, abs=2.83)
    assert all("Hei" in c["fontname"] for c in chapter.chars if c["text"].strip("　"))


def test_article_number_runs_in_in_hei_then_fang_song(lines):
    article = next(ln for ln in lines if ln.text.startswith("第三条"))
    assert article.x0 == pytest.approx(LEFT + 2 * CELL, abs=0.5)
    number = [c for c in article.chars[:3]]
    assert "".join(c["text"] for c in number) == "第三条"
    assert all("Hei" in c["fontname"] for c in number)
    assert all("Fang" in c["fontname"] for c in article.chars[4:8])
