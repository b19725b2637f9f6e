"""`exporter import` on hostile .docx files, each built here: a zip bomb, a billion-laughs DTD, a
truncated member, a corrupt deflate stream, malformed XML, broken custom properties. Each is a
located error and exit status 1, never a traceback, and the bomb never takes memory."""

from __future__ import annotations

import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from exporter.diagnostics import SourceError
from exporter.importer import import_file

GiB = 2**30
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
).encode()


# ---- building packages byte by byte ---------------------------------------------------------------

def raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip of (name, stored bytes, method, CRC, declared size): sizes and CRCs are what the caller
    says, true or not, which zipfile cannot write."""
    out = bytearray()
    central = bytearray()
    for name, data, method, crc, size in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size,
                           len(encoded), 0) + encoded + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data),
                               size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


def zeros_deflated(size: int, block: int = 2**20) -> tuple[bytes, int]:
    """A raw deflate stream of `size` zero bytes (a multiple of `block`) and their CRC, built from one
    compressed block repeated: 1.5 GB of zeros compress to 1.5 MB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = compressor.compress(bytes(block)) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    zeros = bytes(block)
    for _ in range(size // block):
        crc = zlib.crc32(zeros, crc)
    return piece * (size // block) + compressor.flush(), crc


def members_of(path: Path) -> list[tuple[str, bytes, int, int, int]]:
    """The members of a real package as raw_zip takes them (compressed bytes as stored)."""
    found = []
    with zipfile.ZipFile(path) as package, open(path, "rb") as f:
        for info in package.infolist():
            f.seek(info.header_offset)
            header = f.read(30)
            name_length, extra_length = struct.unpack("<HH", header[26:30])
            f.seek(info.header_offset + 30 + name_length + extra_length)
            found.append((info.filename, f.read(info.compress_size), info.compress_type, info.CRC, info.file_size))
    return found


def deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def replaced(members, name: str, data: bytes):
    """`members` with the member `name` holding `data` (added when absent), deflated honestly."""
    entry = (name, deflated(data), zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data))
    out = [entry if m[0] == name else m for m in members]
    return out if any(m[0] == name for m in members) else out + [entry]


@pytest.fixture(scope="module")
def good_docx(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("good") / "good.docx"
    document = docx.Document()
    document.add_paragraph("2025年某县政府工作报告", style="Title")
    document.add_paragraph("全县开展工作，成效明显。")
    document.save(str(path))
    return path


def run_import(path: Path, address_space: int | None = None) -> subprocess.CompletedProcess:
    def limit() -> None:
        if address_space is not None:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    return subprocess.run([sys.executable, "-m", "exporter", "import", "-o", "drafts", path.name],
                          capture_output=True, text=True, cwd=path.parent, preexec_fn=limit, timeout=120)


def assert_refused(proc: subprocess.CompletedProcess, path: Path, start: str) -> None:
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path.name}: error: {start}"), proc.stderr
    assert not (path.parent / "drafts").exists()


# ---- the cases -------------------------------------------------------------------------------------

def test_a_zip_bomb_is_refused_before_it_is_decompressed(tmp_path):
    stream, crc = zeros_deflated(1536 * 2**20)
    assert 1.4 * 2**20 < len(stream) < 1.6 * 2**20
    path = tmp_path / "bomb.docx"
    path.write_bytes(raw_zip([("[Content_Types].xml", CONTENT_TYPES, 0, zlib.crc32(CONTENT_TYPES),
                               len(CONTENT_TYPES)),
                              ("word/document.xml", stream, zipfile.ZIP_DEFLATED, crc, 1536 * 2**20)]))
    # Under a 1 GiB address-space limit a 1.5 GB decompression could not even be attempted.
    proc = run_import(path, address_space=1 * GiB)
    assert_refused(proc, path, "the package would decompress to 1,536 MB (1,536 MB of XML) from 1.5 MB")
    assert "refused as a possible zip bomb" in proc.stderr


def test_a_member_that_understates_its_size_is_caught_by_its_crc(tmp_path):
    stream, _crc = zeros_deflated(512 * 2**20)
    path = tmp_path / "liar.docx"
    path.write_bytes(raw_zip([("word/document.xml", stream, zipfile.ZIP_DEFLATED, 0x1234, 4096)]))
    proc = run_import(path, address_space=1 * GiB)
    assert_refused(proc, path, "word/document.xml: damaged compressed data (Bad CRC-32 for file")


def test_a_member_compressed_like_a_bomb_is_refused_by_its_ratio(good_docx, tmp_path):
    stream, crc = zeros_deflated(40 * 2**20)
    members = members_of(good_docx) + [("word/media/image1.png", stream, zipfile.ZIP_DEFLATED, crc, 40 * 2**20)]
    path = tmp_path / "ratio.docx"
    path.write_bytes(raw_zip(members))
    with pytest.raises(SourceError) as info:
        import_file(path)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.path == str(path)
    assert diagnostic.message.startswith(f"word/media/image1.png: compressed 1,011 to 1 ({len(stream):,} bytes would "
                                         "become 41,943,040); no document part compresses more than 200 to 1")


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n' for n in range(1, 10))
    + f']>\n<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
).encode()


