"""Inline content: text runs, figure spans (→ FigureRef and Indicator) and their source positions."""

from __future__ import annotations

import difflib
import html
import re
from typing import Any

from markdown_it.token import Token

from ..figures import FigureSyntaxError, parse_figure
from ..model import FigureRef, Indicator, Inline, PercentKind, Position, Text
from .limits import number_not_carried
from .periods import period_problem
from .text import SourceLines, forbidden_characters

MAX_ID_LENGTH = 40  # Word truncates bookmark names longer than 40 characters
ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
SPAN_ATTRIBUTES = ("id", "name", "unit", "value", "scope", "period", "note", "kind")
PERCENT_KINDS = tuple(k.value for k in PercentKind)

UNSUPPORTED_INLINE = {
    "em_open": "emphasis (*…*) is not supported: escape the '*' as '\\*' to print it",
    "strong_open": "bold (**…**) is not supported: escape the '*' as '\\*' to print it",
    "link_open": "links are not supported",
    "image": "images are not supported",
    "code_inline": "inline code (`…`) is not supported",
    "s_open": "strikethrough is not supported",
}


class InlineReader:
    """Reads the inline tokens of paragraphs and headings, and collects the report's indicators."""

    def __init__(self, src: SourceLines):
        self.shown = src.shown
        self.lines = src.lines
        self.diags = src.diags
        self.at = src.at
        self.indicators: list[Indicator] = []
        self.indicator_ids: dict[str, Position] = {}

    def _content_locator(self, inline: Token):
        """Map offsets in `inline.content` to source positions."""
        start_line = inline.map[0] if inline.map else 0
        content_lines = inline.content.split("\n")
        starts: list[tuple[int, int, int]] = []  # (content offset, source line, source col)
        offset = 0
        for k, cline in enumerate(content_lines):
            src_line_no = start_line + k + 1
            src = self.lines[src_line_no - 1] if src_line_no - 1 < len(self.lines) else ""
            found = src.find(cline) if cline else -1
            if found < 0:
                found = len(src) - len(src.lstrip())
                if src.lstrip().startswith("#"):
                    found = len(src) - len(src.lstrip("# \t")) if src.strip("# \t") else 0
            starts.append((offset, src_line_no, found + 1))
            offset += len(cline) + 1

        def locate(content_offset: int) -> Position:
            line_entry = starts[0]
            for entry in starts:
                if entry[0] <= content_offset:
                    line_entry = entry
                else:
                    break
            return self.at(line_entry[1], line_entry[2] + content_offset - line_entry[0])

        return locate

    def read(self, inline: Token, heading_path: tuple[str, ...]) -> list[Inline]:
        locate = self._content_locator(inline)
        content = inline.content
        cursor = 0
        result: list[Inline] = []
        children = inline.children or []
        i = 0

        # A run may only grow while its text maps column for column onto the source, so
        # lint can locate any character in it; escapes and entities start runs of their own.
        contiguous = [False]

        def add_text(text: str, pos: Position, literal: bool = True) -> None:
            if not text:
                return
            mergeable = contiguous[0] and literal
            contiguous[0] = literal
            if mergeable and result and isinstance(result[-1], Text) and result[-1].pos.line == pos.line:
                prev = result[-1]
                result[-1] = Text(prev.text + text, prev.pos)
            else:
                result.append(Text(text, pos))

        while i < len(children):
            child = children[i]
            if child.type == "text":
                found = content.find(child.content, cursor)
                start = found if found >= 0 else cursor
                pos = locate(start)
                self._stray_markup(child.content, start, locate)
                add_text(child.content, pos)
                cursor = start + len(child.content) if found >= 0 else cursor
                i += 1
            elif child.type == "text_special":
                found = content.find(child.markup or child.content, cursor)
                start = found if found >= 0 else cursor
                # An entity such as &#x202E; makes a character the screening of the raw text never saw.
                for _offset, problem in forbidden_characters(child.content):
                    self.diags.error(f"{problem} (written as '{child.markup}')", locate(start))
                add_text(child.content, locate(start), literal=False)
                cursor = start + len(child.markup or child.content) if found >= 0 else cursor
                i += 1
            elif child.type == "html_inline":
                # Inline tags print literally: a report may quote "<b>" or "<5%".
                found = content.find(child.content, cursor)
                start = found if found >= 0 else cursor
                add_text(child.content, locate(start))
                cursor = start + len(child.content) if found >= 0 else cursor
                i += 1
            elif child.type in ("softbreak", "hardbreak"):
                found = content.find("\n", cursor)
                cursor = found + 1 if found >= 0 else cursor
                # Chinese text wrapped across source lines joins without a space; Latin words keep one.
                prev = result[-1].text[-1:] if result else ""
                nxt = ""
                if i + 1 < len(children) and children[i + 1].content:
                    nxt = children[i + 1].content[:1]
                if prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum():
                    add_text(" ", locate(max(cursor - 1, 0)))
                i += 1
            elif child.type == "span_open":
                start = content.find("[", cursor)
                start = start if start >= 0 else cursor
                close_index, span_text, nested = self._span_body(children, i)
                pos = locate(start)
                attrs_end = self._span_end(content, start, span_text)
                cursor = attrs_end
                if nested:
                    self.diags.error("nested spans: a figure span cannot contain another span", pos)
                    add_text(span_text, pos)
                elif not span_text.strip():
                    self.diags.error("empty span: the brackets must hold the printed figure", pos)
                else:
                    ref = self._figure(child, span_text, pos, result, children, close_index, heading_path)
                    if ref is not None:
                        result.append(ref)
                    else:
                        add_text(span_text, pos)
                i = close_index + 1
            elif child.type in UNSUPPORTED_INLINE:
                found = content.find(child.markup, cursor) if child.markup else -1
                pos = locate(found if found >= 0 else cursor)
                self.diags.error(UNSUPPORTED_INLINE[child.type], pos)
                # Keep the text inside so later messages stay meaningful.
                i += 1
            elif child.type in ("em_close", "strong_close", "link_close", "s_close", "span_close"):
                i += 1
            else:
                self.diags.error(f"'{child.type}' is not supported in running text", locate(cursor))
                i += 1
        return result

    def _span_body(self, children: list[Token], open_index: int) -> tuple[int, str, bool]:
        depth = 0
        parts: list[str] = []
        nested = False
        for j in range(open_index, len(children)):
            c = children[j]
            if c.type == "span_open":
                depth += 1
                if depth > 1:
                    nested = True
            elif c.type == "span_close":
                depth -= 1
                if depth == 0:
                    return j, "".join(parts), nested
            elif c.type in ("text", "text_special", "html_inline"):
                parts.append(c.content)
        return len(children) - 1, "".join(parts), nested

    def _span_end(self, content: str, start: int, span_text: str) -> int:
        """The offset just after `[…]{…}` starting at `start`."""
        close = content.find("]{", start)
        if close < 0:
            return start + len(span_text) + 2
        depth = 0
        k = close + 1
        while k < len(content):
            if content[k] == "{":
                depth += 1
            elif content[k] == "}":
                depth -= 1
                if depth == 0:
                    return k + 1
            elif content[k] == '"':
                end_quote = content.find('"', k + 1)
                k = end_quote if end_quote >= 0 else k
            k += 1
        return len(content)

    def _stray_markup(self, text: str, start: int, locate) -> None:
        broken = re.search(r"\[[^\[\]]*\]\{[^{}]*\}?", text)
        if broken:
            self.diags.error(
                f"cannot read the span '{broken.group(0)}': write attributes as {{#snake_case_id name=\"指标名称\"}}"
                " and quote every value that is not plain ASCII letters or digits",
                locate(start + broken.start()),
            )
            return
        for k, ch in enumerate(text):
            if ch == "[":
                close = text.find("]", k)
                if close >= 0:
                    self.diags.error(
                        f"span '{text[k:close + 1]}' has no attributes: add {{#id name=\"…\"}} or escape the '[' as '\\['",
                        locate(start + k),
                    )
                else:
                    self.diags.error("unclosed span: '[' without ']{…}' (escape it as '\\[' to print it)", locate(start + k))
                return
            if ch == "]":
                self.diags.error("']' without a matching '[' (escape it as '\\]' to print it)", locate(start + k))
                return
            if ch in "{}":
                self.diags.error(f"stray '{ch}' outside a span (escape it as '\\{ch}' to print it)", locate(start + k))
                return

    def _figure(self, open_tok: Token, span_text: str, pos: Position, result: list[Inline],
                children: list[Token], close_index: int, heading_path: tuple[str, ...]) -> FigureRef | None:
        attrs = {key: _attribute_value(value) for key, value in open_tok.attrs.items()}
        ok = True
        # Entities in the figure or its attributes make characters the raw text did not have.
        for where, value in (("the figure", span_text), *((f"'{key}'", v) for key, v in attrs.items())):
            for _offset, problem in forbidden_characters(str(value))[:1]:
                self.diags.error(f"{problem} (in {where}, written as an entity)", pos)
                ok = False
        for key in attrs:
            if key not in SPAN_ATTRIBUTES:
                if key == "class":
                    self.diags.error(f"span classes (.{attrs[key]}) are not supported", pos)
                else:
                    hint = difflib.get_close_matches(str(key), SPAN_ATTRIBUTES, n=1)
                    suggestion = f" (did you mean '{hint[0]}'?)" if hint else f" (allowed: {', '.join(SPAN_ATTRIBUTES)})"
                    self.diags.error(f"unknown span attribute '{key}'{suggestion}", pos)
                ok = False
        ind_id = attrs.get("id")
        if not ind_id:
            self.diags.error(f"span '{span_text}' has no id: add #snake_case_id", pos)
            ok = False
        elif len(ind_id) > MAX_ID_LENGTH:
            self.diags.error(f"id '{ind_id[:20]}…' is longer than {MAX_ID_LENGTH} characters", pos)
            ok = False
        elif not ID_PATTERN.match(ind_id):
            self.diags.error(
                f"malformed id '{ind_id}': use ASCII snake_case (lower-case letters, digits, single '_'), starting with a letter",
                pos,
            )
            ok = False
        elif ind_id in self.indicator_ids:
            first = self.indicator_ids[ind_id]
            self.diags.error(f"duplicate id '{ind_id}' (first used at {first.line}:{first.column})", pos)
            ok = False
        period = attrs.get("period")
        if period is not None and (problem := period_problem(str(period).strip())):
            self.diags.error(f"period=\"{period}\" {problem}", pos)
            ok = False
        name = attrs.get("name")
        if name is None or not str(name).strip():
            self.diags.error(f"span '{span_text}' has no name: add name=\"指标名称\"", pos)
            ok = False
        before = ""
        for previous in reversed(result[-4:]):
            before = previous.text + before
            if len(before) >= 4:
                break
        before = before[-4:]
        after = ""
        for c in children[close_index + 1:]:
            if c.type in ("text", "text_special", "html_inline"):
                after += c.content
                if len(after) >= 6:
                    break
            elif c.type in ("softbreak", "hardbreak"):
                continue
            else:
                break
        try:
            parsed = parse_figure(span_text, before=before, after=after, value=attrs.get("value"),
                                  unit=attrs.get("unit"))
        except FigureSyntaxError as exc:
            self.diags.error(str(exc), pos)
            ok = False
            parsed = None
        if parsed is not None:
            for number in dict.fromkeys((parsed.value, parsed.base_value)):
                unfit = number_not_carried(number)
                if unfit is not None:
                    shown = span_text if len(span_text) <= 30 else span_text[:30] + "…"
                    self.diags.error(f"figure '{shown}': {unfit}", pos)
                    ok = False
                    break
        kind = _opt(attrs.get("kind"))
        if kind is not None and kind not in PERCENT_KINDS:
            self.diags.error(f"unknown kind '{kind}': a percentage is kind=\"share\" (0–100, the default),"
                             f" \"ratio\" (to a plan or a past year) or \"change\" (a growth rate)", pos)
            ok = False
        elif kind is not None and parsed is not None and parsed.unit not in ("%", "％"):
            self.diags.error(f"kind=\"{kind}\" is for percentages: '{span_text}' is not one", pos)
            ok = False
        if not ok or parsed is None or ind_id is None:
            return None
        self.indicator_ids[ind_id] = pos
        self.indicators.append(Indicator(
            id=ind_id, name=str(name).strip(), text=span_text, value=parsed.value, unit=parsed.unit,
            qualifier=parsed.qualifier, multiplier=parsed.multiplier, base_value=parsed.base_value,
            base_unit=parsed.base_unit, section=heading_path, sentence="", pos=pos,
            scope=_opt(attrs.get("scope")), period=_opt(attrs.get("period")), note=_opt(attrs.get("note")),
            value_given="value" in attrs, upper=parsed.upper, base_upper=parsed.base_upper,
            kind=PercentKind(kind) if kind is not None else None,
        ))
        return FigureRef(ind_id, span_text, pos)


def _attribute_value(value: Any) -> str:
    """Attribute values read like Markdown text: \\" and \\\\ escapes, and entities such as &quot;."""
    return html.unescape(re.sub(r'\\(["\\])', r"\1", str(value)))


def _opt(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None
