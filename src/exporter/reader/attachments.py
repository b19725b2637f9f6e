"""Attachments (附件): `::: attachment 标题` … `:::` after the 正文 [gbt9704-kinds F8–F12].

The fenced div is markdown-it's container syntax. Its inside is read with the body grammar by a
BlockReader of its own (headings numbered afresh from 一、), and every attachment's figures carry
its label ("附件2") as the first part of their section. The 附件说明 is generated from the divs;
a front-matter `attachments:` list given as well must name the same attachments in the same
order [F11], and without divs it keeps meaning attachments sent as separate files.
"""

from __future__ import annotations

import dataclasses
import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from ..furniture import attachment_label
from ..model import Attachment, Block, Metadata, Position
from ..profile import Profile
from .blocks import BlockReader
from .inline import InlineReader
from .limits import PROPERTY_LIMIT
from .tables import TableReader
from .text import SourceLines

OPEN = "container_attachment_open"
CLOSE = "container_attachment_close"
_INFO = re.compile(r"^\s*attachment(?:\s*\{(?P<attributes>[^{}]*)\})?\s*(?P<title>.*?)\s*$")
_ISSUED = re.compile(r"^\s*(?:issued|issued\s*=\s*(?:true|\"true\"))\s*$")


_FENCE = re.compile(r"^ {0,3}(?P<marker>`{3,}|~{3,})(?P<info>.*)$")
# Added to the indent of the lines inside a fence while the container rule looks for its ':::',
# so it takes them for indented code and passes over them; any width of 4 or more would do.
_HIDDEN_INDENT = 1000


def track_fences(md: MarkdownIt, rule_name: str) -> None:
    """Make the container rule `rule_name` skip the lines inside a fenced block.

    mdit-py-plugins' container rule looks for its closing ':::' line by line and does not know
    fences, so a ':::' line inside a ```table fence closed the attachment and left the table's
    rest as stray text. The rule passes over indented code; the lines inside a fence are made to
    look indented while it runs, and restored before anything else reads them."""
    ruler = md.block.ruler
    index = ruler.__find__(rule_name)
    container_rule = ruler.__rules__[index].fn

    def rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        opening = state.src[state.bMarks[start_line] + state.tShift[start_line]:state.eMarks[start_line]]
        if silent or not opening.startswith(":::"):
            # The rule is tried at every block; only an opening ':::' needs the fences found
            # (scanning to the end for each block made a long source quadratic).
            return container_rule(state, start_line, end_line, silent)
        hidden = _fenced_lines(state, start_line + 1, end_line)
        for line in hidden:
            state.sCount[line] += _HIDDEN_INDENT
        try:
            return container_rule(state, start_line, end_line, silent)
        finally:
            for line in hidden:
                state.sCount[line] -= _HIDDEN_INDENT

    ruler.at(rule_name, rule, {"alt": ruler.__rules__[index].alt})


def _fenced_lines(state: StateBlock, first: int, end: int) -> list[int]:
    """The lines inside fenced blocks (not the fence lines themselves) from `first` to `end`."""
    inside: list[int] = []
    opening: str | None = None
    for line in range(first, end):
        text = state.src[state.bMarks[line]:state.eMarks[line]]
        found = _FENCE.match(text)
        if opening is None:
            if found and not (found["marker"][0] == "`" and "`" in found["info"]):
                opening = found["marker"]
        elif found and found["marker"][0] == opening[0] and len(found["marker"]) >= len(opening) \
                and not found["info"].strip():
            opening = None
        else:
            inside.append(line)
    return inside


