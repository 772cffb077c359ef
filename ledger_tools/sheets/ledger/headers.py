"""What to tell staff when a sheet or header of the ledger is not where SPEC §2 puts it.

「缺少表头…」 alone sends a clerk hunting for a header that is plainly there to her eyes: she
wrote 完成时限（日期）, put a title row above the headers, or renamed 台账 to 台账2026. These
functions look at what is there and say what was found that looks like it and what to change.
They only explain: a header with extra words is never taken for the real one (that would be a
guess; only white-space differences are accepted, in ``Table``), and a renamed sheet is not read.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ledger_tools.sheets import cells
from ledger_tools.sheets.excel import column_letter
from ledger_tools.sheets.ledger.schema import Sheet
from ledger_tools.sheets.ledger.tables import Table, header_key

__all__ = ["header_problems", "look_alike_sheet"]

SCAN_ROWS = 10  # how far down a header row pushed down by a title is looked for
SIMILAR = 0.75  # difflib ratio from which a header text counts as a near miss (完成时间/完成时限)


def _row_texts(ws, row: int) -> dict[int, str]:
    """Column → text of one row, looked up without creating cells (openpyxl or calamine view)."""
    found = getattr(ws, "_cells", None)  # a chart sheet has no cells
    out: dict[int, str] = {}
    if found is None:
        return out
    for c in range(1, (ws.max_column or 1) + 1):
        cell = found.get((row, c))
        text = cells.clean_text(cell.value) if cell is not None else None
        if text:
            out[c] = text
    return out


def _matches(texts: Iterable[str], spec: Sheet) -> list[str]:
    keys = {header_key(t) for t in texts}
    return [c.header for c in spec.columns if header_key(c.header) in keys]


def _header_row_below(ws, spec: Sheet) -> tuple[int, list[str]] | None:
    """The row (2 … SCAN_ROWS) that holds most of the sheet's headers, when row 1 does not."""
    need = max(2, (len(spec.columns) + 1) // 2)
    last = min(SCAN_ROWS, ws.max_row or 1)
    for r in range(2, last + 1):
        found = _matches(_row_texts(ws, r).values(), spec)
        if len(found) >= need:
            return r, found
    return None


def _near_misses(header: str, table: Table) -> list[tuple[str, str]]:
    """(A1 cell, text) of row-1 cells no column took that look like ``header``."""
    taken = set(table.positions.values())
    key = header_key(header)
    out = []
    for column, text in table.header_cells.items():
        if column in taken:
            continue
        other = header_key(text)
        if (
            key in other
            or (len(other) >= 2 and other in key)
            or difflib.SequenceMatcher(None, key, other).ratio() >= SIMILAR
        ):
            out.append((f"{column_letter(column)}1", text))
    return out


def header_problems(table: Table, spec: Sheet) -> list[tuple[str | None, str]]:
    """(cell, message) per missing required header (or one for the sheet when its header row
    is not row 1), each saying what was found instead and what to change; the cell is the
    look-alike found, or the header row found lower down."""
    missing = [c for c in table.missing if c.required]
    if not missing:
        return []
    below = _header_row_below(table.ws, spec)
    if below is not None:
        row, found = below
        shown = "、".join(found[:6]) + ("等" if len(found) > 6 else "")
        above = "第 1 行" if row == 2 else f"第 1 至 {row - 1} 行"
        return [
            (
                f"{row}:{row}",
                f"工作表「{spec.name}」的表头须在第 1 行，但表头（{shown}）在第 {row} 行。"
                f"请删除表头上方的{above}（标题等；标题可写在页眉里），使表头位于第 1 行，然后重新运行。",
            )
        ]
    out: list[tuple[str | None, str]] = []
    loose: dict[str, list[tuple[int, str]]] = {}
    for column, text in table.header_cells.items():
        loose.setdefault(header_key(text), []).append((column, text))
    for col in missing:
        twins = loose.get(header_key(col.header), [])
        if len(twins) > 1:
            where = "、".join(f"「{t}」（{column_letter(c)}1）" for c, t in twins)
            out.append(
                (
                    f"{column_letter(twins[0][0])}1",
                    f"工作表「{spec.name}」第 1 行有 {len(twins)} 个像表头「{col.header}」的单元格：{where}，"
                    f"无法确定用哪一列。请只保留一个，并写成「{col.header}」。",
                )
            )
            continue
        near = _near_misses(col.header, table)
        if near:
            where = "、".join(f"「{t}」（{ref}）" for ref, t in near[:3])
            out.append(
                (
                    near[0][0],
                    f"工作表「{spec.name}」缺少表头「{col.header}」（第 1 行未找到）；找到相近的{where}，"
                    f"请改为「{col.header}」。",
                )
            )
        else:
            out.append(
                (
                    None,
                    f"工作表「{spec.name}」缺少表头「{col.header}」。请恢复该列表头（第 1 行）。",
                )
            )
    return out


def look_alike_sheet(wb, spec: Sheet, known: Iterable[str]) -> tuple[str, list[str]] | None:
    """A sheet not among ``known`` names that looks like ``spec`` (most of its headers in one of
    its first rows, or its name containing spec's): (its name, the headers found)."""
    known = set(known)
    best: tuple[int, str, list[str]] | None = None
    for name in wb.sheetnames:
        if name in known:
            continue
        ws = wb[name]
        found: list[str] = []
        for r in range(1, min(SCAN_ROWS, ws.max_row or 1) + 1):
            row = _matches(_row_texts(ws, r).values(), spec)
            if len(row) > len(found):
                found = row
        enough = len(found) >= max(2, (len(spec.columns) + 1) // 2)
        if enough or (spec.name in name and found):
            if best is None or len(found) > best[0]:
                best = (len(found), name, found)
    return None if best is None else (best[1], best[2])
