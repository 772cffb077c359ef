"""Staff formulas in the ledger's columns, read through their cached values (SPEC §3 Fail closed).

Staff compute dates (完成时限 ``=D33+120``) and more with formulas. openpyxl, which reads every
ledger that holds a formula, gives the formula text, which no column can read: a deadline
became "unreadable" although Excel shows a date. What Excel (or WPS, LibreOffice) last computed
is stored beside the formula; calamine reads it. A formula with no stored result (written by a
program that does not compute, e.g. openpyxl) stays unreadable — never guessed — so an
unreadable 完成时限 is 时限不明 and an unreadable 涉密 is confidential; in a plain text column
(议定事项 …) it is kept as typed, as before, since text cannot look better than it is.
"""

from __future__ import annotations

from pathlib import Path

from ledger_tools.sheets import cells
from ledger_tools.sheets.ledger.tables import Row, Table, read_value
from ledger_tools.sheets.ledger.value_book import ValueBook

__all__ = ["CachedValues", "read_cached"]


class CachedValues:
    """The cached results of one ledger file, read once and only when a formula is met."""

    def __init__(self, path: Path):
        self.path = path
        self._book: ValueBook | None = None
        self.failed = False

    def value(self, sheet: str, row: int, column: int) -> object:
        """The stored result of a formula cell; None when there is none or it cannot be read."""
        if self.failed:
            return None
        if self._book is None:
            try:
                self._book = ValueBook(self.path)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException:  # calamine's errors and panics: then no value is known
                self.failed = True
                return None
        try:
            return self._book[sheet].value_at(row, column)
        except KeyError:
            return None


def read_cached(wb: object, table: Table, rows: list[Row], cache: CachedValues) -> None:
    """Replace, in ``rows``, each formula's text by its cached value read as the column's kind;
    a formula without one is kept as unreadable (in ``Row.bad``, shown as its formula)."""
    if wb is None or isinstance(wb, ValueBook):
        return  # the calamine view already holds cached values (and is only used without formulas)
    columns = {p: f for f, p in table.positions.items()}
    formulas = [
        (r, c)
        for (r, c), cell in table.ws._cells.items()
        if c in columns and r > 1 and cell.data_type == "f"
    ]
    if not formulas:
        return
    by_number = {row.number: row for row in rows}
    for r, c in formulas:
        row = by_number.get(r)
        if row is None:
            continue
        f = columns[c]
        col = table.spec.column(f)
        formula = table.ws._cells[(r, c)].value
        cached = cache.value(table.ws.title, r, c)
        if (cached is None or cached == "") and col.kind == "text":
            continue  # text stays as typed: a formula's text hides nothing a date or 涉密 would
        row.bad.pop(f, None)
        if cached is None or cached == "":
            row.values[f] = [] if col.kind == "list" else None
            row.bad[f] = f"{formula}（公式，无计算结果）"
            continue
        try:
            row.values[f] = read_value(col, cached)
        except cells.BadValue:
            row.values[f] = [] if col.kind == "list" else None
            row.bad[f] = cached
