"""Exporting a batch of sources: one after another, or in worker processes that each keep their
writers, fonts and profiles loaded from source to source (`exporter all -j N`)."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Iterator

from .diagnostics import EXIT_CODES, Diagnostic, InternalError
from .pipeline import SourceOutcome, die_with_parent, export_source
from .writers import get_writer


def run_sources(paths: list[Path], formats: list[str], output: Path, profile_name: str | None, jobs: int,
                show_tracebacks: bool, force: bool) -> Iterator[SourceOutcome]:
    """Yield each source's outcome as it finishes; in `jobs` worker processes when jobs > 1."""
    if jobs <= 1 or len(paths) == 1:
        for path in paths:
            yield export_source(path, formats, output, profile_name, show_tracebacks, force, split=True)
        return
    yield from _run_in_processes(paths, formats, output, profile_name, jobs, show_tracebacks, force)


def _run_in_processes(paths: list[Path], formats: list[str], output: Path, profile_name: str | None, jobs: int,
                      show_tracebacks: bool, force: bool) -> Iterator[SourceOutcome]:
    """Up to `jobs` worker processes, each handed one source at a time and kept for the next:
    a worker imports the writers once (it is forked after the parent imported them) and keeps
    its loaded fonts and profiles from source to source. A worker killed by the OOM killer
    fails the source it held alone; a fresh worker takes its place and the batch goes on
    (a multiprocessing pool would break as a whole)."""
    import multiprocessing
    from multiprocessing.connection import Connection, wait
    from multiprocessing.process import BaseProcess

    for fmt in formats:
        get_writer(fmt)
    context = multiprocessing.get_context("fork")
    waiting = list(paths)
    idle: list[tuple[BaseProcess, Connection]] = []
    busy: dict[Connection, tuple[BaseProcess, Path]] = {}

    def start_worker() -> tuple[BaseProcess, Connection]:
        here, there = context.Pipe(duplex=True)
        worker: BaseProcess = context.Process(target=_worker, daemon=True,
                                              args=(there, formats, output, profile_name, show_tracebacks, force))
        worker.start()
        there.close()
        return worker, here

    try:
        while waiting or busy:
            while waiting and (idle or len(busy) < jobs):
                worker, connection = idle.pop() if idle else start_worker()
                path = waiting.pop(0)
                try:
                    connection.send(path)
                except OSError:  # it died while idle: the source goes to a fresh worker
                    connection.close()
                    worker.join()
                    waiting.insert(0, path)
                    continue
                busy[connection] = (worker, path)
            for ready in wait(list(busy)):
                assert isinstance(ready, Connection)
                worker, path = busy.pop(ready)
                try:
                    outcome: SourceOutcome | None = ready.recv()
                except (EOFError, OSError):
                    outcome = None
                if outcome is None:
                    ready.close()
                    worker.join()
                    yield _died(path, worker.exitcode)
                else:
                    idle.append((worker, ready))
                    yield outcome
        for worker, connection in idle:
            connection.send(None)
        for worker, connection in idle:
            worker.join()
            connection.close()
        idle.clear()
    finally:
        # Ctrl-C or an error in this process: let each worker clean up its temporaries and stop.
        workers = [w for w, _path in busy.values()] + [w for w, _connection in idle]
        for worker in workers:
            if worker.pid is not None and worker.exitcode is None:
                os.kill(worker.pid, signal.SIGINT)
        for worker in workers:
            worker.join(timeout=30)
            if worker.exitcode is None:  # it did not stop on SIGINT: the staging it held is discarded anyway
                worker.kill()
                worker.join()


def _worker(connection, formats: list[str], output: Path, profile_name: str | None, show_tracebacks: bool,
            force: bool) -> None:
    """Export each source the parent sends until it sends None."""
    die_with_parent()  # a worker must not go on committing outputs for a parent killed with -9
    # A run started in the background by a script (`exporter all -j 2 &`) inherits SIGINT ignored;
    # the parent stops its workers with SIGINT, so a worker must always hear it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        while (path := connection.recv()) is not None:
            connection.send(export_source(path, formats, output, profile_name, show_tracebacks, force))
    except KeyboardInterrupt:
        sys.exit(EXIT_CODES["interrupted"])  # the parent reports the interruption
    except EOFError:
        pass  # the parent is gone


def _died(path: Path, exitcode: int | None) -> SourceOutcome:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        how = f"was killed by {name}" + (" (often the out-of-memory killer)" if name == "SIGKILL" else "")
    elif exitcode == EXIT_CODES["interrupted"]:
        how = "was interrupted"
    else:
        how = f"ended with status {exitcode} without a result"
    return SourceOutcome(str(path), exit_code=InternalError.exit_code, diagnostics=[Diagnostic(
        "error", f"the process exporting this source {how}; its earlier outputs are unchanged", path=str(path))])
