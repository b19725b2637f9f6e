"""Joint sealed sign-offs (one seal per issuer, side by side) and the 命令's 签名章 sign-off in the
PDF, measured on the produced file: image boxes of the seals, their gaps and order, the 署名
under each and the date under the last (reference material shared/spec/gbt9704-kinds.md §8 S5,
S6, S9; §6 M5; §9 联合行文). Positions are PDF points from the page's top-left corner."""

from __future__ import annotations

import io
import itertools
import shutil

import pdfplumber
import pytest

from exporter.reader import read_source
from support.paths import FIXTURES, ROOT
from support.pdf import CELL, LEFT, PITCH, RIGHT, TextLine, text_lines, write_pdf

MM = 72 / 25.4
DIAMETER = 42 * MM          # templates/gbt9704.toml [seal] diameter_mm [S11]
GAP = 3 * MM                # [seal] joint_gap_mm [S5, S6]
NAMES = ["某某县人民政府", "某某县司法局", "某某县财政局", "某某县教育局", "某某县公安局"]


def made_pdf(path):
    result = read_source(path)
    assert result.document is not None
    data = write_pdf(result.document, result.profile)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        images = [sorted(p.images, key=lambda i: (round(i["top"]), i["x0"])) for p in pdf.pages]
    return data, text_lines(data), images


def joint_source(tmp_path, names: list[str], seals: list[str], name: str = "joint.md"):
    for png in ("seal.png", "seal-2.png"):
        shutil.copy(FIXTURES / png, tmp_path / png)
    path = tmp_path / name
    path.write_text(f"---\ntitle: 联合通知\nkind: 通知\nissuer: [{', '.join(names)}]\ndate: 2025-04-08\n"
                    f"seal: [{', '.join(seals)}]\n---\n\n正文一段。\n", encoding="utf-8")
    return path


def exactly(lines: list[TextLine], text: str) -> TextLine:
    return next(ln for ln in lines if ln.text.replace(" ", "") == text)


def words_on(lines: list[TextLine], name: str) -> dict:
    """The chars of one 署名 (the last body-size line holding it: the title may name the issuers
    too, the 版记 is 4号) on a line that may hold several."""
    for line in reversed(lines):
        text = line.text
        if line.size != 16:
            continue
        at = text.find(name)
        if at >= 0:
            chars = line.chars[at:at + len(name)]
            return {"x0": chars[0]["x0"], "x1": chars[-1]["x1"], "top": min(c["top"] for c in chars),
                    "bottom": max(c["bottom"] for c in chars), "baseline": line.baseline}
    raise AssertionError(name)


def centre_x(box: dict) -> float:
    return (box["x0"] + box["x1"]) / 2


def touch(a: dict, b: dict) -> bool:
    return not (a["x1"] < b["x0"] or b["x1"] < a["x0"] or a["bottom"] < b["top"] or b["bottom"] < a["top"])


@pytest.fixture(scope="module")
def example():
    return made_pdf(ROOT / "source" / "joint-notice-example.md")


def test_two_issuers_two_seals_side_by_side_host_first_date_under_the_last(example):
    _, lines, images = example
    (page,) = [number for number, drawn in enumerate(images, start=1) if drawn]
    seals = images[page - 1]
    lines = [ln for ln in lines if ln.page == page]
    assert len(seals) == 2                                                   # one per issuer [S5]
    left, right = sorted(seals, key=lambda i: i["x0"])
    for seal in seals:
        assert seal["x1"] - seal["x0"] == pytest.approx(DIAMETER, abs=0.1)
        assert LEFT <= seal["x0"] and seal["x1"] <= RIGHT                   # inside the 版心 [S5]
    assert left["top"] == pytest.approx(right["top"], abs=0.01)              # one row, aligned
    assert right["x0"] - left["x1"] == pytest.approx(GAP, abs=0.1)           # neither intersect nor touch [S5]
    host, other = words_on(lines, "某某县人民政府"), words_on(lines, "某某县司法局")
    assert host["baseline"] == other["baseline"] and host["x1"] < other["x0"]    # side by side, host left
    assert centre_x(host) == pytest.approx(centre_x(left), abs=1.0)          # each seal over its own 署名
    assert centre_x(other) == pytest.approx(centre_x(right), abs=1.0)
    date = exactly(lines, "2025年4月8日")
    assert date.x1 == pytest.approx(RIGHT - 4 * CELL, abs=1.0)               # 右空四字
    assert (date.x0 + date.x1) / 2 == pytest.approx(centre_x(right), abs=1.0)   # the last seal over the date
    assert host["baseline"] < date.baseline < right["bottom"]                # the date under them, covered
    assert date.baseline - host["baseline"] == pytest.approx(PITCH, abs=0.1)
    # Both discs press on their 署名: the seal's box spans the 署名 line, centre a little above it.
    for seal, name in ((left, host), (right, other)):
        assert seal["top"] < name["top"] and name["bottom"] < seal["bottom"]
    body_bottom = max(ln.baseline for ln in lines if "报送县司法局" in ln.text)
    assert body_bottom < left["top"] <= body_bottom + PITCH                  # first row within one line [S5]


