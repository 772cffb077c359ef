"""The review workbook of ``ledger adopt --preview``: what adopting OLD would make, for staff.

Print-ready list sheets like every workbook for people (A4 landscape, fit to width, header
repeated, page numbers): 列对照 (each OLD header → its 台账 header, or 保留为自定义列, and why:
the same header, a synonym, --map, 序号), 导入预览 (the first rows as they would land in 台账),
无法识别 (every value not read as typed, with its sheet and cell and what was done with it),
跳过的行 (titles, totals, repeated headers, blank rows), 单位 (the 单位 rows NEW would get),
then 说明. Staff correct the guesses with ``--map`` (原表头 · 台账表头) and run again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ledger_tools.core.adopt import SheetPlan, Skipped
from ledger_tools.core.adopt_values import Adopted
from ledger_tools.sheets.documents.notices import Column, ListSheet, write_list_workbook
from ledger_tools.sheets.excel import column_letter
from ledger_tools.sheets.files import output_workbook

__all__ = ["PREVIEW_ROWS", "check_preview_target", "write_adopt_preview"]

PREVIEW_ROWS = 50  # rows of 导入预览: enough to judge the mapping, short enough to print
MAPPING, ROWS, PROBLEMS, SKIPPED, UNITS = "列对照", "导入预览", "无法识别", "跳过的行", "单位"
_DATES = {"印发日期", "完成时限", "交办日期", "办结日期", "销号日期", "最近报送日期"}


def check_preview_target(out: Path, *others: Path) -> Path:
    """Where --preview writes, refused where it would destroy a file: OLD, NEW, a ledger, a
    folder, another suffix, a workbook open in Excel/WPS."""
    return output_workbook(
        out, ledger=None, what="预览", example="导入预览.xlsx", option="--preview", keep=others
    )


def _mapping(plans: Sequence[SheetPlan]) -> ListSheet:
    rows: list[dict[str, object]] = []
    for p in plans:
        if p.header_row is None:
            rows.append({"工作表": p.name, "依据": p.note})
        for c in p.columns:
            rows.append(
                {
                    "工作表": p.name,
                    "原表头": c.header,
                    "原列": _letter(c.index),
                    "台账表头": c.lands_as,
                    "依据": c.how,
                }
            )
    columns = (
        Column("工作表", 14),
        Column("原表头", 20),
        Column("原列", 6),
        Column("台账表头", 26),
        Column("依据", 40),
    )
    return ListSheet(MAPPING, columns, rows)


def _letter(index: int) -> str:
    return column_letter(index + 1)


def _rows(items: Sequence[Adopted], headers: Sequence[str], custom: Sequence[str]) -> ListSheet:
    used = [h for h in headers if any(h in i.values for i in items)]
    rows = []
    for i in items[:PREVIEW_ROWS]:
        row: dict[str, object] = {"原工作表": i.sheet, "原行号": i.row}
        for h in used:
            value = i.values.get(h)
            row[h] = "、".join(value) if isinstance(value, list) else value
        for h in custom:
            row[h] = i.custom.get(h)
        rows.append(row)
    columns = [Column("原工作表", 12), Column("原行号", 8, "int")]
    columns += [
        Column(h, 12 if h in _DATES else 20, "date" if h in _DATES else "text") for h in used
    ]
    columns += [Column(h, 16) for h in custom]
    return ListSheet(ROWS, columns, rows)


def _problems(items: Sequence[Adopted]) -> ListSheet:
    rows = [
        {"工作表": p.sheet, "单元格": p.cell, "台账表头": p.header, "原值": p.raw, "处理": p.reason}
        for i in items
        for p in i.problems
    ]
    columns = (
        Column("工作表", 14),
        Column("单元格", 8),
        Column("台账表头", 12),
        Column("原值", 30),
        Column("处理", 50),
    )
    return ListSheet(PROBLEMS, columns, rows)


def _skipped(skipped: Sequence[Skipped]) -> ListSheet:
    rows = [{"工作表": s.sheet, "行号": s.row, "原因": s.reason, "内容": s.text} for s in skipped]
    columns = (
        Column("工作表", 14),
        Column("行号", 8, "int"),
        Column("原因", 12),
        Column("内容", 70),
    )
    return ListSheet(SKIPPED, columns, rows)


def write_adopt_preview(
    path: Path,
    *,
    plans: Sequence[SheetPlan],
    items: Sequence[Adopted],
    skipped: Sequence[Skipped],
    headers: Sequence[str],
    custom: Sequence[str],
    units: Sequence[tuple[str, str]],
    title: str,
    notes: Sequence[str],
) -> Path:
    """Write the review workbook atomically (an open copy in Excel/WPS is refused as busy)."""
    unit_sheet = ListSheet(
        UNITS,
        (Column("单位名称", 28), Column("来源", 40)),
        [{"单位名称": n, "来源": how} for n, how in units],
    )
    sheets = [
        _mapping(plans),
        _rows(items, headers, custom),
        _problems(items),
        _skipped(skipped),
        unit_sheet,
    ]
    return write_list_workbook(Path(path), sheets, title=title, notes=notes)
