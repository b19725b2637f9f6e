"""The 版头 in the PDF, measured on the produced file: where each element sits, its font and its
colour (the reference material shared/spec/gbt9704-kinds.md §2, K2–K16). Positions are PDF points from the page's
top-left corner; ±1 mm is GB/T 9704 6.1's tolerance."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from exporter.reader import read_source
from support.paths import FIXTURES, ROOT
from support.pdf import CELL, LEFT, PITCH, RIGHT, TOP, TextLine, text_lines, write_pdf

MM = 72 / 25.4
CENTRE = (LEFT + RIGHT) / 2
RED = (0.0, 1.0, 1.0, 0.0)      # templates/gbt9704.toml [colors] red_cmyk
SOURCES = {
    "notice": ROOT / "source" / "notice-example.md",
    "request": ROOT / "source" / "request-example.md",
    "joint": FIXTURES / "head-joint.md",
    "headless": FIXTURES / "full-furniture.md",
}


@pytest.fixture(scope="module")
def made() -> dict[str, tuple[bytes, list[TextLine], list[dict], list[dict]]]:
    out = {}
    for name, path in SOURCES.items():
        result = read_source(path)
        assert result.document is not None, result.diagnostics
        data = write_pdf(result.document, result.profile)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page = pdf.pages[0]
            chars, lines = list(page.chars), list(page.lines) + list(page.rects)
        out[name] = (data, [ln for ln in text_lines(data) if ln.page == 1], chars, lines)
    return out


def line_with(lines: list[TextLine], text: str) -> TextLine:
    return next(ln for ln in lines if text in ln.text)


def top(line: TextLine) -> float:
    return min(c["top"] for c in line.chars)


def bottom(line: TextLine) -> float:
    return max(c["bottom"] for c in line.chars)


def red_rules(lines: list[dict]) -> list[dict]:
    return [ln for ln in lines if tuple(ln.get("stroking_color") or ()) == RED]


def test_mark_is_cmyk_red_small_biao_song_35_mm_below_the_type_area_and_centred(made):
    _, lines, _, _ = made["notice"]
    mark = line_with(lines, "某某县人民政府文件")
    assert mark.text == "某某县人民政府文件"
    for char in mark.chars:
        # CMYK, never RGB [G5]
        assert tuple(char["non_stroking_color"]) == RED
    assert mark.size == 36.0
    assert top(mark) == pytest.approx(TOP + 35 * MM, abs=1 * MM)               # [K7]
    assert (mark.x0 + mark.x1) / 2 == pytest.approx(CENTRE, abs=1 * MM)
    assert any("Noto" in f or "XiaoBiaoSong" in f or "小标宋" in f for f in mark.fonts())


def test_document_number_is_centred_two_lines_below_the_mark(made):
    _, lines, _, _ = made["notice"]
    mark = line_with(lines, "某某县人民政府文件")
    number = line_with(lines, "某政发〔2025〕5号")
    assert number.text == "某政发〔2025〕5号"
    assert number.size == 16.0
    assert (number.x0 + number.x1) / 2 == pytest.approx(CENTRE, abs=1 * MM)   # [K10]
    assert 2 * PITCH <= top(number) - bottom(mark) <= 3 * PITCH
    assert all(tuple(c["non_stroking_color"]) == (0, 0, 0, 1) for c in number.chars)


def test_separator_is_red_as_wide_as_the_type_area_4_mm_below_the_number(made):
    _, lines, _, drawn = made["notice"]
    number = line_with(lines, "某政发〔2025〕5号")
    rules = red_rules(drawn)
    assert len(rules) == 1
    rule = rules[0]
    assert rule["x0"] == pytest.approx(LEFT, abs=0.5) and rule["x1"] == pytest.approx(RIGHT, abs=0.5)  # [K14]
    thickness = rule.get("linewidth") or 0
    assert rule["top"] - thickness / 2 - bottom(number) == pytest.approx(4 * MM, abs=1 * MM)
    title = line_with(lines, "某某县人民政府关于做好")
    assert top(title) - rule["top"] >= 2 * PITCH                                  # [K15]


def test_corner_fields_stack_flush_left_in_their_fonts(made):
    _, lines, _, _ = made["joint"]
    copy, secret, urgency = (line_with(lines, text) for text in ("000003", "秘密★1年", "特急"))
    for field in (copy, secret, urgency):
        assert field.x0 == pytest.approx(LEFT, abs=0.5)                          # [K2]
        assert field.size == 16.0
    assert copy.text == "000003"                                                  # [K3]
    assert copy.baseline < secret.baseline < urgency.baseline
    assert secret.baseline - copy.baseline == pytest.approx(PITCH, abs=0.1)
    assert top(copy) == pytest.approx(TOP, abs=PITCH / 2)
    for field in (secret, urgency):                                               # [K4, K5] 黑体
        assert all("Hei" in c["fontname"] for c in field.chars if c["text"] in "秘密特急")
    assert top(line_with(lines, "某某县人民政府")) == pytest.approx(TOP + 35 * MM, abs=1 * MM)


def test_joint_mark_stacks_the_issuers_host_first_with_wenjian_centred_on_them(made):
    _, lines, _, _ = made["joint"]
    marks = [ln for ln in lines if all(tuple(c["non_stroking_color"]) == RED for c in ln.chars)]
    names = "".join(ln.text for ln in marks)
    assert names.startswith("某某县人民政府")                                       # [K8] host first
    wenjian = [c for ln in marks for c in ln.chars if c["text"] in "文件"]
    name_chars = [c for ln in marks for c in ln.chars if c["text"] not in "文件"]
    block_top = min(c["top"] for c in name_chars)
    block_bottom = max(c["bottom"] for c in name_chars)
    assert (min(c["top"] for c in wenjian) + max(c["bottom"] for c in wenjian)) / 2 == pytest.approx(
        (block_top + block_bottom) / 2, abs=1 * MM)
    assert min(c["x0"] for c in wenjian) > max(c["x1"] for c in name_chars)
    rows = sorted({round(c["top"], 1) for c in name_chars})
    assert len(rows) == 3
    lefts = [min(c["x0"] for c in name_chars if round(c["top"], 1) == r) for r in rows]
    rights = [max(c["x1"] for c in name_chars if round(c["top"], 1) == r) for r in rows]
    assert max(lefts) - min(lefts) < 0.5 and max(rights) - min(rights) < 0.5    # 分散对齐 to one width


def test_upward_number_left_and_signer_right_on_one_line(made):
    _, lines, _, _ = made["request"]
    line = line_with(lines, "某政请〔2025〕2号")
    number = [c for c in line.chars if c["x0"] < CENTRE]
    signer = [c for c in line.chars if c["x0"] > CENTRE]
    assert "".join(c["text"] for c in number) == "某政请〔2025〕2号"
    assert "".join(c["text"] for c in signer) == "签发人：王某某"                  # [K11, K12]
    assert number[0]["x0"] == pytest.approx(LEFT + CELL, abs=1 * MM)             # 左空一字
    assert signer[-1]["x1"] == pytest.approx(RIGHT - CELL, abs=1 * MM)           # 右空一字
    label_fonts = {c["fontname"] for c in signer if c["text"] in "签发人："}
    name_fonts = {c["fontname"] for c in signer if c["text"] in "王某"}
    assert all("Kai" in f or "楷" in f for f in name_fonts)                      # names in 楷体
    assert not any("Kai" in f for f in label_fonts)                               # the label in 仿宋


def test_several_signers_two_a_line_number_on_the_last(made):
    _, lines, _, drawn = made["joint"]
    first = line_with(lines, "签发人")
    last = line_with(lines, "某政请〔2025〕7号")
    assert "".join(c["text"] for c in first.chars) == "签发人：王某某李某"        # [K13]
    assert last.baseline - first.baseline == pytest.approx(PITCH, abs=0.1)
    name_x = next(c for c in first.chars if c["text"] == "王")["x0"]
    assert next(c for c in last.chars if c["text"] == "赵")["x0"] == pytest.approx(name_x, abs=0.5)
    rule = red_rules(drawn)[0]
    assert rule["top"] > bottom(last)                                             # the rule moves down with them


def test_a_document_without_a_head_has_no_red(made):
    data, lines, chars, drawn = made["headless"]
    assert not red_rules(drawn)
    assert all(tuple(c["non_stroking_color"]) != RED for c in chars)
    assert "某政报〔2025〕3号" not in "".join(ln.text for ln in lines)
