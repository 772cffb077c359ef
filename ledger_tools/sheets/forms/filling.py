"""Typing into a generated feedback form the way a unit's clerk does, for the demo and benchmarks.

A unit opens the form in Excel, types into the unlocked cells and saves; openpyxl does the
same here (it writes through sheet protection, as Excel does for unlocked cells). Cells are
found by header text, exactly as a person finds them, so this also exercises the reader's
tolerance for whatever the writer's layout is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl

from ledger_tools.sheets.forms import layout as fl

__all__ = ["FormRowView", "OpenForm"]


@dataclass
class FormRowView:
    """One item row as the clerk sees it: the worksheet row and every column's shown value."""

    row: int
    item_id: str
    shown: dict[str, object]  # header (without *) → value


class OpenForm:
    """A feedback form opened for typing; ``save`` writes the unit's copy."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.wb = openpyxl.load_workbook(self.path)
        self.ws = self.wb[fl.SHEET_FORM]
        self.header_row, self.cols = self._find_header()
        self.rows = self._item_rows()

    def _find_header(self) -> tuple[int, dict[str, int]]:
        for row in self.ws.iter_rows(max_row=30):
            cols = {fl.header_key(c.value): c.column for c in row if isinstance(c.value, str)}
            if "事项编号" in cols and "本期进展情况" in cols:
                return row[0].row, cols
        raise ValueError(f"{self.path.name}：找不到反馈表表头")

    def _item_rows(self) -> list[FormRowView]:
        out = []
        id_col = self.cols["事项编号"]
        for r in range(self.header_row + 1, self.ws.max_row + 1):
            item_id = self.ws.cell(r, id_col).value
            if not item_id:
                break
            shown = {h: self.ws.cell(r, c).value for h, c in self.cols.items()}
            out.append(FormRowView(r, str(item_id), shown))
        return out

    def put(self, row: FormRowView, header: str, value: object) -> str:
        """Type ``value`` into ``header`` of ``row``; the cell's A1 reference."""
        cell = self.ws.cell(row.row, self.cols[header])
        cell.value = value
        return cell.coordinate

    def put_label(self, label: str, value: object, *, only_if_blank: bool = True) -> None:
        """Type into the cell right of a header-block label such as 联系人."""
        for row in self.ws.iter_rows(max_row=self.header_row - 1):
            for c in row:
                if fl.header_key(c.value) == label:
                    target = self.ws.cell(c.row, c.column + 1)
                    if not (only_if_blank and target.value):
                        target.value = value
                    return

    def save(self, dest: Path) -> Path:
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        self.wb.save(dest)
        return dest
