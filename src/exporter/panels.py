"""Rules for combining reports into one panel, shared by `xlsx --combine` and `data`.

A panel keyed by (地区代码, 统计时期, 指标代码) is only as good as its keys. Each rule here stops
the panel with a located error naming both places, instead of a warning a user may miss:

* a key two figures claim (a copied source with a stale period="2021" gives 2022's figure the
  2021 key, and one of them silently disappears from a wide table);
* one indicator code in different units (人次 here, 件 there) or bound kinds (20余万 is a lower
  bound, 198000 exact: side by side they look like a fall);
* one region under two codes (532325 and 532325000000, or a typo);
* an indicator code whose name is another code's name in another report (a likely rename, which
  splits one series into two).

The rules read one report at a time and keep only small per-figure records, so a panel of
thousands of reports is checked in time and memory linear in the number of figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import ERROR, Diagnostic
from .model import Document, Position, Qualifier
from .registry import registry_of

UNSPECIFIED = "未注明"


@dataclass(frozen=True)
class _Seen:
    pos: Position
    source: str
    value: str


def period_of(document: Document, period: str | None) -> str:
    return period or document.meta.period or UNSPECIFIED


class PanelRules:
    """Feed reports with `add`; `errors` lists every violation, each at the later place, naming the earlier."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str, str], _Seen] = {}
        self.units: dict[str, _Seen] = {}
        self.bounds: dict[str, _Seen] = {}
        self.region_codes: dict[str, _Seen] = {}
        self.code_regions: dict[str, _Seen] = {}
        self.names: dict[str, tuple[str, _Seen]] = {}  # name → (indicator code, where)
        self.errors: list[Diagnostic] = []

    def _error(self, message: str, pos: Position, other: _Seen) -> None:
        self.errors.append(Diagnostic(ERROR, f"{message} (the other is at {other.pos})", pos))

    def add(self, document: Document) -> None:
        meta, source = document.meta, document.source.path
        registry = registry_of(document)
        region_pos = meta.position_of("region_code") or meta.position_of("region") or Position(source, 1, 1)
        code = meta.region_code or ""
        self._region(meta.region or "", code, region_pos, source)
        names_here: dict[str, tuple[str, _Seen]] = {}
        for ind in document.indicators:
            here = _Seen(ind.pos, source, "")
            key = (code, period_of(document, ind.period), ind.id)
            first = self.keys.get(key)
            if first is not None:
                self._error(f"duplicate key: '{ind.id}' for {code or UNSPECIFIED} {key[1]} is given twice "
                            f"(a stale period=\"…\" in a copied source?)", ind.pos, first)
            else:
                self.keys[key] = here
            unit = self.units.setdefault(ind.id, _Seen(ind.pos, source, ind.base_unit))
            entry = registry.lookup(ind.id) if registry is not None else None
            same_measure = entry is not None and entry.accepts(unit.value) and entry.accepts(ind.base_unit)
            if unit.value != ind.base_unit and not same_measure:
                self._error(f"'{ind.id}' changes unit across reports: {ind.base_unit or 'no unit'} here "
                            f"({ind.text}), {unit.value or 'no unit'} in the other", ind.pos, unit)
            bound = self.bounds.setdefault(ind.id, _Seen(ind.pos, source, ind.qualifier.value))
            if bound.value != ind.qualifier.value:
                self._error(f"'{ind.id}' changes bound kind across reports: {ind.qualifier.chinese} here "
                            f"({ind.text}), {Qualifier(bound.value).chinese} in the other: the two do not compare "
                            "as numbers", ind.pos, bound)
            known = self.names.get(ind.name)
            if known is not None and known[0] != ind.id and known[1].source != source:
                self._error(f"'{ind.id}' has the name “{ind.name}”, which is '{known[0]}' in another report: "
                            f"a renamed id splits the series (use '{known[0]}', or give the figure its own name)",
                            ind.pos, known[1])
            names_here.setdefault(ind.name, (ind.id, here))
        for name, seen in names_here.items():
            self.names.setdefault(name, seen)

    def _region(self, region: str, code: str, pos: Position, source: str) -> None:
        if not code:
            return
        # A 12-digit code ending in 000000 is the 6-digit one written long: the same region.
        short = code[:6] if len(code) == 12 and code.endswith("000000") else code
        seen = self.code_regions.setdefault(short, _Seen(pos, source, code))
        if seen.value != code:
            self._error(f"region {region or code} is written as {code} here and {seen.value} in another "
                        "report: one region takes one code", pos, seen)
            return
        if region:
            named = self.region_codes.setdefault(region, _Seen(pos, source, short))
            if named.value != short:
                self._error(f"region {region} has the code {code} here and another code in another report",
                            pos, named)


def panel_errors(documents: list[Document]) -> list[Diagnostic]:
    rules = PanelRules()
    for document in documents:
        rules.add(document)
    return rules.errors
