"""One worksheet part rewritten as a stream: the recorded cells changed, every other byte kept.

A 台账 of 50,000 items is a worksheet part of some 100 MB of XML; loading it into any object
model costs seconds and hundreds of megabytes. Here it is read in blocks and written out as it
goes: a row no write touches is copied as the bytes it was (found by its ``<row r="…">`` tag,
never parsed further), a touched row is split into its cells, the written ones are replaced
and the others (staff's cells in the same row, with their formulas and cached values) kept
byte for byte. Rows that do not exist yet are put in order, appended rows at the end. Memory is
one block plus one row, and the output handed on in pieces of about 1 MiB.

What lies before ``<sheetData>`` (the dimension, column widths) and after it (auto-filter,
conditional formatting, data validation and their ``extLst`` kin) is small and read whole; the
ranges that ended on the last row before the appended ones are extended over them.

Anything this module is not sure of raises ``Unsupported`` (nothing has been written to the
ledger: the caller is writing a temporary file) and the save goes the openpyxl way: a prefixed
main namespace, rows or cells without references, rows out of order, a formula that other
cells share or an array formula in a cell to be written, a cell with value metadata, text
outside cells inside a row.

Long because the stream, the two ways of merging a row (cut where written; cell by cell, for
odd rows, kept next to it so the tests can compare them) and the cell text they write are one
format's rules that change together.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import operator
import re
from bisect import bisect_left
from collections.abc import Callable
from typing import Protocol

from ledger_tools.sheets.excel import column_letter, column_number, to_serial
from ledger_tools.sheets.ledger.changes import CellWrite, SheetChanges

__all__ = ["Styles", "Unsupported", "extend_ranges", "rewrite_sheet"]

BLOCK = 1 << 18
FLUSH = 1 << 20  # output is handed on in pieces of about this size (see ``_Output``)
MAIN_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'

_ROW_TAG = re.compile(rb"<row\b[^>]*>")
_R = re.compile(rb'\sr="(\d+)"')
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d+)"')
_CELL_HEAD = re.compile(rb"(<c\b[^>]*?)(?:/>|>.*?</c>)", re.S)  # a cell, its start tag apart
# A cell with its reference in its start tag: (cell, column letters, row number). Where these
# matches cover a row's body end to end, the row holds nothing but such cells (``merge_row``).
_CELL_PARTS = re.compile(
    rb'(<c\b[^>]*?\sr="([A-Z]{1,3})(\d+)"[^>]*?(?:/>|>[^<]*+(?:<(?!/c>)[^<]*+)*+</c>))', re.S
)  # the content up to the first </c>, as ``.*?</c>`` but without trying every character
_SPANS = re.compile(rb'\sspans="[^"]*"')
_STYLE = re.compile(rb'\ss="(\d+)"')
_FORMULA = re.compile(rb"<f\b[^>]*>")
_SPACE = re.compile(rb"\s*")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RANGE = re.compile(r"^(\$?[A-Z]{1,3}\$?)(\d+)(?::(\$?[A-Z]{1,3}\$?)(\d+))?$")


class Unsupported(Exception):
    """The package is not one the writer is sure to patch correctly; nothing was written."""


class Source(Protocol):
    """What a worksheet is read from: a zip member, or anything with ``read``."""

    def read(self, n: int = -1, /) -> bytes: ...


class Styles(Protocol):
    def with_format(self, base: int, code: str) -> int: ...


@functools.lru_cache(maxsize=4096)
class _ColumnNumbers(dict):
    """Column letters → number, each worked out once: ``merge_row`` reads every cell's of a
    row, some 30 a row and thousands of rows, and there are only so many columns."""

    def __missing__(self, letters: bytes) -> int:
        number = self[letters] = column_number(letters.decode())
        return number


_COLUMN_NUMBERS = _ColumnNumbers()
_column_number = _COLUMN_NUMBERS.__getitem__


# -- values --------------------------------------------------------------------------------
# Cells are made as text and a row encoded once: appended log rows are most of a merge's cells.


@functools.lru_cache(maxsize=4096)  # a log row's unit, period, file name repeat row after row
def _inline(text: str) -> str:
    """A text cell after its start tag's attributes: the type, the escaped text, the end."""
    if _ILLEGAL.search(text):
        raise Unsupported("control character")
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f' t="inlineStr"><is><t{space}>{out.replace(chr(13), "&#13;")}</t></is></c>'


@functools.lru_cache(maxsize=4096, typed=True)  # a log's dates repeat: the as-of day, stamps
def _serial(value: dt.date) -> int | float:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        raise Unsupported("a datetime with a time zone")
    serial: float = to_serial(value)  # 1900's missing 29 February counted as Excel does
    if serial < 1:
        raise Unsupported("date before 1900")
    return int(serial) if serial == int(serial) else serial


