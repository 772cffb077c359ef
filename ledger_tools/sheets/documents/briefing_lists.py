"""The item lists of the briefing workbook: 分科室, 逾期事项, 临期事项, 长期事项报送, 延期事项,
本月办结 and 扣分意见, one sheet each from the computed Briefing (nothing is counted here).

Each list is a titled sheet (title, a subtitle quoting the count, a filtered table whose header
repeats on every printed page); items come as circulated, confidential text already replaced.
"""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.workbook import Workbook

from ledger_tools.core import scoring
from ledger_tools.core.briefing import Briefing, cn_month
from ledger_tools.core.dates import cn_date
from ledger_tools.core.model import Alert
from ledger_tools.sheets.documents.tables import (
    EVIDENCE_COLS,
    Col,
    Formats,
    Tone,
    page_setup,
    titled_sheet,
    weights_note,
    write_deduction_evidence,
    write_deduction_summary,
    write_note,
)

__all__ = [
    "deductions_sheet",
    "due_soon_sheet",
    "extensions_sheet",
    "finished_sheet",
    "long_term_sheet",
    "overdue_sheet",
    "sections_sheet",
]

ALERT_TONES = {
    Alert.DEADLINE_UNCLEAR: "red",
    Alert.OVERDUE: "red",
    Alert.DUE_SOON: "amber",
    Alert.REPORT_MISSING: "red",
    Alert.DONE_LATE: "amber",
    Alert.DONE_ON_TIME: "green",
}


def _units(names: Sequence[str]) -> str:
    return "、".join(names)


def overdue_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
    cols = (
        Col("序号", 5, "num"),
        Col("事项编号", 14, "name"),
        Col("议定事项", 28),
        Col("责任领导", 9, "text"),
        Col("主责单位", 16, "text"),
        Col("协办单位", 14),
        Col("当前时限", 11, "date"),
        Col("逾期工作日", 7, "num"),
        Col("催办次数", 6, "num"),
        Col("催办情况", 20),
        Col("最新进展", 30),
        Col("最近报送日期", 11, "date"),
        Col("拟扣分", 6, "num"),
    )
    rows = [
        [
            n,
            r.item.id,
            r.item.matter,
            r.item.leader,
            r.item.lead_unit,
            _units(r.item.co_units),
            r.item.current_deadline,
            Tone(r.days_shown, "red"),
            len(r.reminders),
            r.reminder_text,
            r.item.latest_progress,
            r.item.last_report,
            Tone("是" if r.escalated else "", "red" if r.escalated else None),
        ]
        for n, r in enumerate(b.overdue, start=1)
    ]
    titled_sheet(
        wb,
        fm,
        "逾期事项",
        "逾期事项（重点通报）",
        f"截至{cn_date(b.as_of)}，逾期未办结事项共 {len(rows)} 件；逾期工作日按工作日计算。"
        f"经催办 {b.settings.escalate_reminders} 次以上仍未落实的，列入扣分意见（拟扣分：是）。",
        cols,
        rows,
    )


def due_soon_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
    cols = (
        Col("序号", 5, "num"),
        Col("事项编号", 14, "name"),
        Col("议定事项", 30),
        Col("责任领导", 9, "text"),
        Col("主责单位", 16, "text"),
        Col("当前时限", 11, "date"),
        Col("剩余工作日", 7, "num"),
        Col("催办次数", 6, "num"),
        Col("最新进展", 36),
        Col("最近报送日期", 11, "date"),
    )
    rows = [
        [
            n,
            r.item.id,
            r.item.matter,
            r.item.leader,
            r.item.lead_unit,
            r.item.current_deadline,
            Tone(r.days, "amber"),
            len(r.reminders),
            r.item.latest_progress,
            r.item.last_report,
        ]
        for n, r in enumerate(b.due_soon, start=1)
    ]
    titled_sheet(
        wb,
        fm,
        "临期事项",
        "临期事项",
        f"截至{cn_date(b.as_of)}，{b.settings.warn_workdays} 个工作日内到期的事项共 {len(rows)} 件。",
        cols,
        rows,
    )


_REPORT_TONES = {"未报送": "red", "逾期报送": "red", "已报送": "green", "待报送": "amber"}


def long_term_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
    cols = (
        Col("序号", 6, "num"),
        Col("事项编号", 15, "name"),
        Col("议定事项", 32),
        Col("责任领导", 10),
        Col("主责单位", 18),
        Col("阶段性目标", 26),
        Col("应报送", 7, "num"),
        Col("本月报送", 10, "num"),
        Col("报送日期", 11, "date"),
        Col("最新进展", 38),
    )
    rows = [
        [
            n,
            r.item.id,
            r.item.matter,
            r.item.leader,
            r.item.lead_unit,
            r.item.stage_target,
            "是" if r.obliged else "",
            Tone(r.label, _REPORT_TONES.get(r.label)),
            r.reported,
            r.item.latest_progress,
        ]
        for n, r in enumerate(b.long_term, start=1)
    ]
    titled_sheet(
        wb,
        fm,
        "长期事项报送",
        "长期事项本月报送情况",
        f"{cn_month(b.month)}进展应于{cn_date(b.due)}前报送（本月新交办的可报可不报）。长期事项 {len(rows)} 件，应报送 "
        f"{len(b.long_term_obliged)} 件，按时报送 {len(b.long_term_on_time)} 件，"
        f"未按时报送 {len(b.long_term_missed)} 件。",
        cols,
        rows,
    )