def test_the_seals_are_the_given_images_in_issuer_order(tmp_path):
    # Swapping the PNGs in the source swaps the images drawn; the first stays over the host.
    straight = made_pdf(joint_source(tmp_path, NAMES[:2], ["seal.png", "seal-2.png"], "a.md"))[2][0]
    swapped = made_pdf(joint_source(tmp_path, NAMES[:2], ["seal-2.png", "seal.png"], "b.md"))[2][0]
    size = lambda image: image["stream"].get_data()   # noqa: E731  (the decoded pixels)
    assert [size(i) for i in straight] == [size(i) for i in reversed(swapped)]
    assert size(straight[0]) != size(straight[1])


@pytest.mark.parametrize("count, rows", [(3, [3]), (4, [2, 2]), (5, [3, 2])])
def test_three_or_more_seals_go_in_balanced_rows_right_aligned_never_touching(tmp_path, count, rows):
    seals = ["seal.png" if k % 2 == 0 else "seal-2.png" for k in range(count)]
    _, lines, images = made_pdf(joint_source(tmp_path, NAMES[:count], seals))
    drawn = images[0]
    assert len(drawn) == count
    tops = sorted({round(i["top"], 1) for i in drawn})
    grouped = [sorted((i for i in drawn if round(i["top"], 1) == top), key=lambda i: i["x0"]) for top in tops]
    assert [len(row) for row in grouped] == rows                             # at most 3 a row [S6]
    for a, b in itertools.combinations(drawn, 2):
        assert not touch(a, b)                                               # [S5]
    for image in drawn:
        assert LEFT <= image["x0"] and image["x1"] <= RIGHT
    # Rows right-aligned: the columns line up, the last seal in each row over the date's column.
    date = exactly(lines, "2025年4月8日")
    for row in grouped:
        assert centre_x(row[-1]) == pytest.approx((date.x0 + date.x1) / 2, abs=1.0)
        for a, b in zip(row, row[1:]):
            assert b["x0"] - a["x1"] == pytest.approx(GAP, abs=0.1)
    # Issuer order: left to right, then down; each 署名 under its own seal.
    ordered = [i for row in grouped for i in row]
    for name, seal in zip(NAMES[:count], ordered):
        box = words_on(lines, name)
        assert centre_x(box) == pytest.approx(centre_x(seal), abs=1.0)
        assert seal["top"] < box["top"] < seal["bottom"]
    assert date.baseline > max(words_on(lines, n)["baseline"] for n in NAMES[:count])
    assert ordered[-1]["top"] < date.baseline - 10 < ordered[-1]["bottom"]   # the last seal covers the date


@pytest.mark.parametrize("names, rows", [
    (["某某县市场监督管理局", "某某县司法行政管理局", "某某县财政国库支付局"], 2),                # 2 + 1
    (["某某省某某市某某县市场监管局", "某某省某某市某某县司法行政局", "某某省某某市某某县财政局"], 3),  # one a row
])
def test_wide_signatures_take_fewer_seals_a_row_so_no_two_touch(tmp_path, names, rows):
    _, lines, images = made_pdf(joint_source(tmp_path, names, ["seal.png", "seal-2.png", "seal.png"]))
    tops = sorted({round(i["top"], 1) for i in images[0]})
    assert len(tops) == rows                                                 # not 3 in a row
    boxes = [words_on(lines, n) for n in names]
    for a, b in itertools.combinations(boxes, 2):
        assert not touch(a, b)
    assert all(LEFT <= b["x0"] and b["x1"] <= RIGHT for b in boxes)


