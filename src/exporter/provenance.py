"""Where each figure stands in the printed report, as a code-point offset a program can follow.

The offset counts in `Document.body_text()` — the body as printed (headings with their
generated numbers, one block a line, table rows with tab-separated cells) — so that
`body_text()[offset:offset + len(figure.text)] == figure.text` for every figure, and the
quote beside it (原文摘录) is a verbatim piece of the same text.
"""

from __future__ import annotations

from typing import assert_never

from .model import Block, Document, FigureRef, Heading, Inline, Paragraph, Table


def figure_offsets(document: Document) -> dict[str, int]:
    """Each indicator id's offset in `document.body_text()`, computed in one walk of the blocks."""
    offsets: dict[str, int] = {}
    at = 0

    def run(inlines: tuple[Inline, ...]) -> None:
        nonlocal at
        for inline in inlines:
            if isinstance(inline, FigureRef):
                offsets.setdefault(inline.indicator_id, at)
            at += len(inline.text)

    first = True
    # Mirrors Document.body_text: the 正文's blocks, then each attachment's title line and blocks.
    parts: list[Block | str] = list(document.blocks)
    for attachment in document.attachments:
        parts.append(attachment.title)
        parts.extend(attachment.blocks)
    for block in parts:
        if isinstance(block, str):
            at += (0 if first else 1) + len(block)
            first = False
            continue
        match block:
            case Heading():
                at += 0 if first else 1
                at += len(block.label)
                run(block.inlines)
            case Paragraph():
                at += 0 if first else 1
                if block.lead is not None:
                    at += len(block.lead.label)
                    run(block.lead.inlines)
                run(block.inlines)
            case Table():
                lines = 0
                for row in block.rows():
                    at += 0 if first and lines == 0 else 1
                    for k, cell in enumerate(row):
                        at += 1 if k else 0
                        run(cell.inlines)
                    lines += 1
                for note in block.notes:
                    at += 0 if first and lines == 0 else 1
                    run(note)
                    lines += 1
                if lines == 0:
                    continue  # an empty table adds no line to body_text
            case _:
                assert_never(block)
        first = False
    return offsets
