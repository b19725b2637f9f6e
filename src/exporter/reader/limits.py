"""What the three output files can carry, checked where the source gives it.

Every limit here is one that made `exporter all` fail (or silently change a value) while
`exporter check` passed; the reader rejects the source instead, with a location, so both
commands agree and no input reaches a writer that cannot hold it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

# Word's document properties (title, author, keywords, identifier) hold at most 255
# characters; python-docx refuses more. The keywords property joins region, period and
# doc_number with two separators, so their limits add up to 252 + 2.
PROPERTY_LIMIT = 255
TEXT_LIMITS = {
    "title": (PROPERTY_LIMIT, "a Word document property (the title) holds at most 255 characters"),
    "issuer": (PROPERTY_LIMIT, "a Word document property (the author) holds at most 255 characters"),
    "doc_number": (100, "Word's keywords property (region；period；doc_number) holds at most 255 characters"),
    "region": (100, "Word's keywords property (region；period；doc_number) holds at most 255 characters"),
    "period": (50, "Word's keywords property (region；period；doc_number) holds at most 255 characters"),
}

# Every entry of a .docx and an .xlsx is dated with the report's 成文日期, and a zip entry
# stores its year in seven bits from 1980: 2107 is the last year it can hold. (Earlier
# dates are stored as 1980-01-01 in the zip entries and as they are everywhere else.)
LAST_STAMPED_DATE = dt.date(2107, 12, 31)

# A workbook cell is an IEEE double as Excel reads it: Excel accepts magnitudes up to
# 9.99999999999999E+307, drops anything below the smallest normal double to 0, and keeps
# 15 significant digits.
LARGEST_CELL_NUMBER = Decimal("9.99999999999999E+307")
SMALLEST_CELL_NUMBER = Decimal("2.2250738585072014E-308")
CELL_DIGITS = 15


def text_too_long(key: str, text: str) -> str | None:
    limit = TEXT_LIMITS.get(key)
    if limit is None or len(text) <= limit[0]:
        return None
    return f"'{key}' has {len(text)} characters; at most {limit[0]} fit: {limit[1]}"


def date_too_late(key: str, date: dt.date) -> str | None:
    if date <= LAST_STAMPED_DATE:
        return None
    return (f"'{key}' {date.isoformat()} is after {LAST_STAMPED_DATE.isoformat()}, the last date the .docx "
            "and .xlsx files (zip archives) can be stamped with")


def number_out_of_range(value: Decimal) -> str | None:
    """Why `value` cannot go into a workbook cell unchanged, or None when it can."""
    magnitude = abs(value)
    if magnitude > LARGEST_CELL_NUMBER:
        return f"{_short(value)} is larger than a workbook cell holds (at most {LARGEST_CELL_NUMBER} in magnitude)"
    if magnitude and magnitude < SMALLEST_CELL_NUMBER:
        return (f"{_short(value)} is smaller than a workbook cell holds (at least {SMALLEST_CELL_NUMBER} in magnitude; "
                "a smaller number becomes 0)")
    return None


def number_not_carried(value: Decimal) -> str | None:
    """Like number_out_of_range, and also more digits than a cell keeps: a printed figure must
    reach the workbook exactly."""
    problem = number_out_of_range(value)
    if problem is not None:
        return problem
    digits = _significant_digits(value)
    if digits > CELL_DIGITS:
        shown = f"{value:f}" if digits <= 30 else _short(value)
        return (f"{shown} has {digits} significant digits; a workbook cell keeps {CELL_DIGITS} "
                "(Excel's precision), so the workbook would show another number")
    return None


def _short(value: Decimal) -> str:
    """A number for a message: 1E+400, 1.8E+308; four hundred printed nines help nobody."""
    if value.is_finite() and _significant_digits(value) > 16:
        return f"{value:.6E}"
    return f"{value:E}"


def _significant_digits(value: Decimal) -> int:
    """Counted on the digits as written: normalize() would round to the context's 28 digits."""
    digits = "".join(map(str, value.as_tuple().digits)).strip("0")
    return max(len(digits), 1)
