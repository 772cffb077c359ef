"""Measuring a returned file's sheets before calamine opens it: a few hundred bytes that would
make calamine build a grid of billions of cells are refused (F003), naming the sheet.

Every input is built here, in code: xlsx by xlsxwriter or by editing its XML, ods by hand,
xls as BIFF records in a compound file written byte by byte.
"""

import struct

import pytest
import xlsxwriter

from ledger_tools.sheets.returned.extents import check_extents
from ledger_tools.sheets.returned.limits import Limits, ReturnedFileError
from tests.builders import (
    FILEPASS,
    GLOBALS_BOF,
    STREAM,
    build_ods,
    compound_file,
    far_cell_xlsx,
    ods_empty,
    ods_text,
    xlsx_members,
    zip_bytes,
)


def _refused(data: bytes, kind: str, limits: Limits = Limits()) -> ReturnedFileError:  # noqa: B008
    with pytest.raises(ReturnedFileError) as e:
        check_extents(data, kind, limits)
    return e.value


def _xlsx(tmp_path, sheets: dict[str, list[str]]) -> bytes:
    """An xlsx with a value in each listed cell, sheet by sheet."""
    path = tmp_path / "反馈表.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, cells in sheets.items():
        ws = wb.add_worksheet(name)
        for ref in cells:
            ws.write(ref, "x")
    wb.close()
    return path.read_bytes()


# --- xlsx --------------------------------------------------------------------------------------


def test_rows_are_counted_from_row_1_to_the_last_value(tmp_path):
    data = _xlsx(tmp_path, {"反馈表": ["C3", "B30"]})
    check_extents(data, "xlsx", Limits(max_rows=30))
    e = _refused(data, "xlsx", Limits(max_rows=29))
    assert e.code == "F003"
    assert e.detail == "工作表「反馈表」行数过多（30 行），超过上限 29 行"


def test_the_cell_limit_counts_every_sheet_together(tmp_path):
    data = _xlsx(tmp_path, {"反馈表": ["J100"], "协办事项": ["J100"], "填报说明": ["J100"]})
    check_extents(data, "xlsx", Limits(max_cells=3000))  # 100 rows × 10 columns each
    e = _refused(data, "xlsx", Limits(max_cells=2999))
    assert e.detail == "工作表「填报说明」数据区域过大（100 行 × 10 列），请删除表格以外无关的内容"


def test_a_far_away_cell_in_a_tiny_file_is_refused(tmp_path):
    """A1 and XFD1048576 in a few KB: calamine would ask for ~500 GB and abort the process."""
    data = far_cell_xlsx(tmp_path / "far.xlsx").read_bytes()
    assert len(data) < 10_000
    e = _refused(data, "xlsx")
    assert "反馈表" in e.detail and "1048576 行" in e.detail


def test_formatted_cells_without_a_value_do_not_count(tmp_path):
    """openpyxl writes a formatted empty cell as <c r="E30000" s="1"></c>."""
    members = xlsx_members(far_cell_xlsx(tmp_path / "far.xlsx"))
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    members["xl/worksheets/sheet1.xml"] = sheet.replace(
        '<c r="XFD1048576" t="s"><v>1</v></c>', '<c r="XFD1048576" s="0"></c><c r="XFD1048575"/>'
    ).encode()
    assert "XFD1048576" in members["xl/worksheets/sheet1.xml"].decode()
    check_extents(zip_bytes(members), "xlsx", Limits(max_rows=1, max_cells=1))


def test_cells_without_their_reference_follow_the_one_before(tmp_path):
    """The optional r= left out (some writers do): the cells are placed in sequence."""
    members = xlsx_members(far_cell_xlsx(tmp_path / "far.xlsx"))
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    members["xl/worksheets/sheet1.xml"] = sheet.replace(
        '<c r="XFD1048576" t="s"><v>1</v></c>',
        '<c r="XFA1048576" t="s"><v>1</v></c><c t="s"><v>1</v></c><c t="s"><v>1</v></c>',
    ).encode()
    e = _refused(zip_bytes(members), "xlsx", Limits(max_rows=2_000_000, max_cells=1_000))
    assert e.detail.startswith("工作表「反馈表」数据区域过大（1048576 行 × 16383 列）")


def test_a_sheet_part_of_any_name_is_measured(tmp_path):
    """The workbook's relationships may point a sheet at any part name, not only *.xml."""
    members = xlsx_members(far_cell_xlsx(tmp_path / "far.xlsx"))
    members["xl/worksheets/data.bin"] = members.pop("xl/worksheets/sheet1.xml")
    for part in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
        members[part] = members[part].replace(b"worksheets/sheet1.xml", b"worksheets/data.bin")
    assert "工作表「反馈表」" in _refused(zip_bytes(members), "xlsx").detail


