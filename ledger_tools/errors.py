"""The flat exception family. Each type maps to one exit code in cli.py (SPEC §7).

Exceptions inherit the package base *and* the matching builtin, so callers may catch either;
a dependency's exceptions are translated into these at the boundary.
"""

from __future__ import annotations

import errno


class LedgerError(Exception):
    """Base of every error the user can cause. ``str(e)`` is a Chinese message for the user."""

    exit_code = 1


class UsageError(LedgerError, ValueError):
    """Bad arguments, a missing file, or a file that is not a ledger."""

    exit_code = 2


class NotALedger(UsageError):
    pass


class LedgerBusy(LedgerError, RuntimeError):
    """Another run holds the lock, the ledger is open in Excel/WPS, or it changed on disk."""

    exit_code = 3


class WouldLoseData(LedgerError, RuntimeError):
    """Saving would drop something the workbook had (SPEC §8)."""

    exit_code = 4


class InputRejected(LedgerError, ValueError):
    """Some input was rejected or the ledger has errors."""

    exit_code = 1


_OS_REASONS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许写入，文件或文件夹可能是只读的",
    errno.EROFS: "所在磁盘或共享文件夹是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已满",
    errno.ENAMETOOLONG: "路径太长",
    errno.ENOENT: "找不到",
    errno.EEXIST: "已有同名的文件",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
    errno.EISDIR: "这是文件夹",
    errno.EBUSY: "正被其他程序占用",
}


def os_reason(e: BaseException) -> str:
    """Why the system refused a file, in Chinese: ``strerror`` is English whatever the locale."""
    number = getattr(e, "errno", None)
    return _OS_REASONS.get(number) or getattr(e, "strerror", None) or type(e).__name__
