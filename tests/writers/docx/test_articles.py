"""章/条 in the .docx XML: the chapter paragraph centred without indent, the article number in the
黑体 character style, the article's text in the body font."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from exporter.reader import read_source
from exporter.writers.docx import write
from support.paths import FIXTURES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_chapters_centred_and_article_numbers_in_the_hei_style():
    result = read_source(FIXTURES / "articles.md")
    out = io.BytesIO()
    write(result.document, result.profile, out)
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(out.getvalue())).read("word/document.xml"))
    paragraphs = list(root.iter(f"{W}p"))

    def text(p) -> str:
        return "".join(t.text or "" for t in p.iter(f"{W}t"))

    chapter = next(p for p in paragraphs if text(p) == "第一章　总则")
    ppr = chapter.find(f"{W}pPr")
    assert ppr.find(f"{W}pStyle").get(f"{W}val") == "Heading1"
    assert ppr.find(f"{W}jc").get(f"{W}val") == "center"
    assert ppr.find(f"{W}ind").get(f"{W}firstLine") == "0"
    assert ppr.find(f"{W}ind").get(f"{W}firstLineChars") == "0"
    article = next(p for p in paragraphs if text(p).startswith("第二条　"))
    runs = [r for r in article.iter(f"{W}r") if r.find(f"{W}t") is not None]
    number = [r for r in runs if (r.find(f"{W}rPr/{W}rStyle") is not None)]
    assert "".join(r.find(f"{W}t").text for r in number) == "第二条　"
    assert {r.find(f"{W}rPr/{W}rStyle").get(f"{W}val") for r in number} == {"Heading1Char"}
    body = [r for r in runs if r not in number]
    assert "".join(r.find(f"{W}t").text for r in body).startswith("本办法适用于")
