"""Measuring every sheet of a returned file before calamine is allowed to open it.

calamine builds each sheet as a dense grid from A1-ish to the last cell holding a value: a
6 KB file with values in A1 and XFD1048576 asks it for 500 GB and aborts the process (no
exception to catch), and an ods row of one value repeated 16384 times takes gigabytes. So the
extent of every sheet is measured here, streaming and expanding nothing, against
``Limits.max_rows`` and ``Limits.max_cells``: xlsx by a regular-expression pass over each sheet
part, ods by a scan of content.xml with repeats counted, xls by a walk of the BIFF records of
the Workbook stream (which also finds FILEPASS, an encrypted xls: F002).

An xlsx form is first measured the cheap way (``_xlsx_within``): a bound from literal byte
counts and one simple pattern that can only prove a file small enough. Whenever that proof
fails or is unsure, the exact measure below runs, so every finding is the exact one's.

Long because the three formats' measures share the limits, the findings and the one rule
(measure before opening); and the cheap xlsx bound must sit beside the exact measure it stands
in for, so that a change to one is seen against the other.
"""

from __future__ import annotations

import html
import io
import itertools
import posixpath
import re
import struct
import zipfile
from collections.abc import Iterable, Mapping

import olefile
from defusedxml import ElementTree as SafeET

from ledger_tools.sheets.boundary import Cause, map_exceptions
from ledger_tools.sheets.excel import BadReference, split_reference
from ledger_tools.sheets.returned.limits import MIB, Limits, ReturnedFileError, refuse
from ledger_tools.sheets.returned.sniff import local_name, small_member

__all__ = ["check_extents", "ods_merges"]

MAX_ROWS = 1_048_576  # Excel's grid: a reference beyond it is a damaged file
MAX_COLS = 16_384


def check_extents(
    data: bytes, kind: str, limits: Limits, inflated: Mapping[str, bytes] | None = None
) -> None:
    """F003 when a sheet has too many rows, or all sheets together too many cells.

    ``inflated``: every part of the package as the gate (``sniff``) inflated it, by name, so
    that none is inflated again."""
    if kind in ("xlsx", "xlsm") and _xlsx_within(data, limits, inflated):
        return
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
    with map_exceptions(refuse, what="文件"):
        if kind == "xls":
            return _xls_extents(_workbook_stream(data))
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


# --- the cheap proof for xlsx ----------------------------------------------------------------

_KEEP = 4 * MIB  # parts up to this size are measured whole, in memory
_SHEET_ROOTS = (b"worksheet", b"dialogsheet", b"macrosheet")
# Every start of a cell element without a namespace prefix: its reference when that is the
# first attribute, as Excel, WPS, LibreOffice and openpyxl write it, else two empty groups.
_CELL_START = re.compile(rb'<c(?: r="([A-Z]{1,3})([0-9]{1,7})"|[\s/>])')
_NO_REF = (b"", b"")
_PREFIXED_CELL = re.compile(rb":c[\s/>]")


class _Unsure(Exception):
    """The cheap measure cannot vouch for a part: the exact one decides."""


def _xlsx_within(data: bytes, limits: Limits, inflated: Mapping[str, bytes] | None) -> bool:
    """True only when every sheet of the package is certainly within ``limits``; False means
    "measure exactly", never "too large". ``inflated``: every part of the package, by name.

    The bound of a part counts every cell it names, with or without a value, so it is never
    below what the exact measure finds (which counts only cells with a value). It is trusted
    only when every cell element of the part starts ``<c r="A1"``: then the exact measure takes
    its regular-expression path (no cell lacks a reference) and finds no bad reference, since
    the bound lies inside Excel's grid. Every part is measured, not just those the workbook
    names as sheets, which can only raise the bound. Any error (a damaged zip, a bad checksum)
    leaves the decision, and the finding, to the exact measure."""
    try:
        if inflated is not None:
            return _within(map(_xlsx_part_bound, inflated.values()), limits)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len({i.filename for i in infos}) != len(infos):
                return False  # a name twice: which part is which is the exact measure's affair
            return _within(
                (
                    _xlsx_part_extent(zf, i)
                    if i.file_size > _KEEP
                    else _xlsx_part_bound(zf.read(i))
                    for i in infos
                ),
                limits,
            )
    except Exception:  # noqa: BLE001 - whatever it is, the exact measure meets it again
        return False


def _within(extents: Iterable[tuple[int, int] | None], limits: Limits) -> bool:
    total = 0
    for extent in extents:
        if extent is None:
            continue
        rows, cols = extent
        if rows > limits.max_rows or cols > MAX_COLS:
            return False
        total += rows * cols
        if total > limits.max_cells:
            return False
    return True


def _xlsx_part_bound(xml: bytes) -> tuple[int, int] | None:
    """(rows, cols) covering every cell of a worksheet part; None for parts that are not
    sheets (as ``_xlsx_part_extent`` decides); ``_Unsure`` when a cell is written another way."""
    root = _XML_ROOT.search(xml)
    if root is None or root.group(1) not in _SHEET_ROOTS:
        return None
    refs = _CELL_START.findall(xml)
    if _NO_REF in refs or _PREFIXED_CELL.search(xml):
        raise _Unsure
    if not refs:
        return 0, 0
    letter_refs, row_refs = zip(*refs)
    rows = max(map(int, set(row_refs)))
    letters = max(set(letter_refs), key=lambda c: (len(c), c))
    cols = 0
    for ch in letters:
        cols = cols * 26 + ch - 64
    return rows, cols


