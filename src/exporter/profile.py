"""Layout profiles: `templates/<name>.toml`, loaded and validated once, with located errors.

A profile is data, not code: every size, font, margin and format a writer uses is read
from it. The schema below is the single list of what a profile may and must contain.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from .diagnostics import Diagnostic, Diagnostics, ProfileError
from .model import Position

DEFAULT_PROFILE = "gbt9704"

NUMBER = (int, float)
STR_LIST = "list[str]"
NUM_LIST = "list[number]"

ROLE_SCHEMA: dict[str, Any] = {
    "size_pt": NUMBER,
    "word": str,
    "word_latin": str,
    "pdf": STR_LIST,
    "windows_files": STR_LIST,
}
REQUIRED_ROLES = ("title", "body", "heading1", "heading2", "heading3", "heading4", "imprint", "page_number",
                  "table_body", "table_head", "table_caption")

SCHEMA: dict[str, dict[str, Any]] = {
    "profile": {"name": str, "description": str},
    "page": {
        "width_mm": NUMBER, "height_mm": NUMBER, "margin_top_mm": NUMBER,
        "margin_bottom_mm": NUMBER, "margin_left_mm": NUMBER, "margin_right_mm": NUMBER,
    },
    "grid": {
        "lines_per_page": int, "chars_per_line": int, "docx_line_pitch_twips": int,
        "docx_char_spacing_pt": NUMBER, "pdf_line_pitch_pt": NUMBER, "pdf_cell_pt": NUMBER,
        "widow_control": bool,
    },
    "fallback": {"pdf": STR_LIST},
    "title": {"max_chars_per_line": int, "blank_lines_after": int, "lines_per_title_line": int},
    "body": {"first_line_indent_chars": NUMBER, "heading_first_line_indent_chars": NUMBER, "justify": bool},
    "numbering": {"level1": str, "level2": str, "level3": str, "level4": str},
    "recipients": {"indent_chars": NUMBER},
    "attachments": {"blank_lines_before": int, "label": str, "number": str, "indent_chars": NUMBER},
    "table": {
        "caption": str, "unit_line": str, "note_indent_chars": NUMBER, "outer_rule_pt": NUMBER,
        "inner_rule_pt": NUMBER, "cell_padding_mm": NUMBER, "cell_line_spacing": NUMBER,
        "min_column_chars": NUMBER, "label_alignment": str, "number_alignment": str, "header_alignment": str,
        "landscape_min_width_ratio": NUMBER, "cell_padding_vertical_mm": NUMBER,
    },
    "signature": {"blank_lines_before": int, "right_indent_chars": NUMBER, "date_shift_chars": NUMBER},
    "note": {"indent_chars": NUMBER, "open": str, "close": str},
    "imprint": {
        "indent_chars": NUMBER, "outer_rule_pt": NUMBER, "inner_rule_pt": NUMBER,
        "cc_label": str, "cc_separator": str, "cc_end": str, "printed_suffix": str,
    },
    "page_number": {
        "format": str, "distance_below_text_mm": NUMBER, "indent_chars": NUMBER,
        "odd_alignment": str, "even_alignment": str,
    },
    "date": {"format": str},
    "colors": {"text_cmyk": NUM_LIST, "red_cmyk": NUM_LIST, "word_text": str, "word_red": str},
    "docx": {
        "language": str, "footer_distance_mm": NUMBER, "header_distance_mm": NUMBER,
        "autospace_em": NUMBER, "latin_language": str,
        "punctuation_width_percent": NUMBER, "run_boundary_pt": NUMBER,
        "line_fit_margin_pt": NUMBER, "single_line_em": NUMBER,
    },
    "pdf": {
        "language": str, "hang_punctuation": bool, "show_outline": bool, "compress": bool,
        "max_punctuation_compression": NUMBER,
    },
    "xlsx": {
        "data_sheet": str, "font": str, "font_size_pt": NUMBER, "min_column_width": int,
        "max_column_width": int, "integer_format": str,
        "decimal_format": str, "computed_format": str, "readme_sheet": str, "dictionary_sheet": str,
        "checks_sheet": str, "wide_sheet": str, "data_table": str, "dictionary_table": str,
        "checks_table": str, "wide_table": str, "table_style": str, "data_freeze_panes": str,
        "wide_char_units": int, "width_padding": int, "link_style": str, "language": str,
    },
}


class Section(Mapping[str, Any]):
    """A read-only table of a profile, with attribute access (`profile.page.margin_top_mm`)."""

    def __init__(self, name: str, values: Mapping[str, Any]):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_values", MappingProxyType(dict(values)))

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"profile has no [{self._name}] {key}") from None

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("profiles are read-only")

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Section({self._name!r}, {dict(self._values)!r})"


@dataclass(frozen=True)
class Role:
    name: str
    size_pt: float
    word: str
    word_latin: str
    pdf: tuple[str, ...]
    windows_files: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    name: str
    path: str
    sections: Mapping[str, Section]
    roles: Mapping[str, Role]

    def __getattr__(self, key: str) -> Section:
        sections = object.__getattribute__(self, "sections")
        if key in sections:
            return sections[key]
        raise AttributeError(key)

    def role(self, name: str) -> Role:
        return self.roles[name]

    # Derived geometry every writer needs; computed here so no writer re-derives it.
    @property
    def text_width_mm(self) -> float:
        p = self.sections["page"]
        return p.width_mm - p.margin_left_mm - p.margin_right_mm

    @property
    def text_height_mm(self) -> float:
        p = self.sections["page"]
        return p.height_mm - p.margin_top_mm - p.margin_bottom_mm


def templates_dir() -> Path:
    """Where named profiles live: $EXPORTER_TEMPLATES, ./templates, or the ones shipped with the package."""
    env = os.environ.get("EXPORTER_TEMPLATES")
    if env:
        return Path(env)
    cwd = Path.cwd() / "templates"
    if (cwd / f"{DEFAULT_PROFILE}.toml").is_file():
        return cwd
    # In a checkout this link leads to the top-level templates/; in an installed wheel it is a
    # real folder holding copies of them.
    return Path(__file__).resolve().parent / "profiles"


def resolve_profile_path(name_or_path: str | None, relative_to: Path | None = None) -> Path:
    """A profile given as a name ("gbt9704") is looked up in templates/; a path is taken as is."""
    name = name_or_path or DEFAULT_PROFILE
    if name.endswith(".toml") or "/" in name or os.sep in name:
        path = Path(name)
        if not path.is_absolute() and relative_to is not None and not path.exists():
            path = relative_to / path
        return path
    return templates_dir() / f"{name}.toml"


def load_profile(name_or_path: str | None = None, relative_to: Path | None = None) -> Profile:
    path = resolve_profile_path(name_or_path, relative_to)
    return _load_cached(str(path.resolve()) if path.exists() else str(path))


@lru_cache(maxsize=16)
def _load_cached(path_str: str) -> Profile:
    path = Path(path_str)
    shown = _shown_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        available = sorted(p.stem for p in templates_dir().glob("*.toml"))
        raise ProfileError(Diagnostic("error", f"profile not found (available: {', '.join(available) or 'none'})", path=shown))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(Diagnostic("error", f"cannot read profile: {exc}", path=shown))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_error_location(str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        diags = Diagnostics()
        diags.error(f"invalid TOML: {message}", Position(shown, line, col))
        raise ProfileError(diags)
    return _validate(data, text, shown, path)


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return str(path)


def _toml_error_location(message: str) -> tuple[int, int]:
    match = re.search(r"at line (\d+), column (\d+)", message)
    if match:
        return int(match.group(1)), int(match.group(2))
    return 1, 1


class _Locator:
    """Finds the line of `[table]` or `key =` in TOML text, for located messages."""

    def __init__(self, text: str, shown: str):
        self.shown = shown
        self.tables: dict[str, int] = {}
        self.keys: dict[tuple[str, str], tuple[int, int]] = {}
        table = ""
        for lineno, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            header = re.match(r"\[([^\[\]]+)\]", stripped)
            if header:
                table = header.group(1).strip()
                self.tables[table] = lineno
                continue
            key = re.match(r"(\s*)([A-Za-z0-9_\-\"]+)\s*=", line)
            if key:
                self.keys[(table, key.group(2).strip('"'))] = (lineno, len(key.group(1)) + 1)

    def at(self, table: str, key: str | None = None) -> Position:
        if key is not None and (table, key) in self.keys:
            line, col = self.keys[(table, key)]
            return Position(self.shown, line, col)
        return Position(self.shown, self.tables.get(table, 1), 1)


def _type_ok(value: Any, expected: Any) -> bool:
    if expected == STR_LIST:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if expected == NUM_LIST:
        return isinstance(value, list) and all(isinstance(v, NUMBER) and not isinstance(v, bool) for v in value)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == NUMBER:
        return isinstance(value, NUMBER) and not isinstance(value, bool)
    return isinstance(value, expected)


def _type_name(expected: Any) -> str:
    if expected == NUMBER:
        return "a number"
    if expected is int:
        return "an integer"
    if expected is str:
        return "a string"
    if expected is bool:
        return "true or false"
    if expected == STR_LIST:
        return "a list of strings"
    if expected == NUM_LIST:
        return "a list of numbers"
    return str(expected)


def _check_table(table: str, values: Any, schema: dict[str, Any], loc: _Locator, diags: Diagnostics) -> dict:
    if not isinstance(values, dict):
        diags.error(f"[{table}] must be a table", loc.at(table))
        return {}
    for key, value in values.items():
        if key not in schema:
            hint = difflib.get_close_matches(key, list(schema), n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            diags.error(f"unknown key '{key}' in [{table}]{suggestion}", loc.at(table, key))
        elif not _type_ok(value, schema[key]):
            diags.error(f"[{table}] {key} must be {_type_name(schema[key])}, not {value!r}", loc.at(table, key))
    for key in schema:
        if key not in values:
            diags.error(f"[{table}] is missing '{key}'", loc.at(table))
    return values


def _validate(data: dict, text: str, shown: str, path: Path) -> Profile:
    loc = _Locator(text, shown)
    diags = Diagnostics()
    sections: dict[str, Section] = {}
    for table, schema in SCHEMA.items():
        if table not in data:
            diags.error(f"missing table [{table}]", Position(shown, 1, 1))
            continue
        sections[table] = Section(table, _check_table(table, data[table], schema, loc, diags))
    roles: dict[str, Role] = {}
    raw_roles = data.get("roles")
    if not isinstance(raw_roles, dict):
        diags.error("missing table [roles.*] (font roles)", Position(shown, 1, 1))
        raw_roles = {}
    for name in REQUIRED_ROLES:
        if name not in raw_roles:
            diags.error(f"missing font role [roles.{name}]", loc.at("roles", None))
    for name, values in raw_roles.items():
        table = f"roles.{name}"
        checked = _check_table(table, values, ROLE_SCHEMA, loc, diags)
        if all(k in checked and _type_ok(checked[k], t) for k, t in ROLE_SCHEMA.items()):
            roles[name] = Role(
                name=name, size_pt=float(checked["size_pt"]), word=checked["word"],
                word_latin=checked["word_latin"], pdf=tuple(checked["pdf"]),
                windows_files=tuple(checked["windows_files"]),
            )
    for table in data:
        if table not in SCHEMA and table != "roles":
            hint = difflib.get_close_matches(table, list(SCHEMA), n=1)
            suggestion = f" (did you mean '[{hint[0]}]'?)" if hint else ""
            diags.error(f"unknown table [{table}]{suggestion}", loc.at(table))
    if not diags.has_errors:
        _check_geometry(sections, loc, diags)
    if diags.has_errors:
        raise ProfileError(diags)
    name = sections["profile"].name
    return Profile(name=name, path=str(path), sections=MappingProxyType(sections), roles=MappingProxyType(roles))


def _check_geometry(sections: dict[str, Section], loc: _Locator, diags: Diagnostics) -> None:
    page = sections["page"]
    if page.margin_left_mm + page.margin_right_mm >= page.width_mm:
        diags.error("left and right margins leave no text width", loc.at("page", "margin_left_mm"))
    if page.margin_top_mm + page.margin_bottom_mm >= page.height_mm:
        diags.error("top and bottom margins leave no text height", loc.at("page", "margin_top_mm"))
    grid = sections["grid"]
    if grid.lines_per_page < 1 or grid.chars_per_line < 1:
        diags.error("lines_per_page and chars_per_line must be positive", loc.at("grid", "lines_per_page"))
    for level in ("level1", "level2", "level3", "level4"):
        fmt = sections["numbering"][level]
        if "{n}" not in fmt and "{cn}" not in fmt:
            diags.error(f"numbering {level} must contain {{n}} or {{cn}}", loc.at("numbering", level))
    if "{n}" not in sections["page_number"].format:
        diags.error("page_number format must contain {n}", loc.at("page_number", "format"))
