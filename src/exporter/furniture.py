"""Every string a writer prints besides the body: the printed furniture, decided once.

The title lines, 主送, 附件说明, 署名, 成文日期, 附注, 抄送, 印发 and the page number are derived
here from the front matter and the profile, and the writers only place what they are given.
Two writers that each built these strings drifted apart (a 附注 printed in double brackets, a
抄送 line ending in "。。", attachment numbers ignoring the profile in one format only); with one
record, the .docx and the PDF cannot print different furniture.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .model import Attachment, CellKind, Metadata, Table, TableCell, inline_text
from .profile import Profile
from .titles import break_title

# Round brackets a writer may have typed around the 附注 itself; the profile's brackets go around
# it once [G5].
_NOTE_OPEN = "（("
_NOTE_CLOSE = "）)"


@dataclass(frozen=True)
class Head:
    """The printed 版头 [K1–K16]; the writers place it per `[head]` of the profile."""

    copy_number: str | None                     # 份号, zero-padded [K3]
    secret: str | None                          # 密级和保密期限, "机密★1年" [K4]
    urgency: str | None                         # 紧急程度 [K5]
    mark_names: tuple[str, ...]                 # the 发文机关标志's names, stacked when several [K6, K8]
    mark_suffix: str                            # "文件" to their right, or "" [K6]
    doc_number: str | None                      # 发文字号, as the source wrote it [K9]
    upward: bool                                # 上行文: 发文字号 left, 签发人 right [K11]
    signer_label: str                           # "签发人：" [K12]
    signer_lines: tuple[tuple[str, ...], ...]   # 签发人 names, `signers_per_line` a line [K13]
    style: str = "document"                     # "document" (文件格式), "letter" [L], "order" [M], "minutes" [J]

    @property
    def corner(self) -> tuple[tuple[int, str, str], ...]:
        """(grid line, text, font role) of the fields in the 版心's top-left corner: 份号 on the
        first line, 密级 on the second, 紧急程度 on the line after them [K2]."""
        fields: list[tuple[int, str, str]] = []
        if self.copy_number:
            fields.append((0, self.copy_number, "body"))
        if self.secret:
            fields.append((1, self.secret, "head_label"))
        if self.urgency:
            fields.append((fields[-1][0] + 1 if fields else 0, self.urgency, "head_label"))
        return tuple(fields)

    @property
    def mark_text(self) -> str:
        """The whole mark on one line (a single name, or what the writers print when stacked)."""
        return "".join(self.mark_names) + self.mark_suffix


@dataclass(frozen=True)
class Furniture:
    title_lines: tuple[str, ...]
    recipients: str | None                      # 主送, ending with a full-width colon [D5]
    attachment_label: str                       # "附件：" [F1]
    attachments: tuple[tuple[str, str], ...]    # (number as printed, or "" for a single one; name)
    issuer: str | None                          # 署名 [G1]
    date: str | None                            # 成文日期 [G3]
    note: str | None                            # 附注, in the profile's brackets [G5]
    cc_label: str                               # "抄送：" [H3]
    cc: str | None                              # the whole 抄送 line, label and final full stop included
    printed_by: str | None                      # 印发机关 [H5]
    printed_on: str | None                      # 印发日期 with its "印发" [H5]
    head: Head | None = None                    # 版头, when the source asks for one
    co_issuers: tuple[str, ...] = ()            # joint 署名 after the host's, one a line [S8]
    minutes_lists: tuple[tuple[str, str], ...] = ()  # 纪要: (label, names) of 出席, 请假, 列席 [J2, J3]
    record_recipients: str | None = None        # 主送 moved to the 版记, label included [D6]
    seal_png: bytes | None = None               # 印章 over the 署名 and date [G2]
    signoff_lines: tuple[str, ...] = ()         # 命令: 签发人 lines (职务 and name) above the date [M5, S9]
    joint_seal_pngs: tuple[bytes, ...] = ()     # one seal per 署名, issuer order, when several [S5, S6]
    signature_seals: tuple[tuple[str, bytes], ...] = ()  # 命令: (职务, 签名章) per 签发人, in order [M5, S9]

    @property
    def style(self) -> str:
        return self.head.style if self.head is not None else "document"

    @property
    def attachment_texts(self) -> tuple[str, ...]:
        """Each 附件说明 paragraph as printed: "附件：1.name", then "2.name" (indented under "1.")."""
        return tuple((self.attachment_label if k == 0 else "") + number + name
                     for k, (number, name) in enumerate(self.attachments))

    @property
    def has_imprint(self) -> bool:
        return bool(self.cc or self.printed_by or self.printed_on or self.record_recipients)

    @property
    def sealed(self) -> bool:
        """The sealed sign-off [G2]: a seal and a 署名 or date for it to press on."""
        return self.seal_png is not None and bool(self.issuer or self.date)


def furniture(meta: Metadata, profile: Profile) -> Furniture:
    recipients = recipients_line(meta.recipients)
    in_record = recipients_in_record(meta, recipients, profile)
    style = meta.format or "document"
    order = style == "order"
    return Furniture(
        title_lines=(tuple(line for line in meta.title if line)  # as the reader broke it [D3]
                     if not (order and not profile.order.print_title) else ()),
        recipients=None if in_record else recipients,
        record_recipients=profile.recipients.record_label + recipients.rstrip("：")
        if in_record and recipients else None,
        attachment_label=profile.attachments.label,
        attachments=numbered_attachments(meta.attachments, profile),
        issuer=meta.issuer or None,
        date=format_date(profile, meta.date) if meta.date is not None else None,
        note=note_text(meta.note, profile),
        cc_label=profile.imprint.cc_label,
        cc=cc_line(meta.cc, profile),
        printed_by=meta.printed_by or None,
        printed_on=(format_date(profile, meta.printed_on) + profile.imprint.printed_suffix
                    if meta.printed_on is not None else None),
        head=head(meta, profile) if meta.head else None,
        # A 命令 is signed by its 签发人 (name and 职务 as written); the issuer is the mark [M5].
        co_issuers=meta.issuers[1:] if not (order and (meta.signers or meta.signer_titles)) else (),
        minutes_lists=minutes_lists(meta, profile) if style == "minutes" else (),
        seal_png=meta.seal_png,
        signoff_lines=signoff_lines(meta, profile) if order and not meta.signature_seal_pngs else (),
        joint_seal_pngs=meta.seal_pngs if len(meta.seal_pngs) > 1 else (),
        signature_seals=tuple(zip(meta.signer_titles, meta.signature_seal_pngs)) if order else (),
    )


def signoff_lines(meta: Metadata, profile: Profile) -> tuple[str, ...]:
    """A 命令's 签发人 lines without 签名章: "职务　name" when the 职务 is given apart, else each
    `signer` as written [M5]."""
    if meta.signer_titles:
        return tuple(title + profile.order.title_separator + name
                     for title, name in zip(meta.signer_titles, meta.signers))
    return meta.signers


def recipients_in_record(meta: Metadata, recipients: str | None, profile: Profile) -> bool:
    """主送 in the 版记 when the source says so, or, unless it says not, when it would take more
    than `max_head_lines` lines of the first page [D6]."""
    if recipients is None:
        return False
    if meta.recipients_in_record is not None:
        return meta.recipients_in_record
    per_line = profile.grid.chars_per_line
    return -(-len(recipients) // per_line) > profile.recipients.max_head_lines


def minutes_lists(meta: Metadata, profile: Profile) -> tuple[tuple[str, str], ...]:
    """出席, 请假, 列席 in the profile's order, each "label" + names joined [J2, J3]."""
    settings = profile.minutes
    names = {"attendees": meta.attendees, "absent": meta.absent, "observers": meta.observers}
    return tuple((settings[f"{key}_label"], settings.name_separator.join(names[key]))
                 for key in settings.list_order if names[key])


