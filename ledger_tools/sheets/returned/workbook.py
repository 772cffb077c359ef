"""Reading any file a unit sends back (xlsx, xlsm, xls, ods from Excel, WPS or LibreOffice).

Units' files are untrusted input. The type is decided from the bytes, never from the name;
size, part count, compression ratio and the real inflated size of every zip part are checked
before any parser sees the file; cell values come from calamine, which reads what is in the
cells rather than what the ``<dimension>`` tag claims. Every failure becomes one
``ReturnedFileError`` carrying a finding code (F001 unreadable, F002 encrypted, F003 too large)
and a Chinese detail, so nothing raw reaches the user.

Rows are indexed from A1 (``rows[0][0]`` is A1 even when the top-left of the data is lower),
so ``a1(r, c)`` names the cell a clerk would click. Values are what calamine returns: str,
float (xlsx/ods numbers; int from xls integer records), bool, date, datetime, time,
timedelta (durations), None for empty. Error cells (#N/A, #DIV/0!) read as None.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import posixpath
import re
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as calamine
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from ledger_tools.core.findings import CATALOGUE, Finding, make
from ledger_tools.errors import LedgerError
from ledger_tools.sheets.a1 import a1, parse_a1

__all__ = [
    "Limits",
    "ReturnedFileError",
    "ReturnedSheet",
    "ReturnedWorkbook",
    "a1",
    "fingerprint",
    "read_returned",
]

MIB = 1024 * 1024
MAX_MEMBERS = 10_000
_SMALL_PART = 1 * MIB  # parts at most this large may be read (content types, mimetype)


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * MIB
    max_uncompressed_bytes: int = 200 * MIB  # sum of declared sizes in the zip directory
    max_ratio: float = 100.0  # per part over 1 MiB: declared uncompressed / compressed
    max_rows: int = 20_000  # per sheet, from row 1 to the last row holding a value
    max_cells: int = 2_000_000  # rows × columns of the A1-anchored grids, all sheets together
    max_members: int = MAX_MEMBERS


class ReturnedFileError(LedgerError, ValueError):
    """A returned file that cannot be read. ``str(e)`` is the finding's Chinese message."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(CATALOGUE[code].template.format(detail=detail, item="", sheet=""))

    def __reduce__(self):
        return (type(self), (self.code, self.detail))

    def finding(self, file: str | None = None) -> Finding:
        return make(self.code, file=file, detail=self.detail)


@dataclass
class ReturnedSheet:
    name: str
    visible: str  # "visible" | "hidden" | "veryhidden"
    rows: list[list[object]] = field(default_factory=list)

    def value(self, row_idx: int, col_idx: int) -> object:
        """The value at 0-based (row, col), None outside the read area."""
        if 0 <= row_idx < len(self.rows) and 0 <= col_idx < len(self.rows[row_idx]):
            return self.rows[row_idx][col_idx]
        return None


@dataclass
class ReturnedWorkbook:
    path: Path
    sha256: str
    kind: str  # "xlsx" | "xlsm" | "xls" | "ods"
    has_macros: bool
    sheets: list[ReturnedSheet] = field(default_factory=list)

    def sheet(self, name: str) -> ReturnedSheet | None:
        for s in self.sheets:
            if s.name == name:
                return s
        return None

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]