@pytest.mark.parametrize("bad", ["XFE1", "AAAA1"])
def test_a_reference_outside_excel_s_grid_is_a_damaged_file(tmp_path, bad):
    members = xlsx_members(far_cell_xlsx(tmp_path / "far.xlsx"))
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    members["xl/worksheets/sheet1.xml"] = sheet.replace('r="XFD1048576"', f'r="{bad}"').encode()
    e = _refused(zip_bytes(members), "xlsx")
    assert e.code == "F001" and "损坏" in e.detail


# --- ods ---------------------------------------------------------------------------------------


def test_ods_repeats_are_counted_without_being_expanded():
    """One value repeated over 16384 columns and a million rows, in a few hundred bytes."""
    rows = (
        f"<table:table-row>{ods_text('x')}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="1048575">{ods_text("炸", 16384)}'
        "</table:table-row>"
    )
    data = build_ods({"反馈表": rows})
    assert len(data) < 2000
    assert (
        _refused(data, "ods").detail == "工作表「反馈表」行数过多（1048576 行），超过上限 20000 行"
    )


def test_ods_empty_repeats_do_not_count_and_names_are_unescaped():
    """LibreOffice pads every sheet with empty repeated rows and cells up to the grid's end."""
    rows = (
        f'<table:table-row table:style-name="ro1">{ods_empty(2)}{ods_text("推进中", 3)}'
        f"{ods_empty(16379)}"
        "</table:table-row>"
        f'<table:table-row table:number-rows-repeated="1048575">{ods_empty(16384)}'
        "</table:table-row>"
    )
    data = build_ods({"反馈表&amp;说明": rows})
    check_extents(data, "ods", Limits(max_rows=1, max_cells=5))
    assert _refused(data, "ods", Limits(max_cells=4)).detail.startswith(
        "工作表「反馈表&说明」数据区域过大（1 行 × 5 列）"
    )


def test_ods_a_row_without_attributes_does_not_hide_the_cells_after_it():
    """A bare <table:table-row> (hand-made files; LibreOffice always writes attributes) followed
    by 16000 empty cells and then a value is one row 16001 columns wide, not 1 × 1: measuring
    it short would let calamine build a grid far past the cell limit."""
    rows = f"<table:table-row>{ods_empty(16000)}{ods_text('炸')}</table:table-row>" * 3
    data = build_ods({"反馈表": rows})
    assert _refused(data, "ods", Limits(max_cells=40000)).detail.startswith(
        "工作表「反馈表」数据区域过大（3 行 × 16001 列）"
    )


# --- xls ---------------------------------------------------------------------------------------


NUMBER, MULRK, BOUNDSHEET, BOF, EOF = 0x0203, 0x00BD, 0x0085, 0x0809, 0x000A


def _xls(sheets: dict[str, list[tuple[int, bytes]]], *globals_records) -> bytes:
    """A BIFF8 workbook: the globals (BOUNDSHEET naming each sheet), then one substream each."""

    def record(rtype: int, body: bytes) -> bytes:
        return struct.pack("<HH", rtype, len(body)) + body

    def name(text: str) -> bytes:
        return struct.pack("<BB", len(text), 1) + text.encode("utf-16-le")

    bounds_len = sum(4 + 6 + len(name(n)) for n in sheets)
    head = record(*GLOBALS_BOF) + b"".join(record(*r) for r in globals_records)
    offset = len(head) + bounds_len + 4  # after the BOUNDSHEETs and the globals' EOF
    bounds, subs = b"", b""
    for sheet, records in sheets.items():
        bounds += record(BOUNDSHEET, struct.pack("<IBB", offset, 0, 0) + name(sheet))
        sub = (
            record(BOF, struct.pack("<HH", 0x0600, 0x0010) + b"\0" * 12)
            + b"".join(record(*r) for r in records)
            + record(EOF, b"")
        )
        subs += sub
        offset += len(sub)
    stream = head + bounds + record(EOF, b"") + subs
    return compound_file([("Workbook", STREAM, stream.ljust(4096, b"\0"))])


def _number(row: int, col: int) -> tuple[int, bytes]:
    return NUMBER, struct.pack("<HHHd", row, col, 0, 1.0)


def test_xls_value_records_are_measured_per_named_sheet():
    """BIFF8 caps a sheet at 65536 × 256, still 16.7 million cells."""
    data = _xls({"反馈表": [_number(0, 0), _number(29_999, 255)], "第二": [_number(2, 2)]})
    check_extents(data, "xls", Limits(max_rows=30_000, max_cells=7_680_009))
    e = _refused(data, "xls")
    assert e.detail == "工作表「反馈表」行数过多（30000 行），超过上限 20000 行"
    e = _refused(data, "xls", Limits(max_rows=30_000, max_cells=7_680_008))
    assert e.detail.startswith("工作表「第二」数据区域过大（3 行 × 3 列）")


