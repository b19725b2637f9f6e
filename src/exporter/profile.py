"""Layout profiles: `templates/<name>.toml`, loaded and validated once, with located errors.

A profile is data, not code: every size, font, margin and format a writer uses is read
from it. SCHEMA below is the single list of what a profile may and must contain; RULES
(profile_rules.py) says which values each key accepts, and `check_together` (profile_checks.py)
which values must agree (the grid must fit the page, sheet names must differ). Every problem is
reported at the TOML key that causes it (toml_locate.py), all of them together, one message
each, so a writer never meets a value it cannot use.

A profile may start from another one: `extends = "gbt9704"` (a name, or a path relative to
the extending file) takes every table and key from that profile and overrides only those the
file sets, so a house profile keeps loading when a later version adds a key to the default.
"""

from __future__ import annotations

import dataclasses
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
from .profile_checks import Checker, check_together
from .profile_rules import NUM_LIST, NUMBER, OPTIONAL, ROLE_RULES, RULES, STR_LIST
from .toml_locate import Locator, Where, toml_error_location

DEFAULT_PROFILE = "gbt9704"
EXTENDS = "extends"


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
    "recipients": {"indent_chars": NUMBER, "max_head_lines": int, "record_label": str},
    "attachments": {"blank_lines_before": int, "label": str, "number": str, "indent_chars": NUMBER,
                    "page_label": str, "page_label_role": str, "page_title_role": str,
                    "blank_lines_after_label": int, "blank_lines_after_title": int, "imprint_on_even_page": bool},
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
    "seal": {
        "diameter_mm": NUMBER, "max_file_bytes": int, "max_pixels": int, "blank_lines_before": int, "date_right_indent_chars": NUMBER,
        "centre_above_signature_pt": NUMBER, "joint_gap_mm": NUMBER, "seals_per_row": int,
    },
    "letter": {
        "mark_top_from_page_mm": NUMBER, "mark_size_pt": NUMBER, "rule_gap_mm": NUMBER, "rule_length_mm": NUMBER,
        "thick_rule_pt": NUMBER, "thin_rule_pt": NUMBER, "double_rule_gap_pt": NUMBER,
        "lower_rule_from_page_bottom_mm": NUMBER, "fields_gap_pt": NUMBER, "blank_lines_before_title": int,
        "number_first_page": bool, "imprint_rules": bool, "min_text_gap_above_lower_rule_pt": NUMBER,
    },
    "order": {
        "mark_top_mm": NUMBER, "mark_suffix": str, "blank_lines_after_mark": int, "blank_lines_after_number": int,
        "print_title": bool, "signature_blank_lines_before": int, "signature_right_indent_chars": NUMBER,
        "date_blank_lines_before": int, "title_separator": str, "signature_seal_height_mm": NUMBER,
        "title_gap_chars": NUMBER,
    },
    "minutes": {
        "mark_top_mm": NUMBER, "mark_suffix": str, "blank_lines_before_lists": int, "list_indent_chars": NUMBER,
        "label_role": str, "attendees_label": str, "absent_label": str, "observers_label": str,
        "list_order": STR_LIST, "name_separator": str,
    },
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
        "portion_end_spacing": bool, "weak_follows_script": bool,
    },
    "docx": {
        "language": str, "footer_distance_mm": NUMBER, "header_distance_mm": NUMBER,
        "latin_language": str, "run_boundary_pt": NUMBER,
        "line_fit_margin_pt": NUMBER, "single_line_em": NUMBER,
    },
    "pdf": {
        "language": str, "show_outline": bool, "compress": bool,
        "max_punctuation_compression": NUMBER, "avoid_lone_last_character": bool,
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
    where = Where([layer.locator for layer in layers])
    data = _merged(layers)
    if len(layers) > 1:
        _name_after_file(data, layers[0], path)
    profile = _validate(data, where, path)
    return _with_registry(profile, layers, where)


def _with_registry(profile: Profile, layers: list[_Layer], where: Where) -> Profile:
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
    locator: "Locator"


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
        line, col = toml_error_location(str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        diags = Diagnostics()
        diags.error(f"invalid TOML: {message}", Position(shown, line, col))
        raise ProfileError(diags)
    return _Layer(path, data, Locator(text, shown))


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


# -- validation ---------------------------------------------------------------------------------


def _validate(data: dict, where: Where, path: Path) -> Profile:
    check = Checker(where)
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
    check_together(tables, check)
    if check.diags.has_errors:
        raise ProfileError(check.diags)
    sections = {table: Section(table, tables[table]) for table in SCHEMA}
    return Profile(name=sections["profile"].name, path=str(path), sections=MappingProxyType(sections),
                   roles=MappingProxyType(roles))


