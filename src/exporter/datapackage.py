"""`exporter data`: the figures of one or many reports as a Frictionless Data Package.

Another output of the same model as the workbook, for programs rather than people: UTF-8 CSVs
with a `datapackage.json` whose Table Schema types every column, declares the primary key
(地区代码, 统计时期, 指标代码) and foreign keys into the reports and the indicator registry, and
types 地区代码 and 统计时期 as strings with patterns, so a reader that follows the schema
(frictionless, or pandas with the schema's dtypes) keeps them as text. It has no row limit.

It is a command of its own, not a format of the writers registry: a writer turns one document
into one file, and a package is one set of files for many documents, written as the reports are
read (only a small record per figure stays in memory, for the panel rules).

Files: indicators.csv (one row per figure, the workbook's 指标 columns under ASCII names, the
Chinese header as each field's title), checks.csv (every consistency check), sources.csv (one
row per report: title, region, period, url, published, sha256), registry.csv (the entries of the
registries the reports name). CSV cells are not formula-escaped: a quote stays verbatim, and a
person opens the .xlsx, which guards every cell.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from . import __version__
from .model import Document
from .panels import UNSPECIFIED, PanelRules
from .reader.periods import PERIOD_PATTERN
from .registry import Registry, registry_of
from .writers.xlsx.columns import DATA_COLUMNS, NUMBER, indicator_rows

PACKAGE_NAME = "indicators"
INTEGER_COLUMNS = frozenset({"原文偏移"})
REGION_CODE_PATTERN = r"\d{6}(\d{6})?"
QUALIFIERS = ("精确值", "下限", "上限", "约数", "区间")

# Extra fields of indicators.csv beyond the workbook's columns: which report a row comes from,
# and the registry entry (exact code or pattern) that defines it, empty when the registry lacks it.
EXTRA_FIELDS = (
    {"name": "source_file", "title": "源文件", "type": "string", "constraints": {"required": True},
     "description": "源文件名；sources.csv 中该报告的一行。"},
    {"name": "registry", "title": "指标登记表", "type": "string",
     "description": "定义该指标的登记表名称；登记表中没有该指标时为空。"},
    {"name": "registry_code", "title": "登记表代码", "type": "string",
     "description": "登记表中定义该指标的条目（指标代码或通配模式，如 t3:denied.*:natural）；登记表中没有时为空。"},
)
CHECK_FIELDS = (
    ("source_file", "源文件", "string"), ("check_id", "规则代码", "string"), ("declared", "源文件声明", "boolean"),
    ("description", "规则说明", "string"), ("expression", "表达式", "string"), ("left", "左值", "number"),
    ("right", "右值", "number"), ("tolerance", "容差", "number"), ("status", "判定", "string"),
    ("indicator_ids", "涉及指标", "string"), ("message", "说明", "string"), ("source_location", "原文位置", "string"),
)
SOURCE_FIELDS = (
    ("source_file", "源文件", "string"), ("title", "报告标题", "string"), ("issuer", "发文机关", "string"),
    ("region", "地区", "string"), ("region_code", "地区代码", "string"), ("time_period", "统计时期", "string"),
    ("url", "发布网址", "string"), ("published", "发布日期", "date"), ("reference_date", "截至日期", "date"),
    ("sha256", "源文件 SHA-256", "string"),
)
REGISTRY_FIELDS = (
    ("registry", "登记表", "string"), ("code", "指标代码", "string"), ("name", "指标名称", "string"),
    ("definition", "定义", "string"), ("measure", "计量单位", "string"), ("counted", "计数对象", "string"),
    ("counting_words", "量词", "string"), ("kind", "存量/流量/比率", "string"), ("aggregation", "汇总方法", "string"),
    ("weight", "权重指标", "string"), ("minimum", "下限", "number"), ("maximum", "上限", "number"),
    ("numerator", "分子指标", "string"), ("denominator", "分母指标", "string"),
)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class PackageWriter:
    """Streams reports into the package's CSVs; `finish` writes the registry and the descriptor."""

    indicators: IO[str]
    checks: IO[str]
    sources: IO[str]
    rules: PanelRules = field(default_factory=PanelRules)
    registries: dict[str, Registry] = field(default_factory=dict)
    reports: int = 0
    rows: int = 0
    periods: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._indicators = csv.writer(self.indicators, lineterminator="\n")
        self._checks = csv.writer(self.checks, lineterminator="\n")
        self._sources = csv.writer(self.sources, lineterminator="\n")
        self._indicators.writerow([c.english for c in DATA_COLUMNS] + [f["name"] for f in EXTRA_FIELDS])
        self._checks.writerow([name for name, _, _ in CHECK_FIELDS])
        self._sources.writerow([name for name, _, _ in SOURCE_FIELDS])

    def add(self, document: Document) -> None:
        self.rules.add(document)
        registry = registry_of(document)
        if registry is not None:
            self.registries.setdefault(registry.name, registry)
        name = document.source.name
        for row in indicator_rows(document):
            entry = registry.lookup(row.indicator.id) if registry is not None else None
            self._indicators.writerow([_plain(row.values[c.header]) for c in DATA_COLUMNS]
                                      + [name, registry.name if entry and registry else "", entry.code if entry else ""])
            self.periods.add(str(row.values["统计时期"] or UNSPECIFIED))
        self.rows += len(document.indicators)
        for check in document.checks:
            self._checks.writerow([_plain(v) for v in (
                name, check.id, check.declared, check.description, check.expression, check.left, check.right,
                check.tolerance, check.status.chinese, "、".join(check.indicator_ids), check.message or None,
                f"{name}:{check.pos.line}" if check.pos.path else None)])
        meta = document.meta
        self._sources.writerow([_plain(v) for v in (
            name, meta.title_text, meta.issuer, meta.region, meta.region_code, meta.period, meta.url,
            meta.published.isoformat() if meta.published else None,
            meta.reference_date.isoformat() if meta.reference_date else None, document.source.sha256)])
        self.reports += 1

    def write_registry(self, out: IO[str]) -> None:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([name for name, _, _ in REGISTRY_FIELDS])
        for registry in sorted(self.registries.values(), key=lambda r: r.name):
            for e in registry.entries:
                writer.writerow([_plain(v) for v in (
                    registry.name, e.code, e.name, e.definition, e.measure, e.counted, "|".join(e.counting_words) or None,
                    e.kind, e.aggregation, e.weight, e.minimum, e.maximum, e.numerator, e.denominator)])

    def descriptor(self) -> dict[str, Any]:
        return {
            "profile": "tabular-data-package",
            "name": PACKAGE_NAME,
            "title": f"数值指标（{self.reports} 份报告）",
            "description": "Every tagged figure of the reports, one row per figure, keyed by region code, period and "
                           "indicator code. Read with the schema: 地区代码 (region_code) and 统计时期 (time_period) are "
                           "strings, e.g. pandas.read_csv(path, dtype={'region_code': str, 'time_period': str}). "
                           "Percentages are in percentage points (53.62 means 53.62%); 万/亿 are kept as printed in "
                           "obs_value and expanded in obs_value_base.",
            "created_by": f"exporter {__version__}",
            "keywords": sorted(self.periods),
            "resources": [
                _resource("indicators", "indicators.csv", "数值指标", self._indicator_schema()),
                _resource("checks", "checks.csv", "一致性核验", _schema(CHECK_FIELDS, foreign=("source_file", "sources",
                                                                                    "source_file"))),
                _resource("sources", "sources.csv", "报告", _schema(SOURCE_FIELDS, key=["source_file"])),
                _resource("registry", "registry.csv", "指标登记表", _schema(REGISTRY_FIELDS, key=["registry", "code"])),
            ],
        }

    def _indicator_schema(self) -> dict[str, Any]:
        fields = []
        for column in DATA_COLUMNS:
            kind = "integer" if column.header in INTEGER_COLUMNS else ("number" if column.kind == NUMBER else "string")
            spec: dict[str, Any] = {"name": column.english, "title": column.header, "type": kind,
                                    "description": column.meaning}
            constraints: dict[str, Any] = {}
            if column.required or column.header in ("地区代码",):
                constraints["required"] = True
            if column.header == "地区代码":
                constraints["pattern"] = REGION_CODE_PATTERN
            elif column.header == "统计时期":
                constraints["pattern"] = PERIOD_PATTERN
            elif column.header == "取值性质":
                constraints["enum"] = list(QUALIFIERS)
            elif column.header == "原文偏移":
                constraints["minimum"] = 0
            if constraints:
                spec["constraints"] = constraints
            fields.append(spec)
        fields.extend(EXTRA_FIELDS)
        return {
            "fields": fields,
            "missingValues": [""],
            "primaryKey": ["ref_area", "time_period", "indicator_id"],
            "foreignKeys": [
                {"fields": "source_file", "reference": {"resource": "sources", "fields": "source_file"}},
                {"fields": ["registry", "registry_code"], "reference": {"resource": "registry",
                                                                        "fields": ["registry", "code"]}},
            ],
        }