def test_xls_mulrk_reaches_its_last_column():
    mulrk = (MULRK, struct.pack("<HH", 4, 1) + b"\0" * 6 * 3 + struct.pack("<H", 3))
    data = _xls({"反馈表": [mulrk]})
    check_extents(data, "xls", Limits(max_cells=20))  # 5 rows × 4 columns
    assert "（5 行 × 4 列）" in _refused(data, "xls", Limits(max_cells=19)).detail


def test_an_encrypted_xls_is_f002_before_calamine():
    e = _refused(_xls({"反馈表": [_number(0, 0)]}, FILEPASS), "xls")
    assert e.code == "F002" and "密码" in str(e)


def test_a_damaged_xls_is_f001():
    data = _xls({"反馈表": [_number(0, 0)]})
    assert _refused(data[:700], "xls").code == "F001"


# --- the cheap bound and the exact measure -----------------------------------------------------


def _verdict(data: bytes, limits: Limits, **kw) -> tuple[str, str] | None:
    try:
        check_extents(data, "xlsx", limits, **kw)
    except ReturnedFileError as e:
        return e.code, e.detail
    return None


_ODD_CELLS = {
    "plain": '<c r="B2" t="s"><v>1</v></c>',
    "far, formatted only": '<c r="B2" t="s"><v>1</v></c><c r="XFD9000" s="0"/>',
    "far, formatted only, outside the grid": '<c r="B2" t="s"><v>1</v></c><c r="ZZZ5" s="0"/>',
    "no reference": '<c r="B2" t="s"><v>1</v></c><c t="s"><v>1</v></c><c t="s"><v>1</v></c>',
    "reference not first": '<c t="s" r="Q40"><v>1</v></c>',
    "tab before the reference": '<c\tr="Q40" t="s"><v>1</v></c>',
    "absolute reference": '<c r="$Q$40" t="s"><v>1</v></c>',
    "single quotes": "<c r='Q40' t=\"s\"><v>1</v></c>",
    "value beyond the limit": '<c r="C39" t="s"><v>1</v></c>',
    "value outside the grid": '<c r="XFE3" t="s"><v>1</v></c>',
}


@pytest.mark.parametrize("case", sorted(_ODD_CELLS))
def test_the_cheap_bound_gives_the_exact_measure_s_verdict(tmp_path, monkeypatch, case):
    """Whatever the cells look like, check_extents says what the exact measure alone says
    (the same F001/F003 and detail, or nothing), with and without the gate's inflated parts."""
    from ledger_tools.sheets.returned import extents
    from ledger_tools.sheets.returned.sniff import sniff_parts

    members = xlsx_members(far_cell_xlsx(tmp_path / "far.xlsx"))
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    members["xl/worksheets/sheet1.xml"] = sheet.replace(
        '<c r="XFD1048576" t="s"><v>1</v></c>', _ODD_CELLS[case]
    ).encode()
    data = zip_bytes(members)
    inflated = sniff_parts(data, Limits())[2]
    assert inflated is not None and inflated == members
    for limits in (Limits(), Limits(max_rows=38, max_cells=600), Limits(max_rows=40)):
        fast = _verdict(data, limits), _verdict(data, limits, inflated=inflated)
        with monkeypatch.context() as m:
            m.setattr(extents, "_xlsx_within", lambda *_a: False)
            exact = _verdict(data, limits)
        assert fast == (exact, exact), (case, limits)


def test_a_part_whose_checksum_fails_is_not_handed_on(tmp_path):
    """The gate keeps inflated parts only when their CRC-32 holds: a damaged part is read (and
    refused) by the exact measure as before."""
    from ledger_tools.sheets.returned.sniff import sniff_parts

    data = bytearray(_xlsx(tmp_path, {"反馈表": ["A1"]}))
    with __import__("zipfile").ZipFile(__import__("io").BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    at = data.find(struct.pack("<I", info.CRC), info.header_offset)
    data[at : at + 4] = struct.pack("<I", info.CRC ^ 1)  # the local header's CRC
    cd = data.find(struct.pack("<I", info.CRC), at + 4)
    data[cd : cd + 4] = struct.pack("<I", info.CRC ^ 1)  # and the central directory's
    assert sniff_parts(bytes(data), Limits())[2] is None
    assert _refused(bytes(data), "xlsx").code == "F001"
