"""Text copied out of a PDF (`pdftotext -layout`): hard-wrapped lines with a two-space first-line
indent, page numbers between pages, and spaces around numbers ("1136 条"). Made here from the
corpus texts, whose paragraphs are known: the draft has the same paragraphs and figures as the
draft of the unwrapped text."""

from __future__ import annotations

import re

import pytest

from exporter.cjk import display_width
from exporter.importer import ImportResult, import_text
from support.paths import ROOT

CORPUS = sorted((ROOT / "tests" / "fixtures" / "corpus").glob("*.txt"))
WRAP = 56          # 28 Chinese characters, a GB/T 9704 line
LINES_PER_PAGE = 22
_SPACED = re.compile(r"(?<=\d)(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?=\d)")


def _wrap(paragraph: str) -> list[str]:
    lines, current = [], "  "
    for char in paragraph:
        if display_width(current + char) > WRAP:
            lines.append(current)
            current = ""
        current += char
    lines.append(current)
    return lines


def _padded_quotes(line: str) -> str:
    """A justified line copied out of a PDF: a space on each side of a quotation mark (“ 放管服 ”)."""
    return line.replace("“", " “ ").replace("”", " ” ").replace("‘", " ‘ ").replace("’", " ’ ")


def as_copied_from_pdf(paragraphs: list[str], justified: bool = False) -> str:
    if justified:
        # The spaces take the place of a justified line's stretched gaps: the lines keep their width,
        # and a line starts at the margin (a gap at the start of a printed line is not there).
        printed = [line if n == 0 else line.lstrip(" ") for paragraph in paragraphs
                   for n, line in enumerate(_wrap(_SPACED.sub(" ", _padded_quotes(paragraph))))]
    else:
        printed = [_SPACED.sub(" ", line) for paragraph in paragraphs for line in _wrap(paragraph)]
    out = []
    for start in range(0, len(printed), LINES_PER_PAGE):
        out.extend(printed[start:start + LINES_PER_PAGE])
        out.extend(["", f"{' ' * 30}— {start // LINES_PER_PAGE + 1} —", "\f"])
    return "\n".join(out)


@pytest.mark.parametrize("justified", [False, True], ids=["plain", "justified"])
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_a_line_wrapped_copy_keeps_every_paragraph_and_figure(path, justified):
    original = import_text(path.read_text(encoding="utf-8"), path.name)
    # The paragraphs the original draft has, printed as a PDF prints them (typed numbers kept).
    # A run-in heading and its paragraph print as one paragraph.
    merged: list[str] = []
    previous = None
    for item in original.items:
        text = getattr(item, "typed", "") + item.text
        if previous is not None and getattr(previous, "run_in", False) and item.origin == previous.origin:
            merged[-1] += text
        else:
            merged.append(text)
        previous = item
    copied = as_copied_from_pdf(merged, justified)
    if justified:
        # Quotes padded, and some of them wrapped to the start of a line ("”" opens a line).
        assert (" “ " in copied and "\n”" in copied) or not any("“" in m for m in merged)
    result = import_text(copied, path.name)
    # No paragraph split or merged, and every quotation mark tight against its text again.
    assert [i.text for i in result.items] == [i.text for i in original.items]
    assert [type(i).__name__ for i in result.items] == [type(i).__name__ for i in original.items]
    assert [f.text for f in result.figures] == [f.text for f in original.figures]
    assert result.median_paragraph_length == original.median_paragraph_length


def test_the_spaces_of_a_pdf_copy_go_and_its_figures_and_run_in_headings_are_read():
    text = "\n".join([
        "  一、总体情况",
        "  （一）主动公开。全年主动公开政府信息 1136 条，其中 2023 年新增政策文件 127 件。联系地址：青岚县人民政府 1 号 ，"
        " 邮 编 ： 675300。",
    ])
    result = import_text(text)
    assert [(type(i).__name__, i.text) for i in result.items] == [
        ("HeadingItem", "总体情况"),
        ("HeadingItem", "主动公开。"),
        ("ParagraphItem", "全年主动公开政府信息1136条，其中2023年新增政策文件127件。联系地址：青岚县人民政府1号，"
                          "邮编：675300。"),
    ]
    assert [f.text for f in result.figures] == ["1136条", "127件"]
    assert "[1136条]{#fig_001" in result.markdown


def test_a_line_wrapped_copy_is_not_rejoined_when_the_rejoin_switch_is_off():
    path = CORPUS[0]
    original = import_text(path.read_text(encoding="utf-8"), path.name)
    copied = as_copied_from_pdf([i.text for i in original.items])
    from exporter.importer import ImportOptions

    unjoined = import_text(copied, path.name, ImportOptions(frozenset({"rejoin"})))
    assert len(unjoined.paragraphs) > 2 * len(original.paragraphs)
