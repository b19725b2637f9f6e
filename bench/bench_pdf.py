"""Benchmark the PDF writer alone on the seed: cold (empty font cache) and warm.

Run from the project root:  python bench/bench_pdf.py [--runs 5] [SOURCE]
Each run is a fresh interpreter (`exporter -q pdf SOURCE`), so import and font registration
count. "cold" runs with a new, empty EXPORTER_FONT_CACHE each time, so every CFF glyph the
document uses is converted again; "warm" reuses one cache filled by a first run. Also timed
in-process: the layout and drawing alone, with the fonts already registered.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "yaoan-2021.md"

_MEASURE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from click.testing import CliRunner
from exporter.cli import main
result = CliRunner().invoke(main, ["-q", "pdf", *sys.argv[1:]])
print(json.dumps({"seconds": time.perf_counter() - t0, "exit": result.exit_code,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def one_run(source: Path, out: Path, cache: Path) -> dict:
    env = dict(os.environ, EXPORTER_FONT_CACHE=str(cache))
    proc = subprocess.run([sys.executable, "-c", _MEASURE, str(source), "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    if proc.returncode != 0 or data["exit"] != 0:
        raise SystemExit(f"export failed:\n{proc.stderr}")
    return data


def in_process(source: Path, runs: int) -> tuple[float, float, int]:
    from exporter.pipeline import read
    from exporter.writers.pdf import write

    document, profile, _ = read(source, with_lint=False)
    write(document, profile, io.BytesIO())  # fonts converted, cached and registered
    times = []
    for _ in range(runs):
        out = io.BytesIO()
        t0 = time.perf_counter()
        write(document, profile, out)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), len(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default=str(SEED))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    source = Path(args.source).resolve()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cold = [one_run(source, tmp_path / "out", tmp_path / f"cold-{k}") for k in range(args.runs)]
        warm_cache = tmp_path / "warm"
        one_run(source, tmp_path / "out", warm_cache)
        warm = [one_run(source, tmp_path / "out", warm_cache) for _ in range(args.runs)]
        pdf = next((tmp_path / "out").glob("*.pdf"))
        cache_mb = sum(p.stat().st_size for p in warm_cache.rglob("*") if p.is_file()) / 2**20
        os.environ["EXPORTER_FONT_CACHE"] = str(warm_cache)
        median, best, size = in_process(source, args.runs)
        for label, data in (("cold font cache (converts every glyph)", cold), ("warm font cache", warm)):
            seconds = [d["seconds"] for d in data]
            rows.append((label, statistics.median(seconds), min(seconds), max(d["max_rss_mb"] for d in data)))
        print(f"`exporter pdf {source.name}`: {pdf.stat().st_size / 1024:.0f} KB, font cache {cache_mb:.1f} MB; "
              f"{args.runs} runs each, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n")
        print("| run | median s | best s | peak RSS MB |")
        print("|---|---|---|---|")
        for label, med, low, rss in rows:
            print(f"| {label} | {med:.2f} | {low:.2f} | {rss:.0f} |")
        print(f"| layout + drawing only, fonts registered (in process) | {median:.3f} | {best:.3f} | — |")
        print(f"\nin-process output: {size / 1024:.0f} KB")
        print(json.dumps({"cold": [d["seconds"] for d in cold], "warm": [d["seconds"] for d in warm]}))


if __name__ == "__main__":
    main()
