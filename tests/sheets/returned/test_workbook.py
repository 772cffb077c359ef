"""Reading returned files: every input is built here, in code."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import pickle
import random
import struct
from pathlib import Path

import olefile
import openpyxl
import pytest
import xlsxwriter
from openpyxl.utils.cell import get_column_letter

from ledger_tools.errors import LedgerError
from ledger_tools.sheets.returned.workbook import (
    Limits,
    ReturnedFileError,
    ReturnedWorkbook,
    fingerprint,
    read_returned,
    rust_panic_text_discarded,
)
from tests.builders import (
    PNG,
    assert_chinese,
    build_form,
    build_ods,
    far_cell_xlsx,
    ods_empty,
    ods_text,
    patch_central_sizes,
    xlsx_members,
    zip_bytes,
)

D = dt.date(2026, 3, 5)


def expect(path: Path, code: str, limits: Limits = Limits()) -> ReturnedFileError:  # noqa: B008
    with pytest.raises(ReturnedFileError) as e:
        read_returned(path, limits)
    assert e.value.code == code, (e.value.code, e.value.detail)
    return e.value


# --- cell references ----------------------------------------------------------------------------


def ref(row: int, col: int) -> str:
    return f"{get_column_letter(col + 1)}{row + 1}"


@pytest.mark.parametrize("bad", ["XFE1", "1A", "K 7", "A0", "AAAA1"])
def test_a_bad_cell_reference_in_a_sheet_is_our_error(tmp_path, bad):
    """openpyxl reads the references; what it refuses, or what lies outside Excel's grid,
    is a damaged file (F001) with a Chinese message, never openpyxl's exception."""
    path = build_form(tmp_path / "f.xlsx")
    members = xlsx_members(path)
    xml = members["xl/worksheets/sheet1.xml"].decode()
    assert 'r="C3"' in xml
    members["xl/worksheets/sheet1.xml"] = xml.replace('r="C3"', f'r="{bad}"').encode()
    p = tmp_path / "bad.xlsx"
    p.write_bytes(zip_bytes(members))
    with pytest.raises(ReturnedFileError) as e:
        read_returned(p)
    assert e.value.code == "F001", e.value.detail
    assert_chinese(str(e.value))


# --- reading good files ----------------------------------------------------------------------


