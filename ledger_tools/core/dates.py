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
A deadline cell (完成时限) takes a date, or a month's or year's end written with its year
(2026年7月底, 2026年底, a closing 。 allowed) or 年底 alone, which is the year of 印发日期:
``parse_deadline``. Anything else there (即时, 待定, 7月底, 2026-09-31) stays unreadable, never
guessed: the item then shows 时限不明. ``dates_in_text`` reads phrases in stage targets, at
their earliest day, and ``find_deadlines`` reads the deadline phrases of a 会议纪要
(12月底前, 一季度末, 10个工作日内, 春节前 …), where a reader takes them at their latest day.

Deadline phrases (SPEC §10). Chinese numerals before a time word are read as digits (十二月底,
两个月内). A year left out is the year of 印发日期; if that day is then already before 印发日期
(minutes issued in November asking for 「3月底前」) the following year is meant, and the reading
says so. Relative periods count from 印发日期 (一个月内 by the calendar month, 10个工作日内 on the
working-day calendar); 春节前 is the last working day before the Spring Festival holiday, from
the holidays data. A phrase that names no day (「12月前」) is found but not read: never guessed.

Long because it is the one date parser of core (ARCHITECTURE): typed dates and the deadline
phrases of minutes share their normalising, and a second parser is how readings drift apart.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ledger_tools.core.calendar import WorkCalendar

__all__ = [
    "SPACES",
    "Deadline",
    "UnreadableDate",
    "cn_date",
    "chinese_number",
    "cn_numerals",
    "dates_in_text",
    "deadline_from_phrase",
    "find_deadlines",
    "fold_text",
    "normalise",
    "parse_date",
    "parse_datetime",
    "parse_deadline",
    "parse_month",
    "spring_festival",
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


_MONTH_END = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*[底末]$")
_YEAR_END = re.compile(r"^(\d{4})?\s*年\s*[底末]$")


def parse_deadline(value: object, issued: dt.date | None = None) -> dt.date | None:
    """A 完成时限 cell: a date, 2026年7月底 (the month's last day), 2026年底, or 年底 alone, which
    is the year of ``issued`` (印发日期). None for empty; ``UnreadableDate`` for the rest, and
    for 年底 when there is no 印发日期: a year is never guessed, nor a month without its year
    (7月底 next to a November 印发日期 may mean either year).
    """
    try:
        return parse_date(value)
    except UnreadableDate:
        if not isinstance(value, str):
            raise
    text = normalise(value).rstrip("。").rstrip(_STRIP)
    if not text:
        raise UnreadableDate(value)
    try:
        return parse_date(text)
    except UnreadableDate:
        pass
    m = _MONTH_END.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return _month_end(int(m.group(1)), int(m.group(2)))
    m = _YEAR_END.match(text)
    if m and (m.group(1) or issued is not None):
        year = int(m.group(1)) if m.group(1) else issued.year  # type: ignore[union-attr]
        return dt.date(year, 12, 31)
    raise UnreadableDate(value)


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
                out.append(_month_end(year, mon))
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


# --- deadline phrases (会议纪要, SPEC §10) ---------------------------------------------------

_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGITS.update({"七": 7, "八": 8, "九": 9})
_CN_NUMBER = re.compile(
    r"[〇零一二两三四五六七八九十百]+(?=年|月|日|号|天|个|周|星期|季度|工作日|次|期)"
)


def chinese_number(text: str) -> int:
    """Small Chinese numerals as written in dates and meeting names: 一 → 1, 十二 → 12,
    二十五 → 25, 一百零五 → 105, 二〇二七 → 2027 (digit by digit when there is no 十/百)."""
    if "十" not in text and "百" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, current = 0, 0
    for c in text:
        if c == "百":
            total += (current or 1) * 100
            current = 0
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[c]
    return total + current


def cn_numerals(text: str) -> str:
    """Chinese numerals before a time word as digits: 十二月 → 12月, 两个月 → 2个月, 二〇二七年
    → 2027年. Only before a time word (年 月 日 天 个 周 季度 …): elsewhere they are words (一律)."""
    return _CN_NUMBER.sub(lambda m: str(chinese_number(m.group(0))), text)


def fold_text(text: str | None) -> str:
    """Text as the phrase readers match it: full-width forms folded (NFKC: （）１２ → ()12), every
    space dropped (a pasted 12 月 15 日), Chinese numerals before a time word as digits."""
    return cn_numerals(_SPACES.sub("", unicodedata.normalize("NFKC", text or "")))


_YEAR = r"(?:(?P<y>\d{4})年|(?P<rel>今|明|本|当|次)年)?"
_BEFORE = r"(?:前|之前|以前|止|为止)"
_DEADLINE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("date", _YEAR + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号](?:" + _BEFORE + r"|内)"),
    ("date", r"(?:于|在|截至|截止到?|到)" + _YEAR + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]"),
    ("month_end", _YEAR + r"(?P<m>\d{1,2})月(?:份)?(?:底|末)" + _BEFORE + "?"),
    ("xun", _YEAR + r"(?P<m>\d{1,2})月(?P<x>上|中|下)旬(?:" + _BEFORE + r"|末|内)?"),
    (
        "year_end",
        r"(?:(?P<y>\d{4})|(?P<rel>今|明|本|当|次))?年(?:年|度)?(?:底|末|内)" + _BEFORE + "?",
    ),
    ("quarter", _YEAR + r"第?(?P<q>[1-4])季度(?:末|底|内|结束前)"),
    ("half", _YEAR + r"(?P<h>上|下)半年(?:末|底|内|前)?"),
    ("spring", _YEAR + r"春节" + _BEFORE),
    ("new_year", r"元旦" + _BEFORE),
    ("within", r"(?P<n>\d{1,3}|半)个?(?P<u>个工作日|工作日|月|年|周|星期|天|日)(?:内|之内|以内)"),
)
_DEADLINES = tuple((kind, re.compile(p)) for kind, p in _DEADLINE_PATTERNS)

