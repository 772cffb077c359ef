"""A ledger sheet as a table found by header text, over an openpyxl worksheet.

Columns are located by their header in row 1, wherever staff moved them; staff's own columns
are never read or written. Values are converted by the column's kind on the way in, and only
cells whose value really changes are written on the way out, so a second run with the same
inputs writes nothing.

Long because reading (``rows``) and writing (``set``, ``append``, ``add_column``) share the
column map, the kinds' converters and the change record, and each is a hot loop of every
command: kept together so the read and the write of a cell cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from copy import copy
from dataclasses import dataclass, field
from itertools import compress
from operator import or_
from typing import TYPE_CHECKING, Any, cast

from ledger_tools.core.model import _Choice
from ledger_tools.sheets import cells
from ledger_tools.sheets.excel import column_letter
from ledger_tools.sheets.ledger.changes import CellWrite, SheetChanges
from ledger_tools.sheets.ledger.schema import Column, Sheet
from ledger_tools.sheets.ledger.value_book import ValueCell, _openpyxl_shape

if TYPE_CHECKING:  # openpyxl is imported only where a workbook is loaded through it
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


@dataclass(slots=True)  # a ledger of 50,000 items has some 250,000 rows
class Row:
    """One data row. ``values`` holds converted values; ``bad`` the raw text that failed."""

    number: int
    # Any: each column's own kind (str, date, int, a choice, a list of units ...)
    values: dict[str, Any] = field(default_factory=dict)
    bad: dict[str, object] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


_Index = dict[str, _Choice]
_CHOICES: dict[type, _Index] = {}


def _choice_index(choices: type[_Choice]) -> dict[str, _Choice]:
    """Each member by its exact value (what ``choices.parse`` returns for that text)."""
    index = _CHOICES.get(choices)
    if index is None:
        index = _CHOICES[choices] = {member.value: member for member in choices}
    return index


def _choice(choices: type[_Choice], text: str) -> _Choice | None:
    """``choices.parse`` through a value index: a ledger has tens of thousands of choice cells."""
    member = _choice_index(choices).get(text)
    return member if member is not None else choices.parse(text)


def read_value(col: Column, raw: object) -> object:
    """Convert a raw cell value to the column's kind; raises cells.BadValue."""
    if raw is None:
        return [] if col.kind == "list" else None
    if col.kind == "date":
        return cells.parse_date(raw)
    if col.kind == "datetime":
        return cells.parse_datetime(raw)
    if col.kind == "int":
        return cells.parse_int(raw)
    if col.kind == "number":
        return cells.parse_number(raw)
    if col.kind == "list":
        return cells.split_list(raw)
    text = cells.clean_text(raw)
    if col.kind == "choice" and text is not None:
        member = _choice(col.choice_set, text)
        if member is None:
            raise cells.BadValue(raw)
        return member
    return text


_STRIP = " \t\r\n" + cells._SPACES


def _text(raw: object) -> str | None:
    """cells.clean_text, with the common case (a str) inline."""
    if raw.__class__ is str:
        return raw.strip(_STRIP) or None
    return cells.clean_text(raw)


def _reader(col: Column):
    """The converter ``read_value`` uses for this column, for a value that is not None."""
    if col.kind in _KIND_READERS:
        return _KIND_READERS[col.kind]
    if col.kind == "choice":
        choices = col.choice_set

        def choice(raw: object) -> object:
            text = _text(raw)
            if text is None:
                return None
            member = _choice(choices, text)
            if member is None:
                raise cells.BadValue(raw)
            return member

        return choice
    return _text


_KIND_READERS = {
    "date": cells.parse_date,
    "datetime": cells.parse_datetime,
    "int": cells.parse_int,
    "number": cells.parse_number,
    "list": cells.split_list,
}


def _same(col: Column, current: object, new: object) -> bool:
    """A shortcut for ``cell_value(col, read_value(col, current)) == new`` in the usual cases.

    True only where the full comparison is certainly true too: refresh compares some 70,000
    cells of a 10,000-item ledger and almost all of them are unchanged.
    """
    if current is None or new is None:
        return False
    kind = current.__class__
    if kind is str:
        return (
            new.__class__ is str
            and current == new
            and col.kind in ("text", "choice")
            and new == new.strip(_STRIP)
            and (col.kind == "text" or _choice(col.choice_set, new) is not None)
        )
    if kind is int:
        return new.__class__ is int and current == new and col.kind == "int"
    if kind is dt.datetime:
        return (
            new.__class__ is dt.date
            and col.kind == "date"
            and cast(dt.datetime, current).date() == new
        )
    return False


