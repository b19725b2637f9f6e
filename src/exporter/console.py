"""What the command line tells the user: diagnostics in source order, progress by -q/-v, and the
messages for an interruption (exit 130) and for an internal error (never a traceback unless -v)."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from . import stopping
from .diagnostics import EXIT_CODES, Diagnostic


class Reporter:
    """Prints diagnostics and progress according to -q/-v."""

    def __init__(self, verbosity: int):
        self.verbosity = verbosity

    def diagnostics(self, items: list[Diagnostic]) -> None:
        for d in sorted(items, key=_order):
            if d.is_error or self.verbosity >= 0:
                click.echo(str(d), err=True)

    def info(self, message: str) -> None:
        if self.verbosity >= 0:
            click.echo(message, err=True)

    def detail(self, message: str) -> None:
        if self.verbosity > 0:
            click.echo(message, err=True)


def _order(d: Diagnostic) -> tuple:
    if d.pos is None:
        return (d.path or "", 0, 0)
    return (d.pos.path, d.pos.line, d.pos.column)


def interrupted(message: str = "interrupted") -> None:
    click.echo(f"exporter: {stopping.describe(message)}", err=True)
    sys.exit(stopping.status(EXIT_CODES["interrupted"]))


def internal_error(exc: BaseException, path: Path | str, show_traceback: bool = False) -> Diagnostic:
    if isinstance(exc, RecursionError):
        return Diagnostic("error", "structure nested too deeply to read", path=str(path))
    detail = traceback.format_exc() if show_traceback else f"{type(exc).__name__}: {exc}"
    return Diagnostic("error", f"internal error, please report it with this file: {detail}", path=str(path))


INTERRUPTED_EXPORT = "interrupted; the outputs of unfinished sources are unchanged"


class NoBar:
    def __enter__(self) -> "NoBar":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None
