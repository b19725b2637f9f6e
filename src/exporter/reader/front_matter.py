"""YAML front matter → Metadata, and the consistency checks it declares."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from markdown_it.token import Token

from .. import checks as checks_mod
from ..model import HEADING_SCHEMES, Metadata, Position
from .inline import ID_PATTERN
from .limits import date_too_late, number_out_of_range, text_too_long
from .periods import period_problem
from .text import SourceLines, forbidden_characters

FRONT_MATTER_KEYS = (
    "title", "issuer", "date", "recipients", "doc_number", "note", "attachments", "cc",
    "printed_by", "printed_on", "region", "region_code", "period", "profile", "checks",
    "heading_scheme", "head", "kind", "direction", "issuer_mark", "copy_number", "secret", "secret_period", "urgency", "signer",
    "url", "published", "reference_date", "registry",
)
COMPARISON_KEYS = tuple(c.value for c in checks_mod.Comparison)
CHECK_KEYS = ("id", "description", "sum", "expr", *COMPARISON_KEYS, "tolerance")
# Operators a clerk may type as a key, and the word the source writes instead.
OPERATOR_WORDS = {"=": "equals", "==": "equals", "<": "less_than", "<=": "at_most", "≤": "at_most",
                  "=<": "at_most", ">=": "at_least", "≥": "at_least", "=>": "at_least", ">": "greater_than"}
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


def read_front_matter(src: SourceLines, token: Token) -> tuple[Metadata | None, list[checks_mod.CheckDefinition]]:
    content = token.content
    offset = 1  # the YAML starts on the line after the opening '---'
    try:
        node = yaml.compose(content, Loader=yaml.SafeLoader) if content.strip() else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 1 + offset) if mark else 2
        col = (mark.column + 1) if mark else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        src.diags.error(f"malformed YAML in front matter: {problem}", src.at(line, col))
        return None, []
    if node is None or (isinstance(node, yaml.ScalarNode) and not node.value):
        src.diags.error("front matter is empty: it needs at least 'title: …'", src.at(1))
        return None, []
    if not isinstance(node, yaml.MappingNode):
        src.diags.error("front matter must be a set of 'key: value' lines", src.at(2))
        return None, []
    key_pos: dict[str, Position] = {}
    value_nodes: dict[str, yaml.Node] = {}
    data: dict[str, Any] = {}
    constructor = yaml.SafeLoader("")
    ok = True
    for key_node, value_node in node.value:
        key = str(key_node.value)
        kpos = src.at(key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1)
        if key in key_pos:
            src.diags.error(f"duplicate front-matter key '{key}'", kpos)
            ok = False
        key_pos[key] = kpos
        value_nodes[key] = value_node
        try:
            data[key] = constructor.construct_object(value_node, deep=True)
        except (ValueError, TypeError, yaml.YAMLError) as exc:
            vpos = src.at(value_node.start_mark.line + 1 + offset, value_node.start_mark.column + 1)
            src.diags.error(f"'{key}' has an invalid value {value_node.value!r}: {exc}", vpos)
            data[key] = None
            ok = False
        for scalar in (key_node, *_scalars(value_node)):
            for char_offset, problem in forbidden_characters(str(scalar.value))[:1]:
                where = src.at(scalar.start_mark.line + 1 + offset, scalar.start_mark.column + 1)
                src.diags.error(f"{problem} (in '{key}', written as a YAML escape)", where)
                ok = False
    for key in data:
        if str(key) not in FRONT_MATTER_KEYS:
            hint = difflib.get_close_matches(str(key), FRONT_MATTER_KEYS, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else f" (allowed: {', '.join(FRONT_MATTER_KEYS)})"
            src.diags.error(f"unknown front-matter key '{key}'{suggestion}", key_pos.get(str(key), src.at(2)))
            ok = False

    def value_pos(key: str) -> Position:
        vn = value_nodes.get(key)
        if vn is None:
            return key_pos.get(key, src.at(2))
        return src.at(vn.start_mark.line + 1 + offset, vn.start_mark.column + 1)

    def text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and key in ("period", "region_code"):
            return str(value)
        if not isinstance(value, str):
            src.diags.error(f"'{key}' must be text, not {_yaml_type(value)}", value_pos(key))
            return None
        if not value.strip():
            src.diags.error(f"'{key}' is empty", value_pos(key))
            return None
        too_long = text_too_long(key, value.strip())
        if too_long is not None:
            src.diags.error(too_long, value_pos(key))
            return None
        return value.strip()

    def text_list(key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            src.diags.error(f"'{key}' must be a list of non-empty texts", value_pos(key))
            return ()
        for item in value:
            too_long = text_too_long(key, item.strip())
            if too_long is not None:
                src.diags.error(too_long, value_pos(key))
                return ()
        return tuple(v.strip() for v in value)

    def date(key: str) -> dt.date | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            # Only the 成文日期 dates the files; a later 印发日期 is printed, never stamped.
            too_late = date_too_late(key, value) if key == "date" else None
            if too_late is not None:
                src.diags.error(too_late, value_pos(key))
                return None
            return value
        src.diags.error(
            f"'{key}' must be a date written as YYYY-MM-DD (e.g. 2022-01-20), not {value!r}", value_pos(key)
        )
        return None

    title_value = data.get("title")
    title: tuple[str, ...] = ()
    as_lines = False
    if title_value is None:
        src.diags.error("front matter has no 'title'", src.at(1))
        ok = False
    elif isinstance(title_value, str) and title_value.strip():
        title = (title_value.strip(),)
    elif isinstance(title_value, list) and title_value and all(isinstance(t, str) and t.strip() for t in title_value):
        title = tuple(t.strip() for t in title_value)
        as_lines = True
    else:
        src.diags.error("'title' must be a text or a list of lines", value_pos("title"))
        ok = False
    title_too_long = text_too_long("title", "".join(title))
    if title_too_long is not None:
        src.diags.error(title_too_long, value_pos("title"))
        ok = False
    region_code = _region_code(src, data.get("region_code"), value_nodes.get("region_code"), value_pos("region_code"))
    period = text("period")
    if period is not None and (problem := period_problem(period)):
        src.diags.error(f"'period' {problem}", value_pos("period"))
    url = text("url")
    if url is not None and not re.match(r"https?://[^\s/]+", url):
        src.diags.error(f"'url' must be the address the report was published at (http:// or https://), not {url!r}",
                        value_pos("url"))
    check_defs = _check_definitions(src, data.get("checks"), value_nodes.get("checks"), offset)
    issuers = text_list("issuer")
    scheme = text("heading_scheme")
    if scheme is not None and scheme not in HEADING_SCHEMES:
        src.diags.error(f"'heading_scheme' must be one of {', '.join(HEADING_SCHEMES)}, not {scheme!r}",
                        value_pos("heading_scheme"))
        ok = False
    head_fields = _head_fields(src, data, key_pos, value_pos, text, text_list, issuers)
    if head_fields is None:
        ok = False
        head_fields = {}
    meta = Metadata(
        title=title,
        title_given_as_lines=as_lines,
        issuer=issuers[0] if issuers else None,
        issuers=issuers,
        heading_scheme=scheme,
        date=date("date"),
        recipients=_with_colon(text("recipients")),
        doc_number=text("doc_number"),
        note=text("note"),
        attachments=text_list("attachments"),
        cc=text_list("cc"),
        printed_by=text("printed_by"),
        printed_on=date("printed_on"),
        region=text("region"),
        region_code=region_code,
        period=period,
        profile=text("profile"),
        url=url,
        published=date("published"),
        reference_date=date("reference_date"),
        registry=text("registry"),
        positions=tuple((k, value_pos(k)) for k in key_pos),
        **head_fields,
    )
    if ok and meta.head:
        _warn_incomplete_head(src, meta)
    # Only a 公文 (a 版头 or a 文种 given): a report published as received, like the bundled one,
    # often has a 署名 and no date, and that is what it printed.
    if ok and (meta.head or meta.kind) and meta.issuer and meta.date is None:
        src.diags.warning("the document has a 署名 ('issuer') but no 成文日期: add 'date' [G1, G3]",
                          meta.position_of("issuer"))
    return (meta if ok else None), check_defs


def _head_fields(src: SourceLines, data: dict[str, Any], key_pos: dict[str, Position], value_pos: Any, text: Any,
                 text_list: Any, issuers: tuple[str, ...]) -> dict[str, Any] | None:
    """The 版头 keys, checked: the values the standard allows, and what needs what [K1–K13].

    Returns the Metadata fields, or None when one is wrong (each problem reported at its value)."""
    ok = True
    fields: dict[str, Any] = {}
    given_head_keys = [key for key in HEAD_KEYS if data.get(key) is not None]
    head = data.get("head")
    if head is not None and not isinstance(head, bool):
        src.diags.error(f"'head' must be true or false, not {_yaml_type(head)}", value_pos("head"))
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
    secret = text("secret")
    if secret is not None and secret not in SECRET_LEVELS:
        src.diags.error(f"'secret' (密级) must be one of {'、'.join(SECRET_LEVELS)}, not {secret!r} [K4]",
                        value_pos("secret"))
        ok = False
    fields["secret"] = secret
    period = text("secret_period")
    if period is not None and secret is None:
        src.diags.error("'secret_period' (保密期限) needs 'secret' (密级) [K4]", key_pos["secret_period"])
        ok = False
    fields["secret_period"] = period
    urgency = text("urgency")
    if urgency is not None and urgency not in URGENCIES:
        src.diags.error(f"'urgency' (紧急程度) must be one of {'、'.join(URGENCIES)}, not {urgency!r} [K5]",
                        value_pos("urgency"))
        ok = False
    fields["urgency"] = urgency
    signers = text_list("signer")
    if signers and fields["direction"] != "up":
        src.diags.error("'signer' (签发人) is printed only on a 上行文: set 'direction: up' "
                        "(or a kind such as 请示 or 报告) [K11]", key_pos["signer"])
        ok = False
    fields["signers"] = signers
    return fields if ok else None


def _warn_incomplete_head(src: SourceLines, meta: Metadata) -> None:
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
def _check_definitions(src: SourceLines, value: Any, node: yaml.Node | None, offset: int) -> list[checks_mod.CheckDefinition]:
    if value is None:
        return []
    pos = src.at(node.start_mark.line + 1 + offset, node.start_mark.column + 1) if node else src.at(2)
    if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode):
        src.diags.error("'checks' must be a list of checks", pos)
        return []
    defs = []
    seen: set[str] = set()
    for item, item_node in zip(value, node.value):
        ipos = src.at(item_node.start_mark.line + 1 + offset, item_node.start_mark.column + 1)
        if not isinstance(item, dict):
            src.diags.error("a check must be a set of 'key: value' lines (id, description, sum or expr, and a"
                            " comparison such as equals)", ipos)
            continue

        def key_pos(key: str, item_node: yaml.Node = item_node, ipos: Position = ipos) -> Position:
            for key_node, _ in getattr(item_node, "value", ()):
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                    return src.at(key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1)
            return ipos

        unknown_keys = [k for k in item if k not in CHECK_KEYS]
        for k in unknown_keys:
            if str(k) in OPERATOR_WORDS:
                src.diags.error(f"unknown comparison '{k}': write '{OPERATOR_WORDS[str(k)]}: …'", key_pos(str(k)))
            elif str(k) in ("!=", "≠", "<>", "not_equals"):
                src.diags.error(f"unknown comparison '{k}': a check states what must hold (equals, less_than,"
                                " at_most, at_least, greater_than, between)", key_pos(str(k)))
            else:
                hint = difflib.get_close_matches(str(k), CHECK_KEYS, n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                src.diags.error(f"unknown check key '{k}'{suggestion}", key_pos(str(k)) if isinstance(k, str) else ipos)
        check_id = item.get("id")
        if not isinstance(check_id, str) or not ID_PATTERN.match(check_id):
            src.diags.error("a check needs an 'id' in ASCII snake_case", ipos)
            continue
        if check_id in seen:
            src.diags.error(f"duplicate check id '{check_id}'", ipos)
        seen.add(check_id)
        if ("sum" in item) == ("expr" in item):
            src.diags.error(f"check '{check_id}' needs exactly one of 'sum' (a list of ids) or 'expr'", ipos)
            continue
        if "sum" in item:
            parts = item["sum"]
            if not isinstance(parts, list) or not parts or not all(isinstance(p, str) for p in parts):
                src.diags.error(f"check '{check_id}': 'sum' must be a list of indicator ids", ipos)
                continue
            left = " + ".join(parts)
        else:
            left = item["expr"]
            if not isinstance(left, str):
                src.diags.error(f"check '{check_id}': 'expr' must be text", ipos)
                continue
        given = [k for k in COMPARISON_KEYS if k in item]
        if not given and unknown_keys:
            continue  # the unknown key is most likely the comparison, and is reported already
        if len(given) != 1:
            where = key_pos(given[1]) if given else ipos
            src.diags.error(f"check '{check_id}' needs exactly one comparison: "
                            + ("equals, less_than, at_most, at_least, greater_than or between" if not given else
                               f"it has {' and '.join(given)}"), where)
            continue
        comparison = checks_mod.Comparison(given[0])
        if comparison == checks_mod.Comparison.BETWEEN:
            ends = item["between"]
            read = [_check_side(e) for e in ends] if isinstance(ends, list) and len(ends) == 2 else []
            if len(read) != 2 or None in read:
                src.diags.error(f"check '{check_id}': 'between' takes the two ends as a list, e.g."
                                " 'between: [0, 100]' (each a number, an id or an expression)", key_pos("between"))
                continue
            right, upper = read[0], read[1]
        else:
            right, upper = _check_side(item[comparison.value], summed=True), None
            if right is None:
                src.diags.error(f"check '{check_id}': '{comparison.value}' must be an indicator id, a number,"
                                " an expression or a list of ids (summed)", key_pos(comparison.value))
                continue
        assert right is not None
        tolerance_raw = item.get("tolerance", 0)
        try:
            tolerance = Decimal(str(tolerance_raw))
            if tolerance < 0 or isinstance(tolerance_raw, bool):
                raise InvalidOperation
        except InvalidOperation:
            src.diags.error(f"check '{check_id}': 'tolerance' must be a non-negative number", ipos)
            continue
        too_large = number_out_of_range(tolerance)
        if too_large is not None:
            src.diags.error(f"check '{check_id}', 'tolerance': {too_large}", ipos)
            continue
        definition = checks_mod.CheckDefinition(check_id, "", left, right, tolerance, ipos, comparison, upper)
        description = item.get("description") or definition.written()
        valid = True
        for expression in definition.sides:
            try:
                checks_mod.parse_expression(expression)
            except checks_mod.ExpressionError as exc:
                src.diags.error(f"check '{check_id}': {exc} (at character {exc.offset + 1} of '{expression}')", ipos)
                valid = False
        if valid:
            defs.append(dataclasses.replace(definition, description=str(description)))
    return defs


def _check_side(value: Any, summed: bool = False) -> str | None:
    """A side of a check as an expression: text as written, a number, or (where `summed`) a list of ids added up."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if summed and isinstance(value, list) and value and all(isinstance(p, str) for p in value):
        return " + ".join(value)
    return value if isinstance(value, str) else None


