#!/usr/bin/env python3
"""Compare the tool's PDF with LibreOffice's rendering of the .docx: do they break lines and pages alike?

    scripts/compare_renderings.py SOURCE.md|TEXT.txt|DIR ... [--profile NAME] [-o DIR] [--cache DIR] [-v]
    scripts/compare_renderings.py --pdf TOOL.pdf OTHER.pdf [-v]

A .txt (last year's text, such as tests/fixtures/corpus/*.txt) is first turned into a source with
`exporter import`. For each source it runs `exporter all`, converts the .docx with `soffice --convert-to pdf` (the
render is cached by the .docx's SHA-256, so an unchanged .docx is never rendered twice) and
prints one row per document:

* pages: tool / LibreOffice;
* starts: pages whose first characters are the same (out of the larger page count);
* ends: line ends at the same place in the text (out of the larger line count);
* missing: characters one file draws and the other does not (tool → LO, LO → tool).

Text is read with pdfplumber: every drawn character in the 版心 (the page numbers below it are
left out), blanks dropped, lines grouped by the glyphs' bottom edge. The two character streams
are aligned (a mark one file fails to draw does not shift what follows), then a line end of one
file matches when the other file ends a line right after the same character.
With -v, each page that starts differently is followed by the first line end where the two files
parted since the last page that started alike (both files' lines there), and the last line of
the page before in each file. Exit status 1 when a document misses one of the targets given with
--require-*.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

# Characters below this (pt from the page top) are page furniture (the "— N —" line):
# the 版心 ends at 742.7 pt, the page number's glyphs start at about 751 pt.
TEXT_BOTTOM = 748.0
# Glyphs whose bottoms are this close (pt) belong to one line (LibreOffice's baselines differ by font).
SAME_LINE = 2.0
# Characters one file writes for another: the .docx writes the 破折号 "——" as "――" (U+2015), which
# no renderer splits across lines; the text is the same.
SAME_TEXT = str.maketrans({"\u2015": "\u2014"})
# How many characters of a page's start must agree.
START_CHARS = 10


@dataclass(frozen=True)
class Rendering:
    """A PDF as text: the lines of each page, blanks removed."""

    pages: tuple[tuple[str, ...], ...]

    @property
    def lines(self) -> list[str]:
        return [line for page in self.pages for line in page]


def read_rendering(pdf_path: Path, text_bottom: float = TEXT_BOTTOM) -> Rendering:
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            rows: list[list[dict]] = []
            chars = [c for c in page.chars if not c["text"].isspace() and c["bottom"] <= text_bottom]
            for char in sorted(chars, key=lambda c: (c["bottom"], c["x0"])):
                if rows and abs(rows[-1][0]["bottom"] - char["bottom"]) < SAME_LINE:
                    rows[-1].append(char)
                else:
                    rows.append([char])
            lines = ["".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])).translate(SAME_TEXT)
                     for row in rows]
            pages.append(tuple(line for line in lines if line))
    return Rendering(tuple(pages))


def align(a: str, b: str, window: int = 60, anchor: int = 6) -> list[tuple[int, int]]:
    """Pairs (i, j) of equal characters of `a` and `b` in order, for two streams that are nearly
    the same text: walk both, and where they differ, skip the fewest characters (of either) after
    which `anchor` characters agree again. Linear in the length for near-identical streams."""
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            pairs.append((i, j))
            i += 1
            j += 1
            continue
        best = None
        for total in range(1, 2 * window + 1):
            for di in range(max(0, total - window), min(total, window) + 1):
                dj = total - di
                if a[i + di:i + di + anchor] == b[j + dj:j + dj + anchor] and i + di < len(a) and j + dj < len(b):
                    best = (di, dj)
                    break
            if best:
                break
        if best is None:
            i += 1
            j += 1
            continue
        i, j = i + best[0], j + best[1]
    return pairs


@dataclass(frozen=True)
class Comparison:
    name: str
    pages: tuple[int, int]
    same_starts: int
    lines: tuple[int, int]
    same_ends: int
    missing_in_other: str       # drawn by the first file only
    missing_in_first: str       # drawn by the second file only

    @property
    def start_ratio(self) -> float:
        return self.same_starts / max(self.pages) if max(self.pages) else 1.0

    @property
    def end_ratio(self) -> float:
        return self.same_ends / max(self.lines) if max(self.lines) else 1.0


def compare(name: str, first: Rendering, second: Rendering) -> Comparison:
    starts = sum(1 for p, q in zip(first.pages, second.pages)
                 if "".join(p)[:START_CHARS] == "".join(q)[:START_CHARS])
    a_lines, b_lines = first.lines, second.lines
    a, b = "".join(a_lines), "".join(b_lines)
    a_ends = _ends(a_lines)
    b_ends = _ends(b_lines)
    pairs = align(a, b)
    matched_a = {i for i, _ in pairs}
    matched_b = {j for _, j in pairs}
    same_ends = sum(1 for i, j in pairs if i in a_ends and j in b_ends)
    return Comparison(
        name, (len(first.pages), len(second.pages)), starts, (len(a_lines), len(b_lines)), same_ends,
        "".join(ch for k, ch in enumerate(a) if k not in matched_a),
        "".join(ch for k, ch in enumerate(b) if k not in matched_b),
    )


def _ends(lines: list[str]) -> set[int]:
    """Stream index of each line's last character."""
    ends, total = set(), 0
    for line in lines:
        total += len(line)
        ends.add(total - 1)
    return ends