def test_xlsx_values_keep_their_a1_positions(tmp_path):
    path = build_form(tmp_path / "反馈表.xlsx")
    wb = read_returned(path)
    assert isinstance(wb, ReturnedWorkbook)
    assert (wb.kind, wb.has_macros, wb.path) == ("xlsx", False, path)
    assert wb.sha256 == fingerprint(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    s = wb.sheet("反馈表")
    assert s.visible == "visible"
    cells = {
        ref(r, c): v for r, row in enumerate(s.rows) for c, v in enumerate(row) if v is not None
    }
    assert cells == {
        "C3": "推进中",
        "D4": 12.5,
        "E4": 3,
        "E5": D,
        # calamine 0.9.1 does recognise the East-Asian built-in format 31 (yyyy年m月d日) and a
        # custom 年月日 format as dates in xlsx; the schema converts serials anyway.
        "F5": D,
        "G5": D,
        "K7": "=SUM(A1)",
        "B9": "  末尾有空格  ",
    }
    assert s.rows[0] == [] and s.rows[2][:2] == [None, None]  # empty cells are None
    assert s.value(2, 2) == "推进中" and s.value(500, 500) is None


def test_hidden_and_very_hidden_sheets_are_read(tmp_path):
    wb = read_returned(build_form(tmp_path / "f.xlsx"))
    assert [(s.name, s.visible) for s in wb.sheets] == [
        ("反馈表", "visible"),
        ("_meta", "veryhidden"),
        ("说明", "hidden"),
    ]
    assert wb.sheet("_meta").rows == [["form_version", 1]]
    assert wb.sheet("说明").rows == [["隐藏"]]
    assert wb.sheet("没有") is None
    assert wb.sheet_names == ["反馈表", "_meta", "说明"]


def test_openpyxl_very_hidden_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "反馈表"
    wb.active["A1"] = "x"
    meta = wb.create_sheet("_meta")
    meta["B2"] = "签名"
    meta.sheet_state = "veryHidden"
    wb.save(tmp_path / "o.xlsx")
    s = read_returned(tmp_path / "o.xlsx").sheet("_meta")
    assert s.visible == "veryhidden"
    assert s.rows == [[], [None, "签名"]]


def test_trailing_empty_cells_and_rows_are_trimmed(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "a"
    ws["C2"] = ""  # an empty string cell is empty
    ws["B3"] = "b"
    ws.cell(40, 8).number_format = "yyyy-mm-dd"  # formatted, no value
    wb.save(tmp_path / "t.xlsx")
    assert read_returned(tmp_path / "t.xlsx").sheets[0].rows == [["a"], [], [None, "b"]]


def test_empty_sheet_has_no_rows(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "e.xlsx"))
    wb.add_worksheet("空")
    wb.close()
    assert read_returned(tmp_path / "e.xlsx").sheet("空").rows == []


def test_a_wrong_dimension_tag_is_not_trusted(tmp_path):
    """WPS and LibreOffice often write a wrong <dimension>; values past it must still come."""
    path = build_form(tmp_path / "d.xlsx")
    members = xlsx_members(path)
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    assert '<dimension ref="B3:K9"/>' in sheet
    members["xl/worksheets/sheet1.xml"] = sheet.replace(
        '<dimension ref="B3:K9"/>', '<dimension ref="A1"/>'
    ).encode()
    bad = tmp_path / "dim.xlsx"
    bad.write_bytes(zip_bytes(members))
    s = read_returned(bad).sheet("反馈表")
    assert s.value(6, 10) == "=SUM(A1)" and s.value(8, 1) == "  末尾有空格  "


def test_type_comes_from_bytes_not_from_the_name(tmp_path):
    path = build_form(tmp_path / "f.xlsx")
    renamed = tmp_path / "反馈表.xls"
    renamed.write_bytes(path.read_bytes())
    assert read_returned(renamed).kind == "xlsx"
    odd = tmp_path / "反馈表"  # no extension at all
    odd.write_bytes(path.read_bytes())
    assert read_returned(odd).sheet("反馈表").value(2, 2) == "推进中"


def test_xlsm_with_vba_project_is_flagged(tmp_path):
    vba = tmp_path / "vbaProject.bin"
    vba.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)  # never parsed
    path = build_form(tmp_path / "m.xlsm", vba=vba)
    wb = read_returned(path)
    assert (wb.kind, wb.has_macros) == ("xlsm", True)
    assert wb.sheet("反馈表").value(2, 2) == "推进中"
    # the same file named .xlsx is still a macro file
    disguised = tmp_path / "m.xlsx"
    disguised.write_bytes(path.read_bytes())
    assert read_returned(disguised).has_macros is True


def test_vba_project_added_by_zip_surgery(tmp_path):
    members = xlsx_members(build_form(tmp_path / "f.xlsx"))
    members["xl/vbaProject.bin"] = b"not really vba"
    path = tmp_path / "s.xlsx"
    path.write_bytes(zip_bytes(members))
    wb = read_returned(path)
    assert (wb.kind, wb.has_macros) == ("xlsm", True)


