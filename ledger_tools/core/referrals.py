"""Referral evidence (Art. 10): the whole history of the items a unit may be referred for.

Art. 10 lets the office refer a unit for accountability when it leaves an item undone after
repeated reminders or reports untruthfully. The office decides; the tool only gathers the
record: for each unit with an item overdue after the escalation number of reminders (the
逾期未落实 deductions of ``core.scoring``, so both use one definition) or marked 报送不实 in
核查结果, every such item with everything on file about it up to the cut-off — the unit's
reports (办理记录), the office's reminders (催办记录) and the extensions (延期记录) — in date
order, so staff read one page per unit instead of three sheets filtered by hand.

Confidential items keep their 事项编号 and dates; the text of their reports, reminders and
extension requests is replaced (``include_confidential`` off), as in every circulated paper.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ledger_tools.core.confidential import PLACEHOLDER
from ledger_tools.core.model import Extension, Item, Reminder, Report
from ledger_tools.core.scoring import Deduction, Reason

__all__ = ["REFERRAL_REASONS", "Case", "Event", "UnitCases", "referrals"]

REFERRAL_REASONS = (Reason.OVERDUE, Reason.FALSE_REPORT)


@dataclass(frozen=True)
class Event:
    """One dated fact about an item: a report, a reminder or an extension request."""

    date: dt.date | None
    kind: str  # 报送 · 催办 · 延期
    who: str | None
    text: str


@dataclass
class Case:
    item: Item  # as circulated (confidential text replaced)
    reasons: list[Reason]
    evidence: list[str]  # the deductions' own words (which reminders, which 核查)
    history: list[Event] = field(default_factory=list)


@dataclass
class UnitCases:
    unit: str
    cases: list[Case]


def _day(value: dt.date | dt.datetime | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _report(r: Report, hidden: bool) -> Event:
    parts = [f"{r.period or '（未填期次）'} 期"]
    if r.status:
        parts.append(r.status.value)
    if r.done_date:
        parts.append(f"办结日期 {r.done_date.isoformat()}")
    if r.extension_to:
        parts.append(f"申请延期至 {r.extension_to.isoformat()}")
    text = "，".join(parts)
    said = [t for t in (r.progress, r.stage_target, r.problems, r.extension_reason) if t]
    if said:
        text += "：" + (PLACEHOLDER if hidden else "；".join(said))
    return Event(_day(r.recorded), "报送", r.unit, text)


def _reminder(r: Reminder, hidden: bool) -> Event:
    method = r.method.value if r.method else "催办"
    content = (PLACEHOLDER if hidden else r.content) if r.content else None
    return Event(r.date, "催办", r.clerk, method + (f"：{content}" if content else ""))


def _extension(e: Extension, hidden: bool) -> Event:
    parts = [f"申请由 {e.old_deadline.isoformat()}" if e.old_deadline else "申请"]
    parts[0] += f" 延至 {e.requested_to.isoformat()}" if e.requested_to else " 延期"
    if e.reason:
        parts.append(f"理由：{PLACEHOLDER if hidden else e.reason}")
    if e.result:
        granted = f"，准予延至 {e.granted_to.isoformat()}" if e.granted_to else ""
        on = f"（{e.approved_on.isoformat()}）" if e.approved_on else ""
        parts.append(f"审批：{e.result.value}{on}{granted}")
    else:
        parts.append("审批：待审批")
    return Event(e.requested, "延期", e.unit, "；".join(parts))


def referrals(
    deductions: Iterable[Deduction],
    items: dict[str, Item],
    reports: Iterable[Report],
    reminders: Iterable[Reminder],
    extensions: Iterable[Extension],
    *,
    as_of: dt.date,
    include_confidential: bool = False,
) -> list[UnitCases]:
    """Per unit (by name), each item it may be referred for with its history up to ``as_of``.

    ``deductions`` are ``scoring.propose``'s for the year; ``items`` (id → item) are as
    circulated. A fact dated after the cut-off is left out, like everything as of a cut-off;
    an undated one is kept (at the end) rather than silently lost.
    """
    grounds: dict[tuple[str, str], list[Deduction]] = defaultdict(list)
    for d in deductions:
        if d.reason in REFERRAL_REASONS and d.item_id in items:
            grounds[(d.unit, d.item_id)].append(d)
    wanted = {item_id for _, item_id in grounds}
    facts: dict[str, list[tuple[Report | Reminder | Extension, bool]]] = defaultdict(list)
    records: list[Report | Reminder | Extension] = [*reports, *reminders, *extensions]
    for record in records:
        key = (record.item_id or "").strip()
        if key in wanted:
            facts[key].append((record, items[key].confidential and not include_confidential))
    by_unit: dict[str, list[Case]] = defaultdict(list)
    for (unit, item_id), found in sorted(grounds.items()):
        history = []
        for record, hidden in facts[item_id]:
            if isinstance(record, Report):
                event = _report(record, hidden)
            elif isinstance(record, Reminder):
                event = _reminder(record, hidden)
            else:
                event = _extension(record, hidden)
            if event.date is None or event.date <= as_of:
                history.append(event)
        history.sort(key=lambda e: (e.date is None, e.date or dt.date.min))
        reasons = list(dict.fromkeys(d.reason for d in found))
        by_unit[unit].append(Case(items[item_id], reasons, [d.evidence for d in found], history))
    return [UnitCases(unit, cases) for unit, cases in sorted(by_unit.items())]
