"""The scoring workbook (扣分意见) of ``ledger score``: a summary per unit and the evidence.

After the two sheets, one referral-evidence sheet per unit that may be referred (Art. 10,
``core.referrals``): each item with its whole history, for staff to decide on a referral. The
sheet is named for the unit, made safe for Excel (31 characters, none of []:*?/\\, unique
whatever the case), so a long or odd unit name never stops the workbook being written.

It uses the same tables as the briefing's 扣分意见 sheet, so a unit's figures read the same in
both; the file is written through files.atomic_output (a temporary name beside the target,
then renamed), so a failed run never leaves half a workbook where the office expects one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from ledger_tools.core import scoring
from ledger_tools.core.dates import cn_date
from ledger_tools.core.model import Item, Settings
from ledger_tools.core.referrals import UnitCases
from ledger_tools.sheets.documents.tables import (
    EVIDENCE_COLS,
    SUMMARY_COLS,
    Col,
    Formats,
    new_workbook,
    page_setup,
    weights_note,
    write_deduction_evidence,
    write_deduction_summary,
    write_note,
    write_table,
)
from ledger_tools.sheets.files import atomic_output

__all__ = ["SHEET_EVIDENCE", "SHEET_SUMMARY", "referral_sheet_name", "write_scores"]

SHEET_SUMMARY = "扣分汇总"
SHEET_EVIDENCE = "扣分依据"


def _heading(ws, fm: Formats, cols, title: str, subtitle: str) -> None:
    last = len(cols) - 1
    ws.merge_range(0, 0, 0, last, title, fm.title)
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, last, subtitle, fm.subtitle)


def write_scores(
    path: Path,
    *,
    year: int,
    as_of: dt.date,
    settings: Settings,
    scores: Sequence[scoring.UnitScore],
    deductions: Sequence[scoring.Deduction],
    items: dict[str, Item],
    referrals: Sequence[UnitCases] = (),
) -> Path:
    """``items`` (id → item) and ``referrals`` are already redacted when confidential content
    must stay out."""
    path = Path(path)
    with atomic_output(path) as tmp:
        wb = new_workbook(tmp)
        wb.set_properties({"title": f"{year}年度扣分意见", "author": settings.office_name})
        fm = Formats(wb)
        total = scoring.fmt_points(round(sum(s.total for s in scores), 2))

        ws = wb.add_worksheet(SHEET_SUMMARY)
        _heading(
            ws,
            fm,
            SUMMARY_COLS,
            f"{settings.org_name}常务会议议定事项督查{year}年度扣分意见",
            f"截至{cn_date(as_of)}，拟对 {len(scores)} 个主责单位提出扣分意见，合计 {total} 分。",
        )
        end = write_deduction_summary(ws, fm, 2, scores)
        write_note(
            ws,
            fm,
            end + 1,
            SUMMARY_COLS,
            "依据《常务会议议定事项督查落实办法》第九条提出，供年度综合考评参考。"
            + weights_note(settings)
            + "逾期未落实：逾期且催办次数达到「催办升级次数」的事项，每件计一次；未按时报送：每月应报而未报或逾期报送，"
            "每期计一次；报送不实、措施不力：「核查结果」如此登记的事项。每条扣分的依据见「扣分依据」。",
        )
        ws.freeze_panes(3, 0)
        page_setup(ws, 2)
        ws.activate()

        ws = wb.add_worksheet(SHEET_EVIDENCE)
        _heading(
            ws,
            fm,
            EVIDENCE_COLS,
            f"{year}年度扣分依据",
            f"截至{cn_date(as_of)}，共 {len(deductions)} 条。",
        )
        end = write_deduction_evidence(ws, fm, 2, deductions, items)
        ws.autofilter(2, 0, max(end - 1, 2), len(EVIDENCE_COLS) - 1)
        ws.freeze_panes(3, 0)
        page_setup(ws, 2)

        taken = {SHEET_SUMMARY.casefold(), SHEET_EVIDENCE.casefold()}
        for unit in referrals:
            _referral_sheet(wb, fm, unit, referral_sheet_name(unit.unit, taken), as_of)
        wb.close()
    return path


REFERRAL_COLS = (
    Col("事项编号", 15, "name"),
    Col("议定事项", 24),
    Col("日期", 11, "date"),
    Col("类别", 6, "name"),
    Col("经办", 12, "text"),
    Col("内容", 60),
)
_NOT_IN_NAMES = str.maketrans({c: "_" for c in "[]:*?/\\"})


def referral_sheet_name(unit: str, taken: set[str]) -> str:
    """A sheet name for ``unit`` Excel accepts and no other sheet has (``taken`` is updated).

    Excel refuses names over 31 characters, with []:*?/\\, or starting or ending with an
    apostrophe, and treats names differing only in case as one.
    """
    base = unit.translate(_NOT_IN_NAMES).strip("'").strip() or "单位"
    name, n = base[:31], 1
    while name.casefold() in taken:
        n += 1
        tail = f"({n})"
        name = base[: 31 - len(tail)] + tail
    taken.add(name.casefold())
    return name


def _referral_sheet(wb, fm: Formats, unit: UnitCases, name: str, as_of: dt.date) -> None:
    ws = wb.add_worksheet(name)
    reasons = "、".join(dict.fromkeys(r.value for c in unit.cases for r in c.reasons))
    _heading(
        ws,
        fm,
        REFERRAL_COLS,
        f"{unit.unit}：移送问责参考材料",
        f"截至{cn_date(as_of)}，{len(unit.cases)} 个事项（{reasons}）。"
        "以下为各事项的报送、催办、延期全部记录，供研究是否按《办法》第十条移送问责，不作为结论。",
    )
    rows: list[list[object]] = []
    for case in unit.cases:
        basis = "；".join(case.evidence)
        rows.append([case.item.id, case.item.matter, None, "依据", None, basis])
        for e in case.history:
            rows.append([case.item.id, case.item.matter, e.date, e.kind, e.who, e.text])
        if not case.history:
            rows.append(
                [case.item.id, case.item.matter, None, "", None, "（没有报送、催办或延期记录）"]
            )
    end = write_table(ws, fm, 2, REFERRAL_COLS, rows)
    ws.autofilter(2, 0, max(end - 1, 2), len(REFERRAL_COLS) - 1)
    ws.freeze_panes(3, 0)
    page_setup(ws, 2)
