"""The model's walk API: the runs of text of every block, in reading order, with their owner."""

from __future__ import annotations

from exporter.model import Heading, Paragraph, inline_groups
from exporter.profile import REQUIRED_ROLES
from exporter.reader import read_source

SOURCE = """---
title: 某县2021年法治政府建设年度报告
issuer: 某县人民政府
---

导语，共[13项]{#items_total name="事项总数"}。

# 主要举措

## 依法履职。

网办率达[53.62%]{#online_rate name="网办率"}。

### 案卷

#### 结果

正文。
"""


def read(tmp_path):
    path = tmp_path / "walk.md"
    path.write_text(SOURCE, encoding="utf-8")
    return read_source(path, shown_path="walk.md").document


def test_inline_groups_follow_reading_order_with_the_run_in_heading_before_its_paragraph(tmp_path):
    document = read(tmp_path)
    walked = [(type(owner).__name__, owner.pos.line, [inline.text for inline in inlines])
              for owner, inlines in document.iter_inline_groups()]
    assert walked == [
        ("Paragraph", 6, ["导语，共", "13项", "。"]),
        ("Heading", 8, ["主要举措"]),
        ("Heading", 10, ["依法履职。"]),          # run-in: printed at the start of the paragraph below
        ("Paragraph", 10, ["网办率达", "53.62%", "。"]),
        ("Heading", 14, ["案卷"]),
        ("Heading", 16, ["结果"]),
        ("Paragraph", 18, ["正文。"]),
    ]


def test_a_paragraph_with_a_run_in_heading_gives_the_heading_as_owner_of_its_runs(tmp_path):
    led = [block for block in read(tmp_path).blocks if isinstance(block, Paragraph) and block.lead is not None]
    assert len(led) == 1
    (lead_owner, lead_inlines), (owner, inlines) = inline_groups(led[0])
    assert lead_owner is led[0].lead and lead_inlines == led[0].lead.inlines
    assert owner is led[0] and inlines == led[0].inlines


def test_headings_include_run_in_ones_and_name_their_font_role(tmp_path):
    headings = list(read(tmp_path).headings())
    assert [(h.printed, h.run_in, h.role) for h in headings] == [
        ("一、主要举措", False, "heading1"),
        ("（一）依法履职。", True, "heading2"),
        ("1.案卷", False, "heading3"),
        ("（1）结果", False, "heading4"),
    ]
    assert all(isinstance(h, Heading) and h.role in REQUIRED_ROLES for h in headings)
