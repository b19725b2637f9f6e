"""Style warnings on a read document (GB/T 15834 punctuation, untagged figures, shares).

Lint works on the model, not the syntax: every Text run carries its position, and a run
never spans two source lines, so a character's column is the run's column plus its offset.
"""

from __future__ import annotations

import re
from typing import assert_never

from .cjk import CHINESE_CLASS
from .diagnostics import Diagnostic, WARNING
from .figures import DURATION_IN_TEXT, STATISTIC_IN_TEXT
from .model import Document, PercentKind, FigureRef, Position, Table, Text

HALF_WIDTH = ",;:()?!"
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_HALF_IN_CHINESE = re.compile(
    rf"(?<=[{CHINESE_CLASS}])[{re.escape(HALF_WIDTH)}]|[{re.escape(HALF_WIDTH)}](?=[{CHINESE_CLASS}])")
_HALF_QUOTE_IN_CHINESE = re.compile(rf'(?<=[{CHINESE_CLASS}])"|"(?=[{CHINESE_CLASS}])')
_SPACE_BEFORE_PERCENT = re.compile(r"\d(\s+)[%％]")
# Things that look like figures but are not statistics: years, dates, times, document numbers,
# ordinals, and time limits such as "7个工作日" or "3个月".
_NOT_A_STATISTIC = re.compile(
    r"(?:\d{4}\s*年|\d+\s*月\s*\d+\s*日|\d+\s*月|\d+\s*日|\d+:\d+|〔\d{4}〕\s*\d+\s*号|第\s*\d+"
    r"|\d+\s*个\s*(?:工作日|自然日|月|季度|星期|小时))"
)


def lint(document: Document) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    # A number in a table cell is a figure already (or a label such as "1.属于国家秘密"): the
    # untagged-figure warning is for running text, table notes included.
    in_cells = {id(run) for block in document.all_blocks() if isinstance(block, Table)
                for cell in block.cells for run in cell.inlines}
    for _, inlines in document.iter_inline_groups():
        for run in inlines:
            match run:
                case Text():
                    found.extend(_lint_text(run, untagged=id(run) not in in_cells))
                case FigureRef():
                    found.extend(_lint_span(run))
                case _:
                    assert_never(run)
    for ind in document.indicators:
        # The unit and the span's kind= decide, never the words around the figure.
        if ind.percent_kind == PercentKind.SHARE and ind.value > 100:
            found.append(Diagnostic(WARNING, f"share above 100%: {ind.name} is {ind.text} (a growth rate is marked"
                                    f" kind=\"change\", a ratio to a plan or a past year kind=\"ratio\")", ind.pos))
    return sorted(found, key=lambda d: (d.pos.line, d.pos.column) if d.pos else (0, 0))


def _at(run: Text | FigureRef, offset: int) -> Position:
    return Position(run.pos.path, run.pos.line, run.pos.column + offset)


def _lint_text(run: Text, untagged: bool = True) -> list[Diagnostic]:
    out = []
    text = run.text
    for m in _HALF_IN_CHINESE.finditer(text):
        ch = m.group(0)
        # Decimals, times and ranges between digits keep half-width forms.
        prev, nxt = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        if ch in ",:" and prev.isdigit() and nxt.isdigit():
            continue
        out.append(Diagnostic(
            WARNING, f"half-width '{ch}' in Chinese text: use '{FULL_WIDTH[ch]}' (GB/T 15834)", _at(run, m.start())
        ))
    quote_open = False
    for k, ch in enumerate(text):
        if ch in "“”":
            quote_open = ch == "“"
        elif ch == '"':
            wanted = "”" if quote_open else "“"
            quote_open = not quote_open
            if _HALF_QUOTE_IN_CHINESE.match(text, k):
                out.append(Diagnostic(
                    WARNING, f"half-width '\"' in Chinese text: use '{wanted}' (GB/T 15834)", _at(run, k)
                ))
    for m in _SPACE_BEFORE_PERCENT.finditer(text):
        out.append(Diagnostic(WARNING, "space before '%': write the figure and '%' together", _at(run, m.start(1))))
    masked = _NOT_A_STATISTIC.sub(lambda m: "#" * len(m.group(0)), text) if untagged else ""
    for m in STATISTIC_IN_TEXT.finditer(masked):
        out.append(Diagnostic(
            WARNING,
            f"figure '{text[m.start():m.end()]}' looks like a statistic but is not tagged: "
            f"write it as [{text[m.start():m.end()]}]{{#id name=\"指标名称\"}}",
            _at(run, m.start()),
        ))
    for m in DURATION_IN_TEXT.finditer(masked):
        printed = text[m.start():m.end()]
        out.append(Diagnostic(
            WARNING,
            f"duration '{printed}' is a figure (a number of years; a year would have four digits) but is not "
            f"tagged: write it as [{printed}]{{#id name=\"指标名称\"}}",
            _at(run, m.start()),
        ))
    return out


def _lint_span(ref: FigureRef) -> list[Diagnostic]:
    m = _SPACE_BEFORE_PERCENT.search(ref.text)
    if m:
        return [Diagnostic(WARNING, "space before '%': write the figure and '%' together", _at(ref, 1 + m.start(1)))]
    return []
