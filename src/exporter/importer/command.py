"""The body of `exporter import`: import each file, check the draft, write <stem>.md atomically, report.

A draft is read back by the reader before it is written, and one that would not pass
`exporter check` is not written at all: the emitter escapes everything it writes, so such a
draft is a bug in the importer (exit 70), reported with the reader's errors.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from ..diagnostics import EXIT_CODES, Diagnostic, ExportError
from ..lint import lint
from ..reader import read_source
from . import ImportOptions, import_file
from ..outputs import write_atomically

SUPPORTED = (".txt", ".docx", ".pdf")
ADVICE = {
    ".doc": "save it as .docx in Word or WPS first",
    ".wps": "save it as .docx in WPS first",
    ".rtf": "save it as .docx first",
}


def import_files(reporter, files: tuple[str, ...], output: Path, title: str | None, force: bool,
                 disabled: frozenset[str], report_path: Path | None) -> int:
    worst = 0
    reports = []
    for name in files:
        path = Path(name)
        code, report = _import_one(reporter, path, output, ImportOptions(disabled, title), force)
        worst = worst or code
        if report:
            reports.append(report)
            if reporter.verbosity >= 0:
                click.echo(report, nl=False)
    if report_path is not None and reports:
        try:
            write_atomically(report_path, "\n".join(reports).encode("utf-8"))
        except (OSError, ExportError) as exc:
            problems = exc.diagnostics if isinstance(exc, ExportError) else [
                Diagnostic("error", f"cannot write the report: {exc.strerror or exc}", path=str(report_path))]
            reporter.diagnostics(problems)
            worst = worst or EXIT_CODES["output error"]
    return worst


def _import_one(reporter, path: Path, output: Path, options: ImportOptions, force: bool) -> tuple[int, str]:
    suffix = path.suffix.lower()
    try:
        regular = path.is_file()
        problem = "" if regular else (
            "not a regular file (a folder, device, pipe or socket)" if path.exists() else "no such file")
    except OSError as exc:  # e.g. a name too long for the file system
        problem = f"cannot read: {exc.strerror or exc}"
    if problem:
        reporter.diagnostics([Diagnostic("error", problem, path=str(path))])
        return EXIT_CODES["source error"], ""
    if suffix not in SUPPORTED:
        advice = ADVICE.get(suffix, "import a .txt or .docx file")
        reporter.diagnostics([Diagnostic("error", f"cannot import '{suffix or path.name}' files: {advice}",
                                         path=str(path))])
        return EXIT_CODES["source error"], ""
    target = output / f"{path.stem}.md"
    if target.exists() and not force:
        reporter.diagnostics([Diagnostic(
            "error", f"{target} exists: an import never replaces a source; use --force or -o another folder",
            path=str(path))])
        return 4, ""
    try:
        result = import_file(path, options)
    except ExportError as exc:
        reporter.diagnostics(exc.diagnostics)
        return exc.exit_code, ""
    errors, warnings = check_draft(result.markdown, target)
    if errors:
        reporter.diagnostics([Diagnostic(
            "error", f"the draft for {target} would not pass `exporter check`, so it was not written; this is a "
            "bug in `exporter import`: please report it with this file", path=str(path))] + errors)
        return EXIT_CODES["internal error"], result.report(None, f"not written: {len(errors)} errors")
    try:
        output.mkdir(parents=True, exist_ok=True)
        write_atomically(target, result.markdown.encode("utf-8"))
    except ExportError as exc:
        reporter.diagnostics(exc.diagnostics)
        return exc.exit_code, ""
    except OSError as exc:
        reporter.diagnostics([Diagnostic("error", f"cannot write: {exc.strerror or exc}", path=str(target))])
        return 4, ""
    summary = f"{target} reads with 0 errors and {len(warnings)} warnings (exporter check {target})"
    return 0, result.report(str(target), summary)


def check_draft(markdown: str, target: Path) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """What `exporter check target` would say of the draft, before the draft exists there: the
    reader reads a file, so the draft goes to a private folder first (it names no profile, so
    the folder it is read from does not matter); messages name the target."""
    with tempfile.TemporaryDirectory(prefix="exporter-import-") as folder:
        draft = Path(folder) / target.name
        draft.write_text(markdown, encoding="utf-8")
        try:
            read = read_source(draft, shown_path=str(target))
        except ExportError as exc:
            return [d for d in exc.diagnostics if d.is_error], []
    return [], [*read.warnings, *lint(read.document)]


