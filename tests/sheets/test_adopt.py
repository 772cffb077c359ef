"""Reading an old ledger: merged cells shown on every row they cover, in xlsx and ods; --map."""

from __future__ import annotations

import openpyxl
import pytest

from ledger_tools.errors import UsageError
from ledger_tools.sheets.adopt import a1, read_map, read_old
from ledger_tools.sheets.returned.limits import ReturnedFileError
from tests.builders import build_ods, ods_text


def test_xlsx_merges_are_shown_and_own_values_kept(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "标题"
    ws.merge_cells("A1:C1")
    ws["A2"], ws["B2"] = "第3次常务会议", "甲"
    ws["B3"] = "乙"
    ws.merge_cells("A2:A3")
    wb.save(tmp_path / "old.xlsx")
    sheet = read_old(tmp_path / "old.xlsx").sheets[0]
    assert sheet.shown[0] == ["标题"] * 3
    assert [r[0] for r in sheet.shown[1:3]] == ["第3次常务会议"] * 2
    assert sheet.own[2][0] is None and sheet.span(2, 0) == ((1, 0), (2, 0))


def test_ods_merges_from_content_xml(tmp_path):
    table = (
        '<table:table-row><table:table-cell table:number-columns-spanned="2" '
        'office:value-type="string"><text:p>标题</text:p></table:table-cell>'
        "<table:covered-table-cell/></table:table-row>"
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
        '<table:table-row><table:table-cell table:number-rows-spanned="2" '
        'office:value-type="string"><text:p>会议</text:p></table:table-cell>'
        f"{ods_text('甲')}</table:table-row>"
        f"<table:table-row><table:covered-table-cell/>{ods_text('乙')}</table:table-row>"
    )
    path = tmp_path / "old.ods"
    path.write_bytes(build_ods({"2025年": table}))
    sheet = read_old(path).sheets[0]
    assert sheet.merges == [((0, 0), (0, 1)), ((3, 0), (4, 0))]
    assert sheet.shown[0][:2] == ["标题", "标题"]
    assert sheet.shown[4][:2] == ["会议", "乙"]


def test_a_damaged_file_is_refused(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"PK\x03\x04broken")
    with pytest.raises(ReturnedFileError):
        read_old(path)


def test_a1():
    assert a1(0, 0) == "A1" and a1(6, 27) == "AB7"


def test_read_map(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(("原表头", "台账表头"))
    wb.active.append((" 牵头单位 ", "主责单位"))
    wb.active.append(("督查人员", None))
    wb.save(tmp_path / "map.xlsx")
    assert read_map(tmp_path / "map.xlsx") == [(2, "牵头单位", "主责单位"), (3, "督查人员", "")]
    (tmp_path / "map.csv").write_text("原表头,台账表头\n进展情况,最新进展\n", encoding="gb18030")
    assert read_map(tmp_path / "map.csv") == [(2, "进展情况", "最新进展")]
    (tmp_path / "bad.csv").write_text("甲,乙\n", encoding="utf-8")
    with pytest.raises(UsageError, match="原表头"):
        read_map(tmp_path / "bad.csv")
    with pytest.raises(UsageError, match="找不到对照表"):
        read_map(tmp_path / "none.xlsx")
