"""Findings: the one model for every problem the tool reports, and the catalogue of codes.

In the manner of frictionless-py, checks *yield* findings rather than raise; each code has a
severity, a short Chinese title and a message template that says what to do. A finding is plain
data and serialises to JSON or a worksheet row unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str
    template: str  # str.format template, keyword placeholders only


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741

# Every code once, in SPEC §5 order; a tuple (not a dict literal) so that a code written twice
# is caught by the tests instead of silently replacing the first.
CODES: tuple[Code, ...] = (
    # Returned files (SPEC §5)
    Code(
        "F001",
        E,
        "文件无法读取",
        "文件无法作为电子表格读取（{detail}）。请重新从反馈表另存为 .xlsx 后报送。",
    ),
    Code("F002", E, "文件已加密", "文件设置了打开密码或已加密，无法读取。请取消密码后重新报送。"),
    Code("F003", E, "文件过大或异常", "{detail}。请删除无关内容，按原反馈表填写后重新报送。"),
    Code(
        "F004",
        E,
        "不是本台账的反馈表",
        "{detail}。请使用督查室下发的反馈表填写，不要新建或复制表格。",
    ),
    Code(
        "F005",
        E,
        "签名校验失败",
        "反馈表的隐藏信息、填报单位或报送期次被改动（{detail}）。请使用督查室下发的原表重新填写。",
    ),
    Code("F006", E, "期次不符或已被新表替代", "{detail}。请使用本期最新下发的反馈表。"),
    Code("F007", I, "重复文件已跳过", "{detail}，本次跳过。"),
    Code("F008", W, "含宏文件", "文件含有宏，宏已被忽略，不会执行。今后请另存为 .xlsx 报送。"),
    Code("F009", E, "工作表或表头缺失", "{detail}。请不要删除、改名或移动反馈表的工作表和表头。"),
    # Rows of a returned form
    Code("R101", E, "事项不属于本单位", "{detail}。请只填写本单位反馈表中列出的事项。"),
    Code(
        "R102",
        E,
        "锁定内容被改动",
        "「{column}」{detail}。请恢复原内容，只填写可填写的单元格。",
    ),
    Code("R103", E, "办理状态无效", "{detail}"),
    Code("R104", E, "未填写进展", "「本期进展情况」未填写。请如实填写本期办理进展。"),
    Code(
        "R105",
        E,
        "日期无法识别",
        "「{column}」{detail}不是有效日期。请按 2026-03-05 的格式填写。",
    ),
    Code("R106", E, "办结日期有误", "{detail}"),
    Code("R107", E, "延期申请不完整", "{detail}"),
    Code("R108", E, "阶段性目标有误", "{detail}"),
    Code(
        "R109",
        E,
        "事项重复",
        "事项 {item} 在表中出现了不止一次（另见第 {detail} 行）。请删除重复行。",
    ),
    Code("R110", E, "文字过长或含非法字符", "「{column}」{detail}。请精简内容或删除特殊字符。"),
    Code(
        "W201",
        W,
        "进展过于简略",
        "「本期进展情况」{detail}。请写明本期的具体措施、进度和下一步安排。",
    ),
    Code(
        "W202",
        W,
        "公式已按文本保存",
        "「{column}」的内容以 =、+、-、@ 开头，已按普通文字保存，不会作为公式计算。",
    ),
    Code("W203", W, "事项已销号或终止", "事项 {item} 已{detail}，本次报送已忽略。"),
    Code(
        "W204",
        W,
        "未填写联系人",
        "「{column}」未填写。请填写联系人及联系电话，便于督查室核实。",
    ),
    Code("W205", W, "已有较新的反馈表", "{detail}"),
    Code(
        "W206",
        W,
        "逾期申请延期",
        "事项 {item} 的当前时限 {detail} 已过才申请延期（延期须在时限届满前申请）。"
        "申请已登记在「延期记录」，待领导审批；批准前仍按原时限计为逾期。",
    ),
    Code(
        "F010",
        E,
        "同期有两份不同的反馈表",
        "{detail}。两份均未合并：请与该单位核实以哪一份为准，"
        "只保留那一份（把另一份移出本次的文件或文件夹）后重新合并。",
    ),
    Code("W207", W, "更正已合并的反馈表", "{detail}"),
    # The ledger itself (ledger validate)
    Code("L301", E, "事项编号重复", "事项编号 {item} 与第 {detail} 行重复。请修改为唯一编号。"),
    Code(
        "L302",
        E,
        "事项编号格式有误",
        "事项编号「{actual}」格式有误，应如 2026-CW12-01。可清空后运行 refresh 自动编号。",
    ),
    Code(
        "L303",
        E,
        "单位未登记",
        "「{column}」中的「{actual}」不在「单位」表的单位名称或别名中。请在「单位」表登记或改正名称。",
    ),
    Code("L304", E, "必填项缺失", "「{column}」未填写{detail}。"),
    Code(
        "L305",
        E,
        "日期无法识别",
        "「{column}」的「{actual}」不是有效日期。请按 2026-03-05 的格式填写。",
    ),
    Code("L306", E, "销号但未办结", "已填写销号日期，但没有办结日期。请先登记办结日期再销号。"),
    Code(
        "L307",
        E,
        "记录对应的事项不存在",
        "「{sheet}」中的事项编号 {item} 在台账中不存在。请改正编号或删除该行。",
    ),
    Code(
        "L308",
        E,
        "同意延期但未填批准时限",
        "审批结果为「同意」，但「批准时限」未填写。请填写批准的新时限。",
    ),
    Code("L309", E, "取值不在选项中", "「{column}」的「{actual}」不是可选值。可选：{detail}。"),
    Code("L310", W, "日期先后矛盾", "{detail}"),
    Code("L311", E, "表头缺失", "{detail}"),
    Code("L312", E, "设置值无效", "「设置」中「{column}」的值「{actual}」无效，{detail}。"),
    Code(
        "L313",
        W,
        "调休安排未确认",
        "{detail} 年的节假日调休安排尚未确认，按周末与固定节日计算。如已公布，请在「工作日历」中登记，"
        "并在「设置」的「已确认调休年份」中填写该年份。",
    ),
    Code(
        "L314",
        E,
        "单位名称或别名重复",
        "「{actual}」同时是{detail}的名称或别名。请在「单位」表中只让一个单位使用它；"
        "改正前，填写这一名称的事项不分派给任何单位（不发反馈表、交办通知和催办通知）。",
    ),
    Code(
        "L315",
        E,
        "工具写入的列有合并单元格",
        "「{column}」列的 {detail} 是合并单元格，本工具不会改写其中的内容，其中的值可能已过时。"
        "请在 Excel 中选中该区域，取消「合并后居中」（或「合并单元格」），按需要补填各行的值，"
        "然后重新运行命令（工具计算的列运行 ledger refresh 即可更新）。",
    ),
    Code(
        "L316",
        W,
        "不是事项的行",
        "{detail}。各命令都不会改写、编号或统计该行；如它其实是事项，请补全「议定事项」和「主责单位」。",
    ),
    Code("L317", W, "工作日历有误", "{detail}"),
    Code("L318", E, "延期审批不完整或日期有误", "{detail}"),
    Code(
        "L319",
        E,
        "涉密取值不规范",
        "「涉密」的「{actual}」不是「是」或「否」，已按涉密事项处理（内容不外发）。"
        "请改为「是」；如确不涉密，请改为「否」或清空。",
    ),
    Code("L320", E, "事实缺少日期", "{detail}"),
)
CATALOGUE: dict[str, Code] = {c.code: c for c in CODES}


@dataclass
class Finding:
    """One problem. ``cell`` is an A1 reference on ``sheet`` of ``file``."""

    code: str
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    item: str | None = None
    severity: Severity = field(default=Severity.ERROR)

    @property
    def title(self) -> str:
        return CATALOGUE[self.code].title

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict:
        d = asdict(self)
        d["severity"] = self.severity.value
        d["title"] = self.title
        return d


def make(code: str, *, file=None, sheet=None, cell=None, item=None, **values) -> Finding:
    """Build a finding from its code; ``values`` fill the message template."""
    spec = CATALOGUE[code]
    values.setdefault("item", item or "")
    values.setdefault("sheet", sheet or "")
    try:
        message = spec.template.format(**values)
    except KeyError as missing:  # a programming error, never a user's
        raise ValueError(f"{code}: missing template value {missing}") from None
    return Finding(code, message, file, sheet, cell, item, spec.severity)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)


FINDING_COLUMNS = ("级别", "代码", "问题", "文件", "工作表", "单元格", "事项编号", "说明")


def as_row(f: Finding) -> tuple:
    """The fixed columns of a findings table (pandera-style: drops straight into a sheet)."""
    return (
        f.severity.label,
        f.code,
        f.title,
        f.file or "",
        f.sheet or "",
        f.cell or "",
        f.item or "",
        f.message,
    )
