"""The working-day calendar of mainland China, as the office counts deadlines (SPEC §3).

Three layers, the later winning: weekends; public holidays and make-up working days (调休上班)
from the ``holidays`` package; the 工作日历 sheet. The package only knows the make-up days of
years whose arrangement the State Council has announced; for any other year we fall back to
weekends and the statutory holiday dates (no guessed "observed" days) and remember that the
year was relied on, so that commands can warn once that its arrangement is unconfirmed.
A year is confirmed by the package or by the staff listing it in 设置 已确认调休年份, never by
a 工作日历 row alone: one row for a 2027 date says nothing about the rest of 2027.

A date that 工作日历 lists twice with different types is *disputed* (L317), and is read the
way that makes no item look better than it may be: as a working day when counting forward
to a due day (``add_workdays``: the due day comes no later) and when counting the days an item
is overdue, as a day off when counting the working days still left (``workdays_left`` ≥ 0:
fewer days left, so 临期 comes no later). Never last-row-wins: which row is last is an accident
of sorting.
Everything comes through the package's public API (``holidays.China``, ``is_working_day``):
no private table of the package and no holiday data of our own, so an upgrade of the package
is all a newly announced year needs. (The class is loaded from its own module, ``china``
below, to spare every command the import of the package's other countries.)

Every year is turned once into a sorted list of working-day ordinals: membership, the n-th
working day and counts between two dates are then bisections, cheap enough for refreshing
tens of thousands of items.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import TypeVar

import holidays

from ledger_tools.core.model import CalendarOverride, DayType

T = TypeVar("T")

__all__ = ["WorkCalendar", "china", "parse_years"]

_REMEMBERED = 100_000  # answers kept per calendar (a few MiB), then forgotten and rebuilt


@cache
def china() -> type[holidays.HolidayBase]:
    """The package's ``China`` class, loaded without the package's other countries.

    ``holidays.China`` first imports every country the package has, some 150 modules: a
    tenth of a second at the start of each command that counts working days. The class
    lives in ``holidays/countries/china.py``, which needs none of them; it is loaded from
    that file, and through the public name wherever the package is laid out otherwise.
    """
    source = Path(holidays.__file__).parent / "countries" / "china.py"
    spec = importlib.util.spec_from_file_location("ledger_tools_holidays_china", source)
    try:
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found = module.China
        if isinstance(found, type) and issubclass(found, holidays.HolidayBase):
            return found
    except Exception:  # noqa: BLE001 - another layout of the package: its public name
        pass
    return holidays.China


@cache
def _package_makeup_days(year: int) -> frozenset[dt.date]:
    """Make-up working days (调休上班) that fall in ``year``, from the package's public API.

    A make-up day is a Saturday or Sunday that ``is_working_day`` calls a working day. The
    next year is loaded too: its announcement may move a working day into late December of
    this one (2002's Spring Festival was paid back on 2001-12-29 and 30).
    """
    try:
        table = china()(years=(year, min(year + 1, dt.MAXYEAR)), categories=("public",))
        first = dt.date(year, 1, 1).toordinal()
        days = (dt.date.fromordinal(o) for o in range(first, dt.date(year, 12, 31).toordinal() + 1))
        return frozenset(d for d in days if d.weekday() >= 5 and table.is_working_day(d))
    except Exception:  # years outside the package's range: no make-up days
        return frozenset()


def _package_confirms(year: int) -> bool:
    """Whether the package has the State Council's arrangement for ``year``.

    The package publishes no list of announced years, so an arrangement is recognised by what
    every announcement since 2001 has had: at least one make-up working day. For a year it
    has not announced, the package moves no weekend day, so the year stays unconfirmed and
    commands warn; the failure this reading could have (an announcement without any make-up
    day) only warns where it need not, and 工作日历 or 已确认调休年份 settle it.
    """
    return bool(_package_makeup_days(year))


@cache
def _package_days_off(year: int, announced: bool) -> frozenset[dt.date]:
    """Days off from the package; for unannounced years the statutory dates only.

    The package invents "observed" days for years it has no announcement for; those are
    guesses, so we leave them to 工作日历 instead of counting on them.
    """
    try:
        table = china()(years=year, observed=announced, categories=("public",))
    except Exception:  # years outside the package's range: weekends only
        return frozenset()
    return frozenset(d for d in table if d.year == year)


@cache
def _package_holiday_names(year: int, announced: bool) -> dict[dt.date, str]:
    """The package's Chinese names of the days off of ``year`` (as ``_package_days_off``)."""
    try:
        table = china()(years=year, observed=announced, categories=("public",), language="zh_CN")
    except Exception:  # years outside the package's range: none
        return {}
    return {d: str(name) for d, name in table.items() if d.year == year}


def parse_years(text: object) -> frozenset[int]:
    """The years of 设置 已确认调休年份: 2027, or several (2027、2028 / 2027,2028 / 2027 2028).

    Raises ValueError for anything that is not a list of four-digit years, so that a typing
    mistake is reported rather than read as some other year.
    """
    if text is None:
        return frozenset()
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        parts = [str(text)]
    else:
        parts = [p for p in re.split(r"[\s、，,;；/]+", str(text).strip()) if p]
    years = set()
    for p in parts:
        p = p.removesuffix("年").strip()
        p = p[:-2] if p.endswith(".0") else p
        if not re.fullmatch(r"\d{4}", p):
            raise ValueError(text)
        years.add(int(p))
    return frozenset(years)


def _as_date(d: dt.date) -> dt.date:
    return d.date() if isinstance(d, dt.datetime) else d


class WorkCalendar:
    """Working days: package holidays and make-up days, overridden by the 工作日历 sheet."""

    def __init__(
        self, overrides: Iterable[CalendarOverride] = (), confirmed_years: Iterable[int] = ()
    ) -> None:
        self._overrides: dict[dt.date, bool] = {}
        disputed: set[dt.date] = set()
        for o in overrides:
            day, work = _as_date(o.date), o.day_type is DayType.WORKDAY
            if self._overrides.get(day, work) != work:
                disputed.add(day)
            self._overrides[day] = work
        for day in disputed:  # counted as a working day, but see workdays_left
            self._overrides[day] = True
        self._disputed = sorted(d.toordinal() for d in disputed)
        self._confirmed = frozenset(confirmed_years)
        # year -> (sorted working-day ordinals, the same as a set, arrangement confirmed)
        self._years: dict[int, tuple[list[int], frozenset[int], bool]] = {}
        self._consulted_unconfirmed: set[int] = set()
        # Answers already given: refreshing a ledger asks the same (day, deadline) for every
        # item sharing a deadline. Each answer consults the same years whenever it is asked,
        # and ``_consulted_unconfirmed`` only grows, so a remembered answer changes nothing.
        self._left: dict[tuple[dt.date, dt.date], int] = {}
        self._added: dict[tuple[dt.date, int], dt.date] = {}

    # -- public API ---------------------------------------------------------------------

    def is_confirmed(self, year: int) -> bool:
        """Whether the year's 调休 arrangement is known: the package has it, or staff listed the
        year in 设置 已确认调休年份 (a 工作日历 row alone does not confirm its year)."""
        return year in self._confirmed or _package_confirms(year)

    def is_disputed(self, d: dt.date) -> bool:
        """Whether 工作日历 lists ``d`` both as a working day and as a day off."""
        o = _as_date(d).toordinal()
        i = bisect_right(self._disputed, o)
        return i > 0 and self._disputed[i - 1] == o

    def day_off_reason(self, d: dt.date) -> str | None:
        """Why ``d`` is no working day, in the words of a warning; None for a working day.

        A disputed date is named as such even though it counts as a working day, since a
        notice dated on it may well be dated on a holiday.
        """
        d = _as_date(d)
        if self.is_disputed(d):
            return "「工作日历」中对这一天既登记了工作日又登记了休息日"
        if self.is_workday(d):
            return None
        if d in self._overrides:
            return "「工作日历」登记为休息日"
        names = _package_holiday_names(d.year, self.is_confirmed(d.year)).get(d)
        if names:
            return f"法定节假日（{names}）"
        return "星期六" if d.weekday() == 5 else "星期日" if d.weekday() == 6 else "休息日"

    @property
    def unconfirmed_years(self) -> set[int]:
        return set(self._consulted_unconfirmed)

    def is_workday(self, d: dt.date) -> bool:
        d = _as_date(d)
        return d.toordinal() in self._year(d.year)[1]

    def add_workdays(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day after ``d``; ``d`` itself never counts."""
        if n < 0:
            raise ValueError(f"add_workdays needs n >= 0, got {n}")
        d = _as_date(d)
        if n == 0:
            return d
        return _remembered(self._added, (d, n), lambda: self._add(d, n))

    def _add(self, d: dt.date, n: int) -> dt.date:
        year = d.year
        days = self._year(year)[0]
        i = bisect_right(days, d.toordinal())
        while i + n > len(days):
            n -= len(days) - i
            year += 1
            days, i = self._year(year)[0], 0
        return dt.date.fromordinal(days[i + n - 1])

    def workdays_left(self, as_of: dt.date, deadline: dt.date) -> int:
        """Working days in (as_of, deadline]; negative (minus those in (deadline, as_of]) when late."""
        as_of, deadline = _as_date(as_of), _as_date(deadline)
        return _remembered(
            self._left, (as_of, deadline), lambda: self._left_between(as_of, deadline)
        )

    def _left_between(self, as_of: dt.date, deadline: dt.date) -> int:
        if deadline >= as_of:
            left = self._count(as_of, deadline)
            if self._disputed:  # a disputed day is not counted as a day still left
                ao, do = as_of.toordinal(), deadline.toordinal()
                left -= bisect_right(self._disputed, do) - bisect_right(self._disputed, ao)
            return left
        return -self._count(deadline, as_of)

    # -- internals ----------------------------------------------------------------------

    def _count(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b], a <= b; only years that affect the answer are consulted."""
        if a == b:
            return 0
        ao, bo = a.toordinal(), b.toordinal()
        if a.year == b.year:
            days = self._year(a.year)[0]
            return bisect_right(days, bo) - bisect_right(days, ao)
        total = 0
        if (a.month, a.day) != (12, 31):
            days = self._year(a.year)[0]
            total += len(days) - bisect_right(days, ao)
        for year in range(a.year + 1, b.year):
            total += len(self._year(year)[0])
        days = self._year(b.year)[0]
        return total + bisect_right(days, bo)

    def _year(self, year: int) -> tuple[list[int], frozenset[int], bool]:
        """The year's working days, built once; relying on an unconfirmed year is remembered."""
        cached = self._years.get(year)
        if cached is None:
            cached = self._years[year] = self._build(year)
        if not cached[2]:
            self._consulted_unconfirmed.add(year)
        return cached

    def _build(self, year: int) -> tuple[list[int], frozenset[int], bool]:
        announced = _package_confirms(year)
        days_off = _package_days_off(year, announced)
        makeup = _package_makeup_days(year)
        first = dt.date(year, 1, 1).toordinal()
        last = dt.date(year, 12, 31).toordinal()
        work: list[int] = []
        for ordinal in range(first, last + 1):
            day = dt.date.fromordinal(ordinal)
            override = self._overrides.get(day)
            if override is not None:
                is_work = override
            elif day in makeup:
                is_work = True
            elif day in days_off:
                is_work = False
            else:
                is_work = day.weekday() < 5
            if is_work:
                work.append(ordinal)
        return work, frozenset(work), self.is_confirmed(year)


def _remembered(store: dict, key: tuple, compute: Callable[[], T]) -> T:
    """``store[key]``, computed the first time it is asked for; a full store starts afresh."""
    known = store.get(key)
    if known is None:
        if len(store) > _REMEMBERED:
            store.clear()
        known = store[key] = compute()
    return known
