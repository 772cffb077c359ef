"""The ledger recomputed as of a date, as plain data: what ``refresh`` would change.

Refresh, merge, notices and reminders save the result; brief, forms and score only need the
items as they stand on a date. All of them get it from here, so the rules are applied one way,
and the ledger store (``LedgerData.recompute``) is the one place that puts the result into the
model objects and, when it saves, into the cells. Nothing here touches the items it is given:
a row that gets a new 事项编号 is recomputed on a copy carrying that id, because the rules
match 延期记录 rows to an item by its id.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from ledger_tools.core import rules
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.ids import assign_ids
from ledger_tools.core.model import Extension, Item, Reminder, Report, Settings

__all__ = ["COMPUTED_FIELDS", "Recomputation", "by_item", "recompute"]

# The 台账 fields a recomputation owns, in the order they are written.
COMPUTED_FIELDS: tuple[str, ...] = (
    "status",
    "current_deadline",
    "extensions",
    "reminders",
    "workdays_left",
    "alert",
    "period_flag",
)


class _ForItem(Protocol):
    item_id: str | None


_R = TypeVar("_R", bound=_ForItem)


def by_item(records: Iterable[_R]) -> dict[str, list[_R]]:
    """Records grouped by 事项编号 as typed (rows without one belong to no item)."""
    grouped: dict[str, list[_R]] = defaultdict(list)
    for r in records:
        if r.item_id:
            grouped[r.item_id].append(r)
    return grouped


@dataclass(frozen=True)
class Recomputation:
    """What changes, by position in the item list given (ids may be missing or repeated).

    ``ids``: the 事项编号 to give rows that have none (``ids.assign_ids``). ``computed``: every
    numbered item's tool columns, new ids included; a row that still has no id is absent.
    ``unconfirmed_years``: the years whose 调休 arrangement the calendar had to guess so far.
    """

    ids: dict[int, str]
    computed: dict[int, rules.Computed]
    unconfirmed_years: list[int]

    def values(self, index: int) -> dict[str, object]:
        """The computed fields of the item at ``index``, by 台账 field name."""
        computed = self.computed[index]
        return {f: getattr(computed, f) for f in COMPUTED_FIELDS}


def recompute(
    items: Sequence[Item],
    extensions: Iterable[Extension],
    reports: Iterable[Report],
    reminders: Iterable[Reminder],
    settings: Settings,
    cal: WorkCalendar,
    as_of: dt.date,
) -> Recomputation:
    """Ids for unnumbered rows and every item's tool columns as of ``as_of`` (SPEC §3)."""
    ids = assign_ids(items)
    extensions_of, reports_of, reminders_of = (
        by_item(extensions),
        by_item(reports),
        by_item(reminders),
    )
    computed: dict[int, rules.Computed] = {}
    for index, item in enumerate(items):
        new_id = ids.get(index)
        if new_id is not None:
            item = replace(item, id=new_id)
        item_id = item.id
        if not item_id:
            continue
        computed[index] = rules.recompute(
            item,
            extensions_of.get(item_id, ()),
            reports_of.get(item_id, ()),
            reminders_of.get(item_id, ()),
            as_of,
            cal,
            settings,
        )
    return Recomputation(ids, computed, sorted(cal.unconfirmed_years))
