"""A read-only view of the ledger's cell values, read with calamine in a fraction of openpyxl's time.

Commands that only read the ledger (forms, check, validate, remind, sample, score) spent almost
all their time in openpyxl building cell objects they never write back: about 7 s of CPU for a
10,000-item ledger, against under 1 s for calamine. ``ValueBook`` offers exactly the part of
openpyxl's workbook that ``Table``, ``read_ledger`` and ``LedgerData.recompute`` use (sheet names,
``ws._cells``, ``ws.cell``, ``ws.iter_rows``, ``ws.max_row``), with values shaped as openpyxl
gives them: integers for whole numbers, datetimes for dates, nothing for blank cells. Writes land
in memory; what a save writes is their record in ``changes`` (the package writer).

Long because the view's reads (by cell, row, column) and its writes in memory must agree on
one picture of the sheet: each read sees every write made since, whichever way it reads.

calamine reports a formula's cached result and an error cell as blank, where openpyxl gives the
formula text and the error code; ``plain_values`` tells whether a package has neither, and only
then is this view used, so every command reads the same values whichever engine read them.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any

import python_calamine

__all__ = ["ValueBook", "ValueCell", "ValueSheet", "paused_gc", "plain_values"]

# A formula element (<f>, <f t="shared" .../>, <x:f>) or an error cell (t="e") in a worksheet,
# found with a few substring scans and a look at the byte beside each hit. A false alarm only
# costs the openpyxl load; a miss is impossible, as text content cannot hold "<" and every
# spelling of the element starts with "<f" or ":f", every error cell with t="e" or t='e'.
_ELEMENT_ENDS = frozenset(b" \t\r\n>/")
_SPACES = frozenset(b" \t\r\n")


def _hits(data: bytes, needle: bytes, ok, most: int | None = None) -> bool | None:
    """Whether some occurrence of ``needle`` is ``ok``; None when ``most`` were looked at first."""
    i = data.find(needle)
    while i >= 0:
        if ok(i):
            return True
        if most is not None:
            most -= 1
            if most < 0:
                return None
        i = data.find(needle, i + 1)
    return False


# The letter f looked at one by one before the two-byte scans take over: a ledger's cells hold
# none (their text is in character references or the shared strings), and a one-byte search
# runs at memory speed, several times faster than a scan for "<f" or ":f".
_MOST_F = 2000


def _formula_or_error(data: bytes) -> bool:
    n = len(data)

    def element(i: int) -> bool:
        return i + 2 < n and data[i + 2] in _ELEMENT_ENDS

    def after_open(i: int) -> bool:  # i at an f: "<f" or ":f" starting one byte before
        return i > 0 and data[i - 1] in b"<:" and element(i - 1)

    def attribute(i: int) -> bool:
        return i > 0 and data[i - 1] in _SPACES

    formula = _hits(data, b"f", after_open, _MOST_F)
    if formula is None:  # text full of f: the scans for the element's two spellings
        formula = _hits(data, b"<f", element) or _hits(data, b":f", element)
    return bool(
        formula
        or _hits(data, b't="e"', attribute)
        or (b"'" in data and _hits(data, b"t='e'", attribute))  # no ' at all: a one-byte search
    )


# Bytes carried from one block of a part into the next: a hit and the bytes looked at beside it
# (one before, one after) span at most seven, so every hit is seen whole in some block.
_OVERLAP = 8
_BLOCK = 1 << 20


def plain_values(path: Path) -> bool:
    """True when no worksheet of the package holds a formula or an error cell.

    Each part is read a block at a time: the 台账 of a 50,000-item ledger is 80 MB of XML.
    """
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            name = info.filename
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with z.open(info) as part:
                carried = b""
                while block := part.read(_BLOCK):
                    data = carried + block
                    if _formula_or_error(data):
                        return False
                    carried = data[-_OVERLAP:]
    return True


class ValueCell:
    """What Table and refresh read and write on a cell."""

    __slots__ = ("row", "column", "value", "data_type", "number_format")

    def __init__(self, row: int, column: int, value: object = None):
        self.row = row
        self.column = column
        self.value = value
        self.data_type = "n"
        self.number_format = "General"


def _openpyxl_shape(value: object) -> object:
    """A calamine value as openpyxl would have returned it."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _shaped(v: Any) -> object:
    """``_openpyxl_shape``, text and numbers (the bulk of a ledger's cells) taken first."""
    kind = v.__class__
    if kind is str:
        return v or None
    if kind is float:
        return int(v) if v.is_integer() and abs(v) < 2**53 else v
    return _openpyxl_shape(v)


_UNSET = object()


