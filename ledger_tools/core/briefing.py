"""Every number of the monthly briefing (通报), computed once from model objects.

The workbook, the Word document and the narrative all read the one :class:`Briefing` built
here, so a count can never differ between a table and the sentence that quotes it
(SPEC §6). Items come in refreshed as of the cut-off date; confidential items are counted like
any other but their text is replaced before anything is kept (``include_confidential`` off).

Long because the briefing's numbers are one concept: the row types, the :class:`Briefing` that
holds them and the one :func:`compute` that fills them stay together, so every count is defined
once, next to the row that shows it.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from ledger_tools.core import dates, rules, scoring
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.confidential import PLACEHOLDER, for_circulation
from ledger_tools.core.model import (
    Alert,
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
from ledger_tools.core.state import History

__all__ = [
    "Briefing",
    "ExtensionRow",
    "ItemRow",
    "LongTermRow",
    "SectionRow",
    "Snapshot",
    "Tally",
    "UnitRow",
    "cn_month",
    "compute",
    "default_as_of",
    "pct",
]

NO_LEADER = "（未填责任领导）"
NO_SECTION = "（未填写承办科室）"


def cn_month(month: str) -> str:
    start = rules.period_start(month)
    return f"{start.year}年{start.month}月"


def pct(rate: float) -> str:
    """The percentage as written in the narrative; the workbook shows the same with 0.0%."""
    return f"{rate * 100:.1f}%"


def default_as_of(month: str, today: dt.date) -> dt.date:
    """The month's last day once it is over, else today (a briefing drafted mid-month)."""
    end = rules.period_end(month)
    return end if end < today else today


# -- counting ---------------------------------------------------------------------------

_STATUS_FIELD: dict[Status | None, str] = {
    Status.CLOSED: "closed",
    Status.DONE: "done",
    Status.IN_PROGRESS: "in_progress",
    Status.LONG_TERM: "long_term",
    Status.EXTENSION_REQUESTED: "extension_requested",
    Status.PENDING_ASSIGNMENT: "pending",
    Status.TERMINATED: "terminated",
}
# 时限不明 counts with 逾期 in every total (SPEC §3 Fail closed): a deadline nobody can read may
# be long past, and a count without it would look better than the ledger is.
_ALERT_FIELD: dict[Alert | None, str] = {
    Alert.DEADLINE_UNCLEAR: "overdue",
    Alert.OVERDUE: "overdue",
    Alert.DUE_SOON: "due_soon",
    Alert.REPORT_MISSING: "report_missing",
    Alert.ASSIGNMENT_LATE: "assignment_late",
}


@dataclass
class Tally:
    """Counts of a group of items by 办理状态 and 督办预警."""

    total: int = 0
    closed: int = 0
    done: int = 0
    in_progress: int = 0
    long_term: int = 0
    extension_requested: int = 0
    pending: int = 0
    terminated: int = 0
    overdue: int = 0
    due_soon: int = 0
    report_missing: int = 0
    assignment_late: int = 0

    def add(self, item: Item) -> None:
        self.total += 1
        status = _STATUS_FIELD.get(item.status, "pending")
        setattr(self, status, getattr(self, status) + 1)
        alert = _ALERT_FIELD.get(item.alert)
        if alert:
            setattr(self, alert, getattr(self, alert) + 1)

    @property
    def open(self) -> int:
        """在办: still being worked on (办理中, 长期推进, 申请延期)."""
        return self.in_progress + self.long_term + self.extension_requested

    @property
    def finished(self) -> int:
        return self.closed + self.done

    @property
    def completion_rate(self) -> float:
        """办结率 = (已销号 + 已办结待销号) ÷ (事项总数 − 已终止)."""
        base = self.total - self.terminated
        return round(self.finished / base, 4) if base else 0.0


def tally(items: Iterable[Item]) -> Tally:
    t = Tally()
    for i in items:
        t.add(i)
    return t


