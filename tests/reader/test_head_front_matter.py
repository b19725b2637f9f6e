"""The 版头 keys of the front matter: what they become, and each wrong value a located error
(the reference material shared/spec/gbt9704-kinds.md §2)."""

from __future__ import annotations

import pytest

from exporter.diagnostics import SourceError
from exporter.furniture import furniture
from exporter.reader import read_source


def read(tmp_path, front: str):
    path = tmp_path / "doc.md"
    path.write_text(f"---\ntitle: 关于某事的通知\n{front}\n---\n\n正文。\n", encoding="utf-8")
    return read_source(path)


def messages(result) -> list[str]:
    return [f"{d.pos.line}:{d.pos.column}: {d.severity}: {d.message}" for d in result.warnings]


def errors(tmp_path, front: str) -> list[str]:
    with pytest.raises(SourceError) as caught:
        read(tmp_path, front)
    return [f"{d.pos.line}:{d.pos.column}: {d.severity}: {d.message}" for d in caught.value.diagnostics]


def test_full_head_is_read_and_printed_as_the_standard_writes_it(tmp_path):
    result = read(tmp_path, "kind: 请示\nissuer: [甲县人民政府, 甲县财政局]\ndoc_number: 甲政请〔2025〕1号\n"
                            "signer: [张三, 李四]\ndate: 2025-01-02\ncopy_number: 7\nsecret: 机密\nsecret_period: 1年\nurgency: 特急")
    assert result.document is not None, messages(result)
    meta = result.document.meta
    assert meta.head and meta.direction == "up" and meta.issuer == "甲县人民政府"
    head = furniture(meta, result.profile).head
    assert head.copy_number == "000007"                                    # [K3]
    assert head.secret == "机密★1年"                                       # [K4]
    assert head.urgency == "特急"
    assert head.mark_names == ("甲县人民政府", "甲县财政局") and head.mark_suffix == "文件"  # [K6, K8]
    assert head.upward and head.signer_lines == (("张三", "李四"),)
    assert head.corner == ((0, "000007", "body"), (1, "机密★1年", "head_label"), (2, "特急", "head_label"))
    assert not [m for m in messages(result) if "warning" in m]


def test_issuer_mark_text_is_printed_as_written(tmp_path):
    result = read(tmp_path, "head: true\nissuer: 甲县人民政府\nissuer_mark: 甲县人民政府\ndoc_number: 甲政发〔2025〕3号")
    head = furniture(result.document.meta, result.profile).head
    assert head.mark_text == "甲县人民政府" and head.mark_suffix == ""       # name alone, no 文件 [K6]
    assert not head.upward and head.signer_lines == ()


def test_no_head_unless_asked(tmp_path):
    result = read(tmp_path, "issuer: 甲县人民政府\ndoc_number: 甲政发〔2025〕3号")
    assert furniture(result.document.meta, result.profile).head is None


@pytest.mark.parametrize("front, where, fragment", [
    ("head: true\nissuer: 甲\nsigner: 张三", "5:1", "'signer' (签发人) is printed only on a 上行文"),
    ("kind: 请示\nissuer: 甲\nsecret: 绝对机密", "5:9", "'secret' (密级) must be one of 绝密、机密、秘密"),
    ("issuer: 甲\nurgency: 很急", "4:10", "must be one of 特急、加急"),
    ("issuer: 甲\ncopy_number: 1234567", "4:14", "must be a number of 1 to 6 digits"),
    ("issuer: 甲\ncopy_number: 00a1", "4:14", "must be a number of 1 to 6 digits"),
    ("issuer: 甲\nsecret_period: 1年", "4:1", "'secret_period' (保密期限) needs 'secret'"),
    ("kind: 公函\nissuer: 甲", "3:7", "unknown 文种 'kind: 公函' (did you mean '函'?)"),
    ("direction: upward\nissuer: 甲", "3:12", "'direction' must be one of up, down, parallel"),
    ("head: false\nissuer: 甲\nurgency: 特急", "5:1", "'urgency' is printed in the 版头, which 'head: false' turns off"),
    ("head: true", "3:1", "the 版头 needs the 发文机关标志"),
])
def test_wrong_head_values_are_located_errors(tmp_path, front, where, fragment):
    found = errors(tmp_path, front)
    assert any(m.startswith(f"{where}: error: ") and fragment in m for m in found), found


@pytest.mark.parametrize("front, fragment", [
    ("head: true\nissuer: 甲", "the 版头 has no 发文字号"),
    ("head: true\nissuer: 甲\ndoc_number: 甲政发〔2025〕第03号", "is not 机关代字〔year〕N号"),
    ("head: true\nissuer: 甲\ndoc_number: 甲政发[2025]3号", "is not 机关代字〔year〕N号"),
    ("issuer: 甲\ndoc_number: 甲政发〔2025〕3号\nsecret: 秘密", "must carry a 份号"),
    ("kind: 请示\nhead: true\nissuer: 甲\ndoc_number: 甲政请〔2025〕3号", "a 上行文 shows its 签发人"),
    ("kind: 请示\nissuer: [甲, 乙]\ndoc_number: 甲政请〔2025〕3号\nsigner: 张三", "1 签发人 for 2 issuers"),
    ("kind: 通知\nissuer: 甲", "has a 署名 ('issuer') but no 成文日期"),
])
def test_incomplete_head_warns(tmp_path, front, fragment):
    result = read(tmp_path, front)
    assert result.document is not None, messages(result)
    assert any(": warning: " in m and fragment in m for m in messages(result)), messages(result)
