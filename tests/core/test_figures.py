"""The figure grammar of docs/source-format.md: a table of printed figures and what they mean,
the errors for what it does not read, a round trip printed text → value → printed text, and the
workbook rows of the figures that used to come out silently wrong.

Every expected value below is written out by hand from the grammar, never produced by the code.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.figures import FigureSyntaxError, canonical_text, parse_figure
from exporter.model import Qualifier

EXACT, LOWER, UPPER, APPROX, RANGE = (Qualifier.EXACT, Qualifier.LOWER_BOUND, Qualifier.UPPER_BOUND,
                                      Qualifier.APPROXIMATE, Qualifier.RANGE)

# printed, value= → value (as printed, with its decimals), unit, qualifier, multiplier, base value, base unit, upper
READ = [
    # sign
    ("-5%", None, "-5", "%", EXACT, 1, "-5", "%", None),
    ("−5亿元", "-5", "-5", "亿元", EXACT, 10**8, "-500000000", "元", None),
    ("－3.5万元", None, "-3.5", "万元", EXACT, 10**4, "-35000", "元", None),
    # grouping
    ("1,234人", None, "1234", "人", EXACT, 1, "1234", "人", None),
    ("1 234人", None, "1234", "人", EXACT, 1, "1234", "人", None),
    ("12\u2009345\u2009678元", None, "12345678", "元", EXACT, 1, "12345678", "元", None),
    ("1,234.50元", None, "1234.50", "元", EXACT, 1, "1234.50", "元", None),
    # decimals keep the printed precision
    ("12.50%", None, "12.50", "%", EXACT, 1, "12.50", "%", None),
    ("９８．４１％", None, "98.41", "％", EXACT, 1, "98.41", "％", None),
    ("0.5个百分点", None, "0.5", "个百分点", EXACT, 1, "0.5", "个百分点", None),
    # 万, 亿, 万亿 and the mixed 亿…万 form
    ("20余万人次", None, "20", "万人次", LOWER, 10**4, "200000", "人次", None),
    ("3.5万余人次", None, "3.5", "万人次", LOWER, 10**4, "35000", "人次", None),
    ("1.23456万元", None, "1.23456", "万元", EXACT, 10**4, "12345.6", "元", None),
    ("1.2万亿元", None, "1.2", "万亿元", EXACT, 10**12, "1200000000000", "元", None),
    ("3亿5000万元", None, "3.5", "亿元", EXACT, 10**8, "350000000", "元", None),
    ("1万2000人", None, "1.2", "万人", EXACT, 10**4, "12000", "人", None),
    ("5千万元", None, "5", "千万元", EXACT, 10**7, "50000000", "元", None),
    ("2.5万千瓦时", None, "2.5", "万千瓦时", EXACT, 10**4, "25000", "千瓦时", None),
    ("5千米", None, "5", "千米", EXACT, 1, "5", "千米", None),
    # qualifiers inside the span
    ("约45万份", None, "45", "万份", APPROX, 10**4, "450000", "份", None),
    ("不足10家", None, "10", "家", UPPER, 1, "10", "家", None),
    ("56.75%以上", None, "56.75", "%", LOWER, 1, "56.75", "%", None),
    ("超过300人", None, "300", "人", LOWER, 1, "300", "人", None),
    # ranges: lower end in value, upper end in upper
    ("3至5项", None, "3", "项", RANGE, 1, "3", "项", "5"),
    ("3-5项", None, "3", "项", RANGE, 1, "3", "项", "5"),
    ("10%～20%", None, "10", "%", RANGE, 1, "10", "%", "20"),
    ("3至5万人", None, "3", "万人", RANGE, 10**4, "30000", "人", "5"),
    ("3万—5万人", None, "3", "万人", RANGE, 10**4, "30000", "人", "5"),
    ("-5至-2.5%", None, "-5", "%", RANGE, 1, "-5", "%", "-2.5"),
    ("三至五次", None, "3", "次", RANGE, 1, "3", "次", "5"),
    # per cent, per mille, per ten thousand
    ("5‰", None, "5", "‰", EXACT, 1, "5", "‰", None),
    ("0.3‱", None, "0.3", "‱", EXACT, 1, "0.3", "‱", None),
    ("百分之九十", "90", "90", "%", EXACT, 1, "90", "%", None),
    ("百分之百", None, "100", "%", EXACT, 1, "100", "%", None),
    ("千分之五", None, "5", "‰", EXACT, 1, "5", "‰", None),
    ("万分之三", None, "3", "‱", EXACT, 1, "3", "‱", None),
    ("百分之九十五点五", None, "95.5", "%", EXACT, 1, "95.5", "%", None),
    # Chinese numerals
    ("两次", "2", "2", "次", EXACT, 1, "2", "次", None),
    ("两万人", "2", "2", "万人", EXACT, 10**4, "20000", "人", None),
    ("十二项", None, "12", "项", EXACT, 1, "12", "项", None),
    ("九十人", None, "90", "人", EXACT, 1, "90", "人", None),
    ("一百零五件", None, "105", "件", EXACT, 1, "105", "件", None),
    ("两千三百户", None, "2300", "户", EXACT, 1, "2300", "户", None),
    ("十余万人次", None, "10", "万人次", LOWER, 10**4, "100000", "人次", None),
    ("三亿五千万元", None, "3.5", "亿元", EXACT, 10**8, "350000000", "元", None),
    ("一万零五百人", None, "1.05", "万人", EXACT, 10**4, "10500", "人", None),
    ("三点五万吨", None, "3.5", "万吨", EXACT, 10**4, "35000", "吨", None),
    ("近两万人", None, "2", "万人", APPROX, 10**4, "20000", "人", None),
    # value= for what the grammar refuses, checked against the print where it can be
    ("1/3", "0.3333", "0.3333", "", EXACT, 1, "0.3333", "", None),
    ("三分之一", "0.33", "0.33", "", EXACT, 1, "0.33", "", None),
    ("1e5项", "100000", "100000", "项", EXACT, 1, "100000", "项", None),
    ("数十人", "30", "30", "人", EXACT, 1, "30", "人", None),
]


@pytest.mark.parametrize("printed, value, expected, unit, qualifier, multiplier, base, base_unit, upper", READ)
def test_printed_figure_means(printed, value, expected, unit, qualifier, multiplier, base, base_unit, upper):
    figure = parse_figure(printed, value=value)
    assert (str(figure.value), figure.unit, figure.qualifier, figure.multiplier) == (expected, unit, qualifier,
                                                                                      multiplier)
    assert (str(figure.base_value), figure.base_unit) == (base, base_unit)
    assert (None if figure.upper is None else str(figure.upper)) == upper
    if upper is not None:
        assert str(figure.base_upper) == str(Decimal(upper) * multiplier if multiplier != 1 else upper)


def test_unit_given_as_attribute_carries_its_multiplier():
    figure = parse_figure("1/3", value="33.33", unit="%")
    assert (figure.value, figure.unit, figure.base_unit) == (Decimal("33.33"), "%", "%")
    figure = parse_figure("5千人", value="5000", unit="人")
    assert (figure.value, figure.unit, figure.multiplier) == (Decimal(5000), "人", 1)


def test_unit_and_qualifier_from_the_neighbours():
    figure = parse_figure("13", after="项，")
    assert (figure.value, figure.unit, figure.qualifier) == (Decimal(13), "项", EXACT)
    assert parse_figure("45万", before="约", after="份").qualifier == APPROX
    assert parse_figure("258", after="余场次").qualifier == LOWER


# printed, value=, unit= → a fragment of the error
REFUSED = [
    ("1/3", None, None, "is a fraction"),
    ("三分之一", None, None, "is a fraction"),
    ("1e5项", None, None, "scientific notation"),
    ("2021年10月", None, None, "is a date, not a figure"),
    ("2021年10月", "2021", None, "is a date, not a figure"),
    ("2021年", None, None, "is a date, not a figure"),
    ("12月", None, None, "is a date, not a figure"),
    ("2021-10-05", None, None, "is a date, not a figure"),
    ("13项", "14", None, "value=\"14\" contradicts the printed figure '13项', which reads 13 项"),
    ("3亿5000万元", "3", None, "which reads 3.5 亿元 (350000000 元)"),
    ("两万人", "20000", None, "which reads 2 万人 (20000 人)"),
    ("1/3", "0.5", None, "contradicts the printed figure '1/3'"),
    ("1/3", "33.3", None, "contradicts"),  # 33.3 is 1/3 only with unit="%"
    ("1e5项", "10000", None, "contradicts"),
    ("3至5项", "3", None, "which reads 3 至 5 项"),
    ("5至3项", None, None, "does not run from the smaller to the larger number"),
    ("约3至5项", None, None, "is a range and also says"),
    ("3万至5亿元", None, None, "ends are in different units"),
    ("3%至5项", None, None, "ends are in different units"),
    ("3亿15000万元", None, None, "is not a number in 亿…万 form"),
    ("5千人", None, None, "has a numeral in its unit '千人'"),
    ("5千人", "5000", None, "give unit="),
    ("3.2人/10万人", None, None, "holds more than one number"),
    ("一万五", None, None, "is not a Chinese numeral read exactly"),
    ("三百五十五万五", None, None, "is not a Chinese numeral read exactly"),
    ("二〇二一", None, None, "is not a Chinese numeral read exactly"),
    ("一两次", None, None, "is not a Chinese numeral read exactly"),
    ("五百分点", None, None, "is not a Chinese numeral read exactly"),
    ("007项", None, None, "leading zero"),
    ("若干", None, None, "no figure in '若干'"),
    ("3万", None, "人", "unit=\"人\" drops the 万"),
    ("20余万多人", None, None, "余/多 twice"),
]


@pytest.mark.parametrize("printed, value, unit, fragment", REFUSED)
def test_refused(printed, value, unit, fragment):
    with pytest.raises(FigureSyntaxError) as info:
        parse_figure(printed, value=value, unit=unit)
    assert fragment in str(info.value)


# ---- located errors through `exporter check` --------------------------------------------------------

FRONT = "---\ntitle: 测试报告\nperiod: 2021\n---\n\n# 举措\n\n"


@pytest.mark.parametrize("span, fragment", [
    ('[1/3]{#a name="比例"}', "'1/3' is a fraction"),
    ('[1e5项]{#a name="事项数"}', "scientific notation"),
    ('[2021年10月]{#a name="时间"}', "'2021年10月' is a date, not a figure"),
    ('[13项]{#a name="事项数" value="14"}', "value=\"14\" contradicts the printed figure '13项'"),
    ('[3亿5000万元]{#a name="投资" value="3"}', "which reads 3.5 亿元 (350000000 元)"),
    ('[一万五]{#a name="人数"}', "give value="),
])
def test_check_locates_the_error(tmp_path, span, fragment):
    source = tmp_path / "figure.md"
    source.write_text(FRONT + "全年共完成" + span + "。\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "exporter", "check", str(source)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    # line 8, column 6: the '[' after 全年共完成
    assert f"{source}:8:6: error: " in proc.stderr or "figure.md:8:6: error: " in proc.stderr, proc.stderr
    assert fragment in proc.stderr, proc.stderr


# ---- round trip: printed text → value → printed text ------------------------------------------------

MULTIPLIER_WORDS = ["", "万", "亿", "万亿", "百万", "千万"]
UNITS = ["", "%", "‰", "‱", "项", "人次", "元", "平方公里", "个百分点"]
PREFIXES = {"": EXACT, "约": APPROX, "超过": LOWER, "不足": UPPER}
FACTORS = {"": 1, "万": 10**4, "亿": 10**8, "万亿": 10**12, "百万": 10**6, "千万": 10**7}


@st.composite
def printed_numbers(draw, minimum=0):
    whole = draw(st.integers(min_value=minimum, max_value=10**12))
    decimals = draw(st.text(alphabet="0123456789", max_size=4))
    return str(whole) + ("." + decimals if decimals else "")


def _grouped(number: str, separator: str) -> str:
    whole, _, decimals = number.partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:]] + groups
    return separator.join([whole] + groups) + ("." + decimals if decimals else "")


@settings(max_examples=300, deadline=None)
@given(number=printed_numbers(), negative=st.booleans(), prefix=st.sampled_from(sorted(PREFIXES)),
       multiplier=st.sampled_from(MULTIPLIER_WORDS), unit=st.sampled_from(UNITS),
       separator=st.sampled_from([",", " ", "\u2009"]))
def test_single_figure_round_trips(number, negative, prefix, multiplier, unit, separator):
    sign = "-" if negative and Decimal(number) != 0 else ""
    printed = f"{prefix}{sign}{number}{multiplier}{unit}"
    figure = parse_figure(printed)
    assert format(figure.value, "f") == sign + number  # the printed decimals survive, trailing zeros too
    assert (figure.unit, figure.base_unit, figure.multiplier, figure.qualifier) == (
        multiplier + unit, unit, FACTORS[multiplier], PREFIXES[prefix])
    assert figure.base_value == Decimal(sign + number) * FACTORS[multiplier]
    assert canonical_text(figure) == printed
    assert parse_figure(canonical_text(figure)) == figure
    grouped = parse_figure(f"{prefix}{sign}{_grouped(number, separator)}{multiplier}{unit}")
    assert (grouped.value, grouped.unit, grouped.qualifier) == (figure.value, figure.unit, figure.qualifier)


@settings(max_examples=200, deadline=None)
@given(lower=printed_numbers(), step=printed_numbers(minimum=1), multiplier=st.sampled_from(MULTIPLIER_WORDS),
       unit=st.sampled_from(UNITS))
def test_range_round_trips(lower, step, multiplier, unit):
    upper = format(Decimal(lower) + Decimal(step), "f")
    printed = f"{lower}至{upper}{multiplier}{unit}"
    figure = parse_figure(printed)
    assert (format(figure.value, "f"), format(figure.upper, "f")) == (lower, upper)
    assert (figure.qualifier, figure.unit, figure.multiplier) == (RANGE, multiplier + unit, FACTORS[multiplier])
    assert figure.base_upper == Decimal(upper) * FACTORS[multiplier]
    assert canonical_text(figure) == printed


_CN_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    """The standard Chinese numeral of 1 ≤ n < 10¹², written independently of the code under test."""
    def section(x: int, first: bool) -> str:
        out, pending_zero, started = "", False, False
        for place, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit = x // place % 10
            if digit == 0:
                pending_zero = pending_zero or started
                continue
            if pending_zero:
                out, pending_zero = out + "零", False
            out += "十" if (place == 10 and digit == 1 and first and not started) else _CN_DIGITS[digit] + name
            started = True
        return out

    yi, rest = divmod(n, 10**8)
    wan, low = divmod(rest, 10**4)
    out, higher, skipped = "", False, False
    for group, name in ((yi, "亿"), (wan, "万"), (low, "")):
        if group == 0:
            skipped = skipped or higher
            continue
        if higher and (skipped or group < 1000):
            out += "零"
        out += (_chinese(group) if group >= 10**4 else section(group, not higher)) + name
        higher, skipped = True, False
    return out


def test_the_test_numeral_writer():
    assert [_chinese(n) for n in (12, 105, 1010, 10500, 350000000, 100005000, 120000)] == [
        "十二", "一百零五", "一千零一十", "一万零五百", "三亿五千万", "一亿零五千", "十二万"]


@settings(max_examples=300, deadline=None)
@given(n=st.integers(min_value=1, max_value=10**12 - 1))
def test_chinese_numerals_read_to_their_number(n):
    figure = parse_figure(_chinese(n) + "人")
    expected_multiplier = 10**12 if n >= 10**12 else 10**8 if n >= 10**8 else 10**4 if n >= 10**4 else 1
    if n >= 10**8 and n // 10**8 >= 10**4:
        expected_multiplier = 10**12
    assert figure.multiplier == expected_multiplier
    assert figure.base_value == n
    assert figure.base_unit == "人"


# ---- the workbook rows of the figures that used to be silently wrong --------------------------------

WORKBOOK_SOURCE = FRONT + """\
总投资[3亿5000万元]{#investment name="总投资"}，服务[1 234人]{#served name="服务人数"}，\
办理[3至5项]{#handled name="办理事项数"}，融资[1.2万亿元]{#financing name="融资额"}，\
亏损[−5亿元]{#loss name="亏损额" value="-5"}，下降[-5%]{#decline name="下降幅度"}，\
惠及[两万人]{#benefited name="惠及人数" value="2"}，覆盖[百分之九十]{#coverage name="覆盖率" value="90"}，\
办结率[12.50%]{#closing_rate name="办结率"}，千人发病[5‰]{#incidence name="发病率"}。
"""

# id → 数值, 数值上限, 计量单位, 取值性质, 折算数值, 折算数值上限, 基本单位, number format of 数值, of 折算数值
WORKBOOK_ROWS = {
    "investment": (3.5, None, "亿元", "精确值", 350000000, None, "元", "#,##0.0", "#,##0"),
    "served": (1234, None, "人", "精确值", 1234, None, "人", "#,##0", "#,##0"),
    "handled": (3, 5, "项", "区间", 3, 5, "项", "#,##0", "#,##0"),
    "financing": (1.2, None, "万亿元", "精确值", 1200000000000, None, "元", "#,##0.0", "#,##0"),
    "loss": (-5, None, "亿元", "精确值", -500000000, None, "元", "#,##0", "#,##0"),
    "decline": (-5, None, "%", "精确值", -5, None, "%", "#,##0", "#,##0"),
    "benefited": (2, None, "万人", "精确值", 20000, None, "人", "#,##0", "#,##0"),
    "coverage": (90, None, "%", "精确值", 90, None, "%", "#,##0", "#,##0"),
    "closing_rate": (12.5, None, "%", "精确值", 12.5, None, "%", "#,##0.00", "#,##0.00"),
    "incidence": (5, None, "‰", "精确值", 5, None, "‰", "#,##0", "#,##0"),
}


@pytest.fixture(scope="module")
def figures_workbook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("figures")
    source = folder / "figures.md"
    source.write_text(WORKBOOK_SOURCE, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "exporter", "xlsx", str(source), "-o", str(folder / "out")],
                          capture_output=True, text=True, cwd=folder)
    assert proc.returncode == 0, proc.stderr
    return openpyxl.load_workbook(folder / "out" / "figures.xlsx")


def test_workbook_rows_hold_the_printed_figures(figures_workbook):
    ws = figures_workbook["指标"]
    header = [c.value for c in ws[1]]
    column = {name: header.index(name) for name in header}
    found = {}
    for cells in ws.iter_rows(min_row=2):
        found[cells[column["指标代码"]].value] = cells
    assert set(found) == set(WORKBOOK_ROWS)
    for indicator_id, expected in WORKBOOK_ROWS.items():
        cells = found[indicator_id]
        value, upper, unit, bound, base, base_upper, base_unit, value_format, base_format = expected
        got = tuple(cells[column[name]].value for name in
                    ("数值", "数值上限", "计量单位", "取值性质", "折算数值", "折算数值上限", "基本单位"))
        assert got == (value, upper, unit, bound, base, base_upper, base_unit), indicator_id
        assert cells[column["数值"]].number_format == value_format, indicator_id
        assert cells[column["折算数值"]].number_format == base_format, indicator_id
        assert cells[column["数值"]].data_type == "n" and cells[column["折算数值"]].data_type == "n"


def test_data_dictionary_explains_ranges(figures_workbook):
    rows = {r[0].value: r[-1].value for r in figures_workbook["字段说明"].iter_rows(min_row=2)}
    assert "上限" in rows["数值上限"] and "区间" in rows["取值性质"]
    assert "万亿" in rows["折算数值"]