# a time named without a day (「12月前」, 「3月份完成」): listed as unreadable, never guessed
_VAGUE = re.compile(r"(?<![\d年])(?:\d{1,2})月(?:份)?(?:前|之前|以前|内|完成)")


@dataclass(frozen=True)
class Deadline:
    """A deadline phrase found in a text: the date it means (None if it cannot be had) and a
    note for staff when the reading took a decision (a year rolled over, no 印发日期)."""

    phrase: str
    date: dt.date | None
    note: str | None = None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _stdcal.monthrange(year, month)[1])


def _add_months(d: dt.date, n: int) -> dt.date:
    month = d.month - 1 + n
    year, month = d.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(d.day, _stdcal.monthrange(year, month)[1]))


@lru_cache(maxsize=64)
def spring_festival(year: int) -> dt.date | None:
    """The first day of the Spring Festival (正月初一) in ``year``, from the holidays data."""
    try:
        from ledger_tools.core.calendar import china

        table = china()(years=year, language="en_US")
    except Exception:  # a year the package cannot give: no date rather than a guess
        return None
    days = sorted(
        d
        for d, name in table.items()
        if "Spring Festival" in str(name) and "Eve" not in str(name) and d.year == year
    )
    return days[0] if days else None


def _before_spring_festival(year: int, calendar: WorkCalendar) -> dt.date | None:
    """The last working day before the Spring Festival holiday of ``year`` begins."""
    day = spring_festival(year)
    if day is None:
        return None
    day -= dt.timedelta(days=1)
    while not calendar.is_workday(day):  # back over the days off (除夕, the weekend before)
        day -= dt.timedelta(days=1)
    return day


