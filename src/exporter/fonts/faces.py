"""What one installed face offers: its characters, its licence bits and its names.

Reading a face's cmap with fontTools costs 0.1–0.5 s for a CJK face (the whole table, and
for a CFF face its charset, is decoded to learn the coverage), which every `check` and
every PDF would pay for each face it considers. What a file offers does not change while
the file does not, so it is kept twice: per process, keyed by the file's size and mtime,
and in the font cache (`faces-v1/<SHA-256 of the file>-<face>.json`, the digest itself
remembered by path, size and mtime), so a later run reads a small JSON file instead. A
replaced font has another digest and is read again; a damaged or foreign cache file is
ignored and rewritten.
"""

from __future__ import annotations

import bisect
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from .cache import cache_root, file_digest
from .catalog import InstalledFace

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

# reportlab refuses to embed a face with fsType 2 (restricted licence) or bits 0x100 (no
# subsetting) / 0x200 (bitmap embedding only); see reportlab.pdfbase.ttfonts.
RESTRICTED_LICENCE = 0x0002
NO_SUBSETTING = 0x0100
BITMAP_ONLY = 0x0200

FACES_FORMAT = "faces-v1"


@dataclass(frozen=True)
class FaceInfo:
    face: InstalledFace
    ps_name: str
    fs_type: int
    # The characters it has as sorted runs: run k is firsts[k]..lasts[k]. A bisect over a few
    # thousand runs, so that a face only considered (for its licence, or for one symbol)
    # costs no set of its 30,000 characters.
    firsts: tuple[int, ...]
    lasts: tuple[int, ...]

    def covers(self, char: str) -> bool:
        cp = ord(char)
        at = bisect.bisect_right(self.firsts, cp) - 1
        return at >= 0 and cp <= self.lasts[at]

    @property
    def codepoints(self) -> frozenset[int]:
        return frozenset(cp for first, last in zip(self.firsts, self.lasts) for cp in range(first, last + 1))

    @property
    def embeddable(self) -> bool:
        return not (self.fs_type & 0x000F == RESTRICTED_LICENCE or self.fs_type & (NO_SUBSETTING | BITMAP_ONLY))


def open_face(face: InstalledFace, lazy: bool = True) -> TTFont:
    from fontTools.ttLib import TTFont

    return TTFont(face.path, fontNumber=face.index, lazy=lazy)


def face_info(face: InstalledFace) -> FaceInfo:
    stat = os.stat(face.path)
    return _face_info(face, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _face_info(face: InstalledFace, size: int, mtime_ns: int) -> FaceInfo:
    memo = cache_root() / FACES_FORMAT / f"{file_digest(face.path)}-{face.index}.json"
    cached = _read_memo(face, memo)
    if cached is not None:
        return cached
    info = _read_face(face)
    _write_memo(info, memo)
    return info


def _read_face(face: InstalledFace) -> FaceInfo:
    font = open_face(face)
    try:
        cmap = font.getBestCmap() or {}
        ps_name = font["name"].getDebugName(6) or face.family
        fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    finally:
        font.close()
    return FaceInfo(face, ps_name, fs_type, *_runs(cmap))


def _read_memo(face: InstalledFace, memo: os.PathLike[str]) -> FaceInfo | None:
    try:
        with open(memo, encoding="utf-8") as handle:
            data = json.load(handle)
        firsts, lasts = data["firsts"], data["lasts"]
        if len(firsts) != len(lasts) or not set(map(type, firsts)) | set(map(type, lasts)) <= {int}:
            return None
        return FaceInfo(face, str(data["ps_name"]), int(data["fs_type"]), tuple(firsts), tuple(lasts))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not there yet, damaged, or from another version: read the font


def _write_memo(info: FaceInfo, memo: os.PathLike[str]) -> None:
    from pathlib import Path

    from ..outputs import write_atomically

    data = {"ps_name": info.ps_name, "fs_type": info.fs_type, "firsts": info.firsts, "lasts": info.lasts}
    try:
        write_atomically(Path(memo), json.dumps(data, separators=(",", ":")).encode("utf-8"))
    except OSError:
        pass  # an unwritable cache only costs time


def _runs(codepoints: Iterable[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The first and last code points of each run of consecutive ones."""
    firsts: list[int] = []
    lasts: list[int] = []
    for cp in sorted(codepoints):
        if lasts and cp == lasts[-1] + 1:
            lasts[-1] = cp
        else:
            firsts.append(cp)
            lasts.append(cp)
    return tuple(firsts), tuple(lasts)
