"""The 版头 keys of the front matter: the values GB/T 9704 allows, and what each needs [K1–K13]."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from ..model import Metadata, Position
from .format_fields import effective_format
from .text import SourceLines

# The 15 文种 of 《党政机关公文处理工作条例》第八条; 命令 may be written 令.
KINDS = ("决议", "决定", "命令", "令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
         "议案", "函", "纪要")
# 上行文 by nature; 函 goes between bodies that do not lead each other; the rest go down.
KIND_DIRECTIONS = {"请示": "up", "报告": "up", "函": "parallel"}
DIRECTIONS = ("up", "down", "parallel")
SECRET_LEVELS = ("绝密", "机密", "秘密")                 # [K4]
URGENCIES = ("特急", "加急", "特提", "平急")            # [K5]; 特提 and 平急 are for telegrams
# Keys printed only in the 版头: setting one asks for the 版头 [K1–K13].
HEAD_KEYS = ("issuer_mark", "copy_number", "secret", "secret_period", "urgency", "signer")
# 机关代字〔year〕N号 [K9]
DOC_NUMBER = re.compile(r"[^〔〕\[\]【】﹝﹞]+〔\d{4}〕[1-9]\d*号")


def read_head_fields(src: SourceLines, data: dict[str, Any], key_pos: dict[str, Position], value_pos: Any, text: Any,
                      text_list: Any, issuers: tuple[str, ...]) -> dict[str, Any] | None:
    """The 版头 keys, checked: the values the standard allows, and what needs what [K1–K13].

    Returns the Metadata fields, or None when one is wrong (each problem reported at its value)."""
    ok = True
    fields: dict[str, Any] = {}
    given_head_keys = [key for key in HEAD_KEYS if data.get(key) is not None]
    head = data.get("head")
    if head is not None and not isinstance(head, bool):
        src.diags.error(f"'head' must be true or false, not {yaml_type(head)}", value_pos("head"))
        return None
    if head is False and given_head_keys:
        src.diags.error(f"'{given_head_keys[0]}' is printed in the 版头, which 'head: false' turns off",
                        key_pos[given_head_keys[0]])
        return None
    fields["head"] = bool(head) or bool(given_head_keys)

    kind = text("kind")
    if kind is not None:
        if kind not in KINDS:
            hint = difflib.get_close_matches(kind, KINDS, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else f" (one of {'、'.join(KINDS)})"
            src.diags.error(f"unknown 文种 'kind: {kind}'{suggestion}", value_pos("kind"))
            ok = False
        fields["kind"] = kind
    direction = text("direction")
    if direction is not None and direction not in DIRECTIONS:
        src.diags.error(f"'direction' must be one of {', '.join(DIRECTIONS)}, not {direction!r}",
                        value_pos("direction"))
        ok = False
    fields["direction"] = direction or KIND_DIRECTIONS.get(kind or "") or ("down" if kind else None)

    mark = data.get("issuer_mark")
    if mark is not None:
        if isinstance(mark, str) and mark.strip():
            # One line, printed as written: "某某县人民政府文件", or the name alone [K6].
            fields["issuer_mark"] = (mark.strip(),)
            fields["issuer_mark_as_written"] = True
        else:
            names = text_list("issuer_mark")
            if not names:
                ok = False
            fields["issuer_mark"] = names
    if fields["head"] and not issuers and mark is None:
        src.diags.error("the 版头 needs the 发文机关标志: give 'issuer' (or 'issuer_mark')",
                        key_pos.get("head") or key_pos[given_head_keys[0]])
        ok = False

    copy_number = data.get("copy_number")
    if copy_number is not None:
        shown = str(copy_number).strip() if isinstance(copy_number, (int, str)) and not isinstance(copy_number, bool) else ""
        if not (shown.isascii() and shown.isdigit() and 1 <= len(shown) <= 6 and int(shown) > 0):
            src.diags.error(f"'copy_number' (份号) must be a number of 1 to 6 digits, not {copy_number!r} [K3]",
                            value_pos("copy_number"))
            ok = False
        fields["copy_number"] = shown
    def one_of(key: str, label: str, choices: tuple[str, ...], item: str) -> str | None:
        """The value of `key` if the standard allows it; otherwise a located error (and None)."""
        nonlocal ok
        value = text(key)
        if value is not None and value not in choices:
            src.diags.error(f"'{key}' ({label}) must be one of {'、'.join(choices)}, not {value!r} [{item}]",
                            value_pos(key))
            ok = False
        return value

    secret = one_of("secret", "密级", SECRET_LEVELS, "K4")
    fields["secret"] = secret
    period = text("secret_period")
    if period is not None and secret is None:
        src.diags.error("'secret_period' (保密期限) needs 'secret' (密级) [K4]", key_pos["secret_period"])
        ok = False
    fields["secret_period"] = period
    fields["urgency"] = one_of("urgency", "紧急程度", URGENCIES, "K5")
    signers = text_list("signer")
    printed_in = effective_format(data, kind)
    if signers and printed_in in ("letter", "minutes"):
        # The 信函 and 纪要 版头 have no 签发人 line, and neither is signed by one [L1, J1].
        src.diags.error(f"'signer' (签发人) is not printed in a {'信函' if printed_in == 'letter' else '纪要'}: "
                        "remove it (only a 上行文 in the document format and a 命令 show a 签发人) [K11, M5]",
                        key_pos["signer"])
        ok = False
    elif signers and fields["direction"] != "up" and printed_in != "order":   # 签发人 signs a 命令 [M5]
        src.diags.error("'signer' (签发人) is printed only on a 上行文: set 'direction: up' "
                        "(or a kind such as 请示 or 报告) [K11]", key_pos["signer"])
        ok = False
    fields["signers"] = signers
    return fields if ok else None


def warn_incomplete_head(src: SourceLines, meta: Metadata) -> None:
    """What a 版头 element needs besides itself (`exporter check` shows these) [K2, K9, K11]."""
    head_at = meta.position_of("head") or meta.position_of("issuer") or src.at(2)
    if meta.doc_number is None:
        src.diags.warning("the 版头 has no 发文字号: add 'doc_number' [K9]", head_at)
    elif not DOC_NUMBER.fullmatch(meta.doc_number) or "第" in meta.doc_number:
        src.diags.warning(
            f"发文字号 '{meta.doc_number}' is not 机关代字〔year〕N号: the year in 〔〕 (U+3014/U+3015), "
            "the number without 第 or leading zeros [K9]", meta.position_of("doc_number"))
    if meta.secret is not None and meta.copy_number is None:
        src.diags.warning("a document with a 密级 must carry a 份号: add 'copy_number' [K2]",
                          meta.position_of("secret"))
    if meta.direction == "up" and not meta.signers:
        src.diags.warning("a 上行文 shows its 签发人: add 'signer' [K11]", meta.position_of("direction")
                          or meta.position_of("kind") or head_at)
    if meta.signers and len(meta.signers) != max(len(meta.issuers), 1):
        src.diags.warning(f"{len(meta.signers)} 签发人 for {len(meta.issuers)} issuers: one per issuer, in their "
                          "order [K13]", meta.position_of("signer"))


def yaml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"a date ({value})"
    return type(value).__name__
