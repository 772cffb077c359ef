"""A form filled in a real LibreOffice and saved as xlsx, xls and ods merges the same way."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from ledger_tools.jobs import forms, intake, refresh
from ledger_tools.sheets.forms import layout as fl
from tests.builders import (
    AS_OF,
    EAST,
    ITEMS,
    LONG,
    PERIOD,
    PROGRESS,
    REGULAR,
    SECRET,
    form_table,
    make_ledger,
)
from tests.realclient import lo

pytestmark = pytest.mark.slow

# Volatile or per-file columns: everything else must come out identical from every format.
PER_FILE = {"记录时间", "来源文件", "文件指纹", "导入时间", "文件名"}


def _values(path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    return [
        {h: v for h, v in zip(header, r) if h not in PER_FILE}
        for r in ws.iter_rows(min_row=2, values_only=True)
        if any(r)
    ]


def test_libreoffice_xlsx_xls_and_ods_merge_to_the_same_ledger(tmp_path):
    lo.require_soffice(uno=True)
    ledger = make_ledger(tmp_path / "台账.xlsx", ITEMS)
    refresh.run(ledger, AS_OF)
    form = forms.run(
        ledger, PERIOD, tmp_path / "forms", AS_OF, now=dt.datetime(2026, 11, 2, 9)
    ).out_dir
    form = form / fl.form_file_name(PERIOD, EAST)
    ws = openpyxl.load_workbook(form)[fl.SHEET_FORM]
    _header, cols, ids = form_table(ws)

    def ref(item_id, header):
        return ws.cell(ids[item_id], cols[header]).coordinate

    edits = {
        ref(REGULAR, "办理状态"): "已办结",
        ref(REGULAR, "本期进展情况"): PROGRESS,
        ref(REGULAR, "办结日期"): "2026/11/18",
        ref(LONG, "办理状态"): "推进中",
        ref(LONG, "本期进展情况"): PROGRESS + "（长期）",
        ref(LONG, "阶段性目标"): "2027年6月底前完成第一阶段整改任务",
        ref(SECRET, "办理状态"): "申请延期",
        ref(SECRET, "本期进展情况"): PROGRESS + "（涉密）",
        ref(SECRET, "延期原因"): "受雨季影响施工延误",
        ref(SECRET, "申请延期至"): "2027-3-31",
        ref(SECRET, "存在问题及建议"): "资金缺口约 300 万元，建议市财政协调",
    }
    saved = lo.fill_and_save(form, {fl.SHEET_FORM: edits}, tmp_path / "returned")
    assert set(saved) == {"xlsx", "xls", "ods"}

    results = {}
    for fmt, path in saved.items():
        copy = tmp_path / f"台账-{fmt}.xlsx"
        shutil.copy(ledger, copy)
        result = intake.merge(copy, [path], AS_OF)
        assert [f for f in result.findings if f.is_error] == [], (fmt, result.findings)
        assert result.saved and result.reports_merged == 3, fmt
        results[fmt] = {s: _values(copy, s) for s in ("台账", "办理记录", "延期记录", "导入记录")}

    assert results["xlsx"] == results["xls"] == results["ods"]  # 内容指纹 included

    # One return, three formats: merged once, in one batch and in later ones (F007 by content).
    together = tmp_path / "台账-一起.xlsx"
    shutil.copy(ledger, together)
    result = intake.merge(together, [saved["ods"], saved["xls"], saved["xlsx"]], AS_OF)
    assert [o.result for o in result.files] == [intake.MERGED] + [intake.DUPLICATE] * 2
    assert [f.code for f in result.findings] == ["F007", "F007"]
    assert all(saved["ods"].name in f.message for f in result.findings)
    assert len(_values(together, "办理记录")) == 3
    apart = tmp_path / "台账-分开.xlsx"
    shutil.copy(ledger, apart)
    assert intake.merge(apart, [saved["ods"]], AS_OF).saved
    again = intake.merge(apart, [saved["xls"]], AS_OF)
    assert [f.code for f in again.findings] == ["F007"] and not again.saved
    items = {r["事项编号"]: r for r in results["ods"]["台账"]}
    assert items[REGULAR]["办理状态"] == "已办结" and items[REGULAR]["办结日期"].date() == dt.date(
        2026, 11, 18
    )
    assert items[LONG]["阶段性目标"] == "2027年6月底前完成第一阶段整改任务"
    assert items[SECRET]["办理状态"] == "申请延期"
    (ext,) = results["xls"]["延期记录"]
    assert ext["申请延期至"].date() == dt.date(2027, 3, 31)

    # A rejected xls gets its annotated copy rebuilt as .xlsx (the as-of day precedes 办结日期).
    early = intake.check(ledger, [saved["xls"]], dt.date(2026, 11, 17), annotate=tmp_path / "退回")
    assert "R106" in [f.code for f in early.findings]
    (copy,) = early.annotated
    assert copy.name == f"退回-{saved['xls'].stem}.xlsx"
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames[0] == "问题清单" and fl.SHEET_FORM in wb.sheetnames
