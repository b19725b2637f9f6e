"""SIGTERM and SIGHUP (a `kill`, a closed terminal, a service manager stopping a job) stop a run
the way Ctrl-C does: the staged temporaries are removed, child processes stopped, earlier outputs
left as they were. Without this, Python dies at once and leaves its temporaries for the next run
to clean. The exit status is 128 + the signal's number, as a shell reports it."""

from __future__ import annotations

import signal
from types import FrameType

received: int | None = None


def _stop(signum: int, _frame: FrameType | None) -> None:
    global received
    received = signum
    raise KeyboardInterrupt


def install() -> None:
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, _stop)


def status(default: int) -> int:
    """The exit status of a run stopped by a signal: 128 + its number; `default` for Ctrl-C."""
    return 128 + received if received is not None else default


def describe(message: str) -> str:
    """"interrupted…" said of a run Ctrl-C stopped, "stopped by SIGTERM…" of one a signal stopped."""
    if received is None:
        return message
    return message.replace("interrupted", f"stopped by {signal.Signals(received).name}", 1)
