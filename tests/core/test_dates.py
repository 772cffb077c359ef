import datetime as dt

import pytest

from ledger_tools.core import dates
from ledger_tools.core.dates import UnreadableDate, cn_date, parse_date, parse_datetime, parse_month

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


def test_briefing_and_notices_share_the_one_cn_date():
    from ledger_tools.core import briefing, notices

    assert briefing.cn_date is notices.cn_date is dates.cn_date


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
