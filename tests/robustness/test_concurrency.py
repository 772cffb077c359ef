"""Concurrency: runs on one ledger are serialised, and a ledger open in Excel is never written.

- two merges of different forms started together both apply, one after the other (the second
  waits for the lock and reads the ledger the first one saved), exactly as if run in turn;
- a run waits while another holds the lock and finishes once it is released;
- an owner file (Excel/WPS ``~$name.xlsx``, LibreOffice ``.~lock.name#``) makes every writing
  command exit 3 with nothing written, not even its output files; read-only commands still run.
"""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from ledger_tools.jobs import intake
from ledger_tools.sheets.ledger.file import LedgerFile
from tests.builders import GOOD, OTHER, PERIOD, WEST, fill, saving_commands, sha
from tests.robustness.corpus import AS_OF
from tests.robustness.helpers import backups, invoke, ledger_command, state


@pytest.fixture
def two_forms(workshop, tmp_path):
    ledger = tmp_path / "台账.xlsx"
    shutil.copy(workshop.ledger, ledger)
    (tmp_path / "returned").mkdir()
    east = workshop.good(tmp_path / "returned" / "东城区.xlsx")
    west = fill(workshop.form(WEST), tmp_path / "returned" / "西山县.xlsx", {OTHER: GOOD})
    return ledger, east, west


def _merge(ledger, form) -> subprocess.Popen:
    return subprocess.Popen(
        ledger_command("merge", ledger, form, "--as-of", AS_OF.isoformat()),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_merges_started_together_both_apply_one_after_the_other(two_forms, tmp_path):
    ledger, east, west = two_forms
    sequential = tmp_path / "依次" / "台账.xlsx"
    sequential.parent.mkdir()
    shutil.copy(ledger, sequential)
    assert (
        intake.merge(sequential, [east], AS_OF).saved
        and intake.merge(sequential, [west], AS_OF).saved
    )

    runs = [_merge(ledger, east), _merge(ledger, west)]
    outputs = [p.communicate(timeout=120)[0] for p in runs]
    assert [p.returncode for p in runs] == [0, 0], outputs
    assert all("Traceback" not in out for out in outputs)
    assert len(backups(ledger)) == 2  # two saves, each after its own backup
    assert state(ledger, sort_logs=True) == state(sequential, sort_logs=True)
    reported = {row[1] for row in state(ledger)["办理记录"][1:]}
    assert OTHER in reported and len(reported) == 4  # both units' reports are in


def test_a_run_waits_for_the_lock_and_then_finishes(two_forms):
    ledger, east, _west = two_forms
    before = sha(ledger)
    with LedgerFile(ledger, writable=True):
        run = _merge(ledger, east)
        time.sleep(1.5)
        assert run.poll() is None, "the merge did not wait for the lock"
        assert sha(ledger) == before
    out, _ = run.communicate(timeout=120)
    assert run.returncode == 0, out
    assert sha(ledger) != before and len(backups(ledger)) == 1


@pytest.mark.parametrize(
    "owner", ["~$台账.xlsx", ".~lock.台账.xlsx#"], ids=["excel-wps", "libreoffice"]
)
@pytest.mark.parametrize(
    "command", list(saving_commands("l", "f", "o")), ids=lambda c: c.replace(" --", "-")
)
def test_a_ledger_open_in_excel_is_never_written(workshop, tmp_path, owner, command):
    ledger = tmp_path / "台账.xlsx"
    shutil.copy(workshop.ledger, ledger)
    (tmp_path / owner).write_bytes(b"\x0bsomeone" + b"\0" * 40)
    form = workshop.good(tmp_path / "东城区.xlsx")
    out = tmp_path / "out"
    before = sha(ledger)
    result = invoke(*saving_commands(ledger, form, out)[command])
    assert result.exit_code == 3, result.output
    assert owner in result.output and "关闭" in result.output
    assert sha(ledger) == before and backups(ledger) == []
    assert not out.exists() or not any(out.iterdir()), list(out.iterdir())


def test_the_same_commands_do_write_without_the_owner_file(workshop, tmp_path):
    """The control for the test above: each command really would have written something."""
    for command in saving_commands("l", "f", "o"):
        folder = tmp_path / command.split()[0]
        folder.mkdir()
        ledger = folder / "台账.xlsx"
        shutil.copy(workshop.ledger, ledger)
        form = workshop.good(folder / "东城区.xlsx")
        out = folder / "out"
        result = invoke(*saving_commands(ledger, form, out)[command])
        assert result.exit_code == 0, (command, result.output)
        wrote = sha(ledger) != sha(workshop.ledger) or (out.exists() and any(out.iterdir()))
        assert wrote, command


def test_read_only_commands_still_run_while_the_ledger_is_open(workshop, tmp_path):
    ledger = tmp_path / "台账.xlsx"
    shutil.copy(workshop.ledger, ledger)
    (tmp_path / "~$台账.xlsx").write_bytes(b"owner")
    form = workshop.good(tmp_path / "东城区.xlsx")
    assert invoke("check", ledger, form, "--as-of", AS_OF.isoformat()).exit_code == 0
    assert invoke("validate", ledger).exit_code == 0
    assert (
        invoke(
            "forms",
            ledger,
            "--period",
            PERIOD,
            "--out",
            tmp_path / "forms",
            "--as-of",
            AS_OF.isoformat(),
        ).exit_code
        == 0
    )
    assert sha(ledger) == sha(workshop.ledger)
