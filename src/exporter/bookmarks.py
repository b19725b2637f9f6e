"""Word bookmark names of figures: the .docx writer names one bookmark per figure, the workbook
links to it by that name, and `exporter import` reads the figure id back from it.

Word allows letters, digits and `_` in a bookmark name, at most 40 characters. A figure id of
running text (`online_rate`) is already such a name and is used as is. A table figure's id
(`t3:denied.state_secret:natural`, TABLES.md decision 2) is not: every other character becomes
`_`, and a name that had to be cut, or that would collide with another, ends in a short hash of
the full id so it stays unique and the same from run to run.
"""

from __future__ import annotations

import hashlib
import re
from typing import Iterable

MAX_LENGTH = 40
_HASH_LENGTH = 6
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9_]")


def _hashed(figure_id: str, stem: str) -> str:
    digest = hashlib.sha1(figure_id.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
    return f"{stem[:MAX_LENGTH - _HASH_LENGTH - 1]}_{digest}"


def bookmark_names(figure_ids: Iterable[str]) -> dict[str, str]:
    """Each figure id's bookmark name, unique within the document, in a stable way."""
    ids = list(dict.fromkeys(figure_ids))
    plain = {figure_id: _NOT_ALLOWED.sub("_", figure_id) for figure_id in ids}
    if any(name[:1].isdigit() for name in plain.values()):
        plain = {figure_id: name if not name[:1].isdigit() else "n" + name for figure_id, name in plain.items()}
    counts: dict[str, int] = {}
    for name in plain.values():
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    names = {}
    for figure_id, name in plain.items():
        changed = name != figure_id
        if len(name) > MAX_LENGTH or (changed and counts[name.lower()] > 1):
            name = _hashed(figure_id, name)
        names[figure_id] = name
    return names
