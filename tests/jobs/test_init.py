import openpyxl
import pytest

from ledger_tools.errors import UsageError
from ledger_tools.jobs import init
from ledger_tools.sheets.ledger import schema as sc
from tests.builders import sha


def test_init_lays_out_every_sheet_and_header_in_order(tmp_path):
    path = tmp_path / "台账.xlsx"
    result = init.run(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [s.name for s in sc.SHEETS]
    for sheet in sc.SHEETS:
        if sheet.columns:
            assert [c.value for c in wb[sheet.name][1]][: len(sheet.columns)] == sheet.headers
    assert wb["_系统"].sheet_state == "veryHidden"
    system = {r[0].value: r[1].value for r in wb["_系统"].iter_rows(min_row=2)}
    assert system["ledger_id"] == result.ledger_id and len(system["signing_key"]) == 64
    items = wb["台账"]
    assert items.freeze_panes == "A2" and items.auto_filter.ref.startswith("A1:")


def test_drop_downs_cover_whole_columns_of_every_closed_value_set(tmp_path):
    path = tmp_path / "台账.xlsx"
    init.run(path)
    wb = openpyxl.load_workbook(path)
    for sheet in sc.SHEETS:
        choice_cols = [i for i, c in enumerate(sheet.columns, 1) if c.kind == "choice"]
        if not choice_cols:
            continue
        ws = wb[sheet.name]
        covered = {str(r) for dv in ws.data_validations.dataValidation for r in dv.sqref.ranges}
        for i in choice_cols:
            letter = openpyxl.utils.get_column_letter(i)
            assert f"{letter}2:{letter}1048576" in covered, (sheet.name, letter)


def test_alert_column_has_traffic_light_formatting(tmp_path):
    path = tmp_path / "台账.xlsx"
    init.run(path)
    ws = openpyxl.load_workbook(path)["台账"]
    letter = openpyxl.utils.get_column_letter(sc.ITEMS.headers.index("督办预警") + 1)
    rules = [
        r for cf in ws.conditional_formatting for r in cf.rules if str(cf.sqref).startswith(letter)
    ]
    formulas = {r.formula[0].strip('"') for r in rules}
    assert {"逾期", "交办超时", "未按时报送", "临期", "已销号", "按期办结"} <= formulas


def test_settings_defaults(tmp_path):
    path = tmp_path / "台账.xlsx"
    init.run(path)
    ws = openpyxl.load_workbook(path)["设置"]
    values = {r[0].value: r[1].value for r in ws.iter_rows(min_row=2)}
    assert values["交办时限工作日"] == 3 and values["月报截止日"] == 25
    assert values["交办文号格式"] == "督查通〔{年}〕{序号}号"
    assert len(values) == len(sc.SETTING_KEYS)


def test_refuses_to_overwrite(tmp_path):
    path = tmp_path / "台账.xlsx"
    init.run(path)
    digest = sha(path)
    with pytest.raises(UsageError):
        init.run(path)
    assert sha(path) == digest


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_units_from_a_list(tmp_path, suffix):
    rows = [
        ["单位名称", "别名", "单位类别", "联系人", "联系电话"],
        ["市财政局", "财政局、市财政", "市直部门", "周强", 13800000000],
        ["东城区人民政府", "东城区", "县市区", "李明", "0875-1"],
    ]
    src = tmp_path / f"units{suffix}"
    if suffix == ".csv":
        src.write_text("\n".join(",".join(str(c) for c in r) for r in rows), encoding="utf-8-sig")
    else:
        wb = openpyxl.Workbook()
        for r in rows:
            wb.active.append(r)
        wb.save(src)
    path = tmp_path / "台账.xlsx"
    assert init.run(path, src).units == 2
    ws = openpyxl.load_workbook(path)["单位"]
    got = [[c.value for c in r][:6] for r in ws.iter_rows(min_row=2)]
    assert got[0][:3] == ["市财政局", "财政局、市财政", "市直部门"]
    assert got[0][5] == "13800000000"


def test_a_name_two_units_share_in_the_unit_list_is_told_l314(tmp_path):
    src = tmp_path / "单位.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位名称", "别名"])
    ws.append(["东城区人民政府", "东城区、城区"])
    ws.append(["西山县人民政府", "西山县、城区"])
    wb.save(src)
    result = init.run(tmp_path / "台账.xlsx", src)
    assert result.units == 2
    (note,) = [n for n in result.notes if "L314" in n]
    assert "「城区」" in note and "「东城区人民政府」、「西山县人民政府」" in note