def head(meta: Metadata, profile: Profile) -> Head:
    settings = profile.head
    style = meta.format or "document"
    # 信函: the issuer's name alone, the host's only [L1]; 命令: issuer + 令 [M1]; 纪要: its 纪要标志 [J1].
    suffix_of = {"document": settings.mark_suffix, "letter": "", "order": profile.order.mark_suffix,
                 "minutes": profile.minutes.mark_suffix}
    if meta.issuer_mark:
        names, suffix = meta.issuer_mark, "" if meta.issuer_mark_as_written or style != "document" \
            else settings.mark_suffix
    elif style == "document":
        names, suffix = meta.issuers, settings.mark_suffix
    else:
        names, suffix = meta.issuers[:1], suffix_of[style]
    secret = None
    if meta.secret:
        secret = (settings.secret_format.replace("{level}", meta.secret).replace("{period}", meta.secret_period)
                  if meta.secret_period else meta.secret)
    per_line = settings.signers_per_line
    signers = meta.signers if meta.direction == "up" and style == "document" else ()
    return Head(
        copy_number=meta.copy_number.zfill(settings.copy_number_digits) if meta.copy_number else None,
        secret=secret,
        urgency=meta.urgency,
        mark_names=names,
        mark_suffix=suffix,
        doc_number=meta.doc_number,
        upward=meta.direction == "up",
        signer_label=settings.signer_label,
        signer_lines=tuple(signers[k:k + per_line] for k in range(0, len(signers), per_line)),
        style=style,
    )


@dataclass(frozen=True)
class AttachmentPage:
    """What an attachment's first page prints above its body [F9, F10]."""

    label: str | None           # "附件2" (one attachment: "附件"), flush left on line 1; None when issued
    label_role: str             # 3号黑体 [F9]
    title_lines: tuple[str, ...]  # centred [F10], broken as the document's title is [D3]
    title_role: str
    blank_lines_after_label: int
    blank_lines_after_title: int


