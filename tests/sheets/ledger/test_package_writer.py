"""The package writer against the openpyxl path, on every kind of ledger the office keeps.

For each ledger of the corpus a command's writes (a refresh, appended log rows, a header added
to 导入记录, 计算日期) are saved by the writer; the same writes replayed on openpyxl and saved give
the reference. Every written cell must read back alike (value and number format), every part
the writer did not change must be byte-identical to the ledger's, and the result must open in
openpyxl and calamine (and LibreOffice, in the slow test).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.changes import Changes, replay
from ledger_tools.sheets.ledger.data import read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.merging import FORM_MADE
from ledger_tools.sheets.ledger.package_writer import (
    StyleBook,
    Unsupported,
    sheet_parts,
    write_package,
)
from tests.builders import (
    AS_OF,
    ITEMS,
    PNG,
    add_data_bar,
    add_image,
    ledger_by_xlsxwriter,
    make_ledger,
    report_row,
)

STAMP = dt.datetime(2026, 11, 20, 9, 30)
CELL_IMAGES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<etc:cellImages xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData"/>'
)
SPARKLINE = (
    b'<extLst><ext uri="{05C60535-1F16-4fd2-B633-F4F36F0B64E0}" '
    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    b'<x14:sparklineGroups xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    b"<x14:sparklineGroup><x14:sparklines><x14:sparkline><xm:f>\xe5\x8f\xb0\xe8\xb4\xa6!AG2:AH2</xm:f>"
    b"<xm:sqref>AI2</xm:sqref></x14:sparkline></x14:sparklines></x14:sparklineGroup>"
    b"</x14:sparklineGroups></ext></extLst>"
)


def _rezip(path: Path, edit) -> Path:
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    edit(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def _items_part(parts: dict[str, bytes]) -> str:
    book = parts["xl/workbook.xml"].decode()
    names = re.findall(r'<sheet [^>]*name="([^"]+)"', book)
    return f"xl/worksheets/sheet{names.index(sc.ITEMS.name) + 1}.xml"


def _openpyxl_ledger(path: Path) -> Path:
    return make_ledger(
        path, ITEMS, reports=[report_row(ITEMS[0]["事项编号"], "2026-10", dt.date(2026, 10, 20))]
    )


def _enriched(path: Path) -> Path:
    """Staff's ordinary additions that openpyxl drops: a WPS cell image, a sparkline, a password
    to modify, a formula with its cached value, a slicer part."""
    _openpyxl_ledger(path)

    def edit(parts: dict[str, bytes]) -> None:
        items = _items_part(parts)
        xml = parts[items]
        xml = xml.replace(
            b'<row r="2">',
            b'<row r="2"><c r="AG2"><v>3</v></c><c r="AH2"><f>AG2*2</f><v>6</v></c>'
            b'<c r="AJ2" t="str"><f>_xlfn.DISPIMG("ID_1",1)</f><v>=DISPIMG("ID_1",1)</v></c>',
            1,
        )
        xml = re.sub(
            rb'(<row r="2">)(.*?)(</row>)', lambda m: _sorted_row(m), xml, count=1, flags=re.S
        )
        parts[items] = xml.replace(b"</worksheet>", SPARKLINE + b"</worksheet>")
        parts["xl/workbook.xml"] = re.sub(
            rb"(<workbook\b[^>]*>)",
            rb'\1<fileSharing userName="staff" algorithmName="SHA-512" hashValue="aGFzaA==" '
            rb'saltValue="c2FsdA==" spinCount="100000"/>',
            parts["xl/workbook.xml"],
            count=1,
        )
        parts["xl/cellimages.xml"] = CELL_IMAGES
        parts["xl/media/image1.png"] = PNG
        parts["xl/slicers/slicer1.xml"] = b"<slicers/>"

    return _rezip(path, edit)


def _sorted_row(m: re.Match) -> bytes:
    cells = re.findall(rb"<c\b[^>]*?(?:/>|>.*?</c>)", m.group(2), re.S)

    def col(cell: bytes) -> tuple[int, str]:
        letters = re.search(rb'r="([A-Z]+)', cell).group(1).decode()
        return (len(letters), letters)

    return m.group(1) + b"".join(sorted(cells, key=col)) + m.group(3)


def _xlsxwriter_ledger(path: Path) -> Path:
    def decorate(wb, ws):
        add_data_bar(wb, ws)
        add_image(wb, ws)

    return ledger_by_xlsxwriter(path, decorate)


CORPUS = {"openpyxl": _openpyxl_ledger, "enriched": _enriched, "xlsxwriter": _xlsxwriter_ledger}


def _command(lf: LedgerFile) -> None:
    """What refresh, merge and remind --record write: T cells, log rows, a new header, 计算日期."""
    data = read_ledger(lf)
    data.recompute(AS_OF)
    data.table(sc.REPORTS).append(
        {
            "time": STAMP,
            "item_id": ITEMS[0]["事项编号"],
            "unit": "东城区人民政府",
            "period": "2026-11",
            "progress": "=不是公式 <&> 的文字",
            "source_file": " 东城区.xlsx ",
        }
    )
    imports = data.table(sc.IMPORTS)
    imports.add_column(FORM_MADE)
    imports.append(
        {"time": STAMP, "file": "东城区.xlsx", "result": "已合并", "items": 1, FORM_MADE: STAMP}
    )
    data.table(sc.REMINDERS).append(
        {
            "date": AS_OF,
            "item_id": ITEMS[0]["事项编号"],
            "unit": "东城区人民政府",
            "method": "书面督办",
        }
    )


def _written(ledger: Path, tmp: Path) -> tuple[Path, Path, Changes, set[str]]:
    """The writer's result, openpyxl's result for the same writes, the writes, changed parts."""
    with LedgerFile(ledger, writable=True, values_first=True) as lf:
        _command(lf)
        changes = lf.changes
        ours = tmp / "writer.xlsx"
        changed = write_package(ledger, ours, changes)
    wb = openpyxl.load_workbook(ledger)
    replay(changes, wb)
    theirs = tmp / "openpyxl.xlsx"
    wb.save(theirs)
    return ours, theirs, changes, changed


@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_the_writer_writes_what_openpyxl_writes_and_keeps_every_other_part(kind, tmp_path):
    ledger = CORPUS[kind](tmp_path / "台账.xlsx")
    ours, theirs, changes, changed = _written(ledger, tmp_path)
    a, b = openpyxl.load_workbook(ours), openpyxl.load_workbook(theirs)
    owned = [
        (s, r, c)
        for s, sheet in changes.touched().items()
        for r, cells in sheet.cells.items()
        for c in cells
    ]
    assert len(owned) > 20
    for s, r, c in owned:
        x, y = a[s].cell(r, c), b[s].cell(r, c)
        assert (x.value, x.number_format) == (y.value, y.number_format), (s, x.coordinate)
    with zipfile.ZipFile(ledger) as old, zipfile.ZipFile(ours) as new:
        assert old.namelist() == new.namelist()
        for name in old.namelist():
            if name not in changed:
                assert old.read(name) == new.read(name), name
        parts = sheet_parts(old)
        assert changed <= {parts[s] for s in changes.touched()} | {"xl/styles.xml"}
    book = python_calamine.CalamineWorkbook.from_path(str(ours))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def test_staff_cells_in_written_rows_keep_their_formulas_cached_values_and_looks(tmp_path):
    ledger = _enriched(tmp_path / "台账.xlsx")
    ours, _, _, _ = _written(ledger, tmp_path)
    with zipfile.ZipFile(ledger) as z:
        part = sheet_parts(z)[sc.ITEMS.name]
        old = z.read(part)
    with zipfile.ZipFile(ours) as z:
        new = z.read(part)
        assert b"<fileSharing " in z.read("xl/workbook.xml") and "xl/cellimages.xml" in z.namelist()
    for staff in (
        rb'<c r="AH2"><f>AG2\*2</f><v>6</v></c>',
        rb'<c r="AJ2" t="str"><f>_xlfn.DISPIMG',
    ):
        assert re.search(staff, old) and re.search(staff, new)
    assert SPARKLINE in new
    values = python_calamine.CalamineWorkbook.from_path(str(ours)).get_sheet_by_name(sc.ITEMS.name)
    # AH2's cached value, for a viewer that does not recalculate
    assert values.to_python()[1][33] == 6.0


def test_appended_rows_extend_the_ranges_that_ended_on_the_old_last_row(tmp_path):
    ledger = _openpyxl_ledger(tmp_path / "台账.xlsx")
    ours, _, changes, _ = _written(ledger, tmp_path)
    wb = openpyxl.load_workbook(ours)
    ws = wb[sc.REMINDERS.name]  # empty before: its filter covered the header, the last row
    assert (
        ws.auto_filter.ref == "A1:F2" and ws.max_row == 2 and ws["B2"].value == ITEMS[0]["事项编号"]
    )
    ws = wb[sc.REPORTS.name]  # one row before, and a filter over the header only: left as it was
    assert changes.sheet(sc.REPORTS.name).last_row == 3 and ws.auto_filter.ref == "A1:O1"
    assert ws.cell(3, 6).value == "=不是公式 <&> 的文字" and ws.cell(3, 6).data_type == "s"


def test_a_second_save_reuses_the_cell_formats_it_added(tmp_path):
    ledger = _openpyxl_ledger(tmp_path / "台账.xlsx")
    ours, _, _, _ = _written(ledger, tmp_path)
    shutil.copy(ours, ledger)
    again, _, _, _ = _written(
        ledger, tmp_path / "again" if (tmp_path / "again").mkdir() is None else tmp_path
    )
    count = lambda p: zipfile.ZipFile(p).read("xl/styles.xml").count(b"<xf ")  # noqa: E731
    assert count(again) == count(ours)


def test_style_book_copies_the_cells_look_with_the_number_format():
    book = StyleBook(
        '<styleSheet><numFmts count="0"/><cellXfs count="2"><xf numFmtId="0" fontId="0"/>'
        '<xf numFmtId="0" fontId="3" fillId="2"><alignment wrapText="1"/></xf></cellXfs></styleSheet>'
    )
    index = book.with_format(1, "yyyy-mm-dd")
    assert (
        index == 2
        and book.with_format(1, "yyyy-mm-dd") == 2
        and book.with_format(2, "yyyy-mm-dd") == 2
    )
    text = book.render().decode()
    assert 'fontId="3" fillId="2"><alignment wrapText="1"/></xf>' in text.split("<xf", 3)[3]
    assert 'formatCode="yyyy-mm-dd"' in text and '<cellXfs count="3">' in text
    assert book.with_format(0, "0.00%") == 3  # a built-in format needs no numFmt of its own


@pytest.mark.parametrize(
    "spoil",
    [
        lambda xml: re.sub(rb'<row r="\d+"', b"<row", xml),  # rows without numbers
        lambda xml: xml.replace(b"<worksheet ", b"<x:worksheet ", 1),  # another prefix
    ],
    ids=["rows-without-numbers", "prefixed"],
)
def test_what_the_writer_is_not_sure_of_is_left_to_openpyxl(spoil, tmp_path):
    ledger = _openpyxl_ledger(tmp_path / "台账.xlsx")

    def edit(parts):
        items = _items_part(parts)
        parts[items] = spoil(parts[items])

    _rezip(ledger, edit)
    with LedgerFile(ledger, writable=True, values_first=True) as lf:
        _command(lf)
        with pytest.raises(Unsupported):
            write_package(ledger, tmp_path / "out.xlsx", lf.changes)


def test_a_1904_workbook_is_left_to_openpyxl(tmp_path):
    ledger = _openpyxl_ledger(tmp_path / "台账.xlsx")
    _rezip(
        ledger,
        lambda p: p.update(
            {
                "xl/workbook.xml": p["xl/workbook.xml"].replace(
                    b"<workbookPr", b'<workbookPr date1904="1"', 1
                )
            }
        ),
    )
    with LedgerFile(ledger, writable=True, values_first=True) as lf:
        _command(lf)
        with pytest.raises(Unsupported):
            write_package(ledger, tmp_path / "out.xlsx", lf.changes)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_libreoffice_opens_what_the_writer_wrote(kind, tmp_path):
    ledger = CORPUS[kind](tmp_path / "台账.xlsx")
    ours, _, _, _ = _written(ledger, tmp_path)
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    subprocess.run(
        [
            "soffice",
            profile,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(ours),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    assert (tmp_path / "pdf" / "writer.pdf").stat().st_size > 1000


@pytest.mark.slow
def test_a_libreoffice_saved_ledger_is_written_like_openpyxl_writes_it(tmp_path):
    source = (
        _openpyxl_ledger(tmp_path / "src" / "台账.xlsx")
        if (tmp_path / "src").mkdir() is None
        else None
    )
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    subprocess.run(
        [
            "soffice",
            profile,
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    ledger = tmp_path / "台账.xlsx"
    ours, theirs, changes, _ = _written(ledger, tmp_path)
    a, b = openpyxl.load_workbook(ours), openpyxl.load_workbook(theirs)
    for s, sheet in changes.touched().items():
        for r, cells in sheet.cells.items():
            for c in cells:
                x, y = a[s].cell(r, c), b[s].cell(r, c)
                assert (x.value, x.number_format) == (y.value, y.number_format), (s, x.coordinate)
