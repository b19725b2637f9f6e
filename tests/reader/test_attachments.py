"""Attachments in the source: `::: attachment 标题` … `:::` after the 正文 [gbt9704-kinds F8–F12].

Read with the body grammar (headings restart at 一、), listed in the generated 附件说明, their
figures in the workbook with the attachment as their section; errors located, via the CLI too."""

from __future__ import annotations

import subprocess
import sys

import pytest

from exporter.diagnostics import SourceError
from exporter.model import Heading, Table
from exporter.provenance import figure_offsets
from exporter.reader import read_source
from support.paths import ROOT

FM = "---\ntitle: 测试通知\nissuer: 某县人民政府\ndate: 2025-03-10\n---\n\n"
BODY = "现将有关事项通知如下。\n\n"
FIRST = "::: attachment 第一个附件\n\n# 总体要求\n\n共[3项]{#a_items name=\"事项数\"}。\n\n:::\n"
SECOND = "\n::: attachment 第二个附件\n\n# 考核对象\n\n## 乡镇\n\n全县[12个]{#towns name=\"乡镇数\"}乡镇。\n\n:::\n"


def _read(tmp_path, text: str, name: str = "doc.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_source(path, shown_path=name).document


def test_attachments_are_read_with_their_own_numbering(tmp_path):
    document = _read(tmp_path, FM + "# 正文标题\n\n" + BODY + FIRST + SECOND)
    assert [(a.number, a.title, a.issued) for a in document.attachments] == [
        (1, "第一个附件", False), (2, "第二个附件", False)]
    first_heading = document.attachments[1].blocks[0]
    assert isinstance(first_heading, Heading) and first_heading.label == "一、"
    assert document.attachments[0].pos.line == 11
    assert [b.label for b in document.blocks if isinstance(b, Heading)] == ["一、"]
    # The 附件说明 comes from the attachments [F11].
    assert document.meta.attachments == ("第一个附件", "第二个附件")
    assert document.meta.position_of("attachments").line == 11


def test_attachment_figures_carry_the_attachment_as_their_section(tmp_path):
    document = _read(tmp_path, FM + BODY + FIRST + SECOND)
    by_id = {i.id: i for i in document.indicators}
    assert by_id["a_items"].section == ("附件1", "一")
    assert by_id["towns"].section == ("附件2", "一", "（一）")
    # The provenance offset points into body_text, attachments included.
    text = document.body_text()
    offsets = figure_offsets(document)
    for ind in document.indicators:
        assert text[offsets[ind.id]:offsets[ind.id] + len(ind.text)] == ind.text
    assert "第二个附件\n一、考核对象" in text


def test_a_single_attachment_is_labelled_without_a_number(tmp_path):
    document = _read(tmp_path, FM + BODY + FIRST)
    assert document.indicators[0].section == ("附件", "一")


def test_front_matter_list_that_agrees_is_accepted(tmp_path):
    fm = FM.replace("---\n\n", "attachments: [第一个附件, 第二个附件]\n---\n\n")
    document = _read(tmp_path, fm + BODY + FIRST + SECOND)
    assert document.meta.attachments == ("第一个附件", "第二个附件")


def test_front_matter_list_alone_still_means_separate_files(tmp_path):
    fm = FM.replace("---\n\n", "attachments: [另行印发的表格]\n---\n\n")
    document = _read(tmp_path, fm + BODY)
    assert document.attachments == () and document.meta.attachments == ("另行印发的表格",)


def test_issued_attachment_is_neither_numbered_nor_listed(tmp_path):
    issued = "::: attachment {issued=true} 某县行政执法公示办法\n\n# 总则\n\n本办法自印发之日起施行。\n\n:::\n"
    document = _read(tmp_path, FM + BODY + issued + SECOND)
    assert [(a.number, a.issued) for a in document.attachments] == [(0, True), (1, False)]
    assert document.meta.attachments == ("第二个附件",)
    assert document.indicators[0].section == ("附件", "一", "（一）")


def test_table_in_an_attachment(tmp_path):
    table = ("::: attachment 统计表\n\n```table {#t1 caption=\"案件统计\" unit=\"件\"}\n| 类别 | 数量 {#n} |\n"
             "|---|---|\n| 复议 {#review} | 12 |\n```\n\n:::\n")
    document = _read(tmp_path, FM + BODY + table)
    block = document.attachments[0].blocks[0]
    assert isinstance(block, Table)
    assert document.indicator("t1:review:n").section == ("附件",)


def test_the_bundled_notice_carries_two_attachments_one_with_a_table():
    document = read_source(ROOT / "source" / "notice-example.md").document
    assert len(document.attachments) == 2
    assert any(isinstance(b, Table) for b in document.attachments[0].blocks)
    assert document.meta.attachments == tuple(a.title for a in document.attachments)


# name: (body after the front matter, expected "line:col", message fragment)
ERRORS = {
    "disagreeing_list": ("attachments: [第一个附件, 另一个]\n", BODY + FIRST + SECOND, "5:14",
                         "front matter 'attachments' lists 2"),
    "unclosed": ("", BODY + "::: attachment 第一个附件\n\n正文。\n", "9:1", "attachment is not closed"),
    "text_after": ("", BODY + FIRST + "\n落款之后的文字。\n", "17:1", "text after an attachment"),
    "no_title": ("", BODY + "::: attachment\n\n正文。\n\n:::\n", "9:1", "attachment has no title"),
    "unknown_attribute": ("", BODY + "::: attachment {colour=red} 甲\n\n正文。\n\n:::\n", "9:1",
                          "unknown attachment attribute"),
    "nested": ("", BODY + "::: attachment 甲\n\n:::: attachment 乙\n\n正文。\n\n::::\n\n:::\n", "11:1",
               "cannot hold another attachment"),
    "not_an_attachment": ("", BODY + "::: annex 甲\n\n正文。\n", "9:1", "'::: attachment 标题'"),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_attachment_error_is_located(tmp_path, name):
    front, body, where, fragment = ERRORS[name]
    path = tmp_path / f"{name}.md"
    path.write_text(FM.replace("---\n\n", front + "---\n\n") + body, encoding="utf-8")
    with pytest.raises(SourceError) as info:
        read_source(path, shown_path=f"{name}.md")
    messages = [str(d) for d in info.value.diagnostics]
    assert any(m.startswith(f"{name}.md:{where}: error: ") and fragment in m for m in messages), messages


@pytest.mark.parametrize("name", ["disagreeing_list", "unclosed", "text_after", "no_title"])
def test_cli_reports_attachment_errors_with_file_line_column(tmp_path, name):
    front, body, where, fragment = ERRORS[name]
    path = tmp_path / f"{name}.md"
    path.write_text(FM.replace("---\n\n", front + "---\n\n") + body, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "exporter", "check", path.name], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"{name}.md:{where}: error: " in proc.stderr and fragment in proc.stderr, proc.stderr
