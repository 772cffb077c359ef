"""Header mapping and row recognition of an office's old ledger (SPEC §12)."""

from __future__ import annotations

import pytest

from ledger_tools.core import adopt as ca
from ledger_tools.sheets.ledger import schema as sc


def test_every_synonym_names_a_ledger_header_and_no_word_two():
    assert set(ca.SYNONYMS) <= set(sc.ITEMS.headers)
    words = [ca.fold_header(w) for ws in ca.SYNONYMS.values() for w in ws]
    assert len(words) == len(set(words))


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("牵头单位", "主责单位"),
        ("主办单位", "主责单位"),
        ("责任单位", "主责单位"),
        ("配合单位", "协办单位"),
        ("协办单位", "协办单位"),
        ("分管领导", "责任领导"),
        ("会议名称", "来源名称"),
        ("来源", "来源名称"),
        ("完成时限", "完成时限"),
        ("办结时限", "完成时限"),
        ("时间节点", "完成时限"),
        ("进展情况", "最新进展"),
        ("落实情况", "最新进展"),
        ("是否办结", "办理状态"),
        ("办理结果", "办理状态"),
        (" 牵头单位* ", "主责单位"),
        ("完成时限（时间节点）", "完成时限"),
        ("是否涉密：", "涉密"),
    ],
)
def test_spec_synonyms(header, target):
    assert ca.match_header(header)[0] == target


def test_serial_and_tool_columns_are_not_adopted():
    assert ca.match_header("序号") == (None, "序号不导入")
    assert ca.match_header("督办预警") == (None, "工具计算列不导入")
    assert ca.match_header("督查人员") == (None, "")


def test_header_row_found_under_a_title_row():
    rows = [
        ["2025年督查台账", "2025年督查台账"],
        [None],
        ["序号", "会议名称", "议定事项", "牵头单位", "完成时限"],
        [1, "第3次常务会议", "事项", "市财政局", "2025-6-30"],
    ]
    assert ca.find_header_row(rows) == 2
    assert ca.find_header_row([["标题"], ["说明", "其他"]]) is None


def test_plan_columns_overrides_duplicates_and_custom_names():
    plans = ca.plan_columns(
        ["序号", "牵头单位", "责任单位", "督查人员", "最新进展", "当前时限", "备注", "督查人员"],
        {"最新进展": ca.CUSTOM, "备注": ca.IGNORE},
        sc.ITEMS.headers,
    )
    by = {p.index: p for p in plans}
    assert by[0].target is None and by[0].custom is None
    assert by[1].target == "主责单位" and by[1].how == "同义词"
    assert by[2].target is None and by[2].custom == "责任单位"  # the first lead-unit column wins
    assert by[3].custom == "督查人员" and by[7].custom == "督查人员(2)"
    assert by[4].custom == "原表·最新进展" and by[4].how == "按 --map 保留"  # not a 台账 header
    assert by[5].target is None and by[5].custom is None  # tool-computed
    assert by[6].lands_as == "不导入"


def _kind(own, shown=None, header=("序号", "议定事项", "牵头单位", "完成时限")):
    plans = ca.plan_columns(header, {}, sc.ITEMS.headers)
    return ca.row_kind(own, shown if shown is not None else own, header, plans)


def test_row_kinds():
    assert _kind([1, "事项", "市财政局", "2025-6-30"]) is None
    assert _kind([None, None, None, None]) == "空行"
    assert _kind([2, None, None, None]) == "空行"  # only a 序号
    assert _kind(["序号", "议定事项", "牵头单位", "完成时限"]) == "重复表头"
    assert _kind(["合计", "共 5 项", None, None]) == "合计行"
    assert _kind([None, "总计：12项", None, None]) == "合计行"
    heading = "一、市政府2025年第3次常务会议"
    assert _kind([heading, None, None, None], [heading] * 4) == "标题行"
    assert _kind([None, "注：本表由督查室填写", None, None]) == "说明行"
    # a row that only shows a meeting's merged name is blank
    header = ("会议名称", "议定事项", "牵头单位")
    assert _kind([None, None, None], ["第3次常务会议", None, None], header) == "空行"


def test_heading_and_sheet_context():
    assert ca.heading_source("一、市政府2025年第3次常务会议") == "市政府2025年第3次常务会议"
    assert ca.heading_source("一、经济发展类") is None
    assert ca.sheet_context("2025年").year == 2025
    assert ca.sheet_context("2025年").note == "原工作表「2025年」"
    assert ca.sheet_context("第12次常务会议").meeting == "第12次常务会议"
    assert ca.sheet_context("Sheet1").note is None
