"""Chinese numerals as used in ordinals and dates: 一 … 十 … 九十九 … 一百零五, 〇/零, 两."""

from __future__ import annotations

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUMERAL_CHARS = "〇零一二两三四五六七八九十百"


def parse_chinese_numeral(text: str) -> int | None:
    """十三 → 13, 二十 → 20, 一百零五 → 105, 二〇二一 → 2021 (digit by digit); None if not a numeral."""
    if not text or any(ch not in NUMERAL_CHARS for ch in text):
        return None
    if "十" not in text and "百" not in text:
        value = 0
        for ch in text:
            value = value * 10 + DIGITS[ch]
        return value
    total = 0
    current = 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return total + current
