"""Font resolution, the CFF → TrueType cache, per-character fallback and `exporter fonts`."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from exporter.cli import main
from exporter.diagnostics import FontError
from exporter.fonts import catalog, loader, resolve_role
from exporter.fonts.bank import BANK_FORMAT
from exporter.profile import load_profile
from support.pdf import read_markdown, text_lines, write_pdf

FANDOL_FANG = Path("/usr/local/share/fonts/fandol/FandolFang-Regular.otf")
AR_PL_KAITI = Path("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf")
from support.paths import ROOT


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "font-cache"
    monkeypatch.setenv("EXPORTER_FONT_CACHE", str(folder))
    loader._load_converted.cache_clear()
    yield folder
    loader._load_converted.cache_clear()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_family_specs_are_parsed():
    assert catalog.parse_spec("Noto Serif CJK SC:style=Bold") == ("Noto Serif CJK SC", "Bold")
    assert catalog.parse_spec("FandolFang") == ("FandolFang", None)


def test_roles_resolve_to_the_free_faces_in_profile_order():
    profile = load_profile()
    found = {name: resolve_role(role).face for name, role in profile.roles.items()}
    assert Path(found["body"].path).name == "FandolFang-Regular.otf"
    assert Path(found["heading1"].path).name == "FandolHei-Regular.otf"
    assert Path(found["heading2"].path).name == "FandolKai-Regular.otf"
    assert Path(found["page_number"].path).name == "FandolSong-Regular.otf"
    assert found["title"].path.endswith("NotoSerifCJK-Bold.ttc") and found["title"].index == 2
    assert found["title"].outline == "CFF"


def test_an_official_windows_file_wins_and_loads_without_conversion(tmp_path, monkeypatch, cache):
    fonts_dir = tmp_path / "Windows" / "Fonts"
    fonts_dir.mkdir(parents=True)
    (fonts_dir / "simkai.ttf").symlink_to(AR_PL_KAITI)
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    resolution = resolve_role(load_profile().role("heading2"))
    assert resolution.face.path == str(fonts_dir / "simkai.ttf")
    assert resolution.found_as == "Windows font file simkai.ttf" and resolution.face.outline == "TrueType"
    source = "---\ntitle: 楷体\n---\n\n# 总体\n\n## 加强组织领导。\n\n正文。\n"
    document, profile = read_markdown(tmp_path, source)
    line = next(ln for ln in text_lines(write_pdf(document, profile)) if ln.text.startswith("（一）"))
    kai_font = TTFont(AR_PL_KAITI, lazy=True)["name"].getDebugName(6)
    assert line.chars[0]["fontname"].split("+")[1] == kai_font
    banks = {p.name for p in (cache / BANK_FORMAT).iterdir()}
    assert not any(name.startswith(sha256(AR_PL_KAITI)) for name in banks)


def test_cff_faces_are_converted_once_into_a_cache_keyed_by_the_file_hash(tmp_path, cache, caplog):
    document, profile = read_markdown(tmp_path, "---\ntitle: 缓存\n---\n\n转换一次，以后不再转换。\n")
    with caplog.at_level(logging.INFO, logger="exporter.fonts"):
        first = write_pdf(document, profile)
    assert re.search(r"converting \d+ glyphs of FandolFang-Regular", caplog.text)
    bank = cache / BANK_FORMAT / f"{sha256(FANDOL_FANG)}-0.ttf"
    assert bank.is_file()
    stamp = bank.stat().st_mtime_ns
    assert not [p for p in cache.rglob(".tmp-*")]                 # written atomically, nothing left over
    caplog.clear()
    loader._load_converted.cache_clear()
    with caplog.at_level(logging.INFO, logger="exporter.fonts"):
        second = write_pdf(document, profile)
    assert "converting" not in caplog.text
    assert bank.stat().st_mtime_ns == stamp and second == first


def test_the_cache_grows_with_new_characters_and_keeps_the_old(tmp_path, cache):
    for k, text in enumerate(("第一份文件。", "第二份报告！")):
        document, profile = read_markdown(tmp_path, f"---\ntitle: 标题\n---\n\n{text}\n", name=f"d{k}.md")
        write_pdf(document, profile)
    bank = TTFont(cache / BANK_FORMAT / f"{sha256(FANDOL_FANG)}-0.ttf")
    assert set("第一份文件。二报告！") <= {chr(cp) for cp in bank.getBestCmap()}


def test_a_damaged_cache_file_is_rebuilt(tmp_path, cache, caplog):
    bank = cache / BANK_FORMAT / f"{sha256(FANDOL_FANG)}-0.ttf"
    bank.parent.mkdir(parents=True)
    bank.write_bytes(b"not a font")
    document, profile = read_markdown(tmp_path, "---\ntitle: 损坏\n---\n\n缓存文件损坏时重新转换。\n")
    with caplog.at_level(logging.WARNING, logger="exporter.fonts"):
        write_pdf(document, profile)
    assert "damaged cache file" in caplog.text
    assert "重" in {chr(cp) for cp in TTFont(bank).getBestCmap()}


def test_converted_glyphs_keep_the_cff_outlines(tmp_path, cache):
    document, profile = read_markdown(tmp_path, "---\ntitle: 轮廓\n---\n\n国家法治建设。\n")
    write_pdf(document, profile)
    bank = TTFont(cache / BANK_FORMAT / f"{sha256(FANDOL_FANG)}-0.ttf")
    source = TTFont(FANDOL_FANG)
    for char in "国家法治建设":
        pen = BoundsPen(source.getGlyphSet())
        source.getGlyphSet()[source.getBestCmap()[ord(char)]].draw(pen)
        glyph = bank["glyf"][bank.getBestCmap()[ord(char)]]
        converted = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)
        assert all(abs(a - b) <= 1.0 for a, b in zip(converted, pen.bounds)), char
        assert bank["hmtx"][bank.getBestCmap()[ord(char)]][0] == source["hmtx"][source.getBestCmap()[ord(char)]][0]


def test_each_character_set_gets_its_own_postscript_name(tmp_path, cache):
    """reportlab merges fonts with one PostScript name; a second document in the same process
    must still get every one of its glyphs."""
    names = []
    for k, text in enumerate(("甲乙丙丁。", "戊己庚辛。")):
        document, profile = read_markdown(tmp_path, f"---\ntitle: 标题\n---\n\n{text}\n", name=f"n{k}.md")
        data = write_pdf(document, profile)
        line = next(ln for ln in text_lines(data) if ln.text.startswith(text[0]))
        names.append(line.chars[0]["fontname"].split("+")[1])
        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(data))
        for font in reader.pages[0]["/Resources"]["/Font"].values():
            font = font.get_object()
            if names[-1] in font["/BaseFont"]:
                program = TTFont(io.BytesIO(font["/FontDescriptor"]["/FontFile2"].get_data()))
                assert len(program.getGlyphOrder()) >= len(set(text))
    assert names[0] != names[1] and all(n.startswith("FandolFang-Regular-") for n in names)


def modified_profile(tmp_path: Path, role: str) -> Path:
    text = (ROOT / "templates" / "gbt9704.toml").read_text(encoding="utf-8")
    head, _, rest = text.partition(f"[roles.{role}]")
    section, _, tail = rest.partition("\n[")
    section = re.sub(r"(?m)^pdf = .*$", 'pdf = ["No Such Font Family"]', section)
    section = re.sub(r"(?m)^windows_files = .*$", 'windows_files = ["nosuchfont.ttf"]', section)
    path = tmp_path / "missing-font.toml"
    path.write_text(head + f"[roles.{role}]" + section + "\n[" + tail, encoding="utf-8")
    return path


def test_a_role_without_any_installed_font_says_what_to_install(tmp_path, full_read):
    document, _profile = full_read
    profile = load_profile(str(modified_profile(tmp_path, "heading1")))
    with pytest.raises(FontError) as raised:
        write_pdf(document, profile)
    assert raised.value.exit_code == 5
    message = raised.value.diagnostics[0].message
    assert "'heading1' role" in message and "No Such Font Family" in message and "nosuchfont.ttf" in message
    assert "install-system-deps.sh" in message and "exporter fonts" in message


def test_fonts_command_lists_each_role_with_file_index_format_and_coverage():
    result = CliRunner().invoke(main, ["fonts", str(ROOT / "tests" / "fixtures" / "full-furniture.md")])
    assert result.exit_code == 0, result.output
    body = result.output.split("\nbody ")[1].split("\n\n")[0]
    assert f"file:     {FANDOL_FANG}" in body and "face:     0" in body and "CFF" in body
    covered = re.search(r"coverage: (\d+) of (\d+)", body)
    assert covered and covered.group(1) == covered.group(2) and int(covered.group(1)) > 100
    for role in ("title", "heading1", "heading2", "heading3", "heading4", "imprint", "page_number"):
        assert f"\n{role} (" in result.output


def test_fonts_command_reports_a_character_no_font_has(tmp_path):
    source = tmp_path / "rare.md"
    source.write_text("---\ntitle: 缺字\n---\n\n有一个\U0010FFFD字。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["fonts", str(source)])
    assert result.exit_code == 5
    assert "MISSING" in result.output and "U+10FFFD" in result.output


def test_export_pdf_exits_with_the_font_status_and_a_located_message(tmp_path):
    source = tmp_path / "rare.md"
    source.write_text("---\ntitle: 缺字\n---\n\n有一个\U0010FFFD字。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["pdf", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 5
    assert re.search(r"rare\.md:5:4: error: .*U\+10FFFD", result.stderr)
    assert not (tmp_path / "out" / "rare.pdf").exists()


def test_without_fontconfig_the_font_folders_are_read_by_name_table(monkeypatch):
    """The Windows/macOS path: no fc-list, so families come from each file's own name table."""
    monkeypatch.setattr(catalog.shutil, "which", lambda _name: None)
    faces = catalog.installed_faces()
    assert not any(f is None for f in faces)
    fang = catalog.find_family("FandolFang", faces)
    assert fang is not None and Path(fang.path) == FANDOL_FANG and fang.outline == "CFF"
    bold = catalog.find_family("Noto Serif CJK SC:style=Bold", faces)
    assert bold is not None and bold.path.endswith("NotoSerifCJK-Bold.ttc") and bold.index == 2
    kai = catalog.find_family("文鼎ＰＬ简中楷", faces)                    # a localized family name
    assert kai is not None and Path(kai.path) == AR_PL_KAITI


