"""The printed number of a figure read exactly (figures.py): Arabic and Chinese numerals, 万/亿 and
亿…万 forms, 余/多, ranges, 百分之…, and the qualifier words inside the span. What it recognises
but cannot read exactly raises NeedsValue (the span must give `value=`); no number at all raises
NoNumber. The grammar is written down in docs/source-format.md ("Figure grammar")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from .model import Qualifier

# 万/亿 and their compounds as printed after a number, longest first so 万亿 wins over 万.
MULTIPLIER_WORDS = (("万亿", 10**12), ("千万", 10**7), ("百万", 10**6), ("亿", 10**8), ("万", 10**4))
# Qualifier words inside the span, before the number; longest first.
PREFIXES = (
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

_ARABIC = re.compile(r"(?P<int>\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+|\d+)(?:\.(?P<frac>\d+))?")
_SCIENTIFIC = re.compile(r"(?:[eE](?P<e>[+-]?\d+)|[×xX]\s*10\^?(?P<p>[+-]?\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+))")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
# Full-width digits and point, and every minus sign, to ASCII: one character for one, so offsets
# in the normalised text are offsets in the printed one.
NORMAL_DIGITS = str.maketrans("０１２３４５６７８９．－−﹣", "0123456789.---")

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PLACES = {"十": 10, "百": 100, "千": 1000}
_CHINESE_NUMERAL = set("零〇一二两三四五六七八九十百千万亿")
CHINESE_RUN = _CHINESE_NUMERAL | {"点"}
# A number of years is a duration, a figure in 年 (figures.py, "durations").
DURATION_UNIT = "年"
DURATION_TAILS = ("以来", "来", "间", "内")  # "3年来", "5年以来", "3年间", "2年内": the unit is still 年


class FigureSyntaxError(ValueError):
    pass


def plain(value: Decimal) -> Decimal:
    """The shortest exact form of `value` without exponent notation: 3.50000000 → 3.5, 1.2E+12 → 1200000000000."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


class NeedsValue(Exception):
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


class NoNumber(Exception):
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
        raise NeedsValue(f"'{text}' has a leading zero ('{match.group(0)}')", unit_rest=None)
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
    return plain(Decimal(number) / multiplier), multiplier, word


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
            raise NeedsValue(f"'{text}' is in scientific notation, which a report does not print",
                              lambda v, _unit: v == exact, unit_rest=text[scientific.end():])
        if norm[i:i + 1] == "/" and norm[i + 1:i + 2].isdigit():
            denominator, end = _arabic(text, norm, i + 1)
            numerator = -value if negative else value
            raise NeedsValue(f"'{text}' is a fraction, which has no exact decimal in general",
                              _fraction_agrees(numerator, denominator) if denominator else None,
                              unit_rest=text[end:])
    elif i < n and norm[i] in _CHINESE_NUMERAL - {"万", "亿"}:
        end = i
        while end < n and norm[end] in CHINESE_RUN:
            end += 1
        run = norm[i:end]
        if norm.startswith("分之", end):
            numerator_end = end + 2
            while numerator_end < n and norm[numerator_end] in CHINESE_RUN:
                numerator_end += 1
            try:
                agrees = _fraction_agrees(_chinese(norm[end + 2:numerator_end])[0], _chinese(run)[0])
            except (ValueError, ZeroDivisionError):
                agrees = None
            raise NeedsValue(f"'{text}' is a fraction, which has no exact decimal in general", agrees,
                              unit_rest=text[numerator_end:])
        try:
            if norm[end:end + 1] == "分":
                raise ValueError(run)  # "五百分点": 500 分点 or 5 百分点?
            value, multiplier, word = _chinese(run)
        except ValueError:
            raise NeedsValue(
                f"'{text}' is not a Chinese numeral read exactly here ('{run}': colloquial forms such as "
                "三百五 or 一万五, digit-by-digit forms such as 二〇二一, and vague ones such as 数十 or 一两 are not)",
                unit_rest=text[end:],
            ) from None
        i = end
    else:
        raise NoNumber
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
            raise NeedsValue(f"'{text}' says 余/多 twice", unit_rest=None)
        more, i = True, i + 1
    return _Magnitude(-value if negative else value, multiplier, word, i, more)


