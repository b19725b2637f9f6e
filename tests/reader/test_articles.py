"""`heading_scheme: articles`: 第X章 and 第X条 generated, 条 numbered on through the chapters."""

from __future__ import annotations

import pytest

from exporter.diagnostics import SourceError
from exporter.model import Heading, Paragraph
from exporter.reader import read_source
from support.paths import FIXTURES


def test_chapters_and_articles_are_numbered():
    document = read_source(FIXTURES / "articles.md").document
    chapters = [b for b in document.blocks if isinstance(b, Heading)]
    assert [c.printed for c in chapters] == ["第一章　总则", "第二章　审核", "第三章　附则"]
    assert all(c.centred and c.role == "heading1" for c in chapters)
    articles = [b for b in document.blocks if isinstance(b, Paragraph)]
    assert [a.lead.label for a in articles] == ["第一条　", "第二条　", "第三条　", "第四条　"]   # on through chapters
    assert articles[2].printed.startswith("第三条　行政规范性文件应当经合法性审核")
    assert articles[2].lead.path == ("第二章", "第三条") and articles[2].lead.role == "heading1"


@pytest.mark.parametrize("body, where, fragment", [
    ("# 总则\n\n## 目的\n\n正文。\n", "8:4", "an article (第X条) has no title"),
    ("# 第一章 总则\n", "6:3", "typed number '第一章'"),
    ("# 总则\n\n##\n\n正文。\n\n### 项\n", "12:1", "the articles scheme has two levels"),
])
def test_articles_errors(tmp_path, body, where, fragment):
    path = tmp_path / "doc.md"
    path.write_text(f"---\ntitle: 办法\nheading_scheme: articles\n---\n\n{body}", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_source(path)
    found = [f"{d.pos.line}:{d.pos.column}: {d.message}" for d in caught.value.diagnostics]
    assert any(m.startswith(where) and fragment in m for m in found), found


def test_unknown_scheme_is_an_error(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text("---\ntitle: 办法\nheading_scheme: chapters\n---\n\n正文。\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_source(path)
    assert "'heading_scheme' must be one of sections, articles" in str(caught.value.diagnostics[0])
