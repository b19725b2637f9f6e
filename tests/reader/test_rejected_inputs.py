"""Inputs a hostile-user trial found accepted, silently dropped or crashing: each is now a located
error (or a `check` warning), the same from `exporter check` and `exporter all`, read through the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from exporter.cli import main
from support.paths import FIXTURES


def write(tmp_path, front: str, body: str = "正文一段。\n"):
    path = tmp_path / "doc.md"
    path.write_text(f"---\ntitle: 测试\n{front}\n---\n\n{body}", encoding="utf-8")
    return path


def run(command: str, path, tmp_path):
    args = [command, str(path)] + (["-o", str(tmp_path / "out")] if command == "all" else [])
    return CliRunner().invoke(main, args)


def check_and_all(tmp_path, front: str, body: str = "正文一段。\n") -> tuple[str, str]:
    """The output of `check` and of `all` for one source that both must reject with exit 1."""
    path = write(tmp_path, front, body)
    outputs = []
    for command in ("check", "all"):
        result = run(command, path, tmp_path)
        assert result.exit_code == 1, (command, result.output)
        assert "Traceback" not in result.output
        outputs.append(result.output)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    return outputs[0], outputs[1]


# -- 1. an empty list is an error for every list-valued key ----------------------------------

@pytest.mark.parametrize("front, message", [
    ("issuer: 甲局\ndate: 2025-03-10\nseal: []", "5:7: error: 'seal' must be a path or a list of paths, not an empty list"),
    ("kind: 纪要\nissuer: 甲局\nattendees: []", "5:12: error: 'attendees' must be a name or a list of names, not an "
                                              "empty list"),
    ("kind: 纪要\nissuer: 甲局\nabsent: []", "5:9: error: 'absent' must be a name or a list of names, not an empty list"),
    ("kind: 纪要\nissuer: 甲局\nobservers: []", "5:12: error: 'observers' must be a name or a list of names, not an "
                                              "empty list"),
    ("kind: 令\nissuer: 甲局\nsignature_seal: []", "5:17: error: 'signature_seal' must be a path or a list of paths, "
                                                 "not an empty list"),
    ("kind: 令\nissuer: 甲局\nsigner_title: []", "5:15: error: 'signer_title' must be a 职务 or a list of them, not an "
                                               "empty list"),
    ("issuer: []", "3:9: error: 'issuer' must be a name or a list of names, not an empty list"),
    ("cc: []", "3:5: error: 'cc' must be a name or a list of names, not an empty list"),
    ("attachments: []", "3:14: error: 'attachments' must be a title or a list of titles, not an empty list"),
    ("kind: 请示\nissuer: 甲局\nsigner: []", "5:9: error: 'signer' must be a name or a list of names, not an empty list"),
    ("issuer: 甲局\nissuer_mark: []", "4:14: error: 'issuer_mark' must be a name or a list of names, not an empty list"),
    ("checks: []", "3:9: error: 'checks' must be a list of checks, not an empty list"),
])
def test_an_empty_list_is_a_located_error_from_check_and_all(tmp_path, front, message):
    path = tmp_path / "doc.md"
    checked, exported = check_and_all(tmp_path, front)
    expected = f"{path}:{message} (remove the key to leave it out)\n"
    assert checked.endswith(expected) and exported.endswith(expected)
    assert checked.count(": error: ") == 1 and exported.count(": error: ") == 1


# -- 3. a format contradicting the kind, a signer or a seal that would not be printed ---------

HEAD = "issuer: 某某县人民政府\ndate: 2025-03-10\ndoc_number: 某政〔2025〕1号\n"


@pytest.mark.parametrize("front, messages", [
    ("kind: 令\nformat: minutes\nsigner: 张某", [
        "7:9: error: 'format: minutes' contradicts 'kind: 令': a 令 is printed in the 命令 format ('format: order') "
        "(drop 'format' or change 'kind') [L1, M1, J1]",
        "8:1: error: 'signer' (签发人) is not printed in a 纪要: remove it (only a 上行文 in the document format and a "
        "命令 show a 签发人) [K11, M5]"]),
    ("format: letter\nkind: 令\nsigner: 张某", [
        "6:9: error: 'format: letter' contradicts 'kind: 令': a 令 is printed in the 命令 format ('format: order') "
        "(drop 'format' or change 'kind') [L1, M1, J1]",
        "8:1: error: 'signer' (签发人) is not printed in a 信函: remove it (only a 上行文 in the document format and a "
        "命令 show a 签发人) [K11, M5]"]),
    ("kind: 纪要\nformat: letter", [
        "7:9: error: 'format: letter' contradicts 'kind: 纪要': a 纪要 is printed in the 纪要 format "
        "('format: minutes') (drop 'format' or change 'kind') [L1, M1, J1]"]),
    ("kind: 通知\nformat: order", [
        "7:9: error: 'format: order' contradicts 'kind: 通知': the 命令 and 纪要 formats are only for a 命令 (令) and "
        "a 纪要, not a 通知 (drop 'format' or change 'kind') [L1, M1, J1]"]),
    ("kind: 请示\nformat: letter\nsigner: 张某", [
        "8:1: error: 'signer' (签发人) is not printed in a 信函: remove it (only a 上行文 in the document format and a "
        "命令 show a 签发人) [K11, M5]"]),
])
def test_a_format_contradicting_the_kind_and_an_unprinted_signer_are_errors(tmp_path, front, messages):
    path = tmp_path / "doc.md"
    for output in check_and_all(tmp_path, HEAD + front):
        assert [line for line in output.splitlines() if ": error: " in line] == [f"{path}:{m}" for m in messages]


def test_a_letter_may_carry_any_other_kind(tmp_path):
    path = write(tmp_path, HEAD + "kind: 通知\nformat: letter")
    result = run("check", path, tmp_path)
    assert result.exit_code == 0 and result.output == ""


def test_an_order_without_signer_is_a_check_warning(tmp_path):
    path = write(tmp_path, HEAD + "kind: 令")
    result = run("check", path, tmp_path)
    assert result.exit_code == 0
    assert result.output == (f"{path}:6:7: warning: the 署名 of a 命令 is its 签发人's 职务 and name: add 'signer' "
                             "(and 'signer_title') [M5]\n")


def test_a_seal_with_neither_issuer_nor_date_is_an_error(tmp_path):
    shutil.copy(FIXTURES / "seal.png", tmp_path / "seal.png")
    path = tmp_path / "doc.md"
    for output in check_and_all(tmp_path, "seal: seal.png"):
        assert output.endswith(f"{path}:3:1: error: a seal presses on the 署名 and the 成文日期, and there is neither: "
                               "it would not be printed; add 'issuer' and 'date' [G2, S3]\n")


# -- 2. a seal that passes `check` decodes in `all` ---------------------------------------------

def png_with_header(width: int, height: int) -> bytes:
    """A PNG's signature and IHDR claiming `width`×`height` 8-bit grey pixels, and no pixels."""
    import struct
    import zlib
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


