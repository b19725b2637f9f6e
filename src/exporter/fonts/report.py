"""What `exporter fonts` prints: per role, the face found and how much of a text it covers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..profile import Profile
from . import (
    InstalledFace, Resolution, char_name, describe_missing_role, find_donor, resolve_fallbacks, resolve_role,
)
from .cache import cache_root
from .faces import face_info


@dataclass
class RoleReport:
    role: str
    size_pt: float
    word_name: str
    resolution: Resolution
    characters: int = 0
    covered: int = 0
    from_fallback: dict[str, list[str]] = field(default_factory=dict)   # fallback family → chars
    missing: list[str] = field(default_factory=list)


def role_reports(profile: Profile, chars_by_role: Mapping[str, str]) -> list[RoleReport]:
    fallbacks: list[InstalledFace] | None = None
    reports = []
    for name, role in profile.roles.items():
        resolution = resolve_role(role)
        report = RoleReport(name, role.size_pt, role.word, resolution)
        chars = sorted(set(chars_by_role.get(name, "")))
        report.characters = len(chars)
        if resolution.face is not None:
            info = face_info(resolution.face)
            for char in chars:
                if info.covers(char):
                    report.covered += 1
                    continue
                if fallbacks is None:
                    fallbacks = resolve_fallbacks(profile)
                donor = find_donor(char, fallbacks)
                if donor is None:
                    report.missing.append(char)
                else:
                    report.from_fallback.setdefault(donor.family, []).append(char)
        reports.append(report)
    return reports


def format_reports(profile: Profile, reports: list[RoleReport], sources: list[str]) -> list[str]:
    about = f"characters of {', '.join(sources)}" if sources else "characters (no source given)"
    out = [f"profile {profile.name} ({profile.path})", f"font cache: {cache_root()}", ""]
    for r in reports:
        face = r.resolution.face
        out.append(f"{r.role} ({r.size_pt:g} pt, Word: {r.word_name})")
        if face is None:
            out.append(f"    NOT FOUND: {describe_missing_role(r.resolution, profile.role(r.role))}")
            out.append("")
            continue
        outline = "TrueType, embedded directly" if face.outline == "TrueType" else \
            "CFF, converted to TrueType through the font cache"
        out.append(f"    family:   {face.family} {face.style}")
        out.append(f"    file:     {face.path}")
        out.append(f"    face:     {face.index}")
        out.append(f"    format:   {outline}")
        out.append(f"    found as: {r.resolution.found_as} (tried {', '.join(r.resolution.tried)})")
        if r.characters:
            out.append(f"    coverage: {r.covered} of {r.characters} {about}")
        elif sources:
            out.append("    coverage: the source prints nothing in this role")
        for family, chars in r.from_fallback.items():
            out.append(f"    fallback: {len(chars)} from {family}: {''.join(chars[:40])}")
        for char in r.missing:
            out.append(f"    MISSING:  '{char}' {char_name(char)} is in no installed font")
        out.append("")
    return out


def has_problems(reports: list[RoleReport]) -> bool:
    return any(r.resolution.face is None or r.missing for r in reports)


def shown(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path
