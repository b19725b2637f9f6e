"""Measuring a produced PDF: text lines by baseline, fonts, rules, colour operators.

Used by the PDF tests; tests/writers/pdf/test_support.py checks the helpers themselves on a
PDF drawn with plain reportlab, where every position is known.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdf
import pytest

# The 版心 of GB/T 9704 in PDF points, top-left origin (the reference material shared/spec/gbt9704.md §0.4).
PAGE_W, PAGE_H = 595.276, 841.890
LEFT, RIGHT, TOP, BOTTOM = 79.370, 521.575, 104.882, 742.677
PITCH = 637.795 / 22
CELL = 442.205 / 28
# Line-breaking classes from the issue (GB/T 15834, clreq), kept here independent of the writer.
NO_START = set("，。、；：？！）》」』”’…—%％‰")
NO_END = set("（《「『“‘〔")
WORD = re.compile(r"[0-9A-Za-z.%]")


@dataclass
class TextLine:
    page: int          # 1-based
    baseline: float    # from the page top
    chars: list[dict]

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]

    @property
    def size(self) -> float:
        return round(max(c["size"] for c in self.chars), 2)

    def fonts(self) -> set[str]:
        return {c["fontname"].split("+", 1)[-1] for c in self.chars}


def text_lines(pdf_bytes: bytes) -> list[TextLine]:
    """Every line of text, in page order and top to bottom; chars of one baseline left to right."""
    lines: list[TextLine] = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            rows: dict[float, list[dict]] = {}
            for char in page.chars:
                baseline = round(page.height - char["matrix"][5], 2)
                rows.setdefault(baseline, []).append(char)
            for baseline in sorted(rows):
                chars = sorted(rows[baseline], key=lambda c: c["x0"])
                lines.append(TextLine(number, baseline, chars))
    return lines


def body_lines(lines: list[TextLine], size: float = 16.0) -> list[TextLine]:
    """Lines of body-size text inside the 版心."""
    return [ln for ln in lines if abs(ln.size - size) < 0.05 and TOP <= ln.baseline <= BOTTOM]


def page_count(pdf_bytes: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages)


def rules(pdf_bytes: bytes, page_number: int) -> list[dict]:
    """Horizontal stroked lines of a page: y from the top, x0, x1, thickness."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[page_number - 1]
        return [{"y": ln["top"], "x0": ln["x0"], "x1": ln["x1"], "width": ln["linewidth"]} for ln in page.lines]


def content_operators(pdf_bytes: bytes) -> list[tuple[list[str], str]]:
    """(operands, operator) of every page's content stream, strings skipped."""
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    found = []
    for page in reader.pages:
        data = page.get_contents().get_data().decode("latin-1")
        data = re.sub(r"\((?:\\.|[^\\)])*\)", "()", data)
        operands: list[str] = []
        for token in re.findall(r"/[^\s/\[\]()<>]+|\[|\]|\(\)|<[0-9A-Fa-f]*>|[^\s/\[\]()<>]+", data):
            if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", token) or token.startswith(("/", "(", "<", "[", "]")):
                operands.append(token)
            else:
                found.append((operands, token))
                operands = []
    return found


def pdffonts(path: Path) -> list[dict]:
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in output.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object-id gen: the flags are the 5th..3rd from the end
        rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5], "sub": parts[-4],
                     "uni": parts[-3]})
    return rows


def ink_rows(pdf_path: Path, page_number: int, box: tuple[float, float, float, float], dpi: int = 600) -> tuple[float, float] | None:
    """Top and bottom (pt from the page top) of the dark pixels inside `box` (x0, top, x1, bottom)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    scale = dpi / 72.0
    x0, top, x1, bottom = box
    args = ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page_number), "-l", str(page_number),
            "-x", str(int(x0 * scale)), "-y", str(int(top * scale)),
            "-W", str(int((x1 - x0) * scale)), "-H", str(int((bottom - top) * scale)), str(pdf_path)]
    pgm = subprocess.run(args, capture_output=True, check=True).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", pgm)
    width, height = int(header.group(1)), int(header.group(2))
    pixels = pgm[header.end():]
    dark = [r for r in range(height) if min(pixels[r * width:(r + 1) * width]) < 128]
    if not dark:
        return None
    return (int(top * scale) + dark[0]) / scale, (int(top * scale) + dark[-1] + 1) / scale


def write_pdf(document, profile) -> bytes:
    from exporter.writers.pdf import write

    out = io.BytesIO()
    write(document, profile, out)
    return out.getvalue()


def read_markdown(folder: Path, text: str, name: str = "doc.md"):
    from exporter.reader import read_source

    path = folder / name
    path.write_text(text, encoding="utf-8")
    result = read_source(path)
    return result.document, result.profile


SENTENCES = (
    "全面推进依法行政，加快建设法治政府",
    "深入贯彻落实《法治政府建设实施纲要（2021—2025年）》",
    "全年办理行政复议案件12件，办结率达100%",
    "“放管服”改革持续深化，“一门”进驻率达99.91%",
    "组织开展行政执法案卷评查，评查案卷160卷",
    "推动“互联网+监管”系统应用，覆盖率达71.52%",
    "建立健全重大行政决策程序制度——确保决策科学、民主、依法",
    "通过微信群、QQ群、朋友圈等多渠道开展宣传，受教育群众达20余万人次",
    "落实行政执法公示、执法全过程记录、重大执法决定法制审核“三项制度”",
    "坚持问题导向……切实解决群众反映强烈的突出问题",
    "单个事项办理时限压缩56.75%以上，即办件比例达36.48%",
    "加强行政规范性文件（含政策措施）合法性审核",
)


def long_markdown(paragraphs: int = 60, seed: int = 7) -> str:
    """A deterministic multi-page report: four heading levels, run-in headings, varied lines."""
    parts = ["---", "title: 某某县人民政府关于2024年度法治政府建设情况的报告", "issuer: 某某县人民政府",
             "date: 2025-01-20", "recipients: 某某市人民政府：", "note: 此件公开发布",
             "cc: [市委依法治市办, 市司法局]", "printed_by: 某某县人民政府办公室", "printed_on: 2025-01-20",
             "---", ""]
    state = seed
    for k in range(paragraphs):
        if k % 12 == 0:
            parts.append(f"# 第{k // 12 + 1}部分主要工作\n")
        elif k % 12 == 3:
            parts.append("## 加强组织领导。\n")
        elif k % 12 == 6:
            parts.append("## 严格规范公正文明执法\n")
        elif k % 12 == 8:
            parts.append("### 案卷评查\n")
        elif k % 12 == 9:
            parts.append("#### 评查结果\n")
        sentences = []
        for _ in range(1 + state % 5):
            state = (state * 1103515245 + 12345) % 2**31
            sentences.append(SENTENCES[state % len(SENTENCES)])
        ends = "。；！？"
        parts.append("，".join(sentences) + ends[state % 4 if k % 5 == 0 else 0] + "\n")
    return "\n".join(parts)
