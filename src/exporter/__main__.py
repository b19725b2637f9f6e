"""`python -m exporter`, and the `exporter`/`export` commands: Ctrl-C exits 130 even while the
CLI is still being imported (the first few tenths of a second), without a traceback."""

import sys


def run() -> None:
    # openpyxl imports numpy whenever it is installed (as it is beside pandas), to accept numpy
    # numbers in cells: a sixth of a second of every run. exporter writes only Python numbers.
    sys.modules.setdefault("numpy", None)  # type: ignore[arg-type]
    try:
        from . import faults

        faults.step("start")
        from .cli import main

        main()
    except KeyboardInterrupt:
        sys.stderr.write("exporter: interrupted\n")
        sys.exit(130)


if __name__ == "__main__":
    run()
