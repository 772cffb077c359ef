"""Reading returned forms: tolerant of how units really treat them, strict about whose they are."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.forms.reader import parse_form, read_meta
from ledger_tools.sheets.forms.writer import write_form
from ledger_tools.sheets.returned.workbook import ReturnedFileError, read_returned
from tests.builders import KEY, content

LEDGER_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def form(tmp_path) -> Path:
    path = tmp_path / "反馈表-2026-11-东城区人民政府.xlsx"
    write_form(path, content(), KEY)
    return path


def _edit(path: Path, fn) -> Path:
    """Change the file the way a unit's program would, keeping everything else."""
    wb = openpyxl.load_workbook(path)
    fn(wb)
    wb.save(path)
    return path


def _error(wb, **kw) -> ReturnedFileError:
    with pytest.raises(ReturnedFileError) as e:
        parse_form(wb, KEY, **kw)
    return e.value


def test_a_fresh_form_parses_and_verifies(form):
    p = parse_form(read_returned(form), KEY, ledger_id=LEDGER_ID)
    assert p.signature_ok and p.signature and p.header_row == 5
    assert (p.path_name, p.kind, p.has_macros) == (form.name, "xlsx", False)
    assert [r.item_id for r in p.rows] == ["2026-CW12-01", "2026-CW12-02", "2026-CW12-03"]
    assert [r.number for r in p.rows] == [6, 7, 8]
    row = p.rows[0]
    assert set(row.cells) == set(fl.FORM_COLUMNS)
    assert row.cells["办理状态"].ref == "K6" and row.cells["办理状态"].value is None
    assert (p.unit_cell.ref, p.contact.ref, p.phone.ref) == ("D2", "D3", "F3")


def test_typed_values_come_back_raw(form):
    def fill(wb):
        ws = wb[fl.SHEET_FORM]
        ws["K6"] = "已办结"
        ws["L6"] = "已完成全部改造任务。  "
        ws["M6"] = dt.datetime(2026, 11, 15)
        ws["P7"] = "2026年3月5日"
        ws["D3"] = "王五"
        ws["F3"] = 13800000000

    p = parse_form(read_returned(_edit(form, fill)), KEY)
    first, second = p.rows[0].cells, p.rows[1].cells
    assert first["办理状态"].value == "已办结"
    assert (
        first["本期进展情况"].value == "已完成全部改造任务。  "
    )  # trailing spaces kept: checks decide
    assert first["办结日期"].value in (dt.date(2026, 11, 15), dt.datetime(2026, 11, 15))
    assert second["申请延期至"].value == "2026年3月5日" and second["申请延期至"].ref == "P7"
    assert p.contact.value == "王五" and p.phone.value == 13800000000
    assert p.signature_ok  # filling input cells does not touch the signed metadata


def test_rows_inserted_above_the_table_are_tolerated(form):
    p = parse_form(read_returned(_edit(form, lambda wb: wb[fl.SHEET_FORM].insert_rows(1, 3))), KEY)
    assert p.header_row == 8 and [r.number for r in p.rows] == [9, 10, 11]
    assert p.rows[0].cells["办理状态"].ref == "K9" and p.rows[0].item_id == "2026-CW12-01"
    assert p.contact.ref == "D6" and p.contact.value == "李明"
    assert p.signature_ok


def test_any_column_order_is_tolerated(form):
    wb = read_returned(form)
    sheet = wb.sheet(fl.SHEET_FORM)
    width = max(len(r) for r in sheet.rows)
    sheet.rows = [list(reversed(r + [None] * (width - len(r)))) for r in sheet.rows]
    p = parse_form(wb, KEY)
    assert [r.item_id for r in p.rows] == ["2026-CW12-01", "2026-CW12-02", "2026-CW12-03"]
    for row in p.rows:
        for cell in row.cells.values():
            letters, row_number = coordinate_from_string(cell.ref)
            assert sheet.value(row_number - 1, column_index_from_string(letters) - 1) == cell.value
    assert p.rows[0].cells["事项编号"].ref == "P6"


def test_headers_match_without_stars_and_spaces(form):
    wb = read_returned(form)
    header = wb.sheet(fl.SHEET_FORM).rows[4]
    header[10] = " 办理 状态＊ "
    header[11] = "本期进展情况\u3000"
    p = parse_form(wb, KEY)
    assert p.rows[0].cells["办理状态"].ref == "K6"


