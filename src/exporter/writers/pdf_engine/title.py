"""Breaking a one-string title into lines per GB/T 9704 §7.3.1 (D3).

Lines of at most `max_chars` characters, 词意完整, 排列对称: a two-line title prefers 上长下短
(never equal lengths), three lines 短长短 or steadily longer/shorter (never 长短长). Without a
dictionary, "词意完整" is approximated: no break inside a number, after an opening bracket or
before closing punctuation, none right after 的 or inside 关于, and a bonus for breaking
after the words official titles usually break at.
"""

from __future__ import annotations

from itertools import combinations

from .breaking import break_allowed

# Breaking after these keeps words whole in typical titles
# ("某某县人民政府 / 关于…", "关于2024年度 / 法治政府建设情况的报告").
GOOD_ENDINGS = ("人民政府", "政府", "委员会", "办公室", "关于", "年度", "年", "情况", "工作", "建设")
BAD_ENDINGS = ("的", "关", "和", "与", "及")
BAD_STARTS = ("的", "度", "报告", "于")
EXTRA_LINE_PENALTY = 8.0
EXHAUSTIVE_LIMIT = 3  # above this many lines, fill lines greedily instead of scoring every cut


def break_title(title: str, max_chars: int) -> list[str]:
    title = title.strip()
    n = len(title)
    if n <= max_chars:
        return [title] if title else []
    fewest = -(-n // max_chars)
    if fewest > EXHAUSTIVE_LIMIT:
        return _greedy(title, max_chars)
    cuts = [i for i in range(1, n) if break_allowed(title[i - 1], title[i])]
    best: tuple[float, tuple[int, ...]] | None = None
    for lines in range(fewest, min(fewest + 1, EXHAUSTIVE_LIMIT) + 1):
        for chosen in combinations(cuts, lines - 1):
            bounds = (0, *chosen, n)
            lengths = [bounds[k + 1] - bounds[k] for k in range(lines)]
            if max(lengths) > max_chars:
                continue
            score = _shape_penalty(lengths, max_chars) + sum(_cut_penalty(title, c) for c in chosen)
            score += EXTRA_LINE_PENALTY * (lines - fewest)
            if best is None or score < best[0]:
                best = (score, bounds)
    if best is None:
        return _greedy(title, max_chars)
    bounds = best[1]
    return [title[bounds[k]:bounds[k + 1]] for k in range(len(bounds) - 1)]


def _cut_penalty(title: str, cut: int) -> float:
    before = title[:cut]
    if before.endswith(BAD_ENDINGS):
        return 20.0
    if title[cut:].startswith(BAD_STARTS):
        return 20.0
    if before.endswith(GOOD_ENDINGS):
        return 0.0
    return 6.0


def _shape_penalty(lengths: list[int], max_chars: int) -> float:
    penalty = 0.0
    if len(set(lengths)) == 1:
        penalty += 30.0
    if max(lengths) == max_chars:
        penalty += 2.0  # a full-measure title line looks crowded
    if len(lengths) == 2:
        first, second = lengths
        penalty += 0.0 if first > second else 8.0
        penalty += abs(first - second) * 0.3  # symmetric-looking, not one long and one stub
    elif len(lengths) == 3:
        a, b, c = lengths
        diamond = b >= a and b >= c
        monotonic = a <= b <= c or a >= b >= c
        hourglass = b < a and b < c
        penalty += 0.0 if diamond or monotonic else 10.0
        penalty += 25.0 if hourglass else 0.0
        penalty += (abs(a - b) + abs(b - c)) * 0.2
    else:
        penalty += sum(abs(lengths[k] - lengths[k + 1]) for k in range(len(lengths) - 1)) * 0.2
    return penalty


def _greedy(title: str, max_chars: int) -> list[str]:
    """Balanced lines for a long title: each aims at an equal share of what is left."""
    lines = []
    start = 0
    n = len(title)
    while start < n:
        remaining_lines = -(-(n - start) // max_chars)
        end = min(start + -(-(n - start) // remaining_lines), n)
        if end < n:
            cut = end
            while cut > start + 1 and not break_allowed(title[cut - 1], title[cut]):
                cut -= 1
            if cut == start + 1:   # no allowed break before the target: look after it
                cut = end
                while cut < min(start + max_chars, n - 1) and not break_allowed(title[cut - 1], title[cut]):
                    cut += 1
            end = cut
        lines.append(title[start:end])
        start = end
    return lines