def _tallies(keys: Iterable[str], fields: Sequence[tuple[str, str | None]]) -> dict[str, Tally]:
    """A Tally per key (in the order keys first appear), ``keys`` and ``fields`` item by item.

    Column-wise: the briefing tallies every item five times (totals, snapshot, source,
    leader, unit); counting each (key, status field, alert field) once and adding the counts
    gives what ``Tally.add`` item by item gives, in a fraction of the calls.
    """
    out: dict[str, Tally] = {}
    for (key, (status, alert)), n in Counter(zip(keys, fields)).items():
        t = out.get(key)
        if t is None:
            t = out[key] = Tally()
        t.total += n
        setattr(t, status, getattr(t, status) + n)
        if alert:
            setattr(t, alert, getattr(t, alert) + n)
    return out


def _fields(items: Iterable[Item]) -> list[tuple[str, str | None]]:
    """Each item's (status field, alert field) of :class:`Tally`, as ``Tally.add`` picks them."""
    return [(_STATUS_FIELD.get(i.status, "pending"), _ALERT_FIELD.get(i.alert)) for i in items]


RATE_RULE = "办结率 =（已销号 + 已办结待销号）÷（事项总数 − 已终止）"
RANK_RULE = (
    "排名按办结率从高到低；办结率相同的，逾期件数少者在前；再相同的，未按时报送件数少者在前。"
)

# (label, Tally attribute) for the status table of the 通报 sheet, in the order staff read it.
STATUS_ROWS = (
    ("已销号", "closed"),
    ("已办结待销号", "done"),
    ("办理中", "in_progress"),
    ("长期推进", "long_term"),
    ("申请延期", "extension_requested"),
    ("待交办", "pending"),
    ("已终止", "terminated"),
)
ALERT_ROWS = (
    ("逾期", "overdue"),
    ("临期", "due_soon"),
    ("未按时报送", "report_missing"),
    ("交办超时", "assignment_late"),
)


# (月度快照 header, Snapshot field) for the figures a record keeps.
SNAPSHOT_FIGURES = (
    ("截止日期", "as_of"),
    ("事项总数", "total"),
    ("已销号", "closed"),
    ("已办结待销号", "done"),
    ("办理中", "in_progress"),
    ("长期推进", "long_term"),
    ("逾期", "overdue"),
    ("临期", "due_soon"),
    ("办结率", "completion_rate"),
)


@dataclass(frozen=True)
class Snapshot:
    """One row of 月度快照."""

    month: str
    as_of: dt.date | None
    total: int
    closed: int
    done: int
    in_progress: int
    long_term: int
    overdue: int
    due_soon: int
    completion_rate: float

    def changes(self, other: Snapshot) -> list[str]:
        """Each figure that differs from ``other``'s, as 「事项总数 4 → 3」 (self is the record)."""
        out = []
        for label, f in SNAPSHOT_FIGURES:
            old, new = getattr(self, f), getattr(other, f)
            if f == "completion_rate":
                if round(float(old), 4) != round(float(new), 4):
                    out.append(f"{label} {pct(float(old))} → {pct(float(new))}")
            elif old != new:
                out.append(f"{label} {old} → {new}")
        return out

    @classmethod
    def of(cls, month: str, as_of: dt.date, t: Tally) -> Snapshot:
        return cls(
            month,
            as_of,
            t.total,
            t.closed,
            t.done,
            t.in_progress,
            t.long_term,
            t.overdue,
            t.due_soon,
            t.completion_rate,
        )


# -- rows -------------------------------------------------------------------------------


@dataclass
class GroupRow:
    label: str
    tally: Tally


@dataclass
class UnitRow:
    unit: str
    tally: Tally
    obliged: int = 0  # 本月应报送
    on_time: int = 0
    late: int = 0  # reported after the due day
    missed: int = 0  # nothing reported, due day passed
    points: float = 0.0  # year-to-date proposed deductions
    rank: int = 0

    @property
    def not_on_time(self) -> int:
        """未按时报送: late or missing."""
        return self.late + self.missed


