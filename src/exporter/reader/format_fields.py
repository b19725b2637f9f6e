"""The front-matter keys of the special formats (信函, 命令, 纪要), the seal and the 主送 in the 版记:
the values allowed, what each needs, and the seal image read and checked where it is named
(gbt9704-kinds §5–§8; gbt9704 D6, G2)."""

from __future__ import annotations

import dataclasses
import struct
from pathlib import Path
from typing import Any

from ..model import Metadata, Position
from .text import SourceLines

FORMATS = ("letter", "order", "minutes")
# 文种 whose 式样 is a special format by the standard itself [M1, J1]; a 函 may go either way.
KIND_FORMATS = {"纪要": "minutes", "命令": "order", "令": "order"}
FORMAT_KEYS = ("format", "attendees", "absent", "observers", "seal", "recipients_in_record", "signer_title",
               "signature_seal")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def read_format_fields(src: SourceLines, data: dict[str, Any], key_pos: dict[str, Position], value_pos: Any,
                       text: Any, text_list: Any, kind: str | None, issuers: tuple[str, ...] = (),
                       signers: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """The Metadata fields of the special formats, or None when one is wrong (located errors)."""
    ok = True
    fields: dict[str, Any] = {}
    chosen = text("format")
    if chosen is not None and chosen not in FORMATS:
        src.diags.error(f"'format' must be one of {', '.join(FORMATS)}, not {chosen!r}", value_pos("format"))
        ok = False
    elif chosen is not None and kind is not None and _format_contradicts(chosen, kind):
        src.diags.error(f"'format: {chosen}' contradicts 'kind: {kind}': {_KIND_IS_PRINTED[kind]} "
                        "(drop 'format' or change 'kind') [L1, M1, J1]", value_pos("format"))
        ok = False
    fields["format"] = chosen or KIND_FORMATS.get(kind or "")
    for key in ("attendees", "absent", "observers"):
        names = text_list(key)
        if data.get(key) is not None and not names:
            ok = False
        if names and fields["format"] != "minutes":
            src.diags.error(f"'{key}' is printed only in a 纪要: set 'kind: 纪要' or 'format: minutes' [J2]",
                            key_pos[key])
            ok = False
        fields[key] = names
    flag = data.get("recipients_in_record")
    if flag is not None and not isinstance(flag, bool):
        src.diags.error("'recipients_in_record' must be true or false", value_pos("recipients_in_record"))
        ok = False
    else:
        fields["recipients_in_record"] = flag
    if flag is True and data.get("recipients") is None:
        src.diags.error("'recipients_in_record' moves the 主送 to the 版记, but there is no 'recipients' [D6]",
                        key_pos["recipients_in_record"])
        ok = False
    seals = text_list("seal")
    if data.get("seal") is not None and not seals:
        ok = False
    if seals and fields["format"] == "order":
        # 7.3.5.3, not 7.3.5.1: printing the issuer's seal instead would be a different 式样, and
        # leaving it out would drop what the source asked for.
        src.diags.error("a 命令 is signed with its 签发人's 签名章, not the issuer's seal: use 'signature_seal' "
                        "and 'signer_title' [M5, S9]", key_pos["seal"])
        ok = False
    elif len(seals) > 1 and len(seals) != len(issuers):
        src.diags.error(f"{len(seals)} seals for {len(issuers)} issuer(s): a joint document carries one seal per "
                        "issuer, in the issuers' order [S5]", value_pos("seal"))
        ok = False
    elif seals and not issuers and data.get("date") is None:
        src.diags.error("a seal presses on the 署名 and the 成文日期, and there is neither: it would not be printed; "
                        "add 'issuer' and 'date' [G2, S3]", key_pos["seal"])
        ok = False
    fields["seals"] = seals
    fields["seal"] = seals[0] if seals else None
    return _order_signoff_fields(src, data, key_pos, value_pos, text_list, fields, signers) if ok else None


_FORMAT_NAMES = {"letter": "信函", "order": "命令", "minutes": "纪要"}
_KIND_IS_PRINTED = {
    **{kind: f"a {kind} is printed in the {_FORMAT_NAMES[fmt]} format ('format: {fmt}')"
       for kind, fmt in KIND_FORMATS.items()},
    **{kind: f"the 命令 and 纪要 formats are only for a 命令 (令) and a 纪要, not a {kind}"
       for kind in ("决议", "决定", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "函")},
}


def _format_contradicts(chosen: str, kind: str) -> bool:
    """A 纪要 and a 命令 have a 式样 of their own, and those 式样 belong to them alone; the 信函
    format carries any other 文种 [L1, M1, J1]."""
    implied = KIND_FORMATS.get(kind)
    if implied is not None:
        return chosen != implied
    return chosen in ("order", "minutes") and kind in _KIND_IS_PRINTED


def effective_format(data: dict[str, Any], kind: str | None) -> str | None:
    """The format the document is printed in: 'format' as written, else the one its kind implies."""
    chosen = data.get("format")
    if isinstance(chosen, str) and chosen.strip():
        return chosen.strip()
    return KIND_FORMATS.get(kind or "")


def _order_signoff_fields(src: SourceLines, data: dict[str, Any], key_pos: dict[str, Position], value_pos: Any,
                          text_list: Any, fields: dict[str, Any], signers: tuple[str, ...]) -> dict[str, Any] | None:
    """`signer_title` (职务) and `signature_seal` (签名章): a 命令's sign-off per 7.3.5.3 [M5, S9]."""
    ok = True
    titles = text_list("signer_title")
    stamps = text_list("signature_seal")
    for key, given in (("signer_title", titles), ("signature_seal", stamps)):
        if data.get(key) is not None and not given:
            ok = False
        elif given and fields["format"] != "order":
            src.diags.error(f"'{key}' is printed only in a 命令's sign-off: set 'kind: 令' or 'format: order' "
                            "[M5, S9]", key_pos[key])
            ok = False
    if ok and stamps and not titles:
        src.diags.error("a 签名章 is printed with the 签发人's 职务 to its left: add 'signer_title' [S9]",
                        key_pos["signature_seal"])
        ok = False
    elif ok and stamps and len(stamps) != len(titles):
        src.diags.error(f"{len(stamps)} 签名章 for {len(titles)} 职务: one 签名章 per 'signer_title', in order "
                        "[M5, S9]", value_pos("signature_seal"))
        ok = False
    elif ok and titles and signers and len(titles) != len(signers):
        src.diags.error(f"{len(titles)} 职务 for {len(signers)} 签发人: one 'signer_title' per 'signer', in order "
                        "[M5]", value_pos("signer_title"))
        ok = False
    elif ok and titles and not signers and not stamps:
        src.diags.error("a 职务 is printed with the 签发人's name or 签名章: add 'signer' or 'signature_seal' "
                        "[M5, S9]", key_pos["signer_title"])
        ok = False
    fields["signer_titles"] = titles
    fields["signature_seals"] = stamps
    return fields if ok else None


def read_seals(src: SourceLines, meta: Metadata, base_dir: Path, max_bytes: int, max_pixels: int) -> Metadata:
    """`meta` with the bytes of every seal and 签名章 it names (None in `seal_png` when one is
    wrong: each is an error located at its own value) [G2, S5, S9, S12]."""
    pngs: dict[str, tuple[bytes | None, ...]] = {}
    for key, paths in (("seal", meta.seals), ("signature_seal", meta.signature_seals)):
        pngs[key] = tuple(_read_png(src, key, written,
                                    meta.position_of(f"{key}[{i}]") or meta.position_of(key) or src.at(2),
                                    base_dir, max_bytes, max_pixels)
                          for i, written in enumerate(paths))
    seals, stamps = pngs["seal"], pngs["signature_seal"]
    good_seals = tuple(p for p in seals if p is not None)
    good_stamps = tuple(p for p in stamps if p is not None)
    return dataclasses.replace(
        meta, seal_png=seals[0] if seals else None,
        seal_pngs=good_seals if len(good_seals) == len(seals) else (),
        signature_seal_pngs=good_stamps if len(good_stamps) == len(stamps) else ())


def _read_png(src: SourceLines, key: str, written: str, where: Position, base_dir: Path,
              max_bytes: int, max_pixels: int) -> bytes | None:
    """A PNG's bytes; a missing file, a file that is not a PNG, one over `max_bytes` or
    `max_pixels`, or one whose image data cannot be decoded is an error at `where` [G2, S12]."""
    path = base_dir / written
    try:
        size = path.stat().st_size
        if not path.is_file():
            # A folder, a device (/dev/zero never ends) or a FIFO (its read waits for a writer) is
            # refused before it is opened; a link is followed to what it names.
            src.diags.error(f"{key} '{written}' is not a regular file (a folder, a device or a FIFO)", where)
            return None
        if size > max_bytes:
            src.diags.error(f"{key} '{written}' is {size} bytes; at most {max_bytes} are read (a seal is a "
                            "small PNG)", where)
            return None
        raw = path.read_bytes()
    except FileNotFoundError:
        relative = "" if Path(written).is_absolute() else " (a path relative to the source)"
        src.diags.error(f"{key} '{written}' not found{relative}", where)
        return None
    except OSError as exc:
        src.diags.error(f"{key} '{written}' cannot be read: {exc.strerror or exc}", where)
        return None
    size_px = png_size(raw)
    if size_px is None:
        src.diags.error(f"{key} '{written}' is not a PNG image", where)
        return None
    width, height = size_px
    if width * height > max_pixels:
        src.diags.error(f"{key} '{written}' is {width}×{height} pixels; at most {max_pixels} are read ([seal] "
                        "max_pixels; a 42 mm seal at 600 dpi is about 1000×1000)", where)
        return None
    if not _decodes(raw):
        src.diags.error(f"{key} '{written}' is a damaged PNG: its image data cannot be decoded (truncated or "
                        "corrupt)", where)
        return None
    return raw


def _decodes(raw: bytes) -> bool:
    """Whether Pillow decodes every pixel of `raw`: the writers decode it too, and a damaged
    image found there would stop `all` after `check` passed. The pixel count is checked
    before this, so Pillow's own decompression-bomb guard is silenced, never printed."""
    import io
    import warnings

    from PIL import Image   # only a source with a seal pays for importing Pillow

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=("PNG",)) as image:
                image.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError, MemoryError):
        return False
    return True