def _unchanged(col: Column, current: object, new: object) -> bool:
    """Whether a cell holding ``current`` (not None) already reads as the model value whose
    cell value is ``new``: then ``set`` writes nothing."""
    if _same(col, current, new):
        return True
    try:
        return cell_value(col, read_value(col, current)) == new
    except cells.BadValue:
        return False


_KEEP = object()  # ``_to_write``: the cell already holds the value
_UNDECIDED = object()


def _to_write(col: Column, current: object, value: object) -> object:
    """What ``set`` writes into a cell holding ``current`` (as read) for the model value
    ``value``; ``_KEEP`` when it writes nothing."""
    new = cell_value(col, value)
    if current is None:
        return _KEEP if new is None else new
    return _KEEP if _unchanged(col, current, new) else new


def cell_value(col: Column, value: object) -> object:
    """The value to store in a cell for a model value."""
    if value is None or value == []:
        return None
    if col.kind == "list":
        return "、".join(cast("list[str]", value))
    if isinstance(value, _Choice):
        return value.value
    if isinstance(value, bool):
        return "是" if value else "否"
    if col.kind == "date" and isinstance(value, dt.datetime):
        return value.date()
    return value


def header_key(text: object) -> str:
    """A header as compared: NFKC (full-width letters and spaces), every whitespace removed, so
    a wrapped 完成\\n时限 or 完成时限 with trailing or full-width spaces is 完成时限 itself."""
    # str.split() splits at exactly the characters \s matches in a str pattern
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


