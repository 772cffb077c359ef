"""The package writer against the openpyxl path, on every kind of ledger the office keeps.

For each ledger of the corpus (tests/builders.py: a small one, the sample, a benchmark-shaped
one, staff's additions openpyxl drops, another program's rebuild with a chart, a picture and a
data bar, each staff-ledger case of tests/robustness/staff.py, and, in the slow tests, one
LibreOffice saved) a command's writes (a refresh, appended log rows, a header added to
导入记录, 交办日期/交办文号, a 月度快照 row, 计算日期) are saved by the writer; the same writes
replayed on openpyxl and saved give the reference. Every cell must read back alike (value and
number format: the written ones and staff's), every part the writer did not change must be
byte-identical to the ledger's, and the result must open in openpyxl and calamine, and in
LibreOffice (converted to PDF, in the slow test).
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
from ledger_tools.sheets.ledger.data import read_ledger, require_clean
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.loss_guard import Counted, inventory
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
    SPARKLINE_EXT,
    add_data_bar,
    add_image,
    benchmark_ledger,
    decorated_sample,
    edit_parts,
    ledger_by_xlsxwriter,
    make_ledger,
    report_row,
    sample_ledger,
    sheet_part,
    with_staff_additions,
)
from tests.realclient import lo
from tests.robustness.staff import CASES, Base

STAMP = dt.datetime(2026, 11, 20, 9, 30)
LATER = dt.date(2026, 11, 27)  # a refresh a week on: every open item's 剩余工作日 moves


def _openpyxl_ledger(path: Path) -> Path:
    return make_ledger(
        path, ITEMS, reports=[report_row(ITEMS[0]["事项编号"], "2026-10", dt.date(2026, 10, 20))]
    )


def _enriched(path: Path) -> Path:
    """The small ledger with staff's additions that openpyxl drops (``with_staff_additions``)."""
    return with_staff_additions(_openpyxl_ledger(path))


def _xlsxwriter_ledger(path: Path) -> Path:
    def decorate(wb, ws):
        add_data_bar(wb, ws)
        add_image(wb, ws)

    return ledger_by_xlsxwriter(path, decorate)


