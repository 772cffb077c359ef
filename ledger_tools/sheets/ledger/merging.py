"""What a merge writes into the ledger, and what earlier merges left in 导入记录.

``core.intake.plan_merge`` decides; this is the one place that turns its plan into rows and
cells: appended 办理记录, 延期记录 and 导入记录 rows, and the unit-owned (U) cells of 台账, with
the model objects kept in step so that the recomputation after it sees the merged state.
"""

from __future__ import annotations

from ledger_tools.core.intake import ImportRecord, MergePlan
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.data import LedgerData
from ledger_tools.sheets.ledger.tables import Table
from ledger_tools.sheets.ledger.value_book import paused_gc

__all__ = ["CONTENT", "FORM_MADE", "apply_merge", "import_records"]

FORM_MADE = "form_made"  # 导入记录: when the file's form was made (its `_meta` generation time)
CONTENT = "content"  # 导入记录 内容指纹: what the unit filled in (core.returns)
_IMPORT_FIELDS = tuple(c.field for c in sc.IMPORTS.columns)
_REPORT_FIELDS = tuple(c.field for c in sc.REPORTS.columns)
_REQUEST_FIELDS = ("item_id", "requested", "unit", "old_deadline", "requested_to", "reason")


def _imports(data: LedgerData, *, for_writing: bool = False) -> Table:
    """导入记录; a ledger made before 表格生成时间 / 内容指纹 existed gains those headers (in that
    order, after the staff's own columns) when written to."""
    table = data.table(sc.IMPORTS)
    if for_writing:
        table.add_column(FORM_MADE)
        table.add_column(CONTENT)
    return table


def import_records(data: LedgerData) -> list[ImportRecord]:
    """Every 导入记录 row as read (a column the ledger lacks reads as blank)."""
    return [
        ImportRecord(**{f: row.get(f) for f in _IMPORT_FIELDS}) for row in _imports(data).rows()
    ]


def apply_merge(data: LedgerData, plan: MergePlan) -> None:
    """Append the plan's rows and update the 台账 rows it names, cells and model objects
    (with the garbage collector paused: thousands of writes make no reference cycle)."""
    with paused_gc():
        _apply(data, plan)


def _apply(data: LedgerData, plan: MergePlan) -> None:
    reports, extensions, items = (
        data.table(sc.REPORTS),
        data.table(sc.EXTENSIONS),
        data.table(sc.ITEMS),
    )
    reports.append_rows(
        {f: v for f in _REPORT_FIELDS if (v := getattr(report, f)) is not None}
        for report in plan.reports
    )
    data.reports.extend(plan.reports)
    for update in plan.updates:
        item = update.item
        for f, value in update.changes.items():
            setattr(item, f, value)
            if item.row is not None:
                items.set(item.row, f, value)
    extensions.append_rows({f: getattr(x, f) for f in _REQUEST_FIELDS} for x in plan.extensions)
    data.extensions.extend(plan.extensions)
    table = _imports(data, for_writing=True)
    table.append_rows({f: getattr(record, f) for f in _IMPORT_FIELDS} for record in plan.imports)