def _cell_text(ref: str, value: object, style: int | None) -> str | None:
    """The ``<c>`` element for a value (None: an empty cell, only worth writing with a style)."""
    head = f'<c r="{ref}"' if not style else f'<c r="{ref}" s="{style}"'
    if isinstance(value, str):  # first: the commonest, and no str is a bool, date or number
        return head + _inline(value)
    if value is None:
        return head + "/>" if style else None
    if isinstance(value, bool):
        return f'{head} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        value = _serial(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise Unsupported("not a finite number")
        return f"{head}><v>{value!r}</v></c>"
    raise Unsupported(f"value of type {type(value).__name__}")


# -- rows ----------------------------------------------------------------------------------


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
    col: int, r: int, w: CellWrite, old: bytes | None, like: bytes | None, styles: Styles
) -> bytes | None:
    """The written cell; ``old`` the cell it replaces, ``like`` the one of ``w.style_like``."""
    if old is not None:
        _check_replaceable(old)
    style = _style_of(old)
    if w.style_like is not None:
        style = _style_of(like)
    if w.number_format is not None and w.value is not None:
        style = styles.with_format(style or 0, w.number_format)
    cell = _cell_text(f"{column_letter(col)}{r}", w.value, style)
    return None if cell is None else cell.encode("utf-8")


def _row_head(row: bytes) -> tuple[bytes, bytes]:
    """A row element's start tag (``spans`` dropped, never self-closing) and its body."""
    tag = _ROW_TAG.match(row)
    assert tag is not None  # found by _ROW_TAG
    head = _SPANS.sub(b"", tag.group(0))
    if head.endswith(b"/>"):
        return head[:-2].rstrip() + b">", b""
    return head, row[tag.end() : -len(b"</row>")]


def merge_row(row: bytes, r: int, writes: dict[int, CellWrite], styles: Styles) -> bytes:
    """The row element with ``writes`` made; the other cells as they were, in column order.

    A row of nothing but referenced cells in column order (what Excel, LibreOffice, WPS and
    openpyxl write) is cut only where the written columns are: the other cells stay slices
    of the row as it was. Any other row goes through ``_merge_row_cell_by_cell``, which gives
    the same result where both apply (the test compares them) and knows what to refuse.
    """
    head, body = _row_head(row)
    found = _CELL_PARTS.findall(body)
    if not found:
        return _merge_row_cell_by_cell(head, body, r, writes, styles)
    cells, letters, numbers = zip(*found)
    row_number = b"%d" % r
    cols = list(map(_column_number, letters))
    if (
        sum(map(len, cells)) != len(body)  # something between or inside that is not a cell
        or numbers.count(row_number) != len(numbers)
        or not all(map(operator.lt, cols, cols[1:]))
    ):
        return _merge_row_cell_by_cell(head, body, r, writes, styles)

    def at(col: int | None) -> bytes | None:
        i = bisect_left(cols, col) if col is not None else len(cols)
        return cells[i] if i < len(cols) and cols[i] == col else None

    made = {
        col: _new_cell(col, r, w, at(col), at(w.style_like), styles) for col, w in writes.items()
    }
    out, kept = [head], 0
    for col in sorted(made):
        i = bisect_left(cols, col)
        out.extend(cells[kept:i])
        if (new := made[col]) is not None:
            out.append(new)
        kept = i + 1 if i < len(cols) and cols[i] == col else i
    out.extend(cells[kept:])
    out.append(b"</row>")
    return b"".join(out)


def _merge_row_cell_by_cell(
    head: bytes, body: bytes, r: int, writes: dict[int, CellWrite], styles: Styles
) -> bytes:
    cells: dict[int, bytes] = {}
    at = 0
    row_number = b"%d" % r
    for m in _CELL_HEAD.finditer(body):
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
        old = cells.pop(col, None)
        like = originals.get(w.style_like) if w.style_like is not None else None
        new = _new_cell(col, r, w, old, like, styles)
        if new is not None:
            cells[col] = new
    return head + b"".join(c for _, c in sorted(cells.items())) + b"</row>"


def _new_row(
    r: int, writes: dict[int, CellWrite], styles: Styles, dates: dict | None = None
) -> bytes:
    """An appended row: made as text, encoded once. ``dates``: the text of each date cell made
    so far after its reference, by (type, value, number format), kept by the caller for the
    sheet's appended rows (a log's stamps and days repeat row after row)."""
    cells = []
    for col in sorted(writes):
        w = writes[col]
        value = w.value
        if w.number_format is None and type(value) is str:  # most cells of a log row
            cells.append(f'<c r="{column_letter(col)}{r}"' + _inline(value))
            continue
        key = (type(value), value, w.number_format)
        tail = dates.get(key) if dates is not None and key[0] in _DATES else None
        if tail is None:
            tail = _appended_tail(value, w.number_format, styles)
            if dates is not None and key[0] in _DATES:
                dates[key] = tail
        if tail:
            cells.append(f'<c r="{column_letter(col)}{r}"{tail}')
    return f'<row r="{r}">{"".join(cells)}</row>'.encode() if cells else b""


