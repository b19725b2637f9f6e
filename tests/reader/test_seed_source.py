"""source/yaoan-2021.md is the seed report, word for word, with every figure tagged.

The seed (tests/fixtures/corpus/yaoan-2021.txt, a byte copy of the report as received) is the report as received. The source may differ
from it only by the edits listed below (half-width punctuation in Chinese text made full-width,
the space before '%' dropped) and by its heading numbers, which are generated instead of typed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from exporter.model import CheckStatus, Paragraph, Qualifier
from exporter.reader import read_source
from support.importing import body_lines

from support.paths import FIXTURES, ROOT
SOURCE = ROOT / "source" / "yaoan-2021.md"
SEED = FIXTURES / "corpus" / "yaoan-2021.txt"

# The edits, by seed line and column (both from 1, columns in characters).
# ',' → '，' (212), by seed line:
COMMA_COLUMNS = {
    1: (6, 43, 75, 115),
    3: (85, 122, 135, 144, 158, 195, 215, 234, 250, 265, 277, 288, 320, 346, 357, 368, 437, 444, 458, 485,
        552, 564, 584, 595, 611, 624, 645, 661, 674, 683, 727, 770, 797, 809, 830, 842, 871, 913, 970, 981,
        1001, 1025, 1089, 1130, 1160, 1199, 1204, 1209, 1241, 1250, 1259, 1324, 1355, 1385, 1408, 1456,
        1471, 1500, 1514, 1528),
    4: (8, 61, 84, 94, 176, 213, 278, 304),
    5: (35, 66, 77, 96, 106, 123, 129, 135, 162, 179),
    6: (32, 64, 79, 113, 130, 141, 146, 155, 190, 208, 229, 240, 247, 254, 274, 292, 311, 325, 340, 353),
    7: (56, 73, 93, 123, 143, 166, 179, 258, 267, 273, 292, 305, 318),
    8: (52, 70, 79, 88, 102, 137, 161, 179),
    9: (49, 73, 128, 138, 229, 262, 351, 401, 450, 462, 475, 490, 502, 517, 531, 568),
    11: (9, 25, 60, 72, 109, 122, 146, 178, 202),
    12: (30,),
    13: (8, 61, 91, 113, 127, 167, 173, 196, 211, 231, 276, 293, 304, 320, 342, 360, 381),
    14: (12, 80, 97, 191, 221, 240, 320, 346, 367),
    16: (10, 38, 62, 93, 122, 148, 163),
    17: (10, 37, 52, 70, 160, 177, 197),
    18: (10, 47, 62, 95, 116, 143),
    19: (10, 65, 87, 178, 195),
    20: (10, 38, 92, 116, 150, 168, 186),
    21: (10, 39, 49, 107, 125),
}
OTHER_EDITS = (
    (3, 211, " ", ""),  # 56.75 %以上
    (3, 229, " ", ""),  # 最多跑一次比例100 %以上
    (3, 395, ";", "；"),  # “一网、一门、一窗”的目标;二是
    (9, 114, "(", "（"), (9, 127, ")", "）"),  # (姚政办函〔2021〕1号)
    (9, 314, "(", "（"), (9, 316, ")", "）"),  # 禁毒防艾宣传周(日)
    (14, 159, "(", "（"), (14, 162, ")", "）"),  # 党委(党组)
    (14, 180, "(", "（"), (14, 185, ")", "）"),  # 党校(行政学院)
)
# Typed level-2 numbers "(一)" open these seed lines; their brackets become the generated "（一）".
HEADING_NUMBER_LINES = (3, 4, 5, 6, 7, 8, 9, 13, 14, 16, 17, 18, 19, 20, 21)

TYPED_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def _edits() -> list[tuple[int, int, str, str]]:
    edits = [(line, col, ",", "，") for line, cols in COMMA_COLUMNS.items() for col in cols]
    edits += list(OTHER_EDITS)
    for line in HEADING_NUMBER_LINES:
        edits += [(line, 1, "(", "（"), (line, 3, ")", "）")]
    return edits


def _seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def _edited_seed_lines() -> list[str]:
    lines = [list(line) for line in _seed_lines()]
    for line, col, old, new in _edits():
        assert lines[line - 1][col - 1] == old, f"seed {line}:{col} is {lines[line - 1][col - 1]!r}, not {old!r}"
        lines[line - 1][col - 1] = new
    return ["".join(chars) for chars in lines]


@pytest.fixture(scope="module")
def document():
    result = read_source(SOURCE)
    return result.document


def test_edit_counts_per_kind():
    kinds = {}
    for _line, _col, old, new in _edits():
        kinds[(old, new)] = kinds.get((old, new), 0) + 1
    assert kinds == {
        (",", "，"): 212, (" ", ""): 2, (";", "；"): 1, ("(", "（"): 4 + 15, (")", "）"): 4 + 15,
    }


def test_edits_are_every_half_width_mark_and_space_in_the_seed():
    listed = {(line, col) for line, col, _old, _new in _edits()}
    in_seed = {
        (n, k + 1)
        for n, line in enumerate(_seed_lines(), 1)
        for k, ch in enumerate(line)
        if ch in ",;()?!: \u3000"
    }
    assert listed == in_seed


def test_kept_ascii_marks_are_decimals_percent_and_internet_plus():
    kept = re.findall(r"[^\w\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]", "\n".join(_edited_seed_lines()))
    # '.' only in decimals and “12.4”, '+' only in 互联网+ / 告知承诺+事后监管.
    assert sorted(set(kept)) == ["%", "+", "."]
    text = "\n".join(_edited_seed_lines())
    assert all(text[m.start() - 1].isdigit() and text[m.end()].isdigit() for m in re.finditer(r"\.", text))


def test_printed_text_is_the_seed_with_only_the_listed_edits(document):
    expected = [TYPED_NUMBER.sub("", line) for line in _edited_seed_lines()]
    assert body_lines(document) == expected


def test_generated_heading_numbers_are_the_typed_ones_in_order(document):
    typed = [m.group(0) for line in _edited_seed_lines() if (m := TYPED_NUMBER.match(line))]
    generated = [h.label for h in document.headings()]
    assert generated == typed
    assert len(generated) == 19


def test_part_headings_stand_alone_and_subheadings_run_in(document):
    levels = [(h.level, h.run_in) for h in document.headings()]
    assert levels.count((1, False)) == 4
    assert levels.count((2, True)) == 15
    assert len(levels) == 19
    for block in document.blocks:
        if isinstance(block, Paragraph) and block.lead is not None:
            # The run-in heading is the seed's first sentence after the typed number, and text follows.
            assert block.lead.text.endswith("。") and block.lead.text.count("。") == 1
            assert block.text


def test_metadata_is_what_the_brief_gives_and_nothing_invented(document):
    meta = document.meta
    assert meta.title == ("姚安县2021年法治政府建设年度报告",)
    assert meta.issuer == "姚安县人民政府"
    assert meta.region == "云南省楚雄彝族自治州姚安县"
    assert meta.region_code == "532325"
    assert meta.period == "2021"
    assert meta.date is None and meta.recipients is None and meta.doc_number is None
    assert meta.attachments == () and meta.cc == () and meta.printed_by is None


def test_check_command_passes_without_any_message():
    result = subprocess.run(
        [sys.executable, "-m", "exporter", "check", "source/yaoan-2021.md"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0
    assert result.stderr == ""


def test_number_of_indicators(document):
    # 70 figures as first tagged, and the duration 为期3年 (a number of years is a figure; issue 16).
    assert len(document.indicators) == 71
    assert len({ind.id for ind in document.indicators}) == 71


@pytest.mark.parametrize(
    "indicator_id, text, value, unit, qualifier, base_value, base_unit",
    [
        ("law_seven_into_audience", "20余万人次", "20", "万人次", Qualifier.LOWER_BOUND, "200000", "人次"),
        ("time_limit_reduction_rate", "56.75%", "56.75", "%", Qualifier.LOWER_BOUND, "56.75", "%"),
        ("case_review_rounds", "两次", "2", "次", Qualifier.EXACT, "2", "次"),
        ("materials_distributed", "45万余份", "45", "万份", Qualifier.LOWER_BOUND, "450000", "份"),
        ("members_public_trained", "3.5万余人次", "3.5", "万人次", Qualifier.LOWER_BOUND, "35000", "人次"),
        ("law_to_countryside_events", "258余场次", "258", "场次", Qualifier.LOWER_BOUND, "258", "场次"),
        ("one_visit_item_share", "100%", "100", "%", Qualifier.LOWER_BOUND, "100", "%"),
        ("immediate_handling_share", "36.48%", "36.48", "%", Qualifier.LOWER_BOUND, "36.48", "%"),
        ("online_handling_rate", "53.62%", "53.62", "%", Qualifier.EXACT, "53.62", "%"),
        ("app_cases_handled", "433920件", "433920", "件", Qualifier.EXACT, "433920", "件"),
        ("website_posts", "7232条", "7232", "条", Qualifier.EXACT, "7232", "条"),
        ("cross_province_cooperation_years", "3年", "3", "年", Qualifier.EXACT, "3", "年"),
    ],
)
def test_indicator_values(document, indicator_id, text, value, unit, qualifier, base_value, base_unit):
    ind = document.indicator(indicator_id)
    assert (ind.text, ind.value, ind.unit, ind.qualifier) == (text, Decimal(value), unit, qualifier)
    assert (str(ind.base_value), ind.base_unit) == (base_value, base_unit)


def test_chinese_numeral_count_has_its_value_given(document):
    ind = document.indicator("case_review_rounds")
    assert ind.value_given
    assert "全年组织开展两次行政执法案卷评查工作" in ind.sentence


def test_names_scopes_and_periods(document):
    assert document.indicator("website_posts").name == "县人民政府网站发布信息条数"
    assert document.indicator("website_posts").period == "2021"
    assert document.indicator("good_bad_review_coverage").scope == "截至目前"
    assert document.indicator("legal_opinions_issued").scope == "全年"
    assert document.indicator("townships_in_item_review").scope == "全县"
    assert "100%以上" in document.indicator("one_visit_item_share").note


def test_indicators_sit_in_the_sections_they_were_printed_in(document):
    assert document.indicator("case_files_reviewed").section == ("一", "（三）")
    assert document.indicator("website_posts").section == ("一", "（五）")
    assert document.indicator("case_based_law_audience").section == ("一", "（七）")


def test_declared_checks_pass(document):
    declared = {c.id: c for c in document.checks if c.declared}
    assert set(declared) == {"case_review_results_sum", "supervision_coverage_rate"}
    assert all(c.status == CheckStatus.PASSED for c in declared.values())
    total = declared["case_review_results_sum"]
    assert (total.left, total.right) == (Decimal(160), Decimal(160))
    coverage = declared["supervision_coverage_rate"]
    assert abs(coverage.left - Decimal("48.0830670926517571884984")) < Decimal("1e-20")
    assert coverage.right == Decimal("48.08")


def test_no_check_fails_and_only_the_shares_printed_as_lower_bounds_are_not_verified(document):
    assert {c.id: c.status for c in document.checks if c.declared} == {
        "case_review_results_sum": CheckStatus.PASSED, "supervision_coverage_rate": CheckStatus.PASSED}
    assert not [c for c in document.checks if c.status == CheckStatus.FAILED]
    # "56.75%以上" may be anything from 56.75 to 100: within 0–100 cannot be confirmed, nor denied.
    unverified = {c.indicator_ids: c.status for c in document.checks
                  if c.status in (CheckStatus.NOTICE, CheckStatus.NOT_EVALUATED)}
    assert unverified == {("time_limit_reduction_rate",): CheckStatus.NOT_EVALUATED,
                          ("one_visit_item_share",): CheckStatus.NOTICE,
                          ("immediate_handling_share",): CheckStatus.NOT_EVALUATED}
    # every percentage gets its range check, 检查实施清单完成率 (a share named with 完成) included
    ranged = {c.indicator_ids[0] for c in document.checks if c.id.startswith("share_range__")}
    assert ranged == {i.id for i in document.indicators if i.unit == "%"} and len(ranged) == 18
    assert "inspection_list_completion_rate" in ranged


# ---- broken copies give located messages --------------------------------------------------


def _run_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exporter", "check", str(path)], cwd=ROOT,
                          capture_output=True, text=True)


def _position_of(text: str, needle: str) -> tuple[int, int]:
    for number, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in source")


def test_duplicate_id_is_located(tmp_path):
    text = SOURCE.read_text(encoding="utf-8")
    first = _position_of(text, "[13项]{#devolved_items_accepted")
    second = _position_of(text, "[2项]{#cancelled_licensing_items")
    broken = tmp_path / "dup.md"
    broken.write_text(text.replace("{#cancelled_licensing_items", "{#devolved_items_accepted", 1), encoding="utf-8")
    result = _run_check(broken)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"{broken}:{second[0]}:{second[1]}: error: duplicate id 'devolved_items_accepted' "
        f"(first used at {first[0]}:{first[1]})"
    ]


def test_unclosed_span_is_located(tmp_path):
    text = SOURCE.read_text(encoding="utf-8")
    line, col = _position_of(text, "[315件]{#cross_province_items")
    broken = tmp_path / "unclosed.md"
    broken.write_text(text.replace("[315件]{#cross", "[315件{#cross", 1), encoding="utf-8")
    result = _run_check(broken)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{broken}:{line}:{col}: error: unclosed span")


def test_broken_sum_warns_at_the_declared_check(tmp_path):
    text = SOURCE.read_text(encoding="utf-8")
    line, col = _position_of(text, "id: case_review_results_sum")
    broken = tmp_path / "sum.md"
    broken.write_text(text.replace("优秀[84卷]", "优秀[85卷]", 1), encoding="utf-8")
    result = _run_check(broken)
    assert result.returncode == 0
    assert result.stderr.strip().splitlines() == [
        f"{broken}:{line}:{col}: warning: check 'case_review_results_sum' failed: 161 ≠ 160 (tolerance 0)"
    ]
