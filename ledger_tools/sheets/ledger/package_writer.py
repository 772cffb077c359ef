"""The ledger saved by changing only the cells a command owns (SPEC §8 "Only what it owns").

An openpyxl load and save rewrites every part of the package from its object model: it takes
most of a merge's time and drops what openpyxl does not model (charts and images it did not
make, data bars, sparklines, slicers, WPS cell images, a password to modify, the cached values
of staff formulas). This writer instead takes the recorded writes (``changes.Changes``) and

- streams each worksheet part that has writes through ``sheet_stream`` (one row in memory);
- adds the cell formats the written cells need to ``xl/styles.xml``, once (a copy of the
  cell's own format with the number format changed, as openpyxl does);
- extends a table (``xl/tables/*.xml``) whose range ended on the last row before the
  appended rows;
- copies every other part's compressed bytes as they were.

It raises ``Unsupported`` (nothing written but the temporary file) for a package it is not
sure of; the caller then saves through openpyxl, with the loss guard. Which packages those
are is listed in ``sheet_stream`` and below: a 1904 date system, a strict-OOXML workbook, an
encrypted part, a sheet or style part it cannot find.
"""

from __future__ import annotations

import copy as copy_module
import posixpath
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from defusedxml import ElementTree

from ledger_tools.sheets.boundary import Failure, Policy, map_exceptions
from ledger_tools.sheets.excel import BUILTIN_FORMATS
from ledger_tools.sheets.ledger import colour_rules, streams
from ledger_tools.sheets.ledger.changes import Changes, SheetChanges
from ledger_tools.sheets.ledger.loss_guard import Counted, PartCount
from ledger_tools.sheets.ledger.schema import ITEMS
from ledger_tools.sheets.ledger.sheet_stream import (
    Unsupported,
    extend_ranges,
    rewrite_sheet,
)

__all__ = ["StyleBook", "Unsupported", "write_package"]

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
STYLES = "xl/styles.xml"
_TABLE_TYPE = "/relationships/table"
_XF = re.compile(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)


def _not_sure(failure: Failure) -> Unsupported:
    """For the log of the fallback to openpyxl; never shown to a user."""
    return Unsupported(f"{type(failure.error).__name__}: {failure.error}")


# The package's failures to read or patch that send the caller to openpyxl. ValueError covers
# UnicodeDecodeError and defusedxml's refusals; TypeError a value such as an aware datetime.
_NOT_SURE: Policy = {
    t: _not_sure
    for t in (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError, TypeError)
}


