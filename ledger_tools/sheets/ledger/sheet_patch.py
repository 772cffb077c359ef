"""Change a few cells of one small worksheet by rewriting that worksheet's part alone.

``ledger brief`` records one row of totals a month in 月度快照. Loading and saving a
10,000-item ledger with openpyxl to do that takes as long as a bare round trip (about 12 s);
rewriting the one worksheet part takes a fraction of that, and every other part of the package
is carried over as it was, so nothing staff put in the workbook can be lost on the way.

The rewrite is textual, inside ``<sheetData>`` only: rows and cells are found by their ``r``
attributes, cells of other columns in a touched row are kept as they were, and strings are
written inline. A number format the new cells need is added to ``xl/styles.xml`` once and
reused afterwards. Whatever this module is not sure to handle (a 1904 date system, rows or
cells without references, a formula in a cell to be replaced, a part it cannot find) raises
``Unsupported`` before anything is written, and the caller saves through openpyxl instead.
"""

from __future__ import annotations

import copy as copy_module
import datetime as dt
import math
import posixpath
import re
import struct
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from defusedxml import ElementTree

from ledger_tools.sheets.boundary import Failure, Policy, map_exceptions
from ledger_tools.sheets.excel import to_serial

__all__ = ["Unsupported", "patch_cells"]

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAX_PART = 4 << 20  # a snapshot sheet is a few kB; anything big is not this module's business

