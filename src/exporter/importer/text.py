"""Read a .txt input: decode it into lines, and say which encoding was assumed and why.

A byte-order mark decides (UTF-8, UTF-16, UTF-32). Otherwise valid UTF-8 is UTF-8. Otherwise
GB18030 is the usual answer, but GB18030 decodes almost any byte string without an error: a
Big5 (traditional Chinese) or Shift-JIS (Japanese) file comes out as fluent-looking mojibake.
So the decision is made by evidence: the text is decoded as each of GB18030, Big5 and
Shift-JIS, and each reading is scored by the share of its characters that are the common
characters of that encoding (GB2312 level 1, Big5 常用字, kana and JIS level 1). A real report
scores above 99 % in its own encoding and far lower in the others (Big5 read as GB18030: about
40 %; Shift-JIS read as GB18030: nearly 0 %). Only GB18030 is imported; a Big5 or Shift-JIS
file is refused with its detected encoding and the command that converts it, because the
profile's fonts and rules are for simplified Chinese and a silent conversion could print a
character the author never wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnostics import Diagnostic, SourceError

# Below this many CJK characters a low GB18030 score is not evidence enough to refuse a file.
MIN_EVIDENCE = 20
# A GB18030 reading whose common-character share is below this is not trusted (a real report
# scores 0.999; Big5 read as GB18030 about 0.4).
GB_COMMON_SHARE = 0.85

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass
class DecodedText:
    text: str
    encoding: str       # as shown in the report
    line_ending: str    # "LF", "CRLF", "CR" or "mixed"
    evidence: str = ""  # why a legacy encoding was assumed, for the report ("" for BOMs and UTF-8)


def decode(raw: bytes, shown: str) -> DecodedText:
    evidence = ""
    if raw.startswith(b"\xef\xbb\xbf"):
        text, encoding = _strict(raw[3:], "utf-8", "UTF-8 with BOM", shown), "UTF-8 with BOM"
    elif raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        text, encoding = _strict(raw, "utf-32", "UTF-32", shown), "UTF-32"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _strict(raw, "utf-16", "UTF-16", shown), "UTF-16"
    elif b"\x00" in raw:
        offset = raw.index(b"\x00")
        raise SourceError(Diagnostic(
            "error", f"cannot decode: a NUL byte at offset {offset} (UTF-16 without a byte-order mark, or not a "
            "text file); save the file as UTF-8", path=shown,
        ))
    else:
        try:
            text, encoding = raw.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            text, encoding, evidence = _legacy(raw, shown)
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lone_lf = text.count("\n") - crlf
    kinds = [name for name, n in (("CRLF", crlf), ("CR", lone_cr), ("LF", lone_lf)) if n]
    line_ending = kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "LF")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return DecodedText(text, encoding, line_ending, evidence)


def _strict(raw: bytes, codec: str, shown_codec: str, shown: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise SourceError(Diagnostic(
            "error", f"cannot decode as {shown_codec} (its byte-order mark says so): bad bytes at offset "
            f"{exc.start}; save the file as UTF-8", path=shown,
        ))


@dataclass(frozen=True)
class _Reading:
    name: str
    codec: str
    text: str
    cjk: int        # CJK characters (hanzi, kana) in this reading
    common: int     # of which common characters of this encoding

    @property
    def share(self) -> float:
        return self.common / self.cjk if self.cjk else 0.0


def _legacy(raw: bytes, shown: str) -> tuple[str, str, str]:
    readings = []
    first_error: UnicodeDecodeError | None = None
    for name, codec, common in (("GB18030", "gb18030", _gb2312_level1), ("Big5", "cp950", _big5_common),
                                ("Shift-JIS", "cp932", _jis_common)):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as exc:
            if codec == "gb18030":
                first_error = exc
            continue
        cjk = _CJK.findall(text)
        readings.append(_Reading(name, codec, text, len(cjk), sum(1 for ch in cjk if common(ch))))
    if not readings:
        assert first_error is not None
        raise SourceError(Diagnostic(
            "error", f"cannot decode: neither UTF-8 nor GB18030 (byte 0x{raw[first_error.start]:02x} at offset "
            f"{first_error.start}), nor Big5 or Shift-JIS; save the file as UTF-8", path=shown,
        ))
    # The first of equals wins, and GB18030 is first: a tie is a short text with no CJK evidence.
    best = max(readings, key=lambda r: r.share)
    gb = next((r for r in readings if r.name == "GB18030"), None)
    if best.name != "GB18030" and best.cjk and (gb is None or best.share > gb.share):
        against = (f", against {gb.share:.0%} common GB2312 characters when read as GB18030" if gb else
                   " (it is not valid GB18030)")
        language = "traditional Chinese" if best.name == "Big5" else "Japanese"
        raise SourceError(Diagnostic(
            "error", f"the file is not UTF-8 and looks like {best.name} ({language}): {best.share:.0%} of its "
            f"{best.cjk} CJK characters are common {best.name} characters{against}; it is not imported, "
            f"because reading it as GB18030 would give mojibake. If it is meant to be imported, convert it "
            f"first (iconv -f {best.codec.upper()} -t UTF-8) and check the text", path=shown,
        ))
    assert gb is not None
    if gb.cjk >= MIN_EVIDENCE and gb.share < GB_COMMON_SHARE:
        raise SourceError(Diagnostic(
            "error", f"the file is not UTF-8, and read as GB18030 only {gb.share:.0%} of its {gb.cjk} CJK "
            f"characters are common GB2312 characters (a Chinese text has over 95 %): the encoding is unknown; "
            f"save the file as UTF-8", path=shown,
        ))
    evidence = (f"not valid UTF-8; read as GB18030, {gb.share:.0%} of its {gb.cjk} CJK characters are common "
                f"GB2312 characters" if gb.cjk else "not valid UTF-8 and no CJK characters; read as GB18030")
    return gb.text, "GB18030", evidence


def _gb2312_level1(char: str) -> bool:
    """GB2312 level 1: the 3,755 most used hanzi (rows 16–55, lead bytes 0xB0–0xD7)."""
    try:
        lead = char.encode("gb2312")[0]
    except UnicodeEncodeError:
        return False
    return 0xB0 <= lead <= 0xD7


def _big5_common(char: str) -> bool:
    """Big5 常用字: the 5,401 frequent hanzi at 0xA440–0xC67E."""
    try:
        code = char.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xA440 <= (code[0] << 8 | code[1]) <= 0xC67E


def _jis_common(char: str) -> bool:
    """Kana, and JIS X 0208 level 1 kanji (0x889F–0x9872 in Shift-JIS)."""
    if "\u3040" <= char <= "\u30ff":
        return True
    try:
        code = char.encode("shift_jis")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0x889F <= (code[0] << 8 | code[1]) <= 0x9872
