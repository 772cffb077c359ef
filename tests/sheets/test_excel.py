"""Excel's arithmetic without openpyxl gives exactly what openpyxl's own functions give."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.styles.numbers import BUILTIN_FORMATS as OPENPYXL_FORMATS
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, to_excel

from ledger_tools.sheets import excel


@given(st.integers(1, 18278))
def test_column_letters_and_numbers_are_openpyxls(n):
    assert excel.column_letter(n) == get_column_letter(n)
    assert excel.column_number(get_column_letter(n)) == n
    assert excel.column_number(get_column_letter(n).lower()) == column_index_from_string(
        get_column_letter(n).lower()
    )


@pytest.mark.parametrize("bad", [0, -1, 18279])
def test_a_column_out_of_range_is_refused(bad):
    with pytest.raises(ValueError):
        excel.column_letter(bad)


@pytest.mark.parametrize("bad", ["", "ABCD", "A1", "中", "Ａ"])
def test_what_is_not_a_column_name_is_refused(bad):
    with pytest.raises(ValueError):
        excel.column_number(bad)


@pytest.mark.parametrize("ref", ["A1", "B12", "$C$7", "xfd1048576", "AA10"])
def test_references_split_as_openpyxl_splits_them(ref):
    assert excel.split_reference(ref) == coordinate_to_tuple(ref.replace("$", ""))


@pytest.mark.parametrize("bad", ["A0", "12", "A", "A1:B2", "ABCD1", " A1"])
def test_what_is_not_a_reference_is_refused(bad):
    with pytest.raises(ValueError):
        excel.split_reference(bad)


@given(st.datetimes(min_value=dt.datetime(1899, 12, 31), max_value=dt.datetime(9999, 12, 31)))
def test_serials_are_openpyxls(value):
    assert excel.to_serial(value) == to_excel(value)
    assert excel.to_serial(value.date()) == to_excel(value.date())


@given(st.floats(min_value=0, max_value=2958465.99, allow_nan=False))
def test_serials_read_back_as_openpyxl_reads_them(serial):
    assert excel.from_serial(serial) == from_excel(serial)


def test_every_day_around_1900_and_the_ends_of_the_calendar_are_openpyxls():
    day = dt.date(1899, 12, 30)
    while day < dt.date(1901, 1, 1):
        assert excel.to_serial(day) == to_excel(day), day
        day += dt.timedelta(days=1)
    for day in (dt.date(2026, 11, 24), dt.date(9999, 12, 31), dt.date(1, 1, 1)):
        assert excel.to_serial(day) == to_excel(day)


def test_the_leap_day_that_never_was_is_skipped_as_excel_skips_it():
    assert excel.to_serial(dt.date(1900, 2, 28)) == 59
    assert excel.to_serial(dt.date(1900, 3, 1)) == 61
    assert excel.from_serial(61) == dt.datetime(1900, 3, 1)


def test_the_builtin_number_formats_are_openpyxls():
    assert excel.BUILTIN_FORMATS == OPENPYXL_FORMATS