_ROW = re.compile(r"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)
_CELL = re.compile(r"<c\b[^>]*?(?:/>|>.*?</c>)", re.S)
_REF = re.compile(r'\sr="([A-Z]{1,3})?(\d+)"')
_STYLE = re.compile(r'\ss="(\d+)"')
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Unsupported(Exception):
    """The package is not one this module is sure to patch correctly; nothing was written."""


def patch_cells(
    src: Path,
    dst: Path,
    sheet: str,
    rows: dict[int, dict[int, object]],
    formats: dict[int, str] | None = None,
) -> set[str]:
    """Write ``src`` to ``dst`` with the cells ``rows`` (row → column → value, 1-based) of
    ``sheet`` set; a value of None blanks the cell. ``formats`` maps a column to the number
    format its new cells get (dates need one to show as dates). The names of the parts changed;
    every other part is carried over byte for byte."""
    formats = formats or {}
    if not any(rows.values()):
        raise Unsupported("no cells to write")
    with map_exceptions(_NOT_SURE, path=src, what="台账"), zipfile.ZipFile(src) as z:
        part = _sheet_part(z, sheet)
        xml = _text(z, part)
        styles, xfs = _with_formats(_text(z, "xl/styles.xml"), set(formats.values()))
        for r, cells in sorted(rows.items()):
            new = {
                c: _cell(c, r, v, xfs.get(formats[c]) if c in formats else None)
                for c, v in cells.items()
            }
            xml = _put_row(xml, r, new)
        xml = _extend_dimension(xml, max(rows), max(c for cells in rows.values() for c in cells))
        replaced = {part: xml.encode("utf-8"), "xl/styles.xml": styles.encode("utf-8")}
        _copy(z, dst, replaced)
        return set(replaced)


def _not_sure(failure: Failure) -> Unsupported:
    """For the log of the fallback to openpyxl; never shown to a user."""
    return Unsupported(f"{type(failure.error).__name__}: {failure.error}")


# The package's failures to read or patch that send the caller to openpyxl. ValueError covers
# UnicodeDecodeError and defusedxml's refusals; TypeError a value such as an aware datetime.
_NOT_SURE: Policy = {
    t: _not_sure
    for t in (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError, TypeError)
}


# -- the package ---------------------------------------------------------------------------


def _text(z: zipfile.ZipFile, name: str) -> str:
    info = z.getinfo(name)
    if info.file_size > MAX_PART:
        raise Unsupported(f"{name} is {info.file_size} bytes")
    return z.read(name).decode("utf-8")


def _sheet_part(z: zipfile.ZipFile, sheet: str) -> str:
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    pr = book.find(f"{MAIN}workbookPr")
    if pr is not None and pr.get("date1904") in ("1", "true"):
        raise Unsupported("1904 date system")
    rid = next(
        (s.get(f"{REL}id") for s in book.iter(f"{MAIN}sheet") if s.get("name") == sheet), None
    )
    if rid is None:
        raise Unsupported(f"no sheet {sheet}")
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = next(
        (r.get("Target") for r in rels.iter(f"{PKG_REL}Relationship") if r.get("Id") == rid), None
    )
    if not target:
        raise Unsupported(f"no part for {rid}")
    name = (
        target.lstrip("/")
        if target.startswith("/")
        else posixpath.normpath(posixpath.join("xl", target))
    )
    z.getinfo(name)  # KeyError: a relationship to a part that is not there
    return name


def _copy(z: zipfile.ZipFile, dst: Path, replaced: dict[str, bytes]) -> None:
    """The package again with ``replaced`` parts; every other part's compressed bytes as they were.

    Copying the compressed bytes rather than inflating and deflating tens of megabytes of
    worksheet XML is what makes the patch fast; it uses ``ZipFile``'s file object and offset,
    as the standard library offers no raw copy.
    """
    assert z.filename is not None, "a package opened from a path"
    with open(z.filename, "rb") as raw, zipfile.ZipFile(dst, "w") as out:
        fp = out.fp
        assert fp is not None
        for info in z.infolist():
            data = replaced.get(info.filename)
            if data is not None:
                part = zipfile.ZipInfo(info.filename, info.date_time)
                part.compress_type = zipfile.ZIP_DEFLATED
                part.external_attr = info.external_attr
                out.writestr(part, data)
                continue
            if info.flag_bits & 0x1:
                raise Unsupported(f"{info.filename} is encrypted")
            raw.seek(info.header_offset)
            header = raw.read(zipfile.sizeFileHeader)  # type: ignore[attr-defined]
            if header[:4] != zipfile.stringFileHeader:  # type: ignore[attr-defined]
                raise Unsupported(f"bad local header for {info.filename}")
            name_length, extra_length = struct.unpack("<HH", header[26:30])
            raw.seek(name_length + extra_length, 1)
            copy = copy_module.copy(info)
            copy.flag_bits &= ~0x08  # sizes go in the local header: no data descriptor follows
            copy.header_offset = fp.tell()
            fp.write(copy.FileHeader())
            fp.write(raw.read(info.compress_size))
            out.filelist.append(copy)
            out.NameToInfo[copy.filename] = copy
            out.start_dir = fp.tell()


# -- styles --------------------------------------------------------------------------------


def _attrs(tag: str) -> dict[str, str]:
    return dict(re.findall(r'([\w:]+)="([^"]*)"', tag))


def _with_formats(styles: str, codes: set[str]) -> tuple[str, dict[str, int]]:
    """``styles`` with a plain cell format for each number format code; code → its xf index."""
    if not codes:
        return styles, {}
    xfs_match = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", styles, re.S)
    if xfs_match is None or not re.search(r"<styleSheet\b[^>]*>", styles):
        raise Unsupported("styles without cellXfs")
    fmts = {
        _attrs(m)["formatCode"]: int(_attrs(m)["numFmtId"])
        for m in re.findall(r"<numFmt\b[^>]*/>", styles)
    }
    added = []
    for code in sorted(codes - fmts.keys()):
        fmts[code] = max([163, *fmts.values()]) + 1
        added.append(
            f'<numFmt numFmtId="{fmts[code]}" formatCode="{escape(code, {chr(34): "&quot;"})}"/>'
        )
    if added:
        styles = re.sub(
            r"<numFmts\b[^>]*/>", "<numFmts></numFmts>", styles, count=1
        )  # openpyxl writes an empty one
        if "<numFmts" in styles:
            styles = re.sub(r"</numFmts>", lambda _: "".join(added) + "</numFmts>", styles, count=1)
        else:
            styles = re.sub(
                r"(<styleSheet\b[^>]*>)",
                lambda m: m.group(1) + "<numFmts>" + "".join(added) + "</numFmts>",
                styles,
                count=1,
            )
        styles = _recount(styles, "numFmts", "numFmt")
    xfs_match = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", styles, re.S)
    assert xfs_match is not None  # checked above; adding number formats leaves it in place
    xfs = re.findall(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", xfs_match.group(1), re.S)
    out = {}
    for code in codes:
        xf = f'<xf numFmtId="{fmts[code]}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        if xf not in xfs:
            xfs.append(xf)
        out[code] = xfs.index(xf)
    start, end = xfs_match.span(1)
    styles = styles[:start] + "".join(xfs) + styles[end:]
    return _recount(styles, "cellXfs", "xf"), out


def _recount(styles: str, parent: str, child: str) -> str:
    def fix(m: re.Match) -> str:
        n = len(re.findall(rf"<{child}\b", m.group(3)))
        tag = re.sub(r'\scount="\d+"', "", m.group(1))
        return f'{tag} count="{n}"{m.group(2)}{m.group(3)}</{parent}>'

    return re.sub(rf"(<{parent}\b[^>]*?)(\s*>)(.*?)</{parent}>", fix, styles, count=1, flags=re.S)


# -- cells and rows ------------------------------------------------------------------------


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _number(col: str) -> int:
    n = 0
    for ch in col:
        n = n * 26 + ord(ch) - 64
    return n


def _cell(col: int, row: int, value: object, style: int | None) -> str | None:
    if value is None:
        return None
    ref = f'r="{_letters(col)}{row}"' + ("" if style is None else f' s="{style}"')
    if isinstance(value, bool):
        return f'<c {ref} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        serial: float = to_serial(value)  # 1900's missing 29 February counted as Excel does
        if serial < 1:
            raise Unsupported("date before 1900")
        value = int(serial) if serial == int(serial) else serial
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise Unsupported("not a finite number")
        return f"<c {ref}><v>{value!r}</v></c>"
    if isinstance(value, str):
        if _ILLEGAL.search(value):
            raise Unsupported("control character")
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c {ref} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
    raise Unsupported(f"value of type {type(value).__name__}")


def _put_row(xml: str, r: int, new: dict[int, str | None]) -> str:
    """``xml`` with the cells ``new`` (column → cell element, None for blank) in row ``r``."""
    data = re.search(r"<sheetData\s*/>|<sheetData\b[^>]*>(.*?)</sheetData>", xml, re.S)
    if data is None:
        raise Unsupported("no sheetData")
    body = data.group(1) or ""
    start = data.start(1) if data.group(1) is not None else None
    at = len(body)  # where a new row goes: before the first row below it
    for m in _ROW.finditer(body):
        ref = re.match(r"<row\b[^>]*?\sr=\"(\d+)\"", m.group(0))
        if ref is None:
            raise Unsupported("row without r")
        number = int(ref.group(1))
        if number == r:
            assert start is not None  # a row was found, so <sheetData> has a body
            return (
                xml[:start]
                + body[: m.start()]
                + _merged(m.group(0), r, new)
                + body[m.end() :]
                + xml[start + len(body) :]
            )
        if number > r:
            at = m.start()
            break
    cells = "".join(c for _, c in sorted(new.items()) if c)
    if not cells:
        return xml
    row = f'<row r="{r}">{cells}</row>'
    if start is None:  # <sheetData/>
        return xml[: data.start()] + f"<sheetData>{row}</sheetData>" + xml[data.end() :]
    return xml[:start] + body[:at] + row + body[at:] + xml[start + len(body) :]


def _merged(row: str, r: int, new: dict[int, str | None]) -> str:
    """The row element with the cells ``new`` in place; other columns' cells as they were."""
    open_tag = re.match(r"<row\b[^>]*?(/?)>", row)
    assert open_tag is not None  # ``row`` is a match of _ROW
    head = re.sub(r'\sspans="[^"]*"', "", open_tag.group(0).rstrip("/>").rstrip("/")) + ">"
    cells: dict[int, str] = {}
    for m in _CELL.finditer(row[open_tag.end() :]):
        ref = _REF.search(m.group(0).split(">", 1)[0])
        if ref is None or ref.group(1) is None or int(ref.group(2)) != r:
            raise Unsupported("cell without a reference")
        cells[_number(ref.group(1))] = m.group(0)
    for col, cell in new.items():
        old = cells.pop(col, None)
        if old is not None and "<f" in old:
            raise Unsupported("a formula in a cell to be replaced")
        if cell is not None and old is not None and ' s="' not in cell:
            style = _STYLE.search(old.split(">", 1)[0])
            if style:  # keep the look staff gave the cell
                cell = cell.replace(
                    f'r="{_letters(col)}{r}"', f'r="{_letters(col)}{r}" s="{style.group(1)}"', 1
                )
        if cell is not None:
            cells[col] = cell
    return head + "".join(c for _, c in sorted(cells.items())) + "</row>"


def _extend_dimension(xml: str, row: int, col: int) -> str:
    def grow(m: re.Match) -> str:
        parts = re.fullmatch(r"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?", m.group(1))
        if parts is None:
            return m.group(0)
        first = f"{parts.group(1)}{parts.group(2)}"
        last_col = _number(parts.group(3) or parts.group(1))
        last_row = int(parts.group(4) or parts.group(2))
        return f'<dimension ref="{first}:{_letters(max(col, last_col))}{max(row, last_row)}"/>'

    return re.sub(r'<dimension ref="([^"]*)"\s*/>', grow, xml, count=1)
