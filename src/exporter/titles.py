"""Breaking a title given as one string into lines, as GB/T 9704 7.3.1 asks [D3].

The reader applies it once, so the Word file and the PDF print the same title lines.

"回行时，要做到词意完整，排列对称，长短适宜，间距恰当，标题排列应当使用梯形或菱形": each line
at most `max_chars` characters; no break inside the issuing organ's name, inside a number
with its 年/年度, or inside "关于", "的报告", "情况的报告", "人民政府"; no line ending with "的"
or with an opening bracket, none starting with closing punctuation; a break inside what looks
like another organisation's name costs, one inside a 书名 《…》 more, and a last line of one
word ("的通知") or two or three characters most (a long 《…》 is broken rather than leave
"的通知" alone); lines not of equal length and, for
three lines, not long–short–long. Among the breaks allowed, the best scored wins: breaks at
natural boundaries (before 关于, before 情况的报告/的报告, after 年度, before 和/及/与) score,
breaks between two characters of unknown relation cost, a full line costs, and so does a
shape other than the preferred 上长下短 (two lines) or 菱形/monotonic (three lines).
"""

from __future__ import annotations

import itertools
import re

from .cjk import NO_END, NO_START

# Phrases kept whole; the longest match wins where they overlap. The organisation words keep a
# 机构 name from breaking inside its kind ("人民 / 政府").
_WHOLE_PHRASES = ("情况的报告", "工作的报告", "的报告", "的请示", "的通知", "的意见", "的函", "关于",
                  "政府", "人民政府", "人民代表大会", "常务委员会", "委员会", "办公厅", "办公室")
# A place and the organ it names stay together ("某某县人民政府", never "某某县 / 人民政府").
_PLACE_ORGAN = re.compile(r"[省市县区州旗盟镇乡](?:人民政府|人民代表大会|人民法院|人民检察院)")
# Where an organisation's name likely runs: from a place (…县) to the word that names its kind,
# with no 关于/的/和 in between ("某某县经济技术开发区管理委员会"). A break inside costs.
_ORGANISATION = re.compile(r"(?<=[省市县区州旗盟])(?:(?!关于|的|和|及|与|《|、)[\u4e00-\u9fff]){0,10}?"
                           r"(?:管理委员会|委员会|人民政府|办公室|办公厅|领导小组|[局厅处])")
_INSIDE_ORGANISATION = -12
_INSIDE_BOOK_TITLE = -20
# A last line that is one word ("的通知", "情况的报告") or two or three characters reads as a stray.
_STRAY_LAST_LINE = -40
# A line break just before these is natural; the weight says how natural.
_BREAK_BEFORE = (("关于", 6), ("情况的报告", 4), ("工作情况的报告", 4), ("的报告", 2), ("和", 2),
                 ("及", 2), ("与", 2), ("暨", 2), ("《", 2))
_BREAK_AFTER = (("年度", 4), ("年", 2), ("、", 3), ("》", 2), ("印发", 4), ("转发", 4), ("设立", 2), ("成立", 2),
                ("撤销", 2), ("组织", 2), ("和", -3), ("的", -100))
_UNKNOWN_BOUNDARY = -6
_FULL_LINE = -4
_MAX_LINES = 4
# A number stays with its unit and an ordinal with its 第 ("2026年", "第1次", "第一季度"), and a
# run of them is one time phrase ("2026年第一季度", "2026年第1次"): never broken inside.
_CHINESE_NUMERAL = "一二三四五六七八九十百千零〇两"
_NUMBER_WITH_UNIT = re.compile(
    rf"第(?:[0-9０-９]+|[{_CHINESE_NUMERAL}]+)(?:季度|次|号|期|届|批|轮|项|条|章|节|部分|阶段|年)?"
    r"|[0-9０-９A-Za-z.．%％]+(?:年度|年|月份|月|日|季度|次|号|期|届|批|轮|个|项|件|人)?"
    rf"|[{_CHINESE_NUMERAL}]季度")
# After an ordinal the title moves on to what it counts ("…第1次 / 局长办公会议纪要").
_AFTER_ORDINAL = 3
# A line shorter than about half the longest unbalances the title (7.3.1 "长短适宜").
_UNBALANCED = -12


