"""Block structure: paragraphs, numbered headings (and run-in headings), and unsupported blocks."""

from __future__ import annotations

import re

from markdown_it.token import Token

from ..model import ARTICLES, Block, Heading, Paragraph, Position
from ..numbering import heading_key, heading_label
from ..profile import Profile
from .inline import InlineReader
from .sentences import attach_sentences
from .tables import TableReader
from .text import SourceLines

_TABLE_FENCE = re.compile(r"^table(?:\s|\{|$)")
_ATTRIBUTE_LINE = re.compile(r"^\s*\{[^{}]*\}\s*$")

MAX_HEADING_LEVEL = 4

UNSUPPORTED_BLOCKS = {
    "bullet_list_open": "lists are not supported: write the items as paragraphs (headings are numbered for you)",
    "ordered_list_open": "lists are not supported: a typed number such as '1.' at the start of a line makes a list; use ### for a level-3 heading, or escape it as '1\\.'",
    "blockquote_open": "block quotes are not supported",
    "fence": "code blocks are not supported (a table is a ```table {#id …} block)",
    "code_block": "indented code blocks are not supported: remove the leading spaces",
    "html_block": "raw HTML blocks are not supported: escape the '<' as '\\<' to print it",
    "hr": "horizontal rules are not supported",
}


