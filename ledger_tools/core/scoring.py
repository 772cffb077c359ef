"""Scoring proposals (扣分意见, regulation Art. 9): what each lead unit may lose, with evidence.

The office proposes, the annual assessment decides; so every deduction carries the facts it
rests on (item, period, the reminders with their dates) in words staff can paste into a
memo. Each deduction is dated by the day its ground arose, which places it in one assessment
year and, for the monthly briefing, in one month.

Past periods are judged by what was true then, not by today's 办理状态: an item finished in
October still owed its March report. An item's status on a past day is reconstructed from its
dates (交办, 办结, 销号); 已终止 carries no date, so terminated items are left out rather than
guessed at.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from ledger_tools.core import rules
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.model import (
    OPEN_STATUSES,
    Item,
    ItemKind,
    Reminder,
    ReminderMethod,
    Report,
    ReportFlag,
    Settings,
    Status,
    Verification,
)

__all__ = [
    "NO_UNIT",
    "obliged",
    "Deduction",
    "Reason",
    "UnitScore",
    "fmt_points",
    "propose",
    "report_flag",
    "reported_on",
    "reminder_text",
    "sorted_reminders",
    "status_on",
    "summarise",
]

NO_UNIT = "（未填主责单位）"


class Reason(str, Enum):
    """The four grounds of SPEC §3, in the order the proposal lists them."""

    OVERDUE = "逾期未落实"
    MISSED_REPORT = "未按时报送"
    FALSE_REPORT = "报送不实"
    INEFFECTIVE = "措施不力"

    def weight(self, settings: Settings) -> float:
        return float(
            {
                Reason.OVERDUE: settings.weight_overdue,
                Reason.MISSED_REPORT: settings.weight_missed_report,
                Reason.FALSE_REPORT: settings.weight_false_report,
                Reason.INEFFECTIVE: settings.weight_ineffective,
            }[self]
        )


@dataclass(frozen=True)
class Deduction:
    """One proposed deduction. ``date`` is when its ground arose; ``evidence`` is for people."""

    unit: str
    reason: Reason
    item_id: str
    date: dt.date
    points: float
    evidence: str
    period: str | None = None
    reminders: tuple[Reminder, ...] = ()


@dataclass
class UnitScore:
    unit: str
    counts: dict[Reason, int] = field(default_factory=lambda: dict.fromkeys(Reason, 0))
    points: dict[Reason, float] = field(default_factory=lambda: dict.fromkeys(Reason, 0.0))

    @property
    def total(self) -> float:
        return round(sum(self.points.values()), 2)

    @property
    def count(self) -> int:
        return sum(self.counts.values())


def fmt_points(value: float) -> str:
    """0.5 → "0.5", 2.0 → "2": how a deduction is written in an office document."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _cn(d: dt.date | None) -> str:
    return d.isoformat() if d else "（日期未填）"


def reminder_text(reminders: Iterable[Reminder]) -> str:
    """ "2026-10-31 书面督办、2026-11-07 电话督办" — the evidence of being chased."""
    return "、".join(f"{_cn(r.date)} {r.method.value if r.method else '催办'}" for r in reminders)


def sorted_reminders(reminders: Iterable[Reminder]) -> list[Reminder]:
    return sorted(reminders, key=lambda r: r.date or dt.date.min)


# -- an item as it stood on a past day ---------------------------------------------------


def _open_status(item: Item) -> Status:
    if item.status in OPEN_STATUSES:
        return item.status
    return Status.LONG_TERM if item.kind is ItemKind.LONG_TERM else Status.IN_PROGRESS


def status_on(item: Item, day: dt.date) -> Status:
    """办理状态 the item had on ``day``, reconstructed from its dates (see module docstring)."""
    if item.status is Status.TERMINATED:
        return Status.TERMINATED
    if item.assigned is None or item.status is Status.PENDING_ASSIGNMENT or item.assigned > day:
        return Status.PENDING_ASSIGNMENT
    if item.closed_date is not None and item.closed_date <= day:
        return Status.CLOSED
    if item.done_date is not None and item.done_date <= day:
        return Status.DONE
    if item.status in (Status.DONE, Status.CLOSED) and item.done_date is None:
        return item.status  # finished, but we cannot tell when: no evidence of an open item
    return _open_status(item)


