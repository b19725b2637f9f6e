"""The front block (title, 发文字号, 主送, date/venue and speaker lines) and the end block
(附件说明, 署名, 成文日期, 附注, 抄送, 印发) of a text, moved into front-matter fields.

Everything taken out of the body is recorded as `Removed(moved_to=key)`, so the report can say
where each line went and the nothing-lost check knows what left the body.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..reader.head_fields import KINDS, SECRET_LEVELS, URGENCIES
from .lines import Line, Removed
from .markers import find_marker
from .numerals import parse_chinese_numeral

_CN = "〇零一二两三四五六七八九十"
DATE_ONLY = re.compile(rf"^(?P<y>\d{{4}}|[{_CN}]{{4}})年(?P<m>\d{{1,2}}|[{_CN}]{{1,2}})月(?P<d>\d{{1,2}}|[{_CN}]{{1,3}})日$")
DATE_IN_TEXT = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
DASH_LINE = re.compile(r"^[—―]{1,2}\s*(?P<rest>.+)$")
DOC_NUMBER = re.compile(r"^\S{1,16}[〔\[［]\d{4}[〕\]］]\s*\d{1,4}\s*号$")
ATTACHMENT_NOTE = re.compile(r"^附\s*件[：:]\s*(?P<rest>.*)$")
NUMBERED_ITEM = re.compile(r"^(?P<n>\d{1,2})[.．、]\s*(?P<name>.+)$")
NOTE_LINE = re.compile(r"^[（(](?P<note>[^（）()]+)[）)]$")
CC_LINE = re.compile(r"^抄\s*送[：:]\s*(?P<rest>.+?)。?$")
PRINTED_LINE = re.compile(r"^(?P<org>\S.*?)[\s\u3000]*(?P<date>\d{4}年\d{1,2}月\d{1,2}日)\s*印\s*发$")
SENTENCE_PUNCTUATION = set("。，；：！？、“”《》")
ORGANISATION_ENDINGS = (
    "政府", "办公室", "办公厅", "委员会", "委", "局", "厅", "部", "院", "署", "中心", "公司", "协会", "学会",
    "会", "处", "科", "所", "站", "办", "组", "室", "队", "社", "馆", "校", "大学", "集团", "党委", "党组",
)
# The words a title ends with (文种): once the title so far ends with one, it is complete.
DOCUMENT_KINDS = (
    "报告", "通知", "意见", "办法", "决定", "方案", "规定", "规划", "讲话", "总结", "请示", "批复", "公告", "通告",
    "通报", "函", "纪要", "决议", "命令", "令", "议案", "细则", "条例", "要点", "计划", "公报", "白皮书",
)
# The 版头 (GB/T 9704-2012 7.2), at the very top: 份号, 密级★保密期限, 紧急程度, the 发文机关标志
# ("…文件", or the issuer's name alone right above the 发文字号), the 发文字号 (with the 签发人 on a 上行文).
COPY_NUMBER = re.compile(r"^\d{1,6}$")
SECRET_LINE = re.compile(rf"^(?P<level>{'|'.join(SECRET_LEVELS)})(?:\s*★\s*(?P<period>\S.*))?$")
URGENCY_LINE = re.compile(rf"^(?:{'|'.join(URGENCIES)})$")
ISSUER_MARK = re.compile(r"^\S.{0,40}文件$")
NUMBER_AND_SIGNER = re.compile(r"^(?P<number>\S{1,16}[〔\[［]\d{4}[〕\]］]\s*\d{1,4}\s*号)[\s\u3000]*"
                               r"签\s*发\s*人[:：]\s*(?P<names>\S.*)$")
PLACEHOLDER_TITLE = "（标题待补）"
DUPLICATE_TITLE = "duplicate title line"


@dataclass
class FrontMatter:
    title: list[str] = field(default_factory=list)
    issuer: str | None = None
    date: dt.date | None = None
    recipients: str | None = None
    doc_number: str | None = None
    note: str | None = None
    attachments: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    printed_by: str | None = None
    printed_on: dt.date | None = None
    region: str | None = None
    region_code: str | None = None
    period: str | None = None
    # 版头 fields (docs/source-format.md "The 版头"); `head` only when none of the others says so.
    kind: str | None = None
    head: bool = False
    issuer_mark: str | None = None
    copy_number: int | None = None
    secret: str | None = None
    secret_period: str | None = None
    urgency: str | None = None
    signer: list[str] = field(default_factory=list)
    title_is_placeholder: bool = False
    title_as_lines: bool = False    # a .docx title set as several Title paragraphs: keep its lines


def drop_invisible_only(front: FrontMatter, invisible: str) -> None:
    """Fields left holding only zero-width characters (kept when that clean-up is off) would be
    empty once the reader removes them: drop them."""
    def visible(text: str | None) -> bool:
        return text is not None and bool("".join(ch for ch in text if ch not in invisible).strip())

    for key in ("issuer", "recipients", "doc_number", "note", "printed_by"):
        if not visible(getattr(front, key)):
            setattr(front, key, None)
    front.attachments = [item for item in front.attachments if visible(item)]
    front.cc = [item for item in front.cc if visible(item)]
    front.title = [line for line in front.title if visible(line)]


def parse_date(text: str) -> dt.date | None:
    match = DATE_ONLY.match(text) or DATE_IN_TEXT.search(text)
    if not match:
        return None
    parts = []
    for key in ("y", "m", "d"):
        raw = match.group(key)
        value = int(raw) if raw.isdigit() else parse_chinese_numeral(raw)
        if value is None:
            return None
        parts.append(value)
    try:
        return dt.date(*parts)
    except ValueError:
        return None


def _plain(text: str) -> bool:
    return not (set(text) & SENTENCE_PUNCTUATION)


def _title_like(line: Line) -> bool:
    text = line.text
    if line.title_hint:
        return True
    return (len(text) <= 60 and "。" not in text and "；" not in text and not text.endswith(("：", ":"))
            and find_marker(text) is None and DATE_ONLY.match(text) is None and DASH_LINE.match(text) is None
            and not DOC_NUMBER.match(text) and not _speaker_like(text) and line.level_hint is None)


def _speaker_like(text: str) -> bool:
    # "省长 王予波": a position and a name separated by a space.
    return bool(re.fullmatch(r"\S{2,16}[ \u3000]+\S{2,4}", text)) and _plain(text)


def _recipients_like(text: str) -> bool:
    return (text.endswith(("：", ":")) and len(text) <= 120 and "。" not in text and find_marker(text) is None
            and not ATTACHMENT_NOTE.match(text))


def _organisation_like(text: str) -> bool:
    return (len(text) <= 30 and _plain(text.replace("、", "")) and find_marker(text) is None
            and (text.endswith(ORGANISATION_ENDINGS) or _speaker_like(text)))


def take_front_block(lines: list[Line], front: FrontMatter, removed: list[Removed], drop_duplicates: bool = True,
                     find_title: bool = True) -> list[Line]:
    """Move the front block into `front`; return the lines that remain.

    A second copy of the title (database records repeat it) is dropped when `drop_duplicates`.
    With `find_title` off (a title given on the command line) no line is taken as the title.
    """
    i = 0
    n = len(lines)

    def move(line: Line, key: str, reason: str) -> None:
        removed.append(Removed(line.origin, line.text, reason, moved_to=key))

    while find_title and i < n and len(front.title) < 4 and _title_like(lines[i]):
        if front.title and lines[0].title_hint and not lines[i].title_hint:
            break  # a .docx says which paragraphs are the title
        if front.title and not lines[i].title_hint and "".join(front.title).endswith(DOCUMENT_KINDS):
            break  # "…的报告" is complete: the next short line is not more title
        if front.title and lines[i].text == front.title[-1]:
            if not drop_duplicates:
                break
            removed.append(Removed(lines[i].origin, lines[i].text, DUPLICATE_TITLE))
        else:
            front.title.append(lines[i].text)
            move(lines[i], "title", "title")
        i += 1
    title_lines = [line for line in lines[:i] if line.title_hint]
    front.title_as_lines = len(front.title) > 1 and len(title_lines) == i
    title_text = "".join(front.title)
    seen_dash = False
    while i < n:
        line = lines[i]
        text = line.text
        if title_text and text in (title_text, *front.title):
            if not drop_duplicates:
                break
            removed.append(Removed(line.origin, text, DUPLICATE_TITLE))
        elif front.doc_number is None and DOC_NUMBER.match(text):
            front.doc_number = text
            move(line, "doc_number", "document number (发文字号)")
        elif not seen_dash and DASH_LINE.match(text) and len(text) <= 80 and "。" not in text:
            seen_dash = True
            rest = DASH_LINE.match(text).group("rest").strip()
            date = parse_date(rest)
            if date is not None:
                front.date = date
            front.note = rest
            move(line, "date, note" if date else "note", "date and venue line")
        elif front.issuer is None and front.recipients is None and _speaker_lines(lines, i, seen_dash):
            count = _speaker_lines(lines, i, seen_dash)
            front.issuer = " ".join(lines[k].text for k in range(i, i + count))
            for k in range(i, i + count):
                move(lines[k], "issuer", "speaker line")
            i += count
            continue
        elif front.recipients is None and _recipients_like(text):
            front.recipients = text.replace(":", "：")
            move(line, "recipients", "recipients (主送)")
            i += 1
            break
        else:
            break
        i += 1
    return lines[i:]


def _speaker_lines(lines: list[Line], i: int, seen_dash: bool) -> int:
    """How many speaker lines start at i ("国务院总理" / "李克强", or "省长 王予波"); 0 if none."""
    count = 0
    while i + count < len(lines) and count < 2:
        text = lines[i + count].text
        if len(text) > 24 or not _plain(text) or find_marker(text) or DATE_ONLY.match(text):
            break
        count += 1
    if not count:
        return 0
    following = lines[i + count].text if i + count < len(lines) else ""
    if seen_dash or _recipients_like(following):
        return count
    return 0


def take_head_block(lines: list[Line], front: FrontMatter, removed: list[Removed]) -> list[Line]:
    """The 版头 at the very top, moved into `front`; nothing is taken unless a 发文机关标志 or a
    发文字号 closes it (a report that starts with a number line is not a 公文)."""
    i = 0
    found: list[tuple[Line, str, str]] = []     # (line, key, reason)
    fields: dict[str, object] = {}
    while i < len(lines) and i < 4:
        text = lines[i].text.strip()
        if "copy_number" not in fields and not found and COPY_NUMBER.match(text):
            fields["copy_number"] = int(text)
            found.append((lines[i], "copy_number", "份号 (版头)"))
        elif "secret" not in fields and SECRET_LINE.match(text):
            match = SECRET_LINE.match(text)
            assert match is not None
            fields["secret"] = match.group("level")
            if match.group("period"):
                fields["secret_period"] = match.group("period").strip()
            found.append((lines[i], "secret, secret_period" if match.group("period") else "secret", "密级 (版头)"))
        elif "urgency" not in fields and URGENCY_LINE.match(text):
            fields["urgency"] = text
            found.append((lines[i], "urgency", "紧急程度 (版头)"))
        else:
            break
        i += 1
    if i >= len(lines):
        return lines
    mark = lines[i].text.strip()
    following = lines[i + 1].text.strip() if i + 1 < len(lines) else ""
    numbered = bool(DOC_NUMBER.match(following) or NUMBER_AND_SIGNER.match(following))
    if not (ISSUER_MARK.match(mark) or (numbered and _organisation_like(mark))):
        return lines
    fields["issuer_mark"] = mark
    found.append((lines[i], "issuer_mark", "发文机关标志 (版头)"))
    i += 1
    if numbered:
        signed = NUMBER_AND_SIGNER.match(following)
        if signed:
            fields["doc_number"] = re.sub(r"\s+", "", signed.group("number"))
            fields["signer"] = [name for name in re.split(r"[\s\u3000、，,]+", signed.group("names")) if name]
            found.append((lines[i], "doc_number, signer", "发文字号 and 签发人 (版头)"))
        else:
            fields["doc_number"] = following
            found.append((lines[i], "doc_number", "document number (发文字号)"))
        i += 1
    for key, value in fields.items():
        setattr(front, key, value)
    front.head = True
    for line, key, reason in found:
        removed.append(Removed(line.origin, line.text, reason, moved_to=key))
    return lines[i:]


def settle_head(front: FrontMatter) -> None:
    """Once the 署名 is known: a mark that is the issuer + "文件" is what the writers print by
    default (no `issuer_mark`); the 文种 is the word the title ends with (a 请示 is a 上行文, which
    is what lets it carry a 签发人)."""
    if not front.head:
        return
    if front.issuer_mark and front.issuer and front.issuer_mark == front.issuer + "文件":
        front.issuer_mark = None
    title = "".join(front.title)
    front.kind = next((kind for kind in sorted(KINDS, key=len, reverse=True) if title.endswith(kind)), None)


def take_end_block(lines: list[Line], front: FrontMatter, removed: list[Removed]) -> list[Line]:
    """Move 附件说明, 署名, 成文日期, 附注 and 版记 into `front`; return the remaining lines."""
    keep = [True] * len(lines)

    def move(index: int, key: str, reason: str) -> None:
        keep[index] = False
        removed.append(Removed(lines[index].origin, lines[index].text, reason, moved_to=key))

    _take_imprint(lines, front, move)
    date_index = next((k for k, line in enumerate(lines) if k > 0 and keep[k] and DATE_ONLY.match(line.text)
                       and parse_date(line.text)), None)
    if date_index is not None:
        front.date = parse_date(lines[date_index].text)
        move(date_index, "date", "date (成文日期)")
        above = date_index - 1
        if above > 0 and keep[above] and _organisation_like(lines[above].text) and front.issuer is None:
            front.issuer = lines[above].text
            move(above, "issuer", "signature (署名)")
            above -= 1
        _take_attachment_note(lines, above, front, move)
        below = date_index + 1
        if below < len(lines) and keep[below] and NOTE_LINE.match(lines[below].text):
            note = NOTE_LINE.match(lines[below].text).group("note").strip()
            front.note = note if front.note is None else front.note
            if front.note == note:
                move(below, "note", "note (附注)")
    else:
        # No date: a signature can only be the very last line, and must read as an organisation.
        last = max((k for k in range(len(lines)) if keep[k]), default=None)
        if last and front.issuer is None and _organisation_like(lines[last].text) and not _speaker_like(lines[last].text):
            front.issuer = lines[last].text
            move(last, "issuer", "signature (署名)")
            _take_attachment_note(lines, last - 1, front, move)
    return [line for line, k in zip(lines, keep) if k]


def _take_attachment_note(lines: list[Line], above: int, front: FrontMatter, move) -> None:
    """附件说明 right above the 署名: "附件：1．甲" / "2．乙", or "附件：甲", or "附件：" / "甲"."""
    if above <= 0:
        return
    start = above
    while start > 0 and not ATTACHMENT_NOTE.match(lines[start].text) and NUMBERED_ITEM.match(lines[start].text):
        start -= 1
    bare_label = ATTACHMENT_NOTE.match(lines[above - 1].text) if above > 1 else None
    if start == above and bare_label and not bare_label.group("rest").strip():
        start = above - 1
    if start <= 0 or start > above or not ATTACHMENT_NOTE.match(lines[start].text):
        return
    items = []
    first = ATTACHMENT_NOTE.match(lines[start].text).group("rest").strip()
    following = [lines[k].text for k in range(start + 1, above + 1)]
    if not first and len(following) == 1:
        items = following
    else:
        for text in ([first] if first else []) + following:
            match = NUMBERED_ITEM.match(text)
            items.append(match.group("name").strip() if match else text)
    if not items or any(len(item) > 80 or "。" in item for item in items):
        return
    front.attachments = items
    for k in range(start, above + 1):
        move(k, "attachments", "attachment list (附件说明)")


def _take_imprint(lines: list[Line], front: FrontMatter, move) -> None:
    for k in range(len(lines) - 1, max(len(lines) - 4, 0), -1):
        text = lines[k].text
        printed = PRINTED_LINE.match(text)
        cc = CC_LINE.match(text)
        if printed and front.printed_by is None:
            front.printed_by = printed.group("org").strip()
            front.printed_on = parse_date(printed.group("date"))
            move(k, "printed_by, printed_on", "printed by / on (印发)")
        elif cc and not front.cc:
            front.cc = [part.strip() for part in re.split(r"[，,、]", cc.group("rest")) if part.strip()]
            move(k, "cc", "copies to (抄送)")
