"""The writers: one module per output format, each with the same signature.

    write(document: Document, profile: Profile, out: BinaryIO) -> list[Diagnostic]

A writer reads only the model and the profile, writes the whole file to `out`, returns its
warnings and raises an `ExportError` subclass for what it cannot do. No writer imports
another. Modules are imported only when their format is asked for, so `export xlsx` does
not pay for reportlab.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import BinaryIO, Callable, Protocol

from ..diagnostics import Diagnostic
from ..model import Document
from ..profile import Profile

WRITERS: dict[str, str] = {
    "docx": "exporter.writers.docx",
    "pdf": "exporter.writers.pdf",
    "xlsx": "exporter.writers.xlsx",
}


class Writer(Protocol):
    def __call__(self, document: Document, profile: Profile, out: BinaryIO) -> list[Diagnostic]: ...


def available_formats() -> list[str]:
    """The formats whose writer module exists, in registry order."""
    return [fmt for fmt, module in WRITERS.items() if importlib.util.find_spec(module) is not None]


def get_writer(fmt: str) -> Writer:
    module = importlib.import_module(WRITERS[fmt])
    write: Callable = getattr(module, "write")
    return write
