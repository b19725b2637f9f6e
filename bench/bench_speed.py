"""Benchmarks of issue 17 (speed): each sub-command prints README table rows.

Run from the project root:  .venv/bin/python bench/bench_speed.py [all|batch|check|watch|linear|every] [--runs 5]

* all    — `exporter all` on the seed, cold process, fonts cached, against pandoc (md → docx) +
           LibreOffice (docx → pdf) on the same text, interleaved run by run; median of --runs.
* batch  — 40 copies of the seed with -j 2: reports per second.
* check  — `exporter check` on the seed, cold process.
* watch  — re-export of the seed after a save, in a warm `exporter watch`.
* linear — the seed ×1, ×10, ×100: time and peak RSS.

Every measurement is a fresh `python -m exporter` (bytecode compiled once beforehand, as an
installed package is; PYTHONDONTWRITEBYTECODE is cleared for the children). On a shared
machine quote the ratios: they are measured side by side and move much less than seconds.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "yaoan-2021.md"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
EXPORTER = [sys.executable, "-m", "exporter", "-q"]


def timed(cmd: list[str], cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=cwd, env=ENV)
    return time.perf_counter() - started


def timed_rss(cmd: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one child."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {cmd}")
    return seconds, usage.ru_maxrss / 1024


def warm_up(tmp: Path) -> None:
    """Compile the bytecode and fill the font cache, as on a machine that has run exporter once."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], env=ENV, check=True)
    timed([*EXPORTER, "all", str(SEED), "-o", str(tmp / "warm")])


def bench_all(tmp: Path, runs: int) -> list[tuple[str, str]]:
    ours, theirs = [], []
    have_reference = shutil.which("pandoc") and shutil.which("soffice")
    for _ in range(runs):
        ours.append(timed([*EXPORTER, "all", str(SEED), "-o", str(tmp / "ours")]))
        if have_reference:
            docx = tmp / "pandoc.docx"
            t = timed(["pandoc", str(SEED), "-o", str(docx)], tmp)
            t += timed(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(docx)], tmp)
            theirs.append(t)
    rows = [("`exporter all` on the seed, cold process, fonts cached (median)", f"{statistics.median(ours):.2f} s")]
    if theirs:
        ratio = statistics.median(o / t for o, t in zip(ours, theirs))
        rows.append(("pandoc → .docx + `soffice --convert-to pdf`, same text (median)",
                     f"{statistics.median(theirs):.2f} s"))
        rows.append(("ratio, run by run (median)", f"{ratio:.2f} (target ≤ 0.5)"))
    return rows


def bench_batch(tmp: Path, runs: int, count: int = 40) -> list[tuple[str, str]]:
    batch = tmp / "batch"
    batch.mkdir(exist_ok=True)
    for k in range(count):
        shutil.copy(SEED, batch / f"copy-{k:02d}.md")
    seconds = statistics.median(timed([*EXPORTER, "all", str(batch), "-o", str(tmp / "batch-out"), "-j", "2"])
                                for _ in range(max(1, runs // 2)))
    return [(f"batch of {count} seeds, `-j 2`", f"{seconds:.2f} s, {count / seconds:.1f} reports/s (target ≥ 10)")]


def bench_check(tmp: Path, runs: int) -> list[tuple[str, str]]:
    seconds = statistics.median(timed([*EXPORTER, "check", str(SEED)]) for _ in range(runs))
    return [("`exporter check` on the seed, cold process (median)", f"{seconds:.3f} s (target ≤ 0.15)")]


def bench_watch(tmp: Path, runs: int) -> list[tuple[str, str]]:
    """Saves the seed (a changed sentence each time) and times until the manifest says the new
    outputs are in place; the manifest is rewritten last, in the same commit as the outputs."""
    folder = tmp / "watch"
    folder.mkdir(exist_ok=True)
    source = folder / "seed.md"
    text = SEED.read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    manifest = folder / "out" / ".exporter-manifest.json"
    proc = subprocess.Popen([*EXPORTER, "watch", "seed.md", "-o", "out"], cwd=folder, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    try:
        def wait_change(previous: bytes | None) -> bytes:
            deadline = time.monotonic() + 300
            while True:
                try:
                    now = manifest.read_bytes()
                    if now != previous and b"seed.xlsx" in now:
                        return now
                except OSError:
                    pass
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("watch did not export")
                time.sleep(0.005)

        seen = wait_change(None)
        for k in range(runs):
            started = time.perf_counter()
            source.write_text(text.replace("2021年，", f"2021年（第{k + 1}次保存），", 1), encoding="utf-8")
            seen = wait_change(seen)
            times.append(time.perf_counter() - started)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait()
    return [("`exporter watch`: a save of the seed to its outputs in place (median)",
             f"{statistics.median(times):.2f} s (target ≤ 0.3; includes up to 0.1 s of polling)")]


def repeated_source(times: int, folder: Path) -> Path:
    """The seed with its body repeated `times` times, ids and check names made unique per copy."""
    text = SEED.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    front = re.sub(r"\nchecks:\n(?:[ -].*\n)*", "\n", "\n" + front).lstrip("\n")
    copies = [re.sub(r"\{#([a-z0-9_]+)", lambda m: "{#" + f"{m.group(1)[:34]}_r{k}", body) for k in range(times)]
    path = folder / f"seed-x{times}.md"
    path.write_text("---\n" + front + "---\n" + "\n".join(copies), encoding="utf-8")
    return path


def bench_linear(tmp: Path, runs: int) -> list[tuple[str, str]]:
    rows = []
    for times in (1, 10, 100):
        seconds, rss = timed_rss([*EXPORTER, "all", str(repeated_source(times, tmp)), "-o", str(tmp / "linear")])
        rows.append((f"seed ×{times}: time, peak RSS", f"{seconds:.2f} s, {rss:.0f} MB"
                     + (" (target ≤ 15 s, ≤ 400 MB)" if times == 100 else "")))
    return rows


BENCHES = {"all": bench_all, "batch": bench_batch, "check": bench_check, "watch": bench_watch,
           "linear": bench_linear}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="*", default=["every"], choices=[*BENCHES, "every"])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    chosen = list(BENCHES) if "every" in args.which else args.which
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        warm_up(tmp)
        rows = [row for which in chosen for row in BENCHES[which](tmp, args.runs)]
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, load average {load:.1f} at the end, Python {sys.version.split()[0]}\n")
    print("| measurement | result |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