def split_body(tokens: list[Token], src: SourceLines) -> tuple[list[Token], list[tuple[Token, Token, list[Token]]]]:
    """The 正文's tokens, and each attachment's (opening token, closing token, inner tokens).

    Text after the first attachment that is not in an attachment is an error: the 署名 and
    成文日期 close the 正文, and attachments follow them [F8]."""
    body: list[Token] = []
    divs: list[tuple[Token, Token, list[Token]]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == OPEN:
            depth, j = 1, i + 1
            inner: list[Token] = []
            while j < len(tokens):
                if tokens[j].type == OPEN:
                    depth += 1
                    if depth == 2:
                        src.diags.error("an attachment cannot hold another attachment: close the first "
                                        "with ':::' before the next '::: attachment'", _at(src, tokens[j]))
                elif tokens[j].type == CLOSE:
                    depth -= 1
                    if depth == 0:
                        break
                if depth == 1 and tokens[j].type != CLOSE:
                    inner.append(tokens[j])
                j += 1
            close = tokens[j] if j < len(tokens) else tokens[-1]
            divs.append((tok, close, inner))
            i = j + 1
            continue
        if divs:
            if tok.map is not None and tok.nesting >= 0 and tok.level == 0:
                src.diags.error("text after an attachment: the 正文 comes first, then each attachment in a "
                                "'::: attachment 标题' … ':::' block", _at(src, tok))
        else:
            body.append(tok)
        i += 1
    return body, divs


def read_attachments(divs: list[tuple[Token, Token, list[Token]]], src: SourceLines, profile: Profile,
                     inline: InlineReader, tables: TableReader, scheme: str) -> tuple[Attachment, ...]:
    headers = []
    for open_token, close_token, _ in divs:
        pos = _at(src, open_token)
        if close_token.type != CLOSE or close_token.markup == "":
            src.diags.error("attachment is not closed: add a line ':::' after its last paragraph", pos)
        match = _INFO.match(open_token.info)
        title, issued = "", False
        if match is None:
            src.diags.error("write an attachment as '::: attachment 标题'", pos)
        else:
            title = unescapeAll(match.group("title"))   # '\[' is '[' here, as in the body
            if title.endswith(":::") and not match.group("title").endswith("\\:::"):
                src.diags.error("the closing ':::' of an attachment goes on a line of its own, after its last "
                                "paragraph, not on the '::: attachment 标题' line", pos)
                title = title[:-3].rstrip()
            if len(title) > PROPERTY_LIMIT:
                src.diags.error(f"attachment title has {len(title)} characters; at most {PROPERTY_LIMIT} fit, as for "
                                "the document's title", pos)
            attributes = match.group("attributes")
            if attributes is not None:
                if _ISSUED.match(attributes):
                    issued = True
                else:
                    src.diags.error(f"unknown attachment attribute '{{{attributes}}}': the only one is "
                                    "{issued=true}, for the document a 印发 notice issues", pos)
            if not title:
                src.diags.error("attachment has no title: write it after the word, '::: attachment 标题' [F10]", pos)
        headers.append((title, issued, pos))
    count = sum(1 for _, issued, _ in headers if not issued)
    attachments = []
    number = 0
    seen: dict[str, Position] = {}
    for (title, issued, pos), (_, _, inner) in zip(headers, divs):
        if not issued:
            number += 1
        section = (title if issued else attachment_label(profile, number, count),)
        blocks: list[Block] = BlockReader(src, profile, inline, tables, scheme, section).read(inner, finish=False)
        if not blocks:
            src.diags.warning(f"attachment '{title}' is empty: it prints a page with its label and title only [F8]",
                              pos)
        if title and title in seen:
            src.diags.warning(f"attachment '{title}' has the same title as the one at line {seen[title].line}: the "
                              "附件说明 lists both alike [F11]", pos)
        seen.setdefault(title, pos)
        attachments.append(Attachment(number=0 if issued else number, title=title, blocks=tuple(blocks),
                                      pos=pos, issued=issued))
    return tuple(attachments)


def reconcile(meta: Metadata, attachments: tuple[Attachment, ...], src: SourceLines) -> Metadata:
    """The 附件说明 comes from the attachments; a front-matter list must agree with them [F11]."""
    if not attachments:
        return meta
    titles = tuple(a.title for a in attachments if not a.issued)
    if meta.attachments:
        if meta.attachments != titles:
            listed = "、".join(f"'{name}'" for name in meta.attachments) or "none"
            found = "、".join(f"'{a.title}' (line {a.pos.line})" for a in attachments if not a.issued) or "none"
            src.diags.error(
                f"front matter 'attachments' lists {len(meta.attachments)} ({listed}) but the source has "
                f"{len(titles)} attachments ({found}): the 附件说明 must match the attachments in number, name and "
                "order [F11]; remove the list, it is generated from the '::: attachment' blocks",
                meta.position_of("attachments"))
        return meta
    first = next((a.pos for a in attachments if not a.issued), None)
    positions = meta.positions if first is None else (*meta.positions, ("attachments", first))
    return dataclasses.replace(meta, attachments=titles, positions=positions)


def _at(src: SourceLines, token: Token) -> Position:
    line = token.map[0] + 1 if token.map else 1
    text = src.lines[line - 1] if 0 < line <= len(src.lines) else ""
    return src.at(line, len(text) - len(text.lstrip()) + 1)
