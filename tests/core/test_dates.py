import datetime as dt

import pytest

from ledger_tools.core import dates
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.dates import (
    UnreadableDate,
    cn_date,
    cn_numerals,
    deadline_from_phrase,
    find_deadlines,
    fold_text,
    parse_date,
    parse_datetime,
    parse_month,
)
from ledger_tools.core.model import CalendarOverride, DayType

D = dt.date(2026, 3, 5)


# --- every shape people type -------------------------------------------------------------

SHAPES = [
    "2026-3-5",
    "2026-03-05",
    "2026/03/05",
    "2026/3/5",
    "2026.3.5",
    "2026.03.05",
    "2026年3月5日",
    "2026年03月05日",
    "2026年3月5",  # 日 forgotten
    "2026-3月5日",  # separators mixed
    "2026 年 3 月 5 日",
    "2026 - 3 - 5",
    "２０２６－３－５",
    "２０２６／０３／０５",
    "２０２６．３．５",
    "２０２６年３月５日",
    " 2026-3-5 \u3000",
    "\ufeff2026-03-05\u00a0",
    "2026-03-05\t\n",
]


@pytest.mark.parametrize("text", SHAPES)
def test_every_shape_people_type_is_the_same_day(text):
    assert parse_date(text) == D
    assert parse_date(text, strict=True) == D  # a command line takes each of them too
    assert parse_month(text) == (2026, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年11月20日", dt.datetime(2026, 11, 20)),
        ("2026-03-05 00:00:00", dt.datetime(2026, 3, 5)),
        ("2026-03-05 14:30", dt.datetime(2026, 3, 5, 14, 30)),
        ("2026-03-05T14:30:15", dt.datetime(2026, 3, 5, 14, 30, 15)),
        ("2026-03-05 14:30:15.250", dt.datetime(2026, 3, 5, 14, 30, 15)),
        ("2026年3月5日 9：05", dt.datetime(2026, 3, 5, 9, 5)),
        ("20260305", dt.datetime(2026, 3, 5)),
        ("２０２６０３０５", dt.datetime(2026, 3, 5)),
    ],
)
def test_cell_shapes_with_a_time_or_without_separators(text, expected):
    assert parse_datetime(text) == expected
    assert parse_date(text) == expected.date()


@pytest.mark.parametrize("text", ["20260305", "2026-03-05 14:30", "2026-03-05T00:00:00"])
def test_strict_refuses_what_only_a_pasted_cell_carries(text):
    with pytest.raises(UnreadableDate):
        parse_date(text, strict=True)


# --- dates and datetimes as values ----------------------------------------------------------


def test_dates_and_datetimes_pass_through():
    assert parse_date(D) == D
    assert parse_datetime(D) == dt.datetime(2026, 3, 5)
    assert parse_date(dt.datetime(2026, 3, 5, 23, 59)) == D
    naive = dt.datetime(2026, 3, 5, 14, 30)
    assert parse_datetime(naive) is naive


def test_an_aware_datetime_loses_its_zone_not_its_clock():
    aware = dt.datetime(2026, 3, 5, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    got = parse_datetime(aware)
    assert got == dt.datetime(2026, 3, 5, 14, 30) and got.tzinfo is None


# --- empty and unreadable -------------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\ufeff"])
def test_empty_is_none(raw):
    assert parse_date(raw) is None
    assert parse_datetime(raw) is None
    assert parse_month(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "2026-02-30",  # no such day: never moved to 03-02 or 02-28
        "2026-2-29",  # 2026 is no leap year
        "2026年2月30日",
        "２０２６－０２－３０",
        "20260230",
        "2026-13-01",
        "2026-00-10",
        "2026-03-32",
        "0000-01-01",
        "2026-03-05 25:00",
        "2026年3月",  # a month is not a day
        "3/5",
        "11/20/2026",
        "明天",
        "二〇二六年三月五日",
        "2026-03-05 下午",
        46086,  # a serial number is the spreadsheet layer's to read
        46086.0,
        True,
    ],
)
def test_unreadable_dates_raise_with_the_raw_value(raw):
    with pytest.raises(UnreadableDate) as e:
        parse_date(raw)
    assert e.value.raw == raw
    assert isinstance(e.value, ValueError)


def test_a_leap_day_is_a_day():
    assert parse_date("2028-2-29") == dt.date(2028, 2, 29)


