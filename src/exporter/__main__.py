"""`python -m exporter`, and the `exporter`/`export` commands: Ctrl-C exits 130 even while the
CLI is still being imported (the first few tenths of a second), without a traceback."""

import sys


def run() -> None:
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