def fingerprint(path: Path | str) -> str:
    """SHA-256 hex of the file's bytes (the key of 导入记录 and of duplicate detection)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(MIB), b""):
                h.update(chunk)
    except OSError as exc:
        raise ReturnedFileError("F001", _os_detail(exc)) from None
    return h.hexdigest()


def read_returned(path: Path | str, limits: Limits = Limits()) -> ReturnedWorkbook:  # noqa: B008
    """Read every worksheet of a returned file, or raise ``ReturnedFileError``."""
    path = Path(path)
    data = _read_bytes(path, limits)
    sha = hashlib.sha256(data).hexdigest()
    kind, has_macros = _sniff(data, limits)
    _check_extents(data, kind, limits)
    try:
        sheets = _load(data, kind, limits)
    except BaseException as exc:
        # calamine's Rust panics (e.g. a date cell holding -1e12) reach Python as pyo3's
        # PanicException, a BaseException that no ``except Exception`` catches
        if type(exc).__name__ != "PanicException":
            raise
        raise ReturnedFileError(
            "F001", "文件中有无法读取的数值或日期（如超出范围的日期）"
        ) from None
    return ReturnedWorkbook(path, sha, kind, has_macros, sheets)


def _load(data: bytes, kind: str, limits: Limits) -> list[ReturnedSheet]:
    """Parse from memory; when calamine's format auto-detection fails, ask the reader for the
    sniffed kind through a private temporary copy, which names the real cause: an encrypted
    xls (FILEPASS) or ods only reports "cannot detect file format" from memory."""
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise ReturnedFileError("F002") from None
    except Exception:
        book = None
    if book is not None:
        return _read_book(book, limits)
    suffix = "xlsx" if kind in ("xlsx", "xlsm") else kind
    with tempfile.TemporaryDirectory(prefix="ledger-returned-") as tmp:
        copy = Path(tmp) / f"returned.{suffix}"
        try:
            copy.write_bytes(data)
            book = calamine.CalamineWorkbook.from_path(str(copy))
        except calamine.PasswordError:
            raise ReturnedFileError("F002") from None
        except Exception:  # calamine, zip or decoding errors of a damaged file
            raise ReturnedFileError("F001", _parse_detail()) from None
        return _read_book(book, limits)


def _read_book(book: calamine.CalamineWorkbook, limits: Limits) -> list[ReturnedSheet]:
    try:
        return _read_sheets(book, limits)
    finally:
        try:
            book.close()
        except Exception:  # closing a half-read workbook must not mask the real cause
            pass


# --- bytes and type ----------------------------------------------------------------------


def _read_bytes(path: Path, limits: Limits) -> bytes:
    """One read of the file: later checks and the parser all see these same bytes."""
    try:
        with open(path, "rb") as f:
            data = f.read(limits.max_file_bytes + 1)
            if len(data) > limits.max_file_bytes:
                f.seek(0, io.SEEK_END)
                raise ReturnedFileError(
                    "F003",
                    f"文件大小 {_mb(f.tell())}，超过上限 {_mb(limits.max_file_bytes)}",
                )
    except OSError as exc:
        raise ReturnedFileError("F001", _os_detail(exc)) from None
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


def _sniff(data: bytes, limits: Limits) -> tuple[str, bool]:
    """(kind, has_macros) from the bytes; raises F001/F002/F003 for anything unreadable."""
    if data.startswith(_ZIP_MAGIC):
        return _sniff_zip(data, limits)
    if data.startswith(_OLE_MAGIC):
        return _sniff_ole(data)
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


def _sniff_zip(data: bytes, limits: Limits) -> tuple[str, bool]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))  # reads the central directory only
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ReturnedFileError("F001", "压缩包已损坏或不完整（文件可能未传输完整）") from None
    _check_zip_limits(infos, limits)
    names = {i.filename for i in infos}
    if any(i.flag_bits & 0x1 for i in infos):
        raise ReturnedFileError("F002")
    _check_inflated_sizes(data, infos)

    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        workbook_type = _workbook_content_type(zf)
        macros = "xl/vbaProject.bin" in names or "macroenabled" in workbook_type.lower()
        return ("xlsm" if macros else "xlsx"), macros
    if "mimetype" in names and _small_member(zf, "mimetype").strip() == _ODS_MIME.encode():
        if _ods_encrypted(zf):
            raise ReturnedFileError("F002")
        return "ods", False
    if "xl/workbook.bin" in names:
        raise ReturnedFileError("F001", "文件是 Excel 二进制工作簿（.xlsb），请另存为 .xlsx")
    if "word/document.xml" in names:
        raise ReturnedFileError("F001", "文件是 Word 文档，不是 Excel/WPS/LibreOffice 表格")
    if "ppt/presentation.xml" in names:
        raise ReturnedFileError("F001", "文件是 PowerPoint 演示文稿，不是表格")
    if "mimetype" in names:
        raise ReturnedFileError("F001", "文件是其他 OpenDocument 文档，不是电子表格")
    raise ReturnedFileError("F001", "文件是普通压缩包，不是 Excel/WPS/LibreOffice 表格")


def _check_zip_limits(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise ReturnedFileError(
            "F003", f"压缩包内有 {len(infos)} 个部件，超过上限 {limits.max_members} 个"
        )
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        raise ReturnedFileError(
            "F003",
            f"文件解压后共 {_mb(total)}，超过上限 {_mb(limits.max_uncompressed_bytes)}，"
            "疑似压缩炸弹",
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


def _check_inflated_sizes(data: bytes, infos: list[zipfile.ZipInfo]) -> None:
    """The directory's sizes are only claims: inflate every part (bounded by its claim) so a
    part that expands beyond what it declares is caught before calamine inflates it."""
    view = memoryview(data)
    for i in infos:
        off = i.header_offset
        if off + 30 > len(data) or data[off : off + 4] != _ZIP_MAGIC:
            raise ReturnedFileError("F001", "压缩包已损坏或不完整（文件可能未传输完整）")
        name_len, extra_len = struct.unpack_from("<HH", data, off + 26)
        start = off + 30 + name_len + extra_len
        raw = view[start : start + i.compress_size]
        if len(raw) < i.compress_size:
            raise ReturnedFileError("F001", "压缩包已损坏或不完整（文件可能未传输完整）")
        if i.compress_type == zipfile.ZIP_STORED:
            size = len(raw)
        elif i.compress_type == zipfile.ZIP_DEFLATED:
            size = _inflated_size(raw, i.file_size)
        else:
            raise ReturnedFileError("F001", f"压缩包使用了不支持的压缩方式（{i.compress_type}）")
        if size > i.file_size:
            raise ReturnedFileError(
                "F003", f"文件中的部件 {i.filename} 实际解压后大于其声明的大小，疑似压缩炸弹"
            )


def _inflated_size(raw: memoryview, limit: int) -> int:
    """Bytes a raw deflate stream expands to, stopping once past ``limit``."""
    step = MIB
    d = zlib.decompressobj(-15)
    total = 0
    try:
        for pos in range(0, max(len(raw), 1), 64 * 1024):
            buf = bytes(raw[pos : pos + 64 * 1024])
            while True:
                out = d.decompress(buf, step)
                total += len(out)
                if total > limit:
                    return total
                buf = d.unconsumed_tail
                if not buf and len(out) < step:
                    break
            if d.eof:
                break
    except zlib.error:
        raise ReturnedFileError("F001", "压缩包已损坏，部分内容无法解压") from None
    return total


def _small_member(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = zf.getinfo(name)
        if info.file_size > _SMALL_PART:
            raise ReturnedFileError("F001", f"文件中的部件 {name} 异常")
        return zf.read(info)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        raise ReturnedFileError("F001", "压缩包已损坏或不完整（文件可能未传输完整）") from None


def _workbook_content_type(zf: zipfile.ZipFile) -> str:
    """The declared content type of /xl/workbook.xml (xlsm says macroEnabled there)."""
    xml = _small_member(zf, "[Content_Types].xml")
    try:
        root = SafeET.fromstring(xml)
    except (SafeET.ParseError, DefusedXmlException, ValueError):
        raise ReturnedFileError("F001", "文件内部结构已损坏（内容类型清单无法解析）") from None
    for el in root:
        if el.tag.endswith("Override") and el.get("PartName", "").lower() == "/xl/workbook.xml":
            return el.get("ContentType", "")
    return ""


def _ods_encrypted(zf: zipfile.ZipFile) -> bool:
    """A password-protected ods lists encryption data for its parts in the manifest."""
    try:
        manifest = SafeET.fromstring(_small_member(zf, "META-INF/manifest.xml"))
    except ReturnedFileError:
        return False  # no manifest: calamine decides
    except (SafeET.ParseError, DefusedXmlException, ValueError):
        raise ReturnedFileError("F001", "文件内部结构已损坏（清单无法解析）") from None
    return any(_local(el.tag) == "encryption-data" for el in manifest.iter())


def _sniff_ole(data: bytes) -> tuple[str, bool]:
    try:
        streams = {n.lower() for n in _CFB(data).names}
    except _CorruptCFB:
        raise ReturnedFileError("F001", "文件已损坏或不完整（文件可能未传输完整）") from None
    if "encryptioninfo" in streams or "encryptedpackage" in streams:
        raise ReturnedFileError("F002")
    if "workbook" in streams or "book" in streams:
        return "xls", "_vba_project_cur" in streams or "vba" in streams
    if "worddocument" in streams:
        raise ReturnedFileError("F001", "文件是 Word 文档（.doc），不是 Excel/WPS/LibreOffice 表格")
    if "powerpoint document" in streams:
        raise ReturnedFileError("F001", "文件是 PowerPoint 演示文稿，不是表格")
    raise ReturnedFileError("F001", "文件是其他 Office 复合文档，不是 Excel/WPS/LibreOffice 表格")


# --- a minimal reader of OLE2 compound files (CFB, [MS-CFB] §2) --------------------------


class _CorruptCFB(Exception):
    pass


_MAXREGSECT, _ENDOFCHAIN = 0xFFFFFFFA, 0xFFFFFFFE


class _CFB:
    """Just enough of a compound file to list its streams and read one (the xls Workbook):
    self-contained, bounds-checked, loop-proof."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512:
            raise _CorruptCFB
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise _CorruptCFB
        self.ss = 1 << shift
        self.n_sectors = (len(data) - self.ss) // self.ss  # sectors present in the bytes
        n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
        self.mini_cutoff, first_minifat = struct.unpack_from("<II", data, 0x38)
        first_difat, n_difat = struct.unpack_from("<II", data, 0x44)

        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s <= _MAXREGSECT]
        nxt, seen = first_difat, set()
        for _ in range(n_difat):
            if nxt > _MAXREGSECT or nxt in seen:
                break
            seen.add(nxt)
            entries = struct.unpack(f"<{self.ss // 4}I", self._sector(nxt))
            fat_sectors.extend(s for s in entries[:-1] if s <= _MAXREGSECT)
            nxt = entries[-1]
        if n_fat:
            fat_sectors = fat_sectors[:n_fat]
        self.fat: list[int] = []
        for s in fat_sectors:
            self.fat.extend(struct.unpack(f"<{self.ss // 4}I", self._sector(s)))

        # directory: (name, type, start sector, size); type 1 storage, 2 stream, 5 root
        self.entries: list[tuple[str, int, int, int]] = []
        directory = b"".join(self._sector(s) for s in self._chain(first_dir))
        for off in range(0, len(directory) - 127, 128):
            name_len = struct.unpack_from("<H", directory, off + 64)[0]
            kind = directory[off + 66]
            start, size = struct.unpack_from("<IQ", directory, off + 116)
            if kind in (1, 2, 5) and 2 <= name_len <= 64:
                name = directory[off : off + name_len - 2].decode("utf-16-le", "replace")
                self.entries.append(
                    (name, kind, start, size if self.ss == 4096 else size & 0xFFFFFFFF)
                )
        if not self.entries or self.entries[0][1] != 5:
            raise _CorruptCFB
        self.first_minifat = first_minifat

    def _sector(self, n: int) -> bytes:
        if not 0 <= n < self.n_sectors:
            raise _CorruptCFB
        start = (n + 1) * self.ss
        return self.data[start : start + self.ss]

    def _chain(self, start: int, table: list[int] | None = None) -> list[int]:
        table = self.fat if table is None else table
        out, seen, s = [], set(), start
        while s != _ENDOFCHAIN:
            if s > _MAXREGSECT or s >= len(table) or s in seen:
                raise _CorruptCFB
            seen.add(s)
            out.append(s)
            s = table[s]
        return out

    @property
    def names(self) -> list[str]:
        return [e[0] for e in self.entries]

    def read(self, name: str) -> bytes:
        """The bytes of the first stream called ``name`` (case-insensitive)."""
        matches = [e for e in self.entries if e[1] == 2 and e[0].lower() == name.lower()]
        if not matches:
            raise KeyError(name)
        _, _, start, size = matches[0]
        if size < self.mini_cutoff:
            _, _, root_start, root_size = self.entries[0]
            mini_stream = b"".join(self._sector(s) for s in self._chain(root_start))[:root_size]
            minifat_bytes = b"".join(self._sector(s) for s in self._chain(self.first_minifat))
            minifat = list(struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes))
            body = b"".join(mini_stream[m * 64 : m * 64 + 64] for m in self._chain(start, minifat))
        else:
            body = b"".join(self._sector(s) for s in self._chain(start))
        if len(body) < size:
            raise _CorruptCFB
        return body[:size]


