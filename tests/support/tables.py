"""Table models built by hand for the writer tests, until the table reader lands.

`parse_fenced_table` reads the ```table block syntax of TABLES.md far enough for the bundled
tables (merges `<` `^`, `{#key}`, delimiter rows and header bands, labels, notes); it is no
reader: no located errors, figures are kept as printed text with a FigureRef each.
`document_with(table)` puts a table into a small document read from a real source.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from exporter.model import CellKind, Document, FigureRef, Position, Table, TableCell, Text

from support.paths import FIXTURES

_KEY = re.compile(r"\s*\{#([a-z][a-z0-9_]*)(?:\s+unit=\"([^\"]*)\")?\}\s*$")
_ATTR = re.compile(r'(\w+)="([^"]*)"|(\w+)=([^\s}]+)|#(\w+)')
_DELIMITER = re.compile(r"^\|(\s*:?-+:?\s*\|)+$")
_FIGURE = re.compile(r"^\d+(\.\d+)?")


def parse_fenced_table(block: str, path: str = "hand.md") -> Table:
    lines = block.strip().split("\n")
    attrs = {m.group(1) or m.group(3) or "id": m.group(2) or m.group(4) or m.group(5)
             for m in _ATTR.finditer(lines[0].split("{", 1)[1])}
    labels = int(attrs.get("labels", "1"))
    body = [line for line in lines[1:] if line != "```"]
    rows: list[list[str]] = []
    head = -1
    for line in body:
        if _DELIMITER.match(line):
            head = len(rows) if head < 0 else head
        elif line.startswith("|"):
            rows.append([slot.strip() for slot in line.strip().strip("|").split("|")])
    notes = tuple((Text(line, Position(path, 1)),) for line in body if line.startswith(("注：", "注:")))
    # A band is the run of rows without data directly above a later delimiter row.
    band_rows = _bands(rows, head, body, labels)
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c, slot in enumerate(row):
            if slot == "<":
                owner[(r, c)] = owner[(r, c - 1)]
            elif slot == "^":
                owner[(r, c)] = owner[(r - 1, c)]
            else:
                owner[(r, c)] = (r, c)
    cells = []
    table_id = attrs["id"]
    for (r, c), anchor in sorted(owner.items()):
        if anchor != (r, c):
            continue
        slots = [rc for rc, a in owner.items() if a == anchor]
        row_span = max(rc[0] for rc in slots) - r + 1
        column_span = max(rc[1] for rc in slots) - c + 1
        raw = rows[r][c]
        key_match = _KEY.search(raw)
        text = _KEY.sub("", raw) if key_match else raw
        pos = Position(path, r + 2, c + 1)
        if r < head or r in band_rows:
            kind = CellKind.HEADER
        elif c < labels:
            kind = CellKind.LABEL
        elif not text:
            kind = CellKind.BLANK
        elif _FIGURE.match(text):
            kind = CellKind.FIGURE
        else:
            kind = CellKind.TEXT
        inlines: tuple = ()
        if kind == CellKind.FIGURE:
            inlines = (FigureRef(f"{table_id}:r{r}:c{c}", text, pos),)
        elif text:
            inlines = (Text(text, pos),)
        cells.append(TableCell(r, c, row_span, column_span, kind, inlines, pos,
                               key=key_match.group(1) if key_match else None,
                               unit=key_match.group(2) if key_match else None))
    caption = attrs.get("caption")
    unit = attrs.get("unit")
    orientation = attrs.get("orientation")
    return Table(table_id, caption, None, f"单位：{unit}" if unit else None, head, labels, len(rows),
                 len(rows[0]), tuple(cells), notes, (), Position(path, 1),
                 landscape=True if orientation == "landscape" else None)


def _is_band(row: list[str], labels: int) -> bool:
    return not any(_FIGURE.match(slot) for slot in row[labels:])


def _bands(rows: list[list[str]], head: int, body: list[str], labels: int) -> set[int]:
    bands: set[int] = set()
    index = 0
    seen_head = False
    for line in body:
        if _DELIMITER.match(line):
            if seen_head:
                r = index - 1
                while r >= head and _is_band(rows[r], labels) and not _has_label_key(rows[r], labels):
                    bands.add(r)
                    r -= 1
            seen_head = True
        elif line.startswith("|"):
            index += 1
    return bands


def _has_label_key(row: list[str], labels: int) -> bool:
    return any(_KEY.search(slot) for slot in row[:max(labels, 1)])


def with_figure_ids(table: Table, name_of: dict[tuple[int, int], str]) -> Table:
    """The table with its figure cells' ids replaced (e.g. by TABLES.md decision 2 ids)."""
    cells = []
    for cell in table.cells:
        if cell.kind == CellKind.FIGURE and (cell.row, cell.column) in name_of:
            ref = cell.inlines[0]
            assert isinstance(ref, FigureRef)
            cell = dataclasses.replace(cell, inlines=(dataclasses.replace(ref, indicator_id=name_of[(cell.row, cell.column)]),))
        cells.append(cell)
    return dataclasses.replace(table, cells=tuple(cells))