def _scalars(node: yaml.Node) -> list[yaml.ScalarNode]:
    """Every scalar of a YAML value, keys of nested mappings included, each node once (an
    alias repeats a node, so a walk that followed every alias could take exponential time)."""
    found: list[yaml.ScalarNode] = []
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            found.append(current)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
        elif isinstance(current, yaml.MappingNode):
            for key_node, value_node in reversed(current.value):
                stack.extend((value_node, key_node))
    return found


# GB/T 2260 province-level codes (the first two digits of every administrative division code).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split())


def region_code_problem(code: str) -> str | None:
    """Why `code` is not a GB/T 2260 code (6 digits: province, city, county; 12 with township and village)."""
    if not re.fullmatch(r"\d{6}(?:\d{6})?", code):
        return f"must be a 6- or 12-digit administrative division code (GB/T 2260), not {code!r}"
    if code[:2] not in PROVINCE_CODES:
        return f"{code!r} does not start with a GB/T 2260 province code (11–82): check the digits"
    if code[2:4] == "00" and code[4:6] != "00":
        return f"{code!r} has a county part ({code[4:6]}) under no city (00): GB/T 2260 codes do not"
    if len(code) == 12 and code[4:6] == "00" and code[6:] != "000000":
        return f"{code!r} has township digits under a city or province code: GB/T 2260 codes do not"
    return None


def _region_code(src: SourceLines, value: Any, node: yaml.Node | None, pos: Position) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        # YAML reads an unquoted 0532325 as the octal number 177365 and 532325 as a number: either
        # way the digits that reach the workbook are not the ones typed. Only a quoted code is safe.
        typed = node.value if isinstance(node, yaml.ScalarNode) else str(value)
        read_as = f" (YAML reads it as the number {value})" if isinstance(value, int) and str(value) != typed else ""
        src.diags.error(f"'region_code' must be quoted text: write region_code: \"{typed}\"{read_as}", pos)
        return None
    code = value.strip()
    if problem := region_code_problem(code):
        src.diags.error(f"'region_code' {problem}", pos)
        return None
    return code


def _with_colon(recipients: str | None) -> str | None:
    """主送机关 ends with a full-width colon (GB/T 9704 7.3.2), whether or not the author typed it."""
    if recipients is None:
        return None
    return recipients.rstrip(":：") + "："


def _yaml_type(value: Any) -> str:
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
