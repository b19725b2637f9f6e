"""The indicator registry: what each indicator code means, so series stay one series.

A registry is a TOML file (registry/*.toml). TOML, not CSV, because an entry is a small record
with optional parts (numerator and denominator only for a percentage, counting words only for a
count), definitions run to a sentence or two and want comments and line breaks beside them, and
the standard library reads it (tomllib). The data package carries the same entries as a CSV
(`exporter data`), which is what a statistician's tools read.

    [registry]
    name = "county-rule-of-law"
    title = "县级法治政府建设年度报告指标"

    [indicators.online_handling_rate]
    name = "网上办件率"
    definition = "网上办理的政务服务事项办件量占全部办件量的百分比。"
    measure = "%"                  # the unit of measure of the 折算数值, or "count"
    kind = "ratio"                 # stock (a level on a date), flow (over the period), ratio
    aggregation = "weighted_mean"  # sum, mean, weighted_mean (with weight = code), min, max, none
    weight = "cases_handled"
    minimum = 0
    maximum = 100
    numerator = "cases_handled_online"
    denominator = "cases_handled"

    [indicators.cancelled_licensing_items]
    measure = "count"
    counted = "行政许可事项"        # what is counted, separate from the word it is counted with
    counting_words = ["项", "件"]  # 量词 a report may print: 14件 and 12项 of 事项 are one measure

A key holding `*` is a pattern matched against whole ids (fnmatch), for families of codes such
as the cells of a table (`"t3:denied.*:natural"`). An exact entry wins over a pattern, and of
several matching patterns the first in the file does (a narrower one goes first).

A source names its registry in the front matter: `registry: county-rule-of-law` for a shipped
one (registry/*.toml), or a path relative to the source (`registry: ../registry/x.toml`). `exporter check` then warns on ids the registry does not know and stops on a figure
whose unit or kind contradicts its entry.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePath

from .diagnostics import ERROR, WARNING, Diagnostic, ProfileError
from .model import Document, Indicator, Position

COUNT = "count"
KINDS = ("stock", "flow", "ratio")
AGGREGATIONS = ("sum", "mean", "weighted_mean", "min", "max", "none")
ENTRY_KEYS = ("name", "definition", "measure", "counted", "counting_words", "kind", "aggregation", "weight",
              "minimum", "maximum", "numerator", "denominator")
REQUIRED = ("name", "definition", "measure", "kind", "aggregation")
# Counting words (量词): they name no unit, only how objects are counted. 人次, 户次, 元, %, 年 are units.
COUNTING_WORDS = frozenset("项 件 个 家 户 人 名 份 条 卷 部 所 起 篇 期 批 宗 座 处 张 册 本 台 辆 套 例 位 支 首 幅 集 门 类 组 届 轮 单 场 次 场次".split())
SHARE_UNITS = frozenset({"%", "％", "‰", "‱"})
_CODE = re.compile(r"^[a-z0-9][a-z0-9_.:*\-]*$")


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    definition: str
    measure: str
    kind: str
    aggregation: str
    pos: Position
    counted: str | None = None
    counting_words: tuple[str, ...] = ()
    weight: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    numerator: str | None = None
    denominator: str | None = None

    @property
    def is_pattern(self) -> bool:
        return "*" in self.code

    @property
    def unit_description(self) -> str:
        if self.measure == COUNT:
            return f"a count of {self.counted or 'objects'} in {'/'.join(self.counting_words)}"
        return f"measured in {self.measure}"

    def accepts(self, base_unit: str) -> bool:
        if self.measure == COUNT:
            return base_unit in self.counting_words
        return base_unit == self.measure or {base_unit, self.measure} <= {"%", "％"}


@dataclass(frozen=True)
class Registry:
    name: str
    title: str
    path: str
    entries: tuple[Entry, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_exact", {e.code: e for e in self.entries if not e.is_pattern})
        object.__setattr__(self, "_patterns", [e for e in self.entries if e.is_pattern])

    def lookup(self, code: str) -> Entry | None:
        exact: dict[str, Entry] = getattr(self, "_exact")
        if code in exact:
            return exact[code]
        for entry in getattr(self, "_patterns"):
            if fnmatch.fnmatchcase(code, entry.code):
                return entry
        return None


def load_registry(path: Path, shown: str | None = None) -> Registry:
    """Read and check a registry file; every problem is reported together (ProfileError, exit 3)."""
    shown = shown or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileError(Diagnostic(ERROR, f"cannot read the indicator registry: {exc.strerror or exc}",
                                      path=shown)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(Diagnostic(ERROR, f"indicator registry is not valid TOML: {exc}", path=shown)) from None
    lines = text.splitlines()
    headers = _header_lines(lines)
    problems: list[Diagnostic] = []

    def where(code: str | None, key: str | None = None) -> Position:
        header = headers.get(code, 1) if code is not None else 1
        if key is not None:
            for number in range(header, len(lines) + 1):
                if number > header and lines[number - 1].lstrip().startswith("["):
                    break
                if re.match(rf"\s*{re.escape(key)}\s*=", lines[number - 1]):
                    return Position(shown, number, 1)
        return Position(shown, header, 1)

    def problem(message: str, pos: Position) -> None:
        problems.append(Diagnostic(ERROR, message, pos))

    head = data.get("registry", {})
    indicators = data.get("indicators", {})
    for key in data:
        if key not in ("registry", "indicators"):
            problem(f"unknown table [{key}] in the indicator registry (allowed: [registry], [indicators.CODE])",
                    where(None))
    if not isinstance(head, dict) or not isinstance(head.get("name"), str) or not head.get("name"):
        problem("the indicator registry needs [registry] name = \"…\"", Position(shown, 1, 1))
        head = {}
    entries: list[Entry] = []
    for code, raw in indicators.items() if isinstance(indicators, dict) else ():
        entry = _entry(code, raw, where, problem)
        if entry is not None:
            entries.append(entry)
    known = {e.code for e in entries}
    for e in entries:
        for key in ("numerator", "denominator", "weight"):
            ref = getattr(e, key)
            if ref is not None and ref not in known:
                problem(f"{e.code}: {key} '{ref}' is not an indicator of this registry", where(e.code, key))
    if problems:
        raise ProfileError(problems)
    return Registry(str(head.get("name")), str(head.get("title") or head.get("name")), shown, tuple(entries))


def _entry(code: str, raw: object, where, problem) -> Entry | None:
    pos = where(code)
    if not _CODE.match(code):
        problem(f"'{code}' is not an indicator code (lower-case letters, digits, _ . : - and * for patterns)", pos)
        return None
    if not isinstance(raw, dict):
        problem(f"{code}: an entry is a table [indicators.{code}]", pos)
        return None
    ok = True
    for key in raw:
        if key not in ENTRY_KEYS:
            problem(f"{code}: unknown key '{key}' (allowed: {', '.join(ENTRY_KEYS)})", where(code, key))
            ok = False
    for key in REQUIRED:
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            problem(f"{code}: '{key}' is required (text)", where(code, key) if key in raw else pos)
            ok = False
    if not ok:
        return None
    measure, kind, aggregation = raw["measure"].strip(), raw["kind"].strip(), raw["aggregation"].strip()
    if kind not in KINDS:
        problem(f"{code}: kind must be one of {', '.join(KINDS)}, not '{kind}'", where(code, "kind"))
        ok = False
    if aggregation not in AGGREGATIONS:
        problem(f"{code}: aggregation must be one of {', '.join(AGGREGATIONS)}, not '{aggregation}'",
                where(code, "aggregation"))
        ok = False
    if (aggregation == "weighted_mean") != ("weight" in raw):
        problem(f"{code}: weight (an indicator code) goes with aggregation = \"weighted_mean\", and only with it",
                where(code, "weight" if "weight" in raw else "aggregation"))
        ok = False
    words = raw.get("counting_words", [])
    if measure == COUNT:
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
            problem(f"{code}: a count lists the counting words it may be printed with: counting_words = [\"项\"]",
                    where(code, "counting_words") if "counting_words" in raw else where(code, "measure"))
            ok = False
        elif bad := [w for w in words if w not in COUNTING_WORDS]:
            problem(f"{code}: {', '.join(bad)} is a unit of measure, not a counting word: write measure = \"{bad[0]}\"",
                    where(code, "counting_words"))
            ok = False
    else:
        if measure in COUNTING_WORDS:
            problem(f"{code}: '{measure}' is a counting word, not a unit: write measure = \"count\", "
                    f"counting_words = [\"{measure}\"] and counted = \"…\"", where(code, "measure"))
            ok = False
        if "counting_words" in raw or "counted" in raw:
            problem(f"{code}: counted and counting_words belong to measure = \"count\"", where(code, "measure"))
            ok = False
    bounds: dict[str, Decimal | None] = {}
    for key in ("minimum", "maximum"):
        value = raw.get(key)
        if value is None:
            bounds[key] = None
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            bounds[key] = Decimal(str(value))
        else:
            problem(f"{code}: {key} must be a number", where(code, key))
            ok = False
    if (raw.get("numerator") is None) != (raw.get("denominator") is None):
        problem(f"{code}: numerator and denominator come together", where(code, "numerator" if "numerator" in raw
                                                                            else "denominator"))
        ok = False
    if not ok:
        return None
    return Entry(
        code=code, name=raw["name"].strip(), definition=raw["definition"].strip(), measure=measure, kind=kind,
        aggregation=aggregation, pos=pos, counted=raw.get("counted"), counting_words=tuple(words),
        weight=raw.get("weight"), minimum=bounds["minimum"], maximum=bounds["maximum"],
        numerator=raw.get("numerator"), denominator=raw.get("denominator"),
    )


_TABLE_HEADER = re.compile(r'^\s*\[\s*indicators\s*\.\s*(?:"([^"]*)"|([^\]\s"]+))\s*\]')


def _header_lines(lines: list[str]) -> dict[str, int]:
    """Each entry's `[indicators.CODE]` line, found in one pass (a pattern per entry made a
    registry of 70 entries cost a tenth of a second for every `check`)."""
    found: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        match = _TABLE_HEADER.match(line)
        if match:
            found.setdefault(match.group(1) if match.group(1) is not None else match.group(2), number)
    return found


SHIPPED = Path(__file__).resolve().parent / "registries"


def registry_path(document: Document) -> Path | None:
    """The registry the source names: a bare name is a shipped registry (registry/NAME.toml), as a
    profile name is; a path (with '/' or '.toml') is relative to the source's folder."""
    named = document.meta.registry
    if not named:
        return None
    if "/" in named or "\\" in named or named.endswith(".toml"):
        return Path(document.source.path).parent / named
    return SHIPPED / f"{named}.toml"


