"""Scoring proposals (Art. 9): each ground, its date, its year, its evidence, the weights."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from ledger_tools.core import rules, scoring
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.model import (
    Alert,
    Approval,
    Extension,
    Item,
    ItemKind,
    Reminder,
    ReminderMethod,
    Report,
    ReportFlag,
    Settings,
    SourceType,
    Status,
    UnitReportStatus,
    Verification,
)
from ledger_tools.core.scoring import Reason
from ledger_tools.core.state import History

D = dt.date
CAL = WorkCalendar()
SET = Settings()
AS_OF = D(2026, 11, 30)


def make_item(**over) -> Item:
    """An item as refresh leaves it (status and 当前时限 derived)."""
    base = dict(
        id="2026-CW12-01",
        source_type=SourceType.EXECUTIVE,
        issued=D(2026, 9, 18),
        kind=ItemKind.REGULAR,
        deadline=D(2026, 10, 15),
        current_deadline=D(2026, 10, 15),
        assigned=D(2026, 9, 22),
        status=Status.IN_PROGRESS,
        lead_unit="东城区人民政府",
    )
    base.update(over)
    return Item(**base)


def chase(*days, item_id="2026-CW12-01", method=ReminderMethod.WRITTEN) -> list[Reminder]:
    return [Reminder(date=d, item_id=item_id, method=method) for d in days]


def monthly(item_id="2026-CW12-01", months=range(10, 12), day=20) -> list[Report]:
    return [
        Report(item_id=item_id, period=f"2026-{mo:02d}", recorded=D(2026, mo, day)) for mo in months
    ]


def propose(items, reports=(), reminders=(), *, year=2026, as_of=AS_OF, settings=SET, **kw):
    return scoring.propose(
        items, reports, reminders, year=year, as_of=as_of, settings=settings, cal=CAL, **kw
    )


def only(deductions, reason):
    return [d for d in deductions if d.reason is reason]


# -- 逾期未落实 ---------------------------------------------------------------------------


def test_overdue_after_the_escalation_reminder_counts_once_dated_by_that_reminder():
    out = only(
        propose([make_item()], monthly(), chase(D(2026, 10, 20), D(2026, 10, 30), D(2026, 11, 10))),
        Reason.OVERDUE,
    )
    assert len(out) == 1
    d = out[0]
    assert d.date == D(2026, 10, 30) and d.points == 1.0 and d.unit == "东城区人民政府"
    assert "2026-10-20 书面督办" in d.evidence and "2026-11-10 书面督办" in d.evidence
    assert "催办 3 次" in d.evidence and len(d.reminders) == 3


def test_overdue_with_too_few_reminders_is_not_a_deduction():
    assert not only(propose([make_item()], monthly(), chase(D(2026, 10, 20))), Reason.OVERDUE)


def test_reminders_before_the_deadline_count_and_the_day_after_the_deadline_dates_it():
    out = only(
        propose([make_item()], monthly(), chase(D(2026, 10, 1), D(2026, 10, 10))), Reason.OVERDUE
    )
    assert [d.date for d in out] == [D(2026, 10, 16)]


def test_done_before_escalation_is_not_but_done_late_after_it_still_is():
    reminders = chase(D(2026, 10, 20), D(2026, 10, 30))
    early = make_item(status=Status.DONE, done_date=D(2026, 10, 25))
    late = make_item(status=Status.DONE, done_date=D(2026, 11, 12))
    assert not only(propose([early], monthly(), reminders), Reason.OVERDUE)
    out = only(propose([late], monthly(), reminders), Reason.OVERDUE)
    assert len(out) == 1 and "2026-11-12 才报办结" in out[0].evidence


def test_an_approved_extension_moves_the_deadline_and_forgives():
    moved = make_item(current_deadline=D(2026, 12, 31))
    approval = Extension(
        item_id=moved.id,
        requested=D(2026, 10, 10),
        approved_on=D(2026, 10, 12),
        result=Approval.APPROVED,
        granted_to=D(2026, 12, 31),
    )
    reminders = chase(D(2026, 10, 20), D(2026, 10, 30))
    assert not only(propose([moved], monthly(), reminders, extensions=[approval]), Reason.OVERDUE)


def test_an_extension_approved_after_the_charge_fell_due_does_not_undo_it():
    moved = make_item(current_deadline=D(2026, 12, 31))
    late = Extension(
        item_id=moved.id,
        requested=D(2026, 10, 10),
        approved_on=D(2026, 11, 3),
        result=Approval.APPROVED,
        granted_to=D(2026, 12, 31),
    )
    reminders = chase(D(2026, 10, 20), D(2026, 10, 30))
    out = only(propose([moved], monthly(), reminders, extensions=[late]), Reason.OVERDUE)
    assert [d.date for d in out] == [D(2026, 10, 30)]
    assert "当前时限 2026-10-15" in out[0].evidence


def test_an_approval_counts_only_from_its_date_and_needs_it():
    item = make_item()
    undated = Extension(
        item_id=item.id,
        requested=D(2026, 10, 10),
        result=Approval.APPROVED,
        granted_to=D(2026, 12, 31),
    )
    reminders = chase(D(2026, 10, 20), D(2026, 10, 30))
    out = only(propose([item], monthly(), reminders, extensions=[undated]), Reason.OVERDUE)
    assert [d.date for d in out] == [D(2026, 10, 30)]


def test_reminders_dated_after_the_cut_off_do_not_count():
    reminders = chase(D(2025, 12, 26), D(2026, 3, 2))
    item = make_item(deadline=D(2025, 12, 20), assigned=D(2025, 11, 3), issued=D(2025, 11, 1))
    assert not only(
        propose([item], reminders=reminders, year=2025, as_of=D(2025, 12, 31)), Reason.OVERDUE
    )


def test_overdue_belongs_to_the_year_the_escalation_happened():
    item = make_item(
        deadline=D(2025, 12, 20), current_deadline=D(2025, 12, 20), assigned=D(2025, 11, 3)
    )
    reminders = chase(D(2025, 12, 26), D(2026, 1, 8))
    assert not only(
        propose([item], reminders=reminders, year=2025, as_of=D(2025, 12, 31)), Reason.OVERDUE
    )
    assert only(propose([item], reminders=reminders, year=2026), Reason.OVERDUE)[0].date == D(
        2026, 1, 8
    )


def test_the_escalation_threshold_and_weight_come_from_settings():
    settings = Settings(escalate_reminders=1, weight_overdue=3)
    out = only(
        propose([make_item()], monthly(), chase(D(2026, 10, 20)), settings=settings), Reason.OVERDUE
    )
    assert len(out) == 1 and out[0].points == 3.0


def test_terminated_and_long_term_items_are_never_overdue():
    reminders = chase(D(2026, 10, 20), D(2026, 10, 30))
    terminated = make_item(status=Status.TERMINATED)
    long_term = make_item(
        kind=ItemKind.LONG_TERM, status=Status.LONG_TERM, deadline=None, current_deadline=None
    )
    assert not only(propose([terminated, long_term], monthly(), reminders), Reason.OVERDUE)


# -- 未按时报送 ---------------------------------------------------------------------------


def test_every_missed_or_late_month_since_the_grace_month_counts():
    item = make_item(current_deadline=D(2026, 12, 31))  # assigned 09-22: first due month is October
    reports = [
        Report(item_id=item.id, period="2026-09", recorded=D(2026, 9, 30)),  # grace month: fine
        Report(item_id=item.id, period="2026-10", recorded=D(2026, 10, 26)),
    ]  # one day late
    out = only(propose([item], reports), Reason.MISSED_REPORT)
    assert [(d.period, d.date) for d in out] == [
        ("2026-10", D(2026, 10, 25)),
        ("2026-11", D(2026, 11, 25)),
    ]
    assert "2026-10-26 才报送" in out[0].evidence and "未报送" in out[1].evidence
    assert all(d.points == 0.5 for d in out)


def test_the_due_day_is_inclusive_and_a_month_not_yet_due_is_not_counted():
    item = make_item(current_deadline=D(2026, 12, 31))
    on_due_day = [
        Report(item_id=item.id, period="2026-10", recorded=dt.datetime(2026, 10, 25, 17, 30))
    ]
    out = only(propose([item], on_due_day, as_of=D(2026, 11, 25)), Reason.MISSED_REPORT)
    assert out == []  # October on time; November's due day is today, still open


def test_a_finished_item_owed_its_reports_until_it_was_done():
    item = make_item(status=Status.CLOSED, done_date=D(2026, 11, 5), closed_date=D(2026, 11, 9))
    out = only(propose([item], []), Reason.MISSED_REPORT)
    assert [d.period for d in out] == ["2026-10"]  # done before November's due day


def test_report_flag_judges_a_past_month_by_the_status_then():
    item = make_item(status=Status.DONE, done_date=D(2026, 11, 5))
    assert scoring.report_flag(item, [], "2026-10", SET) is ReportFlag.MISSING
    assert scoring.report_flag(item, [], "2026-11", SET) is ReportFlag.NOT_REQUIRED
    assert scoring.status_on(item, D(2026, 9, 1)) is Status.PENDING_ASSIGNMENT
    assert scoring.status_on(item, D(2026, 10, 25)) is Status.IN_PROGRESS


def test_terminated_items_owe_no_reports_since_their_end_is_unknown():
    assert not propose([make_item(status=Status.TERMINATED)], [])


def test_a_past_year_is_scored_for_all_twelve_months():
    item = make_item(
        assigned=D(2025, 10, 10), deadline=D(2027, 6, 30), current_deadline=D(2027, 6, 30)
    )
    out = only(propose([item], [], year=2025, as_of=D(2026, 3, 1)), Reason.MISSED_REPORT)
    assert [d.period for d in out] == ["2025-11", "2025-12"]


# -- 报送不实 / 措施不力 --------------------------------------------------------------------


def test_verification_results_are_dated_by_the_last_spot_check():
    item = make_item(
        status=Status.DONE, done_date=D(2026, 10, 10), verification=Verification.FALSE_REPORT
    )
    checks = chase(D(2026, 11, 3), method=ReminderMethod.SPOT_CHECK)
    out = only(propose([item], monthly(months=[10]), checks), Reason.FALSE_REPORT)
    assert len(out) == 1 and out[0].points == 2.0 and out[0].date == D(2026, 11, 3)
    assert "随机抽查" in out[0].evidence


def test_without_a_recorded_check_the_done_date_places_the_result():
    item = make_item(
        status=Status.DONE, done_date=D(2025, 12, 10), verification=Verification.INEFFECTIVE
    )
    assert only(propose([item], year=2025, as_of=D(2025, 12, 31)), Reason.INEFFECTIVE)[0].date == D(
        2025, 12, 10
    )
    assert not only(propose([item]), Reason.INEFFECTIVE)  # not 2026's


# -- adding up ----------------------------------------------------------------------------


def test_units_are_added_up_under_their_registered_names_heaviest_first():
    a = make_item(
        id="2026-CW12-01",
        lead_unit="东城区",
        verification=Verification.FALSE_REPORT,
        current_deadline=D(2026, 12, 31),
    )
    b = make_item(id="2026-CW12-02", lead_unit="东城区人民政府", current_deadline=D(2026, 12, 31))
    c = make_item(id="2026-CW12-03", lead_unit="西山县人民政府", current_deadline=D(2026, 12, 31))
    reports = monthly("2026-CW12-01") + monthly("2026-CW12-03", months=[10])
    names = {"东城区": "东城区人民政府"}
    out = propose([a, b, c], reports, unit_of=lambda n: names.get(n, n))
    scores = scoring.summarise(out)
    assert [s.unit for s in scores] == ["东城区人民政府", "西山县人民政府"]
    east = scores[0]
    assert east.counts[Reason.FALSE_REPORT] == 1 and east.counts[Reason.MISSED_REPORT] == 2
    assert east.total == 2 + 2 * 0.5 and east.count == 3
    assert scores[1].total == 0.5


@pytest.mark.parametrize(("value", "text"), [(0.5, "0.5"), (2.0, "2"), (7.25, "7.25"), (0, "0")])
def test_points_are_written_as_an_office_would(value, text):
    assert scoring.fmt_points(value) == text


TWO_USES = [
    # (what, October's report day, November's report day, deductions for 未按时报送 as of
    #  2026-11-30, 督办预警 as of 2026-11-30): in scoring each obligation missed or met late
    #  counts; as a 督办预警 it marks only the current obligation, unmet after its due day.
    ("both on time", 20, 20, [], Alert.NORMAL),
    ("October late, November on time", 27, 20, ["2026-10"], Alert.NORMAL),
    ("October missed, November on time", None, 20, ["2026-10"], Alert.NORMAL),
    ("October on time, November late", 20, 27, ["2026-11"], Alert.NORMAL),
    ("October on time, November missed", 20, None, ["2026-11"], Alert.REPORT_MISSING),
    ("both missed", None, None, ["2026-10", "2026-11"], Alert.REPORT_MISSING),
]


@pytest.mark.parametrize(
    "what, october, november, periods, alert", TWO_USES, ids=[r[0] for r in TWO_USES]
)
def test_clarification_the_two_uses_of_report_missing(what, october, november, periods, alert):
    item = make_item(current_deadline=D(2027, 3, 31), deadline=D(2027, 3, 31))
    reports = [
        Report(item_id=item.id, period=p, recorded=D(2026, int(p[5:]), day))
        for p, day in (("2026-10", october), ("2026-11", november))
        if day is not None
    ]
    missed = only(propose([item], reports), Reason.MISSED_REPORT)
    assert [d.period for d in missed] == periods
    flag = rules.period_flag(item, reports, "2026-11", SET)
    assert rules.alert(item, AS_OF, CAL, SET, flag) is alert


def test_the_periods_owed_are_those_a_month_by_month_check_finds():
    """The bisection of ``_owing`` against asking every month, on every span and assignment
    day around the due days and first days (and on months out of order)."""
    import random

    from ledger_tools.core import rules
    from ledger_tools.core.model import Settings
    from ledger_tools.core.scoring import _owing

    settings = Settings()
    periods = [f"2026-{m:02d}" for m in range(1, 13)]
    dues = [(p, rules.report_due(p, settings), rules.period_start(p)) for p in periods]
    days = sorted({d for _, due, start in dues for d in (due, start)})
    days = sorted(
        {d + dt.timedelta(days=k) for d in days for k in (-1, 0, 1)} | {dt.date.min, dt.date.max}
    )
    shuffled = dues[:]
    random.Random(15).shuffle(shuffled)
    for table in (dues, shuffled):
        owing = _owing(table)
        for opened in days:
            for until in days[::3]:
                for assigned in (None, *days[::4]):
                    expected = [
                        d
                        for d in table
                        if opened <= d[1] < until and assigned is not None and assigned < d[2]
                    ]
                    assert list(owing(opened, until, assigned)) == expected


# -- the owed periods, column-wise --------------------------------------------------------

_DAYS = st.one_of(st.none(), st.dates(min_value=D(2025, 11, 1), max_value=D(2027, 1, 31)))
_EARLY = st.one_of(st.none(), st.dates(min_value=D(2025, 11, 1), max_value=D(2026, 6, 30)))


@hyp_settings(max_examples=300, deadline=None)
@given(
    issued=_EARLY,
    assigned=_EARLY,
    done=_DAYS,
    closed=_DAYS,
    status=st.sampled_from([Status.IN_PROGRESS, Status.DONE, Status.TERMINATED, Status.LONG_TERM]),
    ended=_DAYS,
    # (month, days after its report's due day, 办理状态): around the due day
    reports=st.lists(
        st.tuples(
            st.integers(1, 12),
            st.one_of(st.integers(-3, 0), st.integers(1, 40)),
            st.sampled_from([UnitReportStatus.ONGOING, UnitReportStatus.DONE]),
        ),
        max_size=8,
    ),
    as_of=st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 12, 31)),
)
def test_an_owed_period_is_flagged_by_its_first_report_alone(
    issued, assigned, done, closed, status, ended, reports, as_of
):
    """For a period ``propose`` asks about (owed while open, due before the cut-off),
    ``History.flag`` is 未报送 without a report recorded by the cut-off, 逾期报送 with the
    first one after the due day, else 已报送: what ``propose`` reads off ``reported_on``."""
    item = make_item(
        issued=issued,
        assigned=assigned,
        done_date=done,
        closed_date=closed,
        status=status,
        end_date=ended,
        kind=ItemKind.LONG_TERM if status is Status.LONG_TERM else ItemKind.REGULAR,
    )
    rows = [
        Report(
            item_id=item.id,
            period=f"2026-{mo:02d}",
            recorded=rules.report_due(f"2026-{mo:02d}", SET) + dt.timedelta(days=after),
            status=done_status,
        )
        for mo, after, done_status in reports
    ]
    h = History(item, (), rows)
    periods = [f"2026-{mo:02d}" for mo in range(1, as_of.month + 1)]
    dues = [
        (p, due, rules.period_start(p))
        for p in periods
        if (due := rules.report_due(p, SET)) < as_of
    ]
    opened, until = h.open_span()
    for period, due, _ in scoring._owing(dues)(opened, until, h.assigned):
        got = h.reported_on(period, as_of)
        expected = (
            ReportFlag.MISSING
            if got is None
            else ReportFlag.REPORTED_LATE
            if got > due
            else ReportFlag.REPORTED
        )
        assert h.flag(period, as_of, SET) is expected