def _with_status(item: Item, status: Status) -> Item:
    if status is item.status:
        return item
    other = copy.copy(item)  # a tenth of dataclasses.replace's cost, for ten thousand items a month
    other.status = status
    return other


def obliged(item: Item, period: str, settings: Settings) -> bool:
    """Whether the item had to report for ``period`` (open on its due day, assigned before it began)."""
    status = status_on(item, rules.report_due(period, settings))
    return status in OPEN_STATUSES and rules.is_obliged(_with_status(item, status), period)


def report_flag(
    item: Item, reports: Sequence[Report], period: str, settings: Settings
) -> ReportFlag:
    """本期报送 for any period, judged by the status the item had on that period's due day.

    A report for a month the item did not have to report on (not yet assigned, already
    finished, or its grace month) is no breach however late, so it reads as 已报送 here.
    """
    status = status_on(item, rules.report_due(period, settings))
    if status not in OPEN_STATUSES:
        reported = any(rules.normalize_period(r.period) == period for r in reports)
        return ReportFlag.REPORTED if reported else ReportFlag.NOT_REQUIRED
    item = _with_status(item, status)
    flag = rules.period_flag(item, reports, period, settings)
    if flag is ReportFlag.REPORTED_LATE and not rules.is_obliged(item, period):
        return ReportFlag.REPORTED
    return flag


def reported_on(reports: Sequence[Report], period: str) -> dt.date | None:
    """The day the first report for ``period`` was recorded (None if none or undated)."""
    days = [
        r.recorded_date
        for r in reports
        if rules.normalize_period(r.period) == period and r.recorded_date
    ]
    return min(days) if days else None


# -- the four grounds --------------------------------------------------------------------


def _overdue(
    item: Item, reminders: list[Reminder], settings: Settings, cal: WorkCalendar, as_of: dt.date
) -> tuple[dt.date, str] | None:
    """The day an item was past its deadline with 催办升级次数 reminders, and what shows it.

    An item with no readable deadline (时限不明) is never charged 逾期未落实: it is counted and
    listed with the overdue items, but there is no date to have been late against, and a
    deduction must rest on evidence a unit can check. Staff fix the cell; the charge follows.
    """
    deadline = item.current_deadline or item.deadline
    if deadline is None or item.status is Status.TERMINATED:
        return None
    if item.status in (Status.DONE, Status.CLOSED) and item.done_date is None:
        return None
    need = max(int(settings.escalate_reminders), 0)
    if len(reminders) < need:
        return None
    since = deadline + dt.timedelta(days=1)
    if need:
        since = max(since, reminders[need - 1].date or dt.date.min)
    if since > as_of or (item.done_date is not None and item.done_date <= since):
        return None
    late = -cal.workdays_left(min(as_of, item.done_date or as_of), deadline)
    text = f"当前时限 {deadline.isoformat()}，"
    if item.done_date is not None and item.done_date <= as_of:
        text += f"{item.done_date.isoformat()} 才报办结，逾期 {late} 个工作日"
    else:
        text += f"截至 {as_of.isoformat()} 仍未办结，已逾期 {late} 个工作日"
    text += f"；经催办 {len(reminders)} 次（{reminder_text(reminders)}）仍未落实"
    return since, text


_CHECKS = (ReminderMethod.SPOT_CHECK, ReminderMethod.SITE_VISIT)


def _checked(item: Item, reminders: list[Reminder], as_of: dt.date) -> tuple[dt.date, str]:
    """When a 核查结果 was found: the last spot check or site visit, else the nearest date known."""
    for last in reversed(reminders):
        if last.method in _CHECKS and last.date and last.date <= as_of:
            return last.date, f"{last.date.isoformat()} {last.method.value}"
    for label, day in (
        ("办结日期", item.done_date),
        ("最近报送日期", item.last_report),
        ("交办日期", item.assigned),
    ):
        if day is not None:
            return day, f"核查日期未登记，按{label} {day.isoformat()} 计入"
    return as_of, f"核查日期未登记，按 {as_of.isoformat()} 计入"


