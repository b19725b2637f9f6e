"""Source → model. The only package that knows the source syntax.

A source is UTF-8 Markdown with YAML front matter (see docs/source-format.md). The reader
reads the file once, collects every problem as a located diagnostic, and either returns a
frozen `Document` (with the warnings it found) or raises `SourceError` with all of them.

The jobs are split by module: `text` (decoding and character screening), `front_matter`
(YAML → Metadata; `head_fields` checks the 版头 keys, `check_definitions` the 'checks' list),
`blocks` (paragraphs and numbered headings), `inline` (text runs, figure spans, source
positions) and `sentences` (the sentence each figure stands in). This module runs them in order.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .. import checks as checks_mod
from ..diagnostics import Diagnostic, Diagnostics, ProfileError, SourceError
from ..model import Document, Indicator, Metadata, Position, SourceInfo
from ..profile import Profile, load_profile
from ..titles import break_title
from .attachments import read_attachments, reconcile, split_body, track_fences
from .blocks import BlockReader
from .front_matter import read_front_matter
from .inline import InlineReader
from .limits import number_out_of_range
from .tables import TableReader
from .format_fields import read_seals
from .text import SourceLines, decode

__all__ = ["ReadResult", "read_source"]


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").use(front_matter_plugin).use(attrs_plugin, spans=True)
    # `::: attachment 标题` … `:::` (reader/attachments.py).
    md.use(container_plugin, name="attachment")
    track_fences(md, "container_attachment")
    md.enable("table").enable("strikethrough")
    # Keep escapes as their own tokens, so a stray '[' in literal text can be told apart
    # from an escaped one.
    md.disable("text_join")
    return md


@dataclass
class ReadResult:
    document: Document
    profile: Profile
    warnings: list[Diagnostic] = field(default_factory=list)


def read_source(path: str | Path, profile: Profile | None = None, shown_path: str | None = None) -> ReadResult:
    """Read one source file into a Document (and the profile it names).

    Raises SourceError with every error found (ProfileError when the profile it names is broken);
    warnings come back with the result.
    """
    path = Path(path)
    shown = shown_path or _shown(path)
    diags = Diagnostics()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(Diagnostic("error", "no such file", path=shown))
    except IsADirectoryError:
        raise SourceError(Diagnostic("error", "is a directory, not a source file", path=shown))
    except OSError as exc:
        raise SourceError(Diagnostic("error", f"cannot read: {exc.strerror or exc}", path=shown))
    text = decode(raw, shown, diags)
    if text is None:
        raise SourceError(diags)
    src = SourceLines(shown, text.split("\n"), diags)
    document, profile = _build(src, text, SourceInfo(
        path=shown, name=path.name, stem=path.stem, sha256=hashlib.sha256(raw).hexdigest(),
    ), profile, path.parent)
    if diags.has_errors or document is None or profile is None:
        raise SourceError(diags)
    return ReadResult(document=document, profile=profile, warnings=diags.warnings)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return str(path)


def _build(src: SourceLines, text: str, source: SourceInfo, profile: Profile | None,
           base_dir: Path) -> tuple[Document | None, Profile | None]:
    first_line = src.lines[0].rstrip()
    if first_line != "---":
        src.diags.error(
            "no front matter: a source starts with a '---' line, then at least 'title: …', then '---'",
            src.at(1),
        )
        return None, profile
    md = _markdown()
    tokens = md.parse(text)
    if not tokens or tokens[0].type != "front_matter":
        src.diags.error("front matter is not closed: add a '---' line after it", src.at(1))
        return None, profile
    meta, check_defs = read_front_matter(src, tokens[0])
    if profile is None:
        profile = _load_profile(src, meta.profile if meta else None, meta, base_dir)
    inline = InlineReader(src)
    tables = TableReader(src, inline, md)
    scheme = (meta.heading_scheme if meta else None) or "sections"
    body, divs = split_body(tokens[1:], src)
    blocks = BlockReader(src, profile, inline, tables, scheme).read(body, finish=False)
    attachments = read_attachments(divs, src, profile, inline, tables, scheme)
    tables.finish()
    if meta is None:
        return None, profile
    meta = reconcile(meta, attachments, src)
    meta = _title_lines(src, meta, profile)
    if meta.seals or meta.signature_seals:
        meta = read_seals(src, meta, base_dir, profile.seal.max_file_bytes, profile.seal.max_pixels)
    if meta.registry is None and profile.registry is not None:
        # The profile's registry applies to a source that names none; the source's own key wins.
        meta = dataclasses.replace(meta, registry=profile.registry,
                                   positions=(*meta.positions, ("registry", profile.registry_pos or Position(profile.path, 1, 1))))
    check_results = _run_checks(src, check_defs, inline.indicators, tables.keys)
    return Document(
        source=source, meta=meta, blocks=tuple(blocks), indicators=tuple(inline.indicators),
        checks=check_results, attachments=attachments,
    ), profile


def _title_lines(src: SourceLines, meta: Metadata, profile: Profile) -> Metadata:
    """Break a one-string title once, here, so every writer prints the same lines [D3]."""
    limit = profile.title.max_chars_per_line
    if meta.title_given_as_lines:
        for line in meta.title:
            if len(line) > limit:
                src.diags.warning(
                    f"title line '{line}' has {len(line)} characters; GB/T 9704 allows {limit} [D3]",
                    meta.position_of("title"))
        return meta
    lines = break_title(meta.title_text, limit, meta.issuers)
    return dataclasses.replace(meta, title=lines)


def _load_profile(src: SourceLines, name: str | None, meta: Metadata | None, base_dir: Path) -> Profile:
    try:
        return load_profile(name, relative_to=base_dir)
    except ProfileError as exc:
        pos = meta.position_of("profile") if meta else None
        for d in exc.diagnostics:
            if pos is not None and d.pos is None:
                src.diags.error(f"profile '{name}': {d.message}", pos)
            else:
                src.diags.extend([d])
        # The read stops here (blocks need the profile), and a broken profile is a profile error
        # (exit 3) even when the source named it; what the front matter had is reported with it.
        raise ProfileError(src.diags) from None


def _run_checks(src: SourceLines, defs: list[checks_mod.CheckDefinition], indicators: list[Indicator],
                tables: dict[str, checks_mod.TableCells]):
    known = {ind.id for ind in indicators}
    usable = []
    for d in defs:
        problems = checks_mod.reference_problems(d, known, tables)
        for name, problem in problems:
            if problem == "unknown indicator":
                hint = difflib.get_close_matches(name, sorted(known), n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                src.diags.error(f"check '{d.id}' names unknown indicator '{name}'{suggestion}", d.pos)
            else:
                src.diags.error(f"check '{d.id}' cannot read '{name}': {problem}", d.pos)
        if problems:
            continue
        # Comparing % with 项, or adding 件 to 人, is wrong as written: an error, not a failed check.
        unit_problems = checks_mod.unit_problems(d, tuple(indicators), tables)
        for problem in unit_problems:
            src.diags.error(f"check '{d.id}': {problem}", d.pos)
        if not unit_problems:
            usable.append(d)
    results = checks_mod.run_checks(tuple(usable), tuple(indicators), tables)
    for r in results:
        # A sum or product of figures that each fit a workbook cell may not fit one itself.
        for side, value in (("left side", r.left), ("right side", r.right)):
            problem = number_out_of_range(value) if value is not None else None
            if problem is not None:
                src.diags.error(f"check '{r.id}', {side}: {problem}", r.pos)
        if r.declared and r.status.value == "failed":
            src.diags.warning(f"check '{r.id}' failed: {r.message}", r.pos)
        elif r.declared and r.status.value == "not_evaluated":
            src.diags.warning(f"check '{r.id}' could not be evaluated: {r.message}", r.pos)
    return results
