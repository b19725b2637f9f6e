"""Checking a merged profile (profile.py): each value's type and rule, and the values that must
agree across keys (the grid must fit the page, indents must leave room on a line, sheet and
table names must differ). One message per problem, at its key; a key found bad is skipped by
the checks across keys."""

from __future__ import annotations

import difflib
import math
from typing import Any, Mapping

from .diagnostics import Diagnostics
from .model import Position
from .profile_rules import (
    FIT_TOLERANCE_PT, NUM_LIST, NUMBER, OPTIONAL, SHEET_KEYS, STR_LIST, TABLE_KEYS, Rule, number_text,
)
from .toml_locate import Where
from .units import Mm


def _type_ok(value: Any, expected: Any) -> bool:
    if expected == STR_LIST:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if expected == NUM_LIST:
        return isinstance(value, list) and all(isinstance(v, NUMBER) and not isinstance(v, bool) for v in value)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == NUMBER:
        return isinstance(value, NUMBER) and not isinstance(value, bool)
    return isinstance(value, expected)


def _type_name(expected: Any) -> str:
    if expected == NUMBER:
        return "a number"
    if expected is int:
        return "an integer"
    if expected is str:
        return "a string"
    if expected is bool:
        return "true or false"
    if expected == STR_LIST:
        return "a list of strings"
    if expected == NUM_LIST:
        return "a list of numbers"
    return str(expected)


def _not_finite(value: Any) -> bool:
    numbers = value if isinstance(value, list) else [value]
    return any(isinstance(v, float) and not math.isfinite(v) for v in numbers)