def test_hand_written_ods(tmp_path):
    rows = (
        f'<table:table-row table:number-rows-repeated="2">{ods_empty(5)}</table:table-row>'
        f"<table:table-row>{ods_empty(2)}{ods_text('推进中')}"
        '<table:table-cell office:value-type="float" office:value="12.5"/>'
        '<table:table-cell office:value-type="date" office:date-value="2026-03-05"/>'
        "</table:table-row>"
        # LibreOffice pads every sheet with a million repeated empty rows: not data
        f'<table:table-row table:number-rows-repeated="1048573">{ods_empty(16384)}</table:table-row>'
    )
    p = tmp_path / "手写.ods"
    p.write_bytes(
        build_ods({"反馈表": rows, "_meta": f"<table:table-row>{ods_text('k')}</table:table-row>"})
    )
    wb = read_returned(p)
    assert (wb.kind, wb.has_macros) == ("ods", False)
    assert wb.sheet("反馈表").rows == [[], [], [None, None, "推进中", 12.5, D]]
    assert wb.sheet("_meta").rows == [["k"]]


def test_cells_without_r_attribute_are_placed_in_sequence(tmp_path):
    """The r of <c> is optional in OOXML; some writers leave it out."""
    wb = xlsxwriter.Workbook(str(tmp_path / "f.xlsx"))
    ws = wb.add_worksheet("反馈表")
    ws.write_row("A5", ["a", "b", "c"])
    wb.close()
    members = xlsx_members(tmp_path / "f.xlsx")
    xml = members["xl/worksheets/sheet1.xml"].decode()
    for ref in ("A5", "B5", "C5"):
        xml = xml.replace(f' r="{ref}"', "")
    assert "<c t=" in xml
    members["xl/worksheets/sheet1.xml"] = xml.encode()
    p = tmp_path / "nor.xlsx"
    p.write_bytes(zip_bytes(members))
    assert read_returned(p).sheet("反馈表").rows == [[], [], [], [], ["a", "b", "c"]]


# --- F001 -------------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    (tmp_path / "e.xlsx").write_bytes(b"")
    assert expect(tmp_path / "e.xlsx", "F001").detail == "文件为空"


def test_png_named_xlsx(tmp_path):
    (tmp_path / "p.xlsx").write_bytes(PNG)
    assert "图片" in expect(tmp_path / "p.xlsx", "F001").detail


@pytest.mark.parametrize(
    ("content", "word"),
    [
        ("事项编号,办理状态\n2026-CW12-01,推进中\n".encode(), "纯文本"),
        ("事项编号,办理状态\n2026-CW12-01,推进中\n".encode("gbk"), "纯文本"),
        (b"", "文件为空"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页"),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "2003 XML",
        ),
        (b"%PDF-1.7\n", "PDF"),
        (b"\x00\x01\x02\x03binary", "无法识别"),
    ],
)
def test_not_a_spreadsheet(tmp_path, content, word):
    p = tmp_path / "x.xlsx"
    p.write_bytes(content)
    e = expect(p, "F001")
    assert word in e.detail
    assert e.detail in str(e)  # the user message carries the detail


def test_text_file_named_xlsx_says_so(tmp_path):
    p = tmp_path / "反馈表.xlsx"
    p.write_text("这是一个文本文件，不是表格\n", encoding="utf-8")
    assert (
        expect(p, "F001").detail
        == "文件不是 Excel/WPS/LibreOffice 表格，而是纯文本（如 CSV），请另存为 .xlsx"
    )


