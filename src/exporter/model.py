"""The document model: what a reader produces and every writer consumes.

Frozen dataclasses only, so a writer cannot change what the next writer sees. Every node
carries the `Position` it came from, so any later stage can report a located message.
Numbers are `Decimal`: a statistician must get back exactly what the report printed.

Code that needs a block's text without caring about its kind walks the model with
`inline_groups` / `iter_inline_groups` and `Document.headings()`. Code that treats kinds
differently dispatches with `match block: case Heading(): ... case Paragraph(): ...
case _: assert_never(block)`, so that a new member of `Block` fails the type check
(tests/core/test_types.py) at every place that must handle it; docs/architecture.md lists them.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Iterator, Union, assert_never


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file; line and column count from 1, columns in characters."""

    path: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Text:
    """Literal running text, printed as is."""

    text: str
    pos: Position


@dataclass(frozen=True)
class FigureRef:
    """Where an indicator stands in the text; `text` is exactly what is printed."""

    indicator_id: str
    text: str
    pos: Position


Inline = Union[Text, FigureRef]


def inline_text(inlines: tuple[Inline, ...]) -> str:
    return "".join(i.text for i in inlines)


ARTICLES = "articles"
HEADING_SCHEMES = ("sections", ARTICLES)


def heading_role(level: int) -> str:
    """The font role (a `[roles.*]` table of the profile) that prints headings of `level`."""
    return f"heading{level}"


@dataclass(frozen=True)
class Heading:
    """A GB/T 9704 structure heading.

    `label` is the generated number as printed ("一、", "（一）", "1.", "（1）"); `key` is its
    short form used in section paths ("一", "（一）", "1", "（1）"). A run-in heading is
    printed at the start of the paragraph that follows it and appears only as that
    paragraph's `lead`.
    """

    level: int
    ordinal: int
    label: str
    key: str
    inlines: tuple[Inline, ...]
    run_in: bool
    path: tuple[str, ...]
    pos: Position
    # "sections" (一、（一）1.（1）) or "articles" (第一章 centred, 第一条 run in), per document.
    scheme: str = "sections"

    @property
    def text(self) -> str:
        return inline_text(self.inlines)

    @property
    def printed(self) -> str:
        return self.label + self.text

    @property
    def role(self) -> str:
        # 章 titles and 条 numbers are both 黑体, the level-1 heading face.
        return heading_role(1 if self.scheme == ARTICLES else self.level)

    @property
    def centred(self) -> bool:
        """A chapter title (第一章　总则) is centred on the 版心, without the first-line indent."""
        return self.scheme == ARTICLES and self.level == 1


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph, optionally led by a run-in heading."""

    inlines: tuple[Inline, ...]
    pos: Position
    lead: Heading | None = None

    @property
    def text(self) -> str:
        """The body text without the run-in heading."""
        return inline_text(self.inlines)

    @property
    def printed(self) -> str:
        return (self.lead.printed if self.lead else "") + self.text


class CellKind(str, Enum):
    """What a table cell is, decided once by the reader."""

    HEADER = "header"        # in a header row
    LABEL = "label"          # in a label column of a body row
    FIGURE = "figure"        # a data cell holding a number (its inlines hold one FigureRef)
    TEXT = "text"            # a data cell holding text such as "—" (不适用)
    BLANK = "blank"          # an empty data cell: no figure, distinct from 0


@dataclass(frozen=True)
class TableCell:
    """An anchor cell of a table: merged slots are not listed, they belong to their anchor.

    `row` and `column` count grid slots from 0, header rows first; `key` is the `{#key}` of a
    header or label cell; `unit` the unit a header cell gives its column.
    """

    row: int
    column: int
    row_span: int
    column_span: int
    kind: CellKind
    inlines: tuple[Inline, ...]
    pos: Position
    key: str | None = None
    unit: str | None = None
    note: str | None = None

    @property
    def text(self) -> str:
        return inline_text(self.inlines)


@dataclass(frozen=True)
class Table:
    """A table as printed: a grid of `row_count` × `column_count` slots covered by `cells`.

    The first `header_rows` rows are the head (repeated on every page), the first
    `label_columns` columns of body rows are row labels. `number` is the generated "表1" when
    the table has a caption; `unit_line` the printed "单位：件"; `notes` the 注 lines under it.
    """

    id: str
    caption: str | None
    number: str | None
    unit_line: str | None
    header_rows: int
    label_columns: int
    row_count: int
    column_count: int
    cells: tuple[TableCell, ...]
    notes: tuple[tuple[Inline, ...], ...]
    path: tuple[str, ...]
    pos: Position
    widths: tuple[Decimal, ...] | None = None
    landscape: bool | None = None

    def slot_map(self) -> list[list[TableCell]]:
        """Each grid slot's anchor cell, row by row."""
        grid: list[list[TableCell | None]] = [[None] * self.column_count for _ in range(self.row_count)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.row_span):
                for c in range(cell.column, cell.column + cell.column_span):
                    grid[r][c] = cell
        assert all(slot is not None for row in grid for slot in row), "table grid has holes"
        return [[slot for slot in row if slot is not None] for row in grid]

    def rows(self) -> list[tuple[TableCell, ...]]:
        """The anchor cells that start in each grid row, left to right."""
        by_row: list[list[TableCell]] = [[] for _ in range(self.row_count)]
        for cell in self.cells:
            by_row[cell.row].append(cell)
        return [tuple(sorted(row, key=lambda c: c.column)) for row in by_row]