def _workbook_stream(data: bytes) -> bytes:
    """The BIFF records of an xls: its Workbook stream (Book in BIFF5 files)."""
    with map_exceptions(refuse, what="文件", unexpected=Cause.DAMAGED):
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ole.openstream("Workbook" if ole.exists("Workbook") else "Book").read()


def _cell_index(ref: str) -> tuple[int, int]:
    """0-based (row, column) of "K7" or "$K$7"; outside Excel's grid it is a bad reference
    (openpyxl accepts columns up to ZZZ and any row), which the boundary makes F001."""
    row, col = split_reference(ref)
    if col > MAX_COLS or row > MAX_ROWS:
        raise BadReference(ref)
    return row - 1, col - 1


def _xlsx_sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Part name → sheet name, as calamine resolves them (best effort: a workbook whose
    relationships cannot be read fails in calamine anyway)."""
    try:
        with map_exceptions(refuse, what="文件中的工作簿清单"):
            book = SafeET.fromstring(small_member(zf, "xl/workbook.xml"))
            rels = SafeET.fromstring(small_member(zf, "xl/_rels/workbook.xml.rels"))
    except ReturnedFileError:
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        part = target[1:] if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(part)
    out = {}
    for el in book.iter():
        if local_name(el.tag) == "sheet":
            rid = next((v for k, v in el.attrib.items() if local_name(k) == "id"), None)
            if rid in targets:
                out[targets[rid]] = el.get("name", "")
    return out


def _xlsx_sheet_extent(stream) -> tuple[int, int] | None:
    """(rows, cols) holding values in one worksheet part; None for parts that are not sheets.
    Cells without ``r`` follow the previous one, as in the OOXML spec."""
    events = SafeET.iterparse(stream, events=("start", "end"))
    _, root = next(events)
    if local_name(root.tag) not in ("worksheet", "dialogsheet", "macrosheet"):
        return None
    row = col = -1
    max_row = max_col = -1
    parents: list = [root]
    for event, el in events:
        tag = local_name(el.tag)
        if event == "start":
            parents.append(el)
            if tag == "row":
                r = el.get("r")
                row = int(r) - 1 if r else row + 1
                col = -1
            elif tag == "c":
                ref = el.get("r")
                if ref:
                    row, col = _cell_index(ref)
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
            if max_row is None or max_col_key is None:
                return 0, 0
            _, col_idx = _cell_index(f"{max_col_key[1].decode()}1")
            return max_row, col_idx + 1
    with zf.open(info) as f:
        return _xlsx_sheet_extent(f)


_ODS_TOKEN = re.compile(
    rb"<table:table(?P<table>[\s>])"
    rb"|</table:table>"
    rb"|<table:table-row(?P<row>(?:\s[^>]*)?/?)>"
    rb"|</table:table-row>"
    rb"|<table:(?:covered-)?table-cell(?P<cell>(?:\s[^>]*)?/?)>"
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


_ODS_COLS_SPANNED = re.compile(rb"\stable:number-columns-spanned=\"([0-9]+)\"")
_ODS_ROWS_SPANNED = re.compile(rb"\stable:number-rows-spanned=\"([0-9]+)\"")


def ods_merges(data: bytes) -> dict[str, list[tuple[int, int, int, int]]]:
    """Per table of an ods file: its merged ranges, 0-based (first row, first column, last row,
    last column). calamine reports none for ods; the scan is the extents' one, so a position
    counts the same here as there (repeats expanded, covered cells taking their place)."""
    out: dict[str, list[tuple[int, int, int, int]]] = {}
    name, row, col, row_repeat = "", 0, 0, 1
    with map_exceptions(refuse, what="文件"), zipfile.ZipFile(io.BytesIO(data)) as zf:
        with zf.open("content.xml") as stream:
            for piece in _chunks(stream):
                for m in _ODS_TOKEN.finditer(piece):
                    kind = m.lastgroup
                    if kind == "table":
                        end = piece.find(b">", m.start())
                        named = _ODS_NAME.search(piece, m.start(), end if end != -1 else len(piece))
                        name = (
                            html.unescape(named.group(1).decode("utf-8", "replace"))
                            if named
                            else ""
                        )
                        row = 0
                    elif kind == "row":
                        attrs = m.group("row")
                        rep = _ODS_ROWS_REPEATED.search(attrs)
                        row_repeat = max(1, int(rep.group(1))) if rep else 1
                        col = 0
                        if attrs.endswith(b"/"):
                            row += row_repeat
                    elif kind == "cell":
                        attrs = m.group("cell")
                        cols = _ODS_COLS_SPANNED.search(attrs)
                        rows = _ODS_ROWS_SPANNED.search(attrs)
                        width = int(cols.group(1)) if cols else 1
                        height = int(rows.group(1)) if rows else 1
                        if width > 1 or height > 1:
                            out.setdefault(name, []).append(
                                (row, col, row + max(height, 1) - 1, col + max(width, 1) - 1)
                            )
                        rep = _ODS_COLS_REPEATED.search(attrs)
                        col += max(1, int(rep.group(1))) if rep else 1
                    elif m.group(0) == b"</table:table-row>":
                        row += row_repeat
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


def _xls_extents(stream: bytes) -> list[tuple[str, int, int]]:
    """Walk the BIFF records of the Workbook stream: an encrypted one (FILEPASS) is F002,
    every worksheet substream yields the extent of its value cells."""
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
