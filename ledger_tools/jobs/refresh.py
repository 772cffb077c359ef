"""ledger refresh: assign missing ids, apply approved extensions, recompute every tool column.

The command only opens, recomputes through the ledger store (``LedgerData.recompute``, which
the other commands that need current statuses use as well) and saves. Only tool-owned columns
(and 办理状态) are written, and only cells whose value changes, so running it twice with the
same date changes nothing and saves nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ledger_tools.sheets.ledger.data import RefreshStats, read_ledger, require_clean
from ledger_tools.sheets.ledger.file import LedgerFile

__all__ = ["RefreshStats", "run"]


def run(path: Path, as_of: dt.date) -> RefreshStats:
    with LedgerFile(path, writable=True, values_first=True) as lf:
        data = read_ledger(lf)
        require_clean(data)
        stats = data.recompute(as_of)
        if stats.cells_changed:
            stats.backup = lf.save()
            stats.saved = True
        return stats
