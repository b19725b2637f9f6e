"""Source → model. The only module that knows the source syntax.

A source is UTF-8 Markdown with YAML front matter (see docs/source-format.md). The reader
reads the file once, collects every problem as a located diagnostic, and either returns a
frozen `Document` (with the warnings it found) or raises `SourceError` with all of them.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import difflib
import hashlib
import html
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from . import checks as checks_mod
from .diagnostics import Diagnostic, Diagnostics, SourceError
from .figures import FigureSyntaxError, parse_figure
from .model import (
    Block, Document, FigureRef, Heading, Indicator, Inline, Metadata, Paragraph, Position,
    SourceInfo, Text,
)
from .numbering import heading_key, heading_label
from .profile import Profile, load_profile
from .titles import break_title

MAX_HEADING_LEVEL = 4
MAX_ID_LENGTH = 40  # Word truncates bookmark names longer than 40 characters
ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
SPAN_ATTRIBUTES = ("id", "name", "unit", "value", "scope", "period", "note")
SENTENCE_END = "。！？"

FRONT_MATTER_KEYS = (
    "title", "issuer", "date", "recipients", "doc_number", "note", "attachments", "cc",
    "printed_by", "printed_on", "region", "region_code", "period", "profile", "checks",
)
CHECK_KEYS = ("id", "description", "sum", "expr", "equals", "tolerance")

UNSUPPORTED_BLOCKS = {
    "bullet_list_open": "lists are not supported: write the items as paragraphs (headings are numbered for you)",
    "ordered_list_open": "lists are not supported: a typed number such as '1.' at the start of a line makes a list; use ### for a level-3 heading, or escape it as '1\\.'",
    "blockquote_open": "block quotes are not supported",
    "table_open": "tables are not supported by the writers yet",
    "fence": "code blocks are not supported",
    "code_block": "indented code blocks are not supported: remove the leading spaces",
    "html_block": "raw HTML blocks are not supported: escape the '<' as '\\<' to print it",
    "hr": "horizontal rules are not supported",
}
UNSUPPORTED_INLINE = {
    "em_open": "emphasis (*…*) is not supported: escape the '*' as '\\*' to print it",
    "strong_open": "bold (**…**) is not supported: escape the '*' as '\\*' to print it",
    "link_open": "links are not supported",
    "image": "images are not supported",
    "code_inline": "inline code (`…`) is not supported",
    "s_open": "strikethrough is not supported",
}


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").use(front_matter_plugin).use(attrs_plugin, spans=True)
    md.enable("table").enable("strikethrough")
    # Keep escapes as their own tokens, so a stray '[' in literal text can be told apart
    # from an escaped one.
    md.disable("text_join")
    return md


@dataclass
class ReadResult:
    document: Document
    profile: Profile
    warnings: list[Diagnostic] = field(default_factory=list)


def read_source(path: str | Path, profile: Profile | None = None, shown_path: str | None = None) -> ReadResult:
    """Read one source file into a Document (and the profile it names).

    Raises SourceError with every error found; warnings come back with the result.
    """
    path = Path(path)
    shown = shown_path or _shown(path)
    diags = Diagnostics()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(Diagnostic("error", "no such file", path=shown))
    except IsADirectoryError:
        raise SourceError(Diagnostic("error", "is a directory, not a source file", path=shown))
    except OSError as exc:
        raise SourceError(Diagnostic("error", f"cannot read: {exc.strerror or exc}", path=shown))
    text = _decode(raw, shown, diags)
    if text is None:
        raise SourceError(diags)
    builder = _Builder(shown, text, diags)
    document = builder.build(SourceInfo(
        path=shown, name=path.name, stem=path.stem, sha256=hashlib.sha256(raw).hexdigest(),
    ), profile, path.parent)
    if diags.has_errors or document is None:
        raise SourceError(diags)
    return ReadResult(document=document, profile=builder.profile, warnings=diags.warnings)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return str(path)


def _decode(raw: bytes, shown: str, diags: Diagnostics) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        diags.error(
            f"not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", Position(shown, line, column)
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        diags.error("empty file: a source needs front matter with at least a title", Position(shown, 1, 1))
        return None
    return _screen_characters(text, shown, diags)


# Characters no output format can carry: XML 1.0 forbids C0 controls and U+FFFE/U+FFFF,
# and a PDF has no glyph for them. Zero-width characters are legal but invisible, and they
# split words for search and for the workbook, so they are removed with a warning.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ufdd0-\ufdef]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_MAX_REPEATED = 20


def _screen_characters(text: str, shown: str, diags: Diagnostics) -> str | None:
    import unicodedata

    forbidden = 0
    zero_width = 0
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        for m in _FORBIDDEN.finditer(line):
            forbidden += 1
            if forbidden <= _MAX_REPEATED:
                code = ord(m.group(0))
                name = unicodedata.name(m.group(0), None) or (
                    "control character" if code < 0x80 else "noncharacter")
                diags.error(f"character U+{code:04X} ({name}) cannot appear in a report: delete it",
                            Position(shown, number, m.start() + 1))
        for m in _ZERO_WIDTH.finditer(line):
            zero_width += 1
            if zero_width <= _MAX_REPEATED:
                name = unicodedata.name(m.group(0))
                diags.warning(f"invisible character U+{ord(m.group(0)):04X} ({name}) removed",
                              Position(shown, number, m.start() + 1))
    if forbidden > _MAX_REPEATED:
        diags.error(f"{forbidden - _MAX_REPEATED} more forbidden characters not listed", Position(shown, 1, 1))
    if zero_width > _MAX_REPEATED:
        diags.warning(f"{zero_width - _MAX_REPEATED} more invisible characters removed", Position(shown, 1, 1))
    if forbidden:
        return None
    return _ZERO_WIDTH.sub("", text) if zero_width else text


class _Builder:
    def __init__(self, shown: str, text: str, diags: Diagnostics):
        self.shown = shown
        self.text = text
        self.lines = text.split("\n")
        self.diags = diags
        self.profile: Profile | None = None
        self.indicators: list[Indicator] = []
        self.indicator_ids: dict[str, Position] = {}
        self.counters = [0] * (MAX_HEADING_LEVEL + 1)
        self.path_keys: list[str] = []
        self.current_level = 0

    def at(self, line: int, column: int = 1) -> Position:
        return Position(self.shown, line, column)

    # ---- top level ---------------------------------------------------------------------

    def build(self, source: SourceInfo, profile: Profile | None, base_dir: Path) -> Document | None:
        first_line = self.lines[0].rstrip()
        if first_line != "---":
            self.diags.error(
                "no front matter: a source starts with a '---' line, then at least 'title: …', then '---'",
                self.at(1),
            )
            return None
        tokens = _markdown().parse(self.text)
        if not tokens or tokens[0].type != "front_matter":
            self.diags.error("front matter is not closed: add a '---' line after it", self.at(1))
            return None
        fm_token = tokens[0]
        meta, check_defs = self._front_matter(fm_token)
        if profile is None:
            profile = self._load_profile(meta.profile if meta else None, meta, base_dir)
        self.profile = profile
        if profile is None:
            return None
        blocks = self._blocks(tokens[1:])
        if meta is None:
            return None
        meta = self._title_lines(meta, profile)
        check_results = self._checks(check_defs)
        return Document(
            source=source, meta=meta, blocks=tuple(blocks), indicators=tuple(self.indicators),
            checks=check_results,
        )

    def _title_lines(self, meta: Metadata, profile: Profile) -> Metadata:
        """Break a one-string title once, here, so every writer prints the same lines [D3]."""
        limit = profile.title.max_chars_per_line
        if meta.title_given_as_lines:
            for line in meta.title:
                if len(line) > limit:
                    self.diags.warning(
                        f"title line '{line}' has {len(line)} characters; GB/T 9704 allows {limit} [D3]",
                        meta.position_of("title"))
            return meta
        lines = break_title(meta.title_text, limit, (meta.issuer,) if meta.issuer else ())
        return dataclasses.replace(meta, title=lines)

    def _load_profile(self, name: str | None, meta: Metadata | None, base_dir: Path) -> Profile | None:
        from .diagnostics import ProfileError

        try:
            return load_profile(name, relative_to=base_dir)
        except ProfileError as exc:
            pos = meta.position_of("profile") if meta else None
            for d in exc.diagnostics:
                if pos is not None and d.pos is None:
                    self.diags.error(f"profile '{name}': {d.message}", pos)
                else:
                    self.diags.extend([d])
            return None

    # ---- front matter ------------------------------------------------------------------

    def _front_matter(self, token: Token) -> tuple[Metadata | None, list[checks_mod.CheckDefinition]]:
        content = token.content
        offset = 1  # the YAML starts on the line after the opening '---'
        try:
            node = yaml.compose(content, Loader=yaml.SafeLoader) if content.strip() else None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = (mark.line + 1 + offset) if mark else 2
            col = (mark.column + 1) if mark else 1
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self.diags.error(f"malformed YAML in front matter: {problem}", self.at(line, col))
            return None, []
        if node is None or (isinstance(node, yaml.ScalarNode) and not node.value):
            self.diags.error("front matter is empty: it needs at least 'title: …'", self.at(1))
            return None, []
        if not isinstance(node, yaml.MappingNode):
            self.diags.error("front matter must be a set of 'key: value' lines", self.at(2))
            return None, []
        key_pos: dict[str, Position] = {}
        value_nodes: dict[str, yaml.Node] = {}
        data: dict[str, Any] = {}
        constructor = yaml.SafeLoader("")
        ok = True
        for key_node, value_node in node.value:
            key = str(key_node.value)
            kpos = self.at(key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1)
            if key in key_pos:
                self.diags.error(f"duplicate front-matter key '{key}'", kpos)
                ok = False
            key_pos[key] = kpos
            value_nodes[key] = value_node
            try:
                data[key] = constructor.construct_object(value_node, deep=True)
            except (ValueError, TypeError, yaml.YAMLError) as exc:
                vpos = self.at(value_node.start_mark.line + 1 + offset, value_node.start_mark.column + 1)
                self.diags.error(f"'{key}' has an invalid value {value_node.value!r}: {exc}", vpos)
                data[key] = None
                ok = False
        for key in data:
            if str(key) not in FRONT_MATTER_KEYS:
                hint = difflib.get_close_matches(str(key), FRONT_MATTER_KEYS, n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else f" (allowed: {', '.join(FRONT_MATTER_KEYS)})"
                self.diags.error(f"unknown front-matter key '{key}'{suggestion}", key_pos.get(str(key), self.at(2)))
                ok = False

        def value_pos(key: str) -> Position:
            vn = value_nodes.get(key)
            if vn is None:
                return key_pos.get(key, self.at(2))
            return self.at(vn.start_mark.line + 1 + offset, vn.start_mark.column + 1)

        def text(key: str) -> str | None:
            value = data.get(key)
            if value is None:
                return None
            if isinstance(value, (int, float)) and not isinstance(value, bool) and key in ("period", "region_code"):
                return str(value)
            if not isinstance(value, str):
                self.diags.error(f"'{key}' must be text, not {_yaml_type(value)}", value_pos(key))
                return None
            if not value.strip():
                self.diags.error(f"'{key}' is empty", value_pos(key))
                return None
            return value.strip()

        def text_list(key: str) -> tuple[str, ...]:
            value = data.get(key)
            if value is None:
                return ()
            if isinstance(value, str):
                return (value.strip(),)
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                self.diags.error(f"'{key}' must be a list of non-empty texts", value_pos(key))
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
            self.diags.error(
                f"'{key}' must be a date written as YYYY-MM-DD (e.g. 2022-01-20), not {value!r}", value_pos(key)
            )
            return None

        title_value = data.get("title")
        title: tuple[str, ...] = ()
        as_lines = False
        if title_value is None:
            self.diags.error("front matter has no 'title'", self.at(1))
            ok = False
        elif isinstance(title_value, str) and title_value.strip():
            title = (title_value.strip(),)
        elif isinstance(title_value, list) and title_value and all(isinstance(t, str) and t.strip() for t in title_value):
            title = tuple(t.strip() for t in title_value)
            as_lines = True
        else:
            self.diags.error("'title' must be a text or a list of lines", value_pos("title"))
            ok = False
        region_code = text("region_code")
        if region_code is not None and not re.fullmatch(r"\d{6}(\d{6})?", region_code):
            self.diags.error(
                f"'region_code' must be a 6- or 12-digit administrative division code, not {region_code!r}",
                value_pos("region_code"),
            )
        check_defs = self._check_definitions(data.get("checks"), value_nodes.get("checks"), offset)
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

    def _check_definitions(self, value: Any, node: yaml.Node | None, offset: int) -> list[checks_mod.CheckDefinition]:
        if value is None:
            return []
        pos = self.at(node.start_mark.line + 1 + offset, node.start_mark.column + 1) if node else self.at(2)
        if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode):
            self.diags.error("'checks' must be a list of checks", pos)
            return []
        defs = []
        seen: set[str] = set()
        for item, item_node in zip(value, node.value):
            ipos = self.at(item_node.start_mark.line + 1 + offset, item_node.start_mark.column + 1)
            if not isinstance(item, dict):
                self.diags.error("a check must be a set of 'key: value' lines (id, description, sum or expr, equals)", ipos)
                continue
            bad = [k for k in item if k not in CHECK_KEYS]
            for k in bad:
                hint = difflib.get_close_matches(str(k), CHECK_KEYS, n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.diags.error(f"unknown check key '{k}'{suggestion}", ipos)
            check_id = item.get("id")
            if not isinstance(check_id, str) or not ID_PATTERN.match(check_id):
                self.diags.error("a check needs an 'id' in ASCII snake_case", ipos)
                continue
            if check_id in seen:
                self.diags.error(f"duplicate check id '{check_id}'", ipos)
            seen.add(check_id)
            if ("sum" in item) == ("expr" in item):
                self.diags.error(f"check '{check_id}' needs exactly one of 'sum' (a list of ids) or 'expr'", ipos)
                continue
            if "sum" in item:
                parts = item["sum"]
                if not isinstance(parts, list) or not parts or not all(isinstance(p, str) for p in parts):
                    self.diags.error(f"check '{check_id}': 'sum' must be a list of indicator ids", ipos)
                    continue
                left = " + ".join(parts)
            else:
                left = item["expr"]
                if not isinstance(left, str):
                    self.diags.error(f"check '{check_id}': 'expr' must be text", ipos)
                    continue
            right = item.get("equals")
            if isinstance(right, (int, float)) and not isinstance(right, bool):
                right = str(right)
            if not isinstance(right, str):
                self.diags.error(f"check '{check_id}' needs 'equals' (an indicator id or an expression)", ipos)
                continue
            tolerance_raw = item.get("tolerance", 0)
            try:
                tolerance = Decimal(str(tolerance_raw))
                if tolerance < 0 or isinstance(tolerance_raw, bool):
                    raise InvalidOperation
            except InvalidOperation:
                self.diags.error(f"check '{check_id}': 'tolerance' must be a non-negative number", ipos)
                continue
            description = item.get("description") or f"{left} = {right}"
            valid = True
            for expression in (left, right):
                try:
                    checks_mod.parse_expression(expression)
                except checks_mod.ExpressionError as exc:
                    self.diags.error(f"check '{check_id}': {exc} (at character {exc.offset + 1} of '{expression}')", ipos)
                    valid = False
            if valid:
                defs.append(checks_mod.CheckDefinition(check_id, str(description), left, right, tolerance, ipos))
        return defs

    def _checks(self, defs: list[checks_mod.CheckDefinition]):
        known = {ind.id for ind in self.indicators}
        usable = []
        for d in defs:
            refs = checks_mod.references(checks_mod.parse_expression(d.left)) + checks_mod.references(
                checks_mod.parse_expression(d.right)
            )
            missing = [r.name for r in refs if r.name not in known]
            for name in dict.fromkeys(missing):
                hint = difflib.get_close_matches(name, sorted(known), n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.diags.error(f"check '{d.id}' names unknown indicator '{name}'{suggestion}", d.pos)
            if not missing:
                usable.append(d)
        results = checks_mod.run_checks(tuple(usable), tuple(self.indicators))
        for r in results:
            if r.declared and r.status.value == "failed":
                self.diags.warning(f"check '{r.id}' failed: {r.message}", r.pos)
            elif r.declared and r.status.value == "not_evaluated":
                self.diags.warning(f"check '{r.id}' could not be evaluated: {r.message}", r.pos)
        return results

    # ---- body --------------------------------------------------------------------------

    def _blocks(self, tokens: list[Token]) -> list[Block]:
        blocks: list[Block] = []
        pending_run_in: Heading | None = None
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            line = tok.map[0] + 1 if tok.map else 1
            if tok.type == "heading_open":
                level = int(tok.tag[1:])
                inline = tokens[i + 1]
                i += 3
                if pending_run_in is not None:
                    blocks.append(Paragraph((), pending_run_in.pos, lead=pending_run_in))
                    pending_run_in = None
                heading = self._heading(level, inline, line, tok.markup)
                if heading is None:
                    continue
                if heading.run_in:
                    pending_run_in = heading
                else:
                    blocks.append(heading)
                continue
            if tok.type == "paragraph_open":
                inline = tokens[i + 1]
                i += 3
                inlines = self._inlines(inline, heading_path=self._current_path())
                if not inlines:
                    continue
                pos = inlines[0].pos
                if pending_run_in is not None:
                    blocks.append(Paragraph(tuple(inlines), pending_run_in.pos, lead=pending_run_in))
                    self._attach_sentences(blocks[-1])
                    pending_run_in = None
                else:
                    blocks.append(Paragraph(tuple(inlines), pos))
                    self._attach_sentences(blocks[-1])
                continue
            message = UNSUPPORTED_BLOCKS.get(tok.type)
            if message is None and tok.nesting == 1:
                message = f"'{tok.type.removesuffix('_open')}' blocks are not supported"
            if message is not None:
                self.diags.error(message, self.at(line, self._first_col(line)))
            # Skip the whole unsupported container.
            if tok.nesting == 1:
                depth = 1
                i += 1
                while i < len(tokens) and depth:
                    depth += tokens[i].nesting
                    i += 1
                continue
            i += 1
        if pending_run_in is not None:
            blocks.append(Paragraph((), pending_run_in.pos, lead=pending_run_in))
        return blocks

    def _first_col(self, line: int) -> int:
        src = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(src) - len(src.lstrip()) + 1

    def _current_path(self) -> tuple[str, ...]:
        return tuple(self.path_keys)

    def _heading(self, level: int, inline: Token, line: int, markup: str) -> Heading | None:
        col = self._first_col(line)
        pos = self.at(line, col)
        if level > MAX_HEADING_LEVEL:
            self.diags.error(
                f"heading level {level} ({'#' * level}): GB/T 9704 has four levels, # to ####", pos
            )
            return None
        if level > self.current_level + 1:
            expected = "#" * (self.current_level + 1)
            self.diags.error(
                f"heading level skipped: {'#' * level} follows "
                + (f"a level-{self.current_level} heading" if self.current_level else "no heading")
                + f"; use {expected}",
                pos,
            )
        self.counters[level] += 1
        for deeper in range(level + 1, MAX_HEADING_LEVEL + 1):
            self.counters[deeper] = 0
        ordinal = self.counters[level]
        assert self.profile is not None
        label = heading_label(self.profile.numbering[f"level{level}"], ordinal)
        key = heading_key(label)
        parents = self.path_keys[: level - 1]
        self.path_keys = parents + [""] * (level - 1 - len(parents)) + [key]
        self.current_level = level
        inlines = self._inlines(inline, heading_path=tuple(self.path_keys))
        text = "".join(i.text for i in inlines)
        if not text.strip():
            self.diags.error("empty heading", pos)
            return None
        typed = re.match(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])", text)
        if typed:
            self.diags.error(
                f"heading starts with a typed number '{typed.group(0).strip()}': numbers are generated, remove it",
                inlines[0].pos,
            )
        run_in = level >= 2 and text.rstrip().endswith("。")
        heading = Heading(
            level=level, ordinal=ordinal, label=label, key=key, inlines=tuple(inlines), run_in=run_in,
            path=tuple(self.path_keys), pos=pos,
        )
        self._attach_sentences(heading)
        return heading

    # ---- inline content ----------------------------------------------------------------

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

    def _inlines(self, inline: Token, heading_path: tuple[str, ...]) -> list[Inline]:
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
        parts = []
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
        if not ok or parsed is None or ind_id is None:
            return None
        self.indicator_ids[ind_id] = pos
        self.indicators.append(Indicator(
            id=ind_id, name=str(name).strip(), text=span_text, value=parsed.value, unit=parsed.unit,
            qualifier=parsed.qualifier, multiplier=parsed.multiplier, base_value=parsed.base_value,
            base_unit=parsed.base_unit, section=heading_path, sentence="", pos=pos,
            scope=_opt(attrs.get("scope")), period=_opt(attrs.get("period")), note=_opt(attrs.get("note")),
            value_given="value" in attrs, upper=parsed.upper, base_upper=parsed.base_upper,
        ))
        return FigureRef(ind_id, span_text, pos)

    def _attach_sentences(self, block: Paragraph | Heading) -> None:
        """Give each indicator of a paragraph the sentence it stands in."""
        text_parts = []
        spans: dict[str, tuple[int, int]] = {}
        length = 0
        for inline in block.inlines:
            if isinstance(inline, FigureRef):
                spans[inline.indicator_id] = (length, length + len(inline.text))
            text_parts.append(inline.text)
            length += len(inline.text)
        if not spans:
            return
        text = "".join(text_parts)
        ends = [k for k, ch in enumerate(text) if ch in SENTENCE_END]
        # Only this block's indicators are the last len(spans) ones: no scan over the whole report.
        first = len(self.indicators) - 1
        while first >= 0 and self.indicators[first].id in spans and not self.indicators[first].sentence:
            first -= 1
        for index in range(first + 1, len(self.indicators)):
            ind = self.indicators[index]
            start, end = spans[ind.id]
            before = bisect.bisect_left(ends, start)
            s = ends[before - 1] + 1 if before > 0 else 0
            after = bisect.bisect_left(ends, end)
            e = ends[after] + 1 if after < len(ends) else len(text)
            self.indicators[index] = _replace(ind, sentence=_excerpt(text, s, e, start, end))


MAX_SENTENCE = 300
CLAUSE_BREAKS = "，；：、"


def _excerpt(text: str, s: int, e: int, start: int, end: int) -> str:
    """The sentence around a figure; a run-on sentence is cut to the clauses near the figure."""
    if e - s <= MAX_SENTENCE:
        return text[s:e].strip()
    half = MAX_SENTENCE // 2
    lo = max(s, start - half)
    hi = min(e, end + half)
    cut_lo = next((k + 1 for k in range(lo, start) if text[k] in CLAUSE_BREAKS), lo)
    cut_hi = next((k + 1 for k in range(hi - 1, end - 1, -1) if text[k] in CLAUSE_BREAKS), hi)
    return ("…" if cut_lo > s else "") + text[cut_lo:cut_hi].strip() + ("…" if cut_hi < e else "")


def _replace(ind: Indicator, **changes: Any) -> Indicator:
    from dataclasses import replace

    return replace(ind, **changes)


def _attribute_value(value: Any) -> str:
    """Attribute values read like Markdown text: \\" and \\\\ escapes, and entities such as &quot;."""
    return html.unescape(re.sub(r'\\(["\\])', r"\1", str(value)))


def _with_colon(recipients: str | None) -> str | None:
    """主送机关 ends with a full-width colon (GB/T 9704 7.3.2), whether or not the author typed it."""
    if recipients is None:
        return None
    return recipients.rstrip(":：") + "："


def _opt(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


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
