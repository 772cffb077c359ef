"""The supervision rules of SPEC §3: deadlines, status, 督办预警, reporting obligation.

The 事项编号 (ids) are made in ``core.ids``.

Everything here is a pure function of model objects and plain dates, so that ``refresh`` run
twice on the same day writes the same cells, and the rules can be tested in milliseconds.
The public functions read their inputs from an :class:`Item`; :func:`recompute` feeds the
derived status and deadline straight into the private helpers so that refreshing tens of
thousands of items does not copy each one.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import overload

from ledger_tools.core import dates
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
    Status,
)

__all__ = [
    "Computed",
    "alert",
    "alert_for",
    "approval_in_force",
    "assignment_due",
    "current_deadline",
    "derive_status",
    "is_obliged",
    "may_report",
    "month_of",
    "normalize_period",
    "period_flag",
    "period_end",
    "period_of",
    "period_start",
    "recompute",
    "report_due",
]

# -- deadlines --------------------------------------------------------------------------


def assignment_due(item: Item, cal: WorkCalendar, settings: Settings) -> dt.date | None:
    """Art. 5: the assignment notice is due a few working days after the minutes are issued."""
    if item.issued is None:
        return None
    return cal.add_workdays(item.issued, settings.assign_workdays)


def approval_in_force(ext: Extension) -> bool:
    """同意 with 批准时限 and 审批日期, all three (SPEC §3 Status): the only row that moves 当前时限.

    An approval without its 审批日期 cannot be placed in time (a briefing of an earlier month
    would change with it), so it is incomplete: the item stays 申请延期 and validate reports it.
    """
    return (
        ext.result is Approval.APPROVED
        and ext.granted_to is not None
        and ext.approved_on is not None
    )


def decision_incomplete(ext: Extension) -> str | None:
    """What an 延期记录 row that looks decided lacks (Chinese, for L318), or None.

    同意 without 审批日期; 不同意 without 审批日期; a 批准时限 or 审批日期 with no 审批结果.
    同意 without 批准时限 is L308's, not repeated here.
    """
    if ext.result is not None and ext.approved_on is None:
        return f"审批结果为「{ext.result.value}」，但「审批日期」未填写。请填写审批日期"
    if ext.result is None and (ext.granted_to is not None or ext.approved_on is not None):
        filled = "「批准时限」" if ext.granted_to is not None else "「审批日期」"
        return f"已填写{filled}，但「审批结果」未填写（同意或不同意）。请补填审批结果"
    return None


def current_deadline(item: Item, extensions: Sequence[Extension]) -> tuple[dt.date | None, int]:
    """(当前时限, 延期次数) with every dated approval counted: the latest 审批日期 wins over
    完成时限 (the same day: the later row). ``core.state`` asks the same as of a day."""
    best: tuple[dt.date, int] | None = None
    best_to: dt.date | None = None
    count = 0
    for index, ext in enumerate(extensions):
        if not approval_in_force(ext):
            continue
        count += 1
        approved = _day(ext.approved_on)
        assert approved is not None  # approval_in_force needs it
        key = (approved, index)
        if best is None or key >= best:
            best, best_to = key, _day(ext.granted_to)
    if best_to is not None:
        return best_to, count
    return item.deadline, count


# -- status -----------------------------------------------------------------------------


def derive_status(item: Item, extensions: Sequence[Extension]) -> Status:
    """办理状态 from the item's facts as they stand (every dated fact counted; ``core.state``).

    Idempotent: feeding the result back in gives it again. Only merge moves an item to 申请延期
    (a unit asked); a request still pending keeps it there, a decided one takes it back.
    """
    from ledger_tools.core.state import History  # state builds on these rules

    mine = [e for e in extensions if _same_item(item, e.item_id)]
    return History(item, mine).status_on(dt.date.max)


def _same_item(item: Item, record_id: str | None) -> bool:
    """Records are usually pre-filtered; a record without an id is taken as this item's."""
    return record_id is None or item.id is None or record_id.strip() == item.id.strip()


