"""YAML front matter → Metadata, and the consistency checks it declares.

The 版头 keys are checked in `head_fields`, the 'checks' list in `check_definitions`."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

import yaml
from markdown_it.token import Token

from .. import checks as checks_mod
from ..model import HEADING_SCHEMES, Metadata, Position
from .check_definitions import check_definitions
from .format_fields import FORMAT_KEYS, read_format_fields, warn_incomplete_format
from .head_fields import read_head_fields, warn_incomplete_head, yaml_type
from .limits import date_too_late, text_too_long
from .periods import period_problem
from .text import SourceLines, forbidden_characters

FRONT_MATTER_KEYS = (
    "title", "issuer", "date", "recipients", "doc_number", "note", "attachments", "cc",
    "printed_by", "printed_on", "region", "region_code", "period", "profile", "checks",
    "heading_scheme", "head", "kind", "direction", "issuer_mark", "copy_number", "secret", "secret_period", "urgency", "signer",
    "url", "published", "reference_date", "registry",
    *FORMAT_KEYS,
)

# What each list-valued key holds, for the message about an empty list.
_LIST_NOUNS = {
    "seal": "a path or a list of paths", "signature_seal": "a path or a list of paths",
    "issuer": "a name or a list of names", "signer": "a name or a list of names",
    "attendees": "a name or a list of names", "absent": "a name or a list of names",
    "observers": "a name or a list of names", "cc": "a name or a list of names",
    "issuer_mark": "a name or a list of names", "signer_title": "a 职务 or a list of them",
    "attachments": "a title or a list of titles",
}


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

    def item_positions() -> tuple[tuple[str, Position], ...]:
        """"key[i]" for each item of a list value, so an error about one item (a seal file among
        several) points at that item."""
        found = []
        for key, vn in value_nodes.items():
            if isinstance(vn, yaml.SequenceNode):
                found += [(f"{key}[{i}]", src.at(item.start_mark.line + 1 + offset, item.start_mark.column + 1))
                          for i, item in enumerate(vn.value)]
        return tuple(found)

    def text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and key in ("period", "region_code"):
            return str(value)
        if not isinstance(value, str):
            src.diags.error(f"'{key}' must be text, not {yaml_type(value)}", value_pos(key))
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
        if value == []:
            # An empty list is an error for every list-valued key, never "the key left out": `seal: []`
            # or `issuer: []` is a value someone started and did not finish.
            src.diags.error(f"'{key}' must be {_LIST_NOUNS.get(key, 'a text or a list of texts')}, not an empty "
                            "list (remove the key to leave it out)", value_pos(key))
            return ()
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
    check_defs = check_definitions(src, data.get("checks"), value_nodes.get("checks"), offset)
    issuers = text_list("issuer")
    scheme = text("heading_scheme")
    if scheme is not None and scheme not in HEADING_SCHEMES:
        src.diags.error(f"'heading_scheme' must be one of {', '.join(HEADING_SCHEMES)}, not {scheme!r}",
                        value_pos("heading_scheme"))
        ok = False
    head_fields = read_head_fields(src, data, key_pos, value_pos, text, text_list, issuers)
    if head_fields is None:
        ok = False
        head_fields = {}
    # The kind as written even when another 版头 key is wrong, so a format contradicting it is reported too.
    written_kind = data.get("kind").strip() if isinstance(data.get("kind"), str) else None
    format_fields = read_format_fields(src, data, key_pos, value_pos, text, text_list,
                                       head_fields.get("kind", written_kind),
                                       issuers, head_fields.get("signers", ()))
    if format_fields is None:
        ok = False
        format_fields = {}
    if format_fields.get("format"):
        # A special format is a 版头 of its own kind: its mark is printed, so it needs one [L1, M1, J1].
        if data.get("head") is False:
            src.diags.error("a special format prints its own mark, which 'head: false' turns off",
                            key_pos.get("format") or key_pos["kind"])
            ok = False
        elif not head_fields.get("head") and not issuers and data.get("issuer_mark") is None:
            src.diags.error("the mark of a special format needs 'issuer' (or 'issuer_mark')",
                            key_pos.get("format") or key_pos["kind"])
            ok = False
        head_fields["head"] = True
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
        positions=(*((k, value_pos(k)) for k in key_pos), *item_positions()),
        **head_fields,
        **format_fields,
    )
    if ok and meta.head and meta.format is None:
        warn_incomplete_head(src, meta)
    if ok:
        warn_incomplete_format(src, meta)
    # Only a 公文 (a 版头 or a 文种 given): a report published as received, like the bundled one,
    # often has a 署名 and no date, and that is what it printed.
    if ok and (meta.head or meta.kind) and meta.issuer and meta.date is None:
        src.diags.warning("the document has a 署名 ('issuer') but no 成文日期: add 'date' [G1, G3]",
                          meta.position_of("issuer"))
    return (meta if ok else None), check_defs


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


