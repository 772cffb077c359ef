"""The --report workbook of check/merge: one row per finding, text kept as text, shared mode."""

from __future__ import annotations

import os
import stat

import openpyxl
import pytest

from ledger_tools.core.findings import FINDING_COLUMNS, make
from ledger_tools.errors import LedgerBusy, UsageError
from ledger_tools.sheets.documents.findings import (
    FILE_COLUMNS,
    SHEET_FILES,
    SHEET_FINDINGS,
    check_target,
    write_report,
)
from tests.builders import assert_print_ready, make_ledger, pdf_pages_landscape

FINDINGS = [
    make("R104", file="反馈表-东城区.xlsx", sheet="反馈表", cell="L6", item="2026-CW12-01"),
    make("F003", file='=HYPERLINK("x").xlsx', detail="=1+1 文件过大"),
]


def test_every_finding_is_a_row_and_unit_text_stays_text(tmp_path):
    path = write_report(
        tmp_path / "问题清单.xlsx",
        FINDINGS,
        [("反馈表-东城区.xlsx", "东城区", "2026-11", "已退回", 3, 1)],
    )
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [SHEET_FINDINGS, SHEET_FILES]
    rows = list(wb[SHEET_FINDINGS].values)
    assert rows[0] == FINDING_COLUMNS and len(rows) == 3
    assert rows[1][:7] == (
        "错误",
        "R104",
        "未填写进展",
        "反馈表-东城区.xlsx",
        "反馈表",
        "L6",
        "2026-CW12-01",
    )
    cells = list(wb[SHEET_FINDINGS].iter_rows(min_row=3, max_row=3))[0]
    assert {c.data_type for c in cells if c.value} == {"s"}  # never a formula
    assert rows[2][3] == '=HYPERLINK("x").xlsx'
    files = list(wb[SHEET_FILES].values)
    assert files[0] == FILE_COLUMNS and files[1][4:] == (3, 1)


@pytest.mark.posix_only  # file modes are POSIX
def test_the_report_gets_the_mode_of_any_new_file(tmp_path):
    saved = os.umask(0o022)
    try:
        path = write_report(tmp_path / "问题清单.xlsx", FINDINGS)
    finally:
        os.umask(saved)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # was mkstemp's 0600


def test_a_report_open_in_excel_is_busy_and_stays(tmp_path):
    path = tmp_path / "问题清单.xlsx"
    path.write_bytes(b"old")
    (tmp_path / "~$问题清单.xlsx").write_bytes(b"owner")
    with pytest.raises(LedgerBusy):
        write_report(path, FINDINGS)
    assert path.read_bytes() == b"old"


def test_the_ledger_or_a_missing_folder_is_refused_before_any_work(tmp_path):
    ledger = make_ledger(tmp_path / "台账.xlsx")
    with pytest.raises(UsageError, match="台账本身"):
        check_target(ledger, ledger)
    with pytest.raises(UsageError, match="找不到文件夹"):
        check_target(tmp_path / "无此文件夹" / "问题清单.xlsx", ledger)
    assert check_target(tmp_path / "问题清单", ledger) == tmp_path / "问题清单.xlsx"


def test_both_sheets_print_a4_landscape_one_page_wide_with_the_header_repeated(tmp_path):
    path = write_report(
        tmp_path / "问题清单.xlsx", FINDINGS * 50, [("a.xlsx", "东城区", "2026-11", "已退回", 3, 1)]
    )
    wb = openpyxl.load_workbook(path)
    for name in (SHEET_FINDINGS, SHEET_FILES):
        assert_print_ready(wb[name], 1)


@pytest.mark.slow
def test_libreoffice_prints_the_findings_workbook_landscape(tmp_path):
    from tests.realclient.lo import convert, require_soffice

    require_soffice()
    path = write_report(tmp_path / "问题清单.xlsx", FINDINGS * 60)
    pages = pdf_pages_landscape(convert(path, "pdf", tmp_path / "pdf"))
    assert len(pages) >= 2 and all(pages), pages
