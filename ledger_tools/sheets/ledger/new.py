"""Creating a new ledger workbook exactly as SPEC §2 lays it out.

Drop-downs and conditional formatting are applied to whole columns so rows staff add later get
them too; lists are written inline (not as references to another sheet), which Excel keeps in
the main validation list rather than an extension openpyxl could not preserve.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from ledger_tools.core.model import Unit
from ledger_tools.sheets import styles
from ledger_tools.sheets.excel import column_letter
from ledger_tools.sheets.files import atomic_output
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.schema import AS_OF_LABEL
from ledger_tools.sheets.ledger.tables import write

__all__ = ["new_ledger", "INTRO_LINES", "AS_OF_LABEL"]

MAX_ROW = 1048576

INTRO_LINES = (
    "市政府常务会议议定事项督查台账",
    "",
    "一、本工作簿由 ledger 工具创建和维护，可以继续在 Excel / WPS 中编辑。",
    "二、「台账」每行一个议定事项。蓝色表头下的列：",
    "    · 工作人员填写：来源类型、来源名称、印发日期、议定事项、办理要求、责任领导、承办科室、主责单位、协办单位、事项类型、完成时限、涉密、销号日期、销号经办人、核查结果、备注；",
    "    · 工具计算（运行 ledger refresh 时重写，请勿手改）：当前时限、延期次数、催办次数、剩余工作日、督办预警、本期报送；",
    "    · 单位报送（ledger merge 合并反馈表时写入）：阶段性目标、最新进展、最近报送日期、办结日期；",
    "    · 事项编号留空即可，refresh 会按「年份-来源代码会次-序号」自动编号（如 2026-CW12-03）。",
    "三、延期：在「延期记录」中对单位的申请填写审批领导、审批日期、审批结果（同意/不同意）和批准时限，再运行 ledger refresh。",
    "四、销号：核实办结后在「台账」填写销号日期和销号经办人，再运行 ledger refresh。"
    "终止：把办理状态改为「已终止」并填写终止日期；未填的，refresh 按当天日期填入并提示（可改正）。",
    "五、节假日按国家公布的放假与调休安排计算；如有本地调整，在「工作日历」中登记（每个日期只登记一行）。国家公布新一年的安排而工具尚未收录时，"
    "在「工作日历」中逐日登记该年的放假日（休息日）和调休上班日（工作日），登记完整后在「设置」的「已确认调休年份」中填写该年份（如 2027，多个年份用顿号分隔）；"
    "未确认的年份按周末与固定节日计算，各命令会提示「调休安排未确认」。",
    "六、可以调整列的顺序、增加自己的列和工作表、筛选、着色、批注；工具按表头文字找列，不会改动您自己的内容。",
    "    请不要修改表头文字，也不要删除本说明以外的工作表。",
    "七、每次保存前，工具会在「台账备份」文件夹中留存备份（保留最近 30 份）。运行命令前请先关闭本工作簿。",
    "八、按日期统计：某一天的情况只看当天及以前发生的事。印发日期之后事项才存在；交办、销号、终止各从其日期起算；"
    "已办结从单位报送「已办结」的记录时间起算（没有报送记录、由工作人员填写办结日期的，从办结日期起算）；"
    "延期从审批日期起生效（同意须同时填写批准时限和审批日期，缺一项仍为申请延期）；催办按催办日期计次。"
    "缺少日期的按不利情形处理：已办结而没有办结日期的视为未办结，办理记录没有记录时间的视为未报送，"
    "催办记录没有催办日期的不计次数。月报义务按当月报送截止日当天的状态判定。"
    "月度通报按截止日期当时的记录统计，以后补录、改动不影响已出的通报；已结束月份的「月度快照」一经记录即保留，"
    "数字不同时 ledger brief 会提示，确需改写的加 --update-snapshot。",
    "",
    "每月流程：录入事项 → ledger notices 交办 → ledger forms 下发反馈表 → 25 日前收回 → ledger check / merge 核对合并 → ledger refresh → ledger remind 催办 → ledger brief 通报 → 年底 ledger score 考评扣分建议。",
)


def _header(ws, sheet: sc.Sheet) -> None:
    for i, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=i, value=col.header)
        cell.font = styles.HEADER_FONT
        cell.fill = styles.HEADER_FILL
        cell.alignment = styles.HEADER_ALIGN
        cell.border = styles.HEADER_BORDER
        ws.column_dimensions[column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    if sheet.columns:
        ws.auto_filter.ref = f"A1:{column_letter(len(sheet.columns))}1"
    for i, col in enumerate(sheet.columns, start=1):
        if col.kind == "choice":
            letter = column_letter(i)
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(col.choice_set.values()) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="请从下拉列表选择",
                error="可选：" + "、".join(col.choice_set.values()),
            )
            dv.add(f"{letter}2:{letter}{MAX_ROW}")
            ws.add_data_validation(dv)


def _alert_formatting(ws) -> None:
    idx = sc.ITEMS.headers.index("督办预警") + 1
    letter = column_letter(idx)
    rng = f"{letter}2:{letter}{MAX_ROW}"
    for value, (fill, font) in styles.ALERT_COLOURS.items():
        ws.conditional_formatting.add(
            rng,
            CellIsRule(
                operator="equal",
                formula=[f'"{value}"'],
                fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                font=Font(color=font),
            ),
        )


def new_ledger(
    path: Path,
    units: Sequence[Unit] = (),
    today: dt.date | None = None,
    fill: Callable[[Workbook], None] | None = None,
) -> str:
    """Write a new ledger to ``path`` (which must not exist); its ledger id.

    ``fill`` puts content into the new workbook before its one save (``adopt`` adds the items
    of an old ledger), so a ledger is never seen half made."""
    today = today or dt.date.today()
    wb = Workbook()
    wb.remove(wb.active)
    ledger_id = uuid.uuid4().hex
    for sheet in sc.SHEETS:
        ws = wb.create_sheet(sheet.name)
        if sheet is sc.INTRO:
            ws.column_dimensions["A"].width = 16
            ws.column_dimensions["B"].width = 110
            for r, line in enumerate(INTRO_LINES, start=1):
                ws.cell(row=r, column=1, value=line).alignment = Alignment(wrap_text=False)
            ws["A1"].font = Font(name=styles.FONT_NAME, size=16, bold=True)
            r = len(INTRO_LINES) + 1
            ws.cell(row=r, column=1, value=AS_OF_LABEL).font = styles.HEADER_FONT
            ws.cell(row=r + 1, column=1, value="台账编号")
            ws.cell(row=r + 1, column=2, value=ledger_id)
            continue
        _header(ws, sheet)
    _alert_formatting(wb[sc.ITEMS.name])

    st = wb[sc.SETTINGS.name]
    for r, (key, _attr, default, note) in enumerate(sc.SETTING_KEYS, start=2):
        write(st.cell(row=r, column=1), key)
        write(st.cell(row=r, column=2), None if default == "" else default)
        write(st.cell(row=r, column=3), note)

    un = wb[sc.UNITS.name]
    for r, u in enumerate(units, start=2):
        for c, value in enumerate(
            (u.name, "、".join(u.aliases), u.category, u.section, u.contact, u.phone), 1
        ):
            write(un.cell(row=r, column=c), value or None)

    sy = wb[sc.SYSTEM.name]
    for r, (key, value) in enumerate(
        (
            ("schema_version", str(sc.SCHEMA_VERSION)),
            ("ledger_id", ledger_id),
            ("signing_key", secrets.token_hex(32)),
            ("created", today.isoformat()),
        ),
        start=2,
    ):
        write(sy.cell(row=r, column=1), key)
        write(sy.cell(row=r, column=2), value)
    sy.sheet_state = "veryHidden"
    if fill is not None:
        fill(wb)
    wb.active = 1  # open on 台账
    # Never over an existing file: the target appears whole or not at all, and a ledger that is
    # already there is refused (a UsageError), not replaced.
    with atomic_output(path, exclusive=True) as tmp:
        wb.save(tmp)
    return ledger_id
