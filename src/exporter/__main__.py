"""`python -m exporter`, and the `exporter`/`export` commands: Ctrl-C exits 130 even while the
CLI is still being imported (the first few tenths of a second), without a traceback; SIGTERM and
SIGHUP stop a run as Ctrl-C does (exporter.stopping)."""

import sys


def run() -> None:
    # openpyxl imports numpy whenever it is installed (as it is beside pandas), to accept numpy
    # numbers in cells: a sixth of a second of every run. exporter writes only Python numbers.
    sys.modules.setdefault("numpy", None)  # type: ignore[arg-type]
    from . import stopping

    stopping.install()
    try:
        from . import faults

        faults.step("start")
        from .cli import main

        main()
    except KeyboardInterrupt:
        sys.stderr.write(f"exporter: {stopping.describe('interrupted')}\n")
        sys.exit(stopping.status(130))


if __name__ == "__main__":
    run()
