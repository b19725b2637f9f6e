"""The font built for a document's characters is kept in the font cache, so exporting the same
document again (each save under `watch`, a re-run) neither opens the glyph bank nor builds the
font; a damaged or half-written entry must never be believed."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.fonts import loader
from exporter.fonts.bank import BANK_FORMAT
from support.pdf import read_markdown, write_pdf

FANDOL_FANG = Path("/usr/local/share/fonts/fandol/FandolFang-Regular.otf")
SOURCE = "---\ntitle: 缓存\n---\n\n同一份文件再次导出时，直接读取已经生成的字体。\n"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    if not FANDOL_FANG.exists():
        pytest.skip("Fandol (a CFF face) is not installed")
    folder = tmp_path / "font-cache"
    monkeypatch.setenv("EXPORTER_FONT_CACHE", str(folder))
    loader._load_converted.cache_clear()
    yield folder
    loader._load_converted.cache_clear()


def export_in_new_process(tmp_path: Path) -> bytes:
    loader._load_converted.cache_clear()  # what a new process would know
    document, profile = read_markdown(tmp_path, SOURCE)
    return write_pdf(document, profile)


def test_a_second_export_reads_the_built_font_without_the_glyph_bank(tmp_path, cache):
    first = export_in_new_process(tmp_path)
    built = sorted(p.name for p in (cache / loader.BUILT_FORMAT).iterdir())
    assert built and len([n for n in built if n.endswith(".ttf")]) == len([n for n in built if n.endswith(".json")])
    for bank in (cache / BANK_FORMAT).iterdir():
        bank.unlink()
    second = export_in_new_process(tmp_path)
    assert second == first
    assert not any((cache / BANK_FORMAT).iterdir())  # the bank was not needed, so not rebuilt


@pytest.mark.parametrize("damage", ["truncated font", "font from another entry", "bad json"])
def test_a_damaged_built_font_is_built_again(tmp_path, cache, damage):
    first = export_in_new_process(tmp_path)
    fonts = sorted((cache / loader.BUILT_FORMAT).glob("*.ttf"))
    match damage:
        case "truncated font":
            fonts[0].write_bytes(fonts[0].read_bytes()[:100])
        case "font from another entry":
            assert len(fonts) > 1
            fonts[0].write_bytes(fonts[1].read_bytes())
        case "bad json":
            fonts[0].with_suffix(".json").write_text("{", encoding="utf-8")
    assert export_in_new_process(tmp_path) == first
    assert loader._read_built(fonts[0].with_suffix("")) is not None  # rewritten whole
