"""The columns of the 指标 sheet and how a figure of the model fills them.

`DATA_COLUMNS` is the single definition of the data contract: the sheet's header, the
字段说明 sheet and the tests all read it, so the dictionary cannot drift from the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping, assert_never
from urllib.parse import quote

from ...bookmarks import bookmark_names
from ...model import CheckResult, CheckStatus, Document, Heading, Indicator, Paragraph, Position, Table
from ...provenance import figure_offsets
from .cells import printed_decimals

STRING = "string"
NUMBER = "number"

# A row's verdict from the checks that read its figure; never a favourable default.
QUALITY_PASSED = "通过"
QUALITY_FAILED = "未通过"
QUALITY_UNVERIFIED = "未核验"
NO_SCOPE = "未注明"
# Joins the printed labels of a table cell's row (left to right) and column (top down).
LABEL_SEPARATOR = " › "


@dataclass(frozen=True)
class Column:
    header: str
    english: str
    sdmx: str
    kind: str
    codes: str
    required: bool
    unique: bool
    meaning: str
    wrap: bool = False


DATA_COLUMNS: tuple[Column, ...] = (
    Column("指标代码", "indicator_id", "INDICATOR", STRING, "小写字母、数字和下划线", True, True,
           "指标的稳定代码，跨年度、跨地区不变；也是同名 .docx 中该数字的书签名。主键。"),
    Column("指标名称", "indicator_name", "", STRING, "", True, False, "指标的中文名称。"),
    Column("数值", "obs_value", "OBS_VALUE", NUMBER, "见计量单位", True, False,
           "报告印出的数字，原样记录：百分比以百分点存储（53.62 即 53.62%），“万”“亿”不展开（20 万人次记为 20）。"
           "区间（如“3至5项”）记其下限。单元格格式显示原文的小数位数（12.50 显示为 12.50）。"),
    Column("数值上限", "obs_value_upper", "", NUMBER, "见计量单位", False, False,
           "取值性质为“区间”时区间的上限（“3至5项”记为 5），单位同数值；其余为空。"),
    Column("计量单位", "unit_measure", "UNIT_MEASURE", STRING, "% / 项 / 件 / 人 / 人次 / 万人次 / 份 / 万份 / 卷 / 次 …",
           True, False, "报告印出的计量单位，含“万”“亿”；% 表示百分点。"),
    Column("取值性质", "value_bound", "OBS_STATUS", STRING, "精确值 / 下限 / 上限 / 约数 / 区间", True, False,
           "原文“余”“多”“以上”“超过”为下限，“不足”“以下”为上限，“约”“近”“左右”为约数，“至”“～”“-”连接两数为区间，"
           "其余为精确值。数值本身不因此改动。"),
    Column("折算数值", "obs_value_base", "", NUMBER, "见基本单位", True, False,
           "数值乘以“万”（10⁴）、“亿”（10⁸）或“万亿”（10¹²）后的数，单位为基本单位；无“万”“亿”时等于数值。"),
    Column("折算数值上限", "obs_value_base_upper", "", NUMBER, "见基本单位", False, False,
           "区间上限的折算数值；不是区间时为空。"),
    Column("基本单位", "unit_measure_base", "UNIT_MEASURE", STRING, "", True, False,
           "折算数值的单位，即计量单位去掉“万”“亿”“万亿”。"),
    Column("统计时期", "time_period", "TIME_PERIOD", STRING, "如 2021", True, False,
           "数字所属的时期；未单独标注时取报告的统计时期。以文本存储。"),
    Column("统计口径", "period_basis", "", STRING, f"全年 / 截至目前 / 累计 / 今年以来 / … / {NO_SCOPE}", True, False,
           f"原文对时期口径的说法；原文未说明时为“{NO_SCOPE}”。"),
    Column("地区", "ref_area_name", "", STRING, "", False, False, "报告所属行政区划名称。"),
    Column("地区代码", "ref_area", "REF_AREA", STRING, "GB/T 2260 六位行政区划代码", False, False,
           "以文本存储，保留前导零；读入时请按字符串处理。"),
    Column("章节", "section", "", STRING, "如 一（一）", False, False,
           "数字所在的标题编号路径，如“一（二）1（1）”；位于第一个标题之前的数字为空。"),
    Column("原文数字", "source_figure", "", STRING, "", True, False,
           "报告中印出的数字原文，如“20余万人次”“53.62%”“两次”。"),
    Column("原文摘录", "source_quote", "", STRING, "", True, False,
           "数字所在的整句原文，逐字摘自报告正文（过长的句子截取数字附近的分句，不加省略号）。", wrap=True),
    Column("原文偏移", "source_offset", "", NUMBER, "非负整数", True, False,
           "数字在报告正文（标题连同编号，每段一行）中的字符位置，从 0 起按 Unicode 码位计。"),
    Column("原文位置", "source_location", "", STRING, "文件:行", True, False,
           "源文件名（相对于源文件所在文件夹）及行号；超链接指向同目录下同名 .docx 中该数字的书签（书签名为指标代码）。"),
    Column("质量标记", "obs_status", "OBS_STATUS", STRING,
           f"{QUALITY_PASSED} / {QUALITY_FAILED} / {QUALITY_UNVERIFIED}", True, False,
           f"{QUALITY_FAILED}：读取该数字的一致性核验至少有一条不成立；{QUALITY_PASSED}：无一不成立，且至少有一条"
           f"对原文数字所允许的每一个值都成立（含百分比的取值范围核验）；{QUALITY_UNVERIFIED}：没有核验读取该数字，"
           f"或读取它的核验都无法判定（如“余”“以上”“约”“至”使等式不能确认）。详见“一致性核验”工作表和备注。"),
    Column("备注", "comment", "COMMENT_OBS", STRING, "", False, False,
           "原文的附加说明、汉字数字的换算、涉及的核验规则代码。", wrap=True),
    # The dimensions of a table cell, after the existing columns so their positions do not move.
    # df[df.表 == "t3"].pivot(index="行键", columns="列键", values="数值") gives the table back.
    Column("表", "table_id", "", STRING, "小写字母、数字和下划线，如 t3", False, False,
           "数字所在表格的代码（源文件中表格的 #id），每份报告内唯一；正文中的数字为空。"
           "表格中的空白单元格（未填报，不同于0）和“—”“/”等不适用单元格不是数字，不占行。"),
    Column("表名", "table_title", "", STRING, "", False, False,
           "表格的表题；没有表题时为表格所在章节的标题。同名工作表（或其前 31 个字符）按原样排版显示该表。"),
    Column("行键", "row_key", "", STRING, "小写字母、数字、下划线，层级以“.”连接", False, False,
           "单元格所在行的代码：各行标签的键以“.”连接，如 denied.state_secret；政府信息公开年度报告的表格用"
           "国家格式的标准代码。没有行标签的表（如只有一行数据的表四）为空。"),
    Column("列键", "column_key", "", STRING, "小写字母、数字、下划线，层级以“.”连接", False, False,
           "单元格所在列的代码：表头各层的键以“.”连接，如 natural、review.upheld。"
           "表、行键、列键三者合起来在一份报告内唯一。"),
    Column("行标签", "row_labels", "", STRING, "各层标签以“ › ”连接", False, False,
           "单元格所在行印出的标签，从左到右，如“三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密”。", wrap=True),
    Column("列标签", "column_labels", "", STRING, "各层标签以“ › ”连接", False, False,
           "单元格上方表头印出的标签，从上到下，如“申请人情况 › 法人或其他组织 › 商业企业”。", wrap=True),
)

HEADERS = tuple(c.header for c in DATA_COLUMNS)
NUMBER_COLUMNS = frozenset(c.header for c in DATA_COLUMNS if c.kind == NUMBER)
LINK_COLUMN = "原文位置"


@dataclass(frozen=True)
class Row:
    """One figure as the workbook shows it; `values` is keyed by column header."""

    values: dict[str, str | Decimal | None]
    decimals: dict[str, int]
    link_target: str
    link_location: str
    pos: Position
    indicator: Indicator = field(compare=False)


def unresolved_checks(document: Document) -> dict[str, list[CheckResult]]:
    """For each indicator id, the checks on it that did not pass, in check order."""
    found: dict[str, list[CheckResult]] = {}
    for check in document.checks:
        if check.status == CheckStatus.PASSED:
            continue
        for indicator_id in check.indicator_ids:
            found.setdefault(indicator_id, []).append(check)
    return found


def covering_checks(document: Document) -> dict[str, list[CheckResult]]:
    """For each indicator id, every check that reads it, whatever its outcome, in check order."""
    found: dict[str, list[CheckResult]] = {}
    for check in document.checks:
        for indicator_id in check.indicator_ids:
            found.setdefault(indicator_id, []).append(check)
    return found


def quality_of(checks: list[CheckResult]) -> str:
    """未通过 if any check on the figure failed, 通过 if none failed and one passed, else 未核验:
    a notice or a check that could not be decided verifies nothing."""
    if any(c.status == CheckStatus.FAILED for c in checks):
        return QUALITY_FAILED
    if any(c.status == CheckStatus.PASSED for c in checks):
        return QUALITY_PASSED
    return QUALITY_UNVERIFIED


def docx_link_target(document: Document) -> str:
    """The .docx written beside the workbook, as a relative URL."""
    return quote(f"{document.source.stem}.docx")


def section_path(indicator: Indicator) -> str:
    return "".join(indicator.section)


def table_titles(document: Document) -> dict[str, str]:
    """Each table's name for people: its caption, else the heading it stands under, else its id."""
    titles: dict[str, str] = {}
    heading: Heading | None = None
    for block in document.all_blocks():
        match block:
            case Heading():
                heading = block
            case Paragraph():
                if block.lead is not None:
                    heading = block.lead
            case Table():
                # A run-in heading ends in "。", which is punctuation of the sentence, not of the name.
                under = heading.text.rstrip("。.") if heading is not None else ""
                titles[block.id] = (block.caption or under or block.id).strip()
            case _:
                assert_never(block)
    return titles


