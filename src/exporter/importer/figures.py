"""Find the statistics in a text and turn each into an indicator span.

A statistic is an Arabic number followed by a counting unit (the units of `exporter.figures`,
plus measures such as 千瓦 or 公方 that follow 万/亿), or by 万/亿 alone. Years, dates, times,
document numbers (〔2021〕1号), ordinals (第3), ranges (1—2个) and products (7×24小时) are left
alone. The indicator's name is read from the words before the number in its clause
("网办率达53.62%" → 网办率); every generated span carries `note="待核：自动识别"` so the author
reviews it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import figures as core
from ..cjk import INVISIBLE

REVIEW_NOTE = "待核：自动识别"
EXTRA_UNITS = (
    "千瓦时", "千瓦", "兆瓦", "千伏", "标准台", "公方", "立方米", "微克/立方米", "吨标准煤", "公斤", "千克",
    "斤", "美元", "港元", "欧元", "平方千米", "千米",
)
_UNITS = sorted(set(core.UNITS) | set(EXTRA_UNITS), key=len, reverse=True)
_UNIT_ALTERNATION = "|".join(re.escape(u) for u in _UNITS)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
STATISTIC = re.compile(
    rf"(?<![\d.,〔\[第×*/#A-Za-z])(?<!\d[—\-～~])(?<!\d至)"
    rf"(?P<num>{_NUMBER})(?P<more>余|多)?(?P<mult>万亿|[万亿])?(?P<more2>余|多)?(?P<unit>{_UNIT_ALTERNATION})?"
    rf"(?![\d.])"
)
CLAUSE_BREAKS = set("，。；：！？、（）()“”‘’《》〈〉「」【】—…,;:!?[]+=×÷")
LEADING_WORDS = ("其中", "同时", "以及", "并且", "并", "和", "及", "与", "即", "全年", "今年", "共")
TRAILING_WORDS = (
    "稳定在", "保持在", "控制在", "达到", "超过", "突破", "共计", "合计", "总计", "累计达", "分别为", "分别达",
    "分别", "约为", "均为", "均", "达", "为", "是", "约", "近", "超", "逾", "共", "在", "有", "了", "已", "的",
)
# A name that is only a verb of change says what changed only together with the name before it
# ("地区生产总值31534亿元、增长3.3%" → 地区生产总值增长).
CHANGE_VERBS = ("增长", "下降", "提高", "降低", "增加", "减少", "上升", "回落", "提升", "压减", "压缩")
MAX_NAME = 20
FALLBACK_NAME = "待命名指标"


@dataclass(frozen=True)
class Figure:
    id: str
    text: str           # printed, exactly as in the input
    name: str
    value: str | None = None   # given when the printed number has thousands separators
    unit: str | None = None
    line: int = 0


Segment = str | Figure


class FigureTagger:
    """Numbers the spans of one document (fig_001, fig_002, …) across all its blocks.

    Ids in `reserved` (bookmarks of a .docx input) are never generated, so they stay unique.
    """

    def __init__(self, reserved: set[str] | None = None) -> None:
        self.figures: list[Figure] = []
        self.reserved = set(reserved or ())
        self.counter = 0

    def next_id(self) -> str:
        while True:
            self.counter += 1
            candidate = f"fig_{self.counter:03d}"
            if candidate not in self.reserved:
                return candidate

    def tag(self, text: str, line: int, bookmarks: list[tuple[str, str]] | None = None) -> list[Segment]:
        """Split `text` into literal text and figures. `bookmarks` ((id, printed text), in order) are
        figures with known ids; they are consumed from the list as they are found in `text`."""
        known = self._locate(text, bookmarks) if bookmarks else []
        spans: list[tuple[int, int, str | None, str | None, str | None]] = []
        for match in STATISTIC.finditer(text):
            if not (match.group("unit") or match.group("mult")) or _is_year_or_date(text, match):
                continue
            figure_text, value, unit, end = _span(match)
            start = match.start()
            if any(start < k_end and k_start < end for k_start, k_end, _id in known):
                continue  # a bookmark covers it: the bookmark's id and extent win
            if _parses(figure_text, text[max(start - 4, 0):start], text[end:end + 6], value, unit):
                spans.append((start, end, None, value, unit))
        # "为期3年", "5年来": a number of years is a figure (the reader's and the lint's rule); "2021年" is not.
        for match in core.DURATION_IN_TEXT.finditer(text):
            start, end = match.start(), match.end()
            taken = [(s, e) for s, e, *_ in spans] + [(s, e) for s, e, _id in known]
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if _parses(match.group(0), text[max(start - 4, 0):start], text[end:end + 6], None, None):
                spans.append((start, end, None, None, None))
        for start, end, ind_id in known:
            value, unit = self._known_value(text, start, end, ind_id)
            if value is not False:
                spans.append((start, end, ind_id, value, unit))
        spans.sort()
        segments: list[Segment] = []
        cursor = 0
        previous_name = ""
        previous_end = 0
        for start, end, ind_id, value, unit in spans:
            name = _name(text, cursor, start)
            same_sentence = previous_name and "。" not in text[previous_end:start]
            if not name and same_sentence:
                name = previous_name
            elif name in CHANGE_VERBS and same_sentence:
                name = _base_name(previous_name) + name
            name = name or FALLBACK_NAME
            figure = Figure(ind_id or self.next_id(), text[start:end], name, value, unit, line)
            self.figures.append(figure)
            if start > cursor:
                segments.append(text[cursor:start])
            segments.append(figure)
            cursor = previous_end = end
            previous_name = name
        if cursor < len(text):
            segments.append(text[cursor:])
        return segments

    def _locate(self, text: str, bookmarks: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
        found = []
        cursor = 0
        while bookmarks:
            ind_id, printed = bookmarks[0]
            position = text.find(printed, cursor) if printed else -1
            if position < 0:
                break
            bookmarks.pop(0)
            found.append((position, position + len(printed), ind_id))
            cursor = position + len(printed)
        return found

    def _known_value(self, text: str, start: int, end: int, ind_id: str):
        """(value, unit) attributes a bookmarked figure needs, or False when it cannot be a span."""
        printed = text[start:end]
        if not re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*", ind_id) or len(ind_id) > 40:
            return False, None
        before, after = text[max(start - 4, 0):start], text[end:end + 6]
        if _parses(printed, before, after, None, None):
            return None, None
        value, unit = _spelled_out(printed)
        if value is None or not _parses(printed, before, after, value, unit):
            return False, None
        return value, unit


def _spelled_out(printed: str) -> tuple[str | None, str | None]:
    """A figure written in Chinese numerals ("两次"): its value, for the span's value attribute."""
    from .numerals import NUMERAL_CHARS, parse_chinese_numeral

    match = re.match(f"[{NUMERAL_CHARS}]+", printed)
    if not match or match.end() == len(printed):
        return None, None
    value = parse_chinese_numeral(match.group(0))
    return (str(value), None) if value else (None, None)


