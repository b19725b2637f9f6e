"""The PDF's layout, measured on the produced file: the 22 × 28 grid, justified lines, Chinese
line breaking, pagination, and where the furniture sits (the reference material shared/spec/gbt9704.md)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from support.pdf import (
    BOTTOM, CELL, LEFT, NO_END, NO_START, PITCH, RIGHT, TOP, WORD, body_lines, long_markdown, page_count,
    read_markdown, rules, text_lines, write_pdf,
)

INDENT = LEFT + 2 * CELL
# The default renderer model is Word's: these marks may hang one mark past the right edge at a
# line end (w:overflowPunct; the profile's [renderer] hanging), kept here independent of the writer.
WORD_HANGS = set("、。，．）〕］｝〉》」』】〙〗")


def ends_on_the_measure(line) -> bool:
    """The line's last glyph ends on the right edge, or it is a hanging mark after a glyph that does."""
    if abs(line.x1 - RIGHT) <= 0.5:
        return True
    return line.chars[-1]["text"] in WORD_HANGS and abs(line.chars[-2]["x1"] - RIGHT) <= 0.5 and \
        line.chars[-1]["x0"] >= RIGHT - 0.5


def ascii_free(chars) -> list:
    return [c for c in chars if not c["text"].isascii()]


@pytest.fixture(scope="module")
def long_doc(tmp_path_factory):
    document, profile = read_markdown(tmp_path_factory.mktemp("long"), long_markdown())
    data = write_pdf(document, profile)
    return document, data, text_lines(data)


@pytest.fixture(scope="module")
def seed_pdf(seed_read):
    document, profile = seed_read
    data = write_pdf(document, profile)
    return document, data, text_lines(data)


@pytest.fixture(scope="module")
def full_pdf(full_read):
    document, profile = full_read
    data = write_pdf(document, profile)
    return document, data, text_lines(data)