def indicator_rows(document: Document, extra_checks: Mapping[str, list[CheckResult]] | None = None) -> list[Row]:
    """The rows of `document`; `extra_checks` (by indicator id) adds findings from outside it, e.g. a panel's."""
    meta = document.meta
    titles = table_titles(document)
    pending = unresolved_checks(document)
    covering = covering_checks(document)
    target = docx_link_target(document)
    # The .docx names one bookmark per figure by the same rule (a table figure's id is no bookmark name).
    bookmarks = bookmark_names(ind.id for ind in document.indicators)
    offsets = figure_offsets(document)
    rows = []
    for ind in document.indicators:
        checks = pending.get(ind.id, []) + list((extra_checks or {}).get(ind.id, []))
        values: dict[str, str | Decimal | None] = {
            "指标代码": ind.id,
            "指标名称": ind.name,
            "数值": ind.value,
            "数值上限": ind.upper,
            "计量单位": ind.unit,
            "取值性质": ind.qualifier.chinese,
            "折算数值": ind.base_value,
            "折算数值上限": ind.base_upper,
            "基本单位": ind.base_unit,
            "统计时期": ind.period or meta.period,
            "统计口径": ind.scope or NO_SCOPE,
            "地区": meta.region,
            "地区代码": meta.region_code,
            "章节": section_path(ind) or None,
            "原文数字": ind.text,
            "原文摘录": ind.sentence,
            "原文偏移": Decimal(offsets[ind.id]) if ind.id in offsets else None,
            # The file name, not the path it was given as: the same source gives the same bytes
            # from any working directory, and no machine's folders end up in the file.
            "原文位置": f"{document.source.name}:{ind.pos.line}",
            "质量标记": quality_of(covering.get(ind.id, []) + list((extra_checks or {}).get(ind.id, []))),
            "备注": _comment(ind, checks),
            "表": ind.table_id,
            "表名": titles.get(ind.table_id) if ind.table_id else None,
            "行键": ind.row_key or None,
            "列键": ind.column_key or None,
            "行标签": LABEL_SEPARATOR.join(ind.row_labels) or None,
            "列标签": LABEL_SEPARATOR.join(ind.column_labels) or None,
        }
        decimals = {header: printed_decimals(number) if isinstance(number, Decimal) else 0
                    for header in NUMBER_COLUMNS for number in (values[header],)}
        rows.append(Row(values, decimals, target, bookmarks[ind.id], ind.pos, ind))
    return rows


def _comment(ind: Indicator, checks: list[CheckResult]) -> str | None:
    parts = []
    if ind.note:
        parts.append(ind.note)
    if ind.value_given:
        parts.append(f"原文“{ind.text}”，数值按源文件标注记为 {_plain(ind.value)}")
    for check in checks:
        parts.append(f"一致性核验 {check.id}：{check.status.chinese}（{check.description}）")
    return "；".join(parts) or None


def _plain(value: Decimal) -> str:
    return format(value, "f")
