"""The briefing workbook 通报-{YYYY-MM}.xlsx, written with XlsxWriter from a computed Briefing.

Nothing is counted here: every number comes from ``core.briefing``; this module only lays
the numbers out the way the office prints them (A4 landscape, fit to width, header rows
repeated, 第 N 页 共 M 页, 宋体) with traffic-light colours. Text from the ledger is always
written as text (``strings_to_formulas`` off). The table helpers are shared with the scoring
workbook (``score_writer``).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from openpyxl.utils.datetime import to_excel
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ledger_tools.core import scoring
from ledger_tools.core.briefing import (
    ALERT_ROWS,
    RANK_RULE,
    RATE_RULE,
    STATUS_ROWS,
    Briefing,
    Tally,
    cn_date,
    cn_month,
)
from ledger_tools.core.model import Item, Settings
from ledger_tools.sheets import styles
from ledger_tools.sheets.files import atomic_output

__all__ = [
    "Col",
    "Formats",
    "Tone",
    "new_workbook",
    "page_setup",
    "write_brief",
    "write_deduction_evidence",
    "write_deduction_summary",
    "write_table",
]

FOOTER = "&C第 &P 页 共 &N 页"
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": "yyyy-mm-dd",
    "default_format_properties": {"font_name": styles.FONT_NAME, "font_size": 11},
    "in_memory": True,  # the sheets' XML kept in memory, not in a dozen temporary files: ~10% faster
}
# Traffic lights: (fill, font) from the ledger's own palette.
TONES = {
    "red": (styles.RED, styles.RED_TEXT),
    "amber": (styles.AMBER, styles.AMBER_TEXT),
    "green": (styles.GREEN, styles.GREEN_TEXT),
    "grey": (styles.GREY, styles.GREY_TEXT),
}
_KIND_PROPS: dict[str, dict[str, object]] = {
    "text": {"text_wrap": True, "valign": "top"},
    "name": {"valign": "top"},
    "num": {"align": "center", "valign": "top"},
    "points": {"align": "center", "valign": "top", "num_format": "0.0#"},
    "date": {"align": "center", "valign": "top", "num_format": "yyyy-mm-dd"},
    "pct": {"align": "center", "valign": "top", "num_format": "0.0%"},
}


def new_workbook(path: Path) -> Workbook:
    # A fresh copy each time: XlsxWriter writes into the default_format_properties it is given.
    return xlsxwriter.Workbook(str(path), copy.deepcopy(WORKBOOK_OPTIONS))


class Formats:
    """The workbook's formats, created once and looked up by (kind, tone, bold)."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self._cache: dict[tuple, object] = {}
        self.title = wb.add_format(
            {"bold": True, "font_size": 18, "align": "center", "valign": "vcenter"}
        )
        self.subtitle = wb.add_format({"align": "center", "valign": "vcenter", "font_size": 11})
        self.section = wb.add_format({"bold": True, "font_size": 13})
        self.note = wb.add_format(
            {
                "italic": True,
                "font_color": "#" + styles.GREY_TEXT,
                "font_size": 10,
                "text_wrap": True,
                "valign": "top",
            }
        )
        self.header = wb.add_format(
            {
                "bold": True,
                "bg_color": "#" + styles.HEADER,
                "border": 1,
                "border_color": "#BFBFBF",
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        self.narrative = wb.add_format({"text_wrap": True, "valign": "top", "font_size": 12})

    def cell(self, kind: str, tone: str | None = None, bold: bool = False):
        key = (kind, tone, bold)
        if key not in self._cache:
            props = {"border": 1, "border_color": "#BFBFBF", **_KIND_PROPS[kind]}
            if tone:
                fill, font = TONES[tone]
                props.update(bg_color="#" + fill, font_color="#" + font)
            if bold:
                props["bold"] = True
            self._cache[key] = self.wb.add_format(props)
        return self._cache[key]


@dataclass(frozen=True)
class Col:
    header: str
    width: float
    kind: str = "text"


@dataclass(frozen=True)
class Tone:
    """A cell value with a traffic-light colour."""

    value: object
    tone: str | None


def page_setup(ws: Worksheet, header_row: int | None) -> None:
    """A4 landscape, one page wide, the header row on every page, 第 N 页 共 M 页."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.center_horizontally()
    ws.set_footer(FOOTER)
    if header_row is not None:
        ws.repeat_rows(header_row)


LINE_HEIGHT = 16  # points per line of 11-point text, with room for the cell padding


def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped cell of ``width`` needs; a CJK character is two width units.

    XlsxWriter cannot measure text and LibreOffice keeps saved row heights, so for the printed
    briefing not to cut text off we set heights ourselves. (len + UTF-8 length) / 2 counts
    ASCII once and CJK (three bytes) twice without a Python loop over characters.
    """
    per_line = max(width - 1.5, 1.0)
    return sum(
        max(1, math.ceil((len(p) + len(p.encode("utf-8"))) / 2 / per_line))
        for p in text.split("\n")
    )


def _write_cell(ws: Worksheet, r: int, c: int, value: object, fmt) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, str):
        ws.write_string(r, c, value, fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "", fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, fmt)
    elif isinstance(value, dt.date):  # the serial directly: XlsxWriter's conversion is 100x slower
        ws.write_number(r, c, to_excel(value), fmt)
    else:
        ws.write_number(r, c, value, fmt)


def write_table(
    ws: Worksheet,
    fm: Formats,
    top: int,
    cols: Sequence[Col],
    rows: Iterable[Sequence],
    *,
    left: int = 0,
    total: Sequence | None = None,
    widths: bool = True,
) -> int:
    """Header at ``top``, then rows (a cell may be a :class:`Tone`); the next free row."""
    for c, col in enumerate(cols):
        ws.write_string(top, left + c, col.header, fm.header)
        if widths:
            ws.set_column(left + c, left + c, col.width)
    header_lines = max(lines_needed(col.header, col.width) for col in cols)
    if header_lines > 1:
        ws.set_row(top, LINE_HEIGHT * header_lines)
    wrapped = [c for c, col in enumerate(cols) if col.kind == "text"]
    r = top
    for r, values in enumerate(rows, start=top + 1):
        for c, (col, value) in enumerate(zip(cols, values)):
            shown, tone = (value.value, value.tone) if isinstance(value, Tone) else (value, None)
            _write_cell(ws, r, left + c, shown, fm.cell(col.kind, tone))
        height = max(
            (lines_needed(values[c], cols[c].width) for c in wrapped if isinstance(values[c], str)),
            default=1,
        )
        if height > 1:
            ws.set_row(r, LINE_HEIGHT * height)
    if total is not None:
        r += 1
        for c, (col, value) in enumerate(zip(cols, total)):
            _write_cell(ws, r, left + c, value, fm.cell(col.kind, None, bold=True))
    return r + 1


def write_note(
    ws: Worksheet, fm: Formats, row: int, cols: Sequence[Col], text: str, fmt=None
) -> None:
    """A wrapped line of text across the table's width, tall enough to be read in print."""
    fmt = fmt or fm.note
    ws.merge_range(row, 0, row, len(cols) - 1, text, fmt)
    ws.set_row(row, LINE_HEIGHT * lines_needed(text, sum(c.width for c in cols)))


def _titled_sheet(
    wb: Workbook,
    fm: Formats,
    name: str,
    title: str,
    subtitle: str,
    cols: Sequence[Col],
    rows: Sequence[Sequence],
    total: Sequence | None = None,
) -> Worksheet:
    """A list sheet: title, subtitle, one table with filter and frozen header."""
    ws = wb.add_worksheet(name)
    last = max(len(cols) - 1, 1)
    ws.merge_range(0, 0, 0, last, title, fm.title)
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, last, subtitle, fm.subtitle)
    end = write_table(ws, fm, 2, cols, rows, total=total)
    ws.freeze_panes(3, 0)
    ws.autofilter(2, 0, max(end - 1, 2), len(cols) - 1)
    page_setup(ws, 2)
    return ws


