"""The short report `exporter import` prints: what it recognised, changed, dropped and moved."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import ImportResult

COUNT_LABELS = {
    "punctuation": "half-width punctuation made full-width",
    "width": "full-width digits/letters made ASCII",
    "dashes": "破折号 ―― made ——",
    "invisible": "zero-width characters removed",
    "control": "control characters removed",
    "indent": "indented lines unindented",
    "spaces": "stray spaces removed",
    "rejoin": "broken lines rejoined",
    "furniture": "page numbers / form feeds dropped",
    "boilerplate": "web/database/licence lines dropped",
}


def render_report(result: ImportResult, target: str | None, check_summary: str | None) -> str:
    out: list[str] = []
    arrow = f" -> {target}" if target else ""
    out.append(f"{result.source_name}{arrow}: {result.input_kind}, {result.encoding}, {result.line_ending}, "
               f"{result.input_lines} lines")
    if result.encoding_evidence:
        out.append(f"  encoding: {result.encoding} assumed ({result.encoding_evidence})")
    front = result.front
    fields = [key for key in ("kind", "issuer_mark", "copy_number", "secret", "secret_period", "urgency", "signer",
                              "issuer", "date", "recipients", "doc_number", "note", "attachments", "cc",
                              "printed_by", "printed_on") if getattr(front, key)]
    title = "".join(front.title)
    out.append(f"  front matter: title {title!r}" + (" (placeholder)" if front.title_is_placeholder else "")
               + (f"; {', '.join(fields)}" if fields else ""))
    levels = [sum(1 for h in result.headings if h.level == level) for level in range(1, 5)]
    run_in = sum(1 for h in result.headings if h.run_in)
    kept = [p for p in result.paragraphs if p.kept_number]
    out.append(f"  structure: headings by level {levels[0]}/{levels[1]}/{levels[2]}/{levels[3]} "
               f"({run_in} run-in), {len(result.paragraphs)} paragraphs, "
               f"{len(kept)} numbered lines kept as paragraphs")
    for paragraph in kept[:8]:
        out.append(f"    line {paragraph.origin[0]}: {paragraph.kept_number}")
    if len(kept) > 8:
        out.append(f"    … and {len(kept) - 8} more")
    out.append(f"  figures: {len(result.figures)} tagged, each with note=\"待核：自动识别\" (review the names)")
    tables = sum(1 for item in result.items if type(item).__name__ == "TableItem")
    out.append(f"  at a glance: median paragraph {result.median_paragraph_length} characters, "
               f"{len(result.figures)} figures in the text, {tables} tables")
    for page in result.pages:
        out.append(f"    {page}")
    changes = ", ".join(f"{label} {result.counts.get(kind)}" for kind, label in COUNT_LABELS.items())
    out.append(f"  clean-up: {changes}")
    dropped = sorted((r for r in result.removed if r.moved_to is None), key=lambda r: r.origin)
    moved = sorted((r for r in result.removed if r.moved_to is not None), key=lambda r: r.origin)
    if dropped:
        out.append(f"  dropped ({len(dropped)} lines, kept as comments in the front matter):")
        for r in dropped:
            out.append(f"    line {_where(r.origin)}: {_short(r.text)} ({r.reason})")
    if moved:
        out.append("  moved to the front matter:")
        for r in moved:
            out.append(f"    line {_where(r.origin)} -> {r.moved_to}: {_short(r.text)}")
    for warning in result.warnings:
        out.append(f"  warning: {warning}")
    if check_summary:
        out.append(f"  check: {check_summary}")
    if result.figures:
        out.append("  figures to review (id, line, printed, name):")
        for figure in result.figures:
            out.append(f"    {figure.id}  line {figure.line}  {figure.text}  {figure.name}")
    return "\n".join(out) + "\n"


def _where(origin: tuple[int, ...]) -> str:
    return str(origin[0]) if len(origin) == 1 else f"{origin[0]}-{origin[-1]}"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

