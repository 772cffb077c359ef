"""ledger refresh: assign missing ids, apply approved extensions, recompute every tool column.

``apply`` works on an opened ledger so that merge can refresh in the same save; ``run`` is
the command. Only tool-owned columns (and 办理状态) are written, and only cells whose value
changes, so running it twice with the same date changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ledger_tools.core import rules
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.findings import Finding
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.data import LedgerData, read_ledger, require_clean
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.new import AS_OF_LABEL
from ledger_tools.sheets.ledger.tables import DATE_FORMAT

_COMPUTED_FIELDS = (
    "status",
    "current_deadline",
    "extensions",
    "reminders",
    "workdays_left",
    "alert",
    "period_flag",
)


@dataclass
class RefreshStats:
    as_of: dt.date
    items: int = 0
    cells_changed: int = 0
    ids_assigned: list[str] = field(default_factory=list)
    unconfirmed_years: list[int] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    saved: bool = False
    backup: Path | None = None


def by_item(records) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for r in records:
        if r.item_id:
            grouped[r.item_id].append(r)
    return grouped


def apply(
    data: LedgerData, as_of: dt.date, cal: WorkCalendar | None = None, *, write: bool = True
) -> RefreshStats:
    """Recompute the ledger in memory as of ``as_of``: the model objects, and the cells too.

    ``write=False`` updates only the model objects (``data.items``) and leaves every cell as
    read: for commands that need today's statuses and alerts but save nothing of them (brief,
    forms), it skips comparing some 70,000 cells, and ``cells_changed`` stays 0.
    """
    cal = cal or WorkCalendar(data.overrides)
    stats = RefreshStats(as_of=as_of, items=len(data.items), problems=list(data.problems))
    table = data.table(sc.ITEMS) if write else None

    for index, new_id in rules.assign_ids(data.items).items():
        item = data.items[index]
        item.id = new_id
        stats.ids_assigned.append(new_id)
        if table is not None:
            stats.cells_changed += table.set(item.row, "id", new_id)

    extensions, reports, reminders = (
        by_item(data.extensions),
        by_item(data.reports),
        by_item(data.reminders),
    )
    for item in data.items:
        if not item.id:
            continue
        computed = rules.recompute(
            item,
            extensions.get(item.id, ()),
            reports.get(item.id, ()),
            reminders.get(item.id, ()),
            as_of,
            cal,
            data.settings,
        )
        for f in _COMPUTED_FIELDS:
            value = getattr(computed, f)
            setattr(item, f, value)
            if table is not None:
                stats.cells_changed += table.set(item.row, f, value)

    if table is not None:
        stats.cells_changed += _write_as_of(data, as_of)
    stats.unconfirmed_years = sorted(cal.unconfirmed_years)
    return stats


def _write_as_of(data: LedgerData, as_of: dt.date) -> int:
    wb = data.lf.wb
    if sc.INTRO.name not in wb.sheetnames:
        return 0
    ws = wb[sc.INTRO.name]
    for row in ws.iter_rows(min_col=1, max_col=1):
        cell = row[0]
        if isinstance(cell.value, str) and cell.value.strip() == AS_OF_LABEL:
            target = ws.cell(row=cell.row, column=2)
            current = target.value.date() if isinstance(target.value, dt.datetime) else target.value
            if current == as_of:
                return 0
            target.value = as_of
            target.number_format = DATE_FORMAT
            return 1
    return 0


def run(path: Path, as_of: dt.date) -> RefreshStats:
    with LedgerFile(path, writable=True) as lf:
        data = read_ledger(lf)
        require_clean(data)
        stats = apply(data, as_of)
        if stats.cells_changed:
            stats.backup = lf.save()
            stats.saved = True
        return stats
