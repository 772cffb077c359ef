"""Keeping two ``ledger`` runs apart, and keeping out of a ledger another program has open.

The run lock is a ``filelock`` lock (``flock`` on Linux, ``msvcrt.locking`` on Windows) on a
file in the 台账备份 folder beside the ledger (``台账备份/台账.xlsx.lock``): the system drops it
when the process ends however it ends, so a killed run never leaves the ledger locked. It lives
in 台账备份 and not beside the ledger because a clerk sees every file there (on Windows a
leading dot hides nothing), and that folder is ours already. Only ``RunLock`` knows how the lock
is taken.

An owner file beside the ledger (``sheets.owners``: Excel/WPS ``~$台账.xlsx``, WPS on Linux
``.~台账.xlsx``, LibreOffice ``.~lock.台账.xlsx#``) means a program has the ledger open and
would overwrite our save with its own: refused as busy, naming the program and, where the owner
file says, the user.
"""

from __future__ import annotations

import warnings
from pathlib import Path

with warnings.catch_warnings():
    # Where neither flock nor msvcrt exists, filelock falls back to a soft lock and says so in
    # English on stderr at import; the lock still keeps two runs apart.
    warnings.simplefilter("ignore")
    from filelock import FileLock, Timeout

from ledger_tools.errors import LedgerBusy, UsageError, os_reason
from ledger_tools.sheets.ledger.backups import BACKUP_DIR
from ledger_tools.sheets.owners import owner_files

__all__ = ["LOCK_WAIT_SECONDS", "RunLock", "lock_path", "refuse_if_open_elsewhere", "temp_dir"]

LOCK_WAIT_SECONDS = 120.0
_POLL_SECONDS = 0.1


def temp_dir(ledger: Path) -> Path:
    """Where every file of ours about the ledger goes (lock, temporary save): 台账备份, on the
    ledger's own volume, so that the save's rename stays atomic."""
    return Path(ledger).parent / BACKUP_DIR


def lock_path(ledger: Path) -> Path:
    """The lock file of ``ledger``: in 台账备份 (same share, same permissions, out of sight)."""
    ledger = Path(ledger)
    return temp_dir(ledger) / f"{ledger.name}.lock"


def refuse_if_open_elsewhere(ledger: Path) -> None:
    """``LedgerBusy`` when Excel, WPS or LibreOffice has ``ledger`` open."""
    owners = owner_files(ledger)
    if owners:
        owner = owners[0]
        by = f"{owner.user} 用 {owner.program}" if owner.user else owner.program
        raise LedgerBusy(
            f"台账 {ledger.name} 正在被 {by} 打开（发现 {owner.name}）。"
            "请先保存并关闭台账，再运行本命令。若确认没有打开，可删除该锁定文件。"
        )


class RunLock:
    """The exclusive lock of one ledger for one run: ``acquire`` waits up to ``wait`` seconds
    for another run to finish, then gives up with ``LedgerBusy``; ``release`` may be called
    any number of times, from any thread."""

    def __init__(self, ledger: Path, wait: float = LOCK_WAIT_SECONDS):
        self.ledger = Path(ledger)
        self.path = lock_path(self.ledger)
        self.wait = wait
        # thread_local=False: a lock taken in one thread may be released in another (a timer)
        self._lock = FileLock(str(self.path), thread_local=False)
        self._held = False

    @property
    def held(self) -> bool:
        return self._held

    def acquire(self) -> None:
        if self._held:
            return
        folder = self.path.parent
        if folder.exists() and not folder.is_dir():
            raise UsageError(
                f"{folder} 是一个文件，不是文件夹：本工具要在这里留存台账备份和锁定文件。"
                "为安全起见本次未保存，台账未作任何修改。请把该文件改名或移走后重新运行。"
            )
        try:
            folder.mkdir(exist_ok=True)
            self._lock.acquire(timeout=max(self.wait, 0), poll_interval=_POLL_SECONDS)
        except Timeout:
            raise LedgerBusy(
                f"台账 {self.ledger.name} 正被另一个 ledger 命令使用。请等它结束后再运行。"
            ) from None
        except OSError as e:
            raise UsageError(
                f"无法在文件夹 {self.path.parent} 中创建锁定文件（{os_reason(e)}）。请检查文件夹权限。"
            ) from None
        self._held = True

    def release(self) -> None:
        if self._held:
            self._held = False
            try:
                self._lock.release(force=True)
            except OSError:
                pass  # the system drops the lock when the process ends in any case

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
