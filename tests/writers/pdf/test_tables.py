"""Tables in the PDF, read back from the produced file: ruled lines at the cell boundaries,
merged cells, text inside its cell, alignment, the head repeated after a page break, whole
rows, landscape tables (gbt9704-kinds T1–T4), reading order and fonts per role."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from fontTools.ttLib import TTFont

from exporter.model import CellKind, Table
from support.paths import FIXTURES, ROOT
from support.pdf import LEFT, PAGE_H, PAGE_W, PITCH, RIGHT, TOP, text_lines, write_pdf
from support.tables import pdf_document_with, pdf_hand_table

T3_ONLY = FIXTURES / "gov-info-t3-only.md"
GOV_INFO = ROOT / "source" / "gov-info-2023.md"
TOLERANCE = 0.05


def read_with_tables(path: Path):
    from exporter.reader import read_source

    result = read_source(path)
    return result.document, result.profile


def table_of(document, table_id: str) -> Table:
    return next(b for b in document.blocks if isinstance(b, Table) and b.id == table_id)


@pytest.fixture(scope="module")
def t3(tmp_path_factory):
    document, profile = read_with_tables(T3_ONLY)
    data = write_pdf(document, profile)
    path = tmp_path_factory.mktemp("t3") / "t3.pdf"
    path.write_bytes(data)
    return document, profile, data, path


@pytest.fixture(scope="module")
def gov(tmp_path_factory):
    document, profile = read_with_tables(GOV_INFO)
    data = write_pdf(document, profile)
    path = tmp_path_factory.mktemp("gov") / "gov.pdf"
    path.write_bytes(data)
    return document, profile, data, path


def page_lines(data: bytes, number: int) -> list[dict]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return list(pdf.pages[number - 1].lines)


def page_chars(data: bytes, number: int) -> list[dict]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return list(pdf.pages[number - 1].chars)


def split(lines: list[dict]) -> tuple[list[dict], list[dict]]:
    horizontal = [ln for ln in lines if abs(ln["top"] - ln["bottom"]) < 1e-6]
    vertical = [ln for ln in lines if abs(ln["x0"] - ln["x1"]) < 1e-6]
    assert len(horizontal) + len(vertical) == len(lines)
    return horizontal, vertical


def column_edges(vertical: list[dict]) -> list[float]:
    return sorted({round(ln["x0"], 2) for ln in vertical})


def table_pages(data: bytes) -> list[int]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [n for n, page in enumerate(pdf.pages, start=1) if page.lines]


def no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_table_is_ruled_at_its_column_and_row_boundaries(t3):
    document, profile, data, _ = t3
    table = table_of(document, "t3")
    horizontal, vertical = split(page_lines(data, 1))
    edges = column_edges(vertical)
    assert len(edges) == table.column_count + 1
    assert edges[0] == pytest.approx(LEFT, abs=TOLERANCE) and edges[-1] == pytest.approx(RIGHT, abs=TOLERANCE)
    outer = [ln for ln in horizontal + vertical if ln["linewidth"] == profile.table.outer_rule_pt]
    inner = [ln for ln in horizontal + vertical if ln["linewidth"] == profile.table.inner_rule_pt]
    assert len(outer) == 4 and len(outer) + len(inner) == len(horizontal) + len(vertical)
    top = min(ln["top"] for ln in outer)
    bottom = max(ln["top"] for ln in outer)
    # Every row boundary of the head is ruled: below 申请人情况 (columns 4–10 only: the corner
    # cell spans three head rows), below 法人或其他组织 (columns 5–9), and under the head.
    rows = sorted({round(ln["top"], 2) for ln in horizontal if top + 0.1 < ln["top"] < bottom - 0.1})
    first, second, head_bottom = rows[:3]
    assert [(round(ln["x0"], 2), round(ln["x1"], 2)) for ln in horizontal if round(ln["top"], 2) == first] == \
        [(edges[3], edges[10])]
    assert [(round(ln["x0"], 2), round(ln["x1"], 2)) for ln in horizontal if round(ln["top"], 2) == second] == \
        [(edges[4], edges[9])]
    assert [(round(ln["x0"], 2), round(ln["x1"], 2)) for ln in horizontal if round(ln["top"], 2) == head_bottom] == \
        [(edges[0], edges[10])]
    # Vertical rules reach from the top only where a head cell ends.
    from_top = sorted(round(ln["x0"], 2) for ln in vertical if abs(ln["top"] - top) < 0.1)
    assert from_top == [edges[0], edges[3], edges[10]]


def test_merged_cells_have_no_rule_inside_them(t3):
    document, _profile, data, _ = t3
    horizontal, vertical = split(page_lines(data, 1))
    edges = column_edges(vertical)
    top = min(ln["top"] for ln in horizontal)
    head_bottom = sorted({round(ln["top"], 2) for ln in horizontal})[3]
    corner = (edges[0], top, edges[3], head_bottom)        # the 3 × 3 corner cell
    for ln in horizontal:
        assert not (corner[1] + 0.1 < ln["top"] < corner[3] - 0.1 and ln["x0"] < corner[2] - 0.1), ln
    for ln in vertical:
        assert not (corner[0] + 0.1 < ln["x0"] < corner[2] - 0.1 and ln["top"] < corner[3] - 0.1), ln


@pytest.mark.parametrize("which", ["t3", "gov"])
def test_no_text_crosses_a_rule(which, request):
    """Every character lies inside its cell's box: no ruled line runs through it."""
    _document, _profile, data, _ = request.getfixturevalue(which)
    for page in table_pages(data):
        horizontal, vertical = split(page_lines(data, page))
        for char in page_chars(data, page):
            if not char["upright"]:
                continue
            middle_y = (char["top"] + char["bottom"]) / 2
            middle_x = (char["x0"] + char["x1"]) / 2
            for ln in vertical:
                if ln["top"] <= middle_y <= ln["bottom"]:
                    assert not char["x0"] + 0.01 < ln["x0"] < char["x1"] - 0.01, (page, char["text"], ln["x0"])
            for ln in horizontal:
                if ln["x0"] <= middle_x <= ln["x1"]:
                    assert not char["top"] + 0.01 < ln["top"] < char["bottom"] - 0.01, (page, char["text"], ln["top"])