# --- months ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03", (2026, 3)),
        ("2026-3", (2026, 3)),
        (" 2026/3 ", (2026, 3)),
        ("2026.3", (2026, 3)),
        ("2026年3月", (2026, 3)),
        ("2026年3", (2026, 3)),
        ("2026 年 3 月", (2026, 3)),
        ("２０２６－０３", (2026, 3)),
        ("２０２６年１１月", (2026, 11)),
        (dt.date(2026, 3, 1), (2026, 3)),
        (dt.datetime(2026, 11, 30, 18), (2026, 11)),
    ],
)
def test_months(raw, expected):
    assert parse_month(raw) == expected
    if isinstance(raw, str):
        assert parse_month(raw, strict=True) == expected


@pytest.mark.parametrize("raw", ["2026-03-01 00:00:00", "2026年3月5日", "20260305"])
def test_a_day_names_its_month_except_on_a_command_line(raw):
    assert parse_month(raw) == (2026, 3)
    with pytest.raises(UnreadableDate):
        parse_month(raw, strict=True)


@pytest.mark.parametrize("raw", ["2026-13", "2026-0", "三月", "2026", "2026-02-30", "202603", 3])
def test_unreadable_months(raw):
    with pytest.raises(UnreadableDate):
        parse_month(raw)


# --- writing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 3, 5), "2026年3月5日"),
        (dt.date(2026, 10, 9), "2026年10月9日"),
        (dt.date(2026, 11, 20), "2026年11月20日"),
        (dt.datetime(2026, 12, 31, 18), "2026年12月31日"),
        (None, "（未填写）"),
    ],
)
def test_cn_date(day, text):
    assert cn_date(day) == text


def test_what_is_written_reads_back():
    day = dt.date(2026, 11, 20)
    assert parse_date(cn_date(day)) == day


def test_notices_and_reminders_use_the_one_cn_date_and_no_copy_is_left():
    from ledger_tools.core import briefing, notices, reminders

    assert notices.cn_date is reminders.cn_date is dates.cn_date
    assert not hasattr(briefing, "cn_date")


# --- dates in prose -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027年6月30日前完成", [dt.date(2027, 6, 30)]),
        ("2027年6月底", [dt.date(2027, 6, 30)]),
        ("2028年2月末", [dt.date(2028, 2, 29)]),
        ("2027年底前", [dt.date(2027, 12, 31)]),
        ("2027年内", [dt.date(2027, 1, 1)]),
        ("2027年6月份", [dt.date(2027, 6, 1)]),
        ("2027年6月5号", [dt.date(2027, 6, 5)]),
        ("先于2027-03-05，再于2027/4完成", [dt.date(2027, 3, 5), dt.date(2027, 4, 1)]),
        ("2027年2月30日", []),
        ("第12026年", []),
        (None, []),
    ],
)
def test_dates_in_text(text, expected):
    assert dates.dates_in_text(text) == expected


# --- deadline phrases of a 会议纪要 (SPEC §10) --------------------------------------------------

ISSUED = dt.date(2026, 11, 18)  # 印发日期 of the minutes


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("12月底前", dt.date(2026, 12, 31)),
        ("年底前", dt.date(2026, 12, 31)),
        ("年内完成", dt.date(2026, 12, 31)),
        ("12月15日前", dt.date(2026, 12, 15)),
        ("十二月十五日前", dt.date(2026, 12, 15)),
        ("１２月１５日前", dt.date(2026, 12, 15)),
        ("2027年3月底前", dt.date(2027, 3, 31)),
        ("2027年底前", dt.date(2027, 12, 31)),
        ("明年年底前", dt.date(2027, 12, 31)),
        ("于2027年1月10日前", dt.date(2027, 1, 10)),
        ("12月中旬前", dt.date(2026, 12, 20)),
        # a year left out whose day is already past at 印发日期: the following year
        ("一季度末", dt.date(2027, 3, 31)),
        ("第二季度末", dt.date(2027, 6, 30)),
        ("四季度末", dt.date(2026, 12, 31)),
        ("上半年", dt.date(2027, 6, 30)),
        ("下半年", dt.date(2026, 12, 31)),
        ("3月底前", dt.date(2027, 3, 31)),
        ("11月10日前", dt.date(2027, 11, 10)),
        # relative: from 印发日期
        ("一个月内", dt.date(2026, 12, 18)),
        ("3个月内", dt.date(2027, 2, 18)),
        ("半个月内", dt.date(2026, 12, 3)),
        ("两周内", dt.date(2026, 12, 2)),
        ("15日内", dt.date(2026, 12, 3)),
        ("半年内", dt.date(2027, 5, 18)),
        # working days: 11-19 … 12-02 (weekends left out)
        ("10个工作日内", dt.date(2026, 12, 2)),
        ("十个工作日内", dt.date(2026, 12, 2)),
        # the last working day before the Spring Festival holiday (2027-02-05 is 除夕)
        ("春节前", dt.date(2027, 2, 4)),
        ("元旦前", dt.date(2026, 12, 31)),
    ],
)
def test_deadline_phrases(phrase, expected):
    assert deadline_from_phrase(phrase, ISSUED).date == expected