def break_title(title: str, max_chars: int, protected: tuple[str, ...] = ()) -> tuple[str, ...]:
    """`title` as lines of at most `max_chars` characters; `protected` names (the issuer) stay whole."""
    title = title.strip()
    if len(title) < max_chars:
        return (title,)
    forbidden = _forbidden_breaks(title, protected, max_chars)
    scores = {i: _boundary_score(title, i) for i in range(1, len(title))}
    # A 书名 《…》 is broken only when nothing else avoids a stray last line or an overlong one.
    for match in re.finditer(r"《[^《》]*》", title):
        for i in range(match.start() + 1, match.end()):
            scores[i] += _INSIDE_BOOK_TITLE
    for start, end in _number_phrases(title):
        if end < len(title) and title[end - 1] in "次届期批轮":
            scores[end] += _AFTER_ORDINAL
    for match in _ORGANISATION.finditer(title):
        for i in range(match.start() + 1, match.end()):
            scores[i] += _INSIDE_ORGANISATION
        if match.start() > 0:
            scores[match.start()] += _INSIDE_ORGANISATION   # between the place and the rest of the name
    minimum = -(-len(title) // max_chars)
    best: tuple[float, tuple[int, ...]] | None = None
    for count in range(max(minimum, 2), _MAX_LINES + 1):
        for cuts in itertools.combinations(range(1, len(title)), count - 1):
            lines = _split(title, cuts)
            if any(len(line) > max_chars for line in lines) or any(c in forbidden for c in cuts):
                continue
            score = sum(scores[c] for c in cuts) + _shape_score(lines, max_chars) - 8 * (count - minimum)
            if best is None or score > best[0]:
                best = (score, cuts)
        if best is not None and count > minimum:
            break
    if best is None:
        # Nothing satisfies the rules (or the title is too long to weigh every break): balanced
        # chunks rather than an overflowing line.
        count = max(minimum, 2)
        size, extra = divmod(len(title), count)
        cuts = tuple(itertools.accumulate(size + (1 if k < extra else 0) for k in range(count - 1)))
        return _split(title, cuts)
    return _split(title, best[1])


def _split(title: str, cuts: tuple[int, ...]) -> tuple[str, ...]:
    # A space where a line breaks is the break itself, not a character to print at an edge.
    bounds = (0, *cuts, len(title))
    return tuple(title[a:b].strip() for a, b in zip(bounds, bounds[1:]))


def _forbidden_breaks(title: str, protected: tuple[str, ...], max_chars: int) -> set[int]:
    forbidden: set[int] = set()
    spans = _number_phrases(title)
    spans.extend(m.span() for m in _PLACE_ORGAN.finditer(title))
    for phrase in (*protected, *_WHOLE_PHRASES):
        if phrase:
            spans.extend(m.span() for m in re.finditer(re.escape(phrase), title))
    for start, end in spans:
        forbidden.update(range(start + 1, end))
    for i in range(1, len(title)):
        if title[i] in NO_START or title[i - 1] in NO_END or title[i - 1] == "的":
            forbidden.add(i)
    return forbidden


def _number_phrases(title: str) -> list[tuple[int, int]]:
    """Spans of numbers with their units and ordinals, adjacent ones joined into one phrase."""
    phrases: list[tuple[int, int]] = []
    for match in _NUMBER_WITH_UNIT.finditer(title):
        start, end = match.span()
        if phrases and phrases[-1][1] == start:
            start = phrases.pop()[0]
        phrases.append((start, end))
    return phrases


def _boundary_score(title: str, i: int) -> float:
    before, after = title[:i], title[i:]
    score = 0.0
    known = False
    for phrase, weight in _BREAK_BEFORE:
        if after.startswith(phrase):
            score = max(score, weight) if weight > 0 else score + weight
            known = True
    for phrase, weight in _BREAK_AFTER:
        if before.endswith(phrase):
            score += weight
            known = True
    if before[-1].isdigit() != after[0].isdigit():
        known = True
    return score if known else _UNKNOWN_BOUNDARY


def _shape_score(lines: tuple[str, ...], max_chars: int) -> float:
    lengths = [len(line) for line in lines]
    score = sum(_FULL_LINE for n in lengths if n >= max_chars)
    if lengths[-1] <= 3 or lines[-1] in _WHOLE_PHRASES:
        score += _STRAY_LAST_LINE
    if 2 * min(lengths) < max(lengths) - 1:
        score += _UNBALANCED
    if len(lengths) >= 4:
        return score - (max(lengths) - min(lengths))  # past the 2–3-line shapes, balance reads best
    if len(set(lengths)) < len(lengths):
        # Equal lengths look like a block, not a title; two equal lines still beat a break
        # inside a word or a lopsided pair.
        score -= 3 if len(lengths) == 2 else 8
    if len(lengths) == 2:
        score += 3 if lengths[0] > lengths[1] else -1  # 上长下短 (倒梯形) is preferred
        score -= abs(lengths[0] - lengths[1]) / 4 if min(lengths) < max_chars / 3 else 0
    elif len(lengths) == 3:
        a, b, c = lengths
        if b < a and b < c:
            score -= 10  # 沙漏 (long–short–long) is not a GB/T 9704 shape
        elif b >= a and b >= c:
            score += 2  # 菱形
    return score
