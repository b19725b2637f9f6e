"""The one timestamp every writer stamps into its file, so outputs are reproducible.

SOURCE_DATE_EPOCH wins (the reproducible-builds convention); otherwise the report's own
成文日期; otherwise the last day of its reporting period; otherwise a fixed epoch. Never the
clock: the same source must give the same bytes tomorrow.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from .model import Document

FALLBACK = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def document_datetime(document: Document) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    if document.meta.date is not None:
        d = document.meta.date
        return dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc)
    if document.meta.period:
        years = re.findall(r"(19\d\d|20\d\d)", document.meta.period)
        if years:
            return dt.datetime(int(years[-1]), 12, 31, tzinfo=dt.timezone.utc)
    return FALLBACK
