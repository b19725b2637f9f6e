"""Which font files are installed, and which one a profile's family name means.

Two sources, in this order: the official Windows font folders (searched by the file names a
role lists, so simfang.ttf is found even where no fontconfig runs), then every installed face
as fontconfig lists it (Linux) or, without fontconfig, as the name tables of the files in the
usual font folders say (Windows, macOS). `fc-match` is never used: it always answers
something, even DejaVu for 仿宋.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")
# Styles that mean "the plain face" when a profile names a family without a style.
REGULAR_STYLES = ("regular", "normal", "book", "roman", "r", "medium", "standard")
FONTCONFIG_FIELDS = "%{index}|%{fontformat}|%{family}|%{style}|%{file}\\n"


@dataclass(frozen=True, order=True)
class InstalledFace:
    """One face of an installed font file; `index` is the face number inside a .ttc/.otc."""

    path: str
    index: int
    families: tuple[str, ...]
    styles: tuple[str, ...]
    outline: str  # "TrueType" or "CFF"

    @property
    def family(self) -> str:
        return self.families[0] if self.families else Path(self.path).stem

    @property
    def style(self) -> str:
        return self.styles[0] if self.styles else "Regular"

    def matches(self, family: str, style: str | None) -> bool:
        if family.casefold() not in (f.casefold() for f in self.families):
            return False
        if style is None:
            return True
        return style.casefold() in (s.casefold() for s in self.styles)

    def is_regular(self) -> bool:
        return any(s.casefold() in REGULAR_STYLES for s in self.styles) or not self.styles


def parse_spec(spec: str) -> tuple[str, str | None]:
    """'Noto Serif CJK SC:style=Bold' → ('Noto Serif CJK SC', 'Bold'); no style → None."""
    family, _, rest = spec.partition(":")
    style = None
    for part in rest.split(":"):
        key, _, value = part.partition("=")
        if key.strip().lower() == "style" and value.strip():
            style = value.strip()
    return family.strip(), style


def windows_font_dirs() -> list[Path]:
    """%WINDIR%\\Fonts and the per-user folder of Windows 10 1809+, where they exist."""
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return [d for d in dirs if d.is_dir()]


def other_font_dirs() -> list[Path]:
    """Folders scanned when fontconfig is not available (macOS, Windows)."""
    home = Path.home()
    dirs = [Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library" / "Fonts",
            Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local" / "share" / "fonts",
            home / ".fonts"]
    return [d for d in dirs if d.is_dir()]


def find_windows_file(name: str) -> Path | None:
    """A file of the Windows font folders by name, ignoring case (Windows does)."""
    wanted = name.casefold()
    for folder in windows_font_dirs():
        direct = folder / name
        if direct.is_file():
            return direct
        try:
            for entry in folder.iterdir():
                if entry.name.casefold() == wanted and entry.is_file():
                    return entry
        except OSError:
            continue
    return None


def installed_faces() -> tuple[InstalledFace, ...]:
    """Every installed TrueType/CFF face; cached per process and per set of font folders."""
    scanned = tuple(str(d) for d in windows_font_dirs())
    return _installed_faces(scanned, shutil.which("fc-list") is not None)


@lru_cache(maxsize=8)
def _installed_faces(windows_dirs: tuple[str, ...], with_fontconfig: bool) -> tuple[InstalledFace, ...]:
    faces: list[InstalledFace] = []
    if with_fontconfig:
        faces.extend(_fontconfig_faces())
    folders = [Path(d) for d in windows_dirs]
    if not with_fontconfig:
        folders.extend(other_font_dirs())
    seen = {(f.path, f.index) for f in faces}
    for folder in folders:
        for face in _scan_folder(folder):
            if (face.path, face.index) not in seen:
                seen.add((face.path, face.index))
                faces.append(face)
    return tuple(faces)


def faces_with_char(char: str) -> tuple[InstalledFace, ...]:
    """The installed faces that may have `char`: fontconfig's answer where it runs (it indexes
    every face's character set), otherwise every installed face (the caller reads the cmaps)."""
    if shutil.which("fc-list") is None:
        return installed_faces()
    return _faces_with_char(char, tuple(str(d) for d in windows_font_dirs()))