class Checker:
    """Collects every problem of a profile; remembers the keys found bad so that checks
    across keys skip them (one bad value, one message)."""

    def __init__(self, where: Where):
        self.where = where
        self.diags = Diagnostics()
        self.bad: set[tuple[str, str]] = set()

    def error(self, message: str, pos: Position, *keys: tuple[str, str]) -> None:
        self.diags.error(message, pos)
        self.bad.update(keys)

    def table(self, table: str, values: Any, schema: dict[str, Any], rules: Mapping[str, Rule]) -> dict:
        if not isinstance(values, dict):
            self.error(f"[{table}] must be a table", self.where.at(table), *((table, k) for k in schema))
            return {}
        for key, value in values.items():
            at = self.where.at(table, key)
            if key not in schema:
                hint = difflib.get_close_matches(key, list(schema), n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.error(f"unknown key '{key}' in [{table}]{suggestion}", at)
            elif not _type_ok(value, schema[key]):
                self.error(f"[{table}] {key} must be {_type_name(schema[key])}, not {value!r}", at, (table, key))
            elif _not_finite(value):
                self.error(f"[{table}] {key} must be a finite number, not {value!r}", at, (table, key))
            elif key in rules and (problem := rules[key].problem(value)):
                self.error(f"[{table}] {key} {problem}", at, (table, key))
        for key in schema:
            if key not in values and (table, key) not in OPTIONAL:
                self.error(f"[{table}] is missing '{key}'", self.where.at(table), (table, key))
        return values

    def good(self, sections: Mapping[str, Mapping[str, Any]], *keys: tuple[str, str]) -> bool:
        return all(key not in self.bad and key[1] in sections.get(key[0], {}) for key in keys)


def check_together(tables: Mapping[str, Mapping[str, Any]], check: Checker) -> None:
    """Values that are each acceptable but do not fit together: the grid and the page."""
    where = check.where

    def value(table: str, key: str) -> Any:
        return tables[table][key]

    text_width = text_height = None
    keys = [("page", k) for k in ("width_mm", "margin_left_mm", "margin_right_mm")]
    if check.good(tables, *keys):
        width, left, right = (value(*k) for k in keys)
        if left + right >= width:
            check.error(f"left and right margins ({number_text(left)} + {number_text(right)} mm) leave no text width "
                        f"on a {number_text(width)} mm page", where.latest(*keys[1:], keys[0]))
        else:
            text_width = Mm(width - left - right)
    keys = [("page", k) for k in ("height_mm", "margin_top_mm", "margin_bottom_mm")]
    if check.good(tables, *keys):
        height, top, bottom = (value(*k) for k in keys)
        if top + bottom >= height:
            check.error(f"top and bottom margins ({number_text(top)} + {number_text(bottom)} mm) leave no text height "
                        f"on a {number_text(height)} mm page", where.latest(*keys[1:], keys[0]))
        else:
            # As Word measures it too: each edge rounded to whole twips.
            text_height = (Mm(height - top - bottom), Mm(height).twips - Mm(top).twips - Mm(bottom).twips)
    _check_grid(tables, check, value, text_width, text_height)
    _check_indents(tables, check, value)
    _check_workbook(tables, check)
    _check_formats(tables, check)


MINUTES_LISTS = ("attendees", "absent", "observers")


def _check_formats(tables: Mapping[str, Mapping[str, Any]], check: Checker) -> None:
    """[minutes] names real lists and a real font role [J2, J3]; [letter]'s rules fit the page [L3]."""
    where = check.where
    key = ("minutes", "list_order")
    if check.good(tables, key):
        order = list(tables["minutes"]["list_order"])
        if sorted(order) != sorted(MINUTES_LISTS):
            check.error(f"[minutes] list_order must name each of {', '.join(MINUTES_LISTS)} once, not {order}",
                        where.at(*key))
    key = ("minutes", "label_role")
    if check.good(tables, key) and f"roles.{tables['minutes']['label_role']}" not in tables:
        check.error(f"[minutes] label_role names no font role [roles.{tables['minutes']['label_role']}]",
                    where.at(*key))
    keys = [("letter", "rule_length_mm"), ("page", "width_mm")]
    if check.good(tables, *keys) and tables["letter"]["rule_length_mm"] > tables["page"]["width_mm"]:
        check.error("[letter] rule_length_mm is longer than the page is wide", where.at(*keys[0]))
    # [L9] A line just above the lower double line keeps 7/8 of a 3号 character (14 pt) from it: the
    # 版心's bottom edge, below which no text goes, must stay that far above the double line's top.
    keys = [("letter", "min_text_gap_above_lower_rule_pt"), ("letter", "lower_rule_from_page_bottom_mm"),
            ("letter", "thick_rule_pt"), ("letter", "thin_rule_pt"), ("letter", "double_rule_gap_pt"),
            ("page", "margin_bottom_mm")]
    if check.good(tables, *keys):
        letter = tables["letter"]
        rule_top = Mm(letter["lower_rule_from_page_bottom_mm"]).pt + letter["thick_rule_pt"] + \
            letter["double_rule_gap_pt"] + letter["thin_rule_pt"]
        gap = Mm(tables["page"]["margin_bottom_mm"]).pt - rule_top
        if gap < letter["min_text_gap_above_lower_rule_pt"]:
            check.error(f"[letter] the lower double line comes {gap:.1f} pt below the 版心, closer than "
                        f"min_text_gap_above_lower_rule_pt ({letter['min_text_gap_above_lower_rule_pt']} pt) [L9]",
                        where.at(*keys[1]))


def _check_grid(tables: Mapping[str, Mapping[str, Any]], check: Checker, value,
                text_width: Mm | None, text_height: tuple[Mm, int] | None) -> None:
    """Lines per page and characters per line must fit the 版心, in Word's twips and in the PDF's points."""
    where = check.where
    lines = ("grid", "lines_per_page")
    if text_height is not None and check.good(tables, lines):
        n = value(*lines)
        height_mm, height_twips = text_height
        over: list[str] = []
        culprits = [lines]
        if check.good(tables, ("grid", "docx_line_pitch_twips")):
            pitch = value("grid", "docx_line_pitch_twips")
            if n * pitch > height_twips:
                over.append(f"{n} × {pitch} twips = {n * pitch} twips in Word, over {height_twips}")
                culprits.append(("grid", "docx_line_pitch_twips"))
        if check.good(tables, ("grid", "pdf_line_pitch_pt")):
            pitch = value("grid", "pdf_line_pitch_pt")
            if n * pitch > height_mm.pt + FIT_TOLERANCE_PT:
                over.append(f"{n} × {number_text(pitch)} pt = {n * pitch:.2f} pt in the PDF, over {height_mm.pt:.2f}")
                culprits.append(("grid", "pdf_line_pitch_pt"))
        if over:
            check.error(f"[grid] {n} lines per page do not fit the {number_text(height_mm)} mm text height: "
                        + "; ".join(over), where.latest(*culprits), *culprits)
    chars = ("grid", "chars_per_line")
    if text_width is not None and check.good(tables, chars):
        n = value(*chars)
        over = []
        culprits = [chars]
        if check.good(tables, ("grid", "pdf_cell_pt")):
            cell = value("grid", "pdf_cell_pt")
            if n * cell > text_width.pt + FIT_TOLERANCE_PT:
                over.append(f"{n} × {number_text(cell)} pt = {n * cell:.2f} pt in the PDF, over {text_width.pt:.2f}")
                culprits.append(("grid", "pdf_cell_pt"))
        if check.good(tables, ("roles.body", "size_pt"), ("grid", "docx_char_spacing_pt")):
            advance = value("roles.body", "size_pt") + value("grid", "docx_char_spacing_pt")
            if n * advance > text_width.pt + FIT_TOLERANCE_PT:
                over.append(f"{n} × {number_text(advance)} pt (body size and character spacing) = {n * advance:.2f} pt "
                            f"in Word, over {text_width.pt:.2f}")
                culprits += [("grid", "docx_char_spacing_pt"), ("roles.body", "size_pt")]
        if over:
            check.error(f"[grid] {n} characters per line do not fit the {number_text(text_width)} mm text width: "
                        + "; ".join(over), where.latest(*culprits), *culprits)
    title = ("title", "max_chars_per_line")
    if text_width is not None and check.good(tables, title, ("roles.title", "size_pt")):
        n, size = value(*title), value("roles.title", "size_pt")
        if n * size > text_width.pt + FIT_TOLERANCE_PT:
            check.error(f"[title] {n} title characters of {number_text(size)} pt ({n * size:.2f} pt) do not fit the "
                        f"{number_text(text_width)} mm ({text_width.pt:.2f} pt) text width",
                        where.latest(title, ("roles.title", "size_pt")), title)
    span = ("title", "lines_per_title_line")
    if check.good(tables, span, lines) and value(*span) > value(*lines):
        check.error(f"[title] lines_per_title_line ({value(*span)}) must not exceed lines_per_page "
                    f"({value(*lines)})", where.latest(span, lines), span)


# Indents in body characters, each of which must leave room on a line of `chars_per_line`.
_LINE_INDENTS = (("body", "first_line_indent_chars"), ("body", "heading_first_line_indent_chars"),
                 ("recipients", "indent_chars"), ("attachments", "indent_chars"), ("note", "indent_chars"),
                 ("signature", "right_indent_chars"))


def _check_indents(tables: Mapping[str, Mapping[str, Any]], check: Checker, value) -> None:
    chars = ("grid", "chars_per_line")
    if not check.good(tables, chars):
        return
    for key in _LINE_INDENTS:
        if check.good(tables, key) and value(*key) >= value(*chars):
            check.error(f"[{key[0]}] {key[1]} ({number_text(value(*key))}) leaves no room on a line of "
                        f"{value(*chars)} characters", check.where.at(*key), key)


def _check_workbook(tables: Mapping[str, Mapping[str, Any]], check: Checker) -> None:
    """Excel refuses a workbook with two sheets, or two tables, of the same name (ignoring case)."""
    where = check.where
    widths = ("xlsx", "min_column_width"), ("xlsx", "max_column_width")
    if check.good(tables, *widths) and tables["xlsx"]["max_column_width"] < tables["xlsx"]["min_column_width"]:
        check.error(f"[xlsx] max_column_width ({tables['xlsx']['max_column_width']}) must not be less than "
                    f"min_column_width ({tables['xlsx']['min_column_width']})", where.latest(*reversed(widths)),
                    widths[1])
    for keys, kind in ((SHEET_KEYS, "sheet"), (TABLE_KEYS, "table")):
        first: dict[str, str] = {}
        for key in keys:
            if not check.good(tables, ("xlsx", key)):
                continue
            name = tables["xlsx"][key]
            if name.casefold() in first:
                other = first[name.casefold()]
                check.error(f"[xlsx] {key} {name!r} is the same {kind} name as {other}: each {kind} needs its own "
                            f"name", where.at("xlsx", key), ("xlsx", key))
            else:
                first[name.casefold()] = key
