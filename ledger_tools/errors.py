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


# By name: not every platform's errno module has every code.
_OS_REASONS = {
    getattr(errno, name, None): reason
    for name, reason in (
        ("EACCES", "没有权限"),
        ("EPERM", "不允许写入，文件或文件夹可能是只读的"),
        ("EROFS", "所在磁盘或共享文件夹是只读的"),
        ("ENOSPC", "磁盘空间不足"),
        ("EDQUOT", "磁盘配额已满"),
        ("ENAMETOOLONG", "路径太长"),
        ("ENOENT", "找不到"),
        ("EEXIST", "已有同名的文件"),
        ("ENOTDIR", "路径中有一段是文件而不是文件夹"),
        ("EISDIR", "这是文件夹"),
        ("EBUSY", "正被其他程序占用"),
        ("ETXTBSY", "正被其他程序占用"),
        ("EIO", "读写磁盘时出错"),
        ("EINVAL", "文件名或路径无效"),
        ("EMFILE", "同时打开的文件太多"),
        ("ENFILE", "同时打开的文件太多"),
        ("EXDEV", "不能在不同的磁盘之间移动"),
        ("ENOTEMPTY", "文件夹不是空的"),
        ("ELOOP", "路径中的快捷方式（链接）层数太多"),
        ("EFBIG", "文件太大"),
    )
}
_OS_REASONS.pop(None, None)
# Windows reports some refusals only in ``winerror`` (the errno is a generic EACCES or EINVAL).
_WINDOWS_REASONS = {
    5: "拒绝访问，文件可能是只读的或正被其他程序打开",
    32: "正被其他程序使用",
    33: "文件的一部分被其他程序锁定",
    53: "找不到网络路径",
    64: "网络连接已断开",
    67: "找不到网络名",
    112: "磁盘空间不足",
    123: "文件名、文件夹名或卷标语法不正确",
    206: "文件名或路径太长",
    1224: "文件正被其他程序映射使用",
}


def _os_error(e: BaseException) -> BaseException:
    """The OSError inside a dependency's wrapper (XlsxWriter's FileCreateError holds one)."""
    if getattr(e, "errno", None) is None:
        for inner in (*getattr(e, "args", ())[:1], e.__cause__, e.__context__):
            if isinstance(inner, OSError):
                return inner
    return e


def os_reason(e: BaseException) -> str:
    """Why the system refused a file, in Chinese.

    ``strerror`` is English whatever the locale and a class name means nothing to a clerk, so
    an unknown refusal is named by its number, which the office's IT staff can look up.
    """
    e = _os_error(e)
    win = getattr(e, "winerror", None)
    if win in _WINDOWS_REASONS:
        return _WINDOWS_REASONS[win]
    number = getattr(e, "errno", None)
    if number in _OS_REASONS and not (win is not None and number == errno.EINVAL):
        return _OS_REASONS[number]  # Windows gives EINVAL for every code it does not map
    code = win if win is not None else number
    return f"系统错误（错误码 {code}）" if isinstance(code, int) else "系统错误"
