"""Reading a list of units (单位名称 · 别名 · 单位类别 · ...) from a spreadsheet or CSV for init."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from python_calamine import CalamineWorkbook

from ledger_tools.core.model import Unit, UnitCategory
from ledger_tools.core.units import find_clashes
from ledger_tools.errors import UsageError
from ledger_tools.sheets.boundary import Cause, Failure, map_exceptions
from ledger_tools.sheets.cells import clean_text, split_list
from ledger_tools.sheets.ledger import schema as sc

__all__ = ["read_units"]


def _rows(path: Path) -> Sequence[Sequence[object]]:
    if path.suffix.lower() == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                with open(path, newline="", encoding=encoding) as f:
                    return list(csv.reader(f))
            except UnicodeDecodeError:
                continue
        raise UsageError(f"单位名单 {path.name} 的编码无法识别，请另存为 UTF-8 或 Excel 文件。")
    # calamine raises several types (and panics); every failure of it means a file it cannot read
    with map_exceptions(_unreadable, path=path, what="单位名单", unexpected=Cause.UNSUPPORTED):
        wb = CalamineWorkbook.from_path(str(path))
        name = sc.UNITS.name if sc.UNITS.name in wb.sheet_names else wb.sheet_names[0]
        return wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


_SYSTEM = {Cause.NOT_FOUND, Cause.NO_ACCESS, Cause.IS_FOLDER, Cause.SYSTEM}


def _unreadable(failure: Failure) -> UsageError:
    if failure.cause in _SYSTEM:
        return UsageError(f"{failure.message}。请检查该文件后重试。")
    return UsageError(f"{failure.message}。请提供 .xlsx、.xls、.ods 或 .csv 文件。")


def read_units(path: Path, notes: list[str] | None = None) -> list[Unit]:
    """Units from the first sheet (or a sheet named 单位) whose row 1 holds the 单位 headers.

    What is left out (a repeated name, an unknown 单位类别) is told in ``notes``: the clerk
    should not find out months later that a unit was never registered.
    """
    notes = [] if notes is None else notes
    if not path.exists():
        raise UsageError(f"找不到单位名单文件：{path}。请检查 --units 的路径。")
    if path.is_dir():
        raise UsageError(
            f"{path} 是文件夹。--units 须是单位名单文件（.xlsx、.xls、.ods 或 .csv）。"
        )
    if path.stat().st_size == 0:
        raise UsageError(f"单位名单 {path.name} 是空文件（0 字节）。请重新保存单位名单后再试。")
    rows = _rows(path)
    if not rows:
        raise UsageError(f"单位名单 {path.name} 是空的。")
    header = [clean_text(h) for h in rows[0]]
    pos = {c.field: header.index(c.header) for c in sc.UNITS.columns if c.header in header}
    if "name" not in pos:
        raise UsageError(
            f"单位名单 {path.name} 第 1 行没有「单位名称」表头。表头应为：{'、'.join(sc.UNITS.headers)}。"
        )

    def get(row, f):
        i = pos.get(f)
        return clean_text(row[i]) if i is not None and i < len(row) else None

    units, seen = [], set()
    for number, row in enumerate(rows[1:], start=2):
        name = get(row, "name")
        if not name:
            continue
        if name in seen:
            notes.append(
                f"单位名单 {path.name} 第 {number} 行：「{name}」重复，只登记第一次出现的一行。"
            )
            continue
        seen.add(name)
        category = get(row, "category")
        if category and not UnitCategory.parse(category):
            notes.append(
                f"单位名单 {path.name} 第 {number} 行：单位类别「{category}」不是 "
                f"{'、'.join(UnitCategory.values())} 之一，已留空，请在「单位」表中补填。"
            )
        units.append(
            Unit(
                name=name,
                aliases=split_list(get(row, "aliases")),
                category=category if UnitCategory.parse(category) else None,
                section=get(row, "section"),
                contact=get(row, "contact"),
                phone=get(row, "phone"),
            )
        )
    for clash in find_clashes(units):  # routing by such a name would go to no unit (L314)
        notes.append(
            f"单位名单 {path.name}：「{clash.name}」同时是{clash.owners_text}的名称或别名（L314）。"
            "已照登记，但填写这一名称的事项不会分派给任何单位；请在「单位」表中只让一个单位使用它。"
        )
    return units
