"""The briefing's item lists, read back as a clerk sees them: 分科室 first."""

from __future__ import annotations

import datetime as dt

import openpyxl

from ledger_tools.core import briefing
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.model import Alert, Item, ItemKind, Settings, SourceType, Status
from ledger_tools.sheets.documents import briefing_lists as lists
from ledger_tools.sheets.documents.tables import Formats, new_workbook

AS_OF = dt.date(2026, 11, 30)


def _item(n: int, **over) -> Item:
    base = dict(
        id=f"2026-CW12-{n:02d}",
        source_type=SourceType.EXECUTIVE,
        matter=f"第{n}项工作",
        kind=ItemKind.REGULAR,
        lead_unit="东城区人民政府",
        status=Status.IN_PROGRESS,
        alert=Alert.NORMAL,
        current_deadline=dt.date(2026, 12, 31),
    )
    base.update(over)
    return Item(**base)


def _sheet(tmp_path, items, **kw):
    b = briefing.compute(
        month="2026-11",
        as_of=AS_OF,
        items=items,
        reports=(),
        extensions=(),
        reminders=(),
        settings=Settings(),
        cal=WorkCalendar(),
        **kw,
    )
    path = tmp_path / "通报.xlsx"
    wb = new_workbook(path)
    lists.sections_sheet(wb, Formats(wb), b)
    wb.close()
    ws = openpyxl.load_workbook(path)["分科室"]
    return ws, [r for r in ws.iter_rows(min_row=4, values_only=True)]


def test_sections_sheet_lists_each_sections_items_with_status_and_warning(tmp_path):
    items = [
        _item(1, section="综合一科", alert=Alert.OVERDUE, current_deadline=dt.date(2026, 11, 10)),
        _item(2, section=None),
        _item(3, section="综合一科", confidential=True, matter="绝密甲"),
    ]
    ws, rows = _sheet(tmp_path, items)
    assert [c.value for c in ws[3]] == [
        "承办科室", "序号", "事项编号", "议定事项", "主责单位", "办理状态", "督办预警", "当前时限",
    ]  # fmt: skip
    assert rows == [
        ("综合一科", 1, "2026-CW12-01", "第1项工作", "东城区人民政府", "办理中", "逾期",
         dt.datetime(2026, 11, 10)),
        ("综合一科", 2, "2026-CW12-03", "涉密事项", "东城区人民政府", "办理中", "正常",
         dt.datetime(2026, 12, 31)),
        ("（未填写承办科室）", 1, "2026-CW12-02", "第2项工作", "东城区人民政府", "办理中", "正常",
         dt.datetime(2026, 12, 31)),
    ]  # fmt: skip
    assert "综合一科 2 件" in ws["A2"].value
    assert ws.print_title_rows == "$3:$3" and ws.page_setup.orientation == "landscape"


def test_confidential_matter_shown_when_included(tmp_path):
    _ws, rows = _sheet(
        tmp_path, [_item(1, section="综合一科", confidential=True, matter="绝密甲")],
        include_confidential=True,
    )  # fmt: skip
    assert rows[0][3] == "绝密甲"
