"""ledger remind: notices per unit, the call list, and 催办记录 feeding 催办次数 and the scoring."""

import datetime as dt

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from ledger_tools.cli.app import cli
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.jobs import refresh, reminders
from ledger_tools.sheets.ledger.data import read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile
from tests.builders import column_values, item, make_ledger, sha

AS_OF = dt.date(2026, 11, 20)
EAST, WEST = "东城区人民政府", "西山县人民政府"


def text_of(path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def sheet_rows(path, sheet) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def ledger(tmp_path):
    return make_ledger(
        tmp_path / "台账.xlsx",
        [
            item(
                事项编号="2026-CW12-01",
                完成时限=dt.date(2026, 11, 10),
                议定事项="东城区老旧小区改造",
            ),  # overdue
            item(
                事项编号="2026-CW12-02",
                主责单位="西山县",
                完成时限=dt.date(2026, 11, 24),
                涉密="是",
                议定事项="西山县涉密工程建设",
            ),  # due soon
            item(事项编号="2026-CW12-03", 完成时限=dt.date(2026, 12, 31)),  # normal now
            item(
                事项编号="2026-CW12-04",
                完成时限=dt.date(2026, 10, 31),
                办理状态="已办结",
                办结日期=dt.date(2026, 10, 20),
            ),  # finished
        ],
        reminders=[
            {
                "催办日期": dt.date(2026, 11, 13),
                "事项编号": "2026-CW12-01",
                "催办单位": EAST,
                "催办方式": "电话督办",
                "催办内容": "请加快办理",
            }
        ],
    )


def test_without_record_the_ledger_stays_byte_identical(ledger, tmp_path):
    digest = sha(ledger)
    result = reminders.run(ledger, tmp_path / "out", AS_OF)
    assert sha(ledger) == digest and not result.saved and result.recorded == 0
    assert [(u.unit, u.item_ids) for u in result.units] == [
        (EAST, ["2026-CW12-01"]),
        (WEST, ["2026-CW12-02"]),
    ]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "催办通知-2026-11-20-东城区人民政府.docx",
        "催办通知-2026-11-20-西山县人民政府.docx",
        "电话督办清单.xlsx",
    ]


def test_each_unit_notice_names_its_items_alert_and_deadline(ledger, tmp_path):
    result = reminders.run(ledger, tmp_path / "out", AS_OF)
    east = text_of(result.units[0].path)
    assert east.startswith("催办通知\n东城区人民政府：")
    assert "逾期未办结1项" in east and "事项编号：2026-CW12-01" in east
    assert (
        "完成时限：2026年11月10日（已逾期 8 个工作日）" in east and "已催办：2次（含本次）" in east
    )
    assert "2026-CW12-02" not in east and "西山县涉密工程建设" not in east
    west = text_of(result.units[1].path)
    assert "西山县涉密工程建设" in west and "督办预警：临期" in west  # its own secret item, in full
    assert west.rstrip().endswith("市政府督查室\n2026年11月20日")


def test_phone_checklist_has_contacts_and_hides_confidential_text(ledger, tmp_path):
    result = reminders.run(ledger, tmp_path / "out", AS_OF)
    rows = sheet_rows(result.checklist, "电话督办清单")
    assert [
        (r["单位"], r["联系人"], r["联系电话"], r["事项编号"], r["督办预警"]) for r in rows
    ] == [
        (EAST, "李明", "0875-2101001", "2026-CW12-01", "逾期"),
        (WEST, "王芳", "0875-2101002", "2026-CW12-02", "临期"),
    ]
    assert rows[0]["议定事项"] == "东城区老旧小区改造" and rows[0]["剩余工作日"] == -8
    assert rows[1]["议定事项"] == "涉密事项" and rows[0]["通话结果"] is None
    wb = openpyxl.load_workbook(result.checklist)
    assert "西山县涉密工程建设" not in str(
        [c.value for row in wb["电话督办清单"].iter_rows() for c in row]
    )

    full = reminders.run(ledger, tmp_path / "full", AS_OF, include_confidential=True)
    assert sheet_rows(full.checklist, "电话督办清单")[1]["议定事项"] == "西山县涉密工程建设"


