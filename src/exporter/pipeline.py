"""Read each source once, hand the model to the writers, and put outputs in place atomically.

Every output of a source is first written to a temporary file beside its target; only when
all writers succeeded are the temporaries renamed over the targets (outputs.Staging). An
error, Ctrl-C or a kill therefore leaves the previous outputs untouched.
"""

from __future__ import annotations

import gc
import hashlib
import os
import stat
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, ExportError, FontError, InternalError, OutputError, SourceError
from . import faults, outputs
from .lint import lint
from .model import Document
from .profile import Profile, load_profile
from .reader import read_source
from .registry import registry_findings
from .writers import get_writer

@dataclass
class SourceOutcome:
    source: str
    outputs: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    exit_code: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def find_sources(arguments: tuple[str, ...], default_dir: Path = Path("source")) -> list[Path]:
    """Files as given; folders expanded to their *.md; nothing given means source/*.md."""
    if not arguments:
        return sorted(default_dir.glob("*.md"))
    found: list[Path] = []
    for arg in arguments:
        path = Path(arg)
        try:
            is_folder = path.is_dir()
        except OSError:
            # e.g. a name too long for the file system: the reader reports it, located, as it cannot read it.
            is_folder = False
        if is_folder:
            found.extend(sorted(path.glob("*.md")))
        else:
            found.append(path)
    return found


def read(path: Path, profile_name: str | None = None, with_lint: bool = True) -> tuple[Document, Profile, list[Diagnostic]]:
    profile = load_profile(profile_name) if profile_name else None
    refuse_special_file(path)
    result = read_source(path, profile=profile)
    warnings = list(result.warnings)
    if with_lint:
        warnings.extend(lint(result.document))
        # The indicator registry the source names: unknown ids warn, a unit or kind drift stops.
        findings = registry_findings(result.document)
        if any(d.is_error for d in findings):
            raise SourceError(warnings + findings)
        warnings.extend(findings)
    faults.step("read", path.stem)
    return result.document, result.profile, warnings