def _mixed(text: str, norm: str, value: Decimal, multiplier: int, i: int) -> tuple[Decimal, int]:
    """ "3亿5000万" → 3.5 (亿), "1万2000" → 1.2 (万): lower groups continue a number in a larger unit."""
    if value != value.to_integral_value():
        raise NeedsValue(f"'{text}' mixes a decimal with a further number", unit_rest=None)
    total, previous = value * multiplier, multiplier
    while i < len(norm) and norm[i].isdigit():
        match = _ARABIC.match(norm, i)
        assert match is not None
        if match.group("frac") or not match.group("int").isdigit():
            raise NeedsValue(f"'{text}' mixes units with a decimal or grouped part", unit_rest=None)
        group, i = int(match.group("int")), match.end()
        factor = 1
        for candidate, candidate_factor in MULTIPLIER_WORDS:
            if norm.startswith(candidate, i):
                factor, i = candidate_factor, i + len(candidate)
                break
        if factor >= previous or group * factor >= previous or group == 0:
            raise NeedsValue(f"'{text}' is not a number in 亿…万 form ('{match.group(0)}' after a larger unit)",
                              unit_rest=None)
        total += group * factor
        previous = factor
        if factor == 1:
            break
    return plain(total / multiplier), i


def _check_unit(text: str, unit: str) -> None:
    """A unit holds no further number: "亿5000万元", "年10月", "千人" mean the span was misread."""
    if any(ch.isdigit() for ch in unit):
        raise NeedsValue(f"'{text}' holds more than one number ('{unit}' follows the first)", unit_rest=None)
    head = unit.split("/", 1)[0]
    for word in NUMERAL_UNITS:
        head = head.replace(word, "")
    if any(ch in _CHINESE_NUMERAL for ch in head):
        raise NeedsValue(f"'{text}' has a numeral in its unit '{unit}' (千人: 千 people or 1000 people?)",
                          unit_rest=None)


def strip_postfix(unit: str) -> tuple[str, Qualifier | None]:
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


def read_span(text: str) -> _Read:
    norm = text.translate(NORMAL_DIGITS)
    i, prefix = 0, None
    for word, qualifier in PREFIXES:
        if norm.startswith(word):
            i, prefix = len(word), qualifier
            break
    while norm[i:i + 1].isspace():
        i += 1
    for word, per_unit in _PER_WORDS:
        if norm.startswith(word, i):
            if norm.startswith("百分之百", i) and not norm[i + 4:i + 5] in CHINESE_RUN:
                magnitude = _Magnitude(Decimal(100), 1, "", i + 4, False)
            else:
                magnitude = _magnitude(text, norm, i + len(word))
            rest, post = strip_postfix(text[magnitude.end:].strip())
            if magnitude.multiplier != 1 or magnitude.more or rest:
                raise NeedsValue(f"'{text}' is not a plain {word}… figure", unit_rest=None)
            return _Read(magnitude.value, None, 1, "", per_unit, _qualifier(text, prefix, post, False))
    first = _magnitude(text, norm, i)
    separator = _find_range(norm, first.end)
    if separator < 0:
        rest, post = strip_postfix(text[first.end:].strip())
        rest = rest.strip()
        _check_unit(text, rest)
        return _Read(first.value, None, first.multiplier, first.multiplier_word, rest,
                     _qualifier(text, prefix, post, first.more))
    between = text[first.end:separator].strip()
    second = _magnitude(text, norm, separator + 1)
    rest, post = strip_postfix(text[second.end:].strip())
    rest = rest.strip()
    _check_unit(text, rest)
    if prefix or post or first.more or second.more:
        raise FigureSyntaxError(f"'{text}' is a range and also says 约/余/以上/不足…: a figure holds one of them; "
                                "rewrite the span or give value=\"…\" for one number")
    if first.multiplier_word and first.multiplier_word != second.multiplier_word:
        raise NeedsValue(f"'{text}' is a range whose ends are in different units", unit_rest=None)
    if between and between != rest:
        raise NeedsValue(f"'{text}' is a range whose ends are in different units ('{between}', '{rest}')",
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
