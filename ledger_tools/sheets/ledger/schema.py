"""Every sheet and column of SPEC §2 as data.

Columns are found by header text, never by position; ``field`` is the attribute name on the
model dataclass the column maps to. ``kind`` says how a cell is read and written:
text, date, datetime, int, number, choice (a closed value set) or list (units separated by
、，,; or new lines).
"""

from __future__ import annotations

from dataclasses import dataclass

from ledger_tools.core import model as m

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"
    owner: str = "S"  # S staff, T tool, U unit reports (merge), combinations like "S/T"
    choices: type[m._Choice] | None = None
    width: float = 12
    required: bool = False  # the header must be present for the tool to work

    @property
    def tool_owned(self) -> bool:
        return "T" in self.owner

    @property
    def choice_set(self) -> type[m._Choice]:
        """The closed value set of a ``choice`` column (``choices`` is None for the others)."""
        assert self.choices is not None, f"{self.header} is not a choice column"
        return self.choices


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    hidden: bool = False

    def column(self, field: str) -> Column:
        for c in self.columns:
            if c.field == field:
                return c
        raise KeyError(field)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def _c(header, field, kind="text", owner="S", choices=None, width=12, required=True):
    return Column(header, field, kind, owner, choices, width, required)


INTRO = Sheet("说明", ())
AS_OF_LABEL = "计算日期"  # the label in 说明 beside which refresh writes the date it computed for

ITEMS = Sheet(
    "台账",
    (
        _c("事项编号", "id", owner="S/T", width=16),
        _c("来源类型", "source_type", "choice", choices=m.SourceType, width=10),
        _c("来源名称", "source_name", width=30),
        _c("印发日期", "issued", "date", width=12),
        _c("议定事项", "matter", width=40),
        _c("办理要求", "requirement", width=40),
        _c("责任领导", "leader", width=10),
        _c("承办科室", "section", width=12),
        _c("主责单位", "lead_unit", width=18),
        _c("协办单位", "co_units", "list", width=20),
        _c("事项类型", "kind", "choice", choices=m.ItemKind, width=8),
        _c("完成时限", "deadline", "date", width=12),
        _c("交办日期", "assigned", "date", owner="S/T", width=12),
        _c("交办文号", "notice_no", owner="S/T", width=20),
        _c("涉密", "confidential", "choice", choices=m.YesNo, width=6),
        _c("办理状态", "status", "choice", owner="T/U/S", choices=m.Status, width=10),
        _c("当前时限", "current_deadline", "date", owner="T", width=12),
        _c("延期次数", "extensions", "int", owner="T", width=8),
        _c("阶段性目标", "stage_target", owner="U", width=30),
        _c("最新进展", "latest_progress", owner="U", width=40),
        _c("最近报送日期", "last_report", "date", owner="U", width=12),
        _c("办结日期", "done_date", "date", owner="U", width=12),
        _c("销号日期", "closed_date", "date", width=12),
        _c("销号经办人", "closed_by", width=10),
        _c("核查结果", "verification", "choice", choices=m.Verification, width=10),
        _c("终止日期", "end_date", "date", width=12, required=False),
        _c("催办次数", "reminders", "int", owner="T", width=8),
        _c("剩余工作日", "workdays_left", "int", owner="T", width=10),
        _c("督办预警", "alert", "choice", owner="T", choices=m.Alert, width=10),
        _c("本期报送", "period_flag", "choice", owner="T", choices=m.ReportFlag, width=10),
        _c("备注", "note", width=20),
    ),
)

REPORTS = Sheet(
    "办理记录",
    (
        _c("记录时间", "recorded", "datetime", owner="T", width=18),
        _c("事项编号", "item_id", owner="T", width=16),
        _c("报送单位", "unit", owner="T", width=18),
        _c("报送期次", "period", owner="T", width=10),
        _c("办理状态", "status", "choice", owner="T", choices=m.UnitReportStatus, width=10),
        _c("进展情况", "progress", owner="T", width=40),
        _c("办结日期", "done_date", "date", owner="T", width=12),
        _c("阶段性目标", "stage_target", owner="T", width=30),
        _c("延期原因", "extension_reason", owner="T", width=20),
        _c("申请延期至", "extension_to", "date", owner="T", width=12),
        _c("存在问题及建议", "problems", owner="T", width=30),
        _c("联系人", "contact", owner="T", width=10),
        _c("联系电话", "phone", owner="T", width=14),
        _c("来源文件", "source_file", owner="T", width=30),
        _c("文件指纹", "fingerprint", owner="T", width=20),
    ),
)

EXTENSIONS = Sheet(
    "延期记录",
    (
        _c("事项编号", "item_id", width=16),
        _c("申请日期", "requested", "date", width=12),
        _c("申请单位", "unit", width=18),
        _c("原时限", "old_deadline", "date", width=12),
        _c("申请延期至", "requested_to", "date", width=12),
        _c("延期原因", "reason", width=30),
        _c("审批领导", "approver", width=10),
        _c("审批日期", "approved_on", "date", width=12),
        _c("审批结果", "result", "choice", choices=m.Approval, width=10),
        _c("批准时限", "granted_to", "date", width=12),
    ),
)

