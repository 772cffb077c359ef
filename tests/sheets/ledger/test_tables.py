"""Columns are found by their header text wherever staff moved them; staff's columns are left
alone; a value is written only when it really changes."""

import datetime as dt

import openpyxl
import pytest

from ledger_tools.core import model as m
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.tables import DATE_FORMAT, Table, write
from ledger_tools.sheets.ledger.value_book import ValueBook
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


# --- the values view (calamine) reads a column at a time and writes plain values ----------

ODD = [
    # 议定事项, 主责单位 (list), 完成时限 (date), 办理状态 (choice), 涉密 (choice), 事项类型 (choice,
    # text alone: the one-expression path)
    ["  前后有空格  ", "甲、 乙，丙", dt.datetime(2026, 3, 5), " 办理中 ", "否", " 一般 "],
    [
        "\u3000",
        None,
        "2026年7月底",
        "不是状态",
        None,
        "不是类型",
    ],  # a full-width space, a date in words, a status and a type that are none
    [None, None, None, None, None, None],  # blank
    ["\u2029", None, None, None, None, "  "],  # only a paragraph separator: blank to the row test
    [42, 13800000000, 46000, "已办结", "是", "一般"],  # numbers where text and a serial date belong
    ["第六件", "丁", dt.datetime(2026, 3, 5, 14, 30), True, 1.5, "重点"],
    [3.25, "戊", "2026-13-40", None, "√", "\u3000一般"],
    ["合计", None, None, None, None, None],
]


ODD_FIELDS = ["matter", "lead_unit", "deadline", "status", "confidential", "kind"]


def _odd_ledger(path, rows=ODD, fields=ODD_FIELDS):
    """A 台账 whose cells hold every shape the readers distinguish, some of them unreadable:
    ``rows`` of values for ``fields`` from row 3 on, text typed as text."""
    make_ledger(path, [item()])
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    table = Table(ws, sc.ITEMS)
    for r, values in enumerate(rows, start=3):
        for f, v in zip(fields, values):
            cell = ws.cell(r, table.positions[f], v)
            if isinstance(v, str):
                cell.data_type = "s"
    wb.save(path)
    return path


def _rows(table):
    return [(r.number, r.values, r.bad) for r in table.rows()]


def test_the_column_reader_gives_exactly_what_the_row_reader_gives(tmp_path):
    path = _odd_ledger(tmp_path / "台账.xlsx")
    by_row = Table(openpyxl.load_workbook(path)["台账"], sc.ITEMS)
    by_column = Table(ValueBook(path)["台账"], sc.ITEMS)
    expected = _rows(by_row)
    assert _rows(by_column) == expected
    assert by_column.last_row() == by_row.last_row() == 10
    numbers = [n for n, _, _ in expected]
    assert 5 not in numbers and 6 not in numbers  # the blank rows, whitespace alone included
    assert any(bad for _, _, bad in expected)  # the odd cells really are unreadable


