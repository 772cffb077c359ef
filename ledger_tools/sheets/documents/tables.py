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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
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
    """An XlsxWriter worksheet that takes a table row in one call and writes its cells' XML
    with one string each: the XML is XlsxWriter's own, byte for byte.

    The briefing's lists are 120,000 cells at 10,000 items, and XlsxWriter spends most of
    its time per cell, not per byte: the A1-notation check of every ``write_*`` call, then
    at ``close`` an attribute list, an escaping pass and a type dispatch by class name for
    every cell. ``put_row`` stores the same cell records ``write_string``/``write_number``/
    ``write_blank`` store (shared strings numbered in the same order), and ``_write_cell``
    writes the three plain kinds the way ``Worksheet._write_cell`` does; anything else (a
    datetime, NaN, an over-long string, a cell without a format, constant-memory mode)
    goes XlsxWriter's own way. tests/sheets/documents/test_tables.py compares the two.
    """

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
        ):
            for c, (value, fmt) in enumerate(zip(values, formats), start=left):
                _write_cell(self, row, c, value, fmt)
            return
        table_row = self.table[row]
        shared = self.str_table._get_shared_string_index
        short = self.xls_strmax // 2
        for c, value, fmt in zip(range(left, last + 1), values, formats):
            kind = value.__class__
            if kind is str:
                if not value:
                    table_row[c] = _new(CellBlankTuple, (fmt,))
                elif len(value) <= short:  # type: ignore[arg-type]
                    table_row[c] = _new(CellStringTuple, (shared(value), fmt))
                else:
                    self._write_string(row, c, value, fmt)
            elif value is None:
                table_row[c] = _new(CellBlankTuple, (fmt,))
            elif kind is int or (kind is float and math.isfinite(value)):  # type: ignore[arg-type]
                table_row[c] = _new(CellNumberTuple, (value, fmt))
            elif kind is dt.date:
                table_row[c] = _new(CellNumberTuple, (to_serial(value), fmt))  # type: ignore[arg-type]
            else:
                _write_cell(self, row, c, value, fmt)

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
_new = tuple.__new__  # a cell record without the namedtuple's own __new__ (a Python frame)
_COLUMNS: dict[int, str] = {}


def _column(col: int) -> str:
    name = _COLUMNS.get(col)
    if name is None:
        name = _COLUMNS[col] = xl_col_to_name(col)
    return name


def new_workbook(path: Path) -> Workbook:
    # A fresh copy each time: XlsxWriter writes into the default_format_properties it is given.
    wb = xlsxwriter.Workbook(str(path), copy.deepcopy(WORKBOOK_OPTIONS))
    wb.worksheet_class = ListSheet
    return wb


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
    wrapped = [(c, col.width) for c, col in enumerate(cols) if col.kind == "text"]
    # Each column's untoned format, looked up on first use (formats are numbered in the
    # order they are first asked for, so the file stays the same): 分科室 alone is 80,000 cells.
    plain: list[object] = [None] * len(cols)
    kinds = [col.kind for col in cols]
    put_row = ws.put_row if isinstance(ws, ListSheet) else None
    r = top
    for r, values in enumerate(rows, start=top + 1):
        values = values[: len(cols)]
        formats: list[object] = []
        for c, value in enumerate(values):
            if value.__class__ is Tone:
                formats.append(fm.cell(kinds[c], value.tone))
                continue
            fmt = plain[c]
            if fmt is None:
                fmt = plain[c] = fm.cell(kinds[c], None)
            formats.append(fmt)
        if any(v.__class__ is Tone for v in values):
            values = [v.value if v.__class__ is Tone else v for v in values]
        if put_row is not None:
            put_row(r, left, values, formats)
        else:
            for c, (value, fmt) in enumerate(zip(values, formats), start=left):
                _write_cell(ws, r, c, value, fmt)
        height = 1
        for c, width in wrapped:
            text = values[c] if c < len(values) else None
            if isinstance(text, str):
                height = max(height, lines_needed(text, width))
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
