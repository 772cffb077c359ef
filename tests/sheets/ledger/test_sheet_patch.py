"""sheet_patch: a few cells of one small sheet written by rewriting that sheet's part alone."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import xlsxwriter

from ledger_tools.sheets.ledger import sheet_patch
from ledger_tools.sheets.ledger.sheet_patch import Unsupported, patch_cells
from tests.builders import make_ledger

SNAP = "月度快照"
DAY = dt.date(2026, 11, 20)
FORMATS = {2: "yyyy-mm-dd", 10: "0.0%"}
ROW = {1: "2026-11", 2: DAY, 3: 120, 10: 0.5656}


def _raw(path: Path) -> dict[str, tuple[int, int, int]]:
    """Each part's CRC, compressed size and compression: equal when carried over unchanged."""
    with zipfile.ZipFile(path) as z:
        return {i.filename: (i.CRC, i.compress_size, i.compress_type) for i in z.infolist()}


def _values(path: Path, sheet: str) -> list[list]:
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path)[sheet].iter_rows()]
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    by_calamine = book.get_sheet_by_name(sheet).to_python()
    assert len(by_calamine) == len(rows)  # both readers see the same rows
    return rows


@pytest.fixture
def ledger(tmp_path) -> Path:
    return make_ledger(tmp_path / "台账.xlsx", [])


def test_a_new_row_reads_back_in_openpyxl_and_calamine_and_nothing_else_changes(ledger, tmp_path):
    out = tmp_path / "out.xlsx"
    changed = patch_cells(ledger, out, SNAP, {2: ROW}, FORMATS)
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
    before, after = _raw(ledger), _raw(out)
    assert list(after) == list(before)  # same parts, same order
    assert (
        {n for n in before if before[n] != after[n]}
        == changed
        == {"xl/worksheets/sheet10.xml", "xl/styles.xml"}
    )
    ws = openpyxl.load_workbook(out)[SNAP]
    assert [c.value for c in ws[2]][:3] == ["2026-11", dt.datetime(2026, 11, 20), 120] and ws[
        "J2"
    ].value == 0.5656
    assert (ws["B2"].number_format, ws["J2"].number_format, ws["C2"].number_format) == (
        "yyyy-mm-dd",
        "0.0%",
        "General",
    )
    assert ws.max_row == 2 and ws.dimensions == "A1:J2"
    calamine = (
        python_calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_name(SNAP).to_python()
    )
    assert calamine[1][:3] == ["2026-11", DAY, 120]


def test_patching_again_reuses_the_cell_formats_it_added(ledger, tmp_path):
    once, twice = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    patch_cells(ledger, once, SNAP, {2: ROW}, FORMATS)
    patch_cells(once, twice, SNAP, {3: {**ROW, 1: "2026-12"}}, FORMATS)
    with zipfile.ZipFile(once) as a, zipfile.ZipFile(twice) as b:
        assert a.read("xl/styles.xml") == b.read("xl/styles.xml")
    assert [r[0] for r in _values(twice, SNAP)] == ["月份", "2026-11", "2026-12"]


def test_an_existing_row_keeps_staffs_cells_and_looks_and_rows_stay_in_order(ledger, tmp_path):
    wb = openpyxl.load_workbook(ledger)
    ws = wb[SNAP]
    ws["A2"], ws["C2"], ws["L2"] = "2026-10", 99, "staff's note"
    ws["C2"].font = openpyxl.styles.Font(bold=True)
    ws["A5"], ws["L4"] = "2026-12", "another note"
    wb.save(ledger)
    out = tmp_path / "out.xlsx"
    patch_cells(ledger, out, SNAP, {2: {1: "2026-10", 3: 100, 4: None}, 3: ROW}, FORMATS)
    ws = openpyxl.load_workbook(out)[SNAP]
    assert [ws.cell(r, 1).value for r in range(2, 6)] == ["2026-10", "2026-11", None, "2026-12"]
    assert (ws["C2"].value, ws["C2"].font.b, ws["L2"].value, ws["L4"].value) == (
        100,
        True,
        "staff's note",
        "another note",
    )
    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet10.xml").decode()
    assert re.findall(r'<row r="(\d+)"', xml) == ["1", "2", "3", "4", "5"]


