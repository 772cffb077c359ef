"""An item's state as of any date, from its dated facts (SPEC §3 "Point in time").

A briefing for November must say on 10 December what it said on 30 November, so every figure
"as of" a day D is derived here from facts that carry their own date, never from what the
台账 says today. ``refresh`` asks the same question for today (``core.recompute``), so the
ledger's tool columns and a past month's briefing come from one rule.

The facts and how each one is dated (the rule in SPEC-style words; 说明 repeats it):

- **存在**: an item exists from its 印发日期 (or its 交办日期 if that is earlier, or there is no
  印发日期); with neither it exists on every day (it is counted, never hidden).
- **已交办** from 交办日期; before it the item is 待交办.
- **已销号** from 销号日期 (final).
- **已终止** from 终止日期, for an item staff set to 已终止. One without 终止日期 counts as ended
  on every day: the ledger store stamps the day it first sees it (``refresh`` writes it and says
  so; ``brief`` uses the run's day in memory) before asking here.
- **已办结** from the day the office learnt it: the 记录时间 of the first 办理记录 row reporting
  已办结 (never before the 办结日期 it carries). A 办结日期 in 台账 with no such row (typed by staff,
  or adopted) counts from that 办结日期. 已办结 without a 办结日期 is not finished on any day: the
  item counts as open (fail closed; ``validate`` asks for the date).
- **报送**: a 办理记录 row counts from its 记录时间, for the period named on its form. A row without
  记录时间 is no report on any day: not reported, and its progress is not shown (fail closed).
- **申请延期**: a 延期记录 request counts from its 申请日期 (a request without one, from the start)
  until it is decided. A decision counts from its 审批日期: 同意 needs 批准时限 and 审批日期, 不同意
  needs 审批日期; a row short of them is undecided and leaves the item 申请延期. A request still
  undecided today shows only while 台账 says 申请延期 (staff may withdraw it there).
- **当前时限**: the 批准时限 of the latest approval in force (审批日期 ≤ D; the same day: the later
  row), else 完成时限; **延期次数**: approvals in force. A pending request does not stop the clock.
- **催办次数**: 催办记录 rows dated by D; a row without 催办日期 is counted on no day.
- **本期报送** for a period is judged by the item's state on the period's due day (or on D when D
  comes first): obliged when open then and assigned before the month began. A report for a month
  the item was not obliged to report on (its first month, or already finished) is 已报送, however
  late.
- **最新进展**: the progress of the latest report by D. When that is the latest report there
  is, what 台账 holds (merge wrote it there, staff may have corrected it); an item with no report
  row at all shows what 台账 holds (an adopted ledger's text); one whose only reports are undated
  shows none.

Long because the dated facts are one model: the rules above read as its methods, and the
one-pass builder of every item's history (``histories``) fills the same slots ``History`` does.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Protocol, TypeVar

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
    Status,
    UnitReportStatus,
)

__all__ = ["History", "ItemState", "decided_on", "histories"]

_ALWAYS = dt.date.min


class _ForItem(Protocol):
    item_id: str | None


_Keyed = TypeVar("_Keyed", bound=_ForItem)
_FINISHED = (Status.DONE, Status.CLOSED)
_FIRST = itemgetter(0)


def _day(value: dt.date | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def decided_on(ext: Extension) -> dt.date | None:
    """The day a request was decided, or None while it is undecided (or the row incomplete)."""
    if ext.result is Approval.APPROVED:
        return _day(ext.approved_on) if rules.approval_in_force(ext) else None
    if ext.result is Approval.REFUSED:
        return _day(ext.approved_on)
    return None


@dataclass(frozen=True)
class ItemState:
    """What the item was on one day: the tool columns of 台账 plus the dated facts shown."""

    exists: bool
    status: Status
    current_deadline: dt.date | None
    extensions: int
    reminders: int
    workdays_left: int | None
    alert: Alert
    period_flag: ReportFlag
    latest_progress: str | None
    last_report: dt.date | None
    done_date: dt.date | None  # only once finished by that day
    closed_date: dt.date | None  # only once struck off by that day
    end_date: dt.date | None  # only once ended by that day


class History:
    """One item's dated facts, sorted once, asked about any day.

    ``extensions``, ``reports`` and ``reminders`` are this item's rows (grouped by 事项编号 by
    the caller), in sheet order.
    """

    __slots__ = (
        "item",
        "born",
        "assigned",
        "closed",
        "ended",
        "done_known",
        "done_date",
        "reports",
        "approvals",
        "requests",
        "reminder_days",
        "undated_reports",
        "_firsts",
    )

    def __init__(
        self,
        item: Item,
        extensions: Sequence[Extension] = (),
        reports: Sequence[Report] = (),
        reminders: Sequence[Reminder] = (),
    ) -> None:
        # Stable sorts by date alone keep sheet order within a day. Most items have no
        # records at all, and a briefing builds 20,000 of these: the empty cases are skipped.
        if reports:
            dated = [(d, r) for r in reports if (d := r.recorded_date)]
            dated.sort(key=itemgetter(0))
            self._fill(item, extensions, dated, len(dated) != len(reports), None, reminders)
        else:
            self._fill(item, extensions, [], False, None, reminders)

    def _fill(
        self,
        item: Item,
        extensions: Sequence[Extension],
        dated: list[tuple[dt.date, Report]],
        undated: bool,
        firsts: dict[str | None, dt.date] | None,
        reminders: Sequence[Reminder],
    ) -> None:
        """Set every fact from the item and its records, the reports already dated and sorted
        (by ``__init__`` for one item, by :func:`histories` for a whole ledger at once)."""
        self.item = item
        issued, assigned = item.issued, item.assigned
        if isinstance(issued, dt.datetime):
            issued = issued.date()
        if isinstance(assigned, dt.datetime):
            assigned = assigned.date()
        if issued is None:
            self.born = _ALWAYS if assigned is None else assigned
        else:
            self.born = issued if assigned is None or issued <= assigned else assigned
        self.assigned = assigned
        self.closed = _day(item.closed_date)
        if item.status is Status.TERMINATED:
            self.ended: dt.date | None = _day(item.end_date) or _ALWAYS
        else:
            self.ended = None
        self.reports: list[tuple[dt.date, Report]] = dated
        self.undated_reports = undated
        self.done_date = done_date = _day(item.done_date)
        self.done_known: dt.date | None = None
        if done_date is not None:
            first = next((d for d, r in dated if r.status is UnitReportStatus.DONE), None)
            self.done_known = max(first, done_date) if first else done_date
        self.approvals: list[tuple[dt.date, dt.date]] = []
        self.requests: list[tuple[dt.date, dt.date | None]] = []
        if extensions:
            approvals = [
                (_day(e.approved_on), _day(e.granted_to))
                for e in extensions
                if rules.approval_in_force(e)
            ]
            approvals.sort(key=itemgetter(0))
            self.approvals = approvals  # type: ignore[assignment]
            still_open = item.status is Status.EXTENSION_REQUESTED
            for e in extensions:
                decided = decided_on(e)
                if decided is None and not still_open:
                    continue  # undecided today, and 台账 no longer says 申请延期
                self.requests.append((_day(e.requested) or _ALWAYS, decided))
        self.reminder_days = (
            sorted(d for r in reminders if (d := _day(r.date)) is not None) if reminders else []
        )
        self._firsts = firsts

    # -- single facts on a day -----------------------------------------------------------

    def exists_on(self, day: dt.date) -> bool:
        return self.born <= day

    def finished_on(self, day: dt.date) -> bool:
        known = self.done_known
        return known is not None and known <= day

    def status_on(self, day: dt.date) -> Status:
        """办理状态 on ``day`` (an item not yet issued reads 待交办; ask ``exists_on`` first)."""
        closed, ended, known, assigned = self.closed, self.ended, self.done_known, self.assigned
        if closed is not None and closed <= day:
            return Status.CLOSED
        if ended is not None and ended <= day:
            return Status.TERMINATED
        if known is not None and known <= day:
            return Status.DONE
        if assigned is None or assigned > day:
            return Status.PENDING_ASSIGNMENT
        if self.requests and any(
            asked <= day and (decided is None or day < decided) for asked, decided in self.requests
        ):
            return Status.EXTENSION_REQUESTED
        return Status.LONG_TERM if self.item.kind is ItemKind.LONG_TERM else Status.IN_PROGRESS

    def open_span(self) -> tuple[dt.date, dt.date]:
        """[from, until): the days on which ``status_on`` is one of OPEN_STATUSES and the item
        exists (issued and assigned, not yet struck off, ended or finished; a request only
        moves it between open statuses). Empty (from ≥ until) for one never open."""
        if self.assigned is None:
            return dt.date.max, dt.date.min
        until = min(
            (d for d in (self.closed, self.ended, self.done_known) if d is not None),
            default=dt.date.max,
        )
        return max(self.born, self.assigned), until

    def deadline_on(self, day: dt.date) -> tuple[dt.date | None, int]:
        """(当前时限, 延期次数) on ``day``: the latest approval in force by then wins."""
        if not self.approvals:
            return _day(self.item.deadline), 0
        count, granted = 0, None
        for approved, to in self.approvals:
            if approved > day:
                break
            count, granted = count + 1, to
        if granted is not None:
            return granted, count
        return _day(self.item.deadline), count

    def reminders_on(self, day: dt.date) -> int:
        return bisect_right(self.reminder_days, day)  # sorted: those dated by ``day`` lead

    def reports_on(self, day: dt.date) -> list[tuple[dt.date, Report]]:
        return self.reports[: self._reported_by(day)]

    def _reported_by(self, day: dt.date) -> int:
        """How many reports are recorded by ``day`` (sorted by date: they are the first ones)."""
        reports = self.reports
        return bisect_right(reports, day, key=_FIRST) if reports else 0

    def obliged(self, period: str, settings: Settings, day: dt.date = dt.date.max) -> bool:
        """Whether the item owed a report for ``period``: judged on its due day (SPEC §3), or
        on ``day`` when that comes first (what is known then)."""
        due = min(rules.report_due(period, settings), day)
        if not self.exists_on(due) or self.status_on(due) not in OPEN_STATUSES:
            return False
        return self.assigned is not None and self.assigned < rules.period_start(period)

    def first_reports(self) -> dict[str | None, dt.date]:
        """The first 记录时间 of a report for each period named on a form (sorted once, so the
        first row seen for a period is its earliest): a briefing asks about a dozen periods of
        every item, and scanning the reports for each one was most of scoring's time."""
        if self._firsts is None:
            firsts: dict[str | None, dt.date] = {}
            for recorded, report in self.reports:
                firsts.setdefault(rules.normalize_period(report.period), recorded)
            self._firsts = firsts
        return self._firsts

    def flag(self, period: str, day: dt.date, settings: Settings) -> ReportFlag:
        """本期报送 for ``period`` as known on ``day`` (one rule for refresh, brief and score).

        The first report for the period recorded by ``day`` decides: on time when recorded by
        the due day, else late (every later one is later still)."""
        due = rules.report_due(period, settings)
        return self._flag(period, due, day)

    def _flag(
        self, period: str, due: dt.date, day: dt.date, status: Status | None = None
    ) -> ReportFlag:
        """``flag`` with the period's due day worked out; ``status``, when given, is
        ``status_on(day)`` (``state_values`` has it already)."""
        judged = min(day, due)
        first = self.first_reports().get(period)
        if first is not None and first <= day:
            on_time, late = first <= due, first > due
        else:
            on_time = late = False
        if self.born > judged:  # not yet in existence
            return ReportFlag.REPORTED if on_time or late else ReportFlag.NOT_REQUIRED
        if on_time:
            return ReportFlag.REPORTED
        assigned = self.assigned
        must = (
            assigned is not None
            and assigned < rules.period_start(period)
            and (status if status is not None and judged == day else self.status_on(judged))
            in OPEN_STATUSES
        )
        if late:
            return ReportFlag.REPORTED_LATE if must else ReportFlag.REPORTED
        return ReportFlag.MISSING if must else ReportFlag.NOT_REQUIRED

    def reported_on(self, period: str, day: dt.date) -> dt.date | None:
        """The first 记录时间 of a report for ``period`` by ``day``."""
        first = self.first_reports().get(period)
        return first if first is not None and first <= day else None

    # -- the whole state -----------------------------------------------------------------

    def state(self, day: dt.date, cal: WorkCalendar, settings: Settings) -> ItemState:
        """Every tool column and shown fact of the item as of ``day``."""
        return ItemState(*self.state_values(day, cal, settings))

    def state_values(self, day: dt.date, cal: WorkCalendar, settings: Settings) -> tuple:
        """``state``'s fields as a tuple, in :class:`ItemState`'s order (the point-in-time view
        copies them into 10,000 items, without a frozen dataclass built for each)."""
        if isinstance(day, dt.datetime):
            day = day.date()
        exists = self.born <= day
        status = self.status_on(day)
        deadline, count = self.deadline_on(day)
        period, due, _ = rules.month_of(day, settings)
        flag = self._flag(period, due, day, status)
        left = cal.workdays_left(day, deadline) if status in OPEN_STATUSES and deadline else None
        done = (
            self.done_date
            if status in _FINISHED and (known := self.done_known) is not None and known <= day
            else None
        )
        alert = rules.alert_for(self.item, status, deadline, done, day, cal, settings, flag)
        reports = self.reports
        shown = self._reported_by(day)  # the first ``shown`` reports are those made by then
        progress: str | None
        last: dt.date | None
        if shown and shown < len(reports):
            last, newest = reports[shown - 1]  # a newer one came later
            progress = newest.progress
        elif shown or not (reports or self.undated_reports):
            # The latest report there is (or none ever): what 台账 holds, as merge wrote it
            # or staff corrected it; an adopted ledger's text for an item with no report.
            progress, last = self.item.latest_progress, _day(self.item.last_report)
            if shown:
                progress = progress if progress is not None else reports[shown - 1][1].progress
                last = last if last is not None and last <= day else reports[shown - 1][0]
            elif last is not None and last > day:
                progress, last = None, None
        else:
            progress, last = None, None
        return (
            exists,
            status,
            deadline,
            count,
            bisect_right(self.reminder_days, day),  # reminders_on
            left,
            alert,
            flag,
            progress,
            last,
            done,
            self.closed if status is Status.CLOSED else None,
            self.ended if status is Status.TERMINATED else None,
        )

    # -- 逾期未落实 -------------------------------------------------------------------------

    def first_escalated(self, cutoff: dt.date, need: int) -> dt.date | None:
        """The first day by ``cutoff`` on which the item was past its 当前时限, not finished,
        and chased at least ``need`` times (reminders dated by that day): the day a 逾期未落实
        deduction is due. An approval later does not undo it (SPEC §3 Clarifications).

        The condition can only start holding the day after a deadline (完成时限 or a 批准时限)
        or on a reminder's day, so those are the only days to look at. An item with no readable
        deadline is never charged (there is no day it was late against).
        """
        if need > len(self.reminder_days):
            return None  # never chased that often
        ends = {self.item.deadline, *(g for _, g in self.approvals)}
        candidates = {d + dt.timedelta(days=1) for d in map(_day, ends) if d is not None}
        candidates.update(self.reminder_days)
        for day in sorted(candidates):
            if day > cutoff:
                break
            if not self.exists_on(day):
                continue
            deadline, _ = self.deadline_on(day)
            if deadline is None or day <= deadline:
                continue
            if self.status_on(day) in (Status.DONE, Status.CLOSED, Status.TERMINATED):
                continue
            if self.reminders_on(day) >= need:
                return day
        return None