class StyleBook:
    """``xl/styles.xml`` and the cell formats added to it: (format, number format) → index."""

    def __init__(self, text: str):
        self.text = text
        block = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", text, re.S)
        if block is None or not re.search(r"<styleSheet\b[^>]*>", text):
            raise Unsupported("styles without cellXfs")
        self.xfs = _XF.findall(block.group(1))
        self.codes = {code: i for i, code in BUILTIN_FORMATS.items()}
        self.ids: dict[int, str] = {v: k for k, v in self.codes.items()}
        for m in re.findall(r"<numFmt\b[^>]*/>", text):
            attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', m))
            code = _unescape(attrs["formatCode"])
            self.ids[int(attrs["numFmtId"])] = code
            self.codes.setdefault(code, int(attrs["numFmtId"]))
        self.added_formats: list[str] = []
        self.added_dxfs: list[str] = []
        self.count = len(self.xfs)
        self._made: dict[tuple[int, str], int] = {}

    def with_format(self, base: int, code: str) -> int:
        """The index of a cell format like ``base`` showing numbers as ``code``."""
        key = (base, code)
        if key in self._made:
            return self._made[key]
        if base >= len(self.xfs):
            raise Unsupported("a cell style that is not there")
        xf = self.xfs[base]
        head = xf.split(">", 1)[0]
        current = re.search(r'\snumFmtId="(\d+)"', head)
        if self.ids.get(int(current.group(1)) if current else 0) == code:
            self._made[key] = base
            return base
        fmt_id = self.codes.get(code)
        if fmt_id is None:
            fmt_id = max([163, *(i for i in self.ids if i > 163)]) + 1
            self.codes[code], self.ids[fmt_id] = fmt_id, code
            self.added_formats.append(
                f'<numFmt numFmtId="{fmt_id}" formatCode="{escape(code, {chr(34): "&quot;"})}"/>'
            )
        head = re.sub(r'\s(numFmtId|applyNumberFormat)="[^"]*"', "", head)
        head = head.replace("<xf", f'<xf numFmtId="{fmt_id}" applyNumberFormat="1"', 1)
        new = head + xf[len(xf.split(">", 1)[0]) :]
        index = self.xfs.index(new) if new in self.xfs else None
        if index is None:
            self.xfs.append(new)
            index = len(self.xfs) - 1
        self._made[key] = index
        return index

    def add_dxf(self, xml: str) -> int:
        """Add a differential format (a conditional formatting rule's look); its index."""
        block = re.search(r"<dxfs\b[^>]*?(?:/>|>(.*?)</dxfs>)", self.text, re.S)
        present = len(re.findall(r"<dxf\b", block.group(1) or "")) if block else 0
        self.added_dxfs.append(xml)
        return present + len(self.added_dxfs) - 1

    def changed(self) -> bool:
        return len(self.xfs) != self.count or bool(self.added_formats) or bool(self.added_dxfs)

    def render(self) -> bytes:
        text = self.text
        if self.added_formats:
            text = re.sub(r"<numFmts\b([^>]*)/>", r"<numFmts\1></numFmts>", text, count=1)
            added = "".join(self.added_formats)
            if "<numFmts" in text:
                text = text.replace("</numFmts>", added + "</numFmts>", 1)
            else:
                text = re.sub(
                    r"(<styleSheet\b[^>]*>)",
                    lambda m: m.group(1) + f"<numFmts>{added}</numFmts>",
                    text,
                    count=1,
                )
            text = _recount(text, "numFmts", "numFmt")
        block = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", text, re.S)
        assert block is not None  # checked when read
        text = text[: block.start(1)] + "".join(self.xfs) + text[block.end(1) :]
        text = _recount(text, "cellXfs", "xf")
        if self.added_dxfs:
            added = "".join(self.added_dxfs)
            text = re.sub(r"<dxfs\b([^>]*?)\s*/>", r"<dxfs\1></dxfs>", text, count=1)
            if "<dxfs" in text:
                text = text.replace("</dxfs>", added + "</dxfs>", 1)
            else:  # after cellStyles, where the schema puts it
                at = text.find("</cellStyles>")
                if at < 0:
                    raise Unsupported("styles without cellStyles")
                at += len("</cellStyles>")
                text = text[:at] + f"<dxfs>{added}</dxfs>" + text[at:]
            text = _recount(text, "dxfs", "dxf")
        return text.encode("utf-8")


def _unescape(text: str) -> str:
    return (
        text.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )


def _recount(text: str, parent: str, child: str) -> str:
    def fix(m: re.Match) -> str:
        n = len(re.findall(rf"<{child}\b", m.group(3)))
        tag = re.sub(r'\scount="\d+"', "", m.group(1))
        return f'{tag} count="{n}"{m.group(2)}{m.group(3)}</{parent}>'

    return re.sub(rf"(<{parent}\b[^>]*?)(\s*>)(.*?)</{parent}>", fix, text, count=1, flags=re.S)


