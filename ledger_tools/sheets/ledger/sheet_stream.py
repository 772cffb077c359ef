"""One worksheet part rewritten as a stream: the recorded cells changed, every other byte kept.

A 台账 of 50,000 items is a worksheet part of some 100 MB of XML; loading it into any object
model costs seconds and hundreds of megabytes. Here it is read in blocks and written out as it
goes: a row no write touches is copied as the bytes it was (found by its ``<row r="…">`` tag,
never parsed further), a touched row is split into its cells, the written ones are replaced
and the others (staff's cells in the same row, with their formulas and cached values) kept
byte for byte. Rows that do not exist yet are put in order, appended rows at the end. Memory is
one block plus one row.

What lies before ``<sheetData>`` (the dimension, column widths) and after it (auto-filter,
conditional formatting, data validation and their ``extLst`` kin) is small and read whole; the
ranges that ended on the last row before the appended ones are extended over them.

Anything this module is not sure of raises ``Unsupported`` (nothing has been written to the
ledger: the caller is writing a temporary file) and the save goes the openpyxl way: a prefixed
main namespace, rows or cells without references, rows out of order, a formula that other
cells share or an array formula in a cell to be written, a cell with value metadata, text
outside cells inside a row.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from typing import IO, Protocol

from ledger_tools.sheets.excel import to_serial
from ledger_tools.sheets.ledger.changes import CellWrite, SheetChanges
from ledger_tools.sheets.ledger.sheet_patch import Unsupported, _letters, _number

__all__ = ["Styles", "extend_ranges", "rewrite_sheet"]

BLOCK = 1 << 18
MAIN_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'

_ROW_TAG = re.compile(rb"<row\b[^>]*>")
_R = re.compile(rb'\sr="(\d+)"')
_CELL = re.compile(rb"<c\b[^>]*?(?:/>|>.*?</c>)", re.S)
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d+)"')
_CELL_HEAD = re.compile(rb"(<c\b[^>]*?)(?:/>|>.*?</c>)", re.S)  # _CELL, its start tag apart
_STYLE = re.compile(rb'\ss="(\d+)"')
_FORMULA = re.compile(rb"<f\b[^>]*>")
_SPACE = re.compile(rb"\s*")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RANGE = re.compile(r"^(\$?[A-Z]{1,3}\$?)(\d+)(?::(\$?[A-Z]{1,3}\$?)(\d+))?$")


class Styles(Protocol):
    def with_format(self, base: int, code: str) -> int: ...


# -- values --------------------------------------------------------------------------------


def _escape(text: str) -> bytes:
    if _ILLEGAL.search(text):
        raise Unsupported("control character")
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return out.replace("\r", "&#13;").encode("utf-8")


def cell_xml(ref: bytes, value: object, style: int | None) -> bytes | None:
    """The ``<c>`` element for a value (None: an empty cell, only worth writing with a style)."""
    head = b'<c r="' + ref + b'"' + (b"" if not style else b' s="%d"' % style)
    if value is None:
        return head + b"/>" if style else None
    if isinstance(value, bool):
        return head + b' t="b"><v>%d</v></c>' % int(value)
    if isinstance(value, dt.date):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            raise Unsupported("a datetime with a time zone")
        serial: float = to_serial(value)  # 1900's missing 29 February counted as Excel does
        if serial < 1:
            raise Unsupported("date before 1900")
        value = int(serial) if serial == int(serial) else serial
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise Unsupported("not a finite number")
        return head + b"><v>" + repr(value).encode() + b"</v></c>"
    if isinstance(value, str):
        space = b' xml:space="preserve"' if value != value.strip() else b""
        return head + b' t="inlineStr"><is><t' + space + b">" + _escape(value) + b"</t></is></c>"
    raise Unsupported(f"value of type {type(value).__name__}")


# -- rows ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _column_number(letters: bytes) -> int:
    return _number(letters.decode())


def _style_of(cell: bytes | None) -> int | None:
    if cell is None:
        return None
    m = _STYLE.search(cell.split(b">", 1)[0])
    return int(m.group(1)) if m else None


def _check_replaceable(cell: bytes) -> None:
    start = cell.split(b">", 1)[0]
    if b" vm=" in start or b" cm=" in start:
        raise Unsupported("a cell with value metadata")
    f = _FORMULA.search(cell)
    if f is not None:
        tag = f.group(0)
        if b'"array"' in tag or b'"dataTable"' in tag or (b'"shared"' in tag and b" ref=" in tag):
            raise Unsupported("a formula other cells depend on")


def _new_cell(
    col: int, r: int, w: CellWrite, old: bytes | None, row_cells: dict[int, bytes], styles: Styles
) -> bytes | None:
    if old is not None:
        _check_replaceable(old)
    style = _style_of(old)
    if w.style_like is not None:
        style = _style_of(row_cells.get(w.style_like))
    if w.number_format is not None and w.value is not None:
        style = styles.with_format(style or 0, w.number_format)
    return cell_xml(_letters(col).encode() + b"%d" % r, w.value, style)


def merge_row(row: bytes, r: int, writes: dict[int, CellWrite], styles: Styles) -> bytes:
    """The row element with ``writes`` made; the other cells as they were, in column order."""
    tag = _ROW_TAG.match(row)
    assert tag is not None  # found by _ROW_TAG
    head = re.sub(rb'\sspans="[^"]*"', b"", tag.group(0))
    closed = head.endswith(b"/>")
    if closed:
        head = head[:-2].rstrip() + b">"
    body = b"" if closed else row[tag.end() : -len(b"</row>")]
    cells: dict[int, bytes] = {}
    at = 0
    row_number = b"%d" % r
    for m in _CELL_HEAD.finditer(body):  # the hot loop of a refresh: a few thousand rows
        start = m.start()
        if start != at and _SPACE.fullmatch(body, at, start) is None:
            raise Unsupported("something other than cells in a row")
        at = m.end()
        ref = _CELL_REF.search(m.group(1))
        if ref is None or ref.group(2) != row_number:
            raise Unsupported("a cell without its reference")
        cells[_column_number(ref.group(1))] = m.group(0)
    if _SPACE.fullmatch(body, at) is None:
        raise Unsupported("something other than cells in a row")
    originals = dict(cells)
    for col, w in writes.items():
        new = _new_cell(col, r, w, cells.pop(col, None), originals, styles)
        if new is not None:
            cells[col] = new
    return head + b"".join(c for _, c in sorted(cells.items())) + b"</row>"


def _new_row(r: int, writes: dict[int, CellWrite], styles: Styles) -> bytes:
    cells = [_new_cell(c, r, w, None, {}, styles) for c, w in sorted(writes.items())]
    body = b"".join(c for c in cells if c)
    return b'<row r="%d">' % r + body + b"</row>" if body else b""


# -- what stands before and after the rows --------------------------------------------------


def _grow_dimension(prefix: bytes, rows: int, cols: int) -> bytes:
    def grow(m: re.Match) -> bytes:
        parts = _RANGE.match(m.group(1).decode())
        if parts is None or not rows:
            return m.group(0)
        first = f"{parts.group(1)}{parts.group(2)}"
        last_col = max(cols, _number((parts.group(3) or parts.group(1)).strip("$")))
        last_row = max(rows, int(parts.group(4) or parts.group(2)))
        return f'<dimension ref="{first}:{_letters(last_col)}{last_row}"/>'.encode()

    return re.sub(rb'<dimension ref="([^"]*)"\s*/>', grow, prefix, count=1)


def _with_widths(prefix: bytes, widths: dict[int, float]) -> bytes:
    """Column widths for new columns; a column staff already sized keeps its width."""
    cols = re.search(rb"<cols>(.*?)</cols>", prefix, re.S)
    present = []
    if cols is not None:
        for m in re.finditer(rb"<col\b[^>]*>", cols.group(1)):
            lo, hi = (
                re.search(rb'\smin="(\d+)"', m.group(0)),
                re.search(rb'\smax="(\d+)"', m.group(0)),
            )
            if lo is None or hi is None:
                raise Unsupported("a column without its range")
            present.append((int(lo.group(1)), int(hi.group(1))))
    new = [
        (
            c,
            b'<col min="%d" max="%d" width="%s" customWidth="1"/>'
            % (c, c, repr(float(w)).encode()),
        )
        for c, w in sorted(widths.items())
        if not any(lo <= c <= hi for lo, hi in present)
    ]
    if not new:
        return prefix
    if cols is None:
        at = prefix.rfind(b"<sheetData")
        return prefix[:at] + b"<cols>" + b"".join(x for _, x in new) + b"</cols>" + prefix[at:]
    items = [
        (lo, m.group(0))
        for (lo, _), m in zip(present, re.finditer(rb"<col\b[^>]*>", cols.group(1)))
    ]
    if re.sub(rb"<col\b[^>]*>|\s", b"", cols.group(1)):
        raise Unsupported("columns with content")
    body = b"".join(x for _, x in sorted(items + new))
    return prefix[: cols.start(1)] + body + prefix[cols.end(1) :]


def extend_ranges(text: str, old_last: int, new_last: int) -> str:
    """A space-separated list of ranges with each one ending on ``old_last`` extended to ``new_last``."""

    def one(ref: str) -> str:
        m = _RANGE.match(ref)
        if m is None or m.group(3) is None or int(m.group(4)) != old_last:
            return ref
        return f"{m.group(1)}{m.group(2)}:{m.group(3)}{new_last}"

    return " ".join(one(ref) for ref in text.split(" "))


def extend_sqrefs(xml: bytes, old_last: int | None, new_last: int) -> bytes:
    """Ranges after the rows (auto-filter, conditional formatting, validation, their extLst
    forms) that covered the old last row, made to cover the appended rows."""
    if old_last is None or new_last <= old_last:
        return xml

    def attr(m: re.Match) -> bytes:
        return m.group(1) + extend_ranges(m.group(2).decode(), old_last, new_last).encode() + b'"'

    def element(m: re.Match) -> bytes:
        return (
            m.group(1)
            + extend_ranges(m.group(2).decode(), old_last, new_last).encode()
            + m.group(3)
        )

    xml = re.sub(
        rb'(<(?:autoFilter|conditionalFormatting|dataValidation)\b[^>]*?\s(?:ref|sqref)=")([^"]*)"',
        attr,
        xml,
    )
    return re.sub(rb"(<xm:sqref>)([^<]*)(</xm:sqref>)", element, xml)


# -- the stream ----------------------------------------------------------------------------


class _Blocks:
    def __init__(self, source: IO[bytes]):
        self.source = source
        self.buf = b""
        self.done = False

    def more(self, keep_from: int) -> int:
        """Drop what lies before ``keep_from``, read another block; how much was dropped."""
        if self.done:
            raise Unsupported("the worksheet ends too early")
        self.buf = self.buf[keep_from:]
        block = self.source.read(BLOCK)
        self.done = not block
        self.buf += block
        return keep_from


def rewrite_sheet(
    source: IO[bytes],
    write: Callable[[bytes], object],
    changes: SheetChanges,
    styles: Styles,
    tail_edit: Callable[[bytes], bytes] | None = None,
) -> None:
    """Stream the worksheet ``source`` to ``write`` with ``changes`` made (see the module);
    ``tail_edit`` changes what follows ``</sheetData>`` (a colour rule added)."""
    blocks = _Blocks(source)
    while (start := blocks.buf.find(b"<sheetData")) < 0 or blocks.buf.find(b">", start) < 0:
        if blocks.done and blocks.buf:
            raise Unsupported("no sheetData")
        blocks.more(0)
    buf = blocks.buf
    root = re.search(rb"<worksheet\b[^>]*>", buf[:start])
    if root is None or MAIN_NS not in root.group(0):
        raise Unsupported("a worksheet in another namespace or with a prefix")
    head_end = buf.find(b">", start) + 1
    empty = buf[head_end - 2 : head_end] == b"/>"
    prefix = _grow_dimension(buf[:start], changes.last_row, changes.last_column)
    write(_with_widths(prefix + b"<sheetData", changes.widths)[: -len(b"<sheetData")])
    write(b"<sheetData>")
    pending = sorted(changes.cells.items())  # rows still to write, in order
    nxt = 0

    def flush_below(r: int | None) -> None:
        nonlocal nxt
        while nxt < len(pending) and (r is None or pending[nxt][0] < r):
            write(_new_row(pending[nxt][0], pending[nxt][1], styles))
            nxt += 1

    pos, last = head_end, 0
    if empty:
        tail = b"</sheetData>"
        blocks.buf = buf[head_end:]
        pos = 0
    else:
        while True:
            buf = blocks.buf
            m = _ROW_TAG.search(buf, pos)  # no row stands after </sheetData> (<rowBreaks> is
            # not matched), so the end is looked for only when no row is left in the block
            end = -1 if m is not None else buf.find(b"</sheetData>", pos)
            if m is not None:
                tag = m.group(0)
                if tag.endswith(b"/>"):
                    row_end = m.end()
                else:
                    close = buf.find(b"</row>", m.end())
                    if close < 0:
                        pos -= blocks.more(pos)
                        continue
                    row_end = close + len(b"</row>")
                ref = _R.search(tag)
                if ref is None:
                    raise Unsupported("a row without its number")
                r = int(ref.group(1))
                if r <= last:
                    raise Unsupported("rows out of order")
                last = r
                write(buf[pos : m.start()])
                flush_below(r)
                if nxt < len(pending) and pending[nxt][0] == r:
                    write(merge_row(buf[m.start() : row_end], r, pending[nxt][1], styles))
                    nxt += 1
                else:
                    write(buf[m.start() : row_end])
                pos = row_end
            elif end >= 0:
                write(buf[pos:end])
                pos = end + len(b"</sheetData>")
                tail = b"</sheetData>"
                break
            else:
                pos -= blocks.more(pos)
    flush_below(None)
    rest = blocks.buf[pos:]
    while not blocks.done:
        blocks.more(len(blocks.buf))
        rest += blocks.buf
    rest = extend_sqrefs(rest, changes.appended_after, changes.last_row)
    write(tail + (tail_edit(rest) if tail_edit is not None else rest))
