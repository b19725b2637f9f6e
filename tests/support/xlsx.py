"""Helpers shared by the workbook tests: write a workbook, read it back, parse printed figures.

The figure parser here is deliberately independent of exporter.figures, so a test compares
the workbook against the printed text, not against the code that produced it.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from exporter.writers import xlsx

EXPECTED_HEADER = [
    "指标代码", "指标名称", "数值", "数值上限", "计量单位", "取值性质", "折算数值", "折算数值上限", "基本单位",
    "统计时期", "统计口径",
    "地区", "地区代码", "章节", "原文数字", "原文摘录", "原文偏移", "原文位置", "质量标记", "备注",
    "表", "表名", "行键", "列键", "行标签", "列标签",
]
# The dimensions of a table cell: empty on the rows of figures in running text.
TABLE_COLUMNS = ["表", "表名", "行键", "列键", "行标签", "列标签"]
SHEETS = ["指标", "说明", "字段说明", "一致性核验"]

_CHINESE_DIGITS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def write_workbook(document, profile) -> tuple[bytes, list]:
    out = io.BytesIO()
    warnings = xlsx.write(document, profile, out)
    return out.getvalue(), warnings


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def records(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row)) for row in rows[1:]]


def printed_number(figure: str) -> Decimal:
    """The number a printed figure shows: "20余万人次" → 20, "53.62%" → 53.62, "两次" → 2."""
    match = re.search(r"\d+(?:\.\d+)?", figure)
    if match:
        return Decimal(match.group())
    if figure[0] == "十":
        return Decimal(10 + _CHINESE_DIGITS.get(figure[1:2], 0))
    return Decimal(_CHINESE_DIGITS[figure[0]])


def assert_clean_workbook(wb: openpyxl.Workbook, table_sheets: tuple[str, ...] = ()) -> None:
    """What makes Excel repair a file or a reader mis-type it: formulas, errors, merges, filters over tables.

    Merged cells are allowed only on `table_sheets`, the report's tables laid out as printed."""
    for ws in wb.worksheets:
        if ws.title not in table_sheets:
            assert not ws.merged_cells.ranges, ws.title
        assert ws.auto_filter.ref is None, ws.title
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type not in ("f", "e"), (ws.title, cell.coordinate, cell.value)
        for table in ws.tables.values():
            assert table.ref == ws.dimensions, (ws.title, table.ref, ws.dimensions)
            header = [c.value for c in ws[1]]
            assert [col.name for col in table.tableColumns] == header
            assert all(isinstance(h, str) for h in header)


def soffice_to_csv(xlsx_path: Path, outdir: Path, as_shown: bool = False) -> tuple[subprocess.CompletedProcess, list[Path]]:
    """Convert every sheet to UTF-8 CSV with LibreOffice, in a private user profile; raw values, or
    with `as_shown` the text each cell displays through its number format."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = outdir / "lo-profile"
    # 44 = comma, 34 = double quote, 76 = UTF-8, raw values (or as shown), -1 = every sheet.
    shown = "true" if as_shown else "false"
    csv_filter = f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,{shown},false,false,-1"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", csv_filter,
         "--outdir", str(outdir), str(xlsx_path)],
        capture_output=True, text=True, timeout=180,
    )
    return result, sorted(outdir.glob(f"{xlsx_path.stem}-*.csv"))