REMINDERS = Sheet(
    "催办记录",
    (
        _c("催办日期", "date", "date", width=12),
        _c("事项编号", "item_id", width=16),
        _c("催办单位", "unit", width=18),
        _c("催办方式", "method", "choice", choices=m.ReminderMethod, width=10),
        _c("催办内容", "content", width=40),
        _c("经办人", "clerk", width=10),
    ),
)

UNITS = Sheet(
    "单位",
    (
        _c("单位名称", "name", width=24),
        _c("别名", "aliases", "list", width=24),
        _c("单位类别", "category", "choice", choices=m.UnitCategory, width=10),
        _c("对口科室", "section", width=12),
        _c("联系人", "contact", width=10),
        _c("联系电话", "phone", width=14),
    ),
)

CALENDAR = Sheet(
    "工作日历",
    (
        _c("日期", "date", "date", width=12),
        _c("类型", "day_type", "choice", choices=m.DayType, width=10),
        _c("说明", "note", width=30),
    ),
)

SETTINGS = Sheet(
    "设置",
    (
        _c("项目", "key", width=20),
        _c("值", "value", width=28),
        _c("说明", "note", width=50),
    ),
)

IMPORTS = Sheet(
    "导入记录",
    (
        _c("导入时间", "time", "datetime", owner="T", width=18),
        _c("文件名", "file", owner="T", width=36),
        _c("文件指纹", "fingerprint", owner="T", width=20),
        _c("报送单位", "unit", owner="T", width=18),
        _c("报送期次", "period", owner="T", width=10),
        _c("结果", "result", owner="T", width=10),
        _c("事项数", "items", "int", owner="T", width=8),
        _c("问题数", "problems", "int", owner="T", width=8),
        _c("表格生成时间", "form_made", "datetime", owner="T", width=18, required=False),
        _c("内容指纹", "content", owner="T", width=20, required=False),
    ),
)

SNAPSHOTS = Sheet(
    "月度快照",
    (
        _c("月份", "month", owner="T", width=10),
        _c("截止日期", "as_of", "date", owner="T", width=12),
        _c("事项总数", "total", "int", owner="T", width=10),
        _c("已销号", "closed", "int", owner="T", width=8),
        _c("已办结待销号", "done", "int", owner="T", width=12),
        _c("办理中", "in_progress", "int", owner="T", width=8),
        _c("长期推进", "long_term", "int", owner="T", width=8),
        _c("逾期", "overdue", "int", owner="T", width=8),
        _c("临期", "due_soon", "int", owner="T", width=8),
        _c("办结率", "completion_rate", "number", owner="T", width=10),
    ),
)

SYSTEM = Sheet(
    "_系统",
    (
        _c("项目", "key", width=16),
        _c("值", "value", width=70),
    ),
    hidden=True,
)

SHEETS: tuple[Sheet, ...] = (
    INTRO,
    ITEMS,
    REPORTS,
    EXTENSIONS,
    REMINDERS,
    UNITS,
    CALENDAR,
    SETTINGS,
    IMPORTS,
    SNAPSHOTS,
    SYSTEM,
)

BY_NAME = {s.name: s for s in SHEETS}

# 设置: key → (Settings attribute, default, explanation)
SETTING_KEYS: tuple[tuple[str, str, object, str], ...] = (
    ("机构名称", "org_name", "市人民政府", "通报、通知中使用的机构名称"),
    ("督查机构", "office_name", "市政府督查室", "落款与反馈表中使用的督查机构名称"),
    ("交办时限工作日", "assign_workdays", 3, "纪要印发后几个工作日内交办"),
    ("临期预警工作日", "warn_workdays", 5, "剩余工作日不超过此数时预警为临期"),
    ("月报截止日", "report_day", 25, "每月报送截止日（含当日）"),
    ("长期事项最长周期月", "max_cycle_months", 12, "长期事项阶段性目标距首次报送的最长月数"),
    ("催办升级次数", "escalate_reminders", 2, "催办达到此次数仍逾期的，计入逾期未落实扣分"),
    ("交办文号格式", "notice_number_format", "督查通〔{年}〕{序号}号", "可用 {年} 与 {序号}"),
    ("扣分_逾期未落实", "weight_overdue", 1, "每件扣分"),
    ("扣分_未按时报送", "weight_missed_report", 0.5, "每次扣分"),
    ("扣分_报送不实", "weight_false_report", 2, "每件扣分"),
    ("扣分_措施不力", "weight_ineffective", 1, "每件扣分"),
    (
        "已确认调休年份",
        "confirmed_years",
        "",
        "已在「工作日历」中登记完整放假与调休安排的年份，如 2027；多个年份用顿号分隔。留空即可：工具已收录的年份无需填写",
    ),
)

# Sheets the tool reads or writes beyond 说明/_系统; a missing one is an error.
REQUIRED_SHEETS = tuple(s.name for s in SHEETS)