# --- extents before parsing ----------------------------------------------------------------
#
# calamine builds each sheet as a dense grid from A1-ish to the last cell holding a value: a
# 6 KB file with values in A1 and XFD1048576 asks it for 500 GB and aborts the process, and an
# ods row of one value repeated 16384 times takes gigabytes. So the extent of every sheet is
# measured here, streaming, before calamine opens the file.


def _check_extents(data: bytes, kind: str, limits: Limits) -> None:
    total = 0
    for name, n_rows, n_cols in _extents(data, kind):
        if n_rows > limits.max_rows:
            where = f"工作表「{name}」" if name else "文件中有工作表"
            raise ReturnedFileError(
                "F003", f"{where}行数过多（{n_rows} 行），超过上限 {limits.max_rows} 行"
            )
        total += n_rows * n_cols
        if total > limits.max_cells:
            where = f"工作表「{name}」" if name else "文件中有工作表"
            raise ReturnedFileError(
                "F003",
                f"{where}数据区域过大（{n_rows} 行 × {n_cols} 列），请删除表格以外无关的内容",
            )


def _extents(data: bytes, kind: str) -> list[tuple[str, int, int]]:
    """(sheet name or "", rows, columns) of the A1-anchored area holding values, per sheet."""
    try:
        if kind == "xls":
            return _xls_extents(_CFB(data))
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if kind == "ods":
                with zf.open("content.xml") as f:
                    return _ods_extents(f)
            names = _xlsx_sheet_names(zf)
            out = []
            for info in zf.infolist():
                # every part the workbook names as a sheet, whatever its name, and any XML
                if info.filename in names or info.filename.lower().endswith(".xml"):
                    extent = _xlsx_part_extent(zf, info)
                    if extent is not None:
                        out.append((names.get(info.filename, ""), *extent))
            return out
    except ReturnedFileError:
        raise
    except (_CorruptCFB, KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise ReturnedFileError("F001", "文件已损坏或不完整（文件可能未传输完整）") from None
    except (SafeET.ParseError, DefusedXmlException, ValueError, struct.error):
        raise ReturnedFileError("F001", "文件内部结构已损坏，无法读取") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xlsx_sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Part name → sheet name, as calamine resolves them (best effort: a workbook whose
    relationships cannot be read fails in calamine anyway)."""
    try:
        book = SafeET.fromstring(_small_member(zf, "xl/workbook.xml"))
        rels = SafeET.fromstring(_small_member(zf, "xl/_rels/workbook.xml.rels"))
    except (ReturnedFileError, SafeET.ParseError, DefusedXmlException, ValueError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        part = target[1:] if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(part)
    out = {}
    for el in book.iter():
        if _local(el.tag) == "sheet":
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
            if rid in targets:
                out[targets[rid]] = el.get("name", "")
    return out


def _xlsx_sheet_extent(stream) -> tuple[int, int] | None:
    """(rows, cols) holding values in one worksheet part; None for parts that are not sheets.
    Cells without ``r`` follow the previous one, as in the OOXML spec."""
    events = SafeET.iterparse(stream, events=("start", "end"))
    _, root = next(events)
    if _local(root.tag) not in ("worksheet", "dialogsheet", "macrosheet"):
        return None
    row = col = -1
    max_row = max_col = -1
    parents: list = [root]
    for event, el in events:
        tag = _local(el.tag)
        if event == "start":
            parents.append(el)
            if tag == "row":
                r = el.get("r")
                row = int(r) - 1 if r else row + 1
                col = -1
            elif tag == "c":
                ref = el.get("r")
                if ref:
                    row, col = parse_a1(ref)
                else:
                    col += 1
            continue
        parents.pop()
        if tag == "c":
            if len(el):  # <v>, <is> or <f>: a value, or possibly one
                max_row, max_col = max(max_row, row), max(max_col, col)
            parents[-1].remove(el)
        elif tag in ("row", "sheetData"):
            parents[-1].remove(el)
    return max_row + 1, max_col + 1


_CHUNK = 4 * MIB


def _chunks(stream):
    """Decompressed text in pieces that never split a tag: each piece ends before the last
    "<" it saw, which is carried into the next."""
    carry = b""
    while True:
        block = stream.read(_CHUNK)
        if not block:
            if carry:
                yield carry
            return
        block = carry + block
        cut = block.rfind(b"<")
        if cut <= 0:
            carry = b""
            yield block
        else:
            carry = block[cut:]
            yield block[:cut]


_XML_ROOT = re.compile(rb"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
# a cell that is neither self-closing nor closed at once (<c r="E9" s="1"></c>, as openpyxl
# writes formatted empty cells) has content: <v>, <is> or <f>
_XLSX_ANY_VALUE_CELL = re.compile(rb"<(?:[\w.-]+:)?c(?:\s[^>]*)?(?<!/)>(?!\s*</(?:[\w.-]+:)?c>)")
_XLSX_VALUE_CELL_REF = re.compile(
    rb"<(?:[\w.-]+:)?c\s(?:[^>]*?\s)?r=[\"']\$?([A-Z]{1,3})\$?([0-9]{1,7})[\"'][^>]*(?<!/)>"
    rb"(?!\s*</(?:[\w.-]+:)?c>)"
)


def _xlsx_part_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int] | None:
    """(rows, cols) holding values in one worksheet part; None for parts that are not sheets.

    A regular-expression pass over the raw XML (it expands nothing): every cell with content
    counts as holding a value. Writers that leave out the optional ``r`` of a
    cell get the exact, slower walk of ``_xlsx_sheet_extent``."""
    max_row = max_col_key = None
    with zf.open(info) as f:
        pieces = _chunks(f)
        first = next(pieces, b"")
        root = _XML_ROOT.search(first)
        if root is None or root.group(1) not in (b"worksheet", b"dialogsheet", b"macrosheet"):
            return None
        for piece in itertools.chain([first], pieces):
            refs = _XLSX_VALUE_CELL_REF.findall(piece)
            if len(refs) != len(_XLSX_ANY_VALUE_CELL.findall(piece)):
                break  # some cell without "r"
            if refs:
                r = max(int(row) for _, row in refs)
                c = max((len(col), col) for col, _ in refs)
                max_row = r if max_row is None else max(max_row, r)
                max_col_key = c if max_col_key is None else max(max_col_key, c)
        else:
            if max_row is None:
                return 0, 0
            _, col_idx = parse_a1(f"{max_col_key[1].decode()}1")
            return max_row, col_idx + 1
    with zf.open(info) as f:
        return _xlsx_sheet_extent(f)


_ODS_TOKEN = re.compile(
    rb"<table:table(?P<table>[\s>])"
    rb"|</table:table>"
    rb"|<table:table-row(?P<row>[\s/>][^>]*)"
    rb"|</table:table-row>"
    rb"|<table:(?:covered-)?table-cell(?P<cell>[\s/>][^>]*)"
)
_ODS_NAME = re.compile(rb"\stable:name=\"([^\"]*)\"")
_ODS_ROWS_REPEATED = re.compile(rb"\stable:number-rows-repeated=\"([0-9]+)\"")
_ODS_COLS_REPEATED = re.compile(rb"\stable:number-columns-repeated=\"([0-9]+)\"")
_ODS_HAS_VALUE = re.compile(rb"\s(?:office:value-type|table:formula)=")


def _ods_extents(stream) -> list[tuple[str, int, int]]:
    """Per table: rows and columns up to the last cell with a value, repeats expanded.

    calamine matches the literal ``table:`` names, so a scan for the same names sees what it
    will see; a cell holds a value when it has a value type or a formula."""
    out: list[tuple[str, int, int]] = []
    name, row, col, row_last_col, row_repeat = "", 0, 0, -1, 1
    max_row = max_col = -1
    in_table = False
    for piece in _chunks(stream):
        for m in _ODS_TOKEN.finditer(piece):
            kind = m.lastgroup
            text = m.group(0)
            if kind == "table":
                end = piece.find(b">", m.start())
                named = _ODS_NAME.search(piece, m.start(), end if end != -1 else len(piece))
                name = html.unescape(named.group(1).decode("utf-8", "replace")) if named else ""
                in_table, row, max_row, max_col = True, 0, -1, -1
            elif kind == "row":
                attrs = m.group("row")
                rep = _ODS_ROWS_REPEATED.search(attrs)
                row_repeat = max(1, int(rep.group(1))) if rep else 1
                col, row_last_col = 0, -1
                if attrs.endswith(b"/"):  # an empty self-closed row
                    row += row_repeat
            elif kind == "cell":
                attrs = m.group("cell")
                rep = _ODS_COLS_REPEATED.search(attrs)
                repeat = max(1, int(rep.group(1))) if rep else 1
                if _ODS_HAS_VALUE.search(attrs):
                    row_last_col = col + repeat - 1
                col += repeat
            elif text == b"</table:table-row>":
                if row_last_col >= 0:
                    max_row, max_col = row + row_repeat - 1, max(max_col, row_last_col)
                row += row_repeat
            elif in_table:  # </table:table>
                out.append((name, max_row + 1, max_col + 1))
                in_table = False
    return out


# BIFF records that put a value in a cell: row and column are the first two uint16
_XLS_CELLS = {0x0006, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E}
_XLS_MULRK, _XLS_BOF, _XLS_EOF, _XLS_FILEPASS = 0x00BD, 0x0809, 0x000A, 0x002F
_XLS_BOUNDSHEET = 0x0085


def _biff8_short_name(b: bytes) -> str:
    """ShortXLUnicodeString: length, flags (bit 0: UTF-16LE, else compressed Latin-1)."""
    if len(b) < 2:
        return ""
    count, wide = b[0], b[1] & 1
    raw = b[2 : 2 + count * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", "replace")


def _xls_extents(cfb: _CFB) -> list[tuple[str, int, int]]:
    """Walk the BIFF records of the Workbook stream: an encrypted one (FILEPASS) is F002,
    every worksheet substream yields the extent of its value cells."""
    names = {n.lower() for n in cfb.names}
    stream = cfb.read("Workbook" if "workbook" in names else "Book")
    out: list[tuple[str, int, int]] = []
    sheet_names: dict[int, str] = {}  # offset of a sheet's BOF → its name (BOUNDSHEET)
    pos, n = 0, len(stream)
    in_sheet, max_row, max_col, name = False, -1, -1, ""
    while pos + 4 <= n:
        rtype, rlen = struct.unpack_from("<HH", stream, pos)
        start, body, pos = pos, pos + 4, pos + 4 + rlen
        if rtype == _XLS_BOF:
            dt_ = struct.unpack_from("<H", stream, body + 2)[0] if rlen >= 4 else 0
            in_sheet, max_row, max_col = dt_ in (0x0010, 0x0040), -1, -1  # work/macro sheet
            name = sheet_names.get(start, "")
        elif rtype == _XLS_EOF:
            if in_sheet:
                out.append((name, max_row + 1, max_col + 1))
            in_sheet = False
        elif rtype == _XLS_BOUNDSHEET and not in_sheet and rlen >= 8:
            sheet_names[struct.unpack_from("<I", stream, body)[0]] = _biff8_short_name(
                stream[body + 6 : body + rlen]
            )
        elif rtype == _XLS_FILEPASS and not in_sheet:
            raise ReturnedFileError("F002")
        elif in_sheet and rlen >= 4 and (rtype in _XLS_CELLS or rtype == _XLS_MULRK):
            r, c = struct.unpack_from("<HH", stream, body)
            if rtype == _XLS_MULRK and rlen >= 6:
                c = struct.unpack_from("<H", stream, body + rlen - 2)[0]
            max_row, max_col = max(max_row, r), max(max_col, c)
    return out


# --- cells ---------------------------------------------------------------------------------

_VISIBILITY = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryhidden"}


def _read_sheets(book: calamine.CalamineWorkbook, limits: Limits) -> list[ReturnedSheet]:
    out: list[ReturnedSheet] = []
    try:
        metas = list(book.sheets_metadata)
    except Exception:
        raise ReturnedFileError("F001", _parse_detail()) from None
    for meta in metas:
        if _enum_name(meta.typ) != "WorkSheet":
            continue  # chart sheets, dialog and macro sheets hold no form data
        visible = _VISIBILITY.get(_enum_name(meta.visible), "hidden")
        try:
            sheet = book.get_sheet_by_name(meta.name)
            rows = _sheet_rows(sheet, limits)
        except ReturnedFileError:
            raise
        except calamine.PasswordError:
            raise ReturnedFileError("F002") from None
        except Exception:
            raise ReturnedFileError("F001", _parse_detail(meta.name)) from None
        out.append(ReturnedSheet(meta.name, visible, rows))
    return out


def _enum_name(value: object) -> str:
    return str(value).rsplit(".", 1)[-1]


def _sheet_rows(sheet: calamine.CalamineSheet, limits: Limits) -> list[list[object]]:
    start, end = sheet.start, sheet.end
    if start is None or end is None:
        return []
    n_rows, n_cols = end[0] + 1, end[1] + 1  # A1-anchored extent
    if n_rows > limits.max_rows:
        raise ReturnedFileError(
            "F003",
            f"工作表「{sheet.name}」行数过多（{n_rows} 行），超过上限 {limits.max_rows} 行",
        )
    if n_rows * n_cols > limits.max_cells:
        raise ReturnedFileError(
            "F003",
            f"工作表「{sheet.name}」数据区域过大（{n_rows} 行 × {n_cols} 列），"
            "请删除表格外无关的内容",
        )
    raw = sheet.to_python(skip_empty_area=False, nrows=n_rows)
    # calamine ≥ 0.2 pads the grid from A1; older versions start at the first used cell.
    if len(raw) == n_rows - start[0] and start[0] > 0:
        raw = [[] for _ in range(start[0])] + raw
    if start[1] > 0 and raw and max(len(r) for r in raw) == n_cols - start[1]:
        raw = [[""] * start[1] + list(r) for r in raw]
    rows = [_clean_row(r) for r in raw]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _clean_row(row: list[object]) -> list[object]:
    out = [None if v == "" else v for v in row]
    while out and out[-1] is None:
        out.pop()
    return out


# --- messages ------------------------------------------------------------------------------


def _mb(n: int) -> str:
    return f"{n / MIB:.1f} MB".replace(".0 MB", " MB")


def _os_detail(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, PermissionError):
        return "没有读取该文件的权限，或文件正被其他程序占用"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，不是文件"
    return f"读取文件出错：{exc.strerror or exc}"


def _parse_detail(sheet: str | None = None) -> str:
    where = f"工作表「{sheet}」" if sheet else "文件"
    return f"{where}内容已损坏或格式不受支持，无法读取"
