"""The table kit of the printed workbooks (通报, 扣分意见): formats, tables, print setup.

One kit so the briefing and the scoring workbook look and print alike (A4 landscape, fit to
width, header rows repeated, 第 N 页 共 M 页, 宋体, traffic-light colours), and the deduction
tables a unit reads in both are the same table. Text from the ledger is always written as text
(``strings_to_formulas`` off); row heights are set here because XlsxWriter cannot measure text
and LibreOffice keeps saved heights.

Long because the row-at-once worksheet (``ListSheet``) belongs with ``write_table``, its one
caller: the table kit decides what a cell is (text, date serial, blank), the sheet stores and
writes it the way XlsxWriter would, and the two must change together.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import threading
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
import xlsxwriter.workbook
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import (
    CellBlankTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)

from ledger_tools.core import scoring
from ledger_tools.core.model import Item, Settings
from ledger_tools.sheets import styles
from ledger_tools.sheets.excel import to_serial

__all__ = [
    "EVIDENCE_COLS",
    "LINE_HEIGHT",
    "SUMMARY_COLS",
    "Col",
    "Formats",
    "Tone",
    "flag",
    "lines_needed",
    "new_workbook",
    "page_setup",
    "titled_sheet",
    "weights_note",
    "write_deduction_evidence",
    "write_deduction_summary",
    "write_note",
    "write_table",
]

FOOTER = styles.PRINT_FOOTER
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": "yyyy-mm-dd",
    "default_format_properties": {"font_name": styles.FONT_NAME, "font_size": 11},
    "in_memory": True,  # the sheets' XML kept in memory, not in a dozen temporary files: ~10% faster
}
# Traffic lights: (fill, font) from the ledger's own palette.
TONES = {
    "red": (styles.RED, styles.RED_TEXT),
    "amber": (styles.AMBER, styles.AMBER_TEXT),
    "green": (styles.GREEN, styles.GREEN_TEXT),
    "grey": (styles.GREY, styles.GREY_TEXT),
}
_KIND_PROPS: dict[str, dict[str, object]] = {
    "text": {"text_wrap": True, "valign": "top"},
    "name": {"valign": "top"},
    "num": {"align": "center", "valign": "top"},
    "points": {"align": "center", "valign": "top", "num_format": "0.0#"},
    "date": {"align": "center", "valign": "top", "num_format": "yyyy-mm-dd"},
    "pct": {"align": "center", "valign": "top", "num_format": "0.0%"},
}


class ListSheet(Worksheet):
    """An XlsxWriter worksheet that takes a table row in one call and writes each such row's
    cells as one string: the XML is XlsxWriter's own, byte for byte.

    The briefing's lists are 120,000 cells at 10,000 items, and XlsxWriter spends most of
    its time per cell, not per byte: the A1-notation check of every ``write_*`` call, a cell
    record in a dict per cell, then at ``close`` an attribute list, an escaping pass and a
    type dispatch by class name for every cell, and a look-up of every column of every row.
    ``put_row`` keeps a row of plain cells (shared strings numbered as ``write_string``
    numbers them, in the same order) as one record, and ``_write_rows`` writes it in one
    piece; anything else (a datetime, NaN, an over-long string, a cell without a format, a
    row that already holds other cells, constant-memory mode) goes XlsxWriter's own way.

    Written against XlsxWriter 3.x's private worksheet API (``table``, ``_write_rows``,
    ``_calculate_spans``, ``_write_row``, ``_get_range_data``; pinned ``>=3.1,<4``):
    ``_write_rows`` and ``_calculate_spans`` are its loops with the put rows added, and a
    put row becomes XlsxWriter's own cell records wherever something else reads the table
    (a chart's cached data, ``autofit``). tests/sheets/documents/test_tables.py compares the
    file with the one XlsxWriter writes cell by cell.
    """

    def __init__(self) -> None:
        super().__init__()
        # row → (first column, cells, formats); a cell is a shared string's index as text,
        # a number, or None for a formatted blank.
        self._put: dict[int, tuple[int, list[object], Sequence]] = {}

    def put_row(self, row: int, left: int, values: Sequence[object], formats: Sequence) -> None:
        """``values`` from column ``left`` on, each in its format, as ``_write_cell`` writes
        them: text as text (a bool as 是 or empty text), None and "" as a formatted blank, a
        date as its serial, numbers as numbers."""
        last = left + len(values) - 1
        if (
            not values
            or self.constant_memory
            or None in formats
            or self._check_dimensions(row, left)
            or self._check_dimensions(row, last)
            or self.table.get(row)
        ):
            self._cell_by_cell(row, left, values, formats, 0)
            return
        if row in self._put:  # a second table beside the first (the cover's)
            self._to_records(row)
            self._cell_by_cell(row, left, values, formats, 0)
            return
        shared = self.str_table._get_shared_string_index
        short = self.xls_strmax // 2
        cells: list[object] = []
        add = cells.append
        for value in values:
            kind = value.__class__
            if kind is str:
                if not value:
                    add(None)
                elif len(value) <= short:  # type: ignore[arg-type]
                    add(str(shared(value)))
                else:
                    break
            elif value is None:
                add(None)
            elif kind is int or (kind is float and math.isfinite(value)):  # type: ignore[arg-type]
                add(value)
            elif kind is dt.date:
                add(to_serial(value))  # type: ignore[arg-type]
            else:
                break
        if len(cells) == len(values):
            self._put[row] = (left, cells, formats)
            return
        # An odd value: the cells before it as records (their strings are numbered
        # already), it and the rest XlsxWriter's way.
        self._put[row] = (left, cells, formats)
        self._to_records(row)
        self._cell_by_cell(row, left, values, formats, len(cells))

    def _cell_by_cell(
        self, row: int, left: int, values: Sequence[object], formats: Sequence, start: int
    ) -> None:
        for c in range(start, len(values)):
            _write_cell(self, row, left + c, values[c], formats[c])

    def _to_records(self, row: int) -> None:
        """The put row as XlsxWriter's cell records (a cell written there later stays)."""
        left, cells, formats = self._put.pop(row)
        table_row = self.table[row]
        for col, cell, fmt in zip(range(left, left + len(cells)), cells, formats):
            if col in table_row:
                continue
            if cell is None:
                table_row[col] = CellBlankTuple(fmt)
            elif cell.__class__ is str:
                table_row[col] = CellStringTuple(int(cell), fmt)
            else:
                table_row[col] = CellNumberTuple(cell, fmt)

    def _all_to_records(self) -> None:
        for row in list(self._put):
            self._to_records(row)

    def _get_range_data(self, row_start, col_start, row_end, col_end):
        self._all_to_records()  # a chart's cached values are read from the records
        return super()._get_range_data(row_start, col_start, row_end, col_end)

    def autofit(self, *args, **kwargs) -> None:
        self._all_to_records()
        super().autofit(*args, **kwargs)

    def _calculate_spans(self) -> None:
        # XlsxWriter's: the columns used in each block of 16 rows, put rows included.
        put, table, comments = self._put, self.table, self.comments
        spans = {}
        span_min: int | None = None
        span_max = 0
        columns = range(self.dim_colmin, self.dim_colmax + 1)
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            used: list[int] = []
            if row_num in put:
                left, cells, _ = put[row_num]
                used = [left, left + len(cells) - 1]
            elif row_num in table:
                used = [c for c in columns if c in table[row_num]]
            if row_num in comments:
                used += [c for c in columns if c in comments[row_num]]
            if used:
                low, high = min(used), max(used)
                if span_min is None:
                    span_min, span_max = low, high
                else:
                    span_min, span_max = min(span_min, low), max(span_max, high)
            if (row_num + 1) % 16 == 0 or row_num == self.dim_rowmax:
                if span_min is not None:
                    spans[row_num // 16] = f"{span_min + 1}:{span_max + 1}"
                    span_min = None
        self.row_spans = spans

    def _write_rows(self) -> None:
        # XlsxWriter's loop, a put row written as one string.
        if not self._put:
            super()._write_rows()
            return
        for row in [r for r in self._put if self.table.get(r)]:
            self._to_records(row)  # cells were written into the row after it was put
        self._calculate_spans()
        put, table, row_info, comments = self._put, self.table, self.row_info, self.comments
        columns = range(self.dim_colmin, self.dim_colmax + 1)
        names = [_column(c) for c in range(self.dim_colmax + 1)]
        write = self.fh.write
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            record = put.get(row_num)
            if not (record or row_num in row_info or row_num in comments or table[row_num]):
                continue
            span = self.row_spans.get(row_num // 16)
            if record is not None:
                self._write_row(row_num, span, row_info.get(row_num))
                left, cells, formats = record
                number = str(row_num + 1)
                parts = []
                for name, cell, fmt in zip(names[left:], cells, formats):
                    if cell is None:
                        parts.append(f'<c r="{name}{number}" s="{fmt._get_xf_index()}"/>')
                    elif cell.__class__ is str:
                        parts.append(
                            f'<c r="{name}{number}" s="{fmt._get_xf_index()}" t="s"><v>{cell}</v></c>'
                        )
                    else:
                        parts.append(
                            f'<c r="{name}{number}" s="{fmt._get_xf_index()}"><v>{cell:.16G}</v></c>'
                        )
                write("".join(parts))
                self._xml_end_tag("row")
            elif table[row_num]:
                self._write_row(row_num, span, row_info.get(row_num))
                cells_of = table[row_num]
                for col_num in columns:
                    if col_num in cells_of:
                        self._write_cell(row_num, col_num, cells_of[col_num])
                self._xml_end_tag("row")
            else:  # formatting or comments only
                self._write_empty_row(row_num, span, row_info.get(row_num))

    def _write_cell(self, row: int, col: int, cell) -> None:
        kind = cell.__class__
        fmt = cell[-1] if kind in _PLAIN else None  # the format is their last field
        if fmt is None or self.constant_memory:
            super()._write_cell(row, col, cell)
            return
        ref = (_COLUMNS.get(col) or _column(col)) + str(row + 1)
        if kind is CellStringTuple:
            self.fh.write(f'<c r="{ref}" s="{fmt._get_xf_index()}" t="s"><v>{cell[0]}</v></c>')
        elif kind is CellNumberTuple:
            self.fh.write(f'<c r="{ref}" s="{fmt._get_xf_index()}"><v>{cell[0]:.16G}</v></c>')
        else:
            self.fh.write(f'<c r="{ref}" s="{fmt._get_xf_index()}"/>')


_PLAIN = frozenset((CellStringTuple, CellNumberTuple, CellBlankTuple))
_COLUMNS: dict[int, str] = {}


def _column(col: int) -> str:
    name = _COLUMNS.get(col)
    if name is None:
        name = _COLUMNS[col] = xl_col_to_name(col)
    return name


# zlib's level for a workbook's parts. XlsxWriter leaves zlib's default (6), which at 10,000
# items takes 0.07 s of CPU time for the briefing's 5.6 MB of XML where 4 takes 0.03 s, for a
# file 8% bigger; the parts inside are the same.
ZIP_LEVEL = 4
_ZIPPING = threading.Lock()


class _LighterZip(zipfile.ZipFile):
    """The zip file XlsxWriter writes a workbook into, its parts compressed at ZIP_LEVEL."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        level = ZIP_LEVEL if compresslevel is None else compresslevel
        super().writestr(zinfo_or_arcname, data, compress_type, level)


class ListBook(Workbook):
    """An XlsxWriter workbook of :class:`ListSheet` sheets, its zip less compressed.

    XlsxWriter has no option for the compression level: it makes its ``zipfile.ZipFile`` in
    ``Workbook._store_workbook`` by the name ``ZipFile`` of its ``workbook`` module (3.x, pinned
    ``>=3.1,<4``), which is pointed at :class:`_LighterZip` while this workbook is stored (under
    a lock, so two stores in threads restore it in turn; another workbook stored meanwhile by
    another thread would only be less compressed too).
    """

    worksheet_class = ListSheet

    def _store_workbook(self) -> None:
        with _ZIPPING:
            stock = xlsxwriter.workbook.ZipFile
            xlsxwriter.workbook.ZipFile = _LighterZip
            try:
                super()._store_workbook()
            finally:
                xlsxwriter.workbook.ZipFile = stock


def new_workbook(path: Path) -> Workbook:
    # A fresh copy each time: XlsxWriter writes into the default_format_properties it is given.
    return ListBook(str(path), copy.deepcopy(WORKBOOK_OPTIONS))


class Formats:
    """The workbook's formats, created once and looked up by (kind, tone, bold)."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self._cache: dict[tuple, object] = {}
        self.title = wb.add_format(
            {"bold": True, "font_size": 18, "align": "center", "valign": "vcenter"}
        )
        self.subtitle = wb.add_format({"align": "center", "valign": "vcenter", "font_size": 11})
        self.section = wb.add_format({"bold": True, "font_size": 13})
        self.note = wb.add_format(
            {
                "italic": True,
                "font_color": "#" + styles.GREY_TEXT,
                "font_size": 10,
                "text_wrap": True,
                "valign": "top",
            }
        )
        self.header = wb.add_format(
            {
                "bold": True,
                "bg_color": "#" + styles.HEADER,
                "border": 1,
                "border_color": "#BFBFBF",
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        self.narrative = wb.add_format({"text_wrap": True, "valign": "top", "font_size": 12})

    def cell(self, kind: str, tone: str | None = None, bold: bool = False):
        key = (kind, tone, bold)
        if key not in self._cache:
            props = {"border": 1, "border_color": "#BFBFBF", **_KIND_PROPS[kind]}
            if tone:
                fill, font = TONES[tone]
                props.update(bg_color="#" + fill, font_color="#" + font)
            if bold:
                props["bold"] = True
            self._cache[key] = self.wb.add_format(props)
        return self._cache[key]


@dataclass(frozen=True)
class Col:
    header: str
    width: float
    kind: str = "text"


@dataclass(frozen=True)
class Tone:
    """A cell value with a traffic-light colour."""

    value: object
    tone: str | None


def page_setup(ws: Worksheet, header_row: int | None) -> None:
    """A4 landscape, one page wide, the header row (0-based) on every page, 第 N 页 共 M 页
    (``styles.print_ready`` does the same for an openpyxl sheet)."""
    margins = styles.PRINT_MARGINS
    ws.set_paper(styles.PAPER_A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(
        left=margins["left"], right=margins["right"], top=margins["top"], bottom=margins["bottom"]
    )
    ws.center_horizontally()
    ws.set_footer(FOOTER)  # header and footer margins: XlsxWriter's 0.3, as PRINT_MARGINS
    if header_row is not None:
        ws.repeat_rows(header_row)


LINE_HEIGHT = 16  # points per line of 11-point text, with room for the cell padding


def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped cell of ``width`` needs; a CJK character is two width units.

    XlsxWriter cannot measure text and LibreOffice keeps saved row heights, so for the printed
    briefing not to cut text off we set heights ourselves. (len + UTF-8 length) / 2 counts
    ASCII once and CJK (three bytes) twice without a Python loop over characters.
    """
    per_line = max(width - 1.5, 1.0)
    if "\n" not in text:  # the common case: one paragraph
        return max(1, math.ceil((len(text) + len(text.encode("utf-8"))) / 2 / per_line))
    return sum(
        max(1, math.ceil((len(p) + len(p.encode("utf-8"))) / 2 / per_line))
        for p in text.split("\n")
    )


def _write_cell(ws: Worksheet, r: int, c: int, value: object, fmt) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, str):
        ws.write_string(r, c, value, fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "", fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, fmt)
    elif isinstance(value, dt.date):  # the serial directly: XlsxWriter's conversion is 100x slower
        ws.write_number(r, c, to_serial(value), fmt)
    else:
        ws.write_number(r, c, value, fmt)


def write_table(
    ws: Worksheet,
    fm: Formats,
    top: int,
    cols: Sequence[Col],
    rows: Iterable[Sequence],
    *,
    left: int = 0,
    total: Sequence | None = None,
    widths: bool = True,
) -> int:
    """Header at ``top``, then rows (a cell may be a :class:`Tone`); the next free row."""
    for c, col in enumerate(cols):
        ws.write_string(top, left + c, col.header, fm.header)
        if widths:
            ws.set_column(left + c, left + c, col.width)
    header_lines = max(lines_needed(col.header, col.width) for col in cols)
    if header_lines > 1:
        ws.set_row(top, LINE_HEIGHT * header_lines)
    # The wrapped columns, with the longest text that surely fits one line: a character is
    # at most 2.5 width units (four UTF-8 bytes), so a shorter one needs no measuring.
    wrapped = [
        (c, col.width, max(col.width - 1.5, 1.0) / 2.5)
        for c, col in enumerate(cols)
        if col.kind == "text"
    ]
    # Each column's untoned format (formats are numbered as the file is written, by first
    # use, so creating them here changes nothing); a toned cell's is looked up: 分科室 alone
    # is 80,000 cells.
    kinds = [col.kind for col in cols]
    plain = [fm.cell(kind, None) for kind in kinds]
    put_row = ws.put_row if isinstance(ws, ListSheet) else None
    width = len(cols)
    r = top
    for r, values in enumerate(rows, start=top + 1):
        if len(values) > width:
            values = values[:width]
        formats: Sequence[object] = plain
        if Tone in map(type, values):
            formats = [
                fm.cell(kinds[c], v.tone) if v.__class__ is Tone else plain[c]
                for c, v in enumerate(values)
            ]
            values = [v.value if v.__class__ is Tone else v for v in values]
        if put_row is not None:
            put_row(r, left, values, formats)
        else:
            for c, (value, fmt) in enumerate(zip(values, formats), start=left):
                _write_cell(ws, r, c, value, fmt)
        height = 1
        n = len(values)
        for c, col_width, fits in wrapped:
            if c < n:
                text = values[c]
                if isinstance(text, str) and (len(text) > fits or "\n" in text):
                    height = max(height, lines_needed(text, col_width))
        if height > 1:
            ws.set_row(r, LINE_HEIGHT * height)
    if total is not None:
        r += 1
        for c, (col, value) in enumerate(zip(cols, total)):
            _write_cell(ws, r, left + c, value, fm.cell(col.kind, None, bold=True))
    return r + 1


def write_note(
    ws: Worksheet, fm: Formats, row: int, cols: Sequence[Col], text: str, fmt=None
) -> None:
    """A wrapped line of text across the table's width, tall enough to be read in print."""
    fmt = fmt or fm.note
    ws.merge_range(row, 0, row, len(cols) - 1, text, fmt)
    ws.set_row(row, LINE_HEIGHT * lines_needed(text, sum(c.width for c in cols)))


def titled_sheet(
    wb: Workbook,
    fm: Formats,
    name: str,
    title: str,
    subtitle: str,
    cols: Sequence[Col],
    rows: Sequence[Sequence],
    total: Sequence | None = None,
) -> Worksheet:
    """A list sheet: title, subtitle, one table with filter and frozen header."""
    ws = wb.add_worksheet(name)
    last = max(len(cols) - 1, 1)
    ws.merge_range(0, 0, 0, last, title, fm.title)
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, last, subtitle, fm.subtitle)
    end = write_table(ws, fm, 2, cols, rows, total=total)
    ws.freeze_panes(3, 0)
    ws.autofilter(2, 0, max(end - 1, 2), len(cols) - 1)
    page_setup(ws, 2)
    return ws


def flag(n: float, tone: str) -> Tone:
    """``n`` in the colour ``tone`` when it is not zero (a zero needs no one's attention)."""
    return Tone(n, tone if n else None)


# -- the deduction tables (the briefing's 扣分意见 and the scoring workbook) --------------

SUMMARY_COLS = (
    Col("单位名称", 26, "name"),
    *(
        Col(f"{r.value}（{'次' if r is scoring.Reason.MISSED_REPORT else '件'}）", 13, "num")
        for r in scoring.Reason
    ),
    Col("拟扣分合计", 10, "points"),
)
EVIDENCE_COLS = (
    Col("单位名称", 24, "name"),
    Col("扣分事由", 13, "name"),
    Col("事项编号", 15, "name"),
    Col("报送期次", 13, "num"),
    Col("发生日期", 13, "date"),
    Col("扣分", 11, "points"),
    Col("议定事项", 28),
    Col("依据", 50),
)


def weights_note(s: Settings) -> str:
    return (
        f"扣分标准（见台账「设置」）：逾期未落实每件 {scoring.fmt_points(s.weight_overdue)} 分；"
        f"未按时报送每次 {scoring.fmt_points(s.weight_missed_report)} 分；"
        f"报送不实每件 {scoring.fmt_points(s.weight_false_report)} 分；"
        f"措施不力每件 {scoring.fmt_points(s.weight_ineffective)} 分。以上为扣分意见，供综合考评参考。"
    )


def write_deduction_summary(
    ws: Worksheet,
    fm: Formats,
    top: int,
    scores: Sequence[scoring.UnitScore],
    extra: Sequence[Col] = (),
    extra_values: Sequence[Sequence] = (),
    *,
    widths: bool = True,
) -> int:
    rows = [
        [
            s.unit,
            *(flag(s.counts[r], "red") for r in scoring.Reason),
            flag(s.total, "red"),
            *(extra_values[n] if extra_values else ()),
        ]
        for n, s in enumerate(scores)
    ]
    total = [
        "合计",
        *(sum(s.counts[r] for s in scores) for r in scoring.Reason),
        round(sum(s.total for s in scores), 2),
        *(round(sum(v[k] for v in extra_values), 2) for k in range(len(extra))),
    ]
    return write_table(ws, fm, top, (*SUMMARY_COLS, *extra), rows, total=total, widths=widths)


def write_deduction_evidence(
    ws: Worksheet,
    fm: Formats,
    top: int,
    deductions: Sequence[scoring.Deduction],
    items: dict[str, Item],
    *,
    widths: bool = True,
) -> int:
    rows = [
        [
            d.unit,
            d.reason.value,
            d.item_id,
            d.period,
            d.date,
            d.points,
            items[d.item_id].matter if d.item_id in items else None,
            d.evidence,
        ]
        for d in deductions
    ]
    return write_table(ws, fm, top, EVIDENCE_COLS, rows, widths=widths)
