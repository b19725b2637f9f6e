"""What only the installed fonts would stop: `exporter check` reports it as warnings.

A character no installed font has stops the PDF (exit 5) but is no fault of the source: on a
machine with another font it prints. `check` therefore resolves the same fonts the PDF writer
would, through the same function, and warns at the character's position instead of failing.
"""

from __future__ import annotations

from dataclasses import replace

from .diagnostics import Diagnostic, WARNING
from .fonts import resolve_coverage
from .model import Document
from .characters import characters_by_role, locate_character
from .profile import Profile

STOPS_PDF = "the PDF cannot be written with the fonts installed here: "


def font_warnings(document: Document, profile: Profile) -> list[Diagnostic]:
    coverage = resolve_coverage(profile, characters_by_role(document, profile))
    found = [replace(d, severity=WARNING, message=STOPS_PDF + d.message) for d in coverage.roles_without_font]
    found.extend(replace(d, message=STOPS_PDF + d.message)
                 for d in coverage.missing_characters(lambda char: locate_character(document, char), WARNING))
    return found
