"""`exporter import` on .txt input: encodings and line endings, and text that looks like Markdown."""

from __future__ import annotations

import pytest

from exporter.diagnostics import SourceError
from exporter.importer import import_file
from support.importing import body_lines, imported, read_back

TEXT = "2025年某县政府工作报告\n各位代表：\n一、工作回顾\n全县开展工作，成效明显。\n"


@pytest.mark.parametrize("encoding, line_ending, data", [
    ("UTF-8", "LF", TEXT.encode("utf-8")),
    ("UTF-8 with BOM", "LF", b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
    ("GB18030", "LF", TEXT.encode("gb18030")),
    ("UTF-8", "CRLF", TEXT.replace("\n", "\r\n").encode("utf-8")),
    ("GB18030", "CRLF", TEXT.replace("\n", "\r\n").encode("gb18030")),
    ("UTF-16", "LF", TEXT.encode("utf-16")),
])
def test_encodings_and_line_endings_give_the_same_source(encoding, line_ending, data, tmp_path):
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    result = import_file(path)
    assert (result.encoding, result.line_ending) == (encoding, line_ending)
    document = read_back(result, tmp_path)
    assert document.meta.title == ("2025年某县政府工作报告",) and document.meta.recipients == "各位代表："
    assert body_lines(document) == ["工作回顾", "全县开展工作，成效明显。"]


def test_undecodable_input_is_an_error_not_a_traceback(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"\x81\x20\xff\xfe\x00\x00abc")
    with pytest.raises(SourceError) as info:
        import_file(path)
    assert "neither UTF-8 nor GB18030" in str(info.value)


@pytest.mark.parametrize("line", [
    "1. 这一行以数字和点开头，不是列表。",
    "2) 也不是列表。",
    "- 不是列表项",
    "+ 也不是",
    "= 不是标题下划线",
    "# 不是标题",
    "> 不是引用",
    "<b>不是 HTML</b> 与 <5% 与 <!-- 注释 -->",
    "方括号[13项]{#x name=\"y\"}不是指标",
    "星号*强调*、**加粗**、下划线_x_、反引号`代码`、波浪线~~删除~~",
    "竖线 | 表格 | 不是表格",
    "反斜杠\\结尾\\",
    "实体&amp;与&#20013;照原样",
    "    四个空格开头的一行",
])
def test_markdown_characters_print_literally(line, tmp_path):
    result = imported(f"一、说明\n{line}", "punctuation", "figures")
    assert body_lines(read_back(result, tmp_path))[1] == line.strip()