@lru_cache(maxsize=256)
def _faces_with_char(char: str, windows_dirs: tuple[str, ...]) -> tuple[InstalledFace, ...]:
    faces = _fontconfig_faces(f":charset={ord(char):x}")
    seen = {(f.path, f.index) for f in faces}
    for folder in windows_dirs:  # fontconfig does not index the Windows folders
        faces.extend(f for f in _scan_folder(Path(folder)) if (f.path, f.index) not in seen)
    return tuple(faces)


def _fontconfig_faces(pattern: str | None = None) -> list[InstalledFace]:
    try:
        listing = subprocess.run(
            ["fc-list", "-f", FONTCONFIG_FIELDS, *([pattern] if pattern else [])], capture_output=True, check=True,
            timeout=60,
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return []
    faces = []
    for line in listing.splitlines():
        parts = line.split("|", 4)
        if len(parts) != 5 or not parts[0].isdigit():
            continue
        index, fmt, families, styles, path = parts
        outline = _outline_name(fmt)
        # Named instances of variable fonts have index >= 65536; the default instance is enough.
        if outline is None or int(index) >= 0x10000 or not path.lower().endswith(FONT_SUFFIXES):
            continue
        faces.append(InstalledFace(path, int(index), _split_names(families), _split_names(styles), outline))
    return sorted(faces)


def _outline_name(fontformat: str) -> str | None:
    if fontformat == "TrueType":
        return "TrueType"
    if fontformat == "CFF":
        return "CFF"
    return None


def _split_names(value: str) -> tuple[str, ...]:
    names = []
    for name in value.replace("\\,", "\0").split(","):
        name = name.replace("\0", ",").strip()
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _scan_folder(folder: Path) -> list[InstalledFace]:
    faces = []
    try:
        files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES and p.is_file())
    except OSError:
        return faces
    for path in files:
        faces.extend(read_faces(path))
    return faces


def read_faces(path: Path) -> list[InstalledFace]:
    """The faces of one font file, named from its own name table (all languages)."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            collection = TTCollection(str(path), lazy=True)
            fonts = list(collection.fonts)
        else:
            fonts = [TTFont(str(path), lazy=True)]
    except (TTLibError, OSError, ValueError, AssertionError):
        return []
    faces = []
    for index, font in enumerate(fonts):
        try:
            outline = "TrueType" if "glyf" in font else ("CFF" if "CFF " in font else None)
            if outline is None:
                continue
            families, styles = _names(font)
        except Exception:  # a broken third-party font must not stop the search
            continue
        faces.append(InstalledFace(str(path), index, families, styles, outline))
    return faces


def _names(font) -> tuple[tuple[str, ...], tuple[str, ...]]:
    families: list[str] = []
    styles: list[str] = []
    name_table = font["name"]
    for name_id, target in ((16, families), (1, families), (17, styles), (2, styles)):
        for record in name_table.names:
            if record.nameID != name_id:
                continue
            try:
                text = record.toUnicode().strip()
            except UnicodeDecodeError:
                continue
            if text and text not in target:
                target.append(text)
    return tuple(families), tuple(styles)


def find_family(spec: str, faces: tuple[InstalledFace, ...] | None = None) -> InstalledFace | None:
    """The installed face a profile's `pdf` entry names, preferring the regular style."""
    family, style = parse_spec(spec)
    candidates = [f for f in (installed_faces() if faces is None else faces) if f.matches(family, style)]
    if not candidates:
        return None
    if style is None:
        regular = [f for f in candidates if f.is_regular()]
        candidates = regular or candidates
    # TrueType first (no conversion needed), then a stable order.
    return sorted(candidates, key=lambda f: (f.outline != "TrueType", f.path, f.index))[0]


def platform_hint() -> str:
    if sys.platform.startswith("win"):
        return "Windows"
    if sys.platform == "darwin":
        return "macOS"
    return "Linux"