def test_record_appends_to_催办记录_once_per_day_and_raises_催办次数(ledger, tmp_path):
    result = reminders.run(ledger, tmp_path / "out", AS_OF, record=True, clerk="李华")
    assert result.saved and result.recorded == 2
    log = sheet_rows(ledger, "催办记录")
    assert [
        (r["催办日期"].date(), r["事项编号"], r["催办单位"], r["催办方式"], r["经办人"])
        for r in log[1:]
    ] == [
        (AS_OF, "2026-CW12-01", EAST, "书面督办", "李华"),
        (AS_OF, "2026-CW12-02", WEST, "书面督办", "李华"),
    ]
    assert log[1]["催办内容"] == "督办预警：逾期；当前时限 2026-11-10，已逾期 8 个工作日"
    counts = dict(
        zip(column_values(ledger, "台账", "事项编号"), column_values(ledger, "台账", "催办次数"))
    )
    assert counts["2026-CW12-01"] == 2 and counts["2026-CW12-02"] == 1

    digest = sha(ledger)
    again = reminders.run(ledger, tmp_path / "again", AS_OF, record=True)
    assert again.recorded == 0 and sorted(again.already_recorded) == [
        "2026-CW12-01",
        "2026-CW12-02",
    ]
    assert not again.saved and sha(ledger) == digest
    assert "已催办：2次（含本次）" in text_of(
        again.units[0].path
    )  # today's reminder not counted twice


def test_recorded_reminders_feed_the_scoring_after_refresh(ledger, tmp_path):
    from ledger_tools.core import scoring

    def overdue_deductions():
        refresh.run(ledger, AS_OF)
        with LedgerFile(ledger) as lf:
            data = read_ledger(lf)
        found = scoring.propose(
            data.items,
            data.reports,
            data.reminders,
            year=2026,
            as_of=AS_OF,
            settings=data.settings,
            cal=WorkCalendar(data.overrides),
            unit_of=data.canonical_unit,
        )
        return [d for d in found if d.reason is scoring.Reason.OVERDUE], data

    before, _ = overdue_deductions()
    assert before == []  # one reminder, below 催办升级次数 (2)
    reminders.run(ledger, tmp_path / "out", AS_OF, record=True)
    after, data = overdue_deductions()
    assert data.items_by_id()["2026-CW12-01"].reminders == 2
    assert [(d.unit, d.item_id) for d in after] == [(EAST, "2026-CW12-01")]
    assert "2026-11-20 书面督办" in after[0].evidence


def test_missing_monthly_report_after_the_25th(tmp_path):
    path = make_ledger(
        tmp_path / "t.xlsx", [item(事项编号="2026-CW12-01", 事项类型="长期", 完成时限=None)]
    )
    result = reminders.run(path, tmp_path / "out", dt.date(2026, 11, 26), record=True)
    assert [u.item_ids for u in result.units] == [["2026-CW12-01"]]
    text = text_of(result.units[0].path)
    assert "未按时报送办理情况1项" in text and "请立即补报 2026-11 期办理情况" in text
    content = sheet_rows(path, "催办记录")[0]["催办内容"]
    assert "未按时报送" in content and "2026-11 期办理情况应于 2026-11-25 前报送" in content


def test_nothing_to_chase_writes_nothing(tmp_path):
    path = make_ledger(tmp_path / "t.xlsx", [item(事项编号="2026-CW12-01")])
    digest = sha(path)
    result = reminders.run(path, tmp_path / "out", AS_OF, record=True)
    assert result.units == [] and result.checklist is None and not result.saved
    assert sha(path) == digest and list((tmp_path / "out").iterdir()) == []


def test_cli_remind(ledger, tmp_path):
    digest = sha(ledger)
    r = CliRunner().invoke(
        cli, ["remind", str(ledger), "--out", str(tmp_path / "out"), "--as-of", "2026-11-20"]
    )
    assert r.exit_code == 0, r.output
    assert (
        "2 个单位 2 个事项需要催办" in r.output
        and "台账未改动" in r.output
        and sha(ledger) == digest
    )
    r = CliRunner().invoke(
        cli,
        [
            "remind",
            str(ledger),
            "--out",
            str(tmp_path / "out"),
            "--as-of",
            "2026-11-20",
            "--record",
            "--clerk",
            "李华",
        ],
    )
    assert r.exit_code == 0 and "已在「催办记录」登记 2 条书面督办" in r.output
