"""Character classes of Chinese text: line-breaking rules, CJK ranges, invisible characters, width.

Every module that asks "may a line start with this?", "is this Chinese?", "is this invisible?"
or "how wide is this in a monospaced column?" asks here, so the reader, the importer, lint,
the title breaker and the writers cannot drift apart. The line-breaking sets follow
GB/T 15834-2011 《标点符号用法》 and W3C "Requirements for Chinese Text Layout" (clreq,
§3.1.7 行首行尾禁则). Where a renderer follows its own table instead (Word, LibreOffice), the
writer that predicts that renderer uses a named variant defined here, with the reason beside it.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# -- line breaking (禁则) ------------------------------------------------------------------

# May not start a line: the points 。，、；：？！ and ．, the second half of quotes, brackets and
# 书名号, the 间隔号 · (GB/T 15834-2011 §5.1 横排文稿; clreq §3.1.7), the 省略号 and 破折号, the
# 连接号 "～", the signs that belong to the number before them (％ ‰ ℃ ° ′ ″), their half-width
# and small-form (﹐﹑…) twins, and the kana and iteration marks clreq also keeps off a line start.
NO_START = frozenset(
    "，。、；：？！）》」』”’…—·〉】〕］｝〗〙〛％‰℃°′″～〜・﹐﹑﹒﹔﹕﹖﹗．"
    ",.;:?!)]}%"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶー々〻ゝゞヽヾ"
)
# May not end a line: the first half of quotes, brackets and 书名号 (GB/T 15834-2011 §5.1),
# and currency signs, which belong to the number after them (clreq §3.1.7).
NO_END = frozenset("（《「『“‘〈【〔［｛〖〘〚([{￥＄£¥$")
# Written doubled and never split across lines: 破折号 "——" and 省略号 "……" (GB/T 15834-2011 §5.1).
DOUBLED = frozenset("—…⋯")
# Points that may hang past the right edge of the 版心 when hanging punctuation is on (clreq §3.1.7).
HANGABLE = frozenset("，。、；：？！,.;:?!")
# Blanks a line may end in without printing them.
SPACES = frozenset(" \u00a0\u3000\u2002\u2003\u2009")

# The .docx writer predicts where Word and LibreOffice break lines, so it must use *their* tables,
# not the standard's: Word's zh-CN defaults (ECMA-376 §17.15.1.59–60, "后置标点"/"前置标点") as far
# as LibreOffice's zh_CN locale list agrees with them, for the characters a report uses. Against
# NO_START, they let kana, small-form points, 〙 〛 〜 々 ・ start a line, and they keep the straight
# quote " and ¢ ‖ › ∶ 〃 〞 ＂ ＇ ＞ off it.
WORD_NO_LINE_START = frozenset(
    (NO_START - frozenset("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶー々〻ゝゞヽヾ〙〛〜・﹐﹑﹒﹔﹕﹖﹗"))
    | frozenset("\"¢‖›∶〃〞＂＇＞―")
)
# Word lets 〘, 〚 and ＄ end a line, and keeps 〝 and ￡ off a line end.
WORD_NO_LINE_END = frozenset((NO_END - frozenset("〘〚＄")) | frozenset("〝￡"))
# Word and LibreOffice let only these overflow the right edge (their default "punctuation overflow").
WORD_HANGING = frozenset("、。，．")
# LibreOffice 7.4 ignores the .docx's kinsoku settings and applies its zh_CN locale lists
# (i18npool/source/localedata/data/zh_CN.xml, ForbiddenLineBeginning/End). Against Word's, its
# start list lacks % ％ … ‰ ℃ ° (so "……" and "％" may start a line) and adds ～ ｜ 々 •; its end list
# lacks $ ＄ ·. The 破折号 and 省略号 stay whole in every variant (DOUBLED).
LIBREOFFICE_NO_LINE_START = frozenset(
    ":!),.;?]}¢'\"、。〉》」』】〕〗〞︰︱︳﹐､﹒﹔﹕﹖﹗﹚﹜﹞！），．：；？｜｝︴︶︸︺︼︾﹀﹂﹄﹏～￠々‖•·ˇˉ―-′’”"
)
# The 破折号 as the .docx writes it: LibreOffice breaks a line between the two halves of "——"
# (U+2014 is in neither of its lists, and a word joiner between them did not stop it, measured
# with 7.4), but U+2015 "―" is on Word's and LibreOffice's no-line-start lists, so "――" stays
# whole and never starts a line in either. GB 2312's 破折号 (0xA1AA) is U+2015 in Windows' code
# page 936, so every Chinese face Word uses has the glyph, one em wide.
DASH_PAIR = "——"
DOCX_DASH_PAIR = "\u2015\u2015"


def docx_dashes(text: str) -> str:
    """`text` with each 破折号 written as the .docx writes it (DOCX_DASH_PAIR)."""
    return text.replace(DASH_PAIR, DOCX_DASH_PAIR) if DASH_PAIR in text else text


LIBREOFFICE_NO_LINE_END = frozenset("([{£¥'\"‵〈《「『【〔〖（［｛￡￥〝︵︷︹︻︽︿﹁﹃﹙﹛﹝“‘")


# LibreOffice's own line-break rules (i18npool/source/breakiterator/data/line.txt, UAX #14 5.0,
# rule 30: "CL × (AL | NU)") keep a closing mark and a Latin letter or digit after it together:
# it never ends a line with "、" or "。" when "5件" or "1956年" follows mid-paragraph (measured on
# the corpus: the PDF ended 170 lines at such a pair, LibreOffice 162). These are the marks of
# class CL (Close_Punctuation) in Chinese text.
LIBREOFFICE_CLOSE_PUNCTUATION = frozenset("、。，．）〕］｝〉》」』】〙〗〟｠｡､")


def joins_across(name: str, before: str, after: str) -> bool:
    """Whether a renderer model's line breaking keeps these two characters on one line although
    neither list forbids the break (a pair rule): "libreoffice" keeps a closing mark with a
    Latin letter or digit after it."""
    return name == "libreoffice" and before in LIBREOFFICE_CLOSE_PUNCTUATION and after.isascii() and after.isalnum()


def line_breaking_rules(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(may not start a line, may not end a line) of a renderer model's kinsoku tables:
    "word", "libreoffice" or "gbt15834" (the profile's [renderer] line_breaking)."""
    match name:
        case "word":
            return WORD_NO_LINE_START, WORD_NO_LINE_END
        case "libreoffice":
            return LIBREOFFICE_NO_LINE_START, LIBREOFFICE_NO_LINE_END
        case "gbt15834":
            return NO_START, NO_END
    raise ValueError(f"unknown line breaking rules {name!r}")
