"""Lines that are not part of the report: page furniture and web boilerplate.

`furniture`: page numbers as a PDF-to-text tool leaves them ("-1-", "— 1 —", "第 1 页 共 9 页")
and form feeds. `boilerplate`: what a web page or database adds around the text ("来源：…",
"原文链接：…", "【法宝引证码】…", a bare URL) and a licence footer that runs to the end of
the file ("本作品是中华人民共和国的法律…", "Public domain"). Dropped lines are listed in the
report and kept as comments in the generated front matter.
"""

from __future__ import annotations

import re

_DASH = r"[-—–－‒―~～]"
PAGE_NUMBER = re.compile(
    rf"^(?:{_DASH}+\s*\d{{1,4}}\s*{_DASH}+|第\s*\d{{1,4}}\s*页(?:\s*[,，/]?\s*共\s*\d{{1,4}}\s*页)?|\d{{1,4}}\s*/\s*\d{{1,4}})$"
)
BOILERPLATE = (
    (re.compile(r"^来源[：:]\s*\S.{0,38}$"), "web source line"),
    (re.compile(r"^(?:原文链接|原文地址|本文链接|链接地址)[：:]"), "web link line"),
    (re.compile(r"^【法宝引证码】"), "database citation code"),
    (re.compile(r"^https?://\S+$"), "bare URL"),
    (re.compile(r"^(?:责任编辑|编辑|审核|校对)[：:]\s*\S{1,12}$"), "editor credit line"),
    (re.compile(r"^[（(](?:责任编辑|编辑)[：:][^（）()]{1,12}[）)]$"), "editor credit line"),
    (re.compile(r"^字号[：:]?\s*[大中小\s]+$"), "web page button text"),
    (re.compile(r"^【?(?:打印本页|关闭窗口|打印|关闭|收藏|分享到)】?[：:]?$"), "web page button text"),
)
LICENCE_START = re.compile(r"^(?:本作品(?:是|在|来自|采用|系|属于)|Public domain$|This work is in the public domain)")


def page_furniture(text: str) -> bool:
    return bool(PAGE_NUMBER.match(text))


def boilerplate_reason(text: str) -> str | None:
    for pattern, reason in BOILERPLATE:
        if pattern.match(text):
            return reason
    return None


def licence_footer_start(texts: list[str]) -> int | None:
    """Index of the first line of a licence footer in the last 40 % of the text, if any."""
    non_empty = [i for i, t in enumerate(texts) if t.strip()]
    if not non_empty:
        return None
    cutoff = non_empty[int(len(non_empty) * 0.6)]
    for i in non_empty:
        if i >= cutoff and LICENCE_START.match(texts[i].strip()):
            return i
    return None
