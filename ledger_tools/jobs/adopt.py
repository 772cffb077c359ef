"""ledger adopt: an office's existing ledger (xlsx, xls, ods) made into a new 台账 (SPEC §12).

OLD is only read (``sheets.adopt``: safely, merged cells shown on every row they cover). Each
visible sheet's header row is found (under a title row too) and its columns mapped by
``core.adopt`` (text and synonyms, ``--map`` first); rows that are no items are skipped and
listed; values are read by ``core.adopt_values`` and fail closed.

With ``--preview`` only the review workbook is written. Otherwise NEW is made by init's code
(``new_ledger``) in one save: 单位 rows for the office's list (``--units``) and for every other
unit name found, the items, and OLD's unmapped columns as staff columns after 台账's own. The
command then runs refresh (事项编号 assigned where missing) and validate on NEW. NEW must not
exist (it is never overwritten); OLD stays byte-identical.
"""

from __future__ import annotations

import datetime as dt
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from ledger_tools.core import adopt as ca
from ledger_tools.core.adopt_values import Adopted, Problem, UnitNames, convert_row
from ledger_tools.core.model import Unit
from ledger_tools.errors import UsageError
from ledger_tools.sheets import cells
from ledger_tools.sheets.adopt import OldWorkbook, a1, read_map, read_old
from ledger_tools.sheets.documents.adopt import check_preview_target, write_adopt_preview
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.new import new_ledger
from ledger_tools.sheets.ledger.tables import DATE_FORMAT, Table, write
from ledger_tools.sheets.ledger.units_file import read_units
from ledger_tools.sheets.returned.limits import ReturnedFileError
from ledger_tools.sheets.returned.workbook import fingerprint

__all__ = ["ADOPTED", "AdoptResult", "run"]

ADOPTED = "原台账导入"  # 导入记录.结果 of the adopted workbook
OLD_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# 台账 headers --map may name: every column staff own (the tool's own are recomputed anyway)
MAPPABLE = tuple(c.header for c in sc.ITEMS.columns if c.owner != "T")


@dataclass
class AdoptResult:
    old: Path
    new: Path
    sha256: str
    plans: list[ca.SheetPlan] = field(default_factory=list)
    items: list[Adopted] = field(default_factory=list)
    skipped: list[ca.Skipped] = field(default_factory=list)
    custom: list[str] = field(default_factory=list)  # staff columns kept from OLD
    units: list[tuple[str, str]] = field(default_factory=list)  # (单位名称, where it came from)
    notes: list[str] = field(default_factory=list)
    preview: Path | None = None
    created: bool = False
    ledger_id: str = ""

    @property
    def problems(self) -> list[Problem]:
        return [p for i in self.items for p in i.problems]


def run(
    old: Path,
    new: Path,
    *,
    map_file: Path | None = None,
    preview: Path | None = None,
    units_file: Path | None = None,
) -> AdoptResult:
    """Read OLD, then write the preview or NEW (see the module's docstring)."""
    old, new = Path(old), Path(new)
    _check_paths(old, new, preview is not None)
    target = check_preview_target(preview, old, new) if preview is not None else None
    overrides = _overrides(Path(map_file)) if map_file is not None else {}
    notes: list[str] = []
    office_units = read_units(Path(units_file), notes) if units_file else []
    before = fingerprint(old)
    try:
        book = read_old(old)
    except ReturnedFileError as e:
        raise UsageError(
            f"无法读取原台账 {old.name}：{e}。请在 Excel/WPS 中打开确认后另存再试。"
        ) from None
    result = AdoptResult(old, new, book.sha256, notes=notes)
    names = UnitNames({u.name: tuple(u.aliases) for u in office_units})
    _read(book, overrides, names, result)
    result.units = _units(office_units, result.items)
    if not result.items:
        raise UsageError(
            f"在 {old.name} 中没有找到可导入的事项："
            + "；".join(f"工作表「{p.name}」{p.note or '没有事项行'}" for p in result.plans)
            + "。请确认表头（如 议定事项、牵头单位、完成时限）所在的行，或用 --map 指定。"
        )
    if target is not None:
        result.preview = write_adopt_preview(
            target,
            plans=result.plans,
            items=result.items,
            skipped=result.skipped,
            headers=sc.ITEMS.headers,
            custom=result.custom,
            units=result.units,
            title=f"原台账导入预览：{old.name}",
            notes=_preview_notes(result),
        )
    else:
        unit_rows = [*office_units] + [
            Unit(name) for name, how in result.units if how != _FROM_LIST
        ]
        result.ledger_id = new_ledger(new, unit_rows, fill=lambda wb: _fill(wb, result))
        result.created = True
    if fingerprint(old) != before:  # never expected: OLD is only read
        raise UsageError(f"原台账 {old.name} 在导入过程中被其他程序修改，请关闭它后重新运行。")
    return result


def _check_paths(old: Path, new: Path, preview: bool) -> None:
    if not old.is_file():
        what = "是文件夹" if old.is_dir() else "不存在"
        raise UsageError(f"原台账 {old} {what}。请写原台账工作簿（.xlsx、.xls 或 .ods）的路径。")
    if old.suffix.lower() not in OLD_SUFFIXES:
        raise UsageError(f"原台账应是 .xlsx、.xls 或 .ods 工作簿，「{old.name}」不是。")
    if new.suffix.lower() != ".xlsx":
        raise UsageError(
            f"新台账文件名应以 .xlsx 结尾：{new.name}。例如 {new.with_suffix('.xlsx').name}。"
        )
    if new.resolve() == old.resolve():
        raise UsageError("新台账不能与原台账同名：原台账不会被改动。请为新台账另起一个文件名。")
    if preview:
        return
    if new.exists():
        raise UsageError(f"{new} 已存在，为避免覆盖，adopt 不会改写它。请换一个文件名。")
    if not new.parent.is_dir():
        raise UsageError(f"文件夹不存在：{new.parent}。请先建好该文件夹，或检查路径。")


