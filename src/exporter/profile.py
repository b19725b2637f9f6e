"""Layout profiles: `templates/<name>.toml`, loaded and validated once, with located errors.

A profile is data, not code: every size, font, margin and format a writer uses is read
from it. SCHEMA below is the single list of what a profile may and must contain; RULES
says which values each key accepts, and `_check_together` which values must agree (the
grid must fit the page, sheet names must differ). Every problem is reported at the TOML
key that causes it, all of them together, one message each, so a writer never meets a
value it cannot use.

A profile may start from another one: `extends = "gbt9704"` (a name, or a path relative to
the extending file) takes every table and key from that profile and overrides only those the
file sets, so a house profile keeps loading when a later version adds a key to the default.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
import string
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator, Mapping, Protocol

from .diagnostics import Diagnostic, Diagnostics, ProfileError
from .model import Position
from .units import Mm

DEFAULT_PROFILE = "gbt9704"
EXTENDS = "extends"

NUMBER = (int, float)
STR_LIST = "list[str]"
NUM_LIST = "list[number]"

ROLE_SCHEMA: dict[str, Any] = {
    "size_pt": NUMBER,
    "word": str,
    "word_latin": str,
    "pdf": STR_LIST,
    "pdf_latin": STR_LIST,
    "windows_files": STR_LIST,
}
REQUIRED_ROLES = ("title", "body", "heading1", "heading2", "heading3", "heading4", "imprint", "page_number",
                  "table_body", "table_head", "table_caption", "issuer_mark", "head_label", "signer")

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
    "numbering": {"level1": str, "level2": str, "level3": str, "level4": str, "chapter": str, "article": str},
    "recipients": {"indent_chars": NUMBER},
    "attachments": {"blank_lines_before": int, "label": str, "number": str, "indent_chars": NUMBER},
    "table": {
        "caption": str, "unit_line": str, "note_indent_chars": NUMBER, "outer_rule_pt": NUMBER,
        "inner_rule_pt": NUMBER, "cell_padding_mm": NUMBER, "cell_line_spacing": NUMBER,
        "min_column_chars": NUMBER, "label_alignment": str, "number_alignment": str, "header_alignment": str,
        "landscape_min_width_ratio": NUMBER, "cell_padding_vertical_mm": NUMBER, "vertical_alignment": str,
        "caption_alignment": str, "pdf_line_height_em": NUMBER,
    },
    "head": {
        "mark_top_mm": NUMBER, "mark_suffix": str, "joint_size_pt": NUMBER, "joint_line_spacing": NUMBER,
        "joint_suffix_gap_chars": NUMBER, "blank_lines_after_mark": int, "rule_gap_mm": NUMBER, "rule_pt": NUMBER,
        "blank_lines_before_title": int, "doc_number_indent_chars": NUMBER, "signer_indent_chars": NUMBER,
        "signer_label": str, "signers_per_line": int, "signer_gap_chars": NUMBER, "copy_number_digits": int,
        "secret_format": str,
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
    "renderer": {
        "name": str, "line_breaking": str, "autospace_em": NUMBER, "hanging": str,
        "compress_punctuation": bool, "latin_face": bool, "docx_metrics": bool,
    },
    "docx": {
        "language": str, "footer_distance_mm": NUMBER, "header_distance_mm": NUMBER,
        "latin_language": str, "run_boundary_pt": NUMBER,
        "line_fit_margin_pt": NUMBER, "single_line_em": NUMBER,
    },
    "pdf": {
        "language": str, "show_outline": bool, "compress": bool,
        "max_punctuation_compression": NUMBER,
    },
    "xlsx": {
        "data_sheet": str, "font": str, "font_size_pt": NUMBER, "min_column_width": int,
        "max_column_width": int, "integer_format": str,
        "decimal_format": str, "computed_format": str, "readme_sheet": str, "dictionary_sheet": str,
        "checks_sheet": str, "wide_sheet": str, "data_table": str, "dictionary_table": str,
        "checks_table": str, "wide_table": str, "table_style": str, "data_freeze_panes": str,
        "wide_char_units": int, "width_padding": int, "link_style": str, "language": str,
        "table_integer_format": str, "table_decimal_format": str, "table_border": str,
        "table_vertical_alignment": str,
        "print_orientation": str, "print_paper_size": int, "print_header": str, "print_footer": str,
    },
    # For data users: the indicator registry the figures are coded against, when the source names none.
    "data": {"registry": str},
}
# Keys a profile may leave out; a table of only such keys may be left out as a whole. The default
# profile names no registry: a figure is checked against one only when a source or profile asks.
OPTIONAL: frozenset[tuple[str, str]] = frozenset({("data", "registry")})


# -- what values each key accepts -------------------------------------------------------------


class Rule(Protocol):
    def problem(self, value: Any) -> str | None:
        """Why `value` is not acceptable ("must be …, not …"), or None when it is."""


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


@dataclass(frozen=True)
class Range:
    """A number within bounds; `low_open` excludes the lower bound itself (a length of 0)."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False

    def problem(self, value: Any) -> str | None:
        low, high = self.low, self.high
        if low is not None and (value <= low if self.low_open else value < low):
            if high is not None and not self.low_open:
                return f"must be between {_number(low)} and {_number(high)}, not {_number(value)}"
            bound = f"greater than {_number(low)}" if self.low_open else f"at least {_number(low)}"
            return f"must be {bound}, not {_number(value)}"
        if high is not None and value > high:
            if low is not None and not self.low_open:
                return f"must be between {_number(low)} and {_number(high)}, not {_number(value)}"
            return f"must be at most {_number(high)}, not {_number(value)}"
        return None


