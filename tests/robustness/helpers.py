"""Small shared pieces of the robustness suite: running the command, reading a ledger's state."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
from click.testing import CliRunner, Result

from ledger_tools.cli.app import cli
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.backups import backups_of

__all__ = ["backups", "invoke", "ledger_command", "sheet_values", "state"]

# Wall-clock stamps a merge writes (the date part is --as-of, the time is now).
VOLATILE = {(sc.REPORTS.name, "记录时间"), (sc.IMPORTS.name, "导入时间")}


def invoke(*args: str) -> Result:
    """`ledger ARGS` in-process; never a traceback or an internal error, whatever the exit code."""
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output and "程序内部错误" not in result.output, result.output
    return result


def ledger_command(*args: str) -> list[str]:
    """The command line of `python -m ledger_tools ARGS` for a subprocess."""
    return [sys.executable, "-m", "ledger_tools", *map(str, args)]


def sheet_values(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's cell values, row by row (hidden sheets included)."""
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb.worksheets
    }


def state(path: Path, *, sort_logs: bool = False) -> dict[str, list[tuple]]:
    """The ledger's values with the wall-clock part of merge stamps removed (only the day is
    kept), so two runs of the same merge at the same --as-of compare equal. ``sort_logs``
    sorts the rows of the append-only logs, whose order depends on which run went first."""
    out = {}
    for name, rows in sheet_values(path).items():
        if rows:
            header = rows[0]
            cols = [i for i, h in enumerate(header) if (name, h) in VOLATILE]
            rows = [rows[0]] + [
                tuple(
                    v.date() if i in cols and isinstance(v, dt.datetime) else v
                    for i, v in enumerate(r)
                )
                for r in rows[1:]
            ]
            if sort_logs and name in (sc.REPORTS.name, sc.EXTENSIONS.name, sc.IMPORTS.name):
                rows = [rows[0]] + sorted(rows[1:], key=repr)
        out[name] = rows
    return out


def backups(ledger: Path) -> list[Path]:
    """The ledger's backups in 台账备份 (the run lock's file lives there too, and is not one)."""
    return backups_of(ledger)
