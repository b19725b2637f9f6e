"""A plain, JSON-ready view of the model, for goldens and `export check --dump`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Any, assert_never

from .model import Block, Document, FigureRef, Heading, Inline, Paragraph, Table, Position, Text


def _plain(value: Any) -> Any:
    if isinstance(value, Position):
        return f"{value.line}:{value.column}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def _inline(node: Inline) -> dict[str, Any]:
    match node:
        case FigureRef():
            return {"figure": node.indicator_id, "text": node.text, "at": _plain(node.pos)}
        case Text():
            return {"text": node.text, "at": _plain(node.pos)}
        case _:
            assert_never(node)


def _heading(h: Heading) -> dict[str, Any]:
    return {"heading": h.level, "label": h.label, "text": h.text, "run_in": h.run_in,
            "path": list(h.path), "at": _plain(h.pos), "inlines": [_inline(i) for i in h.inlines]}


def dump_document(document: Document) -> dict[str, Any]:
    blocks = _blocks(document.blocks)
    attachments = [{"attachment": a.number, "title": a.title, "issued": a.issued, "at": _plain(a.pos),
                    "blocks": _blocks(a.blocks)} for a in document.attachments]
    return _document(document, blocks, attachments)


def _blocks(source_blocks: tuple[Block, ...]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for block in source_blocks:
        match block:
            case Heading():
                blocks.append(_heading(block))
            case Paragraph():
                entry: dict[str, Any] = {"paragraph": [_inline(i) for i in block.inlines], "at": _plain(block.pos)}
                if block.lead is not None:
                    entry["lead"] = _heading(block.lead)
                blocks.append(entry)
            case Table():
                blocks.append({"table": block.id, "caption": block.caption, "number": block.number,
                               "unit_line": block.unit_line, "header_rows": block.header_rows,
                               "label_columns": block.label_columns, "rows": block.row_count,
                               "columns": block.column_count, "path": list(block.path),
                               "widths": _plain(block.widths), "landscape": block.landscape,
                               "at": _plain(block.pos),
                               "cells": [{"row": c.row, "column": c.column, "rows": c.row_span,
                                          "columns": c.column_span, "kind": c.kind.value, "key": c.key,
                                          "unit": c.unit, "note": c.note, "inlines": [_inline(i) for i in c.inlines]}
                                         for c in block.cells],
                               "notes": [[_inline(i) for i in note] for note in block.notes]})
            case _:
                assert_never(block)
    return blocks


def _document(document: Document, blocks: list[dict[str, Any]], attachments: list[dict[str, Any]]) -> dict[str, Any]:
    meta = {k: v for k, v in _plain(document.meta).items() if v not in (None, [], False) and k != "positions"}
    indicators = []
    for ind in document.indicators:
        item = {k: v for k, v in _plain(ind).items() if v is not None}
        item["at"] = item.pop("pos")
        indicators.append(item)
    checks = [{"id": c.id, "status": c.status.value, "declared": c.declared,
               **({"message": c.message} if c.message else {})} for c in document.checks]
    dumped = {"meta": meta, "blocks": blocks, "indicators": indicators, "checks": checks}
    if attachments:
        dumped["attachments"] = attachments
    return dumped