POSITIVE = Range(0, low_open=True)
NOT_NEGATIVE = Range(0)
AT_LEAST_ONE = Range(1)


@dataclass(frozen=True)
class OneOf:
    choices: tuple[str, ...]

    def problem(self, value: Any) -> str | None:
        if value in self.choices:
            return None
        return f"must be one of {', '.join(repr(c) for c in self.choices)}, not {value!r}"


@dataclass(frozen=True)
class Matches:
    """A string of a fixed shape, described for the message."""

    pattern: str
    shape: str

    def problem(self, value: Any) -> str | None:
        if re.fullmatch(self.pattern, value):
            return None
        return f"must be {self.shape}, not {value!r}"


@dataclass(frozen=True)
class Template:
    """A string with `{field}` placeholders the writers fill in.

    Only bare names from `fields` are allowed: some templates are filled with
    `str.format` and some by replacement, and `{year.__class__}`, `{n[0]}`, `{n:02}` or a
    literal `{{` would print Python internals in one and the raw braces in the other.
    `one_of`: at least one of these fields must appear; `once`: exactly once (the page
    number's PAGE field is inserted in one place).
    """

    fields: tuple[str, ...]
    one_of: tuple[str, ...] = ()
    once: bool = False

    def problem(self, value: Any) -> str | None:
        try:
            parts = list(string.Formatter().parse(value))
        except ValueError:
            return f"has an unmatched brace in {value!r}: placeholders are written {self._allowed()}"
        problems: list[str] = []
        used: list[str] = []
        for literal, field, spec, conversion in parts:
            if "{" in literal or "}" in literal:
                problems.append("cannot contain a literal brace ('{{' or '}}')")
            if field is None:
                continue
            shown = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            if field in self.fields and not conversion and not spec:
                used.append(field)
            elif field in self.fields:
                problems.append(f"cannot format {shown}: write the bare field {{{field}}}")
            elif re.fullmatch(r"[A-Za-z_]\w*", field):
                problems.append(f"has an unknown field {shown} (allowed: {self._allowed()})")
            else:
                problems.append(f"cannot use {shown}: a field is a bare name ({self._allowed()}), "
                                "without attribute or index access")
        if not problems and self.one_of and not any(f in used for f in self.one_of):
            needed = " or ".join(f"{{{f}}}" for f in self.one_of)
            problems.append(f"must contain {needed}")
        if not problems and self.once and len(used) > 1:
            problems.append(f"must contain {{{used[0]}}} only once")
        return "; ".join(dict.fromkeys(problems)) or None

    def _allowed(self) -> str:
        return ", ".join(f"{{{f}}}" for f in self.fields)


SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = "[]:*?/\\"


class SheetName:
    """An Excel worksheet name: Excel refuses to open a workbook that breaks these rules."""

    def problem(self, value: Any) -> str | None:
        if not value:
            return "must not be empty"
        if len(value) > SHEET_NAME_MAX:
            return f"has {len(value)} characters; Excel allows at most {SHEET_NAME_MAX} in a sheet name"
        bad = [c for c in value if c in SHEET_NAME_FORBIDDEN]
        if bad:
            return (f"contains {bad[0]!r}, which Excel does not allow in a sheet name "
                    f"({' '.join(SHEET_NAME_FORBIDDEN)})")
        if value.startswith("'") or value.endswith("'"):
            return "must not begin or end with an apostrophe (Excel refuses it)"
        if value.casefold() == "history":
            return "must not be 'History', a name Excel reserves"
        return None