# ---- symbols no CJK face has: ‱ and the last-resort search --------------------------------------

PERMYRIAD_SOURCE = "---\ntitle: 某省2025年政府工作报告\n---\n\n人口自然增长率为3.2‱，较上年下降0.5‰。\n"


def pdf_chars(path: Path, wanted: str) -> list[tuple[str, str]]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [(c["text"], c["fontname"].split("+", 1)[-1]) for page in pdf.pages for c in page.chars
                if c["text"] in wanted]


def without_symbol_fallbacks(tmp_path: Path) -> Path:
    """The profile with only CJK fallback faces, so ‱ must come from the last-resort search."""
    text = (ROOT / "templates" / "gbt9704.toml").read_text(encoding="utf-8")
    text, replaced = re.subn(r'(?ms)^\[fallback\]\npdf = \[.*?\]', '[fallback]\npdf = ["Noto Serif CJK SC"]', text)
    assert replaced == 1
    path = tmp_path / "cjk-fallbacks-only.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_cjk_face_has_the_per_myriad_sign_but_dejavu_does():
    """The premise of the fallback: the CJK faces lack ‱, a DejaVu face has it."""
    from exporter.fonts import resolve_fallbacks
    from exporter.fonts.faces import face_info

    profile = load_profile("gbt9704")
    cjk = [f for f in catalog.installed_faces() if any("CJK" in name or "Fandol" in name for name in f.families)]
    assert cjk and not any(face_info(f).covers("‱") for f in cjk)
    assert any(face_info(f).covers("‱") for f in resolve_fallbacks(profile) if f.family.startswith("DejaVu"))


