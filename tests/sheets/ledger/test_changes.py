"""The record of a command's writes, and its replay on openpyxl for the fallback."""

from __future__ import annotations

import datetime as dt

import openpyxl

from ledger_tools.sheets.ledger.changes import Changes, replay


def test_a_later_write_keeps_the_format_an_earlier_one_gave_and_replay_makes_them_all():
    changes = Changes()
    sheet = changes.sheet("台账")
    assert not changes
    sheet.put(2, 3, dt.date(2026, 11, 20), "yyyy-mm-dd")
    sheet.put(2, 3, "=1+1")  # text, never a formula; the cell keeps its date format
    sheet.put(1, 5, "表格生成时间", style_like=4)
    sheet.widths[5] = 20
    sheet.appending_after(7)
    sheet.appending_after(9)
    assert changes and sheet.appended_after == 7 and (sheet.last_row, sheet.last_column) == (2, 5)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws["D1"].font = openpyxl.styles.Font(bold=True)
    replay(changes, wb)
    assert ws["C2"].value == "=1+1" and ws["C2"].data_type == "s"
    assert ws["C2"].number_format == "yyyy-mm-dd"
    assert ws["E1"].font.bold and ws.column_dimensions["E"].width == 20
