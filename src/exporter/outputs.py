"""All-or-nothing replacement of output files, safe against kills, other runs and other people's files.

A run writes each output to a temporary beside its target (`.exporter-XXXXXXXX.tmp`, short
whatever the target's name, so it fits wherever the target fits) and holds an flock on it
until the commit. The commit, under the folder's lock (`.exporter.lock`, never deleted,
so every run locks the same file):

1. finishes any commit a killed run left (its journal), removes temporaries of dead runs
   (those no live run holds a lock on) and nothing else;
2. checks that every target can be replaced: absent, or a regular file this tool wrote and
   nobody changed since (its SHA-256 is the one in `.exporter-manifest.json`; `force` skips
   this), and not someone else's file in a sticky folder. Any failure stops the commit before
   the first rename, naming every target that failed;
3. writes a journal of (temporary, target) pairs, the updated manifest being one of them;
4. renames every temporary over its target, then removes the journal.

A kill before 3 leaves the old files; a kill after it leaves a journal that the next run in
that folder rolls forward. Either way no file is half written and no set is left mixed.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator

from . import faults
from .diagnostics import Diagnostic, OutputError

LOCK_NAME = ".exporter.lock"
MANIFEST_NAME = ".exporter-manifest.json"
TEMP_PREFIX = ".exporter-"
TEMP_SUFFIX = ".tmp"
JOURNAL_SUFFIX = ".journal"
RESERVED = (LOCK_NAME, MANIFEST_NAME)

NOT_REGULAR = "not a regular file (a link, device, pipe or socket): refusing to replace it"
FORCE_ADVICE = "use --force to replace it anyway, or -o to write elsewhere"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Exclusive lock on the folder's lock file; it is never unlinked, so all runs lock one inode."""
    faults.step("lock-wanted")
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666 & ~_umask())
    except PermissionError:
        # Another user's lock file in a shared folder: a read-only descriptor locks as well.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        faults.step("locked")
        yield
        faults.step("unlocking")
    finally:
        os.close(fd)


def recover(folder: Path) -> None:
    """Finish commits killed runs left in `folder` and remove their temporaries (takes the lock)."""
    if not folder.is_dir():
        return
    with folder_lock(folder):
        _recover(folder)


def _recover(folder: Path) -> None:
    # Under the lock, so no live run is between its journal and its last rename.
    for journal in sorted(folder.glob(f"{TEMP_PREFIX}*{JOURNAL_SUFFIX}")):
        try:
            pairs = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pairs = []
        for temp, target in pairs:
            if not (_plain_name(temp) and _plain_name(target)):
                continue
            if (folder / temp).exists():
                os.replace(folder / temp, folder / target)
        _fsync_dir(folder)
        journal.unlink()
        _fsync_dir(folder)
    for candidate in folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        _remove_if_abandoned(candidate)


def _plain_name(name: object) -> bool:
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\0" not in name


