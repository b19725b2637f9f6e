"""Every reader error case: the located message, through the API and through the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest

from exporter.diagnostics import SourceError
from exporter.reader import read_source

FM = "---\ntitle: 测试报告\n---\n\n"

# name: (source bytes, expected "line:col", expected message fragment)
CASES = {
    "not_utf8": (b"---\ntitle: \xb2\xe2\n---\n", "2:8", "not UTF-8 (byte 0xb2)"),
    "empty_file": (b"", "1:1", "empty file"),
    "whitespace_only": (b"  \n\n", "1:1", "empty file"),
    "no_front_matter": ("# 标题\n\n正文\n".encode(), "1:1", "no front matter"),
    "front_matter_not_closed": ("---\ntitle: x\n\n正文\n".encode(), "1:1", "front matter is not closed"),
    "front_matter_empty": ("---\n---\n\n正文\n".encode(), "1:1", "front matter is empty"),
    "no_title": ("---\nissuer: 某县人民政府\n---\n\n正文\n".encode(), "1:1", "no 'title'"),
    "malformed_yaml": ("---\ntitle: [x\n---\n".encode(), "2:10", "malformed YAML"),
    "yaml_not_mapping": ("---\n- a\n- b\n---\n".encode(), "2:1", "'key: value'"),
    "unknown_key": ("---\ntitle: x\ntitel: y\n---\n".encode(), "3:1", "unknown front-matter key 'titel' (did you mean 'title'?)"),
    "duplicate_key": ("---\ntitle: x\ntitle: y\n---\n".encode(), "3:1", "duplicate front-matter key 'title'"),
    "date_not_a_date": ("---\ntitle: x\ndate: 2021年12月\n---\n".encode(), "3:7", "'date' must be a date"),
    "date_impossible": ("---\ntitle: x\ndate: 2021-13-01\n---\n".encode(), "3:7", "month must be in 1..12"),
    "title_wrong_type": ("---\ntitle: 3\n---\n".encode(), "2:8", "'title' must be a text or a list"),
    "attachments_wrong_type": ("---\ntitle: x\nattachments: {a: 1}\n---\n".encode(), "3:14", "'attachments' must be a list"),
    "region_code_malformed": ("---\ntitle: x\nregion_code: '5323'\n---\n".encode(), "3:14", "administrative division code"),
    "heading_level_skipped": ((FM + "# 一\n\n### 三\n").encode(), "7:1", "heading level skipped: ### follows a level-1 heading"),
    "heading_level_five": ((FM + "# a\n## b\n### c\n#### d\n##### e\n").encode(), "9:1", "GB/T 9704 has four levels"),
    "heading_typed_number": ((FM + "# 一、主要举措\n").encode(), "5:3", "typed number '一、'"),
    "unclosed_span": ((FM + "共[13项{#a name=\"x\"}。\n").encode(), "5:2", "unclosed span"),
    "unclosed_bracket": ((FM + "共[13项。\n").encode(), "5:2", "unclosed span"),
    "span_without_attributes": ((FM + "共[13项]，完。\n").encode(), "5:2", "has no attributes"),
    "empty_span": ((FM + "共[]{#a name=\"x\"}。\n").encode(), "5:2", "empty span"),
    "span_without_figure": ((FM + "共[若干]{#a name=\"数量\"}。\n").encode(), "5:2", "no figure in '若干'"),
    "bad_value_attribute": ((FM + "共[两次]{#a name=\"次数\" value=\"二\"}。\n").encode(), "5:2", "value='二' is not a number"),
    "duplicate_id": ((FM + "共[1项]{#a name=\"x\"}，又[2项]{#a name=\"y\"}。\n").encode(), "5:21", "duplicate id 'a' (first used at 5:2)"),
    "malformed_id": ((FM + "共[1项]{#Bad-id name=\"x\"}。\n").encode(), "5:2", "malformed id 'Bad-id'"),
    "id_too_long": ((FM + "共[1项]{#" + "a" * 41 + " name=\"x\"}。\n").encode(), "5:2", "longer than 40 characters"),
    "missing_id": ((FM + "共[1项]{name=\"x\"}。\n").encode(), "5:2", "has no id"),
    "missing_name": ((FM + "共[1项]{#a}。\n").encode(), "5:2", "has no name"),
    "unknown_span_attribute": ((FM + "共[1项]{#a name=\"x\" colour=\"red\"}。\n").encode(), "5:2", "unknown span attribute 'colour'"),
    "span_class": ((FM + "共[1项]{#a .big name=\"x\"}。\n").encode(), "5:2", "span classes (.big) are not supported"),
    "nested_spans": ((FM + "共[1[2项]{#b name=\"y\"}]{#a name=\"x\"}。\n").encode(), "5:2", "nested spans"),
    "list": ((FM + "1. 第一\n2. 第二\n").encode(), "5:1", "lists are not supported"),
    "bullet_list": ((FM + "- 第一\n- 第二\n").encode(), "5:1", "lists are not supported"),
    "table_without_id": ((FM + "| a | b |\n|---|---|\n| 1 | 2 |\n").encode(), "5:1", "a table needs an id"),
    "blockquote": ((FM + "> 引文\n").encode(), "5:1", "block quotes are not supported"),
    "code_fence": ((FM + "```\ncode\n```\n").encode(), "5:1", "code blocks are not supported"),
    "html_block": ((FM + "<div>\nx\n</div>\n").encode(), "5:1", "raw HTML blocks are not supported"),
    "emphasis": ((FM + "这是*强调*文本\n").encode(), "5:3", "emphasis"),
    "image": ((FM + "图![说明](a.png)\n").encode(), "5:2", "images are not supported"),
    "link": ((FM + "见[网站](http://example.com)\n").encode(), "5:2", "links are not supported"),
    "control_character": ((FM + "文\x01本\n").encode(), "5:2", "character U+0001 (control character) cannot appear"),
    "vertical_tab": ((FM + "文本\x0b\n").encode(), "5:3", "character U+000B"),
    "noncharacter": ((FM + "文本\ufffe\n").encode(), "5:3", "character U+FFFE (noncharacter) cannot appear"),
    "check_unknown_indicator": (
        ("---\ntitle: x\nchecks:\n  - id: c\n    sum: [a, b]\n    equals: tot\n---\n\n[1项]{#a name=\"x\"}[2项]{#tot name=\"t\"}\n").encode(),
        "4:5", "check 'c' names unknown indicator 'b'",
    ),
    "check_bad_expression": (
        ("---\ntitle: x\nchecks:\n  - id: c\n    expr: a / * b\n    equals: a\n---\n\n[1项]{#a name=\"x\"}\n").encode(),
        "4:5", "unexpected '*' in expression",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_error_is_located(tmp_path, name):
    data, where, fragment = CASES[name]
    path = tmp_path / f"{name}.md"
    path.write_bytes(data)
    with pytest.raises(SourceError) as info:
        read_source(path, shown_path=f"{name}.md")
    messages = [str(d) for d in info.value.diagnostics]
    expected_prefix = f"{name}.md:{where}: error: "
    assert any(m.startswith(expected_prefix) and fragment in m for m in messages), messages


def test_all_errors_reported_together(tmp_path):
    path = tmp_path / "many.md"
    path.write_text(
        "---\ntitle: x\ntitel: y\n---\n\n# 一\n\n### 跳级\n\n共[1项]{#A name=\"x\"}，[2项]{#b}。\n", encoding="utf-8"
    )
    with pytest.raises(SourceError) as info:
        read_source(path, shown_path="many.md")
    where = [f"{d.pos.line}:{d.pos.column}" for d in info.value.diagnostics]
    assert where == ["3:1", "8:1", "10:2", "10:20"]


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "crlf.md"
    path.write_bytes("\ufeff---\r\ntitle: 测试\r\n---\r\n\r\n# 举措\r\n\r\n共[13项]{#items name=\"事项数\"}。\r\n".encode())
    result = read_source(path, shown_path="crlf.md")
    doc = result.document
    assert doc.meta.title == ("测试",)
    assert doc.indicators[0].pos.line == 7 and doc.indicators[0].pos.column == 2
    assert doc.body_text() == "一、举措\n共13项。"


@pytest.mark.parametrize("name", ["not_utf8", "duplicate_id", "heading_level_skipped", "malformed_yaml"])
def test_cli_reports_without_traceback(tmp_path, name):
    data, where, fragment = CASES[name]
    path = tmp_path / f"{name}.md"
    path.write_bytes(data)
    proc = subprocess.run(
        [sys.executable, "-m", "exporter", "check", str(path)], capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"{name}.md:{where}: error: " in proc.stderr and fragment in proc.stderr
    assert proc.stdout == ""


def test_cli_missing_file_is_located(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "exporter", "check", "nowhere.md"], capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == "nowhere.md: error: no such file"


def test_zero_width_characters_are_removed_with_a_warning(tmp_path):
    path = tmp_path / "zw.md"
    path.write_text(FM + "网办\u200b率达[53.62%]{#rate name=\"网办率\"}\u200d。\n", encoding="utf-8")
    result = read_source(path, shown_path="zw.md")
    assert [str(w) for w in result.warnings] == [
        "zw.md:5:3: warning: invisible character U+200B (ZERO WIDTH SPACE) removed",
        "zw.md:5:32: warning: invisible character U+200D (ZERO WIDTH JOINER) removed",
    ]
    assert result.document.body_text() == "网办率达53.62%。"
