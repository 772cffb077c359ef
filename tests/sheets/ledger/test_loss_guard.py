"""The loss guard: what a package holds, what openpyxl said it dropped, and the refusal."""

import shutil
import warnings
import zipfile

import openpyxl
import pytest

from ledger_tools.errors import WouldLoseData
from ledger_tools.sheets.ledger import loss_guard
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.loss_guard import (
    describe_load_warning,
    inventory,
    recording_load_losses,
    refuse_losses,
)
from tests.builders import add_data_bar, add_image, item, ledger_by_xlsxwriter, make_ledger

EXTENSION = "扩展内容（数据条、图标集、新式数据验证或迷你图等）"


def test_inventory_counts_parts_and_features(tmp_path):
    path = ledger_by_xlsxwriter(tmp_path / "x.xlsx", add_data_bar)
    inv = inventory(path)
    assert inv["工作表"] == len(sc.SHEETS)
    assert inv[EXTENSION] >= 1
    with zipfile.ZipFile(path) as z:
        assert "xl/workbook.xml" in z.namelist()


def test_inventory_sees_an_image_and_can_be_limited_to_some_parts(tmp_path):
    path = ledger_by_xlsxwriter(tmp_path / "x.xlsx", add_image)
    inv = inventory(path)
    assert inv["图片或媒体文件"] == 1 and inv["图片"] == 1
    only_workbook = inventory(path, {"xl/workbook.xml"})
    assert only_workbook["工作表"] == len(sc.SHEETS) and "图片" not in only_workbook


def test_an_openpyxl_save_of_a_decorated_ledger_is_refused_naming_what_goes(tmp_path):
    old = ledger_by_xlsxwriter(tmp_path / "台账.xlsx", add_data_bar)
    with recording_load_losses() as dropped:
        wb = openpyxl.load_workbook(old)
    new = tmp_path / "new.xlsx"
    wb.save(new)
    with pytest.raises(WouldLoseData) as e:
        refuse_losses(old, new, dropped=dropped)
    message = str(e.value)
    assert message.startswith("拒绝保存台账 台账.xlsx") and "扩展内容" in message
    assert "原有 " in message and "台账未作任何修改" in message


def test_a_copy_loses_nothing(tmp_path):
    old = make_ledger(tmp_path / "台账.xlsx", [item()])
    new = shutil.copy(old, tmp_path / "copy.xlsx")
    refuse_losses(old, new)  # no exception


def test_losses_announced_while_loading_refuse_even_an_identical_package(tmp_path):
    old = make_ledger(tmp_path / "台账.xlsx", [item()])
    with pytest.raises(WouldLoseData, match="迷你图（读取时无法保留）"):
        refuse_losses(old, old, dropped=["迷你图"])


def test_openpyxl_load_warnings_are_named_in_chinese_and_harmless_ones_ignored():
    assert describe_load_warning("Data Validation extension is not supported and will be removed")
    assert describe_load_warning("Sparkline Group extension is not supported") == "迷你图"
    assert "openpyxl 不支持" in describe_load_warning("Something else is not supported")
    assert describe_load_warning("Workbook contains no default style, apply openpyxl's") is None


def test_recording_load_losses_keeps_distinct_losses_sorted():
    with recording_load_losses() as dropped:
        warnings.warn("Slicer List extension is not supported and will be removed", stacklevel=1)
        warnings.warn("Slicer List extension is not supported and will be removed", stacklevel=1)
        warnings.warn("Unknown extension is not supported and will be removed", stacklevel=1)
        warnings.warn("Workbook contains no default style", stacklevel=1)
    assert dropped == sorted(["切片器", "未知的扩展内容"])


def test_an_openpyxl_save_is_refused_for_a_password_a_wps_cell_image_cached_values_and_parts(
    tmp_path,
):
    """SPEC §8: what openpyxl drops without a warning is counted too."""
    ledger = make_ledger(tmp_path / "台账.xlsx", [item()])
    with zipfile.ZipFile(ledger) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"<workbookPr", b'<fileSharing userName="staff" reservationPassword="CC1A"/><workbookPr', 1
    )
    parts["xl/cellimages.xml"] = b"<cellImages/>"
    parts["xl/printerSettings/printerSettings1.bin"] = b"\0" * 16
    sheet = "xl/worksheets/sheet2.xml"
    parts[sheet] = parts[sheet].replace(
        b'<row r="2">', b'<row r="2"><c r="AZ2"><f>1+1</f><v>2</v></c>', 1
    )
    with zipfile.ZipFile(ledger, "w") as out:
        for n, data in parts.items():
            out.writestr(n, data)
    saved = tmp_path / "openpyxl.xlsx"
    openpyxl.load_workbook(ledger).save(saved)
    with pytest.raises(WouldLoseData) as refused:
        refuse_losses(ledger, saved)
    for named in ("修改权限密码", "WPS 单元格图片", "缓存值", "printerSettings"):
        assert named in str(refused.value), refused.value


