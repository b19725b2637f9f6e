"""What a printed figure means: value, unit, 万/亿 multiplier, qualifier, or a range.

"20余万人次" → 20 万人次, lower bound, 200000 人次; "56.75%" followed by "以上" → lower bound;
"约3万" → approximate; "3至5项" → the range 3 to 5 项; "3亿5000万元" → 3.5 亿元. Values stay
`Decimal` so nothing is rounded on the way to the workbook, and a value keeps the decimals it
was printed with (12.50 stays 12.50).

The grammar is written down in docs/source-format.md ("Figure grammar"). Whatever it does not
read exactly — a fraction, scientific notation, a colloquial or vague Chinese numeral, a second
number in the unit — stops with an error asking for `value=`; a date stops with an error, since
a date is not a figure. When `value=` is given for a figure the grammar does read, it must agree
with the printed number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Callable

from .model import Qualifier

# Counting units of Chinese administrative statistics, longest first so 场次 wins over 场.
UNITS = (
    "人次", "场次", "户次", "件次", "平方公里", "平方米", "公里", "公顷", "小时", "个百分点",
    "%", "％", "‰", "‱", "项", "件", "人", "户", "份", "次", "场", "卷", "条", "家", "个", "部", "名",
    "所", "起", "篇", "期", "批", "元", "吨", "亩", "天", "宗", "座", "处", "张", "册", "本",
    "台", "辆", "套", "例", "位", "支", "首", "幅", "集", "门", "类", "组", "届", "轮", "单",
)
# 万/亿 and their compounds as printed after a number, longest first so 万亿 wins over 万.
MULTIPLIER_WORDS = (("万亿", 10**12), ("千万", 10**7), ("百万", 10**6), ("亿", 10**8), ("万", 10**4))
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
APPROX_BEFORE = ("大约", "接近", "约", "近")
LOWER_AFTER = ("以上", "余", "多")
UPPER_AFTER = ("以下", "以内")
UPPER_BEFORE = ("不足", "不到", "不超过")
APPROX_AFTER = ("左右",)
# Qualifier words inside the span, before the number; longest first.
_PREFIXES = (
    ("不超过", Qualifier.UPPER_BOUND), ("大约", Qualifier.APPROXIMATE), ("接近", Qualifier.APPROXIMATE),
    ("超过", Qualifier.LOWER_BOUND), ("不足", Qualifier.UPPER_BOUND), ("不到", Qualifier.UPPER_BOUND),
    ("约", Qualifier.APPROXIMATE), ("近", Qualifier.APPROXIMATE), ("逾", Qualifier.LOWER_BOUND),
)
_POSTFIXES = (
    ("以上", Qualifier.LOWER_BOUND), ("以下", Qualifier.UPPER_BOUND), ("以内", Qualifier.UPPER_BOUND),
    ("左右", Qualifier.APPROXIMATE),
)
# "百分之九十" is 90 %, "千分之五" 5 ‰, "万分之三" 3 ‱.
_PER_WORDS = (("百分之", "%"), ("千分之", "‰"), ("万分之", "‱"))
# Units a number may be followed by that begin with a Chinese numeral character; any other
# numeral after the number ("5千人": 5 千人 or 5000 人?) is not read.
NUMERAL_UNITS = ("个百分点", "百分点", "千瓦时", "千瓦", "千米", "千克", "千公顷", "千帕", "千伏", "千卡", "千焦")
RANGE_SEPARATORS = "至到～~〜—–-"
_GROUP_SPACES = " \u00a0\u2009\u202f"

# A number as reports print it: "1,200" or "1 200" (thousands grouped by commas or thin
# spaces), "98.41", or in full-width digits as older texts set them ("９８．４１").
NUMBER = r"\d{1,3}(?:,\d{3})+(?:[.．]\d+)?|\d+(?:[.．]\d+)?"
_ARABIC = re.compile(r"(?P<int>\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+|\d+)(?:\.(?P<frac>\d+))?")
_SCIENTIFIC = re.compile(r"(?:[eE](?P<e>[+-]?\d+)|[×xX]\s*10\^?(?P<p>[+-]?\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+))")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
# Full-width digits and point, and every minus sign, to ASCII: one character for one, so offsets
# in the normalised text are offsets in the printed one.
_NORMAL = str.maketrans("０１２３４５６７８９．－−﹣", "0123456789.---")

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PLACES = {"十": 10, "百": 100, "千": 1000}
_CHINESE_NUMERAL = set("零〇一二两三四五六七八九十百千万亿")
_CHINESE_RUN = _CHINESE_NUMERAL | {"点"}

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


class FigureSyntaxError(ValueError):
    pass


def expand(value: Decimal, multiplier: int) -> Decimal:
    """`value` × `multiplier`, written as a statistician expects: whole numbers whole, never 1.2E+12."""
    if multiplier == 1:
        return value
    return _plain(value * multiplier)


def _plain(value: Decimal) -> Decimal:
    """The shortest exact form of `value` without exponent notation: 3.50000000 → 3.5, 1.2E+12 → 1200000000000."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


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
# is applied where a figure's unit is looked for (`leading_unit`, `_strip_postfix`) and by lint.
DURATION_UNIT = "年"
DURATION_TAILS = ("以来", "来", "间", "内")  # "3年来", "5年以来", "3年间", "2年内": the unit is still 年
NOT_DURATION_AFTER = ("级", "度")           # "3年级" is a school grade, "年度" a reporting year
DURATION_IN_TEXT = re.compile(
    r"(?<![\d.．〔\[第×/-])(?P<num>\d{1,3}(?:[.．]\d+)?)\s*(?:余|多)?\s*年(?![级度\d])")