def decision2_ids(table: Table) -> Table:
    """Figure ids `table:row_key:column_key` from the label and header keys (TABLES.md decision 2;
    header bands give the column keys of the rows below them)."""
    grid = table.slot_map()
    band_rows = sorted({c.row for c in table.cells if c.kind == CellKind.HEADER and c.row >= table.header_rows})
    names = {}
    for cell in table.cells:
        if cell.kind != CellKind.FIGURE:
            continue
        row_keys = [a.key for a in dict.fromkeys(grid[cell.row][:table.label_columns]) if a.key]
        bands_above = [r for r in band_rows if r < cell.row]
        head = _band_rows_above(bands_above) if bands_above else list(range(table.header_rows))
        column_keys = [a.key for a in dict.fromkeys(grid[r][cell.column] for r in head) if a.key]
        names[(cell.row, cell.column)] = ":".join(p for p in (table.id, ".".join(row_keys), ".".join(column_keys)) if p)
    return with_figure_ids(table, names)


def _band_rows_above(bands_above: list[int]) -> list[int]:
    last = [bands_above[-1]]
    while len(last) < len(bands_above) and bands_above[-len(last) - 1] == last[0] - 1:
        last.insert(0, last[0] - 1)
    return last


def document_with(*tables: Table, source: Path | None = None, before: int | None = None):
    """A real document (read from `source`) with `tables` inserted after its first `before` blocks
    (default: at the end), and the profile it names."""
    from exporter.reader import read_source

    result = read_source(source or FIXTURES / "full-furniture.md")
    document: Document = result.document
    blocks = list(document.blocks)
    at = len(blocks) if before is None else before
    numbered = []
    n = 0
    for table in tables:
        if table.caption:
            n += 1
            table = dataclasses.replace(table, number=f"表{n}")
        numbered.append(table)
    blocks[at:at] = numbered
    return dataclasses.replace(document, blocks=tuple(blocks)), result.profile


def hand_table_t3() -> Table:
    """Table t3 of the 2021 national template (国办公开办函〔2021〕30号), as in
    tests/fixtures/gov-info-t3-only.md: 28 × 10, 3 head rows, 3 label columns."""
    return decision2_ids(parse_fenced_table(T3_TEXT))


def hand_table_t4_wide() -> Table:
    """Table t4 of the same template: 15 columns, no label column — too wide for portrait."""
    return decision2_ids(parse_fenced_table(T4_TEXT))


