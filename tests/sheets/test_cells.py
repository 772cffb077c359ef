import datetime as dt

import pytest

from ledger_tools.core import dates
from ledger_tools.sheets.cells import (
    BadValue,
    clean_text,
    parse_date,
    parse_datetime,
    parse_int,
    split_list,
)

D = dt.date(2026, 3, 5)


@pytest.mark.parametrize(
    "raw",
    [
        D,
        dt.datetime(2026, 3, 5, 0, 0),
        dt.datetime(2026, 3, 5, 14, 30, tzinfo=dt.timezone.utc),
        46086,  # serial number, e.g. a cell with an East-Asian date format
        46086.0,
        "2026-3-5",
        "2026-03-05",
        "2026/03/05",
        "2026/3/5",
        "2026年3月5日",
        "2026年03月05日",
        "2026.3.5",
        "２０２６－３－５",
        "２０２６年３月５日",
        "2026-03-05 00:00:00",
        " 2026-3-5 \u3000",
        "20260305",
        "46086",
    ],
)
def test_dates_in_every_shape_people_type(raw):
    assert parse_date(raw) == D


@pytest.mark.parametrize("raw", ["2026-2-30", "明天", "2026-13-01", "3/5", True, -5, "2026年3月"])
def test_unreadable_dates_raise_with_the_raw_value(raw):
    with pytest.raises(BadValue) as e:
        parse_date(raw)
    assert e.value.raw == raw


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_empty_is_none(raw):
    assert parse_date(raw) is None
    assert clean_text(raw) is None


def test_text_cleanup_keeps_chinese_punctuation_and_phone_digits():
    assert clean_text("  已完成，正在验收。\u3000") == "已完成，正在验收。"
    assert clean_text(13800000000.0) == "13800000000"


def test_unit_lists_split_on_every_separator():
    assert split_list("市财政局、市发改委，市住建局,市交通局;市教体局；市卫健委\n市环境局") == [
        "市财政局",
        "市发改委",
        "市住建局",
        "市交通局",
        "市教体局",
        "市卫健委",
        "市环境局",
    ]
    assert split_list(None) == []


def test_integers():
    assert parse_int("３") == 3
    assert parse_int(4.0) == 4
    with pytest.raises(BadValue):
        parse_int("2.5")


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (46086, dt.datetime(2026, 3, 5)),
        (46086.5, dt.datetime(2026, 3, 5, 12)),
        (46086.604166666664, dt.datetime(2026, 3, 5, 14, 30)),  # float noise, not 14:29:59.99
        (61, dt.datetime(1900, 3, 1)),
        (1, dt.datetime(1900, 1, 1)),  # Excel's day 1, before its phantom 1900-02-29
        (2958465, dt.datetime(9999, 12, 31)),
    ],
)
def test_serial_numbers_read_as_excel_shows_them(serial, expected):
    assert parse_datetime(serial) == expected
    assert parse_datetime(str(serial)) == expected  # a serial typed or pasted as text


@pytest.mark.parametrize("raw", [0, 0.5, 2958466, float("nan"), float("inf"), "-1"])
def test_serial_numbers_outside_excels_range_are_unreadable(raw):
    with pytest.raises(BadValue) as e:
        parse_datetime(raw)
    assert e.value.raw is raw  # nan is not equal to itself


def test_text_dates_are_the_core_grammar():
    # One grammar for cells and for core: a shape read there is read here.
    for text in ["2026年11月20日", "２０２６．１１．２０", "2026 - 11 - 20", "2026-11-20 08:00"]:
        assert parse_date(text) == dates.parse_date(text) == dt.date(2026, 11, 20)