class TableName:
    """An Excel Table (ListObject) name: ASCII letters, digits, '_' and '.', not a cell reference."""

    def problem(self, value: Any) -> str | None:
        if not re.fullmatch(r"[A-Za-z_\\][A-Za-z0-9_.]{0,254}", value):
            return (f"must be an Excel table name (an ASCII letter or '_' first, then letters, digits, "
                    f"'_' or '.', at most 255), not {value!r}")
        if re.fullmatch(r"[A-Za-z]{1,3}[0-9]+|[RrCc]|[Rr][0-9]*[Cc][0-9]*", value):
            return f"must not look like a cell reference, as {value!r} does"
        return None


@dataclass(frozen=True)
class FourFractions:
    """A CMYK colour: four components from 0 to 1."""

    def problem(self, value: Any) -> str | None:
        if len(value) == 4 and all(0 <= v <= 1 for v in value):
            return None
        return f"must be four numbers from 0 to 1 (C, M, Y, K), not {value!r}"


NON_EMPTY = Matches(r"(?s).+", "a non-empty string")
LANGUAGE = Matches(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", "a language tag like 'zh-CN'")
WORD_COLOR = Matches(r"[0-9A-Fa-f]{6}", "six hexadecimal digits (RRGGBB)")
CELL = Matches(r"[A-Z]{1,3}[1-9][0-9]{0,6}", "a cell reference like 'C2'")
ALIGNMENT = OneOf(("left", "right", "center"))
EXCEL_COLUMN_WIDTH = Range(1, 255)
# The widest 标点挤压 clreq allows: a full-width mark keeps at least half its cell.
MAX_PUNCTUATION_COMPRESSION = 0.5

RULES: dict[tuple[str, str], Rule] = {
    ("page", "width_mm"): POSITIVE, ("page", "height_mm"): POSITIVE,
    ("page", "margin_top_mm"): NOT_NEGATIVE, ("page", "margin_bottom_mm"): NOT_NEGATIVE,
    ("page", "margin_left_mm"): NOT_NEGATIVE, ("page", "margin_right_mm"): NOT_NEGATIVE,
    ("grid", "lines_per_page"): AT_LEAST_ONE, ("grid", "chars_per_line"): AT_LEAST_ONE,
    ("grid", "docx_line_pitch_twips"): POSITIVE,
    ("grid", "pdf_line_pitch_pt"): POSITIVE, ("grid", "pdf_cell_pt"): POSITIVE,
    ("title", "max_chars_per_line"): AT_LEAST_ONE, ("title", "blank_lines_after"): NOT_NEGATIVE,
    ("title", "lines_per_title_line"): AT_LEAST_ONE,
    ("body", "first_line_indent_chars"): NOT_NEGATIVE, ("body", "heading_first_line_indent_chars"): NOT_NEGATIVE,
    ("numbering", "level1"): Template(("n", "cn"), one_of=("n", "cn")),
    ("numbering", "level2"): Template(("n", "cn"), one_of=("n", "cn")),
    ("numbering", "level3"): Template(("n", "cn"), one_of=("n", "cn")),
    ("numbering", "level4"): Template(("n", "cn"), one_of=("n", "cn")),
    ("numbering", "chapter"): Template(("n", "cn"), one_of=("n", "cn")),
    ("numbering", "article"): Template(("n", "cn"), one_of=("n", "cn")),
    ("recipients", "indent_chars"): NOT_NEGATIVE,
    ("attachments", "blank_lines_before"): NOT_NEGATIVE, ("attachments", "indent_chars"): NOT_NEGATIVE,
    ("attachments", "number"): Template(("n",), one_of=("n",)),
    ("table", "caption"): Template(("n", "caption"), one_of=("caption",)),
    ("table", "unit_line"): Template(("unit",), one_of=("unit",)),
    ("table", "note_indent_chars"): NOT_NEGATIVE,
    ("table", "outer_rule_pt"): POSITIVE, ("table", "inner_rule_pt"): POSITIVE,
    ("table", "cell_padding_mm"): NOT_NEGATIVE, ("table", "cell_line_spacing"): POSITIVE,
    ("table", "min_column_chars"): POSITIVE, ("table", "label_alignment"): ALIGNMENT,
    ("table", "number_alignment"): OneOf(("center", "right")), ("table", "header_alignment"): ALIGNMENT,
    ("table", "landscape_min_width_ratio"): POSITIVE,
    ("head", "mark_top_mm"): NOT_NEGATIVE, ("head", "joint_size_pt"): POSITIVE,
    ("head", "joint_line_spacing"): POSITIVE, ("head", "joint_suffix_gap_chars"): NOT_NEGATIVE,
    ("head", "blank_lines_after_mark"): NOT_NEGATIVE, ("head", "rule_gap_mm"): NOT_NEGATIVE,
    ("head", "rule_pt"): POSITIVE, ("head", "blank_lines_before_title"): NOT_NEGATIVE,
    ("head", "doc_number_indent_chars"): NOT_NEGATIVE, ("head", "signer_indent_chars"): NOT_NEGATIVE,
    ("head", "signer_label"): NON_EMPTY, ("head", "signers_per_line"): AT_LEAST_ONE,
    ("head", "signer_gap_chars"): NOT_NEGATIVE, ("head", "copy_number_digits"): Range(1, 6),
    ("head", "secret_format"): Template(("level", "period"), one_of=("level",)),
    ("signature", "blank_lines_before"): NOT_NEGATIVE, ("signature", "right_indent_chars"): NOT_NEGATIVE,
    ("note", "indent_chars"): NOT_NEGATIVE,
    ("imprint", "indent_chars"): NOT_NEGATIVE,
    ("imprint", "outer_rule_pt"): POSITIVE, ("imprint", "inner_rule_pt"): POSITIVE,
    ("page_number", "format"): Template(("n",), one_of=("n",), once=True),
    ("page_number", "distance_below_text_mm"): NOT_NEGATIVE, ("page_number", "indent_chars"): NOT_NEGATIVE,
    ("page_number", "odd_alignment"): ALIGNMENT, ("page_number", "even_alignment"): ALIGNMENT,
    ("date", "format"): Template(("year", "month", "day")),
    ("colors", "text_cmyk"): FourFractions(), ("colors", "red_cmyk"): FourFractions(),
    ("colors", "word_text"): WORD_COLOR, ("colors", "word_red"): WORD_COLOR,
    ("docx", "language"): LANGUAGE, ("docx", "latin_language"): LANGUAGE,
    ("docx", "footer_distance_mm"): NOT_NEGATIVE, ("docx", "header_distance_mm"): NOT_NEGATIVE,
    ("renderer", "name"): NON_EMPTY, ("renderer", "line_breaking"): OneOf(("word", "libreoffice", "gbt15834")),
    ("renderer", "autospace_em"): Range(0, 1),
    ("docx", "run_boundary_pt"): NOT_NEGATIVE, ("docx", "line_fit_margin_pt"): NOT_NEGATIVE,
    ("pdf", "language"): LANGUAGE,
    ("pdf", "max_punctuation_compression"): Range(0, MAX_PUNCTUATION_COMPRESSION),
    ("xlsx", "data_sheet"): SheetName(), ("xlsx", "readme_sheet"): SheetName(),
    ("xlsx", "dictionary_sheet"): SheetName(), ("xlsx", "checks_sheet"): SheetName(),
    ("xlsx", "wide_sheet"): SheetName(),
    ("xlsx", "data_table"): TableName(), ("xlsx", "dictionary_table"): TableName(),
    ("xlsx", "checks_table"): TableName(), ("xlsx", "wide_table"): TableName(),
    ("xlsx", "font"): NON_EMPTY, ("xlsx", "font_size_pt"): POSITIVE,
    ("xlsx", "min_column_width"): EXCEL_COLUMN_WIDTH, ("xlsx", "max_column_width"): EXCEL_COLUMN_WIDTH,
    ("xlsx", "decimal_format"): Template(("zeros",), one_of=("zeros",)),
    ("xlsx", "data_freeze_panes"): CELL, ("xlsx", "wide_char_units"): AT_LEAST_ONE,
    ("xlsx", "width_padding"): NOT_NEGATIVE, ("xlsx", "language"): LANGUAGE,
    ("xlsx", "print_orientation"): OneOf(("landscape", "portrait")), ("xlsx", "print_paper_size"): AT_LEAST_ONE,
    ("xlsx", "print_header"): Template(("title",)), ("xlsx", "print_footer"): Template(("title",)),
    ("data", "registry"): NON_EMPTY,
}
ROLE_RULES: dict[str, Rule] = {"size_pt": POSITIVE, "word": NON_EMPTY, "word_latin": NON_EMPTY}
SHEET_KEYS = ("data_sheet", "readme_sheet", "dictionary_sheet", "checks_sheet", "wide_sheet")
TABLE_KEYS = ("data_table", "dictionary_table", "checks_table", "wide_table")
# The bundled grid's pitch and cell are rounded to six decimals and overshoot the 版心 by
# about 0.0001 pt; a grid that fits to within this is taken to fit.
FIT_TOLERANCE_PT = 0.01


# -- the loaded profile -------------------------------------------------------------------------


class Section(Mapping[str, Any]):
    """A read-only table of a profile, with attribute access (`profile.page.margin_top_mm`)."""

    def __init__(self, name: str, values: Mapping[str, Any]):
        frozen = {key: tuple(value) if isinstance(value, list) else value for key, value in values.items()}
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_values", MappingProxyType(frozen))

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
    # Families for the ASCII characters (digits, Latin letters) in the PDF: faces with `word_latin`'s
    # metrics (Liberation Serif for Times New Roman); empty when the role's own face sets them.
    pdf_latin: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    name: str
    path: str
    sections: Mapping[str, Section]
    roles: Mapping[str, Role]
    # [data] registry, resolved: a shipped registry's name, or an absolute path (a relative one is
    # taken from the folder of the profile file that sets it); where it is set, for errors.
    registry: str | None = None
    registry_pos: Position | None = None

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


# -- finding and reading ------------------------------------------------------------------------


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


def _is_path(name: str) -> bool:
    return name.endswith(".toml") or "/" in name or os.sep in name


def resolve_profile_path(name_or_path: str | None, relative_to: Path | None = None) -> Path:
    """A profile given as a name ("gbt9704") is looked up in templates/; a path is taken as is."""
    name = name_or_path or DEFAULT_PROFILE
    if _is_path(name):
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
    layers = _read_chain(path, ())
    where = _Where([layer.locator for layer in layers])
    data = _merged(layers)
    if len(layers) > 1:
        _name_after_file(data, layers[0], path)
    profile = _validate(data, where, path)
    return _with_registry(profile, layers, where)


def _with_registry(profile: Profile, layers: list[_Layer], where: _Where) -> Profile:
    """Resolve [data] registry where it is set, and stop (exit 3) when it names nothing."""
    from .registry import SHIPPED  # the registry module does not import profiles; imported late all the same

    named = profile.sections["data"].get("registry")
    if named is None:
        return profile
    named = named.strip()
    pos = where.at("data", "registry")
    setter = next(layer for layer in layers if "registry" in (layer.data.get("data") or {}))
    if _is_path(named):
        path = Path(named).expanduser()
        path = path if path.is_absolute() else setter.path.parent / path
        resolved, found = str(path.resolve()), path.is_file()
    else:
        resolved, found = named, (SHIPPED / f"{named}.toml").is_file()
    if not found:
        shipped = ", ".join(sorted(p.stem for p in SHIPPED.glob("*.toml"))) or "none"
        raise ProfileError(Diagnostic(
            "error", f"[data] registry '{named}' not found (a name is one of registry/*.toml: {shipped}; "
                     "a path is relative to this profile file)", pos))
    return dataclasses.replace(profile, registry=resolved, registry_pos=pos)


@dataclass
class _Layer:
    """One file of an `extends` chain: its tables and where each key stands in it."""

    path: Path
    data: dict
    locator: "_Locator"


def _available() -> str:
    return ", ".join(sorted(p.stem for p in templates_dir().glob("*.toml"))) or "none"


def _read_layer(path: Path) -> _Layer:
    shown = _shown_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(Diagnostic("error", f"profile not found (available: {_available()})", path=shown))
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
    return _Layer(path, data, _Locator(text, shown))


def _read_chain(path: Path, extended_by: tuple[Path, ...]) -> list[_Layer]:
    """The profile at `path` and the ones it extends, the file itself first."""
    layer = _read_layer(path)
    if EXTENDS not in layer.data:
        return [layer]
    base = layer.data.pop(EXTENDS)
    here = layer.locator.key_position((EXTENDS,))
    if not isinstance(base, str) or not base.strip():
        raise ProfileError(Diagnostic("error", f"extends must be a profile name or a .toml path, not {base!r}", here))
    base_path = _base_path(base, path)
    chain = (*extended_by, path.resolve())
    if base_path.resolve() in chain:
        names = " → ".join(_shown_path(p) for p in (*chain, base_path.resolve()))
        raise ProfileError(Diagnostic("error", f"profile extends itself: {names}", here))
    if not base_path.is_file():
        raise ProfileError(Diagnostic(
            "error", f"cannot extend '{base}': no such profile (available: {_available()})", here))
    return [layer, *_read_chain(base_path, chain)]


def _base_path(base: str, extending: Path) -> Path:
    """A name is looked up in templates/; a relative path is taken from the extending file's folder."""
    if not _is_path(base):
        return templates_dir() / f"{base}.toml"
    path = Path(base).expanduser()
    return path if path.is_absolute() else extending.parent / path


def _merged(layers: list[_Layer]) -> dict:
    data: dict = {}
    for layer in reversed(layers):
        data = _deep_merge(data, layer.data)
    return data


def _deep_merge(base: dict, override: dict) -> dict:
    """Tables merge key by key, at every depth ([roles.body] too); any other value replaces."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _name_after_file(data: dict, top: _Layer, path: Path) -> None:
    """A profile that extends another and names itself nowhere is called after its file, not
    after its base: `exporter fonts` and the documents' properties should not say gbt9704."""
    own = top.data.get("profile")
    if isinstance(own, dict) and "name" in own:
        return
    if isinstance(data.get("profile"), dict):
        data["profile"] = {**data["profile"], "name": path.stem}


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


# -- locating keys ------------------------------------------------------------------------------

_BARE_OR_QUOTED = r'(?:[A-Za-z0-9_\-]+|"[^"]*"|\'[^\']*\')'
_DOTTED = rf"{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*"


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.findall(_BARE_OR_QUOTED, dotted))


