"""Which font role prints each character of the PDF, and where the source first uses one.

The PDF layout, `exporter fonts` and `exporter check` use this, so the characters the fonts
are prepared (or checked) for are exactly the characters drawn: the body and the printed
furniture (exporter.furniture). It lives outside the PDF writer so that `check` and `fonts`
need no writer.
"""

from __future__ import annotations

from typing import assert_never

from .furniture import (
    BODY_ROLE, CAPTION_ROLE, attachment_pages, caption_text, cell_role, furniture, note_texts, page_number_text,
)
from .model import Attachment, Block, Document, Heading, Paragraph, Position, Table, inline_groups
from .profile import Profile

DIGITS = "0123456789"


def characters_by_role(document: Document, profile: Profile) -> dict[str, str]:
    """Every character the PDF draws, grouped by the font role that draws it."""
    parts: dict[str, list[str]] = {}

    def add(role: str, text: str | None) -> None:
        if text:
            parts.setdefault(role, []).append(text)

    f = furniture(document.meta, profile)
    add("title", "".join(f.title_lines))
    for text in (f.recipients, f.issuer, f.date, f.note, *f.attachment_texts):
        add("body", text)
    for page in attachment_pages(document.attachments, profile):
        if page.label:
            add(page.label_role, page.label)
        add(page.title_role, "".join(page.title_lines))
    for block in document.all_blocks():
        match block:
            case Heading():
                add(block.role, block.printed)
            case Paragraph():
                if block.lead is not None:
                    add(block.lead.role, block.lead.printed)
                add("body", block.text)
            case Table():
                add(CAPTION_ROLE, caption_text(block, profile.table.caption))
                add(BODY_ROLE, block.unit_line)
                for cell in block.cells:
                    add(cell_role(cell), cell.text)
                for note in note_texts(block):
                    add(BODY_ROLE, note)
            case _:
                assert_never(block)
    for text in (f.cc, f.printed_by, f.printed_on, f.record_recipients):
        add("imprint", text)
    for text in (*f.co_issuers, *f.signoff_lines, *(title for title, _ in f.signature_seals)):
        add("body", text)
    for label, names in f.minutes_lists:
        add(profile.minutes.label_role, label)
        add("body", names)
    if f.head is not None:
        for _, text, role in f.head.corner:
            add(role, text)
        add("issuer_mark", f.head.mark_text)
        for text in (f.head.doc_number, f.head.signer_label if f.head.signer_lines else None):
            add("body", text)
        add("signer", "".join("".join(line) for line in f.head.signer_lines))
    add("page_number", page_number_text(profile, 0) + DIGITS)
    parts.setdefault("body", [])  # the body font is the canvas' initial font, always needed
    return {role: "".join(sorted(set("".join(texts)))) for role, texts in parts.items()}


def locate_character(document: Document, char: str) -> Position | None:
    """Where the source first uses `char`, for messages about it."""
    meta = document.meta
    for key, value in (("title", meta.title_text), ("issuer", "".join(meta.issuers)),
                       ("issuer_mark", "".join(meta.issuer_mark)), ("recipients", meta.recipients),
                       ("doc_number", meta.doc_number), ("signer", "".join(meta.signers)),
                       ("attendees", "".join(meta.attendees)), ("absent", "".join(meta.absent)),
                       ("observers", "".join(meta.observers)),
                       ("secret", meta.secret), ("secret_period", meta.secret_period), ("urgency", meta.urgency),
                       ("note", meta.note), ("printed_by", meta.printed_by)):
        if value and char in value:
            return meta.position_of(key)
    for key, values in (("attachments", meta.attachments), ("cc", meta.cc)):
        if any(char in v for v in values):
            return meta.position_of(key)
    # The 正文's blocks, then each attachment's title and blocks: the order they are printed in.
    parts: list[Block | Attachment] = list(document.blocks)
    for attachment in document.attachments:
        parts.append(attachment)
        parts.extend(attachment.blocks)
    for block in parts:
        if isinstance(block, Attachment):
            if char in block.title:
                return block.pos
            continue
        groups = inline_groups(block)
        for _, inlines in groups:
            for inline in inlines:
                offset = inline.text.find(char)
                if offset >= 0:
                    pos = inline.pos
                    return Position(pos.path, pos.line, pos.column + offset)
        # A heading's label is generated, so its position is the heading's; so are a table's
        # caption and unit line, which are attributes of its opening line.
        for owner, _ in groups:
            if isinstance(owner, Heading) and char in owner.label:
                return owner.pos
        if isinstance(block, Table) and any(char in (text or "") for text in (block.caption, block.unit_line)):
            return block.pos
    return None
