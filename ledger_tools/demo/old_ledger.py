"""A supervision office's own ledger in the old style, for ``ledger adopt`` (SPEC §12).

What offices really keep: a title row merged across the table above the header; headers of
their own (序号 · 会议名称 · 会议时间 · 议定事项 · 牵头单位 · 配合单位 · 分管领导 · 完成时限 · 交办时间 ·
是否涉密 · 进展情况 · 是否办结 · 督查人员 · 备注); one meeting's name and date merged over all its
rows; a sheet per year; a totals row; a repeated header row (printed page by page) and a blank
row; dates typed every way (2025.9.30, 2025年12月底, 20251130, full-width, an Excel serial
pasted as a number, 年底, 长期); 涉密 as √; 是否办结 as 是, 否 and 已办结（2025.12.20）; unit
names with stray spaces and under their short names; and the values no one can read (待定,
two lead units, 基本完成), which adoption must keep and list, never guess.

``build_office_units`` writes the office's list of units (单位名称 · 别名) that merges the short
names.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

__all__ = ["HEADERS", "OLD_LEDGER_NAME", "UNITS_NAME", "build_office_units", "build_old_ledger"]

OLD_LEDGER_NAME = "市政府常务会议议定事项督查台账（原表）.xlsx"
UNITS_NAME = "单位名单.xlsx"
HEADERS = (
    "序号",
    "会议名称",
    "会议时间",
    "议定事项",
    "牵头单位",
    "配合单位",
    "分管领导",
    "完成时限",
    "交办时间",
    "是否涉密",
    "进展情况",
    "是否办结",
    "督查人员",
    "备注",
)

M8 = ("市人民政府2025年第8次常务会议", dt.date(2025, 4, 10))
M11 = ("市人民政府2025年第11次常务会议", dt.date(2025, 6, 12))
M3 = ("市人民政府2026年第3次常务会议", dt.date(2026, 3, 5))
TOPIC = ("2026年城市更新专题会议", dt.date(2026, 5, 18))
ORDER = ("张市长批示（冬季供暖保障）", dt.date(2026, 10, 9))

# (meeting, matter, lead, co, leader, deadline, assigned, secret, progress, done, staff, note)
SHEET_2025 = (
    (
        M8,
        "加快推进城东片区棚户区改造",
        "市发展改革委",
        "市财政局、 市自然资源局",
        "李副市长",
        "2025年12月底",
        dt.date(2025, 4, 14),
        None,
        "已完成全部签约和拆除。",
        "已办结（2025.12.20）",
        "王明",
        None,
    ),
    (
        M8,
        "建立重点项目周调度机制",
        " 市住建局 ",
        "市发展改革委",
        "李副市长",
        "2025.9.30",
        dt.date(2025, 4, 14),
        "√",
        "机制已建立并运行。",
        "是",
        "王明",
        None,
    ),
    (
        M8,
        "持续优化营商环境",
        "东城区",
        None,
        "赵副市长",
        "长期",
        dt.date(2025, 4, 14),
        None,
        "每月开展一次企业走访。",
        "否",
        "刘芳",
        "每季度通报",
    ),
    (
        M11,
        "完成城市主干道交通信号改造",
        "市交通运输局",
        "市公安局",
        "赵副市长",
        46022,
        dt.date(2025, 6, 16),
        None,
        "已完成六成路口。",
        "否",
        "刘芳",
        None,
    ),
    (
        M11,
        "开展全市财政资金绩效审计",
        "市财政局、市审计局",
        None,
        "钱副市长",
        "待定",
        dt.date(2025, 6, 16),
        None,
        "审计方案已印发。",
        "基本完成",
        "刘芳",
        None,
    ),
)
SHEET_2026 = (
    (
        M3,
        "推进老旧小区加装电梯",
        "市住建局",
        "东城区、西山县",
        "李副市长",
        "2026-12-31",
        dt.date(2026, 3, 9),
        None,
        "已完成加装 40 部。",
        None,
        "王明",
        None,
    ),
    (
        M3,
        "完善中小学课后服务",
        "市教育局",
        None,
        "孙副市长",
        "２０２６／１２／１５",
        dt.date(2026, 3, 9),
        None,
        "试点学校已扩大到 30 所。",
        None,
        "王明",
        None,
    ),
    (
        M3,
        "启动垃圾分类示范片区建设",
        "西山县",
        "市城管局",
        "孙副市长",
        "20261130",
        dt.date(2026, 3, 9),
        "是",
        "示范片区已选定。",
        None,
        "刘芳",
        None,
    ),
    (
        TOPIC,
        "编制城市更新三年行动方案",
        "市自然资源局",
        "市住建局",
        "李副市长",
        "2026年7月底",
        dt.date(2026, 5, 20),
        None,
        "初稿已完成。",
        "已办结（2026.7.25）",
        "王明",
        None,
    ),
    (
        ORDER,
        "做好今冬供暖保障",
        "市城管局",
        None,
        "张市长",
        "年底",
        dt.date(2026, 10, 10),
        None,
        "已完成管网检修。",
        None,
        "刘芳",
        "批示件",
    ),
)


def _header(ws, row: int) -> None:
    for c, h in enumerate(HEADERS, start=1):
        ws.cell(row, c, h).font = Font(bold=True)


def _rows(ws, rows, start: int, number: int) -> int:
    """Write item rows from ``start`` (序号 from ``number``), meetings merged; the next row."""
    r = start
    for n, (meeting, *rest) in enumerate(rows, start=number):
        ws.cell(r, 1, n)
        for c, value in enumerate((meeting[0], meeting[1], *rest), start=2):
            if value is not None:
                ws.cell(r, c, value)
        ws.cell(r, 3).number_format = "yyyy-mm-dd"
        ws.cell(r, 9).number_format = "yyyy-mm-dd"
        r += 1
    _merge_meetings(ws, start, r - 1)
    return r


def _merge_meetings(ws, first: int, last: int) -> None:
    """Merge 会议名称 and 会议时间 over each run of rows of one meeting, as offices do."""
    run = first
    for r in range(first + 1, last + 2):
        if r > last or ws.cell(r, 2).value != ws.cell(run, 2).value:
            if r - 1 > run:
                for c in (2, 3):
                    for rr in range(run + 1, r):
                        ws.cell(rr, c).value = None
                    ws.merge_cells(start_row=run, start_column=c, end_row=r - 1, end_column=c)
            run = r


def build_old_ledger(path: Path) -> Path:
    """Write the old-style ledger (two sheets, 2025年 and 2026年) to ``path``."""
    wb = Workbook()
    ws = wb.active
    ws.title = "2025年"
    ws.cell(1, 1, "市政府常务会议议定事项督查台账（2025年）").font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    _header(ws, 2)
    r = _rows(ws, SHEET_2025, 3, 1)
    ws.cell(r, 1, "合计")
    ws.cell(r, 4, f"共 {len(SHEET_2025)} 项，已办结 2 项")
    ws2 = wb.create_sheet("2026年")
    _header(ws2, 1)
    r = _rows(ws2, SHEET_2026[:3], 2, 1)
    _header(ws2, r + 1)  # after a blank row, the header again (printed page by page)
    r = _rows(ws2, SHEET_2026[3:], r + 2, 4)
    ws2.cell(r, 1, "合计")
    ws2.cell(r, 4, f"共 {len(SHEET_2026)} 项")
    wb.save(path)
    return Path(path)


def build_office_units(path: Path) -> Path:
    """The office's list of units: full names, with the short names its old ledger uses."""
    wb = Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(("单位名称", "别名", "单位类别"))
    for row in (
        ("市发展和改革委员会", "市发展改革委、市发改委", "市直部门"),
        ("市住房和城乡建设局", "市住建局", "市直部门"),
        ("东城区人民政府", "东城区", "县市区"),
        ("西山县人民政府", "西山县", "县市区"),
        ("市财政局", "", "市直部门"),
    ):
        ws.append(row)
    wb.save(path)
    return Path(path)
