"""Saving a workbook byte for byte the same every time.

openpyxl's `save_workbook` stamps docProps/core.xml with the clock and its zip entries with
the local time. Here the package is written through openpyxl's `ExcelWriter` into a zip
whose entries all carry the document's own timestamp, and core.xml carries the same.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.writer.excel import ExcelWriter

from .. import __version__
from ..profile import Profile

GENERATOR = "exporter"


class _FixedTimeZip(zipfile.ZipFile):
    """A ZipFile whose `writestr` ignores the clock."""

    def __init__(self, file: BinaryIO, when: dt.datetime):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        # Zip timestamps cannot go below 1980.
        self._stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=when.tzinfo)).timetuple()[:6]

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        # openpyxl streams each worksheet through a temporary file; its mtime is the clock.
        with open(filename, "rb") as f:
            self.writestr(arcname or filename, f.read())


def set_properties(wb: Workbook, profile: Profile, when: dt.datetime, title: str, subject: str,
                   creator: str | None, description: str, keywords: str,
                   custom: dict[str, str | None]) -> None:
    props = wb.properties
    props.title = title
    props.subject = subject
    props.creator = creator or GENERATOR
    props.lastModifiedBy = f"{GENERATOR} {__version__}"
    props.description = description
    props.keywords = keywords
    props.category = "统计数据"
    props.language = profile.xlsx.language
    naive_utc = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    props.created = naive_utc
    props.modified = naive_utc
    for name, value in custom.items():
        if value:
            wb.custom_doc_props.append(StringProperty(name=name, value=value))


def save(wb: Workbook, out: BinaryIO, when: dt.datetime) -> None:
    archive = _FixedTimeZip(out, when)
    ExcelWriter(wb, archive).save()
