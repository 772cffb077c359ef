"""The fast loader gives exactly stock openpyxl's workbook: every cell's value, data type and
number format on every sheet, the merged ranges and the dimensions.

The shortcuts in ``fast_openpyxl`` replace private openpyxl code (pinned to 3.1 in
pyproject.toml for that reason); these comparisons are what a new openpyxl must pass. The
ledgers are the shapes met in the field: written by our own openpyxl saves (the sample, a
benchmark-shaped ledger), edited by staff (rich text, formulas, merged cells), and saved by
LibreOffice (shared strings, its own XML prolog).
"""

import datetime as dt
import random
import shutil

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from benchmarks import generate as bench
from ledger_tools.demo.sample import build_sample
from ledger_tools.sheets.ledger.fast_openpyxl import faster_openpyxl_load
from ledger_tools.sheets.ledger.tables import DATE_FORMAT
from tests.realclient import lo


def _picture(path, *, rich_text: bool = False) -> dict:
    """Everything the comparison covers, sheet by sheet."""
    wb = openpyxl.load_workbook(path, rich_text=rich_text)
    out = {}
    for ws in wb.worksheets:
        cells = {
            key: (type(c.value).__name__, c.value, c.data_type, c.number_format, c.style_id)
            for key, c in ws._cells.items()
        }
        out[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "dimensions": (ws.dimensions, ws.min_row, ws.max_row, ws.min_column, ws.max_column),
        }
    return out


def _assert_same_as_stock(path, *, rich_text: bool = False) -> dict:
    stock = _picture(path, rich_text=rich_text)
    with faster_openpyxl_load():
        fast = _picture(path, rich_text=rich_text)
    assert list(fast) == list(stock)
    for title in stock:
        assert fast[title]["merged"] == stock[title]["merged"], title
        assert fast[title]["dimensions"] == stock[title]["dimensions"], title
        differing = [
            (key, stock[title]["cells"].get(key), fast[title]["cells"].get(key))
            for key in stock[title]["cells"].keys() | fast[title]["cells"].keys()
            if stock[title]["cells"].get(key) != fast[title]["cells"].get(key)
        ]
        assert not differing, (title, sorted(differing)[:5])
    return stock


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("sample") / "台账.xlsx")


def test_the_sample_ledger(sample):
    picture = _assert_same_as_stock(sample)
    items = picture["台账"]["cells"]
    assert len(items) > 1000  # a real comparison, not two empty sheets
    assert any(kind == "datetime" for kind, *_ in items.values())


def test_a_benchmark_shaped_ledger(tmp_path):
    rng = random.Random(2026)
    units = bench.make_units(rng)
    built = bench.build_rows(300, units, rng)
    path = tmp_path / "ledger.xlsx"
    bench.write_ledger(path, units, built)
    picture = _assert_same_as_stock(path)
    assert sum(1 for key in picture["台账"]["cells"] if key[1] == 1) == 301


def test_a_ledger_staff_edited(sample, tmp_path):
    """Rich text, formulas, merged cells, blank and padded text, dates typed as text."""
    path = shutil.copy(sample, tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(path, rich_text=True)
    ws = wb["台账"]
    col = ws.max_column + 1
    ws.cell(1, col, "我的列")
    ws.cell(2, col, CellRichText(["加粗", TextBlock(InlineFont(b=True), "的进展")]))
    ws.cell(3, col, "=1+1")
    ws.cell(4, col, "  前后有空格  ")
    ws.cell(5, col, "")
    ws.cell(6, col, "2026年3月5日")
    ws.cell(7, col, dt.date(2026, 3, 5)).number_format = DATE_FORMAT
    ws.cell(8, col, 3.25)
    ws.cell(9, col, "#N/A").data_type = "e"
    ws.merge_cells(start_row=10, start_column=col, end_row=12, end_column=col + 1)
    notes = wb.create_sheet("工作人员备注")
    notes["A1"] = "合并的标题"
    notes.merge_cells("A1:D1")
    notes["B3"] = "稀疏的一格"
    wb.save(path)
    for rich_text in (False, True):
        _assert_same_as_stock(path, rich_text=rich_text)


@pytest.mark.slow
def test_a_ledger_saved_by_libreoffice(sample, tmp_path):
    lo.require_soffice()
    src = tmp_path / "src" / "台账.xlsx"
    src.parent.mkdir()
    shutil.copy(sample, src)
    saved = lo.convert(src, "xlsx", tmp_path / "saved")
    picture = _assert_same_as_stock(saved)
    assert len(picture["台账"]["cells"]) > 1000
