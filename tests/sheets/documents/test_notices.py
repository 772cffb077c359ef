"""The office's list workbooks (电话督办清单, 抽查清单): print-ready, text stays text."""

from __future__ import annotations

import datetime as dt
import os
import stat

import openpyxl
import pytest

from ledger_tools.errors import LedgerBusy, UsageError
from ledger_tools.sheets.documents.notices import Column, ListSheet, write_list_workbook

COLUMNS = (
    Column("序号", 6, "int"),
    Column("单位", 20),
    Column("当前时限", 12, "date"),
    Column("催办方式", 12, choices=("电话督办", "书面督办"), blank=True),
    Column("备注", 30, blank=True),
)
ROWS = [
    {"序号": 1, "单位": "东城区人民政府", "当前时限": dt.date(2026, 12, 31)},
    {"序号": 2, "单位": "=SUM(A1:A9)\x0b", "当前时限": None, "备注": "http://example.com"},
]


def _write(path):
    return write_list_workbook(
        path, ListSheet("电话督办清单", COLUMNS, ROWS), title="电话督办清单", notes=["第一条说明"]
    )


def test_the_list_has_its_header_rows_and_a_notes_sheet(tmp_path):
    wb = openpyxl.load_workbook(_write(tmp_path / "电话督办清单.xlsx"))
    assert wb.sheetnames == ["电话督办清单", "说明"]
    ws = wb["电话督办清单"]
    assert [c.value for c in ws[1]] == [c.header for c in COLUMNS]
    assert ws["A2"].value == 1 and ws["C2"].value == dt.datetime(2026, 12, 31)
    assert ws["B3"].value == "=SUM(A1:A9)" and ws["B3"].data_type == "s"  # text, not a formula
    assert ws["E3"].value == "http://example.com" and ws["E3"].hyperlink is None
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    choices = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"电话督办,书面督办"' in choices
    assert wb["说明"]["A1"].value == "电话督办清单" and wb["说明"]["A3"].value == "第一条说明"


@pytest.mark.posix_only  # file modes are POSIX
def test_the_list_gets_the_mode_of_any_new_file(tmp_path):
    saved = os.umask(0o022)
    try:
        path = _write(tmp_path / "电话督办清单.xlsx")
    finally:
        os.umask(saved)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_list_open_in_excel_is_busy_and_a_file_as_folder_is_refused(tmp_path):
    path = tmp_path / "抽查清单.xlsx"
    path.write_bytes(b"old")
    (tmp_path / "~$抽查清单.xlsx").write_bytes(b"owner")
    with pytest.raises(LedgerBusy):
        _write(path)
    assert path.read_bytes() == b"old"
    with pytest.raises(UsageError, match="是一个文件"):
        _write(path / "清单.xlsx")
