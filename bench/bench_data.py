"""Benchmark `exporter data` and `exporter xlsx --combine` on many generated reports (issue 16).

Run from the project root:  .venv/bin/python bench/bench_data.py [--sizes 300 3000]
Each report is the seed under its own county code and name (period 2021), so the panel has one
row per figure and report. Each command runs in a fresh interpreter; wall time and the peak RSS
of that process are printed as a Markdown table for the README's Benchmark section.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "yaoan-2021.md"

_MEASURE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from click.testing import CliRunner
from exporter.cli import main
result = CliRunner().invoke(main, ["-q", *sys.argv[1:]])
elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed, "exit": result.exit_code, "output": result.output[-2000:],
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def generate(count: int, folder: Path) -> Path:
    """`count` copies of the seed, each a different (valid GB/T 2260 structured) county of 云南."""
    text = SEED.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        city, county = divmod(k, 99)
        code = f"53{city + 1:02d}{county + 1:02d}"
        report = (text.replace('region_code: "532325"', f'region_code: "{code}"')
                  .replace("region: 云南省楚雄彝族自治州姚安县", f"region: 云南省测试州测试县{k}"))
        (folder / f"r{k:05d}.md").write_text(report, encoding="utf-8")
    return folder


def measure(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    if data["exit"] != 0:
        raise SystemExit(f"failed: {args}\n{data['output']}")
    return data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for size in args.sizes:
            sources = generate(size, base / f"src{size}")
            package = measure(["data", str(sources), "-o", str(base / f"pkg{size}")])
            panel = measure(["xlsx", "--combine", str(base / f"panel{size}.xlsx"), str(sources)])
            rows.append((size, size * 71, package, panel))
            print(f"{size}: data {package['seconds']:.1f} s {package['max_rss_mb']:.0f} MB; "
                  f"--combine {panel['seconds']:.1f} s {panel['max_rss_mb']:.0f} MB", file=sys.stderr)
    print("| reports (rows) | `data`: time, peak RSS | `xlsx --combine`: time, peak RSS |")
    print("|---|---|---|")
    for size, count, package, panel in rows:
        print(f"| {size:,} ({count:,}) | {package['seconds']:.1f} s, {package['max_rss_mb']:.0f} MB "
              f"| {panel['seconds']:.1f} s, {panel['max_rss_mb']:.0f} MB |")
    if len(rows) > 1:
        (small, _, sp, sx), (large, _, lp, lx) = rows[0], rows[-1]
        factor = large / small
        print(f"\n×{factor:.0f} reports: `data` time ×{lp['seconds'] / sp['seconds']:.1f}, "
              f"`--combine` time ×{lx['seconds'] / sx['seconds']:.1f}")


if __name__ == "__main__":
    main()