def damaged_seal() -> bytes:
    """The fixture seal with its compressed pixels overwritten: header and chunk layout intact."""
    raw = bytearray((FIXTURES / "seal.png").read_bytes())
    start = raw.index(b"IDAT") + 4
    raw[start + 2:start + 60] = bytes(range(58))
    return bytes(raw)


SEALED = "issuer: 甲县人民政府\ndate: 2025-03-10\n"


@pytest.mark.parametrize("key, front, seal, message", [
    ("seal", SEALED + "seal: s.png", png_with_header(100000, 100000),
     "5:7: error: seal 's.png' is 100000×100000 pixels; at most 16000000 are read ([seal] max_pixels; a 42 mm seal "
     "at 600 dpi is about 1000×1000)"),
    ("seal", SEALED + "seal: s.png", png_with_header(4001, 4000),
     "5:7: error: seal 's.png' is 4001×4000 pixels; at most 16000000 are read ([seal] max_pixels; a 42 mm seal "
     "at 600 dpi is about 1000×1000)"),
    ("seal", SEALED + "seal: s.png", damaged_seal(),
     "5:7: error: seal 's.png' is a damaged PNG: its image data cannot be decoded (truncated or corrupt)"),
    ("seal", SEALED + "seal: s.png", (FIXTURES / "seal.png").read_bytes()[:400],
     "5:7: error: seal 's.png' is a damaged PNG: its image data cannot be decoded (truncated or corrupt)"),
    ("signature_seal", SEALED + "kind: 令\ndoc_number: 第1号\nsigner: 张三\nsigner_title: 县长\nsignature_seal: s.png",
     damaged_seal(),
     "9:17: error: signature_seal 's.png' is a damaged PNG: its image data cannot be decoded (truncated or corrupt)"),
])
def test_a_seal_too_large_in_pixels_or_undecodable_is_an_error_at_its_value(tmp_path, key, front, seal, message):
    (tmp_path / "s.png").write_bytes(seal)
    path = tmp_path / "doc.md"
    for output in check_and_all(tmp_path, front):
        assert [line for line in output.splitlines() if ": error: " in line] == [f"{path}:{message}"]


def test_the_pixel_limit_is_the_profiles_and_pillows_bomb_warning_is_never_printed(tmp_path):
    from PIL import Image
    # 9500×9500 is over Pillow's own warning threshold (89,478,485 pixels); one bit a pixel keeps it small.
    Image.new("1", (9500, 9500)).save(tmp_path / "s.png")
    (tmp_path / "big.toml").write_text('extends = "gbt9704"\n\n[seal]\nmax_pixels = 100000000\n', encoding="utf-8")
    path = write(tmp_path, SEALED + "profile: big.toml\nseal: s.png")
    # A process of its own: pytest would catch the warning that the command must not print.
    proc = subprocess.run([sys.executable, "-m", "exporter", "check", str(path)], capture_output=True, text=True)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