class _CellMap:
    """``ws._cells`` over the sheet's columns: a cell object is made when first asked for.

    Writes through ``ValueSheet.put`` are kept as plain values, not cells: a merge at 50,000
    items appends some 40,000 log rows and refresh writes thousands of cells, and a cell
    object (or even a (row, column) key) for each cost more than all the rest of the write.
    Each written row is one list, column by column (``_UNSET`` where nothing was written). A
    cell asked for later takes the written value, so both ways of writing read back alike.
    """

    def __init__(self, sheet: ValueSheet):
        self._sheet = sheet
        self._made: dict[tuple[int, int], ValueCell] = {}
        self._written: dict[int, list[object]] = {}
        self._rows: set[int] = set()

    def _take(self, row: int, column: int) -> object:
        """The value ``put`` at this position, no longer kept there; else _UNSET."""
        written = self._written.get(row)
        if written is None or column > len(written):
            return _UNSET
        value, written[column - 1] = written[column - 1], _UNSET
        return value

    def get(self, key: tuple[int, int], default=None):
        cell = self._made.get(key)
        if cell is not None:
            return cell
        row, column = key
        written = self._take(row, column)
        if written is not _UNSET:
            cell = self._made[key] = ValueCell(row, column, written)
            return cell
        value = self._sheet.value_at(row, column)
        if value is None:
            return default
        cell = self._made[key] = ValueCell(row, column, value)
        self._rows.add(row)
        return cell

    def now(self, row: int, column: int) -> object:
        """The value written in memory at this position (a cell's or a ``put``), else _UNSET."""
        cell = self._made.get((row, column)) if self._made else None
        if cell is not None:
            return cell.value
        written = self._written.get(row)
        if written is None or column > len(written):
            return _UNSET
        return written[column - 1]

    def put(self, row: int, column: int, value: object) -> None:
        cell = self._made.get((row, column)) if self._made else None
        if cell is not None:
            cell.value = value
            return
        written = self._written.get(row)
        if written is None:
            written = self._written[row] = [_UNSET] * max(column, self._sheet.max_column)
            self._rows.add(row)
        elif column > len(written):
            written.extend([_UNSET] * (column - len(written)))
        written[column - 1] = value

    def touched(self, row: int) -> bool:
        return row in self._rows

    def untouched(self) -> bool:
        """Nothing written nor any cell made yet: the sheet is exactly as read."""
        return not self._rows and not self._made

    def __contains__(self, key: tuple[int, int]) -> bool:
        return self.get(key) is not None

    def add(self, cell: ValueCell) -> None:
        self._take(cell.row, cell.column)
        self._made[(cell.row, cell.column)] = cell
        self._rows.add(cell.row)

    def rows_made(self) -> Iterator[int]:
        return iter(self._rows)


