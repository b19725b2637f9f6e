"""Reference periods: the one form a 统计时期 may take, in the front matter and on a figure."""

from __future__ import annotations

import re

# Reference periods as ISO 8601 writes them (a year, a month, a day, a span of years), with the SDMX
# quarter and half-year forms, since report periods are often 2021-Q1 or 2021-S1.
_PERIOD = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?|-Q[1-4]|-S[12])?(?:/\d{4})?")
PERIOD_PATTERN = _PERIOD.pattern


def period_problem(period: str) -> str | None:
    """Why `period` is not an ISO period such as 2021, 2021-03, 2021-Q1, 2021-S1 or 2019/2021, or None."""
    if _PERIOD.fullmatch(period):
        return None
    hint = ""
    if m := re.fullmatch(r"(\d{4})\s*年度?", period):
        hint = f" (write {m.group(1)})"
    return f"must be an ISO period such as 2021, 2021-03, 2021-Q1, 2021-S1 or 2019/2021, not {period!r}{hint}"
