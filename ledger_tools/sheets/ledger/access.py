"""Whether the file named as the ledger can be read and replaced at all, decided before any parser
or writer touches it.

Two things staff do to a ledger look, to a parser or to ``os.replace``, like something else:

- a password to open (Excel: 文件 → 信息 → 保护工作簿 → 用密码进行加密; WPS: 文件 → 文档加密)
  turns the .xlsx into a compound file holding ``EncryptionInfo`` and ``EncryptedPackage``; to
  openpyxl that is a broken zip, and 「已损坏，请从备份恢复」 would have the clerk throw away the
  latest work for an older backup. An .xls renamed to .xlsx is a compound file too.
- a read-only file (chmod 444, Windows' 只读 attribute, a copy from a CD) is replaced by
  ``os.replace`` without a word, since only the folder's permission counts for a rename (and
  root ignores permissions altogether): the clerk's "do not change this" is overridden. So the
  permission bits are read themselves, not asked of ``os.access`` alone.

Both are refused with exit 2, the ledger untouched, saying what to do.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import olefile

from ledger_tools.errors import NotALedger, UsageError

__all__ = ["refuse_if_read_only", "refuse_if_unopenable"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAMS = {"encryptioninfo", "encryptedpackage"}
_XLS_STREAMS = {"workbook", "book"}

PASSWORD_ADVICE = (
    "请先去掉打开密码：在 Excel 中打开台账，点「文件 → 信息 → 保护工作簿 → 用密码进行加密」，"
    "清空密码后保存（WPS：「文件 → 文档加密 → 密码加密」，清空打开密码后保存），再重新运行本命令。"
    "如需保密，可把台账放在有权限控制的文件夹中。"
)


def _compound_streams(path: Path) -> set[str] | None:
    """The stream names of a compound file, lower-cased; None when ``path`` is not one."""
    try:
        with open(path, "rb") as f:
            if f.read(len(_OLE_MAGIC)) != _OLE_MAGIC:
                return None
        with olefile.OleFileIO(str(path)) as ole:
            entries = ole.listdir(streams=True, storages=True)
    except (OSError, ValueError, IndexError, KeyError):
        # unreadable here: the loader that follows says what is wrong with the file
        return set()
    return {part.lower() for entry in entries for part in entry}


def refuse_if_unopenable(path: Path) -> None:
    """``NotALedger`` for a ledger with a password to open, or an old .xls under an .xlsx name.

    A compound file that is neither goes on to the loader, which calls it damaged.
    """
    path = Path(path)
    streams = _compound_streams(path)
    if not streams:
        return
    if streams & _ENCRYPTED_STREAMS:
        raise NotALedger(
            f"台账 {path.name} 设置了打开密码（已加密），本工具无法读取，台账未作任何修改。"
            + PASSWORD_ADVICE
        )
    if streams & _XLS_STREAMS:
        raise NotALedger(
            f"{path.name} 实际是旧版 Excel 97-2003 工作簿（.xls），只是扩展名为 .xlsx。"
            "请在 Excel/WPS 中打开它，「另存为」Excel 工作簿（.xlsx）后再使用。台账未作任何修改。"
        )


def _read_only(path: Path) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False  # the open that follows names the problem
    if stat.S_IMODE(st.st_mode) & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0:
        return True  # no write bit (on Windows: the read-only attribute), whoever we are
    attributes = getattr(st, "st_file_attributes", 0)
    if attributes & getattr(stat, "FILE_ATTRIBUTE_READONLY", 1):
        return True
    return not os.access(path, os.W_OK)


def refuse_if_read_only(path: Path) -> None:
    """``UsageError`` (exit 2) for a ledger marked read-only: a command that would save it
    refuses before anything is written, instead of replacing it regardless."""
    path = Path(path)
    if _read_only(path):
        raise UsageError(
            f"台账 {path.name} 是只读文件，本命令需要保存台账，因此没有运行，台账未作任何修改。"
            "如确需修改，请去掉只读属性（Windows：右键 → 属性 → 取消勾选「只读」；"
            "Linux：右键 → 属性 → 权限，允许写入），或改用可写的副本，再重新运行本命令。"
        )
