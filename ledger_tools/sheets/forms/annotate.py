"""Annotated copies of rejected forms (`退回-{原文件名}`) that the office can send straight back.

The unit gets its own file with every offending cell filled red and a comment saying what is
wrong, and a 问题清单 sheet in front listing all findings, including those that belong to no
cell. xlsx/xlsm are annotated in place with openpyxl (macros kept for xlsm; sheet protection
does not stop openpyxl, so locked cells can be marked too). An xls or ods file cannot be
written back in its own format, so its annotated copy is a new .xlsx rebuilt from the values
that were read, and the 问题清单 says so. A file that could not be read at all (F001–F003)
gets a 问题清单 only: it is never handed to openpyxl. Copies are saved through
files.atomic_output, with the mode of any new file (they are sent on, not kept private).
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ledger_tools.core.findings import Finding
from ledger_tools.sheets import styles
from ledger_tools.sheets.excel import column_letter
from ledger_tools.sheets.files import atomic_output, output_dir
from ledger_tools.sheets.forms.layout import ANNOTATED_PREFIX
from ledger_tools.sheets.ledger.tables import write
from ledger_tools.sheets.returned.workbook import ReturnedWorkbook

__all__ = ["PREFIX", "SHEET_PROBLEMS", "annotate", "returned_name"]

PREFIX = ANNOTATED_PREFIX
SHEET_PROBLEMS = "问题清单"
AUTHOR = "督查室"
UNREADABLE = ("F001", "F002", "F003")
_RED = PatternFill("solid", fgColor=styles.RED, bgColor=styles.RED)
_COLUMNS = (
    ("序号", 6),
    ("级别", 6),
    ("代码", 7),
    ("问题", 18),
    ("工作表", 10),
    ("单元格", 8),
    ("事项编号", 15),
    ("说明", 80),
)
_VISIBILITY = {"visible": "visible", "hidden": "hidden", "veryhidden": "veryHidden"}


def returned_name(src: Path, kind: str | None, findings: Sequence[Finding]) -> str:
    """`退回-{原文件名}`; a rebuilt copy of an xls/ods (or of an unreadable file) ends in .xlsx."""
    if kind in ("xlsx", "xlsm") and not _unreadable(findings):
        return PREFIX + src.name
    return f"{PREFIX}{src.stem}.xlsx"


def _unreadable(findings: Sequence[Finding]) -> bool:
    return any(f.code in UNREADABLE for f in findings)


def annotate(
    src: Path,
    kind: str | None,
    findings: Sequence[Finding],
    out_dir: Path,
    returned: ReturnedWorkbook | None = None,
) -> Path:
    """Write the annotated copy of ``src`` into ``out_dir``; its path."""
    src = Path(src)
    out_dir = output_dir(out_dir, "退回文件")
    target = out_dir / returned_name(src, kind, findings)
    note = None
    wb = None
    if not _unreadable(findings):
        if kind in ("xlsx", "xlsm"):
            wb = _load_own(src, kind)
        if wb is None and returned is not None:
            wb = _rebuild(returned)
            note = (
                f"原文件 {src.name} 为 {kind or '其他'} 格式，无法直接标注；本文件根据读取到的内容重新生成"
                "（.xlsx），原有格式、下拉列表和保护未保留。请在原文件中改正后重新报送。"
            )
    if wb is None:
        wb = Workbook()
        wb.remove(wb.active)
        if _unreadable(findings):
            note = f"原文件 {src.name} 无法读取，未附原表内容。请按下列说明处理后重新报送。"
    _mark_cells(wb, findings)
    _problem_sheet(wb, src.name, findings, note)
    _save(wb, target)
    return target


def _load_own(src: Path, kind: str) -> Workbook | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return openpyxl.load_workbook(src, keep_vba=kind == "xlsm", keep_links=False)
        except Exception:  # a file calamine could read but openpyxl cannot: rebuild instead
            return None


def _rebuild(returned: ReturnedWorkbook) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in returned.sheets:
        ws = wb.create_sheet(sheet.name[:31])
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c)
                if isinstance(value, dt.datetime):
                    write(cell, value, "datetime")
                elif isinstance(value, dt.date):
                    write(cell, value, "date")
                elif isinstance(value, (int, float, bool)):
                    cell.value = value
                else:
                    write(cell, str(value))
        ws.sheet_state = _VISIBILITY.get(sheet.visible, "visible")
        for col in range(1, (ws.max_column or 0) + 1):
            ws.column_dimensions[column_letter(col)].width = 16
    return wb


def _top_left(ws: Worksheet, ref: str):
    """The cell a finding names; inside a merged range, the range's first cell."""
    for rng in ws.merged_cells.ranges:
        if ref in rng:
            return ws.cell(row=rng.min_row, column=rng.min_col)
    return ws[ref]


def _mark_cells(wb: Workbook, findings: Sequence[Finding]) -> None:
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            by_cell[(f.sheet, f.cell)].append(f)
    for (sheet, ref), found in by_cell.items():
        ws = wb[sheet]
        try:
            cell = _top_left(ws, ref)
        except ValueError:
            continue
        cell.fill = _RED
        text = "\n".join(f"【{f.severity.label} {f.code}】{f.message}" for f in found)
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 320, min(60 + 40 * len(found), 400)
        cell.comment = comment


def _problem_sheet(wb: Workbook, name: str, findings: Sequence[Finding], note: str | None) -> None:
    title = SHEET_PROBLEMS
    n = 1
    while title in wb.sheetnames:
        n += 1
        title = f"{SHEET_PROBLEMS}{n}"
    ws = wb.create_sheet(title, 0)
    errors = sum(f.is_error for f in findings)
    lines = [
        f"反馈表退回问题清单：{name}",
        f"共 {len(findings)} 个问题，其中错误 {errors} 个（有错误的反馈表不能合并）。"
        "请按「说明」逐项改正后重新报送；出错的单元格已标红并附批注。",
    ]
    if note:
        lines.append(note)
    for r, line in enumerate(lines, start=1):
        write(ws.cell(row=r, column=1), line)
    ws["A1"].font = Font(name=styles.FONT_NAME, size=14, bold=True)
    header_row = len(lines) + 2
    for c, (header, width) in enumerate(_COLUMNS, start=1):
        cell = ws.cell(row=header_row, column=c)
        write(cell, header)
        cell.font, cell.fill = styles.HEADER_FONT, styles.HEADER_FILL
        cell.alignment, cell.border = styles.HEADER_ALIGN, styles.HEADER_BORDER
        ws.column_dimensions[column_letter(c)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, f in enumerate(findings, start=1):
        r = header_row + i
        values = (
            i,
            f.severity.label,
            f.code,
            f.title,
            f.sheet or "",
            f.cell or "",
            f.item or "",
            f.message,
        )
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            write(cell, value)
            cell.alignment = wrap
        if f.is_error:
            ws.cell(row=r, column=2).fill = _RED
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    styles.print_ready(ws, header_row)  # the 说明 column is the widest: portrait would cut it
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False


def _save(wb: Workbook, target: Path) -> None:
    with atomic_output(target) as tmp:
        wb.save(tmp)
