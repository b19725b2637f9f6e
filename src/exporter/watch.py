"""`exporter watch`: keep one process warm and export a source again each time it is saved.

The writers are imported and the fonts loaded once; after that a save costs only the read and
the three writers. The sources' size and mtime are polled (no dependency, and it works the
same on every file system, network shares included); a change is exported once it has held
still for one poll, so an editor that saves in several writes is exported once. A file whose
bytes did not change (a `touch`, an editor saving unchanged) is not exported again.

Outputs go through the same all-or-nothing commit as `exporter all`: a source with errors
prints them, located as `check` does, and keeps the outputs of its last good export.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .pipeline import SourceOutcome, export_source

POLL_SECONDS = 0.05


@dataclass
class _Seen:
    signature: tuple[int, int] | None  # size and mtime as last polled; None when the file is missing
    exported: str | None = None        # SHA-256 of the bytes last exported


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def watch(find: Callable[[], list[Path]], formats: list[str], output: Path, profile_name: str | None,
          show_tracebacks: bool, force: bool, report: Callable[[SourceOutcome, str], None],
          poll_seconds: float = POLL_SECONDS) -> None:
    """Export every source found now, then each one again when it changes; runs until Ctrl-C.

    `find` is asked again at every poll, so a file added to a watched folder is picked up."""
    seen: dict[Path, _Seen] = {}
    pending: dict[Path, tuple[int, int] | None] = {}
    for path in find():
        seen[path] = _Seen(_signature(path))
        _export(path, seen[path], formats, output, profile_name, show_tracebacks, force, report, "exported")
    while True:
        time.sleep(poll_seconds)
        for path in find():
            state = seen.setdefault(path, _Seen(None))
            now = _signature(path)
            if now == state.signature and path not in pending:
                continue
            if pending.get(path, state.signature) != now or now is None:
                pending[path] = now  # still being written (or gone): look again at the next poll
                state.signature = now
                continue
            del pending[path]
            state.signature = now
            _export(path, state, formats, output, profile_name, show_tracebacks, force, report, "exported again")


def _export(path: Path, state: _Seen, formats: list[str], output: Path, profile_name: str | None,
            show_tracebacks: bool, force: bool, report: Callable[[SourceOutcome, str], None], what: str) -> None:
    digest = _digest(path)
    if digest is not None and digest == state.exported:
        return
    outcome = export_source(path, formats, output, profile_name, show_tracebacks, force)
    if outcome.ok:
        state.exported = digest
    report(outcome, what)
