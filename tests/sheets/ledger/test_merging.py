"""What a merge writes into the ledger: the clerk opening the ledger afterwards finds the unit's
report in 办理记录, the request in 延期记录, the file in 导入记录 and the item's row updated."""

import datetime as dt

import openpyxl

from ledger_tools.core import intake as ci
from ledger_tools.core.intake import ImportRecord, ItemUpdate, MergePlan
from ledger_tools.core.model import Extension, Report, Status, UnitReportStatus
from ledger_tools.sheets.ledger.data import read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.merging import apply_merge, import_records
from tests.builders import item, make_ledger

ITEM = "2026-CW12-01"
STAMP = dt.datetime(2026, 11, 20, 9, 30)
MADE = dt.datetime(2026, 11, 2, 9, 0)
SHA = "ab" * 32
CONTENT = "cd" * 32  # 内容指纹
FILE = "反馈表-2026-11-东城区人民政府.xlsx"
UNIT = "东城区人民政府"


def _rows(path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    headers = [c.value for c in ws[1]]
    return [
        dict(zip(headers, r))
        for r in ws.iter_rows(min_row=2, values_only=True)
        if any(v is not None for v in r)
    ]


def _plan(data) -> MergePlan:
    """东城区's form for 2026-11: a request to extend the item, accepted."""
    (target,) = data.items
    report = Report(
        recorded=STAMP,
        item_id=ITEM,
        unit=UNIT,
        period="2026-11",
        status=UnitReportStatus.EXTENSION,
        progress="受天气影响，主体工程推迟。",
        extension_reason="雨季施工受阻",
        extension_to=dt.date(2027, 3, 31),
        contact="李明",
        phone="0875-2101001",
        source_file=FILE,
        fingerprint=SHA,
    )
    return MergePlan(
        results={0: ci.MERGED},
        reports=[report],
        extensions=[
            Extension(
                item_id=ITEM,
                requested=STAMP.date(),
                unit=UNIT,
                old_deadline=dt.date(2026, 12, 31),
                requested_to=dt.date(2027, 3, 31),
                reason="雨季施工受阻",
            )
        ],
        updates=[
            ItemUpdate(
                target,
                {
                    "latest_progress": "受天气影响，主体工程推迟。",
                    "last_report": STAMP.date(),
                    "status": Status.EXTENSION_REQUESTED,
                },
            )
        ],
        imports=[
            ImportRecord(
                STAMP, FILE, SHA, UNIT, "2026-11", ci.MERGED, 1, 0, form_made=MADE, content=CONTENT
            )
        ],
    )


def _merge(path) -> None:
    with LedgerFile(path, writable=True) as lf:
        data = read_ledger(lf)
        plan = _plan(data)
        apply_merge(data, plan)
        # the model objects move with the cells, for the recomputation that follows
        assert data.reports[-1] is plan.reports[0] and data.extensions[-1] is plan.extensions[0]
        assert data.items[0].status is Status.EXTENSION_REQUESTED
        assert data.items[0].latest_progress == "受天气影响，主体工程推迟。"
        lf.save()


def test_a_merge_appends_the_logs_and_sets_the_unit_s_cells(tmp_path):
    path = make_ledger(tmp_path / "台账.xlsx", [item(事项编号=ITEM)])
    _merge(path)
    (report,) = _rows(path, "办理记录")
    assert report["记录时间"] == STAMP and report["事项编号"] == ITEM
    assert (report["报送单位"], report["报送期次"], report["办理状态"]) == (
        UNIT,
        "2026-11",
        "申请延期",
    )
    assert report["申请延期至"] == dt.datetime(2027, 3, 31) and report["延期原因"] == "雨季施工受阻"
    assert (report["联系人"], report["联系电话"]) == ("李明", "0875-2101001")
    assert (report["来源文件"], report["文件指纹"], report["办结日期"]) == (FILE, SHA, None)
    (request,) = _rows(path, "延期记录")
    assert request["申请延期至"] == dt.datetime(2027, 3, 31) and request["申请单位"] == UNIT
    assert request["审批结果"] is None  # pending: staff approve it in Excel
    (row,) = _rows(path, "台账")
    assert row["办理状态"] == "申请延期" and row["最新进展"] == "受天气影响，主体工程推迟。"
    assert row["最近报送日期"] == dt.datetime(2026, 11, 20)
    assert row["议定事项"] == "加快推进东城区老旧小区改造项目"  # staff's cells untouched
    (record,) = _rows(path, "导入记录")
    assert (record["文件名"], record["结果"], record["事项数"], record["问题数"]) == (
        FILE,
        "已合并",
        1,
        0,
    )
    assert record["表格生成时间"] == MADE and record["内容指纹"] == CONTENT


def test_import_records_read_back_what_the_merge_wrote(tmp_path):
    path = make_ledger(tmp_path / "台账.xlsx", [item(事项编号=ITEM)])
    _merge(path)
    with LedgerFile(path) as lf:
        (record,) = import_records(read_ledger(lf))
    assert record == ImportRecord(STAMP, FILE, SHA, UNIT, "2026-11", "已合并", 1, 0, MADE, CONTENT)


def test_the_same_file_merged_again_is_known_from_its_import_record(tmp_path):
    """导入记录 is what stops a second merge of the same file (F007) and of the same period."""
    path = make_ledger(tmp_path / "台账.xlsx", [item(事项编号=ITEM)])
    _merge(path)
    with LedgerFile(path) as lf:
        data = read_ledger(lf)
        history = ci.history(import_records(data), data.reports, data.canonical_unit)
    assert history.merged_files == {SHA: FILE}
    assert history.merged_periods == {UNIT: {"2026-11"}}


def test_an_older_ledger_gains_the_form_time_column_after_the_staff_s_own(tmp_path):
    """A ledger made before 表格生成时间 and 内容指纹 existed: they read as blank, and the first
    merge appends the headers after the columns staff added, moving nothing."""
    path = make_ledger(tmp_path / "台账.xlsx", [item(事项编号=ITEM)])
    wb = openpyxl.load_workbook(path)
    ws = wb["导入记录"]
    for header in ("内容指纹", "表格生成时间"):
        ws.delete_cols(next(c.column for c in ws[1] if c.value == header))
    ws.cell(1, ws.max_column + 1, "核对人")
    ws.append([dt.datetime(2026, 10, 20, 9, 0), "旧.xlsx", "cd" * 32, UNIT, "2026-10", "已合并"])
    ws.cell(2, ws.max_column, "王芳")
    wb.save(path)
    with LedgerFile(path) as lf:
        (old,) = import_records(read_ledger(lf))
    assert (old.file, old.result, old.form_made) == ("旧.xlsx", "已合并", None)
    _merge(path)
    headers = [c.value for c in openpyxl.load_workbook(path)["导入记录"][1]]
    assert headers[-4:] == ["问题数", "核对人", "表格生成时间", "内容指纹"]
    old_row, new_row = _rows(path, "导入记录")
    assert old_row["核对人"] == "王芳" and old_row["表格生成时间"] is None
    assert new_row["表格生成时间"] == MADE and new_row["核对人"] is None
    assert old_row["内容指纹"] is None and new_row["内容指纹"] == CONTENT