def _schema(columns: tuple[tuple[str, str, str], ...], key: list[str] | None = None,
            foreign: tuple[str, str, str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [{"name": name, "title": title, "type": kind} for name, title, kind in columns],
        "missingValues": [""],
    }
    if key:
        schema["primaryKey"] = key
    if foreign:
        schema["foreignKeys"] = [{"fields": foreign[0], "reference": {"resource": foreign[1], "fields": foreign[2]}}]
    return schema


def _resource(name: str, path: str, title: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "path": path, "title": title, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}


def descriptor_bytes(descriptor: dict[str, Any]) -> bytes:
    return (json.dumps(descriptor, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


PACKAGE_FILES = ("datapackage.json", "indicators.csv", "checks.csv", "sources.csv", "registry.csv")


def package_targets(folder: Path) -> dict[str, Path]:
    return {name: folder / name for name in PACKAGE_FILES}


def run_data_command(reporter: Any, paths: list[Path], folder: Path, profile_name: str | None,
                     force: bool = False) -> int:
    """Read every source into the package's temporaries, then commit them together, or write nothing."""
    from . import outputs
    from .diagnostics import EXIT_CODES, ERROR, Diagnostic, ExportError
    from .pipeline import read

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reporter.diagnostics([Diagnostic(ERROR, f"cannot create output folder: {exc.strerror}", path=str(folder))])
        return EXIT_CODES["output error"]
    worst = 0
    text_files = ("indicators.csv", "checks.csv", "sources.csv", "registry.csv")
    try:
        outputs.refuse_special_target(folder / "datapackage.json")
        with outputs.Staging(folder, force=force) as staging:
            handles = {name: staging.new(folder / name) for name in PACKAGE_FILES}
            texts = {name: io.TextIOWrapper(handles[name], encoding="utf-8", newline="") for name in text_files}
            try:
                package = PackageWriter(texts["indicators.csv"], texts["checks.csv"], texts["sources.csv"])
                for path in paths:
                    try:
                        document, _profile, warnings = read(path, profile_name)
                    except ExportError as exc:
                        reporter.diagnostics(exc.diagnostics)
                        worst = worst or exc.exit_code
                        continue
                    reporter.diagnostics(warnings)
                    missing = [key for key, value in (("region_code", document.meta.region_code),
                                                      ("period", document.meta.period)) if not value]
                    if missing:
                        reporter.diagnostics([Diagnostic(ERROR, f"a data package keys every figure by region code "
                                                                f"and period: the front matter needs {' and '.join(missing)}",
                                                         path=document.source.path)])
                        worst = worst or EXIT_CODES["source error"]
                        continue
                    package.add(document)
                if worst or package.rules.errors:
                    reporter.diagnostics(package.rules.errors)
                    reporter.info(f"{folder}: not written, " + ("a source failed" if worst else
                                                                "the reports do not combine into one panel"))
                    return worst or EXIT_CODES["source error"]
                package.write_registry(texts["registry.csv"])
            finally:
                # The staging owns the binary files: hand them back without closing them.
                for text in texts.values():
                    text.flush()
                    text.detach()
            handles["datapackage.json"].write(descriptor_bytes(package.descriptor()))
            staging.commit()
    except ExportError as exc:
        reporter.diagnostics(exc.diagnostics)
        return exc.exit_code
    except OSError as exc:
        reporter.diagnostics([Diagnostic(ERROR, f"cannot write output: {exc.strerror or exc}",
                                         path=str(exc.filename or folder))])
        return EXIT_CODES["output error"]
    reporter.detail(f"wrote {folder}/datapackage.json ({package.reports} reports, {package.rows} rows)")
    return 0