# Word and LibreOffice set these East Asian Ambiguous characters with the Chinese face, one em
# wide, in Chinese text (with w:hint="eastAsia"; ― is the .docx's 破折号, DOCX_DASH_PAIR);
# everything from U+2E80 up is full width as well.
WORD_AMBIGUOUS_FULL_WIDTH = frozenset("“”‘’—…·―")


def word_sets_full_width(char: str) -> bool:
    """Whether Word and LibreOffice give `char` a full em in Chinese text (the .docx line model)."""
    return ord(char) >= 0x2E80 or char in WORD_AMBIGUOUS_FULL_WIDTH


def autospaced(before: str, after: str) -> bool:
    """Whether Word and LibreOffice put their automatic Asian/Latin gap between these two
    characters: an ASCII letter or digit next to a Chinese letter or digit, never next to
    punctuation or a space (Word: w:autoSpaceDE/DN, ECMA-376 §17.3.1.2–3; LibreOffice
    itrform2.cxx, and measured with 7.4)."""
    for latin, other in ((before, after), (after, before)):
        if latin.isascii() and latin.isalnum() and word_sets_full_width(other) and unicodedata.category(other)[0] in "LN":
            return True
    return False


# LibreOffice's script of a character (i18npool breakiteratorImpl.cxx, getScriptClass): Unicode
# blocks from Basic Latin to Spacing Modifier Letters (so "·" U+00B7 and "×" too), Greek and
# Cyrillic are Western; the CJK blocks, the compatibility ideographs and the full-width forms are
# Asian; every other character ICU calls Common (curly quotes, "—", "…", "℃", "①") is weak and
# takes the script of the character before it. Writer sets a Western character in the run's
# Western font (w:ascii), ignoring w:hint="eastAsia": after "16" or "1." a quote is a narrow
# Liberation Serif quote (measured with 7.4.7.2: 7.1 pt, not 16 pt).
_LIBREOFFICE_ASIAN: tuple[tuple[str, str], ...] = (
    ("\u1100", "\u11ff"),           # Hangul Jamo
    ("\u2e80", "\ud7af"),           # CJK Radicals Supplement … Hangul Syllables
    ("\uf900", "\ufaff"),           # CJK Compatibility Ideographs
    ("\ufe30", "\ufe4f"),           # CJK Compatibility Forms
    ("\uff00", "\uffef"),           # Halfwidth and Fullwidth Forms
    ("\U00020000", "\U0003ffff"),   # Supplementary and Tertiary Ideographic Planes
)