_APPROVAL_TONES = {"同意": "green", "不同意": "red", "待审批": "amber"}


def extensions_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
    cols = (
        Col("序号", 6, "num"),
        Col("事项编号", 15, "name"),
        Col("议定事项", 30),
        Col("申请单位", 18),
        Col("申请日期", 11, "date"),
        Col("原时限", 11, "date"),
        Col("申请延期至", 11, "date"),
        Col("延期原因", 26),
        Col("审批领导", 10),
        Col("审批日期", 11, "date"),
        Col("审批结果", 9, "num"),
        Col("批准时限", 11, "date"),
    )
    rows = [
        [
            n,
            r.ext.item_id,
            r.item.matter if r.item else None,
            r.ext.unit,
            r.ext.requested,
            r.ext.old_deadline,
            r.ext.requested_to,
            r.ext.reason,
            r.ext.approver,
            r.ext.approved_on,
            Tone(r.result, _APPROVAL_TONES[r.result]),
            r.ext.granted_to,
        ]
        for n, r in enumerate(b.extensions, start=1)
    ]
    titled_sheet(
        wb,
        fm,
        "延期事项",
        "延期事项",
        f"{cn_month(b.month)}申请或审批的延期，以及截至{cn_date(b.as_of)}仍待审批的延期申请，共 {len(rows)} 条。"
        "待审批期间仍按原时限计算。",
        cols,
        rows,
    )


def finished_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
    cols = (
        Col("序号", 5, "num"),
        Col("事项编号", 14, "name"),
        Col("来源名称", 26),
        Col("议定事项", 34),
        Col("责任领导", 9, "text"),
        Col("主责单位", 16, "text"),
        Col("当前时限", 11, "date"),
        Col("办结日期", 11, "date"),
        Col("销号日期", 11, "date"),
        Col("办结情况", 9, "num"),
    )
    rows = [
        [
            n,
            r.item.id,
            r.item.source_name,
            r.item.matter,
            r.item.leader,
            r.item.lead_unit,
            r.item.current_deadline,
            r.item.done_date,
            r.item.closed_date,
            Tone(r.label, "green" if r.label == "按期办结" else "amber" if r.label else None),
        ]
        for n, r in enumerate(b.finished, start=1)
    ]
    titled_sheet(
        wb,
        fm,
        "本月办结",
        "本月办结与销号事项",
        f"{cn_month(b.month)}（截至{cn_date(b.as_of)}）报告办结 {len(b.done_in_month)} 件，"
        f"销号 {len(b.closed_in_month)} 件，共 {len(rows)} 件。",
        cols,
        rows,
    )


def deductions_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
    ws = wb.add_worksheet("扣分意见")
    last = len(EVIDENCE_COLS) - 1
    for c, col in enumerate(EVIDENCE_COLS):  # the two tables share columns: the wider layout wins
        ws.set_column(c, c, col.width)
    ws.merge_range(0, 0, 0, last, f"扣分意见（{b.year}年度累计）", fm.title)
    ws.set_row(0, 30)
    ws.merge_range(
        1,
        0,
        1,
        last,
        f"截至{cn_date(b.as_of)}，拟对 {len(b.scores)} 个单位提出扣分意见，"
        f"合计 {scoring.fmt_points(b.total_points)} 分；其中{cn_month(b.month)}新增 "
        f"{len(b.month_deductions)} 条，依据列于下方（全年依据见 ledger score）。",
        fm.subtitle,
    )
    month_points = {s.unit: 0.0 for s in b.scores}
    for d in b.month_deductions:
        month_points[d.unit] = round(month_points[d.unit] + d.points, 2)
    end = write_deduction_summary(
        ws,
        fm,
        2,
        b.scores,
        (Col("其中本月新增", 11, "points"),),
        [[month_points[s.unit]] for s in b.scores],
        widths=False,
    )
    write_note(ws, fm, end + 1, EVIDENCE_COLS, weights_note(b.settings))
    ws.write_string(end + 3, 0, "本月新增扣分依据", fm.section)
    write_deduction_evidence(ws, fm, end + 4, b.month_deductions, b.items_by_id, widths=False)
    ws.freeze_panes(3, 0)
    page_setup(ws, 2)


def sections_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
    """分科室 (Art. 6(2)): each 承办科室 its items, one block per section, so a section head
    prints his own page of what to follow up."""
    cols = (
        Col("承办科室", 12, "name"),
        Col("序号", 5, "num"),
        Col("事项编号", 14, "name"),
        Col("议定事项", 36),
        Col("主责单位", 18, "text"),
        Col("办理状态", 11, "name"),
        Col("督办预警", 10, "name"),
        Col("当前时限", 11, "date"),
    )
    rows = [
        [
            s.section,
            n,
            i.id,
            i.matter,
            i.lead_unit,
            i.status.value if i.status else None,
            Tone(i.alert.value, ALERT_TONES.get(i.alert)) if i.alert else None,
            i.current_deadline,
        ]
        for s in b.by_section
        for n, i in enumerate(s.items, start=1)
    ]
    counts = "；".join(f"{s.section} {len(s.items)} 件" for s in b.by_section)
    titled_sheet(
        wb,
        fm,
        "分科室",
        "分科室事项清单",
        f"截至{cn_date(b.as_of)}，按承办科室列出全部事项（{counts or '无事项'}），由各科室跟踪督办。",
        cols,
        rows,
    )
