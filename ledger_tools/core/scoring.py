"""Scoring proposals (扣分意见, regulation Art. 9): what each lead unit may lose, with evidence.

The office proposes, the annual assessment decides; so every deduction carries the facts it
rests on (item, period, the reminders with their dates) in words staff can paste into a
memo. Each deduction is dated by the day its ground arose, which places it in one assessment
year and, for the monthly briefing, in one month.

Past periods are judged by what was true then, not by today's 办理状态: an item finished in
October still owed its March report. An item's state on a past day comes from its dated facts
(``core.state``: 交办, reports by 记录时间, 办结, 销号, 终止日期, approvals by 审批日期, reminders
by 催办日期), the same rule refresh and the briefing use.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from ledger_tools.core import rules
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.model import (
    Extension,
    Item,
    Reminder,
    ReminderMethod,
    Report,
    ReportFlag,
    Settings,
    Status,
    Verification,
)
from ledger_tools.core.state import History

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


def status_on(item: Item, day: dt.date) -> Status:
    """办理状态 the item had on ``day``, from its dated facts (``core.state``)."""
    return History(item).status_on(day)


def obliged(item: Item, period: str, settings: Settings) -> bool:
    """Whether the item had to report for ``period`` (open on its due day, assigned before it began)."""
    return History(item).obliged(period, settings)


def report_flag(
    item: Item, reports: Sequence[Report], period: str, settings: Settings
) -> ReportFlag:
    """本期报送 for any period, judged by the state the item had on that period's due day.

    A report for a month the item did not have to report on (not yet assigned, already
    finished, or its grace month) is no breach however late, so it reads as 已报送 here.
    """
    return History(item, (), reports).flag(period, dt.date.max, settings)


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
    h: History, reminders: list[Reminder], settings: Settings, cal: WorkCalendar, as_of: dt.date
) -> tuple[dt.date, str] | None:
    """The first day an item was past its 当前时限 with 催办升级次数 reminders, and what shows it.

    Judged from the dated facts (``History.first_escalated``): reminders dated by the cut-off,
    the deadline in force on that day, so an extension approved later does not undo a
    deduction already due. An item with no readable deadline (时限不明) is never charged: it is
    counted and listed with the overdue items, but there is no date to have been late against.
    """
    need = max(int(settings.escalate_reminders), 0)
    since = h.first_escalated(as_of, need)
    if since is None:
        return None
    deadline, _ = h.deadline_on(since)
    assert deadline is not None  # first_escalated only answers for a readable deadline
    done = h.done_date if h.finished_on(as_of) else None
    late = -cal.workdays_left(min(as_of, done or as_of), deadline)
    text = f"当前时限 {deadline.isoformat()}，"
    if done is not None:
        text += f"{done.isoformat()} 才报办结，逾期 {late} 个工作日"
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


Due = tuple[str, dt.date, dt.date]  # (period, its report's due day, its first day)


def _owing(
    dues: Sequence[Due],
) -> Callable[[dt.date, dt.date, dt.date | None], Sequence[Due]]:
    """``owing(opened, until, assigned)``: the periods of ``dues`` whose report was owed by an
    item open on [opened, until) and assigned on ``assigned``: due while open, and assigned
    before the period began (``History.flag`` answers for no other period).

    Column-wise: due days and first days both rise with the month, so those periods are a
    run of consecutive months, found by bisection instead of asking every month of the year
    (most items, finished long ago, owe for none). Months out of order are simply filtered.
    """
    due_days = [due for _, due, _ in dues]
    first_days = [begins for _, _, begins in dues]
    rising = all(a < b for a, b in zip(due_days, due_days[1:])) and all(
        a < b for a, b in zip(first_days, first_days[1:])
    )

    def owing(opened: dt.date, until: dt.date, assigned: dt.date | None) -> Sequence[Due]:
        if assigned is None or not opened < until:
            return ()
        if not rising:
            return [d for d in dues if opened <= d[1] < until and assigned < d[2]]
        first = max(bisect_left(due_days, opened), bisect_right(first_days, assigned))
        return dues[first : bisect_left(due_days, until)]

    return owing


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
    extensions: Iterable[Extension] = (),
    history_of: Callable[[Item], History | None] = lambda item: None,
) -> list[Deduction]:
    """Every deduction of ``year`` whose ground had arisen by ``as_of``.

    Each item is judged from its dated facts (``core.state``): the reports, reminders and
    extension decisions dated by ``as_of``, whatever was typed later. ``unit_of`` maps a name
    or alias to the registered unit, so a unit's deductions are added up under one name.
    ``history_of`` gives an item's :class:`History` when the caller has already built it
    from the same records (the briefing does, for its own counts), so it is built once.
    """
    by_item_extensions: dict[str, list[Extension]] = defaultdict(list)
    for ext in extensions:
        if ext.item_id:
            by_item_extensions[ext.item_id.strip()].append(ext)
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
    dues = [
        (p, due, rules.period_start(p))
        for p in periods
        if (due := rules.report_due(p, settings)) < as_of
    ]
    weights = {r: r.weight(settings) for r in Reason}
    owing_periods = _owing(dues)
    # The evidence of a report never made depends on the period alone: written once.
    never = {
        p: f"{p} 期应于 {due.isoformat()} 前报送，截至 {as_of.isoformat()} 未报送"
        for p, due, _ in dues
    }

    out: list[Deduction] = []
    keys: list[tuple[str, int, str, str]] = []  # the order each deduction is listed in
    order = {r: n for n, r in enumerate(Reason)}
    for item in items:
        if not item.id:
            continue
        unit = unit_of(item.lead_unit) or NO_UNIT
        own = by_item_reports.get(item.id, ())
        mine = by_item_reminders.get(item.id, ())
        h = history_of(item) or History(item, by_item_extensions.get(item.id, ()), own, mine)
        chased = sorted_reminders(r for r in mine if r.date is not None and r.date <= as_of)

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
                keys.append((_unit, order[reason], _id, period or ""))
                out.append(
                    Deduction(
                        _unit,
                        reason,
                        _id,
                        day,
                        weights[reason],
                        evidence,
                        period,
                        tuple(shown),
                    )
                )

        found = _overdue(h, chased, settings, cal, as_of)
        if found:
            add(Reason.OVERDUE, found[0], found[1], shown=chased)

        # Column-wise: a missed or late report needs the item open on the period's due day
        # and assigned before the period began (``History.flag``), so only those periods of
        # the year are asked about; for most items (finished long ago) there are none. For
        # such a period, due before the cut-off, ``flag`` comes down to the first report
        # recorded by the cut-off: none is 未报送, one after the due day 逾期报送
        # (tests/core/test_scoring.py holds this to ``flag``).
        opened, until = h.open_span()
        assigned = h.assigned
        owed = owing_periods(opened, until, assigned)
        firsts = h.first_reports() if owed else {}
        for period, due, _ in owed:
            got = firsts.get(period)  # h.reported_on(period, as_of)
            if got is not None and got > as_of:
                got = None
            if got is None:
                add(Reason.MISSED_REPORT, due, never[period], period)
            elif got > due:
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
    ranked = sorted(range(len(out)), key=keys.__getitem__)  # stable, as list.sort
    return [out[n] for n in ranked]


def summarise(deductions: Iterable[Deduction]) -> list[UnitScore]:
    """Per unit: counts and points by reason; the heaviest total first."""
    scores: dict[str, UnitScore] = {}
    for d in deductions:
        s = scores.get(d.unit)
        if s is None:
            s = scores[d.unit] = UnitScore(d.unit)
        s.counts[d.reason] += 1
        s.points[d.reason] = round(s.points[d.reason] + d.points, 2)
    return sorted(scores.values(), key=lambda s: (-s.total, s.unit))
