"""The 版头 (份号, 密级, 紧急程度, 发文机关标志, 发文字号, 签发人) and the 版记 (抄送, 印发) of a 公文 come
back into the front matter: from the PDF this project's writer makes of the bundled 通知 and 请示,
and from `pdftotext -layout` of the same PDFs. Compared on the reader's model with the source."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from exporter.importer import import_file, import_text
from support.importing import read_back
from support.paths import ROOT
from exporter.reader import read_source

SOURCES = ("notice-example", "request-example")
FIELDS = ("title", "kind", "direction", "head", "issuer", "issuers", "issuer_mark", "copy_number", "secret",
          "secret_period", "urgency", "signers", "doc_number", "recipients", "date", "attachments", "cc",
          "printed_by", "printed_on")


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("head")
    proc = subprocess.run([sys.executable, "-m", "exporter", "pdf", "-o", str(out),
                           *(str(ROOT / "source" / f"{name}.md") for name in SOURCES)],
                          capture_output=True, text=True, cwd=out)
    assert proc.returncode == 0, proc.stderr
    for name in SOURCES:
        (out / f"{name}.txt").write_text(subprocess.run(["pdftotext", "-layout", str(out / f"{name}.pdf"), "-"],
                                                        capture_output=True, text=True, check=True).stdout)
    return out


def _fields(meta) -> dict[str, object]:
    return {key: getattr(meta, key) for key in FIELDS}


@pytest.mark.parametrize("suffix", [".pdf", ".txt"])
@pytest.mark.parametrize("name", SOURCES)
def test_the_head_and_imprint_fields_come_back(made, tmp_path, name, suffix):
    original = read_source(ROOT / "source" / f"{name}.md").document.meta
    result = import_file(made / f"{name}{suffix}")
    imported = read_back(result, tmp_path, f"{name}.md").meta
    assert _fields(imported) == _fields(original)
    # The 附注's full-width space (联系人：县司法局　张某某) prints as a gap, which a PDF does not carry
    # as a character: the text layer has none, layout text an ASCII space.
    if original.note is not None:
        assert imported.note is not None
        assert imported.note.replace(" ", "") == original.note.replace("\u3000", "")
    moved = {r.moved_to for r in result.removed if r.moved_to}
    assert "issuer_mark" in moved       # the mark is listed as moved, not lost
    proc = subprocess.run([sys.executable, "-m", "exporter", "check", f"{name}.md"], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_head_with_a_secret_level_and_a_bare_issuer_name_as_mark(tmp_path):
    text = "\n".join([
        "000345",
        "机密★1年",
        "特急",
        "某某县人民政府",
        "某政请〔2025〕7号  签发人：王某某",
        "",
        "某某县人民政府关于申请资金的请示",
        "",
        "某某市人民政府：",
        "  我县拟开展专项工作，共需经费86万元。",
        "  妥否，请批示。",
        "",
        "某某县人民政府办公室",
        "2025年4月8日",
    ])
    result = import_text(text)
    meta = read_back(result, tmp_path).meta
    assert (meta.copy_number, meta.secret, meta.secret_period, meta.urgency) == ("345", "机密", "1年", "特急")
    assert (meta.doc_number, meta.signers, meta.kind, meta.direction) == ("某政请〔2025〕7号", ("王某某",), "请示", "up")
    # The mark is not the 署名 + 文件: it is kept as printed.
    assert meta.issuer == "某某县人民政府办公室"
    assert meta.issuer_mark == ("某某县人民政府",)
    assert [p.text for p in result.paragraphs] == ["我县拟开展专项工作，共需经费86万元。", "妥否，请批示。"]


def test_a_report_that_starts_with_a_number_line_has_no_head():
    result = import_text("\n".join(["2023", "某某县2023年法治政府建设年度报告", "", "  全年办理案件12件。"]))
    assert not result.front.head and result.front.copy_number is None
    assert "2023" in [p.text for p in result.paragraphs] or "2023" in "".join(result.front.title)


def test_a_short_notice_copied_as_layout_text_gets_its_paragraphs_back(made, tmp_path):
    """A one-page 通知 has fewer full lines than a report; its indents still mark where paragraphs
    start, so its wrapped lines are rejoined as a report's are."""
    from support.importing import body_lines

    original = read_source(ROOT / "source" / "notice-example.md").document
    result = import_file(made / "notice-example.txt")
    body = body_lines(original)
    # The notice's own body; its two attachments follow in the draft as plain text (the importer
    # does not rebuild `::: attachment` blocks yet).
    assert original.attachments and body_lines(read_back(result, tmp_path, "notice-example.md"))[:len(body)] == body
