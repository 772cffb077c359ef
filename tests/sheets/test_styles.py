"""The shared formats: valid colours and fonts, and the traffic lights of SPEC §2 that staff see
on 督办预警 in the ledger init writes."""

import re

import openpyxl

from ledger_tools.core.model import Alert
from ledger_tools.sheets import styles
from ledger_tools.sheets.ledger.new import new_ledger

HEX = re.compile(r"[0-9A-F]{6}")


def test_colours_are_rgb_hex_and_fonts_are_set():
    names = ("RED", "AMBER", "GREEN", "GREY", "HEADER")
    colours = [
        getattr(styles, n + end) for n in names for end in ("", "_TEXT") if n + end != "HEADER_TEXT"
    ]
    assert all(HEX.fullmatch(c) for c in colours), colours
    assert styles.FONT_NAME == "宋体"
    assert styles.HEADER_FONT.name == "宋体" and styles.HEADER_FONT.bold
    assert styles.HEADER_FILL.fgColor.rgb.endswith(styles.HEADER)
    assert styles.HEADER_ALIGN.wrap_text
    assert all(
        getattr(styles.HEADER_BORDER, side).style == "thin"
        for side in ("left", "right", "top", "bottom")
    )


def test_alert_colours_follow_the_spec():
    red, amber, grey, green = (
        (styles.RED, styles.RED_TEXT),
        (styles.AMBER, styles.AMBER_TEXT),
        (styles.GREY, styles.GREY_TEXT),
        (styles.GREEN, styles.GREEN_TEXT),
    )
    c = styles.ALERT_COLOURS
    assert set(c) <= {a.value for a in Alert}
    assert c["逾期"] == c["交办超时"] == c["未按时报送"] == red
    assert c["时限不明"] == red  # ranked and counted with 逾期 (SPEC §3 Fail closed)
    assert c["临期"] == amber and c["已销号"] == grey and c["按期办结"] == green
    assert all(HEX.fullmatch(fill) and HEX.fullmatch(font) for fill, font in c.values())


def test_the_new_ledger_colours_its_alert_column_with_them(tmp_path):
    path = tmp_path / "台账.xlsx"
    new_ledger(path)
    ws = openpyxl.load_workbook(path)["台账"]
    found = {}
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            value = rule.formula[0].strip('"')
            found[value] = (rule.dxf.fill.bgColor.rgb[-6:], rule.dxf.font.color.rgb[-6:])
    assert found == styles.ALERT_COLOURS
    assert found["时限不明"] == (styles.RED, styles.RED_TEXT)


def test_print_ready_sets_what_the_briefing_sets(tmp_path):
    """The openpyxl twin of documents.tables.page_setup: the same paper, orientation, fit,
    margins, repeated row and footer, as read back from the saved file."""
    from tests.builders import assert_print_ready

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A3"] = "序号"
    styles.print_ready(ws, 3)
    wb.save(tmp_path / "a.xlsx")
    back = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    assert_print_ready(back, 3)
    assert back.page_margins.left == styles.PRINT_MARGINS["left"]
    assert back.page_margins.bottom == styles.PRINT_MARGINS["bottom"]
    assert back.print_options.horizontalCentered
