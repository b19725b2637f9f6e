"""The per-user font cache: where it is, content digests, and atomic writes.

Several exports may run at once, so every file is written to a temporary name in the same
folder and renamed into place: a reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from ..outputs import write_atomically

CACHE_ENV = "EXPORTER_FONT_CACHE"
_DIGEST_CHUNK = 1 << 20


def cache_root() -> Path:
    """$EXPORTER_FONT_CACHE, else the platform's per-user cache folder + exporter/fonts."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA")
        if base:
            return Path(base) / "exporter" / "cache" / "fonts"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base_dir = Path(xdg) if xdg else Path.home() / ".cache"
    return base_dir / "exporter" / "fonts"


def file_digest(path: str | Path) -> str:
    """SHA-256 of a font file; remembered in the cache by path, size and mtime so a warm run
    does not re-read 27 MB collections."""
    path = Path(path)
    stat = path.stat()
    key = hashlib.sha1(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    memo = cache_root() / "digests" / key
    try:
        text = memo.read_text(encoding="ascii").strip()
        if len(text) == 64:
            return text
    except OSError:
        pass
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_DIGEST_CHUNK), b""):
            digest.update(chunk)
    value = digest.hexdigest()
    try:
        write_atomically(memo, value.encode("ascii"))
    except OSError:
        pass  # an unwritable cache only costs time
    return value