# -- periods ----------------------------------------------------------------------------


def period_of(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


@lru_cache(maxsize=256)
def _parse_period(period: str) -> tuple[int, int]:
    try:
        month = dates.parse_month(period)
    except dates.UnreadableDate:
        month = None
    if month is not None:
        return month
    raise ValueError(f"报送期次「{period}」格式有误，应为 YYYY-MM")


def normalize_period(value: object) -> str | None:
    """The period as YYYY-MM from what a cell may hold, or None.

    Excel turns a typed 2026-03 into a date, and staff type 2026年3月.
    """
    if value is None:
        return None
    if isinstance(value, dt.date):
        return period_of(value)
    return _normalize_text(str(value))


@lru_cache(maxsize=4096)  # a ledger repeats a few dozen periods across its report rows
def _normalize_text(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    try:
        year, month = _parse_period(text)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}"


@lru_cache(maxsize=1024)  # asked for every item of a ledger, for a dozen periods each
def period_start(period: str) -> dt.date:
    year, month = _parse_period(period)
    return dt.date(year, month, 1)


def period_end(period: str) -> dt.date:
    year, month = _parse_period(period)
    return dt.date(year, month, _stdcal.monthrange(year, month)[1])


@lru_cache(maxsize=256)
def _report_due(period: str, day: int) -> dt.date:
    year, month = _parse_period(period)
    last = _stdcal.monthrange(year, month)[1]
    return dt.date(year, month, min(max(day, 1), last))


def report_due(period: str, settings: Settings) -> dt.date:
    """Day 月报截止日 of the month, inclusive; a 31 in February means the month's last day."""
    return _report_due(period, int(settings.report_day))


@lru_cache(maxsize=1024)
def _month_of(day: dt.date, report_day: int) -> tuple[str, dt.date, dt.date]:
    period = period_of(day)
    return period, _report_due(period, report_day), period_start(period)


def month_of(day: dt.date, settings: Settings) -> tuple[str, dt.date, dt.date]:
    """(period, its report due day, its first day) of the month ``day`` falls in.

    Refreshing a ledger asks this for every item on the same day; it is worked out once."""
    return _month_of(day, int(settings.report_day))


# -- reporting obligation ---------------------------------------------------------------


def _obliged(status: Status | None, assigned: dt.date | None, period: str) -> bool:
    return (
        status in OPEN_STATUSES and assigned is not None and _day(assigned) < period_start(period)
    )


def is_obliged(item: Item, period: str) -> bool:
    """Open and assigned before the month began: an item assigned mid-month gets a grace month."""
    return _obliged(item.status, item.assigned, period)


def may_report(item: Item, period: str) -> bool:
    """Open and assigned by the month's end: it appears on that month's form."""
    return (
        item.status in OPEN_STATUSES
        and item.assigned is not None
        and _day(item.assigned) <= period_end(period)
    )


def _flag(
    item: Item,
    status: Status | None,
    reports: Sequence[Report],
    period: str,
    settings: Settings,
) -> ReportFlag:
    due = report_due(period, settings)
    found = False
    for report in reports:
        if not _same_item(item, report.item_id) or normalize_period(report.period) != period:
            continue
        recorded = report.recorded_date
        if recorded is None:
            continue  # a row without 记录时间 is no report (SPEC §3 Fail closed)
        if recorded <= due:
            return ReportFlag.REPORTED
        found = True
    if found:
        return ReportFlag.REPORTED_LATE
    if _obliged(status, item.assigned, period):
        return ReportFlag.MISSING
    return ReportFlag.NOT_REQUIRED


def period_flag(
    item: Item, reports: Sequence[Report], period: str, settings: Settings
) -> ReportFlag:
    """本期报送: a report on time, a late one, nothing though obliged, or nothing needed."""
    return _flag(item, item.status, reports, period, settings)


# -- 督办预警 ----------------------------------------------------------------------------


def alert_for(
    item: Item,
    status: Status | None,
    deadline: dt.date | None,
    done_date: dt.date | None,
    as_of: dt.date,
    cal: WorkCalendar,
    settings: Settings,
    flag: ReportFlag,
) -> Alert:
    if status is Status.CLOSED:
        return Alert.CLOSED
    if status is Status.TERMINATED:
        return Alert.TERMINATED
    if status is Status.DONE:
        # Without a 办结日期 there is no evidence of lateness.
        if deadline is None or done_date is None or _day(done_date) <= deadline:
            return Alert.DONE_ON_TIME
        return Alert.DONE_LATE
    if status not in OPEN_STATUSES:  # 待交办, or a row refresh has not derived yet
        due = assignment_due(item, cal, settings)
        if due is not None and as_of > due:
            return Alert.ASSIGNMENT_LATE
        return Alert.PENDING_ASSIGNMENT
    if _unclear(item, status, deadline):
        return Alert.DEADLINE_UNCLEAR
    if deadline is not None and as_of > deadline:
        return Alert.OVERDUE
    if flag is ReportFlag.MISSING and as_of > month_of(as_of, settings)[1]:
        return Alert.REPORT_MISSING
    if deadline is not None and 0 <= cal.workdays_left(as_of, deadline) <= settings.warn_workdays:
        return Alert.DUE_SOON
    return Alert.NORMAL


def _unclear(item: Item, status: Status | None, deadline: dt.date | None) -> bool:
    """An open item with no readable 当前时限 (SPEC §3 Fail closed): 时限不明, never 正常.

    ``deadline`` is the 当前时限 in force, so a readable approved 批准时限 wins over an unreadable
    完成时限. Without one, a typed 完成时限 that cannot be read hides a deadline that may be long
    past, whatever the kind; a blank one is missing only for a 一般 item (a 长期 item may have
    none, and its other rules apply). An item in 长期推进 is a 长期 one even before its 类型 is
    filled in: refresh keeps the two in step.
    """
    if deadline is not None:
        return False
    if item.deadline_unreadable:
        return True
    return item.kind is not ItemKind.LONG_TERM and status is not Status.LONG_TERM


def alert(
    item: Item, as_of: dt.date, cal: WorkCalendar, settings: Settings, flag: ReportFlag
) -> Alert:
    """督办预警 in SPEC §3 priority order; reads 办理状态 and 当前时限 from ``item``."""
    deadline = item.current_deadline if item.current_deadline is not None else item.deadline
    return alert_for(
        item, item.status, _day(deadline), _day(item.done_date), _day(as_of), cal, settings, flag
    )


# -- the refresh entry point ------------------------------------------------------------


@dataclass
class Computed:
    """The tool-owned (T) columns of one 台账 row."""

    status: Status
    current_deadline: dt.date | None
    extensions: int
    reminders: int
    workdays_left: int | None
    alert: Alert
    period_flag: ReportFlag


def recompute(
    item: Item,
    extensions: Sequence[Extension],
    reports: Sequence[Report],
    reminders: Sequence[Reminder],
    as_of: dt.date,
    cal: WorkCalendar,
    settings: Settings,
) -> Computed:
    """Every T column of one item as of ``as_of``; the records are already this item's.

    The same state a briefing of any past day reads (``core.state``): one rule, not two.
    """
    from ledger_tools.core.state import History  # state builds on these rules

    s = History(item, extensions, reports, reminders).state(as_of, cal, settings)
    return Computed(
        status=s.status,
        current_deadline=s.current_deadline,
        extensions=s.extensions,
        reminders=s.reminders,
        workdays_left=s.workdays_left,
        alert=s.alert,
        period_flag=s.period_flag,
    )


@overload
def _day(value: dt.date) -> dt.date: ...
@overload
def _day(value: None) -> None: ...
@overload
def _day(value: dt.date | None) -> dt.date | None: ...
def _day(value: dt.date | None) -> dt.date | None:
    """Cells may come back as datetimes; every rule compares calendar days."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value
