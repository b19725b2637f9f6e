"""Fonts for the PDF writer: which installed face serves each profile role, per character.

    fonts = prepare_fonts(profile, {"body": "正文…", "title": "…"}, locate)
    fonts.font("body", "字")   # → LoadedFont, registered with reportlab

Each role takes the first face of its list that is installed and embeddable: the official
Windows files first (`windows_files`), then the `pdf` families in order. A character the
role's face lacks comes from the first `[fallback] pdf` face that has it (the CJK faces, then
the symbol-rich DejaVu/Noto/Liberation families the profile lists after them); failing those,
from any installed face that has it, in a fixed order (see `last_resort_face`). Only a
character no installed font has is a FontError naming it and where the source uses it, never
an empty box.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from ..cjk import is_latin_slot
from ..diagnostics import Diagnostic, ERROR, FontError, WARNING
from ..model import Position
from ..profile import Profile, Role
from .catalog import (
    InstalledFace, faces_with_char, find_family, find_windows_file, installed_faces, platform_hint, read_faces,
)
from .faces import face_info

if TYPE_CHECKING:
    from .loader import LoadedFont

__all__ = [
    "Coverage", "FontSet", "LoadedFont", "Resolution", "char_name", "describe_missing_role", "find_donor",
    "SubstituteFaces", "is_official", "last_resort_face", "prepare_fonts", "resolve_coverage", "resolve_fallbacks", "resolve_role",
]


def __getattr__(name: str) -> Any:
    # The loader brings in reportlab; `exporter check` resolves coverage without loading a font.
    if name == "LoadedFont":
        from .loader import LoadedFont
        return LoadedFont
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


INSTALL_HINT = {
    "Linux": "install the free CJK fonts with `sudo scripts/install-system-deps.sh` (Debian/Ubuntu: "
             "fonts-noto-cjk, fonts-arphic-*, fonts-wqy-microhei and the Fandol faces), or copy the "
             "Windows fonts (simfang.ttf, simhei.ttf, simkai.ttf, simsun.ttc) into ~/.local/share/fonts "
             "and run `fc-cache -f`",
    "Windows": "install the Chinese (Simplified) Supplemental Fonts (Settings → Apps → Optional features), "
               "which provide simfang.ttf, simhei.ttf and simkai.ttf",
    "macOS": "install a Chinese font that has this style into ~/Library/Fonts (for example Noto Serif CJK SC)",
}


@dataclass(frozen=True)
class Resolution:
    """The face chosen for a role, and what was looked for."""

    role: str
    face: InstalledFace | None
    found_as: str
    tried: tuple[str, ...]
    unusable: tuple[str, ...] = ()


def resolve_role(role: Role) -> Resolution:
    tried: list[str] = []
    unusable: list[str] = []
    for file_name in role.windows_files:
        tried.append(file_name)
        path = find_windows_file(file_name)
        if path is None:
            continue
        for face in read_faces(path)[:1]:
            if _usable(face, unusable):
                return Resolution(role.name, face, f"Windows font file {file_name}", tuple(tried), tuple(unusable))
    faces = installed_faces()
    for spec in role.pdf:
        tried.append(spec)
        face = find_family(spec, faces)
        if face is not None and _usable(face, unusable):
            return Resolution(role.name, face, f"family {spec}", tuple(tried), tuple(unusable))
    return Resolution(role.name, None, "", tuple(tried), tuple(unusable))


def resolve_latin(role: Role) -> InstalledFace | None:
    """The face for the role's digits and Latin letters (`pdf_latin`, faces with the metrics of
    the .docx's `word_latin`), or None when the role's own face sets them."""
    faces = installed_faces()
    for spec in role.pdf_latin:
        face = find_family(spec, faces)
        if face is not None and _usable(face, []):
            return face
    return None


def resolve_fallbacks(profile: Profile) -> list[InstalledFace]:
    faces = installed_faces()
    found: list[InstalledFace] = []
    for spec in profile.fallback.pdf:
        face = find_family(spec, faces)
        if face is not None and face not in found and _usable(face, []):
            found.append(face)
    return found


def find_donor(char: str, fallbacks: list[InstalledFace]) -> InstalledFace | None:
    """The face that prints `char` for a role whose own face lacks it: the profile's fallbacks
    in order, then any installed face."""
    for face in fallbacks:
        if face_info(face).covers(char):
            return face
    return last_resort_face(char)


def last_resort_face(char: str) -> InstalledFace | None:
    """Any installed, embeddable face that has `char` (‱ is in no CJK face, but in DejaVu).

    The order is fixed, so the same fonts give the same PDF: regular styles before bold and
    italic, TrueType before CFF (no conversion), then by family name, file path and face index.
    Fontconfig's character index narrows the search where it runs; elsewhere every installed
    face's cmap is read, which happens only for a character all the profile's faces lack.
    """
    if unicodedata.category(char).startswith("C") or char.isspace():
        return None  # controls and unassigned code points print nothing in any face
    candidates = sorted(faces_with_char(char), key=lambda f: (
        not f.is_regular(), f.outline != "TrueType", f.family.casefold(), f.path, f.index))
    for face in candidates:
        try:
            if face_info(face).covers(char) and _usable(face, []):
                return face
        except OSError:  # a font removed since it was listed
            continue
    return None


@dataclass(frozen=True)
class SubstituteFaces(Diagnostic):
    """The warning that the PDF printed official fonts with other faces: `faces` holds
    (official font, family used) pairs. A batch merges those of all its sources into one."""

    faces: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, faces: Iterable[tuple[str, str]]) -> "SubstituteFaces":
        pairs = tuple(dict.fromkeys(faces))
        listed = "; ".join(f"{official} → {used}" for official, used in pairs)
        return cls(WARNING, f"the PDF uses substitute faces for the official fonts: {listed}. Install the "
                            "official fonts for a PDF set as GB/T 9704 asks (`exporter fonts` shows what each "
                            "role finds); the .docx names them either way", faces=pairs)


def is_official(face: InstalledFace, role: Role) -> bool:
    """Whether `face` is the font the profile names for the role (its `word` family, or one of
    its `windows_files`), not a free face standing in for it."""
    names = {name.casefold() for name in face.families}
    files = {name.casefold() for name in role.windows_files}
    return role.word.casefold() in names or Path(face.path).name.casefold() in files


def _usable(face: InstalledFace, unusable: list[str]) -> bool:
    try:
        info = face_info(face)
    except Exception as exc:  # an unreadable font file is skipped like a missing one
        unusable.append(f"{face.path} ({exc.__class__.__name__})")
        return False
    if not info.embeddable:
        unusable.append(f"{face.path} (licence forbids embedding: fsType {info.fs_type:#06x})")
        return False
    return True


def describe_missing_role(resolution: Resolution, role: Role) -> str:
    unusable = f"; found but unusable: {', '.join(resolution.unusable)}" if resolution.unusable else ""
    return (f"no installed font for the '{role.name}' role ({role.size_pt:g} pt {role.word}): tried "
            f"{', '.join(resolution.tried)}{unusable}. To fix it, {INSTALL_HINT[platform_hint()]}; "
            f"`exporter fonts` shows what each role finds")


def char_name(char: str) -> str:
    """'U+4E00 CJK UNIFIED IDEOGRAPH-4E00', also for controls, which have no Unicode name."""
    name = unicodedata.name(char, "") or f"<{unicodedata.category(char)} control or unassigned>"
    return f"U+{ord(char):04X} {name}"


@dataclass
class FontSet:
    """The font of every (role, character) of one document."""

    primary: dict[str, LoadedFont]
    per_char: dict[tuple[str, str], LoadedFont] = field(default_factory=dict)
    # (official face the profile names, the installed family printed instead) for each role
    # whose own face is a substitute, in role order.
    substitutes: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Each role's Latin face, for a renderer model that sets a weak character (a curly quote
    # after "16") in the Western face by its context ([renderer] weak_follows_script).
    western: dict[str, LoadedFont] = field(default_factory=dict)

    def font(self, role: str, char: str) -> LoadedFont:
        return self.per_char.get((role, char)) or self.primary[role]

    def western_font(self, role: str, char: str) -> LoadedFont | None:
        """The role's Latin face when it has a glyph for `char`, else None."""
        font = self.western.get(role)
        if font is None or ord(char) not in (font.font.face.charToGlyph or {}):
            return None
        return font

    def fonts(self) -> list[LoadedFont]:
        seen: dict[str, LoadedFont] = {}
        for font in [*self.primary.values(), *self.per_char.values()]:
            seen.setdefault(font.name, font)
        return list(seen.values())


