"""A ledger sheet as a table found by header text, over an openpyxl worksheet.

Columns are located by their header in row 1, wherever staff moved them; staff's own columns
are never read or written. Values are converted by the column's kind on the way in, and only
cells whose value really changes are written on the way out, so a second run with the same
inputs writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ledger_tools.core.model import _Choice
from ledger_tools.sheets import cells
from ledger_tools.sheets.schema import Column, Sheet

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


@dataclass
class Row:
    """One data row. ``values`` holds converted values; ``bad`` the raw text that failed."""

    number: int
    values: dict[str, object] = field(default_factory=dict)
    bad: dict[str, object] = field(default_factory=dict)

    def get(self, name: str, default=None):
        return self.values.get(name, default)


def read_value(col: Column, raw: object) -> object:
    """Convert a raw cell value to the column's kind; raises cells.BadValue."""
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
        member = col.choices.parse(text)
        if member is None:
            raise cells.BadValue(raw)
        return member
    return text


def cell_value(col: Column, value: object) -> object:
    """The value to store in a cell for a model value."""
    if value is None or value == []:
        return None
    if col.kind == "list":
        return "、".join(value)
    if isinstance(value, _Choice):
        return value.value
    if isinstance(value, bool):
        return "是" if value else "否"
    if col.kind == "date" and isinstance(value, dt.datetime):
        return value.date()
    return value


class Table:
    """The header map of one sheet and access to its rows."""

    def __init__(self, ws: Worksheet, spec: Sheet):
        self.ws = ws
        self.spec = spec
        self.positions: dict[str, int] = {}  # field → 1-based column
        headers: dict[str, int] = {}
        for cell in next(ws.iter_rows(min_row=1, max_row=1), ()):
            text = cells.clean_text(cell.value)
            if text and text not in headers:
                headers[text] = cell.column
        for col in spec.columns:
            if col.header in headers:
                self.positions[col.field] = headers[col.header]
        self.missing = [c for c in spec.columns if c.field not in self.positions]
        self._last_row: int | None = None

    def ref(self, row: int, field: str) -> str:
        return f"{get_column_letter(self.positions[field])}{row}"

    def rows(self) -> Iterator[Row]:
        """Every row below the header that has a value in one of our columns."""
        present = [(c, self.positions[c.field]) for c in self.spec.columns if c.field in self.positions]
        if not present:
            return
        max_col = max(p for _, p in present)
        last = 1
        for r, values in enumerate(
            self.ws.iter_rows(min_row=2, max_col=max_col, values_only=True), start=2
        ):
            raw = {c.field: values[p - 1] for c, p in present}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values()):
                continue
            last = r
            row = Row(r)
            for c, _ in present:
                try:
                    row.values[c.field] = read_value(c, raw[c.field])
                except cells.BadValue:
                    row.values[c.field] = None
                    row.bad[c.field] = raw[c.field]
            yield row
        self._last_row = last

    def last_row(self) -> int:
        if self._last_row is None:
            for _ in self.rows():
                pass
        return self._last_row or 1

    def cell(self, row: int, field: str) -> Cell:
        return self.ws.cell(row=row, column=self.positions[field])

    def set(self, row: int, field: str, value: object) -> bool:
        """Write ``value`` if it differs from what the cell holds; True when written."""
        if field not in self.positions:
            return False
        col = self.spec.column(field)
        cell = self.cell(row, field)
        new = cell_value(col, value)
        try:
            if cell_value(col, read_value(col, cell.value)) == new:
                return False
        except cells.BadValue:
            pass
        write(cell, new, col.kind)
        return True

    def append(self, values: dict[str, object]) -> int:
        """Append a row after the last row that has data in our columns; its number."""
        row = self.last_row() + 1
        for f, v in values.items():
            if f in self.positions:
                write(self.cell(row, f), cell_value(self.spec.column(f), v), self.spec.column(f).kind)
        self._last_row = row
        return row


def write(cell: Cell, value: object, kind: str = "text") -> None:
    """Store a value; text is always text, never a formula or an error code."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    elif kind == "date" and value is not None:
        cell.number_format = DATE_FORMAT
    elif kind == "datetime" and value is not None:
        cell.number_format = DATETIME_FORMAT
