"""One workbook for several reports (years or counties): a long table and a wide one.

The long 指标 sheet stacks every report's rows, keyed by (地区代码, 统计时期, 指标代码). The
wide sheet puts indicators in rows and periods (or regions) in columns, with the 折算数值,
so "20万人次" in one year and "198000人次" in another line up. An indicator code that
reports name or measure differently, or a key two reports both claim, becomes a check on
the 一致性核验 sheet, flags the rows concerned and is returned as a warning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO, Sequence

from openpyxl import Workbook

from ... import __version__
from ...diagnostics import Diagnostic
from ...model import CheckResult, CheckStatus, Document, Qualifier
from ...profile import Profile
from ...timestamps import document_datetime
from . import TABLES_NOTE, UNIT_CONVENTIONS, sheet_list
from .cells import CellStyle, Warnings, number_format, printed_decimals
from .columns import QUALITY_FAILED, QUALITY_PASSED, QUALITY_UNVERIFIED, Row, indicator_rows
from .package import GENERATOR, save, set_properties
from .sheets import (Cell, Sheet, check_cells, write_checks_sheet, write_data_sheet, write_dictionary_sheet,
                          write_readme_sheet, write_table)

UNSPECIFIED = "未注明"
PANEL_ORIGIN = "跨报告"


@dataclass(frozen=True)
class Entry:
    """An indicator as one report gives it, with the report's key."""

    document: Document
    indicator_id: str
    name: str
    unit: str
    base_unit: str
    region_code: str
    region: str
    period: str