Block = Union[Heading, Paragraph, Table]


def inline_groups(block: Block) -> tuple[tuple[Block, tuple[Inline, ...]], ...]:
    """The runs of text `block` holds, in reading order, each with the node that owns it.

    A paragraph led by a run-in heading gives the heading's inlines (owned by the `Heading`)
    before its own. The heading labels are not inlines: they are generated, not source text.
    """
    match block:
        case Heading():
            return ((block, block.inlines),)
        case Paragraph():
            if block.lead is not None:
                return ((block.lead, block.lead.inlines), (block, block.inlines))
            return ((block, block.inlines),)
        case Table():
            return tuple((block, cell.inlines) for cell in block.cells) + tuple((block, note) for note in block.notes)
        case _:
            assert_never(block)


class Qualifier(str, Enum):
    """How the printed figure relates to the true value (取值性质)."""

    EXACT = "exact"
    LOWER_BOUND = "lower_bound"
    UPPER_BOUND = "upper_bound"
    APPROXIMATE = "approximate"
    RANGE = "range"  # "3至5项": `value` is the lower end, `upper` the upper end

    @property
    def chinese(self) -> str:
        return {"exact": "精确值", "lower_bound": "下限", "upper_bound": "上限", "approximate": "约数",
                "range": "区间"}[self.value]


class PercentKind(str, Enum):
    """What a percentage measures, which decides the values it can take (its range check).

    Given on the span as `kind="…"`; a percentage without it is a share. The words around a
    figure never decide this: "完成率" is a share, "完成计划的104%" a ratio, and only the author knows.
    """

    SHARE = "share"      # a part of a whole (占比、覆盖率、办结率): 0 to 100
    RATIO = "ratio"      # against a plan or a past year (完成计划的104%、为上年的120%): 0 or more
    CHANGE = "change"    # a rate of change (增长、下降、增幅): −100 or more

    @property
    def chinese(self) -> str:
        return {"share": "占比", "ratio": "比值", "change": "变动率"}[self.value]

    @property
    def bounds(self) -> tuple[Decimal, Decimal | None]:
        """The lowest and highest value (None: no highest) a percentage of this kind can take."""
        return {"share": (Decimal(0), Decimal(100)), "ratio": (Decimal(0), None),
                "change": (Decimal(-100), None)}[self.value]


