"""WorkCalendar: package holidays, 调休 make-up days, 工作日历 overrides, unconfirmed years."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger_tools.core import calendar as calmod
from ledger_tools.core.calendar import WorkCalendar, parse_years
from ledger_tools.core.model import CalendarOverride, DayType

D = dt.date
CAL = WorkCalendar()  # shared: the calendar is immutable apart from its consulted-year memo

# A year the package cannot know yet, whatever its version: far enough ahead.
FAR_YEAR = 2099


@pytest.mark.parametrize(
    ("day", "expected", "why"),
    [
        (D(2026, 10, 1), False, "National Day"),
        (D(2026, 10, 7), False, "day off substituted from 10-10"),
        (D(2026, 10, 10), True, "Saturday make-up working day"),
        (D(2026, 9, 20), True, "Sunday make-up working day"),
        (D(2026, 9, 19), False, "ordinary Saturday"),
        (D(2026, 2, 14), True, "Saturday make-up working day before Spring Festival"),
        (D(2026, 2, 28), True, "Saturday make-up working day after Spring Festival"),
        (D(2026, 2, 17), False, "Spring Festival"),
        (D(2026, 2, 23), False, "Monday off, substituted"),
        (D(2026, 1, 2), False, "Friday off after New Year"),
        (D(2026, 1, 4), True, "Sunday make-up working day"),
        (D(2026, 4, 6), False, "Tomb-Sweeping Day observed"),
        (D(2026, 5, 9), True, "Saturday make-up working day"),
        (D(2026, 3, 2), True, "ordinary Monday"),
        (D(2026, 3, 8), False, "ordinary Sunday"),
        (D(2025, 10, 11), True, "2025 Saturday make-up working day"),
    ],
)
def test_is_workday(day, expected, why):
    assert CAL.is_workday(day) is expected, why


def test_is_workday_accepts_datetimes():
    assert CAL.is_workday(dt.datetime(2026, 9, 20, 8, 30)) is True
    assert CAL.is_workday(dt.datetime(2026, 10, 1, 8, 30)) is False


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 9, 18), 3, D(2026, 9, 22)),  # Sunday 09-20 works
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # Saturday 10-10 works after National Day
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 10, 3), 1, D(2026, 10, 8)),  # start on a holiday: the next working day
        (D(2026, 10, 8), 1, D(2026, 10, 9)),
        (D(2026, 3, 6), 1, D(2026, 3, 9)),  # Friday -> Monday
        (D(2026, 3, 7), 1, D(2026, 3, 9)),  # Saturday -> Monday
        (D(2026, 3, 6), 0, D(2026, 3, 6)),
        (D(2026, 3, 7), 0, D(2026, 3, 7)),  # n == 0 returns d even on a day off
        (D(2026, 12, 30), 3, D(2027, 1, 5)),  # across the year end (2027-01-01 is a holiday)
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
    ],
)
def test_add_workdays(start, n, expected):
    assert CAL.add_workdays(start, n) == expected


def test_add_workdays_rejects_negative():
    with pytest.raises(ValueError):
        CAL.add_workdays(D(2026, 3, 2), -1)


def test_add_workdays_over_several_years():
    start = D(2024, 1, 1)
    n = CAL.workdays_left(start, D(2026, 12, 31))
    assert CAL.add_workdays(start, n) == D(2026, 12, 31)


@pytest.mark.parametrize(
    ("as_of", "deadline", "expected"),
    [
        (D(2026, 3, 2), D(2026, 3, 2), 0),  # the deadline day itself
        (D(2026, 3, 2), D(2026, 3, 3), 1),  # deadline the next working day
        (D(2026, 3, 3), D(2026, 3, 2), -1),  # overdue by one working day
        (D(2026, 3, 6), D(2026, 3, 9), 1),  # Friday -> Monday
        (D(2026, 3, 9), D(2026, 3, 6), -1),
        (D(2026, 3, 6), D(2026, 3, 7), 0),  # deadline on a Saturday: nothing left
        (D(2026, 3, 7), D(2026, 3, 6), 0),  # Saturday after a Friday deadline: none lost yet
        (D(2026, 3, 9), D(2026, 3, 7), -1),  # as of Monday, deadline Saturday
        (D(2026, 9, 30), D(2026, 10, 10), 3),
        (D(2026, 10, 10), D(2026, 9, 30), -3),
        (D(2026, 12, 31), D(2027, 1, 5), 2),  # 2027-01-01 holiday, 02/03 weekend
        (D(2026, 1, 1), D(2026, 12, 31), None),  # filled in below from brute force
    ],
)
def test_workdays_left(as_of, deadline, expected):
    if expected is None:
        expected = _brute_count(as_of, deadline)
    assert CAL.workdays_left(as_of, deadline) == expected


def _brute_count(a: dt.date, b: dt.date) -> int:
    sign, lo, hi = (1, a, b) if b >= a else (-1, b, a)
    days = (lo + dt.timedelta(days=i) for i in range(1, (hi - lo).days + 1))
    return sign * sum(CAL.is_workday(d) for d in days)


# -- overrides --------------------------------------------------------------------------


def test_override_turns_a_holiday_into_a_workday():
    cal = WorkCalendar([CalendarOverride(D(2026, 10, 1), DayType.WORKDAY, "值班")])
    assert cal.is_workday(D(2026, 10, 1))
    assert cal.add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 1)
    assert cal.workdays_left(D(2026, 9, 30), D(2026, 10, 10)) == 4


def test_override_turns_a_workday_into_a_day_off():
    cal = WorkCalendar([CalendarOverride(D(2026, 9, 20), DayType.DAY_OFF)])
    assert not cal.is_workday(D(2026, 9, 20))
    assert cal.add_workdays(D(2026, 9, 18), 3) == D(2026, 9, 23)


def test_override_beats_a_make_up_day_and_weekend():
    cal = WorkCalendar(
        [
            CalendarOverride(D(2026, 10, 10), DayType.DAY_OFF),
            CalendarOverride(dt.datetime(2026, 3, 7), DayType.WORKDAY),
        ]
    )
    assert not cal.is_workday(D(2026, 10, 10))
    assert cal.is_workday(D(2026, 3, 7))


@pytest.mark.parametrize("order", [1, -1])
def test_a_disputed_date_fails_closed_whatever_row_comes_last(order):
    """Two 工作日历 rows for 2026-11-16 (a Monday) that disagree: no last-row-wins."""
    rows = [
        CalendarOverride(D(2026, 11, 16), DayType.DAY_OFF),
        CalendarOverride(D(2026, 11, 16), DayType.WORKDAY),
    ][::order]
    cal, plain, off = (
        WorkCalendar(rows),
        WorkCalendar(),
        WorkCalendar([CalendarOverride(D(2026, 11, 16), DayType.DAY_OFF)]),
    )
    assert cal.is_disputed(D(2026, 11, 16)) and not plain.is_disputed(D(2026, 11, 16))
    assert cal.is_workday(D(2026, 11, 16))
    # Counting forward to a due day: a working day, so the due day comes no later.
    assert cal.add_workdays(D(2026, 11, 13), 1) == D(2026, 11, 16)
    assert off.add_workdays(D(2026, 11, 13), 1) == D(2026, 11, 17)
    # Working days still left: a day off, so fewer days left (临期 no later).
    assert cal.workdays_left(D(2026, 11, 13), D(2026, 11, 20)) == 4
    assert plain.workdays_left(D(2026, 11, 13), D(2026, 11, 20)) == 5
    assert cal.workdays_left(D(2026, 11, 16), D(2026, 11, 20)) == 4  # (as_of, deadline]
    # Days overdue: a working day, so no fewer days overdue.
    assert cal.workdays_left(D(2026, 11, 20), D(2026, 11, 13)) == -5
    assert off.workdays_left(D(2026, 11, 20), D(2026, 11, 13)) == -4
    assert "既登记了工作日又登记了休息日" in cal.day_off_reason(D(2026, 11, 16))


def test_same_type_twice_is_no_dispute():
    cal = WorkCalendar([CalendarOverride(D(2026, 3, 2), DayType.DAY_OFF)] * 2)
    assert not cal.is_disputed(D(2026, 3, 2)) and not cal.is_workday(D(2026, 3, 2))


def test_why_a_day_is_no_working_day():
    cal = WorkCalendar([CalendarOverride(D(2026, 11, 23), DayType.DAY_OFF)])
    assert cal.day_off_reason(D(2026, 10, 1)) == "法定节假日（国庆节）"
    assert cal.day_off_reason(D(2026, 11, 21)) == "星期六"
    assert cal.day_off_reason(D(2026, 11, 22)) == "星期日"
    assert cal.day_off_reason(D(2026, 11, 23)) == "「工作日历」登记为休息日"
    assert cal.day_off_reason(D(2026, 11, 24)) is None
    assert cal.day_off_reason(D(2026, 9, 20)) is None  # a make-up working Sunday


# -- confirmed and unconfirmed years ----------------------------------------------------


@pytest.mark.parametrize("year", [2027, FAR_YEAR])
def test_unannounced_year_is_unconfirmed_once_consulted(year):
    cal = WorkCalendar()
    if cal.is_confirmed(year):
        pytest.skip(f"the installed holidays package already knows {year}")
    assert cal.unconfirmed_years == set()
    cal.is_workday(D(year, 3, 2))
    assert cal.unconfirmed_years == {year}


def test_announced_year_is_confirmed_and_never_listed():
    cal = WorkCalendar()
    assert cal.is_confirmed(2026)
    cal.is_workday(D(2026, 3, 2))
    cal.add_workdays(D(2026, 3, 2), 10)
    assert cal.unconfirmed_years == set()


def test_an_override_row_alone_does_not_confirm_its_year():
    """One 工作日历 row for a date of FAR_YEAR says nothing about the rest of that year."""
    cal = WorkCalendar([CalendarOverride(D(FAR_YEAR, 2, 1), DayType.WORKDAY)])
    assert not cal.is_confirmed(FAR_YEAR)
    assert cal.is_workday(D(FAR_YEAR, 2, 1))  # the row still counts
    cal.is_workday(D(FAR_YEAR, 3, 2))
    assert cal.unconfirmed_years == {FAR_YEAR}


def test_years_staff_confirmed_in_settings_are_confirmed():
    cal = WorkCalendar(
        [CalendarOverride(D(FAR_YEAR, 2, 1), DayType.WORKDAY)], confirmed_years={FAR_YEAR}
    )
    assert cal.is_confirmed(FAR_YEAR) and not cal.is_confirmed(FAR_YEAR + 1)
    cal.is_workday(D(FAR_YEAR, 3, 2))
    assert cal.unconfirmed_years == set()


@pytest.mark.parametrize(
    "text, years",
    [
        ("2027", {2027}),
        (2027, {2027}),
        (2027.0, {2027}),
        ("2027、2028", {2027, 2028}),
        ("2027，2028年", {2027, 2028}),
        ("2027 2028", {2027, 2028}),
        (None, set()),
    ],
)
def test_confirmed_years_as_staff_type_them(text, years):
    assert parse_years(text) == years


@pytest.mark.parametrize("text", ["27", "二〇二七", "2027-01-01", "明年"])
def test_confirmed_years_that_are_no_years_are_refused(text):
    with pytest.raises(ValueError):
        parse_years(text)


def test_unconfirmed_years_is_a_copy():
    cal = WorkCalendar()
    cal.is_workday(D(FAR_YEAR, 3, 2))
    cal.unconfirmed_years.clear()
    assert cal.unconfirmed_years == {FAR_YEAR}


def test_counting_across_years_records_every_year_relied_on():
    cal = WorkCalendar()
    cal.workdays_left(D(2026, 6, 1), D(FAR_YEAR + 2, 1, 10))
    assert {FAR_YEAR, FAR_YEAR + 1, FAR_YEAR + 2} <= cal.unconfirmed_years
    assert 2026 not in cal.unconfirmed_years


def test_same_day_count_needs_no_calendar():
    cal = WorkCalendar()
    assert cal.workdays_left(D(FAR_YEAR, 3, 2), D(FAR_YEAR, 3, 2)) == 0
    assert cal.unconfirmed_years == set()


def test_unconfirmed_year_uses_weekends_and_statutory_holidays_only():
    cal = WorkCalendar()
    oct1 = D(FAR_YEAR, 10, 1)
    assert not cal.is_workday(oct1)
    assert not cal.is_workday(D(FAR_YEAR, 1, 1))
    # No guessed "observed" days off and no guessed make-up days.
    for offset in range(3, 8):
        day = oct1 + dt.timedelta(days=offset)
        assert cal.is_workday(day) is (day.weekday() < 5)


def test_make_up_days_come_from_the_public_api():
    # Was the label-parsing fallback for the private table; both are gone, the answers stay.
    cal = WorkCalendar()
    assert cal.is_confirmed(2026)
    assert not cal.is_confirmed(FAR_YEAR)
    assert cal.is_workday(D(2026, 9, 20))
    assert cal.is_workday(D(2026, 10, 10))
    assert not cal.is_workday(D(2026, 10, 7))
    assert cal.add_workdays(D(2026, 9, 18), 3) == D(2026, 9, 22)
    # A make-up day in the year before its day off: Saturday 2006-12-30 for 2007-01-02.
    assert cal.is_workday(D(2006, 12, 30))


# What the calendar read from the package's private table (ChinaStaticHolidays, holidays
# 0.109) before it used the public API: every announced year and the make-up working days
# (MM-DD) falling in it. Kept here as data so that the public reading is proven the same.
OLD_TABLE_MAKEUP_DAYS = {
    2001: "01-20 01-21 04-28 04-29 09-29 09-30 12-29 12-30",
    2002: "02-09 02-10 04-27 04-28 09-28 09-29",
    2003: "02-08 02-09 04-26 04-27 09-27 09-28",
    2004: "01-17 01-18 05-08 05-09 10-09 10-10",
    2005: "02-05 02-06 04-30 05-08 10-08 10-09 12-31",
    2006: "01-28 02-05 04-29 04-30 09-30 10-08 12-30 12-31",
    2007: "02-17 02-25 04-28 04-29 09-29 09-30 12-29",
    2008: "02-02 02-03 05-04 09-27 09-28",
    2009: "01-04 01-24 02-01 05-31 09-27 10-10",
    2010: "02-20 02-21 06-12 06-13 09-19 09-25 09-26 10-09",
    2011: "01-30 02-12 04-02 10-08 10-09 12-31",
    2012: "01-21 01-29 03-31 04-01 04-28 09-29",
    2013: "01-05 01-06 02-16 02-17 04-07 04-27 04-28 06-08 06-09 09-22 09-29 10-12",
    2014: "01-26 02-08 05-04 09-28 10-11",
    2015: "01-04 02-15 02-28 09-06 10-10",
    2016: "02-06 02-14 06-12 09-18 10-08 10-09",
    2017: "01-22 02-04 04-01 05-27 09-30",
    2018: "02-11 02-24 04-08 04-28 09-29 09-30 12-29",
    2019: "02-02 02-03 04-28 05-05 09-29 10-12",
    2020: "01-19 04-26 05-09 06-28 09-27 10-10",
    2021: "02-07 02-20 04-25 05-08 09-18 09-26 10-09",
    2022: "01-29 01-30 04-02 04-24 05-07 10-08 10-09",
    2023: "01-28 01-29 04-23 05-06 06-25 10-07 10-08",
    2024: "02-04 02-18 04-07 04-28 05-11 09-14 09-29 10-12",
    2025: "01-26 02-08 04-27 09-28 10-11",
    2026: "01-04 02-14 02-28 05-09 09-20 10-10",
}


@pytest.mark.parametrize("year", sorted(OLD_TABLE_MAKEUP_DAYS))
def test_public_api_gives_the_old_tables_make_up_days(year):
    expected = {D(year, int(md[:2]), int(md[3:])) for md in OLD_TABLE_MAKEUP_DAYS[year].split()}
    assert calmod._package_makeup_days(year) == expected
    assert calmod._package_confirms(year)


def test_no_arrangement_before_the_old_tables_first_year():
    first = min(OLD_TABLE_MAKEUP_DAYS)
    for year in range(1950, first):
        assert not calmod._package_confirms(year), year
        assert calmod._package_makeup_days(year) == frozenset()


def test_years_outside_the_package_have_no_make_up_days():
    assert calmod._package_makeup_days(1) == frozenset()
    assert calmod._package_makeup_days(dt.MAXYEAR) == frozenset()
    assert not WorkCalendar().is_confirmed(dt.MAXYEAR)


def test_make_up_day_in_the_previous_year():
    # 2007-01-02 was off in exchange for Saturday 2006-12-30.
    assert CAL.is_workday(D(2006, 12, 30))
    assert not CAL.is_workday(D(2007, 1, 2))


# -- properties -------------------------------------------------------------------------

dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31))


@settings(max_examples=200, deadline=None)
@given(a=dates, n=st.integers(min_value=0, max_value=400))
def test_add_then_count_round_trips(a, n):
    b = CAL.add_workdays(a, n)
    assert CAL.workdays_left(a, b) == n
    if n:
        assert CAL.is_workday(b)
        assert b > a


@settings(max_examples=200, deadline=None)
@given(a=dates, b=dates)
def test_workdays_left_is_antisymmetric(a, b):
    assert CAL.workdays_left(a, b) == -CAL.workdays_left(b, a)


@settings(max_examples=100, deadline=None)
@given(a=dates, span=st.integers(min_value=-60, max_value=60))
def test_workdays_left_matches_counting_day_by_day(a, span):
    b = a + dt.timedelta(days=span)
    assert CAL.workdays_left(a, b) == _brute_count(a, b)


_OVERRIDES = st.lists(
    st.builds(
        CalendarOverride, date=dates, day_type=st.sampled_from([DayType.WORKDAY, DayType.DAY_OFF])
    ),
    max_size=12,
)


def _walk(cal: WorkCalendar, a: dt.date, b: dt.date) -> int:
    """workdays_left by walking day by day: a disputed day is no day left, but a day late."""
    step = dt.timedelta(days=1)
    if b >= a:
        days = (a + step * k for k in range(1, (b - a).days + 1))
        return sum(1 for d in days if cal.is_workday(d) and not cal.is_disputed(d))
    return -sum(1 for k in range(1, (a - b).days + 1) if cal.is_workday(b + step * k))


@settings(max_examples=60, deadline=None)
@given(
    overrides=_OVERRIDES,
    asks=st.lists(st.tuples(dates, dates, st.integers(0, 30)), min_size=1, max_size=12),
    far=st.booleans(),
)
def test_remembered_answers_are_the_walked_ones_and_consult_the_same_years(overrides, asks, far):
    """Asked again (the answers are remembered), a calendar with holidays, make-up days and
    disputed 工作日历 rows answers as a fresh one and as a day-by-day walk, and names the
    same unconfirmed years."""
    if far:  # a year the package cannot know: consulting it must be remembered
        asks = [(D(FAR_YEAR, a.month, min(a.day, 28)), b, n) for a, b, n in asks]
    cal = WorkCalendar(overrides)
    first = [(cal.workdays_left(a, b), cal.add_workdays(a, n)) for a, b, n in asks]
    again = [(cal.workdays_left(a, b), cal.add_workdays(a, n)) for a, b, n in reversed(asks)]
    assert again[::-1] == first
    fresh = WorkCalendar(overrides)
    assert [(fresh.workdays_left(a, b), fresh.add_workdays(a, n)) for a, b, n in asks] == first
    assert cal.unconfirmed_years == fresh.unconfirmed_years
    for (a, b, n), (left, added) in zip(asks, first, strict=True):
        if abs((b - a).days) <= 800:
            assert left == _walk(cal, a, b)
        assert (
            _walk(cal, a, added)
            + sum(cal.is_disputed(a + dt.timedelta(days=k)) for k in range(1, (added - a).days + 1))
            == n
        )


def test_the_china_class_is_the_packages_own_loaded_without_the_other_countries():
    """``calendar.china()`` loads holidays/countries/china.py alone (the package's other
    countries cost each command a tenth of a second): every day of 2001–2030 reads the same
    as through ``holidays.China``, names in Chinese included."""
    import subprocess
    import sys

    import holidays

    years = range(2001, 2031)
    ours = calmod.china()(years=years, categories=("public",), language="zh_CN")
    public = holidays.China(years=years, categories=("public",), language="zh_CN")
    assert dict(ours.items()) == dict(public.items()) and len(ours) > 300
    first = dt.date(2001, 1, 1)
    days = [first + dt.timedelta(n) for n in range(365 * 30)]
    assert [ours.is_working_day(d) for d in days] == [public.is_working_day(d) for d in days]
    probe = (
        "import sys; from ledger_tools.core.calendar import WorkCalendar; "
        "WorkCalendar().add_workdays(__import__('datetime').date(2026, 1, 1), 3); "
        "print('holidays.countries' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
