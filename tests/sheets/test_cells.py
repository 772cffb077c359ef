import datetime as dt

import pytest

from ledger_tools.sheets.cells import BadValue, clean_text, parse_date, parse_int, split_list

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
