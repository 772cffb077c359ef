"""The adopt preview workbook: print-ready lists of the mapping, the rows, the unreadable."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from ledger_tools.core.adopt import ColumnPlan, SheetPlan, Skipped
from ledger_tools.core.adopt_values import Adopted, Problem
from ledger_tools.errors import UsageError
from ledger_tools.sheets.documents.adopt import check_preview_target, write_adopt_preview
from ledger_tools.sheets.ledger import schema as sc


def _write(path):
    item = Adopted(
        "2025年",
        3,
        {
            "议定事项": "甲事项",
            "完成时限": dt.date(2025, 6, 30),
            "协办单位": ["市财政局", "市审计局"],
        },
        {"督查人员": "王明"},
        [Problem("2025年", "H3", "完成时限", "待定", "时限无法识别，已留空")],
    )
    plans = [
        SheetPlan(
            "2025年",
            2,
            [
                ColumnPlan(3, "议定事项", "议定事项", None, "表头相同"),
                ColumnPlan(7, "督查人员", None, "督查人员", "未识别，保留"),
            ],
            1,
        ),
        SheetPlan("统计", note="没有找到表头"),
    ]
    return write_adopt_preview(
        path,
        plans=plans,
        items=[item],
        skipped=[Skipped("2025年", 9, "合计行", "合计 共 1 项")],
        headers=sc.ITEMS.headers,
        custom=["督查人员"],
        units=[("市财政局", "原台账中出现")],
        title="原台账导入预览",
        notes=["说明一"],
    )


def test_the_preview_lists_everything_print_ready(tmp_path):
    path = _write(tmp_path / "预览.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["列对照", "导入预览", "无法识别", "跳过的行", "单位", "说明"]
    rows = list(wb["列对照"].iter_rows(min_row=2, values_only=True))
    assert rows[1] == ("2025年", "督查人员", "H", "保留为自定义列「督查人员」", "未识别，保留")
    assert ("统计", None, None, None, "没有找到表头") in rows
    preview = list(wb["导入预览"].iter_rows(values_only=True))
    header = preview[0]
    assert header[:2] == ("原工作表", "原行号") and header[-1] == "督查人员"
    values = dict(zip(header, preview[1]))
    assert values["协办单位"] == "市财政局、市审计局" and values["督查人员"] == "王明"
    assert values["完成时限"] == dt.datetime(2025, 6, 30)
    problem = next(wb["无法识别"].iter_rows(min_row=2, values_only=True))
    assert problem == ("2025年", "H3", "完成时限", "待定", "时限无法识别，已留空")
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert 'orientation="landscape"' in sheet and 'paperSize="9"' in sheet
    assert "fitToWidth" in sheet or "fitToPage" in sheet


def test_the_target_is_checked(tmp_path):
    old, new = tmp_path / "原.xlsx", tmp_path / "新.xlsx"
    with pytest.raises(UsageError, match="同名"):
        check_preview_target(old, old, new)
    with pytest.raises(UsageError, match=".xlsx"):
        check_preview_target(tmp_path / "预览.docx", old, new)
    with pytest.raises(UsageError, match="文件夹"):
        check_preview_target(tmp_path, old, new)
    assert check_preview_target(tmp_path / "预览", old, new).name == "预览.xlsx"
