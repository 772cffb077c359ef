"""ledger validate: the ledger's own consistency, as findings (codes L3xx). Read-only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ledger_tools.core import findings as fnd
from ledger_tools.core import model as m
from ledger_tools.core import rules
from ledger_tools.core.ids import ID_PATTERN
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.data import LedgerData, read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile

_ALWAYS_REQUIRED = ("source_type", "source_name", "issued", "matter", "lead_unit", "kind")


@dataclass
class ValidateResult:
    path: Path
    findings: list[fnd.Finding] = field(default_factory=list)
    items: int = 0

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)


def run(path: Path) -> ValidateResult:
    with LedgerFile(path) as lf:
        data = read_ledger(lf)
        return ValidateResult(Path(path), check(data), len(data.items))


def check(data: LedgerData, today: dt.date | None = None) -> list[fnd.Finding]:
    """Every problem of the ledger, reading problems first, then cross-checks by sheet order.

    ``today`` is what a 审批日期 may not lie after (L318): an approval not yet given.
    """
    out = list(data.problems)
    out.extend(_items(data))
    out.extend(_records(data))
    out.extend(_dateless_facts_and_approvals(data, today or dt.date.today()))
    return out


def _dateless_facts_and_approvals(data: LedgerData, today: dt.date) -> Iterator[fnd.Finding]:
    """L320: a fact without its date counts as not having happened (已办结 without 办结日期, a
    办理记录 row without 记录时间); L318: an approval row short of what makes it count, or dated
    after today. A cell that holds an unreadable date is L305's already."""
    t = data.table(sc.ITEMS)
    for item, row in zip(data.items, data.item_rows):
        if item.status is m.Status.DONE and item.done_date is None and "done_date" not in row.bad:
            yield fnd.make(
                "L320",
                file=data.name,
                sheet=sc.ITEMS.name,
                cell=t.ref(_row(item.row), "done_date") if "done_date" in t.positions else None,
                item=item.id,
                detail="办理状态为「已办结」，但「办结日期」未填写。在补填之前，该事项按未办结计算。"
                "请填写办结日期",
            )
    if sc.REPORTS.name in data.tables:
        t = data.table(sc.REPORTS)
        unreadable = {f.cell for f in data.problems if f.sheet == sc.REPORTS.name}
        for r in data.reports:
            cell = t.ref(_row(r.row), "recorded") if "recorded" in t.positions else None
            if r.recorded is None and cell is not None and cell not in unreadable:
                yield fnd.make(
                    "L320",
                    file=data.name,
                    sheet=sc.REPORTS.name,
                    cell=cell,
                    item=r.item_id,
                    detail="这条办理记录没有「记录时间」。在补填之前，它不算作已报送。"
                    "请填写收到报送的日期和时间",
                )
    if sc.EXTENSIONS.name not in data.tables:
        return
    t = data.table(sc.EXTENSIONS)
    for e in data.extensions:
        where = dict(file=data.name, sheet=sc.EXTENSIONS.name, item=e.item_id)
        missing = rules.decision_incomplete(e)
        if missing is not None:
            f = "approved_on" if e.approved_on is None else "result"
            cell = t.ref(_row(e.row), f) if f in t.positions else None
            yield fnd.make(
                "L318",
                cell=cell,
                detail=f"{missing}。在补齐之前，该事项仍按申请延期、原时限计算",
                **where,
            )
        elif e.approved_on is not None and e.approved_on > today:
            cell = t.ref(_row(e.row), "approved_on") if "approved_on" in t.positions else None
            yield fnd.make(
                "L318",
                cell=cell,
                detail=f"审批日期 {e.approved_on} 晚于今天（{today}）。请核对审批日期；"
                "在该日期之前，这一审批不生效",
                **where,
            )


def _row(row: int | None) -> int:
    """Records read from the ledger know their row; the model keeps it optional for records
    built in code."""
    assert row is not None
    return row


def _items(data: LedgerData) -> Iterator[fnd.Finding]:
    t = data.table(sc.ITEMS)
    file, sheet = data.name, sc.ITEMS.name
    known_units = data.unit_names()
    clashes = data.unit_index().clashes
    first_row: dict[str, int] = {}

    def at(item: m.Item, f: str, code: str, **values) -> fnd.Finding:
        cell = t.ref(_row(item.row), f) if f in t.positions else None
        return fnd.make(code, file=file, sheet=sheet, cell=cell, item=item.id, **values)

    for item, row in zip(data.items, data.item_rows):
        if item.id:
            if item.id in first_row:
                yield at(item, "id", "L301", detail=first_row[item.id])
            else:
                first_row[item.id] = _row(item.row)
            if not ID_PATTERN.match(item.id):
                yield at(item, "id", "L302", actual=item.id)
        for f in _ALWAYS_REQUIRED + (("deadline",) if item.kind is m.ItemKind.REGULAR else ()):
            # a missing header is one L311 finding, not one L304 per row
            if f in t.positions and getattr(item, f) in (None, "", []) and f not in row.bad:
                detail = "（一般事项必须有完成时限）" if f == "deadline" else ""
                yield at(item, f, "L304", column=sc.ITEMS.column(f).header, detail=detail)
        for f, names in (
            ("lead_unit", [item.lead_unit] if item.lead_unit else []),
            ("co_units", item.co_units),
        ):
            for name in names:
                if name in clashes:
                    yield at(item, f, "L314", actual=name, detail=clashes[name].owners_text)
                elif name not in known_units:
                    yield at(item, f, "L303", column=sc.ITEMS.column(f).header, actual=name)
        if item.closed_date and not item.done_date:
            yield at(item, "closed_date", "L306")
        for f, label in (("deadline", "完成时限"), ("assigned", "交办日期")):
            day = getattr(item, f)
            if item.issued and day and day < item.issued:
                yield at(
                    item, f, "L310", detail=f"{label} {day} 早于印发日期 {item.issued}，请核对。"
                )


def _records(data: LedgerData) -> Iterator[fnd.Finding]:
    if "id" not in data.table(sc.ITEMS).positions:
        return  # without 事项编号 on 台账 every record would look orphaned: L311 says what to fix
    ids = {i.id for i in data.items if i.id}
    for spec, records in (
        (sc.REPORTS, data.reports),
        (sc.EXTENSIONS, data.extensions),
        (sc.REMINDERS, data.reminders),
    ):
        if spec.name not in data.tables:
            continue
        t = data.table(spec)
        for r in records:
            if r.item_id and r.item_id not in ids and "item_id" in t.positions:
                yield fnd.make(
                    "L307",
                    file=data.name,
                    sheet=spec.name,
                    cell=t.ref(_row(r.row), "item_id"),
                    item=r.item_id,
                )
    if sc.EXTENSIONS.name in data.tables:
        t = data.table(sc.EXTENSIONS)
        for e in data.extensions:
            if e.result is m.Approval.APPROVED and not e.granted_to and "granted_to" in t.positions:
                yield fnd.make(
                    "L308",
                    file=data.name,
                    sheet=sc.EXTENSIONS.name,
                    cell=t.ref(_row(e.row), "granted_to"),
                    item=e.item_id,
                )
            elif (
                e.result is m.Approval.APPROVED
                and e.old_deadline
                and e.granted_to
                and e.granted_to <= e.old_deadline
            ):
                yield fnd.make(
                    "L310",
                    file=data.name,
                    sheet=sc.EXTENSIONS.name,
                    cell=t.ref(_row(e.row), "granted_to"),
                    item=e.item_id,
                    detail=f"批准时限 {e.granted_to} 不晚于原时限 {e.old_deadline}，请核对。",
                )