def grid_line(line) -> int:
    """Which grid line (0–21) of its page a text line sits on."""
    return int((line.baseline - TOP) // PITCH)


def heading_starts(document) -> tuple[str, ...]:
    return tuple(block.printed[:8] for block in document.blocks if hasattr(block, "run_in"))


def baselines_by_page(lines) -> dict[int, list[float]]:
    pages: dict[int, list[float]] = defaultdict(list)
    for line in body_lines(lines):
        pages[line.page].append(line.baseline)
    return pages


@pytest.mark.parametrize("which", ["long_doc", "seed_pdf"])
def test_full_pages_hold_22_lines_on_the_grid_pitch(which, request):
    document, data, lines = request.getfixturevalue(which)
    pages = baselines_by_page(lines)
    last = page_count(data)
    assert last >= 5
    starts = heading_starts(document)
    full = 0
    for page in range(1, last):
        baselines = pages[page]
        offsets = [(b - TOP) % PITCH for b in baselines]
        assert max(offsets) - min(offsets) < 0.02, f"page {page}: baselines off the grid {sorted(baselines)}"
        assert max(baselines) <= BOTTOM
        if page == 1:
            continue  # the title takes the first grid lines of page 1
        if len(baselines) == 22:
            full += 1
            steps = [b - a for a, b in zip(baselines, baselines[1:])]
            assert all(abs(s - PITCH) < 0.01 for s in steps), steps
        else:
            # A page may end early only to keep a heading with what follows it, to keep a
            # paragraph's first or last line from standing alone (widow control: the next page
            # starts with a paragraph's first line, or its second line ends a paragraph), or to
            # keep the last lines of text with the signature (署名, 成文日期, 附注: at most 4 lines).
            following = [ln for ln in body_lines(lines) if ln.page == page + 1]
            texts = [ln.text for ln in following]
            # (a heading moves with a paragraph of up to three lines that cannot split)
            heading_next = len(baselines) >= 17 and texts[0].startswith(starts)
            paragraph_moved = len(baselines) >= 20 and (
                abs(following[0].x0 - INDENT) < 0.5 or not ends_on_the_measure(following[1])
                or abs(following[2].x0 - INDENT) < 0.5)
            signature_next = page + 1 == last and document.meta.issuer in texts[:3]
            assert heading_next or paragraph_moved or (signature_next and len(baselines) >= 18), \
                (page, len(baselines))
    # Widow control often ends a page a line or two early (3 of the long document's 11 pages
    # hold 22 lines), but every short page is accounted for above.
    assert full >= 1


@pytest.mark.parametrize("which", ["long_doc", "seed_pdf", "full_pdf"])
def test_every_non_final_line_spans_the_measure(which, request):
    document, data, lines = request.getfixturevalue(which)
    body = [ln for ln in body_lines(lines) if ln.x0 < LEFT + 3 * CELL]
    checked = 0
    for line, following in zip(body, body[1:]):
        continues = abs(following.x0 - LEFT) < 0.5 and following.baseline != line.baseline
        if not continues:
            continue
        assert abs(line.x0 - LEFT) < 0.5 or abs(line.x0 - INDENT) < 0.5, (line.page, line.text, line.x0)
        assert ends_on_the_measure(line), (line.page, line.text, line.x1)
        checked += 1
    assert checked >= {"long_doc": 120, "seed_pdf": 180, "full_pdf": 5}[which]


def test_full_lines_of_ideographs_hold_28_characters(seed_pdf):
    document, data, lines = seed_pdf
    body = body_lines(lines)
    counts = []
    for line, following in zip(body, body[1:]):
        if abs(line.x0 - LEFT) < 0.5 and abs(following.x0 - LEFT) < 0.5 and not any(c["text"].isascii() for c in line.chars):
            # a hanging mark is past the 28 cells
            counts.append(len(line.text) - (line.text[-1] in WORD_HANGS and line.x1 > RIGHT + 0.5))
    assert len(counts) > 50
    assert max(counts) == 28 and min(counts) >= 26                       # 26/27 only where a rule pushed back
    assert counts.count(28) / len(counts) > 0.6


@pytest.mark.parametrize("which", ["long_doc", "seed_pdf", "full_pdf"])
def test_no_line_breaking_violations(which, request):
    document, data, lines = request.getfixturevalue(which)
    violations = []
    body = body_lines(lines)
    for line, following in zip(body, body[1:]):
        if line.chars[0]["text"] in NO_START:
            violations.append(("starts", line.page, line.text))
        if line.chars[-1]["text"] in NO_END:
            violations.append(("ends", line.page, line.text))
        continues = abs(following.x0 - LEFT) < 0.5
        if continues and WORD.match(line.chars[-1]["text"]) and WORD.match(following.chars[0]["text"]):
            violations.append(("splits a number", line.page, line.text[-6:] + "|" + following.text[:6]))
    assert violations == []


def test_crafted_paragraphs_hit_every_rule_without_a_violation(tmp_path):
    """Each paragraph puts one rule's character exactly where a naive breaker would break."""
    filler = "法治政府建设"
    cases = {}
    for mark in "，。、；：？！）》」』”’…%":
        cases[f"start {mark}"] = "字" * 26 + mark + filler * 3
    for pair in ("。”", "！”", "》，", "”。", "）。", "……", "——"):
        cases[f"start {pair}"] = "字" * 26 + pair + filler * 3
    for mark in "（《「『“‘〔":
        cases[f"end {mark}"] = "字" * 25 + mark + "书名" + ("》" if mark == "《" else "") + filler * 3
    for run in ("56.75%", "QQ", "12.4", "2021"):
        cases[f"run {run}"] = "字" * 24 + run + filler * 3
    body = "\n\n".join(cases.values())
    document, profile = read_markdown(tmp_path, f"---\ntitle: 断行测试\n---\n\n{body}\n")
    lines = [ln for ln in body_lines(text_lines(write_pdf(document, profile)))]
    firsts = [ln for ln in lines if abs(ln.x0 - INDENT) < 0.5]
    assert len(firsts) == len(cases)
    for (name, text), first in zip(cases.items(), firsts):
        index = lines.index(first)
        second = lines[index + 1]
        assert second.chars[0]["text"] not in NO_START, name
        assert first.chars[-1]["text"] not in NO_END, name
        assert not (WORD.match(first.chars[-1]["text"]) and WORD.match(second.chars[0]["text"])), name
        # the rule pushed characters over (the first line holds fewer than its 26 cells of text),
        # or the mark hangs past the edge as Word hangs it
        hung = first.text[-1] in WORD_HANGS and first.x1 > RIGHT + 0.5
        assert len(first.text) < 26 or name.startswith("run") or hung, (name, first.text)
        assert ends_on_the_measure(first), (name, first.x1)
        assert (first.text + second.text).startswith(text[:len(first.text) + 2]), name


def test_first_lines_are_indented_two_characters(full_pdf):
    document, data, lines = full_pdf
    starts = {block.printed[:6] for block in document.blocks}
    firsts = [ln for ln in body_lines(lines) if ln.text[:6] in starts]
    assert len(firsts) == len(document.blocks)
    assert all(abs(ln.x0 - INDENT) < 0.5 for ln in firsts), [(ln.text, ln.x0) for ln in firsts]


def test_run_in_heading_switches_font_inside_the_line(full_pdf):
    document, data, lines = full_pdf
    line = next(ln for ln in lines if ln.text.startswith("（一）依法全面履行政府职能。"))
    head = line.chars[:len("（一）依法全面履行政府职能。")]
    rest = line.chars[len(head):]
    assert {c["fontname"].split("+")[1].split("-")[0] for c in head} == {"FandolKai"}
    assert {c["fontname"].split("+")[1].split("-")[0] for c in ascii_free(rest)} == {"FandolFang"}
    # digits and Latin letters in the Latin face with Times New Roman's metrics, as Word sets them
    assert {c["fontname"].split("+")[1].split("-")[0] for c in rest if c["text"].isascii()} <= {"LiberationSerif"}


def test_heading_fonts_by_level(full_pdf):
    document, data, lines = full_pdf
    expected = {1: "FandolHei", 2: "FandolKai", 3: "FandolFang", 4: "FandolFang"}
    for block in document.blocks:
        if hasattr(block, "run_in"):
            line = next(ln for ln in lines if ln.text.startswith(block.printed))
            fonts = {c["fontname"].split("+", 1)[-1].split("-")[0] for c in ascii_free(line.chars)}
            assert fonts == {expected[block.level]}, block.printed


def test_standalone_heading_never_ends_a_page(tmp_path):
    # Title (1 line) + blank + 19 lines of text: the heading would land on line 22 of page 1.
    text = "字" * (26 + 28 * 17 + 10)
    document, profile = read_markdown(tmp_path, f"---\ntitle: 标题\n---\n\n{text}\n\n# 下一部分\n\n正文。\n")
    lines = body_lines(text_lines(write_pdf(document, profile)))
    heading = next(ln for ln in lines if ln.text == "一、下一部分")
    assert heading.page == 2 and heading.baseline == min(ln.baseline for ln in lines if ln.page == 2)
    assert len([ln for ln in lines if ln.page == 1]) == 19


def test_paragraphs_split_across_pages(tmp_path):
    text = "字" * (26 + 28 * 30)
    document, profile = read_markdown(tmp_path, f"---\ntitle: 标题\n---\n\n{text}\n")
    lines = body_lines(text_lines(write_pdf(document, profile)))
    assert [ln.page for ln in lines].count(1) == 20 and [ln.page for ln in lines].count(2) == 11
    assert abs(next(ln for ln in lines if ln.page == 2).x0 - LEFT) < 0.5


def test_signature_never_stands_on_a_page_without_text(tmp_path):
    # 21 lines of text on page 1: the blank line and the 署名 would start page 2 alone.
    text = "字" * (26 + 28 * 18 + 10)
    source = f"---\ntitle: 标题\nissuer: 某某县人民政府\ndate: 2025-01-20\n---\n\n{text}\n"
    document, profile = read_markdown(tmp_path, source)
    lines = body_lines(text_lines(write_pdf(document, profile)))
    signature = next(ln for ln in lines if ln.text == "某某县人民政府")
    text_above = [ln for ln in lines if ln.page == signature.page and ln.baseline < signature.baseline]
    assert text_above and text_above[-1].text.startswith("字")


def test_title_lines_are_centred_in_the_type_area(full_pdf):
    document, data, lines = full_pdf
    title = [ln for ln in lines if ln.size == 22.0]
    assert [ln.text for ln in title] == list(document.meta.title)
    for line in title:
        assert (line.x0 + line.x1) / 2 == pytest.approx((LEFT + RIGHT) / 2, abs=1.0)
    assert title[0].page == 1 and title[0].baseline < TOP + PITCH
    assert title[1].baseline - title[0].baseline == pytest.approx(PITCH, abs=0.01)


def test_recipients_one_blank_line_below_the_title_flush_left(full_pdf):
    document, data, lines = full_pdf
    title = [ln for ln in lines if ln.size == 22.0]
    recipients = next(ln for ln in lines if ln.text == document.meta.recipients)
    assert recipients.x0 == pytest.approx(LEFT, abs=0.5)
    assert grid_line(recipients) - grid_line(title[-1]) == 2


def test_signature_date_note_and_attachments_positions(full_pdf):
    document, data, lines = full_pdf
    by_text = {ln.text: ln for ln in lines}
    signature, date = by_text["某某县人民政府"], by_text["2025年1月20日"]
    # With Latin digits and the word processor's gaps around them the date is the longer line, so
    # it takes 右空二字 and the 署名 starts two characters left of it (GB/T 9704 §7.3.5.2) [G1].
    assert date.x1 - date.x0 > signature.x1 - signature.x0
    assert date.x1 == pytest.approx(RIGHT - 2 * CELL, abs=1.0)
    assert date.x0 - signature.x0 == pytest.approx(2 * CELL, abs=1.0)        # 首字右移二字 [G1]
    assert date.baseline - signature.baseline == pytest.approx(PITCH, abs=0.01)
    note = by_text["（此件公开发布）"]
    assert note.x0 == pytest.approx(INDENT, abs=0.5)                         # 左空二字 [G5]
    assert note.baseline - date.baseline == pytest.approx(PITCH, abs=0.01)
    first = next(ln for ln in lines if ln.text.startswith("附件："))
    second = next(ln for ln in lines if ln.text.startswith("2." + document.meta.attachments[1][:4]))
    assert first.x0 == pytest.approx(INDENT, abs=0.5)                        # [F1]
    number_x = first.chars[3]["x0"]
    assert first.text[3:5] == "1." and second.x0 == pytest.approx(number_x, abs=0.5)
    last_text = [ln for ln in lines if ln.text.startswith("（一）加强组织领导")][0]
    assert first.baseline - last_text.baseline == pytest.approx(3 * PITCH, abs=0.5) or \
        first.page > last_text.page
    assert signature.baseline - second.baseline == pytest.approx(2 * PITCH, abs=0.5)


def test_imprint_sits_on_the_bottom_of_the_last_page(full_pdf):
    document, data, lines = full_pdf
    last = page_count(data)
    page_rules = sorted(rules(data, last), key=lambda r: r["y"])
    assert [round(r["width"], 2) for r in page_rules] == [1.0, 0.75, 1.0]   # [H1]
    assert page_rules[-1]["y"] == pytest.approx(BOTTOM, abs=0.5)              # [H2]
    for rule in page_rules:
        assert rule["x0"] == pytest.approx(LEFT, abs=0.5) and rule["x1"] == pytest.approx(RIGHT, abs=0.5)
    cc = next(ln for ln in lines if ln.text.startswith("抄送："))
    printed = next(ln for ln in lines if ln.text.endswith("印发"))
    assert cc.page == printed.page == last and cc.size == printed.size == 14.0   # [C6]
    assert cc.text == "抄送：市委依法治市办，市司法局。"
    assert cc.x0 == pytest.approx(LEFT + 14, abs=0.5)                        # 左空一字 [H3]
    assert printed.x0 == pytest.approx(LEFT + 14, abs=0.5)                   # [H5]
    assert printed.x1 == pytest.approx(RIGHT - 14, abs=0.5)
    assert page_rules[0]["y"] < cc.baseline < page_rules[1]["y"] < printed.baseline < page_rules[2]["y"]


def test_imprint_moves_to_a_new_page_when_the_last_is_full(tmp_path):
    text = "字" * (26 + 28 * 19 + 4)
    source = ("---\ntitle: 标题\ncc: [市司法局]\nprinted_by: 某某县人民政府办公室\nprinted_on: 2025-01-20\n---\n\n"
              f"{text}\n")
    document, profile = read_markdown(tmp_path, source)
    data = write_pdf(document, profile)
    assert page_count(data) == 2
    assert rules(data, 1) == [] and len(rules(data, 2)) == 3


@pytest.mark.parametrize("extra_chars", range(28, 28 * 6, 28))
def test_the_sealed_signature_page_carries_text_not_only_the_attachment_note(tmp_path, extra_chars):
    """The seal, 署名 and date never stand on a page with nothing but the 附件说明 above them: the
    附件说明 is not 正文 [G4, S10]. The text's length moves the page break across the closing."""
    import io
    import shutil

    import pdfplumber

    from support.paths import FIXTURES

    shutil.copy(FIXTURES / "seal.png", tmp_path / "seal.png")
    text = "字" * (26 + 28 * 14 + extra_chars)
    source = (f"---\ntitle: 标题\nissuer: 某某县人民政府\ndate: 2025-01-20\nseal: seal.png\n"
              f"attachments: [某某县统计表, 某某县名单]\n---\n\n{text}\n")
    document, profile = read_markdown(tmp_path, source)
    data = write_pdf(document, profile)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        seal_pages = [n for n, page in enumerate(pdf.pages, start=1) if page.images]
    assert len(seal_pages) == 1
    lines = [ln for ln in body_lines(text_lines(data)) if ln.page == seal_pages[0]]
    note = next(k for k, ln in enumerate(lines) if ln.text.startswith("附件："))
    assert lines[note - 1].text.startswith("字")
    assert lines[note - 1].baseline < lines[note].baseline
