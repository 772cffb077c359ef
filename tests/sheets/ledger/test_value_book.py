"""The calamine view gives the values openpyxl gives, so every command reads the same ledger."""

import datetime as dt

import openpyxl
import pytest

from ledger_tools.sheets.ledger.value_book import ValueBook, plain_values

VALUES = [
    dt.datetime(2026, 3, 5),
    dt.datetime(2026, 3, 5, 14, 30, 15),
    dt.date(2026, 12, 31),
    0,
    42,
    -7,
    3.25,
    1e15,
    "议定事项",
    "  前后有空格  ",
    "2026年3月5日",
    "=不是公式",
    True,
    False,
    None,
]


def _book(path, values=VALUES, **formats):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["表头一", "表头二"])
    for r, value in enumerate(values, start=2):
        cell = ws.cell(r, 1, value)
        if isinstance(value, str):
            cell.data_type = "s"  # "=..." stays text, as our own writes keep it
        ws.cell(r, 2, f"第{r}行")
    for coordinate, number_format in formats.items():
        ws[coordinate].number_format = number_format
    wb.create_sheet("空表")
    wb.save(path)
    return path


def _openpyxl_values(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_dates_numbers_and_text_come_back_as_openpyxl_gives_them(tmp_path):
    path = _book(tmp_path / "台账.xlsx")
    assert plain_values(path)
    expected = _openpyxl_values(path, "台账")
    ws = ValueBook(path)["台账"]
    got = [list(row) for row in ws.iter_rows(values_only=True)]
    assert got == expected
    assert [type(v) for row in got for v in row] == [type(v) for row in expected for v in row]
    assert ws.max_row == len(VALUES) + 1 and ws.max_column == 2


def test_row_values_and_cells_agree_with_openpyxl(tmp_path):
    path = _book(tmp_path / "台账.xlsx")
    expected = _openpyxl_values(path, "台账")
    ws = ValueBook(path)["台账"]
    for r, row in enumerate(expected, start=1):
        assert ws.row_values(r, [2, 1, 3]) == [row[1], row[0], None]
        assert ws.cell(r, 1).value == row[0]


def test_an_east_asian_date_format_reads_as_openpyxl_reads_it(tmp_path):
    """Built-in format 31 (yyyy年m月d日): neither engine sees a date; both give the serial."""
    path = _book(tmp_path / "台账.xlsx", [dt.date(2026, 3, 5)])
    wb = openpyxl.load_workbook(path)
    wb["台账"]["A2"].number_format = 'yyyy"年"m"月"d"日"'
    wb.save(path)
    assert (
        ValueBook(path)["台账"].value_at(2, 1) == openpyxl.load_workbook(path)["台账"]["A2"].value
    )


def test_writes_stay_in_memory_and_are_read_back(tmp_path):
    path = _book(tmp_path / "台账.xlsx")
    ws = ValueBook(path)["台账"]
    ws.cell(2, 2).value = "改过"
    ws.cell(len(VALUES) + 5, 1, "新的一行")
    assert ws.row_values(2, [2]) == ["改过"]
    assert ws.max_row == len(VALUES) + 5
    assert openpyxl.load_workbook(path)["台账"]["B2"].value == "第2行"


def test_sheets_by_name_and_preload(tmp_path):
    path = _book(tmp_path / "台账.xlsx")
    book = ValueBook(path)
    assert book.sheetnames == ["台账", "空表"] and "台账" in book and "别的" not in book
    book.preload(["台账", "空表", "别的"])
    assert book["空表"].max_row == 1
    with pytest.raises(KeyError):
        book["别的"]


def test_a_formula_or_an_error_cell_sends_the_reader_to_openpyxl(tmp_path):
    formula = tmp_path / "formula.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "=1+1"
    wb.save(formula)
    error = tmp_path / "error.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "#N/A"
    wb.active["A1"].data_type = "e"
    wb.save(error)
    assert not plain_values(formula) and not plain_values(error)


def test_equal_values_are_held_once_and_a_column_with_true_keeps_each_value(tmp_path):
    """Repeated text, numbers and dates are one object each (a ledger repeats itself); where
    True stands beside 1 nothing is shared, so each reads back as openpyxl gives it."""
    path = _book(tmp_path / "台账.xlsx", ["办理中", 1.0, dt.date(2026, 3, 5)] * 3)
    ws = ValueBook(path)["台账"]
    column = [ws.value_now(r, 1) for r in range(2, 11)]
    assert column[0] is column[3] is column[6] == "办理中"
    assert column[2] == column[5] == dt.datetime(2026, 3, 5)
    mixed = _book(tmp_path / "混合.xlsx", ["办理中", 1.0, True, 1.0, False, 0.0])
    ws = ValueBook(mixed)["台账"]
    assert [type(ws.value_now(r, 1)) for r in range(3, 8)] == [int, bool, int, bool, int]
    assert [list(row) for row in ws.iter_rows(values_only=True)] == _openpyxl_values(mixed, "台账")


def test_a_sheet_that_starts_away_from_a1_reads_as_openpyxl_reads_it(tmp_path):
    path = tmp_path / "台账.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "台账"
    wb.active["C3"] = "甲"
    wb.active["D5"] = 1.5
    wb.save(path)
    ws = ValueBook(path)["台账"]
    assert [list(row) for row in ws.iter_rows(values_only=True)] == _openpyxl_values(path, "台账")
    assert (ws.max_row, ws.max_column) == (5, 4)


@pytest.mark.parametrize("block", [7, 8, 9, 64])
def test_a_formula_is_found_wherever_the_blocks_of_the_part_are_cut(tmp_path, monkeypatch, block):
    """The worksheet parts are scanned a block at a time; a formula or an error cell cut in
    two by a block's end is found all the same, and plain text that merely looks alike is not."""
    import ledger_tools.sheets.ledger.value_book as vb

    monkeypatch.setattr(vb, "_BLOCK", block)
    formula = tmp_path / "formula.xlsx"
    wb = openpyxl.Workbook()
    for r in range(1, 30):
        wb.active.cell(r, 1, f"第{r}行")
    wb.active["B29"] = "=1+1"
    wb.save(formula)
    error = tmp_path / "error.xlsx"
    wb = openpyxl.Workbook()
    for r in range(1, 30):
        wb.active.cell(r, 1, f"第{r}行")
    wb.active["B29"] = "#N/A"
    wb.active["B29"].data_type = "e"
    wb.save(error)
    assert not plain_values(formula) and not plain_values(error)
    assert plain_values(_book(tmp_path / "台账.xlsx", ["<f", 't="e"', "<f>"] * 10))


@pytest.mark.parametrize("most_f", [0, 1, 2000])
def test_every_spelling_of_a_formula_or_an_error_cell_is_found(monkeypatch, most_f):
    """However many letters f come first (a one-byte search, then the two-byte scans)."""
    import ledger_tools.sheets.ledger.value_book as vb

    monkeypatch.setattr(vb, "_MOST_F", most_f)
    text = b'<sheetFormatPr defaultRowHeight="15"/><c r="A1" t="inlineStr"><is><t>fff of</t>'
    for part in (b"<f>1+1</f>", b'<f t="shared" si="0"/>', b"<x:f>A1</x:f>", b"<f\n>", b"<f/>"):
        assert vb._formula_or_error(text + part)
    for part in (b'<c r="B1" t="e">', b"<c r='B1' t='e'>", b'<c\tt="e"/>'):
        assert vb._formula_or_error(text + part)
    for part in (b"<font/>", b"<x:format/>", b'<c r="B1" at="e">', b"it's f", b"<f"):
        assert not vb._formula_or_error(text + part)


def test_writes_into_a_row_read_and_rows_appended_read_back_however_asked(tmp_path):
    """A written row keeps its values column by column: a later cell, a value now and a row
    read agree, for a column past the sheet's width too, and a cell made takes the value."""
    path = _book(tmp_path / "台账.xlsx")
    ws = ValueBook(path)["台账"]
    ws.put(3, 2, "改过")
    ws.put(3, 5, 7)  # past the last column read
    ws.put(40, 1, dt.date(2026, 4, 1))  # a row appended
    assert ws.row_values(3, [1, 2, 4, 5]) == [ws.value_at(3, 1), "改过", None, 7]
    assert ws.value_now(40, 1) == dt.date(2026, 4, 1) and ws.value_now(40, 2) is None
    assert ws.cell(3, 5).value == 7
    ws.put(3, 5, 8)
    assert ws.value_now(3, 5) == 8 and ws.cell(3, 5).value == 8
    assert ws.max_row == 40
