"""The few shared formats: header, dates, and the traffic-light colours staff see."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

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

HEADER_FONT = Font(name=FONT_NAME, bold=True)
HEADER_FILL = PatternFill("solid", fgColor=HEADER)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
THIN = Side(style="thin", color="BFBFBF")
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

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
