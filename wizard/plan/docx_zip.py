"""The .docx package as a zip file, each part compressed once per process (issue 17).

Most parts of a Word file are the same for every plan (styles.xml and stylesWithEffects.xml
alone are ~800 KB). Here the members are written with the bytes zipfile writes for
`ZipInfo(name, date_time=1980-01-01)`, deflated, mode 0644; a part of the template
(`read_template`) is not compressed again: its compressed form is taken from the template
file when the same zlib version wrote it (the file's comment says which), else compressed
once per process. tests/test_docx_fast.py compares the result with zipfile's own, byte for
byte.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# The zip format's central directory entry and end record (APPNOTE 4.3.12, 4.3.16), with
# zipfile's field order.
_CENTRAL_DIR = struct.Struct("<4s4B4HL2L5H2L")
_CENTRAL_DIR_SIG = b"PK\001\002"
_END_RECORD = struct.Struct(b"<4s4H2LH")
_END_RECORD_SIG = b"PK\005\006"
# Deflate gives the same bytes for the same input, settings and zlib version.
ZLIB_MARK = f"zlib {zlib.ZLIB_RUNTIME_VERSION}".encode()
_known: dict[tuple[str, bytes], tuple[int, bytes]] = {}  # template parts: (crc32, stream)


def read_template(path: Path) -> tuple[tuple[str, bytes], ...]:
    """The members of a zip file in order; the compressed form of each larger one is kept,
    so a package made from them does not compress them again."""
    raw = path.read_bytes()
    members = []
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        same_zlib = z.comment == ZLIB_MARK
        for info in z.infolist():
            data = z.read(info)  # checks the CRC
            if len(data) >= 4096 and (info.filename, data) not in _known:
                if same_zlib and info.compress_type == zipfile.ZIP_DEFLATED:
                    at = info.header_offset  # the local header: 30 bytes, name, extra
                    start = at + 30 + int.from_bytes(raw[at + 26:at + 28], "little") + \
                        int.from_bytes(raw[at + 28:at + 30], "little")
                    stream = raw[start:start + info.compress_size]
                else:
                    stream = _compress(data)
                _known[(info.filename, data)] = (info.CRC, stream)
            members.append((info.filename, data))
    return tuple(members)


def _deflate(name: str, data: bytes) -> tuple[int, bytes]:
    """(crc32, raw deflate stream) as zipfile makes it."""
    hit = _known.get((name, data)) if len(data) >= 4096 else None
    return hit if hit is not None else (zlib.crc32(data), _compress(data))


def _compress(data: bytes) -> bytes:
    co = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush()


def zip_members(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip file of (name, data) members in this order, as zipfile.ZipFile(..., 'w',
    ZIP_DEFLATED).writestr(ZipInfo(name, FIXED_TIME) with mode 0644, data) writes it."""
    out: list[bytes] = []
    offset = 0
    infos: list[zipfile.ZipInfo] = []
    for name, data in members:
        zi = zipfile.ZipInfo(name, date_time=FIXED_TIME)
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi.external_attr = 0o644 << 16
        zi.file_size = len(data)
        zi.CRC, body = _deflate(name, data)
        zi.compress_size = len(body)
        zi.header_offset = offset
        head = zi.FileHeader(False)
        out += (head, body)
        offset += len(head) + len(body)
        infos.append(zi)
    start = offset
    for zi in infos:
        dt = zi.date_time
        dosdate = (dt[0] - 1980) << 9 | dt[1] << 5 | dt[2]
        dostime = dt[3] << 11 | dt[4] << 5 | (dt[5] // 2)
        filename, flag_bits = _name_and_flags(zi)
        centdir = _CENTRAL_DIR.pack(
            _CENTRAL_DIR_SIG, zi.create_version,
            zi.create_system, zi.extract_version, zi.reserved, flag_bits, zi.compress_type,
            dostime, dosdate, zi.CRC, zi.compress_size, zi.file_size, len(filename),
            len(zi.extra), len(zi.comment), 0, zi.internal_attr, zi.external_attr,
            zi.header_offset)
        entry = centdir + filename + zi.extra + zi.comment
        out.append(entry)
        offset += len(entry)
    out.append(_END_RECORD.pack(_END_RECORD_SIG, 0, 0, len(infos), len(infos), offset - start,
                                start, 0))
    return b"".join(out)


def _name_and_flags(zi: zipfile.ZipInfo) -> tuple[bytes, int]:
    """As zipfile: an ASCII name as it is, any other in UTF-8 with the UTF-8 flag."""
    try:
        return zi.filename.encode("ascii"), zi.flag_bits
    except UnicodeEncodeError:
        return zi.filename.encode("utf-8"), zi.flag_bits | 0x800
