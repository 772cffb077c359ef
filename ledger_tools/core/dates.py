"""The one reading of dates as people type them, and the one way the office writes them.

Dates reach the tool from cells, command-line options, report periods and free text. Units and
staff type them with a Chinese input method, so one grammar serves every caller (SPEC §4):
2026-3-5, 2026/03/05, 2026.3.5, 2026年3月5日, 20260305, full-width digits and punctuation
(２０２６／３／５), spaces around the parts, trailing (also full-width) spaces, a time after the
date (2026-03-05 14:30, 2026-03-05T14:30:00.000, with ：), and mixed separators (2026-3月5日).
A shape that looks like a date but names no day (2026-02-30, 2026-13-01) is unreadable, never
guessed into a neighbouring day.

``strict`` is for what staff type on a command line, where a value that is not plainly the
thing asked for is more likely a slip than a shape: a date option takes a separated
year-month-day only (20261120 and a time tail, which come from pasted or exported cells, are
refused), a month option a year and month only (2026-11-20 was probably meant for --as-of).

Excel serial numbers are not here: they are a file-format matter, read in ``sheets/cells.py``.
Neither are readings another rule may add later (年底, 7月底 in a deadline cell): only
``dates_in_text`` reads those, for stage targets, at their earliest day.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
import re
import unicodedata

__all__ = [
    "SPACES",
    "UnreadableDate",
    "cn_date",
    "dates_in_text",
    "normalise",
    "parse_date",
    "parse_datetime",
    "parse_month",
]

# Spaces that NFKC leaves alone or that a pasted cell carries (no-break, zero-width, BOM).
SPACES = "\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
_STRIP = " \t\r\n" + SPACES

_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.\d+)?)?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")

# Dates named inside prose (stage targets): a year from 1900 to 2099 not glued to other digits,
# then optionally a month, a day, and 底/末 (end of the year or month).
_DATE_IN_TEXT = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:年|[-/.])\s*"
    r"(?:(\d{1,2})(?!\d)\s*(?:月份?|[-/.])?\s*(?:(\d{1,2})(?!\d)\s*[日号]?)?)?\s*(底|末)?"
)


class UnreadableDate(ValueError):
    """A value that is not empty and not a date in any shape we read. ``raw`` is what was there."""

    def __init__(self, raw: object):
        super().__init__(str(raw))
        self.raw = raw


def normalise(text: str) -> str:
    """Full-width digits and punctuation (２０２６／３／５) as ASCII, surrounding spaces gone."""
    return unicodedata.normalize("NFKC", text).strip(_STRIP)


def parse_datetime(value: object, *, strict: bool = False) -> dt.datetime | None:
    """A naive datetime from a date, a datetime or typed text; None for empty.

    Raises ``UnreadableDate`` for anything else, numbers included: a number in a cell is an
    Excel serial, which only the spreadsheet layer knows how to read. An aware datetime loses
    its zone: the ledger keeps naive local times, and an aware one would neither compare with
    them nor survive a save.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is not None else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, (bool, int, float)):
        raise UnreadableDate(value)
    text = normalise(str(value))
    if not text:
        return None
    m = _DATE.match(text)
    if strict:
        if m is None or m.group(4) is not None:
            raise UnreadableDate(value)
    elif m is None:
        m = _COMPACT.match(text)
    if m is None:
        raise UnreadableDate(value)
    year, month, day, hour, minute, second = ([int(p) if p else 0 for p in m.groups()] + [0] * 3)[
        :6
    ]
    try:
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise UnreadableDate(value) from None


def parse_date(value: object, *, strict: bool = False) -> dt.date | None:
    """The day of ``parse_datetime``: None for empty, ``UnreadableDate`` when unreadable."""
    d = parse_datetime(value, strict=strict)
    return None if d is None else d.date()


def parse_month(value: object, *, strict: bool = False) -> tuple[int, int] | None:
    """(year, month) from 2026-03, 2026/3, 2026.3, 2026年3月 or any date of that month.

    A date counts because Excel turns a typed 2026-03 into the 1st of the month and a clerk may
    type a whole day; a day that does not exist (2026-02-30) names no month either. None for
    empty; ``UnreadableDate`` when unreadable.
    """
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.year, value.month
    if isinstance(value, (bool, int, float)):
        raise UnreadableDate(value)
    text = normalise(str(value))
    if not text:
        return None
    m = _MONTH.match(text)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return year, month
        raise UnreadableDate(value)
    if strict:
        raise UnreadableDate(value)
    d = parse_datetime(text)
    assert d is not None  # text is not empty
    return d.year, d.month


def dates_in_text(text: str | None) -> list[dt.date]:
    """Every date a free text names, each at its earliest reading; never raises.

    A stage target may say 2027年6月30日, 2027-06-30, 2027年6月, 2027.3, 2027年底 or 2027年6月底.
    A month without a day counts from its first day and a bare year from 1 January (so that
    only targets clearly beyond a limit are refused); 底/末 means the last day of the month or
    year. Something that is no date (2027年13月) is skipped, not guessed.
    """
    if not text:
        return []
    out: list[dt.date] = []
    for m in _DATE_IN_TEXT.finditer(unicodedata.normalize("NFKC", text)):
        year, month, day, end = int(m.group(1)), m.group(2), m.group(3), m.group(4)
        try:
            if month is None:
                out.append(dt.date(year, 12, 31) if end else dt.date(year, 1, 1))
                continue
            mon = int(month)
            if day is not None:
                out.append(dt.date(year, mon, int(day)))
            elif end:
                out.append(dt.date(year, mon, _stdcal.monthrange(year, mon)[1]))
            else:
                out.append(dt.date(year, mon, 1))
        except ValueError:
            continue  # 2027年13月: not a date, and not ours to guess
    return out


def cn_date(d: dt.date | None) -> str:
    """2026年10月9日: GB/T 9704 writes dates in full Arabic numerals without leading zeros.

    A missing date reads 「（未填写）」 rather than nothing: a notice whose 完成时限 line is blank
    looks like a printing fault, and a template an office edits may show any date field.
    """
    if d is None:
        return "（未填写）"
    return f"{d.year}年{d.month}月{d.day}日"