@pytest.mark.parametrize("name, data, start", [
    ("word/document.xml", BILLION_LAUGHS, "word/document.xml: the XML declares a DTD (<!DOCTYPE …>)"),
    ("word/document.xml", BILLION_LAUGHS.decode().replace('"1.0"?>', '"1.0" encoding="UTF-16"?>').encode("utf-16"),
     "word/document.xml: the XML declares a DTD"),
    ("word/styles.xml", f'<w:styles xmlns:w="{W_NS}"><w:style></w:styles>'.encode(),
     "word/styles.xml:1:"),
    ("word/document.xml", f'<w:document xmlns:w="{W_NS}">\n<w:body><w:p></w:body></w:document>'.encode(),
     "word/document.xml:2:"),
    ("docProps/custom.xml", b'<?xml version="1.0"?>\n<Properties><property name="\xe5\x9c\xb0\xe5\x8c\xba">',
     "docProps/custom.xml:2:"),
    ("word/document.xml", f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:pPr><w:outlineLvl w:val="x"/>'
     '</w:pPr><w:r><w:t>一</w:t></w:r></w:p></w:body></w:document>'.encode(),
     "unexpected content in the document's XML"),
])
def test_malformed_xml_and_dtds_are_located_errors(good_docx, tmp_path, name, data, start):
    path = tmp_path / "hostile.docx"
    path.write_bytes(raw_zip(replaced(members_of(good_docx), name, data)))
    proc = run_import(path)
    assert_refused(proc, path, start)
    if start.endswith(":"):
        assert "malformed" in proc.stderr


def test_a_truncated_member_and_a_corrupt_stream_are_located_errors(good_docx, tmp_path):
    members = members_of(good_docx)
    index = next(i for i, m in enumerate(members) if m[0] == "word/document.xml")
    name, data, method, crc, size = members[index]
    assert method == zipfile.ZIP_DEFLATED
    truncated = list(members)
    truncated[index] = (name, data[: len(data) // 2], method, crc, size)
    corrupt = list(members)
    corrupt[index] = (name, data[:20] + bytes(b ^ 0xFF for b in data[20:60]) + data[60:], method, crc, size)
    for label, package in (("truncated", truncated), ("corrupt", corrupt)):
        path = tmp_path / f"{label}.docx"
        path.write_bytes(raw_zip(package))
        assert_refused(run_import(path), path, "word/document.xml: damaged compressed data (")


def test_a_cut_off_file_is_not_a_zip_package(good_docx, tmp_path):
    path = tmp_path / "cut.docx"
    path.write_bytes(good_docx.read_bytes()[:3000])
    assert_refused(run_import(path), path, "not a readable .docx file: not a zip package (")


def test_the_good_package_rebuilt_byte_by_byte_still_imports(good_docx, tmp_path):
    """The builder above makes packages zipfile and python-docx accept: the errors are the damage's."""
    path = tmp_path / "rebuilt.docx"
    path.write_bytes(raw_zip(members_of(good_docx)))
    result = import_file(path)
    assert result.front.title == ["2025年某县政府工作报告"]
    path.write_bytes(raw_zip(replaced(members_of(good_docx), "docProps/custom.xml", (
        '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties"><property name="地区"><vt:lpwstr xmlns:vt="x">云南省某县</vt:lpwstr></property>'
        '</Properties>').encode())))
    assert import_file(path).front.region == "云南省某县"
