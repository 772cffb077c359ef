"""The shape findings, each on a sheet built in code (the whole-ledger cases: test_validate)."""

from __future__ import annotations

import datetime as dt

import openpyxl

from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger import shape
from ledger_tools.sheets.ledger.tables import Table


def _table(spec: sc.Sheet, rows: list[list]) -> Table:
    ws = openpyxl.Workbook().active
    ws.append(spec.headers)
    for r in rows:
        ws.append(r)
    return Table(ws, spec)


def test_a_blocked_write_names_sheet_range_and_column():
    f = shape.blocked_finding(sc.ITEMS, "AB2:AB3", "alert", "台账.xlsx")
    assert (f.code, f.sheet, f.cell, f.file) == ("L315", "台账", "AB2:AB3", "台账.xlsx")
    assert "「督办预警」列的 台账 AB2:AB3 是合并单元格" in f.message and f.is_error


def test_calendar_rows_that_disagree_or_lack_a_part():
    day = dt.datetime(2026, 11, 16)
    t = _table(
        sc.CALENDAR,
        [[day, "工作日"], [day, "休息日"], [None, "休息日", "无日期"], [day, None, "无类型"]],
    )
    found = shape.calendar_findings(t, list(t.rows()), "台账.xlsx")
    assert [(f.code, f.cell) for f in found] == [("L317", "A3"), ("L317", "A4"), ("L317", "B5")]
    assert all(not f.is_error for f in found)


def test_confirmed_years_read_or_reported():
    t = _table(sc.SETTINGS, [["已确认调休年份", "2027、2028"]])
    problems: list = []
    assert shape.confirmed_years("2027、2028", t, list(t.rows()), "台账.xlsx", problems) == {
        2027,
        2028,
    }
    assert problems == []
    assert shape.confirmed_years("二七年", t, list(t.rows()), "台账.xlsx", problems) == set()
    ((f),) = problems
    assert f.code == "L312" and f.cell == "B2" and "二七年" in f.message


def test_a_merged_range_only_over_rows_that_are_no_items_is_not_reported():
    ws = openpyxl.Workbook().active
    ws.append(sc.ITEMS.headers)
    ws.append(["2026-CW12-01", None, None, None, "议定事项甲", None, None, None, "东城区"])
    ws.append(["合计"])
    ws.merge_cells("A3:AD3")
    ws.merge_cells("AB2:AB2")  # one cell: no merge at all
    t = Table(ws, sc.ITEMS)
    problems: list = []
    items, others = shape.separate_non_items(list(t.rows()), "台账.xlsx", problems)
    assert [r.number for r in items] == [2] and [(r.number, k) for r, k in others] == [
        (3, "合计行")
    ]
    assert [f.code for f in problems] == ["L316"]
    assert shape.merged_findings(t, items, "台账.xlsx") == []
    ws.merge_cells("AB2:AB3")
    t = Table(ws, sc.ITEMS)
    assert [f.cell for f in shape.merged_findings(t, items, "台账.xlsx")] == ["AB2:AB3"]
