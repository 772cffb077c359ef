"""The few shared formats: header, dates, and the traffic-light colours staff see."""

from __future__ import annotations

from typing import Any

FONT_NAME = "宋体"
RED = "FFC7CE"
RED_TEXT = "9C0006"
AMBER = "FFEB9C"
AMBER_TEXT = "9C5700"
GREEN = "C6EFCE"
GREEN_TEXT = "006100"
GREY = "D9D9D9"
GREY_TEXT = "595959"
HEADER = "DDEBF7"


def _header_looks() -> dict[str, Any]:
    """The header's openpyxl objects (font, fill, alignment, border), for the sheets openpyxl
    writes (``init``, annotated copies): made when first asked for, so that a command that never
    builds an openpyxl sheet never imports openpyxl (``sheets.excel``)."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="BFBFBF")
    return {
        "HEADER_FONT": Font(name=FONT_NAME, bold=True),
        "HEADER_FILL": PatternFill("solid", fgColor=HEADER),
        "HEADER_ALIGN": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "THIN": thin,
        "HEADER_BORDER": Border(left=thin, right=thin, top=thin, bottom=thin),
    }


def __getattr__(name: str) -> Any:
    if name in ("HEADER_FONT", "HEADER_FILL", "HEADER_ALIGN", "THIN", "HEADER_BORDER"):
        globals().update(_header_looks())
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# 督办预警 value → (fill, font colour); used by init's conditional formatting and by reports.
ALERT_COLOURS: dict[str, tuple[str, str]] = {
    "时限不明": (RED, RED_TEXT),
    "逾期": (RED, RED_TEXT),
    "交办超时": (RED, RED_TEXT),
    "未按时报送": (RED, RED_TEXT),
    "逾期办结": (AMBER, AMBER_TEXT),
    "临期": (AMBER, AMBER_TEXT),
    "已销号": (GREY, GREY_TEXT),
    "已终止": (GREY, GREY_TEXT),
    "按期办结": (GREEN, GREEN_TEXT),
}

# Print-ready (SPEC §6): every workbook the tool writes for people prints alike, the way the
# briefing does: A4 landscape, one page wide (as many pages down as it takes), the header row
# on every page, centred, 第 N 页 共 M 页 in the footer. The XlsxWriter workbooks set it in
# ``documents.tables.page_setup``, the openpyxl ones (the 问题清单 of a returned copy) in
# ``print_ready``; both from these values, so they print the same.
PAPER_A4 = 9
PRINT_FOOTER = "&C第 &P 页 共 &N 页"
PRINT_MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.7, "header": 0.3, "footer": 0.3}


def print_ready(ws, header_row: int | None) -> None:
    """Print setup of an openpyxl worksheet; ``header_row`` (1-based) repeats on every page."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for side, inches in PRINT_MARGINS.items():
        setattr(ws.page_margins, side, inches)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = PRINT_FOOTER.removeprefix("&C")
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
