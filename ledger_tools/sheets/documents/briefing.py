"""The briefing workbook 通报-{YYYY-MM}.xlsx, written with XlsxWriter from a computed Briefing.

Nothing is counted here: every number comes from ``core.briefing``; this module lays out the
cover (通报), 分领导, 分单位 and 趋势 the way the office prints them, and puts the sheets in
the order of SPEC §6. The item lists (分科室, 逾期事项 … 扣分意见) are ``briefing_lists``; the
table kit, shared with the scoring workbook, is ``tables``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from xlsxwriter.workbook import Workbook

from ledger_tools.core.briefing import (
    ALERT_ROWS,
    RANK_RULE,
    RATE_RULE,
    STATUS_ROWS,
    Briefing,
    Tally,
    cn_month,
)
from ledger_tools.core.dates import cn_date
from ledger_tools.sheets import styles
from ledger_tools.sheets.documents import briefing_lists as lists
from ledger_tools.sheets.documents.tables import (
    Col,
    Formats,
    Tone,
    flag,
    lines_needed,
    new_workbook,
    page_setup,
    titled_sheet,
    write_note,
    write_table,
)
from ledger_tools.sheets.files import atomic_output

__all__ = ["lines_needed", "write_brief"]


# -- shared value helpers ---------------------------------------------------------------


def _rate_tone(rate: float) -> str:
    return "green" if rate >= 0.8 else "amber" if rate >= 0.5 else "red"


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
        flag(t.overdue, "red"),
        flag(t.due_soon, "amber"),
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
            (label, flag(getattr(t, attr), "amber" if attr == "due_soon" else "red"))
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
            flag(u.not_on_time, "red"),
            Tone(u.tally.completion_rate, _rate_tone(u.tally.completion_rate)),
            flag(u.points, "red"),
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
    ws = titled_sheet(
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
    titled_sheet(
        wb,
        fm,
        "分领导",
        "分领导办理情况",
        f"截至{cn_date(b.as_of)}，责任领导 {len(b.by_leader)} 位。",
        cols,
        [[g.label, *_tally_cells(g.tally)] for g in b.by_leader],
        ["合计", *_total_cells(b.totals)],
    )


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
    ws = titled_sheet(
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
        lists.sections_sheet(wb, fm, b)
        lists.overdue_sheet(wb, fm, b)
        lists.due_soon_sheet(wb, fm, b)
        lists.long_term_sheet(wb, fm, b)
        lists.extensions_sheet(wb, fm, b)
        lists.finished_sheet(wb, fm, b)
        lists.deductions_sheet(wb, fm, b)
        _trend_sheet(wb, fm, b)
        wb.close()
    return Path(path)
