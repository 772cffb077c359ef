"""Findings about the shape of the ledger as staff keep it, read alongside its values.

``read_ledger`` calls these while reading: rows of 台账 that are no items (``non_items``, L316),
merged ranges over a column the tool writes (L315), 工作日历 rows that are incomplete or
disagree (L317) and 设置 已确认调休年份 (L312 when it holds no years). Kept apart from
``data`` so that the reader stays a list of steps; each function only reports, and the
decisions (what is an item, how a disputed day counts) live in ``non_items`` and
``core.calendar``.
"""

from __future__ import annotations

import bisect
import re

from ledger_tools.core import findings as fnd
from ledger_tools.core.calendar import parse_years
from ledger_tools.sheets.ledger import non_items
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.tables import Row, Table

__all__ = [
    "ADVISED",
    "blocked_finding",
    "calendar_findings",
    "confirmed_years",
    "merged_findings",
    "separate_non_items",
]


def blocked_finding(sheet: sc.Sheet, ref: str, field: str, file: str) -> fnd.Finding:
    """L315 for a write ``Table`` left undone because the cell is merged."""
    return fnd.make(
        "L315",
        file=file,
        sheet=sheet.name,
        cell=ref,
        column=sheet.column(field).header,
        detail=f"{sheet.name} {ref}",
    )


def calendar_findings(table: Table, rows: list[Row], file: str) -> list[fnd.Finding]:
    """L317 for a 工作日历 row without a date or a type (an unreadable one is L305/L309
    already) and for a date listed with both types; ``WorkCalendar`` reads a disputed date the
    way that fails closed (see there), never by which row comes last."""
    out = []
    seen: dict[object, Row] = {}
    for r in rows:
        date, kind = r.get("date"), r.get("day_type")
        if date is None and "date" not in r.bad and "date" in table.positions:
            out.append(
                fnd.make(
                    "L317",
                    file=file,
                    sheet=sc.CALENDAR.name,
                    cell=table.ref(r.number, "date"),
                    detail=f"「工作日历」第 {r.number} 行没有日期，该行未被采用。请填写日期，或删除该行",
                )
            )
        elif kind is None and "day_type" not in r.bad and "day_type" in table.positions:
            out.append(
                fnd.make(
                    "L317",
                    file=file,
                    sheet=sc.CALENDAR.name,
                    cell=table.ref(r.number, "day_type"),
                    detail=f"「工作日历」第 {r.number} 行（{date}）没有类型，该行未被采用。"
                    "请填写「工作日」或「休息日」",
                )
            )
        if date is None or kind is None:
            continue
        first = seen.setdefault(date, r)
        if first is not r and first.get("day_type") is not kind:
            out.append(
                fnd.make(
                    "L317",
                    file=file,
                    sheet=sc.CALENDAR.name,
                    cell=table.ref(r.number, "date"),
                    detail=(
                        f"「工作日历」中 {date} 登记了两次且类型不同（第 {first.number} 行"
                        f"「{first.get('day_type').value}」，第 {r.number} 行「{kind.value}」）。"
                        "在改正前，这一天在推算交办期限和逾期天数时按工作日、在计算剩余工作日时按休息日计，"
                        "以免任何事项显得比实际宽松。请删除其中错误的一行"
                    ),
                )
            )
    return out


def confirmed_years(
    text: str, table: Table | None, rows: list[Row], file: str, problems: list[fnd.Finding]
) -> frozenset[int]:
    """设置 已确认调休年份 as years; a value that is not a list of years is reported (L312)
    and no year is taken as confirmed from it, so the 调休安排未确认 warning stays."""
    try:
        return parse_years(text or None)
    except ValueError:
        row = next((r for r in rows if r.get("key") == "已确认调休年份"), None)
        problems.append(
            fnd.make(
                "L312",
                file=file,
                sheet=sc.SETTINGS.name,
                cell=table.ref(row.number, "value") if row and table else None,
                column="已确认调休年份",
                actual=text,
                detail="应为四位年份，如 2027，多个年份用顿号分隔；在改正前这些年份仍按未确认处理",
            )
        )
        return frozenset()


# Reading problems every command shows (through ``advisories``), not only validate.
ADVISED = ("L316", "L317")


def separate_non_items(
    rows: list[Row], file: str, problems: list[fnd.Finding]
) -> tuple[list[Row], list[tuple[Row, str]]]:
    """台账's rows split into items and the rows ``non_items`` says are none (each one L316)."""
    items: list[Row] = []
    others: list[tuple[Row, str]] = []
    for r in rows:
        kind = non_items.kind_of(r)
        if kind is None:
            items.append(r)
            continue
        others.append((r, kind))
        shown = "、".join(
            f"「{sc.ITEMS.column(f).header}」为“{v}”"
            for f, v in list(non_items.evidence(r, kind).items())[:3]
        )
        problems.append(
            fnd.make(
                "L316",
                file=file,
                sheet=sc.ITEMS.name,
                cell=f"{r.number}:{r.number}",
                detail=f"第 {r.number} 行看起来是{kind}（{shown}），不是事项",
            )
        )
    return items, others


def merged_findings(table: Table, item_rows: list[Row], file: str) -> list[fnd.Finding]:
    """L315 for each merged range over a column the tool writes that reaches an item's row
    (a range only over rows that are no items, such as a merged 合计 row, is never written)."""
    written = [c.field for c in sc.ITEMS.columns if c.owner != "S"]
    numbers = sorted(r.number for r in item_rows)
    out = []
    named: set[str] = set()
    for ref, f in table.merged_in(written):
        if ref in named:  # a range over several such columns is named once
            continue
        named.add(ref)
        first, last = _rows_of(ref)
        i = bisect.bisect_left(numbers, first)
        if i < len(numbers) and numbers[i] <= last:
            out.append(
                fnd.make(
                    "L315",
                    file=file,
                    sheet=sc.ITEMS.name,
                    cell=ref,
                    column=sc.ITEMS.column(f).header,
                    detail=f"{sc.ITEMS.name} {ref}",
                )
            )
    return out


def _rows_of(ref: str) -> tuple[int, int]:
    first, _, last = ref.partition(":")
    return int(re.sub(r"\D", "", first)), int(re.sub(r"\D", "", last or first))