def propose(
    items: Iterable[Item],
    reports: Iterable[Report],
    reminders: Iterable[Reminder],
    *,
    year: int,
    as_of: dt.date,
    settings: Settings,
    cal: WorkCalendar,
    unit_of: Callable[[str | None], str | None] = lambda name: name,
) -> list[Deduction]:
    """Every deduction of ``year`` whose ground had arisen by ``as_of``.

    ``items`` are refreshed as of ``as_of`` (当前时限 and 办理状态 current); ``unit_of`` maps a
    name or alias to the registered unit, so a unit's deductions are added up under one name.
    """
    by_item_reports: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        if report.item_id:
            by_item_reports[report.item_id.strip()].append(report)
    by_item_reminders: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        if reminder.item_id:
            by_item_reminders[reminder.item_id.strip()].append(reminder)
    last_month = as_of.month if as_of.year == year else 12
    periods = (
        [f"{year:04d}-{mo:02d}" for mo in range(1, last_month + 1)] if as_of.year >= year else []
    )
    periods = [p for p in periods if rules.report_due(p, settings) < as_of]

    out: list[Deduction] = []
    for item in items:
        if not item.id:
            continue
        unit = unit_of(item.lead_unit) or NO_UNIT
        chased = sorted_reminders(by_item_reminders.get(item.id, ()))

        def add(
            reason: Reason,
            day: dt.date,
            evidence: str,
            period: str | None = None,
            shown: Sequence[Reminder] = (),
            *,
            _id: str = item.id,
            _unit: str = unit,
        ) -> None:
            if day.year == year and day <= as_of:
                out.append(
                    Deduction(
                        _unit,
                        reason,
                        _id,
                        day,
                        reason.weight(settings),
                        evidence,
                        period,
                        tuple(shown),
                    )
                )

        found = _overdue(item, chased, settings, cal, as_of)
        if found:
            add(Reason.OVERDUE, found[0], found[1], shown=chased)

        own = by_item_reports.get(item.id, ())
        for period in periods:
            flag = report_flag(item, own, period, settings)
            due = rules.report_due(period, settings)
            if flag is ReportFlag.MISSING:
                add(
                    Reason.MISSED_REPORT,
                    due,
                    f"{period} 期应于 {due.isoformat()} 前报送，截至 {as_of.isoformat()} 未报送",
                    period,
                )
            elif flag is ReportFlag.REPORTED_LATE:
                got = reported_on(own, period)
                add(
                    Reason.MISSED_REPORT,
                    due,
                    f"{period} 期应于 {due.isoformat()} 前报送，{_cn(got)} 才报送（逾期报送）",
                    period,
                )

        if item.verification in (Verification.FALSE_REPORT, Verification.INEFFECTIVE):
            reason = (
                Reason.FALSE_REPORT
                if item.verification is Verification.FALSE_REPORT
                else Reason.INEFFECTIVE
            )
            day, basis = _checked(item, chased, as_of)
            add(reason, day, f"核查结果为「{item.verification.value}」（{basis}）")
    order = {r: n for n, r in enumerate(Reason)}
    out.sort(key=lambda d: (d.unit, order[d.reason], d.item_id, d.period or ""))
    return out


def summarise(deductions: Iterable[Deduction]) -> list[UnitScore]:
    """Per unit: counts and points by reason; the heaviest total first."""
    scores: dict[str, UnitScore] = {}
    for d in deductions:
        s = scores.setdefault(d.unit, UnitScore(d.unit))
        s.counts[d.reason] += 1
        s.points[d.reason] = round(s.points[d.reason] + d.points, 2)
    return sorted(scores.values(), key=lambda s: (-s.total, s.unit))
