"""A real LibreOffice fills a protected form and saves it as xlsx, xls and ods; we read back."""

from __future__ import annotations

import datetime as dt
import time

import openpyxl
import pytest
import xlsxwriter

from ledger_tools.sheets.returned.workbook import read_returned

from . import lo

# LibreOffice is driven through process groups (os.killpg, SIGKILL): POSIX only.
pytestmark = pytest.mark.posix_only

D = dt.date(2026, 3, 5)


def build_protected_form(path):
    """A protected sheet with a few unlocked input cells (K7:Q7), like a feedback form."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("反馈表")
    unlocked = wb.add_format({"locked": False})
    ws.write_string("A1", "事项编号")
    ws.write_string("A7", "2026-CW12-01")
    ws.write_string("B7", "锁定内容")
    for ref in ("K7", "L7", "M7", "N7", "O7", "P7", "Q7"):
        ws.write_blank(ref, None, unlocked)
    ws.protect()
    meta = wb.add_worksheet("_meta")
    meta.write_string("A1", "ledger_id")
    meta.very_hidden()
    wb.close()
    return path


def test_require_soffice_skips_locally_and_fails_in_ci(monkeypatch):
    monkeypatch.setattr(lo, "soffice_available", lambda: False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        lo.require_soffice()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        lo.require_soffice()


@pytest.mark.slow
def test_fill_protected_form_in_libreoffice(tmp_path):
    lo.require_soffice(uno=True)
    src = build_protected_form(tmp_path / "反馈表-2026-03-某县.xlsx")
    report: dict = {}
    t0 = time.monotonic()
    out = lo.fill_and_save(
        src,
        {
            "反馈表": {
                "K7": "推进中",
                "L7": "2026-3-5",
                "M7": "2026/3/5",
                "N7": "2026年3月5日",
                "O7": "=1+1",
                "P7": "２０２６－３－５",
                "Q7": "2026.3.5 ",
            }
        },
        tmp_path / "out",
        report=report,
    )
    elapsed = time.monotonic() - t0
    assert set(out) == {"xlsx", "xls", "ods"}
    assert report["notes"] == []  # unlocked cells take typing on a protected sheet
    assert elapsed < 120
    for fmt, path in out.items():
        assert path.name == f"反馈表-2026-03-某县.{fmt}"
        wb = read_returned(path)
        assert wb.kind == fmt
        s = wb.sheet("反馈表")
        assert s.value(6, 10) == "推进中", fmt  # K7
        # typed dates become real dates in the zh-CN locale, in every format, even with
        # full-width digits or a trailing space
        assert [s.value(6, c) for c in (11, 12, 13, 15, 16)] == [D] * 5, fmt
        assert s.value(6, 14) == 2, fmt  # a typed formula is a formula (cached value)
        assert s.value(6, 0) == "2026-CW12-01" and s.value(6, 1) == "锁定内容"
        assert wb.sheet("_meta").rows == [["ledger_id"]]
    assert openpyxl.load_workbook(out["xlsx"])["反馈表"].protection.sheet is True


@pytest.mark.slow
def test_typing_into_a_locked_cell_is_noted(tmp_path):
    lo.require_soffice(uno=True)
    src = build_protected_form(tmp_path / "f.xlsx")
    report: dict = {}
    out = lo.fill_and_save(
        src, {"反馈表": {"B7": "改过的内容"}}, tmp_path / "out", ("xlsx",), report=report
    )
    assert report["notes"] and "B7" in report["notes"][0]
    assert read_returned(out["xlsx"]).sheet("反馈表").value(6, 1) == "改过的内容"
    assert openpyxl.load_workbook(out["xlsx"])["反馈表"].protection.sheet is True


@pytest.mark.slow
def test_api_typing_leaves_dates_as_numbers(tmp_path):
    """XCell.setFormula parses "2026-3-5" but keeps the cell's General format, so the file
    holds the bare serial 46086 — unlike typing, which also applies a date format."""
    lo.require_soffice(uno=True)
    src = build_protected_form(tmp_path / "f.xlsx")
    out = lo.fill_and_save(
        src,
        {"反馈表": {"L7": "2026-3-5", "M7": "2026年3月5日"}},
        tmp_path / "out",
        ("xlsx",),
        method="api",
    )
    s = read_returned(out["xlsx"]).sheet("反馈表")
    assert s.value(6, 11) == 46086
    assert s.value(6, 12) == "2026年3月5日"  # setFormula parses with en-US rules


@pytest.mark.slow
def test_convert_and_its_errors(tmp_path):
    lo.require_soffice()
    src = build_protected_form(tmp_path / "f.xlsx")
    for fmt in ("xls", "ods", "pdf"):
        out = lo.convert(src, fmt, tmp_path / fmt)
        assert out == tmp_path / fmt / f"f.{fmt}" and out.stat().st_size > 0
    assert read_returned(tmp_path / "ods" / "f.ods").sheet("反馈表").value(6, 1) == "锁定内容"
    with pytest.raises(lo.LibreOfficeError, match="convert-to"):
        lo.convert(tmp_path / "missing.xlsx", "ods", tmp_path / "x")
    with pytest.raises(ValueError):
        lo.fill_and_save(src, {}, tmp_path, ("xlsx",), password="x")