def check_against(document: Document, registry: Registry) -> list[Diagnostic]:
    """Unknown ids are warnings; a unit or kind that contradicts the entry is an error."""
    found: list[Diagnostic] = []
    name = PurePath(registry.path).name
    unknown = 0
    for ind in document.indicators:
        entry = registry.lookup(ind.id)
        if entry is None:
            unknown += 1
            found.append(Diagnostic(WARNING, f"indicator '{ind.id}' is not in the registry {name}: add it "
                                             f"(exporter registry suggest drafts the entry)", ind.pos))
            continue
        message = drift(entry, ind)
        if message:
            found.append(Diagnostic(ERROR, f"{message} (registry entry at {entry.pos})", ind.pos))
            continue
        if entry.minimum is not None and ind.base_value < entry.minimum or (
                entry.maximum is not None and ind.base_value > entry.maximum):
            found.append(Diagnostic(WARNING, f"'{ind.id}' is {ind.text}, outside the registry's valid range "
                                             f"[{entry.minimum}, {entry.maximum}] ({entry.pos})", ind.pos))
    return found


def drift(entry: Entry, ind: Indicator) -> str | None:
    """Why `ind` is not what `entry` describes (another unit, a share for a count), or None."""
    if entry.accepts(ind.base_unit):
        return None
    share_here, share_there = ind.base_unit in SHARE_UNITS, entry.measure in SHARE_UNITS
    if share_here != share_there:
        what = "a percentage" if share_here else f"in {ind.base_unit or 'no unit'}"
        return (f"kind drift: '{ind.id}' is {what} here ({ind.text}), but the registry says it is "
                f"{entry.unit_description}")
    return (f"unit drift: '{ind.id}' is printed in {ind.base_unit or 'no unit'} ({ind.text}), but the registry says "
            f"it is {entry.unit_description}")


