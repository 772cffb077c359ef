"""Excel's own arithmetic, without openpyxl: column letters, cell references, serial dates and
the built-in number formats.

Importing any part of openpyxl imports all of it, and with it numpy and lxml: about 0.4 s of
CPU before a command has read a byte. merge, refresh and brief read the ledger with calamine and
save it through the package writer, so on their common path openpyxl is needed for nothing but
these few formulas; here they are, each giving exactly what openpyxl's function of the same
purpose gives (``tests/sheets/test_excel.py`` compares them). openpyxl itself is imported where a
workbook really is loaded or built through it (the fallback save, ``init``, annotated copies).
"""

from __future__ import annotations

import datetime as dt
import functools
import re

__all__ = [
    "BUILTIN_FORMATS",
    "BadReference",
    "column_letter",
    "column_number",
    "from_serial",
    "split_reference",
    "to_serial",
]

_EPOCH = dt.datetime(1899, 12, 30)  # day 0 of the 1900 date system, as Excel counts it
_DATE_EPOCH = _EPOCH.date()
_DAY_SECONDS = 86400
_REFERENCE = re.compile(r"^[$]?([A-Za-z]{1,3})[$]?(\d+)$")

# Number formats every spreadsheet program knows by id, never written to styles.xml.
BUILTIN_FORMATS: dict[int, str] = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)",
    38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}


@functools.cache
def column_letter(number: int) -> str:
    """1 → A, 27 → AA, 16384 → XFD."""
    if not 1 <= number <= 18278:
        raise ValueError(f"column {number} is out of range")
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@functools.cache
def column_number(letters: str) -> int:
    """A → 1, AA → 27 (upper or lower case); ValueError for anything that is not 1-3 letters."""
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        raise ValueError(f"{letters!r} is not a column name")
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


class BadReference(ValueError):
    """A cell reference that is not one (a damaged file's, when read from a package)."""


def split_reference(reference: str) -> tuple[int, int]:
    """ "B12" (or "$B$12") → (row 12, column 2); BadReference for anything else, row 0 included."""
    m = _REFERENCE.match(reference)
    if m is None or not int(m.group(2)):
        raise BadReference(f"{reference!r} is not a cell reference")
    return int(m.group(2)), column_number(m.group(1))


def to_serial(value: dt.date) -> float:
    """The serial number Excel stores for a date or datetime (the 1900 date system, with
    Lotus's 29 February 1900 that never was: a day is skipped before 1 March 1900). A date is
    a whole number of days, found without a datetime: the briefing writes tens of thousands."""
    if value.__class__ is dt.date:
        days = (value - _DATE_EPOCH).days
        return days - 1 if 0 < days <= 60 else days
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    days = (value - _EPOCH).days
    if 0 < days <= 60:
        days -= 1
    t = value.time()
    return days + (t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 10**6) / _DAY_SECONDS


def from_serial(serial: float) -> dt.datetime | dt.time:
    """The datetime a serial number shows, to the millisecond (a time of day below 1)."""
    day, fraction = divmod(serial, 1)
    diff = dt.timedelta(milliseconds=round(fraction * _DAY_SECONDS * 1000))
    if 0 <= serial < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return dt.time(hours, minutes, seconds, diff.microseconds)
    if 0 < serial < 60:
        day += 1
    return _EPOCH + dt.timedelta(days=day) + diff