# -- shared value helpers ---------------------------------------------------------------


def _rate_tone(rate: float) -> str:
    return "green" if rate >= 0.8 else "amber" if rate >= 0.5 else "red"


def _flag(n: float, tone: str) -> Tone:
    return Tone(n, tone if n else None)


def _units(names: Sequence[str]) -> str:
    return "、".join(names)


TALLY_COLS = (
    Col("事项总数", 9, "num"),
    Col("已销号", 8, "num"),
    Col("已办结待销号", 10, "num"),
    Col("在办", 8, "num"),
    Col("待交办", 8, "num"),
    Col("已终止", 8, "num"),
    Col("逾期", 8, "num"),
    Col("临期", 8, "num"),
    Col("办结率", 9, "pct"),
)


def _tally_cells(t: Tally) -> list:
    return [
        t.total,
        t.closed,
        t.done,
        t.open,
        t.pending,
        t.terminated,
        _flag(t.overdue, "red"),
        _flag(t.due_soon, "amber"),
        Tone(t.completion_rate, _rate_tone(t.completion_rate)),
    ]


def _total_cells(t: Tally) -> list:
    return [
        t.total,
        t.closed,
        t.done,
        t.open,
        t.pending,
        t.terminated,
        t.overdue,
        t.due_soon,
        t.completion_rate,
    ]


