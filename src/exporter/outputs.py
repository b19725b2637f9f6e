"""All-or-nothing replacement of a source's output files.

Writers write temporaries beside their targets. When all are complete and on disk, a
journal naming every (temporary, target) pair is written atomically; then the temporaries
are renamed over the targets and the journal is removed. A kill before the journal leaves
the old outputs and some orphan temporaries; a kill after it leaves a journal that the next
export of that source (or `recover`) rolls forward. Either way no target is ever half
written, and the set of outputs is never left mixed once anything runs again.
A per-source lock keeps two processes from exporting the same source into the same folder.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import tempfile
from pathlib import Path
from typing import Iterator

PREFIX = ".export-"


def _journal(output_dir: Path, stem: str) -> Path:
    return output_dir / f"{PREFIX}{stem}.journal"


def _lock_path(output_dir: Path, stem: str) -> Path:
    return output_dir / f"{PREFIX}{stem}.lock"


@contextlib.contextmanager
def locked(output_dir: Path, stem: str) -> Iterator[None]:
    path = _lock_path(output_dir, stem)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


def recover(output_dir: Path, stem: str) -> None:
    """Finish an interrupted commit and remove orphan temporaries of `stem` (call under the lock)."""
    journal = _journal(output_dir, stem)
    if journal.exists():
        try:
            pairs = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pairs = []
        for temp, target in pairs:
            temp_path = output_dir / temp
            if temp_path.exists():
                os.replace(temp_path, output_dir / target)
        _fsync_dir(output_dir)
        journal.unlink()
    for orphan in output_dir.glob(f"{PREFIX}{stem}.*.tmp"):
        with contextlib.suppress(OSError):
            orphan.unlink()


def new_temporary(output_dir: Path, stem: str, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=f"{PREFIX}{stem}.{suffix}.", suffix=".tmp", dir=output_dir)
    os.fchmod(fd, _usual_mode())
    os.close(fd)
    return Path(name)


def commit(output_dir: Path, stem: str, pairs: list[tuple[Path, Path]]) -> None:
    """Rename every temporary over its target, as one unit that survives a kill."""
    # Refuse before touching anything if any target cannot be replaced, so a failure never
    # leaves some outputs new and others old.
    for _temp, target in pairs:
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "a folder is in the way", str(target))
        if target.exists() and not os.access(target, os.W_OK) and not os.access(output_dir, os.W_OK):
            raise PermissionError(errno.EACCES, "permission denied", str(target))
    journal = _journal(output_dir, stem)
    staged = output_dir / f"{PREFIX}{stem}.journal.tmp"
    with open(staged, "w", encoding="utf-8") as f:
        json.dump([[temp.name, target.name] for temp, target in pairs], f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(staged, journal)
    _fsync_dir(output_dir)
    for temp, target in pairs:
        os.replace(temp, target)
    _fsync_dir(output_dir)
    journal.unlink()


def write_atomically(target: Path, data: bytes) -> None:
    """Write one file through a temporary beside it and a rename: readers see old or new, never half."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f"{PREFIX}{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, _usual_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _usual_mode() -> int:
    """0666 less the umask: mkstemp's 0600 would hide shared documents from colleagues."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def discard(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
