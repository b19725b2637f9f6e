"""Benchmark `exporter all` (issue 6): against pandoc + LibreOffice, scaling with length, batches.

Run from the project root:  .venv/bin/python bench/bench_all.py [--runs 5] [--skip-pandoc]
Needs pandoc and soffice on PATH for the comparison (apt-get install pandoc libreoffice-writer-nogui).
Prints a Markdown table; paste it into the README's Benchmark section.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "yaoan-2021.md"

# Runs one export in a fresh interpreter and reports wall time and peak RSS of that process.
_MEASURE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from click.testing import CliRunner
from exporter.cli import main
result = CliRunner().invoke(main, ["-q", "all", *sys.argv[1:]])
elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed, "exit": result.exit_code,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure_export(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    if data["exit"] != 0:
        raise SystemExit(f"export failed: {args}")
    return data


def wall(cmd: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - t0


def repeated_source(times: int, folder: Path) -> Path:
    """The seed with its body repeated `times` times, ids and check names made unique per copy."""
    text = SEED.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    front = re.sub(r"\nchecks:\n(?:[ -].*\n)*", "\n", "\n" + front).lstrip("\n")
    copies = []
    for k in range(times):
        copies.append(re.sub(r"\{#([a-z0-9_]+)", lambda m: "{#" + f"{m.group(1)[:34]}_r{k}", body))
    path = folder / f"seed-x{times}.md"
    path.write_text("---\n" + front + "---\n" + "\n".join(copies), encoding="utf-8")
    return path


def median_of(runs: int, fn) -> float:
    return statistics.median(fn() for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-pandoc", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        out = tmpdir / "out"
        measure_export([str(SEED), "-o", str(out)])  # warm the font cache
        ours = median_of(args.runs, lambda: measure_export([str(SEED), "-o", str(out)])["seconds"])
        rows.append(("export all, seed (median)", f"{ours:.2f} s"))
        if not args.skip_pandoc and shutil.which("pandoc") and shutil.which("soffice"):
            def pandoc_lo() -> float:
                docx = tmpdir / "pandoc.docx"
                t = wall(["pandoc", str(SEED), "-o", str(docx)], tmpdir)
                t += wall(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmpdir), str(docx)], tmpdir)
                return t
            theirs = median_of(args.runs, pandoc_lo)
            rows.append(("pandoc → .docx + soffice → .pdf, seed (median)", f"{theirs:.2f} s"))
            rows.append(("ratio export all / (pandoc + LibreOffice)", f"{ours / theirs:.2f} (target < 0.25)"))
        scaling = {}
        for times in (1, 10, 100):
            src = repeated_source(times, tmpdir)
            data = measure_export([str(src), "-o", str(out)])
            scaling[times] = data
            rows.append((f"seed ×{times}: time, peak RSS", f"{data['seconds']:.2f} s, {data['max_rss_mb']:.0f} MB"))
        rows.append(("×100 / ×10 time ratio", f"{scaling[100]['seconds'] / scaling[10]['seconds']:.1f} (linear ≈ 10)"))
        batch = tmpdir / "batch"
        batch.mkdir()
        for k in range(50):
            shutil.copy(SEED, batch / f"copy-{k:02d}.md")
        for jobs in (1, 2):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "exporter", "-q", "all", str(batch), "-o", str(out / "batch"),
                            "--jobs", str(jobs)], check=True, cwd=ROOT)
            rows.append((f"batch of 50 seeds, --jobs {jobs}", f"{time.perf_counter() - t0:.1f} s"))
    print("| measurement | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
