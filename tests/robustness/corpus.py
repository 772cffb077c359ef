"""A corpus of returned files of the kinds units really send, most of them broken, built in code.

Each ``Case`` builds one or more files from a real feedback form of a real ledger (the
``Workshop``) and states what ``ledger merge`` must do with them: accept them (exit 0, ledger
saved) or reject them with a finding code (exit 1, ledger byte-identical). test_corpus.py runs
every case through the command line.

The cases are grouped the way the files arrive: not spreadsheets at all, locked or oversized,
not our form, our form mangled (sheets, headers, columns, rows, cells), and our form filled in
with awkward content (dates, numbers, formulas, long text, control characters, emoji,
right-to-left text). Cases marked ``slow`` need LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from docx import Document
from msoffcrypto.format.ooxml import OOXMLFile

from ledger_tools.jobs import forms, refresh
from ledger_tools.sheets.forms import layout as fl
from tests.builders import (
    AS_OF,
    EAST,
    GENERATED,
    GOOD,
    GOOD_ROWS,
    ITEMS,
    LONG,
    NEW,
    OTHER,
    PERIOD,
    PNG,
    PROGRESS,
    REGULAR,
    SECRET,
    WEST,
    copy_meta_from,
    fill,
    form_table,
    make_ledger,
    patch_central_sizes,
)

__all__ = ["ACCEPTED", "AS_OF", "CASES", "Case", "Workshop", "ledger_cell", "rezip"]

ACCEPTED = "accepted"
FORM_PART = "xl/worksheets/sheet1.xml"  # 反馈表 is the first sheet the form writer adds


# --- the real ledger and its forms ---------------------------------------------------------


class Workshop:
    """A small real ledger (tests/jobs/test_intake.py's items), refreshed, with the forms a
    unit could lay hands on: this month's for two units, last month's, September's, and a form
    of another ledger. Built once per session; cases only read from it."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.ledger = make_ledger(self.root / "台账.xlsx", ITEMS)
        refresh.run(self.ledger, AS_OF)
        self.forms = self.root / "forms"
        forms.run(self.ledger, PERIOD, self.forms, AS_OF, now=GENERATED)
        forms.run(self.ledger, "2026-10", self.root / "oct", dt.date(2026, 10, 31), now=GENERATED)
        forms.run(self.ledger, "2026-09", self.root / "sep", dt.date(2026, 9, 30), now=GENERATED)
        other = make_ledger(self.root / "别的台账.xlsx", ITEMS)
        refresh.run(other, AS_OF)
        forms.run(other, PERIOD, self.root / "other", AS_OF, now=GENERATED)
        self._cache: dict[str, Path] = {}

    def form(self, unit: str = EAST, period: str = PERIOD) -> Path:
        folder = {PERIOD: self.forms, "2026-10": self.root / "oct", "2026-09": self.root / "sep"}[
            period
        ]
        return folder / fl.form_file_name(period, unit)

    @property
    def foreign_form(self) -> Path:
        return self.root / "other" / fl.form_file_name(PERIOD, EAST)

    def good(self, dest: Path) -> Path:
        """The east unit's form, filled in correctly."""
        return fill(self.form(), dest)

    def cached(self, key: str, make: Callable[[Path], Path]) -> Path:
        """A file built once per session (LibreOffice conversions are slow)."""
        if key not in self._cache:
            folder = self.root / "cache" / key
            folder.mkdir(parents=True, exist_ok=True)
            self._cache[key] = make(folder)
        return self._cache[key]


def rezip(
    src: Path,
    dest: Path,
    *,
    replace: dict[str, bytes | None] | None = None,
    add: dict[str, bytes] | None = None,
    stored: tuple[str, ...] = (),
) -> Path:
    """Copy a zip package member by member, replacing (None: dropping) or adding members."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in replace:
                data = replace[info.filename]
                if data is not None:
                    zout.writestr(info.filename, data)
            else:
                zout.writestr(info, zin.read(info))
        for name, data in add.items():
            zout.writestr(
                name, data, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            )
    return dest


def ledger_cell(ledger: Path, item_id: str, header: str):
    """The openpyxl cell of the 台账 row of ``item_id`` under ``header``."""
    ws = openpyxl.load_workbook(ledger)["台账"]
    cols = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, cols["事项编号"]).value == item_id)
    return ws.cell(row, cols[header])


# --- the catalogue -------------------------------------------------------------------------


Builder = Callable[[Workshop, Path], list[Path]]
Verifier = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    id: str
    what: str  # what the unit did, in a line
    build: Builder
    expect: str  # ACCEPTED, or the error code the merge must report
    also: tuple[str, ...] = ()  # further codes that must be reported (warnings, info)
    slow: bool = False  # needs LibreOffice
    verify: Verifier | None = None  # extra checks on the merged ledger (accepted cases)
    xfail: str | None = None  # a known product bug: the reason (strict xfail)


CASES: list[Case] = []


def case(
    id: str,
    expect: str,
    *,
    also: tuple[str, ...] = (),
    slow: bool = False,
    verify: Verifier | None = None,
    xfail: str | None = None,
):
    def register(build: Builder) -> Builder:
        what = (build.__doc__ or id).strip()
        CASES.append(Case(id, what, build, expect, also, slow, verify, xfail))
        return build

    return register


def _one(path: Path, data: bytes) -> list[Path]:
    path.write_bytes(data)
    return [path]


# --- not a spreadsheet at all (F001) -------------------------------------------------------


@case("empty-file", "F001")
def _empty(w, out):
    """A zero-byte file (the mail client lost the attachment)."""
    return _one(out / "反馈表.xlsx", b"")


@case("csv-named-xlsx", "F001")
def _csv(w, out):
    """The table exported as CSV and renamed .xlsx."""
    text = "事项编号,办理状态,本期进展情况\n2026-CW12-01,推进中,已完成招标\n"
    return _one(out / "反馈表.xlsx", text.encode("gb18030"))


@case("html-named-xls", "F001")
def _html(w, out):
    """An 'Excel' export of a web system: an HTML table named .xls."""
    page = "<html><head><meta charset='utf-8'></head><body><table><tr><td>事项编号</td></tr></table></body></html>"
    return _one(out / "反馈表.xls", page.encode())


@case("png-named-xlsx", "F001")
def _png(w, out):
    """A screenshot of the filled form, named .xlsx."""
    return _one(out / "反馈表.xlsx", PNG)


@case("pdf-named-xlsx", "F001")
def _pdf(w, out):
    """The form printed to PDF and renamed."""
    return _one(
        out / "反馈表.xlsx", b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n"
    )


@case("word-document-named-xlsx", "F001")
def _docx(w, out):
    """The progress written in Word and saved under the form's name."""
    doc = Document()
    doc.add_paragraph("东城区人民政府关于议定事项办理情况的报告")
    doc.add_paragraph(PROGRESS)
    path = out / "反馈表.xlsx"
    doc.save(path)
    return [path]


@case("zip-of-the-form", "F001")
def _zip(w, out):
    """The filled form zipped, the zip named .xlsx."""
    good = w.good(out / "good.xlsx")
    path = out / "反馈表.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.write(good, good.name)
    good.unlink()
    return [path]


@case("truncated-download", "F001")
def _truncated(w, out):
    """Half of a filled form: the transfer broke off."""
    good = w.good(out / "good.xlsx")
    data = good.read_bytes()
    good.unlink()
    return _one(out / "反馈表.xlsx", data[: len(data) // 2])


@case("random-bytes", "F001")
def _random(w, out):
    """Bytes of no format at all."""
    return _one(out / "反馈表.xlsx", bytes((i * 7919 + 13) % 256 for i in range(4096)))


@case("damaged-workbook-part", "F001")
def _damaged(w, out):
    """A form whose workbook.xml was damaged by a broken disk or tool."""
    return [
        rezip(
            w.good(out / "good.xlsx"),
            out / "反馈表.xlsx",
            replace={"xl/workbook.xml": b"<workbook><sheets><sheet name="},
        )
    ]


# --- locked, oversized (F002, F003) --------------------------------------------------------


@case("password-protected", "F002")
def _encrypted(w, out):
    """The form saved with an opening password."""
    good = w.good(out / "good.xlsx")
    path = out / "反馈表.xlsx"
    with open(good, "rb") as src, open(path, "wb") as dst:
        OOXMLFile(src).encrypt("123456", dst)
    return [path]


@case("zip-encrypted", "F002")
def _zip_encrypted(w, out):
    """A package whose parts carry the zip encryption flag (an archiver's 'encrypt')."""
    data = bytearray(w.good(out / "good.xlsx").read_bytes())
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = 0
        while (pos := data.find(sig, pos)) != -1:
            flags = struct.unpack_from("<H", data, pos + flag_at)[0]
            struct.pack_into("<H", data, pos + flag_at, flags | 0x1)
            pos += 4
    return _one(out / "反馈表.xlsx", bytes(data))


@case("zip-bomb-by-ratio", "F003")
def _bomb(w, out):
    """A form carrying a 64 MB part of zeros compressed to a few kilobytes."""
    return [
        rezip(
            w.good(out / "good.xlsx"),
            out / "反馈表.xlsx",
            add={"xl/media/image1.bin": b"\0" * (64 * 1024 * 1024)},
        )
    ]


@case("zip-part-lies-about-its-size", "F003")
def _bomb_lie(w, out):
    """A part whose directory entry claims 1 KB but inflates to 8 MB."""
    packed = rezip(
        w.good(out / "good.xlsx"),
        out / "tmp.xlsx",
        add={"xl/media/image1.bin": b"\0" * (8 * 1024 * 1024)},
    )
    data = patch_central_sizes(packed.read_bytes(), "xl/media/image1.bin", file_size=1024)
    packed.unlink()
    return _one(out / "反馈表.xlsx", data)


@case("million-rows", "F003")
def _million(w, out):
    """A form with 1,000,000 rows below the table (a fill-down that went to the bottom)."""
    good = w.good(out / "good.xlsx")
    path = out / "反馈表.xlsx"
    with (
        zipfile.ZipFile(good) as zin,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename != FORM_PART:
                zout.writestr(info, data)
                continue
            head, tail = data.split(b"</sheetData>", 1)
            with zout.open(FORM_PART, "w", force_zip64=True) as part:
                part.write(head)
                for start in range(20, 1_000_020, 50_000):
                    part.write(
                        b"".join(
                            b'<row r="%d"><c r="Q%d"><v>%d</v></c></row>' % (n, n, n % 10)
                            for n in range(start, start + 50_000)
                        )
                    )
                part.write(b"</sheetData>" + tail)
    good.unlink()
    return [path]


@case("value-in-the-last-cell", "F003")
def _far_cell(w, out):
    """A stray value typed in XFD1048576, the very last cell of the sheet."""

    def stray(wb, ws, cols, ids):
        ws["XFD1048576"] = "x"

    return [fill(w.form(), out / "反馈表.xlsx", edit=stray)]


@case("over-20-mb", "F003")
def _too_big(w, out):
    """A form with a 21 MB photo pasted in (stored, not compressible)."""
    return [
        rezip(
            w.good(out / "good.xlsx"),
            out / "反馈表.xlsx",
            add={"xl/media/image1.jpeg": os.urandom(21 * 1024 * 1024)},
            stored=("xl/media/image1.jpeg",),
        )
    ]


# --- not our form (F004), not authentic (F005), wrong period (F006) -------------------------


def _drop_meta(wb, ws, cols, ids):
    del wb[fl.SHEET_META]


@case("meta-sheet-deleted", "F004")
def _meta_deleted(w, out):
    """The hidden _meta sheet deleted (unhidden by a curious clerk, then removed)."""
    return [fill(w.form(), out / "反馈表.xlsx", edit=_drop_meta)]


@case("self-made-lookalike", "F004")
def _lookalike(w, out):
    """A new workbook typed up with the same headers instead of using the form."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = fl.SHEET_FORM
    ws.append(list(fl.FORM_COLUMNS))
    ws.append(["1", REGULAR, "", "", "", "", "", "", "", "", "推进中", PROGRESS])
    path = out / "反馈表.xlsx"
    wb.save(path)
    return [path]


@case("another-ledgers-form", "F004")
def _foreign(w, out):
    """A form issued from another ledger (another office's, or a test copy)."""
    return [fill(w.foreign_form, out / "反馈表.xlsx")]


def _set_meta(key: str, value: str):
    def edit(wb, ws, cols, ids):
        for row in wb[fl.SHEET_META].iter_rows():
            if row[0].value == key:
                row[1].value = value
                row[1].data_type = "s"

    return edit


@case("meta-period-edited", "F005")
def _meta_edited(w, out):
    """_meta's period changed by hand to pass as another month's form."""
    return [fill(w.form(), out / "反馈表.xlsx", edit=_set_meta("period", "2026-10"))]


@case("meta-copied-from-another-unit", "F005")
def _meta_other_unit(w, out):
    """_meta pasted in from the west county's form."""
    return [fill(w.form(), out / "反馈表.xlsx", edit=copy_meta_from(w.form(WEST)))]


@case("meta-copied-from-last-month", "F005")
def _meta_last_month(w, out):
    """_meta pasted in from last month's form (which lacks the item assigned this month): the
    报送期次 and 截止日期 shown no longer match it."""
    return [fill(w.form(), out / "反馈表.xlsx", edit=copy_meta_from(w.form(EAST, "2026-10")))]


@case("meta-copied-from-last-month-same-items", "F005")
def _meta_last_month_same_items(w, out):
    """The west county pasted last month's _meta into this month's form (same single item)."""
    return [
        fill(
            w.form(WEST),
            out / "反馈表.xlsx",
            {OTHER: GOOD},
            edit=copy_meta_from(w.form(WEST, "2026-10")),
        )
    ]


@case("unit-name-edited", "F005")
def _unit_edited(w, out):
    """填报单位 overtyped with another unit's name."""
    return [fill(w.form(), out / "反馈表.xlsx", block={"填报单位": WEST})]


@case("form-two-months-old", "F006")
def _stale(w, out):
    """September's form sent in November."""
    return [fill(w.form(EAST, "2026-09"), out / "反馈表.xlsx", {REGULAR: GOOD, SECRET: GOOD})]


# --- our form, awkwardly saved or reshaped -------------------------------------------------


@case("same-file-twice", ACCEPTED, also=("F007",))
def _twice(w, out):
    """The same form attached twice under two names."""
    first = w.good(out / "东城区.xlsx")
    second = out / "东城区（1）.xlsx"
    shutil.copy(first, second)
    return [first, second]


@case("macro-enabled-xlsm", ACCEPTED, also=("F008",))
def _xlsm(w, out):
    """Saved as .xlsm with a VBA project (macros are ignored, the report is taken)."""
    good = w.good(out / "good.xlsx")
    types = (
        zipfile.ZipFile(good)
        .read("[Content_Types].xml")
        .replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
    )
    return [
        rezip(
            good,
            out / "反馈表.xlsm",
            replace={"[Content_Types].xml": types},
            add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500},
        )
    ]


def _rename_sheet(wb, ws, cols, ids):
    ws.title = "东城区反馈"


@case("form-sheet-renamed", "F009")
def _renamed(w, out):
    """The 反馈表 sheet renamed to the unit's name."""
    return [fill(w.form(), out / "反馈表.xlsx", edit=_rename_sheet)]


@case("form-sheet-deleted", "F009")
def _form_deleted(w, out):
    """The 反馈表 sheet deleted; the report pasted into 填报说明."""

    def move(wb, ws, cols, ids):
        target = wb[fl.SHEET_HELP]
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None and not isinstance(c, openpyxl.cell.cell.MergedCell):
                    target.cell(c.row + 20, c.column).value = c.value
        del wb[fl.SHEET_FORM]

    return [fill(w.form(), out / "反馈表.xlsx", edit=move)]


@case("sheets-reordered", ACCEPTED)
def _reordered(w, out):
    """Sheets dragged into another order (填报说明 first)."""

    def reorder(wb, ws, cols, ids):
        wb.move_sheet(fl.SHEET_HELP, offset=-2)

    return [fill(w.form(), out / "反馈表.xlsx", edit=reorder)]


@case("extra-sheet-added", ACCEPTED)
def _extra_sheet(w, out):
    """A sheet of the unit's own working notes added."""

    def add(wb, ws, cols, ids):
        notes = wb.create_sheet("工作底稿", 0)
        notes["A1"] = "内部测算，不报送"
        notes["B2"] = 12345

    return [fill(w.form(), out / "反馈表.xlsx", edit=add)]


@case("help-and-co-sheets-deleted", ACCEPTED)
def _help_deleted(w, out):
    """The read-only 协办事项 and 填报说明 sheets deleted."""

    def drop(wb, ws, cols, ids):
        del wb[fl.SHEET_CO]
        del wb[fl.SHEET_HELP]

    return [fill(w.form(), out / "反馈表.xlsx", edit=drop)]


def _header_row(ws) -> int:
    return form_table(ws)[0]


@case("header-renamed", "F009")
def _header_renamed(w, out):
    """「本期进展情况*」 retitled 「本月工作进展」."""

    def edit(wb, ws, cols, ids):
        ws.cell(_header_row(ws), cols["本期进展情况"]).value = "本月工作进展"

    return [fill(w.form(), out / "反馈表.xlsx", edit=edit)]


@case("header-cosmetic-edit", ACCEPTED)
def _header_cosmetic(w, out):
    """Headers retyped without the * and with spaces (「 办理状态 」, 「本期进展 情况」)."""

    def edit(wb, ws, cols, ids):
        row = _header_row(ws)
        ws.cell(row, cols["办理状态"]).value = " 办理状态 "
        ws.cell(row, cols["本期进展情况"]).value = "本期进展\u3000情况"

    return [fill(w.form(), out / "反馈表.xlsx", edit=edit)]


@case("column-deleted", "F009")
def _column_deleted(w, out):
    """The 阶段性目标 column deleted (the unit thought it did not apply)."""

    def edit(wb, ws, cols, ids):
        ws.delete_cols(cols["阶段性目标"])

    rows = {REGULAR: GOOD, LONG: GOOD, SECRET: GOOD}
    return [fill(w.form(), out / "反馈表.xlsx", rows, edit=edit)]


@case("column-inserted", ACCEPTED)
def _column_inserted(w, out):
    """A 备注 column inserted in the middle of the table."""

    def edit(wb, ws, cols, ids):
        at = cols["办理状态"]
        ws.insert_cols(at)
        ws.cell(_header_row(ws), at).value = "备注"
        for r in ids.values():
            ws.cell(r, at).value = "本单位备注"

    return [fill(w.form(), out / "反馈表.xlsx", edit=edit)]


@case("columns-swapped", ACCEPTED)
def _columns_swapped(w, out):
    """延期原因 and 存在问题及建议 columns swapped, headers and all."""

    def edit(wb, ws, cols, ids):
        a, b = cols["延期原因"], cols["存在问题及建议"]
        for r in range(_header_row(ws), ws.max_row + 1):
            x, y = ws.cell(r, a), ws.cell(r, b)
            x.value, y.value = y.value, x.value

    rows = {**GOOD_ROWS, REGULAR: {**GOOD, "存在问题及建议": "资金缺口较大"}}
    return [fill(w.form(), out / "反馈表.xlsx", rows, edit=edit)]


@case("rows-inserted-above-table", ACCEPTED)
def _rows_above(w, out):
    """Three rows inserted above the table for a letterhead."""

    def edit(wb, ws, cols, ids):
        ws.insert_rows(1, 3)
        ws["A1"] = "东城区人民政府办公室"

    return [fill(w.form(), out / "反馈表.xlsx", edit=edit)]


@case("blank-rows-inserted", ACCEPTED)
def _blank_rows(w, out):
    """Blank rows inserted between items."""

    def edit(wb, ws, cols, ids):
        ws.insert_rows(ids[LONG], 2)

    return [fill(w.form(), out / "反馈表.xlsx", edit=edit)]


def _swap_rows(ws, a: int, b: int) -> None:
    for c in range(1, ws.max_column + 1):
        x, y = ws.cell(a, c), ws.cell(b, c)
        x.value, y.value = y.value, x.value


@case("rows-reordered", ACCEPTED)
def _rows_reordered(w, out):
    """Rows sorted differently (whole rows moved together)."""

    def edit(wb, ws, cols, ids):
        _swap_rows(ws, ids[REGULAR], ids[SECRET])

    return [fill(w.form(), out / "反馈表.xlsx", edit=edit)]


@case("row-of-a-new-item-deleted", ACCEPTED)
def _row_new_deleted(w, out):
    """The row of an item assigned this month (not yet due) deleted."""

    def edit(wb, ws, cols, ids):
        ws.delete_rows(ids[NEW])

    return [fill(w.form(), out / "反馈表.xlsx", edit=edit)]


@case("row-of-a-due-item-deleted", "R103")
def _row_due_deleted(w, out):
    """The row of an item due this period deleted (instead of reporting on it)."""

    def edit(wb, ws, cols, ids):
        ws.delete_rows(ids[SECRET])

    return [fill(w.form(), out / "反馈表.xlsx", {REGULAR: GOOD, LONG: GOOD_ROWS[LONG]}, edit=edit)]


@case("row-duplicated", "R109")
def _row_duplicated(w, out):
    """An item's row copied below the table to report twice."""

    def edit(wb, ws, cols, ids):
        below = ws.max_row + 1
        for c in range(1, ws.max_column + 1):
            ws.cell(below, c).value = ws.cell(ids[REGULAR], c).value

    return [fill(w.form(), out / "反馈表.xlsx", edit=edit)]


@case("row-added-without-id", "R101")
def _row_added(w, out):
    """A new row added for a matter the unit wants to report on, without an item number."""

    def edit(wb, ws, cols, ids):
        below = max(ids.values()) + 1
        ws.cell(below, cols["议定事项"]).value = "我单位自行增加的重点工作"
        ws.cell(below, cols["办理状态"]).value = "推进中"
        ws.cell(below, cols["本期进展情况"]).value = PROGRESS

    return [fill(w.form(), out / "反馈表.xlsx", edit=edit)]


@case("cells-merged-down", "R104")
def _merged_down(w, out):
    """本期进展情况 of two items merged into one cell (one text for both)."""

    def edit(wb, ws, cols, ids):
        c = cols["本期进展情况"]
        first, second = sorted((ids[REGULAR], ids[LONG]))
        ws.merge_cells(start_row=first, start_column=c, end_row=second, end_column=c)

    return [fill(w.form(), out / "反馈表.xlsx", edit=edit)]


@case("cells-merged-across", ACCEPTED)
def _merged_across(w, out):
    """延期原因 and 申请延期至 merged across on a row that does not ask for an extension."""

    def edit(wb, ws, cols, ids):
        r = ids[REGULAR]
        ws.merge_cells(
            start_row=r, start_column=cols["延期原因"], end_row=r, end_column=cols["申请延期至"]
        )

    return [fill(w.form(), out / "反馈表.xlsx", edit=edit)]


def _set_locked(item_id: str, header: str, value):
    def edit(wb, ws, cols, ids):
        ws.cell(ids[item_id], cols[header]).value = value

    return edit


@case("item-number-of-another-unit", "R101")
def _id_other(w, out):
    """An item number overtyped with the west county's item."""
    return [fill(w.form(), out / "反馈表.xlsx", edit=_set_locked(SECRET, "事项编号", OTHER))]


@case("item-number-unknown", "R101")
def _id_unknown(w, out):
    """An item number mistyped into one the ledger does not have."""
    return [
        fill(w.form(), out / "反馈表.xlsx", edit=_set_locked(REGULAR, "事项编号", "2026-CW12-99"))
    ]


@case("item-numbers-swapped", "R102")
def _ids_swapped(w, out):
    """Two item numbers swapped, everything else left in place."""

    def edit(wb, ws, cols, ids):
        a, b = ws.cell(ids[REGULAR], cols["事项编号"]), ws.cell(ids[SECRET], cols["事项编号"])
        a.value, b.value = b.value, a.value

    return [fill(w.form(), out / "反馈表.xlsx", edit=edit)]


@case("locked-deadline-changed", "R102")
def _deadline(w, out):
    """当前时限 moved back half a year on the form."""
    return [
        fill(w.form(), out / "反馈表.xlsx", edit=_set_locked(REGULAR, "当前时限", "2027-06-30"))
    ]


@case("locked-matter-reworded", "R102")
def _matter(w, out):
    """议定事项 reworded to something easier."""
    return [
        fill(
            w.form(),
            out / "反馈表.xlsx",
            edit=_set_locked(REGULAR, "议定事项", "研究东城区老旧小区改造"),
        )
    ]


@case("locked-serial-number-changed", "R102")
def _serial(w, out):
    """序号 renumbered."""
    return [fill(w.form(), out / "反馈表.xlsx", edit=_set_locked(LONG, "序号", 7))]


@case("locked-deadline-as-real-date", ACCEPTED)
def _deadline_date(w, out):
    """当前时限 retyped as a real date cell with the same day (a client's auto-conversion)."""
    return [
        fill(
            w.form(),
            out / "反馈表.xlsx",
            edit=_set_locked(REGULAR, "当前时限", dt.datetime(2026, 12, 31)),
        )
    ]


# --- content typed into the unlocked cells -------------------------------------------------


def _done(date, **more) -> dict:
    return {
        **GOOD_ROWS,
        REGULAR: {"办理状态": "已办结", "本期进展情况": PROGRESS, "办结日期": date, **more},
    }


def _extension(to) -> dict:
    return {
        **GOOD_ROWS,
        SECRET: {
            "办理状态": "申请延期",
            "本期进展情况": PROGRESS,
            "延期原因": "资金未到位",
            "申请延期至": to,
        },
    }


def _stored(item_id: str, header: str, expected) -> Verifier:
    def verify(ledger: Path) -> None:
        cell = ledger_cell(ledger, item_id, header)
        value = cell.value.date() if isinstance(cell.value, dt.datetime) else cell.value
        assert value == expected, (header, value, expected)
        if isinstance(expected, str):
            assert cell.data_type == "s", (header, cell.data_type)

    return verify


@case(
    "dates-as-text-in-many-shapes",
    ACCEPTED,
    verify=_stored(REGULAR, "办结日期", dt.date(2026, 11, 18)),
)
def _date_shapes(w, out):
    """办结日期 「2026年11月18日」 and 申请延期至 「2027/3/31」, typed as text."""
    rows = {**_done("2026年11月18日"), SECRET: _extension("2027/3/31")[SECRET]}
    return [fill(w.form(), out / "反馈表.xlsx", rows, as_text=("办结日期", "申请延期至"))]


@case(
    "dates-full-width-and-padded",
    ACCEPTED,
    verify=_stored(REGULAR, "办结日期", dt.date(2026, 11, 5)),
)
def _date_full_width(w, out):
    """Dates in full-width digits with spaces around (「 ２０２６－１１－０５ 」, 「2027.1.31」)."""
    rows = {**_done("\u3000２０２６－１１－０５ "), SECRET: _extension("2027.1.31")[SECRET]}
    return [fill(w.form(), out / "反馈表.xlsx", rows, as_text=("办结日期", "申请延期至"))]


@case(
    "dates-as-date-cells-and-serials",
    ACCEPTED,
    verify=_stored(REGULAR, "办结日期", dt.date(2026, 11, 18)),
)
def _date_cells(w, out):
    """办结日期 a real date cell with a time; 申请延期至 a bare serial number (46477 = 2027-03-31)."""
    rows = {**_done(dt.datetime(2026, 11, 18, 16, 30)), SECRET: _extension(46477)[SECRET]}
    return [fill(w.form(), out / "反馈表.xlsx", rows)]


@case("date-as-words", "R105")
def _date_words(w, out):
    """办结日期 「上周五」."""
    return [fill(w.form(), out / "反馈表.xlsx", _done("上周五"))]


@case("date-impossible", "R105")
def _date_impossible(w, out):
    """办结日期 「2026-02-30」."""
    return [fill(w.form(), out / "反馈表.xlsx", _done("2026-02-30"), as_text=("办结日期",))]


@case("date-without-year", "R105")
def _date_no_year(w, out):
    """办结日期 「11月18日」."""
    return [fill(w.form(), out / "反馈表.xlsx", _done("11月18日"))]


@case("date-day-first", "R105")
def _date_day_first(w, out):
    """申请延期至 「31/03/2027」 (day first)."""
    return [fill(w.form(), out / "反馈表.xlsx", _extension("31/03/2027"))]


@case("date-far-future", "R105")
def _date_far(w, out):
    """申请延期至 「9999-12-31」."""
    return [fill(w.form(), out / "反馈表.xlsx", _extension("9999-12-31"), as_text=("申请延期至",))]


@case("date-as-boolean", "R105")
def _date_bool(w, out):
    """办结日期 TRUE (a checkbox habit)."""
    return [fill(w.form(), out / "反馈表.xlsx", _done(True))]


@case("number-beyond-any-date-in-a-date-cell", "F001")
def _date_overflow(w, out):
    """办结日期 (a date-formatted cell) holding -1,000,000,000,000: the reader itself gives up."""
    return [fill(w.form(), out / "反馈表.xlsx", _done(-(10**12)))]


@case("completion-date-in-the-future", "R106")
def _date_future(w, out):
    """办结日期 next week."""
    return [fill(w.form(), out / "反馈表.xlsx", _done("2026-11-27"), as_text=("办结日期",))]


@case("number-as-status", "R103")
def _status_number(w, out):
    """办理状态 typed as 1 (the row number of the drop-down choice)."""
    return [fill(w.form(), out / "反馈表.xlsx", {**GOOD_ROWS, REGULAR: {**GOOD, "办理状态": 1}})]


@case("status-off-the-list", "R103")
def _status_other(w, out):
    """办理状态 「基本完成」, not one of the choices."""
    return [
        fill(
            w.form(), out / "反馈表.xlsx", {**GOOD_ROWS, REGULAR: {**GOOD, "办理状态": "基本完成"}}
        )
    ]


@case("number-as-progress", ACCEPTED, also=("W201",), verify=_stored(REGULAR, "最新进展", "85"))
def _progress_number(w, out):
    """本期进展情况 typed as the number 85 (percent done)."""
    return [
        fill(w.form(), out / "反馈表.xlsx", {**GOOD_ROWS, REGULAR: {**GOOD, "本期进展情况": 85}})
    ]


@case("progress-left-empty", "R104")
def _progress_empty(w, out):
    """办理状态 chosen, 本期进展情况 left empty."""
    return [fill(w.form(), out / "反馈表.xlsx", {**GOOD_ROWS, REGULAR: {"办理状态": "推进中"}})]


@case("done-without-date", "R106")
def _done_no_date(w, out):
    """已办结 without 办结日期."""
    return [fill(w.form(), out / "反馈表.xlsx", _done(None))]


@case("extension-without-reason", "R107")
def _ext_no_reason(w, out):
    """申请延期 with a date but no reason."""
    rows = _extension("2027-03-31")
    rows[SECRET] = {**rows[SECRET], "延期原因": None}
    return [fill(w.form(), out / "反馈表.xlsx", rows)]


@case("long-term-without-stage-target", "R108")
def _no_target(w, out):
    """A long-term item's first report without 阶段性目标."""
    return [fill(w.form(), out / "反馈表.xlsx", {**GOOD_ROWS, LONG: GOOD})]


FORMULA_TEXTS = (
    "=1+1 已完成",
    "+86 0875 2101001 联系",
    "-已完成招标，进场施工",
    "@所有人 请注意进度",
)


@case(
    "formula-like-text",
    ACCEPTED,
    also=("W202",),
    verify=_stored(REGULAR, "最新进展", FORMULA_TEXTS[0] + PROGRESS),
)
def _formula_text(w, out):
    """Texts starting with =, +, -, @ stored as text cells (typed with a leading apostrophe)."""
    rows = {
        **GOOD_ROWS,
        REGULAR: {
            **GOOD,
            "本期进展情况": FORMULA_TEXTS[0] + PROGRESS,
            "存在问题及建议": FORMULA_TEXTS[1],
        },
        SECRET: {**GOOD, "存在问题及建议": FORMULA_TEXTS[2]},
        LONG: {**GOOD_ROWS[LONG], "存在问题及建议": FORMULA_TEXTS[3]},
    }
    return [fill(w.form(), out / "反馈表.xlsx", rows, as_text=("本期进展情况", "存在问题及建议"))]


DDE = "=cmd|' /C calc'!A0 " + PROGRESS


@case("dde-injection-text", ACCEPTED, also=("W202",), verify=_stored(REGULAR, "最新进展", DDE))
def _dde(w, out):
    """A DDE payload as text in 本期进展情况: stored as text, never as a formula."""
    rows = {**GOOD_ROWS, REGULAR: {**GOOD, "本期进展情况": DDE}}
    return [fill(w.form(), out / "反馈表.xlsx", rows, as_text=("本期进展情况",))]


@case("real-formula-without-cached-value", "R104")
def _real_formula(w, out):
    """本期进展情况 a live formula (no cached value, as a script writes it)."""
    rows = {**GOOD_ROWS, REGULAR: {**GOOD, "本期进展情况": '="已完成"&"招标工作，施工单位已进场"'}}
    return [fill(w.form(), out / "反馈表.xlsx", rows)]


@case("error-value-in-progress", "R104")
def _error_value(w, out):
    """本期进展情况 holding the error #N/A (a broken lookup pasted as values)."""
    rows = {**GOOD_ROWS, REGULAR: {**GOOD, "本期进展情况": "#N/A"}}
    return [fill(w.form(), out / "反馈表.xlsx", rows)]


@case("text-over-32767-characters", "R110")
def _huge_text(w, out):
    """存在问题及建议 of 40,000 characters (beyond Excel's own cell limit)."""
    rows = {**GOOD_ROWS, REGULAR: {**GOOD, "存在问题及建议": "资金缺口问题" * 6667}}
    return [fill(w.form(), out / "反馈表.xlsx", rows)]


@case("text-just-over-2000-characters", "R110")
def _long_text(w, out):
    """本期进展情况 of 2,001 characters."""
    rows = {**GOOD_ROWS, REGULAR: {**GOOD, "本期进展情况": "进" * 2001}}
    return [fill(w.form(), out / "反馈表.xlsx", rows)]


@case("control-characters", "R110")
def _control(w, out):
    """A bell and a vertical tab pasted from another program (Excel's _x0007_ escapes)."""
    rows = {**GOOD_ROWS, REGULAR: {**GOOD, "本期进展情况": PROGRESS + "_x0007_下一步_x000B_继续"}}
    return [fill(w.form(), out / "反馈表.xlsx", rows)]


@case("nul-character", "R110")
def _nul(w, out):
    """A NUL character in 延期原因 of an extension request."""
    rows = _extension("2027-03-31")
    rows[SECRET] = {**rows[SECRET], "延期原因": "资金_x0000_未到位"}
    return [fill(w.form(), out / "反馈表.xlsx", rows)]


EMOJI = "✅ 已完成招标 🎉，施工单位已进场👷，路基完成约40%，下一步加快桥梁施工🚧。"


@case("emoji", ACCEPTED, verify=_stored(REGULAR, "最新进展", EMOJI))
def _emoji(w, out):
    """Emoji in 本期进展情况, some outside the Basic Multilingual Plane."""
    return [
        fill(w.form(), out / "反馈表.xlsx", {**GOOD_ROWS, REGULAR: {**GOOD, "本期进展情况": EMOJI}})
    ]


RTL = "已与合作方签约\u202eتم توقيع العقد\u202c，对方联系人 שלום 已确认，下一步推进落地。"


@case("right-to-left-text", ACCEPTED, verify=_stored(REGULAR, "最新进展", RTL))
def _rtl(w, out):
    """Arabic and Hebrew text with a right-to-left override in 本期进展情况."""
    return [
        fill(w.form(), out / "反馈表.xlsx", {**GOOD_ROWS, REGULAR: {**GOOD, "本期进展情况": RTL}})
    ]


@case("odd-spaces-around-choices", ACCEPTED, verify=_stored(REGULAR, "办理状态", "已办结"))
def _spaces(w, out):
    """办理状态 「\u3000已办结 」 with full-width and trailing spaces, a no-break space in the text."""
    rows = _done("2026-11-18", **{"办理状态": "\u3000已办结 "})
    rows[REGULAR]["本期进展情况"] = "\u00a0" + PROGRESS + "  "
    return [fill(w.form(), out / "反馈表.xlsx", rows)]


# --- saved by LibreOffice (slow) -----------------------------------------------------------


def _lo(w: Workshop, fmt: str) -> Path:
    from tests.realclient import lo

    lo.require_soffice()

    def make(folder: Path) -> Path:
        good = w.good(folder / "反馈表.xlsx")
        return lo.convert(good, fmt, folder / fmt)

    return w.cached(f"lo-{fmt}", make)


@case("libreoffice-xls", ACCEPTED, slow=True)
def _xls(w, out):
    """The filled form saved by LibreOffice as Excel 97 (.xls)."""
    return [Path(shutil.copy(_lo(w, "xls"), out / "反馈表.xls"))]


@case("libreoffice-ods", ACCEPTED, slow=True)
def _ods(w, out):
    """The filled form saved by LibreOffice as OpenDocument (.ods)."""
    return [Path(shutil.copy(_lo(w, "ods"), out / "反馈表.ods"))]


@case("xls-named-xlsx", ACCEPTED, slow=True)
def _xls_as_xlsx(w, out):
    """An .xls renamed .xlsx (the type is taken from the bytes)."""
    return [Path(shutil.copy(_lo(w, "xls"), out / "反馈表.xlsx"))]


@case("truncated-xls", "F001", slow=True)
def _xls_truncated(w, out):
    """Half of an .xls."""
    return _one(out / "反馈表.xls", _lo(w, "xls").read_bytes()[:6000])


def case_ids() -> list[str]:
    return [c.id for c in CASES]


assert len(set(case_ids())) == len(CASES), "duplicate case ids"
assert all(re.fullmatch(r"[a-z0-9-]+", c.id) for c in CASES)