@dataclass(frozen=True)
class Indicator:
    """One tagged figure of the report.

    `value` and `unit` are as printed ("20余万人次" gives 20 and "万人次"); `base_value` and
    `base_unit` have the 万/亿 multiplier expanded (200000 人次). A range ("3至5万人", qualifier
    RANGE) has its lower end in `value`/`base_value` and its upper end in `upper`/`base_upper`.
    """

    id: str
    name: str
    text: str
    value: Decimal
    unit: str
    qualifier: Qualifier
    multiplier: int
    base_value: Decimal
    base_unit: str
    section: tuple[str, ...]
    sentence: str
    pos: Position
    scope: str | None = None
    period: str | None = None
    note: str | None = None
    value_given: bool = False
    upper: Decimal | None = None
    base_upper: Decimal | None = None
    # A figure that is a table cell: the table's id, its row and column keys, and the labels
    # printed along the row (label columns, left to right) and above the column (head, top down).
    table_id: str | None = None
    row_key: str | None = None
    column_key: str | None = None
    row_labels: tuple[str, ...] = ()
    column_labels: tuple[str, ...] = ()
    # `kind=` as given on the span; None for a percentage means a share (see `percent_kind`).
    kind: PercentKind | None = None

    @property
    def decimals(self) -> int:
        """How many decimals the report printed, for number formats."""
        exponent = self.value.as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0

    @property
    def is_share(self) -> bool:
        return self.unit in ("%", "％")

    @property
    def is_range(self) -> bool:
        return self.qualifier == Qualifier.RANGE

    @property
    def percent_kind(self) -> PercentKind | None:
        """What a percentage measures (a share unless the span says otherwise); None for other units."""
        if not self.is_share:
            return None
        return self.kind or PercentKind.SHARE


