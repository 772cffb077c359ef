"""Staff formulas in ledger columns are read through their cached values (SPEC §3 Fail closed)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import openpyxl
import pytest

from ledger_tools.core.model import Alert
from ledger_tools.sheets.ledger.data import read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile
from tests.builders import item, make_ledger

AS_OF = dt.date(2026, 12, 1)


def _with_formulas(path: Path) -> Path:
    """完成时限 =D2+60 (D2 = 印发日期 2026-09-18, so 2026-11-17: overdue on AS_OF), 涉密 by IF."""
    make_ledger(path, [item(事项编号="2026-CW12-01"), item(事项编号="2026-CW12-02")])
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    col = {c.value: c.column_letter for c in ws[1]}
    ws[f"{col['完成时限']}2"] = f"={col['印发日期']}2+60"
    ws[f"{col['完成时限']}2"].number_format = "yyyy-mm-dd"
    ws[f"{col['涉密']}3"] = '=IF(1=1,"是","否")'
    wb.save(path)
    return path


def _read(path: Path):
    with LedgerFile(path) as lf:
        data = read_ledger(lf)
        data.recompute(AS_OF, write=False)
        return data


def test_a_formula_without_a_cached_value_is_unreadable_so_时限不明_and_confidential(tmp_path):
    data = _read(_with_formulas(tmp_path / "台账.xlsx"))  # openpyxl writes no cached values
    first, second = data.items
    assert (
        first.deadline is None
        and first.deadline_unreadable
        and first.alert is Alert.DEADLINE_UNCLEAR
    )
    (f,) = [f for f in data.problems if f.code == "L305"]
    assert f.cell == "L2" and "公式" in f.message and "D2+60" in f.message
    assert second.confidential is True  # an unreadable 涉密 never makes an item less secret


def _soffice_resave(src: Path, out: Path) -> Path:
    """The ledger opened and saved by LibreOffice, which computes and stores formula results."""
    out.mkdir()
    profile = f"file://{out.parent}/lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(out.parent)},
    )
    return out / src.name


@pytest.mark.slow
def test_a_formula_is_read_through_the_value_excel_or_libreoffice_stored(tmp_path):
    ledger = _soffice_resave(_with_formulas(tmp_path / "台账.xlsx"), tmp_path / "lo")
    data = _read(ledger)
    first, second = data.items
    assert first.deadline == dt.date(2026, 11, 17) and not first.deadline_unreadable
    assert first.alert is Alert.OVERDUE
    assert second.confidential is True
    assert [f for f in data.problems if f.code in ("L305", "L319")] == []


def test_formula_text_without_a_cached_value_stays_as_typed_in_a_text_column(tmp_path):
    path = make_ledger(
        tmp_path / "台账.xlsx", [item(议定事项='=HYPERLINK("http://x")看起来像公式')]
    )
    (it,) = _read(path).items
    assert it.matter == '=HYPERLINK("http://x")看起来像公式'