# -- the package ---------------------------------------------------------------------------


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels(z: zipfile.ZipFile, part: str) -> list[tuple[str, str]]:
    """(type, target part) of each relationship of ``part``."""
    name = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    if name not in z.NameToInfo:
        return []
    rels = ElementTree.fromstring(z.read(name))
    return [
        (r.get("Type") or "", _resolve(part, r.get("Target") or ""))
        for r in rels.iter(f"{PKG_REL}Relationship")
        if r.get("TargetMode") != "External"
    ]


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's name → its part; ``Unsupported`` for a workbook this writer does not know."""
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    if book.tag != f"{MAIN}workbook":
        raise Unsupported("a strict or unknown workbook")
    pr = book.find(f"{MAIN}workbookPr")
    if pr is not None and pr.get("date1904") in ("1", "true"):
        raise Unsupported("1904 date system")
    targets = {
        rid: part
        for rid, part in (
            (r.get("Id"), _resolve("xl/workbook.xml", r.get("Target") or ""))
            for r in ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels")).iter(
                f"{PKG_REL}Relationship"
            )
        )
    }
    return {
        s.get("name") or "": targets.get(s.get(f"{REL}id") or "", "")
        for s in book.iter(f"{MAIN}sheet")
    }


def _grown_table(xml: bytes, changes: SheetChanges) -> bytes | None:
    """A table part whose range ended on the last row before the appended ones, extended."""
    old, new = changes.appended_after, changes.last_row
    if old is None or new <= old:
        return None

    def grow(m: re.Match) -> bytes:
        return m.group(1) + extend_ranges(m.group(2).decode(), old, new).encode() + b'"'

    grown = re.sub(rb'(<(?:table|autoFilter)\b[^>]*?\sref=")([^"]*)"', grow, xml)
    return grown if grown != xml else None