class Table:
    """The header map of one sheet and access to its rows."""

    def __init__(self, ws: Worksheet, spec: Sheet, changes: SheetChanges | None = None):
        self.ws = ws
        self.spec = spec
        # Every write is recorded here too, for the package writer (``changes``).
        self.changes = changes
        self.positions: dict[str, int] = {}  # field → 1-based column
        self.header_cells: dict[int, str] = {}  # column → the header text found in row 1
        headers: dict[str, int] = {}
        loose: dict[str, list[int]] = {}
        for cell in next(ws.iter_rows(min_row=1, max_row=1), ()):
            text = cells.clean_text(cell.value)
            if text:
                self.header_cells[cell.column] = text
                headers.setdefault(text, cell.column)
                loose.setdefault(header_key(text), []).append(cell.column)
        for col in spec.columns:
            if col.header in headers:
                self.positions[col.field] = headers[col.header]
        # A header that differs only by white space (a line break from Alt+Enter or wrapping,
        # spaces, full-width forms) is the same header when exactly one cell of row 1 reads so
        # and no other column took it: accepted, and written back to exactly as it was.
        taken = set(self.positions.values())
        for col in spec.columns:
            if col.field not in self.positions:
                found = [c for c in loose.get(header_key(col.header), []) if c not in taken]
                if len(found) == 1:
                    self.positions[col.field] = found[0]
                    taken.add(found[0])
        self.missing = [c for c in spec.columns if c.field not in self.positions]
        self._columns = {c.field: c for c in spec.columns}
        self._last_row: int | None = None
        # column → (first row, last row, A1 range) of each merged range over it, below row 1
        self._merged: dict[int, list[tuple[int, int, str]]] = {}
        for r0, c0, r1, c1 in merged_ranges(ws):
            if r1 < 2 or (r0, c0) == (r1, c1):  # the header row; a one-cell "merge" is a cell
                continue
            ref = f"{column_letter(c0)}{r0}:{column_letter(c1)}{r1}"
            for c in range(c0, c1 + 1):
                self._merged.setdefault(c, []).append((max(r0, 2), r1, ref))
        # Called with (A1 range, field) for each write left undone because the cell is merged.
        self.on_blocked: Callable[[str, str], None] | None = None
        # A values view (ValueSheet) compares and writes plain values, never making cell objects.
        self._peek: Callable[[int, int], object] | None = getattr(ws, "value_now", None)
        self._put: Callable[[int, int, object], None] | None = getattr(ws, "put", None)
        self._setters: dict[str, Callable[[int, object], bool]] = {}  # field → ``setter``

    def merged_range(self, row: int, field: str) -> str | None:
        """The A1 range of the merged cells that hold this row's cell of ``field``, if any.

        A merged cell cannot be written (openpyxl raises on every cell but the first, and
        writing the first would change what the whole range shows); every write of the tool
        leaves such a range as it is and reports it, so either writer honours the same rule.
        """
        position = self.positions.get(field)
        if position is None or not self._merged:
            return None
        for r0, r1, ref in self._merged.get(position, ()):
            if r0 <= row <= r1:
                return ref
        return None

    def merged_in(self, fields: Iterable[str]) -> list[tuple[str, str]]:
        """(A1 range, field) of every merged range below the header over one of ``fields``."""
        out: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for f in fields:
            position = self.positions.get(f)
            for _, _, ref in self._merged.get(position, ()) if position else ():
                if (ref, f) not in seen:
                    seen.add((ref, f))
                    out.append((ref, f))
        return out

    def _blocked(self, row: int, field: str) -> bool:
        ref = self.merged_range(row, field)
        if ref is None:
            return False
        if self.on_blocked is not None:
            self.on_blocked(ref, field)
        return True

    def ref(self, row: int, field: str) -> str:
        return f"{column_letter(self.positions[field])}{row}"

    def rows(self) -> Iterator[Row]:
        """Every row below the header that has a value in one of our columns.

        Cells are looked up in the worksheet's own cell map rather than through ``iter_rows``,
        which would create (and keep) an empty cell object for every blank position; each
        column's converter is chosen once, not per cell (a ledger has half a million cells).
        """
        present = [
            (c, self.positions[c.field]) for c in self.spec.columns if c.field in self.positions
        ]
        if not present:
            return
        found = self.ws._cells  # (row, column) → Cell; reading it creates nothing
        row_values = getattr(self.ws, "row_values", None)  # a ValueSheet hands out whole rows
        columns = [p for _, p in present]
        # (field, value for a blank, converter, choice index or None, whether plain text): text
        # and choice cells, most of a ledger, are converted inline for the common shapes, with
        # exactly the result of the converter, which handles everything else.
        readers: list[tuple[str, object, Callable[[object], object], _Index | None, bool]] = [
            (
                c.field,
                [] if c.kind == "list" else None,
                _reader(c),
                _choice_index(c.choice_set) if c.kind == "choice" else None,
                c.kind == "text",
            )
            for c, _ in present
        ]
        raw_columns = getattr(self.ws, "raw_columns", None)
        if raw_columns is not None:  # a ValueSheet: a column at a time
            yield from self._rows_by_column(raw_columns, columns, readers)
            return
        last = 1
        for r in range(2, self.ws.max_row + 1):
            if row_values is not None:
                values = row_values(r, columns)
            else:
                values = []
                for p in columns:
                    cell = found.get((r, p))
                    values.append(None if cell is None else cell.value)
            if all(v is None or (v.__class__ is str and not v.strip()) for v in values):
                continue
            last = r
            row = Row(r)
            converted = row.values
            for (f, empty, reader, index, plain), v in zip(readers, values):
                if v is None:
                    converted[f] = empty
                    continue
                if v.__class__ is str:
                    if plain:
                        converted[f] = v.strip(_STRIP) or None
                        continue
                    if index is not None:
                        member = index.get(v)
                        if member is not None:
                            converted[f] = member
                            continue
                try:
                    converted[f] = reader(v)
                except cells.BadValue:
                    converted[f] = None
                    row.bad[f] = v
            yield row
        self._last_row = last

    def _rows_by_column(self, raw_columns, columns: list[int], readers: list) -> Iterator[Row]:
        """``rows`` over a values view: each column converted in one pass (``_convert``), then
        the rows that hold anything assembled; the same rows, values and bad cells as the row
        by row loop above, which stays for openpyxl's worksheets."""
        end = self.ws.max_row
        raw, now = raw_columns(columns, end)
        converted: list[list] = []
        held_rows = [False] * (end - 1)  # whether the row holds anything in one of our columns
        bad: list[dict[int, object]] = []
        for k, (_, empty, reader, index, plain) in enumerate(readers):
            column, raw[k] = raw[k], []  # each raw column let go once converted
            values, held, wrong = _convert(
                column, now.get(k), empty, reader, index, plain, reader is not cells.split_list
            )
            converted.append(values)
            held_rows = list(map(or_, held_rows, held))
            bad.append(wrong)
        del raw
        fields = [r[0] for r in readers]
        made: dict[int, Row] = {}
        out: list[Row] = []
        for i, cells_of_row in compress(enumerate(zip(*converted)), held_rows):
            row = Row(i + 2, dict(zip(fields, cells_of_row)))
            out.append(row)
            made[i] = row
        for f, wrong in zip(fields, bad):
            for i, v in wrong.items():
                found = made.get(i)
                if found is not None:
                    found.bad[f] = v
        yield from out
        self._last_row = out[-1].number if out else 1

    def last_row(self) -> int:
        if self._last_row is None:
            for _ in self.rows():
                pass
        return self._last_row or 1

    def cell(self, row: int, field: str) -> Cell:
        return self.ws.cell(row=row, column=self.positions[field])

    def set(self, row: int, field: str, value: object) -> bool:
        """Write ``value`` if it differs from what the cell holds; True when written."""
        found = self._setters.get(field)
        if found is None:
            found = self.setter(field)
        return found(row, value)

    def setter(self, field: str) -> Callable[[int, object], bool]:
        """``set`` for one field: ``setter(field)(row, value)`` is ``set(row, field, value)``,
        with the column looked up once (refresh compares seven fields of every item)."""
        found = self._setters.get(field)
        if found is None:
            found = self._setters[field] = self._make_setter(field)
        return found

    def set_column(self, field: str, rows: Iterable[int], values: Iterable[object]) -> int:
        """``set(row, field, value)`` for each row and value in turn; how many were written.

        Over a values view without merged ranges, a cell not written since it was read is
        decided by what calamine gave for it and the value, each distinct pair once: refresh
        compares some 70,000 cells of a 10,000-item ledger, nearly all unchanged, and they
        hold a few thousand distinct pairs. Anything else goes through ``set``'s own path.
        """
        set_cell = self.setter(field)
        position = self.positions.get(field)
        column_read = getattr(self.ws, "column_read", None)
        if position is None or column_read is None or self._merged:
            return sum(map(set_cell, rows, values))
        col = self._columns[field]
        kind = col.kind
        raw, written_before = column_read(position)  # rows whose value now is not ``raw``'s
        height = len(raw)
        peek = cast(Callable, self._peek)
        put = cast(Callable, self._put)
        record = self._record
        # (class and value as read, class and model value) → the value to write, or _KEEP
        decided: dict[tuple, object] = {}
        written = 0
        for row, value in zip(rows, values):
            if row in written_before or not 1 <= row <= height:
                written += set_cell(row, value)
                continue
            current = raw[row - 1]
            try:
                key = (current.__class__, current, value.__class__, value)
                new = decided.get(key, _UNDECIDED)
            except TypeError:  # an unhashable value (a list): decided on its own
                key, new = None, _UNDECIDED
            if new is _UNDECIDED:
                new = _to_write(col, peek(row, position), value)
                if key is not None:
                    decided[key] = new
            if new is _KEEP:
                continue
            put(row, position, new)
            record(row, position, new, kind)
            written_before.add(row)
            written += 1
        return written

    def _make_setter(self, field: str) -> Callable[[int, object], bool]:
        position = self.positions.get(field)
        if position is None:
            return lambda row, value: False
        col = self._columns[field]
        kind = col.kind
        merged = bool(self._merged)
        blocked = self._blocked
        record = self._record
        column_now = getattr(self.ws, "column_now", None)
        if column_now is not None:  # a ValueSheet: compare and write the value, no cell is made
            peek = column_now(position)
            put = cast(Callable, self._put)
            # (text now, text to write) → unchanged: a status or an alert is one of a few
            texts: dict[tuple[str, str], bool] | None = {} if kind in ("text", "choice") else None

            def set_value(row: int, value: object) -> bool:
                new = cell_value(col, value)
                if merged and blocked(row, field):
                    return False
                current = peek(row)
                if current is None:
                    if new is None:
                        return False
                elif texts is not None and current.__class__ is str and new.__class__ is str:
                    key = (current, new)
                    same = texts.get(key)
                    if same is None:
                        same = texts[key] = _unchanged(col, current, new)
                    if same:
                        return False
                elif _unchanged(col, current, new):
                    return False
                put(row, position, new)
                record(row, position, new, kind)
                return True

            return set_value
        ws = self.ws

        def set_cell(row: int, value: object) -> bool:
            new = cell_value(col, value)
            if merged and blocked(row, field):
                return False
            cell = ws._cells.get((row, position))
            if cell is None:  # a blank position: nothing to compare, nothing to write for a blank
                if new is None:
                    return False
                cell = ws.cell(row=row, column=position)
            if _unchanged(col, cell.value, new):
                return False
            write(cell, new, kind)
            record(row, position, new, kind)
            return True

        return set_cell

    def _record(self, row: int, column: int, value: object, kind: str, **how: Any) -> None:
        if self.changes is not None:
            self.changes.put(row, column, value, number_format(value, kind), **how)

    def set_format(self, row: int, field: str, code: str) -> None:
        """Give a cell of ours a number format (a rate shown as 56.6%)."""
        cell = self.cell(row, field)
        cell.number_format = code
        if self.changes is not None:
            self.changes.set_format(row, self.positions[field], code, cell.value)

    def add_column(self, field: str) -> None:
        """Give a sheet made by an older version a tool-owned column it lacks, after the last
        header, styled like its neighbour; staff's columns are not moved."""
        if field in self.positions:
            return
        col = self._columns[field]
        position = self.ws.max_column + 1
        header = self.ws.cell(1, position)
        write(header, col.header)
        if not isinstance(header, ValueCell):  # a values view has no looks to copy
            header._style = copy(self.ws.cell(1, position - 1)._style)
            self.ws.column_dimensions[header.column_letter].width = col.width
        self._record(1, position, col.header, "text", style_like=position - 1)
        if self.changes is not None:
            self.changes.widths[position] = col.width
        self.positions[field] = position
        self._setters.pop(field, None)  # it wrote nowhere while the column was missing
        self.missing = [c for c in self.missing if c.field != field]

    def append(self, values: dict[str, object]) -> int:
        """Append a row after the last row that has data in our columns; its number."""
        return self.append_rows([values])

    def append_rows(self, rows: Iterable[dict[str, object]]) -> int:
        """``append`` each of ``rows`` in turn (a merge appends thousands of log rows): each
        field's column is looked up once. The number of the last row (the last row if none)."""
        row = self.last_row()
        changes = self.changes
        put = self._put if self._peek is not None else None
        merged = bool(self._merged)
        # field → (column, its spec, whether a str is stored as it is: what cell_value gives it)
        targets: dict[str, tuple[int, Column, bool]] = {
            f: (p, self._columns[f], self._columns[f].kind != "list")
            for f, p in self.positions.items()
        }
        for values in rows:
            row += 1
            if changes is not None:
                changes.appending_after(row - 1)  # only the first call counts
            writes: dict[int, CellWrite] = {}
            for f, v in values.items():
                target = targets.get(f)
                if target is None or (merged and self._blocked(row, f)):
                    continue
                position, col, text_as_is = target
                value: object
                code: str | None
                if text_as_is and v.__class__ is str:  # most cells of a log row, the short way
                    value, code = v, None
                else:
                    value = cell_value(col, v)
                    code = number_format(value, col.kind)
                if put is not None:  # a values view: the value is all a later read needs
                    put(row, position, value)
                else:
                    write(self.ws.cell(row=row, column=position), value, col.kind)
                writes[position] = CellWrite(value, code)
            if changes is not None:
                changes.put_row(row, writes)
            self._last_row = row
        return row


