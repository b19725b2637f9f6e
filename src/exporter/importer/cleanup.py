"""Character-level clean-up of one line, each change counted by kind.

Kinds (each can be switched off): `invisible` zero-width characters; `indent` leading
indentation (U+3000, spaces, EN/EM spaces) and trailing blanks (always: a source holds no
indentation); `spaces` a space before '%' and the mixed spaces after an article number; `width` full-width digits and Latin letters to ASCII (with
the decimal point, thousands separator and percent sign that belong to such a number);
`punctuation` half-width , ; : ( ) ? ! and straight double quotes next to Chinese text to
their full-width forms (GB/T 15834), leaving decimals, times and ranges between digits alone.
"""

from __future__ import annotations

import re

from ..cjk import INVISIBLE, has_chinese, is_chinese
from .lines import Counts

# What the reader refuses in a source (XML 1.0 cannot carry it, a PDF has no glyph for it), and
# the C1 controls, which no report means either: C0 controls but tab and line breaks, DEL, C1,
# noncharacters. Always removed (a draft that holds one would not pass `exporter check`), and counted.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ufdd0-\ufdef]")
INDENT_CHARS = " \t\u3000\u2002\u2003\u2009\u00a0"

HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_SPACE_BEFORE_PERCENT = re.compile(r"(?<=\d)[ \u3000\u00a0]+(?=[%％])")
_ARTICLE_GAP = re.compile(r"^(第[〇零一二两三四五六七八九十百]+[章节条])[ \t\u3000\u2002\u2003\u00a0]{2,}")
_FULLWIDTH_NUMBER = re.compile(r"[０-９]+(?:[，,][０-９]{3})*(?:[．.][０-９]+)?")
_FULLWIDTH_PERCENT = re.compile(r"(?<=\d)％")
_FULLWIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]")



def remove_control(text: str, counts: Counts) -> str:
    cleaned, n = _CONTROL.subn("", text)
    counts.add("control", n)
    return cleaned


def remove_invisible(text: str, counts: Counts) -> str:
    cleaned = "".join(ch for ch in text if ch not in INVISIBLE)
    counts.add("invisible", len(text) - len(cleaned))
    return cleaned


def strip_indent(text: str, counts: Counts) -> tuple[str, bool]:
    """Remove leading indentation and trailing blanks; say whether the line was indented."""
    stripped = text.lstrip(INDENT_CHARS)
    indented = stripped != text and bool(stripped)
    if indented:
        counts.add("indent")
    return stripped.rstrip(INDENT_CHARS), indented


def tidy_spaces(text: str, counts: Counts) -> str:
    """A space before '%', and the run of mixed spaces after 第X条, become what GB/T 9704 prints."""
    text, n = _SPACE_BEFORE_PERCENT.subn("", text)
    counts.add("spaces", n)
    match = _ARTICLE_GAP.match(text)
    if match:
        text = match.group(1) + "\u3000" + text[match.end():]
        counts.add("spaces")
    return text


# Spaces a PDF-to-text tool puts around numbers and between the characters of a justified line
# ("信息 1136 条", "号 ， 邮 编 ："): Chinese text set to GB/T 9704 has none. Between a number and
# a Chinese character they always go (not after "%": "<5% 与" may be meant); between Chinese
# characters only in a line spaced out that way at three places or more, so "省长 王予波" stays;
# a page-number line ("第 5 页 共 9 页") is left as typed.
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_HAN_OR_MARK = _HAN + r"\u3001-\u3003\u3008-\u3011\uff01-\uff0f\uff1a-\uff20“”‘’"
_NUMBER_SPACE = re.compile(rf"(?<=\d)[ \u00a0](?=[{_HAN}])|(?<=[{_HAN_OR_MARK}])[ \u00a0](?=\d)")
_LETTER_SPACE = re.compile(rf"(?<=[{_HAN_OR_MARK}])[ \u00a0](?=[{_HAN_OR_MARK}])")
MIN_LETTER_SPACES = 3
# Full-width punctuation carries its own space: a space before a closing mark or after an opening
# or pausing one is an extraction artefact ("63.5% ，", "邮编： 675300").
_SPACE_AT_MARK = re.compile(r"[ \u00a0]+(?=[，。；：、！？）》”’])|(?<=[，。；：、！？（《“‘])[ \u00a0]+")
# A justified line copied out of a PDF also pads quotation marks on their outer side ("深化 “放管服”
# 改革"): a space between a quote and Chinese text or a number goes too.
_SPACE_OUTSIDE_QUOTE = re.compile(rf"(?<=[”’])[ \u00a0]+(?=[{_HAN_OR_MARK}\d])|(?:(?<=[{_HAN_OR_MARK}\d])|(?<=\d[.．]))[ \u00a0]+(?=[“‘])")


