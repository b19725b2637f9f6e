"""The columns of the 指标 sheet and how a figure of the model fills them.

`DATA_COLUMNS` is the single definition of the data contract: the sheet's header, the
字段说明 sheet and the tests all read it, so the dictionary cannot drift from the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping
from urllib.parse import quote

from ...model import CheckResult, CheckStatus, Document, Indicator, Position
from ...provenance import figure_offsets
from .cells import printed_decimals

STRING = "string"
NUMBER = "number"

QUALITY_NORMAL = "正常"
QUALITY_NOTICE = "提示"
QUALITY_FAILED = "异常"
NO_SCOPE = "未注明"


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
           f"{QUALITY_NORMAL} / {QUALITY_NOTICE} / {QUALITY_FAILED}", True, False,
           f"{QUALITY_FAILED}：涉及的一致性核验未通过；{QUALITY_NOTICE}：核验给出提示或无法计算；"
           f"{QUALITY_NORMAL}：其余。详见“一致性核验”工作表和备注。"),
    Column("备注", "comment", "COMMENT_OBS", STRING, "", False, False,
           "原文的附加说明、汉字数字的换算、涉及的核验规则代码。", wrap=True),
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


def quality_of(checks: list[CheckResult]) -> str:
    if any(c.status == CheckStatus.FAILED for c in checks):
        return QUALITY_FAILED
    return QUALITY_NOTICE if checks else QUALITY_NORMAL


def docx_link_target(document: Document) -> str:
    """The .docx written beside the workbook, as a relative URL."""
    return quote(f"{document.source.stem}.docx")


def section_path(indicator: Indicator) -> str:
    return "".join(indicator.section)


def indicator_rows(document: Document, extra_checks: Mapping[str, list[CheckResult]] | None = None) -> list[Row]:
    """The rows of `document`; `extra_checks` (by indicator id) adds findings from outside it, e.g. a panel's."""
    meta = document.meta
    pending = unresolved_checks(document)
    target = docx_link_target(document)
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
            "质量标记": quality_of(checks),
            "备注": _comment(ind, checks),
        }
        decimals = {header: printed_decimals(number) if isinstance(number, Decimal) else 0
                    for header in NUMBER_COLUMNS for number in (values[header],)}
        rows.append(Row(values, decimals, target, ind.id, ind.pos, ind))
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
