"""Every file of the corpus through `ledger check` and `ledger merge` on the command line.

For each case: no traceback and no internal error, the documented exit code, `check` reporting
exactly what `merge` acts on, and then either the expected finding with the ledger
byte-identical and no backup taken, or the file merged with the ledger saved once, after a
backup of the old bytes.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter

import openpyxl
import pytest
from click.testing import CliRunner

from ledger_tools.cli.app import cli
from ledger_tools.sheets.ledger.backups import backups_of
from tests.builders import sha
from tests.robustness.corpus import ACCEPTED, AS_OF, CASES, Case


def _param(c: Case):
    marks = [pytest.mark.slow] if c.slow else []
    if c.xfail:
        marks.append(pytest.mark.xfail(strict=True, reason=c.xfail))
    return pytest.param(c, id=c.id, marks=marks)


def _run(*args: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(cli, [*args, "--as-of", AS_OF.isoformat(), "--json"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    output = result.output
    assert "Traceback" not in output and "程序内部错误" not in output, output
    return result.exit_code, json.loads(result.stdout), output


def test_the_corpus_is_large_and_varied():
    assert len(CASES) >= 40
    outcomes = Counter(c.expect for c in CASES)
    assert outcomes[ACCEPTED] >= 10 and len(outcomes) >= 15, outcomes


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_returned_file(case: Case, workshop, tmp_path):
    ledger = tmp_path / "台账.xlsx"
    shutil.copy(workshop.ledger, ledger)
    out = tmp_path / "returned"
    out.mkdir()
    files = [str(p) for p in case.build(workshop, out)]
    before = sha(ledger)

    checked_code, checked, _ = _run("check", str(ledger), *files)
    assert sha(ledger) == before, "check changed the ledger"
    code, findings, output = _run("merge", str(ledger), *files)
    codes = [f["code"] for f in findings]
    errors = {f["code"] for f in findings if f["severity"] == "error"}
    assert sorted(f["code"] for f in checked) == sorted(codes), (checked, findings)
    assert checked_code == code
    for f in findings:
        assert f["message"] and f["file"] in {p.rsplit("/", 1)[-1] for p in files}, f
    for expected in case.also:
        assert expected in codes, (expected, findings)

    backups = backups_of(ledger)  # (台账备份 holds the run lock's file too)
    if case.expect == ACCEPTED:
        assert code == 0 and not errors, (case.id, findings, output)
        assert sha(ledger) != before, "nothing was merged"
        assert len(backups) == 1 and sha(backups[0]) == before
        if case.verify:
            case.verify(ledger)
    else:
        assert code == 1, (case.id, code, output)
        assert case.expect in errors, (case.id, case.expect, findings)
        assert sha(ledger) == before, "a rejected file changed the ledger"
        assert backups == []


# --- the same reader trap in the ledger itself -------------------------------------------------


def test_a_ledger_cell_no_date_can_hold_never_ends_in_a_traceback(workshop, tmp_path):
    """calamine panics on a number beyond any date in a date-formatted cell, and pyo3's
    PanicException is a BaseException that ``except Exception`` lets through; read-only
    commands read the ledger with calamine (sheets/value_book.py)."""
    ledger = tmp_path / "台账.xlsx"
    shutil.copy(workshop.ledger, ledger)
    wb = openpyxl.load_workbook(ledger)
    ws = wb["台账"]
    column = next(c.column for c in ws[1] if c.value == "完成时限")
    ws.cell(2, column).value = -(10**12)  # typed into a date column by mistake
    wb.save(ledger)
    result = CliRunner().invoke(cli, ["validate", str(ledger)])
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
