"""Reading cell values the way people really type them, and writing them back safely.

Dates arrive as real dates, as serial numbers (East-Asian date formats are not recognised by
openpyxl or calamine), or as text in many shapes (2026-3-5, 2026/03/05, 2026年3月5日, 2026.3.5,
full-width digits, trailing spaces). The text shapes are ``core/dates.py``'s, the one grammar
every caller shares; serial numbers, a file-format matter, are read here (``excel.from_serial``,
which knows the 1900 system's quirks as openpyxl does). Text arrives with full-width spaces and
numbers where text belongs (a phone number typed as a number).
"""

from __future__ import annotations

import datetime as dt
import re

from ledger_tools.core import dates
from ledger_tools.sheets import excel

__all__ = [
    "BadValue",
    "clean_text",
    "parse_date",
    "parse_datetime",
    "parse_int",
    "parse_number",
    "split_list",
    "serial_to_date",
]

_MAX_SERIAL = 2958465  # 9999-12-31

_SPACES = dates.SPACES
_LIST_SPLIT = re.compile(r"[、，,;；\n\r]+")


class BadValue(ValueError):
    """A cell value that cannot be read as the column's type. ``raw`` is what was there."""

    def __init__(self, raw: object):
        super().__init__(str(raw))
        self.raw = raw


def clean_text(value: object) -> str | None:
    """Text with surrounding (also full-width) spaces removed; empty → None.

    A float that is a whole number becomes its integer digits: a phone number typed as a number
    must not come back as "13800000000.0".
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    s = str(value).strip(" \t\r\n" + _SPACES)
    return s or None


_normalise = dates.normalise


def serial_to_date(serial: float) -> dt.datetime:
    """The datetime an Excel serial number shows (1900 date system, its leap-year bug included)."""
    if not 1 <= serial <= _MAX_SERIAL:
        raise BadValue(serial)
    value = excel.from_serial(serial)
    assert isinstance(value, dt.datetime)  # a serial of 1 or more is a day
    return value


def parse_datetime(value: object) -> dt.datetime | None:
    """A datetime from any shape of SPEC §4; None for empty; BadValue when unreadable."""
    if isinstance(value, bool):
        raise BadValue(value)
    if isinstance(value, (int, float)):
        return serial_to_date(value)
    try:
        return dates.parse_datetime(value)
    except dates.UnreadableDate:
        pass
    try:  # a serial number typed as text
        return serial_to_date(float(_normalise(str(value))))
    except ValueError:
        raise BadValue(value) from None


def parse_date(value: object) -> dt.date | None:
    """A date from any shape of SPEC §4; None for empty; BadValue when unreadable."""
    d = parse_datetime(value)
    return None if d is None else d.date()


def parse_int(value: object) -> int | None:
    """An integer from a number or typed digits (full-width too); 2.5 and text are BadValue."""
    f = parse_number(value)
    if f is None:
        return None
    if not f.is_integer():
        raise BadValue(value)
    return int(f)


def parse_number(value: object) -> float | None:
    """A number from a number or typed digits; whatever float() refuses is BadValue."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise BadValue(value)
    try:
        return float(_normalise(value)) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise BadValue(value) from None


def split_list(value: object) -> list[str]:
    """Units separated by 、，,; or new lines, cleaned, empties dropped, order kept."""
    text = clean_text(value)
    if not text:
        return []
    return [p for p in (clean_text(x) for x in _LIST_SPLIT.split(text)) if p]
