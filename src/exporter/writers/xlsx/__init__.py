"""The indicator workbook: every tagged figure of a report as one tidy, typed table.

Sheets, in order: 指标 (the data, first and active, an Excel Table), 说明 (what the
workbook is and the unit conventions), 字段说明 (the data dictionary), 一致性核验 (every
consistency check and its result), then one sheet per table of the report laid out as
printed (xlsx_tables; the only sheets with merged cells). Values only, never formulas; see
xlsx_cells for the string hygiene and xlsx_package for byte-identical saving.
"""

from __future__ import annotations

from typing import BinaryIO, Sequence

from openpyxl import Workbook

from ... import __version__
from ...diagnostics import Diagnostic
from ...model import CheckStatus, Document
from ...profile import Profile
from ...timestamps import document_datetime
from .cells import CellStyle, Warnings
from .columns import indicator_rows
from .package import GENERATOR, save, set_properties
from .sheets import (Sheet, check_cells, write_checks_sheet, write_data_sheet, write_dictionary_sheet,
                          write_readme_sheet)
from .tables import TableSheet, plan_table_sheets, write_table_sheet


def write(document: Document, profile: Profile, out: BinaryIO) -> list[Diagnostic]:
    warnings = Warnings(source=document.source.path)
    style = CellStyle.from_profile(profile)
    x = profile.xlsx
    wb = Workbook()
    data = wb.active
    data.title = x.data_sheet
    sheets = {name: (data if name == x.data_sheet else wb.create_sheet(name))
              for name in (x.data_sheet, x.readme_sheet, x.dictionary_sheet, x.checks_sheet)}

    table_sheets = plan_table_sheets(document, profile, sheets)
    rows = indicator_rows(document)
    title = document.meta.title_text
    write_data_sheet(Sheet(sheets[x.data_sheet], profile, style, warnings, title), rows)
    write_readme_sheet(Sheet(sheets[x.readme_sheet], profile, style, warnings, title),
                       readme_items(document, profile, table_sheets))
    write_dictionary_sheet(Sheet(sheets[x.dictionary_sheet], profile, style, warnings, title))
    write_checks_sheet(Sheet(sheets[x.checks_sheet], profile, style, warnings, title),
                       [check_cells(c) for c in document.checks])
    by_id = {ind.id: ind for ind in document.indicators}
    for plan in table_sheets:
        write_table_sheet(Sheet(wb.create_sheet(plan.name), profile, style, warnings), plan, by_id)
    wb.active = 0
    data.sheet_view.tabSelected = True

    when = document_datetime(document)
    meta = document.meta
    set_properties(
        wb, profile, when,
        title=f"{meta.title_text} 数值指标",
        subject=meta.title_text,
        creator=meta.issuer,
        description=f"由 {GENERATOR} {__version__} 从 {document.source.name}（SHA-256 {document.source.sha256}）生成",
        keywords="; ".join(k for k in ("数值指标", meta.region, meta.period) if k),
        custom={
            "source_file": document.source.name, "source_sha256": document.source.sha256,
            "generator": GENERATOR, "generator_version": __version__,
            "reference_period": meta.period, "ref_area": meta.region_code, "ref_area_name": meta.region,
        },
    )
    save(wb, out, when)
    return warnings.items


# Said only when the report has tables, so a report without any reads as it always did.
TABLES_NOTE = (
    "表格",
    "报告中的表格，每个有数字的单元格是“指标”工作表中的一行，“表”“行键”“列键”三列定位它："
    "df[df['表'] == 't3'].pivot(index='行键', columns='列键', values='数值') 即还原该表。空白单元格（未填报，不同于0）"
    "和“—”“/”等不适用单元格没有数字，不占行，还原后为缺失值。每个表另有一个按原样排版的工作表，只供阅读。",
)

