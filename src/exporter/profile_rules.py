"""What each key of a layout profile accepts (profile.py lists the keys in SCHEMA): the value
types, and a rule per key that says why a value is refused ("must be …, not …")."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any, Protocol

NUMBER = (int, float)
STR_LIST = "list[str]"
NUM_LIST = "list[number]"


class Rule(Protocol):
    def problem(self, value: Any) -> str | None:
        """Why `value` is not acceptable ("must be …, not …"), or None when it is."""


def number_text(value: float) -> str:
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
                return f"must be between {number_text(low)} and {number_text(high)}, not {number_text(value)}"
            bound = f"greater than {number_text(low)}" if self.low_open else f"at least {number_text(low)}"
            return f"must be {bound}, not {number_text(value)}"
        if high is not None and value > high:
            if low is not None and not self.low_open:
                return f"must be between {number_text(low)} and {number_text(high)}, not {number_text(value)}"
            return f"must be at most {number_text(high)}, not {number_text(value)}"
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
# The font roles an attachment's label and title may take (roles every profile has).
ATTACHMENT_ROLES = ("title", "body", "heading1", "heading2", "heading3", "heading4")
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
    ("attachments", "page_label"): Template(("n",), one_of=("n",), once=True),
    ("attachments", "blank_lines_after_label"): NOT_NEGATIVE, ("attachments", "blank_lines_after_title"): NOT_NEGATIVE,
    ("attachments", "page_label_role"): OneOf(ATTACHMENT_ROLES), ("attachments", "page_title_role"): OneOf(ATTACHMENT_ROLES),
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
    ("recipients", "max_head_lines"): AT_LEAST_ONE, ("recipients", "record_label"): NON_EMPTY,
    ("seal", "diameter_mm"): POSITIVE, ("seal", "max_file_bytes"): AT_LEAST_ONE, ("seal", "max_pixels"): AT_LEAST_ONE,
    ("seal", "blank_lines_before"): NOT_NEGATIVE, ("seal", "date_right_indent_chars"): NOT_NEGATIVE,
    ("letter", "mark_top_from_page_mm"): NOT_NEGATIVE, ("letter", "mark_size_pt"): POSITIVE,
    ("letter", "rule_gap_mm"): NOT_NEGATIVE, ("letter", "rule_length_mm"): POSITIVE,
    ("letter", "thick_rule_pt"): POSITIVE, ("letter", "thin_rule_pt"): POSITIVE,
    ("letter", "double_rule_gap_pt"): NOT_NEGATIVE, ("letter", "lower_rule_from_page_bottom_mm"): NOT_NEGATIVE,
    ("letter", "fields_gap_pt"): NOT_NEGATIVE, ("letter", "blank_lines_before_title"): NOT_NEGATIVE,
    ("order", "mark_top_mm"): NOT_NEGATIVE, ("order", "mark_suffix"): NON_EMPTY,
    ("order", "blank_lines_after_mark"): NOT_NEGATIVE, ("order", "blank_lines_after_number"): NOT_NEGATIVE,
    ("order", "signature_blank_lines_before"): NOT_NEGATIVE, ("order", "signature_right_indent_chars"): NOT_NEGATIVE,
    ("order", "date_blank_lines_before"): NOT_NEGATIVE,
    ("letter", "min_text_gap_above_lower_rule_pt"): NOT_NEGATIVE, ("seal", "joint_gap_mm"): POSITIVE, ("seal", "seals_per_row"): AT_LEAST_ONE,
    ("order", "signature_seal_height_mm"): POSITIVE, ("order", "title_gap_chars"): NOT_NEGATIVE,
    ("minutes", "mark_top_mm"): NOT_NEGATIVE, ("minutes", "mark_suffix"): NON_EMPTY,
    ("minutes", "blank_lines_before_lists"): NOT_NEGATIVE, ("minutes", "list_indent_chars"): NOT_NEGATIVE,
    ("minutes", "label_role"): NON_EMPTY, ("minutes", "attendees_label"): NON_EMPTY,
    ("minutes", "absent_label"): NON_EMPTY, ("minutes", "observers_label"): NON_EMPTY,
    ("minutes", "name_separator"): NON_EMPTY,
}
ROLE_RULES: dict[str, Rule] = {"size_pt": POSITIVE, "word": NON_EMPTY, "word_latin": NON_EMPTY}
SHEET_KEYS = ("data_sheet", "readme_sheet", "dictionary_sheet", "checks_sheet", "wide_sheet")
TABLE_KEYS = ("data_table", "dictionary_table", "checks_table", "wide_table")
# The bundled grid's pitch and cell are rounded to six decimals and overshoot the 版心 by
# about 0.0001 pt; a grid that fits to within this is taken to fit.
FIT_TOLERANCE_PT = 0.01


# Keys a profile may leave out; a table of only such keys may be left out as a whole. The default
# profile names no registry: a figure is checked against one only when a source or profile asks.
OPTIONAL: frozenset[tuple[str, str]] = frozenset({("data", "registry")})