T3_TEXT = """```table {#t3 caption="收到和处理政府信息公开申请情况" unit="件" labels=3}
| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | < | < | 申请人情况 | < | < | < | < | < | < |
| ^ | ^ | ^ | 自然人 {#natural} | 法人或其他组织 | < | < | < | < | 总计 {#total} |
| ^ | ^ | ^ | ^ | 商业企业 {#commercial} | 科研机构 {#research} | 社会公益组织 {#nonprofit} | 法律服务机构 {#legal_service} | 其他 {#other_org} | ^ |
|---|---|---|---|---|---|---|---|---|---|
| 一、本年新收政府信息公开申请数量 {#new_received} | < | < | 168 | 12 | 0 | 1 | 4 | 1 | 186 |
| 二、上年结转政府信息公开申请数量 {#carried_over} | < | < | 6 | 1 | 0 | 0 | 0 | 0 | 7 |
| 三、本年度办理结果 | （一）予以公开 {#granted} | < | 72 | 6 | 0 | 1 | 2 | 0 | 81 |
| ^ | （二）部分公开（区分处理的，只计这一情形，不计其他情形） {#partial} | < | 14 | 2 | 0 | 0 | 0 | 0 | 16 |
| ^ | （三）不予公开 {#denied} | 1.属于国家秘密 {#state_secret} | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 2.其他法律行政法规禁止公开 {#law_prohibited} | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| ^ | ^ | 3.危及“三安全一稳定” {#security_stability} | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 4.保护第三方合法权益 {#third_party} | 3 | 1 | 0 | 0 | 0 | 0 | 4 |
| ^ | ^ | 5.属于三类内部事务信息 {#internal_affairs} | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| ^ | ^ | 6.属于四类过程性信息 {#process_info} | 4 | 0 | 0 | 0 | 0 | 0 | 4 |
| ^ | ^ | 7.属于行政执法案卷 {#enforcement_file} | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| ^ | ^ | 8.属于行政查询事项 {#admin_inquiry} | 5 | 0 | 0 | 0 | 0 | 0 | 5 |
| ^ | （四）无法提供 {#unable} | 1.本机关不掌握相关政府信息 {#not_held} | 38 | 2 | 0 | 0 | 1 | 0 | 41 |
| ^ | ^ | 2.没有现成信息需要另行制作 {#needs_creation} | 6 | 0 | 0 | 0 | 0 | 0 | 6 |
| ^ | ^ | 3.补正后申请内容仍不明确 {#still_unclear} | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| ^ | （五）不予处理 {#not_processed} | 1.信访举报投诉类申请 {#petition} | 7 | 0 | 0 | 0 | 0 | 0 | 7 |
| ^ | ^ | 2.重复申请 {#duplicate} | 4 | 0 | 0 | 0 | 1 | 0 | 5 |
| ^ | ^ | 3.要求提供公开出版物 {#publication} | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| ^ | ^ | 4.无正当理由大量反复申请 {#mass_repeat} | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 5.要求行政机关确认或重新出具已获取信息 {#reconfirm} | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| ^ | （六）其他处理 {#other} | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 {#no_correction} | 5 | 1 | 0 | 0 | 0 | 1 | 7 |
| ^ | ^ | 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 {#unpaid_fee} | 0 | | | | | | 0 |
| ^ | ^ | 3.其他 {#other} | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| ^ | （七）总计 {#total_processed} | < | 169 | 12 | 0 | 1 | 4 | 1 | 187 |
| 四、结转下年度继续办理 {#carried_forward} | < | < | 5 | 1 | 0 | 0 | 0 | 0 | 6 |
注：本表数据的统计期限为2023年1月1日至12月31日；空白单元格为未填报，不同于0。
```"""

T4_TEXT = """```table {#t4 caption="政府信息公开行政复议、行政诉讼情况" unit="件" labels=0}
| 行政复议 {#review} | < | < | < | < | 行政诉讼 | < | < | < | < | < | < | < | < | < |
| 结果维持 {#upheld} | 结果纠正 {#corrected} | 其他结果 {#other} | 尚未审结 {#pending} | 总计 {#total} | 未经复议直接起诉 {#suit_direct} | < | < | < | < | 复议后起诉 {#suit_after_review} | < | < | < | < |
| ^ | ^ | ^ | ^ | ^ | 结果维持 {#upheld} | 结果纠正 {#corrected} | 其他结果 {#other} | 尚未审结 {#pending} | 总计 {#total} | 结果维持 {#upheld} | 结果纠正 {#corrected} | 其他结果 {#other} | 尚未审结 {#pending} | 总计 {#total} |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
| 6 | 2 | 1 | 1 | 10 | 2 | 0 | 1 | 1 | 4 | 1 | 0 | 0 | 1 | 2 |
注：行政复议、行政诉讼案件数含上年结转至本年审结的案件。
```"""
