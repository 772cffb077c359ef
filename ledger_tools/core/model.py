"""The domain model: plain dataclasses and the closed value sets of SPEC §2.

Nothing here knows that a spreadsheet exists. Enum values are the exact Chinese words that
appear in the workbook, so a value read from a cell converts with ``Status(text)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


class _Choice(str, Enum):
    """A closed value set whose values are the Chinese words staff see."""

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]

    @classmethod
    def parse(cls, text: object):
        """The member whose value equals ``text`` (stripped), or None."""
        if text is None:
            return None
        s = str(text).strip()
        for m in cls:
            if m.value == s:
                return m
        return None


class SourceType(_Choice):
    EXECUTIVE = "常务会议"
    TOPICAL = "专题会议"
    INSTRUCTION = "领导批示"

    @property
    def code(self) -> str:
        return {"常务会议": "CW", "专题会议": "ZT", "领导批示": "PS"}[self.value]


class ItemKind(_Choice):
    REGULAR = "一般"
    LONG_TERM = "长期"


class Status(_Choice):
    PENDING_ASSIGNMENT = "待交办"
    IN_PROGRESS = "办理中"
    LONG_TERM = "长期推进"
    EXTENSION_REQUESTED = "申请延期"
    DONE = "已办结"
    CLOSED = "已销号"
    TERMINATED = "已终止"

    @property
    def is_open(self) -> bool:
        """Open items are the ones units still report on (SPEC §3)."""
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset({Status.IN_PROGRESS, Status.LONG_TERM, Status.EXTENSION_REQUESTED})
FINAL_STATUSES = frozenset({Status.CLOSED, Status.TERMINATED})


class Alert(_Choice):
    """督办预警, listed in priority order (SPEC §3)."""

    CLOSED = "已销号"
    TERMINATED = "已终止"
    DONE_ON_TIME = "按期办结"
    DONE_LATE = "逾期办结"
    ASSIGNMENT_LATE = "交办超时"
    PENDING_ASSIGNMENT = "待交办"
    DEADLINE_UNCLEAR = "时限不明"
    OVERDUE = "逾期"
    REPORT_MISSING = "未按时报送"
    DUE_SOON = "临期"
    NORMAL = "正常"


class ReportFlag(_Choice):
    """本期报送."""

    REPORTED = "已报送"
    REPORTED_LATE = "逾期报送"
    MISSING = "未报送"
    NOT_REQUIRED = "无需报送"


class UnitReportStatus(_Choice):
    """办理状态 as a unit may choose it on a feedback form."""

    ONGOING = "推进中"
    DONE = "已办结"
    EXTENSION = "申请延期"


class Verification(_Choice):
    """核查结果 from spot checks (Art. 7 and 9)."""

    TRUE = "属实"
    FALSE_REPORT = "报送不实"
    INEFFECTIVE = "措施不力"


class Approval(_Choice):
    APPROVED = "同意"
    REFUSED = "不同意"


class ReminderMethod(_Choice):
    WRITTEN = "书面督办"
    PHONE = "电话督办"
    SPOT_CHECK = "随机抽查"
    SITE_VISIT = "实地检查"


class UnitCategory(_Choice):
    COUNTY = "县市区"
    PARK = "园区"
    DEPARTMENT = "市直部门"
    OTHER = "其他"


class DayType(_Choice):
    WORKDAY = "工作日"
    DAY_OFF = "休息日"


class YesNo(_Choice):
    YES = "是"
    NO = "否"


@dataclass
class Settings:
    """The 设置 sheet, with SPEC §2 defaults."""

    org_name: str = "市人民政府"
    office_name: str = "市政府督查室"
    assign_workdays: int = 3
    warn_workdays: int = 5
    report_day: int = 25
    max_cycle_months: int = 12
    escalate_reminders: int = 2
    notice_number_format: str = "督查通〔{年}〕{序号}号"
    weight_overdue: float = 1.0
    weight_missed_report: float = 0.5
    weight_false_report: float = 2.0
    weight_ineffective: float = 1.0
    # 已确认调休年份 as typed (core.calendar.parse_years reads it): years staff have entered in full
    confirmed_years: str = ""


@dataclass
class Unit:
    name: str
    aliases: list[str] = field(default_factory=list)
    category: str | None = None
    section: str | None = None
    contact: str | None = None
    phone: str | None = None


@dataclass
class Item:
    """One row of 台账. ``row`` is the worksheet row it came from (None for new items)."""

    id: str | None = None
    source_type: SourceType | None = None
    source_name: str | None = None
    issued: dt.date | None = None
    matter: str | None = None
    requirement: str | None = None
    leader: str | None = None
    section: str | None = None
    lead_unit: str | None = None
    co_units: list[str] = field(default_factory=list)
    kind: ItemKind | None = None
    deadline: dt.date | None = None
    assigned: dt.date | None = None
    notice_no: str | None = None
    confidential: bool = False
    status: Status | None = None
    current_deadline: dt.date | None = None
    extensions: int | None = None
    stage_target: str | None = None
    latest_progress: str | None = None
    last_report: dt.date | None = None
    done_date: dt.date | None = None
    closed_date: dt.date | None = None
    closed_by: str | None = None
    verification: Verification | None = None
    end_date: dt.date | None = None  # 终止日期: when staff ended it (with 已终止)
    reminders: int | None = None
    workdays_left: int | None = None
    alert: Alert | None = None
    period_flag: ReportFlag | None = None
    note: str | None = None
    row: int | None = None
    # 完成时限 holds something that is not a date (即时, 待定, 2026-09-31): unlike a blank cell it
    # means "there is a deadline we cannot read", which must never read as "no deadline" (SPEC §3
    # Fail closed). Set by whoever reads the cell; the model alone cannot tell the two apart.
    deadline_unreadable: bool = False

    @property
    def is_long_term(self) -> bool:
        return self.kind is ItemKind.LONG_TERM


@dataclass
class Report:
    """One row of 办理记录: an accepted unit report."""

    recorded: dt.datetime | dt.date | None = None
    item_id: str | None = None
    unit: str | None = None
    period: str | None = None
    status: UnitReportStatus | None = None
    progress: str | None = None
    done_date: dt.date | None = None
    stage_target: str | None = None
    extension_reason: str | None = None
    extension_to: dt.date | None = None
    problems: str | None = None
    contact: str | None = None
    phone: str | None = None
    source_file: str | None = None
    fingerprint: str | None = None
    row: int | None = None

    @property
    def recorded_date(self) -> dt.date | None:
        if isinstance(self.recorded, dt.datetime):
            return self.recorded.date()
        return self.recorded


@dataclass
class Extension:
    """One row of 延期记录."""

    item_id: str | None = None
    requested: dt.date | None = None
    unit: str | None = None
    old_deadline: dt.date | None = None
    requested_to: dt.date | None = None
    reason: str | None = None
    approver: str | None = None
    approved_on: dt.date | None = None
    result: Approval | None = None
    granted_to: dt.date | None = None
    row: int | None = None

    @property
    def pending(self) -> bool:
        return self.result is None


@dataclass
class Reminder:
    """One row of 催办记录."""

    date: dt.date | None = None
    item_id: str | None = None
    unit: str | None = None
    method: ReminderMethod | None = None
    content: str | None = None
    clerk: str | None = None
    row: int | None = None


@dataclass
class CalendarOverride:
    """One row of 工作日历: a local correction of the working-day calendar."""

    date: dt.date
    day_type: DayType
    note: str | None = None
