"""The one rule for rows of 台账 that are not items: it recognises what staff add and fails closed."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger_tools.core import model as m
from ledger_tools.sheets.ledger import non_items
from ledger_tools.sheets.ledger.tables import Row


def row(bad=None, **values) -> Row:
    return Row(9, values, dict(bad or {}))


@pytest.mark.parametrize(
    "r",
    [
        row(id="合计", workdays_left=12),
        row(source_name="合  计", extensions=3),
        row(matter="总计：", reminders=7),
        row(id="小计（12项）"),
        row(matter="合计", lead_unit="12"),  # a count where the unit would be
        row(id="合计", matter="共 108 项"),  # the count where the matter would be
        row(source_name="合计", matter="共计108个事项", lead_unit="12个"),
    ],
)
def test_totals_rows(r):
    assert non_items.kind_of(r) == non_items.TOTALS


@pytest.mark.parametrize(
    "r",
    [
        row(
            {"source_type": "来源类型", "issued": "印发日期"},
            id="事项编号",
            matter="议定事项",
            lead_unit="主责单位",
        ),
        row(id="事项编号", source_name="来源名称"),
        row(matter="议定\n事项", lead_unit=" 主责单位 "),  # wrapped and padded, as copied
    ],
)
def test_repeated_header_rows(r):
    assert non_items.kind_of(r) == non_items.HEADER


@pytest.mark.parametrize(
    "r",
    [
        row(kind=m.ItemKind.REGULAR, confidential=m.YesNo.NO),  # drop-downs filled down
        row(
            status=m.Status.PENDING_ASSIGNMENT,
            workdays_left=0,
            period_flag=m.ReportFlag.NOT_REQUIRED,
        ),
    ],
)
def test_rows_with_nothing_but_drop_downs_or_tool_values(r):
    assert non_items.kind_of(r) == non_items.BLANK


@pytest.mark.parametrize(
    "r",
    [
        # a real 议定事项 or 主责单位 always makes an item, whatever else the row holds
        row(id="合计", matter="加快推进老旧小区改造", lead_unit="东城区人民政府"),
        row(id="事项编号", source_name="来源名称", matter="加快推进老旧小区改造"),
        row(source_name="合计", lead_unit="东城区人民政府"),
        row(note="合计", matter="加快推进老旧小区改造"),
        # anything a clerk typed besides the drop-downs: an item, reported if incomplete (L304)
        row(deadline=dt.date(2026, 12, 31), confidential=m.YesNo.YES),
        row(id="2026-CW12-01"),
        row(source_name="市人民政府2026年第12次常务会议"),
        row(co_units=["市财政局"]),
        row({"issued": "2026-13-45"}),
        row(note="待补充"),
        # a count with no totals word beside it says nothing: the row stays an item
        row(matter="共 108 项"),
        row(matter="共 108 项", deadline=dt.date(2026, 12, 31)),
        row(id="合计", matter="共 108 项，其中已办结 30 项"),
    ],
)
def test_anything_that_may_be_an_item_stays_an_item(r):
    assert non_items.kind_of(r) is None


def test_the_evidence_names_the_cells_that_decided():
    r = row(id="合计", workdays_left=12)
    assert non_items.evidence(r, non_items.TOTALS) == {"id": "合计"}
    r = row(id="事项编号", matter="议定事项", kind=m.ItemKind.REGULAR)
    assert non_items.evidence(r, non_items.HEADER) == {"id": "事项编号", "matter": "议定事项"}
