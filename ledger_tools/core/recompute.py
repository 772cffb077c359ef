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
from dataclasses import fields as dataclass_fields
from itertools import islice
from typing import Protocol, TypeVar

from ledger_tools.core import rules
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.ids import assign_ids
from ledger_tools.core.model import Extension, Item, Reminder, Report, Settings
from ledger_tools.core.state import ItemState, decided_on, histories

__all__ = [
    "COMPUTED_FIELDS",
    "PointInTime",
    "Recomputation",
    "by_item",
    "point_in_time",
    "recompute",
]

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
    numbered: list[tuple[int, Item]] = []
    for index, item in enumerate(items):
        new_id = ids.get(index)
        if new_id is not None:
            item = replace(item, id=new_id)
        if item.id:
            numbered.append((index, item))
    # The same state rules.recompute gives each item, its records grouped in one pass.
    every = histories(
        [i for _, i in numbered], [i.id for _, i in numbered], extensions, reports, reminders
    )
    computed: dict[int, rules.Computed] = {}
    make = rules.Computed
    for (index, _), history in zip(numbered, every):
        # ItemState's fields without a frozen dataclass built for each item: status ... flag
        state = history.state_values(as_of, cal, settings)
        computed[index] = make(*state[_COMPUTED_STATE])
    return Recomputation(ids, computed, sorted(cal.unconfirmed_years))


# Where ``COMPUTED_FIELDS`` stand among ItemState's fields (``History.state_values``' tuple).
_STATE_FIELDS = tuple(f.name for f in dataclass_fields(ItemState))
_COMPUTED_STATE = slice(
    _STATE_FIELDS.index(COMPUTED_FIELDS[0]), _STATE_FIELDS.index(COMPUTED_FIELDS[-1]) + 1
)
assert _STATE_FIELDS[_COMPUTED_STATE] == COMPUTED_FIELDS
assert tuple(f.name for f in dataclass_fields(rules.Computed)) == COMPUTED_FIELDS


@dataclass(frozen=True)
class PointInTime:
    """The ledger as it stood at the end of ``day`` (SPEC §3 Point in time), as plain data.

    ``items``: copies of the items that existed by then, each carrying its state of that day
    (tool columns, 最新进展, and 办结/销号/终止 dates only once they had happened). The records
    are those dated by then: reports by 记录时间 (undated ones are no report), requests by
    申请日期 with a decision made later blanked (still pending that day), reminders by 催办日期.
    A briefing or a scoring computed from this alone cannot see anything typed later.
    """

    day: dt.date
    items: list[Item]
    reports: list[Report]
    extensions: list[Extension]
    reminders: list[Reminder]


# What an item copy in the view takes from its state of the day: every field of ItemState
# but ``exists`` (its first), in its order (``History.state_values`` gives them so).
_AS_OF_FIELDS = tuple(f.name for f in dataclass_fields(ItemState))[1:]


def _extension_then(ext: Extension, day: dt.date) -> Extension | None:
    requested = ext.requested
    if isinstance(requested, dt.datetime):
        requested = requested.date()
    if requested is not None and requested > day:
        return None
    decided = decided_on(ext)
    if decided is not None and decided > day:
        return replace(ext, result=None, approver=None, approved_on=None, granted_to=None)
    return ext


def point_in_time(
    items: Sequence[Item],
    extensions: Iterable[Extension],
    reports: Iterable[Report],
    reminders: Iterable[Reminder],
    settings: Settings,
    cal: WorkCalendar,
    day: dt.date,
) -> PointInTime:
    """The items and records as of ``day`` (the same state refresh computes for its day)."""
    extensions, reports, reminders = list(extensions), list(reports), list(reminders)
    ids = assign_ids(items)
    keys = [ids.get(index) or item.id for index, item in enumerate(items)]
    then: list[Item] = []
    for item, item_id, history in zip(
        items, keys, histories(items, keys, extensions, reports, reminders)
    ):
        if not history.exists_on(day):
            continue
        state = history.state_values(day, cal, settings)  # ItemState's fields: exists first
        # A shallow copy, as copy.copy makes one of a dataclass but without its generic
        # machinery (10,000 items), and the fields as of ``day`` set in it.
        cls = item.__class__
        other = cls.__new__(cls)
        fields = other.__dict__
        fields.update(item.__dict__)
        fields["id"] = item_id
        fields.update(zip(_AS_OF_FIELDS, islice(state, 1, None)))
        if fields["last_report"] is None and history.reports:
            fields["stage_target"] = None  # set by the first report, which came later
        then.append(other)
    return PointInTime(
        day,
        then,
        [r for r in reports if (d := r.recorded_date) is not None and d <= day],
        [e for e in (_extension_then(e, day) for e in extensions) if e is not None],
        [r for r in reminders if r.date is not None and _as_day(r.date) <= day],
    )


def _as_day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