def png_size(raw: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels from the IHDR chunk, or None for what is not a PNG."""
    if len(raw) < 24 or not raw.startswith(PNG_SIGNATURE) or raw[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", raw[16:24])
    return (width, height) if width and height else None


def warn_incomplete_format(src: SourceLines, meta: Metadata) -> None:
    """What a special format or a seal needs besides itself (`exporter check` shows these)."""
    fallback = meta.position_of("format") or meta.position_of("kind") or src.at(2)
    if meta.format == "minutes":
        if not meta.attendees:
            src.diags.warning("a 纪要 lists who attended: add 'attendees' (出席) [J2]", fallback)
        if meta.issuer_mark and not meta.issuer_mark[-1].endswith("纪要"):
            src.diags.warning(f"纪要标志 '{''.join(meta.issuer_mark)}' should end with 纪要 [J1]",
                              meta.position_of("issuer_mark"))
        if not meta.issuer_mark:
            src.diags.warning("a 纪要 needs its 纪要标志: add 'issuer_mark' (e.g. 某某县人民政府常务会议纪要) [J1]",
                              fallback)
    if meta.format == "order" and meta.doc_number is None:
        src.diags.warning("a 命令 carries its 令号: add 'doc_number' (e.g. 第3号) [M3]", fallback)
    if meta.format == "order" and not meta.signers and not meta.signature_seals:
        src.diags.warning("the 署名 of a 命令 is its 签发人's 职务 and name: add 'signer' (and 'signer_title') [M5]",
                          fallback)
    if meta.format == "letter" and meta.doc_number is None:
        src.diags.warning("a 信函 carries its 发文字号: add 'doc_number' [L7]", fallback)
    if len(meta.seals) == 1 and len(meta.issuers) > 1:
        src.diags.warning(f"one seal for {len(meta.issuers)} issuers: a joint document carries one seal per issuer, "
                          "side by side; give 'seal' as a list in the issuers' order [S5]", meta.position_of("seal"))
    if meta.seal is not None and (meta.issuer or meta.date is not None):
        if not meta.issuer:
            src.diags.warning("a seal presses on the 署名: add 'issuer' [G2, S3]", meta.position_of("seal"))
        if meta.date is None:
            src.diags.warning("a seal presses on the 成文日期: add 'date' [G2, S3]", meta.position_of("seal"))
