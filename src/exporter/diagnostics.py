"""Errors as values with locations, collected and reported together (as black and flake8 do).

A stage appends `Diagnostic`s to a `Diagnostics` list and keeps going; at the end it raises
the matching `ExportError` subclass if any error was collected. The CLI prints every message
as `path:line:col: severity: message` and exits with the class's status, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from .model import Position

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    message: str
    pos: Position | None = None
    path: str | None = None

    def __str__(self) -> str:
        if self.pos is not None:
            where = str(self.pos)
        elif self.path is not None:
            where = self.path
        else:
            where = "export"
        return f"{where}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class Diagnostics:
    """An ordered collection that stages append to."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def error(self, message: str, pos: Position | None = None, path: str | None = None) -> None:
        self._items.append(Diagnostic(ERROR, message, pos, path))

    def warning(self, message: str, pos: Position | None = None, path: str | None = None) -> None:
        self._items.append(Diagnostic(WARNING, message, pos, path))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self._items.extend(items)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self._items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self._items if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self._items if not d.is_error]

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(sorted(self._items, key=_sort_key))

    def __len__(self) -> int:
        return len(self._items)


def _sort_key(d: Diagnostic) -> tuple:
    if d.pos is None:
        return (d.path or "", 0, 0)
    return (d.pos.path, d.pos.line, d.pos.column)


class ExportError(Exception):
    """Base of the errors the CLI reports without a traceback; `exit_code` is the status."""

    exit_code = 1

    def __init__(self, diagnostics: Iterable[Diagnostic] | Diagnostic | str):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic(ERROR, diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class SourceError(ExportError):
    """The report source is malformed (syntax, front matter, spans, structure)."""

    exit_code = 1


class ProfileError(ExportError):
    """A layout profile in templates/ is missing or invalid."""

    exit_code = 3


class OutputError(ExportError):
    """An output could not be written (folder missing or unwritable, disk full, file locked)."""

    exit_code = 4


class FontError(ExportError):
    """A font role found no installed font, or a character no font covers."""

    exit_code = 5


class WriterError(ExportError):
    """A writer could not render something the model holds."""

    exit_code = 6


class InternalError(ExportError):
    """A bug in exporter itself; the message asks for a report, -v shows the traceback."""

    exit_code = 70


EXIT_CODES = {
    "ok": 0,
    "source error": SourceError.exit_code,
    "usage error": 2,
    "profile error": ProfileError.exit_code,
    "output error": OutputError.exit_code,
    "font error": FontError.exit_code,
    "writer error": WriterError.exit_code,
    "internal error": 70,
    "interrupted": 130,
}
