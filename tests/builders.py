"""Building test ledgers in code, the way staff fill them: by header text, with plain openpyxl.

Deliberately independent of ledger_tools.sheets.ledger.tables, so the reading code is tested against
files it did not write itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl

from ledger_tools.demo.sample import SAMPLE_UNITS
from ledger_tools.sheets.ledger.new import new_ledger

UNITS = SAMPLE_UNITS[:5]


def item(**over) -> dict:
    """A typical 一般 item as staff type it (header → value)."""
    row = {
        "来源类型": "常务会议",
        "来源名称": "市人民政府2026年第12次常务会议",
        "印发日期": dt.date(2026, 9, 18),
        "议定事项": "加快推进东城区老旧小区改造项目",
        "办理要求": "年底前完成改造任务",
        "责任领导": "张副市长",
        "承办科室": "城建科",
        "主责单位": "东城区人民政府",
        "事项类型": "一般",
        "完成时限": dt.date(2026, 12, 31),
        "交办日期": dt.date(2026, 9, 22),
    }
    row.update(over)
    return {k: v for k, v in row.items() if v is not None}


def append_rows(ws, rows: list[dict]) -> None:
    header = {c.value: c.column for c in ws[1] if c.value}
    start = ws.max_row + 1
    for i, row in enumerate(rows):
        for h, v in row.items():
            ws.cell(row=start + i, column=header[h], value=v)


def make_ledger(
    path: Path,
    items: list[dict] = (),
    *,
    units=UNITS,
    extensions: list[dict] = (),
    reports: list[dict] = (),
    reminders: list[dict] = (),
    calendar: list[dict] = (),
    settings: dict | None = None,
) -> Path:
    path = Path(path)
    new_ledger(path, list(units))
    wb = openpyxl.load_workbook(path)
    append_rows(wb["台账"], list(items))
    append_rows(wb["延期记录"], list(extensions))
    append_rows(wb["办理记录"], list(reports))
    append_rows(wb["催办记录"], list(reminders))
    append_rows(wb["工作日历"], list(calendar))
    for key, value in (settings or {}).items():
        ws = wb["设置"]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == key:
                row[1].value = value
    wb.save(path)
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def column_values(path: Path, sheet: str, header: str) -> list:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    col = next(c.column for c in ws[1] if c.value == header)
    return [ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)]
