"""Reminders (催办, Art. 7: 书面督办 and 电话督办) as pure decisions (SPEC §6).

Which items need chasing, in what order, and what the 催办通知 and the 催办记录 row say: decided
here from refreshed items and plain dates, so that the document, the 催办记录 rows and the
terminal agree and the rules are tested without a file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ledger_tools.core import rules
from ledger_tools.core.dates import cn_date
from ledger_tools.core.model import OPEN_STATUSES, Alert, Item, Settings
from ledger_tools.core.notices import UNNUMBERED, UnitOf, cn_number, numbered, unit_order_key

__all__ = [
    "REMIND_ALERTS",
    "UNNUMBERED",
    "ReminderNotice",
    "needs_reminder",
    "plan_reminders",
    "reminder_content",
    "reminder_context",
]

# 督办预警 values that call for a reminder, in the order a reminder lists them.
# 时限不明 is chased like 逾期 (SPEC §3 Fail closed): its deadline may be long past.
REMIND_ALERTS = (Alert.DEADLINE_UNCLEAR, Alert.OVERDUE, Alert.REPORT_MISSING, Alert.DUE_SOON)
UNCLEAR_DEADLINE = "完成时限无法识别（时限不明）"


@dataclass
class ReminderNotice:
    """The items one lead unit is chased for, as of one day."""

    unit: str
    items: list[Item]

    def count(self, alert: Alert) -> int:
        return sum(1 for i in self.items if i.alert is alert)


def needs_reminder(item: Item) -> bool:
    """Open, and 时限不明, 逾期, 未按时报送 or 临期 after refresh (交办超时 is the office's own
    delay)."""
    return item.status in OPEN_STATUSES and item.alert in REMIND_ALERTS


def plan_reminders(
    items: Iterable[Item], *, unit_of: UnitOf = lambda n: n, unit_order: Sequence[str] = ()
) -> list[ReminderNotice]:
    """Items needing a reminder, by lead unit; within a unit the most urgent first."""
    groups: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if needs_reminder(item) and item.lead_unit and item.lead_unit.strip():
            groups[unit_of(item.lead_unit) or item.lead_unit].append(item)
    rank: dict[Alert | None, int] = {a: n for n, a in enumerate(REMIND_ALERTS)}
    out = []
    for unit in sorted(groups, key=unit_order_key(unit_order)):
        group = sorted(
            groups[unit],
            key=lambda i: (
                rank[i.alert],
                i.workdays_left if i.workdays_left is not None else 0,
                i.id or "",
            ),
        )
        out.append(ReminderNotice(unit, group))
    return out


def _left_words(item: Item) -> str:
    left = item.workdays_left
    if left is None:
        return ""
    return f"已逾期 {-left} 个工作日" if left < 0 else f"剩余 {left} 个工作日"


def _deadline_state(item: Item) -> str:
    deadline = item.current_deadline or item.deadline
    if item.alert is Alert.DEADLINE_UNCLEAR:
        return UNCLEAR_DEADLINE
    if deadline is None:
        return "长期事项" if item.is_long_term else "完成时限未填写"
    left = _left_words(item)
    return f"当前时限 {deadline.isoformat()}" + (f"，{left}" if left else "")


def _deadline_line(item: Item) -> str:
    """2026年11月10日（已逾期 8 个工作日）: the 完成时限 line of a reminder."""
    deadline = item.current_deadline or item.deadline
    if item.alert is Alert.DEADLINE_UNCLEAR:
        return UNCLEAR_DEADLINE
    if deadline is None:
        return "长期事项，按月报送" if item.is_long_term else "完成时限未填写"
    left = _left_words(item)
    return cn_date(deadline) + (f"（{left}）" if left else "")


def reminder_content(item: Item, as_of: dt.date, settings: Settings) -> str:
    """催办内容 of a 催办记录 row: the alert and the deadline, as the notice says them."""
    text = f"督办预警：{item.alert.value if item.alert else '—'}；{_deadline_state(item)}"
    if item.alert is Alert.REPORT_MISSING:
        period = rules.period_of(as_of)
        text += f"；{period} 期办理情况应于 {rules.report_due(period, settings).isoformat()} 前报送，尚未报送"
    return text


def _ask(item: Item, as_of: dt.date, settings: Settings, office: str) -> str:
    if item.alert is Alert.DEADLINE_UNCLEAR:
        return f"该事项完成时限无法识别，请抓紧办理，并将办理情况及预计完成时间书面报送{office}。"
    if item.alert is Alert.OVERDUE:
        return (
            f"该事项已超过办理时限，请立即组织力量抓紧办理，尽快办结并将办理情况书面报送{office}。"
        )
    if item.alert is Alert.REPORT_MISSING:
        period = rules.period_of(as_of)
        return f"请立即补报 {period} 期办理情况，此后每月{settings.report_day}日前按时报送。"
    deadline = item.current_deadline or item.deadline
    if item.workdays_left == 0:
        return f"今天（{cn_date(deadline)}）为办理时限，请确保按时办结，并及时报送办理情况。"
    return f"请确保于{cn_date(deadline)}前办结，并及时报送办理情况。"


def reminder_context(
    rn: ReminderNotice, as_of: dt.date, settings: Settings, *, counted: Iterable[str] = ()
) -> dict:
    """Everything the 催办通知 template shows.

    ``reminders`` counts this reminder too, unless the item is in ``counted`` (already chased in
    writing that day and so already in its 催办次数).
    """
    counted = set(counted)
    office, org = settings.office_name, settings.org_name
    parts = [
        f"{label}{n}项"
        for alert, label in (
            (Alert.DEADLINE_UNCLEAR, "完成时限不明"),
            (Alert.OVERDUE, "逾期未办结"),
            (Alert.REPORT_MISSING, "未按时报送办理情况"),
            (Alert.DUE_SOON, "临近办理时限"),
        )
        if (n := rn.count(alert))
    ]
    intro = (
        f"截至{cn_date(as_of)}，你单位牵头办理的会议议定事项中，{'、'.join(parts)}。"
        f"根据《{org}常务会议议定事项督查落实办法》第七条规定，现予书面督办。"
    )
    lines = []
    for k, i in enumerate(rn.items, start=1):
        done = (i.reminders or 0) + (0 if i.id and i.id in counted else 1)
        lines.append(
            {
                "heading": f"（{cn_number(k)}）{(i.matter or '（议定事项未填写）').strip()}",
                "id": i.id or UNNUMBERED,
                "source": (i.source_name or "—").strip(),
                "deadline": _deadline_line(i),
                "state": i.alert.value if i.alert else "—",
                "last_report": i.last_report.isoformat() if i.last_report else "无",
                "reminders": f"{done}次（含本次）",
                "ask": _ask(i, as_of, settings, office),
                "confidential": i.confidential,
            }
        )
    asks = [f"请你单位高度重视，逐项对照办理要求抓紧推进落实，并将办理情况书面报送{office}。"]
    if rn.count(Alert.OVERDUE) or rn.count(Alert.DEADLINE_UNCLEAR):
        asks.append(
            f"确因客观原因难以办结的，请书面说明情况；需重新明确办理时限的，报经{org}分管领导审批同意后反馈{office}。"
        )
    if rn.count(Alert.REPORT_MISSING):
        asks.append(f"请于每月{settings.report_day}日前按时报送办理情况，不得迟报、漏报。")
    asks.append(
        f"经多次催办仍不能落实的，{office}将予以通报批评，并按当年度综合考评办法提出扣分意见。"
    )
    return {
        "unit": rn.unit,
        "intro": intro,
        "items": lines,
        "rules": numbered(asks),
        "office_name": office,
        "org_name": org,
        "date_text": cn_date(as_of),
        "as_of": as_of.isoformat(),
    }