@dataclass
class ItemRow:
    """An item in one of the lists; ``item`` is already redacted when it must be."""

    item: Item
    days: int | None = None  # working days overdue (逾期) or left (临期)
    reminders: tuple[Reminder, ...] = ()
    escalated: bool = False  # a 逾期未落实 deduction is proposed
    label: str = ""  # 按期办结 / 逾期办结 in the list of finished items

    @property
    def reminder_text(self) -> str:
        return scoring.reminder_text(self.reminders)

    @property
    def days_shown(self) -> int | str | None:
        """The 逾期工作日 cell: the count, or 「时限不明」 for an item listed with the overdue ones
        because its deadline cannot be read (there is no day to count from)."""
        if self.item.alert is Alert.DEADLINE_UNCLEAR:
            return UNCLEAR_MARK
        if self.item.alert is Alert.ASSIGNMENT_LATE and self.days is not None:
            return f"{self.days}（{Alert.ASSIGNMENT_LATE.value}）"
        return self.days


UNCLEAR_MARK = "时限不明"
# Listed, marked, with the overdue items of the briefing (SPEC §3 Fail closed).
OVERDUE_ALERTS = (Alert.DEADLINE_UNCLEAR, Alert.OVERDUE)


@dataclass
class LongTermRow:
    item: Item
    flag: ReportFlag
    obliged: bool  # had to report this month
    reported: dt.date | None
    label: str  # 本月报送 as shown: 已报送 · 逾期报送 · 未报送 · 待报送 · 无需报送


@dataclass
class ExtensionRow:
    ext: Extension  # its 延期原因 redacted with the item's content
    item: Item | None
    result: str  # 同意 · 不同意 · 待审批


@dataclass
class SectionRow:
    """One 承办科室 and its items (Art. 6(2): each section follows up its own items)."""

    section: str
    items: list[Item]  # as circulated (confidential text replaced), by 事项编号


@dataclass
class Briefing:
    month: str
    as_of: dt.date
    settings: Settings
    due: dt.date  # this month's report due day
    totals: Tally
    by_source: list[GroupRow]
    by_leader: list[GroupRow]
    by_unit: list[UnitRow]
    overdue: list[ItemRow]
    due_soon: list[ItemRow]
    long_term: list[LongTermRow]
    extensions: list[ExtensionRow]
    finished: list[ItemRow]
    deductions: list[scoring.Deduction]
    scores: list[scoring.UnitScore]
    trend: list[Snapshot]
    items_by_id: dict[str, Item] = field(default_factory=dict)
    by_section: list[SectionRow] = field(default_factory=list)

    # what the narrative quotes, derived here so the template only prints
    @property
    def title(self) -> str:
        return f"{self.settings.org_name}常务会议议定事项落实情况通报（{cn_month(self.month)}）"

    @property
    def basis(self) -> str:
        """What the figures rest on: the records as they stood at the cut-off (SPEC §3, §6)."""
        return f"本通报按截至 {dates.cn_date(self.as_of)} 的记录统计。"

    @property
    def year(self) -> int:
        """The assessment year whose deductions the briefing shows (the month's year)."""
        return rules.period_start(self.month).year

    @property
    def snapshot(self) -> Snapshot:
        return Snapshot.of(self.month, self.as_of, self.totals)

    @property
    def due_passed(self) -> bool:
        return self.as_of > self.due

    @property
    def done_in_month(self) -> list[ItemRow]:
        start = rules.period_start(self.month)
        return [r for r in self.finished if r.item.done_date and start <= r.item.done_date]

    @property
    def closed_in_month(self) -> list[ItemRow]:
        start = rules.period_start(self.month)
        return [r for r in self.finished if r.item.closed_date and start <= r.item.closed_date]

    @property
    def overdue_by_unit(self) -> list[tuple[str, list[str]]]:
        return _ids_by_unit(r.item for r in self.overdue)

    @property
    def overdue_unclear(self) -> list[ItemRow]:
        """The listed overdue items whose deadline cannot be read (时限不明)."""
        return [r for r in self.overdue if r.item.alert is Alert.DEADLINE_UNCLEAR]

    @property
    def escalated(self) -> list[ItemRow]:
        return [r for r in self.overdue if r.escalated]

    @property
    def long_term_obliged(self) -> list[LongTermRow]:
        return [r for r in self.long_term if r.obliged]

    @property
    def long_term_on_time(self) -> list[LongTermRow]:
        return [r for r in self.long_term if r.obliged and r.flag is ReportFlag.REPORTED]

    @property
    def long_term_missed(self) -> list[LongTermRow]:
        """Missed the due day: reported late, or nothing once the due day has passed."""
        return [
            r
            for r in self.long_term
            if r.label in (ReportFlag.REPORTED_LATE.value, ReportFlag.MISSING.value)
        ]

    @property
    def long_term_missed_by_unit(self) -> list[tuple[str, list[str]]]:
        return _ids_by_unit(r.item for r in self.long_term_missed)

    @property
    def month_deductions(self) -> list[scoring.Deduction]:
        start = rules.period_start(self.month)
        return [d for d in self.deductions if start <= d.date <= self.as_of]

    @property
    def units_total(self) -> UnitRow:
        """The 合计 row of 分单位: every item once, the units' reports and points added up."""
        rows = self.by_unit
        return UnitRow(
            "合计",
            self.totals,
            sum(r.obliged for r in rows),
            sum(r.on_time for r in rows),
            sum(r.late for r in rows),
            sum(r.missed for r in rows),
            self.total_points,
        )

    @property
    def total_points(self) -> float:
        return round(sum(s.total for s in self.scores), 2)

    def source_count(self, label: str) -> int:
        return next((g.tally.total for g in self.by_source if g.label == label), 0)


