"""What a printed figure means: value, unit, 万/亿 multiplier and qualifier.

"20余万人次" → 20 万人次, lower bound, 200000 人次; "56.75%" followed by "以上" → lower bound;
"约3万" → approximate. Values stay `Decimal` so nothing is rounded on the way to the workbook.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .model import Qualifier

# Counting units of Chinese administrative statistics, longest first so 场次 wins over 场.
UNITS = (
    "人次", "场次", "户次", "件次", "平方公里", "平方米", "公里", "公顷", "小时", "个百分点",
    "%", "％", "‰", "项", "件", "人", "户", "份", "次", "场", "卷", "条", "家", "个", "部", "名",
    "所", "起", "篇", "期", "批", "元", "吨", "亩", "天", "宗", "座", "处", "张", "册", "本",
    "台", "辆", "套", "例", "位", "支", "首", "幅", "集", "门", "类", "组", "届", "轮", "单",
)
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
APPROX_BEFORE = ("大约", "接近", "约", "近")
LOWER_AFTER = ("以上", "余", "多")
UPPER_AFTER = ("以下", "以内")
UPPER_BEFORE = ("不足", "不到", "不超过")
APPROX_AFTER = ("左右",)

# A number as reports print it: "1,200" (thousands separators), "98.41", or in full-width
# digits as older texts set them ("９８．４１").
NUMBER = r"\d{1,3}(?:,\d{3})+(?:[.．]\d+)?|\d+(?:[.．]\d+)?"
_FIGURE = re.compile(
    rf"^(?P<pre>约|近|超过|逾|不足|不到)?\s*(?P<num>{NUMBER})\s*(?P<more>余|多)?\s*(?P<mult>[万亿])?\s*(?P<more2>余|多)?\s*(?P<unit>.*?)\s*(?P<post>以上|以下|以内|左右)?$"
)
_CHINESE_NUMERAL = set("零〇一二两三四五六七八九十百千万亿")


@dataclass(frozen=True)
class ParsedFigure:
    value: Decimal
    unit: str
    multiplier: int
    base_unit: str
    qualifier: Qualifier
    unit_from_after: str = ""  # a unit read from the text right after the span

    @property
    def base_value(self) -> Decimal:
        """The value with 万/亿 expanded; whole numbers come out whole (3.5万 → 35000, not 35000.0; 1.23456万 → 12345.6)."""
        expanded = self.value * self.multiplier
        if self.multiplier == 1:
            return expanded
        if expanded == expanded.to_integral_value():
            return expanded.quantize(Decimal(1))
        return expanded.normalize()  # never exponent notation here: the value has a fraction


class FigureSyntaxError(ValueError):
    pass


def number_value(printed: str) -> Decimal:
    """ "1,200" → 1200, "９８．４１" → 98.41."""
    return Decimal(unicodedata.normalize("NFKC", printed).replace(",", ""))


# Words right before a percentage that make it a change or a ratio to a plan or a past year,
# which may exceed 100% ("增长150%", "计划完成104%", "为上年的120%"), unlike a share.
_CHANGE_BEFORE = re.compile(
    r"(?:增长|增加|下降|降低|减少|提高|提升|上升|增幅|增速|涨幅|降幅|完成|上年的|去年的|同期的)(?:了|达|为|约|近)?$"
)
_CHANGE_IN_NAME = ("增长", "增幅", "增速", "涨幅", "降幅", "同比", "环比", "完成")


def percentage_may_exceed_100(name: str, sentence: str, text: str) -> bool:
    """Whether a percentage is a change or a plan/past-year ratio rather than a share."""
    if any(word in name for word in _CHANGE_IN_NAME):
        return True
    at = sentence.find(text)
    return at >= 0 and bool(_CHANGE_BEFORE.search(sentence[:at]))


def leading_unit(text: str) -> str:
    """The counting unit that starts `text`, or ""."""
    for unit in UNITS:
        if text.startswith(unit):
            return unit
    return ""


def parse_figure(
    text: str,
    before: str = "",
    after: str = "",
    value: str | None = None,
    unit: str | None = None,
) -> ParsedFigure:
    """Parse a span's printed text, reading qualifiers from its neighbours.

    `value` and `unit` are the span's explicit attributes, for figures not printed in Arabic
    numerals ("两次") or with an unusual unit.
    """
    qualifier = Qualifier.EXACT
    multiplier = 1
    printed_unit = ""
    if value is not None:
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise FigureSyntaxError(f"value={value!r} is not a number")
        if not number.is_finite():
            raise FigureSyntaxError(f"value={value!r} is not a finite number")
        rest = text.lstrip("约近")
        rest = "".join(ch for ch in rest if ch not in _CHINESE_NUMERAL and not ch.isdigit() and ch != ".")
        more = rest.startswith(("余", "多"))
        rest = rest.lstrip("余多")
        printed_unit = rest.strip()
        if more:
            qualifier = Qualifier.LOWER_BOUND
    else:
        match = _FIGURE.match(text.strip())
        if not match or not match.group("num"):
            raise FigureSyntaxError(
                f"no figure in '{text}': write the number in Arabic numerals or give value=\"…\""
            )
        number = number_value(match.group("num"))
        if match.group("mult"):
            multiplier = MULTIPLIERS[match.group("mult")]
        printed_unit = (match.group("mult") or "") + match.group("unit")
        pre, post = match.group("pre"), match.group("post")
        if match.group("more") or match.group("more2") or post == "以上" or pre in ("超过", "逾"):
            qualifier = Qualifier.LOWER_BOUND
        elif post in ("以下", "以内") or pre in ("不足", "不到"):
            qualifier = Qualifier.UPPER_BOUND
        elif pre in ("约", "近") or post == "左右":
            qualifier = Qualifier.APPROXIMATE
        if printed_unit.startswith(("余", "多")):
            qualifier = Qualifier.LOWER_BOUND
            printed_unit = printed_unit[1:]
    unit_from_after = ""
    if unit is not None:
        printed_unit = unit
    elif printed_unit in ("", "万", "亿"):
        # "[13]{…}项": the unit stands right after the span, possibly after 余.
        tail = after[1:] if after.startswith(("余", "多")) else after
        unit_from_after = leading_unit(tail)
        if unit_from_after:
            printed_unit += unit_from_after
            if after.startswith(("余", "多")):
                qualifier = Qualifier.LOWER_BOUND
    for mult_char, mult in MULTIPLIERS.items():
        if printed_unit.startswith(mult_char) and multiplier == 1 and value is not None:
            multiplier = mult
    base_unit = printed_unit[1:] if multiplier != 1 and printed_unit[:1] in MULTIPLIERS else printed_unit
    # Neighbour words outside the span.
    if qualifier == Qualifier.EXACT:
        stripped_after = after[len(unit_from_after):] if unit_from_after else after
        if stripped_after.startswith(("余", "多")) and not unit_from_after:
            qualifier = Qualifier.LOWER_BOUND
        elif stripped_after.startswith("以上"):
            qualifier = Qualifier.LOWER_BOUND
        elif stripped_after.startswith(UPPER_AFTER):
            qualifier = Qualifier.UPPER_BOUND
        elif stripped_after.startswith(APPROX_AFTER):
            qualifier = Qualifier.APPROXIMATE
        elif before.endswith(("超过", "逾")):
            qualifier = Qualifier.LOWER_BOUND
        elif before.endswith(UPPER_BEFORE):
            qualifier = Qualifier.UPPER_BOUND
        elif before.endswith(APPROX_BEFORE):
            qualifier = Qualifier.APPROXIMATE
    return ParsedFigure(
        value=number,
        unit=printed_unit.strip(),
        multiplier=multiplier,
        base_unit=base_unit.strip(),
        qualifier=qualifier,
        unit_from_after=unit_from_after,
    )


# A number followed by a unit in running text: what the lint calls an untagged statistic.
_UNIT_ALTERNATION = "|".join(re.escape(u) for u in UNITS)
# Not after a digit or point (inside a number), 〔 (document number), 第 (ordinal) or × ("7×24小时").
STATISTIC_IN_TEXT = re.compile(
    rf"(?<![\d.．〔\[第×])(?P<num>{NUMBER})\s*(?:余|多)?\s*(?:万|亿)?\s*(?:余|多)?(?P<unit>{_UNIT_ALTERNATION}|万|亿)"
)
