"""The findings of `check`/`merge` as a workbook (``--report FILE``), one row per finding.

Like a pandera failure table: fixed columns (findings.FINDING_COLUMNS) that drop straight into
a filter, so the office can sort by unit or code and forward the rows. XlsxWriter, created so
that no unit's text ever becomes a formula or a link, and saved through files.atomic_output
like every output. A second sheet sums up each file. Both print like the briefing (A4
landscape, one page wide, the header row on every page: ``tables.page_setup``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import xlsxwriter

from ledger_tools.core.findings import FINDING_COLUMNS, Finding, Severity, as_row
from ledger_tools.errors import UsageError
from ledger_tools.sheets import styles
from ledger_tools.sheets.documents.tables import page_setup
from ledger_tools.sheets.files import atomic_output, output_workbook

__all__ = ["SHEET_FINDINGS", "SHEET_FILES", "FILE_COLUMNS", "check_target", "write_report"]

SHEET_FINDINGS = "问题清单"
SHEET_FILES = "文件汇总"
FILE_COLUMNS = ("文件名", "报送单位", "报送期次", "结果", "事项数", "问题数")
_WIDTHS = {
    "级别": 6,
    "代码": 7,
    "问题": 18,
    "文件": 30,
    "工作表": 10,
    "单元格": 8,
    "事项编号": 15,
    "说明": 80,
}
_FILE_WIDTHS = (36, 24, 10, 10, 8, 8)
_SEVERITY_COLOURS = {
    Severity.ERROR: (styles.RED, styles.RED_TEXT),
    Severity.WARNING: (styles.AMBER, styles.AMBER_TEXT),
    Severity.INFO: (styles.GREEN, styles.GREEN_TEXT),
}


def write_report(
    path: Path, findings: Sequence[Finding], files: Iterable[Sequence[object]] = ()
) -> Path:
    """Write the findings (and the per-file rows, FILE_COLUMNS) to ``path`` atomically."""
    path = check_target(path)
    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        _findings_sheet(wb, findings)
        _files_sheet(wb, list(files))
        wb.close()
    return path


def check_target(path: Path, ledger: Path | None = None) -> Path:
    """Refuse a report path that cannot or must not be written, before any work is done."""
    path = output_workbook(
        path, ledger=ledger, what="问题清单", example="问题清单.xlsx", option="--report"
    )
    if not path.parent.is_dir():
        raise UsageError(f"找不到文件夹 {path.parent}，无法写入问题清单。请先创建该文件夹。")
    return path


def _formats(wb) -> dict:
    base = {"font_name": styles.FONT_NAME, "valign": "top", "text_wrap": True}
    out = {
        "header": wb.add_format(
            {
                **base,
                "bold": True,
                "bg_color": styles.HEADER,
                "border": 1,
                "align": "center",
                "valign": "vcenter",
            }
        ),
        "cell": wb.add_format(base),
    }
    for sev, (fill, font) in _SEVERITY_COLOURS.items():
        out[sev] = wb.add_format({**base, "bg_color": fill, "font_color": font, "align": "center"})
    return out


def _findings_sheet(wb, findings: Sequence[Finding]) -> None:
    ws = wb.add_worksheet(SHEET_FINDINGS)
    fm = _formats(wb)
    for c, header in enumerate(FINDING_COLUMNS):
        ws.set_column(c, c, _WIDTHS.get(header, 12))
        ws.write_string(0, c, header, fm["header"])
    for r, f in enumerate(findings, start=1):
        for c, value in enumerate(as_row(f)):
            ws.write_string(r, c, str(value), fm[f.severity] if c == 0 else fm["cell"])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(findings), 1), len(FINDING_COLUMNS) - 1)
    page_setup(ws, 0)
    ws.activate()


def _files_sheet(wb, files: list[Sequence[object]]) -> None:
    ws = wb.add_worksheet(SHEET_FILES)
    fm = _formats(wb)
    for c, (header, width) in enumerate(zip(FILE_COLUMNS, _FILE_WIDTHS)):
        ws.set_column(c, c, width)
        ws.write_string(0, c, header, fm["header"])
    for r, row in enumerate(files, start=1):
        for c, value in enumerate(row):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                ws.write_number(r, c, value, fm["cell"])
            else:
                ws.write_string(r, c, "" if value is None else str(value), fm["cell"])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(files), 1), len(FILE_COLUMNS) - 1)
    page_setup(ws, 0)
