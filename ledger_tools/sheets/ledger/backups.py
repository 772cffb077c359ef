"""The timestamped copy of the ledger taken before every save (SPEC §8).

Backups go to the 台账备份 folder beside the ledger, named ``<stem>-<date>-<time>-<µs><suffix>``
so that name order is time order; the last ``KEEP_BACKUPS`` of this ledger are kept. Other
ledgers sharing the folder (another stem) are never touched, however their names are spelt.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import shutil
from pathlib import Path

from ledger_tools.errors import UsageError, os_reason

__all__ = ["BACKUP_DIR", "KEEP_BACKUPS", "backup", "backups_of", "rotate"]

BACKUP_DIR = "台账备份"
KEEP_BACKUPS = 30
_STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
_STAMP_GLOB = "[0-9]" * 8 + "-" + "[0-9]" * 6 + "-" + "[0-9]" * 6


def backups_of(ledger: Path) -> list[Path]:
    """This ledger's backups, oldest first.

    The stem is escaped for the glob (a ledger named ``台账[2026].xlsx`` or ``台账*.xlsx``),
    and the stamp is matched digit by digit, so that ``台账.xlsx`` does not count the backups of
    ``台账-2025.xlsx`` beside it as its own.
    """
    ledger = Path(ledger)
    folder = ledger.parent / BACKUP_DIR
    pattern = f"{glob.escape(ledger.stem)}-{_STAMP_GLOB}{glob.escape(ledger.suffix)}"
    return sorted(folder.glob(pattern))


def rotate(ledger: Path, keep: int = KEEP_BACKUPS) -> None:
    """Remove all but the newest ``keep`` backups of ``ledger``; one that will not go stays."""
    olds = backups_of(ledger)
    for old in olds[: max(len(olds) - keep, 0)]:
        with contextlib.suppress(OSError):
            old.unlink()


def backup(ledger: Path, *, now: dt.datetime | None = None, keep: int = KEEP_BACKUPS) -> Path:
    """Copy ``ledger`` (with its times and mode) into 台账备份, then rotate; the copy's path.

    No backup, no save: a failure is a ``UsageError`` in Chinese, and a half-written copy is
    removed so that it never passes for a backup.
    """
    ledger = Path(ledger)
    folder = ledger.parent / BACKUP_DIR
    stamp = (now or dt.datetime.now()).strftime(_STAMP_FORMAT)
    target = folder / f"{ledger.stem}-{stamp}{ledger.suffix}"
    try:
        folder.mkdir(exist_ok=True)
        shutil.copy2(ledger, target)
    except OSError as e:
        with contextlib.suppress(OSError):
            target.unlink()
        raise UsageError(
            f"无法在文件夹 {folder} 中留存台账备份（{os_reason(e)}），为安全起见本次未保存，"
            "台账未作任何修改。请检查文件夹权限和磁盘空间后重新运行。"
        ) from None
    rotate(ledger, keep)
    return target