def test_figures_are_centred_in_their_columns_as_the_profile_says(t3):
    document, profile, data, _ = t3
    assert profile.table.number_alignment == "center"
    _horizontal, vertical = split(page_lines(data, 1))
    edges = column_edges(vertical)
    # The figures of a row share a baseline (the label beside them wraps onto two lines).
    row = next(ln for ln in text_lines(data) if ln.page == 1 and no_space(ln.text).startswith("168"))
    groups: list[list[dict]] = []
    for char in row.chars:
        if groups and char["x0"] - groups[-1][-1]["x1"] < 3:
            groups[-1].append(char)
        else:
            groups.append([char])
    assert ["".join(c["text"] for c in g) for g in groups] == ["168", "12", "0", "1", "4", "1", "186"]
    centres = [(g[0]["x0"] + g[-1]["x1"]) / 2 for g in groups]
    for column, centre in zip(range(3, 10), centres):
        assert centre == pytest.approx((edges[column] + edges[column + 1]) / 2, abs=0.05)


def test_labels_are_left_aligned_inside_the_padding(t3):
    _document, profile, data, _ = t3
    _horizontal, vertical = split(page_lines(data, 1))
    edges = column_edges(vertical)
    row = next(ln for ln in text_lines(data) if ln.page == 1 and no_space(ln.text).startswith("一、本年新收"))
    padding = profile.table.cell_padding_mm * 72 / 25.4
    assert row.chars[0]["x0"] == pytest.approx(edges[0] + padding, abs=0.05)


def test_a_table_crossing_pages_repeats_its_head_and_never_splits_a_row(t3):
    document, _profile, data, path = t3
    table = table_of(document, "t3")
    pages = table_pages(data)
    assert len(pages) >= 2
    lines = text_lines(data)
    head_words = ["申请人情况", "法人或其他组织"]
    for page in pages:
        text = no_space("".join(ln.text for ln in lines if ln.page == page))
        for word in head_words:
            assert word in text, (page, word)
        # Each page's table is closed by outer rules at its top and bottom.
        horizontal, _ = split(page_lines(data, page))
        outer = sorted(ln["top"] for ln in horizontal if ln["linewidth"] == 1.0)
        assert len(outer) == 2
    # A row is whole on one page: the text of the cells starting in it, in order, is on exactly
    # one page (its label is never repeated: only cells spanning rows are).
    raw = {p: no_space(subprocess.run(["pdftotext", "-raw", "-f", str(p), "-l", str(p), str(path), "-"],
                                      capture_output=True, text=True, check=True).stdout) for p in pages}
    for row in table.rows()[table.header_rows:]:
        text = "".join(no_space(c.text) for c in row if c.row_span == 1)
        assert len([p for p in pages if text in raw[p]]) == 1, text


