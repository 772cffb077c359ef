"""An item's state as of any day (SPEC §3 Point in time): each kind of fact, before, on and after
its date; every 办理状态 and every 督办预警 reached; facts without dates fail closed."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger_tools.core import rules
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.model import (
    OPEN_STATUSES,
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
    UnitReportStatus,
)
from ledger_tools.core.recompute import point_in_time
from ledger_tools.core.state import History, histories

D = dt.date
CAL = WorkCalendar()
SET = Settings()
ID = "2026-CW12-01"
A, S = Alert, Status
DAY = dt.timedelta(days=1)


def item(**over) -> Item:
    base = dict(
        id=ID,
        source_type=SourceType.EXECUTIVE,
        issued=D(2026, 9, 18),
        kind=ItemKind.REGULAR,
        deadline=D(2026, 12, 31),
        assigned=D(2026, 9, 22),
        status=S.IN_PROGRESS,
    )
    base.update(over)
    return Item(**base)


def rep(recorded, period, status=UnitReportStatus.ONGOING, done=None, progress="进展") -> Report:
    return Report(
        recorded=recorded,
        item_id=ID,
        period=period,
        status=status,
        done_date=done,
        progress=progress,
    )


def ext(requested, result=None, approved_on=None, granted_to=None) -> Extension:
    return Extension(
        item_id=ID,
        requested=requested,
        result=result,
        approved_on=approved_on,
        granted_to=granted_to,
    )


def monthly(*months, day=20):
    return [rep(D(2026, m, day), f"2026-{m:02d}") for m in months]


def state(day, it=None, exts=(), reports=(), reminders=()):
    return History(it or item(), exts, reports, reminders).state(day, CAL, SET)


# Each fact at its date F: (id, item, extensions, reports, reminders, F, field, before, on/after)
DONE_REPORT = [
    *monthly(10),
    rep(D(2026, 11, 12), "2026-11", UnitReportStatus.DONE, D(2026, 11, 10)),
]
FACTS = [
    pytest.param(
        item(status=S.PENDING_ASSIGNMENT, assigned=None),
        [],
        [],
        [],
        D(2026, 9, 18),
        "exists",
        False,
        True,
        id="印发日期-exists",
    ),
    pytest.param(
        item(),
        [],
        [],
        [],
        D(2026, 9, 22),
        "status",
        S.PENDING_ASSIGNMENT,
        S.IN_PROGRESS,
        id="交办日期-assigned",
    ),
    pytest.param(
        item(kind=ItemKind.LONG_TERM, status=S.LONG_TERM, deadline=None),
        [],
        [],
        [],
        D(2026, 9, 22),
        "status",
        S.PENDING_ASSIGNMENT,
        S.LONG_TERM,
        id="交办日期-long-term",
    ),
    pytest.param(
        item(status=S.DONE, done_date=D(2026, 11, 10)),
        [],
        DONE_REPORT,
        [],
        D(2026, 11, 12),
        "status",
        S.IN_PROGRESS,
        S.DONE,
        id="已办结-from-the-report's-记录时间",
    ),
    pytest.param(
        item(status=S.DONE, done_date=D(2026, 11, 10)),
        [],
        [],
        [],
        D(2026, 11, 10),
        "status",
        S.IN_PROGRESS,
        S.DONE,
        id="已办结-typed-by-staff-from-办结日期",
    ),
    pytest.param(
        item(status=S.CLOSED, done_date=D(2026, 11, 10), closed_date=D(2026, 11, 20)),
        [],
        [],
        [],
        D(2026, 11, 20),
        "status",
        S.DONE,
        S.CLOSED,
        id="销号日期",
    ),
    pytest.param(
        item(status=S.TERMINATED, end_date=D(2026, 11, 3)),
        [],
        [],
        [],
        D(2026, 11, 3),
        "status",
        S.IN_PROGRESS,
        S.TERMINATED,
        id="终止日期",
    ),
    pytest.param(
        item(status=S.EXTENSION_REQUESTED),
        [ext(D(2026, 11, 2))],
        [],
        [],
        D(2026, 11, 2),
        "status",
        S.IN_PROGRESS,
        S.EXTENSION_REQUESTED,
        id="申请日期",
    ),
    pytest.param(
        item(),
        [ext(D(2026, 11, 2), Approval.APPROVED, D(2026, 11, 6), D(2027, 3, 31))],
        [],
        [],
        D(2026, 11, 6),
        "status",
        S.EXTENSION_REQUESTED,
        S.IN_PROGRESS,
        id="审批日期-back-to-open",
    ),
    pytest.param(
        item(),
        [ext(D(2026, 11, 2), Approval.APPROVED, D(2026, 11, 6), D(2027, 3, 31))],
        [],
        [],
        D(2026, 11, 6),
        "current_deadline",
        D(2026, 12, 31),
        D(2027, 3, 31),
        id="审批日期-deadline",
    ),
    pytest.param(
        item(),
        [ext(D(2026, 11, 2), Approval.APPROVED, D(2026, 11, 6), D(2027, 3, 31))],
        [],
        [],
        D(2026, 11, 6),
        "extensions",
        0,
        1,
        id="审批日期-count",
    ),
    pytest.param(
        item(),
        [ext(D(2026, 11, 2), Approval.REFUSED, D(2026, 11, 6))],
        [],
        [],
        D(2026, 11, 6),
        "status",
        S.EXTENSION_REQUESTED,
        S.IN_PROGRESS,
        id="不同意-from-审批日期",
    ),
    pytest.param(
        item(),
        [],
        [],
        [Reminder(D(2026, 10, 30), ID)],
        D(2026, 10, 30),
        "reminders",
        0,
        1,
        id="催办日期",
    ),
    pytest.param(
        item(),
        [],
        monthly(10),
        [],
        D(2026, 10, 20),
        "latest_progress",
        None,
        "进展",
        id="记录时间-progress",
    ),
    pytest.param(
        item(deadline=D(2026, 10, 15)),
        [],
        monthly(10),
        [],
        D(2026, 10, 16),
        "alert",
        A.DUE_SOON,
        A.OVERDUE,
        id="完成时限-overdue-the-day-after",
    ),
    pytest.param(
        item(assigned=None, status=S.PENDING_ASSIGNMENT),
        [],
        [],
        [],
        D(2026, 9, 23),
        "alert",
        A.PENDING_ASSIGNMENT,
        A.ASSIGNMENT_LATE,
        id="交办时限-assignment-late",
    ),
    pytest.param(
        item(),
        [],
        [],
        [],
        D(2026, 10, 26),
        "alert",
        A.NORMAL,
        A.REPORT_MISSING,
        id="月报截止日-report-missing-the-day-after",
    ),
    pytest.param(
        item(deadline=D(2026, 11, 6)),
        [],
        monthly(10),
        [],
        D(2026, 10, 30),
        "alert",
        A.NORMAL,
        A.DUE_SOON,
        id="临期-five-working-days",
    ),
]


@pytest.mark.parametrize(
    ("it", "exts", "reports", "reminders", "fact", "field", "before", "after"), FACTS
)
def test_each_fact_counts_from_its_date(it, exts, reports, reminders, fact, field, before, after):
    h = History(it, exts, reports, reminders)
    get = (
        (lambda d: h.exists_on(d))
        if field == "exists"
        else (lambda d: getattr(h.state(d, CAL, SET), field))
    )
    assert get(fact - DAY) == before
    assert get(fact) == after
    assert get(fact + DAY) == after


ALERTS = [
    (
        item(status=S.CLOSED, done_date=D(2026, 11, 1), closed_date=D(2026, 11, 5)),
        D(2026, 11, 6),
        A.CLOSED,
    ),
    (item(status=S.TERMINATED, end_date=D(2026, 11, 1)), D(2026, 11, 2), A.TERMINATED),
    (item(status=S.DONE, done_date=D(2026, 11, 1)), D(2026, 11, 2), A.DONE_ON_TIME),
    (
        item(status=S.DONE, deadline=D(2026, 10, 30), done_date=D(2026, 11, 1)),
        D(2026, 11, 2),
        A.DONE_LATE,
    ),
    (item(status=S.PENDING_ASSIGNMENT, assigned=None), D(2026, 9, 21), A.PENDING_ASSIGNMENT),
    (item(status=S.PENDING_ASSIGNMENT, assigned=None), D(2026, 9, 24), A.ASSIGNMENT_LATE),
    (item(deadline=None), D(2026, 10, 20), A.DEADLINE_UNCLEAR),
    (item(deadline=D(2026, 10, 15)), D(2026, 10, 20), A.OVERDUE),
    (item(), D(2026, 10, 26), A.REPORT_MISSING),
    (item(deadline=D(2026, 10, 23)), D(2026, 10, 20), A.DUE_SOON),
    (item(), D(2026, 10, 20), A.NORMAL),
]


@pytest.mark.parametrize(("it", "day", "expected"), ALERTS)
def test_every_alert(it, day, expected):
    assert state(day, it).alert is expected


def test_every_alert_and_status_is_reached():
    assert {a for _, _, a in ALERTS} == set(Alert)
    statuses = {p.values[-1] for p in FACTS if p.values[5] == "status"}
    statuses |= {p.values[-2] for p in FACTS if p.values[5] == "status"}
    assert statuses == set(Status)


# -- facts without their date fail closed --------------------------------------------------


def test_done_without_its_date_is_not_finished():
    s = state(D(2026, 11, 20), item(status=S.DONE, deadline=D(2026, 11, 10)))
    assert (s.status, s.alert, s.done_date) == (S.IN_PROGRESS, A.OVERDUE, None)


def test_a_report_without_its_record_time_is_no_report():
    undated = [rep(None, "2026-10")]
    s = state(D(2026, 10, 27), reports=undated)
    assert (s.period_flag, s.alert, s.latest_progress) == (
        ReportFlag.MISSING,
        A.REPORT_MISSING,
        None,
    )


def test_an_approval_without_its_date_leaves_the_item_requesting():
    incomplete = [ext(D(2026, 11, 2), Approval.APPROVED, None, D(2027, 3, 31))]
    s = state(D(2027, 1, 5), item(status=S.EXTENSION_REQUESTED), incomplete, monthly(10, 11, 12))
    assert (s.status, s.current_deadline, s.extensions, s.alert) == (
        S.EXTENSION_REQUESTED,
        D(2026, 12, 31),
        0,
        A.OVERDUE,
    )


def test_an_approval_without_its_limit_moves_nothing():
    incomplete = [ext(D(2026, 11, 2), Approval.APPROVED, D(2026, 11, 6), None)]
    s = state(D(2026, 11, 9), item(status=S.EXTENSION_REQUESTED), incomplete)
    assert (s.status, s.current_deadline, s.extensions) == (
        S.EXTENSION_REQUESTED,
        D(2026, 12, 31),
        0,
    )


def test_a_reminder_without_its_date_is_counted_on_no_day():
    assert state(D(2026, 12, 1), reminders=[Reminder(None, ID)]).reminders == 0


def test_a_late_request_does_not_stop_the_clock():
    late = [ext(D(2026, 10, 20))]
    s = state(D(2026, 10, 21), item(status=S.EXTENSION_REQUESTED, deadline=D(2026, 10, 15)), late)
    assert (s.status, s.alert) == (S.EXTENSION_REQUESTED, A.OVERDUE)


def test_a_pending_request_withdrawn_in_the_ledger_no_longer_shows():
    assert state(D(2026, 11, 3), item(), [ext(D(2026, 11, 2))]).status is S.IN_PROGRESS


# -- the monthly obligation, judged on the due day -------------------------------------


def test_finished_after_the_due_day_without_a_report_still_owed_the_month():
    it = item(status=S.DONE, done_date=D(2026, 10, 27))
    h = History(it, (), monthly(9), ())
    assert h.flag("2026-10", D(2026, 10, 28), SET) is ReportFlag.MISSING
    assert h.state(D(2026, 10, 28), CAL, SET).period_flag is ReportFlag.MISSING
    assert h.obliged("2026-10", SET)
    assert not h.obliged("2026-11", SET)


def test_a_report_in_the_first_month_is_never_a_breach():
    it = item(assigned=D(2026, 10, 9))
    late = [rep(D(2026, 10, 28), "2026-10")]
    assert History(it, (), late).flag("2026-10", D(2026, 10, 30), SET) is ReportFlag.REPORTED
    assert History(it).flag("2026-10", D(2026, 10, 30), SET) is ReportFlag.NOT_REQUIRED


def test_before_the_due_day_the_obligation_is_judged_on_what_is_known():
    h = History(item(), (), [rep(D(2026, 10, 28), "2026-10")])
    assert h.flag("2026-10", D(2026, 10, 20), SET) is ReportFlag.MISSING  # nothing yet
    assert h.flag("2026-10", D(2026, 10, 27), SET) is ReportFlag.MISSING
    assert h.flag("2026-10", D(2026, 10, 28), SET) is ReportFlag.REPORTED_LATE


# -- 逾期未落实: the first day overdue with enough reminders --------------------------------


def test_first_escalated_day():
    chased = [Reminder(D(2026, 10, 20), ID), Reminder(D(2026, 10, 30), ID)]
    h = History(item(deadline=D(2026, 10, 15)), (), (), chased)
    assert h.first_escalated(D(2026, 10, 29), 2) is None
    assert h.first_escalated(D(2026, 12, 31), 2) == D(2026, 10, 30)
    assert h.first_escalated(D(2026, 12, 31), 0) == D(2026, 10, 16)
    approved_late = [ext(D(2026, 10, 10), Approval.APPROVED, D(2026, 11, 3), D(2027, 3, 31))]
    assert History(item(deadline=D(2026, 10, 15)), approved_late, (), chased).first_escalated(
        D(2026, 12, 31), 2
    ) == D(2026, 10, 30)
    approved_early = [ext(D(2026, 10, 10), Approval.APPROVED, D(2026, 10, 12), D(2027, 3, 31))]
    assert (
        History(item(deadline=D(2026, 10, 15)), approved_early, (), chased).first_escalated(
            D(2026, 12, 31), 2
        )
        is None
    )


# -- one rule: refresh's columns, and the ledger as it stood -----------------------------


@pytest.mark.parametrize(
    "day", [D(2026, 9, 17), D(2026, 10, 20), D(2026, 10, 26), D(2026, 11, 12), D(2027, 1, 5)]
)
def test_refresh_and_the_point_in_time_view_agree(day):
    it = item(status=S.DONE, done_date=D(2026, 11, 10), deadline=D(2026, 11, 30))
    exts = [ext(D(2026, 11, 2), Approval.APPROVED, D(2026, 11, 6), D(2027, 3, 31))]
    reminders = [Reminder(D(2026, 10, 30), ID)]
    view = point_in_time([it], exts, DONE_REPORT, reminders, SET, CAL, day)
    if day < it.issued:
        assert view.items == []
        return
    then = view.items[0]
    computed = rules.recompute(it, exts, DONE_REPORT, reminders, day, CAL, SET)
    assert (then.status, then.current_deadline, then.alert, then.period_flag, then.reminders) == (
        computed.status,
        computed.current_deadline,
        computed.alert,
        computed.period_flag,
        computed.reminders,
    )
    # The view's own records, asked again, give the same state: nothing later leaks in.
    again = History(then, view.extensions, view.reports, view.reminders).state(day, CAL, SET)
    assert again == History(it, exts, DONE_REPORT, reminders).state(day, CAL, SET)


@pytest.mark.parametrize(
    "it, exts",
    [
        (item(), ()),
        (item(assigned=None, status=S.PENDING_ASSIGNMENT), ()),
        (item(issued=None, assigned=None), ()),
        (item(closed_date=D(2026, 11, 3), status=S.CLOSED), ()),
        (item(status=S.TERMINATED, end_date=D(2026, 10, 9)), ()),
        (item(status=S.TERMINATED), ()),
        (item(done_date=D(2026, 10, 20), status=S.DONE), ()),
        (item(status=S.EXTENSION_REQUESTED), (ext(D(2026, 10, 5)),)),
        (item(kind=ItemKind.LONG_TERM, status=S.LONG_TERM), ()),
    ],
)
def test_open_span_is_exactly_the_days_status_is_open(it, exts):
    """Scoring skips the periods outside ``open_span``: it must be the open days, no fewer."""
    h = History(it, exts, [rep(D(2026, 10, 25), "2026-10", UnitReportStatus.DONE, D(2026, 10, 20))])
    opened, until = h.open_span()
    day = D(2026, 8, 1)
    while day <= D(2027, 1, 31):
        is_open = h.exists_on(day) and h.status_on(day) in OPEN_STATUSES
        assert (opened <= day < until) == is_open, day
        day += DAY


def _facts(h: History) -> dict:
    return {k: getattr(h, k) for k in History.__slots__ if k not in ("item", "_firsts")} | {
        "firsts": h.first_reports()
    }


def test_histories_built_at_once_are_each_items_own_history():
    """The one-pass builder (refresh and brief) gives each item exactly what History gives it:
    datetimes, undated reports, same-day reports in sheet order, a repeated id, a blank or
    whitespace id, records of no item, and an item whose records are all undated."""
    other = "2026-CW12-02"
    items = [
        item(),
        item(id=other, status=S.EXTENSION_REQUESTED, done_date=dt.datetime(2026, 10, 9, 8)),
        item(id=None),
        item(id=" "),
        item(),  # the same id again
        item(id="2026-CW12-03", issued=dt.datetime(2026, 9, 1, 9), assigned=None),
    ]
    keys = [i.id for i in items]
    reports = [
        rep(dt.datetime(2026, 10, 20, 17), "2026-10"),
        rep(D(2026, 10, 20), "2026年10月", UnitReportStatus.DONE, D(2026, 10, 18), "又一条"),
        rep(D(2026, 9, 28), D(2026, 9, 1)),
        rep(None, "2026-11"),
        Report(
            recorded=D(2026, 10, 2), item_id=other, period="2026-10", status=UnitReportStatus.DONE
        ),
        Report(recorded=D(2026, 10, 1), item_id=None, period="2026-10"),
        Report(recorded=D(2026, 10, 1), item_id=" ", period="2026-10"),
        Report(recorded=None, item_id="2026-CW12-03", period="2026-10"),
    ]
    exts = [
        ext(D(2026, 10, 5), Approval.APPROVED, D(2026, 10, 8), D(2027, 1, 31)),
        Extension(item_id=other, requested=dt.datetime(2026, 10, 3, 10)),
        Extension(item_id=None, requested=D(2026, 10, 3)),
    ]
    reminders = [Reminder(D(2026, 10, 30), ID), Reminder(None, ID), Reminder(D(2026, 10, 1), other)]
    built = histories(items, keys, exts, reports, reminders)
    for it, key, h in zip(items, keys, built, strict=True):
        own = [[r for r in rows if key and r.item_id == key] for rows in (exts, reports, reminders)]
        alone = History(it, *own)
        assert h.item is it
        assert _facts(h) == _facts(alone)
        for day in (D(2026, 9, 30), D(2026, 10, 20), D(2026, 12, 1)):
            assert h.state(day, CAL, SET) == alone.state(day, CAL, SET)
