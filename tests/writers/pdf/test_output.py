"""The PDF as a print room and a reader see it: embedded subset fonts, A4 pages, K-only black,
page numbers, bookmarks, document information, extractable text, byte-identical output."""

from __future__ import annotations

import io
import re
import shutil

import pypdf
import pytest
from fontTools.ttLib import TTFont

from exporter import __version__
from exporter.diagnostics import FontError
from support.pdf import (
    BOTTOM, LEFT, PAGE_H, PAGE_W, RIGHT, content_operators, ink_rows, page_count, pdffonts, read_markdown,
    text_lines, write_pdf,
)

MM = 72 / 25.4


@pytest.fixture(scope="module")
def full_pdf(full_read, tmp_path_factory):
    document, profile = full_read
    data = write_pdf(document, profile)
    path = tmp_path_factory.mktemp("full") / "full.pdf"
    path.write_bytes(data)
    return document, profile, data, path


@pytest.fixture(scope="module")
def seed_pdf(seed_read, tmp_path_factory):
    document, profile = seed_read
    data = write_pdf(document, profile)
    path = tmp_path_factory.mktemp("seed") / "seed.pdf"
    path.write_bytes(data)
    return document, profile, data, path


def embedded_fonts(data: bytes) -> dict[str, dict]:
    """Every font dictionary used by any page, by BaseFont."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    return fonts


@pytest.mark.parametrize("which", ["full_pdf", "seed_pdf"])
def test_every_font_is_an_embedded_subset(which, request):
    document, profile, data, path = request.getfixturevalue(which)
    fonts = embedded_fonts(data)
    assert fonts
    for name, font in fonts.items():
        assert re.fullmatch(r"/[A-Z]{6}\+\S+", name), name                 # subset tag
        assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"], name                  # embedded
        assert "/ToUnicode" in font, name
    assert b"Helvetica" not in data and b"/Type1" not in data                 # reportlab's default font
    if shutil.which("pdffonts"):
        rows = pdffonts(path)
        assert rows and all(r["emb"] == "yes" and r["sub"] == "yes" and r["uni"] == "yes" for r in rows), rows
        assert not any("Helvetica" in r["name"] or r["type"].startswith("Type 1") for r in rows)


@pytest.mark.parametrize("which", ["full_pdf", "seed_pdf"])
def test_no_drawn_character_is_a_missing_glyph(which, request):
    """Every character drawn maps, in the embedded subset it is drawn with, to a real glyph and
    never to .notdef (the empty box)."""
    document, profile, data, path = request.getfixturevalue(which)
    programs = {}
    for name, font in embedded_fonts(data).items():
        program = TTFont(io.BytesIO(font["/FontDescriptor"]["/FontFile2"].get_data()))
        to_unicode = font["/ToUnicode"].get_data().decode("ascii")
        codes = {chr(int(u, 16)): int(c, 16) for c, u in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]{4})>", to_unicode)}
        programs[name[1:]] = (program["cmap"].getcmap(1, 0).cmap, program.getGlyphOrder()[0], codes)
    drawn = 0
    for line in text_lines(data):
        for char in line.chars:
            mapping, notdef, codes = programs[char["fontname"]]
            assert mapping.get(codes[char["text"]], notdef) != notdef, (char["text"], char["fontname"])
            drawn += 1
    assert drawn > 100


@pytest.mark.parametrize("which", ["full_pdf", "seed_pdf"])
def test_pages_are_a4(which, request):
    document, profile, data, path = request.getfixturevalue(which)
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        box = page.mediabox
        assert float(box.left) == 0 and float(box.bottom) == 0
        assert float(box.width) == pytest.approx(PAGE_W, abs=0.01)
        assert float(box.height) == pytest.approx(PAGE_H, abs=0.01)


@pytest.mark.parametrize("which", ["full_pdf", "seed_pdf"])
def test_black_is_cmyk_k_only(which, request):
    document, profile, data, path = request.getfixturevalue(which)
    colour_ops = [(args, op) for args, op in content_operators(data)
                  if op in {"rg", "RG", "g", "G", "k", "K", "sc", "SC", "scn", "SCN", "cs", "CS"}]
    assert colour_ops
    assert {op for _, op in colour_ops} <= {"k", "K"}
    assert all([float(v) for v in args] == [0, 0, 0, 1] for args, _ in colour_ops)


def test_page_numbers_text_and_position(seed_pdf):
    document, profile, data, path = seed_pdf
    lines = text_lines(data)
    numbers = [ln for ln in lines if ln.baseline > BOTTOM]
    assert [ln.text for ln in numbers] == [f"— {n} —" for n in range(1, page_count(data) + 1)]
    for number, line in enumerate(numbers, start=1):
        assert line.page == number and line.size == 14.0                      # 4号 [I1]
        assert {f.split("-")[0] for f in line.fonts()} == {"FandolSong"}      # 宋体 [C5]
        if number % 2:
            assert line.x1 == pytest.approx(RIGHT - 14, abs=1.0)            # odd: right, one 字 in [I2]
        else:
            assert line.x0 == pytest.approx(LEFT + 14, abs=1.0)             # even: left, one 字 in [I2]


@pytest.mark.parametrize("page", [1, 2])
def test_page_number_dash_ink_is_7_mm_below_the_type_area(full_pdf, page):
    document, profile, data, path = full_pdf
    line = next(ln for ln in text_lines(data) if ln.page == page and ln.baseline > BOTTOM)
    dash = line.chars[0]
    top, bottom = ink_rows(path, page, (dash["x0"] + 2, BOTTOM + 5, dash["x1"] - 2, BOTTOM + 40))
    assert (top + bottom) / 2 == pytest.approx(BOTTOM + 7 * MM, abs=1.5)       # [I3]


def test_outline_has_every_heading_with_its_number(full_pdf):
    document, profile, data, path = full_pdf
    reader = pypdf.PdfReader(io.BytesIO(data))

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield item.title, depth, reader.get_destination_page_number(item)

    entries = list(walk(reader.outline, 0))
    headings = list(document.headings())
    assert [title for title, _, _ in entries] == [h.printed for h in headings]
    assert [depth for _, depth, _ in entries] == [h.level - 1 for h in headings]
    lines = text_lines(data)
    for (title, _, page), heading in zip(entries, headings):
        assert any(ln.page == page + 1 and ln.text.startswith(title) for ln in lines), title


def test_document_information_and_viewer_settings(full_pdf):
    document, profile, data, path = full_pdf
    reader = pypdf.PdfReader(io.BytesIO(data))
    info = reader.metadata
    assert info.title == document.meta.title_text
    assert info.author == document.meta.issuer
    assert info.subject == document.meta.doc_number
    assert document.meta.region in info["/Keywords"]
    assert info.creator == f"exporter {__version__}"
    assert info["/CreationDate"].startswith("D:20250120")                     # the 成文日期, not the clock
    root = reader.trailer["/Root"]
    assert data.startswith(b"%PDF-1.4")                                       # /Lang needs 1.4
    assert root["/Lang"] == "zh-CN"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == pypdf.generic.BooleanObject(True)
    assert root["/PageMode"] == "/UseOutlines"


def expected_text(document, profile) -> str:
    meta = document.meta
    parts = list(meta.title)
    parts.append(meta.recipients or "")
    parts.extend(block.printed for block in document.blocks)
    for k, name in enumerate(meta.attachments, start=1):
        parts.append(("附件：" if k == 1 else "") + (f"{k}." if len(meta.attachments) > 1 else "") + name)
    if meta.issuer:
        parts.append(meta.issuer)
    if meta.date:
        parts.append(f"{meta.date.year}年{meta.date.month}月{meta.date.day}日")
    if meta.note:
        parts.append(f"（{meta.note}）")
    if meta.cc:
        parts.append("抄送：" + "，".join(meta.cc) + "。")
    if meta.printed_by:
        parts.append(meta.printed_by)
    if meta.printed_on:
        parts.append(f"{meta.printed_on.year}年{meta.printed_on.month}月{meta.printed_on.day}日印发")
    return re.sub(r"\s+", "", "".join(parts))


@pytest.mark.parametrize("which", ["full_pdf", "seed_pdf"])
def test_extracted_text_equals_the_models_text(which, request):
    document, profile, data, path = request.getfixturevalue(which)
    lines = [ln for ln in text_lines(data) if ln.baseline <= BOTTOM]
    plumber = re.sub(r"\s+", "", "".join(ln.text for ln in lines))
    assert plumber == expected_text(document, profile)
    reader = pypdf.PdfReader(io.BytesIO(data))
    extracted = "".join(page.extract_text() for page in reader.pages)
    extracted = re.sub(r"—\s*\d+\s*—", "", extracted)
    assert re.sub(r"\s+", "", extracted) == expected_text(document, profile)


def test_same_input_gives_the_same_bytes(full_read):
    document, profile = full_read
    assert write_pdf(document, profile) == write_pdf(document, profile)


def test_same_bytes_with_a_cold_or_a_warm_font_cache(tmp_path, monkeypatch):
    text = "---\ntitle: 缓存测试\nissuer: 某某县人民政府\n---\n\n冷缓存与热缓存生成的文件逐字节相同，2021年增长12.4%。\n"
    document, profile = read_markdown(tmp_path, text)
    monkeypatch.setenv("EXPORTER_FONT_CACHE", str(tmp_path / "cold"))
    from exporter.fonts import loader

    loader._load_converted.cache_clear()
    cold = write_pdf(document, profile)
    loader._load_converted.cache_clear()
    warm = write_pdf(document, profile)
    assert cold == warm


def test_reportlab_markup_characters_print_literally(tmp_path):
    text = "---\ntitle: 标记\n---\n\n公式 a&lt;b 与 \\<b\\>加粗\\</b\\> 以及 &amp;amp; 和 <![CDATA[x]]> 原样。\n"
    document, profile = read_markdown(tmp_path, text)
    lines = text_lines(write_pdf(document, profile))
    printed = "".join(ln.text for ln in lines if ln.baseline <= BOTTOM)
    assert document.blocks[0].text.replace(" ", "") in printed.replace(" ", "")
    assert "<b>" in printed


def test_a_character_no_font_has_is_an_error_naming_it(tmp_path):
    text = "---\ntitle: 缺字\n---\n\n第一段。\n\n这里有一个\U0010FFFD字。\n"
    document, profile = read_markdown(tmp_path, text)
    with pytest.raises(FontError) as raised:
        write_pdf(document, profile)
    assert raised.value.exit_code == 5
    [diagnostic] = raised.value.diagnostics
    assert "U+10FFFD" in diagnostic.message
    assert (diagnostic.pos.line, diagnostic.pos.column) == (7, 6)


def test_a_character_the_role_font_lacks_comes_from_a_fallback_font(tmp_path):
    from exporter.fonts import resolve_fallbacks, resolve_role
    from exporter.profile import load_profile

    profile = load_profile()
    body = resolve_role(profile.role("body")).face
    donor = resolve_fallbacks(profile)[0]
    own = TTFont(body.path, fontNumber=body.index, lazy=True).getBestCmap()
    other = TTFont(donor.path, fontNumber=donor.index, lazy=True)
    rare = next(chr(cp) for cp in range(0x4E00, 0x9FA5) if cp in other.getBestCmap() and cp not in own)
    document, profile = read_markdown(tmp_path, f"---\ntitle: 生僻字\n---\n\n姓名{rare}某同志。\n")
    line = next(ln for ln in text_lines(write_pdf(document, profile)) if rare in ln.text)
    fonts = {c["text"]: c["fontname"].split("+")[1] for c in line.chars}
    assert fonts[rare].startswith(other["name"].getDebugName(6))
    assert fonts["姓"].startswith(TTFont(body.path, fontNumber=body.index, lazy=True)["name"].getDebugName(6))
    assert fonts[rare] != fonts["姓"]