@pytest.mark.parametrize("piece", [5, 1 << 22])
def test_a_worksheet_with_a_prefixed_namespace_is_counted_like_any_other(
    tmp_path, monkeypatch, piece
):
    """``<x:worksheet xmlns:x=…>``: its formulas' cached values, merged cells and hyperlinks
    are counted as in the usual spelling, so an openpyxl save that drops them is refused."""
    main = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    body = (
        b'<sheetData><row r="1"><c r="A1"><v>3</v></c><c r="B1"><f>A1*2</f><v>6</v></c></row>'
        b'</sheetData><mergeCells count="1"><mergeCell ref="C1:D1"/></mergeCells>'
    )
    plain = b"<worksheet " + main + b">" + body + b"</worksheet>"
    prefixed = plain.replace(main, main.replace(b"xmlns=", b"xmlns:x=")).replace(b"<", b"<x:")
    prefixed = prefixed.replace(b"<x:/", b"</x:")
    monkeypatch.setattr(loss_guard, "_PIECE", piece)
    counts = []
    for xml in (plain, prefixed):
        path = tmp_path / f"{len(counts)}.xlsx"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("xl/worksheets/sheet1.xml", xml)
        counts.append(inventory(path))
    assert counts[0] == counts[1]
    assert counts[1]["公式的计算结果（缓存值）"] == 1 and counts[1]["合并单元格"] == 1


def _sheet_xml(cells: int) -> bytes:
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>&lt;mergeCell ref="A1:B1"/&gt;</t></is></c>'
        b'<c r="B%d"><f>A%d*2</f><v>%d</v></c></row>' % (r, r, r, r, r)
        for r in range(1, cells + 1)
    )
    return (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + rows + b'</sheetData><mergeCells count="2"><mergeCell ref="C1:D1"/>'
        b'<mergeCell ref="C2:D2"/></mergeCells><dataValidations count="1"><dataValidation '
        b'type="list" sqref="E1"><formula1>"a,b"</formula1></dataValidation></dataValidations>'
        b'<hyperlinks><hyperlink ref="F1" r:id="rId1"/></hyperlinks><extLst><ext uri="{x}">'
        b"</ext></extLst></worksheet>"
    )


@pytest.mark.parametrize("piece", [7, 64, 1000, 1 << 22])
def test_a_part_counted_in_pieces_of_any_size_gives_the_same_counts(tmp_path, monkeypatch, piece):
    """The parts are read a piece at a time (a 50,000-item 台账 is 80 MB of XML): a tag, or a
    formula and its cached value, cut between two pieces would be counted wrong. Cell text
    that reads like a tag is not a tag; a sheet without cells (<sheetData/>) counts its
    merged ranges after it."""
    path = tmp_path / "x.xlsx"
    empty = _sheet_xml(0).replace(b"<sheetData></sheetData>", b"<sheetData/>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", _sheet_xml(300))
        z.writestr("xl/worksheets/sheet2.xml", empty)
    monkeypatch.setattr(loss_guard, "_PIECE", piece)
    counts = inventory(path)
    assert counts["公式的计算结果（缓存值）"] == 300
    assert counts["合并单元格"] == 4 and counts["数据验证（下拉列表）"] == 2
    assert counts["超链接"] == 2 and counts[EXTENSION] == 2


def test_what_the_writer_counted_of_a_part_is_taken_instead_of_reading_it_again(tmp_path):
    """A part the writer streamed comes with its counts, old and new (``counted``): a drop
    there refuses the save although the packages themselves are not read for it."""
    old = make_ledger(tmp_path / "台账.xlsx", [item()])
    new = shutil.copy(old, tmp_path / "copy.xlsx")
    part = "xl/worksheets/sheet1.xml"
    kept = inventory(old, {part})
    refuse_losses(old, new, {part}, counted={part: (kept, kept)})  # no exception
    more = kept.copy()
    more["数据验证（下拉列表）"] += 1  # the old part had one the written one has not
    with pytest.raises(WouldLoseData, match="数据验证"):
        refuse_losses(old, new, {part}, counted={part: (more, kept)})
