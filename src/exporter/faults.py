"""Named steps of a run, where tests inject faults; inert unless EXPORTER_FAULT is set.

The guarantees of outputs.py (a kill at any moment loses nothing, runs on one folder never
interleave their commits, -j runs sources at the same time) can only be tested
deterministically by stopping a run at an exact step, not by a timer. The product calls
`step(name, stem)` at each such point; a test sets, in the child's environment:

    EXPORTER_FAULT       comma-separated ACTION@STEP or ACTION@STEP:STEM, where ACTION is
                         kill (SIGKILL, as the OOM killer or a power cut would),
                         interrupt (SIGINT, as Ctrl-C would),
                         terminate (SIGTERM, as `kill` or a service manager would),
                         hangup (SIGHUP, as a closed terminal would), or
                         hold (wait until the file EXPORTER_FAULT_GATE/release exists,
                         after creating EXPORTER_FAULT_GATE/STEP.PID to say it is waiting)
    EXPORTER_FAULT_LOG   a file each step reached is appended to, as "PID STEP STEM"

Steps: start (before the CLI is imported), read (a source was read), write-FMT (a writer is
about to run), lock-wanted/locked/unlocking (the output folder's lock), checked (every
target can be replaced), journal (the commit journal is durable), rename-K (the K-th
temporary was renamed over its target), committed (journal removed).
"""

from __future__ import annotations

import os
import signal
import time


def _entries() -> list[tuple[str, str, str | None]]:
    spec = os.environ.get("EXPORTER_FAULT", "")
    entries = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        action, _, where = item.partition("@")
        step, _, stem = where.partition(":")
        entries.append((action, step, stem or None))
    return entries


def step(name: str, stem: str | None = None) -> None:
    if "EXPORTER_FAULT" not in os.environ and "EXPORTER_FAULT_LOG" not in os.environ:
        return
    log = os.environ.get("EXPORTER_FAULT_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {name} {stem or '-'}\n")
    for action, step_name, only_stem in _entries():
        if step_name != name or (only_stem is not None and only_stem != stem):
            continue
        if action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif action == "interrupt":
            os.kill(os.getpid(), signal.SIGINT)
        elif action == "terminate":
            os.kill(os.getpid(), signal.SIGTERM)
        elif action == "hangup":
            os.kill(os.getpid(), signal.SIGHUP)
        elif action == "hold":
            _hold(name)


def _hold(name: str) -> None:
    gate = os.environ["EXPORTER_FAULT_GATE"]
    with open(os.path.join(gate, f"{name}.{os.getpid()}"), "w", encoding="utf-8"):
        pass
    while not os.path.exists(os.path.join(gate, "release")):
        time.sleep(0.01)
