"""What the 概览 and 事项 pages show, computed from the read-only view (``jobs.overview``).

Only counting and sorting happens here; every status and alert is the rules' own (the job
recomputed them). The trend chart is drawn here as inline SVG: a dozen points need no chart
library, and the page stays one file that prints and works offline.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

from ledger_tools.core import model as m
from ledger_tools.jobs.overview import Overview, Snapshot

__all__ = ["ALERT_TONE", "ItemFilter", "Tally", "alert_counts", "by_field", "trend_svg"]

# 督办预警 → the colour the ledger's conditional formatting gives it (sheets/styles.py).
ALERT_TONE: dict[str, str] = {
    "时限不明": "red",
    "逾期": "red",
    "交办超时": "red",
    "未按时报送": "red",
    "逾期办结": "amber",
    "临期": "amber",
    "已销号": "grey",
    "已终止": "grey",
    "按期办结": "green",
}
OVERDUE = (m.Alert.OVERDUE, m.Alert.DEADLINE_UNCLEAR)  # counted and listed together (SPEC §3)


def tone(alert: m.Alert | None) -> str:
    return ALERT_TONE.get(alert.value, "plain") if alert else "plain"


def alert_counts(items: list[m.Item]) -> list[tuple[str, int, str]]:
    """(督办预警, count, tone) for every alert in the rules' order, those with items only."""
    counts = Counter(i.alert for i in items)
    shown = [(a.value, counts[a], tone(a)) for a in m.Alert if counts[a]]
    if counts[None]:
        shown.append(("（未计算）", counts[None], "plain"))
    return shown


@dataclass
class Tally:
    """One row of a 分单位 / 分领导 table."""

    name: str
    total: int = 0
    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    done: int = 0
    closed: int = 0


def by_field(items: list[m.Item], name_of) -> list[Tally]:
    """Totals per unit or leader, the most overdue first, then by name."""
    rows: dict[str, Tally] = {}
    for i in items:
        key = name_of(i) or "（未填）"
        t = rows.setdefault(key, Tally(key))
        t.total += 1
        t.open += i.status in m.OPEN_STATUSES
        t.overdue += i.alert in OVERDUE
        t.due_soon += i.alert is m.Alert.DUE_SOON
        t.done += i.status is m.Status.DONE
        t.closed += i.status is m.Status.CLOSED
    return sorted(rows.values(), key=lambda t: (-t.overdue, -t.due_soon, t.name))


def by_unit(items: list[m.Item]) -> list[Tally]:
    return by_field(items, lambda i: i.lead_unit)


def by_leader(items: list[m.Item]) -> list[Tally]:
    return by_field(items, lambda i: i.leader)


def overdue_items(items: list[m.Item]) -> list[m.Item]:
    """The overdue list (时限不明 with it, marked), longest overdue first."""
    late = [i for i in items if i.alert in OVERDUE]
    return sorted(late, key=lambda i: (i.current_deadline or dt.date.min, i.id or ""))


@dataclass
class ItemFilter:
    """The 事项 page's filters, as the query string gives them (blank = any)."""

    unit: str = ""
    status: str = ""
    alert: str = ""
    source_type: str = ""
    leader: str = ""
    text: str = ""

    FIELDS = ("unit", "status", "alert", "source_type", "leader", "text")

    @classmethod
    def from_query(cls, query) -> ItemFilter:
        return cls(**{f: (query.get(f) or "").strip()[:200] for f in cls.FIELDS})

    def matches(self, i: m.Item) -> bool:
        if self.unit and (i.lead_unit or "") != self.unit:
            return False
        if self.status and (i.status.value if i.status else "") != self.status:
            return False
        if self.alert and (i.alert.value if i.alert else "") != self.alert:
            return False
        if self.source_type and (i.source_type.value if i.source_type else "") != self.source_type:
            return False
        if self.leader and (i.leader or "") != self.leader:
            return False
        if self.text:
            hay = " ".join(
                str(v or "")
                for v in (
                    i.id,
                    i.source_name,
                    i.matter,
                    i.requirement,
                    i.lead_unit,
                    "、".join(i.co_units),
                    i.leader,
                    i.latest_progress,
                    i.note,
                )
            )
            if self.text.casefold() not in hay.casefold():
                return False
        return True


