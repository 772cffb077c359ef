"""Reading cell values the way people really type them, and writing them back safely.

Dates arrive as real dates, as serial numbers (East-Asian date formats are not recognised by
openpyxl or calamine), or as text in many shapes (2026-3-5, 2026/03/05, 2026年3月5日, 2026.3.5,
full-width digits, trailing spaces). Text arrives with full-width spaces and numbers where text
belongs (a phone number typed as a number).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

__all__ = [
    "BadValue",
    "clean_text",
    "parse_date",
    "parse_datetime",
    "parse_int",
    "parse_number",
    "split_list",
    "EXCEL_EPOCH",
    "serial_to_date",
]

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_MAX_SERIAL = 2958465  # 9999-12-31

_SPACES = "\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.\d+)?)?)?$"
)
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
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


def _normalise(text: str) -> str:
    # NFKC maps full-width digits and punctuation (２０２６／３／５) to ASCII.
    return unicodedata.normalize("NFKC", text).strip(" \t\r\n" + _SPACES)


def serial_to_date(serial: float) -> dt.datetime:
    if not 1 <= serial <= _MAX_SERIAL:
        raise BadValue(serial)
    return EXCEL_EPOCH + dt.timedelta(days=float(serial))


def parse_datetime(value: object) -> dt.datetime | None:
    """A datetime from any shape of SPEC §4; None for empty; BadValue when unreadable."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:  # a tz-aware value fails only at save time in openpyxl
            value = value.replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise BadValue(value)
    if isinstance(value, (int, float)):
        return serial_to_date(value)
    text = _normalise(str(value))
    if not text:
        return None
    m = _DATE_RE.match(text) or _COMPACT_RE.match(text)
    if not m:
        try:  # a serial number typed as text
            return serial_to_date(float(text))
        except ValueError:
            raise BadValue(value) from None
    parts = [int(p) if p else 0 for p in m.groups()]
    parts += [0] * (6 - len(parts))
    try:
        return dt.datetime(*parts)
    except ValueError:
        raise BadValue(value) from None


def parse_date(value: object) -> dt.date | None:
    """A date from any shape of SPEC §4; None for empty; BadValue when unreadable."""
    d = parse_datetime(value)
    return None if d is None else d.date()


def parse_int(value: object) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise BadValue(value)
    try:
        f = float(_normalise(str(value))) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise BadValue(value) from None
    if not f.is_integer():
        raise BadValue(value)
    return int(f)


def parse_number(value: object) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise BadValue(value)
    try:
        return float(_normalise(str(value))) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise BadValue(value) from None


def split_list(value: object) -> list[str]:
    """Units separated by 、，,; or new lines, cleaned, empties dropped, order kept."""
    text = clean_text(value)
    if not text:
        return []
    return [p for p in (clean_text(x) for x in _LIST_SPLIT.split(text)) if p]
