"""`exporter import` on every real text of the reference material shared/corpus (copied to tests/fixtures/corpus) and on
the seed: import, re-read with no errors, `exporter all`, and nothing lost.

Expectations are read off the texts by hand (see the reference material shared/corpus/INDEX.md): which input lines
are dropped as furniture or boilerplate, which move into the front matter, and how many
headings each level has.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from support.paths import FIXTURES
from exporter.cli import main
from exporter.importer import import_file
from exporter.pipeline import read
from exporter.writers import available_formats
from support.importing import (
    docx_text, expected_body_chars, han, is_subsequence, model_body_chars,
)

CORPUS = FIXTURES / "corpus"
FOOTER_03 = set(range(271, 282)) | {288, 289, 290, 308, 309, 310, 311}
FOOTER_04 = set(range(214, 225)) | {231, 232, 233, 251, 252, 253, 254}

EXPECTED = {
    "01_yunnan-gov-work-report-2025": dict(
        title="2025年云南省政府工作报告", date=dt.date(2025, 1, 18), dropped={2},
        moved={1: "title", 3: "date, note", 4: "issuer", 5: "recipients"},
        # the 44 名词解释 entries ("1.“两重”：…。") and the ten 附件 items keep their numbers
        levels=(3, 22, 0, 0), kept=54,
    ),
    "03_state-council-gov-work-report-2021": dict(
        title="政府工作报告", date=dt.date(2021, 3, 5), dropped=FOOTER_03,
        moved={8: "title", 9: "title", 14: "date, note", 18: "issuer", 19: "issuer", 24: "recipients"},
        levels=(3, 15, 0, 0), kept=0,
    ),
    "04_state-council-budget-report-1956": dict(
        title="（标题待补）", date=None, dropped=FOOTER_04, moved={1: "recipients"}, levels=(3, 0, 0, 0), kept=0,
    ),
    "05_baotou-digital-gov-assessment-notice-2022": dict(
        title="包头市人民政府办公室关于印发《包头市2022年数字政府建设考评办法》的通知", date=dt.date(2022, 4, 14),
        dropped={1, 2, 4}, moved={3: "title", 5: "doc_number", 6: "recipients", 8: "date"},
        levels=(4, 4, 0, 0), kept=124,  # the scoring annex keeps 一、（一）1．…87．
    ),
    "06_aba-gov-data-measures-notice-2021": dict(
        title="阿坝州人民政府办公室关于印发《阿坝州政务数据资源管理暂行办法》的通知", date=dt.date(2021, 10, 11),
        dropped={1, 2, 4}, moved={3: "title", 5: "doc_number", 6: "recipients", 8: "issuer", 9: "date"},
        levels=(9, 0, 0, 0), kept=0,
    ),
    "09_gansu-gov-work-report-2025": dict(
        title="2025年甘肃省政府工作报告", date=dt.date(2025, 1, 20), dropped={2},
        moved={1: "title", 3: "date, note", 4: "issuer", 5: "recipients"},
        levels=(3, 14, 0, 0), kept=0,
    ),
    "yaoan-2021": dict(title="（标题待补）", date=None, dropped=set(), moved={}, levels=(4, 15, 0, 0), kept=0),
}
NAMES = sorted(EXPECTED)
# Warnings an imported text may still carry; a punctuation or spacing warning would mean the
# clean-up missed something.
ALLOWED_WARNINGS = re.compile(r"^(share above 100%|figure '.*' looks like a statistic but is not tagged)")


@pytest.fixture(scope="session")
def imported_corpus(tmp_path_factory):
    """Each text imported once, its source written, then `exporter all` once over all of them."""
    folder = tmp_path_factory.mktemp("import-corpus")
    sources, outputs = folder / "source", folder / "output"
    sources.mkdir()
    results = {}
    for name in NAMES:
        result = import_file(CORPUS / f"{name}.txt")
        (sources / f"{name}.md").write_text(result.markdown, encoding="utf-8")
        results[name] = result
    run = CliRunner().invoke(main, ["-q", "all", *(str(sources / f"{n}.md") for n in NAMES), "-o", str(outputs)])
    return results, sources, outputs, run


def test_the_fixtures_are_the_published_texts_unchanged():
    """The copies must stay byte-identical to the texts as published (hashes taken when copied)."""
    import hashlib

    sums = dict(line.split()[::-1] for line in (CORPUS / "SHA256SUMS").read_text().splitlines())
    assert sorted(sums) == sorted(f"{name}.txt" for name in NAMES)
    for file, digest in sums.items():
        assert hashlib.sha256((CORPUS / file).read_bytes()).hexdigest() == digest, file


@pytest.mark.parametrize("name", NAMES)
def test_import_recognises_the_front_matter_and_structure(name, imported_corpus):
    results, *_ = imported_corpus
    result, expected = results[name], EXPECTED[name]
    assert "".join(result.front.title) == expected["title"]
    assert result.front.date == expected["date"]
    assert {n for r in result.removed if r.moved_to is None for n in r.origin} == expected["dropped"]
    assert {r.origin[0]: r.moved_to for r in result.removed if r.moved_to} == expected["moved"]
    levels = tuple(sum(1 for h in result.headings if h.level == level) for level in range(1, 5))
    assert levels == expected["levels"]
    assert sum(1 for p in result.paragraphs if p.kept_number) == expected["kept"]


@pytest.mark.parametrize("name", NAMES)
def test_the_source_reads_back_with_no_errors_and_only_expected_warnings(name, imported_corpus):
    results, sources, *_ = imported_corpus
    document, _profile, warnings = read(sources / f"{name}.md")
    assert [d.message for d in warnings if not ALLOWED_WARNINGS.match(d.message)] == []
    assert len(document.indicators) == len(results[name].figures) > 0
    assert {i.note for i in document.indicators} == {"待核：自动识别"}
    assert all(i.name.strip() for i in document.indicators)


@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_lost_in_the_source(name, imported_corpus):
    results, sources, *_ = imported_corpus
    raw = (CORPUS / f"{name}.txt").read_bytes().decode("utf-8-sig")
    document, _profile, _warnings = read(sources / f"{name}.md")
    expected = expected_body_chars(raw, results[name])
    assert len(expected) > 2000
    assert model_body_chars(document) == expected
    # What moved to the front matter is there, character for character.
    meta = document.meta
    for removed in results[name].removed:
        if removed.moved_to is None:
            continue
        held = "".join(str(getattr(meta, key.strip()) or "") for key in removed.moved_to.split(","))
        if removed.moved_to == "date":
            assert meta.date is not None and f"{meta.date.year}年{meta.date.month}月{meta.date.day}日" == removed.text
        else:
            assert is_subsequence(han(removed.text), han(held))[0], (removed.text, held)


def test_export_all_writes_every_format_of_every_imported_text(imported_corpus):
    _results, _sources, outputs, run = imported_corpus
    assert run.exit_code == 0, run.output
    for name in NAMES:
        for fmt in available_formats():
            path = outputs / f"{name}.{fmt}"
            assert path.stat().st_size > 1000, path


@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_lost_in_the_docx(name, imported_corpus):
    results, _sources, outputs, run = imported_corpus
    if "docx" not in available_formats():
        pytest.skip("the Word writer is not installed")
    raw = (CORPUS / f"{name}.txt").read_bytes().decode("utf-8-sig")
    expected = expected_body_chars(raw, results[name])
    ok, found = is_subsequence(expected, han(docx_text(outputs / f"{name}.docx")))
    assert ok, f"only the first {found} of {len(expected)} characters appear in order in the .docx"


@pytest.mark.parametrize("name", NAMES)
def test_the_workbook_lists_every_indicator(name, imported_corpus):
    import openpyxl

    results, _sources, outputs, _run = imported_corpus
    if "xlsx" not in available_formats():
        pytest.skip("the Excel writer is not installed")
    workbook = openpyxl.load_workbook(outputs / f"{name}.xlsx", read_only=True)
    cells = {value for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for value in row}
    assert {f.id for f in results[name].figures} <= cells


def test_import_is_deterministic():
    name = "03_state-council-gov-work-report-2021"
    first = import_file(CORPUS / f"{name}.txt").markdown
    assert import_file(CORPUS / f"{name}.txt").markdown == first