def _is_year_or_date(text: str, match: re.Match[str]) -> bool:
    following = text[match.end():match.end() + 1]
    return following in ("年", "月", "日", "号", "时") and not match.group("unit")


def _span(match: re.Match[str]) -> tuple[str, str | None, str | None, int]:
    """Printed text, explicit value and unit (only for 1,234-style numbers), end offset."""
    number = match.group("num")
    if "," not in number:
        return match.group(0), None, None, match.end()
    unit = (match.group("mult") or "") + (match.group("unit") or "")
    if match.group("more") or match.group("more2"):
        # "2,560多万亩": the span holds the number; 多 after it makes the reader read a lower bound.
        return number, number.replace(",", ""), unit, match.start() + len(number)
    return match.group(0), number.replace(",", ""), unit, match.end()


def _parses(figure_text: str, before: str, after: str, value: str | None, unit: str | None) -> bool:
    try:
        core.parse_figure(figure_text, before=before, after=after, value=value, unit=unit)
    except core.FigureSyntaxError:
        return False
    return True


def _base_name(name: str) -> str:
    for verb in CHANGE_VERBS:
        if name.endswith(verb):
            return name[: -len(verb)]
    return name


def _name(text: str, clause_floor: int, number_start: int) -> str:
    start = number_start
    if start > clause_floor and text[start - 1] in "（(":
        start -= 1  # "日常监测（60%）": the name stands before the bracket
        number_start = start
    while start > clause_floor and text[start - 1] not in CLAUSE_BREAKS:
        start -= 1
    name = text[start:number_start].strip()
    changed = True
    while changed and name:
        changed = False
        for word in TRAILING_WORDS:
            if name.endswith(word) and len(name) > len(word):
                name, changed = name[: -len(word)], True
                break
            if name == word:
                name, changed = "", True
                break
        for word in LEADING_WORDS:
            if name.startswith(word) and len(name) > len(word) + 1:
                name, changed = name[len(word):], True
                break
    name = name.replace("分别", "")
    name = "".join(ch for ch in name if ch not in INVISIBLE)
    name = re.sub(r'["\\{}\[\]]', "", name)
    return name[-MAX_NAME:]