def test_truncated_xlsx(tmp_path):
    data = build_form(tmp_path / "f.xlsx").read_bytes()
    p = tmp_path / "half.xlsx"
    p.write_bytes(data[: len(data) // 2])
    assert "压缩包已损坏或不完整" in expect(p, "F001").detail


def test_other_zips_and_documents(tmp_path):
    cases = {
        "plain.xlsx": ({"a.txt": b"hello"}, "普通压缩包"),
        "doc.xlsx": ({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}, "Word"),
        "odt.ods": ({"mimetype": b"application/vnd.oasis.opendocument.text"}, "OpenDocument"),
        "b.xlsx": ({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\0"}, "xlsb"),
    }
    for name, (members, word) in cases.items():
        p = tmp_path / name
        p.write_bytes(zip_bytes(members))
        assert word in expect(p, "F001").detail, name


def test_workbook_part_that_is_not_xml(tmp_path):
    members = xlsx_members(build_form(tmp_path / "f.xlsx"))
    members["xl/workbook.xml"] = b"\x00garbage"
    p = tmp_path / "g.xlsx"
    p.write_bytes(zip_bytes(members))
    expect(p, "F001")


def test_missing_file_and_directory(tmp_path):
    assert expect(tmp_path / "nope.xlsx", "F001").detail == "文件不存在"
    expect(tmp_path, "F001")


def test_damaged_files_never_leak_raw_exceptions(tmp_path):
    """Flip bytes all over a good file: it either reads or raises ReturnedFileError."""
    data = build_form(tmp_path / "f.xlsx").read_bytes()
    rng = random.Random(20260305)
    p = tmp_path / "m.xlsx"
    for _ in range(60):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(mutated))
            mutated[i] = rng.randrange(256)
        if rng.random() < 0.3:
            mutated = mutated[: rng.randrange(len(mutated))]
        p.write_bytes(bytes(mutated))
        try:
            read_returned(p)
        except ReturnedFileError as e:
            assert e.code in {"F001", "F002", "F003"}


# --- F002 -------------------------------------------------------------------------------------


def test_encrypted_xlsx(tmp_path):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    src = build_form(tmp_path / "f.xlsx")
    out = io.BytesIO()
    with open(src, "rb") as f:
        ooxml.OOXMLFile(f).encrypt("123456", out)
    p = tmp_path / "加密.xlsx"
    p.write_bytes(out.getvalue())
    e = expect(p, "F002")
    assert "密码" in str(e)


def test_zip_level_encryption(tmp_path):
    data = bytearray(build_form(tmp_path / "f.xlsx").read_bytes())
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:  # set the "encrypted" flag bit
        struct.pack_into("<H", data, pos + 8, struct.unpack_from("<H", data, pos + 8)[0] | 1)
        pos += 4
    p = tmp_path / "z.xlsx"
    p.write_bytes(bytes(data))
    expect(p, "F002")


# --- F003 -------------------------------------------------------------------------------------


def test_file_too_large(tmp_path):
    p = build_form(tmp_path / "f.xlsx")
    e = expect(p, "F003", Limits(max_file_bytes=1000))
    assert "超过上限" in e.detail and "MB" in e.detail


def test_file_size_message():
    from ledger_tools.sheets.returned.limits import mb

    assert mb(int(35.2 * 1024 * 1024)) == "35.2 MB"
    assert mb(20 * 1024 * 1024) == "20 MB"


def test_zip_bomb_by_ratio(tmp_path):
    members = xlsx_members(build_form(tmp_path / "f.xlsx"))
    members["xl/media/zeros.bin"] = bytes(8 * 1024 * 1024)  # ~8 KB compressed, ratio ~1000
    p = tmp_path / "bomb.xlsx"
    p.write_bytes(zip_bytes(members))
    e = expect(p, "F003")
    assert "压缩比" in e.detail and "xl/media/zeros.bin" in e.detail


def test_zip_bomb_by_declared_total(tmp_path):
    """A small file whose directory *declares* 300 MB: refused before anything is inflated."""
    data = build_form(tmp_path / "f.xlsx").read_bytes()
    p = tmp_path / "declared.xlsx"
    p.write_bytes(patch_central_sizes(data, "xl/styles.xml", file_size=300 * 1024 * 1024))
    e = expect(p, "F003")
    assert "超过上限 200 MB" in e.detail


def test_zip_part_inflating_beyond_its_declared_size(tmp_path):
    """The directory lies low; the real inflated size is what counts."""
    members = xlsx_members(build_form(tmp_path / "f.xlsx"))
    members["xl/media/zeros.bin"] = bytes(4 * 1024 * 1024)
    data = patch_central_sizes(zip_bytes(members), "xl/media/zeros.bin", file_size=60_000)
    p = tmp_path / "liar.xlsx"
    p.write_bytes(data)
    assert "声明" in expect(p, "F003").detail


def test_too_many_zip_members(tmp_path):
    members = xlsx_members(build_form(tmp_path / "f.xlsx"))
    members.update({f"customXml/item{i}.xml": b"<a/>" for i in range(20)})
    p = tmp_path / "many.xlsx"
    p.write_bytes(zip_bytes(members))
    assert "部件" in expect(p, "F003", Limits(max_members=25)).detail
    assert read_returned(p).kind == "xlsx"


def test_too_many_rows(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "r.xlsx"))
    ws = wb.add_worksheet("反馈表")
    for r in range(30):
        ws.write_number(r, 0, r)
    wb.close()
    e = expect(tmp_path / "r.xlsx", "F003", Limits(max_rows=29))
    assert "行数过多" in e.detail and "反馈表" in e.detail
    assert len(read_returned(tmp_path / "r.xlsx", Limits(max_rows=30)).sheets[0].rows) == 30


def test_far_away_cell_does_not_blow_up_memory(tmp_path):
    """A1 plus XFD200 would be a 3.3-million-cell grid: refused before it is built."""
    wb = xlsxwriter.Workbook(str(tmp_path / "far.xlsx"))
    ws = wb.add_worksheet("反馈表")
    ws.write("A1", "a")
    ws.write("XFD200", "z")
    wb.close()
    assert "过大" in expect(tmp_path / "far.xlsx", "F003").detail


def test_far_away_cells_are_refused_before_calamine_builds_the_grid(tmp_path):
    """A1 and XFD1048576 in a 6 KB file: calamine would ask for ~500 GB and abort the whole
    process (no exception to catch), so the extent is measured first."""
    e = expect(far_cell_xlsx(tmp_path / "far.xlsx"), "F003")
    assert "行数过多" in e.detail and "1048576" in e.detail


def test_sheet_part_with_an_odd_name_is_measured_too(tmp_path):
    """The workbook's relationships may point a sheet at any part name, not only *.xml."""
    members = xlsx_members(far_cell_xlsx(tmp_path / "far.xlsx"))
    members["xl/worksheets/data.bin"] = members.pop("xl/worksheets/sheet1.xml")
    for part in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
        members[part] = members[part].replace(b"worksheets/sheet1.xml", b"worksheets/data.bin")
    p = tmp_path / "odd.xlsx"
    p.write_bytes(zip_bytes(members))
    assert "反馈表" in expect(p, "F003").detail


def test_formatted_empty_cells_do_not_count(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "a"
    ws.cell(30_000, 5).number_format = "yyyy-mm-dd"  # written as <c ...></c>: no value
    ws.cell(10, 16_000).number_format = "@"
    wb.save(tmp_path / "fmt.xlsx")
    assert read_returned(tmp_path / "fmt.xlsx").sheets[0].rows == [["a"]]


def test_ods_repeated_value_bomb(tmp_path):
    """One value repeated over 16384 columns and a million rows: a few hundred bytes."""
    rows = (
        f"<table:table-row>{ods_text('x')}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="1048575">{ods_text("炸", 16384)}</table:table-row>'
    )
    p = tmp_path / "bomb.ods"
    p.write_bytes(build_ods({"反馈表": rows}))
    assert len(p.read_bytes()) < 2000
    e = expect(p, "F003")
    assert "反馈表" in e.detail and "行数过多" in e.detail
    rows = f'<table:table-row table:number-rows-repeated="500">{ods_text("炸", 16384)}</table:table-row>'
    p.write_bytes(build_ods({"反馈表": rows}))
    assert "数据区域过大" in expect(p, "F003").detail


def test_cell_limit_counts_all_sheets(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "s.xlsx"))
    for i in range(3):
        wb.add_worksheet(f"表{i}").write("J100", "x")  # 1,000 cells each
    wb.close()
    assert (
        read_returned(tmp_path / "s.xlsx", Limits(max_cells=3000)).sheet("表2").value(99, 9) == "x"
    )
    expect(tmp_path / "s.xlsx", "F003", Limits(max_cells=2999))


def test_damaged_parts_never_leak_raw_exceptions(tmp_path):
    """A sound zip with mangled XML inside: either read or ReturnedFileError."""
    members = xlsx_members(build_form(tmp_path / "f.xlsx"))
    rng = random.Random(7)
    p = tmp_path / "x.xlsx"
    targets = [
        "xl/worksheets/sheet1.xml",
        "xl/workbook.xml",
        "xl/sharedStrings.xml",
        "xl/styles.xml",
        "[Content_Types].xml",
        "xl/_rels/workbook.xml.rels",
    ]
    for _ in range(60):
        mangled = dict(members)
        name = rng.choice(targets)
        data = bytearray(mangled[name])
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] = rng.choice(b'<>"/=&x0\xff')
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        mangled[name] = bytes(data)
        p.write_bytes(zip_bytes(mangled))
        try:
            read_returned(p)
        except ReturnedFileError as e:
            assert e.code in {"F001", "F003"}


def test_xml_entities_are_not_expanded(tmp_path):
    """A billion-laughs [Content_Types].xml is refused by defusedxml, not expanded."""
    members = xlsx_members(build_form(tmp_path / "f.xlsx"))
    members["[Content_Types].xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Types>&b;</Types>'
    )
    p = tmp_path / "lol.xlsx"
    p.write_bytes(zip_bytes(members))
    expect(p, "F001")


# --- the error type ---------------------------------------------------------------------------


def test_error_type_and_finding():
    e = ReturnedFileError("F001", "文件为空")
    assert isinstance(e, LedgerError) and isinstance(e, ValueError)
    assert e.exit_code == 1
    assert str(e) == "文件无法作为电子表格读取（文件为空）。请重新从反馈表另存为 .xlsx 后报送。"
    f = e.finding("a.xlsx")
    assert (f.code, f.file, f.is_error) == ("F001", "a.xlsx", True)
    assert f.message == str(e)
    again = pickle.loads(pickle.dumps(e))
    assert (again.code, again.detail, str(again)) == ("F001", "文件为空", str(e))


# --- files made by LibreOffice ------------------------------------------------------------------


@pytest.fixture(scope="module")
def lo_files(tmp_path_factory):
    from tests.realclient.lo import convert, require_soffice

    require_soffice()
    d = tmp_path_factory.mktemp("lo")
    src = build_form(d / "反馈表.xlsx")
    return {fmt: convert(src, fmt, d / fmt) for fmt in ("xls", "ods")}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_libreoffice_files_round_trip(lo_files, fmt):
    wb = read_returned(lo_files[fmt])
    assert (wb.kind, wb.has_macros) == (fmt, False)
    s = wb.sheet("反馈表")
    assert s.value(2, 2) == "推进中"  # C3
    assert s.value(3, 3) == 12.5 and s.value(3, 4) == 3  # D4, E4 (xls: int 3, ods: 3.0)
    assert s.value(4, 4) == s.value(4, 5) == s.value(4, 6) == D  # E5:G5, all formats
    assert s.value(6, 10) == "=SUM(A1)"  # K7 stays text
    assert s.value(8, 1) == "  末尾有空格  "
    # LibreOffice has no "very hidden": it saves _meta as merely hidden, still readable
    assert [(x.name, x.visible) for x in wb.sheets] == [
        ("反馈表", "visible"),
        ("_meta", "hidden"),
        ("说明", "hidden"),
    ]
    assert wb.sheet("_meta").rows == [["form_version", 1]]


@pytest.mark.slow
def test_truncated_xls_and_ods(lo_files, tmp_path):
    for fmt, path in lo_files.items():
        data = path.read_bytes()
        p = tmp_path / f"half.{fmt}"
        p.write_bytes(data[: len(data) // 2])
        expect(p, "F001")


@pytest.mark.slow
def test_xls_named_xlsx(lo_files, tmp_path):
    p = tmp_path / "really-xls.xlsx"
    p.write_bytes(lo_files["xls"].read_bytes())
    assert read_returned(p).kind == "xls"


@pytest.mark.slow
def test_far_away_cell_in_xls(tmp_path):
    """BIFF8 caps a sheet at 65536 × 256, still 16.7 million cells: measured from the records."""
    from tests.realclient.lo import convert, require_soffice

    require_soffice()
    wb = xlsxwriter.Workbook(str(tmp_path / "far.xlsx"))
    ws = wb.add_worksheet("反馈表")
    ws.write("A1", "a")
    ws.write("IV30000", "z")
    wb.add_worksheet("第二").write("C3", 1)
    wb.close()
    xls = convert(tmp_path / "far.xlsx", "xls", tmp_path / "out")
    e = expect(xls, "F003")
    assert "反馈表" in e.detail and "30000" in e.detail
    book = read_returned(xls, Limits(max_rows=30000, max_cells=10_000_000))
    assert book.sheet("反馈表").value(29_999, 255) == "z"
    assert book.sheet("第二").rows == [[], [], [None, None, 1]]


@pytest.mark.slow
def test_xls_records_are_measured_in_small_and_big_workbook_streams(tmp_path, lo_files):
    """The Workbook stream comes from olefile, whether it lies in the mini stream (a small
    file) or in regular sectors (over 4 KB): its records are all walked before calamine."""
    from tests.realclient.lo import convert

    wb = xlsxwriter.Workbook(str(tmp_path / "big.xlsx"))
    ws = wb.add_worksheet("反馈表")
    for r in range(2000):
        ws.write_row(r, 0, [f"第{r}行", r, r * 0.5])
    wb.close()
    big = convert(tmp_path / "big.xlsx", "xls", tmp_path / "out")
    assert len(olefile.OleFileIO(str(big)).openstream("Workbook").read()) > 4096
    assert read_returned(big).sheet("反馈表").value(1999, 0) == "第1999行"
    e = expect(big, "F003", Limits(max_rows=1999))
    assert "反馈表" in e.detail and "2000" in e.detail
    e = expect(lo_files["xls"], "F003", Limits(max_rows=8))  # B9 is the last row
    assert "反馈表" in e.detail


@pytest.mark.slow
def test_password_protected_xls_and_ods(tmp_path):
    from tests.realclient.lo import fill_and_save, require_soffice

    require_soffice(uno=True)
    src = build_form(tmp_path / "f.xlsx")
    out = fill_and_save(
        src, {"反馈表": {"C3": "已办结"}}, tmp_path / "enc", ("xls", "ods"), password="123456"
    )
    for path in out.values():
        expect(path, "F002")


# --- merged cells (issue 12): a cell a merge swallowed is known as such, in every format ----


def test_merged_ranges_of_an_xlsx(tmp_path):
    path = tmp_path / "合并.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "反馈表"
    ws["B2"] = "两项一并填写"
    ws.merge_cells("B2:B3")
    ws.merge_cells("D5:F5")
    wb.save(path)
    sheet = read_returned(path).sheet("反馈表")
    assert sorted(sheet.merged) == [(1, 1, 2, 1), (4, 3, 4, 5)]
    assert sheet.covered(1, 1) is None  # the top-left cell keeps the value
    assert sheet.covered(2, 1) == "B2:B3" and sheet.covered(4, 5) == "D5:F5"
    assert sheet.covered(3, 1) is None and sheet.covered(4, 2) is None


def test_merged_ranges_of_an_ods_written_by_hand(tmp_path):
    rows = (
        "<table:table-row>"
        + ods_empty(1)
        + '<table:table-cell office:value-type="string" table:number-columns-spanned="2"'
        ' table:number-rows-spanned="2"><text:p>合并</text:p></table:table-cell>'
        "<table:covered-table-cell/>"
        + ods_text("C")
        + "</table:table-row>"
        + '<table:table-row table:number-rows-repeated="1">'
        + ods_empty(1)
        + '<table:covered-table-cell table:number-columns-repeated="2"/>'
        + ods_text("D")
        + "</table:table-row>"
        + '<table:table-row table:number-rows-repeated="3">'
        + ods_empty(4)
        + "</table:table-row>"
        + "<table:table-row>"
        + ods_text("x", 2)
        + '<table:table-cell office:value-type="string" table:number-rows-spanned="2">'
        "<text:p>下</text:p></table:table-cell></table:table-row>"
    )
    path = tmp_path / "合并.ods"
    path.write_bytes(
        build_ods(
            {"反馈表": rows, "其他": "<table:table-row>" + ods_text("y") + "</table:table-row>"}
        )
    )
    book = read_returned(path)
    sheet = book.sheet("反馈表")
    assert sheet.merged == [(0, 1, 1, 2), (5, 2, 6, 2)]
    assert sheet.value(0, 1) == "合并" and sheet.value(0, 3) == "C" and sheet.value(1, 3) == "D"
    assert sheet.covered(1, 2) == "B1:C2" and sheet.covered(6, 2) == "C6:C7"
    assert book.sheet("其他").merged == []


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["ods", "xls", "xlsx"])
def test_merged_ranges_as_libreoffice_saves_them(tmp_path, fmt):
    from tests.realclient.lo import convert, require_soffice

    require_soffice()
    src = tmp_path / "src" / "合并.xlsx"
    src.parent.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "反馈表"
    ws["B2"] = "两项一并填写"
    ws.merge_cells("B2:B3")
    ws.merge_cells("D5:F5")
    wb.save(src)
    sheet = read_returned(convert(src, fmt, tmp_path / "out")).sheet("反馈表")
    assert sorted(sheet.merged) == [(1, 1, 2, 1), (4, 3, 4, 5)]
    assert sheet.covered(2, 1) == "B2:B3" and sheet.value(1, 1) == "两项一并填写"


def test_a_date_beyond_any_calendar_is_f001_and_no_rust_panic_text_reaches_stderr(
    tmp_path, capfd, monkeypatch
):
    """calamine panics on a date-formatted -1e12; Rust's hook writes the panic (and, with
    RUST_BACKTRACE, a backtrace) to file descriptor 2 whatever Python does with sys.stderr."""
    monkeypatch.setenv("RUST_BACKTRACE", "1")
    path = tmp_path / "反馈表.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("反馈表")
    ws.write_number("A1", -(10**12), wb.add_format({"num_format": "yyyy-mm-dd"}))
    wb.close()
    with pytest.raises(ReturnedFileError) as e:
        read_returned(path)
    assert e.value.code == "F001"
    assert_chinese(str(e.value))
    err = capfd.readouterr().err
    assert "panicked" not in err and "backtrace" not in err and "RUST_BACKTRACE" not in err, err


def test_what_else_reaches_stderr_meanwhile_is_kept(capfd):
    """Only the panic text is dropped: output before it, or in a block that did not panic,
    reaches the real stderr in full and in order."""
    with rust_panic_text_discarded():
        os.write(2, "前面的提示\n".encode())
    with rust_panic_text_discarded():
        os.write(2, b"kept\n\nthread '<unnamed>' panicked at src/lib.rs:1:1:\nboom\n")
        os.write(2, b"stack backtrace:\n   0: rust_begin_unwind\n")
    assert capfd.readouterr().err == "前面的提示\nkept\n"