def close_extraction_spaces(text: str, counts: Counts) -> str:
    """Remove the spaces a PDF-to-text tool inserted into Chinese text (see above)."""
    from .furniture import page_furniture

    if not has_chinese(text) or page_furniture(text.strip()):
        return text
    text, n = _NUMBER_SPACE.subn("", text)
    if len(_LETTER_SPACE.findall(text)) >= MIN_LETTER_SPACES:
        text, more = _LETTER_SPACE.subn("", text)
        n += more
    text, more = _SPACE_AT_MARK.subn("", text)
    n += more
    text, more = _SPACE_OUTSIDE_QUOTE.subn("", text)
    counts.add("spaces", n + more)
    return text


def to_ascii_width(text: str, counts: Counts) -> str:
    """Full-width digits and letters to ASCII, with the separators of numbers written in them."""
    changed = 0

    def number(match: re.Match[str]) -> str:
        nonlocal changed
        digits = match.group(0)
        out = digits.translate(_WIDTH_TABLE).replace("，", ",").replace("．", ".")
        changed += sum(1 for a, b in zip(digits, out) if a != b)
        return out

    text = _FULLWIDTH_NUMBER.sub(number, text)

    def alnum(match: re.Match[str]) -> str:
        nonlocal changed
        changed += 1
        return match.group(0).translate(_WIDTH_TABLE)

    text = _FULLWIDTH_ALNUM.sub(alnum, text)
    text, n = _FULLWIDTH_PERCENT.subn("%", text)
    changed += n
    counts.add("width", changed)
    return text


_WIDTH_TABLE = {cp: cp - 0xFEE0 for cp in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}


def standard_dashes(text: str, counts: Counts) -> str:
    """A 破折号 written as two U+2015 (Word's and code page 936's way, and the way this tool's
    .docx writes it so that no renderer splits it) becomes the two U+2014 of GB/T 15834."""
    if "\u2015\u2015" not in text:
        return text
    counts.add("dashes", text.count("\u2015\u2015"))
    return text.replace("\u2015\u2015", "\u2014\u2014")


def to_full_punctuation(text: str, counts: Counts) -> str:
    """Half-width punctuation in Chinese context to full width, as GB/T 15834 (and the lint) want."""
    if "://" in text or not has_chinese(text):
        return text
    chars = list(text)
    changed = 0
    pairs = _paren_pairs(text)
    partner = {o: c for o, c in pairs} | {c: o for o, c in pairs}
    # Converting one mark can put the next one in Chinese context, so repeat until stable.
    for _ in range(4):
        progress = False
        for i, ch in enumerate(chars):
            if ch not in HALF_TO_FULL or not _in_chinese_context(chars, i):
                continue
            prev = chars[i - 1] if i else ""
            nxt = chars[i + 1] if i + 1 < len(chars) else ""
            if ch in ",:" and prev.isdigit() and nxt.isdigit():
                continue
            chars[i] = HALF_TO_FULL[ch]
            changed += 1
            progress = True
            other = partner.get(i)
            if other is not None and chars[other] in "()":
                chars[other] = HALF_TO_FULL[chars[other]]
                changed += 1
        if not progress:
            break
    changed += _curl_quotes(chars)
    counts.add("punctuation", changed)
    return "".join(chars)


def _in_chinese_context(chars: list[str], i: int) -> bool:
    prev = chars[i - 1] if i else ""
    nxt = chars[i + 1] if i + 1 < len(chars) else ""
    return is_chinese(prev) or is_chinese(nxt)


def _paren_pairs(text: str) -> list[tuple[int, int]]:
    stack: list[int] = []
    pairs = []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            pairs.append((stack.pop(), i))
    return pairs


def _curl_quotes(chars: list[str]) -> int:
    """Straight double quotes in a Chinese line become “ ” by alternation (“…" closes as ”)."""
    if '"' not in chars:
        return 0
    changed = 0
    is_open = False
    for i, ch in enumerate(chars):
        if ch == "“":
            is_open = True
        elif ch == "”":
            is_open = False
        elif ch == '"':
            chars[i] = "”" if is_open else "“"
            is_open = not is_open
            changed += 1
    return changed
