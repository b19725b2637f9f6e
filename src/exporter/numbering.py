"""Heading numbers as GB/T 9704 prints them (一、 （一） 1. （1）), from the profile's formats."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (as used for ordinals)."""
    if n <= 0:
        raise ValueError(f"ordinal must be positive, not {n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _DIGITS[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _DIGITS[rest]
        if rest < 20:
            return head + "一" + chinese_numeral(rest)
        return head + chinese_numeral(rest)
    return str(n)


def heading_label(fmt: str, ordinal: int) -> str:
    return fmt.replace("{cn}", chinese_numeral(ordinal)).replace("{n}", str(ordinal))


def heading_key(label: str) -> str:
    """The label as used inside a section path: 一、 → 一, 1. → 1; bracketed forms stay."""
    return label.rstrip("、.．　 ")