# -- the sheets -------------------------------------------------------------------------


COVER_COLS = (Col("", 22), *(Col("", 11) for _ in range(9)))


def _cover(wb: Workbook, fm: Formats, b: Briefing, narrative: Sequence[str]) -> None:
    ws = wb.add_worksheet("通报")
    ws.set_column(0, 0, COVER_COLS[0].width)
    ws.set_column(1, 9, COVER_COLS[1].width)
    ws.merge_range(0, 0, 0, 9, b.title, fm.title)
    ws.set_row(0, 34)
    ws.merge_range(
        1, 0, 1, 9, f"截止日期：{cn_date(b.as_of)}　　　编制：{b.settings.office_name}", fm.subtitle
    )

    ws.write_string(3, 0, "一、总体情况", fm.section)
    t = b.totals
    status_rows = [
        (label, getattr(t, attr), getattr(t, attr) / t.total if t.total else 0.0)
        for label, attr in STATUS_ROWS
    ]
    end = write_table(
        ws,
        fm,
        4,
        (Col("办理状态", 22, "name"), Col("件数", 11, "num"), Col("占比", 11, "pct")),
        status_rows,
        total=("事项总数", t.total, 1.0 if t.total else 0.0),
        widths=False,
    )
    write_table(
        ws,
        fm,
        4,
        (Col("督办预警", 11, "name"), Col("件数", 11, "num")),
        [
            (label, _flag(getattr(t, attr), "amber" if attr == "due_soon" else "red"))
            for label, attr in ALERT_ROWS
        ],
        left=4,
        widths=False,
    )
    ws.write_string(10, 4, "办结率", fm.cell("name", bold=True))
    ws.write_number(
        10, 5, t.completion_rate, fm.cell("pct", _rate_tone(t.completion_rate), bold=True)
    )
    ws.merge_range(11, 4, 11, 9, RATE_RULE, fm.note)

    r = end + 1
    ws.write_string(r, 0, "二、按来源统计", fm.section)
    src_cols = (Col("来源类型", 22, "name"), *TALLY_COLS)
    r = (
        write_table(
            ws,
            fm,
            r + 1,
            src_cols,
            [[g.label, *_tally_cells(g.tally)] for g in b.by_source],
            total=["合计", *_total_cells(b.totals)],
            widths=False,
        )
        + 1
    )

    ws.write_string(r, 0, "三、情况说明", fm.section)
    r += 1
    narrative_width = (
        sum(c.width for c in COVER_COLS) * 11 / 12
    )  # the narrative is set in 12 points
    for para in narrative:
        ws.merge_range(r, 0, r, 9, "　　" + para, fm.narrative)
        ws.set_row(r, 17 * lines_needed("　　" + para, narrative_width))
        r += 1

    r += 1
    ws.set_h_pagebreaks([r])  # the charts start a page of their own
    ws.write_string(r, 0, "四、图表", fm.section)
    n_units = len(b.by_unit)
    height = max(320, 20 * n_units + 90)
    status = wb.add_chart({"type": "column"})
    status.add_series(
        {
            "name": "办理状态",
            "categories": ["通报", 5, 0, 4 + len(STATUS_ROWS), 0],
            "values": ["通报", 5, 1, 4 + len(STATUS_ROWS), 1],
            "data_labels": {"value": True},
            "fill": {"color": "#5B9BD5"},
        }
    )
    status.set_title({"name": "事项办理状态", "name_font": {"name": styles.FONT_NAME, "size": 12}})
    status.set_legend({"none": True})
    status.set_x_axis({"num_font": {"name": styles.FONT_NAME, "rotation": -45}})
    status.set_size({"width": 400, "height": height})
    ws.insert_chart(r + 1, 0, status)
    if n_units:
        rate = wb.add_chart({"type": "bar"})
        rate.add_series(
            {
                "name": "办结率",
                "categories": ["分单位", 3, 1, 2 + n_units, 1],
                "values": ["分单位", 3, 13, 2 + n_units, 13],
                "data_labels": {"value": True, "num_format": "0%"},
                "fill": {"color": "#70AD47"},
            }
        )
        rate.set_title(
            {"name": "各主责单位办结率", "name_font": {"name": styles.FONT_NAME, "size": 12}}
        )
        rate.set_legend({"none": True})
        rate.set_x_axis(
            {"min": 0, "max": 1, "num_format": "0%", "major_gridlines": {"visible": True}}
        )
        rate.set_y_axis({"reverse": True, "num_font": {"name": styles.FONT_NAME}})
        rate.set_size({"width": 440, "height": height})
        ws.insert_chart(r + 1, 4, rate, {"x_offset": 40})
    page_setup(ws, None)
    ws.activate()