def libreoffice_script(char: str) -> str:
    """"asian", "latin" or "weak": LibreOffice's script class of one character."""
    if char in " \u00a0" or char < " ":
        return "weak"
    if char <= "\u02ff" or "\u0370" <= char <= "\u052f":
        return "latin"
    if any(low <= char <= high for low, high in _LIBREOFFICE_ASIAN):
        return "asian"
    return "weak"


def libreoffice_scripts(text: str) -> list[str]:
    """The script LibreOffice sets each character of a paragraph in: a weak character takes the
    script of the one before it, and at the paragraph's start that of the first strong one."""
    classes = [libreoffice_script(c) for c in text]
    first = next((c for c in classes if c != "weak"), "asian")
    resolved, current = [], first
    for cls in classes:
        if cls != "weak":
            current = cls
        resolved.append(current)
    return resolved


def is_latin_slot(char: str) -> bool:
    """Characters Word draws with the run's ascii font (U+0000–007F, [MS-OI29500] §2.1.88) and
    LibreOffice with its Western font: digits, Latin letters, ASCII punctuation."""
    return "\x21" <= char <= "\x7e"


# -- Chinese script -------------------------------------------------------------------------

# Unicode blocks of Chinese writing: radicals, CJK symbols and punctuation (、。〈〉《》「」…),
# the unified ideographs with extension A, the full-width forms (，：（）０-９…) and the
# supplementary ideograph planes (extensions B–F and the compatibility supplement).
CJK_RANGES: tuple[tuple[str, str], ...] = (
    ("\u2e80", "\u2fdf"),           # CJK Radicals Supplement, Kangxi Radicals
    ("\u3000", "\u303f"),           # CJK Symbols and Punctuation
    ("\u3400", "\u4dbf"),           # CJK Unified Ideographs Extension A
    ("\u4e00", "\u9fff"),           # CJK Unified Ideographs
    ("\uff00", "\uffef"),           # Halfwidth and Fullwidth Forms
    ("\U00020000", "\U0002ffff"),   # Supplementary Ideographic Plane
)
# Curly quotes are East Asian Ambiguous, but in a Chinese report they are Chinese punctuation
# (GB/T 15834-2011 §4.8 引号), so they make their neighbours Chinese context as well.
CHINESE_QUOTES = "“”‘’"
# The body of a regex character class matching one character of Chinese text.
CHINESE_CLASS = "".join(f"{low}-{high}" for low, high in CJK_RANGES) + CHINESE_QUOTES
_CHINESE = re.compile(f"[{CHINESE_CLASS}]")


def is_chinese(char: str) -> bool:
    """One character of Chinese text: an ideograph, a radical, CJK or full-width punctuation."""
    return bool(char) and bool(_CHINESE.match(char))


def has_chinese(text: str) -> bool:
    return bool(_CHINESE.search(text))


# -- invisible characters -------------------------------------------------------------------

# Zero-width characters: legal, unseen, and they split words for search and for the workbook.
# ZWSP, ZWNJ, ZWJ, word joiner, and the byte-order mark (ZWNBSP) left inside a text.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# What the importer drops from last year's text: the zero-width characters and the soft hyphen,
# which a copy from a web page or a PDF leaves behind. The reader keeps soft hyphens (a source
# writer who typed one meant it), so it screens ZERO_WIDTH only.
INVISIBLE = ZERO_WIDTH + "\u00ad"
ZERO_WIDTH_PATTERN = re.compile(f"[{ZERO_WIDTH}]")


# -- display width --------------------------------------------------------------------------

def display_width(text: str, wide_units: int = 2) -> int:
    """Width in half-width cells: East Asian Wide and Fullwidth characters count `wide_units`
    (UAX #11), everything else one. Ambiguous characters (“” …) count one, as in a terminal or
    an Excel column of Latin digits."""
    if text.isascii():
        return len(text)
    wide = sum(map(_is_wide, text))  # each character's answer cached: C-level loop, no unicodedata call
    return len(text) + wide * (wide_units - 1)


@functools.lru_cache(maxsize=8192)
def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"
