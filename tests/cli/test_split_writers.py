"""A source exported alone has its PDF written in a forked process beside the .docx and the
.xlsx (issue 17). The files, the diagnostics and their order must be those of one process, and
a PDF process that dies must cost nothing: no output replaced, a located error."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from exporter import pipeline
from exporter.diagnostics import InternalError
from support.paths import ROOT

FORMATS = ["docx", "pdf", "xlsx"]
SOURCES = ["yaoan-2021", "gov-info-2023", "notice-example"]


def export(source: Path, folder: Path, split: bool) -> tuple[dict[str, bytes], list[str]]:
    document, profile, _warnings = pipeline.read(source)
    said: list = []
    written = pipeline.write_outputs(document, profile, FORMATS, folder, said, split=split)
    assert [p.suffix[1:] for p in written] == FORMATS
    return {p.name: p.read_bytes() for p in written}, [str(d) for d in said]


@pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2, reason="the split needs fork and two cores")
@pytest.mark.parametrize("stem", SOURCES)
def test_split_and_single_process_write_the_same_files_and_say_the_same(tmp_path, stem):
    source = ROOT / "source" / f"{stem}.md"
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    alone = export(source, tmp_path / "one", split=False)
    split = export(source, tmp_path / "two", split=True)
    assert split == alone


@pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2, reason="the split needs fork and two cores")
def test_a_pdf_process_that_dies_replaces_nothing(tmp_path, monkeypatch):
    source = ROOT / "source" / "yaoan-2021.md"
    before, _ = export(source, tmp_path, split=True)
    real_get_writer = pipeline.get_writer

    def dying(fmt):
        if fmt == "pdf":
            return lambda *_args: os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
        return real_get_writer(fmt)

    monkeypatch.setattr(pipeline, "get_writer", dying)
    document, profile, _ = pipeline.read(source)
    with pytest.raises(InternalError) as failure:
        pipeline.write_outputs(document, profile, FORMATS, tmp_path, [], split=True)
    assert "yaoan-2021.pdf" in str(failure.value) and "without a result" in str(failure.value)
    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".exporter-") and p.suffix == ".tmp") == []
