"""The values of an office's old ledger, read as ``validate`` reads 台账 and failing closed.

One row of OLD (each 台账 header with the value it shows and its cell) becomes the values of a
台账 row, plus what could not be read. The rules (SPEC §3 and §12):

- dates in every shape ``core.dates`` knows; 完成时限 also 2025年6月底 and 年底 (the year of
  印发日期); 长期 / 持续推进 / 常态化 there make a 长期 item with no deadline;
- 涉密: blank or 否 is not confidential, 是 is, any other value (√, 机密 …) is confidential
  and listed so staff see it was read that way;
- 是否办结 是 / 已办结 / 完成 … → 已办结, with 办结日期 from a 办结日期 column or a date in the
  cell itself (「已办结（2025.12.20）」); without a date it stays 已办结 as typed and is listed
  (validate's L320 asks for the date; the item counts as not finished until it is given);
  否 / 未办结 / 在办 … leave the status to refresh; anything else is unreadable;
- unit names without spaces, matched to the office's list (name or alias → its name);
  a 主责单位 cell naming several units names no one lead unit: unreadable;
- an unreadable value is left blank, kept as typed in 备注 and listed, never guessed.

An Excel serial number in a date column is a file-format matter: the caller passes ``serial``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ledger_tools.core import dates
from ledger_tools.core.ids import ID_PATTERN

__all__ = [
    "DATE_HEADERS",
    "DONE_WORDS",
    "LONG_WORDS",
    "NOT_DONE_WORDS",
    "Adopted",
    "Problem",
    "UnitNames",
    "convert_row",
    "unit_name",
]

DATE_HEADERS = ("印发日期", "交办日期", "办结日期", "销号日期", "最近报送日期")
TEXT_HEADERS = (
    "来源名称",
    "议定事项",
    "办理要求",
    "责任领导",
    "承办科室",
    "交办文号",
    "最新进展",
    "阶段性目标",
    "销号经办人",
)
DONE_WORDS = ("是", "已办结", "办结", "已完成", "完成", "√", "✓", "✔", "已落实", "已销号", "Y")
NOT_DONE_WORDS = (
    "否",
    "未办结",
    "未完成",
    "在办",
    "正在办理",
    "办理中",
    "推进中",
    "正在推进",
    "持续推进",
    "长期推进",
    "未",
    "×",
    "N",
)
LONG_WORDS = ("长期", "长期推进", "持续推进", "常态化", "长期坚持", "持续", "长期事项")
SOURCE_TYPES = (("常务", "常务会议"), ("专题", "专题会议"), ("批示", "领导批示"))
VERIFICATIONS = ("属实", "报送不实", "措施不力")

_UNIT_SEPARATORS = re.compile(r"[、，,;；\n\r]+")  # the same separators as 协办单位 cells
_STRIP = " \t\r\n" + dates.SPACES
_DAY_IN_TEXT = re.compile(r"\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*[日号]?")


@dataclass(frozen=True)
class Problem:
    """A value that was not read as typed: where, what, and what the adoption did with it."""

    sheet: str
    cell: str
    header: str  # the 台账 header it was meant for
    raw: str
    reason: str


@dataclass
class Adopted:
    """One item row as it lands in 台账: 台账 header → value, staff columns, provenance."""

    sheet: str
    row: int  # 1-based row of OLD
    values: dict[str, object] = field(default_factory=dict)
    custom: dict[str, object] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    units: list[str] = field(default_factory=list)  # every unit name the row names


class UnitNames:
    """The office's units (--units) by name and alias; names not in it are kept as cleaned."""

    def __init__(self, units: Mapping[str, tuple[str, ...]] | None = None):
        self.index: dict[str, str] = {}
        for name in units or {}:
            self.index.setdefault(unit_name(name), name)
        for name, aliases in (units or {}).items():
            for a in aliases:
                self.index.setdefault(unit_name(a), name)

    def canonical(self, text: str) -> str:
        name = unit_name(text)
        return self.index.get(name, name)


def unit_name(text: object) -> str:
    """A unit name as typed, without any space (a pasted 「市 财政局 」 is 市财政局)."""
    s = _text(text) or ""
    return "".join(ch for ch in s if not ch.isspace() and ch not in dates.SPACES)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    s = str(value).strip(_STRIP)
    return s or None


def _raw(value: object) -> str:
    return _text(value) or ""


Serial = Callable[[float], dt.date]


@dataclass
class _Row:
    out: Adopted
    cells: Mapping[str, tuple[object, str]]  # 台账 header → (shown value, A1)
    serial: Serial | None
    notes: list[str] = field(default_factory=list)

    def value(self, header: str) -> object:
        return self.cells[header][0] if header in self.cells else None

    def unreadable(self, header: str, reason: str) -> None:
        raw = _raw(self.value(header))
        cell = self.cells[header][1] if header in self.cells else ""
        self.out.problems.append(Problem(self.out.sheet, cell, header, raw, reason))
        if raw:
            self.notes.append(f"{header}原填「{raw}」")

    def date(self, header: str, value: object) -> dt.date | None:
        if value is None or (isinstance(value, str) and not value.strip(_STRIP)):
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if self.serial is None:
                raise dates.UnreadableDate(value)
            return self.serial(float(value))
        return dates.parse_date(value)