def _remove_if_abandoned(path: Path) -> None:
    """Remove a temporary only when no live run holds its lock: its run is gone."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        with contextlib.suppress(OSError):
            path.unlink()
    finally:
        os.close(fd)


class _Staged:
    def __init__(self, target: Path, temp: Path, handle: BinaryIO):
        self.target, self.temp, self.handle = target, temp, handle


class Staging:
    """The temporaries of one all-or-nothing replacement of files in one folder.

    `record=False` is for files that are not exports (an imported source): no manifest is
    read or written, and the caller decides whether an existing target may go. `origin` names
    the source the files are made from (a hash of its path relative to the folder): a file another source
    of the same name made there is not replaced without `force`, so 县A/report.md and
    县B/report.md exported one after the other into one folder cannot silently swap reports.
    """

    def __init__(self, folder: Path, force: bool = False, record: bool = True, origin: str | None = None):
        self.folder, self.force, self.record, self.origin = folder, force, record, origin
        self._staged: list[_Staged] = []
        self._origins: dict[str, str] = {}
        self.committed = False

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.committed:
            self._close()
        else:
            self.discard()

    def new(self, target: Path) -> BinaryIO:
        """An open temporary for `target`; write the whole file to it."""
        if target.parent != self.folder:
            raise ValueError(f"{target} is not in {self.folder}")
        refuse_special_target(target)
        with folder_lock(self.folder):
            # Created and locked under the folder lock, so another run's clean-up never sees
            # it unlocked.
            temp, handle = self._temporary(target)
        self._staged.append(_Staged(target, temp, handle))
        return handle

    def drop(self, target: Path) -> None:
        """Forget the staged file for `target` (its writer failed); the others go on."""
        keep = []
        for staged in self._staged:
            if staged.target == target:
                staged.handle.close()
                staged.temp.unlink(missing_ok=True)
            else:
                keep.append(staged)
        self._staged = keep

    def _temporary(self, target: Path) -> tuple[Path, BinaryIO]:
        try:
            fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=self.folder)
        except OSError as exc:
            raise output_error(exc, target) from None
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp's 0600 would hide shared documents from colleagues
        return Path(name), os.fdopen(fd, "w+b")

    def commit(self) -> None:
        """Put every staged file in place, or none of them."""
        for staged in self._staged:
            try:
                staged.handle.flush()
                os.fsync(staged.handle.fileno())
            except OSError as exc:
                raise output_error(exc, staged.target) from None
        faults.step("staged")
        with folder_lock(self.folder):
            try:
                _recover(self.folder)
            except OSError as exc:
                raise output_error(exc, self.folder) from None
            manifest = _read_manifest(self.folder) if self.record else {}
            self._origins = _read_origins(self.folder) if self.record else {}
            self._check_targets(manifest)
            faults.step("checked")
            pairs = [(s.temp, s.target) for s in self._staged]
            extra: list[BinaryIO] = []
            try:
                if self.record:
                    temp, handle = self._temporary(self.folder / MANIFEST_NAME)
                    extra.append(handle)
                    handle.write(self._updated_manifest(manifest))
                    handle.flush()
                    os.fsync(handle.fileno())
                    pairs.append((temp, self.folder / MANIFEST_NAME))
                with _ctrl_c_deferred():
                    journal = self._write_journal(pairs, extra)
                    # From here the temporaries belong to the journal: if a rename fails, the
                    # next run rolls the commit forward, so they must not be discarded.
                    self.committed = True
                    faults.step("journal")
                    for number, (temp, target) in enumerate(pairs, start=1):
                        try:
                            os.replace(temp, target)
                        except OSError as exc:
                            # The journal stays: the next run finishes this commit.
                            raise output_error(exc, target) from None
                        faults.step(f"rename-{number}")
                    _fsync_dir(self.folder)
                    journal.unlink()
                    _fsync_dir(self.folder)
            except OSError as exc:
                raise output_error(exc, self.folder) from None
            finally:
                for handle in extra:
                    handle.close()
            faults.step("committed")
        self._close()

    def _write_journal(self, pairs: list[tuple[Path, Path]], handles: list[BinaryIO]) -> Path:
        staged, handle = self._temporary(self.folder / "journal")
        handles.append(handle)
        handle.write(json.dumps([[t.name, g.name] for t, g in pairs], ensure_ascii=False).encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
        journal = staged.with_name(staged.name[: -len(TEMP_SUFFIX)] + JOURNAL_SUFFIX)
        os.replace(staged, journal)
        _fsync_dir(self.folder)
        return journal

    def _check_targets(self, manifest: dict[str, str]) -> None:
        problems = []
        folder_stat = os.stat(self.folder)
        targets = [s.target for s in self._staged]
        if self.record:
            targets.append(self.folder / MANIFEST_NAME)
        for target in targets:
            reason = self._why_not_replaceable(target, folder_stat, manifest)
            if reason:
                problems.append(Diagnostic("error", f"cannot write output: {reason}", path=str(target)))
        if problems:
            raise OutputError(problems)

    def _why_not_replaceable(self, target: Path, folder_stat: os.stat_result, manifest: dict[str, str]) -> str | None:
        try:
            st = os.lstat(target)
        except FileNotFoundError:
            return None
        except OSError as exc:
            return exc.strerror or str(exc)
        if stat.S_ISDIR(st.st_mode):
            return "a folder is in the way"
        if not stat.S_ISREG(st.st_mode):
            return NOT_REGULAR
        euid = os.geteuid()
        if (folder_stat.st_mode & stat.S_ISVTX and euid not in (st.st_uid, folder_stat.st_uid)
                and not _may_override_sticky_bit()):
            return "owned by another user in a shared folder (sticky bit), so it cannot be replaced"
        if not os.access(self.folder, os.W_OK | os.X_OK):
            return "permission denied: the folder is not writable"
        if self.record and target.name != MANIFEST_NAME and not self.force:
            if manifest.get(target.name) != _sha256(target):
                return f"exists and was not written by exporter (or was changed since): {FORCE_ADVICE}"
            made_from = self._origins.get(target.name)
            if self.origin is not None and made_from is not None and made_from != self.origin:
                return f"was written from another source file of the same name: {FORCE_ADVICE}"
        return None

    def _updated_manifest(self, manifest: dict[str, str]) -> bytes:
        written = {name: digest for name, digest in manifest.items() if (self.folder / name).is_file()}
        for staged in self._staged:
            staged.handle.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: staged.handle.read(1 << 20), b""):
                digest.update(chunk)
            written[staged.target.name] = digest.hexdigest()
        origins = {name: origin for name, origin in _read_origins(self.folder).items() if name in written}
        if self.origin is not None:
            origins.update({staged.target.name: self.origin for staged in self._staged})
        body = {"about": "files exporter wrote here and their SHA-256; it replaces only these, unchanged",
                "written": dict(sorted(written.items()))}
        if origins:
            body["sources"] = dict(sorted(origins.items()))
        return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    def discard(self) -> None:
        for staged in self._staged:
            with contextlib.suppress(OSError):
                staged.temp.unlink()
        self._close()

    def _close(self) -> None:
        for staged in self._staged:
            with contextlib.suppress(OSError):
                staged.handle.close()
        self._staged = []


@contextlib.contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Ctrl-C during the renames takes effect once they are done (milliseconds), so an
    interrupted run never leaves a set for the next run to finish. (A Python-level handler, not
    a signal mask: a native thread of some library would take a masked SIGINT anyway.)"""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    interrupted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: interrupted.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if interrupted:
        raise KeyboardInterrupt