def test_year_rolled_over_says_so():
    d = deadline_from_phrase("3月底前", ISSUED)
    assert "按次年 2027 年理解" in d.note
    assert deadline_from_phrase("12月底前", ISSUED).note is None


def test_spring_festival_of_the_issue_year_and_make_up_days():
    # 2026: holiday 02-15…02-23, Saturday 02-14 is a make-up working day (the package knows it)
    assert deadline_from_phrase("春节前", dt.date(2026, 1, 5)).date == dt.date(2026, 2, 14)
    assert deadline_from_phrase("2026年春节前", ISSUED).date == dt.date(2026, 2, 14)


def test_working_days_follow_the_calendar_overrides():
    cal = WorkCalendar([CalendarOverride(dt.date(2026, 11, 30), DayType.DAY_OFF)])
    assert deadline_from_phrase("10个工作日内", ISSUED, cal).date == dt.date(2026, 12, 3)


@pytest.mark.parametrize("phrase", ["12月前", "3月份完成"])
def test_a_month_without_a_day_is_not_guessed(phrase):
    d = deadline_from_phrase(phrase, ISSUED)
    assert d.date is None and "没有写明具体日期" in d.note


def test_relative_deadline_needs_the_issue_date():
    d = deadline_from_phrase("一个月内", None)
    assert d.date is None and "印发日期" in d.note


def test_chinese_numerals_before_a_time_word_only():
    assert cn_numerals("十二月十五日前") == "12月15日前"
    assert cn_numerals("两个月内，二〇二七年底") == "2个月内，2027年底"
    assert cn_numerals("一律按规定办理") == "一律按规定办理"
    assert fold_text("１２ 月（十五）日") == "12月(十五)日"


def test_several_phrases_in_order_and_no_reading_inside_a_longer_one():
    found = find_deadlines("上半年内启动，12月15日前完成", ISSUED)
    assert [(d.phrase, d.date) for d in found] == [
        ("上半年内", dt.date(2027, 6, 30)),
        ("12月15日前", dt.date(2026, 12, 15)),
    ]
    assert deadline_from_phrase("抓紧推进", ISSUED) is None


# 完成时限 cells (SPEC §3 Fail closed): read what can be read, never guess the rest.
CELL_ISSUED = dt.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("text", "issued", "expected"),
    [
        ("2026年7月底", None, dt.date(2026, 7, 31)),
        ("2026年7月底。", None, dt.date(2026, 7, 31)),
        ("２０２６年２月底", None, dt.date(2026, 2, 28)),
        ("2026年12月末", None, dt.date(2026, 12, 31)),
        ("2027年底", CELL_ISSUED, dt.date(2027, 12, 31)),
        ("年底", CELL_ISSUED, dt.date(2026, 12, 31)),
        (" 年底。", CELL_ISSUED, dt.date(2026, 12, 31)),
        ("2026-07-31。", None, dt.date(2026, 7, 31)),
        ("2026-07-31", None, dt.date(2026, 7, 31)),
        ("", None, None),
    ],
)
def test_parse_deadline_reads_what_can_be_read(text, issued, expected):
    assert dates.parse_deadline(text, issued) == expected


@pytest.mark.parametrize(
    ("text", "issued"),
    [
        ("即时", CELL_ISSUED),
        ("待定", CELL_ISSUED),
        ("2026-09-31", CELL_ISSUED),
        ("年底", None),  # no 印发日期: the year is not guessed
        ("7月底", CELL_ISSUED),  # a month without its year is not guessed
        ("2026年13月底", CELL_ISSUED),
        ("。", CELL_ISSUED),
    ],
)
def test_parse_deadline_never_guesses(text, issued):
    with pytest.raises(dates.UnreadableDate):
        dates.parse_deadline(text, issued)