def convert_row(
    sheet: str,
    row: int,
    cells: Mapping[str, tuple[object, str]],
    *,
    units: UnitNames,
    serial: Serial | None = None,
    source_name: str | None = None,
    sheet_note: str | None = None,
) -> Adopted:
    """The 台账 values of one row of OLD (see the module's docstring for every rule)."""
    r = _Row(Adopted(sheet, row), cells, serial)
    v = r.out.values
    for h in TEXT_HEADERS:
        text = _text(r.value(h))
        if text is not None:
            v[h] = text
    if "来源名称" not in v and source_name:
        v["来源名称"] = source_name
    for h in DATE_HEADERS:
        try:
            day = r.date(h, r.value(h))
        except (dates.UnreadableDate, ValueError, OverflowError):
            r.unreadable(h, "日期无法识别，已留空")
            continue
        if day is not None:
            v[h] = day
    _deadline(r)
    _source_type(r)
    _confidential(r)
    _status(r)
    _units(r, units)
    _choice(r, "核查结果", VERIFICATIONS)
    number = _text(r.value("事项编号"))
    if number:
        if ID_PATTERN.match(number):
            v["事项编号"] = number
        else:
            r.notes.append(f"原编号「{number}」")
    note = _text(r.value("备注"))
    extra = "；".join(([sheet_note] if sheet_note else []) + r.notes)
    if note or extra:
        v["备注"] = "；".join(p for p in (note, f"【导入】{extra}" if extra else None) if p)
    return r.out


def _fold(value: object) -> str:
    return "".join(unicodedata.normalize("NFKC", _raw(value)).split()).rstrip("。")


def _deadline(r: _Row) -> None:
    v = r.out.values
    raw = r.value("完成时限")
    kind = _fold(r.value("事项类型")).removesuffix("事项")
    if kind in ("一般", "长期"):
        v["事项类型"] = kind
    elif kind:
        r.unreadable("事项类型", "不是「一般」或「长期」，已按完成时限判断")
    if _fold(raw) in {unicodedata.normalize("NFKC", w) for w in LONG_WORDS}:
        v["事项类型"] = "长期"
        return
    try:
        day = r.date("完成时限", raw)
    except (dates.UnreadableDate, ValueError, OverflowError):
        try:
            day = dates.parse_deadline(raw, v.get("印发日期"))  # type: ignore[arg-type]
        except dates.UnreadableDate:
            day = None
            r.unreadable("完成时限", "时限无法识别，已留空（事项显示为时限不明）")
    if day is not None:
        v["完成时限"] = day
    v.setdefault("事项类型", "一般")


def _source_type(r: _Row) -> None:
    v = r.out.values
    typed = _fold(r.value("来源类型"))
    for _word, value in SOURCE_TYPES:
        if typed == value:
            v["来源类型"] = value
            return
    name = _fold(v.get("来源名称")) or typed
    found = {value for word, value in SOURCE_TYPES if word in name}
    if len(found) == 1:
        v["来源类型"] = found.pop()
    elif typed or name:
        r.unreadable(
            "来源类型" if typed else "来源名称",
            "无法判断来源类型（常务会议、专题会议或领导批示），请在台账中填写",
        )


def _confidential(r: _Row) -> None:
    text = _fold(r.value("涉密"))
    if text in ("", "否"):
        r.out.values["涉密"] = "否"
    elif text == "是":
        r.out.values["涉密"] = "是"
    else:
        r.out.values["涉密"] = "是"
        r.unreadable("涉密", "不是「是」或「否」，按涉密处理")


def _status(r: _Row) -> None:
    v = r.out.values
    raw = r.value("办理状态")
    if isinstance(raw, (dt.date, dt.datetime)):
        v["办理状态"] = "已办结"
        v.setdefault("办结日期", raw.date() if isinstance(raw, dt.datetime) else raw)
        return
    text = _fold(raw)
    if not text:
        return
    days = []
    for m in _DAY_IN_TEXT.finditer(text):
        try:
            days.append(dates.parse_date(m.group(0)))
        except dates.UnreadableDate:
            continue
    word = _DAY_IN_TEXT.sub("", text).strip("()（）[]【】,，;；")
    if word in ("已终止", "终止"):
        v["办理状态"] = "已终止"
    elif word in DONE_WORDS or (days and word in ("", *DONE_WORDS)):
        v["办理状态"] = "已办结"
        if "办结日期" not in v and len(days) == 1:
            v["办结日期"] = days[0]
        if "办结日期" not in v:
            r.out.problems.append(
                Problem(
                    r.out.sheet,
                    r.cells["办理状态"][1],
                    "办结日期",
                    _raw(raw),
                    "已办结但没有办结日期：按原表记为已办结，请补填办结日期（未补填前不算办结）",
                )
            )
    elif word not in NOT_DONE_WORDS:
        r.unreadable("办理状态", "无法判断是否办结，未按办结导入")


def _units(r: _Row, units: UnitNames) -> None:
    v = r.out.values
    lead = _text(r.value("主责单位"))
    if lead:
        names = [p for p in (unit_name(x) for x in _UNIT_SEPARATORS.split(lead)) if p]
        if len(names) == 1:
            v["主责单位"] = units.canonical(names[0])
            r.out.units.append(v["主责单位"])  # type: ignore[arg-type]
        elif names:
            r.unreadable("主责单位", "写了多个单位，主责单位只能是一个，已留空，请确定主责单位")
    co = _text(r.value("协办单位"))
    if co:
        names = [units.canonical(p) for p in _UNIT_SEPARATORS.split(co) if unit_name(p)]
        names = [n for i, n in enumerate(names) if n not in names[:i] and n != v.get("主责单位")]
        if names:
            v["协办单位"] = names
            r.out.units.extend(names)


def _choice(r: _Row, header: str, allowed: tuple[str, ...]) -> None:
    text = _fold(r.value(header))
    if text in allowed:
        r.out.values[header] = text
    elif text:
        r.unreadable(header, f"不是 {'、'.join(allowed)} 之一，已留空")
