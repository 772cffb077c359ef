"""The table kit of the printed workbooks (通报, 扣分意见): formats, tables, print setup.

One kit so the briefing and the scoring workbook look and print alike (A4 landscape, fit to
width, header rows repeated, 第 N 页 共 M 页, 宋体, traffic-light colours), and the deduction
tables a unit reads in both are the same table. Text from the ledger is always written as text
(``strings_to_formulas`` off); row heights are set here because XlsxWriter cannot measure text
and LibreOffice keeps saved heights.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

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


def new_workbook(path: Path) -> Workbook:
    # A fresh copy each time: XlsxWriter writes into the default_format_properties it is given.
    return xlsxwriter.Workbook(str(path), copy.deepcopy(WORKBOOK_OPTIONS))


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
    r = top
    for r, values in enumerate(rows, start=top + 1):
        for c, (col, value) in enumerate(zip(cols, values)):
            if isinstance(value, Tone):
                _write_cell(ws, r, left + c, value.value, fm.cell(col.kind, value.tone))
                continue
            fmt = plain[c]
            if fmt is None:
                fmt = plain[c] = fm.cell(col.kind, None)
            _write_cell(ws, r, left + c, value, fmt)
        height = 1
        for c, width in wrapped:
            text = values[c]
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
