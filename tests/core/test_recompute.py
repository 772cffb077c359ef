"""core.recompute: what refresh changes, as plain data, for a list of items."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from ledger_tools.core import recompute as rc
from ledger_tools.core import rules
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.model import (
    Alert,
    Approval,
    Extension,
    Item,
    ItemKind,
    Reminder,
    Report,
    ReportFlag,
    Settings,
    SourceType,
    Status,
)

D = dt.date
AS_OF = D(2026, 11, 20)
SET = Settings()


def make_item(**over) -> Item:
    base = dict(
        id="2026-CW12-01",
        source_type=SourceType.EXECUTIVE,
        source_name="市人民政府2026年第12次常务会议",
        issued=D(2026, 9, 18),
        kind=ItemKind.REGULAR,
        deadline=D(2026, 12, 31),
        assigned=D(2026, 9, 22),
        status=Status.IN_PROGRESS,
        row=2,
    )
    base.update(over)
    return Item(**base)


def run(items, extensions=(), reports=(), reminders=(), as_of=AS_OF, cal=None):
    return rc.recompute(items, extensions, reports, reminders, SET, cal or WorkCalendar(), as_of)


APPROVED = Extension(
    item_id="2026-CW12-01",
    result=Approval.APPROVED,
    approved_on=D(2026, 11, 5),
    granted_to=D(2027, 1, 31),
)


@pytest.mark.parametrize(
    ("item", "extensions", "reports", "reminders", "expected"),
    [
        pytest.param(
            make_item(deadline=D(2026, 11, 10)),
            [],
            [],
            [],
            dict(status=Status.IN_PROGRESS, alert=Alert.OVERDUE, workdays_left=-8, extensions=0),
            id="overdue",
        ),
        pytest.param(
            make_item(deadline=D(2026, 11, 24)),
            [],
            [],
            [],
            dict(alert=Alert.DUE_SOON, workdays_left=2, current_deadline=D(2026, 11, 24)),
            id="due-soon",
        ),
        pytest.param(
            make_item(deadline=D(2026, 11, 10), status=Status.EXTENSION_REQUESTED),
            [APPROVED],
            [],
            [],
            dict(
                status=Status.IN_PROGRESS,
                current_deadline=D(2027, 1, 31),
                extensions=1,
                alert=Alert.NORMAL,
            ),
            id="approved-extension",
        ),
        pytest.param(
            make_item(),
            [],
            [Report(item_id="2026-CW12-01", period="2026-11", recorded=D(2026, 11, 18))],
            [Reminder(item_id="2026-CW12-01", date=D(2026, 11, 1))] * 2,
            dict(period_flag=ReportFlag.REPORTED, reminders=2, alert=Alert.NORMAL),
            id="reported-and-chased",
        ),
        pytest.param(
            make_item(),
            [],
            [Report(item_id="2026-CW12-09", period="2026-11", recorded=D(2026, 11, 18))],
            [Reminder(item_id="2026-CW12-09", date=D(2026, 11, 1))],
            dict(period_flag=ReportFlag.MISSING, reminders=0),
            id="other-items-records-do-not-count",
        ),
        pytest.param(
            make_item(status=Status.CLOSED, closed_date=D(2026, 11, 2)),
            [],
            [],
            [],
            dict(status=Status.CLOSED, alert=Alert.CLOSED, workdays_left=None),
            id="closed",
        ),
    ],
)
def test_computed_fields(item, extensions, reports, reminders, expected):
    result = run([item], extensions, reports, reminders)
    assert result.ids == {}
    values = result.values(0)
    assert set(values) == set(rc.COMPUTED_FIELDS)
    assert {k: values[k] for k in expected} == expected
    own = [[r for r in rs if r.item_id == item.id] for rs in (extensions, reports, reminders)]
    assert result.computed[0] == rules.recompute(item, *own, AS_OF, WorkCalendar(), SET)


@pytest.mark.parametrize(
    ("items", "ids", "computed"),
    [
        pytest.param(
            [make_item(), make_item(id=None), make_item(id=None)],
            {1: "2026-CW12-02", 2: "2026-CW12-03"},
            [0, 1, 2],
            id="numbered-after-the-highest",
        ),
        pytest.param(
            [make_item(id=None, source_type=None), make_item(id="2026-CW12-05")],
            {},
            [1],
            id="no-source-type-no-id-not-computed",
        ),
        pytest.param(
            [
                make_item(id=None, source_type=SourceType.INSTRUCTION, source_name="市长批示"),
                make_item(id="2026-CW12-01"),
                make_item(id="2026-CW12-01"),  # repeated ids: each row on its own
            ],
            {0: "2026-PS00-01"},
            [0, 1, 2],
            id="instruction-and-repeated-ids",
        ),
        pytest.param([], {}, [], id="empty"),
    ],
)
def test_ids_and_which_items_are_computed(items, ids, computed):
    result = run(items)
    assert result.ids == ids and list(result.computed) == computed


def test_a_new_id_counts_its_own_extension_rows():
    """The rules match 延期记录 to an item by id: a new row is recomputed under its new id."""
    items = [make_item(), make_item(id=None, deadline=D(2026, 11, 10))]
    ext = Extension(
        item_id="2026-CW12-02",
        result=Approval.APPROVED,
        approved_on=D(2026, 11, 5),
        granted_to=D(2027, 3, 31),
    )
    result = run(items, [ext])
    assert result.ids == {1: "2026-CW12-02"}
    assert result.computed[1].current_deadline == D(2027, 3, 31)
    assert result.computed[1].extensions == 1


def test_the_items_given_are_left_alone():
    items = [make_item(deadline=D(2026, 11, 10), status=None), make_item(id=None)]
    before = copy.deepcopy(items)
    run(items, [APPROVED])
    assert items == before


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        pytest.param(D(2026, 11, 20), [], id="known-year"),
        pytest.param(D(2031, 3, 2), [2031], id="unknown-year"),
    ],
)
def test_unconfirmed_years(as_of, expected):
    item = make_item(deadline=dt.date(as_of.year, 12, 31), assigned=as_of - dt.timedelta(days=40))
    assert run([item], as_of=as_of).unconfirmed_years == expected


def test_by_item_skips_records_without_id():
    records = [
        Reminder(item_id="A"),
        Reminder(item_id=None),
        Reminder(item_id=""),
        Reminder(item_id="A"),
    ]
    assert {k: len(v) for k, v in rc.by_item(records).items()} == {"A": 2}