def test_the_first_body_row_of_a_continuation_page_follows_the_repeated_head(t3):
    _document, _profile, data, _ = t3
    pages = table_pages(data)
    for page in pages[1:]:
        horizontal, vertical = split(page_lines(data, page))
        top = min(ln["top"] for ln in horizontal)
        assert top == pytest.approx(TOP, abs=TOLERANCE)      # the piece starts at the 版心 top
        rows = sorted({round(ln["top"], 2) for ln in horizontal})
        first_page_rows = sorted({round(ln["top"], 2) for ln in split(page_lines(data, pages[0]))[0]})
        head_offsets = [r - rows[0] for r in rows[:4]]
        caption_top = first_page_rows[0]
        assert head_offsets == pytest.approx([r - caption_top for r in first_page_rows[:4]], abs=0.01)


def test_the_table_fits_the_text_block(gov):
    _document, _profile, data, _ = gov
    for page in table_pages(data):
        horizontal, vertical = split(page_lines(data, page))
        for ln in horizontal + vertical:
            assert LEFT - TOLERANCE <= ln["x0"] <= ln["x1"] <= RIGHT + TOLERANCE, (page, ln)
            assert TOP - TOLERANCE <= ln["top"] <= ln["bottom"] <= TOP + 22 * PITCH + TOLERANCE, (page, ln)


def test_a_landscape_table_is_drawn_in_the_rotated_frame_and_keeps_the_page_number(gov):
    document, _profile, data, path = gov
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages_ops: list[list[tuple[list[str], str]]] = []
    for page in reader.pages:
        ops = []
        text = page.get_contents().get_data().decode("latin-1")
        for operands, op in content_operators_of(text):
            ops.append((operands, op))
        pages_ops.append(ops)
    def turning(ops):
        return [[float(v) for v in operands] for operands, op in ops
                if op == "cm" and [float(v) for v in operands[:4]] != [1, 0, 0, 1]]

    rotated = [n for n, ops in enumerate(pages_ops, start=1) if turning(ops)]
    assert len(rotated) == 1
    number = rotated[0]
    [cm] = turning(pages_ops[number - 1])
    assert cm == pytest.approx([0, 1, -1, 0, 79.370, 99.213], abs=0.001)
    page = reader.pages[number - 1]
    assert [float(v) for v in page.mediabox] == pytest.approx([0, 0, PAGE_W, PAGE_H], abs=0.01)
    assert "/Rotate" not in page or page["/Rotate"] == 0
    # The page number is upright where every page of its parity has it.
    numbers = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for n, p in enumerate(pdf.pages, start=1):
            upright = [c for c in p.chars if c["upright"] and c["top"] > TOP + 22 * PITCH]
            numbers[n] = (round(min(c["x0"] for c in upright), 2), round(max(c["bottom"] for c in upright), 2),
                          "".join(c["text"] for c in upright))
        table_chars = [c for c in pdf.pages[number - 1].chars if c["top"] <= TOP + 22 * PITCH]
    assert table_chars and not any(c["upright"] for c in table_chars)
    assert numbers[number][2] == f"— {number} —"
    same_parity = [n for n in numbers if n % 2 == number % 2 and n != number]
    assert same_parity
    for other in same_parity:
        assert numbers[other][:2] == numbers[number][:2]
    # The t4 head faces the page's left edge: its first head row is nearest x = LEFT.
    t4_top = [c for c in table_chars if c["text"] in "行政复议"]
    assert min(c["x0"] for c in t4_top) < LEFT + 60


