"""The review workbook of ``ledger minutes --preview``: what the import would add, for staff.

Three list sheets, print-ready like every list (A4 landscape, fit to width, header repeated,
page numbers): 拟交办事项 (one proposed 台账 row each, with the sentence of the minutes it came
from, so staff can compare), 未列入交办 (items without a concrete requirement, Art. 5(2)) and
待核对 (everything left blank because it could not be matched: a unit not in 单位, a leader
without a name, a deadline without a day), then 说明.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ledger_tools.core.minutes import MinutesReading
from ledger_tools.sheets.documents.notices import Column, ListSheet, write_list_workbook
from ledger_tools.sheets.files import output_workbook

__all__ = ["preview_target", "write_preview"]

PROPOSALS = "拟交办事项"
NOT_ASSIGNED = "未列入交办"
UNMATCHED = "待核对"


def preview_target(out: Path, ledger: Path) -> Path:
    """Where --preview writes, refused (before anything is read) where it would destroy a file:
    the ledger itself, another ledger, a folder, another suffix, a workbook open in Excel/WPS."""
    return output_workbook(
        out, ledger=ledger, what="预览", example="纪要导入预览.xlsx", option="--preview"
    )


def _sheets(reading: MinutesReading) -> list[ListSheet]:
    checks: dict[int, list[str]] = {}
    for u in reading.unmatched:
        checks.setdefault(u.item, []).append(f"{u.field}：{u.reason}")
    proposals = [
        {
            "序号": p.number,
            "来源类型": p.source_type.value,
            "来源名称": p.source_name,
            "印发日期": p.issued,
            "议定事项": p.matter,
            "办理要求": p.requirement,
            "责任领导": p.leader,
            "承办科室": p.section,
            "主责单位": p.lead_unit,
            "协办单位": "、".join(p.co_units),
            "事项类型": p.kind.value,
            "完成时限": p.deadline,
            "待核对": "\n".join([*checks.get(p.number, []), *p.notes]),
            "纪要原文": p.sentence,
        }
        for p in reading.proposals
    ]
    columns = (
        Column("序号", 6, "int"),
        Column("来源类型", 10),
        Column("来源名称", 24),
        Column("印发日期", 12, "date"),
        Column("议定事项", 24),
        Column("办理要求", 40),
        Column("责任领导", 12),
        Column("承办科室", 10),
        Column("主责单位", 18),
        Column("协办单位", 20),
        Column("事项类型", 8),
        Column("完成时限", 12, "date"),
        Column("待核对", 36),
        Column("纪要原文", 50),
    )
    left_out = [
        {"序号": i, "议定事项": n.matter, "纪要原文": n.sentence, "原因": n.reason}
        for i, n in enumerate(reading.not_assigned, start=1)
    ]
    unmatched = [
        {
            "事项序号": u.item,
            "项目": u.field,
            "纪要中的写法": u.value,
            "原因": u.reason,
            "纪要原文": u.sentence,
        }
        for u in reading.unmatched
    ]
    return [
        ListSheet(PROPOSALS, columns, proposals),
        ListSheet(
            NOT_ASSIGNED,
            (
                Column("序号", 6, "int"),
                Column("议定事项", 30),
                Column("纪要原文", 70),
                Column("原因", 36),
            ),
            left_out,
        ),
        ListSheet(
            UNMATCHED,
            (
                Column("事项序号", 8, "int"),
                Column("项目", 10),
                Column("纪要中的写法", 18),
                Column("原因", 40),
                Column("纪要原文", 70),
            ),
            unmatched,
        ),
    ]


def write_preview(path: Path, reading: MinutesReading, notes: Sequence[str]) -> Path:
    """Write the review workbook atomically (an open copy in Excel/WPS is refused as busy)."""
    title = f"纪要导入预览：{reading.source_name or reading.title or '会议纪要'}"
    return write_list_workbook(Path(path), _sheets(reading), title=title, notes=notes)
