"""The everyday writing commands never load openpyxl: they read with calamine and save through
the package writer (SPEC §8 "Only what it owns"), and they do not pay openpyxl's import (with
numpy and lxml, about 0.4 s of CPU) to start.

Each command runs in a fresh interpreter on a copy of the workshop's ledger; what it imported
is read from ``sys.modules`` when it ends. openpyxl in that list means either a slow start or a
save that went the fallback way on an ordinary ledger: both are regressions.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import EAST, ITEMS, fill, make_ledger, saving_commands, sha

HEAVY = ("openpyxl", "numpy", "pandas", "lxml")
ROOT = Path(__file__).resolve().parents[2]

RUN = """
import sys
from ledger_tools.cli import main
sys.argv = ["ledger", *sys.argv[1:]]
try:
    main()
except SystemExit as e:
    code = e.code
print("MODULES", sorted(m for m in {heavy!r} if m in sys.modules), "EXIT", code)
"""


def _ledger(sys_args: list[str]) -> tuple[list[str], int]:
    done = subprocess.run(
        [sys.executable, "-c", RUN.format(heavy=HEAVY), *sys_args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES"))
    modules, code = line.removeprefix("MODULES ").rsplit(" EXIT ", 1)
    return eval(modules), int(code)  # noqa: S307 - our own print of a list of names


def test_importing_the_commands_imports_no_openpyxl():
    code = (
        "import sys, importlib\n"
        "for m in ('intake', 'refresh', 'briefing', 'notices', 'reminders', 'forms', "
        "'validate', 'scoring', 'sampling'):\n"
        "    importlib.import_module('ledger_tools.jobs.' + m)\n"
        "import ledger_tools.cli.app\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("command", ["refresh", "merge", "brief", "notices", "remind --record"])
def test_the_writing_commands_read_and_save_without_openpyxl(command, workshop, tmp_path):
    ledger = tmp_path / "台账.xlsx"
    if command == "notices":  # items not yet assigned: notices fills their 交办日期 and 文号
        make_ledger(ledger, [{**i, "交办日期": None} for i in ITEMS])
    else:
        shutil.copy(workshop.ledger, ledger)
    before = sha(ledger)
    form = fill(workshop.form(EAST), tmp_path / "东城区.xlsx")
    out = tmp_path / "out"
    args = saving_commands(ledger, form, out)[command]
    modules, code = _ledger([str(a) for a in args])
    assert code == 0
    assert sha(ledger) != before, "the command saved the ledger"
    # notices and remind write Word documents, which python-docx builds with lxml
    assert [
        m for m in modules if m != "lxml" or command not in ("notices", "remind --record")
    ] == []