class _Locator:
    """Where `[table]` headers and `key =` lines stand in one TOML file, for located messages."""

    def __init__(self, text: str, shown: str):
        self.shown = shown
        self.tables: dict[tuple[str, ...], int] = {}
        self.keys: dict[tuple[str, ...], tuple[int, int]] = {}
        table: tuple[str, ...] = ()
        for lineno, line in enumerate(text.splitlines(), start=1):
            header = re.match(rf"\s*\[\s*({_DOTTED})\s*\]", line)
            if header:
                table = _key_parts(header.group(1))
                for depth in range(1, len(table) + 1):
                    self.tables.setdefault(table[:depth], lineno)
                continue
            key = re.match(rf"(\s*)({_DOTTED})\s*=", line)
            if key:
                self.keys.setdefault(table + _key_parts(key.group(2)), (lineno, len(key.group(1)) + 1))

    def key_position(self, path: tuple[str, ...]) -> Position | None:
        if path in self.keys:
            return Position(self.shown, *self.keys[path])
        return None

    def table_position(self, path: tuple[str, ...]) -> Position | None:
        if path in self.tables:
            return Position(self.shown, self.tables[path], 1)
        return None


class _Where:
    """Locates a key of the merged profile in the file that set it (an extending file before its base)."""

    def __init__(self, locators: list[_Locator]):
        self.locators = locators

    def at(self, table: str, key: str | None = None) -> Position:
        parts = tuple(table.split(".")) if table else ()
        if key is not None:
            for locator in self.locators:
                found = locator.key_position((*parts, key))
                if found:
                    return found
        for locator in self.locators:
            found = locator.table_position(parts)
            if found:
                return found
        return Position(self.locators[0].shown, 1, 1)

    def latest(self, *keys: tuple[str, str]) -> Position:
        """Of several keys that disagree, the one set by the file nearest the user (the
        extending file before its base); the first listed when one file sets them all."""
        for locator in self.locators:
            for table, key in keys:
                found = locator.key_position((*table.split("."), key))
                if found:
                    return found
        return self.at(*keys[0])

    @property
    def top(self) -> Position:
        return Position(self.locators[0].shown, 1, 1)