def differing_starts(name: str, first: Rendering, second: Rendering) -> str:
    """For each page that starts differently: where the two files first parted since the last page
    that started alike, as the first line (of either file) whose end the other does not share,
    with both files' lines there and their page numbers."""
    a_lines, b_lines = first.lines, second.lines
    a, b = "".join(a_lines), "".join(b_lines)
    a_ends, b_ends = _ends(a_lines), _ends(b_lines)
    pairs = align(a, b)
    to_b = dict(pairs)
    to_a = {j: i for i, j in pairs}
    a_where = _locations(first)            # stream index -> (page, line in stream)
    b_where = _locations(second)
    a_page_start = _page_starts(first)
    report = []
    last_alike = 0
    for page, (p, q) in enumerate(zip(first.pages, second.pages)):
        if "".join(p)[:START_CHARS] == "".join(q)[:START_CHARS]:
            last_alike = page
            continue
        since = a_page_start[last_alike]
        differing = sorted(
            [i for i in a_ends if i >= since and to_b.get(i) not in b_ends]
            + [to_a[j] for j in b_ends if j in to_a and to_a[j] >= since and to_a[j] not in a_ends])
        report.append(f"{name} page {page + 1}: tool starts {''.join(p)[:START_CHARS]!r}, "
                      f"LO {''.join(q)[:START_CHARS]!r}")
        if differing:
            i = differing[0]
            a_page, a_line = a_where[i]
            j = to_b.get(i, max((jj for ii, jj in pairs if ii <= i), default=0))
            b_page, b_line = b_where[j]
            report.append(f"  first line end apart: tool p{a_page + 1} {a_lines[a_line]!r}")
            report.append(f"                        LO   p{b_page + 1} {b_lines[b_line]!r}")
        else:
            report.append("  every line end alike: the page break itself differs")
            # The last line of the previous page in both files.
        for label, rendering in (("tool", first), ("LO", second)):
            if page > 0:
                prev = rendering.pages[page - 1]
                report.append(f"  {label:4} p{page} ends with {len(prev)} lines: …{prev[-1][-12:] if prev else ''!r}")
    return "\n".join(report)


def _locations(rendering: Rendering) -> dict[int, tuple[int, int]]:
    where, index, line_no = {}, 0, 0
    for page_no, page in enumerate(rendering.pages):
        for line in page:
            for _ in line:
                where[index] = (page_no, line_no)
                index += 1
            line_no += 1
    return where


def _page_starts(rendering: Rendering) -> list[int]:
    starts, index = [], 0
    for page in rendering.pages:
        starts.append(index)
        index += sum(len(line) for line in page)
    return starts