def refuse_special_target(target: Path) -> None:
    """Before anything is created beside it: a target that is a device, pipe, link or folder, or
    one of exporter's own bookkeeping names, is never replaced, --force or not."""
    if target.name in RESERVED or _is_ours_internal(target.name):
        raise OutputError(Diagnostic("error", "cannot write output: the name is reserved for exporter's own files",
                                     path=str(target)))
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise output_error(exc, target) from None
    if stat.S_ISDIR(mode):
        raise OutputError(Diagnostic("error", "cannot write output: a folder is in the way", path=str(target)))
    if not stat.S_ISREG(mode):
        raise OutputError(Diagnostic("error", f"cannot write output: {NOT_REGULAR}", path=str(target)))


def write_atomically(target: Path, data: bytes) -> None:
    """Write one file that is not an export (the caller decided it may replace what is there)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with Staging(target.parent, record=False) as staging:
        staging.new(target).write(data)
        staging.commit()


def _is_ours_internal(name: str) -> bool:
    return name.startswith(TEMP_PREFIX) and name.endswith((TEMP_SUFFIX, JOURNAL_SUFFIX))


def _read_origins(folder: Path) -> dict[str, str]:
    """Which source (relative to `folder`) each recorded file was made from."""
    try:
        path = folder / MANIFEST_NAME
        if not path.is_file() or path.is_symlink():
            return {}
        sources = json.loads(path.read_text(encoding="utf-8")).get("sources", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in sources.items()} if isinstance(sources, dict) else {}


def _read_manifest(folder: Path) -> dict[str, str]:
    path = folder / MANIFEST_NAME
    try:
        if not path.is_file() or path.is_symlink():
            return {}
        written = json.loads(path.read_text(encoding="utf-8")).get("written", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in written.items()} if isinstance(written, dict) else {}


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def output_error(exc: OSError, target: Path) -> OutputError:
    """The message names the target the user asked for, never a temporary."""
    if exc.errno == errno.ENOSPC:
        reason = "disk full"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        reason = "permission denied (is the file open in another program?)"
    elif exc.errno == errno.EBUSY:
        reason = "file is locked or busy"
    else:
        reason = exc.strerror or str(exc)
    return OutputError(Diagnostic("error", f"cannot write output: {reason}", path=str(target)))


CAP_FOWNER = 3


def _may_override_sticky_bit() -> bool:
    """Whether this process holds CAP_FOWNER (root usually does; root in a container may not)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("CapEff:"):
                    return bool(int(line.split()[1], 16) >> CAP_FOWNER & 1)
    except (OSError, ValueError):
        pass
    return os.geteuid() == 0


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