class BlockReader:
    """Turns the body's block tokens into Paragraphs and Headings, numbering the headings."""

    def __init__(self, src: SourceLines, profile: Profile, inline: InlineReader, tables: TableReader,
                 scheme: str = "sections", section: tuple[str, ...] = ()):
        self.src = src
        # Where these blocks stand in the document: () for the 正文, ("附件2",) in an attachment,
        # so a figure's section says which attachment it is in (its headings restart at 一、).
        self.section = section
        self.tables = tables
        self.heading_text: str | None = None
        self.scheme = scheme
        self.diags = src.diags
        self.lines = src.lines
        self.at = src.at
        self.profile = profile
        self.inline = inline
        self.counters = [0] * (MAX_HEADING_LEVEL + 1)
        self.path_keys: list[str] = []
        self.current_level = 0

    def read(self, tokens: list[Token], finish: bool = True) -> list[Block]:
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
            if tok.type == "fence" and _TABLE_FENCE.match(tok.info):
                i += 1
                if pending_run_in is not None:
                    blocks.append(Paragraph((), pending_run_in.pos, lead=pending_run_in))
                    pending_run_in = None
                table = self.tables.read_fence(tok, self._current_path(), self.heading_text)
                if table is not None:
                    blocks.append(table)
                continue
            if tok.type == "table_open":
                i = self._skip_container(tokens, i)
                if pending_run_in is not None:
                    blocks.append(Paragraph((), pending_run_in.pos, lead=pending_run_in))
                    pending_run_in = None
                attribute_line = line - 1 if line > 1 and _ATTRIBUTE_LINE.match(self.lines[line - 2]) else None
                table = self.tables.read_gfm(tok, attribute_line, self._current_path(), self.heading_text)
                if table is not None:
                    blocks.append(table)
                continue
            if tok.type == "paragraph_open":
                inline = tokens[i + 1]
                i += 3
                if inline.content.startswith(":::"):
                    self.diags.error("a ':::' line opens an attachment as '::: attachment 标题' and closes it "
                                     "with ':::' alone", self.at(line, self._first_col(line)))
                    continue
                inline = self._without_attribute_line(inline, tokens, i)
                if inline is None:
                    continue
                inlines = self.inline.read(inline, heading_path=self._current_path())
                if not inlines:
                    continue
                pos = inlines[0].pos
                if pending_run_in is not None:
                    blocks.append(Paragraph(tuple(inlines), pending_run_in.pos, lead=pending_run_in))
                    attach_sentences(blocks[-1], self.inline.indicators)
                    pending_run_in = None
                else:
                    blocks.append(Paragraph(tuple(inlines), pos))
                    attach_sentences(blocks[-1], self.inline.indicators)
                continue
            message = UNSUPPORTED_BLOCKS.get(tok.type)
            if message is None and tok.nesting == 1:
                message = f"'{tok.type.removesuffix('_open')}' blocks are not supported"
            if message is not None:
                self.diags.error(message, self.at(line, self._first_col(line)))
            # Skip the whole unsupported container.
            if tok.nesting == 1:
                i = self._skip_container(tokens, i)
                continue
            i += 1
        if pending_run_in is not None:
            blocks.append(Paragraph((), pending_run_in.pos, lead=pending_run_in))
        if finish:
            self.tables.finish()
        return blocks

    @staticmethod
    def _skip_container(tokens: list[Token], i: int) -> int:
        depth = 1
        i += 1
        while i < len(tokens) and depth:
            depth += tokens[i].nesting
            i += 1
        return i

    def _without_attribute_line(self, inline: Token, tokens: list[Token], after: int) -> Token | None:
        """A GFM table interrupts a paragraph, so its attribute line `{#t1 …}` ends the paragraph
        before it: take that line off (the table reads it), keeping the rest of the paragraph."""
        if after >= len(tokens) or tokens[after].type != "table_open" or not inline.map:
            return inline
        last = inline.map[1]
        if not _ATTRIBUTE_LINE.match(self.lines[last - 1]):
            return inline
        if last - 1 == inline.map[0]:
            return None
        content = inline.content.rsplit("\n", 1)[0]
        token = self.tables.md.parseInline(content)[0]
        token.map = [inline.map[0], last - 1]
        return token

    def _first_col(self, line: int) -> int:
        src = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(src) - len(src.lstrip()) + 1

    def _chapter_or_article(self, level: int, inline: Token, pos: Position) -> Heading | None:
        """`heading_scheme: articles`: # is 第X章 (its title centred), ## alone is 第X条, numbered on
        through the chapters and run in to the paragraph after it (the article's text)."""
        if level > 2:
            self.diags.error(f"{'#' * level}: the articles scheme has two levels, # (第X章) and ## (第X条)", pos)
            return None
        self.counters[level] += 1
        ordinal = self.counters[level]
        label = heading_label(self.profile.numbering["chapter" if level == 1 else "article"], ordinal)
        key = heading_key(label)
        if level == 1:
            self.path_keys = [key]
        else:
            self.path_keys = self.path_keys[:1] + [key]
        self.current_level = level
        inlines = self.inline.read(inline, heading_path=self._current_path())
        text = "".join(i.text for i in inlines)
        if level == 1 and not text.strip():
            self.diags.error("empty chapter title: write '# 总则' (the 第X章 is generated)", pos)
            return None
        if level == 2 and text.strip():
            self.diags.error("an article (第X条) has no title: write '##' alone and its text in the "
                             "paragraph after it", inlines[0].pos)
            return None
        typed = re.match(r"^\s*第[一二三四五六七八九十百零〇\d]+[章节条]", text)
        if typed:
            self.diags.error(f"heading starts with a typed number '{typed.group(0).strip()}': numbers are "
                             "generated, remove it", inlines[0].pos)
        heading = Heading(level=level, ordinal=ordinal, label=label, key=key, inlines=tuple(inlines),
                          run_in=level == 2, path=self._current_path(), pos=pos, scheme=ARTICLES)
        attach_sentences(heading, self.inline.indicators)
        return heading

    def _current_path(self) -> tuple[str, ...]:
        return self.section + tuple(self.path_keys)

    def _heading(self, level: int, inline: Token, line: int, markup: str) -> Heading | None:
        col = self._first_col(line)
        pos = self.at(line, col)
        if level > MAX_HEADING_LEVEL:
            self.diags.error(
                f"heading level {level} ({'#' * level}): GB/T 9704 has four levels, # to ####", pos
            )
            return None
        if self.scheme == ARTICLES:
            return self._chapter_or_article(level, inline, pos)
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
        label = heading_label(self.profile.numbering[f"level{level}"], ordinal)
        key = heading_key(label)
        parents = self.path_keys[: level - 1]
        self.path_keys = parents + [""] * (level - 1 - len(parents)) + [key]
        self.current_level = level
        inlines = self.inline.read(inline, heading_path=self._current_path())
        text = "".join(i.text for i in inlines)
        self.heading_text = text.strip().rstrip("。") or None
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
            path=self._current_path(), pos=pos,
        )
        attach_sentences(heading, self.inline.indicators)
        return heading