def table(rows: list[Comparison]) -> str:
    head = ("| document | pages tool / LO | page starts alike | line ends alike | not drawn by LO | not drawn by tool |\n"
            "|---|---|---|---|---|---|")
    body = []
    for r in rows:
        body.append(f"| {r.name} | {r.pages[0]} / {r.pages[1]} | {r.same_starts} / {max(r.pages)} "
                    f"({100 * r.start_ratio:.0f} %) | {r.same_ends} / {max(r.lines)} ({100 * r.end_ratio:.1f} %) | "
                    f"{_shown(r.missing_in_other)} | {_shown(r.missing_in_first)} |")
    return "\n".join([head, *body])


def _shown(chars: str) -> str:
    return f"{len(chars)} `{chars[:20]}`" if chars else "0"


# -- making the files -------------------------------------------------------------------------

def render_docx(docx: Path, cache: Path) -> Path:
    """LibreOffice's PDF of a .docx, from the cache when this exact .docx was rendered before."""
    digest = hashlib.sha256(docx.read_bytes()).hexdigest()[:24]
    cached = cache / f"{digest}.pdf"
    if cached.exists():
        return cached
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("compare_renderings: LibreOffice (soffice) is not installed")
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        source = work_dir / f"{digest}.docx"
        shutil.copyfile(docx, source)
        subprocess.run([soffice, f"-env:UserInstallation={(cache / 'lo-profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(work_dir), str(source)],
                       check=True, capture_output=True, timeout=600)
        shutil.move(work_dir / f"{digest}.pdf", cached)
    return cached


def export(sources: list[Path], out: Path, profile: str | None) -> list[Path]:
    exporter = Path(sys.executable).with_name("exporter")
    program = str(exporter) if exporter.exists() else "exporter"
    texts = [s for s in sources if s.suffix == ".txt"]
    if texts:
        imported = out / "imported"
        subprocess.run([program, "-q", "import", *map(str, texts), "-o", str(imported)], check=True)
        sources = [imported / f"{s.stem}.md" if s.suffix == ".txt" else s for s in sources]
    command = [program, "-q", "all", *map(str, sources), "-o", str(out)]
    if profile:
        command[3:3] = ["--profile", profile]
    subprocess.run(command, check=True)
    stems = []
    for source in sources:
        stems.extend(sorted(source.glob("*.md")) if source.is_dir() else [source])
    return [out / f"{s.stem}.pdf" for s in stems]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", type=Path)
    parser.add_argument("--pdf", nargs=2, type=Path, metavar=("TOOL", "OTHER"), help="compare two PDFs")
    parser.add_argument("--profile", help="profile for `exporter all` (e.g. gbt9704-libreoffice)")
    parser.add_argument("-o", "--out", type=Path, help="where the outputs go (default: a temporary folder)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "exporter-lo-renders")
    parser.add_argument("-v", "--detail", action="store_true",
                        help="for each page that starts differently, the first line end apart before it")
    parser.add_argument("--require-starts", type=float, default=0.0, help="minimum share of page starts alike")
    parser.add_argument("--require-ends", type=float, default=0.0, help="minimum share of line ends alike")
    args = parser.parse_args(argv)
    details: list[str] = []
    if args.pdf:
        tool, other = read_rendering(args.pdf[0]), read_rendering(args.pdf[1])
        rows = [compare(args.pdf[0].stem, tool, other)]
        if args.detail:
            details.append(differing_starts(args.pdf[0].stem, tool, other))
    elif args.sources:
        out = args.out or Path(tempfile.mkdtemp(prefix="compare-renderings-"))
        rows = []
        for pdf in export(args.sources, out, args.profile):
            lo_pdf = render_docx(pdf.with_suffix(".docx"), args.cache)
            tool, other = read_rendering(pdf), read_rendering(lo_pdf)
            rows.append(compare(pdf.stem, tool, other))
            if args.detail:
                details.append(differing_starts(pdf.stem, tool, other))
    else:
        parser.error("give sources or --pdf TOOL OTHER")
    print(table(rows))
    for detail in details:
        if detail:
            print(detail)
    failed = [r.name for r in rows if r.pages[0] != r.pages[1] or r.start_ratio < args.require_starts
              or r.end_ratio < args.require_ends or r.missing_in_other or r.missing_in_first]
    if args.require_starts or args.require_ends:
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