@dataclass
class Coverage:
    """Which installed face draws each (role, character) of a document, and what nothing draws."""

    faces: dict[str, InstalledFace]                      # role → its own face
    roles_without_font: list[Diagnostic]                 # one error per role with no face at all
    assigned: dict[tuple[str, str], InstalledFace]       # (role, char) → the fallback face drawing it
    missing: dict[str, list[str]]                        # char → the roles that need it, no face has it
    fallbacks: list[InstalledFace]

    def missing_characters(self, locate: Callable[[str], Position | None],
                           severity: str = ERROR) -> list[Diagnostic]:
        """One located diagnostic per character no installed font has."""
        return [_missing_char(char, roles, locate(char), self.fallbacks, severity)
                for char, roles in sorted(self.missing.items())]


def resolve_coverage(profile: Profile, chars_by_role: Mapping[str, Iterable[str]]) -> Coverage:
    """Find every role's face and every character's face, loading no font: what `prepare_fonts`
    would use, so `exporter check` can tell without writing a PDF what would stop one."""
    wanted = {role: frozenset(chars) for role, chars in chars_by_role.items()}
    problems: list[Diagnostic] = []
    faces: dict[str, InstalledFace] = {}
    for role_name in wanted:
        role = profile.role(role_name)
        resolution = resolve_role(role)
        if resolution.face is None:
            problems.append(Diagnostic(ERROR, describe_missing_role(resolution, role), path=profile.path))
        else:
            faces[role_name] = resolution.face

    fallbacks: list[InstalledFace] | None = None
    assigned: dict[tuple[str, str], InstalledFace] = {}
    missing: dict[str, list[str]] = {}
    for role_name, chars in wanted.items():
        if role_name not in faces:
            continue
        own = face_info(faces[role_name])
        # Word draws U+0000–007F with the run's Latin font; so does the PDF when the renderer model says so.
        latin = resolve_latin(profile.role(role_name)) if profile.renderer.latin_face else None
        latin_info = face_info(latin) if latin is not None else None
        for char in sorted(chars):
            if latin is not None and latin_info is not None and is_latin_slot(char) and latin_info.covers(char):
                assigned[(role_name, char)] = latin
                continue
            if own.covers(char):
                continue
            if fallbacks is None:
                fallbacks = resolve_fallbacks(profile)
            donor = find_donor(char, fallbacks)
            if donor is None:
                missing.setdefault(char, []).append(role_name)
            else:
                assigned[(role_name, char)] = donor
    return Coverage(faces, problems, assigned, missing, fallbacks or [])


