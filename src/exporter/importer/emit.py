"""Write the source Markdown: YAML front matter (with the dropped lines as comments) and a body
whose literal text is escaped so that it prints exactly as imported."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import assert_never

import yaml

from ..cjk import INVISIBLE
from .figures import REVIEW_NOTE, Figure, Segment
from .front import FrontMatter
from .lines import Removed
from .structure import HeadingItem, Item, ParagraphItem, TableItem
from .tables import render_table

# ASCII punctuation that Markdown (with the attrs and strikethrough rules the reader enables)
# could take as syntax; a backslash before any of them prints the character itself.
_ESCAPED = set("\\`*_[]{}<>|~&#")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])")


def escape_text(text: str) -> str:
    return "".join("\\" + ch if ch in _ESCAPED else ch for ch in text)


def escape_line_start(markdown: str) -> str:
    """'1.' or '1)' would start a list, '-', '+', '=' a list, rule or setext underline."""
    markdown = _LIST_NUMBER.sub(r"\1\\\2", markdown, count=1)
    if markdown[:1] in "-+=":
        markdown = "\\" + markdown
    return markdown


def render_segments(segments: list[Segment]) -> str:
    out = []
    for segment in segments:
        if isinstance(segment, Figure):
            attrs = [f"#{segment.id}", f"name={_quoted(segment.name)}"]
            if segment.value is not None:
                attrs.append(f"value={_quoted(segment.value)}")
            if segment.unit:
                attrs.append(f"unit={_quoted(segment.unit)}")
            attrs.append(f"note={_quoted(REVIEW_NOTE)}")
            out.append(f"[{segment.text}]{{{' '.join(attrs)}}}")
        else:
            out.append(escape_text(segment))
    return escape_line_start("".join(out))


def _quoted(value: str) -> str:
    return '"' + value.replace('"', "").replace("\\", "") + '"'


def yaml_scalar(value: str) -> str:
    """Plain when YAML reads it back unchanged as text, else double-quoted (always when it holds
    an invisible character, which the reader removes before YAML sees the value)."""
    try:
        if (value == value.strip() and not any(ch in INVISIBLE for ch in value)
                and yaml.safe_load(f"k: {value}") == {"k": value}):
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def front_matter(front: FrontMatter, header: list[str], removed: list[Removed]) -> str:
    lines = ["---"]
    lines.extend(f"# {text}" for text in header)
    dropped = sorted((r for r in removed if r.moved_to is None), key=lambda r: r.origin)
    if dropped:
        lines.append("# Lines dropped on import (input line: text — why):")
        for r in dropped:
            lines.append(f"#   {_where(r.origin)}: {_one_line(r.text)} — {r.reason}")
    if front.title_as_lines:
        lines.append("title:")
        lines.extend(f"  - {yaml_scalar(line)}" for line in front.title)
    else:
        if len(front.title) > 1:
            lines.append("# The title was split over several input lines; they are joined here.")
        lines.append(f"title: {yaml_scalar(''.join(front.title))}")
    for key in ("kind", "issuer", "date", "recipients", "doc_number", "note"):
        value = getattr(front, key)
        if value is None:
            continue
        lines.append(f"{key}: {value.isoformat() if isinstance(value, dt.date) else yaml_scalar(value)}")
    for key in ("attachments", "cc"):
        values = getattr(front, key)
        if values:
            lines.append(f"{key}:")
            lines.extend(f"  - {yaml_scalar(v)}" for v in values)
    if front.printed_by:
        lines.append(f"printed_by: {yaml_scalar(front.printed_by)}")
    if front.printed_on:
        lines.append(f"printed_on: {front.printed_on.isoformat()}")
    head_keys = ("issuer_mark", "copy_number", "secret", "secret_period", "urgency")
    if front.head and not any(getattr(front, key) for key in head_keys) and not front.signer:
        lines.append("head: true")
    for key in head_keys:
        value = getattr(front, key)
        if value is not None:
            lines.append(f"{key}: {value if isinstance(value, int) else yaml_scalar(value)}")
    if front.signer:
        lines.append("signer:" if len(front.signer) > 1 else f"signer: {yaml_scalar(front.signer[0])}")
        if len(front.signer) > 1:
            lines.extend(f"  - {yaml_scalar(name)}" for name in front.signer)
    for key in ("region", "region_code", "period"):
        value = getattr(front, key)
        if value:
            lines.append(f'{key}: "{value}"' if key == "region_code" else f"{key}: {yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _where(origin: tuple[int, ...]) -> str:
    return str(origin[0]) if len(origin) == 1 else f"{origin[0]}–{origin[-1]}"


def _one_line(text: str) -> str:
    return text.replace("\n", " ").replace("\r", " ")


def render_source(input_name: str, front: FrontMatter, removed: list[Removed], items: list[Item],
                  body: list[list[Segment]], has_figures: bool) -> str:
    header = [f"Draft made by `exporter import` from {input_name}: check it, then run `exporter check`."]
    if has_figures:
        header.append(f'Every figure span carries note="{REVIEW_NOTE}": review its name, then delete the note.')
    if front.title_is_placeholder:
        header.append("The input has no title line: write the title below.")
    blocks = []
    for item, segments in zip(items, body):
        match item:
            case HeadingItem():
                blocks.append("#" * item.level + " " + render_segments(segments))
            case ParagraphItem():
                blocks.append(render_segments(segments))
            case TableItem():
                blocks.append(render_table(item.table))
            case _:
                assert_never(item)
    return front_matter(front, header, removed) + "\n" + "\n\n".join(blocks) + "\n"
