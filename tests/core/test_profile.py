"""The layout profile: the bundled one carries GB/T 9704's numbers; broken ones give located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.diagnostics import ProfileError
from exporter.profile import load_profile

from support.paths import ROOT
BUNDLED = ROOT / "templates" / "gbt9704.toml"


def test_bundled_profile_has_the_standard_geometry():
    p = load_profile(str(BUNDLED))
    assert (p.page.width_mm, p.page.height_mm) == (210.0, 297.0)
    assert (p.page.margin_top_mm, p.page.margin_left_mm, p.page.margin_right_mm, p.page.margin_bottom_mm) == (37, 28, 26, 35)
    assert p.text_width_mm == pytest.approx(156.0) and p.text_height_mm == pytest.approx(225.0)
    assert (p.grid.lines_per_page, p.grid.chars_per_line) == (22, 28)
    # 22 lines of 579 twips fit the 12756-twip 版心; 580 would not (spec §0.5).
    assert 22 * p.grid.docx_line_pitch_twips <= round(225 / 25.4 * 1440)
    assert 22 * (p.grid.docx_line_pitch_twips + 1) > round(225 / 25.4 * 1440)
    assert p.grid.pdf_line_pitch_pt == pytest.approx(225 / 25.4 * 72 / 22, abs=1e-4)
    assert p.grid.pdf_cell_pt == pytest.approx(156 / 25.4 * 72 / 28, abs=1e-4)
    sizes = {name: p.role(name).size_pt for name in ("title", "body", "heading1", "heading2", "imprint", "page_number")}
    assert sizes == {"title": 22, "body": 16, "heading1": 16, "heading2": 16, "imprint": 14, "page_number": 14}
    assert p.role("title").word == "方正小标宋简体" and p.role("heading1").word == "黑体"
    assert p.role("body").word == "仿宋_GB2312" and p.role("heading2").word == "楷体_GB2312"
    assert p.role("page_number").word == "宋体"
    assert p.page_number.format == "— {n} —"


def test_profile_is_read_only():
    p = load_profile(str(BUNDLED))
    with pytest.raises(AttributeError):
        p.page.margin_top_mm = 10


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_unknown_key_is_located_with_suggestion(tmp_path):
    path = _broken(tmp_path, "margin_top_mm = 37.0", "margin_topp_mm = 37.0")
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    messages = [str(d) for d in info.value.diagnostics]
    line = _line_of(path, "margin_topp_mm")
    assert any(f":{line}:1: error: unknown key 'margin_topp_mm' in [page] (did you mean 'margin_top_mm'?)" in m for m in messages)
    assert any("[page] is missing 'margin_top_mm'" in m for m in messages)


def test_wrong_type_is_located(tmp_path):
    path = _broken(tmp_path, "lines_per_page = 22", 'lines_per_page = "22"')
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    line = _line_of(path, 'lines_per_page = "22"')
    assert [str(d).split(": error: ")[0].rsplit(":", 2)[-2:] for d in info.value.diagnostics] == [[str(line), "1"]]
    assert "[grid] lines_per_page must be an integer" in str(info.value)


def test_toml_syntax_error_is_located(tmp_path):
    path = _broken(tmp_path, "[page]", "[page")
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    line = _line_of(path, "[page")
    assert f":{line}:" in str(info.value.diagnostics[0]) and "invalid TOML" in str(info.value)


def test_missing_profile_names_the_available_ones():
    with pytest.raises(ProfileError) as info:
        load_profile("no-such-profile")
    assert "profile not found (available: gbt9704" in str(info.value)
    assert info.value.exit_code == 3