def _read_match(
    kind: str, m: re.Match, issued: dt.date | None, calendar: WorkCalendar
) -> tuple[dt.date | None, str | None]:
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    phrase = m.group(0)
    if kind == "within":
        if issued is None:
            return None, f"纪要未写印发日期，无法推算「{phrase}」"
        n = 0.5 if g["n"] == "半" else int(g["n"])
        unit = g["u"]
        if unit in ("个工作日", "工作日"):
            if n != int(n):
                return None, None
            return calendar.add_workdays(issued, int(n)), None
        if unit == "月":
            return (
                issued + dt.timedelta(days=15) if n == 0.5 else _add_months(issued, int(n))
            ), None
        if unit == "年":
            return _add_months(issued, int(n * 12)), None
        if unit in ("周", "星期"):
            return issued + dt.timedelta(days=int(n * 7)), None
        return (issued + dt.timedelta(days=int(n)) if n == int(n) else None), None
    # absolute: the year as written, or relative to 印发日期
    explicit = "y" in g
    if explicit:
        year = int(g["y"])
    elif issued is None:
        return None, f"纪要未写印发日期，无法确定「{phrase}」的年份"
    else:
        year = issued.year + (1 if g.get("rel") in ("明", "次") else 0)
        explicit = "rel" in g
    try:
        if kind == "date":
            date = dt.date(year, int(g["m"]), int(g["d"]))
        elif kind == "month_end":
            date = _month_end(year, int(g["m"]))
        elif kind == "xun":
            month = int(g["m"])
            date = (
                _month_end(year, month)
                if g["x"] == "下"
                else dt.date(year, month, 10 if g["x"] == "上" else 20)
            )
        elif kind == "year_end" or kind == "new_year":
            date = dt.date(year, 12, 31)
        elif kind == "quarter":
            date = _month_end(year, int(g["q"]) * 3)
        elif kind == "half":
            date = dt.date(year, 6, 30) if g["h"] == "上" else dt.date(year, 12, 31)
        else:  # spring
            if not explicit and issued is not None:
                festival = spring_festival(year)
                if festival is not None and festival <= issued:
                    year += 1
                explicit = True  # the next Spring Festival after 印发日期 is meant
            before = _before_spring_festival(year, calendar)
            if before is None:
                return None, f"节假日数据中没有 {year} 年春节的日期，无法推算「{phrase}」"
            date = before
    except ValueError:  # 2月30日, 13月底
        return None, f"「{phrase}」不是有效日期"
    if not explicit and issued is not None and date < issued:
        return _next_year(kind, m, date, calendar), (
            f"「{phrase}」未写年份，且当年该日期早于印发日期 {issued}，按次年 {date.year + 1} 年理解"
        )
    return date, None


def _next_year(kind: str, m: re.Match, date: dt.date, calendar: WorkCalendar) -> dt.date:
    if date.month == 2 and date.day == 29:
        return dt.date(date.year + 1, 2, 28)
    if kind in ("month_end", "quarter") or (kind == "xun" and m.group(0).find("下旬") >= 0):
        return _month_end(date.year + 1, date.month)
    return date.replace(year=date.year + 1)


def find_deadlines(
    text: str, issued: dt.date | None, calendar: WorkCalendar | None = None
) -> list[Deadline]:
    """Every deadline phrase in ``text`` (readable or not), in order."""
    cal = calendar or WorkCalendar()
    t = fold_text(text)
    found = [(m.start(), i, m) for i, (_, rx) in enumerate(_DEADLINES) for m in rx.finditer(t)]
    out: list[Deadline] = []
    taken: list[tuple[int, int]] = []
    for start, i, m in sorted(found, key=lambda x: (x[0], x[1], -len(x[2].group(0)))):
        if any(a < m.end() and start < b for a, b in taken):
            continue  # a shorter reading inside a phrase already read (年内 in 上半年内)
        date, note = _read_match(_DEADLINES[i][0], m, issued, cal)
        out.append(Deadline(m.group(0), date, note))
        taken.append(m.span())
    for m in _VAGUE.finditer(t):
        if not any(a <= m.start() < b for a, b in taken):
            out.append(Deadline(m.group(0), None, f"时限「{m.group(0)}」没有写明具体日期"))
    return out


def deadline_from_phrase(
    phrase: str, issued: dt.date | None, calendar: WorkCalendar | None = None
) -> Deadline | None:
    """The date a deadline phrase means (12月底前, 年底前, 12月15日前, 2027年3月底前, 一季度末,
    上半年, 一个月内, 10个工作日内, 春节前 …) for minutes issued on ``issued``; None when the
    text holds no deadline phrase."""
    found = [d for d in find_deadlines(phrase, issued, calendar) if d.date or d.note]
    return found[0] if found else None


# --- units ----------------------------------------------------------------------------------