def content_operators_of(text: str):
    text = re.sub(r"\((?:\\.|[^\\)])*\)", "()", text)
    operands: list[str] = []
    for token in re.findall(r"/[^\s/\[\]()<>]+|\[|\]|\(\)|<[0-9A-Fa-f]*>|[^\s/\[\]()<>]+", text):
        if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", token) or token.startswith(("/", "(", "<", "[", "]")):
            operands.append(token)
        else:
            yield operands, token
            operands = []


def test_text_comes_out_row_by_row(t3):
    """pdftotext -raw (the content order a screen reader gets from an untagged PDF) gives the
    caption, the unit line, the head and then each row's cells left to right."""
    document, profile, data, path = t3
    table = table_of(document, "t3")
    raw = subprocess.run(["pdftotext", "-raw", "-f", "1", "-l", "1", str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    got = no_space(raw.replace("—1—", "").replace("— 1 —", ""))
    got = re.sub(r"—1—$", "", got)
    caption = profile.table.caption.format(n="1", caption=table.caption)
    expected = no_space(document.meta.title_text) + no_space(caption) + no_space(table.unit_line or "")
    ordered = sorted(table.cells, key=lambda c: (c.row, c.column))
    for cell in ordered:
        if cell.row < table.header_rows:
            expected += no_space(cell.text)
    assert got.startswith(expected), (got[:200], expected[:200])
    rest = got[len(expected):]
    body_rows = [sorted((c for c in ordered if c.row == r), key=lambda c: c.column)
                 for r in range(table.header_rows, table.row_count)]
    rows_seen = 0
    for row in body_rows:
        text = "".join(no_space(c.text) for c in row)
        if not rest.startswith(text):
            break
        rest = rest[len(text):]
        rows_seen += 1
    assert rows_seen >= 2 and rest == "", (rows_seen, rest[:80])


def ps_name(profile, role: str) -> str:
    from exporter.fonts import resolve_role

    face = resolve_role(profile.role(role)).face
    return TTFont(face.path, fontNumber=face.index, lazy=True)["name"].getDebugName(6)


def test_fonts_per_role(t3, gov):
    document, profile, data, path = t3
    head, body, caption = (ps_name(profile, r) for r in ("table_head", "table_body", "table_caption"))
    lines = {no_space(ln.text): ln for ln in text_lines(data) if ln.page == 1}

    def fonts_of(start: str) -> set[str]:
        found = [ln for text, ln in lines.items() if text.startswith(start)]
        assert found, start
        return {f for ln in found for f in ln.fonts()}

    assert all(f.startswith(head) for f in fonts_of("申请人情况"))
    assert all(f.startswith(body) for f in fonts_of("一、本年新收"))        # a row label
    # figures: digits in the Latin face with Times New Roman's metrics, as Word sets them
    assert all(f.startswith("LiberationSerif") for f in fonts_of("168"))
    assert all(f.startswith(body) for f in fonts_of("单位：件"))           # the unit line
    # the caption's number "1" is a digit in the Latin face; everything else in the caption face
    assert all(f.startswith(caption) or f.startswith("LiberationSerif") for f in fonts_of("表1"))
    assert any(f.startswith(caption) for f in fonts_of("表1"))
    assert head != body
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert head.split("-")[0] in rows and body.split("-")[0] in rows
    # t2's header bands (第二十条第（五）项 …) print in the head font.
    gov_doc, gov_profile, gov_data, _ = gov
    band_lines = [ln for ln in text_lines(gov_data) if no_space(ln.text).startswith("第二十条第（五）项")]
    assert band_lines and all(f.startswith(head) for ln in band_lines for f in ln.fonts())


def test_text_after_a_table_resumes_on_the_grid():
    table = pdf_hand_table("```table {#grid caption=\"表后文字\" labels=1}\n| 事项 | 数量 {#n} |\n|---|---|\n"
                           "| 甲 {#a} | 3 |\n| 乙 {#b} | 4 |\n```")
    document, profile = pdf_document_with(FIXTURES / "full-furniture.md", table, after=2)
    lines = text_lines(write_pdf(document, profile))
    last_cell = next(ln for ln in lines if no_space(ln.text).startswith("乙"))
    body = [ln for ln in lines if ln.size == 16.0 and ln.page == last_cell.page and TOP <= ln.baseline <= TOP + 22 * PITCH]
    after = [ln for ln in body if ln.baseline > last_cell.baseline]
    assert after and [ln for ln in body if ln.baseline < last_cell.baseline]
    offsets = [(ln.baseline - TOP) % PITCH for ln in body]
    assert max(offsets) - min(offsets) < 0.02, offsets


def test_the_heading_before_a_landscape_table_goes_onto_its_page(gov):
    """A heading is never left at the foot of the portrait page before a landscape table: it is
    set on the turned page, on its first grid line (next to the 版心's left edge), the table below."""
    _document, _profile, data, _path = gov
    heading = "四、政府信息公开行政复议、行政诉讼情况"
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [[c for c in p.chars if c["top"] <= TOP + 22 * PITCH] for p in pdf.pages]
    [number] = [n for n, chars in enumerate(pages) if chars and not any(c["upright"] for c in chars)]
    turned = pages[number]
    first_line = [c for c in turned if c["x0"] < LEFT + PITCH]
    # Turned clockwise, the heading reads from the bottom of the page up.
    assert "".join(c["text"] for c in sorted(first_line, key=lambda c: -c["top"])) == heading
    assert all(c["size"] == pytest.approx(16.0) for c in first_line)
    table = [c for c in turned if c["x0"] >= LEFT + PITCH]
    assert "行政复议" in "".join(c["text"] for c in sorted(table, key=lambda c: (c["x0"], -c["top"])))
    assert "行政诉讼情况" not in no_space("".join(c["text"] for c in pages[number - 1]))


def test_a_row_taller_than_a_page_is_cut_between_lines(tmp_path):
    long_label = "依法公开政府信息" * 160
    table = pdf_hand_table("```table {#tall caption=\"长行\" labels=1}\n| 事项 | 数量 {#n} |\n|---|---|\n"
                           f"| {long_label} {{#a}} | 3 |\n| 其他 {{#b}} | 4 |\n```")
    document, profile = pdf_document_with(FIXTURES / "full-furniture.md", table, after=2)
    data = write_pdf(document, profile)
    lines = text_lines(data)
    label_lines = [ln for ln in lines if "依法公开" in ln.text or "政府信息" in ln.text]
    assert re.sub(r"[\s\d]", "", "".join(ln.text for ln in label_lines)) == long_label
    pages = sorted({ln.page for ln in label_lines})
    assert len(pages) >= 2
    for page in pages[1:]:
        text = no_space("".join(ln.text for ln in lines if ln.page == page))
        assert "事项" in text and "数量" in text              # the head repeated above the rest


def test_widths_attribute_sets_the_column_widths(tmp_path):
    table = pdf_hand_table("```table {#w widths=\"3,1,1\" labels=1}\n| 项目 | 甲 {#a} | 乙 {#b} |\n|---|---|---|\n"
                           "| 行 {#r} | 1 | 2 |\n```")
    document, profile = pdf_document_with(FIXTURES / "full-furniture.md", table, after=2)
    data = write_pdf(document, profile)
    page = table_pages(data)[0]
    edges = column_edges(split(page_lines(data, page))[1])
    width = RIGHT - LEFT
    assert edges == pytest.approx([LEFT, LEFT + width * 3 / 5, LEFT + width * 4 / 5, RIGHT], abs=0.02)


def test_a_cell_spanning_rows_across_a_page_break_repeats_its_text(t3):
    document, _profile, data, path = t3
    pages = table_pages(data)
    raw = {p: no_space(subprocess.run(["pdftotext", "-raw", "-f", str(p), "-l", str(p), str(path), "-"],
                                      capture_output=True, text=True, check=True).stdout) for p in pages}
    # 三、本年度办理结果 spans the 22 result rows, which take more than one page.
    holding = [p for p in pages if "（一）予以公开" in raw[p] or "（七）总计" in raw[p] or "2.重复申请" in raw[p]]
    assert len(holding) >= 2
    assert all("三、本年度办理结果" in raw[p] for p in holding)


def test_a_header_band_never_ends_a_page(tmp_path):
    rows = []
    for group in range(1, 31):
        rows.append(f"| 第{group}组 | < |")
        rows.append("| 信息内容 | 数量 {#n} |")
        rows.append("|---|---|")
        rows.append(f"| 项目{group} {{#g{group}}} | {group} |")
    block = "```table {#bands labels=1}\n| 事项 | 数量 {#n} |\n|---|---|\n" + "\n".join(rows) + "\n```"
    document, profile = pdf_document_with(FIXTURES / "full-furniture.md", pdf_hand_table(block), after=2)
    data = write_pdf(document, profile)
    lines = text_lines(data)
    pages = [p for p in table_pages(data) if any(ln.page == p and no_space(ln.text) == "事项数量" for ln in lines)]
    assert len(pages) >= 2
    for page in pages:
        table_text = [no_space(ln.text) for ln in lines if ln.page == page and ln.size == 14.0 and TOP < ln.baseline
                      < TOP + 22 * PITCH]
        assert table_text[-1].startswith("项目") or table_text[-1].isdigit() or "项目" in table_text[-1], \
            (page, table_text[-3:])
