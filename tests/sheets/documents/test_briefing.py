"""The briefing workbook's layout, guarded by reviewed golden files (XlsxWriter style).

A deliberate layout change regenerates the references with LEDGER_REGEN_GOLDEN=1 (that run fails
on purpose, so a regenerating run never passes); review the diff of
tests/sheets/documents/golden/brief-*.xml, then rerun without the variable. The briefing is built
from model objects here, so the files change only when the layout (or the counting) does.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from ledger_tools.core import briefing
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.model import (
    Extension,
    Item,
    ItemKind,
    Reminder,
    ReminderMethod,
    Report,
    Settings,
    SourceType,
    Status,
    Verification,
)
from ledger_tools.sheets.documents.briefing import lines_needed, write_brief
from tests.builders import assert_matches_golden, refreshed, shared_strings, xml_lines

GOLDEN = Path(__file__).with_name("golden")
D = dt.date
AS_OF = D(2026, 11, 30)
CAL = WorkCalendar()
SET = Settings()
PARTS = {
    "brief-通报.xml": "xl/worksheets/sheet1.xml",
    "brief-分单位.xml": "xl/worksheets/sheet3.xml",
    "brief-分科室.xml": "xl/worksheets/sheet4.xml",
    "brief-逾期事项.xml": "xl/worksheets/sheet5.xml",
    "brief-扣分意见.xml": "xl/worksheets/sheet10.xml",
    "brief-workbook.xml": "xl/workbook.xml",
    "brief-chart-办结率.xml": "xl/charts/chart2.xml",
    "brief-styles.xml": "xl/styles.xml",
}


def _item(n: int, **over) -> Item:
    base = dict(
        id=f"2026-CW12-{n:02d}",
        source_type=SourceType.EXECUTIVE,
        source_name="市人民政府2026年第12次常务会议",
        issued=D(2026, 9, 18),
        matter=f"加快推进第{n}项重点工作",
        requirement="年底前完成",
        leader="张副市长",
        kind=ItemKind.REGULAR,
        deadline=D(2026, 12, 31),
        assigned=D(2026, 9, 22),
        lead_unit="东城区人民政府",
        section="综合一科",
        latest_progress="已完成方案编制，正在组织实施。",
    )
    base.update(over)
    return Item(**base)


def _briefing() -> briefing.Briefing:
    items = [
        _item(1, deadline=D(2026, 10, 15), co_units=["市财政局"]),
        _item(
            2,
            deadline=D(2026, 12, 2),
            lead_unit="西山县人民政府",
            leader="王副市长",
            section="综合二科",
        ),
        _item(3, status=Status.DONE, done_date=D(2026, 11, 12)),
        _item(
            4,
            kind=ItemKind.LONG_TERM,
            deadline=None,
            lead_unit="南湖县人民政府",
            stage_target="年内完成一期",
        ),
        _item(
            5,
            confidential=True,
            matter="涉密内容",
            deadline=D(2026, 11, 10),
            lead_unit="西山县人民政府",
            section="综合二科",
        ),
        _item(
            6,
            closed_date=D(2026, 11, 5),
            done_date=D(2026, 10, 30),
            verification=Verification.FALSE_REPORT,
            section=None,  # 承办科室 left blank: listed under 「（未填写承办科室）」
        ),
    ]
    reports = [
        Report(item_id=i.id, period=p, recorded=D(2026, int(p[-2:]), 20))
        for i in items
        for p in ("2026-10", "2026-11")
        if i.id != "2026-CW12-04" or p == "2026-10"
    ]
    reminders = [
        Reminder(D(2026, 10, 22), "2026-CW12-01", method=ReminderMethod.WRITTEN),
        Reminder(D(2026, 11, 3), "2026-CW12-01", method=ReminderMethod.PHONE),
    ]
    extensions = [
        Extension(
            "2026-CW12-02",
            D(2026, 11, 18),
            "西山县人民政府",
            D(2026, 12, 2),
            D(2027, 3, 31),
            "受天气影响",
        )
    ]
    done = refreshed(items, extensions, reports, reminders, SET, CAL, AS_OF)
    earlier = [briefing.Snapshot("2026-10", D(2026, 10, 31), 6, 0, 0, 5, 1, 1, 0, 0.0)]
    return briefing.compute(
        month="2026-11",
        as_of=AS_OF,
        items=done,
        reports=reports,
        extensions=extensions,
        reminders=reminders,
        settings=SET,
        cal=CAL,
        snapshots=earlier,
    )


NARRATIVE = [
    "一、总体情况。截至2026年11月30日，共跟踪督办议定事项6件。",
    "二、本月办结情况。本月办结1件。",
]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("golden") / "通报.xlsx"
    write_brief(path, _briefing(), NARRATIVE)
    return path


@pytest.mark.parametrize("golden", sorted(PARTS))
def test_main_sheets_match_the_reviewed_golden_files(workbook, golden):
    with zipfile.ZipFile(workbook) as z:
        got = xml_lines(z.read(PARTS[golden]).decode("utf-8"), shared_strings(z))
    assert_matches_golden(got, GOLDEN / golden)


def test_nothing_volatile_outside_docprops(tmp_path):
    """Two runs differ only in docProps (timestamps): the golden comparison is meaningful."""
    b = _briefing()
    write_brief(tmp_path / "a.xlsx", b, NARRATIVE)
    write_brief(tmp_path / "b.xlsx", b, NARRATIVE)
    with zipfile.ZipFile(tmp_path / "a.xlsx") as a, zipfile.ZipFile(tmp_path / "b.xlsx") as c:
        assert a.namelist() == c.namelist()
        differ = [n for n in a.namelist() if a.read(n) != c.read(n)]
    assert all(n.startswith("docProps/") for n in differ)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("", 10, 1),
        ("abc", 10, 1),
        ("一二三四五", 10, 2),
        ("一二三四五六七八", 10, 2),
        ("甲\n乙\n丙", 30, 3),
    ],
)
def test_row_heights_count_cjk_characters_double(text, width, lines):
    assert lines_needed(text, width) == lines


def test_the_word_document_survives_markup_and_control_characters_from_the_ledger(tmp_path):
    from docx import Document

    from ledger_tools.sheets.documents import word as docx_render
    from ledger_tools.sheets.documents.templates import bundled_template

    context = {
        "title": "通报",
        "as_of_text": "2026年11月30日",
        "office_name": "督查室",
        "org_name": "市人民政府",
        "month_text": "2026年11月",
        "year": 2026,
        "paragraphs": ["进展\x0b说明 <a> & \x01完成"],
        "totals": [],
        "units": [],
        "scores": [],
        "weights_note": "",
        "overdue": [
            {
                "no": 1,
                "id": "2026-CW12-01",
                "unit": "东城区",
                "leader": "",
                "matter": "</w:t>",
                "deadline": "",
                "days": 3,
                "reminders": "",
                "progress": "x\x0cy",
            }
        ],
    }
    out = docx_render.render_docx(bundled_template("通报.docx"), context, tmp_path / "a.docx")
    doc = Document(str(out))
    assert "进展说明 <a> & 完成" in [p.text for p in doc.paragraphs]
    cells = [c.text for c in doc.tables[0].rows[1].cells]
    assert "</w:t>" in cells and "xy" in cells