# ---- drafts --------------------------------------------------------------------------------

_FLOW_SCOPES = ("全年", "累计", "一年来", "今年以来", "年内")
_STOCK_SCOPES = ("截至目前", "时点", "年末", "年底")


def draft_entry(ind: Indicator, period: str | None) -> str:
    """A TOML entry for `ind`, drafted from the report: every value is to be checked by a person."""
    share = ind.base_unit in SHARE_UNITS
    count = ind.base_unit in COUNTING_WORDS
    scope = ind.scope or ""
    kind = "ratio" if share else ("stock" if scope.startswith(_STOCK_SCOPES) else "flow")
    lines = [f"[indicators.{_key(ind.id)}]",
             f"name = {_toml(ind.name)}",
             f"definition = {_toml(_definition(ind, period))}  # draft: rewrite as a definition"]
    if count:
        counted = re.sub(r"(?:数量|数)$", "", ind.name)
        lines += ['measure = "count"', f"counted = {_toml(counted)}", f"counting_words = [{_toml(ind.base_unit)}]"]
    else:
        lines.append(f"measure = {_toml(ind.base_unit)}")
    lines.append(f'kind = "{kind}"')
    if share:
        lines += ['aggregation = "none"  # draft: weighted_mean with weight = the denominator\'s code, if registered',
                  "minimum = 0"]
        if ind.base_unit in ("%", "％"):
            lines.append("maximum = 100")
    else:
        lines += ['aggregation = "sum"', "minimum = 0"]
    return "\n".join(lines) + "\n"