def test_text_is_escaped_and_kept_exactly(ledger, tmp_path):
    out = tmp_path / "out.xlsx"
    text = ' <a & b> "引号" '
    patch_cells(ledger, out, SNAP, {2: {1: text}}, {})
    assert _values(out, SNAP)[1][0] == text


def test_a_workbook_xlsxwriter_made_with_shared_strings(tmp_path):
    src, out = tmp_path / "x.xlsx", tmp_path / "out.xlsx"
    with xlsxwriter.Workbook(src) as wb:
        wb.add_worksheet("其他").write("A1", "共享字符串")
        snap = wb.add_worksheet(SNAP)
        snap.write_row(0, 0, ["月份", "截止日期", "事项总数"])
        snap.write_row(1, 0, ["2026-10", 3])
    patch_cells(src, out, SNAP, {3: {1: "2026-11", 2: DAY, 3: 7}}, {2: "yyyy-mm-dd"})
    rows = _values(out, SNAP)
    assert rows[1] == ["2026-10", 3, None] and rows[2] == ["2026-11", dt.datetime(2026, 11, 20), 7]
    assert _values(out, "其他") == [["共享字符串"]]


@pytest.mark.parametrize(
    "case", ["date1904", "no-sheet", "formula-in-the-cell", "row-without-reference"]
)
def test_what_it_is_not_sure_of_is_left_to_openpyxl(tmp_path, case):
    src, out = tmp_path / "x.xlsx", tmp_path / "out.xlsx"
    with xlsxwriter.Workbook(src, {"date_1904": case == "date1904"}) as wb:
        ws = wb.add_worksheet(SNAP if case != "no-sheet" else "别的")
        ws.write_row(0, 0, ["月份", "截止日期"])
        ws.write_formula("A2", "=1+1", None, 2)
    if case == "row-without-reference":
        with zipfile.ZipFile(src) as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
        parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
            b'<row r="2"', b"<row"
        )
        with zipfile.ZipFile(src, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)
    target = {2: {1: "2026-11"}} if case != "row-without-reference" else {3: {1: "2026-11"}}
    with pytest.raises(Unsupported):
        patch_cells(src, out, SNAP, target, {})


def test_a_value_it_cannot_write_is_refused_before_anything_is_written(ledger, tmp_path):
    out = tmp_path / "out.xlsx"
    for value in (float("nan"), "控制\x07字符", object()):
        with pytest.raises(Unsupported):
            patch_cells(ledger, out, SNAP, {2: {1: value}}, {})
    assert not out.exists()


@pytest.mark.parametrize(
    "day", [dt.date(1900, 2, 28), dt.date(1900, 3, 1), DAY, dt.datetime(2026, 11, 20, 9, 30)]
)
def test_dates_read_back_as_openpyxl_writes_them(ledger, tmp_path, day):
    """Serial numbers as Excel counts them, 1900's phantom 29 February included."""
    out = tmp_path / "out.xlsx"
    patch_cells(ledger, out, SNAP, {2: {2: day}}, {2: "yyyy-mm-dd"})
    moment = day if isinstance(day, dt.datetime) else dt.datetime.combine(day, dt.time())
    assert _values(out, SNAP)[1][1] == moment


def test_a_date_before_1900_is_left_to_openpyxl(ledger, tmp_path):
    with pytest.raises(Unsupported):
        patch_cells(ledger, tmp_path / "out.xlsx", SNAP, {2: {2: dt.date(1899, 12, 31)}}, {})


def test_column_letters_round_trip():
    for n in (1, 26, 27, 52, 702, 703, 16384):
        assert sheet_patch._number(sheet_patch._letters(n)) == n
    assert sheet_patch._letters(28) == "AB"


@pytest.mark.slow
def test_libreoffice_reads_the_patched_ledger(ledger, tmp_path):
    from tests.realclient import lo

    lo.require_soffice()
    patch_cells(ledger, tmp_path / "patched.xlsx", SNAP, {2: ROW}, FORMATS)
    resaved = lo.convert(
        tmp_path / "patched.xlsx", "xlsx", tmp_path / "lo"
    )  # opened and saved again
    ws = openpyxl.load_workbook(resaved)[SNAP]
    assert (ws["A2"].value, ws["B2"].value, ws["C2"].value) == (
        "2026-11",
        dt.datetime(2026, 11, 20),
        120,
    )
    assert ws["B2"].is_date and "%" in ws["J2"].number_format