UNIT_CONVENTIONS = (
    ("单位约定：百分比",
     "计量单位为 % 的数值以百分点存储：53.62 表示 53.62%，不是小数 0.5362。在 Excel 中计算时请除以 100，"
     "不要对这些单元格使用百分比格式按钮（53.62 会显示为 5362%）。"),
    ("单位约定：万、亿",
     "数值和计量单位按原文保留（“20余万人次”记为 20、万人次）；“折算数值”“基本单位”两列给出展开后的数"
     "（200000、人次）。比较不同报告时请用折算数值。"),
    ("单位约定：余、多、以上",
     "“余”“多”“以上”“超过”表示下限，“不足”“以下”表示上限，“约”“近”“左右”表示约数，记在“取值性质”列；"
     "数值始终是原文印出的数，从不估算或取整。"),
    ("单位约定：区间",
     "“3至5项”“10%～20%”这样的区间，取值性质为“区间”，数值和折算数值记下限，“数值上限”“折算数值上限”两列记上限。"),
    ("单位约定：‰、‱、负数",
     "‰、‱ 与 % 一样按原文的数存储（5‰ 记为 5）；负数（如 -5%）照原文记为负数。"),
    ("单位约定：汉字数字",
     "原文用汉字书写的数字（如“两次”）按源文件标注的数值记录，原文见“原文数字”列，换算见备注。"),
    ("质量标记",
     "通过：读取该数字的核验无一不成立，且至少一条成立；未通过：至少一条不成立；未核验：没有核验读取它，或读取它的核验"
     "都无法判定（下限、上限、约数、区间使之不能确认）。规则和结果见“一致性核验”工作表。"),
    ("读取方法",
     "pandas：pd.read_excel(文件, dtype={'地区代码': str, '统计时期': str})（否则 pandas 会把这两列文本转成整数）；R：readxl::read_excel(文件)；"
     "Stata：import excel using 文件, sheet(\"指标\") firstrow。第一个工作表即数据表，第 1 行为表头。"),
)


def readme_items(document: Document, profile: Profile,
                 table_sheets: Sequence[TableSheet] = ()) -> list[tuple[str, str | None]]:
    meta, source = document.meta, document.source
    x = profile.xlsx
    checks = document.checks
    counts = {status: sum(1 for c in checks if c.status == status) for status in CheckStatus}
    check_summary = f"{len(checks)} 条（" + "，".join(f"{s.chinese} {counts[s]}" for s in CheckStatus) + "）"
    return [
        ("工作簿", f"《{meta.title_text}》中全部数值指标的整理表：每个数字一行，数值与原文一致，"
                   f"每行注明原文摘录和位置。"),
        ("报告标题", meta.title_text),
        ("发文机关", meta.issuer),
        ("发文字号", meta.doc_number),
        ("成文日期", meta.date.isoformat() if meta.date else None),
        ("地区", meta.region),
        ("地区代码", meta.region_code),
        ("统计时期", meta.period),
        *UNIT_CONVENTIONS,
        *([TABLES_NOTE] if table_sheets else []),
        ("源文件", source.name),
        ("源文件 SHA-256", source.sha256),
        ("生成工具", GENERATOR),
        ("工具版本", __version__),
        ("指标行数", f"{len(document.indicators)} 行（工作表“{x.data_sheet}”）"),
        ("一致性核验", check_summary),
        *sheet_list(profile),
        *table_sheet_list(profile, table_sheets),
    ]


def sheet_list(profile: Profile, panel: bool = False) -> list[tuple[str, str]]:
    x = profile.xlsx
    items = [(f"工作表：{x.data_sheet}", "数据表，每个数字一行；Excel 表格名 " + x.data_table + "。")]
    if panel:
        items.append((f"工作表：{x.wide_sheet}", "宽表：行为指标，列为各统计时期（或地区）的折算数值。"))
    items += [
        (f"工作表：{x.readme_sheet}", "本说明。"),
        (f"工作表：{x.dictionary_sheet}", f"“{x.data_sheet}”工作表各列的名称、英文名、类型、单位或代码表和含义。"),
        (f"工作表：{x.checks_sheet}", "每条一致性核验规则（源文件声明的和自动的）及其结果。"),
    ]
    return items


def table_sheet_list(profile: Profile, table_sheets: Sequence[TableSheet]) -> list[tuple[str, str]]:
    data = profile.xlsx.data_sheet
    return [(f"工作表：{plan.name}",
             f"表 {plan.table.id}（{plan.title}）按报告原样排版：合并单元格、表头加粗，数字为数值，空白单元格留空。"
             f"只供阅读；数据见“{data}”工作表中“表”为 {plan.table.id} 的行。")
            for plan in table_sheets]