def prepare_fonts(profile: Profile, chars_by_role: Mapping[str, Iterable[str]],
                  locate: Callable[[str], Position | None] = lambda _c: None) -> FontSet:
    """Resolve, convert (through the cache) and register every font the document needs."""
    from .loader import load_font

    wanted = {role: frozenset(chars) for role, chars in chars_by_role.items()}
    coverage = resolve_coverage(profile, wanted)
    if coverage.roles_without_font:
        raise FontError(coverage.roles_without_font)
    if coverage.missing:
        raise FontError(coverage.missing_characters(locate))
    faces, assigned = coverage.faces, coverage.assigned

    chars_per_face: dict[InstalledFace, set[str]] = {}
    for role_name, chars in wanted.items():
        own = faces[role_name]
        for char in chars:
            chars_per_face.setdefault(assigned.get((role_name, char), own), set()).add(char)
    loaded = {face: load_font(face, frozenset(chars)) for face, chars in sorted(chars_per_face.items())}
    for role_name, face in faces.items():
        if face not in loaded:  # a role with no characters still needs its font for metrics
            loaded[face] = load_font(face, frozenset())
    fontset = FontSet({role: loaded[face] for role, face in faces.items()})
    if profile.renderer.latin_face and profile.renderer.weak_follows_script:
        for role_name in faces:
            latin_face = resolve_latin(profile.role(role_name))
            if latin_face is not None and latin_face.outline == "TrueType":
                # A TrueType face is embedded by what is drawn, so no character list is needed.
                fontset.western[role_name] = loaded.get(latin_face) or load_font(latin_face, frozenset())
    for role_name, face in faces.items():
        role = profile.role(role_name)
        if not is_official(face, role):
            fontset.substitutes[role_name] = (role.word, face.family)
    for key, face in assigned.items():
        fontset.per_char[key] = loaded[face]
    return fontset


def _missing_char(char: str, roles: list[str], pos: Position | None, fallbacks: list[InstalledFace],
                  severity: str = ERROR) -> Diagnostic:
    searched = ", ".join(f.family for f in fallbacks) or "none installed"
    message = (f"no installed font has the character '{char}' ({char_name(char)}) that the "
               f"{'/'.join(sorted(roles))} text uses (fallback fonts searched: {searched}, then every "
               f"installed font); "
               f"remove the character or install a font that has it")
    if unicodedata.category(char).startswith("C"):
        message = (f"the character {char_name(char)} cannot be printed (used in the "
                   f"{'/'.join(sorted(roles))} text); remove it from the source")
    return Diagnostic(severity, message, pos=pos)


def face_label(face: InstalledFace) -> str:
    return f"{face.family} ({Path(face.path).name}:{face.index})"
