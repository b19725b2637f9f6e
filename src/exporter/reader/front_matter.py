"""YAML front matter → Metadata, and the consistency checks it declares."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from markdown_it.token import Token

from .. import checks as checks_mod
from ..model import Metadata, Position
from .inline import ID_PATTERN
from .periods import period_problem
from .text import SourceLines

FRONT_MATTER_KEYS = (
    "title", "issuer", "date", "recipients", "doc_number", "note", "attachments", "cc",
    "printed_by", "printed_on", "region", "region_code", "period", "profile", "checks",
    "url", "published", "reference_date", "registry",
)
CHECK_KEYS = ("id", "description", "sum", "expr", "equals", "tolerance")


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
        return value.strip()

    def text_list(key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value.strip(),)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            src.diags.error(f"'{key}' must be a list of non-empty texts", value_pos(key))
            return ()
        return tuple(v.strip() for v in value)

    def date(key: str) -> dt.date | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
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
    region_code = _region_code(src, data.get("region_code"), value_nodes.get("region_code"), value_pos("region_code"))
    period = text("period")
    if period is not None and (problem := period_problem(period)):
        src.diags.error(f"'period' {problem}", value_pos("period"))
    url = text("url")
    if url is not None and not re.match(r"https?://[^\s/]+", url):
        src.diags.error(f"'url' must be the address the report was published at (http:// or https://), not {url!r}",
                        value_pos("url"))
    check_defs = _check_definitions(src, data.get("checks"), value_nodes.get("checks"), offset)
    meta = Metadata(
        title=title,
        title_given_as_lines=as_lines,
        issuer=text("issuer"),
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
    )
    return (meta if ok else None), check_defs
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
            src.diags.error("a check must be a set of 'key: value' lines (id, description, sum or expr, equals)", ipos)
            continue
        bad = [k for k in item if k not in CHECK_KEYS]
        for k in bad:
            hint = difflib.get_close_matches(str(k), CHECK_KEYS, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            src.diags.error(f"unknown check key '{k}'{suggestion}", ipos)
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
        right = item.get("equals")
        if isinstance(right, (int, float)) and not isinstance(right, bool):
            right = str(right)
        if not isinstance(right, str):
            src.diags.error(f"check '{check_id}' needs 'equals' (an indicator id or an expression)", ipos)
            continue
        tolerance_raw = item.get("tolerance", 0)
        try:
            tolerance = Decimal(str(tolerance_raw))
            if tolerance < 0 or isinstance(tolerance_raw, bool):
                raise InvalidOperation
        except InvalidOperation:
            src.diags.error(f"check '{check_id}': 'tolerance' must be a non-negative number", ipos)
            continue
        description = item.get("description") or f"{left} = {right}"
        valid = True
        for expression in (left, right):
            try:
                checks_mod.parse_expression(expression)
            except checks_mod.ExpressionError as exc:
                src.diags.error(f"check '{check_id}': {exc} (at character {exc.offset + 1} of '{expression}')", ipos)
                valid = False
        if valid:
            defs.append(checks_mod.CheckDefinition(check_id, str(description), left, right, tolerance, ipos))
    return defs

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