def write_panel(documents: Sequence[Document], profile: Profile, out: BinaryIO) -> list[Diagnostic]:
    warnings = Warnings()
    style = CellStyle.from_profile(profile)
    x = profile.xlsx
    documents = sorted(documents, key=lambda d: (d.meta.region_code or "", d.meta.period or "", d.source.name,
                                                 d.source.path))
    entries = [_entry(d, ind) for d in documents for ind in d.indicators]
    panel_checks = _panel_checks(entries)
    for check in panel_checks:
        if check.status != CheckStatus.PASSED:
            warnings.add(f"xlsx panel: {check.message}", check.pos)

    flags_by_doc: dict[str, dict[str, list[CheckResult]]] = {}
    for check, targets in panel_checks.items():
        for source_path, indicator_id in targets:
            flags_by_doc.setdefault(source_path, {}).setdefault(indicator_id, []).append(check)
    rows = [row for d in documents for row in indicator_rows(d, flags_by_doc.get(d.source.path, {}))]

    title = f"数值指标面板（{len(documents)} 份报告）"
    wb = Workbook()
    data = wb.active
    data.title = x.data_sheet
    wide = wb.create_sheet(x.wide_sheet)
    readme = wb.create_sheet(x.readme_sheet)
    dictionary = wb.create_sheet(x.dictionary_sheet)
    checks = wb.create_sheet(x.checks_sheet)

    write_data_sheet(Sheet(data, profile, style, warnings, title), rows)
    _write_wide(Sheet(wide, profile, style, warnings, title), rows)
    write_readme_sheet(Sheet(readme, profile, style, warnings, title), _readme_items(documents, rows, panel_checks, profile))
    write_dictionary_sheet(Sheet(dictionary, profile, style, warnings, title))
    check_rows = [check_cells(c) for d in documents for c in d.checks]
    for check in panel_checks:
        cells = check_cells(check)
        cells[1] = Cell(PANEL_ORIGIN)
        check_rows.append(cells)
    write_checks_sheet(Sheet(checks, profile, style, warnings, title), check_rows)
    wb.active = 0
    data.sheet_view.tabSelected = True

    when = max((document_datetime(d) for d in documents), default=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    periods = sorted({e.period for e in entries})
    regions = sorted({e.region for e in entries if e.region})
    set_properties(
        wb, profile, when,
        title=title,
        subject="；".join(d.meta.title_text for d in documents),
        creator=None,
        description=f"由 {GENERATOR} {__version__} 从 " + "、".join(d.source.name for d in documents) + " 生成",
        keywords="; ".join(["数值指标", *regions, *periods]),
        custom={
            "source_files": "; ".join(d.source.name for d in documents),
            "source_sha256": "; ".join(d.source.sha256 for d in documents),
            "generator": GENERATOR, "generator_version": __version__,
            "reference_period": "; ".join(periods), "ref_area": "; ".join(sorted({e.region_code for e in entries})),
        },
    )
    save(wb, out, when)
    return warnings.items


def _entry(document: Document, ind) -> Entry:
    meta = document.meta
    return Entry(document, ind.id, ind.name, ind.unit, ind.base_unit, meta.region_code or "", meta.region or "",
                 ind.period or meta.period or UNSPECIFIED)


def _where(entry: Entry) -> str:
    return f"in {entry.document.source.name} ({entry.region or entry.region_code or UNSPECIFIED} {entry.period})"


def _panel_checks(entries: list[Entry]) -> dict[CheckResult, list[tuple[str, str]]]:
    """Cross-report checks, each with the (source path, indicator id) rows it flags."""
    by_id: dict[str, list[Entry]] = {}
    by_key: dict[tuple[str, str, str], list[Entry]] = {}
    for e in entries:
        by_id.setdefault(e.indicator_id, []).append(e)
        by_key.setdefault((e.region_code, e.period, e.indicator_id), []).append(e)
    found: dict[CheckResult, list[tuple[str, str]]] = {}

    def add(check_id, description, expression, status, group: list[Entry], message) -> None:
        first = group[0].document.indicator(group[0].indicator_id)
        check = CheckResult(check_id, description, expression, False, status, (group[0].indicator_id,), first.pos,
                            message=message)
        found[check] = [(e.document.source.path, e.indicator_id) for e in group]

    for indicator_id, group in by_id.items():
        names = list(dict.fromkeys(e.name for e in group))
        if len(names) > 1:
            listed = ", ".join(f"“{e.name}” {_where(e)}" for e in group)
            add(f"panel_name__{indicator_id}", f"指标 {indicator_id} 在各报告中名称一致", "count(distinct 指标名称) = 1",
                CheckStatus.NOTICE, group, f"{indicator_id} is named differently: {listed}")
        units = list(dict.fromkeys(e.unit for e in group))
        base_units = list(dict.fromkeys(e.base_unit for e in group))
        if len(units) > 1:
            listed = ", ".join(f"{e.unit} {_where(e)}" for e in group)
            comparable = len(base_units) == 1
            add(f"panel_unit__{indicator_id}", f"指标 {indicator_id} 在各报告中计量单位一致", "count(distinct 计量单位) = 1",
                CheckStatus.NOTICE if comparable else CheckStatus.FAILED, group,
                f"{indicator_id} has different units: {listed}"
                + ("; compare 折算数值" if comparable else "; the base units differ too, so the figures do not compare"))
    for (region_code, period, indicator_id), group in by_key.items():
        if len(group) > 1:
            listed = ", ".join(e.document.source.name for e in group)
            add(f"panel_key__{region_code}_{period}_{indicator_id}", "地区代码、统计时期、指标代码组合唯一",
                "count(地区代码, 统计时期, 指标代码) = 1", CheckStatus.FAILED, group,
                f"{indicator_id} for {region_code or UNSPECIFIED} {period} is given by several reports: {listed}")
    return found


def _column_key(row: Row, by: str) -> tuple[str, str]:
    """(sort key, header) of the wide column a row goes to."""
    period = row.values["统计时期"] or UNSPECIFIED
    code = row.values["地区代码"] or ""
    region = row.values["地区"] or code or UNSPECIFIED
    if by == "period":
        return (period, period)
    if by == "region":
        return (code, f"{region}（{code}）" if code else region)
    # The code is in the header: two regions of one name, or one written with 6 and 12 digits,
    # would otherwise give two columns the same header.
    return (f"{code} {period}", f"{region}（{code}）{period}" if code else f"{region}{period}")


def _write_wide(sheet: Sheet, rows: list[Row]) -> None:
    codes = {r.values["地区代码"] for r in rows}
    periods = {r.values["统计时期"] for r in rows}
    by = "period" if len(codes) <= 1 else ("region" if len(periods) <= 1 else "both")
    columns = sorted({_column_key(r, by) for r in rows})
    headers_of = [header for _, header in columns]
    # A column whose figures are not all exact gets a 取值性质 column beside it: 20余万 (a lower
    # bound) next to an exact 198000 must not read as a fall.
    bounded = {_column_key(r, by)[1] for r in rows if r.values["取值性质"] != Qualifier.EXACT.chinese}
    by_indicator: dict[str, list[Row]] = {}
    for r in rows:
        by_indicator.setdefault(str(r.values["指标代码"]), []).append(r)

    table_rows = []
    for indicator_id, group in by_indicator.items():
        cells_by_column: dict[str, Row] = {}
        for r in group:
            cells_by_column.setdefault(_column_key(r, by)[1], r)
        names = list(dict.fromkeys(str(r.values["指标名称"]) for r in group))
        base_units = list(dict.fromkeys(str(r.values["基本单位"]) for r in group))
        quality = _worst(str(r.values["质量标记"]) for r in group)
        cells = [Cell(indicator_id), Cell(names[0]), Cell(" / ".join(base_units))]
        ranges = []
        for header in headers_of:
            r = cells_by_column.get(header)
            base = r.values["折算数值"] if r else None
            if r is not None and isinstance(r.values["折算数值上限"], Decimal):
                # A range has no single number to line up: the cell stays empty, the note gives both ends.
                ranges.append(f"{header} {base}至{r.values['折算数值上限']}")
                base = None
            cells.append(Cell(base, number_format(sheet.profile, printed_decimals(base))) if isinstance(base, Decimal)
                         else Cell(None))
            if header in bounded:
                cells.append(Cell(str(r.values["取值性质"]) if r is not None else None))
        units = list(dict.fromkeys(str(r.values["计量单位"]) for r in group))
        notes = [f"{label}：" + " / ".join(values) for label, values in (("名称", names), ("计量单位", units))
                 if len(values) > 1]
        if ranges:
            notes.append("区间：" + "，".join(ranges))
        note = "；".join(notes) or None
        cells += [Cell(quality), Cell(note)]
        table_rows.append(cells)
    value_headers = [h for header in headers_of for h in ((header, bound_header(header)) if header in bounded
                                                           else (header,))]
    headers = ["指标代码", "指标名称", "基本单位", *value_headers, "质量标记", "备注"]
    write_table(sheet, headers, table_rows, sheet.profile.xlsx.wide_table, "C2", frozenset({"备注"}))


def bound_header(header: str) -> str:
    return f"{header}取值性质"


def _worst(flags) -> str:
    """An indicator across reports: 未通过 if any report's row failed, 通过 only if every one passed."""
    flags = set(flags)
    for flag in (QUALITY_FAILED, QUALITY_UNVERIFIED):
        if flag in flags:
            return flag
    return QUALITY_PASSED


def _readme_items(documents: Sequence[Document], rows: list[Row], panel_checks, profile: Profile):
    x = profile.xlsx
    items: list[tuple[str, str | None]] = [
        ("工作簿", f"{len(documents)} 份报告全部数值指标的面板：“{x.data_sheet}”为长表，每份报告的每个数字一行，"
                   f"以地区代码、统计时期、指标代码为键；“{x.wide_sheet}”为宽表，行为指标，列为统计时期（或地区），"
                   f"数为折算数值（基本单位）。宽表中的空格表示该报告没有这个指标。"),
    ]
    for n, d in enumerate(documents, start=1):
        meta = d.meta
        where = "，".join(v for v in (meta.region, meta.region_code, meta.period) if v)
        items.append((f"报告 {n}", f"《{meta.title_text}》（{where}）；源文件 {d.source.name}，SHA-256 {d.source.sha256}"))
    items += list(UNIT_CONVENTIONS)
    if any(r.indicator.table_id for r in rows):
        items.append(TABLES_NOTE)
    failed = sum(1 for c in panel_checks if c.status == CheckStatus.FAILED)
    notices = sum(1 for c in panel_checks if c.status == CheckStatus.NOTICE)
    items += [
        ("跨报告核验", f"名称或计量单位不一致、键重复的指标：未通过 {failed}，提示 {notices}；见“{x.checks_sheet}”，"
                       f"来源为“{PANEL_ORIGIN}”的行。"),
        ("生成工具", GENERATOR),
        ("工具版本", __version__),
        ("指标行数", f"{len(rows)} 行（工作表“{x.data_sheet}”）"),
        *sheet_list(profile, panel=True),
    ]
    return items
