"""The `exporter` command and its subcommands (click).

Messages go to stderr as `path:line:col: severity: message`; the exit status says what
kind of failure happened (see diagnostics.EXIT_CODES). No traceback reaches the user for
an input problem.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Callable

import click

from . import __version__
from .batch import run_sources
from .console import INTERRUPTED_EXPORT, NoBar, Reporter, internal_error, interrupted
from .diagnostics import EXIT_CODES, ExportError, InternalError
from .pipeline import SourceOutcome, find_sources, read
from .writers import available_formats, get_writer

log = logging.getLogger("exporter")

EXIT_HELP = "Exit status: " + ", ".join(f"{code} {name}" for name, code in EXIT_CODES.items()) + "."


class _Program(click.Group):
    """Ctrl-C anywhere (click's own parsing included) exits 130 without a traceback.

    A command whose options come from a heavy package (`import`, whose switches are the
    importer's clean-ups) is built only when it is named or listed, so `all` and `check`
    do not import the importer."""

    lazy_commands: dict[str, "Callable[[], click.Command]"] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands and cmd_name not in self.commands:
            self.add_command(self.lazy_commands[cmd_name](), cmd_name)
        return super().get_command(ctx, cmd_name)

    def main(self, *args, **kwargs):  # type: ignore[override]
        kwargs.pop("standalone_mode", None)
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except (KeyboardInterrupt, click.exceptions.Abort):
            interrupted()
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=_Program, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_HELP)
@click.version_option(__version__, "--version", prog_name="exporter")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", count=True, help="Print more (each output written, timings).")
@click.pass_context
def main(ctx: click.Context, quiet: bool, verbose: int) -> None:
    """Turn a report source (Markdown + YAML front matter) into a GB/T 9704-2012 .docx,
    a print-ready PDF and an indicator workbook (.xlsx)."""
    verbosity = -1 if quiet else verbose
    ctx.obj = Reporter(verbosity)
    logging.basicConfig(
        level=logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO),
        format="%(message)s", stream=sys.stderr,
    )


def _sources(arguments: tuple[str, ...]) -> list[Path]:
    sources = find_sources(arguments)
    if not sources:
        raise click.UsageError("no sources: give SOURCE files or folders, or run where source/*.md exists")
    return sources


@main.command()
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("--profile", "profile_name", help="Layout profile (name in templates/ or a .toml path).")
@click.pass_obj
def check(reporter: Reporter, sources: tuple[str, ...], profile_name: str | None) -> None:
    """Read SOURCE(s) and report errors and warnings; write nothing.

    Exits as `exporter all` would for the source; what only the installed fonts would stop
    (a character no font has) is a warning at the character. With no SOURCE, every
    source/*.md is checked."""
    worst = 0
    try:
        for path in _sources(sources):
            try:
                document, profile, warnings = read(path, profile_name)
                from .coverage import font_warnings  # after the first read: a bad source costs no font lookup

                warnings.extend(font_warnings(document, profile))
                reporter.diagnostics(warnings)
                reporter.detail(f"{path}: {len(document.blocks)} blocks, {len(document.indicators)} indicators, "
                                f"{len(warnings)} warnings")
            except ExportError as exc:
                reporter.diagnostics(exc.diagnostics)
                worst = worst or exc.exit_code
            except Exception as exc:  # a bug in the reader: report it against the source, go on
                reporter.diagnostics([internal_error(exc, path, reporter.verbosity > 0)])
                worst = worst or InternalError.exit_code
    except KeyboardInterrupt:
        interrupted()
    sys.exit(worst)


def _export(reporter: Reporter, sources: tuple[str, ...], formats: list[str], output: str,
            profile_name: str | None, jobs: int = 1, force: bool = False) -> None:
    paths = _distinct_outputs(_sources(sources))
    folder = Path(output)
    outcomes: list[SourceOutcome] = []
    from .fonts import SubstituteFaces

    substitutes: list[tuple[str, str]] = []     # every source's substitute fonts, warned about once
    show_bar = len(paths) > 1 and reporter.verbosity >= 0 and sys.stderr.isatty()
    try:
        _recover(folder)
        with click.progressbar(length=len(paths), label="exporting", file=sys.stderr,
                               show_pos=True) if show_bar else NoBar() as bar:
            for outcome in run_sources(paths, formats, folder, profile_name, jobs, reporter.verbosity > 0, force):
                outcomes.append(outcome)
                if show_bar:
                    # Keep messages on their own lines, not mixed into the bar.
                    click.echo("\r\033[K", nl=False, err=True)
                reporter.diagnostics([d for d in outcome.diagnostics if not isinstance(d, SubstituteFaces)])
                if outcome.ok and any(target.suffix == ".pdf" for target in outcome.outputs):
                    # Said of a PDF that was written, not of one a refused set left unwritten.
                    substitutes.extend(pair for d in outcome.diagnostics if isinstance(d, SubstituteFaces)
                                       for pair in d.faces)
                for target in outcome.outputs if outcome.ok else []:
                    reporter.detail(f"wrote {target}")
                reporter.detail(f"{outcome.source}: {'done' if outcome.ok else 'failed'} in {outcome.seconds:.2f} s")
                bar.update(1)
    except KeyboardInterrupt:
        interrupted(INTERRUPTED_EXPORT)
    if substitutes:
        reporter.diagnostics([SubstituteFaces.of(substitutes)])
    failed = [o for o in outcomes if not o.ok]
    if len(paths) > 1:
        reporter.info(f"{len(paths) - len(failed)} of {len(paths)} sources exported"
                      + (f", {len(failed)} failed: {', '.join(o.source for o in failed)}" if failed else ""))
    sys.exit(failed[0].exit_code if failed else 0)


def _distinct_outputs(paths: list[Path]) -> list[Path]:
    """One export per file (a file named twice is exported once); two files whose outputs would
    have the same name are a usage error before anything is written, since one set would
    silently replace the other."""
    by_file: dict[Path, Path] = {}
    for path in paths:
        by_file.setdefault(_identity(path), path)
    by_stem: dict[str, list[Path]] = {}
    for path in by_file.values():
        by_stem.setdefault(path.stem, []).append(path)
    clashes = [group for group in by_stem.values() if len(group) > 1]
    if clashes:
        lines = [f"{' and '.join(str(p) for p in group)} would both write {group[0].stem}.*" for group in clashes]
        raise click.UsageError("; ".join(lines) + ": export them into different folders (-o) or rename one")
    return list(by_file.values())


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: the reader reports it
        return path.absolute()


def _recover(folder: Path) -> None:
    """Finish what a killed run left in the output folder, whatever happens to this run's sources."""
    from . import outputs

    try:
        outputs.recover(folder)
    except OSError as exc:
        click.echo(f"{exc.filename or folder}: error: cannot finish an interrupted export: "
                   f"{exc.strerror or exc}", err=True)
        sys.exit(EXIT_CODES["output error"])


_common = [
    click.argument("sources", nargs=-1, type=click.Path()),
    click.option("-o", "--output", default="output", show_default=True, type=click.Path(),
                 help="Output folder; files are named <source stem>.<ext>."),
    click.option("--profile", "profile_name", help="Layout profile (name in templates/ or a .toml path)."),
    click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
                 help="Export this many sources in parallel processes."),
    click.option("--force", is_flag=True,
                 help="Replace existing outputs even if exporter did not write them (or they were changed since)."),
]


def _with_common(func):
    for decorator in reversed(_common):
        func = decorator(func)
    return func


@main.command(name="all")
@_with_common
@click.pass_obj
def all_(reporter: Reporter, sources: tuple[str, ...], output: str, profile_name: str | None, jobs: int,
         force: bool) -> None:
    """Read each SOURCE once and write every format (.docx, .pdf, .xlsx).

    With no SOURCE, every source/*.md is exported. Outputs replace earlier ones only when
    all formats of a source were written."""
    formats = available_formats()
    if not formats:
        raise click.ClickException("no writers are installed")
    _export(reporter, sources, formats, output, profile_name, jobs, force)


@main.command()
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("-o", "--output", default="output", show_default=True, type=click.Path(),
              help="Output folder; files are named <source stem>.<ext>.")
@click.option("--profile", "profile_name", help="Layout profile (name in templates/ or a .toml path).")
@click.option("--force", is_flag=True,
              help="Replace existing outputs even if exporter did not write them (or they were changed since).")
@click.pass_obj
def watch(reporter: Reporter, sources: tuple[str, ...], output: str, profile_name: str | None, force: bool) -> None:
    """Export SOURCE(s) as `all` does, then again each time one is saved; Ctrl-C stops.

    Errors and warnings are printed as `check` prints them; a source with errors keeps the
    outputs of its last good export. With no SOURCE, source/*.md is watched (a file added
    there is picked up); a folder means every *.md in it."""
    from .watch import watch as watch_sources

    formats = available_formats()
    _sources(sources)  # nothing to watch is a usage error now, not a silent wait
    folder = Path(output)

    from .fonts import SubstituteFaces

    said_faces: set[tuple[str, str]] = set()

    def report(outcome: SourceOutcome, what: str) -> None:
        # The substitute-face warning once per watch for each pair, not on every save.
        new_faces = [d for d in outcome.diagnostics
                     if isinstance(d, SubstituteFaces) and not set(d.faces) <= said_faces]
        for d in new_faces:
            said_faces.update(d.faces)
        reporter.diagnostics([d for d in outcome.diagnostics if not isinstance(d, SubstituteFaces)] + new_faces)
        if outcome.ok:
            reporter.info(f"{outcome.source}: {what} in {outcome.seconds:.2f} s")
        else:
            reporter.info(f"{outcome.source}: not exported; the outputs of its last good export are kept")

    try:
        _recover(folder)
        for fmt in formats:
            get_writer(fmt)
        reporter.info(f"watching {', '.join(str(p) for p in _sources(sources))} (Ctrl-C to stop)")
        watch_sources(lambda: _distinct_outputs(find_sources(sources)), formats, folder, profile_name,
                      reporter.verbosity > 0, force, report)
    except KeyboardInterrupt:
        interrupted("stopped")


def _single_format_command(fmt: str, description: str) -> None:
    @_with_common
    @click.pass_obj
    def command(reporter: Reporter, sources: tuple[str, ...], output: str, profile_name: str | None,
                jobs: int, force: bool) -> None:
        if fmt not in available_formats():
            raise click.ClickException(f"the {fmt} writer is not available in this version")
        _export(reporter, sources, [fmt], output, profile_name, jobs, force)

    command.__doc__ = description
    main.command(name=fmt)(command)


_single_format_command("docx", "Write the GB/T 9704-2012 Word file of each SOURCE.")
_single_format_command("pdf", "Write the print-ready PDF of each SOURCE.")


@main.command(name="xlsx")
@_with_common
@click.option("--combine", "combine", type=click.Path(dir_okay=False),
              help="Write one panel workbook of all SOURCEs (years or regions) to this .xlsx path instead.")
@click.pass_obj
def xlsx(reporter: Reporter, sources: tuple[str, ...], output: str, profile_name: str | None, jobs: int,
         force: bool, combine: str | None) -> None:
    """Write the indicator workbook of each SOURCE, or with --combine one workbook of them all."""
    if combine is None:
        _export(reporter, sources, ["xlsx"], output, profile_name, jobs, force)
    else:
        _combine(reporter, _sources(sources), Path(combine), profile_name, force)


def _combine(reporter: Reporter, paths: list[Path], target: Path, profile_name: str | None, force: bool) -> None:
    """Read every source (all must read cleanly), then write the panel in place atomically."""
    from . import outputs
    from .writers.xlsx.panel import write_panel

    documents, profile, worst = [], None, 0
    try:
        for path in paths:
            try:
                document, document_profile, warnings = read(path, profile_name)
                reporter.diagnostics(warnings)
                documents.append(document)
                profile = profile or document_profile
            except ExportError as exc:
                reporter.diagnostics(exc.diagnostics)
                worst = worst or exc.exit_code
            except Exception as exc:  # a bug in the reader
                reporter.diagnostics([internal_error(exc, path, reporter.verbosity > 0)])
                worst = worst or InternalError.exit_code
        if worst:
            reporter.info(f"{target}: not written, a source failed")
            sys.exit(worst)
        _refuse_inconsistent_panel(reporter, documents, target)
        folder = target.parent
        try:
            outputs.refuse_special_target(target)
            folder.mkdir(parents=True, exist_ok=True)
            outputs.recover(folder)
            assert profile is not None  # every source was read, and there is at least one
            with outputs.Staging(folder, force=force) as staging:
                reporter.diagnostics(write_panel(documents, profile, staging.new(target)))
                staging.commit()
        except ExportError as exc:
            reporter.diagnostics(exc.diagnostics)
            sys.exit(exc.exit_code)
        except OSError as exc:
            reporter.diagnostics(outputs.output_error(exc, Path(exc.filename or target)).diagnostics)
            sys.exit(EXIT_CODES["output error"])
    except KeyboardInterrupt:
        interrupted(INTERRUPTED_EXPORT)
    reporter.detail(f"wrote {target} ({len(documents)} reports)")
    sys.exit(0)


# ---- indicator registry and data packages (issue 16) ----------------------------------------

EXCEL_MAX_ROWS = 1_048_576


def _refuse_inconsistent_panel(reporter: Reporter, documents: list, target: Path) -> None:
    """Stop before writing a panel whose keys do not hold, or that Excel cannot open."""
    from .panels import panel_errors

    errors = panel_errors(documents)
    if errors:
        reporter.diagnostics(errors)
        reporter.info(f"{target}: not written, the reports do not combine into one panel")
        sys.exit(EXIT_CODES["source error"])
    rows = sum(len(d.indicators) for d in documents) + 1
    if rows > EXCEL_MAX_ROWS:
        click.echo(f"{target}: error: the panel has {rows:,} rows and Excel opens at most {EXCEL_MAX_ROWS:,}: "
                   f"write it as a data package instead: exporter data SOURCE... -o DIR", err=True)
        sys.exit(EXIT_CODES["output error"])


@main.group(name="registry")
def registry_group() -> None:
    """Indicator registries: what each indicator code means (registry/*.toml)."""


@registry_group.command(name="suggest")
@click.argument("sources", nargs=-1, type=click.Path())
@click.pass_obj
def registry_suggest(reporter: Reporter, sources: tuple[str, ...]) -> None:
    """Print draft registry entries (TOML) for the ids of SOURCE(s) their registry does not know.

    Each draft is read from the report (name, unit, scope, the sentence) and is to be checked by a
    person before it goes into the registry file."""
    from .registry import draft_entry, registry_of

    drafted: set[str] = set()
    worst = 0
    for path in _sources(sources):
        try:
            document, _profile, _warnings = read(path, with_lint=False)
            registry = registry_of(document)
        except ExportError as exc:
            reporter.diagnostics(exc.diagnostics)
            worst = worst or exc.exit_code
            continue
        for ind in document.indicators:
            if ind.id in drafted or (registry is not None and registry.lookup(ind.id) is not None):
                continue
            drafted.add(ind.id)
            click.echo(f"# from {document.source.name}:{ind.pos.line}\n" + draft_entry(ind, document.meta.period))
    reporter.info(f"{len(drafted)} draft entries")
    sys.exit(worst)


@main.command(name="data")
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="Folder for datapackage.json and its CSVs (replaced as a whole).")
@click.option("--profile", "profile_name", help="Layout profile (name in templates/ or a .toml path).")
@click.option("--force", is_flag=True, help="Replace files in DIR that exporter did not write.")
@click.pass_obj
def data(reporter: Reporter, sources: tuple[str, ...], output: str, profile_name: str | None, force: bool) -> None:
    """Write the figures of all SOURCEs as one Frictionless Data Package in DIR.

    datapackage.json (a Table Schema with types, keys and code patterns), indicators.csv,
    checks.csv, sources.csv and registry.csv, UTF-8. Reports are read one at a time, so the
    package has no row limit. Stops, writing nothing, on the panel errors of xlsx --combine."""
    from .datapackage import run_data_command

    sys.exit(run_data_command(reporter, _sources(sources), Path(output), profile_name, force))


# ---- import (issue 7) ------------------------------------------------------------------------

def _import_switches(func):
    from .importer import CLEANUPS

    options = [click.option("--no-figures", "no_figures", is_flag=True, help="Do not tag figures as indicators.")]
    for name, what in reversed(list(CLEANUPS.items())):
        options.append(click.option(f"--no-{name}", f"no_{name}", is_flag=True, help=f"Do not {what}."))
    for decorator in options:
        func = decorator(func)
    return func


def _import_command() -> click.Command:
    @click.command(name="import")
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
    @click.option("-o", "--output", default="source", show_default=True, type=click.Path(file_okay=False),
                  help="Folder for the generated <stem>.md.")
    @click.option("--title", help="The title, for a text that has no title line.")
    @click.option("--force", is_flag=True, help="Replace an existing <stem>.md.")
    @click.option("--report", "report_path", type=click.Path(dir_okay=False),
                  help="Also write the import report to this file.")
    @_import_switches
    @click.pass_obj
    def import_(reporter: Reporter, files: tuple[str, ...], output: str, title: str | None, force: bool,
                report_path: str | None, **switches: bool) -> None:
        """Make a first-draft source from FILE(s): plain text (.txt) or Word (.docx).

        Writes <stem>.md to the output folder, then prints what was recognised, changed, dropped
        and moved, and every figure tagged for review. Check the draft with `exporter check`."""
        from .importer.command import import_files

        disabled = frozenset(name[3:] for name, on in switches.items() if on)
        sys.exit(import_files(reporter, files, Path(output), title, force, disabled,
                              Path(report_path) if report_path else None))

    return import_


_Program.lazy_commands["import"] = _import_command


@main.command()
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("--profile", "profile_name", help="Layout profile (name in templates/ or a .toml path).")
@click.pass_obj
def fonts(reporter: Reporter, sources: tuple[str, ...], profile_name: str | None) -> None:
    """Show the font each role of the PDF uses, and whether it covers SOURCE's characters.

    Per role: family, file, face index, format (TrueType, or CFF converted through the font
    cache) and how many of the source's characters it has. With no SOURCE, source/*.md is
    used if it exists. Exits with the font-error status when a role or a character has no font."""
    from .diagnostics import FontError
    from .fonts.report import format_reports, has_problems, role_reports, shown
    from .profile import load_profile
    from .characters import characters_by_role

    paths = find_sources(sources)
    chars: dict[str, set[str]] = {}
    path: Path | str = profile_name or "export"
    try:
        profile = load_profile(profile_name) if profile_name else None
        for path in paths:
            document, source_profile, _warnings = read(path, profile_name, with_lint=False)
            profile = profile or source_profile
            for role, text in characters_by_role(document, profile).items():
                chars.setdefault(role, set()).update(text)
        profile = profile or load_profile()
    except ExportError as exc:
        reporter.diagnostics(exc.diagnostics)
        sys.exit(exc.exit_code)
    except Exception as exc:  # a bug in the reader or the profile loader
        reporter.diagnostics([internal_error(exc, path, reporter.verbosity > 0)])
        sys.exit(InternalError.exit_code)
    reports = role_reports(profile, {role: "".join(sorted(c)) for role, c in chars.items()})
    for line in format_reports(profile, reports, [shown(str(p)) for p in paths]):
        click.echo(line)
    sys.exit(FontError.exit_code if has_problems(reports) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
