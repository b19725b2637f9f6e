"""What one installed face offers: its characters, its licence bits and its names.

Read with fontTools lazily (the cmap of a 27 MB collection takes about 0.05 s) and kept per
process, keyed by the file's size and mtime, so a replaced font is read again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from fontTools.ttLib import TTFont

from .catalog import InstalledFace

# reportlab refuses to embed a face with fsType 2 (restricted licence) or bits 0x100 (no
# subsetting) / 0x200 (bitmap embedding only); see reportlab.pdfbase.ttfonts.
RESTRICTED_LICENCE = 0x0002
NO_SUBSETTING = 0x0100
BITMAP_ONLY = 0x0200


@dataclass(frozen=True)
class FaceInfo:
    face: InstalledFace
    ps_name: str
    fs_type: int
    codepoints: frozenset[int]

    def covers(self, char: str) -> bool:
        return ord(char) in self.codepoints

    @property
    def embeddable(self) -> bool:
        return not (self.fs_type & 0x000F == RESTRICTED_LICENCE or self.fs_type & (NO_SUBSETTING | BITMAP_ONLY))


def open_face(face: InstalledFace, lazy: bool = True) -> TTFont:
    return TTFont(face.path, fontNumber=face.index, lazy=lazy)


def face_info(face: InstalledFace) -> FaceInfo:
    stat = os.stat(face.path)
    return _face_info(face, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _face_info(face: InstalledFace, size: int, mtime_ns: int) -> FaceInfo:
    font = open_face(face)
    try:
        cmap = font.getBestCmap() or {}
        ps_name = font["name"].getDebugName(6) or face.family
        fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    finally:
        font.close()
    return FaceInfo(face, ps_name, fs_type, frozenset(cmap))