def _definition(ind: Indicator, period: str | None) -> str:
    when = {"截至目前": "截至报告时", "累计": "累计", "一年来": "报告年度内", "全年": "全年"}.get(ind.scope or "", "")
    return f"{when}{ind.name.removesuffix('数')}的{'比率' if ind.base_unit in SHARE_UNITS else '数量'}（原文：{ind.sentence}）"


def _key(code: str) -> str:
    return code if re.fullmatch(r"[A-Za-z0-9_-]+", code) else _toml(code)


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_LOADED: dict[tuple[str, int], Registry] = {}


def registry_of(document: Document) -> Registry | None:
    """The registry the document names, read once per file and modification time (a batch shares one)."""
    path = registry_path(document)
    if path is None:
        return None
    try:
        key = (str(path.resolve()), path.stat().st_mtime_ns)
    except OSError:
        pos = document.meta.position_of("registry")
        raise ProfileError(Diagnostic(ERROR, f"indicator registry '{document.meta.registry}' not found "
                                             "(a name is one of registry/*.toml; a path is relative to the source's folder)",
                                      pos)) from None
    if key not in _LOADED:
        _LOADED[key] = load_registry(path, _shown_registry(path, document.meta.registry or path.name))
    return _LOADED[key]


def _shown_registry(path: Path, named: str) -> str:
    """registry/NAME.toml for a shipped one; a profile's (absolute) path relative to the working folder."""
    if path.parent == SHIPPED:
        return f"registry/{path.name}"
    if path.is_absolute():
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)
    return named


def registry_findings(document: Document) -> list[Diagnostic]:
    registry = registry_of(document)
    return [] if registry is None else check_against(document, registry)