def filtered(items: list[m.Item], chosen: ItemFilter) -> list[m.Item]:
    return [i for i in items if chosen.matches(i)]


@dataclass
class Choices:
    """What each filter offers: the values present in the ledger."""

    units: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    source_types: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)


def choices(view: Overview) -> Choices:
    def present(values: Iterable[str | None]) -> list[str]:
        return sorted({v for v in values if v})

    items = view.items
    return Choices(
        units=present(i.lead_unit for i in items),
        statuses=[s.value for s in m.Status if any(i.status is s for i in items)],
        alerts=[a.value for a in m.Alert if any(i.alert is a for i in items)],
        source_types=[s.value for s in m.SourceType if any(i.source_type is s for i in items)],
        leaders=present(i.leader for i in items),
    )


def history(view: Overview, item_id: str) -> dict[str, list]:
    """One item's 办理记录, 延期记录 and 催办记录, oldest first."""

    def when(value) -> str:
        return value.isoformat() if value else ""

    grouped: dict[str, list] = defaultdict(list)
    grouped["reports"] = sorted(
        (r for r in view.reports if r.item_id == item_id), key=lambda r: when(r.recorded)
    )
    grouped["extensions"] = sorted(
        (e for e in view.extensions if e.item_id == item_id), key=lambda e: when(e.requested)
    )
    grouped["reminders"] = sorted(
        (r for r in view.reminders if r.item_id == item_id), key=lambda r: when(r.date)
    )
    return grouped


def trend_svg(snapshots: list[Snapshot], width: int = 560, height: int = 200) -> str:
    """The 月度快照 trend as an inline SVG: 办结率 as a line, 逾期 as bars, one point a month."""
    if not snapshots:
        return ""
    left, right, top, bottom = 40, 40, 16, 34
    w, h = width - left - right, height - top - bottom
    n = len(snapshots)
    step = w / n
    most = max(1, max(s.overdue for s in snapshots))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="trend-title">',
        '<title id="trend-title">月度快照趋势：办结率与逾期事项数</title>',
        f'<line x1="{left}" y1="{top + h}" x2="{left + w}" y2="{top + h}" class="axis"/>',
    ]
    for pct in (0, 50, 100):
        y = top + h - h * pct / 100
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{pct}%</text>'
        )
    points = []
    for k, s in enumerate(snapshots):
        x = left + step * (k + 0.5)
        bar = h * s.overdue / most * 0.8
        parts.append(
            f'<rect x="{x - step * 0.3:.1f}" y="{top + h - bar:.1f}" width="{step * 0.6:.1f}" '
            f'height="{bar:.1f}" class="bar"><title>{escape(s.month)} 逾期 {s.overdue} 件</title></rect>'
        )
        if s.overdue:
            parts.append(
                f'<text x="{x:.1f}" y="{top + h - bar - 3:.1f}" class="tick red" '
                f'text-anchor="middle">{s.overdue}</text>'
            )
        rate = max(0.0, min(1.0, s.completion_rate))
        points.append((x, top + h - h * rate, s, rate))
        parts.append(
            f'<text x="{x:.1f}" y="{top + h + 16}" class="tick" text-anchor="middle">'
            f"{escape(s.month[2:])}</text>"
        )
    parts.append(
        '<polyline class="line" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        + '"/>'
    )
    for x, y, s, rate in points:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" class="dot">'
            f"<title>{escape(s.month)} 办结率 {rate:.1%}</title></circle>"
        )
    parts.append(
        f'<text x="{left}" y="{height - 4}" class="tick legend">'
        "— 办结率（左轴）　▮ 逾期事项数</text></svg>"
    )
    return "".join(parts)
