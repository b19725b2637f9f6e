"""Figures printed in attachments reach the workbook, with the attachment as their 章节 and their
offset into the printed text (attachments included) [gbt9704-kinds F12]."""

from __future__ import annotations

from decimal import Decimal

from exporter.reader import read_source
from support.paths import ROOT
from support.xlsx import load, records, write_workbook


def test_attachment_figures_and_table_cells_are_in_the_data_sheet():
    result = read_source(ROOT / "source" / "notice-example.md")
    text = result.document.body_text()
    data, _ = write_workbook(result.document, result.profile)
    workbook = load(data)
    rows = {row["指标代码"]: row for row in records(workbook["指标"])}
    # A running-text figure of 附件2 and a table cell of 附件1.
    score = rows["score_enforcement"]
    assert score["数值"] == 40 and score["计量单位"] == "分"
    assert score["章节"] == "附件2二"
    assert text[score["原文偏移"]:score["原文偏移"] + len("40分")] == "40分"
    cell = rows["tasks:commitment:count"]
    assert Decimal(str(cell["数值"])) == 20 and cell["表"] == "tasks" and cell["章节"] == "附件1一"
    # The 正文's figures keep their sections.
    assert rows["review_rate"]["章节"] == "一"
    # The attachment's table has its sheet, laid out as printed.
    assert any(ws.title.startswith("重点任务分工") for ws in workbook.worksheets)
