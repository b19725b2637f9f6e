"""Zip packages (.docx, .xlsx) that are the same bytes for the same input.

python-docx and openpyxl stamp every zip entry with the clock and write entries in the order
they happen to produce them. Both writers hand their finished package here, and it is
rewritten with every entry dated the document's own timestamp, in a fixed order, with fixed
attributes and compression.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import BinaryIO, Sequence


def rewrite_zip(package: bytes, stamp: dt.datetime, out: BinaryIO, first: Sequence[str] = ()) -> None:
    """Write `package` to `out` with entries `first` (those present) leading, the rest sorted."""
    date_time = zip_date_time(stamp)
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        names = source.namelist()
        order = [n for n in first if n in names] + sorted(n for n in names if n not in first)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for name in order:
                info = zipfile.ZipInfo(name, date_time=date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0  # zipfile itself sets the mode bits to 0600 for every entry
                target.writestr(info, source.read(name), compresslevel=9)
    out.write(buffer.getvalue())


def zip_date_time(stamp: dt.datetime) -> tuple[int, int, int, int, int, int]:
    utc = stamp.astimezone(dt.timezone.utc)
    if utc.year < 1980:  # the zip format cannot store earlier dates
        return (1980, 1, 1, 0, 0, 0)
    return (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)
