"""The front-matter keys of the special formats (信函, 命令, 纪要), the seal and the 主送 in the 版记:
what they become, each wrong value a located error, and the warnings `exporter check` gives
for what a format or a seal needs besides itself (reference material shared/spec/gbt9704-kinds.md
§5–§8; gbt9704.md D6, G2)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from exporter.cli import main
from exporter.diagnostics import SourceError
from exporter.furniture import furniture
from exporter.reader import read_source
from support.paths import FIXTURES


def write(tmp_path, front: str):
    path = tmp_path / "doc.md"
    path.write_text(f"---\ntitle: 关于某事的函\n{front}\n---\n\n正文。\n", encoding="utf-8")
    return path


def read(tmp_path, front: str):
    return read_source(write(tmp_path, front))


def messages(result) -> list[str]:
    return [f"{d.pos.line}:{d.pos.column}: {d.severity}: {d.message}" for d in result.warnings]


def errors(tmp_path, front: str) -> list[str]:
    with pytest.raises(SourceError) as caught:
        read(tmp_path, front)
    return [f"{d.pos.line}:{d.pos.column}: {d.severity}: {d.message}" for d in caught.value.diagnostics]


def test_letter_mark_is_the_host_alone(tmp_path):
    result = read(tmp_path, "kind: 函\nformat: letter\nissuer: [甲县司法局, 甲县财政局]\n"
                            "doc_number: 甲司函〔2025〕1号\ndate: 2025-01-02")
    head = furniture(result.document.meta, result.profile).head
    assert head.style == "letter" and head.mark_text == "甲县司法局"        # [L1]
    assert messages(result) == []


def test_kind_implies_the_order_and_minutes_formats(tmp_path):
    order = read(tmp_path, "kind: 令\nissuer: 甲县人民政府\ndoc_number: 第1号\nsigner: 县长　张三\ndate: 2025-01-02")
    printed = furniture(order.document.meta, order.profile)
    assert printed.head.mark_text == "甲县人民政府令" and printed.title_lines == ()   # [M1, M4]
    assert printed.signoff_lines == ("县长　张三",)
    minutes = read(tmp_path, "kind: 纪要\nissuer: 甲县人民政府\nissuer_mark: 甲县人民政府常务会议纪要\n"
                             "attendees: [张三, 李四]\nobservers: [王五]\ndate: 2025-01-02")
    printed = furniture(minutes.document.meta, minutes.profile)
    assert printed.head.mark_text == "甲县人民政府常务会议纪要"
    assert printed.minutes_lists == (("出席：", "张三、李四"), ("列席：", "王五"))   # 请假 empty: not printed [J3]


def test_unknown_format_and_lists_outside_a_minutes_are_located_errors(tmp_path):
    assert errors(tmp_path, "issuer: 甲\nformat: memo") == [
        "4:9: error: 'format' must be one of letter, order, minutes, not 'memo'"]
    assert errors(tmp_path, "issuer: 甲\nattendees: [张三]") == [
        "4:1: error: 'attendees' is printed only in a 纪要: set 'kind: 纪要' or 'format: minutes' [J2]"]
    assert errors(tmp_path, "issuer: 甲\nrecipients_in_record: yes please") == [
        "4:23: error: 'recipients_in_record' must be true or false"]


def test_seal_missing_not_png_or_too_big_is_an_error_at_its_value(tmp_path):
    assert errors(tmp_path, "issuer: 甲\ndate: 2025-01-02\nseal: 印章.png") == [
        "5:7: error: seal '印章.png' not found (a path relative to the source)"]
    (tmp_path / "fake.png").write_bytes(b"GIF89a not a png")
    assert errors(tmp_path, "issuer: 甲\ndate: 2025-01-02\nseal: fake.png") == [
        "5:7: error: seal 'fake.png' is not a PNG image"]
    (tmp_path / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2 * 1024 * 1024))
    assert errors(tmp_path, "issuer: 甲\ndate: 2025-01-02\nseal: big.png") == [
        f"5:7: error: seal 'big.png' is {2 * 1024 * 1024 + 8} bytes; at most 2097152 are read (a seal is a small PNG)"]


def test_seal_is_read_relative_to_the_source(tmp_path):
    shutil.copy(FIXTURES / "seal.png", tmp_path / "seal.png")
    result = read(tmp_path, "issuer: 甲县人民政府\ndate: 2025-01-02\nseal: seal.png")
    printed = furniture(result.document.meta, result.profile)
    assert printed.sealed and printed.seal_png == (FIXTURES / "seal.png").read_bytes()


def test_recipients_move_to_the_record_when_too_long_or_when_asked(tmp_path):
    short = read(tmp_path, "issuer: 甲\nrecipients: 各乡（镇）人民政府")
    assert furniture(short.document.meta, short.profile).record_recipients is None
    asked = read(tmp_path, "issuer: 甲\nrecipients: 各乡（镇）人民政府\nrecipients_in_record: true")
    printed = furniture(asked.document.meta, asked.profile)
    assert printed.recipients is None and printed.record_recipients == "主送：各乡（镇）人民政府"   # [D6]
    # More than [recipients] max_head_lines (3) lines of 28 characters: to the record by itself.
    long = "、".join(f"第{n}单位" for n in range(1, 30))
    moved = read(tmp_path, f"issuer: 甲\nrecipients: {long}")
    assert furniture(moved.document.meta, moved.profile).record_recipients == "主送：" + long
    kept = read(tmp_path, f"issuer: 甲\nrecipients: {long}\nrecipients_in_record: false")
    assert furniture(kept.document.meta, kept.profile).record_recipients is None


def test_check_warns_for_what_a_format_or_a_seal_needs(tmp_path):
    shutil.copy(FIXTURES / "seal.png", tmp_path / "seal.png")
    path = write(tmp_path, "kind: 纪要\nissuer: 甲县人民政府\nseal: seal.png")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0
    out = result.output
    assert f"{path}:3:7: warning: a 纪要 lists who attended: add 'attendees' (出席) [J2]" in out
    assert "a 纪要 needs its 纪要标志: add 'issuer_mark'" in out
    assert f"{path}:5:7: warning: a seal presses on the 成文日期: add 'date' [G2, S3]" in out


# -- joint seals [S5] and the 命令's 签名章 [M5, S9] -------------------------------------------

def copy_seals(tmp_path) -> None:
    for name in ("seal.png", "seal-2.png", "signature-seal.png"):
        shutil.copy(FIXTURES / name, tmp_path / name)


def test_seal_list_is_one_png_per_issuer_in_their_order(tmp_path):
    copy_seals(tmp_path)
    result = read(tmp_path, "issuer: [甲县人民政府, 甲县司法局]\ndate: 2025-01-02\nseal: [seal.png, seal-2.png]")
    printed = furniture(result.document.meta, result.profile)
    assert printed.joint_seal_pngs == ((FIXTURES / "seal.png").read_bytes(), (FIXTURES / "seal-2.png").read_bytes())
    assert printed.sealed and messages(result) == []


def test_seal_count_not_matching_the_issuers_is_an_error_at_the_value_via_the_cli(tmp_path):
    copy_seals(tmp_path)
    path = write(tmp_path, "issuer: [甲县人民政府, 甲县司法局]\ndate: 2025-01-02\nseal: [seal.png, seal-2.png, seal.png]")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert (f"{path}:5:7: error: 3 seals for 2 issuer(s): a joint document carries one seal per issuer, in the "
            "issuers' order [S5]") in result.output


def test_a_bad_seal_among_several_is_located_at_its_own_item(tmp_path):
    copy_seals(tmp_path)
    assert errors(tmp_path, "issuer: [甲, 乙]\ndate: 2025-01-02\nseal: [seal.png, 无.png]") == [
        "5:18: error: seal '无.png' not found (a path relative to the source)"]


def test_check_warns_when_several_issuers_share_one_seal(tmp_path):
    copy_seals(tmp_path)
    result = read(tmp_path, "issuer: [甲县人民政府, 甲县司法局]\ndate: 2025-01-02\nseal: seal.png")
    assert messages(result) == [
        "5:7: warning: one seal for 2 issuers: a joint document carries one seal per issuer, side by side; give "
        "'seal' as a list in the issuers' order [S5]"]


ORDER = "kind: 令\nissuer: 甲县人民政府\ndoc_number: 第1号\ndate: 2025-01-02\n"


def test_order_signature_seal_goes_with_its_title(tmp_path):
    copy_seals(tmp_path)
    result = read(tmp_path, ORDER + "signer: 张三\nsigner_title: 县长\nsignature_seal: signature-seal.png")
    printed = furniture(result.document.meta, result.profile)
    assert printed.signature_seals == (("县长", (FIXTURES / "signature-seal.png").read_bytes()),)
    assert printed.signoff_lines == () and printed.co_issuers == ()
    unsealed = read(tmp_path, ORDER + "signer: 张三\nsigner_title: 县长")
    assert furniture(unsealed.document.meta, unsealed.profile).signoff_lines == ("县长　张三",)   # [M5]


@pytest.mark.parametrize("front, message", [
    ("signer: 张三\nseal: seal.png",
     "8:1: error: a 命令 is signed with its 签发人's 签名章, not the issuer's seal: use 'signature_seal' and "
     "'signer_title' [M5, S9]"),
    ("signer: 张三\nsignature_seal: signature-seal.png",
     "8:1: error: a 签名章 is printed with the 签发人's 职务 to its left: add 'signer_title' [S9]"),
    ("signer_title: [县长, 副县长]\nsignature_seal: signature-seal.png",
     "8:17: error: 1 签名章 for 2 职务: one 签名章 per 'signer_title', in order [M5, S9]"),
    ("signer: [张三, 李四]\nsigner_title: 县长",
     "8:15: error: 1 职务 for 2 签发人: one 'signer_title' per 'signer', in order [M5]"),
    ("signer_title: 县长",
     "7:1: error: a 职务 is printed with the 签发人's name or 签名章: add 'signer' or 'signature_seal' [M5, S9]"),
])
def test_order_signoff_mistakes_are_located_errors(tmp_path, front, message):
    copy_seals(tmp_path)
    assert errors(tmp_path, ORDER + front) == [message]


def test_signer_title_and_signature_seal_belong_to_a_command(tmp_path):
    copy_seals(tmp_path)
    assert errors(tmp_path, "issuer: 甲\nsigner_title: 县长") == [
        "4:1: error: 'signer_title' is printed only in a 命令's sign-off: set 'kind: 令' or 'format: order' [M5, S9]"]
