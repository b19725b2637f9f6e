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
    path.write_bytes(b"\x81\x20\xff\xfeabc")  # a NUL byte is its own error (see below)
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


# ---- legacy encodings: decided by evidence, never GB18030 mojibake -------------------------------

SIMPLIFIED = ("各位代表：现在，我代表省人民政府，向大会报告工作，请予审议。过去一年，全省经济运行稳中有进，"
              "地区生产总值增长百分之五点二，城乡居民收入稳步提高。")
TRADITIONAL = ("各位代表：現在，我代表省人民政府，向大會報告工作，請予審議。過去一年，全省經濟運行穩中有進，"
               "地區生產總值增長百分之五點二，城鄉居民收入穩步提高。")
JAPANESE = "本日は、政府の年次報告について説明いたします。経済は緩やかに回復しており、雇用も改善しています。"


def test_gb18030_is_assumed_on_evidence_and_the_report_says_why(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(("一、工作回顾\n" + SIMPLIFIED + "\n").encode("gb18030"))
    result = import_file(path)
    assert result.encoding == "GB18030"
    assert body_lines(read_back(result, tmp_path))[1] == SIMPLIFIED
    report = result.report()
    assert "  encoding: GB18030 assumed (not valid UTF-8; read as GB18030, 100% of its " in report


@pytest.mark.parametrize("text, codec, detected, language", [
    (TRADITIONAL, "big5", "Big5", "traditional Chinese"),
    (TRADITIONAL, "cp950", "Big5", "traditional Chinese"),
    (JAPANESE, "shift_jis", "Shift-JIS", "Japanese"),
    (JAPANESE, "cp932", "Shift-JIS", "Japanese"),
    (JAPANESE[:12], "shift_jis", "Shift-JIS", "Japanese"),   # short, but kana are evidence enough
])
def test_big5_and_shift_jis_are_refused_not_read_as_gb18030(text, codec, detected, language, tmp_path):
    raw = ("一、" + text + "\n").encode(codec)
    raw.decode("gb18030")  # the trap: GB18030 reads these bytes without a single error
    path = tmp_path / "legacy.txt"
    path.write_bytes(raw)
    with pytest.raises(SourceError) as info:
        import_file(path)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.path == str(path)
    assert diagnostic.message.startswith(f"the file is not UTF-8 and looks like {detected} ({language}): 100% of")
    assert "iconv -f CP" in diagnostic.message


def test_a_text_that_is_no_known_encoding_is_refused(tmp_path):
    # Valid GB18030, but only rare characters (CJK Extension A): no Chinese text reads like this.
    rare = "".join(chr(cp) for cp in range(0x3400, 0x3400 + 400, 13))
    raw = rare.encode("gb18030")
    for codec in ("utf-8", "cp950", "cp932"):
        with pytest.raises(UnicodeDecodeError):
            raw.decode(codec)
    path = tmp_path / "odd.txt"
    path.write_bytes(raw)
    with pytest.raises(SourceError) as info:
        import_file(path)
    assert "read as GB18030 only 0% of its 31 CJK characters are common GB2312 characters" in str(info.value)


@pytest.mark.parametrize("raw, expected", [
    (TEXT.encode("utf-16-le"), "a NUL byte at offset 1 (UTF-16 without a byte-order mark"),
    (b"\xff\xfe" + "一、说明\n".encode("utf-16-le") + b"\x00\xd8", "cannot decode as UTF-16"),
])
def test_utf16_without_bom_or_broken_is_a_located_error(raw, expected, tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes(raw)
    with pytest.raises(SourceError) as info:
        import_file(path)
    assert str(info.value).startswith(f"{path}: error: ") and expected in str(info.value)


def test_utf32_with_bom_is_read(tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes(TEXT.encode("utf-32"))
    result = import_file(path)
    assert result.encoding == "UTF-32"
    assert body_lines(read_back(result, tmp_path)) == ["工作回顾", "全县开展工作，成效明显。"]