# -- 4. attachments -------------------------------------------------------------------------------

NOTICE = "kind: 通知\nissuer: 某某县人民政府\ndate: 2025-03-10"


def attachments_source(tmp_path, divs: str):
    return write(tmp_path, NOTICE, "正文一段。\n\n" + divs)


def test_a_long_attachment_title_and_a_closing_marker_on_the_opening_line_are_errors(tmp_path):
    long_title = "很长的标题" * 60
    path = tmp_path / "doc.md"
    for output in check_and_all(tmp_path, NOTICE, f"正文一段。\n\n::: attachment {long_title}\n\n内容。\n\n:::\n\n"
                                                 "::: attachment 甲 :::\n\n内容。\n\n:::\n"):
        assert [line for line in output.splitlines() if ": error: " in line] == [
            f"{path}:10:1: error: attachment title has 300 characters; at most 255 fit, as for the document's title",
            f"{path}:16:1: error: the closing ':::' of an attachment goes on a line of its own, after its last "
            "paragraph, not on the '::: attachment 标题' line"]


def test_an_empty_attachment_and_two_with_one_title_are_check_warnings(tmp_path):
    path = attachments_source(tmp_path, "::: attachment 甲\n\n:::\n\n::: attachment 乙\n\n内容。\n\n:::\n\n"
                                        "::: attachment 乙\n\n内容。\n\n:::\n")
    result = run("check", path, tmp_path)
    assert result.exit_code == 0
    assert result.output == (
        f"{path}:10:1: warning: attachment '甲' is empty: it prints a page with its label and title only [F8]\n"
        f"{path}:20:1: warning: attachment '乙' has the same title as the one at line 14: the 附件说明 lists both "
        "alike [F11]\n")


def test_an_attachment_title_is_unescaped_as_the_body_is(tmp_path):
    from exporter.reader import read_source
    path = attachments_source(tmp_path, "::: attachment \\[试行\\] 办法\n\n内容。\n\n:::\n")
    assert run("check", path, tmp_path).output == ""
    document = read_source(path).document
    assert [a.title for a in document.attachments] == ["[试行] 办法"]
    assert document.meta.attachments == ("[试行] 办法",)


def test_a_marker_line_inside_a_table_fence_does_not_close_the_attachment(tmp_path):
    path = tmp_path / "doc.md"
    table = '```table {#t1 caption="表" unit="件" labels=1}\n| 项目 | 数 {#n} |\n|---|---|\n:::\n| 甲 {#a} | 5 |\n```\n'
    for output in check_and_all(tmp_path, NOTICE, f"正文一段。\n\n::: attachment 表\n\n{table}\n后文。\n\n:::\n"):
        # The ':::' is a line of the table, read (and refused) by the table reader; the attachment goes on.
        assert [line for line in output.splitlines() if ": error: " in line] == [
            f"{path}:15:1: error: a line in a table is a row ('| … |') or, after the rows, a note ('注：…')"]


# -- 5. where a seal file may be ----------------------------------------------------------------

def test_a_seal_outside_the_source_folder_or_absolute_is_read(tmp_path):
    from exporter.reader import read_source
    library = tmp_path / "印章库"
    library.mkdir()
    shutil.copy(FIXTURES / "seal.png", library / "county.png")
    sources = tmp_path / "sources"
    sources.mkdir()
    for written in ("../印章库/county.png", str(library / "county.png")):
        path = write(sources, SEALED + f"seal: {written}")
        assert run("check", path, tmp_path).output == ""
        assert read_source(path).document.meta.seal_png == (FIXTURES / "seal.png").read_bytes()


def test_a_seal_that_is_a_device_a_fifo_or_a_folder_is_refused_unopened(tmp_path):
    import os
    os.mkfifo(tmp_path / "fifo.png")            # opening it would wait for a writer forever
    (tmp_path / "zero.png").symlink_to("/dev/zero")
    (tmp_path / "folder.png").mkdir()
    path = tmp_path / "doc.md"
    for name in ("fifo.png", "zero.png", "folder.png", "/dev/null"):
        for output in check_and_all(tmp_path, SEALED + f"seal: {name}"):
            assert [line for line in output.splitlines() if ": error: " in line] == [
                f"{path}:5:7: error: seal '{name}' is not a regular file (a folder, a device or a FIFO)"]


def test_a_missing_absolute_seal_path_is_not_called_relative(tmp_path):
    missing = tmp_path / "无.png"
    path = tmp_path / "doc.md"
    for output in check_and_all(tmp_path, SEALED + f"seal: {missing}"):
        assert output.endswith(f"{path}:5:7: error: seal '{missing}' not found\n")