def _overrides(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    allowed = (*MAPPABLE, ca.CUSTOM, ca.IGNORE)
    for row, old_header, target in read_map(path):
        if not target:
            continue  # a blank 台账表头 keeps the guess
        if target not in allowed:
            raise UsageError(
                f"对照表 {path.name} 第 {row} 行：「{target}」不是台账的表头。"
                f"请写台账表头（如 主责单位、完成时限），或「{ca.CUSTOM}」「{ca.IGNORE}」。"
            )
        out[old_header] = target
    return out


def _read(book: OldWorkbook, overrides: dict[str, str], names: UnitNames, out: AdoptResult):
    for sheet in book.sheets:
        plan = ca.SheetPlan(sheet.name)
        out.plans.append(plan)
        if sheet.visible != "visible":
            plan.note = "隐藏的工作表，未导入"
            continue
        at = ca.find_header_row(sheet.shown)
        if at is None:
            plan.note = "没有找到表头（如 议定事项、牵头单位、会议名称），未导入"
            continue
        header = sheet.shown[at]
        plan.header_row = at + 1
        plan.columns = ca.plan_columns(header, overrides, sc.ITEMS.headers)
        context = ca.sheet_context(sheet.name)
        heading: str | None = None
        for c in plan.columns:
            if c.custom and c.custom not in out.custom:
                out.custom.append(c.custom)
        for r in range(at + 1, len(sheet.shown)):
            own, shown = sheet.own[r], sheet.shown[r]
            kind = ca.row_kind(own, shown, header, plan.columns)
            if kind is not None:
                text = " ".join(str(v).strip() for v in own if v not in (None, ""))
                if kind == "标题行":
                    heading = ca.heading_source(text) or heading
                out.skipped.append(ca.Skipped(sheet.name, r + 1, kind, text[:200]))
                continue
            values = {
                c.target: (shown[c.index] if c.index < len(shown) else None, a1(r, c.index))
                for c in plan.columns
                if c.target
            }
            item = convert_row(
                sheet.name,
                r + 1,
                values,
                units=names,
                serial=_serial,
                source_name=heading or context.meeting,
                sheet_note=context.note,
            )
            for c in plan.columns:
                if c.custom and c.index < len(shown) and shown[c.index] is not None:
                    item.custom[c.custom] = shown[c.index]
            out.items.append(item)
            plan.items += 1


def _serial(value: float) -> dt.date:
    return cells.serial_to_date(value).date()


_FROM_LIST, _FOUND = "单位名单", "原台账中出现，请在「单位」表补全类别和联系人"


def _units(office: list[Unit], items: list[Adopted]) -> list[tuple[str, str]]:
    out = [(u.name, _FROM_LIST) for u in office]
    seen = {u.name for u in office}
    for i in items:
        for name in i.units:
            if name not in seen:
                seen.add(name)
                out.append((name, _FOUND))
    return out


def _fill(wb: Workbook, result: AdoptResult) -> None:
    ws = wb[sc.ITEMS.name]
    table = Table(ws, sc.ITEMS)
    by_header = {c.header: c.field for c in sc.ITEMS.columns}
    last = ws.max_column
    custom_at: dict[str, int] = {}
    for n, header in enumerate(result.custom, start=1):
        cell = ws.cell(1, last + n)
        write(cell, header)
        cell._style = copy(ws.cell(1, last)._style)
        ws.column_dimensions[cell.column_letter].width = 16
        custom_at[header] = last + n
    if custom_at:
        ws.auto_filter.ref = f"A1:{ws.cell(1, last + len(custom_at)).column_letter}1"
    for item in result.items:
        row = table.append({by_header[h]: v for h, v in item.values.items()})
        for header, value in item.custom.items():
            cell = ws.cell(row, custom_at[header])
            if isinstance(value, (dt.date, dt.datetime)):
                cell.value = value
                cell.number_format = DATE_FORMAT
            else:
                write(cell, cells.clean_text(value) if isinstance(value, str) else value)
    _log(wb, result)


def _log(wb: Workbook, result: AdoptResult) -> None:
    """OLD in 导入记录 with its SHA-256, like every file the tool took items from."""
    Table(wb[sc.IMPORTS.name], sc.IMPORTS).append(
        {
            "time": dt.datetime.now().replace(microsecond=0),
            "file": result.old.name,
            "fingerprint": result.sha256,
            "result": ADOPTED,
            "items": len(result.items),
            "problems": len(result.problems),
        }
    )


def _preview_notes(result: AdoptResult) -> list[str]:
    return [
        f"原台账：{result.old.name}（文件指纹 {result.sha256[:16]}…），本预览未创建新台账，原台账未改动。",
        f"可导入事项 {len(result.items)} 个；无法识别或需核对的值 {len(result.problems)} 处；"
        f"跳过的行 {len(result.skipped)} 行；保留为自定义列 {len(result.custom)} 列；单位 {len(result.units)} 个。",
        "「列对照」中的对应关系如需更正：把该表的「原表头」「台账表头」两列另存为一个工作簿，改写"
        f"「台账表头」（台账的表头，或「{ca.CUSTOM}」「{ca.IGNORE}」），用 --map 指定后重新运行。",
        "无法识别的值在新台账中留空，原文保留在「备注」中（【导入】…原填「…」）；涉密栏不是「是」「否」的按涉密处理。",
        "已办结而没有办结日期的事项按原表记为已办结，请补填办结日期；补填前不算办结。",
        "核对无误后，去掉 --preview 重新运行即创建新台账。",
        *result.notes,
    ]