def test_blank_rows_are_skipped_and_stray_rows_kept(form):
    def add(wb):
        ws = wb[fl.SHEET_FORM]
        ws["A12"] = "填表人：张三"

    p = parse_form(read_returned(_edit(form, add)), KEY)
    assert [r.number for r in p.rows] == [6, 7, 8, 12]
    assert p.rows[-1].item_id is None and p.rows[-1].cells["序号"].value == "填表人：张三"


def test_item_id_is_cleaned(form):
    wb = read_returned(form)
    wb.sheet(fl.SHEET_FORM).rows[5][1] = " 2026-CW12-01\u3000"
    assert parse_form(wb, KEY).rows[0].item_id == "2026-CW12-01"


def test_missing_meta_is_f004(form):
    wb = read_returned(form)
    wb.sheets = [s for s in wb.sheets if s.name != fl.SHEET_META]
    e = _error(wb)
    assert e.code == "F004" and fl.SHEET_META in e.detail


@pytest.mark.parametrize(
    ("row", "col", "value", "words"),
    [
        (1, 1, "别的工具", "不是本工具生成的"),  # format marker
        (2, 1, "9", "版本"),  # form version
        (6, 1, "明年", "日期无法识别"),  # due
        (4, 1, None, "unit"),  # unit missing
        (8, 1, None, "signature"),
    ],
)
def test_foreign_or_damaged_meta_is_f004(form, row, col, value, words):
    wb = read_returned(form)
    meta_rows = wb.sheet(fl.SHEET_META).rows
    assert meta_rows[row][0] in (fl.META_FORMAT, "version", "due", "unit", fl.META_SIGNATURE)
    meta_rows[row][col] = value
    e = _error(wb)
    assert e.code == "F004" and words in e.detail


def test_meta_without_locked_table_is_f004(form):
    wb = read_returned(form)
    sheet = wb.sheet(fl.SHEET_META)
    sheet.rows = [r for r in sheet.rows if not r or r[0] != fl.META_LOCKED]
    assert _error(wb).code == "F004"


def test_another_ledgers_form_is_f004(form):
    e = _error(read_returned(form), ledger_id="f" * 32)
    assert e.code == "F004" and "另一本台账" in e.detail


def test_missing_form_sheet_is_f009(form):
    p = _edit(form, lambda wb: setattr(wb[fl.SHEET_FORM], "title", "Sheet1"))
    e = _error(read_returned(p))
    assert e.code == "F009" and "反馈表" in e.detail and "Sheet1" in e.detail


def test_missing_header_is_f009_naming_it(form):
    p = _edit(form, lambda wb: wb[fl.SHEET_FORM].cell(row=5, column=11, value="状态"))
    e = _error(read_returned(p))
    assert e.code == "F009" and "「办理状态」" in e.detail and "第 5 行" in e.detail


def test_no_table_at_all_is_f009(form):
    wb = read_returned(form)
    wb.sheet(fl.SHEET_FORM).rows = [["随便写的内容"]]
    e = _error(wb)
    assert e.code == "F009" and "表头" in e.detail


def test_edited_meta_fails_the_signature(form):
    p = _edit(form, lambda wb: wb[fl.SHEET_META].cell(row=5, column=2, value="西山县人民政府"))
    parsed = parse_form(read_returned(p), KEY)
    assert parsed.meta.unit == "西山县人民政府" and not parsed.signature_ok


def test_edited_locked_value_in_meta_fails_the_signature(form):
    def edit(wb):
        ws = wb[fl.SHEET_META]
        for row in ws.iter_rows():
            for c in row:
                if c.value == "2026-12-31":
                    c.value = "2027-06-30"
                    return

    parsed = parse_form(read_returned(_edit(form, edit)), KEY)
    assert not parsed.signature_ok


def test_wrong_key_fails_the_signature(form):
    assert not parse_form(read_returned(form), "00" * 32).signature_ok


def test_meta_merely_hidden_still_verifies(form):
    p = _edit(form, lambda wb: setattr(wb[fl.SHEET_META], "sheet_state", "hidden"))
    wb = read_returned(p)
    assert wb.sheet(fl.SHEET_META).visible == "hidden"
    assert parse_form(wb, KEY).signature_ok