def is_duration(text: str) -> bool:
    """Whether `text` (a figure as printed, e.g. "3年", "3年来", "10余年") is a number of years."""
    return bool(DURATION_IN_TEXT.fullmatch(text.strip().translate(_NORMAL).removesuffix("来").removesuffix("以")
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


class _NeedsValue(Exception):
    """A figure the grammar recognises but cannot read exactly: it needs `value=`.

    `agrees` checks a given value against what is printed, when that can be said; `unit_rest`
    is the unit printed after the number, or None when `unit=` must be given as well.
    """

    def __init__(self, reason: str, agrees: Callable[[Decimal, str], bool] | None = None,
                 unit_rest: str | None = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.agrees = agrees
        self.unit_rest = unit_rest


class _NoNumber(Exception):
    pass


@dataclass(frozen=True)
class _Magnitude:
    value: Decimal       # in units of the multiplier, exact
    multiplier: int
    multiplier_word: str
    end: int
    more: bool           # 余/多 printed with the number


def _per_factor(unit: str) -> int:
    return {"%": 100, "％": 100, "‰": 1000, "‱": 10000}.get(unit, 1)


def _fraction_agrees(numerator: Decimal, denominator: Decimal) -> Callable[[Decimal, str], bool]:
    """A value agrees with a fraction when it is the fraction rounded to the value's own decimals
    (0.33 or 0.3333 for 1/3; 33.33 with unit="%")."""
    def agrees(value: Decimal, unit: str) -> bool:
        exponent = value.as_tuple().exponent
        half_ulp = Decimal(5).scaleb((exponent if isinstance(exponent, int) else 0) - 1)
        return abs(value - numerator / denominator * _per_factor(unit)) <= half_ulp
    return agrees


def _arabic(text: str, norm: str, i: int) -> tuple[Decimal, int]:
    match = _ARABIC.match(norm, i)
    assert match is not None
    digits = match.group("int")
    for separator in "," + _GROUP_SPACES:
        digits = digits.replace(separator, "")
    if len(digits) > 1 and digits.startswith("0"):
        raise _NeedsValue(f"'{text}' has a leading zero ('{match.group(0)}')", unit_rest=None)
    frac = match.group("frac")
    return Decimal(digits + ("." + frac if frac else "")), match.end()


def _section(text: str, leading: bool, group_skipped: bool = False) -> int:
    """A Chinese numeral below 10000: 一千零五 → 1005, 十二 → 12 (十 leads only the whole number or
    follows 零). Colloquial forms that drop a place (三百五 = 350, 一万五 = 15000) are refused."""
    total, last_place, zero, i = 0, 10_000, False, 0
    while i < len(text):
        ch = text[i]
        if ch in "零〇":
            if zero and i > 0:
                raise ValueError(text)
            zero = True
            i += 1
            continue
        if ch == "十" and (i == 0 or zero) and last_place > 10:
            digit, place = 1, 10
            i += 1
        elif ch in _DIGITS:
            digit = _DIGITS[ch]
            i += 1
            place = 1
            if i < len(text) and text[i] in _PLACES:
                place = _PLACES[text[i]]
                i += 1
        else:
            raise ValueError(text)
        if digit == 0 or place >= last_place or (ch == "两" and place in (1, 10) and len(text) > 1):
            raise ValueError(text)
        gap = place < last_place // 10
        if last_place == 10_000:
            # The first place: after 万/亿 a lower section says 零 exactly when it skips the thousands.
            # After 亿 with no 万 group ("一亿零五千") the 零 stands for the skipped group.
            if (leading and zero) or (not leading and (place < 1000 or group_skipped) != zero):
                raise ValueError(text)
        elif gap != zero:
            raise ValueError(text)
        total += digit * place
        last_place, zero = place, False
    if zero or total == 0:
        raise ValueError(text)
    return total


def _below_yi(text: str, leading: bool) -> tuple[int, bool]:
    if "万" in text:
        high, low = text.split("万", 1)
        if not high or "万" in low:
            raise ValueError(text)
        return _section(high, leading) * 10_000 + (_section(low, False) if low else 0), True
    return _section(text, leading, group_skipped=not leading), False


def _chinese_integer(text: str) -> tuple[int, int, str]:
    """A Chinese numeral → (number, multiplier, multiplier word): 两万 → (20000, 10⁴, 万),
    三亿五千万 → (350000000, 10⁸, 亿), 一万二千亿 → (1.2×10¹², 10¹², 万亿), 一百零五 → (105, 1, "")."""
    if "亿" in text:
        high, low = text.split("亿", 1)
        if not high or "亿" in low:
            raise ValueError(text)
        head, has_wan = _below_yi(high, True)
        total = head * 10**8 + (_below_yi(low, False)[0] if low else 0)
        return (total, 10**12, "万亿") if has_wan else (total, 10**8, "亿")
    number, has_wan = _below_yi(text, True)
    return (number, 10**4, "万") if has_wan else (number, 1, "")


def _chinese(run: str) -> tuple[Decimal, int, str]:
    """A run of Chinese numeral characters → (value in multiplier units, multiplier, word)."""
    if "点" in run:
        whole, rest = run.split("点", 1)
        frac = ""
        while rest and rest[0] in _DIGITS and rest[0] != "两":
            frac += str(_DIGITS[rest[0]])
            rest = rest[1:]
        words = dict(MULTIPLIER_WORDS)
        if not frac or (rest and rest not in words) or any(ch in "万亿" for ch in whole):
            raise ValueError(run)
        integer = _section(whole, True) if whole not in ("零", "〇") else 0
        return Decimal(f"{integer}.{frac}"), words.get(rest, 1), rest
    if run in ("零", "〇"):
        return Decimal(0), 1, ""
    number, multiplier, word = _chinese_integer(run)
    return _plain(Decimal(number) / multiplier), multiplier, word


def _magnitude(text: str, norm: str, i: int) -> _Magnitude:
    """One number at `i` with its 余/多 and 万/亿: "20余万", "3亿5000万", "1.2万亿", "−5", "两万", "十余"."""
    n = len(norm)
    negative = norm[i:i + 1] == "-" and i + 1 < n and (norm[i + 1].isdigit() or norm[i + 1] in _CHINESE_NUMERAL)
    if negative:
        i += 1
    multiplier, word = 1, ""
    if i < n and norm[i] in "0123456789":
        value, i = _arabic(text, norm, i)
        scientific = _SCIENTIFIC.match(norm, i)
        if scientific:
            power = int((scientific.group("e") or scientific.group("p")).translate(_SUPERSCRIPTS))
            exact = (-value if negative else value).scaleb(power)
            raise _NeedsValue(f"'{text}' is in scientific notation, which a report does not print",
                              lambda v, _unit: v == exact, unit_rest=text[scientific.end():])
        if norm[i:i + 1] == "/" and norm[i + 1:i + 2].isdigit():
            denominator, end = _arabic(text, norm, i + 1)
            numerator = -value if negative else value
            raise _NeedsValue(f"'{text}' is a fraction, which has no exact decimal in general",
                              _fraction_agrees(numerator, denominator) if denominator else None,
                              unit_rest=text[end:])
    elif i < n and norm[i] in _CHINESE_NUMERAL - {"万", "亿"}:
        end = i
        while end < n and norm[end] in _CHINESE_RUN:
            end += 1
        run = norm[i:end]
        if norm.startswith("分之", end):
            numerator_end = end + 2
            while numerator_end < n and norm[numerator_end] in _CHINESE_RUN:
                numerator_end += 1
            try:
                agrees = _fraction_agrees(_chinese(norm[end + 2:numerator_end])[0], _chinese(run)[0])
            except (ValueError, ZeroDivisionError):
                agrees = None
            raise _NeedsValue(f"'{text}' is a fraction, which has no exact decimal in general", agrees,
                              unit_rest=text[numerator_end:])
        try:
            if norm[end:end + 1] == "分":
                raise ValueError(run)  # "五百分点": 500 分点 or 5 百分点?
            value, multiplier, word = _chinese(run)
        except ValueError:
            raise _NeedsValue(
                f"'{text}' is not a Chinese numeral read exactly here ('{run}': colloquial forms such as "
                "三百五 or 一万五, digit-by-digit forms such as 二〇二一, and vague ones such as 数十 or 一两 are not)",
                unit_rest=text[end:],
            ) from None
        i = end
    else:
        raise _NoNumber
    more = False
    if norm[i:i + 1] in ("余", "多"):
        more, i = True, i + 1
    if multiplier == 1:
        for candidate, factor in MULTIPLIER_WORDS:
            if norm.startswith(candidate, i):
                word, multiplier, i = candidate, factor, i + len(candidate)
                break
        if multiplier != 1 and not more and i < n and norm[i].isdigit():
            value, i = _mixed(text, norm, value, multiplier, i)
    if norm[i:i + 1] in ("余", "多"):
        if more:
            raise _NeedsValue(f"'{text}' says 余/多 twice", unit_rest=None)
        more, i = True, i + 1
    return _Magnitude(-value if negative else value, multiplier, word, i, more)


def _mixed(text: str, norm: str, value: Decimal, multiplier: int, i: int) -> tuple[Decimal, int]:
    """ "3亿5000万" → 3.5 (亿), "1万2000" → 1.2 (万): lower groups continue a number in a larger unit."""
    if value != value.to_integral_value():
        raise _NeedsValue(f"'{text}' mixes a decimal with a further number", unit_rest=None)
    total, previous = value * multiplier, multiplier
    while i < len(norm) and norm[i].isdigit():
        match = _ARABIC.match(norm, i)
        assert match is not None
        if match.group("frac") or not match.group("int").isdigit():
            raise _NeedsValue(f"'{text}' mixes units with a decimal or grouped part", unit_rest=None)
        group, i = int(match.group("int")), match.end()
        factor = 1
        for candidate, candidate_factor in MULTIPLIER_WORDS:
            if norm.startswith(candidate, i):
                factor, i = candidate_factor, i + len(candidate)
                break
        if factor >= previous or group * factor >= previous or group == 0:
            raise _NeedsValue(f"'{text}' is not a number in 亿…万 form ('{match.group(0)}' after a larger unit)",
                              unit_rest=None)
        total += group * factor
        previous = factor
        if factor == 1:
            break
    return _plain(total / multiplier), i


def _check_unit(text: str, unit: str) -> None:
    """A unit holds no further number: "亿5000万元", "年10月", "千人" mean the span was misread."""
    if any(ch.isdigit() for ch in unit):
        raise _NeedsValue(f"'{text}' holds more than one number ('{unit}' follows the first)", unit_rest=None)
    head = unit.split("/", 1)[0]
    for word in NUMERAL_UNITS:
        head = head.replace(word, "")
    if any(ch in _CHINESE_NUMERAL for ch in head):
        raise _NeedsValue(f"'{text}' has a numeral in its unit '{unit}' (千人: 千 people or 1000 people?)",
                          unit_rest=None)


def _strip_postfix(unit: str) -> tuple[str, Qualifier | None]:
    if unit.startswith(DURATION_UNIT) and unit[len(DURATION_UNIT):] in DURATION_TAILS:
        return DURATION_UNIT, None
    for word, qualifier in _POSTFIXES:
        if unit.endswith(word):
            return unit[: -len(word)], qualifier
    return unit, None


def _find_range(norm: str, i: int) -> int:
    """Where a range separator stands after the first number (its unit may come between), or -1."""
    for k in range(i, len(norm)):
        ch = norm[k]
        if ch.isdigit():
            return -1
        if ch in RANGE_SEPARATORS:
            following = norm[k + 1:k + 3]
            if following[:1].isdigit() or following[:1] in _CHINESE_NUMERAL - {"万", "亿"} or (
                    following[:1] == "-" and (following[1:2].isdigit())):
                return k
            return -1
    return -1


@dataclass(frozen=True)
class _Read:
    value: Decimal
    upper: Decimal | None
    multiplier: int
    multiplier_word: str
    unit: str            # after the multiplier word, as printed
    qualifier: Qualifier


def _read(text: str) -> _Read:
    norm = text.translate(_NORMAL)
    i, prefix = 0, None
    for word, qualifier in _PREFIXES:
        if norm.startswith(word):
            i, prefix = len(word), qualifier
            break
    while norm[i:i + 1].isspace():
        i += 1
    for word, per_unit in _PER_WORDS:
        if norm.startswith(word, i):
            if norm.startswith("百分之百", i) and not norm[i + 4:i + 5] in _CHINESE_RUN:
                magnitude = _Magnitude(Decimal(100), 1, "", i + 4, False)
            else:
                magnitude = _magnitude(text, norm, i + len(word))
            rest, post = _strip_postfix(text[magnitude.end:].strip())
            if magnitude.multiplier != 1 or magnitude.more or rest:
                raise _NeedsValue(f"'{text}' is not a plain {word}… figure", unit_rest=None)
            return _Read(magnitude.value, None, 1, "", per_unit, _qualifier(text, prefix, post, False))
    first = _magnitude(text, norm, i)
    separator = _find_range(norm, first.end)
    if separator < 0:
        rest, post = _strip_postfix(text[first.end:].strip())
        rest = rest.strip()
        _check_unit(text, rest)
        return _Read(first.value, None, first.multiplier, first.multiplier_word, rest,
                     _qualifier(text, prefix, post, first.more))
    between = text[first.end:separator].strip()
    second = _magnitude(text, norm, separator + 1)
    rest, post = _strip_postfix(text[second.end:].strip())
    rest = rest.strip()
    _check_unit(text, rest)
    if prefix or post or first.more or second.more:
        raise FigureSyntaxError(f"'{text}' is a range and also says 约/余/以上/不足…: a figure holds one of them; "
                                "rewrite the span or give value=\"…\" for one number")
    if first.multiplier_word and first.multiplier_word != second.multiplier_word:
        raise _NeedsValue(f"'{text}' is a range whose ends are in different units", unit_rest=None)
    if between and between != rest:
        raise _NeedsValue(f"'{text}' is a range whose ends are in different units ('{between}', '{rest}')",
                          unit_rest=None)
    lower = first.value  # "3至5万": with no 万 of its own, the first end is in 万 too
    if lower >= second.value:
        raise FigureSyntaxError(f"range '{text}' does not run from the smaller to the larger number")
    return _Read(lower, second.value, second.multiplier, second.multiplier_word, rest, Qualifier.RANGE)


def _qualifier(text: str, prefix: Qualifier | None, post: Qualifier | None, more: bool) -> Qualifier:
    found = {q for q in (prefix, post, Qualifier.LOWER_BOUND if more else None) if q is not None}
    if len(found) > 1:
        raise FigureSyntaxError(f"'{text}' says both {' and '.join(sorted(q.chinese for q in found))}: "
                                "a figure is one of 下限, 上限, 约数")
    return found.pop() if found else Qualifier.EXACT


def _given(value: str) -> Decimal:
    try:
        number = Decimal(value.strip().translate(_NORMAL))
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
    norm = re.sub(r"\s+", "", stripped.translate(_NORMAL))
    if _DATE.match(norm) and not (unit is not None and _BARE_YEAR.match(norm)):
        raise FigureSyntaxError(f"'{text}' is a date, not a figure: leave it untagged "
                                "(the period of a figure goes into period=\"…\")")
    given = _given(value) if value is not None else None
    try:
        read = _read(stripped)
    except _NeedsValue as need:
        if given is None:
            also = " and unit=\"…\"" if need.unit_rest is None and unit is None else ""
            raise FigureSyntaxError(f"{need.reason}: give value=\"…\"{also} with the number to record") from None
        if need.agrees is not None and not need.agrees(given, unit if unit is not None else need.unit_rest or ""):
            raise FigureSyntaxError(f"value=\"{value}\" contradicts the printed figure '{text}'") from None
        if need.unit_rest is None and unit is None:
            raise FigureSyntaxError(f"{need.reason}: give unit=\"…\" as well as value=\"…\"") from None
        rest = _strip_postfix((need.unit_rest or "").strip())[0].strip()
        return _with_neighbours(_from_given(text, given, unit if unit is not None else rest),
                                before, after, unit is not None)
    except _NoNumber:
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
    for word, _ in _PREFIXES:
        if rest.startswith(word):
            rest = rest[len(word):]
            break
    rest = "".join(ch for ch in rest if ch not in _CHINESE_RUN and not ch.isdigit() and ch not in ".．")
    rest = rest.lstrip("余多数几上成")
    return _strip_postfix(rest.strip())[0].strip()


def _from_given(text: str, given: Decimal, unit: str) -> ParsedFigure:
    qualifier = Qualifier.EXACT
    stripped = text.strip()
    for word, prefix in _PREFIXES:
        if stripped.startswith(word):
            qualifier = prefix
            break
    post = _strip_postfix(stripped)[1]
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
