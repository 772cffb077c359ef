"""`ledger demo`: the whole monthly cycle on the sample ledger, as a clerk would see it happen."""

import datetime as dt
import io

import openpyxl
import pytest
from rich.console import Console

from ledger_tools.core.minutes import NOTE
from ledger_tools.core.model import Status
from ledger_tools.demo import run as demo
from ledger_tools.demo.minutes import SOURCE_NAME, TITLE
from ledger_tools.demo.sample import REFERENCE_DATE
from ledger_tools.jobs import validate
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.data import read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile

PERIOD = "2026-11"
MINUTES_FILE = f"{TITLE}.docx"


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "演示"
    console = Console(file=io.StringIO(), width=200)
    ledger = demo.run(out, console)
    with LedgerFile(ledger) as lf:
        data = read_ledger(lf)
    return out, ledger, data, console.file.getvalue()


def _stems(folder):
    return {p.name for p in folder.iterdir()}


def test_the_two_mistaken_forms_are_returned_annotated_and_the_rest_merged(cycle):
    out, _ledger, data, printed = cycle
    issued, returned = _stems(out / "反馈表"), _stems(out / "报回")
    assert len(issued) >= 10 and returned == issued
    annotated = _stems(out / "退回")
    assert len(annotated) == 2 and all(n.startswith("退回-反馈表-") for n in annotated)
    rejected_units = {n.removesuffix(".xlsx").rsplit("-", 1)[-1] for n in annotated}
    merged_at = dt.datetime.combine(REFERENCE_DATE, dt.time(16, 0))  # the demo's merge time
    merged_units = {r.unit for r in data.reports if r.recorded == merged_at}
    assert merged_units and not merged_units & rejected_units
    assert len(merged_units) == len(issued) - 2
    for code in ("R102", "R104", "R105"):
        assert code in printed
    wb = openpyxl.load_workbook(out / "退回" / sorted(annotated)[0])
    assert wb.sheetnames[0] == "问题清单"
    logged = [r for r in data.table(sc.IMPORTS).rows() if r.get("file") != MINUTES_FILE]
    assert len(logged) == len(issued)  # every file logged, merged or not


def test_every_paper_of_the_month_is_written(cycle):
    out, _ledger, _data, _printed = cycle
    assert list((out / "交办通知").glob("督查检查办理事项通知-*.docx"))
    assert (
        list((out / "催办").glob("催办通知-*.docx"))
        and (out / "催办" / "电话督办清单.xlsx").exists()
    )
    assert (out / "通报" / f"通报-{PERIOD}.xlsx").exists() and (
        out / "通报" / f"通报-{PERIOD}.docx"
    ).exists()
    assert (out / "抽查.xlsx").exists() and (out / f"扣分意见-{REFERENCE_DATE.year}.xlsx").exists()
    assert (out / "问题清单.xlsx").exists()


def test_the_ledger_after_the_cycle_is_consistent_and_records_the_month(cycle):
    _out, ledger, data, _printed = cycle
    assert not [f for f in validate.run(ledger).findings if f.is_error]
    assert any(r.date == REFERENCE_DATE for r in data.reminders)
    assert [i for i in data.items if i.assigned == REFERENCE_DATE]  # the instruction was assigned
    snapshots = openpyxl.load_workbook(ledger, read_only=True)[sc.SNAPSHOTS.name]
    assert PERIOD in {str(row[0]) for row in snapshots.iter_rows(min_row=2, values_only=True)}


def test_the_cycle_starts_from_the_minutes_previewed_then_imported(cycle):
    out, _ledger, data, printed = cycle
    assert (out / MINUTES_FILE).exists() and (out / "纪要导入预览.xlsx").exists()
    preview = openpyxl.load_workbook(out / "纪要导入预览.xlsx", read_only=True)
    assert preview.sheetnames[:3] == ["拟交办事项", "未列入交办", "待核对"]
    imported = sorted(
        (i for i in data.items if i.source_name == SOURCE_NAME), key=lambda i: i.id or ""
    )
    assert [i.id for i in imported] == [f"2026-CW13-{n:02d}" for n in range(1, 11)]
    assert {i.status for i in imported} == {Status.PENDING_ASSIGNMENT}
    assert {i.note for i in imported} == {NOTE}
    (row,) = [r for r in data.table(sc.IMPORTS).rows() if r.get("file") == MINUTES_FILE]
    assert row.get("result") == "已导入" and row.get("items") == 10
    lines = printed.splitlines()
    first = next(n for n, line in enumerate(lines) if "读取会议纪要" in line)
    assert "生成示例台账" in lines[first - 1]  # right after the sample ledger is built
    assert "拟交办 10 个事项" in lines[first] and "10 个事项追加到台账" in lines[first + 1]