# The kinds of raw value (calamine's) whose equal values convert alike: a column of only these
# is converted once per distinct value. Not bool (True == 1.0) nor int (10**16 == 1e16).
_DISTINCT = frozenset({str, float, dt.date, dt.datetime})
_STR_ONLY = frozenset({str})


def _convert(
    raw: list,
    now: dict[int, object] | None,
    empty: object,
    reader: Callable[[object], object],
    index: _Index | None,
    plain: bool,
    shared: bool = True,
) -> tuple[list, list[bool], dict[int, object]]:
    """One column of a values view converted: (values, whether each cell holds anything, list
    index → the value of each cell that does not read). ``raw`` is calamine's ("" for blank);
    ``now`` the values written since, already shaped as openpyxl gives them.

    Each cell is shaped by ``_openpyxl_shape`` and then converted, exactly as ``rows`` does
    for openpyxl. A ledger repeats itself (a few dozen sources, units and statuses over 50,000
    items), so a column of plain kinds is converted once per distinct value and the results
    shared by the cells that hold it; where ``shared`` is False (lists, which a caller may
    change in place) each cell gets a copy of its own.
    """
    dates = reader is cells.parse_date

    def one(v: object) -> tuple[object, bool, bool]:
        """(value, holds anything, unreadable) of one cell, ``v`` shaped as openpyxl gives it."""
        if v is None:
            return empty, False, False
        kind = v.__class__
        if kind is str:
            held = bool(cast(str, v).strip())
            if plain:
                return cast(str, v).strip(_STRIP) or None, held, False
            if index is not None:
                member = index.get(cast(str, v))
                if member is not None:
                    return member, held, False
        else:
            held = True
            if dates and kind is dt.datetime and cast(dt.datetime, v).tzinfo is None:
                return cast(dt.datetime, v).date(), True, False  # as cells.parse_date gives
        try:
            return reader(v), held, False
        except cells.BadValue:
            return None, held, True

    wrong: dict[int, object] = {}
    kinds = set(map(type, raw))
    if kinds <= _DISTINCT:
        keys = list(dict.fromkeys(raw))  # the distinct values, first seen first
        key_bad: list[object] = []
        if kinds <= _STR_ONLY and (plain or (index is not None and "" not in index)):
            # text and choices, most of a ledger: the usual shapes in one expression each
            key_held = [v != "" and not v.isspace() for v in keys]
            if plain:
                key_values: list[Any] = [v.strip(_STRIP) or None for v in keys]
            else:
                key_values = list(map(cast(_Index, index).get, keys))
                for i in [i for i, (m, v) in enumerate(zip(key_values, keys)) if m is None and v]:
                    try:
                        key_values[i] = reader(keys[i])
                    except cells.BadValue:
                        key_bad.append(keys[i])
        else:
            converted = [one(_openpyxl_shape(v)) for v in keys]
            key_values = [c[0] for c in converted]
            key_held = [c[1] for c in converted]
            key_bad = [v for v, c in zip(keys, converted) if c[2]]
        if len(keys) == len(raw):  # every value distinct: the keys are the column itself
            values, held = key_values, key_held
        else:
            values = list(map(dict(zip(keys, key_values)).__getitem__, raw))
            held = list(map(dict(zip(keys, key_held)).__getitem__, raw))
        if not shared:  # each cell its own list, as converted alone (a blank one ``empty``)
            values = [v.copy() if v.__class__ is list and v is not empty else v for v in values]
        if key_bad:
            unreadable = set(key_bad)
            wrong = {i: _openpyxl_shape(v) for i, v in enumerate(raw) if v in unreadable}
        for i, v in (now or {}).items():
            values[i], held[i], bad = one(v)
            if bad:
                wrong[i] = v
            else:
                wrong.pop(i, None)
        return values, held, wrong
    shaped_all: list[Any] = [_openpyxl_shape(v) for v in raw]
    if now:
        for i, v in now.items():
            shaped_all[i] = v
    values = []
    held = []
    for i, v in enumerate(shaped_all):
        value, holds, bad = one(v)
        values.append(value)
        held.append(holds)
        if bad:
            wrong[i] = v
    return values, held, wrong


def merged_ranges(ws: Worksheet) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column), 1-based, of each merged range of the
    sheet, from openpyxl's worksheet or the calamine view alike."""
    view = getattr(ws, "merged_ranges", None)
    if view is not None:
        return list(view)
    merged = getattr(ws, "merged_cells", None)
    if merged is None:
        return []
    return [(r.min_row, r.min_col, r.max_row, r.max_col) for r in merged.ranges]


def number_format(value: object, kind: str) -> str | None:
    """The number format ``write`` gives a cell for this value (None: the cell's own stays)."""
    if value is None or isinstance(value, str):
        return None
    if kind == "date":
        return DATE_FORMAT
    if kind == "datetime":
        return DATETIME_FORMAT
    return None


def write(cell: Cell, value: object, kind: str = "text") -> None:
    """Store a value; text is always text, never a formula or an error code."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    code = number_format(value, kind)
    if code is not None:
        cell.number_format = code
