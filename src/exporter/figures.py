"""What a printed figure means: value, unit, 万/亿 multiplier, qualifier, or a range.

"20余万人次" → 20 万人次, lower bound, 200000 人次; "56.75%" followed by "以上" → lower bound;
"约3万" → approximate; "3至5项" → the range 3 to 5 项; "3亿5000万元" → 3.5 亿元. Values stay
`Decimal` so nothing is rounded on the way to the workbook, and a value keeps the decimals it
was printed with (12.50 stays 12.50).

The grammar is written down in docs/source-format.md ("Figure grammar") and read in
figure_grammar.py; this module adds what the words around a span say and the span's attributes.
Whatever the grammar does not read exactly — a fraction, scientific notation, a colloquial or
vague Chinese numeral, a second number in the unit — stops with an error asking for `value=`; a
date stops with an error, since a date is not a figure. When `value=` is given for a figure the
grammar does read, it must agree with the printed number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .figure_grammar import (
    CHINESE_RUN, DURATION_UNIT, MULTIPLIER_WORDS, NORMAL_DIGITS, PREFIXES, FigureSyntaxError, NeedsValue, NoNumber,
    plain, read_span, strip_postfix,
)
from .model import Qualifier

# Counting units of Chinese administrative statistics, longest first so 场次 wins over 场.
UNITS = (
    "人次", "场次", "户次", "件次", "平方公里", "平方米", "公里", "公顷", "小时", "个百分点",
    "%", "％", "‰", "‱", "项", "件", "人", "户", "份", "次", "场", "卷", "条", "家", "个", "部", "名",
    "所", "起", "篇", "期", "批", "元", "吨", "亩", "天", "宗", "座", "处", "张", "册", "本",
    "台", "辆", "套", "例", "位", "支", "首", "幅", "集", "门", "类", "组", "届", "轮", "单",
)
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
APPROX_BEFORE = ("大约", "接近", "约", "近")
LOWER_AFTER = ("以上", "余", "多")
UPPER_AFTER = ("以下", "以内")
UPPER_BEFORE = ("不足", "不到", "不超过")
APPROX_AFTER = ("左右",)

# A number as reports print it: "1,200" or "1 200" (thousands grouped by commas or thin
# spaces), "98.41", or in full-width digits as older texts set them ("９８．４１").
NUMBER = r"\d{1,3}(?:,\d{3})+(?:[.．]\d+)?|\d+(?:[.．]\d+)?"

_DATE = re.compile(
    r"^(?:\d{4}年(?:度|\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月(?:\d{1,2}日)?|\d{4}[-/]\d{1,2}(?:[-/]\d{1,2})?"
    r"|[〇零一二三四五六七八九]{4}年.*|[一二三四五六七八九十]{1,3}月(?:[一二三四五六七八九十]{1,3}日)?)"
    r"(?:底|初|末|中旬|上旬|下旬|以来)?$"
)
_BARE_YEAR = re.compile(r"^\d{4}年$")


@dataclass(frozen=True)
class ParsedFigure:
    value: Decimal
    unit: str
    multiplier: int
    base_unit: str
    qualifier: Qualifier
    unit_from_after: str = ""  # a unit read from the text right after the span
    upper: Decimal | None = None  # the upper end of a range (qualifier RANGE); `value` is the lower end

    @property
    def base_value(self) -> Decimal:
        """The value with 万/亿 expanded; whole numbers come out whole (3.5万 → 35000, not 35000.0; 1.23456万 → 12345.6)."""
        return expand(self.value, self.multiplier)

    @property
    def base_upper(self) -> Decimal | None:
        return None if self.upper is None else expand(self.upper, self.multiplier)


def expand(value: Decimal, multiplier: int) -> Decimal:
    """`value` × `multiplier`, written as a statistician expects: whole numbers whole, never 1.2E+12."""
    if multiplier == 1:
        return value
    return plain(value * multiplier)


def number_value(printed: str) -> Decimal:
    """ "1,200" → 1200, "９８．４１" → 98.41."""
    return Decimal(unicodedata.normalize("NFKC", printed).replace(",", ""))


def leading_unit(text: str) -> str:
    """The counting unit that starts `text`, or "" (年 counts: "[3]{…}年来" is a duration of 3 年)."""
    for unit in UNITS:
        if text.startswith(unit):
            return unit
    if text.startswith(DURATION_UNIT) and not text.startswith(NOT_DURATION_AFTER, 1):
        return DURATION_UNIT
    return ""


# ---- durations -------------------------------------------------------------------------------
# A number of years is a duration, and a duration is a figure: "为期3年", "3年来", "连续5年",
# "近10年". A year is a date, never a figure: "2021年". The rule that tells them apart is the
# number of digits: 1 to 3 digits before 年 make a duration, 4 digits a year (reports print years in
# full). 年 is not one of UNITS, so that "2021年" never reads as a count of 年; the duration rule
# is applied where a figure's unit is looked for (`leading_unit`, `strip_postfix`) and by lint.
NOT_DURATION_AFTER = ("级", "度")           # "3年级" is a school grade, "年度" a reporting year
DURATION_IN_TEXT = re.compile(
    r"(?<![\d.．〔\[第×/-])(?P<num>\d{1,3}(?:[.．]\d+)?)\s*(?:余|多)?\s*年(?![级度\d])")


def is_duration(text: str) -> bool:
    """Whether `text` (a figure as printed, e.g. "3年", "3年来", "10余年") is a number of years."""
    return bool(DURATION_IN_TEXT.fullmatch(text.strip().translate(NORMAL_DIGITS).removesuffix("来").removesuffix("以")
                                           .removesuffix("间").removesuffix("内")))


def canonical_text(figure: ParsedFigure) -> str:
    """The figure printed the one way the grammar writes it: "约45万份", "超过20万人次", "3至5项", "-5%".

    Grouping, mixed 亿…万 forms, Chinese numerals and neighbour words are not kept, so this is the
    text of the figure's meaning, not necessarily the text the report printed.
    """
    number = format(figure.value, "f")
    if figure.qualifier == Qualifier.RANGE and figure.upper is not None:
        return f"{number}至{format(figure.upper, 'f')}{figure.unit}"
    prefix = {Qualifier.APPROXIMATE: "约", Qualifier.LOWER_BOUND: "超过", Qualifier.UPPER_BOUND: "不足"}
    return prefix.get(figure.qualifier, "") + number + figure.unit


def _reading(figure: ParsedFigure) -> str:
    """ "13 项", "3.5 亿元 (350000000 元)", "3 至 5 项": how a message shows what was read."""
    if figure.qualifier == Qualifier.RANGE and figure.upper is not None:
        shown = f"{format(figure.value, 'f')} 至 {format(figure.upper, 'f')} {figure.unit}".rstrip()
    else:
        shown = f"{format(figure.value, 'f')} {figure.unit}".rstrip()
    if figure.multiplier != 1:
        shown += f" ({format(figure.base_value, 'f')} {figure.base_unit})".replace(" )", ")")
    return shown


# ---- the grammar ---------------------------------------------------------------------------


def _given(value: str) -> Decimal:
    try:
        number = Decimal(value.strip().translate(NORMAL_DIGITS))
    except InvalidOperation:
        raise FigureSyntaxError(f"value={value!r} is not a number") from None
    if not number.is_finite():
        raise FigureSyntaxError(f"value={value!r} is not a finite number")
    return number


def parse_figure(
    text: str,
    before: str = "",
    after: str = "",
    value: str | None = None,
    unit: str | None = None,
) -> ParsedFigure:
    """Parse a span's printed text, reading qualifiers from its neighbours.

    `value` and `unit` are the span's explicit attributes: `value` for figures the grammar does
    not read ("数十人", "1/3"), where it must be given, and otherwise a confirmation that must
    agree with the printed number; `unit` for an unusual unit.
    """
    stripped = text.strip()
    norm = re.sub(r"\s+", "", stripped.translate(NORMAL_DIGITS))
    if _DATE.match(norm) and not (unit is not None and _BARE_YEAR.match(norm)):
        raise FigureSyntaxError(f"'{text}' is a date, not a figure: leave it untagged "
                                "(the period of a figure goes into period=\"…\")")
    given = _given(value) if value is not None else None
    try:
        read = read_span(stripped)
    except NeedsValue as need:
        if given is None:
            also = " and unit=\"…\"" if need.unit_rest is None and unit is None else ""
            raise FigureSyntaxError(f"{need.reason}: give value=\"…\"{also} with the number to record") from None
        if need.agrees is not None and not need.agrees(given, unit if unit is not None else need.unit_rest or ""):
            raise FigureSyntaxError(f"value=\"{value}\" contradicts the printed figure '{text}'") from None
        if need.unit_rest is None and unit is None:
            raise FigureSyntaxError(f"{need.reason}: give unit=\"…\" as well as value=\"…\"") from None
        rest = strip_postfix((need.unit_rest or "").strip())[0].strip()
        return _with_neighbours(_from_given(text, given, unit if unit is not None else rest),
                                before, after, unit is not None)
    except NoNumber:
        if given is None:
            raise FigureSyntaxError(
                f"no figure in '{text}': write the number in Arabic numerals or give value=\"…\"") from None
        return _with_neighbours(_from_given(text, given, unit if unit is not None else _unit_around(stripped)),
                                before, after, unit is not None)
    figure = ParsedFigure(
        value=read.value, unit=read.multiplier_word + read.unit, multiplier=read.multiplier,
        base_unit=read.unit, qualifier=read.qualifier, upper=read.upper,
    )
    if given is not None and (read.upper is not None or given != read.value):
        raise FigureSyntaxError(
            f"value=\"{value}\" contradicts the printed figure '{text}', which reads {_reading(figure)}: "
            "correct the span or remove value=")
    if unit is not None:
        if read.multiplier_word and not unit.startswith(read.multiplier_word):
            raise FigureSyntaxError(f"unit=\"{unit}\" drops the {read.multiplier_word} printed in '{text}'")
        figure = _replace_unit(figure, unit)
    return _with_neighbours(figure, before, after, unit is not None)


def _replace_unit(figure: ParsedFigure, unit: str) -> ParsedFigure:
    multiplier, word = figure.multiplier, ""
    for candidate, factor in MULTIPLIER_WORDS:
        if unit.startswith(candidate) and (multiplier == 1 or multiplier == factor):
            multiplier, word = factor, candidate
            break
    return ParsedFigure(figure.value, unit, multiplier, unit[len(word):], figure.qualifier,
                        upper=figure.upper)


def _unit_around(text: str) -> str:
    """The unit of a figure the grammar did not read ("数十人" → 人), for a span with `value=`."""
    rest = text
    for word, _ in PREFIXES:
        if rest.startswith(word):
            rest = rest[len(word):]
            break
    rest = "".join(ch for ch in rest if ch not in CHINESE_RUN and not ch.isdigit() and ch not in ".．")
    rest = rest.lstrip("余多数几上成")
    return strip_postfix(rest.strip())[0].strip()


def _from_given(text: str, given: Decimal, unit: str) -> ParsedFigure:
    qualifier = Qualifier.EXACT
    stripped = text.strip()
    for word, prefix in PREFIXES:
        if stripped.startswith(word):
            qualifier = prefix
            break
    post = strip_postfix(stripped)[1]
    if post is not None:
        qualifier = post
    elif re.search(r"[\d零〇一二两三四五六七八九十百千万亿](?:万|亿)?[余多]", stripped):
        qualifier = Qualifier.LOWER_BOUND
    return _replace_unit(ParsedFigure(given, unit.strip(), 1, unit.strip(), qualifier), unit.strip())


def _with_neighbours(figure: ParsedFigure, before: str, after: str, unit_given: bool) -> ParsedFigure:
    """The unit right after the span ("[13]{…}项") and the qualifier words around it ("约[45万份]{…}")."""
    printed_unit, base_unit, qualifier, unit_from_after = figure.unit, figure.base_unit, figure.qualifier, ""
    if not unit_given and base_unit == "":
        # "[13]{…}项": the unit stands right after the span, possibly after 余.
        tail = after[1:] if after.startswith(("余", "多")) else after
        unit_from_after = leading_unit(tail)
        if unit_from_after:
            printed_unit += unit_from_after
            base_unit = unit_from_after
            if after.startswith(("余", "多")):
                qualifier = _neighbour(figure, qualifier, Qualifier.LOWER_BOUND)
    if unit_from_after == DURATION_UNIT and figure.multiplier == 1 and re.fullmatch(r"\d{4}", format(figure.value, "f")):
        raise FigureSyntaxError(f"'{figure.value}{DURATION_UNIT}' is a year, not a figure: leave it untagged "
                                "(the period of a figure goes into period=\"…\")")
    stripped_after = after[len(unit_from_after):] if unit_from_after else after
    neighbour = None
    if stripped_after.startswith(("余", "多")) and not unit_from_after:
        neighbour = Qualifier.LOWER_BOUND
    elif stripped_after.startswith("以上"):
        neighbour = Qualifier.LOWER_BOUND
    elif stripped_after.startswith(UPPER_AFTER):
        neighbour = Qualifier.UPPER_BOUND
    elif stripped_after.startswith(APPROX_AFTER):
        neighbour = Qualifier.APPROXIMATE
    elif before.endswith(("超过", "逾")):
        neighbour = Qualifier.LOWER_BOUND
    elif before.endswith(UPPER_BEFORE):
        neighbour = Qualifier.UPPER_BOUND
    elif before.endswith(APPROX_BEFORE):
        neighbour = Qualifier.APPROXIMATE
    if neighbour is not None and qualifier == Qualifier.EXACT:
        qualifier = neighbour
    elif neighbour is not None and qualifier == Qualifier.RANGE:
        _neighbour(figure, qualifier, neighbour)
    return ParsedFigure(figure.value, printed_unit.strip(), figure.multiplier, base_unit.strip(), qualifier,
                        unit_from_after=unit_from_after, upper=figure.upper)


def _neighbour(figure: ParsedFigure, qualifier: Qualifier, neighbour: Qualifier) -> Qualifier:
    if qualifier == Qualifier.RANGE:
        raise FigureSyntaxError(f"the range '{canonical_text(figure)}' stands next to a word that makes it "
                                f"a {neighbour.chinese}: a figure is a range or a bound, not both")
    return neighbour


# A number followed by a unit in running text: what the lint calls an untagged statistic.
_UNIT_ALTERNATION = "|".join(re.escape(u) for u in UNITS)
# Not after a digit or point (inside a number), 〔 (document number), 第 (ordinal) or × ("7×24小时").
STATISTIC_IN_TEXT = re.compile(
    rf"(?<![\d.．〔\[第×])(?P<num>{NUMBER})\s*(?:余|多)?\s*(?:万|亿)?\s*(?:余|多)?(?P<unit>{_UNIT_ALTERNATION}|万|亿)"
)
