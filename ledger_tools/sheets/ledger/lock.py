"""Keeping two ``ledger`` runs apart, and keeping out of a ledger another program has open.

The run lock is an advisory ``fcntl`` lock on a hidden file beside the ledger
(``.台账.xlsx.ledger-lock``): the kernel drops it when the process ends however it ends, so a
killed run never leaves the ledger locked. The file stays behind, empty and harmless. Only
``RunLock`` knows how the lock is taken, so porting it to Windows (``filelock``) changes this
one class.

An owner file beside the ledger (Excel/WPS ``~$台账.xlsx``, LibreOffice ``.~lock.台账.xlsx#``)
means a program has the ledger open and would overwrite our save with its own: refused as busy.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from pathlib import Path

from ledger_tools.errors import LedgerBusy, UsageError, os_reason
from ledger_tools.sheets.files import owner_files

__all__ = ["LOCK_WAIT_SECONDS", "RunLock", "lock_path", "refuse_if_open_elsewhere"]

LOCK_WAIT_SECONDS = 120.0
_POLL_SECONDS = 0.1


def lock_path(ledger: Path) -> Path:
    """The lock file of ``ledger``: beside it (same share, same permissions), hidden on POSIX."""
    ledger = Path(ledger)
    return ledger.with_name(f".{ledger.name}.ledger-lock")


def refuse_if_open_elsewhere(ledger: Path) -> None:
    """``LedgerBusy`` when Excel, WPS or LibreOffice has ``ledger`` open."""
    owners = owner_files(ledger)
    if owners:
        raise LedgerBusy(
            f"台账 {ledger.name} 正在被 Excel/WPS/LibreOffice 打开（发现 {owners[0].name}）。"
            "请先保存并关闭台账，再运行本命令。若确认没有打开，可删除该锁定文件。"
        )


class RunLock:
    """The exclusive lock of one ledger for one run: ``acquire`` waits up to ``wait`` seconds
    for another run to finish, then gives up with ``LedgerBusy``; ``release`` may be called
    any number of times."""

    def __init__(self, ledger: Path, wait: float = LOCK_WAIT_SECONDS):
        self.ledger = Path(ledger)
        self.path = lock_path(self.ledger)
        self.wait = wait
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise UsageError(
                f"无法在 {self.ledger.parent} 中创建锁定文件（{os_reason(e)}）。请检查文件夹权限。"
            ) from None
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    os.close(fd)
                    raise LedgerBusy(
                        f"台账 {self.ledger.name} 正被另一个 ledger 命令使用。请等它结束后再运行。"
                    ) from None
                time.sleep(_POLL_SECONDS)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
