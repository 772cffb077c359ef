"""The sample old-style ledger has what offices' ledgers have (SPEC §12)."""

from __future__ import annotations

import openpyxl

from ledger_tools.demo.old_ledger import HEADERS, build_office_units, build_old_ledger


def test_two_sheets_merged_meetings_totals_and_odd_dates(tmp_path):
    wb = openpyxl.load_workbook(build_old_ledger(tmp_path / "old.xlsx"))
    assert wb.sheetnames == ["2025年", "2026年"]
    first = wb["2025年"]
    assert "A1:N1" in {str(r) for r in first.merged_cells.ranges}  # the title row
    assert "B3:B5" in {str(r) for r in first.merged_cells.ranges}  # one meeting's rows
    assert tuple(c.value for c in first[2]) == HEADERS
    assert any(c.value == "合计" for c in first["A"])
    deadlines = [c.value for c in first["H"][2:7]]
    assert "2025年12月底" in deadlines and 46022 in deadlines and "待定" in deadlines
    second = wb["2026年"]
    assert [c.value for c in second[6]][:2] == ["序号", "会议名称"]  # the header again


def test_the_office_units_list(tmp_path):
    ws = openpyxl.load_workbook(build_office_units(tmp_path / "units.xlsx")).active
    assert [c.value for c in ws[1]] == ["单位名称", "别名", "单位类别"]
    assert ws["B2"].value == "市发展改革委、市发改委"
