"""SPEC §3 rules, table by table: deadlines, status, 本期报送, 督办预警 (ids: test_ids.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

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
CAL = WorkCalendar()
SET = Settings()

APPROVED, REFUSED = Approval.APPROVED, Approval.REFUSED
REG, LONG = ItemKind.REGULAR, ItemKind.LONG_TERM
PEND, PROG, LT, EXT, DONE, CLOSED, TERM = (
    Status.PENDING_ASSIGNMENT,
    Status.IN_PROGRESS,
    Status.LONG_TERM,
    Status.EXTENSION_REQUESTED,
    Status.DONE,
    Status.CLOSED,
    Status.TERMINATED,
)


def make_item(**over) -> Item:
    base = dict(
        id="2026-CW12-01",
        source_type=SourceType.EXECUTIVE,
        source_name="市人民政府2026年第12次常务会议",
        issued=D(2026, 9, 18),
        kind=REG,
        deadline=D(2026, 12, 31),
        assigned=D(2026, 9, 22),
        status=PROG,
    )
    base.update(over)
    return Item(**base)


def ext(result=None, granted_to=None, approved_on=None, item_id="2026-CW12-01") -> Extension:
    return Extension(item_id=item_id, result=result, granted_to=granted_to, approved_on=approved_on)


ON_TIME = D(2026, 10, 20)


def report(period="2026-10", recorded=ON_TIME, item_id="2026-CW12-01") -> Report:
    return Report(item_id=item_id, period=period, recorded=recorded)


# -- assignment due ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued", "workdays", "expected"),
    [
        (D(2026, 9, 18), 3, D(2026, 9, 22)),  # Sunday 09-20 is a make-up working day
        (D(2026, 9, 30), 3, D(2026, 10, 10)),
        (D(2026, 9, 18), 5, D(2026, 9, 24)),
        (dt.datetime(2026, 9, 18, 9, 0), 3, D(2026, 9, 22)),
        (None, 3, None),
    ],
)
def test_assignment_due(issued, workdays, expected):
    settings = Settings(assign_workdays=workdays)
    assert rules.assignment_due(make_item(issued=issued), CAL, settings) == expected


# -- current deadline -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extensions", "expected"),
    [
        pytest.param([], (D(2026, 12, 31), 0), id="none"),
        pytest.param([ext()], (D(2026, 12, 31), 0), id="pending"),
        pytest.param(
            [ext(REFUSED, approved_on=D(2026, 11, 1))], (D(2026, 12, 31), 0), id="refused"
        ),
        pytest.param(
            [ext(APPROVED, D(2027, 3, 31), D(2026, 11, 1))], (D(2027, 3, 31), 1), id="approved"
        ),
        pytest.param(
            [ext(APPROVED, None, D(2026, 11, 1))], (D(2026, 12, 31), 0), id="approved-no-granted-to"
        ),
        pytest.param(
            [
                ext(APPROVED, D(2027, 3, 31), D(2026, 11, 1)),
                ext(APPROVED, D(2027, 6, 30), D(2027, 3, 1)),
            ],
            (D(2027, 6, 30), 2),
            id="two-approvals",
        ),
        pytest.param(
            [
                ext(APPROVED, D(2027, 6, 30), D(2027, 3, 1)),
                ext(APPROVED, D(2027, 3, 31), D(2026, 11, 1)),
            ],
            (D(2027, 6, 30), 2),
            id="latest-approval-date-wins-over-row-order",
        ),
        pytest.param(
            [
                ext(APPROVED, D(2027, 3, 31), D(2026, 11, 1)),
                ext(APPROVED, D(2027, 2, 28), D(2026, 11, 1)),
            ],
            (D(2027, 2, 28), 2),
            id="same-date-later-row-wins",
        ),
        pytest.param(
            [
                ext(APPROVED, D(2027, 3, 31), D(2026, 11, 1)),
                ext(APPROVED, D(2027, 5, 31), None),
            ],
            (D(2027, 3, 31), 1),
            id="approval-without-date-is-not-in-force-after-a-dated-one",
        ),
        pytest.param(
            [
                ext(APPROVED, D(2027, 5, 31), None),
                ext(APPROVED, D(2027, 3, 31), D(2026, 11, 1)),
            ],
            (D(2027, 3, 31), 1),
            id="approval-without-date-is-not-in-force-before-a-dated-one",
        ),
        pytest.param(
            [
                ext(APPROVED, D(2027, 3, 31), D(2026, 11, 1)),
                ext(REFUSED, None, D(2027, 1, 5)),
                ext(),
            ],
            (D(2027, 3, 31), 1),
            id="approved-then-refused-then-pending",
        ),
        pytest.param(
            [ext(APPROVED, dt.datetime(2027, 3, 31, 0, 0), D(2026, 11, 1))],
            (D(2027, 3, 31), 1),
            id="datetime-cell",
        ),
    ],
)
def test_current_deadline(extensions, expected):
    assert rules.current_deadline(make_item(), extensions) == expected


def test_current_deadline_of_long_term_item_without_deadline():
    assert rules.current_deadline(make_item(kind=LONG, deadline=None), []) == (None, 0)


# -- status -----------------------------------------------------------------------------

ASSIGNED = D(2026, 9, 22)
# fmt: off
STATUS_CASES = [
    # (status, kind, assigned, done_date, closed_date, extensions, expected)
    pytest.param(None, REG, None, None, None, [], PEND, id="new-row"),
    pytest.param(None, REG, ASSIGNED, None, None, [], PROG, id="new-row-already-assigned"),
    pytest.param(None, LONG, ASSIGNED, None, None, [], LT, id="new-long-term-assigned"),
    pytest.param(None, None, ASSIGNED, None, None, [], PROG, id="no-kind-is-regular"),
    pytest.param(PEND, REG, None, None, None, [], PEND, id="pending-stays"),
    pytest.param(PEND, REG, ASSIGNED, None, None, [], PROG, id="assigned-regular"),
    pytest.param(PEND, LONG, ASSIGNED, None, None, [], LT, id="assigned-long-term"),
    pytest.param(PROG, REG, ASSIGNED, None, None, [], PROG, id="in-progress-stays"),
    pytest.param(LT, LONG, ASSIGNED, None, None, [], LT, id="long-term-stays"),
    pytest.param(PROG, LONG, ASSIGNED, None, None, [], LT, id="kind-corrected-to-long"),
    pytest.param(LT, REG, ASSIGNED, None, None, [], PROG, id="kind-corrected-to-regular"),
    pytest.param(PROG, REG, ASSIGNED, None, None, [ext()], PROG, id="pending-row-does-not-set-ext"),
    pytest.param(EXT, REG, ASSIGNED, None, None, [ext()], EXT, id="request-pending"),
    pytest.param(EXT, LONG, ASSIGNED, None, None, [ext()], EXT, id="long-term-request-pending"),
    pytest.param(
        EXT, REG, ASSIGNED, None, None, [ext(APPROVED, D(2027, 3, 31), D(2026, 12, 1))], PROG,
        id="approved-back-to-in-progress",
    ),
    pytest.param(
        EXT, LONG, ASSIGNED, None, None, [ext(APPROVED, D(2027, 3, 31), D(2026, 12, 1))], LT,
        id="approved-back-to-long-term",
    ),
    pytest.param(
        EXT, REG, ASSIGNED, None, None, [ext(REFUSED, None, D(2026, 12, 1))], PROG,
        id="refused-back-to-in-progress",
    ),
    pytest.param(EXT, REG, ASSIGNED, None, None, [], PROG, id="request-row-deleted"),
    pytest.param(
        EXT, REG, ASSIGNED, None, None, [ext(item_id="2026-CW12-99")], PROG,
        id="pending-row-of-another-item-ignored",
    ),
    pytest.param(
        EXT, REG, ASSIGNED, None, None, [ext(APPROVED, D(2027, 3, 31), D(2026, 12, 1)), ext()], EXT,
        id="second-request-pending",
    ),
    pytest.param(DONE, REG, ASSIGNED, D(2026, 12, 1), None, [], DONE, id="done-stays"),
    pytest.param(DONE, REG, ASSIGNED, D(2026, 12, 1), D(2026, 12, 5), [], CLOSED, id="closed"),
    pytest.param(PROG, REG, ASSIGNED, None, D(2026, 12, 5), [], CLOSED, id="closed-wins-over-open"),
    pytest.param(TERM, REG, ASSIGNED, None, D(2026, 12, 5), [], CLOSED, id="closed-wins-over-ended"),
    pytest.param(CLOSED, REG, ASSIGNED, D(2026, 12, 1), D(2026, 12, 5), [], CLOSED, id="closed-final"),
    pytest.param(TERM, REG, ASSIGNED, None, None, [], TERM, id="terminated-stays"),
    pytest.param(TERM, REG, None, None, None, [], TERM, id="terminated-before-assignment"),
    pytest.param(CLOSED, REG, ASSIGNED, D(2026, 12, 1), None, [], DONE, id="closing-date-cleared"),
    pytest.param(CLOSED, REG, ASSIGNED, None, None, [], PROG, id="closing-cleared-not-done"),
]
# fmt: on


@pytest.mark.parametrize(
    ("status", "kind", "assigned", "done", "closed", "extensions", "expected"), STATUS_CASES
)
def test_derive_status(status, kind, assigned, done, closed, extensions, expected):
    item = make_item(
        status=status, kind=kind, assigned=assigned, done_date=done, closed_date=closed
    )
    assert rules.derive_status(item, extensions) is expected


@pytest.mark.parametrize(
    ("status", "kind", "assigned", "done", "closed", "extensions", "expected"), STATUS_CASES
)
def test_derive_status_is_idempotent(status, kind, assigned, done, closed, extensions, expected):
    item = make_item(
        status=status, kind=kind, assigned=assigned, done_date=done, closed_date=closed
    )
    once = rules.derive_status(item, extensions)
    assert rules.derive_status(dataclasses.replace(item, status=once), extensions) is once


def test_every_status_is_reached():
    reached = {case.values[-1] for case in STATUS_CASES}
    assert reached == set(Status)


# -- periods ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "report_day", "start", "end", "due"),
    [
        ("2026-10", 25, D(2026, 10, 1), D(2026, 10, 31), D(2026, 10, 25)),
        ("2026-02", 25, D(2026, 2, 1), D(2026, 2, 28), D(2026, 2, 25)),
        ("2026-02", 31, D(2026, 2, 1), D(2026, 2, 28), D(2026, 2, 28)),  # clamped
        ("2028-02", 30, D(2028, 2, 1), D(2028, 2, 29), D(2028, 2, 29)),  # leap year
        ("2026-04", 31, D(2026, 4, 1), D(2026, 4, 30), D(2026, 4, 30)),
        ("2026-12", 1, D(2026, 12, 1), D(2026, 12, 31), D(2026, 12, 1)),
    ],
)
def test_period_bounds_and_due(period, report_day, start, end, due):
    assert rules.period_start(period) == start
    assert rules.period_end(period) == end
    assert rules.report_due(period, Settings(report_day=report_day)) == due


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (D(2026, 1, 1), "2026-01"),
        (D(2026, 12, 31), "2026-12"),
        (dt.datetime(2027, 3, 5, 9), "2027-03"),
    ],
)
def test_period_of(day, period):
    assert rules.period_of(day) == period


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03", "2026-03"),
        (" 2026-3 ", "2026-03"),
        ("2026/03", "2026-03"),
        ("2026年3月", "2026-03"),
        ("２０２６－０３", "2026-03"),
        ("2026-03-01 00:00:00", "2026-03"),
        (D(2026, 3, 1), "2026-03"),
        (dt.datetime(2026, 3, 1), "2026-03"),
        ("2026-13", None),
        ("三月", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_period(value, expected):
    assert rules.normalize_period(value) == expected


@pytest.mark.parametrize("bad", ["2026-13", "2026", "march", ""])
def test_bad_period_is_rejected(bad):
    with pytest.raises(ValueError):
        rules.period_start(bad)


# -- reporting obligation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "assigned", "obliged", "may"),
    [
        (PROG, D(2026, 9, 30), True, True),  # assigned last month
        (LT, D(2026, 9, 22), True, True),
        (EXT, D(2026, 9, 22), True, True),
        (PROG, D(2026, 10, 1), False, True),  # assigned on the first day: next month on
        (PROG, D(2026, 10, 31), False, True),  # assigned during the month may report
        (PROG, D(2026, 11, 1), False, False),  # assigned after the month
        (PROG, None, False, False),
        (PEND, None, False, False),
        (DONE, D(2026, 9, 22), False, False),
        (CLOSED, D(2026, 9, 22), False, False),
        (TERM, D(2026, 9, 22), False, False),
        (None, D(2026, 9, 22), False, False),
    ],
)
def test_obligation(status, assigned, obliged, may):
    item = make_item(status=status, assigned=assigned)
    assert rules.is_obliged(item, "2026-10") is obliged
    assert rules.may_report(item, "2026-10") is may


@pytest.mark.parametrize(
    ("status", "assigned", "reports", "expected"),
    [
        pytest.param(PROG, D(2026, 9, 22), [report()], ReportFlag.REPORTED, id="on-time"),
        pytest.param(
            PROG,
            D(2026, 9, 22),
            [report(recorded=D(2026, 10, 25))],
            ReportFlag.REPORTED,
            id="on-the-due-day",
        ),
        pytest.param(
            PROG,
            D(2026, 9, 22),
            [report(recorded=dt.datetime(2026, 10, 25, 23, 59))],
            ReportFlag.REPORTED,
            id="due-day-evening",
        ),
        pytest.param(
            PROG,
            D(2026, 9, 22),
            [report(recorded=D(2026, 10, 26))],
            ReportFlag.REPORTED_LATE,
            id="late",
        ),
        pytest.param(
            PROG,
            D(2026, 9, 22),
            [report(recorded=D(2026, 10, 28)), report(recorded=D(2026, 10, 20))],
            ReportFlag.REPORTED,
            id="late-and-on-time",
        ),
        pytest.param(
            PROG,
            D(2026, 9, 22),
            [report(recorded=None)],
            ReportFlag.MISSING,
            id="no-record-time-is-no-report",
        ),
        pytest.param(
            PROG,
            D(2026, 9, 22),
            [report(period="2026年10月")],
            ReportFlag.REPORTED,
            id="period-spelled-differently",
        ),
        pytest.param(PROG, D(2026, 9, 22), [], ReportFlag.MISSING, id="missing"),
        pytest.param(
            PROG,
            D(2026, 9, 22),
            [report(period="2026-09", recorded=D(2026, 10, 2))],
            ReportFlag.MISSING,
            id="other-period-does-not-count",
        ),
        pytest.param(
            PROG,
            D(2026, 9, 22),
            [report(item_id="2026-CW12-02")],
            ReportFlag.MISSING,
            id="other-item-does-not-count",
        ),
        pytest.param(LT, D(2026, 9, 22), [], ReportFlag.MISSING, id="long-term-missing"),
        pytest.param(EXT, D(2026, 9, 22), [], ReportFlag.MISSING, id="extension-missing"),
        pytest.param(PROG, D(2026, 10, 9), [], ReportFlag.NOT_REQUIRED, id="assigned-this-month"),
        pytest.param(
            PROG,
            D(2026, 10, 9),
            [report()],
            ReportFlag.REPORTED,
            id="assigned-this-month-reported",
        ),
        pytest.param(PEND, None, [], ReportFlag.NOT_REQUIRED, id="pending-assignment"),
        pytest.param(DONE, D(2026, 9, 22), [], ReportFlag.NOT_REQUIRED, id="done"),
        pytest.param(DONE, D(2026, 9, 22), [report()], ReportFlag.REPORTED, id="done-reported"),
        pytest.param(
            DONE,
            D(2026, 9, 22),
            [report(recorded=D(2026, 10, 27))],
            ReportFlag.REPORTED_LATE,
            id="done-reported-late",
        ),
        pytest.param(CLOSED, D(2026, 9, 22), [], ReportFlag.NOT_REQUIRED, id="closed"),
        pytest.param(TERM, D(2026, 9, 22), [], ReportFlag.NOT_REQUIRED, id="terminated"),
    ],
)
def test_period_flag(status, assigned, reports, expected):
    item = make_item(status=status, assigned=assigned)
    assert rules.period_flag(item, reports, "2026-10", SET) is expected


def test_period_flag_uses_the_report_day_setting():
    item = make_item()
    late_by_default = [report(recorded=D(2026, 10, 28))]
    assert rules.period_flag(item, late_by_default, "2026-10", SET) is ReportFlag.REPORTED_LATE
    assert rules.period_flag(item, late_by_default, "2026-10", Settings(report_day=30)) is (
        ReportFlag.REPORTED
    )


# -- 督办预警 ----------------------------------------------------------------------------

M, R = ReportFlag.MISSING, ReportFlag.REPORTED
# fmt: off
ALERT_CASES = [
    # (status, deadline, done_date, as_of, flag, expected)
    pytest.param(CLOSED, D(2026, 10, 1), None, D(2026, 12, 1), M, Alert.CLOSED, id="closed-beats-all"),
    pytest.param(TERM, D(2026, 10, 1), None, D(2026, 12, 1), M, Alert.TERMINATED, id="terminated"),
    pytest.param(DONE, D(2026, 12, 31), D(2026, 12, 1), D(2027, 1, 5), R, Alert.DONE_ON_TIME, id="done-early"),
    pytest.param(DONE, D(2026, 12, 31), D(2026, 12, 31), D(2027, 1, 5), R, Alert.DONE_ON_TIME, id="done-on-deadline"),
    pytest.param(DONE, None, D(2026, 12, 1), D(2027, 1, 5), R, Alert.DONE_ON_TIME, id="done-no-deadline"),
    pytest.param(DONE, D(2026, 12, 31), None, D(2027, 1, 5), R, Alert.DONE_ON_TIME, id="done-no-date"),
    pytest.param(DONE, D(2026, 12, 31), D(2027, 1, 4), D(2027, 1, 5), M, Alert.DONE_LATE, id="done-late"),
    pytest.param(PEND, D(2026, 12, 31), None, D(2026, 9, 22), M, Alert.PENDING_ASSIGNMENT, id="pending-on-due-day"),
    pytest.param(PEND, D(2026, 12, 31), None, D(2026, 9, 23), M, Alert.ASSIGNMENT_LATE, id="assignment-late"),
    pytest.param(PEND, D(2026, 10, 1), None, D(2026, 12, 1), M, Alert.ASSIGNMENT_LATE, id="assignment-late-beats-overdue"),
    pytest.param(None, D(2026, 12, 31), None, D(2026, 9, 21), M, Alert.PENDING_ASSIGNMENT, id="no-status-is-pending"),
    pytest.param(PROG, D(2026, 10, 30), None, D(2026, 11, 2), M, Alert.OVERDUE, id="overdue-beats-missing"),
    pytest.param(PROG, D(2026, 10, 30), None, D(2026, 10, 31), R, Alert.OVERDUE, id="overdue-day-after"),
    pytest.param(EXT, D(2026, 10, 30), None, D(2026, 11, 2), R, Alert.OVERDUE, id="pending-extension-does-not-stop-clock"),
    pytest.param(LT, D(2026, 10, 30), None, D(2026, 11, 2), R, Alert.OVERDUE, id="long-term-overdue"),
    pytest.param(PROG, D(2026, 10, 27), None, D(2026, 10, 26), M, Alert.REPORT_MISSING, id="missing-beats-due-soon"),
    pytest.param(PROG, D(2026, 12, 31), None, D(2026, 10, 26), M, Alert.REPORT_MISSING, id="missing-after-due-day"),
    pytest.param(LT, None, None, D(2026, 10, 26), M, Alert.REPORT_MISSING, id="long-term-missing"),
    pytest.param(PROG, D(2026, 12, 31), None, D(2026, 10, 25), M, Alert.NORMAL, id="missing-on-due-day-not-yet"),
    pytest.param(PROG, D(2026, 10, 30), None, D(2026, 10, 30), R, Alert.DUE_SOON, id="due-today"),
    pytest.param(PROG, D(2026, 10, 30), None, D(2026, 10, 23), R, Alert.DUE_SOON, id="five-workdays-left"),
    pytest.param(PROG, D(2026, 10, 30), None, D(2026, 10, 22), R, Alert.NORMAL, id="six-workdays-left"),
    pytest.param(PROG, D(2026, 10, 30), None, D(2026, 10, 25), M, Alert.DUE_SOON, id="due-soon-missing-not-yet-due"),
    pytest.param(EXT, D(2026, 10, 30), None, D(2026, 10, 28), R, Alert.DUE_SOON, id="extension-due-soon"),
    pytest.param(PROG, D(2026, 12, 31), None, D(2026, 10, 26), R, Alert.NORMAL, id="normal"),
    pytest.param(LT, None, None, D(2026, 10, 26), R, Alert.NORMAL, id="long-term-no-deadline"),
    pytest.param(PROG, None, None, D(2026, 10, 26), R, Alert.DEADLINE_UNCLEAR, id="regular-no-deadline"),
]

# 时限不明 (SPEC §3 Fail closed, Clarifications): an open item with no readable 当前时限.
# (kind, status, 完成时限, unreadable, extensions, as_of, expected)
UNCLEAR_CASES = [
    pytest.param(REG, PROG, None, False, [], D(2026, 10, 20), Alert.DEADLINE_UNCLEAR, id="blank-regular"),
    pytest.param(REG, PROG, None, True, [], D(2026, 10, 20), Alert.DEADLINE_UNCLEAR, id="unreadable-regular"),
    pytest.param(None, PROG, None, False, [], D(2026, 10, 20), Alert.DEADLINE_UNCLEAR, id="blank-no-kind-is-regular"),
    pytest.param(LONG, LT, None, True, [], D(2026, 10, 20), Alert.DEADLINE_UNCLEAR, id="unreadable-long-term"),
    pytest.param(LONG, LT, None, False, [], D(2026, 10, 20), Alert.NORMAL, id="blank-long-term-normal"),
    pytest.param(LONG, LT, None, False, [], D(2026, 10, 26), Alert.REPORT_MISSING, id="blank-long-term-other-rules"),
    pytest.param(REG, PROG, None, False, [], D(2026, 10, 26), Alert.DEADLINE_UNCLEAR, id="unclear-beats-missing"),
    pytest.param(REG, PROG, None, True, [ext(APPROVED, D(2026, 12, 31), D(2026, 10, 1))], D(2026, 10, 20), Alert.NORMAL, id="approved-extension-wins"),
    pytest.param(REG, PROG, None, True, [ext(APPROVED, D(2026, 10, 15), D(2026, 10, 1))], D(2026, 10, 20), Alert.OVERDUE, id="approved-extension-overdue"),
    pytest.param(LONG, LT, None, True, [ext(APPROVED, D(2026, 12, 31), D(2026, 10, 1))], D(2026, 10, 20), Alert.NORMAL, id="approved-extension-long-term"),
    pytest.param(REG, PROG, None, True, [ext(REFUSED, None, D(2026, 10, 1))], D(2026, 10, 20), Alert.DEADLINE_UNCLEAR, id="refused-extension"),
    pytest.param(REG, EXT, None, True, [ext()], D(2026, 10, 20), Alert.DEADLINE_UNCLEAR, id="extension-requested"),
    pytest.param(REG, PEND, None, True, [], D(2026, 9, 21), Alert.PENDING_ASSIGNMENT, id="pending-keeps-pending"),
    pytest.param(REG, PEND, None, True, [], D(2026, 10, 20), Alert.ASSIGNMENT_LATE, id="pending-keeps-assignment-late"),
    pytest.param(REG, DONE, None, True, [], D(2026, 10, 20), Alert.DONE_ON_TIME, id="done-is-not-open"),
]
# fmt: on


@pytest.mark.parametrize(
    ("kind", "status", "deadline", "unreadable", "extensions", "as_of", "expected"), UNCLEAR_CASES
)
def test_deadline_unclear(kind, status, deadline, unreadable, extensions, as_of, expected):
    assigned = None if status is PEND else D(2026, 9, 22)
    item = make_item(
        kind=kind,
        status=status,
        deadline=deadline,
        deadline_unreadable=unreadable,
        assigned=assigned,
        done_date=D(2026, 10, 10) if status is DONE else None,
    )
    computed = rules.recompute(item, extensions, [], [], as_of, CAL, SET)
    assert computed.alert is expected
    if expected is Alert.DEADLINE_UNCLEAR:
        assert computed.current_deadline is None and computed.workdays_left is None
    # the same through the public reading of an item refresh has filled in
    refreshed = dataclasses.replace(
        item, status=computed.status, current_deadline=computed.current_deadline
    )
    assert rules.alert(refreshed, as_of, CAL, SET, computed.period_flag) is expected


@pytest.mark.parametrize(("status", "deadline", "done", "as_of", "flag", "expected"), ALERT_CASES)
def test_alert(status, deadline, done, as_of, flag, expected):
    item = make_item(status=status, deadline=deadline, current_deadline=deadline, done_date=done)
    assert rules.alert(item, as_of, CAL, SET, flag) is expected


def test_every_alert_is_reached():
    assert {case.values[-1] for case in ALERT_CASES} == set(Alert)


def test_alert_counts_workdays_across_the_national_day():
    item = make_item(current_deadline=D(2026, 10, 12))
    # (09-29, 10-12]: 09-30, 10-08, 10-09, 10-10, 10-12 = 5 working days
    assert CAL.workdays_left(D(2026, 9, 29), D(2026, 10, 12)) == 5
    assert rules.alert(item, D(2026, 9, 29), CAL, SET, R) is Alert.DUE_SOON
    assert rules.alert(item, D(2026, 9, 28), CAL, SET, R) is Alert.NORMAL


def test_alert_uses_the_warning_setting():
    item = make_item(current_deadline=D(2026, 10, 30))
    as_of = D(2026, 10, 20)  # 8 working days left
    assert rules.alert(item, as_of, CAL, SET, R) is Alert.NORMAL
    assert rules.alert(item, as_of, CAL, Settings(warn_workdays=8), R) is Alert.DUE_SOON


def test_alert_falls_back_to_the_deadline_when_not_yet_computed():
    item = make_item(deadline=D(2026, 10, 30), current_deadline=None)
    assert rules.alert(item, D(2026, 11, 2), CAL, SET, R) is Alert.OVERDUE


# -- recompute --------------------------------------------------------------------------


def test_recompute_plain_item():
    c = rules.recompute(make_item(), [], [report()], [], D(2026, 10, 26), CAL, SET)
    assert c == rules.Computed(
        status=PROG,
        current_deadline=D(2026, 12, 31),
        extensions=0,
        reminders=0,
        workdays_left=CAL.workdays_left(D(2026, 10, 26), D(2026, 12, 31)),
        alert=Alert.NORMAL,
        period_flag=ReportFlag.REPORTED,
    )


def test_recompute_approved_extension_moves_deadline_and_status():
    item = make_item(status=EXT, deadline=D(2026, 10, 30))
    exts = [ext(APPROVED, D(2026, 12, 31), D(2026, 10, 28))]
    c = rules.recompute(item, exts, [report()], [], D(2026, 11, 2), CAL, SET)
    assert (c.status, c.current_deadline, c.extensions, c.alert) == (
        PROG,
        D(2026, 12, 31),
        1,
        Alert.NORMAL,
    )


def test_recompute_pending_extension_keeps_old_deadline():
    item = make_item(status=EXT, deadline=D(2026, 10, 30))
    c = rules.recompute(item, [ext()], [report()], [], D(2026, 11, 3), CAL, SET)
    assert (c.status, c.current_deadline, c.extensions) == (EXT, D(2026, 10, 30), 0)
    assert c.alert is Alert.OVERDUE
    assert c.workdays_left == -2


def test_recompute_refused_extension():
    item = make_item(status=EXT, kind=LONG, deadline=D(2026, 10, 30))
    exts = [ext(REFUSED, None, D(2026, 10, 29))]
    c = rules.recompute(item, exts, [report()], [], D(2026, 10, 29), CAL, SET)
    assert (c.status, c.current_deadline, c.extensions, c.workdays_left, c.alert) == (
        LT,
        D(2026, 10, 30),
        0,
        1,
        Alert.DUE_SOON,
    )


def test_recompute_counts_reminders_and_flags_missing_report():
    reminders = [
        Reminder(D(2026, 10, 26), "2026-CW12-01"),
        Reminder(D(2026, 10, 28), "2026-CW12-01"),
    ]
    c = rules.recompute(make_item(), [], [], reminders, D(2026, 10, 28), CAL, SET)
    assert (c.reminders, c.period_flag, c.alert) == (2, ReportFlag.MISSING, Alert.REPORT_MISSING)


def test_recompute_new_row_uses_derived_status():
    item = make_item(id=None, status=None, assigned=None, issued=D(2026, 9, 18))
    c = rules.recompute(item, [], [], [], D(2026, 9, 23), CAL, SET)
    assert (c.status, c.alert, c.period_flag, c.workdays_left) == (
        PEND,
        Alert.ASSIGNMENT_LATE,
        ReportFlag.NOT_REQUIRED,
        None,
    )


@pytest.mark.parametrize(
    ("over", "left"),
    [
        ({"status": DONE, "done_date": D(2026, 10, 1)}, None),
        ({"closed_date": D(2026, 10, 2), "done_date": D(2026, 10, 1)}, None),
        ({"status": TERM}, None),
        ({"kind": LONG, "deadline": None, "status": LT}, None),
        ({"deadline": D(2026, 10, 27)}, 1),
        ({"deadline": D(2026, 10, 26)}, 0),
        ({"deadline": D(2026, 10, 23)}, -1),
    ],
)
def test_recompute_workdays_left_only_for_open_items_with_deadline(over, left):
    c = rules.recompute(make_item(**over), [], [], [], D(2026, 10, 26), CAL, SET)
    assert c.workdays_left == left


@pytest.mark.parametrize(
    ("status", "kind", "assigned", "done", "closed", "extensions", "expected"), STATUS_CASES
)
def test_recompute_is_idempotent(status, kind, assigned, done, closed, extensions, expected):
    item = make_item(
        status=status, kind=kind, assigned=assigned, done_date=done, closed_date=closed
    )
    as_of = D(2026, 10, 27)
    first = rules.recompute(item, extensions, [], [], as_of, CAL, SET)
    again = dataclasses.replace(item, **dataclasses.asdict(first))
    assert rules.recompute(again, extensions, [], [], as_of, CAL, SET) == first


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026年3月5日", "2026-03"),  # a whole day names its month, in every shape a date has
        ("20260305", "2026-03"),
        ("2026-02-30", None),  # no such day, so no month: the report is not counted anywhere
        ("2026-03-01 备注", None),
    ],
)
def test_normalize_period_reads_a_day_as_core_dates_does(value, expected):
    assert rules.normalize_period(value) == expected


# -- SPEC §3 Clarifications: one table per line ------------------------------------------------

# 2026-10-25 is a Sunday and 2026-11-25 a Wednesday: the due day is day 25 either way.
DUE_DAY_NOT_MOVED = [
    # (period, recorded, 本期报送 as of the day after)
    ("2026-10", D(2026, 10, 25), ReportFlag.REPORTED),  # on the Sunday itself: on time
    ("2026-10", D(2026, 10, 26), ReportFlag.REPORTED_LATE),  # the Monday after: late, not moved
    ("2026-10", D(2026, 10, 23), ReportFlag.REPORTED),  # the Friday before
    ("2026-11", D(2026, 11, 25), ReportFlag.REPORTED),
    ("2026-11", D(2026, 11, 26), ReportFlag.REPORTED_LATE),
]


@pytest.mark.parametrize("period, recorded, flag", DUE_DAY_NOT_MOVED)
def test_clarification_the_monthly_due_day_is_not_moved_off_a_weekend(period, recorded, flag):
    assert D(2026, 10, 25).weekday() == 6  # the table's premise: a Sunday
    assert rules.report_due(period, SET) == D(int(period[:4]), int(period[5:]), 25)
    item = make_item(assigned=D(2026, 8, 20))
    report = Report(item_id=item.id, period=period, recorded=recorded)
    assert rules.period_flag(item, [report], period, SET) is flag
    # no report at all: 未按时报送 from the Monday, the due day not moved to it
    monday = D(int(period[:4]), int(period[5:]), 26)
    missing = rules.period_flag(item, [], period, SET)
    assert rules.alert(item, monday, CAL, SET, missing) is Alert.REPORT_MISSING
    assert rules.alert(item, monday - dt.timedelta(days=1), CAL, SET, missing) is Alert.NORMAL


UNCLEAR_SCOPE = [
    # (what, item fields, extensions, 督办预警 as of 2026-11-20)
    ("一般, 办理中, no deadline", dict(deadline=None), [], Alert.DEADLINE_UNCLEAR),
    (
        "一般, 申请延期, deadline unreadable",
        dict(deadline=None, deadline_unreadable=True, status=EXT),
        [],
        Alert.DEADLINE_UNCLEAR,
    ),
    (
        "长期, no deadline typed, unreadable text",
        dict(kind=LONG, status=LT, deadline=None, deadline_unreadable=True),
        [],
        Alert.DEADLINE_UNCLEAR,
    ),
    (
        "长期, no deadline: the other rules",
        dict(kind=LONG, status=LT, deadline=None),
        [],
        Alert.NORMAL,
    ),
    (
        "待交办, no deadline, past assignment due",
        dict(deadline=None, assigned=None, status=PEND, issued=D(2026, 11, 2)),
        [],
        Alert.ASSIGNMENT_LATE,
    ),
    (
        "待交办, unreadable deadline, within assignment due",
        dict(
            deadline=None,
            deadline_unreadable=True,
            assigned=None,
            status=PEND,
            issued=D(2026, 11, 19),
        ),
        [],
        Alert.PENDING_ASSIGNMENT,
    ),
    (
        "已办结, no deadline",
        dict(deadline=None, status=DONE, done_date=D(2026, 11, 2)),
        [],
        Alert.DONE_ON_TIME,
    ),
    (
        "已终止, unreadable deadline",
        dict(deadline=None, deadline_unreadable=True, status=TERM),
        [],
        Alert.TERMINATED,
    ),
    (
        "unreadable 完成时限, readable approved 批准时限",
        dict(deadline=None, deadline_unreadable=True),
        [ext(APPROVED, D(2027, 3, 1), D(2026, 10, 1))],
        Alert.NORMAL,
    ),
]


@pytest.mark.parametrize(
    "what, fields, extensions, expected", UNCLEAR_SCOPE, ids=[r[0] for r in UNCLEAR_SCOPE]
)
def test_clarification_deadline_unclear_is_for_open_items_only(what, fields, extensions, expected):
    item = make_item(**fields)
    as_of = D(2026, 11, 20)
    reports = [Report(item_id=item.id, period="2026-11", recorded=D(2026, 11, 10))]
    assert rules.recompute(item, extensions, reports, [], as_of, CAL, SET).alert is expected


OVERDUE_BY_CALENDAR_DAYS = [
    # (deadline, as of, 督办预警, 剩余工作日): Saturday's deadline is past on Sunday with no
    # working day between
    (D(2026, 11, 21), D(2026, 11, 22), Alert.OVERDUE, 0),
    (D(2026, 11, 21), D(2026, 11, 21), Alert.DUE_SOON, 0),
    (D(2026, 11, 20), D(2026, 11, 23), Alert.OVERDUE, -1),
]


@pytest.mark.parametrize("deadline, as_of, expected, left", OVERDUE_BY_CALENDAR_DAYS)
def test_clarification_overdue_counts_calendar_days(deadline, as_of, expected, left):
    item = make_item(deadline=deadline)
    reports = [Report(item_id=item.id, period="2026-11", recorded=D(2026, 11, 10))]
    got = rules.recompute(item, [], reports, [], as_of, CAL, SET)
    assert (got.alert, got.workdays_left) == (expected, left)