def attachment_label(profile: Profile, number: int, numbered_count: int) -> str:
    """"附件2", or "附件" alone when the document has one numbered attachment [F9, F11]: the same
    numbering the 附件说明 uses (`numbered_attachments`)."""
    return profile.attachments.page_label.replace("{n}", str(number) if numbered_count > 1 else "")


def attachment_pages(attachments: tuple[Attachment, ...], profile: Profile) -> tuple[AttachmentPage, ...]:
    settings = profile.attachments
    count = sum(1 for a in attachments if not a.issued)
    return tuple(AttachmentPage(
        label=None if a.issued else attachment_label(profile, a.number, count),
        label_role=settings.page_label_role, title_role=settings.page_title_role,
        title_lines=break_title(a.title, profile.title.max_chars_per_line, ()),
        blank_lines_after_label=settings.blank_lines_after_label,
        blank_lines_after_title=settings.blank_lines_after_title,
    ) for a in attachments)


def format_date(profile: Profile, date: dt.date) -> str:
    """Arabic numerals, full year, no zero padding [G3]."""
    return profile.date.format.format(year=date.year, month=date.month, day=date.day)


def recipients_line(recipients: str | None) -> str | None:
    """主送 ends with exactly one full-width colon, whatever the source typed [D5]."""
    if not recipients or not recipients.strip():
        return None
    return recipients.strip().rstrip(":：") + "："


def numbered_attachments(names: tuple[str, ...], profile: Profile) -> tuple[tuple[str, str], ...]:
    """A single attachment is not numbered; several take the profile's number format [F1]."""
    if len(names) == 1:
        return (("", names[0]),)
    template = profile.attachments.number
    return tuple((template.replace("{n}", str(n)), name) for n, name in enumerate(names, start=1))


def note_text(note: str | None, profile: Profile) -> str | None:
    """The 附注 in the profile's brackets, once: brackets the source already put around the whole
    note are dropped first, so "（此件公开发布）" does not print as "（（此件公开发布））" [G5]."""
    if not note or not note.strip():
        return None
    inner = _unwrapped(note.strip(), _NOTE_OPEN + profile.note.open, _NOTE_CLOSE + profile.note.close)
    return profile.note.open + inner + profile.note.close


def _unwrapped(text: str, opening: str, closing: str) -> str:
    """`text` without one pair of brackets that encloses all of it ("（甲）" → "甲"); a text that
    merely starts and ends with brackets ("（一）甲（乙）") is returned as it is."""
    if len(text) < 2 or text[0] not in opening or text[-1] not in closing:
        return text
    depth = 0
    for i, char in enumerate(text):
        if char in opening:
            depth += 1
        elif char in closing:
            depth -= 1
            if depth == 0 and i < len(text) - 1:
                return text
    return text[1:-1].strip() if depth == 0 else text


def cc_line(cc: tuple[str, ...], profile: Profile) -> str | None:
    """"抄送：甲，乙。": the agencies joined by the separator, one full stop at the end [H3]. A
    full stop or separator the source put after an agency is dropped, so none is printed twice."""
    if not cc:
        return None
    imprint = profile.imprint
    extra = "。" + imprint.cc_end + imprint.cc_separator
    agencies = [name.strip().rstrip(extra) for name in cc]
    return imprint.cc_label + imprint.cc_separator.join(agencies) + imprint.cc_end


def page_number_text(profile: Profile, number: int) -> str:
    """The page number as printed, "— 7 —" [I1]."""
    return profile.page_number.format.replace("{n}", str(number))


def page_number_affixes(profile: Profile) -> tuple[str, str]:
    """What is printed before and after the number, for a writer that lets the reader's
    application fill in the number (a PAGE field)."""
    before, _, after = profile.page_number.format.partition("{n}")
    return before, after


# Tables: which role prints a cell, and the caption and notes as printed (every writer prints the same).
HEAD_ROLE = "table_head"
BODY_ROLE = "table_body"
CAPTION_ROLE = "table_caption"


def cell_role(cell: TableCell) -> str:
    """Header rows and header bands print in the head font, everything else in the body font."""
    return HEAD_ROLE if cell.kind == CellKind.HEADER else BODY_ROLE


def caption_text(table: Table, caption_format: str) -> str | None:
    """"表1　caption" per the profile; `Table.number` may be "1" or "表1"."""
    if not table.caption:
        return None
    if table.number is None:
        return table.caption
    digits = re.search(r"\d+", table.number)
    return caption_format.format(n=digits.group(0) if digits else table.number, caption=table.caption)


def note_texts(table: Table) -> list[str]:
    return [inline_text(note) for note in table.notes]
