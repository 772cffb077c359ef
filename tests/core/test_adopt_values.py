"""The values of an old ledger, read as validate reads them and failing closed (SPEC §3, §12)."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger_tools.core.adopt_values import UnitNames, convert_row, unit_name


def _row(serial=None, units=None, **cells):
    return convert_row(
        "2025年",
        5,
        {h: (v, f"X{i}") for i, (h, v) in enumerate(cells.items(), start=1)},
        units=units or UnitNames(),
        serial=serial,
    )


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2025-3-5", dt.date(2025, 3, 5)),
        ("2025.3.5", dt.date(2025, 3, 5)),
        ("2025年3月5日", dt.date(2025, 3, 5)),
        ("20250305", dt.date(2025, 3, 5)),
        ("２０２５／３／５ ", dt.date(2025, 3, 5)),
        (dt.datetime(2025, 3, 5), dt.date(2025, 3, 5)),
        ("2025年6月底", dt.date(2025, 6, 30)),
        ("年底", dt.date(2025, 12, 31)),  # the year of 印发日期
    ],
)
def test_deadlines_in_every_shape(typed, day):
    out = _row(印发日期="2025-03-01", 完成时限=typed)
    assert out.values["完成时限"] == day and not out.problems
    assert out.values["事项类型"] == "一般"


def test_serial_numbers_through_the_callers_reader():
    out = _row(serial=lambda f: dt.date(1899, 12, 30) + dt.timedelta(days=f), 完成时限=46022)
    assert out.values["完成时限"] == dt.date(2025, 12, 31)
    assert _row(完成时限=46022).problems  # no reader: unreadable, never guessed


def test_unreadable_is_blank_kept_in_note_and_listed():
    out = _row(完成时限="待定", 备注="原备注", 印发日期="2025-02-30")
    assert "完成时限" not in out.values and "印发日期" not in out.values
    assert out.values["备注"].startswith("原备注；【导入】")
    assert "完成时限原填「待定」" in out.values["备注"]
    assert {(p.cell, p.header, p.raw) for p in out.problems} == {
        ("X1", "完成时限", "待定"),
        ("X3", "印发日期", "2025-02-30"),
    }


def test_long_term_words():
    out = _row(完成时限="长期")
    assert out.values["事项类型"] == "长期" and "完成时限" not in out.values


@pytest.mark.parametrize(
    ("typed", "value", "listed"),
    [
        (None, "否", False),
        ("否", "否", False),
        ("是", "是", False),
        ("√", "是", True),
        ("机密", "是", True),
        ("无", "是", True),
    ],
)
def test_confidential_fails_closed(typed, value, listed):
    out = _row(涉密=typed)
    assert out.values["涉密"] == value and bool(out.problems) is listed


def test_done_with_and_without_a_date():
    dated = _row(办理状态="已办结（2025.12.20）")
    assert dated.values["办理状态"] == "已办结"
    assert dated.values["办结日期"] == dt.date(2025, 12, 20) and not dated.problems
    column = _row(办理状态="是", 办结日期="2025-11-01")
    assert column.values["办结日期"] == dt.date(2025, 11, 1) and not column.problems
    undated = _row(办理状态="完成")
    assert undated.values["办理状态"] == "已办结" and "办结日期" not in undated.values
    assert [p.header for p in undated.problems] == ["办结日期"]
    assert "办理状态" not in _row(办理状态="否").values
    vague = _row(办理状态="基本完成")
    assert "办理状态" not in vague.values and vague.problems  # never more finished


def test_units_cleaned_and_merged_by_alias():
    names = UnitNames({"市发展和改革委员会": ("市发改委",)})
    out = _row(units=names, 主责单位=" 市发改委 ", 协办单位="市财政局， 市 审计局、市发改委")
    assert out.values["主责单位"] == "市发展和改革委员会"
    assert out.values["协办单位"] == ["市财政局", "市审计局"]
    assert out.units == ["市发展和改革委员会", "市财政局", "市审计局"]
    two = _row(主责单位="市财政局、市审计局")
    assert "主责单位" not in two.values and two.problems[0].header == "主责单位"
    assert unit_name("市\u3000财政局 ") == "市财政局"


def test_source_type_from_the_name_and_ids():
    assert _row(来源名称="市政府第3次常务会议").values["来源类型"] == "常务会议"
    assert _row(来源名称="张市长批示").values["来源类型"] == "领导批示"
    unknown = _row(来源名称="市政府工作报告")
    assert "来源类型" not in unknown.values and unknown.problems
    assert _row(事项编号="2025-CW03-01").values["事项编号"] == "2025-CW03-01"
    odd = _row(事项编号="7")
    assert "事项编号" not in odd.values and "原编号「7」" in odd.values["备注"]