def refuse_special_file(path: Path) -> None:
    """A device (/dev/zero) or a FIFO would grow memory or hang the reader: only regular files are read."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # the reader reports a missing file or a symlink loop in its own words
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise SourceError(Diagnostic("error", "not a regular file (a device, pipe or socket): give a .md file",
                                     path=str(path)))


def export_source(path: Path, formats: list[str], output_dir: Path, profile_name: str | None = None,
                  show_tracebacks: bool = False, force: bool = False, split: bool = False) -> SourceOutcome:
    """Export one source; every failure becomes diagnostics and an exit code, never an exception.
    `split`: the PDF is written in a second process while this one writes the rest (see
    `write_outputs`); for a source exported alone, not by a worker of a batch that is already
    parallel."""
    outcome = SourceOutcome(str(path))
    started = time.perf_counter()
    try:
        document, profile, warnings = read(path, profile_name)
        outcome.diagnostics.extend(warnings)
        outcome.outputs = write_outputs(document, profile, formats, output_dir, outcome.diagnostics, force, split)
    except ExportError as exc:
        outcome.diagnostics.extend(exc.diagnostics)
        outcome.exit_code = exc.exit_code
        outcome.outputs = getattr(exc, "written", [])
    except RecursionError:
        outcome.diagnostics.append(Diagnostic("error", "structure nested too deeply to export", path=str(path)))
        outcome.exit_code = InternalError.exit_code
    except Exception as exc:  # a bug: report it against the source, keep the batch going
        detail = traceback.format_exc() if show_tracebacks else f"{type(exc).__name__}: {exc}"
        outcome.diagnostics.append(Diagnostic(
            "error", f"internal error, please report it with this file: {detail}", path=str(path)
        ))
        outcome.exit_code = InternalError.exit_code
    outcome.seconds = time.perf_counter() - started
    return outcome


def write_outputs(document: Document, profile: Profile, formats: list[str], output_dir: Path,
                  diagnostics: list[Diagnostic], force: bool = False, split: bool = False) -> list[Path]:
    _check_output_dir(output_dir)
    stem = document.source.stem
    targets = [output_dir / f"{stem}.{fmt}" for fmt in formats]
    written: list[Path] = []
    font_problems: list[Diagnostic] = []
    # What exists before the writers (imported modules, loaded fonts, the model) outlives them:
    # frozen, it is left out of the collections below, which then scan only what a writer
    # built (a third of the .docx writer's time in a warm `watch` or -j worker went to scanning
    # the rest). Unfrozen afterwards, so nothing made here escapes collection for good.
    gc.freeze()
    try:
        # The source's path relative to the folder, hashed: the manifest names no folder of this machine.
        relative = Path(os.path.relpath(Path(document.source.path).resolve(), output_dir.resolve())).as_posix()
        origin = hashlib.sha256(relative.encode("utf-8")).hexdigest()[:16]
        with outputs.Staging(output_dir, force=force, origin=origin) as staging:
            said: dict[str, list[Diagnostic]] = {fmt: [] for fmt in formats}
            apart = _SeparateWriter.start(document, profile, formats, targets, staging, stem) if split else None
            try:
                for fmt, target in zip(formats, targets):
                    if apart is not None and fmt == apart.fmt:
                        continue
                    _write_one(document, profile, fmt, target, staging, stem, said[fmt], font_problems, written)
                if apart is not None:
                    apart.finish(said[apart.fmt], font_problems, written)
            finally:
                if apart is not None:
                    apart.stop()
            for fmt in formats:  # in the order of the formats, however the work was shared
                diagnostics.extend(said[fmt])
            written.sort(key=targets.index)
            if written:
                staging.commit()
    except OSError as exc:
        raise OutputError(_os_error_message(exc, output_dir)) from None
    finally:
        gc.unfreeze()
    if font_problems:
        error = FontError(font_problems)
        error.written = written  # type: ignore[attr-defined]  # what did go out, for the summary
        raise error
    return written


def _write_one(document: Document, profile: Profile, fmt: str, target: Path, staging: outputs.Staging, stem: str,
               diagnostics: list[Diagnostic], font_problems: list[Diagnostic], written: list[Path]) -> None:
    faults.step(f"write-{fmt}", stem)
    out = staging.new(target)
    try:
        diagnostics.extend(get_writer(fmt)(document, profile, out) or [])
    except FontError as exc:
        _font_failure(exc.diagnostics, target, staging, font_problems)
        return
    written.append(target)
    # A writer's object trees (lxml, reportlab) hold cycles; free them before the
    # next writer builds its own, so peak memory is one writer's, not the sum.
    gc.collect()


def _font_failure(problems: list[Diagnostic], target: Path, staging: outputs.Staging,
                  font_problems: list[Diagnostic]) -> None:
    # Only the PDF needs fonts: a font missing on this machine must not cost
    # the .docx and .xlsx. The old PDF, if any, stays as it was.
    font_problems.extend(problems)
    if target.exists():
        font_problems.append(Diagnostic(
            "warning", f"not replaced: {target} is still the one of an earlier export", path=str(target)))
    staging.drop(target)


class _SeparateWriter:
    """The PDF written in a forked process while this one writes the .docx and the .xlsx.

    A cold `exporter all` spends most of its time importing reportlab, python-docx and openpyxl
    and loading fonts; on two cores the PDF's share runs beside the rest. The child inherits
    the model and the staged temporary (forked, nothing is pickled), writes, flushes and sends
    back its diagnostics; the parent commits every output together as before. Anything that
    ends this process early (an error, Ctrl-C) kills the child first, so no writer outlives
    the staging it writes into; on Linux the child also dies with a parent that is killed.
    """

    FORMAT = "pdf"

    def __init__(self, fmt: str, target: Path, staging: outputs.Staging, process, connection) -> None:
        self.fmt, self.target, self.staging = fmt, target, staging
        self.process, self.connection = process, connection

    @classmethod
    def start(cls, document: Document, profile: Profile, formats: list[str], targets: list[Path],
              staging: outputs.Staging, stem: str) -> "_SeparateWriter | None":
        if cls.FORMAT not in formats or len(formats) < 2 or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
            return None
        import multiprocessing

        target = targets[formats.index(cls.FORMAT)]
        faults.step(f"write-{cls.FORMAT}", stem)
        out = staging.new(target)
        context = multiprocessing.get_context("fork")
        here, there = context.Pipe(duplex=False)
        process = context.Process(target=_write_apart, args=(there, document, profile, cls.FORMAT, out), daemon=True)
        process.start()
        there.close()
        return cls(cls.FORMAT, target, staging, process, here)

    def finish(self, diagnostics: list[Diagnostic], font_problems: list[Diagnostic], written: list[Path]) -> None:
        try:
            kind, payload = self.connection.recv()
        except (EOFError, OSError):
            self.process.join()
            raise InternalError(Diagnostic("error", f"the process writing {self.target.name} ended with status "
                                                    f"{self.process.exitcode} without a result")) from None
        self.process.join()
        match kind:
            case "done":
                diagnostics.extend(payload)
                written.append(self.target)
            case "fonts":
                _font_failure(payload, self.target, self.staging, font_problems)
            case "error":
                raise payload
            case _:
                raise RuntimeError(f"writing {self.target.name}: {payload}")

    def stop(self) -> None:
        if self.process.exitcode is None:
            self.process.kill()
        self.process.join()
        self.connection.close()


def _write_apart(connection, document: Document, profile: Profile, fmt: str, out) -> None:
    die_with_parent()
    try:
        try:
            said = get_writer(fmt)(document, profile, out) or []
            out.flush()
            reply: tuple[str, object] = ("done", said)
        except FontError as exc:
            reply = ("fonts", exc.diagnostics)
        except ExportError as exc:
            reply = ("error", exc)
        except Exception:
            reply = ("bug", traceback.format_exc())
        connection.send(reply)
    except KeyboardInterrupt:
        pass  # the parent, interrupted as well, discards the staging


def die_with_parent() -> None:
    """Linux: SIGKILL this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))
    except (OSError, AttributeError):
        pass


def _check_output_dir(output_dir: Path) -> None:
    if not output_dir.exists():
        try:
            output_dir.mkdir(parents=True, exist_ok=True)  # parallel jobs may race to create it
        except OSError as exc:
            raise OutputError(Diagnostic("error", f"cannot create output folder: {exc.strerror}", path=str(output_dir))) from None
    if not output_dir.is_dir():
        raise OutputError(Diagnostic("error", "output path is not a folder", path=str(output_dir)))
    if not os.access(output_dir, os.W_OK | os.X_OK):
        raise OutputError(Diagnostic("error", "output folder is not writable", path=str(output_dir)))


def _os_error_message(exc: OSError, output_dir: Path) -> Diagnostic:
    return outputs.output_error(exc, Path(exc.filename or output_dir)).diagnostics[0]