_DATES = frozenset({dt.date, dt.datetime})


def _appended_tail(value: object, number_format: str | None, styles: Styles) -> str:
    """An appended cell's text after its reference, as ``_cell_text`` makes it ("": none)."""
    style = None
    if number_format is not None and value is not None:
        style = styles.with_format(0, number_format)
    cell = _cell_text("", value, style)
    return "" if cell is None else cell[len('<c r=""') :]


# -- what stands before and after the rows --------------------------------------------------


def _grow_dimension(prefix: bytes, rows: int, cols: int) -> bytes:
    def grow(m: re.Match) -> bytes:
        parts = _RANGE.match(m.group(1).decode())
        if parts is None or not rows:
            return m.group(0)
        first = f"{parts.group(1)}{parts.group(2)}"
        last_col = max(cols, column_number((parts.group(3) or parts.group(1)).strip("$")))
        last_row = max(rows, int(parts.group(4) or parts.group(2)))
        return f'<dimension ref="{first}:{column_letter(last_col)}{last_row}"/>'.encode()

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
    def __init__(self, source: Source):
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


class _Output:
    """What is written, handed on in pieces of about ``FLUSH`` bytes: each ``write`` into a
    zip member costs a CRC, a compressor call and a file write, too much for each row."""

    def __init__(self, write: Callable[[bytes], object]):
        self.write = write
        self.parts: list[bytes] = []
        self.size = 0

    def put(self, data: bytes) -> None:
        self.parts.append(data)
        self.size += len(data)
        if self.size >= FLUSH:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.write(b"".join(self.parts))
            self.parts, self.size = [], 0


def rewrite_sheet(
    source: Source,
    write: Callable[[bytes], object],
    changes: SheetChanges,
    styles: Styles,
    tail_edit: Callable[[bytes], bytes] | None = None,
) -> None:
    """Stream the worksheet ``source`` to ``write`` with ``changes`` made (see the module);
    ``tail_edit`` changes what follows ``</sheetData>`` (a colour rule added).

    Untouched rows are checked (numbered, in order) but not copied one by one: the bytes from
    the end of the last touched row are handed on as one slice when the next touched row or
    the end of the block comes. Memory: one block, one row, one ``FLUSH`` of output."""
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
    out = _Output(write)
    prefix = _grow_dimension(buf[:start], changes.last_row, changes.last_column)
    out.put(_with_widths(prefix + b"<sheetData", changes.widths)[: -len(b"<sheetData")])
    out.put(b"<sheetData>")
    pending = sorted(changes.cells.items())  # rows still to write, in order
    nxt = 0
    upcoming = pending[0][0] if pending else None  # the number of the next row to write

    dates: dict = {}  # for ``_new_row``

    def flush_below(r: int | None) -> None:
        nonlocal nxt, upcoming
        while nxt < len(pending) and (r is None or pending[nxt][0] < r):
            out.put(_new_row(pending[nxt][0], pending[nxt][1], styles, dates))
            nxt += 1
        upcoming = pending[nxt][0] if nxt < len(pending) else None

    pos, last = head_end, 0
    copied = pos  # bytes of the block before this are handed on
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
                        out.put(buf[copied:pos])
                        pos -= blocks.more(pos)
                        copied = pos
                        continue
                    row_end = close + len(b"</row>")
                ref = _R.search(tag)
                if ref is None:
                    raise Unsupported("a row without its number")
                r = int(ref.group(1))
                if r <= last:
                    raise Unsupported("rows out of order")
                last = r
                if upcoming is not None and upcoming <= r:
                    out.put(buf[copied : m.start()])
                    copied = m.start()
                    flush_below(r)
                    if upcoming == r:
                        out.put(merge_row(buf[m.start() : row_end], r, pending[nxt][1], styles))
                        copied = row_end
                        nxt += 1
                        upcoming = pending[nxt][0] if nxt < len(pending) else None
                pos = row_end
            elif end >= 0:
                out.put(buf[copied:end])
                pos = end + len(b"</sheetData>")
                tail = b"</sheetData>"
                break
            else:
                out.put(buf[copied:pos])
                pos -= blocks.more(pos)
                copied = pos
    flush_below(None)
    rest = blocks.buf[pos:]
    while not blocks.done:
        blocks.more(len(blocks.buf))
        rest += blocks.buf
    rest = extend_sqrefs(rest, changes.appended_after, changes.last_row)
    out.put(tail + (tail_edit(rest) if tail_edit is not None else rest))
    out.flush()