def _copy_raw(raw, out: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """One part's compressed bytes, header and all, as they were."""
    if info.flag_bits & 0x1:
        raise Unsupported(f"{info.filename} is encrypted")
    raw.seek(info.header_offset)
    header = raw.read(zipfile.sizeFileHeader)  # type: ignore[attr-defined]
    if header[:4] != zipfile.stringFileHeader:  # type: ignore[attr-defined]
        raise Unsupported(f"bad local header for {info.filename}")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    raw.seek(name_length + extra_length, 1)
    fp = out.fp
    assert fp is not None
    copy = copy_module.copy(info)
    copy.flag_bits &= ~0x08  # sizes go in the local header: no data descriptor follows
    copy.header_offset = fp.tell()
    fp.write(copy.FileHeader())
    remaining = info.compress_size
    while remaining:
        block = raw.read(min(remaining, 1 << 20))
        if not block:
            raise Unsupported(f"{info.filename} is cut short")
        fp.write(block)
        remaining -= len(block)
    out.filelist.append(copy)
    out.NameToInfo[copy.filename] = copy
    out.start_dir = fp.tell()


def _fresh(info: zipfile.ZipInfo, level: int) -> zipfile.ZipInfo:
    part = zipfile.ZipInfo(info.filename, info.date_time)
    part.compress_type = zipfile.ZIP_DEFLATED
    # A ZipInfo of one's own is compressed at its own level, not the ZipFile's compresslevel.
    part._compresslevel = level  # type: ignore[attr-defined]
    part.external_attr = info.external_attr
    return part


def _tail(z: zipfile.ZipFile, part: str) -> bytes:
    xml = z.read(part)
    at = xml.rfind(b"</sheetData>")
    return xml[at:] if at >= 0 else b""


def _colour_rule(
    z: zipfile.ZipFile, part: str | None, by_part: dict[str, SheetChanges], styles: StyleBook
) -> dict[str, Callable[[bytes], bytes]]:
    """The 时限不明 colour rule an older 台账 lacks (``colour_rules``): part → how its tail
    (after ``</sheetData>``) changes. The part is streamed for it even when no cell of it is
    written, so the rule comes with a ledger's first save."""
    if not part or part not in z.NameToInfo:
        return {}
    if part in by_part:
        made: list[int] = []

        def add(tail: bytes) -> bytes:  # decided on the tail the stream reads anyway
            sqref = colour_rules.missing_rule_range(tail)
            if sqref is None:
                return tail
            if not made:
                made.append(styles.add_dxf(colour_rules.dxf_xml()))
            return colour_rules.with_rule(tail, sqref, made[0])

        return {part: add}
    sqref = colour_rules.missing_rule_range(_tail(z, part))
    if sqref is None:
        return {}
    dxf = styles.add_dxf(colour_rules.dxf_xml())
    by_part[part] = SheetChanges()
    return {part: lambda tail: colour_rules.with_rule(tail, sqref, dxf)}


def write_package(
    src: Path, dst: Path, changes: Changes, *, level: int = 1, counted: Counted | None = None
) -> set[str]:
    """Write ``src`` to ``dst`` with ``changes`` made; the names of the parts it changed.
    What the loss guard counts of each worksheet it rewrites, as read and as written, goes
    into ``counted`` (so that the save check need not inflate those parts again).

    The rewritten parts are deflated at zlib ``level`` 1: compressing is most of what is left
    of a save once the rows are cheap. Measured on the history-heavy 10,000-item benchmark
    ledger (merge of its 200 forms rewrites about 40 MB of worksheet XML): level 6 takes
    0.68 s CPU to compress it, level 3 0.28 s, level 1 0.23 s; the saved ledger is 3.6 MB at
    level 6, 4.5 MB at level 3, 5.0 MB at level 1 (+40 %; after a refresh, which rewrites
    台账 alone, 3.1 MB against 3.9 MB, +27 %). Excel, WPS and LibreOffice read any level; the
    parts carried over keep the compression they had, and the next save compresses again
    only what it rewrites, so the file does not keep growing.
    """
    touched = changes.touched()
    if not touched:
        raise Unsupported("nothing to write")
    with map_exceptions(_NOT_SURE, path=src, what="台账"), zipfile.ZipFile(src) as z:
        parts = sheet_parts(z)
        by_part: dict[str, SheetChanges] = {}
        tables: dict[str, SheetChanges] = {}
        for name, sheet in touched.items():
            part = parts.get(name)
            if not part or part not in z.NameToInfo:
                raise Unsupported(f"no part for sheet {name}")
            by_part[part] = sheet
            for kind, target in _rels(z, part):
                if kind.endswith(_TABLE_TYPE) and target in z.NameToInfo:
                    tables[target] = sheet
        styles = StyleBook(z.read(STYLES).decode("utf-8"))
        tails = _colour_rule(z, parts.get(ITEMS.name), by_part, styles)
        changed: set[str] = set()
        order = [i.filename for i in z.infolist()]
        assert z.filename is not None
        with open(z.filename, "rb") as raw, zipfile.ZipFile(dst, "w", compresslevel=level) as out:
            late: list[zipfile.ZipInfo] = []
            for info in z.infolist():
                name = info.filename
                if name == STYLES:
                    late.append(info)
                elif name in by_part:
                    before, after = PartCount(name), PartCount(name)
                    with (
                        z.open(info) as member,
                        streams.read_ahead(member) as source,
                        out.open(_fresh(info, level), "w") as sink,
                        streams.write_behind(sink.write) as write,
                    ):
                        rewrite_sheet(
                            streams.Fed(source, before.feed),
                            streams.fed(write, after.feed),
                            by_part[name],
                            styles,
                            tails.get(name),
                        )
                    changed.add(name)
                    if counted is not None:
                        counted[name] = (before.result(), after.result())
                elif name in tables and (grown := _grown_table(z.read(info), tables[name])):
                    out.writestr(_fresh(info, level), grown)
                    changed.add(name)
                else:
                    _copy_raw(raw, out, info)
            for info in late:  # the formats the rows needed are known once they are written
                if styles.changed():
                    out.writestr(_fresh(info, level), styles.render())
                    changed.add(info.filename)
                else:
                    _copy_raw(raw, out, info)
            position = {n: i for i, n in enumerate(order)}
            out.filelist.sort(key=lambda i: position[i.filename])
        return changed
