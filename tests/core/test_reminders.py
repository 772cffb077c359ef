"""The pure decisions behind reminders (催办): which items, in what order, what they say."""

import datetime as dt

from ledger_tools.core import reminders as cn
from ledger_tools.core.model import Alert, Item, ItemKind, ReportFlag, Settings, SourceType, Status

S = Settings()
UNITS = {"东城区": "东城区人民政府", "西山县": "西山县人民政府"}


def unit_of(name):
    return UNITS.get(name, name)


def it(**kw) -> Item:
    base = dict(
        id="2026-CW12-01",
        source_type=SourceType.EXECUTIVE,
        source_name="市人民政府2026年第12次常务会议",
        issued=dt.date(2026, 9, 18),
        matter="加快推进老旧小区改造",
        requirement="年底前完成",
        leader="张副市长",
        lead_unit="东城区人民政府",
        kind=ItemKind.REGULAR,
        deadline=dt.date(2026, 12, 31),
        status=Status.PENDING_ASSIGNMENT,
    )
    base.update(kw)
    return Item(**base)


def open_item(id_, alert, **kw):
    return it(id=id_, status=Status.IN_PROGRESS, assigned=dt.date(2026, 9, 22), alert=alert, **kw)


def test_reminders_pick_overdue_missing_and_due_soon_per_unit_most_urgent_first():
    items = [
        open_item("A", Alert.DUE_SOON, workdays_left=2),
        open_item("B", Alert.OVERDUE, workdays_left=-3, lead_unit="西山县"),
        open_item("C", Alert.REPORT_MISSING, period_flag=ReportFlag.MISSING),
        open_item("D", Alert.NORMAL),
        open_item("E", Alert.OVERDUE, workdays_left=-8),
        it(
            id="F", status=Status.PENDING_ASSIGNMENT, alert=Alert.ASSIGNMENT_LATE
        ),  # the office's own delay
        it(id="G", status=Status.DONE, alert=Alert.DONE_LATE),
    ]
    plan = cn.plan_reminders(
        items, unit_of=unit_of, unit_order=["东城区人民政府", "西山县人民政府"]
    )
    assert [(r.unit, [i.id for i in r.items]) for r in plan] == [
        ("东城区人民政府", ["E", "C", "A"]),
        ("西山县人民政府", ["B"]),
    ]


def test_reminder_content_names_alert_and_deadline():
    overdue = open_item(
        "A", Alert.OVERDUE, workdays_left=-8, current_deadline=dt.date(2026, 11, 10)
    )
    assert (
        cn.reminder_content(overdue, dt.date(2026, 11, 20), S)
        == "督办预警：逾期；当前时限 2026-11-10，已逾期 8 个工作日"
    )
    missing = open_item(
        "B", Alert.REPORT_MISSING, workdays_left=20, current_deadline=dt.date(2026, 12, 31)
    )
    text = cn.reminder_content(missing, dt.date(2026, 11, 26), S)
    assert "未按时报送" in text and "2026-11 期办理情况应于 2026-11-25 前报送" in text


def test_reminder_context_counts_this_reminder_once():
    rn = cn.ReminderNotice(
        "东城区人民政府", [open_item("A", Alert.OVERDUE, workdays_left=-1, reminders=2)]
    )
    assert (
        cn.reminder_context(rn, dt.date(2026, 11, 20), S)["items"][0]["reminders"]
        == "3次（含本次）"
    )
    again = cn.reminder_context(rn, dt.date(2026, 11, 20), S, counted={"A"})
    assert again["items"][0]["reminders"] == "2次（含本次）"
    assert "逾期未办结1项" in again["intro"]


def test_an_item_whose_deadline_cannot_be_read_is_chased_like_an_overdue_one():
    """SPEC §3 Fail closed: 时限不明 may hide a deadline long past; it is chased first, and the
    notice says the deadline cannot be read rather than 「完成时限未填写」 or a date."""
    items = [
        open_item("A", Alert.OVERDUE, workdays_left=-8),
        open_item("B", Alert.DEADLINE_UNCLEAR, deadline=None, deadline_unreadable=True),
    ]
    plan = cn.plan_reminders(items, unit_of=unit_of)
    assert [[i.id for i in rn.items] for rn in plan] == [["B", "A"]]
    as_of = dt.date(2026, 11, 30)
    context = cn.reminder_context(plan[0], as_of, S)
    assert "完成时限不明1项" in context["intro"] and "逾期未办结1项" in context["intro"]
    first = context["items"][0]
    assert first["deadline"] == "完成时限无法识别（时限不明）" and first["state"] == "时限不明"
    assert "完成时限无法识别" in first["ask"]
    assert "时限不明" in cn.reminder_content(items[1], as_of, S)
