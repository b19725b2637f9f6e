"""Read a .txt input: decode it (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030) into lines."""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import SourceError, Diagnostic


@dataclass
class DecodedText:
    text: str
    encoding: str       # as shown in the report
    line_ending: str    # "LF", "CRLF", "CR" or "mixed"


def decode(raw: bytes, shown: str) -> DecodedText:
    if raw.startswith(b"\xef\xbb\xbf"):
        text, encoding = raw[3:].decode("utf-8", errors="strict"), "UTF-8 with BOM"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = raw.decode("utf-16"), "UTF-16"
    else:
        try:
            text, encoding = raw.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            try:
                text, encoding = raw.decode("gb18030"), "GB18030"
            except UnicodeDecodeError as exc:
                raise SourceError(Diagnostic(
                    "error", f"cannot decode: neither UTF-8 nor GB18030 (byte 0x{raw[exc.start]:02x} at offset "
                    f"{exc.start}); save the file as UTF-8", path=shown,
                ))
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lone_lf = text.count("\n") - crlf
    kinds = [name for name, n in (("CRLF", crlf), ("CR", lone_cr), ("LF", lone_lf)) if n]
    line_ending = kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "LF")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return DecodedText(text, encoding, line_ending)

