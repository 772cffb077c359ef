"""The scoring workbook (扣分意见): a summary per unit and the evidence of every deduction."""

from __future__ import annotations

import datetime as dt
import os
import stat

import openpyxl
import pytest

from ledger_tools.core import scoring
from ledger_tools.core.model import Item, Settings
from ledger_tools.errors import LedgerBusy
from ledger_tools.sheets.documents.scores import (
    SHEET_EVIDENCE,
    SHEET_SUMMARY,
    referral_sheet_name,
    write_scores,
)

AS_OF = dt.date(2026, 12, 31)
DEDUCTIONS = [
    scoring.Deduction(
        "东城区人民政府",
        scoring.Reason.OVERDUE,
        "2026-CW12-01",
        dt.date(2026, 10, 9),
        1.0,
        "逾期且催办 2 次",
    ),
    scoring.Deduction(
        "东城区人民政府",
        scoring.Reason.MISSED_REPORT,
        "2026-CW12-01",
        dt.date(2026, 11, 26),
        0.5,
        "11 月未报送",
        period="2026-11",
    ),
    scoring.Deduction(
        "市财政局",
        scoring.Reason.FALSE_REPORT,
        "2026-CW12-02",
        dt.date(2026, 9, 1),
        2.0,
        "核查结果：报送不实",
    ),
]
ITEMS = {
    "2026-CW12-01": Item(id="2026-CW12-01", matter="=老旧小区改造"),
    "2026-CW12-02": Item(id="2026-CW12-02", matter="预算执行"),
}


def _write(path):
    return write_scores(
        path,
        year=2026,
        as_of=AS_OF,
        settings=Settings(),
        scores=scoring.summarise(DEDUCTIONS),
        deductions=DEDUCTIONS,
        items=ITEMS,
    )


def _texts(ws) -> str:
    return "\n".join(str(v) for row in ws.values for v in row if v is not None)


def test_summary_and_evidence_sheets_carry_every_deduction(tmp_path):
    wb = openpyxl.load_workbook(_write(tmp_path / "扣分意见-2026.xlsx"))
    assert wb.sheetnames[:2] == [SHEET_SUMMARY, SHEET_EVIDENCE]
    summary = _texts(wb[SHEET_SUMMARY])
    assert "2026年度扣分意见" in summary and "合计 3.5 分" in summary
    assert "东城区人民政府" in summary and "市财政局" in summary
    evidence = wb[SHEET_EVIDENCE]
    text = _texts(evidence)
    assert "共 3 条" in text and "逾期且催办 2 次" in text and "核查结果：报送不实" in text
    formulas = [c for row in evidence.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []  # a matter typed with = stays text


@pytest.mark.posix_only  # file modes are POSIX
def test_the_workbook_gets_the_mode_of_any_new_file_and_replaces_an_old_one(tmp_path):
    path = tmp_path / "扣分意见-2026.xlsx"
    path.write_bytes(b"an older run")
    os.chmod(path, 0o664)
    _write(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o664  # the replaced file's own mode
    saved = os.umask(0o022)
    try:
        fresh = _write(tmp_path / "新.xlsx")
    finally:
        os.umask(saved)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_workbook_open_in_excel_is_busy_and_stays(tmp_path):
    path = tmp_path / "扣分意见-2026.xlsx"
    path.write_bytes(b"old")
    (tmp_path / ".~lock.扣分意见-2026.xlsx#").write_bytes(b"owner")
    with pytest.raises(LedgerBusy):
        _write(path)
    assert path.read_bytes() == b"old"


def test_referral_sheet_names_are_safe_and_unique_for_excel():
    taken = {"扣分汇总", "扣分依据"}
    long = "市" + "很长的名字" * 10 + "局"
    first = referral_sheet_name(long, taken)
    second = referral_sheet_name(long, taken)
    assert len(first) == 31 and len(second) <= 31 and first != second and second.endswith("(2)")
    assert referral_sheet_name("甲[乙]:丙*?/\\", taken) == "甲_乙__丙____"
    assert referral_sheet_name("'扣分汇总'", taken) == "扣分汇总(2)"
    assert (
        referral_sheet_name("Abc", taken) == "Abc" and referral_sheet_name("aBC", taken) == "aBC(2)"
    )
