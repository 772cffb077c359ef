"""What a command writes into the ledger, recorded as cell writes (SPEC §8 "Only what it owns").

Every write a command makes goes through ``Table`` (``set``, ``append``, ``add_column``) or
计算日期 (``LedgerData``); each is recorded here as well as in the sheet it was made on. The
record is what the package writer (``package_writer``) puts into the worksheet parts, and what
is replayed onto an openpyxl workbook when the writer is not sure of a package and the save
goes the openpyxl way instead. Which cells to skip (merged ranges, rows that are not items) is
the caller's decision: whatever is recorded is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["CellWrite", "Changes", "SheetChanges", "replay"]


@dataclass(slots=True)  # a merge records some 100,000 of these
class CellWrite:
    """One cell's new value; ``number_format`` None keeps the cell's own format;
    ``style_like`` a column of the same row whose look the cell takes (a new header)."""

    value: object
    number_format: str | None = None
    style_like: int | None = None


@dataclass
class SheetChanges:
    """The writes into one sheet: row → column → write (1-based), and what follows from them."""

    cells: dict[int, dict[int, CellWrite]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    # The last data row before the first appended row: ranges that ended there (auto-filter,
    # tables, conditional formatting, validation) grow with the appended rows.
    appended_after: int | None = None

    def put(
        self,
        row: int,
        column: int,
        value: object,
        number_format: str | None = None,
        style_like: int | None = None,
    ) -> None:
        cells = self.cells.get(row)
        if cells is None:
            cells = self.cells[row] = {}
        elif (old := cells.get(column)) is not None:
            number_format = number_format or old.number_format
            style_like = style_like or old.style_like
        cells[column] = CellWrite(value, number_format, style_like)

    def put_row(self, row: int, writes: dict[int, CellWrite]) -> None:
        """``put`` each column → write of ``writes`` into ``row`` (the dict may be kept)."""
        cells = self.cells.get(row)
        if cells is None:  # the common case, an appended row: nothing to merge with
            if writes:
                self.cells[row] = writes
            return
        for column, w in writes.items():
            self.put(row, column, w.value, w.number_format, w.style_like)

    def set_format(self, row: int, column: int, code: str, value: object) -> None:
        """Give a cell a number format (its value as it now is, recorded with it)."""
        old = self.cells.get(row, {}).get(column)
        self.put(row, column, old.value if old is not None else value, code)

    def appending_after(self, last_row: int) -> None:
        if self.appended_after is None:
            self.appended_after = last_row

    def __bool__(self) -> bool:
        return any(self.cells.values()) or bool(self.widths)

    @property
    def last_row(self) -> int:
        return max((r for r, c in self.cells.items() if c), default=0)

    @property
    def last_column(self) -> int:
        return max((col for cells in self.cells.values() for col in cells), default=0)


@dataclass
class Changes:
    """Every sheet's writes, by sheet name."""

    sheets: dict[str, SheetChanges] = field(default_factory=dict)

    def sheet(self, name: str) -> SheetChanges:
        return self.sheets.setdefault(name, SheetChanges())

    def __bool__(self) -> bool:
        return any(self.sheets.values())

    def touched(self) -> dict[str, SheetChanges]:
        return {name: s for name, s in self.sheets.items() if s}


def replay(changes: Changes, wb: Any) -> None:
    """Make the recorded writes on an openpyxl workbook loaded from the same file (the fallback):
    the same values, number formats, borrowed looks and column widths."""
    from copy import copy

    from openpyxl.utils import get_column_letter

    for name, sheet in changes.touched().items():
        ws = wb[name]
        for r, cells in sorted(sheet.cells.items()):
            for c, w in sorted(cells.items()):
                cell = ws.cell(row=r, column=c)
                cell.value = w.value
                if isinstance(w.value, str):
                    cell.data_type = "s"  # text stays text, never a formula
                if w.style_like is not None:
                    cell._style = copy(ws.cell(row=r, column=w.style_like)._style)
                if w.number_format is not None:
                    cell.number_format = w.number_format
        for c, width in sheet.widths.items():
            ws.column_dimensions[get_column_letter(c)].width = width
