"""The table kit of the printed workbooks: text stays text, heights fit, print setup holds."""

from __future__ import annotations

import datetime as dt

import openpyxl

from ledger_tools.sheets.documents.tables import (
    Col,
    Formats,
    ListSheet,
    Tone,
    flag,
    lines_needed,
    new_workbook,
    titled_sheet,
    write_table,
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


def _parts(path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_list_sheets_write_the_file_xlsxwriter_writes_cell_by_cell(tmp_path):
    """The row-at-once sheet (``ListSheet``) against XlsxWriter's own worksheet, given the same
    tables: every part of the package byte for byte, odd values included."""
    from xlsxwriter.worksheet import Worksheet

    cols = (
        Col("事项", 20),
        Col("时限", 11, "date"),
        Col("件数", 6, "num"),
        Col("名称", 12, "name"),
        Col("得分", 8, "points"),
    )
    rows = [
        ["=SUM(A1)", dt.date(2026, 12, 31), flag(2, "red"), '甲<&>"乙"', 1.5],
        ["", None, flag(0, "red"), True, -0.25],
        ["长" * 20000, dt.date(1900, 2, 28), 3.0, False, float("inf")],
        [" 前后空格 ", dt.datetime(2026, 1, 2, 13, 30), Tone(7, "amber"), None, 10**20],
        ["第一行\n第二行", dt.date(1900, 1, 1), Tone(None, "green"), "\x07控制", 1e-7],
        ["短行", dt.date(1900, 3, 1)],
    ]

    def build(path, worksheet_class):
        wb = new_workbook(path)
        wb.worksheet_class = worksheet_class
        wb.nan_inf_to_errors = True
        fm = Formats(wb)
        ws = titled_sheet(wb, fm, "清单", "标题", "副标题", cols, rows, total=["合计", None, 2])
        write_table(ws, fm, 20, cols[:3], rows[:2], left=4, widths=False)
        # A second table beside rows already put, and a cell written over a put one.
        write_table(ws, fm, 2, cols[2:4], [[1, "右"], [2, "右二"]], left=6, widths=False)
        ws.write_string(8, 2, "后写", fm.cell("name"))
        # A chart's cached values come from the put rows.
        chart = wb.add_chart({"type": "column"})
        chart.add_series({"categories": ["清单", 3, 3, 8, 3], "values": ["清单", 3, 4, 8, 4]})
        ws.insert_chart(12, 0, chart)
        big = wb.add_worksheet("多行")  # more than 16 rows: the row spans by blocks
        write_table(big, fm, 0, cols[2:], [[n, f"名{n % 7}", n / 8] for n in range(40)])
        write_table(big, fm, 30, cols[:2], [["左", dt.date(2026, 1, n)] for n in range(1, 5)])
        titled_sheet(wb, fm, "空表", "标题", "副标题", cols, [])
        wb.close()
        return path

    fast = _parts(build(tmp_path / "fast.xlsx", ListSheet))
    stock = _parts(build(tmp_path / "stock.xlsx", Worksheet))
    assert fast.keys() == stock.keys()
    for name in stock:
        assert fast[name] == stock[name], name
    ws = openpyxl.load_workbook(tmp_path / "fast.xlsx")["清单"]
    assert ws["B4"].value == dt.datetime(2026, 12, 31) and ws["D5"].value == "是"
    assert ws["A6"].value == "长" * 20000 and ws["E6"].value == "=1/0"


def test_a_workbook_is_zipped_at_the_lighter_level_and_xlsxwriter_left_as_it_was(tmp_path):
    import zipfile
    import zlib

    import xlsxwriter.workbook

    from ledger_tools.sheets.documents import tables

    path = tmp_path / "表.xlsx"
    wb = new_workbook(path)
    cols = (Col("事项", 20), Col("件数", 6, "num"))
    titled_sheet(
        wb, Formats(wb), "清单", "标题", "副标题", cols, [["甲" * 50, n] for n in range(300)]
    )
    wb.close()
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        data = z.read(info)
    lighter = zlib.compressobj(tables.ZIP_LEVEL, zlib.DEFLATED, -15)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    assert info.compress_size == len(lighter.compress(data) + lighter.flush())
    assert openpyxl.load_workbook(path)["清单"]["B5"].value == 1