def _merged(sheet) -> list[tuple[int, int, int, int]]:
    """calamine's merged ranges ((row, column) pairs, 0-based) as openpyxl's 1-based bounds."""
    ranges = getattr(sheet, "merged_cell_ranges", None) or []
    return [(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in ranges]


# The kinds of calamine value whose equal values read alike (``_openpyxl_shape``): a column of
# only these may hold one object for each distinct value. Not bool (True == 1.0) nor int
# (10**16 == 1e16, which reads as a float).
_SHAREABLE = frozenset({str, float, dt.date, dt.datetime})


_CHUNK = 2048  # rows made Python objects at a time, then folded into the columns


def _columns(rows: Iterable[list]) -> tuple[list[list], int]:
    """calamine's rows as columns (and how many rows), each distinct value held once in a run
    of cells of shareable kinds.

    A ledger repeats itself: 50,000 items have a few dozen sources, units and statuses, and
    calamine gives every cell an object of its own (86 MB of them for 台账 at 50,000 items,
    a fifth of that once shared). Equal values of these kinds read alike, so nothing changes.
    The rows come a chunk at a time, so the copies let go are reused for the next chunk.
    """
    out: list[list] = []
    shared: list[dict] = []
    height = 0
    it = iter(rows)
    while chunk := list(islice(it, _CHUNK)):
        width = max(len(out), *map(len, chunk))
        if any(len(r) != width for r in chunk):  # calamine's ranges are rectangular; in case
            chunk = [[*r, *[""] * (width - len(r))] for r in chunk]
        while len(out) < width:
            out.append([""] * height)
            shared.append({})
        for column, values, held in zip(out, zip(*chunk), shared):
            if set(map(type, values)) <= _SHAREABLE:
                column.extend(map(held.setdefault, values, values))
            else:
                column.extend(values)
        height += len(chunk)
    return out, height


def _sheet_rows(found) -> Iterable[list]:
    """calamine's rows of a sheet from A1 on, blank as "": one row at a time where the sheet's
    range starts at A1 (a ledger's always does), else as one list, padded to A1."""
    if getattr(found, "start", None) == (0, 0):
        return found.iter_rows()
    return found.to_python(skip_empty_area=False)


class ValueSheet:
    """One sheet's values, kept by column (``Table.rows`` reads a column at a time)."""

    def __init__(
        self,
        title: str,
        rows: Iterable[list],
        merged: list[tuple[int, int, int, int]] | None = None,
    ):
        self.title = title
        self._columns, self._height = _columns(rows)
        self._cells = _CellMap(self)
        # (first row, first column, last row, last column) of each merged range, 1-based
        self.merged_ranges = merged or []

    def value_at(self, row: int, column: int) -> object:
        """The value as read from the file."""
        if row < 1 or column < 1 or row > self._height or column > len(self._columns):
            return None
        return _openpyxl_shape(self._columns[column - 1][row - 1])

    def value_now(self, row: int, column: int) -> object:
        """The value now (as written in memory since, or as read), without making a cell:
        refresh compares some 70,000 cells of a 10,000-item ledger and writes a few thousand."""
        if self._cells._rows and row in self._cells._rows:
            now = self._cells.now(row, column)
            if now is not _UNSET:
                return now
        if row < 1 or column < 1 or row > self._height or column > len(self._columns):
            return None
        return _shaped(self._columns[column - 1][row - 1])

    def column_now(self, column: int) -> Callable[[int], object]:
        """``value_now`` of one column: ``column_now(c)(row)`` is ``value_now(row, c)``, with
        the column looked up once (``Table.setter``)."""
        values = self._columns[column - 1] if 1 <= column <= len(self._columns) else []
        height = len(values)
        touched = self._cells._rows
        now = self._cells.now

        def at(row: int) -> object:
            if touched and row in touched:
                found = now(row, column)
                if found is not _UNSET:
                    return found
            if row < 1 or row > height:
                return None
            return _shaped(values[row - 1])

        return at

    def column_read(self, column: int) -> tuple[list, set[int]]:
        """One column as calamine gave it (row r at index r - 1; blank as "", numbers as
        floats; the view's own list, only to be read), and the rows whose cell of it was
        written in memory since (or made a cell), where the value now is ``value_now``'s."""
        values = self._columns[column - 1] if 1 <= column <= len(self._columns) else []
        now = self._cells.now
        return values, {r for r in self._cells._rows if now(r, column) is not _UNSET}

    def put(self, row: int, column: int, value: object) -> None:
        """Write a value in memory without making a cell (what ``cell(...).value = v`` does)."""
        self._cells.put(row, column, value)

    def raw_columns(
        self, columns: list[int], last: int
    ) -> tuple[list[list], dict[int, dict[int, object]]]:
        """Rows 2 to ``last`` of ``columns``, one list per column, as calamine gave them (blank
        as "", numbers as floats), with what was written in memory since (and any cell made)
        apart: column index → list index → the value now (shaped as ``value_now`` gives it).
        Reading a column at a time lets ``Table.rows`` convert a column with one expression."""
        out = []
        for c in columns:
            column = self._columns[c - 1][1:last] if 1 <= c <= len(self._columns) else []
            column.extend([""] * (last - 1 - len(column)))
            out.append(column)
        now: dict[int, dict[int, object]] = {}
        for r in self._cells.rows_made():
            if 2 <= r <= last:
                for k, c in enumerate(columns):
                    value = self._cells.now(r, c)
                    if value is not _UNSET:
                        now.setdefault(k, {})[r - 2] = value
        return out, now

    def row_values(self, row: int, columns: list[int]) -> list[object]:
        """The values now (as written in memory since, or as read) of some columns of a row.

        ``_openpyxl_shape`` inlined for text and numbers, the bulk of a ledger's cells.
        """
        inside = 1 <= row <= self._height
        n = len(self._columns) if inside else 0
        out: list[object] = []
        append = out.append
        for c in columns:
            if c > n or c < 1:
                append(None)
                continue
            v = self._columns[c - 1][row - 1]
            kind = v.__class__
            if kind is str:
                append(v or None)
            elif kind is float:
                append(int(v) if v.is_integer() and abs(v) < 2**53 else v)
            else:
                append(_openpyxl_shape(v))
        if self._cells.touched(row):
            for i, c in enumerate(columns):
                now = self._cells.now(row, c)
                if now is not _UNSET:
                    out[i] = now
        return out

    @property
    def max_row(self) -> int:
        last = self._height
        while last > 1 and all(column[last - 1] == "" for column in self._columns):
            last -= 1
        return max(last, max(self._cells.rows_made(), default=1))

    @property
    def max_column(self) -> int:
        return len(self._columns) or 1

    def cell(self, row: int, column: int, value: object = None) -> ValueCell:
        cell = self._cells.get((row, column))
        if cell is None:
            cell = ValueCell(row, column)
            self._cells.add(cell)
        if value is not None:
            cell.value = value
        return cell

    def iter_rows(
        self,
        min_row: int | None = None,
        max_row: int | None = None,
        min_col: int | None = None,
        max_col: int | None = None,
        values_only: bool = False,
    ) -> Iterator[tuple]:
        min_row, min_col = min_row or 1, min_col or 1
        max_row, max_col = max_row or self.max_row, max_col or self.max_column
        for r in range(min_row, max_row + 1):
            cells = tuple(self.cell(r, c) for c in range(min_col, max_col + 1))
            yield tuple(c.value for c in cells) if values_only else cells


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the block (as it was after it).

    Reading a ledger makes millions of objects (calamine's values, the rows, the items) and no
    reference cycle among them; each full collection on the way walks all that were made so
    far, which cost a merge at 10,000 items a fifth of its CPU time. Nothing is kept from
    being freed: objects without cycles go when their last reference goes, as always.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _return_freed_memory() -> None:
    """Hand the C heap's free pages back to the system, where the C library can (glibc).

    calamine parses 台账 on a thread of its own, and what it frees there (some 40 MB at
    50,000 items) stays in that thread's heap, counted in the process's memory to its end,
    unless trimmed; it takes a few milliseconds. Elsewhere (Windows, macOS) nothing is done.
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError, ValueError):
        return
    trim(0)


@contextlib.contextmanager
def _native_stderr_silenced():
    """Keep calamine's Rust panic report (a date cell holding -1e12 ...) off the user's terminal.

    The panic still arrives as an exception, and the caller falls back to openpyxl; only the
    text the Rust runtime writes straight to file descriptor 2 is dropped.
    """
    try:
        saved = os.dup(2)
        quiet = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        yield
        return
    try:
        os.dup2(quiet, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(quiet)


class ValueBook:
    """The workbook's sheets by name, as far as reading the ledger needs."""

    def __init__(self, path: Path):
        with _native_stderr_silenced():
            book = python_calamine.CalamineWorkbook.from_path(str(path))
        self.sheetnames: list[str] = list(book.sheet_names)
        self._book = book
        self._path = str(path)
        self._sheets: dict[str, ValueSheet] = {}

    def __getitem__(self, name: str) -> ValueSheet:
        sheet = self._sheets.get(name)
        if sheet is None:
            if name not in self.sheetnames:
                raise KeyError(f"Worksheet {name} does not exist.")
            with _native_stderr_silenced():
                found = self._book.get_sheet_by_name(name)
                sheet = self._sheets[name] = ValueSheet(name, _sheet_rows(found), _merged(found))
        return sheet

    def preload(self, names: list[str], meanwhile: Callable[[], bool] | None = None) -> bool:
        """Read the sheets ``names`` now: the first (the biggest, 台账) on a second thread while
        this one runs ``meanwhile`` and then reads the rest. calamine parses without holding
        the GIL, so on two cores a 10,000-item ledger is read in about two thirds of the time.
        When ``meanwhile`` gives False the rest are not read and False is returned (the first
        sheet is waited for all the same). An error in either thread is raised here.
        """
        todo = [n for n in dict.fromkeys(names) if n in self.sheetnames and n not in self._sheets]
        if len(todo) < 2:
            if meanwhile is not None and not meanwhile():
                return False
            for name in todo:
                self[name]
            return True
        path = self._path

        def first() -> ValueSheet:
            book = python_calamine.CalamineWorkbook.from_path(path)  # one reader per thread
            found = book.get_sheet_by_name(todo[0])
            return ValueSheet(todo[0], _sheet_rows(found), _merged(found))

        with _native_stderr_silenced(), ThreadPoolExecutor(1) as pool:
            head = pool.submit(first)
            try:
                if meanwhile is not None and not meanwhile():
                    return False
                for name in todo[1:]:
                    found = self._book.get_sheet_by_name(name)
                    self._sheets[name] = ValueSheet(name, _sheet_rows(found), _merged(found))
            finally:
                sheet = head.result()
        self._sheets[todo[0]] = sheet
        _return_freed_memory()
        return True

    def __contains__(self, name: str) -> bool:
        return name in self.sheetnames