class CheckStatus(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    NOTICE = "notice"
    NOT_EVALUATED = "not_evaluated"

    @property
    def chinese(self) -> str:
        return {"passed": "通过", "failed": "未通过", "notice": "提示", "not_evaluated": "未核验"}[self.value]


@dataclass(frozen=True)
class CheckResult:
    """A consistency rule and its outcome on this report's figures.

    `declared` rules come from the source; the others are automatic (each percentage within the
    range of its kind, unique ids). `left` and `right` are the two sides as computed when each
    has a single value (None for a side holding a bound or a range: `message` gives it), and
    `indicator_ids` the figures the rule reads, so its outcome can mark their rows.
    """

    id: str
    description: str
    expression: str
    declared: bool
    status: CheckStatus
    indicator_ids: tuple[str, ...]
    pos: Position
    left: Decimal | None = None
    right: Decimal | None = None
    tolerance: Decimal = Decimal(0)
    message: str = ""


@dataclass(frozen=True)
class Metadata:
    """The document's furniture, from the front matter. Only `title` is required."""

    title: tuple[str, ...]
    title_given_as_lines: bool = False
    issuer: str | None = None
    date: _dt.date | None = None
    recipients: str | None = None
    doc_number: str | None = None
    note: str | None = None
    attachments: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    printed_by: str | None = None
    printed_on: _dt.date | None = None
    region: str | None = None
    region_code: str | None = None
    period: str | None = None
    profile: str | None = None
    heading_scheme: str | None = None           # "articles": # = 第X章, ## = 第X条; None: 一、（一）1.（1）
    # 版头 [K1–K17]: printed only when `head` is true; see docs/source-format.md.
    head: bool = False
    kind: str | None = None                     # 文种: 通知, 请示, 报告, 函, 纪要 …
    direction: str | None = None                # up (上行文), down (下行文), parallel (平行文); from `kind`
    issuers: tuple[str, ...] = ()               # every issuer, the host (主办机关) first; `issuer` is the host
    issuer_mark: tuple[str, ...] = ()           # the mark's names as given, when not the issuers
    issuer_mark_as_written: bool = False        # the mark is one line printed as given, no suffix (文件) added
    copy_number: str | None = None              # 份号, digits as typed
    secret: str | None = None                   # 密级: 绝密, 机密, 秘密
    secret_period: str | None = None            # 保密期限, e.g. "1年"
    urgency: str | None = None                  # 紧急程度: 特急, 加急
    signers: tuple[str, ...] = ()               # 签发人, in the order of the issuers
    # Special formats (gbt9704-kinds §5–§8): "letter" (信函格式), "order" (命令格式), "minutes" (纪要格式),
    # or None for the 文件格式; `kind: 纪要` implies minutes and `kind: 命令`/`令` order.
    format: str | None = None
    attendees: tuple[str, ...] = ()             # 纪要: 出席 [J2]
    absent: tuple[str, ...] = ()                # 纪要: 请假 [J3]
    observers: tuple[str, ...] = ()             # 纪要: 列席 [J3]
    seal: str | None = None                     # 印章: a PNG, the path as written (relative to the source) [G2]
    seal_png: bytes | None = None               # its bytes, read and checked by the reader
    seals: tuple[str, ...] = ()                 # every seal, one per issuer in their order (joint) [S5]
    seal_pngs: tuple[bytes, ...] = ()           # their bytes; `seal_png` is the first
    signer_titles: tuple[str, ...] = ()         # 命令: 签发人职务, one per 签发人 [M5, S9]
    signature_seals: tuple[str, ...] = ()       # 命令: 签名章 PNGs, one per 职务 [M5, S9]
    signature_seal_pngs: tuple[bytes, ...] = ()
    recipients_in_record: bool | None = None    # 主送 in the 版记 [D6]; None: when too long for the head
    # Provenance for data users: where the report was published and when, the date its 截至目前
    # figures refer to, and the indicator registry (a path relative to the source) it is coded against.
    url: str | None = None
    published: _dt.date | None = None
    reference_date: _dt.date | None = None
    registry: str | None = None
    positions: tuple[tuple[str, Position], ...] = ()

    @property
    def title_text(self) -> str:
        return "".join(self.title)

    def position_of(self, key: str) -> Position | None:
        for name, pos in self.positions:
            if name == key:
                return pos
        return None


@dataclass(frozen=True)
class SourceInfo:
    path: str
    name: str
    stem: str
    sha256: str


@dataclass(frozen=True)
class Attachment:
    """An attachment (附件) printed after the 正文 on pages of its own [gbt9704-kinds F8–F12].

    `number` counts the numbered attachments from 1, as the 附件说明 lists them; an `issued` one
    (the 办法 a 印发 notice issues) prints under its own title only, with no label and no entry
    in the 附件说明, and has number 0. Its blocks use the body grammar, headings numbered afresh.
    """

    number: int
    title: str
    blocks: tuple[Block, ...]
    pos: Position
    issued: bool = False


@dataclass(frozen=True)
class Document:
    source: SourceInfo
    meta: Metadata
    blocks: tuple[Block, ...]
    indicators: tuple[Indicator, ...]
    checks: tuple[CheckResult, ...] = field(default=())
    attachments: tuple[Attachment, ...] = field(default=())

    def all_blocks(self) -> Iterator[Block]:
        """The 正文's blocks, then each attachment's, in reading order."""
        yield from self.blocks
        for attachment in self.attachments:
            yield from attachment.blocks

    def headings(self) -> Iterator[Heading]:
        """Every heading in reading order, standalone and run-in, attachments included."""
        for block in self.all_blocks():
            match block:
                case Heading():
                    yield block
                case Paragraph():
                    if block.lead is not None:
                        yield block.lead
                case Table():
                    pass
                case _:
                    assert_never(block)

    def iter_inline_groups(self) -> Iterator[tuple[Block, tuple[Inline, ...]]]:
        """`inline_groups` of every block, in reading order, attachments included."""
        for block in self.all_blocks():
            yield from inline_groups(block)

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def body_text(self) -> str:
        """The printed body (headings with their numbers, then paragraphs), one block a line;
        each attachment follows as its title line, then its blocks."""
        lines = _block_lines(self.blocks)
        for attachment in self.attachments:
            lines.append(attachment.title)
            lines.extend(_block_lines(attachment.blocks))
        return "\n".join(lines)


def _block_lines(blocks: tuple[Block, ...]) -> list[str]:
    lines = []
    for block in blocks:
        match block:
            case Heading() | Paragraph():
                lines.append(block.printed)
            case Table():
                lines.extend("\t".join(cell.text for cell in row) for row in block.rows())
                lines.extend(inline_text(note) for note in block.notes)
            case _:
                assert_never(block)
    return lines
