"""The --preview workbook of `ledger minutes`, and the files it refuses to overwrite."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from ledger_tools.core.minutes import (
    MinutesReading,
    NotAssigned,
    Proposal,
    Unmatched,
)
from ledger_tools.core.model import ItemKind, SourceType
from ledger_tools.errors import UsageError
from ledger_tools.sheets.documents.minutes import preview_target, write_preview
from tests.builders import make_ledger


def _reading() -> MinutesReading:
    reading = MinutesReading(
        SourceType.EXECUTIVE, "市人民政府2026年第13次常务会议", dt.date(2026, 11, 18), None
    )
    reading.proposals.append(
        Proposal(1, SourceType.EXECUTIVE, reading.source_name, reading.issued, "冬季防火",
                 "由西山县政府牵头，=12月15日前完成排查。", "张副市长", "综合一科", "西山县人民政府",
                 ["市财政局"], ItemKind.REGULAR, dt.date(2026, 12, 15), "（一）由西山县政府牵头……",
                 ["写有多个时限，请核对"])
    )  # fmt: skip
    reading.not_assigned.append(NotAssigned("垃圾分类办法", "会议原则通过《办法》。"))
    reading.unmatched.append(
        Unmatched(1, "协办单位", "市林草局", "市林草局配合。", "未在「单位」表登记")
    )
    return reading


def _rows(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_three_lists_then_notes_each_proposal_with_its_checks_and_sentence(tmp_path):
    path = write_preview(tmp_path / "预览.xlsx", _reading(), ["本预览未修改台账。"])
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["拟交办事项", "未列入交办", "待核对", "说明"]
    (p,) = _rows(path, "拟交办事项")
    assert p["主责单位"] == "西山县人民政府" and p["协办单位"] == "市财政局"
    assert p["完成时限"] == dt.datetime(2026, 12, 15) and p["事项类型"] == "一般"
    assert p["办理要求"] == "由西山县政府牵头，=12月15日前完成排查。"
    assert p["待核对"] == "协办单位：未在「单位」表登记\n写有多个时限，请核对"
    assert p["纪要原文"] == "（一）由西山县政府牵头……"
    assert [r["议定事项"] for r in _rows(path, "未列入交办")] == ["垃圾分类办法"]
    assert [r["纪要中的写法"] for r in _rows(path, "待核对")] == ["市林草局"]
    ws = wb["拟交办事项"]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"


def test_the_target_gets_xlsx_and_never_a_ledger_or_a_folder(tmp_path):
    ledger = make_ledger(tmp_path / "台账.xlsx")
    assert preview_target(tmp_path / "预览", ledger) == tmp_path / "预览.xlsx"
    with pytest.raises(UsageError, match="台账本身"):
        preview_target(ledger, ledger)
    other = make_ledger(tmp_path / "另一本台账.xlsx")
    with pytest.raises(UsageError, match="是一个台账"):
        preview_target(other, ledger)
    with pytest.raises(UsageError, match="文件夹"):
        preview_target(tmp_path, ledger)
    with pytest.raises(UsageError, match=r"\.xlsx"):
        preview_target(tmp_path / "预览.csv", ledger)
