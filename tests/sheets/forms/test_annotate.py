"""Annotated copies of rejected forms (退回-…): the unit's own file, marked, with a problem list."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import openpyxl
import pytest

from ledger_tools.core.findings import make
from ledger_tools.errors import LedgerBusy, UsageError
from ledger_tools.sheets import styles
from ledger_tools.sheets.forms.annotate import PREFIX, SHEET_PROBLEMS, annotate, returned_name
from ledger_tools.sheets.returned.workbook import ReturnedSheet, ReturnedWorkbook
from tests.builders import assert_print_ready, pdf_pages_landscape, sha


def _form(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "反馈表"
    ws["A5"], ws["B5"], ws["L5"] = "序号", "事项编号", "本期进展情况"
    ws["A6"], ws["B6"] = 1, "2026-CW12-01"
    wb.save(path)
    return path


def _findings(name: str):
    return [
        make("R104", file=name, sheet="反馈表", cell="L6", item="2026-CW12-01"),
        make("F006", file=name, detail="报送期次与本期不符"),
    ]


@pytest.fixture
def umask_022():
    saved = os.umask(0o022)
    yield
    os.umask(saved)


@pytest.mark.posix_only  # file modes are POSIX
def test_the_copy_marks_the_cell_and_lists_every_problem_first(tmp_path, umask_022):
    src = _form(tmp_path / "反馈表-东城区.xlsx")
    digest = sha(src)
    out = annotate(src, "xlsx", _findings(src.name), tmp_path / "退回")
    assert out == tmp_path / "退回" / f"{PREFIX}{src.name}" and sha(src) == digest
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [SHEET_PROBLEMS, "反馈表"]
    cell = wb["反馈表"]["L6"]
    assert cell.fill.fgColor.rgb.endswith(styles.RED) and "R104" in cell.comment.text
    listed = [row for row in wb[SHEET_PROBLEMS].values if row[2] in ("R104", "F006")]
    assert [(r[2], r[5]) for r in listed] == [("R104", "L6"), ("F006", None)]
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # sent on: not mkstemp's 0600


def test_an_xls_or_ods_is_rebuilt_as_xlsx_from_what_was_read(tmp_path):
    src = tmp_path / "反馈表-西城区.ods"
    src.write_bytes(b"ods bytes")
    returned = ReturnedWorkbook(
        src, "0" * 64, "ods", False, [ReturnedSheet("反馈表", "visible", [["序号"], [1]])]
    )
    out = annotate(src, "ods", _findings(src.name), tmp_path, returned)
    assert out.name == f"{PREFIX}反馈表-西城区.xlsx" == returned_name(src, "ods", [])
    wb = openpyxl.load_workbook(out)
    assert wb["反馈表"]["A2"].value == 1
    assert any("重新生成" in str(v) for row in wb[SHEET_PROBLEMS].values for v in row if v)


def test_an_unreadable_file_gets_a_problem_list_only(tmp_path):
    src = tmp_path / "反馈表-南城区.xlsx"
    src.write_bytes(b"not a workbook")
    findings = [make("F001", file=src.name, detail="文件已损坏")]
    out = annotate(src, "xlsx", findings, tmp_path / "退回")
    assert openpyxl.load_workbook(out).sheetnames == [SHEET_PROBLEMS]


def test_a_copy_open_in_excel_is_busy_and_a_file_as_folder_is_refused(tmp_path):
    src = _form(tmp_path / "反馈表-东城区.xlsx")
    out_dir = tmp_path / "退回"
    out_dir.mkdir()
    (out_dir / f"{PREFIX}{src.name}").write_bytes(b"old")
    (out_dir / f"~${PREFIX}{src.name}").write_bytes(b"owner")
    with pytest.raises(LedgerBusy):
        annotate(src, "xlsx", _findings(src.name), out_dir)
    assert (out_dir / f"{PREFIX}{src.name}").read_bytes() == b"old"
    with pytest.raises(UsageError, match="是一个文件"):
        annotate(src, "xlsx", _findings(src.name), src)


def _header_row(ws) -> int:
    return next(r for r, row in enumerate(ws.values, start=1) if row and row[0] == "序号")


@pytest.mark.parametrize("readable", [True, False])
def test_the_problem_list_prints_a4_landscape_one_page_wide_with_its_header_repeated(
    tmp_path, readable
):
    if readable:
        src = _form(tmp_path / "反馈表-东城区.xlsx")
        findings = _findings(src.name) * 40  # several pages
    else:
        src = tmp_path / "反馈表-南城区.xlsx"
        src.write_bytes(b"not a workbook")
        findings = [make("F001", file=src.name, detail="文件已损坏")]
    out = annotate(src, "xlsx", findings, tmp_path / "退回")
    ws = openpyxl.load_workbook(out)[SHEET_PROBLEMS]
    assert_print_ready(ws, _header_row(ws))
    if readable:  # the unit's own sheet keeps its own print setup
        assert openpyxl.load_workbook(out)["反馈表"].page_setup.orientation != "landscape"


@pytest.mark.slow
def test_libreoffice_prints_the_problem_list_landscape(tmp_path):
    from tests.realclient.lo import convert, require_soffice

    require_soffice()
    src = _form(tmp_path / "反馈表-东城区.xlsx")
    out = annotate(src, "xlsx", _findings(src.name) * 30, tmp_path / "退回")
    wb = openpyxl.load_workbook(out)
    del wb["反馈表"]  # the PDF of the problem list alone
    only = tmp_path / "问题清单.xlsx"
    wb.save(only)
    pages = pdf_pages_landscape(convert(only, "pdf", tmp_path / "pdf"))
    assert pages and all(pages), pages
