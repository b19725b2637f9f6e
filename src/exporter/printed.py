"""What the PDF prints besides the body, as strings, and which font role prints each string.

The PDF layout, `exporter fonts` and `exporter check` use this, so the characters the fonts
are prepared (or checked) for are exactly the characters drawn. It lives outside the PDF
writer so that `check` and `fonts` need no writer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Document, Heading, Paragraph, Position
from .profile import Profile

DIGITS = "0123456789"


@dataclass(frozen=True)
class Furniture:
    title_lines: tuple[str, ...]
    recipients: str | None
    attachments: tuple[tuple[str, str], ...]   # (number as printed or "", name)
    attachment_label: str
    issuer: str | None
    date: str | None
    note: str | None
    cc: str | None
    printed_by: str | None
    printed_on: str | None


def format_date(profile: Profile, date: dt.date) -> str:
    return profile.date.format.format(year=date.year, month=date.month, day=date.day)


def title_lines(document: Document, profile: Profile) -> tuple[str, ...]:
    """The title as the reader broke it (GB/T 9704 D3), so the PDF and the .docx agree."""
    return tuple(line for line in document.meta.title if line)


def furniture(document: Document, profile: Profile) -> Furniture:
    meta = document.meta
    attachments: tuple[tuple[str, str], ...] = ()
    if len(meta.attachments) == 1:
        attachments = (("", meta.attachments[0]),)
    elif meta.attachments:
        attachments = tuple((profile.pdf.attachment_number.format(n=i), name)
                            for i, name in enumerate(meta.attachments, start=1))
    cc = None
    if meta.cc:
        cc = profile.imprint.cc_label + profile.pdf.imprint_cc_separator.join(meta.cc) + profile.pdf.imprint_cc_end
    printed_on = None
    if meta.printed_on is not None:
        printed_on = format_date(profile, meta.printed_on) + profile.imprint.printed_suffix
    note = None
    if meta.note:
        note = profile.note.open + meta.note + profile.note.close
    return Furniture(
        title_lines=title_lines(document, profile),
        recipients=meta.recipients or None,
        attachments=attachments,
        attachment_label=profile.attachments.label,
        issuer=meta.issuer or None,
        date=format_date(profile, meta.date) if meta.date is not None else None,
        note=note,
        cc=cc,
        printed_by=meta.printed_by or None,
        printed_on=printed_on,
    )


def heading_role(heading: Heading) -> str:
    return f"heading{heading.level}"


def page_number_text(profile: Profile, number: int) -> str:
    return profile.page_number.format.replace("{n}", str(number))


def characters_by_role(document: Document, profile: Profile) -> dict[str, str]:
    """Every character the PDF draws, grouped by the font role that draws it."""
    parts: dict[str, list[str]] = {}

    def add(role: str, text: str | None) -> None:
        if text:
            parts.setdefault(role, []).append(text)

    f = furniture(document, profile)
    add("title", "".join(f.title_lines))
    for text in (f.recipients, f.issuer, f.date, f.note):
        add("body", text)
    for number, name in f.attachments:
        add("body", f.attachment_label + number + name)
    for block in document.blocks:
        if isinstance(block, Heading):
            add(heading_role(block), block.printed)
        else:
            if block.lead is not None:
                add(heading_role(block.lead), block.lead.printed)
            add("body", block.text)
    for text in (f.cc, f.printed_by, f.printed_on):
        add("imprint", text)
    add("page_number", page_number_text(profile, 0) + DIGITS)
    parts.setdefault("body", [])  # the body font is the canvas' initial font, always needed
    return {role: "".join(sorted(set("".join(texts)))) for role, texts in parts.items()}


def locate_character(document: Document, char: str) -> Position | None:
    """Where the source first uses `char`, for messages about it."""
    meta = document.meta
    for key, value in (("title", meta.title_text), ("issuer", meta.issuer), ("recipients", meta.recipients),
                       ("note", meta.note), ("printed_by", meta.printed_by)):
        if value and char in value:
            return meta.position_of(key)
    for key, values in (("attachments", meta.attachments), ("cc", meta.cc)):
        if any(char in v for v in values):
            return meta.position_of(key)
    for block in document.blocks:
        headings = [block] if isinstance(block, Heading) else ([block.lead] if block.lead else [])
        inline_groups = [h.inlines for h in headings]
        if isinstance(block, Paragraph):
            inline_groups.append(block.inlines)
        for inlines in inline_groups:
            for inline in inlines:
                offset = inline.text.find(char)
                if offset >= 0:
                    pos = inline.pos
                    return Position(pos.path, pos.line, pos.column + offset)
        for heading in headings:
            if char in heading.label:
                return heading.pos
    return None
