"""Saving a workbook byte for byte the same every time.

openpyxl's `save_workbook` stamps docProps/core.xml with the clock and its zip entries with
the local time. Here core.xml gets the document's own timestamp, and the package written by
openpyxl's `ExcelWriter` is rewritten by `exporter.reproducible` with that timestamp on every
entry, in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.writer.excel import ExcelWriter

from ... import __version__
from ...profile import Profile
from ...reproducible import rewrite_zip

GENERATOR = "exporter"
# The package's own index first, as Excel writes it.
FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "docProps/custom.xml",
                 "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml")


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
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    rewrite_zip(buffer.getvalue(), when, out, FIRST_ENTRIES)