@pytest.mark.parametrize("profile_kind", ["shipped", "cjk fallbacks only"])
def test_a_source_with_the_per_myriad_sign_exports_all_three_and_the_pdf_shows_it(tmp_path, profile_kind):
    source = tmp_path / "permyriad.md"
    source.write_text(PERMYRIAD_SOURCE, encoding="utf-8")
    args = ["all", str(source), "-o", str(tmp_path / "out")]
    if profile_kind != "shipped":
        args += ["--profile", str(without_symbol_fallbacks(tmp_path))]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert all((tmp_path / "out" / f"permyriad.{ext}").is_file() for ext in ("docx", "pdf", "xlsx"))
    chars = pdf_chars(tmp_path / "out" / "permyriad.pdf", "‱‰")
    assert [c for c, _font in chars] == ["‱", "‰"]
    permyriad_font = chars[0][1]
    # The shipped profile lists DejaVu Serif first among the symbol faces; the last-resort search
    # takes regular TrueType faces by family name, and of the installed ones "DejaVu Math TeX Gyre"
    # sorts first.
    expected = "DejaVuSerif" if profile_kind == "shipped" else "DejaVuMathTeXGyre-Regular"
    assert permyriad_font == expected
    assert chars[1][1].startswith("FandolFang")  # ‰ is in the body face itself


def test_a_character_no_font_has_stops_only_the_pdf(tmp_path):
    source = tmp_path / "rare.md"
    source.write_text("---\ntitle: 缺字\n---\n\n有一个\U0010FFFD字。\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "rare.pdf").write_bytes(b"%PDF- an earlier export")
    result = CliRunner().invoke(main, ["all", str(source), "-o", str(out)])
    assert result.exit_code == 5
    assert re.search(r"rare\.md:5:4: error: .*U\+10FFFD", result.stderr)
    assert f"warning: not replaced: {out / 'rare.pdf'} is still the one of an earlier export" in result.stderr
    assert (out / "rare.pdf").read_bytes() == b"%PDF- an earlier export"
    import docx as python_docx
    import openpyxl

    assert "有一个\U0010FFFD字。" in [p.text for p in python_docx.Document(str(out / "rare.docx")).paragraphs]
    assert openpyxl.load_workbook(out / "rare.xlsx").sheetnames
    # Besides the three files, only exporter's bookkeeping (its manifest and folder lock); no temporaries.
    assert sorted(p.name for p in out.iterdir()) == [".exporter-manifest.json", ".exporter.lock",
                                                     "rare.docx", "rare.pdf", "rare.xlsx"]
