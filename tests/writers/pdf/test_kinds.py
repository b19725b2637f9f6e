"""信函, 命令 and 纪要 formats, the seal, the 主送 in the 版记 and the joint 署名 in the PDF, measured
on the produced file (reference material shared/spec/gbt9704-kinds.md §5 L, §6 M, §7 J, §8 S;
gbt9704.md D6, G1, G2). Positions are PDF points from the page's top-left corner; ±1 mm is
GB/T 9704 6.1's tolerance."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from exporter.reader import read_source
from support.paths import FIXTURES, ROOT
from support.pdf import CELL, LEFT, PAGE_H, PITCH, RIGHT, TOP, TextLine, text_lines, write_pdf
from support.sources import variant

MM = 72 / 25.4
CENTRE = (LEFT + RIGHT) / 2
RED = (0.0, 1.0, 1.0, 0.0)      # templates/gbt9704.toml [colors] red_cmyk
SOURCES = {
    "letter": ROOT / "source" / "letter-example.md",
    "minutes": ROOT / "source" / "minutes-example.md",
    "order": ROOT / "source" / "order-example.md",
    "sealed": FIXTURES / "sealed-joint.md",
}


def made_pdf(path):
    result = read_source(path)
    assert result.document is not None
    data = write_pdf(result.document, result.profile)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [(list(p.chars), list(p.lines) + list(p.rects), list(p.images)) for p in pdf.pages]
    return data, text_lines(data), pages


@pytest.fixture(scope="module")
def made():
    return {name: made_pdf(path) for name, path in SOURCES.items()}


def line_with(lines: list[TextLine], text: str, page: int | None = None) -> TextLine:
    return next(ln for ln in lines if text in ln.text and (page is None or ln.page == page))


def exactly(lines: list[TextLine], text: str) -> TextLine:
    return next(ln for ln in lines if ln.text == text)


def red_rules(lines: list[dict]) -> list[dict]:
    return sorted((ln for ln in lines if tuple(ln.get("stroking_color") or ()) == RED), key=lambda ln: ln["top"])


# -- 信函格式 [L1–L11] --------------------------------------------------------------------------

def test_letter_mark_is_the_issuer_alone_red_30_mm_below_the_page_top_and_centred(made):
    _, lines, pages = made["letter"]
    mark = line_with(lines, "某某县司法局", page=1)
    assert mark.text == "某某县司法局"                               # no 文件 [L1]
    assert all(tuple(c["non_stroking_color"]) == RED for c in mark.chars)
    assert mark.size == pytest.approx(26.0)                         # [letter] mark_size_pt
    assert min(c["top"] for c in mark.chars) == pytest.approx(30 * MM, abs=1 * MM)   # [L2]: 756.85 from the bottom
    assert (mark.x0 + mark.x1) / 2 == pytest.approx(CENTRE, abs=1.0)


def test_letter_double_lines_are_red_170_mm_thick_over_thin_above_thin_over_thick_below(made):
    _, lines, pages = made["letter"]
    rules = red_rules(pages[0][1])
    assert len(rules) == 4
    mark_bottom = 30 * MM + 26.0
    upper_thick, upper_thin, lower_thin, lower_thick = rules
    for rule in rules:
        assert rule["x0"] == pytest.approx(59.53, abs=1 * MM) and rule["x1"] == pytest.approx(541.42, abs=1 * MM)  # [L3]
        assert rule["x1"] - rule["x0"] == pytest.approx(170 * MM, abs=0.1)
    assert upper_thick["linewidth"] > upper_thin["linewidth"]       # 上粗下细 [L3]
    assert lower_thick["linewidth"] > lower_thin["linewidth"]       # 上细下粗 [L4]
    assert upper_thick["top"] - upper_thick["linewidth"] / 2 == pytest.approx(mark_bottom + 4 * MM, abs=1 * MM)
    # The lower double line's bottom edge 20 mm above the page's bottom edge [L4].
    assert lower_thick["top"] + lower_thick["linewidth"] / 2 == pytest.approx(PAGE_H - 20 * MM, abs=0.5)
    # On the first page only [L12].
    assert all(not red_rules(p[1]) for p in pages[1:])


def test_letter_doc_number_flush_right_14_pt_under_the_line_and_no_page_number_on_page_one(made):
    data, lines, pages = made["letter"]
    rules = red_rules(pages[0][1])
    line_bottom = rules[1]["top"] + rules[1]["linewidth"] / 2
    number = line_with(lines, "某司函〔2025〕7号", page=1)
    assert number.x1 == pytest.approx(RIGHT, abs=1.0)               # no 1字 indent [L7]
    em_top = number.baseline - 16.0 * 0.88
    assert em_top == pytest.approx(line_bottom + 14.0, abs=2.0)     # [L6, L7]
    title = line_with(lines, "关于商请协助", page=1)
    assert title.baseline > number.baseline + 2 * PITCH             # 相距二行 [L8]
    assert not any(ln.text.startswith("—") for ln in lines if ln.page == 1)     # [L10]


def test_letter_imprint_has_no_rules(tmp_path):
    text = (ROOT / "source" / "letter-example.md").read_text(encoding="utf-8").replace(
        "region: 某某省", "cc: [县人民政府办公室]\nregion: 某某省")
    path = tmp_path / "letter.md"
    path.write_text(text, encoding="utf-8")
    _, lines, pages = made_pdf(path)
    assert any("抄送：县人民政府办公室。" in ln.text for ln in lines)
    black = [ln for ln in pages[-1][1] if tuple(ln.get("stroking_color") or ()) != RED]
    assert black == []                                              # [L11]


# -- 命令（令）格式 [M1–M5] -------------------------------------------------------------------

def test_order_mark_is_issuer_and_ling_20_mm_below_the_type_area_with_its_number_centred(made):
    _, lines, pages = made["order"]
    mark = line_with(lines, "某某县人民政府令", page=1)
    assert mark.text == "某某县人民政府令"                           # [M1]
    assert all(tuple(c["non_stroking_color"]) == RED for c in mark.chars)
    mark_top = min(c["top"] for c in mark.chars)
    assert mark_top == pytest.approx(TOP + 20 * MM, abs=1 * MM)     # [M2]: 680.31 from the bottom
    number = line_with(lines, "第3号", page=1)
    assert (number.x0 + number.x1) / 2 == pytest.approx(CENTRE, abs=1.0)   # [M3]
    assert number.baseline - mark.baseline > 2 * PITCH              # two blank lines [M3]
    assert red_rules(pages[0][1]) == []                             # no 分隔线
    assert not any("（第3号）" in ln.text for ln in lines)           # no separate title [M4]
    body = line_with(lines, "管理办法", page=1)
    assert body.baseline - number.baseline == pytest.approx(3 * PITCH, abs=0.5)   # 正文 two blank lines below [M4]


def test_order_signer_and_date_are_four_characters_in_from_the_right(made):
    _, lines, _ = made["order"]
    signer = line_with(lines, "张某某")
    date = line_with(lines, "2025年7月1日")
    assert signer.x1 == pytest.approx(RIGHT - 4 * CELL, abs=3.0)     # [M5, S9] 右空四字
    assert date.x1 == pytest.approx(RIGHT - 4 * CELL, abs=3.0)
    assert date.baseline - signer.baseline == pytest.approx(2 * PITCH, abs=0.5)   # one blank line between


# -- 纪要格式 [J1–J3] --------------------------------------------------------------------------

def test_minutes_mark_red_35_mm_below_the_type_area(made):
    _, lines, _ = made["minutes"]
    mark = line_with(lines, "某某县人民政府常务会议纪要", page=1)
    assert mark.text == "某某县人民政府常务会议纪要"                   # [J1]
    assert all(tuple(c["non_stroking_color"]) == RED for c in mark.chars)
    assert min(c["top"] for c in mark.chars) == pytest.approx(TOP + 35 * MM, abs=1 * MM)


def test_minutes_lists_in_order_labels_in_hei_two_characters_in_wrapped_under_the_first_name(made):
    _, lines, _ = made["minutes"]
    attend = line_with(lines, "出席：")
    absent = line_with(lines, "请假：")
    observe = line_with(lines, "列席：")
    assert attend.baseline < absent.baseline < observe.baseline     # 出席, 请假, 列席 [J3]
    last_body = max((ln for ln in lines if "以上。" in ln.text), key=lambda ln: (ln.page, ln.baseline))
    if attend.page == last_body.page:
        assert attend.baseline - last_body.baseline == pytest.approx(2 * PITCH, abs=0.5)   # one blank line [J2]
    for line in (attend, absent, observe):
        label = [c for c in line.chars[:3]]
        assert "".join(c["text"] for c in label) == line.text[:3]
        assert all("Hei" in c["fontname"] or "hei" in c["fontname"].lower() for c in label[:2])   # 黑体 [J2]
        assert not any("Hei" in c["fontname"] for c in line.chars[3:])                           # names 仿宋
        assert line.x0 == pytest.approx(LEFT + 2 * CELL, abs=1.0)                               # 左空二字
    wrapped = next(ln for ln in lines if ln.page == attend.page and ln.baseline == pytest.approx(attend.baseline + PITCH, abs=0.5))
    assert wrapped.x0 == pytest.approx(attend.chars[3]["x0"], abs=1.0)   # under the first name [J2]


# -- 印章 [G2, S3], 主送 in the 版记 [D6], joint 署名 [S8] ------------------------------------

def test_seal_is_centred_on_the_date_over_the_signature_within_one_line_of_the_text(made):
    _, lines, pages = made["sealed"]
    images = pages[0][2]
    assert len(images) == 1
    seal = images[0]
    date = line_with(lines, "2025年9月1日")
    host = exactly(lines, "某某县人民政府")
    assert date.x1 == pytest.approx(RIGHT - 4 * CELL, abs=3.0)              # 右空四字 [G2]: 457.6
    date_centre = (date.x0 + date.x1) / 2
    assert (seal["x0"] + seal["x1"]) / 2 == pytest.approx(date_centre, abs=3.0)
    assert (host.x0 + host.x1) / 2 == pytest.approx(date_centre, abs=3.0)    # 署名 centred on the date
    assert seal["x1"] - seal["x0"] == pytest.approx(42 * MM, abs=0.1)        # [seal] diameter_mm
    body_bottom = max(ln.baseline for ln in lines if "认真组织实施" in ln.text) + 16 * 0.12
    assert body_bottom - PITCH <= seal["top"] <= body_bottom + PITCH         # within one line [G2, S3]
    seal_centre = (seal["top"] + seal["bottom"]) / 2
    # The disc presses on the 署名 and on the date [S3].
    assert seal["top"] < min(c["top"] for c in host.chars) and seal["bottom"] > min(c["top"] for c in date.chars)
    assert seal_centre < (host.baseline + date.baseline) / 2                 # 居印章中心偏下 [S3]


def test_recipients_too_long_for_the_head_go_to_the_record_above_cc(made):
    _, lines, _ = made["sealed"]
    assert not any(ln.text.startswith("各乡") for ln in lines)
    recipients = line_with(lines, "主送：各乡")
    cc = line_with(lines, "抄送：")
    assert recipients.page == cc.page and recipients.baseline < cc.baseline  # [D6, H3]
    assert recipients.size == pytest.approx(14.0)


def test_without_the_seal_the_joint_signature_is_one_issuer_a_line_aligned_on_the_host(tmp_path):
    path = tmp_path / "sealed-joint.md"
    path.write_text((FIXTURES / "sealed-joint.md").read_text(encoding="utf-8").replace("seal: seal.png\n", ""),
                    encoding="utf-8")
    _, lines, pages = made_pdf(path)
    assert all(not p[2] for p in pages)
    host = exactly(lines, "某某县人民政府")
    other = exactly(lines, "某某县司法局")
    date = line_with(lines, "2025年9月1日")
    assert host.baseline < other.baseline < date.baseline                    # host first, downward [S8]
    assert other.x0 == pytest.approx(host.x0, abs=0.5)                      # aligned with the host
    # The longer of the longest 署名 and the date is 右空二字 [G1] (here the date).
    assert max(host.x1, date.x1) == pytest.approx(RIGHT - 2 * CELL, abs=3.0)
    assert date.x0 - host.x0 == pytest.approx(2 * CELL, abs=3.0)            # date 2字 right [G1]


def test_sealed_output_is_reproducible(made):
    data, _, _ = made["sealed"]
    assert made_pdf(SOURCES["sealed"])[0] == data


def test_letter_note_breaks_after_the_phone_number_hyphen_as_libreoffice_does(made):
    # "0000-0000000）" does not go down whole, leaving "（联系人：…电话：" stretched over the line;
    # the .docx rendered by LibreOffice breaks after "0000-" too (measured).
    _, lines, _ = made["letter"]
    first = line_with(lines, "联系人")
    assert first.text.replace(" ", "").endswith("电话：0000-")
    assert line_with(lines, "0000000）").baseline == pytest.approx(first.baseline + PITCH, abs=0.5)
    gaps = [b["x0"] - a["x1"] for a, b in zip(first.chars, first.chars[1:])]
    assert max(gaps) < 2.0                                   # no letter gaps of a character's width


def test_letter_text_keeps_14_pt_from_the_lower_double_line(tmp_path):
    # [L9] A full first page: its last line is the lowest text above the lower double line.
    text = (SOURCES["letter"].read_text(encoding="utf-8").split("\n---\n")[0] + "\n---\n\n"
            # One-line paragraphs, which widow control never moves: the first page fills to its last line.
            + "\n\n".join("为提高行政执法质量，我局拟组织开展案卷交叉评查。" for _ in range(30)) + "\n")
    path = tmp_path / "long-letter.md"
    path.write_text(text, encoding="utf-8")
    _, _, pages = made_pdf(path)
    chars, strokes, _ = pages[0]
    lower_top = red_rules(strokes)[-2]["top"] - red_rules(strokes)[-2]["linewidth"] / 2   # thin over thick
    lowest = max(c["bottom"] for c in chars if c["size"] == pytest.approx(16) and c["top"] < lower_top)
    assert lowest > PAGE_H - 35 * MM - PITCH                 # the page is full down to the 版心's last line
    assert lower_top - lowest >= 14.0
