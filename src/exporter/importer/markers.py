"""Typed heading numbers at the start of a line: 一、 （一） 1. 1． （1） 第X章 第X节 第X条 一是.

`find_marker` says which kind of number a line starts with, its ordinal and the text after it.
Which of them become headings is decided in structure.py; this module only reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numerals import parse_chinese_numeral

_CN = "〇零一二两三四五六七八九十百"
GAP = r"[ \t\u3000\u2002\u2003\u00a0]*"

# kind → (pattern, GB/T 9704 level or None when the level is decided by context)
_PATTERNS: dict[str, tuple[re.Pattern[str], int | None]] = {
    "chapter": (re.compile(rf"^第(?P<n>[{_CN}]+)章{GAP}"), None),
    "section": (re.compile(rf"^第(?P<n>[{_CN}]+)节{GAP}"), None),
    "article": (re.compile(rf"^第(?P<n>[{_CN}]+)条{GAP}"), None),
    "cn_comma": (re.compile(rf"^(?P<n>[{_CN}]+)、{GAP}"), 1),
    "cn_paren": (re.compile(rf"^[（(](?P<n>[{_CN}]+)[）)]{GAP}"), 2),
    "digit_dot": (re.compile(rf"^(?P<n>\d{{1,3}})(?:\.(?!\d)|．|、){GAP}"), 3),
    "digit_paren": (re.compile(rf"^[（(](?P<n>\d{{1,3}})[）)]{GAP}"), 4),
    "shi": (re.compile(rf"^(?P<n>[{_CN}]+)是(?=[^，。；、是])"), None),
}


@dataclass(frozen=True)
class Marker:
    kind: str
    ordinal: int
    typed: str      # the number exactly as typed, with the space after it
    rest: str       # the line after the number

    @property
    def fixed_level(self) -> int | None:
        return _PATTERNS[self.kind][1]


def find_marker(text: str, kinds: tuple[str, ...] | None = None) -> Marker | None:
    for kind, (pattern, _level) in _PATTERNS.items():
        if kinds is not None and kind not in kinds:
            continue
        match = pattern.match(text)
        if not match:
            continue
        raw = match.group("n")
        ordinal = int(raw) if raw.isdigit() else parse_chinese_numeral(raw)
        if not ordinal:
            continue
        return Marker(kind, ordinal, match.group(0), text[match.end():])
    return None


HEADING_KINDS = ("cn_comma", "cn_paren", "digit_dot", "digit_paren")