def _ids_by_unit(items: Iterable[Item]) -> list[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for i in items:
        grouped[i.lead_unit or scoring.NO_UNIT].append(i.id or "")
    return sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def _grouped(
    items: Sequence[Item],
    key: Callable[[Item], str],
    order: Sequence[str] = (),
    fields: Sequence[tuple[str, str | None]] | None = None,
) -> list[GroupRow]:
    groups: dict[str, Tally] = {label: Tally() for label in order}
    counted = _tallies((key(i) for i in items), _fields(items) if fields is None else fields)
    for label, t in counted.items():
        groups[label] = t
    rows = [GroupRow(k, t) for k, t in groups.items()]
    if not order:
        rows.sort(key=lambda g: (-g.tally.total, g.label))
    return rows


def _rank(rows: list[UnitRow]) -> list[UnitRow]:
    def key(r: UnitRow):
        return (-round(r.tally.completion_rate, 4), r.tally.overdue, r.not_on_time)

    rows.sort(key=lambda r: (key(r), r.unit))
    previous, rank = None, 0
    for n, r in enumerate(rows, start=1):
        if key(r) != previous:
            rank, previous = n, key(r)
        r.rank = rank
    return rows


def _sections(items: Iterable[Item]) -> list[SectionRow]:
    """Every item under its 承办科室, sections by name and the blank one last."""
    grouped: dict[str, list[Item]] = defaultdict(list)
    for i in items:
        grouped[(i.section or "").strip() or NO_SECTION].append(i)
    return [
        SectionRow(name, sorted(grouped[name], key=lambda i: (i.id is None, i.id or "")))
        for name in sorted(grouped, key=lambda n: (n == NO_SECTION, n))
    ]


def _finish_label(i: Item) -> str:
    deadline = i.current_deadline or i.deadline
    if i.done_date is None or deadline is None:
        return ""
    return Alert.DONE_ON_TIME.value if i.done_date <= deadline else Alert.DONE_LATE.value


def _by_item(records) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for r in records:
        if r.item_id:
            grouped[r.item_id.strip()].append(r)
    return grouped


# -- the computation --------------------------------------------------------------------


def _under(item: Item, unit: str) -> Item:
    """The item with 主责单位 ``unit``; a copy only when that changes it (the caller's items stay as
    they were, and most are already under their registered name)."""
    if item.lead_unit == unit:
        return item
    other = copy.copy(item)
    other.lead_unit = unit
    return other


def _unassigned_past_deadline(item: Item, as_of: dt.date) -> dt.date | None:
    """The deadline of an item still waiting for assignment (交办超时 or 待交办) once it has
    passed, else None: the deadline runs from the minutes, not from the notice."""
    if item.alert not in (Alert.ASSIGNMENT_LATE, Alert.PENDING_ASSIGNMENT):
        return None
    deadline = item.current_deadline or item.deadline
    if isinstance(deadline, dt.datetime):
        deadline = deadline.date()
    return deadline if deadline is not None and as_of > deadline else None


def compute(
    *,
    month: str,
    as_of: dt.date,
    items: Sequence[Item],
    reports: Iterable[Report],
    extensions: Iterable[Extension],
    reminders: Iterable[Reminder],
    settings: Settings,
    cal: WorkCalendar,
    unit_of: Callable[[str | None], str | None] = lambda name: name,
    snapshots: Iterable[Snapshot] = (),
    include_confidential: bool = False,
) -> Briefing:
    """The briefing for ``month`` as of ``as_of``.

    ``items`` and the records are the ledger as it stood on ``as_of``
    (``core.recompute.point_in_time``), so the briefing is the same whenever it is produced.
    """
    start, due = rules.period_start(month), rules.report_due(month, settings)
    reports, extensions, reminders = list(reports), list(extensions), list(reminders)
    # Lead units under their registered names, so a unit written by alias is one row.
    items = [_under(i, unit_of(i.lead_unit) or scoring.NO_UNIT) for i in items]
    shown = {id(i): s for i, s in zip(items, for_circulation(items, include_confidential))}

    def show(i: Item) -> Item:
        return shown[id(i)]

    reports_of, reminders_of = _by_item(reports), _by_item(reminders)
    extensions_of = _by_item(extensions)
    # Each item's dated facts, sorted once, for the 分单位 counts and the scoring alike.
    histories = {
        id(i): History(
            i,
            extensions_of.get(i.id or "", ()),
            reports_of.get(i.id or "", ()),
            reminders_of.get(i.id or "", ()),
        )
        for i in items
    }
    deductions = scoring.propose(
        items,
        reports,
        reminders,
        year=start.year,
        as_of=as_of,
        settings=settings,
        cal=cal,
        unit_of=lambda n: n,
        extensions=extensions,
        history_of=lambda i: histories[id(i)],
    )
    overdue_ids = {d.item_id for d in deductions if d.reason is scoring.Reason.OVERDUE}

    def chased(i: Item) -> tuple[Reminder, ...]:
        return tuple(
            scoring.sorted_reminders(
                r for r in reminders_of.get(i.id or "", ()) if not r.date or r.date <= as_of
            )
        )

    overdue = sorted(
        [
            *(
                ItemRow(
                    show(i),
                    None if i.alert is Alert.DEADLINE_UNCLEAR else -(i.workdays_left or 0),
                    chased(i),
                    i.id in overdue_ids,
                )
                for i in items
                if i.alert in OVERDUE_ALERTS
            ),
            # 重点通报 lists every item past its deadline and not finished, whatever its
            # assignment state (SPEC §3 Clarifications): an unassigned one, marked 交办超时.
            *(
                ItemRow(show(i), -cal.workdays_left(as_of, d), chased(i))
                for i in items
                if (d := _unassigned_past_deadline(i, as_of)) is not None
            ),
        ],
        # 时限不明 first: nobody can tell how late it is, and staff must fix the cell.
        key=lambda r: (r.days is not None, -(r.days or 0), r.item.id or ""),
    )
    due_soon = sorted(
        (ItemRow(show(i), i.workdays_left, chased(i)) for i in items if i.alert is Alert.DUE_SOON),
        key=lambda r: (r.days if r.days is not None else 0, r.item.id or ""),
    )

    fields = _fields(items)
    unit_tallies = _tallies((i.lead_unit or scoring.NO_UNIT for i in items), fields)
    unit_rows: dict[str, UnitRow] = {}
    long_term: list[LongTermRow] = []
    for i in items:
        unit = i.lead_unit or scoring.NO_UNIT  # always set: _under gave every item its unit
        row = unit_rows.get(unit)
        if row is None:
            row = unit_rows[unit] = UnitRow(unit, unit_tallies[unit])
        own = reports_of.get(i.id or "", ())
        # The month's obligation judged on its due day (or the cut-off, if earlier), by the
        # one rule refresh and score use (core.state).
        history = histories[id(i)]
        flag = history.flag(month, as_of, settings) if i.id else ReportFlag.NOT_REQUIRED
        must = bool(i.id) and history.obliged(month, settings, as_of)
        if must:
            row.obliged += 1
            row.on_time += flag is ReportFlag.REPORTED
            row.late += flag is ReportFlag.REPORTED_LATE
            row.missed += flag is ReportFlag.MISSING and as_of > due
        if i.kind is ItemKind.LONG_TERM and (
            flag is not ReportFlag.NOT_REQUIRED
            or i.status in (Status.LONG_TERM, Status.EXTENSION_REQUESTED)
        ):
            label = "待报送" if flag is ReportFlag.MISSING and as_of <= due else flag.value
            long_term.append(
                LongTermRow(show(i), flag, must, scoring.reported_on(own, month), label)
            )
    scores = scoring.summarise(deductions)
    points = {s.unit: s.total for s in scores}
    for r in unit_rows.values():
        r.points = points.get(r.unit, 0.0)
    order = {v: n for n, v in enumerate(("未报送", "逾期报送", "待报送", "已报送", "无需报送"))}
    long_term.sort(key=lambda r: (order[r.label], r.item.id or ""))

    finished = sorted(
        (
            ItemRow(show(i), label=_finish_label(i))
            for i in items
            if any(d and start <= d <= as_of for d in (i.done_date, i.closed_date))
        ),
        key=lambda r: (r.item.done_date or r.item.closed_date, r.item.id or ""),
    )

    by_id = {i.id: i for i in items if i.id}
    ext_rows = []
    for e in extensions:
        item = by_id.get((e.item_id or "").strip())
        if e.requested and e.requested > as_of:
            continue
        this_month = any(d and start <= d <= as_of for d in (e.requested, e.approved_on))
        pending = e.result is None
        if not (this_month or pending):
            continue
        if item is not None and item.confidential and not include_confidential and e.reason:
            e = replace(e, reason=PLACEHOLDER)
        ext_rows.append(
            ExtensionRow(e, show(item) if item else None, e.result.value if e.result else "待审批")
        )

    totals = _tallies(("" for _ in items), fields).get("", Tally())
    this = Snapshot.of(month, as_of, totals)
    trend = sorted([s for s in snapshots if s.month < month] + [this], key=lambda s: s.month)

    return Briefing(
        month=month,
        as_of=as_of,
        settings=settings,
        due=due,
        totals=replace(totals),
        by_source=_grouped(
            items,
            lambda i: i.source_type.value if i.source_type else "（未填来源）",
            [s.value for s in SourceType],
            fields,
        ),
        by_leader=_grouped(items, lambda i: i.leader or NO_LEADER, fields=fields),
        by_unit=_rank(list(unit_rows.values())),
        overdue=overdue,
        due_soon=due_soon,
        long_term=long_term,
        extensions=ext_rows,
        finished=finished,
        deductions=deductions,
        scores=scores,
        trend=trend,
        items_by_id={k: show(v) for k, v in by_id.items()},
        by_section=_sections(show(i) for i in items),
    )
