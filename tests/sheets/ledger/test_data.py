"""Reading the ledger into model objects: bad cells become findings naming the cell, and only a
workbook that is no ledger at all is refused."""

import datetime as dt

import openpyxl
import pytest

from ledger_tools.core import model as m
from ledger_tools.errors import InputRejected, NotALedger
from ledger_tools.sheets.ledger.data import read_ledger, require_clean
from ledger_tools.sheets.ledger.file import LedgerFile
from tests.builders import item, make_ledger


def _read(path, **kw):
    with LedgerFile(path, **kw) as lf:
        return read_ledger(lf)


@pytest.mark.parametrize("fast_read", [True, False], ids=["calamine", "openpyxl"])
def test_items_units_and_settings_are_read(tmp_path, fast_read):
    path = make_ledger(
        tmp_path / "台账.xlsx",
        [item(协办单位="西山县、南湖县", 涉密="是")],
        settings={"临期预警工作日": 7},
    )
    data = _read(path, fast_read=fast_read)
    (it,) = data.items
    assert it.row == 2 and it.lead_unit == "东城区人民政府" and it.co_units == ["西山县", "南湖县"]
    assert it.deadline == dt.date(2026, 12, 31) and it.kind is m.ItemKind.parse("一般")
    assert it.confidential is True
    assert data.settings.warn_workdays == 7 and data.settings.report_day == 25
    assert data.canonical_unit("东城区") == "东城区人民政府"
    assert data.canonical_unit("不认识的单位") == "不认识的单位"
    assert len(data.ledger_id) == 32 and len(data.signing_key) == 64
    assert data.problems == []


def test_the_same_values_whichever_engine_read_them(tmp_path):
    path = make_ledger(tmp_path / "台账.xlsx", [item(), item(事项类型="长期", 完成时限=None)])
    assert _read(path, fast_read=True).items == _read(path, fast_read=False).items


def test_an_item_is_made_as_its_constructor_makes_it(tmp_path):
    """``_item`` fills the instance's dict at once: the same fields, in the same order, as
    ``Item(row=..., **values)``, every 台账 field being an Item field."""
    from ledger_tools.sheets.ledger import schema as sc

    assert {c.field for c in sc.ITEMS.columns} <= set(m.Item.__dataclass_fields__)
    path = make_ledger(
        tmp_path / "台账.xlsx", [item(协办单位="西山县", 涉密="√"), item(完成时限="明年")]
    )
    for it in _read(path).items:
        made = m.Item(**{f: getattr(it, f) for f in m.Item.__dataclass_fields__})
        assert list(vars(it).items()) == list(vars(made).items())
    assert _read(path).items[1].co_units == [] and _read(path).items[1].deadline_unreadable


def test_a_bad_cell_is_a_finding_naming_the_cell(tmp_path):
    path = make_ledger(tmp_path / "台账.xlsx", [item(完成时限="明年")], settings={"月报截止日": 40})
    data = _read(path)
    by_code = {f.code: f for f in data.problems}
    assert by_code["L305"].cell == "L2" and "明年" in by_code["L305"].message
    assert by_code["L312"].sheet == "设置"
    assert data.items[0].deadline is None and data.settings.report_day == 25


def test_a_missing_sheet_or_header_is_found_and_blocks_commands(tmp_path):
    path = make_ledger(tmp_path / "台账.xlsx", [item()])
    wb = openpyxl.load_workbook(path)
    del wb["催办记录"]
    for cell in wb["台账"][1]:
        if cell.value == "主责单位":
            cell.value = "牵头单位"
    wb.save(path)
    data = _read(path)
    details = [f.message for f in data.problems if f.code == "L311"]
    assert any("催办记录" in d for d in details) and any("主责单位" in d for d in details)
    with pytest.raises(InputRejected, match="结构有问题"):
        require_clean(data)


