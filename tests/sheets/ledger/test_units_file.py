"""Reading the staff's list of units for ``ledger init``: by header text, as .xlsx or .csv."""

import openpyxl
import pytest

from ledger_tools.errors import UsageError
from ledger_tools.sheets.ledger.units_file import read_units


def _xlsx(path, rows, sheet="Sheet"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_units_are_read_by_header_in_any_column_order(tmp_path):
    path = _xlsx(
        tmp_path / "单位名单.xlsx",
        [
            ["联系电话", "单位名称", "备注", "别名", "单位类别"],
            ["0875-1", " 东城区人民政府 ", "员工的列", "东城区、东城区政府", "县市区"],
            [None, None, None, None, None],
            [13800000000, "市教育局", None, None, "市直部门"],
        ],
    )
    notes = []
    units = read_units(path, notes)
    assert [u.name for u in units] == ["东城区人民政府", "市教育局"]
    assert units[0].aliases == ["东城区", "东城区政府"] and units[0].category == "县市区"
    assert units[0].phone == "0875-1" and units[1].phone == "13800000000"
    assert units[1].section is None and notes == []


def test_a_sheet_named_units_is_preferred(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["说明"])
    ws = wb.create_sheet("单位")
    ws.append(["单位名称"])
    ws.append(["西山县人民政府"])
    wb.save(tmp_path / "名单.xlsx")
    assert [u.name for u in read_units(tmp_path / "名单.xlsx")] == ["西山县人民政府"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_csv_in_utf8_or_gbk(tmp_path, encoding):
    path = tmp_path / "单位.csv"
    path.write_text("单位名称,别名\n南湖县人民政府,南湖县\n", encoding=encoding)
    (unit,) = read_units(path)
    assert unit.name == "南湖县人民政府" and unit.aliases == ["南湖县"]


def test_a_repeated_name_and_an_unknown_category_are_told(tmp_path):
    path = _xlsx(
        tmp_path / "名单.xlsx",
        [["单位名称", "单位类别"], ["甲局", "市直部门"], ["甲局", "县市区"], ["乙局", "局"]],
    )
    notes = []
    units = read_units(path, notes)
    assert [(u.name, u.category) for u in units] == [("甲局", "市直部门"), ("乙局", None)]
    assert "第 3 行" in notes[0] and "重复" in notes[0]
    assert "第 4 行" in notes[1] and "「局」" in notes[1]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p.write_bytes(b""), "空文件"),
        (lambda p: _xlsx(p, [["名称", "别名"], ["甲局", None]]), "单位名称"),
        (lambda p: p.write_bytes(b"not a workbook at all"), "无法读取"),
        (lambda p: p.mkdir(), "是文件夹"),
    ],
    ids=["empty", "no-header", "not-a-workbook", "folder"],
)
def test_what_cannot_be_a_units_list_is_refused_in_chinese(tmp_path, make, message):
    path = tmp_path / "名单.xlsx"
    make(path)
    with pytest.raises(UsageError, match=message):
        read_units(path)


def test_a_missing_file_names_the_option(tmp_path):
    with pytest.raises(UsageError, match="--units"):
        read_units(tmp_path / "没有.xlsx")