def _units_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
    cols = (
        Col("排名", 6, "num"),
        Col("单位名称", 26, "name"),
        *TALLY_COLS[:8],
        Col("本月应报送", 10, "num"),
        Col("按时报送", 9, "num"),
        Col("未按时报送", 10, "num"),
        Col("办结率", 9, "pct"),
        Col("年度拟扣分", 10, "points"),
    )
    rows = [
        [
            u.rank,
            u.unit,
            *_tally_cells(u.tally)[:8],
            u.obliged,
            u.on_time,
            _flag(u.not_on_time, "red"),
            Tone(u.tally.completion_rate, _rate_tone(u.tally.completion_rate)),
            _flag(u.points, "red"),
        ]
        for u in b.by_unit
    ]
    u = b.units_total
    total = [
        "",
        u.unit,
        *_total_cells(u.tally)[:8],
        u.obliged,
        u.on_time,
        u.not_on_time,
        u.tally.completion_rate,
        u.points,
    ]
    ws = _titled_sheet(
        wb,
        fm,
        "分单位",
        "分单位办理情况",
        f"截至{cn_date(b.as_of)}，主责单位 {len(b.by_unit)} 个。{RANK_RULE}",
        cols,
        rows,
        total,
    )
    write_note(
        ws,
        fm,
        len(rows) + 5,
        cols,
        f"说明：{RATE_RULE}；本月进展应于{cn_date(b.due)}前报送，未按时报送含逾期报送和截止后仍未报送；"
        "年度拟扣分为本年度截至截止日期的累计扣分意见。颜色：红色为逾期或未按时报送，黄色为临期；"
        "办结率 80% 及以上绿色、50%–80% 黄色、50% 以下红色。",
    )


def _leaders_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
    cols = (Col("责任领导", 18, "name"), *TALLY_COLS)
    _titled_sheet(
        wb,
        fm,
        "分领导",
        "分领导办理情况",
        f"截至{cn_date(b.as_of)}，责任领导 {len(b.by_leader)} 位。",
        cols,
        [[g.label, *_tally_cells(g.tally)] for g in b.by_leader],
        ["合计", *_total_cells(b.totals)],
    )


