"""A header or sheet not where SPEC §2 puts it: the message says what was found and what to do."""

from __future__ import annotations

import openpyxl
import pytest

from ledger_tools.errors import NotALedger
from ledger_tools.sheets.ledger.data import read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile
from tests.builders import assert_chinese, item, make_ledger

ENGINES = pytest.mark.parametrize("fast_read", [True, False], ids=["calamine", "openpyxl"])


@pytest.fixture
def ledger(tmp_path):
    return make_ledger(tmp_path / "台账.xlsx", [item(事项编号="2026-CW12-01")])


def _edit(path, fn):
    wb = openpyxl.load_workbook(path)
    fn(wb)
    wb.save(path)
    return path


def _header(wb, text):
    return next(c for c in wb["台账"][1] if c.value == text)


def _read(path, fast_read=True):
    with LedgerFile(path, fast_read=fast_read) as lf:
        return read_ledger(lf)


def _l311(path, fast_read=True) -> list[str]:
    return [f.message for f in _read(path, fast_read).problems if f.code == "L311"]


@ENGINES
@pytest.mark.parametrize("typed", ["完成\n时限", "完成时限  ", "完成\u3000时限", " 完成 时限 "])
def test_a_header_that_differs_only_by_white_space_is_the_header(ledger, typed, fast_read):
    def wrap(wb):
        _header(wb, "完成时限").value = typed

    data = _read(_edit(ledger, wrap), fast_read)
    assert data.problems == []
    assert data.items[0].deadline is not None


def test_two_cells_that_both_read_as_the_header_are_not_guessed(ledger):
    def twice(wb):
        _header(wb, "完成时限").value = "完成\n时限"
        wb["台账"].cell(1, 40).value = "完成 时限"

    (message,) = _l311(_edit(ledger, twice))
    assert "无法确定用哪一列" in message and "（AN1）" in message
    assert_chinese(message)


@ENGINES
def test_a_near_miss_is_named_with_its_cell_and_not_taken(ledger, fast_read):
    def near(wb):
        _header(wb, "完成时限").value = "完成时限（日期）"

    (message,) = _l311(_edit(ledger, near), fast_read)
    assert "缺少表头「完成时限」" in message
    assert "找到相近的「完成时限（日期）」（L1）" in message and "请改为「完成时限」" in message
    data = _read(ledger, fast_read)
    assert data.items[0].deadline is None  # no guess
    assert [f.cell for f in data.problems if f.code == "L311"] == ["L1"]


def test_a_typo_is_a_near_miss_too(ledger):
    def typo(wb):
        _header(wb, "完成时限").value = "完成时间"

    (message,) = _l311(_edit(ledger, typo))
    assert "「完成时间」（L1）" in message


def test_no_look_alike_says_how_to_restore(ledger):
    def gone(wb):
        _header(wb, "完成时限").value = None

    (message,) = _l311(_edit(ledger, gone))
    assert message == "工作表「台账」缺少表头「完成时限」。请恢复该列表头（第 1 行）。"


@ENGINES
@pytest.mark.parametrize("titles", [1, 2])
def test_a_title_above_the_header_row_is_named_once(ledger, titles, fast_read):
    def title(wb):
        wb["台账"].insert_rows(1, titles)
        wb["台账"]["A1"] = "2026年市政府常务会议议定事项督查台账"

    (message,) = _l311(_edit(ledger, title), fast_read)
    assert "表头须在第 1 行" in message and f"在第 {titles + 1} 行" in message
    assert ("第 1 行（" if titles == 1 else "第 1 至 2 行") in message
    cells = [f.cell for f in _read(ledger, fast_read).problems if f.code == "L311"]
    assert cells == [f"{titles + 1}:{titles + 1}"]
    assert_chinese(message)


@ENGINES
@pytest.mark.parametrize("name", ["台账2026", "督办台账", "Sheet1"])
def test_a_renamed_台账_is_named_with_what_to_rename(ledger, name, fast_read):
    def rename(wb):
        wb["台账"].title = name

    with pytest.raises(NotALedger) as e:
        _read(_edit(ledger, rename), fast_read)
    message = str(e.value)
    assert f"工作表「{name}」看起来就是台账" in message and "改名为「台账」" in message
    assert_chinese(message.replace(name, ""))


def test_a_workbook_without_anything_like_台账_keeps_the_old_message(ledger):
    def drop(wb):
        del wb["台账"]

    with pytest.raises(NotALedger) as e:
        _read(_edit(ledger, drop))
    assert "请用 ledger init 创建台账" in str(e.value)


def test_another_renamed_sheet_is_named_too(ledger):
    def rename(wb):
        wb["延期记录"].title = "延期审批"

    (message,) = _l311(_edit(ledger, rename))
    assert "工作表「延期审批」看起来就是它" in message and "改名为「延期记录」" in message
