"""The layout profile: the bundled one carries GB/T 9704's numbers; broken ones give located errors."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import main
from exporter.diagnostics import ProfileError
from exporter.profile import RULES, SCHEMA, load_profile

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


# -- bad values: each one located at its key, exit 3 through the CLI, one message, no traceback ----

FULL = ROOT / "tests" / "fixtures" / "full-furniture.md"


def _check_with_profile(profile: Path):
    """`exporter check --profile PROFILE` on a clean source: (exit status, stderr lines)."""
    result = CliRunner().invoke(main, ["check", "--profile", str(profile), str(FULL)])
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.splitlines()


def _located(path: Path, needle: str) -> str:
    """The `path:line:col: error: ` prefix of a message about the line holding `needle`."""
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            column = len(line) - len(line.lstrip()) + 1
            return f"{path.resolve()}:{number}:{column}: error: "
    raise AssertionError(needle)


BAD_VALUES = [
    ("line pitch 0 (Word)", "docx_line_pitch_twips = 579", "docx_line_pitch_twips = 0",
     "[grid] docx_line_pitch_twips must be greater than 0, not 0"),
    ("line pitch 0 (PDF)", "pdf_line_pitch_pt = 28.990666", "pdf_line_pitch_pt = 0.0",
     "[grid] pdf_line_pitch_pt must be greater than 0, not 0"),
    ("negative margin", "margin_left_mm = 28.0", "margin_left_mm = -5.0",
     "[page] margin_left_mm must be at least 0, not -5"),
    ("font size 0", "size_pt = 16.0", "size_pt = 0",
     "[roles.body] size_pt must be greater than 0, not 0"),
    ("negative font size", "size_pt = 16.0", "size_pt = -16.0",
     "[roles.body] size_pt must be greater than 0, not -16"),
    ("NaN font size", "size_pt = 16.0", "size_pt = nan",
     "[roles.body] size_pt must be a finite number, not nan"),
    ("infinite page", "width_mm = 210.0", "width_mm = inf",
     "[page] width_mm must be a finite number, not inf"),
    ("200 lines per page", "lines_per_page = 22", "lines_per_page = 200",
     "[grid] 200 lines per page do not fit the 225 mm text height: 200 × 579 twips = 115800 twips in Word, "
     "over 12756; 200 × 28.990666 pt = 5798.13 pt in the PDF, over 637.80"),
    ("40 characters per line", "chars_per_line = 28", "chars_per_line = 40",
     "[grid] 40 characters per line do not fit the 156 mm text width: 40 × 15.793031 pt = 631.72 pt in the PDF, "
     "over 442.20; 40 × 15.75 pt (body size and character spacing) = 630.00 pt in Word, over 442.20"),
    ("sheet name over 31 characters", 'readme_sheet = "说明"', 'readme_sheet = "' + "说明" * 16 + '"',
     "[xlsx] readme_sheet has 32 characters; Excel allows at most 31 in a sheet name"),
    ("sheet name equal to another", 'checks_sheet = "一致性核验"', 'checks_sheet = "指标"',
     "[xlsx] checks_sheet '指标' is the same sheet name as data_sheet: each sheet needs its own name"),
    ("sheet name with a slash", 'readme_sheet = "说明"', 'readme_sheet = "说明/附录"',
     "[xlsx] readme_sheet contains '/', which Excel does not allow in a sheet name ([ ] : * ? / \\)"),
    ("odd_alignment diagonal", 'odd_alignment = "right"', 'odd_alignment = "diagonal"',
     "[page_number] odd_alignment must be one of 'left', 'right', 'center', not 'diagonal'"),
    ("date template {mon}", 'format = "{year}年{month}月{day}日"', 'format = "{year}年{mon}月{day}日"',
     "[date] format has an unknown field {mon} (allowed: {year}, {month}, {day})"),
    ("date template {year.__class__}", 'format = "{year}年{month}月{day}日"',
     'format = "{year.__class__}年{month}月{day}日"',
     "[date] format cannot use {year.__class__}: a field is a bare name ({year}, {month}, {day}), "
     "without attribute or index access"),
    ("page number template {n[0]}", 'format = "— {n} —"', 'format = "— {n[0]} —"',
     "[page_number] format cannot use {n[0]}: a field is a bare name ({n}), without attribute or index access"),
    ("punctuation compression beyond half a cell", "max_punctuation_compression = 0.5",
     "max_punctuation_compression = 0.75",
     "[pdf] max_punctuation_compression must be between 0 and 0.5, not 0.75"),
    ("纪要 lists named twice", 'list_order = ["attendees", "absent", "observers"]',
     'list_order = ["attendees", "attendees", "observers"]',
     "[minutes] list_order must name each of attendees, absent, observers once, not "
     "['attendees', 'attendees', 'observers']"),
    ("纪要 labels in no font role", 'label_role = "head_label"', 'label_role = "bold"',
     "[minutes] label_role names no font role [roles.bold]"),
    ("信函 double line without its thin stroke", "thin_rule_pt = 0.75", "thin_rule_pt = 0",
     "[letter] thin_rule_pt must be greater than 0, not 0"),
    ("seal of no size", "diameter_mm = 42.0", "diameter_mm = 0",
     "[seal] diameter_mm must be greater than 0, not 0"),
    ("joint seals that may touch [S5]", "joint_gap_mm = 3.0", "joint_gap_mm = 0",
     "[seal] joint_gap_mm must be greater than 0, not 0"),
    ("seal of no pixels", "max_pixels = 16000000", "max_pixels = 0",
     "[seal] max_pixels must be at least 1, not 0"),
    ("no joint seal in a row [S6]", "seals_per_row = 3", "seals_per_row = 0",
     "[seal] seals_per_row must be at least 1, not 0"),
    ("签名章 of no size [S9]", "signature_seal_height_mm = 15.0", "signature_seal_height_mm = 0",
     "[order] signature_seal_height_mm must be greater than 0, not 0"),
    # 31 mm + 1.5 + 1 + 0.75 pt puts the double line's top 8.1 pt under the 版心 (35 mm up).
    ("信函 lower double line within 14 pt of the text [L9]", "lower_rule_from_page_bottom_mm = 20.0",
     "lower_rule_from_page_bottom_mm = 31.0",
     "[letter] the lower double line comes 8.1 pt below the 版心, closer than min_text_gap_above_lower_rule_pt "
     "(14.0 pt) [L9]"),
]


@pytest.mark.parametrize("old, new, message", [case[1:] for case in BAD_VALUES], ids=[case[0] for case in BAD_VALUES])
def test_bad_value_is_one_located_profile_error(tmp_path, old, new, message):
    path = _broken(tmp_path, old, new)
    status, lines = _check_with_profile(path)
    assert status == 3
    assert lines == [_located(path, new) + message]


def test_every_problem_is_reported_together_in_file_order(tmp_path):
    path = _broken(tmp_path, 'odd_alignment = "right"', 'odd_alignment = "diagonal"')
    text = path.read_text(encoding="utf-8").replace("margin_left_mm = 28.0", "margin_left_mm = -5.0", 1)
    path.write_text(text.replace('readme_sheet = "说明"', 'readme_sheet = "指标"', 1), encoding="utf-8")
    status, lines = _check_with_profile(path)
    assert status == 3
    assert lines == [
        _located(path, "margin_left_mm = -5.0") + "[page] margin_left_mm must be at least 0, not -5",
        _located(path, 'odd_alignment = "diagonal"')
        + "[page_number] odd_alignment must be one of 'left', 'right', 'center', not 'diagonal'",
        _located(path, 'readme_sheet = "指标"')
        + "[xlsx] readme_sheet '指标' is the same sheet name as data_sheet: each sheet needs its own name",
    ]


def test_margins_that_leave_no_text_width_are_one_message(tmp_path):
    path = _broken(tmp_path, "margin_left_mm = 28.0", "margin_left_mm = 190.0")
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    assert [str(d) for d in info.value.diagnostics] == [
        _located(path, "margin_left_mm = 190.0")
        + "left and right margins (190 + 26 mm) leave no text width on a 210 mm page"]


def test_title_characters_must_fit_the_line(tmp_path):
    path = _broken(tmp_path, "max_chars_per_line = 20", "max_chars_per_line = 21")
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    assert [str(d) for d in info.value.diagnostics] == [
        _located(path, "max_chars_per_line = 21")
        + "[title] 21 title characters of 22 pt (462.00 pt) do not fit the 156 mm (442.20 pt) text width"]


def test_a_narrower_grid_that_fits_is_accepted(tmp_path):
    path = _broken(tmp_path, "lines_per_page = 22", "lines_per_page = 21")
    assert load_profile(str(path)).grid.lines_per_page == 21


# -- templates: exactly the fields each one is filled with ------------------------------------------

TEMPLATES = [
    ('format = "{year}年{month}月{day}日"', 'format = "{year}年{month:02d}月{day}日"',
     "[date] format cannot format {month:02d}: write the bare field {month}"),
    ('format = "— {n} —"', 'format = "— {n!r} —"', "[page_number] format cannot format {n!r}: write the bare field {n}"),
    ('format = "— {n} —"', 'format = "— {0} —"',
     "[page_number] format cannot use {0}: a field is a bare name ({n}), without attribute or index access"),
    ('format = "— {n} —"', 'format = "— {} —"',
     "[page_number] format cannot use {}: a field is a bare name ({n}), without attribute or index access"),
    ('format = "— {n} —"', 'format = "{{ {n} }}"', "[page_number] format cannot contain a literal brace ('{{' or '}}')"),
    ('format = "— {n} —"', 'format = "— {n —"', "[page_number] format has an unmatched brace in '— {n —': "
                                                "placeholders are written {n}"),
    ('format = "— {n} —"', 'format = "— 页 —"', "[page_number] format must contain {n}"),
    ('format = "— {n} —"', 'format = "{n}/{n}"', "[page_number] format must contain {n} only once"),
    ('level2 = "（{cn}）"', 'level2 = "（二）"', "[numbering] level2 must contain {n} or {cn}"),
    ('level3 = "{n}."', 'level3 = "{num}."', "[numbering] level3 has an unknown field {num} (allowed: {n}, {cn})"),
    ('number = "{n}."', 'number = "{i}."', "[attachments] number has an unknown field {i} (allowed: {n})"),
    ('decimal_format = "#,##0.{zeros}"', 'decimal_format = "#,##0.00"', "[xlsx] decimal_format must contain {zeros}"),
]


@pytest.mark.parametrize("old, new, message", TEMPLATES, ids=[case[1] for case in TEMPLATES])
def test_template_fields_are_checked(tmp_path, old, new, message):
    path = _broken(tmp_path, old, new)
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    assert [str(d) for d in info.value.diagnostics] == [_located(path, new) + message]


def test_bundled_templates_pass_and_render():
    p = load_profile(str(BUNDLED))
    assert p.date.format.format(year=2022, month=3, day=1) == "2022年3月1日"


def test_every_rule_names_a_key_of_the_schema():
    # A key moved to another table must take its rule along, or the rule would silently stop applying.
    assert [key for key in RULES if key[1] not in SCHEMA.get(key[0], {})] == []


# -- extends: a house profile states only what it changes -------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_profile_of_extends_and_one_key_loads_everything_else_from_its_base(tmp_path):
    house = _write(tmp_path / "house.toml", 'extends = "gbt9704"\n\n[grid]\nlines_per_page = 21\n')
    p = load_profile(str(house))
    base = load_profile(str(BUNDLED))
    assert p.grid.lines_per_page == 21
    assert p.grid.docx_line_pitch_twips == 579 and p.grid.chars_per_line == 28
    assert p.page == base.page and p.xlsx == base.xlsx and p.roles == base.roles
    assert (p.name, p.path) == ("house", str(house.resolve()))
    assert p.profile.description == base.profile.description


def test_extends_merges_font_roles_key_by_key(tmp_path):
    house = _write(tmp_path / "house.toml", 'extends = "gbt9704"\n[roles.body]\nword = "方正仿宋_GBK"\n')
    body = load_profile(str(house)).role("body")
    assert body.word == "方正仿宋_GBK"
    assert body.size_pt == 16.0 and body.word_latin == "Times New Roman" and "FandolFang" in body.pdf


def test_extends_a_path_relative_to_the_extending_file_and_the_nearest_value_wins(tmp_path):
    (tmp_path / "org").mkdir()
    _write(tmp_path / "org" / "base.toml", 'extends = "gbt9704"\n[page_number]\nodd_alignment = "center"\n'
                                           'even_alignment = "center"\n')
    unit = _write(tmp_path / "unit.toml", 'extends = "org/base.toml"\n[profile]\nname = "市司法局"\n'
                                          '[page_number]\neven_alignment = "left"\n')
    p = load_profile(str(unit))
    assert (p.page_number.odd_alignment, p.page_number.even_alignment) == ("center", "left")
    assert p.name == "市司法局"


def test_unknown_key_in_an_extending_profile_is_located_there(tmp_path):
    house = _write(tmp_path / "house.toml", 'extends = "gbt9704"\n\n[grid]\nlines_per_pag = 21\n')
    status, lines = _check_with_profile(house)
    assert status == 3
    assert lines == [f"{house.resolve()}:4:1: error: unknown key 'lines_per_pag' in [grid] "
                     "(did you mean 'lines_per_page'?)"]


def test_a_bad_value_in_the_base_is_located_in_the_base(tmp_path):
    base = _broken(tmp_path, 'even_alignment = "left"', 'even_alignment = "up"')
    house = _write(tmp_path / "house.toml", 'extends = "broken.toml"\n[grid]\nlines_per_page = 21\n')
    with pytest.raises(ProfileError) as info:
        load_profile(str(house))
    assert [str(d) for d in info.value.diagnostics] == [
        _located(base, 'even_alignment = "up"')
        + "[page_number] even_alignment must be one of 'left', 'right', 'center', not 'up'"]


def test_a_grid_that_no_longer_fits_is_located_at_the_key_the_extending_profile_changed(tmp_path):
    house = _write(tmp_path / "house.toml", 'extends = "gbt9704"\n[grid]\ndocx_line_pitch_twips = 600\n')
    with pytest.raises(ProfileError) as info:
        load_profile(str(house))
    assert [str(d) for d in info.value.diagnostics] == [
        f"{house.resolve()}:3:1: error: [grid] 22 lines per page do not fit the 225 mm text height: "
        "22 × 600 twips = 13200 twips in Word, over 12756"]


def test_extends_cycle_is_a_located_error(tmp_path):
    a = _write(tmp_path / "a.toml", 'extends = "b.toml"\n')
    b = _write(tmp_path / "b.toml", '# b\nextends = "a.toml"\n')
    status, lines = _check_with_profile(a)
    assert status == 3
    assert lines == [f"{b.resolve()}:2:1: error: profile extends itself: {a.resolve()} → {b.resolve()} → {a.resolve()}"]
    itself = _write(tmp_path / "self.toml", 'extends = "self.toml"\n')
    with pytest.raises(ProfileError, match="profile extends itself"):
        load_profile(str(itself))


@pytest.mark.parametrize("line, message", [
    ('extends = "no-such-profile"', "cannot extend 'no-such-profile': no such profile (available: gbt9704"),
    ("extends = 9704", "extends must be a profile name or a .toml path, not 9704"),
    ('extends = "missing/base.toml"', "cannot extend 'missing/base.toml': no such profile"),
])
def test_a_bad_extends_is_located_at_its_line(tmp_path, line, message):
    house = _write(tmp_path / "house.toml", f"# house style\n{line}\n")
    with pytest.raises(ProfileError) as info:
        load_profile(str(house))
    assert len(info.value.diagnostics) == 1
    assert str(info.value.diagnostics[0]).startswith(f"{house.resolve()}:2:1: error: {message}")
    assert info.value.exit_code == 3


def test_an_extending_profile_reaches_the_document(tmp_path):
    house = _write(tmp_path / "house.toml", 'extends = "gbt9704"\n[page_number]\nodd_alignment = "left"\n')
    result = CliRunner().invoke(main, ["docx", "--profile", str(house), str(FULL), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "full-furniture.docx") as package:
        footers = {name: package.read(name).decode("utf-8") for name in package.namelist()
                   if name.startswith("word/footer")}
        document = package.read("word/document.xml").decode("utf-8")
    alignments = sorted(re.search(r'<w:jc w:val="(\w+)"/>', xml).group(1) for xml in footers.values())
    assert alignments == ["left", "left"]        # odd pages now left, like the even ones
    assert 'w:linePitch="579"' in document       # the rest still comes from gbt9704


def test_a_broken_profile_named_in_the_front_matter_is_a_profile_error(tmp_path):
    profile = _broken(tmp_path, 'odd_alignment = "right"', 'odd_alignment = "diagonal"')
    source = _write(tmp_path / "report.md", "---\ntitle: 测试报告\nprofile: broken.toml\n---\n\n正文。\n")
    result = CliRunner().invoke(main, ["check", str(source)])
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        _located(profile, 'odd_alignment = "diagonal"')
        + "[page_number] odd_alignment must be one of 'left', 'right', 'center', not 'diagonal'"]


def test_the_readme_example_of_a_house_profile_loads(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout profiles", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```toml\n(.+?)```", section, flags=re.S).group(1)
    p = load_profile(str(_write(tmp_path / "county.toml", example)))
    assert (p.name, p.page_number.odd_alignment, p.page_number.even_alignment) == ("county", "center", "center")
    assert p.role("body").word == "方正仿宋_GBK" and p.role("body").size_pt == 16.0


@pytest.mark.parametrize("old, new, message", [
    ('caption = "表{n}　{caption}"', 'caption = "表{n}"', "[table] caption must contain {caption}"),
    ('unit_line = "单位：{unit}"', 'unit_line = "单位：{units}"',
     "[table] unit_line has an unknown field {units} (allowed: {unit})"),
    ('number_alignment = "center"', 'number_alignment = "left"',
     "[table] number_alignment must be one of 'center', 'right', not 'left'"),
    ("cell_line_spacing = 1.0", "cell_line_spacing = 0.0", "[table] cell_line_spacing must be greater than 0, not 0"),
], ids=["caption", "unit_line", "number_alignment", "cell_line_spacing"])
def test_table_settings_are_checked(tmp_path, old, new, message):
    path = _broken(tmp_path, old, new)
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    assert [str(d) for d in info.value.diagnostics] == [_located(path, new) + message]


def test_the_default_profile_names_no_registry_and_data_registry_is_checked(tmp_path):
    assert load_profile(str(BUNDLED)).registry is None                # optional: the default names none
    named = _write(tmp_path / "named.toml", 'extends = "gbt9704"\n[data]\nregistry = "county-rule-of-law"\n')
    assert load_profile(str(named)).registry == "county-rule-of-law"
    for body, message in (("registry = 7", "[data] registry must be a string, not 7"),
                          ('registy = "x"', "unknown key 'registy' in [data] (did you mean 'registry'?)")):
        bad = _write(tmp_path / "bad.toml", f'extends = "gbt9704"\n[data]\n{body}\n')
        with pytest.raises(ProfileError) as info:
            load_profile(str(bad))
        assert [str(d) for d in info.value.diagnostics] == [f"{bad.resolve()}:3:1: error: {message}"]
