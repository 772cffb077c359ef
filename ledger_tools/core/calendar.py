"""The working-day calendar of mainland China, as the office counts deadlines (SPEC §3).

Three layers, the later winning: weekends; public holidays and make-up working days (调休上班)
from the ``holidays`` package; the 工作日历 sheet. The package only knows the make-up days of
years whose arrangement the State Council has announced; for any other year we fall back to
weekends and the statutory holiday dates (no guessed "observed" days) and remember that the
year was relied on, so that commands can warn once that its arrangement is unconfirmed.

Every year is turned once into a sorted list of working-day ordinals: membership, the n-th
working day and counts between two dates are then bisections, cheap enough for refreshing
tens of thousands of items.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import cache, lru_cache

import holidays

from ledger_tools.core.model import CalendarOverride, DayType

__all__ = ["WorkCalendar"]

_SUBSTITUTED = re.compile(r"substituted from (\d{1,2})/(\d{1,2})/(\d{4})")


@lru_cache(maxsize=1)
def _static_arrangements() -> tuple[frozenset[dt.date], frozenset[int]] | None:
    """Make-up working days and announced years, read from the package's own table.

    The table is not public API, so any surprise in its shape sends us to the label parser.
    """
    try:
        from holidays.countries.china import ChinaStaticHolidays

        table = ChinaStaticHolidays.special_public_holidays
        makeup: set[dt.date] = set()
        for year, rows in table.items():
            if rows and not isinstance(rows[0], tuple):
                rows = (rows,)
            for row in rows:
                # (month, day, name) rows are extra days off, not substitutions.
                if len(row) in (4, 5) and all(isinstance(v, int) for v in row):
                    from_year = row[4] if len(row) == 5 else year
                    makeup.add(dt.date(int(from_year), row[2], row[3]))
        return frozenset(makeup), frozenset(int(y) for y in table)
    except Exception:  # any change in the private table means: use the fallback
        return None


@cache
def _labelled_makeup_days(year: int) -> frozenset[dt.date]:
    """Fallback: make-up days recovered from the English 'Day off (substituted from …)' labels."""
    found: set[dt.date] = set()
    try:
        table = holidays.China(years=year, language="en_US", categories=("public",))
    except Exception:  # without the labels we know nothing more than weekends
        return frozenset()
    for name in table.values():
        for part in str(name).split(";"):
            match = _SUBSTITUTED.search(part)
            if match:
                month, day, from_year = (int(g) for g in match.groups())
                found.add(dt.date(from_year, month, day))
    return frozenset(found)


def _package_confirms(year: int) -> bool:
    static = _static_arrangements()
    if static is not None:
        return year in static[1]
    return bool(_labelled_makeup_days(year))


def _package_makeup_days(year: int) -> frozenset[dt.date]:
    """Make-up working days that fall in ``year`` (their day off may lie in the year before)."""
    static = _static_arrangements()
    if static is not None:
        return frozenset(d for d in static[0] if d.year == year)
    days = _labelled_makeup_days(year - 1) | _labelled_makeup_days(year)
    if year < dt.MAXYEAR:
        days |= _labelled_makeup_days(year + 1)
    return frozenset(d for d in days if d.year == year)


@cache
def _package_days_off(year: int, announced: bool) -> frozenset[dt.date]:
    """Days off from the package; for unannounced years the statutory dates only.

    The package invents "observed" days for years it has no announcement for; those are
    guesses, so we leave them to 工作日历 instead of counting on them.
    """
    try:
        table = holidays.China(years=year, observed=announced, categories=("public",))
    except Exception:  # years outside the package's range: weekends only
        return frozenset()
    return frozenset(d for d in table if d.year == year)


def _as_date(d: dt.date) -> dt.date:
    return d.date() if isinstance(d, dt.datetime) else d


class WorkCalendar:
    """Working days: package holidays and make-up days, overridden by the 工作日历 sheet."""

    def __init__(self, overrides: Iterable[CalendarOverride] = ()) -> None:
        self._overrides: dict[dt.date, bool] = {}
        for o in overrides:
            self._overrides[_as_date(o.date)] = o.day_type is DayType.WORKDAY
        self._override_years = {d.year for d in self._overrides}
        # year -> (sorted working-day ordinals, the same as a set, arrangement confirmed)
        self._years: dict[int, tuple[list[int], frozenset[int], bool]] = {}
        self._consulted_unconfirmed: set[int] = set()

    # -- public API ---------------------------------------------------------------------

    def is_confirmed(self, year: int) -> bool:
        """Whether the year's 调休 arrangement is known (package or a 工作日历 row)."""
        return year in self._override_years or _package_confirms(year)

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
        if deadline >= as_of:
            return self._count(as_of, deadline)
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
