"""Each lint rule: the message and the line:col it points at, and what it must leave alone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from exporter.figures import number_value, parse_figure
from exporter.lint import lint
from exporter.model import Qualifier
from exporter.reader import read_source

FM = "---\ntitle: 测试报告\n---\n\n"  # the body starts on line 5


def warnings_of(tmp_path, body: str) -> list[tuple[str, str]]:
    path = tmp_path / "t.md"
    path.write_text(FM + body, encoding="utf-8")
    document = read_source(path).document
    return [(f"{d.pos.line}:{d.pos.column}", d.message) for d in lint(document)]


def _untagged(figure: str) -> str:
    return f"figure '{figure}' looks like a statistic but is not tagged: write it as [{figure}]{{#id name=\"指标名称\"}}"


# ---- half-width punctuation in Chinese text ------------------------------------------------


@pytest.mark.parametrize("half, full", [(",", "，"), (";", "；"), (":", "："), ("?", "？"), ("!", "！")])
def test_half_width_mark_between_chinese(tmp_path, half, full):
    assert warnings_of(tmp_path, f"政务公开{half}全面推进。\n") == [
        ("5:5", f"half-width '{half}' in Chinese text: use '{full}' (GB/T 15834)")
    ]


def test_half_width_brackets_around_chinese(tmp_path):
    assert warnings_of(tmp_path, "党委(党组)理论学习。\n") == [
        ("5:3", "half-width '(' in Chinese text: use '（' (GB/T 15834)"),
        ("5:6", "half-width ')' in Chinese text: use '）' (GB/T 15834)"),
    ]


def test_half_width_mark_after_a_figure_span(tmp_path):
    # The comma starts the text run after the span: it is still Chinese text.
    assert warnings_of(tmp_path, "对接率达[100%]{#a name=\"对接率\"},单个事项。\n") == [
        ("5:26", "half-width ',' in Chinese text: use '，' (GB/T 15834)")
    ]


def test_half_width_mark_on_a_run_in_heading(tmp_path):
    assert warnings_of(tmp_path, "# 主要成效\n\n## 依法决策,不断提升。\n\n正文。\n") == [
        ("7:8", "half-width ',' in Chinese text: use '，' (GB/T 15834)")
    ]


@pytest.mark.parametrize("body", [
    "网办率达[53.62%]{#a name=\"网办率\"}。\n",  # decimal point
    "会议于９:３０开始。\n",  # a time in full-width digits
    "会议于１２:３０开始，历时两小时。\n",
    "全年完成１,２００例。\n",  # thousands separator between full-width digits
    "通过QQ群、微信群宣传。\n",
    "推进“互联网+政务服务”。\n",  # '+' is not punctuation
    "Hello, world: (ok)?\n",  # Latin text keeps its marks
])
def test_half_width_marks_left_alone(tmp_path, body):
    assert [w for w in warnings_of(tmp_path, body) if "half-width" in w[1]] == []


def test_half_width_quotes_in_chinese_text(tmp_path):
    assert warnings_of(tmp_path, "推动\"好差评\"制度落地。\n") == [
        ("5:3", "half-width '\"' in Chinese text: use '“' (GB/T 15834)"),
        ("5:7", "half-width '\"' in Chinese text: use '”' (GB/T 15834)"),
    ]


def test_half_width_closing_quote_after_a_full_width_opening_one(tmp_path):
    # As in real texts: “好差评" — the opening quote is right, the closing one is not.
    assert warnings_of(tmp_path, "完善“好差评\"工作机制。\n") == [
        ("5:7", "half-width '\"' in Chinese text: use '”' (GB/T 15834)")
    ]


def test_half_width_quotes_in_latin_text_left_alone(tmp_path):
    assert warnings_of(tmp_path, "He said \"yes\" twice.\n") == []


# ---- space before % ------------------------------------------------------------------------


def test_space_before_percent_in_a_span(tmp_path):
    assert warnings_of(tmp_path, "压缩[56.75 %]{#a name=\"压缩比例\"}以上。\n") == [
        ("5:9", "space before '%': write the figure and '%' together")
    ]


def test_space_before_percent_in_text(tmp_path):
    assert warnings_of(tmp_path, "比例100 %以上。\n") == [
        ("5:3", _untagged("100 %")),
        ("5:6", "space before '%': write the figure and '%' together"),
    ]


def test_full_width_space_before_percent(tmp_path):
    assert warnings_of(tmp_path, "压缩[56.75\u3000%]{#a name=\"压缩比例\"}。\n") == [
        ("5:9", "space before '%': write the figure and '%' together")
    ]


def test_no_space_no_warning(tmp_path):
    assert warnings_of(tmp_path, "压缩[56.75%]{#a name=\"压缩比例\"}以上。\n") == []


# ---- untagged statistics -------------------------------------------------------------------


@pytest.mark.parametrize("body, position, figure", [
    ("共受理行政复议案件9件。\n", "5:10", "9件"),
    ("受教育人数20余万人次。\n", "5:6", "20余万人次"),
    ("发放宣传资料45万余份。\n", "5:7", "45万余份"),
    ("培训党员和群众3.5万余人次。\n", "5:8", "3.5万余人次"),
    ("网办率达53.62%。\n", "5:5", "53.62%"),
    ("共计1,200人参加。\n", "5:3", "1,200人"),  # the whole number, not "200人"
    ("完成预算数的９８．４１％。\n", "5:7", "９８．４１％"),  # full-width digits and point
    ("2021年新增13项。\n", "5:8", "13项"),  # a figure right after a masked year
])
def test_untagged_statistic(tmp_path, body, position, figure):
    assert warnings_of(tmp_path, body) == [(position, _untagged(figure))]


@pytest.mark.parametrize("body", [
    "2021年，全县推进法治政府建设。\n",  # year
    "7月20日，县人民政府召开会议。\n",  # date
    "三月综治宣传月和12月集中宣传。\n",  # month
    "印发《通知》（姚政办函〔2021〕1号）。\n",  # document number
    "第3批名单和第12个部门。\n",  # ordinals
    "会议于9:30召开。\n",  # time
    "自受理之日起7个工作日内办结，为期3个月。\n",  # time limits
    "提供7×24小时全天候服务。\n",
    "“12.4”宪法宣传日。\n",
    "全年组织开展两次评查。\n",  # Chinese numerals are not detected (tag them with value=)
])
def test_not_a_statistic(tmp_path, body):
    assert [w for w in warnings_of(tmp_path, body) if "not tagged" in w[1]] == []


def test_tagged_figure_is_not_reported(tmp_path):
    assert warnings_of(tmp_path, "共受理行政复议案件[9件]{#cases name=\"受理行政复议案件数\"}。\n") == []


def test_untagged_statistic_on_a_later_source_line(tmp_path):
    assert warnings_of(tmp_path, "全年共受理\n行政复议案件9件。\n") == [("6:7", _untagged("9件"))]


# ---- shares above 100% ---------------------------------------------------------------------


def test_share_above_100(tmp_path):
    assert warnings_of(tmp_path, "覆盖率达[120%]{#coverage name=\"监管事项覆盖率\"}。\n") == [
        ("5:5", "share above 100%: 监管事项覆盖率 is 120% (a growth rate is marked kind=\"change\","
                " a ratio to a plan or a past year kind=\"ratio\")")
    ]


@pytest.mark.parametrize("body", [
    "好评率达[100%]{#a name=\"好评率\"}。\n",
    "比例[100%]{#a name=\"最多跑一次比例\"}以上。\n",  # a notice in the checks, not a lint warning
    "企业贷款增长[150%]{#a name=\"企业贷款余额\" kind=\"change\"}。\n",  # growth
    "运量计划完成[104%]{#a name=\"运量\" kind=\"ratio\"}。\n",  # plan completion
    "收入为上年的[120%]{#a name=\"财政收入\" kind=\"ratio\"}。\n",  # ratio to the previous year
])
def test_percentages_marked_as_not_shares_may_exceed_100(tmp_path, body):
    assert [w for w in warnings_of(tmp_path, body) if "share above" in w[1]] == []


@pytest.mark.parametrize("body", [
    "企业贷款增长[150%]{#a name=\"企业贷款余额\"}。\n",
    "达到[130%]{#a name=\"工业增加值同比增幅\"}。\n",
    "检查实施清单完成率为[104%]{#a name=\"检查实施清单完成率\"}。\n",
])
def test_the_words_around_a_percentage_do_not_make_it_a_change(tmp_path, body):
    # Only kind= says a percentage may exceed 100: "增长" before it or "完成" in its name could
    # as well stand beside a share, and a share above 100 must not pass unnoticed.
    assert [w for w in warnings_of(tmp_path, body) if "share above" in w[1]] != []


# ---- figures: numbers as printed -----------------------------------------------------------


def test_number_value_reads_separators_and_full_width_digits():
    assert number_value("1,200") == Decimal(1200)
    assert number_value("９８．４１") == Decimal("98.41")


def test_parse_figure_with_thousands_separator():
    parsed = parse_figure("1,200人")
    assert (parsed.value, parsed.unit, parsed.qualifier) == (Decimal(1200), "人", Qualifier.EXACT)


@pytest.mark.parametrize("text, base", [("3.5万余人次", "35000"), ("20余万人次", "200000"),
                                        ("1.23456万元", "12345.6"), ("12.50%", "12.50")])
def test_base_value_is_written_as_a_statistician_expects(text, base):
    assert str(parse_figure(text).base_value) == base


def test_columns_stay_right_after_escapes_and_entities(tmp_path):
    assert warnings_of(tmp_path, "见\\[注\\]共13项,完&amp;好,的。\n") == [
        ("5:8", _untagged("13项")),
        ("5:11", "half-width ',' in Chinese text: use '，' (GB/T 15834)"),
        ("5:19", "half-width ',' in Chinese text: use '，' (GB/T 15834)"),
    ]