def test_a_values_view_reads_back_what_was_written_without_making_cells(tmp_path):
    """set and append on the calamine view keep plain values; a later read (rows, a cell, the
    last row) sees them exactly as the openpyxl worksheet does after the same writes."""
    path = _odd_ledger(tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(path)
    tables = [Table(wb["台账"], sc.ITEMS), Table(ValueBook(path)["台账"], sc.ITEMS)]
    for table in tables:
        list(table.rows())
        assert table.set(3, "matter", "改过的事项")
        assert not table.set(3, "deadline", dt.date(2026, 3, 5))  # the same date: no write
        assert table.set(4, "status", m.Status.DONE)
        assert table.append({"matter": "新的一件", "deadline": dt.date(2026, 12, 1)}) == 11
    view = tables[1].ws
    # no cell object was made for any of those writes (only the header row's, when read)
    assert all(r == 1 for r, _ in view._cells._made)
    assert view.value_now(3, tables[1].positions["matter"]) == "改过的事项"
    assert view.cell(11, tables[1].positions["matter"]).value == "新的一件"
    assert view.max_row == 11
    fresh = [Table(tables[0].ws, sc.ITEMS), Table(view, sc.ITEMS)]
    assert _rows(fresh[1]) == _rows(fresh[0])
    assert tables[0].changes is None


def test_setting_a_column_at_once_writes_and_records_what_setting_cell_by_cell_does(tmp_path):
    """``set_column`` (refresh's tool columns) against ``set`` in turn over the odd cells, the
    same values met again, a row written since it was read and rows past the end: the same
    cells, the same count and the same recorded writes."""
    from ledger_tools.sheets.ledger.changes import SheetChanges

    path = _odd_ledger(tmp_path / "台账.xlsx")
    rows = [*range(2, 13), 3, 4, 20]
    cases = {
        "status": [m.Status.DONE, m.Status.IN_PROGRESS, None, m.Status.DONE, "办理中"],
        "matter": ["前后有空格", "第六件", "42", None, "改过的"],
        "deadline": [dt.date(2026, 3, 5), None, dt.datetime(2026, 3, 5), dt.date(2026, 1, 1)],
        "confidential": [True, False, None, "是"],
        "extensions": [0, 1, 46000, None, 1.5],
    }

    def written(f, column, at_once):
        changes = SheetChanges()
        table = Table(ValueBook(path)["台账"], sc.ITEMS, changes)
        table.set(4, f, "先写过的")  # a row written since it was read
        table.set(5, "leader", "别的列")  # and one written in another column only
        if at_once:
            count = table.set_column(f, rows[:-3], column[:-3])
            count += table.set_column(f, rows[-3:], column[-3:])
        else:
            count = sum(table.set(r, f, v) for r, v in zip(rows, column))
        p = table.positions[f]
        return count, [table.ws.value_now(r, p) for r in range(1, 21)], changes

    for f, values in cases.items():
        column = [values[i % len(values)] for i in range(len(rows))]
        assert written(f, column, True) == written(f, column, False), f


def test_appending_rows_at_once_writes_and_records_what_appending_one_by_one_does(tmp_path):
    """``append_rows`` (a merge's log rows) against ``append`` in turn, on both views: the same
    cells, the same recorded writes, the same merged cell left alone."""
    from ledger_tools.sheets.ledger.changes import SheetChanges

    path = _odd_ledger(tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    matter = Table(ws, sc.ITEMS).positions["matter"]
    ws.merge_cells(start_row=12, start_column=matter, end_row=13, end_column=matter)
    wb.save(path)
    rows = [
        {"matter": "新的一件", "deadline": dt.date(2026, 12, 1), "co_units": ["甲", "乙"]},
        {},  # a row with nothing of ours still takes its number
        {"matter": "合并单元格里", "status": m.Status.DONE, "confidential": True, "nope": 1},
        {"matter": None, "deadline": dt.datetime(2026, 12, 2, 9, 30), "kind": "一般"},
    ]

    def appended(view, at_once):
        changes = SheetChanges()
        table = Table(view, sc.ITEMS, changes)
        blocked = []
        table.on_blocked = lambda ref, field: blocked.append((ref, field))
        changes.put(11, 1, "已写过", None, 2)  # a write already in the first appended row
        if at_once:
            last = table.append_rows(iter(rows))
        else:
            last = [table.append(r) for r in rows][-1]
        cells = {(r, c): table.ws.cell(r, c).value for r in range(11, 15) for c in range(1, 20)}
        return last, table.last_row(), changes, cells, blocked

    for load in (lambda: openpyxl.load_workbook(path)["台账"], lambda: ValueBook(path)["台账"]):
        at_once = appended(load(), at_once=True)
        assert at_once == appended(load(), at_once=False)
        last, _, changes, _, blocked = at_once
        merged = f"{ws.cell(12, matter).coordinate}:{ws.cell(13, matter).coordinate}"
        assert last == 14 and changes.appended_after == 10 and blocked == [(merged, "matter")]
        assert changes.cells[11][1].style_like == 2 and 12 not in changes.cells
    table = Table(ValueBook(path)["台账"], sc.ITEMS)
    assert table.append_rows([]) == table.last_row() == 10


def test_repeated_values_are_converted_once_and_read_as_each_cell_alone_would(tmp_path):
    """A column of plain kinds is converted once per distinct value (``_convert``): the rows
    are the openpyxl reader's, a bad value is reported in every row that holds it, a value
    written since reads as written, and a list is never one object shared by two rows."""
    repeated = [
        ("同一件事", "甲、乙", dt.datetime(2026, 3, 5), "办理中", 2.0),
        ("同一件事", "甲、乙", "不是日期", "不是状态", 2.0),
        (" 同一件事 ", "甲、乙", dt.datetime(2026, 3, 5), "办理中", "两次"),
        ("同一件事", "甲、乙", "不是日期", "不是状态", 2.0),
    ]
    fields = ["matter", "co_units", "deadline", "status", "extensions"]
    path = _odd_ledger(tmp_path / "台账.xlsx", repeated, fields)
    by_row = Table(openpyxl.load_workbook(path)["台账"], sc.ITEMS)
    view = ValueBook(path)["台账"]
    by_column = Table(view, sc.ITEMS)
    assert _rows(by_column) == _rows(by_row)
    rows = list(by_column.rows())
    assert rows[3].values["co_units"] == rows[4].values["co_units"] == ["甲", "乙"]
    assert rows[3].values["co_units"] is not rows[4].values["co_units"]
    bad = [sorted(r.bad) for r in rows[1:]]
    assert bad == [[], ["deadline", "status"], ["extensions"], ["deadline", "status"]]
    view.put(4, by_column.positions["status"], "已办结")  # a bad cell written over
    view.put(5, by_column.positions["deadline"], dt.date(2026, 4, 1))
    again = list(Table(view, sc.ITEMS).rows())
    assert again[2].values["status"] is m.Status.DONE and "status" not in again[2].bad
    assert again[3].values["deadline"] == dt.date(2026, 4, 1) and "deadline" not in again[3].bad
    assert again[4].bad.keys() == {"deadline", "status"}
