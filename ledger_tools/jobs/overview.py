"""The workbench's read-only view of the ledger: items, their history, the 月度快照 trend.

The workbench (``ledger serve``) is a face like the CLI and reads nothing itself: its 概览 and
事项 pages come from here. The ledger is opened read-only, read, and closed again before the
page is drawn, so nothing holds it between actions (staff keep editing it in Excel).

The statuses and alerts are recomputed as of the ledger's own 计算日期 (the date of the last
重算) without writing anything, the way ``forms`` and ``brief`` read it: an item staff typed or
struck off since then shows as the rules say, but the date is the one the ledger shows, so
the page and the workbook's own 督办预警 column agree after every 重算. A ledger never
recomputed is shown as of today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ledger_tools.core import model as m
from ledger_tools.core import rules
from ledger_tools.core.dates import UnreadableDate, parse_date
from ledger_tools.core.findings import Finding
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.backups import backups_of
from ledger_tools.sheets.ledger.data import LedgerData, read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.schema import AS_OF_LABEL

__all__ = ["Overview", "Snapshot", "run"]


@dataclass(frozen=True)
class Snapshot:
    """One 月度快照 row, as the trend chart needs it."""

    month: str
    total: int
    closed: int
    overdue: int
    due_soon: int
    completion_rate: float


@dataclass
class Overview:
    """What the ledger holds, as of ``as_of`` (its 计算日期, or today when it has none)."""

    path: Path
    as_of: dt.date
    computed_on: dt.date | None  # 计算日期 as the ledger shows it; None: never recomputed
    items: list[m.Item] = field(default_factory=list)
    reports: list[m.Report] = field(default_factory=list)
    extensions: list[m.Extension] = field(default_factory=list)
    reminders: list[m.Reminder] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # 来源名称, newest first (for 交办通知)
    problems: list[Finding] = field(default_factory=list)
    unconfirmed_years: list[int] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)  # newest first

    def item(self, item_id: str) -> m.Item | None:
        return next((i for i in self.items if i.id == item_id), None)


def run(ledger: Path, *, today: dt.date | None = None) -> Overview:
    """Read the ledger once, read-only, and return everything the pages show."""
    ledger = Path(ledger)
    with LedgerFile(ledger) as lf:
        data = read_ledger(lf)
        computed_on = _computed_on(lf)
        as_of = computed_on or today or dt.date.today()
        stats = data.recompute(as_of, write=False)
        # Units by their registered name, as the briefing counts them: 东城区 and 东城区人民政府
        # are one unit (a name two units share stays as typed, L314 names it).
        for i in data.items:
            i.lead_unit = data.canonical_unit(i.lead_unit) or i.lead_unit
        view = Overview(
            path=ledger,
            as_of=as_of,
            computed_on=computed_on,
            items=list(data.items),
            reports=list(data.reports),
            extensions=list(data.extensions),
            reminders=list(data.reminders),
            snapshots=_snapshots(data),
            sources=_sources(data.items),
            problems=list(data.problems),
            unconfirmed_years=list(stats.unconfirmed_years),
        )
    view.backups = list(reversed(backups_of(ledger)))
    return view


def _computed_on(lf: LedgerFile) -> dt.date | None:
    """计算日期 beside its label in 说明, wherever staff moved that row; unreadable is None."""
    wb = lf.wb
    if wb is None or sc.INTRO.name not in wb.sheetnames:
        return None
    ws = wb[sc.INTRO.name]
    for row in ws.iter_rows(min_col=1, max_col=2):
        label = row[0].value
        if isinstance(label, str) and label.strip() == AS_OF_LABEL:
            value = row[1].value if len(row) > 1 else None
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            if isinstance(value, str):
                try:
                    return parse_date(value, strict=True)
                except UnreadableDate:
                    return None
            return None
    return None


def _snapshots(data: LedgerData) -> list[Snapshot]:
    """月度快照 rows in month order; a row whose month cannot be read is left out."""
    out: dict[str, Snapshot] = {}
    for r in data.table(sc.SNAPSHOTS).rows():
        month = rules.normalize_period(r.get("month"))
        if not month:
            continue
        out[month] = Snapshot(
            month,
            total=_int(r.get("total")),
            closed=_int(r.get("closed")),
            overdue=_int(r.get("overdue")),
            due_soon=_int(r.get("due_soon")),
            completion_rate=_float(r.get("completion_rate")),
        )
    return [out[k] for k in sorted(out)]


def _int(value: object) -> int:
    try:
        return int(float(str(value))) if value not in (None, "") else 0
    except ValueError:
        return 0


def _float(value: object) -> float:
    try:
        return float(str(value).rstrip("%")) / (100 if str(value).endswith("%") else 1)
    except ValueError:
        return 0.0


def _sources(items: list[m.Item]) -> list[str]:
    """Every 来源名称, the most recently issued first (the 交办通知 list offers these)."""
    newest: dict[str, dt.date] = {}
    for i in items:
        if i.source_name:
            day = i.issued or dt.date.min
            newest[i.source_name] = max(day, newest.get(i.source_name, dt.date.min))
    return sorted(newest, key=lambda s: (newest[s], s), reverse=True)