# -- validation ---------------------------------------------------------------------------------


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


def _not_finite(value: Any) -> bool:
    numbers = value if isinstance(value, list) else [value]
    return any(isinstance(v, float) and not math.isfinite(v) for v in numbers)


class _Checker:
    """Collects every problem of a profile; remembers the keys found bad so that checks
    across keys skip them (one bad value, one message)."""

    def __init__(self, where: _Where):
        self.where = where
        self.diags = Diagnostics()
        self.bad: set[tuple[str, str]] = set()

    def error(self, message: str, pos: Position, *keys: tuple[str, str]) -> None:
        self.diags.error(message, pos)
        self.bad.update(keys)

    def table(self, table: str, values: Any, schema: dict[str, Any], rules: Mapping[str, Rule]) -> dict:
        if not isinstance(values, dict):
            self.error(f"[{table}] must be a table", self.where.at(table), *((table, k) for k in schema))
            return {}
        for key, value in values.items():
            at = self.where.at(table, key)
            if key not in schema:
                hint = difflib.get_close_matches(key, list(schema), n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.error(f"unknown key '{key}' in [{table}]{suggestion}", at)
            elif not _type_ok(value, schema[key]):
                self.error(f"[{table}] {key} must be {_type_name(schema[key])}, not {value!r}", at, (table, key))
            elif _not_finite(value):
                self.error(f"[{table}] {key} must be a finite number, not {value!r}", at, (table, key))
            elif key in rules and (problem := rules[key].problem(value)):
                self.error(f"[{table}] {key} {problem}", at, (table, key))
        for key in schema:
            if key not in values and (table, key) not in OPTIONAL:
                self.error(f"[{table}] is missing '{key}'", self.where.at(table), (table, key))
        return values

    def good(self, sections: Mapping[str, Mapping[str, Any]], *keys: tuple[str, str]) -> bool:
        return all(key not in self.bad and key[1] in sections.get(key[0], {}) for key in keys)


def _validate(data: dict, where: _Where, path: Path) -> Profile:
    check = _Checker(where)
    tables: dict[str, dict] = {}
    for table, schema in SCHEMA.items():
        if table not in data and all((table, key) in OPTIONAL for key in schema):
            tables[table] = {}
            continue
        if table not in data:
            check.error(f"missing table [{table}]", where.top, *((table, key) for key in schema))
            continue
        rules = {key: rule for (t, key), rule in RULES.items() if t == table}
        tables[table] = check.table(table, data[table], schema, rules)
    roles: dict[str, Role] = {}
    raw_roles = data.get("roles")
    if not isinstance(raw_roles, dict):
        check.error("missing table [roles.*] (font roles)", where.top)
        raw_roles = {}
    for name in REQUIRED_ROLES:
        if name not in raw_roles:
            check.error(f"missing font role [roles.{name}]", where.at("roles"), (f"roles.{name}", "size_pt"))
    for name, values in raw_roles.items():
        table = f"roles.{name}"
        checked = check.table(table, values, ROLE_SCHEMA, ROLE_RULES)
        tables[table] = checked
        if all(check.good(tables, (table, key)) for key in ROLE_SCHEMA):
            roles[name] = Role(
                name=name, size_pt=float(checked["size_pt"]), word=checked["word"],
                word_latin=checked["word_latin"], pdf=tuple(checked["pdf"]),
                windows_files=tuple(checked["windows_files"]), pdf_latin=tuple(checked["pdf_latin"]),
            )
    for table, value in data.items():
        if table in SCHEMA or table == "roles":
            continue
        if not isinstance(value, dict):
            check.error(f"unknown top-level key '{table}'", where.at("", table))
            continue
        hint = difflib.get_close_matches(table, list(SCHEMA), n=1)
        suggestion = f" (did you mean '[{hint[0]}]'?)" if hint else ""
        check.error(f"unknown table [{table}]{suggestion}", where.at(table))
    _check_together(tables, check)
    if check.diags.has_errors:
        raise ProfileError(check.diags)
    sections = {table: Section(table, tables[table]) for table in SCHEMA}
    return Profile(name=sections["profile"].name, path=str(path), sections=MappingProxyType(sections),
                   roles=MappingProxyType(roles))


def _check_together(tables: Mapping[str, Mapping[str, Any]], check: _Checker) -> None:
    """Values that are each acceptable but do not fit together: the grid and the page."""
    where = check.where

    def value(table: str, key: str) -> Any:
        return tables[table][key]

    text_width = text_height = None
    keys = [("page", k) for k in ("width_mm", "margin_left_mm", "margin_right_mm")]
    if check.good(tables, *keys):
        width, left, right = (value(*k) for k in keys)
        if left + right >= width:
            check.error(f"left and right margins ({_number(left)} + {_number(right)} mm) leave no text width "
                        f"on a {_number(width)} mm page", where.latest(*keys[1:], keys[0]))
        else:
            text_width = Mm(width - left - right)
    keys = [("page", k) for k in ("height_mm", "margin_top_mm", "margin_bottom_mm")]
    if check.good(tables, *keys):
        height, top, bottom = (value(*k) for k in keys)
        if top + bottom >= height:
            check.error(f"top and bottom margins ({_number(top)} + {_number(bottom)} mm) leave no text height "
                        f"on a {_number(height)} mm page", where.latest(*keys[1:], keys[0]))
        else:
            # As Word measures it too: each edge rounded to whole twips.
            text_height = (Mm(height - top - bottom), Mm(height).twips - Mm(top).twips - Mm(bottom).twips)
    _check_grid(tables, check, value, text_width, text_height)
    _check_indents(tables, check, value)
    _check_workbook(tables, check)


def _check_grid(tables: Mapping[str, Mapping[str, Any]], check: _Checker, value,
                text_width: Mm | None, text_height: tuple[Mm, int] | None) -> None:
    """Lines per page and characters per line must fit the 版心, in Word's twips and in the PDF's points."""
    where = check.where
    lines = ("grid", "lines_per_page")
    if text_height is not None and check.good(tables, lines):
        n = value(*lines)
        height_mm, height_twips = text_height
        over: list[str] = []
        culprits = [lines]
        if check.good(tables, ("grid", "docx_line_pitch_twips")):
            pitch = value("grid", "docx_line_pitch_twips")
            if n * pitch > height_twips:
                over.append(f"{n} × {pitch} twips = {n * pitch} twips in Word, over {height_twips}")
                culprits.append(("grid", "docx_line_pitch_twips"))
        if check.good(tables, ("grid", "pdf_line_pitch_pt")):
            pitch = value("grid", "pdf_line_pitch_pt")
            if n * pitch > height_mm.pt + FIT_TOLERANCE_PT:
                over.append(f"{n} × {_number(pitch)} pt = {n * pitch:.2f} pt in the PDF, over {height_mm.pt:.2f}")
                culprits.append(("grid", "pdf_line_pitch_pt"))
        if over:
            check.error(f"[grid] {n} lines per page do not fit the {_number(height_mm)} mm text height: "
                        + "; ".join(over), where.latest(*culprits), *culprits)
    chars = ("grid", "chars_per_line")
    if text_width is not None and check.good(tables, chars):
        n = value(*chars)
        over = []
        culprits = [chars]
        if check.good(tables, ("grid", "pdf_cell_pt")):
            cell = value("grid", "pdf_cell_pt")
            if n * cell > text_width.pt + FIT_TOLERANCE_PT:
                over.append(f"{n} × {_number(cell)} pt = {n * cell:.2f} pt in the PDF, over {text_width.pt:.2f}")
                culprits.append(("grid", "pdf_cell_pt"))
        if check.good(tables, ("roles.body", "size_pt"), ("grid", "docx_char_spacing_pt")):
            advance = value("roles.body", "size_pt") + value("grid", "docx_char_spacing_pt")
            if n * advance > text_width.pt + FIT_TOLERANCE_PT:
                over.append(f"{n} × {_number(advance)} pt (body size and character spacing) = {n * advance:.2f} pt "
                            f"in Word, over {text_width.pt:.2f}")
                culprits += [("grid", "docx_char_spacing_pt"), ("roles.body", "size_pt")]
        if over:
            check.error(f"[grid] {n} characters per line do not fit the {_number(text_width)} mm text width: "
                        + "; ".join(over), where.latest(*culprits), *culprits)
    title = ("title", "max_chars_per_line")
    if text_width is not None and check.good(tables, title, ("roles.title", "size_pt")):
        n, size = value(*title), value("roles.title", "size_pt")
        if n * size > text_width.pt + FIT_TOLERANCE_PT:
            check.error(f"[title] {n} title characters of {_number(size)} pt ({n * size:.2f} pt) do not fit the "
                        f"{_number(text_width)} mm ({text_width.pt:.2f} pt) text width",
                        where.latest(title, ("roles.title", "size_pt")), title)
    span = ("title", "lines_per_title_line")
    if check.good(tables, span, lines) and value(*span) > value(*lines):
        check.error(f"[title] lines_per_title_line ({value(*span)}) must not exceed lines_per_page "
                    f"({value(*lines)})", where.latest(span, lines), span)


# Indents in body characters, each of which must leave room on a line of `chars_per_line`.
_LINE_INDENTS = (("body", "first_line_indent_chars"), ("body", "heading_first_line_indent_chars"),
                 ("recipients", "indent_chars"), ("attachments", "indent_chars"), ("note", "indent_chars"),
                 ("signature", "right_indent_chars"))


def _check_indents(tables: Mapping[str, Mapping[str, Any]], check: _Checker, value) -> None:
    chars = ("grid", "chars_per_line")
    if not check.good(tables, chars):
        return
    for key in _LINE_INDENTS:
        if check.good(tables, key) and value(*key) >= value(*chars):
            check.error(f"[{key[0]}] {key[1]} ({_number(value(*key))}) leaves no room on a line of "
                        f"{value(*chars)} characters", check.where.at(*key), key)


def _check_workbook(tables: Mapping[str, Mapping[str, Any]], check: _Checker) -> None:
    """Excel refuses a workbook with two sheets, or two tables, of the same name (ignoring case)."""
    where = check.where
    widths = ("xlsx", "min_column_width"), ("xlsx", "max_column_width")
    if check.good(tables, *widths) and tables["xlsx"]["max_column_width"] < tables["xlsx"]["min_column_width"]:
        check.error(f"[xlsx] max_column_width ({tables['xlsx']['max_column_width']}) must not be less than "
                    f"min_column_width ({tables['xlsx']['min_column_width']})", where.latest(*reversed(widths)),
                    widths[1])
    for keys, kind in ((SHEET_KEYS, "sheet"), (TABLE_KEYS, "table")):
        first: dict[str, str] = {}
        for key in keys:
            if not check.good(tables, ("xlsx", key)):
                continue
            name = tables["xlsx"][key]
            if name.casefold() in first:
                other = first[name.casefold()]
                check.error(f"[xlsx] {key} {name!r} is the same {kind} name as {other}: each {kind} needs its own "
                            f"name", where.at("xlsx", key), ("xlsx", key))
            else:
                first[name.casefold()] = key