def test_joint_sealed_output_is_reproducible(example):
    data, _, _ = example
    assert made_pdf(ROOT / "source" / "joint-notice-example.md")[0] == data


# -- 命令: 职务 and 签名章 [M5, S9] -------------------------------------------------------------

def order_source(tmp_path, extra: str):
    shutil.copy(FIXTURES / "signature-seal.png", tmp_path / "signature-seal.png")
    path = tmp_path / "order.md"
    path.write_text("---\ntitle: 某某县人民政府令（第3号）\nkind: 令\nissuer: 某某县人民政府\ndoc_number: 第3号\n"
                    f"date: 2025-07-01\n{extra}---\n\n《某某县行政规范性文件管理办法》现予公布，自2025年8月1日起施行。\n",
                    encoding="utf-8")
    return path


def test_order_signature_seal_right_four_title_two_left_date_one_blank_line_below(tmp_path):
    _, lines, images = made_pdf(order_source(
        tmp_path, "signer: 张某某\nsigner_title: 县长\nsignature_seal: signature-seal.png\n"))
    (stamp,) = images[0]
    assert stamp["x1"] == pytest.approx(RIGHT - 4 * CELL, abs=1.0)           # 签名章 右空四字 [S9]
    assert stamp["bottom"] - stamp["top"] == pytest.approx(15 * MM, abs=0.1)  # [order] signature_seal_height_mm
    title = exactly(lines, "县长")
    assert stamp["x0"] - title.x1 == pytest.approx(2 * CELL, abs=1.0)        # 职务 2字 to its left
    title_centre = (min(c["top"] for c in title.chars) + max(c["bottom"] for c in title.chars)) / 2
    assert title_centre == pytest.approx((stamp["top"] + stamp["bottom"]) / 2, abs=1.0)   # centred on it
    assert not any("张某某" in ln.text for ln in lines)                     # the name is on the 签名章
    body_bottom = max(c["bottom"] for ln in lines if "施行" in ln.text for c in ln.chars)
    assert stamp["top"] - body_bottom >= 2 * PITCH - 1                       # 下空二行 [S9]
    date = exactly(lines, "2025年7月1日")
    assert date.x1 == pytest.approx(RIGHT - 4 * CELL, abs=1.0)               # 右空四字
    date_top = min(c["top"] for c in date.chars)
    assert PITCH - 1 <= date_top - stamp["bottom"] <= 3 * PITCH              # one blank line below [S9]


def test_joint_order_stacks_each_title_and_signature_seal_aligned(tmp_path):
    shutil.copy(FIXTURES / "seal.png", tmp_path / "seal.png")
    _, lines, images = made_pdf(order_source(
        tmp_path, "issuer_mark: 某某县人民政府　某某县司法局\nsigner_title: [某某县人民政府县长, 某某县司法局局长]\n"
                  "signature_seal: [signature-seal.png, seal.png]\n"))
    first, second = images[0]
    assert first["x1"] == pytest.approx(second["x1"], abs=0.1)               # aligned on the host's [S9]
    assert first["bottom"] < second["top"]                                   # one issuer below the other
    host, other = exactly(lines, "某某县人民政府县长"), exactly(lines, "某某县司法局局长")
    assert host.baseline < other.baseline and host.x1 == pytest.approx(other.x1, abs=0.5)


def test_order_without_signature_seal_keeps_the_signer_lines(tmp_path):
    # signer_title + signer print as "职务　name", exactly where a signer written that way goes.
    _, split, images = made_pdf(order_source(tmp_path, "signer: 张某某\nsigner_title: 县长\n"))
    _, joined, _ = made_pdf(order_source(tmp_path, "signer: 县长　张某某\n"))
    assert images == [[]]
    line = exactly(split, "县长　张某某")
    assert (line.x0, line.x1, line.baseline) == pytest.approx(
        (exactly(joined, "县长　张某某").x0, exactly(joined, "县长　张某某").x1, exactly(joined, "县长　张某某").baseline))
