"""What a font file offers (characters, licence bits, PostScript name) is kept in the font
cache, so `check` and the PDF do not decode every cmap on every run; the kept answer must be
the font's own, and a changed or damaged entry must never be believed."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from exporter.fonts import faces
from exporter.fonts.catalog import read_faces

FANDOL_FANG = Path("/usr/local/share/fonts/fandol/FandolFang-Regular.otf")
AR_PL_KAITI = Path("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf")
# Characters on both sides of run boundaries: ideographs, ASCII, the per-myriad sign no CJK face has.
PROBES = "一丁七万丈三上下字国政府法治abcXYZ019‰‱—–-·、。（）\u3000\U00020000"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "font-cache"
    monkeypatch.setenv("EXPORTER_FONT_CACHE", str(folder))
    faces._face_info.cache_clear()
    yield folder
    faces._face_info.cache_clear()


def fresh_info(face):
    faces._face_info.cache_clear()  # what a new process would know
    return faces.face_info(face)


@pytest.mark.parametrize("font_file", [FANDOL_FANG, AR_PL_KAITI], ids=["cff", "truetype"])
def test_a_cached_face_answers_as_the_font_itself(cache, font_file):
    if not font_file.exists():
        pytest.skip(f"{font_file} is not installed")
    face = read_faces(font_file)[0]
    font = TTFont(str(font_file), lazy=True)
    cmap = font.getBestCmap()
    ps_name = font["name"].getDebugName(6)
    fs_type = font["OS/2"].fsType

    first = faces.face_info(face)
    entries = list((cache / faces.FACES_FORMAT).glob("*.json"))
    assert len(entries) == 1
    again = fresh_info(face)
    for info in (first, again):
        assert (info.ps_name, info.fs_type) == (ps_name, fs_type)
        assert info.codepoints == frozenset(cmap)
        assert [info.covers(c) for c in PROBES] == [ord(c) in cmap for c in PROBES]
    assert any(not again.covers(c) for c in PROBES) and any(again.covers(c) for c in PROBES)


def test_the_cache_entry_is_what_a_later_run_reads(cache):
    """Proof that a second run does not read the font: an entry edited by hand is believed."""
    face = read_faces(AR_PL_KAITI)[0] if AR_PL_KAITI.exists() else pytest.skip("AR PL KaitiM GB not installed")
    faces.face_info(face)
    (entry,) = (cache / faces.FACES_FORMAT).glob("*.json")
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["ps_name"] = "EditedInTheCache"
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert fresh_info(face).ps_name == "EditedInTheCache"


@pytest.mark.parametrize("damage", ["", "{", '{"ps_name": "X", "fs_type": 0, "firsts": [1, 2], "lasts": [3]}',
                                    '{"ps_name": "X", "fs_type": 0, "firsts": ["a"], "lasts": ["b"]}', "[]"])
def test_a_damaged_entry_is_read_again_from_the_font_and_rewritten(cache, damage):
    face = read_faces(AR_PL_KAITI)[0] if AR_PL_KAITI.exists() else pytest.skip("AR PL KaitiM GB not installed")
    good = faces.face_info(face)
    (entry,) = (cache / faces.FACES_FORMAT).glob("*.json")
    entry.write_text(damage, encoding="utf-8")
    info = fresh_info(face)
    assert (info.ps_name, info.firsts, info.lasts) == (good.ps_name, good.firsts, good.lasts)
    assert json.loads(entry.read_text(encoding="utf-8"))["ps_name"] == good.ps_name


def test_a_font_file_replaced_in_place_is_read_again(cache, tmp_path):
    """Same path, other bytes: the entry of the old file must not answer for the new one."""
    if not (AR_PL_KAITI.exists() and FANDOL_FANG.exists()):
        pytest.skip("needs AR PL KaitiM GB and FandolFang")
    path = tmp_path / "font.bin"
    shutil.copy(AR_PL_KAITI, path)
    before = faces.face_info(read_faces(path)[0])
    shutil.copy(FANDOL_FANG, path)
    os.utime(path, ns=(1, 1))
    after = fresh_info(read_faces(path)[0])
    assert after.ps_name == TTFont(str(FANDOL_FANG), lazy=True)["name"].getDebugName(6) != before.ps_name
    assert len(list((cache / faces.FACES_FORMAT).glob("*.json"))) == 2