CORPUS = {
    "openpyxl": _openpyxl_ledger,
    "enriched": _enriched,
    "xlsxwriter": _xlsxwriter_ledger,
    "sample": sample_ledger,
    "benchmark": benchmark_ledger,
    "decorated-sample": decorated_sample,
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Each corpus ledger built once for the module (on first use); tests copy it."""
    built: dict[str, Path] = {}

    def get(kind: str, folder: Path) -> Path:
        if kind not in built:
            built[kind] = CORPUS[kind](tmp_path_factory.mktemp(kind) / "台账.xlsx")
        return Path(shutil.copy(built[kind], folder / "台账.xlsx"))

    return get


def _command(lf: LedgerFile, as_of: dt.date = AS_OF) -> None:
    """What refresh, merge, notices, brief and remind --record write: T cells, log rows, a new
    header, 交办日期/交办文号 of an unassigned item, a 月度快照 row, 计算日期."""
    data = read_ledger(lf)
    data.recompute(as_of)
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
    unassigned = [i for i in data.items if i.assigned is None and i.row]
    if unassigned:
        items = data.table(sc.ITEMS)
        items.set(unassigned[0].row, "assigned", as_of)
        items.set(unassigned[0].row, "notice_no", "督查通〔2026〕99号")
    snapshots = data.table(sc.SNAPSHOTS)
    row = snapshots.append(
        {"month": "2026-11", "as_of": as_of, "total": len(data.items), "completion_rate": 0.375}
    )
    snapshots.set_format(row, "completion_rate", "0.0%")


def _written(
    ledger: Path, tmp: Path, as_of: dt.date = AS_OF
) -> tuple[Path, Path, Changes, set[str]]:
    """The writer's result, openpyxl's result for the same writes, the writes, changed parts.

    What the writer counted for the loss guard as it streamed each worksheet must be what
    the guard counts reading the old and the new package."""
    with LedgerFile(ledger, writable=True, values_first=True) as lf:
        _command(lf, as_of)
        changes = lf.changes
        ours = tmp / "writer.xlsx"
        counted: Counted = {}
        changed = write_package(ledger, ours, changes, counted=counted)
    assert counted.keys() == {n for n in changed if n.startswith("xl/worksheets/")}
    for part, (before, after) in counted.items():
        assert (before, after) == (inventory(ledger, {part}), inventory(ours, {part})), part
    wb = openpyxl.load_workbook(ledger)
    replay(changes, wb)
    theirs = tmp / "openpyxl.xlsx"
    wb.save(theirs)
    return ours, theirs, changes, changed


def _cells(path: Path) -> dict[str, dict[tuple[int, int], tuple]]:
    """Every cell openpyxl reads, sheet by sheet: (value, number format)."""
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: {
            (c.row, c.column): (c.value, c.number_format)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None or c.number_format != "General"
        }
        for ws in wb.worksheets
    }


def assert_written_like_openpyxl(ledger: Path, tmp: Path, as_of: dt.date = AS_OF) -> Changes:
    """The differential check (see the module); the writes made, for further checks."""
    ours, theirs, changes, changed = _written(ledger, tmp, as_of)
    a, b = _cells(ours), _cells(theirs)
    owned = [
        (s, r, c)
        for s, sheet in changes.touched().items()
        for r, cells in sheet.cells.items()
        for c in cells
    ]
    assert len(owned) > 20
    for s, r, c in owned:
        assert a[s].get((r, c)) == b[s].get((r, c)), (s, r, c, a[s].get((r, c)), b[s].get((r, c)))
    assert list(a) == list(b)
    for s in a:  # staff's cells too, and nothing written where the command wrote nothing
        differing = sorted(k for k in a[s].keys() | b[s].keys() if a[s].get(k) != b[s].get(k))
        assert not differing, (s, [(k, a[s].get(k), b[s].get(k)) for k in differing[:5]])
    with zipfile.ZipFile(ledger) as old, zipfile.ZipFile(ours) as new:
        assert old.namelist() == new.namelist()
        for name in old.namelist():
            if name not in changed:
                assert old.read(name) == new.read(name), name
        parts = sheet_parts(old)
        tables = {n for n in old.namelist() if n.startswith("xl/tables/")}
        assert changed <= {parts[s] for s in changes.touched()} | {"xl/styles.xml"} | tables
    book = python_calamine.CalamineWorkbook.from_path(str(ours))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
    return changes


@pytest.mark.parametrize("kind", list(CORPUS))
def test_the_writer_writes_what_openpyxl_writes_and_keeps_every_other_part(kind, corpus, tmp_path):
    assert_written_like_openpyxl(corpus(kind, tmp_path), tmp_path, LATER)


# --- the staff-ledger family -----------------------------------------------------------------

# Cases whose ledger no command saves: refused on opening or before any write (SPEC §5).
NOT_SAVED = {
    "sheet-renamed": "no sheet named 台账: refused (exit 2)",
    "read-only-ledger": "a read-only file: refused (exit 2)",
    "encrypted-ledger": "an opening password: refused (exit 2)",
    "title-row": "the header not in row 1: refused (exit 1)",
    "header-near-miss": "a header typed 完成时限（日期）: refused (exit 1)",
    "setting-unreadable": "a weight typed 一分: refused (exit 1)",
}
# One case of each kind of package the family makes, run in the quick suite; the others (a
# different value in the same cells) in the slow one: each builds its ledger with openpyxl.
QUICK = {
    "secret-√",  # a value changed
    "deadline-formula-cached",  # a staff formula with its cached value in a read column
    "merged-alert-cells",  # merged cells over a written column
    "totals-row",  # a row staff added under the items
    "report-without-time",  # a log row typed by hand
    "calendar-2027-confirmed",  # rows in 工作日历, a setting changed
}


def _staff_param(case):
    marks = () if case.id in QUICK else (pytest.mark.slow,)
    return pytest.param(case, id=case.id, marks=marks)


@pytest.fixture(scope="module")
def staff_base(tmp_path_factory) -> Base:
    return Base(tmp_path_factory.mktemp("staff-base"))


@pytest.mark.parametrize("case", [_staff_param(c) for c in CASES if c.id not in NOT_SAVED])
def test_each_staff_ledger_is_written_like_openpyxl_writes_it(case, staff_base, tmp_path):
    ledger = staff_base.make(tmp_path / "台账.xlsx", case)
    assert_written_like_openpyxl(ledger, tmp_path, LATER)


@pytest.mark.parametrize("case", sorted(NOT_SAVED))
def test_the_staff_ledgers_no_command_saves_are_refused_on_opening(case, staff_base, tmp_path):
    from ledger_tools.errors import LedgerError

    ledger = staff_base.make(tmp_path / "台账.xlsx", next(c for c in CASES if c.id == case))
    with pytest.raises(LedgerError):
        with LedgerFile(ledger, writable=True, values_first=True) as lf:
            require_clean(read_ledger(lf))


def test_staff_cells_in_written_rows_keep_their_formulas_cached_values_and_looks(corpus, tmp_path):
    ledger = corpus("enriched", tmp_path)
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
    assert SPARKLINE_EXT in new
    values = python_calamine.CalamineWorkbook.from_path(str(ours)).get_sheet_by_name(sc.ITEMS.name)
    # AH2's cached value, for a viewer that does not recalculate
    assert values.to_python()[1][33] == 6.0


def test_appended_rows_extend_the_ranges_that_ended_on_the_old_last_row(corpus, tmp_path):
    ledger = corpus("openpyxl", tmp_path)
    ours, _, changes, _ = _written(ledger, tmp_path)
    wb = openpyxl.load_workbook(ours)
    ws = wb[sc.REMINDERS.name]  # empty before: its filter covered the header, the last row
    assert (
        ws.auto_filter.ref == "A1:F2" and ws.max_row == 2 and ws["B2"].value == ITEMS[0]["事项编号"]
    )
    ws = wb[sc.REPORTS.name]  # one row before, and a filter over the header only: left as it was
    assert changes.sheet(sc.REPORTS.name).last_row == 3 and ws.auto_filter.ref == "A1:O1"
    assert ws.cell(3, 6).value == "=不是公式 <&> 的文字" and ws.cell(3, 6).data_type == "s"


def test_a_second_save_reuses_the_cell_formats_it_added(corpus, tmp_path):
    ledger = corpus("openpyxl", tmp_path)
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
def test_what_the_writer_is_not_sure_of_is_left_to_openpyxl(spoil, corpus, tmp_path):
    ledger = corpus("openpyxl", tmp_path)

    def edit(parts):
        items = sheet_part(parts, sc.ITEMS.name)
        parts[items] = spoil(parts[items])

    edit_parts(ledger, edit)
    with LedgerFile(ledger, writable=True, values_first=True) as lf:
        _command(lf)
        with pytest.raises(Unsupported):
            write_package(ledger, tmp_path / "out.xlsx", lf.changes)


def test_a_1904_workbook_is_left_to_openpyxl(corpus, tmp_path):
    ledger = corpus("openpyxl", tmp_path)
    edit_parts(
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


# --- LibreOffice -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def libreoffice_saved(corpus, tmp_path_factory) -> Path:
    """The sample ledger opened and saved by LibreOffice (its own styles, shared strings)."""
    lo.require_soffice()
    folder = tmp_path_factory.mktemp("lo-src")
    return lo.convert(corpus("sample", folder), "xlsx", tmp_path_factory.mktemp("lo-saved"))


@pytest.mark.slow
def test_a_libreoffice_saved_ledger_is_written_like_openpyxl_writes_it(libreoffice_saved, tmp_path):
    ledger = Path(shutil.copy(libreoffice_saved, tmp_path / "台账.xlsx"))
    assert_written_like_openpyxl(ledger, tmp_path, LATER)


@pytest.mark.slow
def test_libreoffice_converts_what_the_writer_wrote_to_pdf(
    corpus, staff_base, libreoffice_saved, tmp_path
):
    """One LibreOffice run converts the writer's result for every corpus ledger (each staff
    case's in test_each_staff_ledger_is_written_like_openpyxl_writes_it's slow runs is the
    sample with other values: one stands for them here)."""
    results = tmp_path / "results"
    results.mkdir()
    sources = {kind: corpus(kind, _folder(tmp_path, kind)) for kind in CORPUS}
    sources["libreoffice"] = Path(
        shutil.copy(libreoffice_saved, _folder(tmp_path, "lo") / "台账.xlsx")
    )
    case = next(c for c in CASES if c.id == "merged-alert-cells")
    sources["staff"] = staff_base.make(_folder(tmp_path, "staff") / "台账.xlsx", case)
    for kind, ledger in sources.items():
        ours, _, _, _ = _written(ledger, ledger.parent, LATER)
        shutil.copy(ours, results / f"{kind}.xlsx")
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf")]
        + [str(p) for p in sorted(results.iterdir())],
        check=True,
        capture_output=True,
        timeout=600,
    )
    for kind in sources:
        pdf = tmp_path / "pdf" / f"{kind}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 1000, kind


def _folder(root: Path, name: str) -> Path:
    folder = root / name
    folder.mkdir()
    return folder
