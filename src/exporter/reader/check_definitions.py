"""The 'checks' key of the front matter → CheckDefinitions, each side parsed, each mistake located."""

from __future__ import annotations

import dataclasses
import difflib
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from .. import checks as checks_mod
from ..model import Position
from .inline import ID_PATTERN
from .limits import number_out_of_range
from .text import SourceLines

COMPARISON_KEYS = tuple(c.value for c in checks_mod.Comparison)
CHECK_KEYS = ("id", "description", "sum", "expr", *COMPARISON_KEYS, "tolerance")
# Operators a clerk may type as a key, and the word the source writes instead.
OPERATOR_WORDS = {"=": "equals", "==": "equals", "<": "less_than", "<=": "at_most", "≤": "at_most",
                  "=<": "at_most", ">=": "at_least", "≥": "at_least", "=>": "at_least", ">": "greater_than"}


def check_definitions(src: SourceLines, value: Any, node: yaml.Node | None, offset: int) -> list[checks_mod.CheckDefinition]:
    if value is None:
        return []
    pos = src.at(node.start_mark.line + 1 + offset, node.start_mark.column + 1) if node else src.at(2)
    if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode):
        src.diags.error("'checks' must be a list of checks", pos)
        return []
    if not value:
        src.diags.error("'checks' must be a list of checks, not an empty list (remove the key to leave it out)", pos)
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
