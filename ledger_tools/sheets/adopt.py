"""Reading an office's old ledger (xlsx, xls or ods) for ``ledger adopt``, merged cells shown.

The file is read as returned files are (``sheets.returned.read_returned``: type from the bytes,
zip guard, encryption, sheet extents, then calamine), so a damaged or hostile workbook is
refused with the same Chinese reasons, and nothing writes to it.

Offices merge cells: one meeting's name over all its items, a title across the table. calamine
gives a merged range's value in its first cell only; a clerk sees it on every row the range
covers. Where merges are found:
- xlsx and xls: python-calamine's ``CalamineSheet.merged_cell_ranges`` (0.9: from
  ``<mergeCells>`` and from the BIFF MERGEDCELLS records);
- ods: calamine returns None there, so content.xml is scanned here (defusedxml, streaming) for
  ``table:number-rows-spanned`` / ``number-columns-spanned``, rows and columns counted with
  their repeats, as ``returned.extents`` measures them.
Each sheet keeps both grids: ``own`` (what is in each cell) and ``shown`` (the merged value on
every covered cell), so a row that only shows a meeting's name can still be told blank.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as calamine
from defusedxml import ElementTree as SafeET

from ledger_tools.errors import UsageError
from ledger_tools.sheets.boundary import Cause, Failure, map_exceptions
from ledger_tools.sheets.cells import clean_text
from ledger_tools.sheets.excel import column_letter
from ledger_tools.sheets.returned.limits import Limits, refuse
from ledger_tools.sheets.returned.sniff import read_bytes
from ledger_tools.sheets.returned.workbook import read_returned

__all__ = ["MAP_HEADERS", "OldSheet", "OldWorkbook", "a1", "read_map", "read_old"]

Range = tuple[tuple[int, int], tuple[int, int]]  # ((row, col), (last row, last col)), 0-based


def a1(row: int, col: int) -> str:
    """The A1 reference of a 0-based (row, col)."""
    return f"{column_letter(col + 1)}{row + 1}"


@dataclass
class OldSheet:
    name: str
    visible: str
    own: list[list[object]]
    merges: list[Range] = field(default_factory=list)
    shown: list[list[object]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.shown = [list(r) for r in self.own]
        for (r0, c0), (r1, c1) in self.merges:
            value = self.own[r0][c0] if r0 < len(self.own) and c0 < len(self.own[r0]) else None
            if value is None:
                continue
            for r in range(r0, min(r1, len(self.shown) - 1) + 1):
                row = self.shown[r]
                if len(row) <= c1:
                    row.extend([None] * (c1 + 1 - len(row)))
                for c in range(c0, c1 + 1):
                    row[c] = value

    def span(self, row: int, col: int) -> Range | None:
        """The merged range covering a cell, if any."""
        for rng in self.merges:
            (r0, c0), (r1, c1) = rng
            if r0 <= row <= r1 and c0 <= col <= c1:
                return rng
        return None


@dataclass
class OldWorkbook:
    path: Path
    sha256: str
    kind: str
    sheets: list[OldSheet]


def read_old(path: Path, limits: Limits = Limits()) -> OldWorkbook:  # noqa: B008
    """Every worksheet of OLD with its merged ranges; ``ReturnedFileError`` when unreadable."""
    path = Path(path)
    book = read_returned(path, limits)
    data = read_bytes(path, limits)  # the gates passed: the same bytes again, for the merges
    with map_exceptions(refuse, path=path, what="文件"):
        merges = _ods_merges(data) if book.kind == "ods" else _calamine_merges(data)
    sheets = [OldSheet(s.name, s.visible, s.rows, merges.get(s.name, [])) for s in book.sheets]
    return OldWorkbook(path, book.sha256, book.kind, sheets)


def _calamine_merges(data: bytes) -> dict[str, list[Range]]:
    wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        out: dict[str, list[Range]] = {}
        for name in wb.sheet_names:
            ranges = wb.get_sheet_by_name(name).merged_cell_ranges or []
            out[name] = [((a[0], a[1]), (b[0], b[1])) for a, b in ranges]
        return out
    finally:
        wb.close()


_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TABLE, _ROW = _NS + "table", _NS + "table-row"
_CELLS = (_NS + "table-cell", _NS + "covered-table-cell")


def _ods_merges(data: bytes) -> dict[str, list[Range]]:
    """Merged ranges of every table of an ods, from content.xml (start events only: nothing is
    expanded, and the tree is cleared as it goes)."""
    out: dict[str, list[Range]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open("content.xml") as f:
        name, row, col, repeat = "", -1, 0, 1
        for event, el in SafeET.iterparse(f, events=("start", "end")):
            if event == "end":
                if el.tag == _ROW:
                    row += repeat - 1
                    el.clear()
                continue
            if el.tag == _TABLE:
                name, row = el.get(_NS + "name", ""), -1
                out[name] = []
            elif el.tag == _ROW:
                row += 1
                col = 0
                repeat = max(1, int(el.get(_NS + "number-rows-repeated", "1")))
            elif el.tag in _CELLS:
                rows = int(el.get(_NS + "number-rows-spanned", "1"))
                cols = int(el.get(_NS + "number-columns-spanned", "1"))
                if el.tag == _CELLS[0] and (rows > 1 or cols > 1):
                    out[name].append(((row, col), (row + rows - 1, col + cols - 1)))
                col += max(1, int(el.get(_NS + "number-columns-repeated", "1")))
    return out


MAP_HEADERS = ("原表头", "台账表头")


def read_map(path: Path) -> list[tuple[int, str, str]]:
    """(row, 原表头, 台账表头) from a --map file: the first sheet (or CSV) whose row 1 holds the
    two headers. A blank 台账表头 is returned as "" (the caller decides what it means)."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"找不到对照表文件：{path}。请检查 --map 的路径。")
    rows = _map_rows(path)
    header = [clean_text(v) for v in (rows[0] if rows else [])]
    if not all(h in header for h in MAP_HEADERS):
        raise UsageError(
            f"对照表 {path.name} 第 1 行应有表头「原表头」和「台账表头」两列。"
            "可用 --preview 生成的「列对照」表改写后另存。"
        )
    old_at, new_at = (header.index(h) for h in MAP_HEADERS)
    out = []
    for number, row in enumerate(rows[1:], start=2):
        old = clean_text(row[old_at]) if old_at < len(row) else None
        new = clean_text(row[new_at]) if new_at < len(row) else None
        if old:
            out.append((number, old, new or ""))
    return out


def _map_rows(path: Path) -> list[list[object]]:
    if path.suffix.lower() == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                with open(path, newline="", encoding=encoding) as f:
                    return [list(r) for r in csv.reader(f)]
            except UnicodeDecodeError:
                continue
        raise UsageError(f"对照表 {path.name} 的编码无法识别，请另存为 UTF-8 或 Excel 文件。")
    with map_exceptions(_unreadable_map, path=path, what="对照表", unexpected=Cause.UNSUPPORTED):
        wb = calamine.CalamineWorkbook.from_path(str(path))
        try:
            return [list(r) for r in wb.get_sheet_by_index(0).to_python(skip_empty_area=False)]
        finally:
            wb.close()


def _unreadable_map(failure: Failure) -> UsageError:
    return UsageError(f"{failure.message}。--map 须是 .xlsx、.xls、.ods 或 .csv 文件。")
