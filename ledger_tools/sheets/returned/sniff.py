"""Whether a returned file may be opened at all: the gate before any parser sees it.

Units' files are untrusted input. Here the type is decided from the bytes, never from the name;
a zip's size, part count, compression ratio and the real inflated size of every part are checked
against ``Limits`` before anything inflates it; encryption (zip flag, OOXML in a compound file,
ods manifest) and macros (vbaProject.bin, macroEnabled content type, an xls VBA storage) are
recognised. Compound files (xls, doc, encrypted OOXML) are listed with olefile. What cannot
pass raises ``ReturnedFileError``; every dependency failure goes through the boundary
(``sheets.boundary.map_exceptions`` with ``limits.refuse``).

The sizes of the sheets themselves are measured next, in ``extents``.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import olefile
from defusedxml import ElementTree as SafeET

from ledger_tools.sheets.boundary import Cause, map_exceptions
from ledger_tools.sheets.returned.limits import MIB, Limits, ReturnedFileError, mb, refuse

__all__ = [
    "check_inflated_sizes",
    "check_zip_limits",
    "compound_names",
    "local_name",
    "read_bytes",
    "small_member",
    "sniff",
    "sniff_parts",
]

_SMALL_PART = 1 * MIB  # parts at most this large may be read (content types, mimetype)


def read_bytes(path: Path, limits: Limits) -> bytes:
    """One read of the file: later checks and the parser all see these same bytes."""
    with map_exceptions(refuse, path=path, what="文件"):
        with open(path, "rb") as f:
            data = f.read(limits.max_file_bytes + 1)
            if len(data) > limits.max_file_bytes:
                f.seek(0, io.SEEK_END)
                raise ReturnedFileError(
                    "F003",
                    f"文件大小 {mb(f.tell())}，超过上限 {mb(limits.max_file_bytes)}",
                )
    if not data:
        raise ReturnedFileError("F001", "文件为空")
    return data


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"

_FOREIGN = (  # (magic, detail) for files that are clearly something else
    (b"\x89PNG", "文件是图片（PNG），不是 Excel/WPS/LibreOffice 表格"),
    (b"\xff\xd8\xff", "文件是图片（JPEG），不是 Excel/WPS/LibreOffice 表格"),
    (b"GIF8", "文件是图片（GIF），不是 Excel/WPS/LibreOffice 表格"),
    (b"%PDF", "文件是 PDF，不是 Excel/WPS/LibreOffice 表格"),
    (b"Rar!", "文件是 RAR 压缩包，请解压后报送其中的表格"),
    (b"7z\xbc\xaf\x27\x1c", "文件是 7z 压缩包，请解压后报送其中的表格"),
    (b"\x1f\x8b", "文件是 gz 压缩包，请解压后报送其中的表格"),
    (b"PK\x05\x06", "压缩包为空，不是 Excel/WPS/LibreOffice 表格"),
)


def sniff(data: bytes, limits: Limits) -> tuple[str, bool]:
    """(kind, has_macros) from the bytes; raises F001/F002/F003 for anything unreadable."""
    if data.startswith(_ZIP_MAGIC):
        kind, has_macros, _n = _sniff_zip(data, limits)
        return kind, has_macros
    kind, has_macros, _parts = sniff_parts(data, limits)
    return kind, has_macros


def sniff_parts(data: bytes, limits: Limits) -> tuple[str, bool, dict[str, bytes] | None]:
    """``sniff``, plus every part of a zip as it inflated them to measure them, by name, so
    that the sheets' measuring need not inflate them again. None unless every part was kept:
    a package of more than ``KEEP_INFLATED``, a part of more than 4 MiB, a checksum that does
    not hold or a name used twice."""
    if data.startswith(_ZIP_MAGIC):
        parts: dict[str, bytes] = {}
        kind, has_macros, n_parts = _sniff_zip(data, limits, parts)
        return kind, has_macros, parts if len(parts) == n_parts else None
    if data.startswith(_OLE_MAGIC):
        return (*_sniff_ole(data), None)
    for magic, detail in _FOREIGN:
        if data.startswith(magic):
            raise ReturnedFileError("F001", detail)
    raise ReturnedFileError("F001", _text_detail(data))


def _text_detail(data: bytes) -> str:
    head = data[:4096]
    if b"\x00" in head:
        return "文件类型无法识别，不是 Excel/WPS/LibreOffice 表格"
    text = None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(enc)
            break
        except UnicodeDecodeError:
            # a multi-byte character cut at the 4 KiB boundary is still text
            try:
                text = head[:-3].decode(enc)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        return "文件类型无法识别，不是 Excel/WPS/LibreOffice 表格"
    low = text.lstrip().lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in low:
        return "文件是 Excel 2003 XML 格式，请用 Excel/WPS 打开后另存为 .xlsx"
    if low.startswith(("<!doctype html", "<html", "<table", "<meta")) or "<html" in low[:2048]:
        return "文件是网页（HTML）格式，只是扩展名像表格，请用 Excel/WPS 打开后另存为 .xlsx"
    return "文件不是 Excel/WPS/LibreOffice 表格，而是纯文本（如 CSV），请另存为 .xlsx"


def _sniff_zip(
    data: bytes, limits: Limits, keep: dict[str, bytes] | None = None
) -> tuple[str, bool, int]:
    """(kind, has_macros, number of parts)."""
    with map_exceptions(refuse, what="压缩包"):
        zf = zipfile.ZipFile(io.BytesIO(data))  # reads the central directory only
        infos = zf.infolist()
    check_zip_limits(infos, limits)
    names = {i.filename for i in infos}
    if any(i.flag_bits & 0x1 for i in infos):
        raise ReturnedFileError("F002")
    check_inflated_sizes(data, infos, keep)

    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        workbook_type = _workbook_content_type(zf)
        macros = "xl/vbaProject.bin" in names or "macroenabled" in workbook_type.lower()
        return ("xlsm" if macros else "xlsx"), macros, len(infos)
    if "mimetype" in names and small_member(zf, "mimetype").strip() == _ODS_MIME.encode():
        if _ods_encrypted(zf):
            raise ReturnedFileError("F002")
        return "ods", False, len(infos)
    if "xl/workbook.bin" in names:
        raise ReturnedFileError("F001", "文件是 Excel 二进制工作簿（.xlsb），请另存为 .xlsx")
    if "word/document.xml" in names:
        raise ReturnedFileError("F001", "文件是 Word 文档，不是 Excel/WPS/LibreOffice 表格")
    if "ppt/presentation.xml" in names:
        raise ReturnedFileError("F001", "文件是 PowerPoint 演示文稿，不是表格")
    if "mimetype" in names:
        raise ReturnedFileError("F001", "文件是其他 OpenDocument 文档，不是电子表格")
    raise ReturnedFileError("F001", "文件是普通压缩包，不是 Excel/WPS/LibreOffice 表格")


def check_zip_limits(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise ReturnedFileError(
            "F003", f"压缩包内有 {len(infos)} 个部件，超过上限 {limits.max_members} 个"
        )
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        raise ReturnedFileError(
            "F003",
            f"文件解压后共 {mb(total)}，超过上限 {mb(limits.max_uncompressed_bytes)}，疑似压缩炸弹",
        )
    for i in infos:
        if i.file_size > MIB:
            ratio = i.file_size / i.compress_size if i.compress_size else float("inf")
            if ratio > limits.max_ratio:
                raise ReturnedFileError(
                    "F003",
                    f"文件中的部件 {i.filename} 压缩比约 {ratio:.0f}:1，"
                    f"超过上限 {limits.max_ratio:g}:1，疑似压缩炸弹",
                )


KEEP_INFLATED = 16 * MIB  # inflated parts handed on, in all
_KEEP_PART = 4 * MIB


def check_inflated_sizes(
    data: bytes, infos: list[zipfile.ZipInfo], keep: dict[str, bytes] | None = None
) -> None:
    """The directory's sizes are only claims: inflate every part (bounded by its claim) so a
    part that expands beyond what it declares is caught before calamine inflates it.

    ``keep`` receives the inflated bytes of parts up to 4 MiB whose CRC-32 matches the
    directory (up to ``KEEP_INFLATED`` in all); a part left out is simply inflated again."""
    view = memoryview(data)
    room = KEEP_INFLATED
    for i in infos:
        off = i.header_offset
        if off + 30 > len(data) or data[off : off + 4] != _ZIP_MAGIC:
            raise ReturnedFileError("F001", "压缩包已损坏或不完整（文件可能未传输完整）")
        name_len, extra_len = struct.unpack_from("<HH", data, off + 26)
        start = off + 30 + name_len + extra_len
        raw = view[start : start + i.compress_size]
        if len(raw) < i.compress_size:
            raise ReturnedFileError("F001", "压缩包已损坏或不完整（文件可能未传输完整）")
        kept: list[bytes] | None = None
        if keep is not None and i.file_size <= min(_KEEP_PART, room):
            kept = []
        if i.compress_type == zipfile.ZIP_STORED:
            size = len(raw)
            if kept is not None:
                kept.append(bytes(raw))
        elif i.compress_type == zipfile.ZIP_DEFLATED:
            size = _inflated_size(raw, i.file_size, kept)
        else:
            raise ReturnedFileError("F001", f"压缩包使用了不支持的压缩方式（{i.compress_type}）")
        if size > i.file_size:
            raise ReturnedFileError(
                "F003", f"文件中的部件 {i.filename} 实际解压后大于其声明的大小，疑似压缩炸弹"
            )
        if keep is not None and kept is not None:
            whole = b"".join(kept)
            if len(whole) == i.file_size and zlib.crc32(whole) == i.CRC:
                keep[i.filename] = whole
                room -= len(whole)


def _inflated_size(raw: memoryview, limit: int, kept: list[bytes] | None = None) -> int:
    """Bytes a raw deflate stream expands to, stopping once past ``limit``; the inflated
    pieces go to ``kept`` when given."""
    step = MIB
    d = zlib.decompressobj(-15)
    total = 0
    with map_exceptions(refuse, what="压缩包"):
        for pos in range(0, max(len(raw), 1), 64 * 1024):
            buf = bytes(raw[pos : pos + 64 * 1024])
            while True:
                out = d.decompress(buf, step)
                total += len(out)
                if kept is not None:
                    kept.append(out)
                if total > limit:
                    return total
                buf = d.unconsumed_tail
                if not buf and len(out) < step:
                    break
            if d.eof:
                break
    return total


def small_member(zf: zipfile.ZipFile, name: str) -> bytes:
    """The bytes of a small part (at most 1 MiB: content types, manifest, mimetype)."""
    with map_exceptions(refuse, what="压缩包"):
        info = zf.getinfo(name)
        if info.file_size > _SMALL_PART:
            raise ReturnedFileError("F001", f"文件中的部件 {name} 异常")
        return zf.read(info)


def _workbook_content_type(zf: zipfile.ZipFile) -> str:
    """The declared content type of /xl/workbook.xml (xlsm says macroEnabled there)."""
    xml = small_member(zf, "[Content_Types].xml")
    with map_exceptions(refuse, what="文件中的内容类型清单"):
        root = SafeET.fromstring(xml)
    for el in root:
        if el.tag.endswith("Override") and el.get("PartName", "").lower() == "/xl/workbook.xml":
            return el.get("ContentType", "")
    return ""


def _ods_encrypted(zf: zipfile.ZipFile) -> bool:
    """A password-protected ods lists encryption data for its parts in the manifest."""
    try:
        xml = small_member(zf, "META-INF/manifest.xml")
    except ReturnedFileError:
        return False  # no manifest: calamine decides
    with map_exceptions(refuse, what="文件中的部件清单"):
        manifest = SafeET.fromstring(xml)
    return any(local_name(el.tag) == "encryption-data" for el in manifest.iter())


def _sniff_ole(data: bytes) -> tuple[str, bool]:
    streams = compound_names(data)
    if "encryptioninfo" in streams or "encryptedpackage" in streams:
        raise ReturnedFileError("F002")
    if "workbook" in streams or "book" in streams:
        return "xls", "_vba_project_cur" in streams or "vba" in streams
    if "worddocument" in streams:
        raise ReturnedFileError("F001", "文件是 Word 文档（.doc），不是 Excel/WPS/LibreOffice 表格")
    if "powerpoint document" in streams:
        raise ReturnedFileError("F001", "文件是 PowerPoint 演示文稿，不是表格")
    raise ReturnedFileError("F001", "文件是其他 Office 复合文档，不是 Excel/WPS/LibreOffice 表格")


def compound_names(data: bytes) -> set[str]:
    """Every storage and stream name in a compound file, at any depth, lower-cased."""
    with map_exceptions(refuse, what="文件", unexpected=Cause.DAMAGED):
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            entries = ole.listdir(streams=True, storages=True)
    return {part.lower() for entry in entries for part in entry}


def local_name(tag: str) -> str:
    """An XML tag without its namespace."""
    return tag.rsplit("}", 1)[-1]