def test_a_workbook_without_the_ledger_sheets_is_not_a_ledger(tmp_path):
    path = tmp_path / "别的.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "台账"
    wb.save(path)
    with pytest.raises(NotALedger, match="不是 ledger 台账"):
        _read(path)


# --- issue 12: the calendar a ledger gives, merged ranges seen by either engine -------------


def test_a_year_is_confirmed_by_已确认调休年份_not_by_one_calendar_row(tmp_path):
    from ledger_tools.core.calendar import WorkCalendar

    if WorkCalendar().is_confirmed(2027):
        pytest.skip("the installed holidays package already knows 2027")
    one_row = [{"日期": dt.date(2027, 2, 20), "类型": "工作日", "说明": "调休上班"}]
    items = [item(完成时限=dt.date(2027, 3, 31))]
    plain = make_ledger(tmp_path / "a.xlsx", items, calendar=one_row)
    stats = _read(plain).recompute(dt.date(2026, 11, 20), write=False)
    assert stats.unconfirmed_years == [2027]
    confirmed = make_ledger(
        tmp_path / "b.xlsx", items, calendar=one_row, settings={"已确认调休年份": "2027"}
    )
    data = _read(confirmed)
    assert data.confirmed_years == {2027} and data.calendar().is_workday(dt.date(2027, 2, 20))
    assert data.recompute(dt.date(2026, 11, 20), write=False).unconfirmed_years == []


@pytest.mark.parametrize("fast_read", [True, False], ids=["calamine", "openpyxl"])
def test_merged_ranges_are_seen_by_either_engine(tmp_path, fast_read):
    path = make_ledger(tmp_path / "t.xlsx", [item(), item()])
    wb = openpyxl.load_workbook(path)
    col = next(c.column_letter for c in wb["台账"][1] if c.value == "本期报送")
    wb["台账"].merge_cells(f"{col}2:{col}3")
    wb.save(path)
    data = _read(path, fast_read=fast_read)
    assert [f.cell for f in data.problems if f.code == "L315"] == [f"{col}2:{col}3"]
    table = data.tables["台账"]
    assert table.merged_range(3, "period_flag") == f"{col}2:{col}3"
    assert table.merged_range(3, "alert") is None


@pytest.mark.parametrize("fast_read", [True, False], ids=["calamine", "openpyxl"])
def test_every_weight_is_read_as_a_decimal(tmp_path, fast_read):
    path = make_ledger(
        tmp_path / "台账.xlsx",
        [item()],
        settings={
            "扣分_逾期未落实": 1.5,
            "扣分_报送不实": "2.5",
            "扣分_措施不力": 0.75,
            "扣分_未按时报送": "０.２５",
        },
    )
    s = _read(path, fast_read=fast_read).settings
    assert (s.weight_overdue, s.weight_false_report, s.weight_ineffective) == (1.5, 2.5, 0.75)
    assert s.weight_missed_report == 0.25


@pytest.mark.parametrize(
    "key, value",
    [
        ("扣分_逾期未落实", "一点五"),
        ("扣分_报送不实", -1),
        ("交办时限工作日", 3.5),  # a whole number of working days: 3.5 is no rule the tool may cut
        ("月报截止日", 40),
        ("催办升级次数", "两次"),
    ],
)
def test_an_unreadable_setting_names_its_cell_and_blocks_commands(tmp_path, key, value):
    path = make_ledger(tmp_path / "台账.xlsx", [item()], settings={key: value})
    data = _read(path)
    (f,) = [f for f in data.problems if f.code == "L312"]
    row = next(
        r for r in range(2, 20) if openpyxl.load_workbook(path)["设置"][f"A{r}"].value == key
    )
    assert (
        f.sheet == "设置" and f.cell == f"B{row}" and key in f.message and str(value) in f.message
    )
    with pytest.raises(InputRejected, match="须先改正") as refused:
        require_clean(data)
    assert f"B{row}" in str(refused.value) and "台账未作修改" in str(refused.value)