def histories(
    items: Sequence[Item],
    keys: Sequence[str | None],
    extensions: Iterable[Extension] = (),
    reports: Iterable[Report] = (),
    reminders: Iterable[Reminder] = (),
) -> list[History]:
    """Every item's :class:`History` at once, each given the records whose 事项编号 is its
    ``keys`` entry (as typed; a blank key gets none): what ``History(item, ...)`` gives for
    each, from one pass over each sheet's rows instead of one grouping and sort per item.

    The reports are dated and sorted by date once for the whole ledger (stably, so sheet order
    stays within a day, as the per-item sort keeps it), and each period's first 记录时间 is
    noted on the way, which ``flag`` asks for every item.
    """
    dated: list[tuple[dt.date, str, Report]] = []
    undated: set[str] = set()
    for r in reports:
        key = r.item_id
        if not key:
            continue
        d = r.recorded
        if isinstance(d, dt.datetime):
            d = d.date()
        if d:
            dated.append((d, key, r))
        else:  # no 记录时间: no report on any day
            undated.add(key)
    dated.sort(key=_FIRST)
    reports_of: dict[str, list[tuple[dt.date, Report]]] = {}
    firsts_of: dict[str, dict[str | None, dt.date]] = {}
    normalize = rules.normalize_period
    for d, key, r in dated:
        own = reports_of.get(key)
        if own is None:
            reports_of[key] = [(d, r)]
            firsts_of[key] = {normalize(r.period): d}
        else:
            own.append((d, r))
            firsts_of[key].setdefault(normalize(r.period), d)
    extensions_of, reminders_of = _by_key(extensions), _by_key(reminders)
    out: list[History] = []
    new = History.__new__
    for item, key in zip(items, keys, strict=True):
        h = new(History)
        if key:
            own = reports_of.get(key)
            h._fill(
                item,
                extensions_of.get(key, ()),
                own if own is not None else [],
                key in undated,
                firsts_of.get(key),
                reminders_of.get(key, ()),
            )
        else:
            h._fill(item, (), [], False, None, ())
        out.append(h)
    return out


def _by_key(records: Iterable[_Keyed]) -> dict[str, list[_Keyed]]:
    grouped: dict[str, list[_Keyed]] = {}
    for r in records:
        key = r.item_id
        if key:
            own = grouped.get(key)
            if own is None:
                grouped[key] = [r]
            else:
                own.append(r)
    return grouped