def _overdue_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
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
            Tone(r.days, "red"),
            len(r.reminders),
            r.reminder_text,
            r.item.latest_progress,
            r.item.last_report,
            Tone("是" if r.escalated else "", "red" if r.escalated else None),
        ]
        for n, r in enumerate(b.overdue, start=1)
    ]
    _titled_sheet(
        wb,
        fm,
        "逾期事项",
        "逾期事项（重点通报）",
        f"截至{cn_date(b.as_of)}，逾期未办结事项共 {len(rows)} 件；逾期工作日按工作日计算。"
        f"经催办 {b.settings.escalate_reminders} 次以上仍未落实的，列入扣分意见（拟扣分：是）。",
        cols,
        rows,
    )


def _due_soon_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
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
    _titled_sheet(
        wb,
        fm,
        "临期事项",
        "临期事项",
        f"截至{cn_date(b.as_of)}，{b.settings.warn_workdays} 个工作日内到期的事项共 {len(rows)} 件。",
        cols,
        rows,
    )


_REPORT_TONES = {"未报送": "red", "逾期报送": "red", "已报送": "green", "待报送": "amber"}


def _long_term_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
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
    _titled_sheet(
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


def _extensions_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
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
    _titled_sheet(
        wb,
        fm,
        "延期事项",
        "延期事项",
        f"{cn_month(b.month)}申请或审批的延期，以及截至{cn_date(b.as_of)}仍待审批的延期申请，共 {len(rows)} 条。"
        "待审批期间仍按原时限计算。",
        cols,
        rows,
    )


def _finished_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
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
    _titled_sheet(
        wb,
        fm,
        "本月办结",
        "本月办结与销号事项",
        f"{cn_month(b.month)}（截至{cn_date(b.as_of)}）报告办结 {len(b.done_in_month)} 件，"
        f"销号 {len(b.closed_in_month)} 件，共 {len(rows)} 件。",
        cols,
        rows,
    )


# -- deductions (also used by the scoring workbook) -------------------------------------

SUMMARY_COLS = (
    Col("单位名称", 26, "name"),
    *(
        Col(f"{r.value}（{'次' if r is scoring.Reason.MISSED_REPORT else '件'}）", 13, "num")
        for r in scoring.Reason
    ),
    Col("拟扣分合计", 10, "points"),
)
EVIDENCE_COLS = (
    Col("单位名称", 24, "name"),
    Col("扣分事由", 13, "name"),
    Col("事项编号", 15, "name"),
    Col("报送期次", 13, "num"),
    Col("发生日期", 13, "date"),
    Col("扣分", 11, "points"),
    Col("议定事项", 28),
    Col("依据", 50),
)


def weights_note(s: Settings) -> str:
    return (
        f"扣分标准（见台账「设置」）：逾期未落实每件 {scoring.fmt_points(s.weight_overdue)} 分；"
        f"未按时报送每次 {scoring.fmt_points(s.weight_missed_report)} 分；"
        f"报送不实每件 {scoring.fmt_points(s.weight_false_report)} 分；"
        f"措施不力每件 {scoring.fmt_points(s.weight_ineffective)} 分。以上为扣分意见，供综合考评参考。"
    )


def write_deduction_summary(
    ws: Worksheet,
    fm: Formats,
    top: int,
    scores: Sequence[scoring.UnitScore],
    extra: Sequence[Col] = (),
    extra_values: Sequence[Sequence] = (),
    *,
    widths: bool = True,
) -> int:
    rows = [
        [
            s.unit,
            *(_flag(s.counts[r], "red") for r in scoring.Reason),
            _flag(s.total, "red"),
            *(extra_values[n] if extra_values else ()),
        ]
        for n, s in enumerate(scores)
    ]
    total = [
        "合计",
        *(sum(s.counts[r] for s in scores) for r in scoring.Reason),
        round(sum(s.total for s in scores), 2),
        *(round(sum(v[k] for v in extra_values), 2) for k in range(len(extra))),
    ]
    return write_table(ws, fm, top, (*SUMMARY_COLS, *extra), rows, total=total, widths=widths)


def write_deduction_evidence(
    ws: Worksheet,
    fm: Formats,
    top: int,
    deductions: Sequence[scoring.Deduction],
    items: dict[str, Item],
    *,
    widths: bool = True,
) -> int:
    rows = [
        [
            d.unit,
            d.reason.value,
            d.item_id,
            d.period,
            d.date,
            d.points,
            items[d.item_id].matter if d.item_id in items else None,
            d.evidence,
        ]
        for d in deductions
    ]
    return write_table(ws, fm, top, EVIDENCE_COLS, rows, widths=widths)


def _deductions_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
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


def _trend_sheet(wb: Workbook, fm: Formats, b: Briefing) -> None:
    cols = (
        Col("月份", 10, "name"),
        Col("截止日期", 11, "date"),
        Col("事项总数", 9, "num"),
        Col("已销号", 8, "num"),
        Col("已办结待销号", 11, "num"),
        Col("办理中", 8, "num"),
        Col("长期推进", 9, "num"),
        Col("逾期", 8, "num"),
        Col("临期", 8, "num"),
        Col("办结率", 9, "pct"),
    )
    rows = [
        [
            s.month,
            s.as_of,
            s.total,
            s.closed,
            s.done,
            s.in_progress,
            s.long_term,
            s.overdue,
            s.due_soon,
            s.completion_rate,
        ]
        for s in b.trend
    ]
    ws = _titled_sheet(
        wb, fm, "趋势", "月度趋势", f"来自台账「月度快照」，含{cn_month(b.month)}。", cols, rows
    )
    last = 2 + len(rows)
    chart = wb.add_chart({"type": "line"})
    for c, colour in ((7, "#C00000"), (8, "#ED7D31"), (3, "#7F7F7F"), (4, "#70AD47")):
        chart.add_series(
            {
                "name": ["趋势", 2, c],
                "categories": ["趋势", 3, 0, last, 0],
                "values": ["趋势", 3, c, last, c],
                "marker": {"type": "circle"},
                "line": {"color": colour},
                "marker_fill": {"color": colour},
            }
        )
    chart.add_series(
        {
            "name": ["趋势", 2, 9],
            "categories": ["趋势", 3, 0, last, 0],
            "values": ["趋势", 3, 9, last, 9],
            "y2_axis": True,
            "marker": {"type": "diamond"},
            "line": {"color": "#4472C4", "dash_type": "dash"},
        }
    )
    chart.set_title(
        {
            "name": "逾期、临期、办结与办结率趋势",
            "name_font": {"name": styles.FONT_NAME, "size": 12},
        }
    )
    chart.set_y2_axis({"num_format": "0%", "min": 0, "max": 1})
    chart.set_legend({"position": "bottom", "font": {"name": styles.FONT_NAME}})
    chart.set_size({"width": 760, "height": 320})
    ws.insert_chart(last + 2, 0, chart)


def write_brief(path: Path, b: Briefing, narrative: Sequence[str]) -> Path:
    """Write the briefing workbook to ``path`` (atomically); sheet order is that of SPEC §6."""
    with atomic_output(path) as tmp:
        wb = new_workbook(tmp)
        wb.set_properties(
            {"title": b.title, "author": b.settings.office_name, "company": b.settings.org_name}
        )
        fm = Formats(wb)
        _cover(wb, fm, b, narrative)
        _leaders_sheet(wb, fm, b)
        _units_sheet(wb, fm, b)
        _overdue_sheet(wb, fm, b)
        _due_soon_sheet(wb, fm, b)
        _long_term_sheet(wb, fm, b)
        _extensions_sheet(wb, fm, b)
        _finished_sheet(wb, fm, b)
        _deductions_sheet(wb, fm, b)
        _trend_sheet(wb, fm, b)
        wb.close()
    return Path(path)
