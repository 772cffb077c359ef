"""Columns are found by their header text wherever staff moved them; staff's columns are left
alone; a value is written only when it really changes."""

import datetime as dt

import openpyxl
import pytest

from ledger_tools.core import model as m
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.tables import DATE_FORMAT, Table, write
from tests.builders import item, make_ledger


@pytest.fixture
def reordered(tmp_path):
    """A ledger in which staff moved 完成时限 to the front, inserted their own column and put
    办理状态 last."""
    path = make_ledger(tmp_path / "台账.xlsx", [item(办理状态="办理中"), item(议定事项="第二件")])
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    header = [c.value for c in ws[1] if c.value]
    order = ["完成时限", "我的备忘"] + [h for h in header if h not in ("完成时限", "办理状态")]
    order.append("办理状态")
    rows = [{h: c.value for h, c in zip(header, row)} for row in ws.iter_rows(min_row=2)]
    wb.remove(ws)
    ws = wb.create_sheet("台账", 1)
    ws.append(order)
    for r in rows:
        ws.append([r.get(h, "员工自己的内容" if h == "我的备忘" else None) for h in order])
    wb.save(path)
    return path


def test_columns_are_found_by_header_after_staff_reorder_them(reordered):
    ws = openpyxl.load_workbook(reordered)["台账"]
    table = Table(ws, sc.ITEMS)
    assert table.positions["deadline"] == 1 and table.positions["status"] == ws.max_column
    assert table.missing == []
    rows = list(table.rows())
    assert [r.number for r in rows] == [2, 3]
    first = rows[0]
    assert first.get("deadline") == dt.date(2026, 12, 31)
    assert first.get("status") is m.Status.IN_PROGRESS
    assert first.get("lead_unit") == "东城区人民政府"
    assert rows[1].get("matter") == "第二件"
    assert "我的备忘" not in first.values.values()
    assert table.ref(2, "deadline") == "A2"


def test_set_writes_only_a_real_change_and_never_staff_columns(reordered):
    wb = openpyxl.load_workbook(reordered)
    ws = wb["台账"]
    table = Table(ws, sc.ITEMS)
    assert not table.set(2, "deadline", dt.date(2026, 12, 31))  # same date: nothing written
    assert not table.set(2, "status", m.Status.IN_PROGRESS)
    assert table.set(2, "deadline", dt.date(2027, 1, 15))
    assert ws.cell(2, 1).value == dt.date(2027, 1, 15)
    assert ws.cell(2, 1).number_format == DATE_FORMAT
    assert ws.cell(2, 2).value == "员工自己的内容"


def test_a_bad_cell_is_kept_as_raw_text_not_guessed(tmp_path):
    path = make_ledger(tmp_path / "台账.xlsx", [item(完成时限="年底前后", 事项类型="很急")])
    table = Table(openpyxl.load_workbook(path)["台账"], sc.ITEMS)
    (row,) = table.rows()
    assert row.get("deadline") is None and row.bad["deadline"] == "年底前后"
    assert row.bad["kind"] == "很急"


def test_a_missing_header_is_listed(tmp_path):
    path = make_ledger(tmp_path / "台账.xlsx", [item()])
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    for cell in ws[1]:
        if cell.value == "责任领导":
            cell.value = "领导"
    table = Table(ws, sc.ITEMS)
    assert [c.header for c in table.missing] == ["责任领导"]
    assert not table.set(2, "leader", "张副市长")  # nowhere to write it


def test_append_goes_after_the_last_row_with_data_and_text_stays_text(tmp_path):
    path = make_ledger(tmp_path / "台账.xlsx", [item()])
    ws = openpyxl.load_workbook(path)["台账"]
    table = Table(ws, sc.ITEMS)
    row = table.append({"matter": '=HYPERLINK("x")', "co_units": ["甲", "乙"], "deadline": None})
    assert row == 3
    assert ws.cell(3, table.positions["matter"]).data_type == "s"
    assert ws.cell(3, table.positions["co_units"]).value == "甲、乙"


def test_add_column_gives_an_older_sheet_a_tool_column_after_staffs(tmp_path):
    path = make_ledger(tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["导入记录"]
    for cell in ws[1]:
        if cell.value == "表格生成时间":
            cell.value = None
    ws.cell(1, ws.max_column + 1, "员工列")
    table = Table(ws, sc.IMPORTS)
    assert [c.field for c in table.missing] == ["form_made"]
    table.add_column("form_made")
    assert ws.cell(1, table.positions["form_made"]).value == "表格生成时间"
    assert ws.cell(1, table.positions["form_made"] - 1).value == "员工列"


def test_write_keeps_an_error_code_as_text():
    cell = openpyxl.Workbook().active["A1"]
    write(cell, "#N/A")
    assert cell.value == "#N/A" and cell.data_type == "s"
