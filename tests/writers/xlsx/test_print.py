"""The workbook prints: every sheet A4 landscape, one page wide, header row on every page (issue 16)."""

from __future__ import annotations

from click.testing import CliRunner

from exporter.cli import main
from support.paths import FIXTURES
from support.xlsx import load


def test_every_sheet_has_a_print_setup(seed_read):
    from support.xlsx import write_workbook

    document, profile = seed_read
    data, _ = write_workbook(document, profile)
    wb = load(data)
    for ws in wb:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True, ws.title
        assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0), ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.oddHeader.center.text == "姚安县2021年法治政府建设年度报告", ws.title
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页", ws.title
    header = [c.value for c in wb["指标"][1]]
    quote = wb["指标"].cell(row=2, column=header.index("原文摘录") + 1)
    assert quote.alignment.wrap_text


def test_a_panel_prints_too_and_refuses_beyond_excels_rows(tmp_path, monkeypatch):
    source = FIXTURES / "full-furniture.md"
    target = tmp_path / "panel.xlsx"
    result = CliRunner().invoke(main, ["xlsx", "--combine", str(target), str(source)])
    assert result.exit_code == 0, result.output
    wb = load(target.read_bytes())
    assert all(ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape" for ws in wb)
    assert wb["宽表"].oddHeader.center.text == "数值指标面板（1 份报告）"
    import exporter.cli

    monkeypatch.setattr(exporter.cli, "EXCEL_MAX_ROWS", 10)
    refused = CliRunner().invoke(main, ["xlsx", "--combine", str(tmp_path / "big.xlsx"), str(source)])
    assert refused.exit_code == 4
    assert "Excel opens at most 10" in refused.output and "exporter data SOURCE... -o DIR" in refused.output
    assert not (tmp_path / "big.xlsx").exists()
