"""The table kit of the printed workbooks: text stays text, heights fit, print setup holds."""

from __future__ import annotations

import datetime as dt

import openpyxl

from ledger_tools.sheets.documents.tables import (
    Col,
    Formats,
    Tone,
    flag,
    lines_needed,
    new_workbook,
    titled_sheet,
)


def test_lines_needed_counts_cjk_twice():
    assert lines_needed("甲" * 10, 21.5) == 1
    assert lines_needed("甲" * 11, 21.5) == 2
    assert lines_needed("a" * 20 + "\n" + "b", 21.5) == 2


def test_a_titled_sheet_writes_text_as_text_dates_as_dates_and_prints_on_a4(tmp_path):
    path = tmp_path / "表.xlsx"
    wb = new_workbook(path)
    cols = (Col("事项", 20), Col("时限", 11, "date"), Col("件数", 6, "num"))
    rows = [["=SUM(A1)", dt.date(2026, 12, 31), flag(2, "red")], ["", None, flag(0, "red")]]
    titled_sheet(wb, Formats(wb), "清单", "标题", "副标题", cols, rows, total=["合计", None, 2])
    wb.close()
    ws = openpyxl.load_workbook(path)["清单"]
    assert ws["A4"].value == "=SUM(A1)" and ws["A4"].data_type == "s"
    assert ws["B4"].value == dt.datetime(2026, 12, 31)
    assert ws["C4"].fill.fill_type == "solid"  # a count that needs attention is coloured
    assert ws["C5"].fill.fill_type is None  # a zero is not flagged
    assert ws["A6"].value == "合计" and ws["A6"].font.b
    assert ws.print_title_rows == "$3:$3" and ws.page_setup.paperSize == 9
    assert ws.auto_filter.ref == "A3:C6"


def test_tone_keeps_value_and_colour():
    assert Tone(3, "red").value == 3 and flag(0, "red").tone is None