def test_read_meta_gives_the_locked_values_as_written(form):
    meta, signature = read_meta(read_returned(form))
    assert meta.locked["2026-CW12-02"]["上期进展"] == "第一行\n第二行"
    assert meta.locked["2026-CW12-02"]["当前时限"] == ""
    assert meta.generated == dt.datetime(2026, 11, 20, 9, 0, 0) and len(signature) == 64


def test_a_merged_cell_is_read_with_the_range_that_swallows_it(form):
    def merge(wb):
        ws = wb[fl.SHEET_FORM]
        ws["L6"] = "两项一并推进，已完成方案。"
        ws.merge_cells("L6:L7")  # one progress text typed over two items
        ws.merge_cells("C7:C8")  # a locked column merged for printing

    p = parse_form(read_returned(_edit(form, merge)), KEY)
    first, second, third = (r.cells for r in p.rows)
    assert first["本期进展情况"].value == "两项一并推进，已完成方案。"
    assert first["本期进展情况"].merged is None  # the top-left cell holds the value
    assert second["本期进展情况"].value is None and second["本期进展情况"].merged == "L6:L7"
    assert (second["来源名称"].merged, third["来源名称"].merged) == (None, "C7:C8")
    assert first["办理状态"].merged is None


def _cells_as_read_one_by_one(sheet, form) -> list:
    """Each row's cells as ReturnedSheet answers for one cell at a time (value, covered)."""
    return [
        {
            h: (sheet.value(row.number - 1, c), sheet.covered(row.number - 1, c))
            for h, c in (
                (h, column_index_from_string(coordinate_from_string(cell.ref)[0]) - 1)
                for h, cell in row.cells.items()
            )
        }
        for row in form.rows
    ]


def test_rows_and_header_read_at_once_are_what_each_cell_gives(form):
    """A merged range in the table (and the ones in the title) and a row with its end cut off:
    the rows parsed in one pass equal the cell-by-cell answers, and parse_form_and_block is
    parse_form plus header_block."""
    from ledger_tools.sheets.forms.reader import header_block, parse_form_and_block

    def merge_in_table(wb):
        ws = wb[fl.SHEET_FORM]
        ws.merge_cells("L7:M8")
        ws["Q9"] = None

    wb = read_returned(_edit(form, merge_in_table))
    parsed, block = parse_form_and_block(wb, KEY)
    assert parsed == parse_form(wb, KEY) and block == header_block(wb)
    sheet = wb.sheet(fl.SHEET_FORM)
    assert any(r1 > parsed.header_row for _r0, _c0, r1, _c1 in sheet.merged)
    assert [{h: (c.value, c.merged) for h, c in r.cells.items()} for r in parsed.rows] == (
        _cells_as_read_one_by_one(sheet, parsed)
    )
    assert any(c.merged for r in parsed.rows for c in r.cells.values())
    assert all(
        c.ref == f"{c.ref.rstrip('0123456789')}{r.number}"
        for r in parsed.rows
        for c in r.cells.values()
    )


def test_the_table_as_read_gives_the_entries_its_rows_give(form):
    """What a merge's workers make: the entries straight from the table as read, without cells,
    equal ``form_entry`` of each parsed row (merged cells, a row cut short, locked values)."""
    from ledger_tools.sheets.forms.entries import canonical_text, form_entry, table_entries
    from ledger_tools.sheets.forms.reader import parse_form_and_block, parse_form_table

    def merge_in_table(wb):
        ws = wb[fl.SHEET_FORM]
        ws.merge_cells("L7:M8")
        ws["Q9"] = None
        ws["D6"] = "改动的议定事项"

    wb = read_returned(_edit(form, merge_in_table))
    parsed, block = parse_form_and_block(wb, KEY)
    bare, block2, table = parse_form_table(wb, KEY)
    assert block2 == block and not bare.rows and bare.columns == parsed.columns
    raw = parsed.meta.locked
    canon = {i: {h: canonical_text(v) for h, v in vals.items()} for i, vals in raw.items()}
    entries = table_entries(table, raw, canon)
    assert entries == [
        form_entry(
            row, raw.get(row.item_id or "", {}), canon.get(row.item_id or "", {}), bare.columns
        )
        for row in parsed.rows
    ]
    assert any(e.merged for e in entries)
    plain = [form_entry(row, {}, {}) for row in parsed.rows]
    assert [[e.ref(h) for h in parsed.columns] for e in entries] == [
        [e.ref(h) for h in parsed.columns] for e in plain
    ]
