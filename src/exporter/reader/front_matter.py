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
from ..model import Metadata, Position
from .inline import ID_PATTERN
from .limits import date_too_late, number_out_of_range, text_too_long
from .text import SourceLines, forbidden_characters

FRONT_MATTER_KEYS = (
    "title", "issuer", "date", "recipients", "doc_number", "note", "attachments", "cc",
    "printed_by", "printed_on", "region", "region_code", "period", "profile", "checks",
)
COMPARISON_KEYS = tuple(c.value for c in checks_mod.Comparison)
CHECK_KEYS = ("id", "description", "sum", "expr", *COMPARISON_KEYS, "tolerance")
# Operators a clerk may type as a key, and the word the source writes instead.
OPERATOR_WORDS = {"=": "equals", "==": "equals", "<": "less_than", "<=": "at_most", "≤": "at_most",
                  "=<": "at_most", ">=": "at_least", "≥": "at_least", "=>": "at_least", ">": "greater_than"}


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
    region_code = text("region_code")
    if region_code is not None and not re.fullmatch(r"\d{6}(\d{6})?", region_code):
        src.diags.error(
            f"'region_code' must be a 6- or 12-digit administrative division code, not {region_code!r}",
            value_pos("region_code"),
        )
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
        period=text("period"),
        profile=text("profile"),
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
