"""The office's two working lists as workbooks: the phone checklist and the spot-check list.

Written with XlsxWriter (strings never become formulas or links) through files.atomic_output:
a crash never leaves half a file that looks complete, and the list gets the mode of any new
file. The notices themselves are Word documents: word.render_docx.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from ledger_tools.sheets.files import atomic_output
from ledger_tools.sheets.styles import FONT_NAME, HEADER

__all__ = ["Column", "ListSheet", "write_list_workbook"]

# Characters XML 1.0 cannot hold; a vertical tab pasted from Word is the usual one.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# -- list workbooks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a list sheet. ``kind``: text, date, int; ``choices`` makes a drop-down;
    ``blank`` marks a column staff fill in (highlighted, empty)."""

    header: str
    width: float = 12
    kind: str = "text"
    choices: tuple[str, ...] = ()
    blank: bool = False


@dataclass
class ListSheet:
    name: str
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, object]]
    landscape: bool = True


@dataclass
class _Formats:
    wb: xlsxwriter.Workbook
    cache: dict = field(default_factory=dict)

    def get(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            base = {
                "font_name": FONT_NAME,
                "font_size": 10,
                "valign": "top",
                "text_wrap": True,
                "border": 1,
                "border_color": "#BFBFBF",
            }
            base.update(props)
            self.cache[key] = self.wb.add_format(base)
        return self.cache[key]


INPUT_FILL = "#FFF2CC"
MAX_ROWS_VALIDATED = 5000  # drop-downs reach this far below the header, for rows staff add


def _list_sheet(wb: xlsxwriter.Workbook, fm: _Formats, sheet: ListSheet) -> None:
    ws = wb.add_worksheet(sheet.name)
    header = fm.get(bold=True, bg_color=f"#{HEADER}", align="center", valign="vcenter")
    input_header = fm.get(bold=True, bg_color="#FFD966", align="center", valign="vcenter")
    for c, col in enumerate(sheet.columns):
        ws.write_string(0, c, col.header, input_header if col.blank else header)
        ws.set_column(c, c, col.width)
    ws.set_row(0, 30)
    for r, row in enumerate(sheet.rows, start=1):
        for c, col in enumerate(sheet.columns):
            fill = {"bg_color": INPUT_FILL} if col.blank else {}
            value = row.get(col.header)
            if value is None or value == "":
                ws.write_blank(r, c, None, fm.get(**fill))
            elif col.kind == "date" and isinstance(value, dt.date):
                ws.write_datetime(
                    r,
                    c,
                    dt.datetime.combine(value, dt.time())
                    if not isinstance(value, dt.datetime)
                    else value,
                    fm.get(num_format="yyyy-mm-dd", align="center", **fill),
                )
            elif (
                col.kind == "int"
                and isinstance(value, (int, float))
                and not isinstance(value, bool)
            ):
                ws.write_number(r, c, value, fm.get(align="center", **fill))
            else:
                ws.write_string(r, c, _ILLEGAL_XML.sub("", str(value)), fm.get(**fill))
    last = max(len(sheet.rows), 1)
    for c, col in enumerate(sheet.columns):
        if col.choices:
            ws.data_validation(
                1,
                c,
                max(last, MAX_ROWS_VALIDATED),
                c,
                {
                    "validate": "list",
                    "source": list(col.choices),
                    "error_title": "请从下拉列表选择",
                    "error_message": "可选：" + "、".join(col.choices),
                },
            )
        elif col.kind == "date" and col.blank:
            ws.data_validation(
                1,
                c,
                max(last, MAX_ROWS_VALIDATED),
                c,
                {
                    "validate": "date",
                    "criteria": ">=",
                    "value": dt.date(2000, 1, 1),
                    "error_title": "日期有误",
                    "error_message": "请按 2026-03-05 的格式填写日期。",
                },
            )
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, last, len(sheet.columns) - 1)
    ws.set_paper(9)  # A4
    if sheet.landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")


def _notes_sheet(wb: xlsxwriter.Workbook, fm: _Formats, title: str, notes: Sequence[str]) -> None:
    ws = wb.add_worksheet("说明")
    ws.set_column(0, 0, 100)
    ws.write_string(0, 0, title, fm.get(bold=True, font_size=14, border=0, text_wrap=False))
    for r, line in enumerate(notes, start=2):
        ws.write_string(r, 0, _ILLEGAL_XML.sub("", line), fm.get(border=0))


def write_list_workbook(
    path: Path,
    sheets: ListSheet | Sequence[ListSheet],
    *,
    title: str,
    notes: Sequence[str],
    author: str = "",
) -> Path:
    """List sheets in the order given (header row 1, frozen, filtered, print-ready), then a 说明
    sheet: one list (a reminder checklist) or several (the minutes preview) look alike."""
    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        wb.set_properties({"title": title, "author": author})
        fm = _Formats(wb)
        for sheet in [sheets] if isinstance(sheets, ListSheet) else sheets:
            _list_sheet(wb, fm, sheet)
        _notes_sheet(wb, fm, title, notes)
        wb.close()
    return Path(path)
