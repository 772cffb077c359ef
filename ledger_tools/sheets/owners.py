"""Owner files: how Excel, WPS and LibreOffice say that someone has a file open (SPEC §11).

A program that opens ``台账.xlsx`` leaves a small file beside it for as long as it has it open,
and saves its own copy over ours when the user presses Save: a file with an owner file is never
written. Each program spells it its own way:

- Excel and WPS on Windows: ``~$台账.xlsx``. Excel's holds the user's name (one length byte,
  the name in the ANSI code page padded to 54 bytes, then a two-byte length and the name in
  UTF-16LE), so the message can say who has it open. Word shortens the names of long
  documents by their first two characters (``~$账.xlsx``-style): that candidate counts only
  when no other file in the folder is spelt by it in full, because then the owner file is that
  other file's (a colleague has ``台账.xlsx`` open beside ``督查台账.xlsx``).
- WPS on Linux (UOS, Kylin): ``.~台账.xlsx``.
- LibreOffice: ``.~lock.台账.xlsx#``, a line ``full name,host,login,date,profile;``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from ledger_tools.errors import LedgerBusy

__all__ = ["OwnerFile", "check_not_open", "owner_files"]

_READ_AT_MOST = 4096  # owner files are a few hundred bytes; anything bigger is not one


@dataclass(frozen=True)
class OwnerFile:
    """An owner file found beside a file: which program wrote it and, where it says, for whom."""

    path: Path
    program: str
    user: str | None = None

    @property
    def name(self) -> str:
        return self.path.name

    def who(self) -> str:
        """「张三 正在用 Excel 或 WPS」-style words for a message."""
        return f"{self.user} 正在用 {self.program}" if self.user else f"正在用 {self.program}"


def _office_program(target: Path) -> str:
    suffix = target.suffix.lower()
    if suffix in (".docx", ".doc", ".docm"):
        return "Word 或 WPS"
    return "Excel 或 WPS"


def _read_head(path: Path) -> bytes:
    with contextlib.suppress(OSError), open(path, "rb") as f:
        return f.read(_READ_AT_MOST)
    return b""


def _clean(name: str) -> str | None:
    name = name.replace("\x00", "").strip()
    return name if name and name.isprintable() else None


def office_user(data: bytes) -> str | None:
    """The user's name in an Excel/Word ``~$`` owner file, or None when it does not say.

    The UTF-16 copy at offset 54 is preferred (it is exact in any locale); the ANSI copy at
    offset 1 is read as GBK, the code page of a Chinese Windows.
    """
    if len(data) >= 56:
        count = int.from_bytes(data[54:56], "little")
        if 0 < count <= 54 and len(data) >= 56 + 2 * count:
            with contextlib.suppress(UnicodeDecodeError):
                user = _clean(data[56 : 56 + 2 * count].decode("utf-16-le"))
                if user:
                    return user
    if data and 0 < data[0] <= 53 and len(data) > data[0]:
        with contextlib.suppress(UnicodeDecodeError):
            return _clean(data[1 : 1 + data[0]].decode("gbk"))
    return None


def libreoffice_user(data: bytes) -> str | None:
    """The full name (or else the login) in a LibreOffice ``.~lock.name#`` file."""
    try:
        fields = data.decode("utf-8").split(",")
    except UnicodeDecodeError:
        return None
    for index in (0, 2):
        if len(fields) > index:
            user = _clean(fields[index])
            if user:
                return user
    return None


def _spelt_by_another(target: Path, spelt: str) -> bool:
    """Whether another file in the folder is named ``spelt``: a ``~$spelt`` is then its own."""
    other = target.with_name(spelt)
    return other.name != target.name and other.exists()


def owner_files(path: Path) -> list[OwnerFile]:
    """The owner files beside ``path`` that say some program has it open, Excel's first."""
    path = Path(path)
    name = path.name
    program = _office_program(path)
    found: list[OwnerFile] = []
    windows = [f"~${name}"]
    if len(name) > 2 and not _spelt_by_another(path, name[2:]):
        windows.append(f"~${name[2:]}")  # Word-style truncation seen with long names
    for candidate in windows:
        owner = path.with_name(candidate)
        if owner.exists():
            found.append(OwnerFile(owner, program, office_user(_read_head(owner))))
    wps = path.with_name(f".~{name}")
    if wps.exists():
        found.append(OwnerFile(wps, "WPS"))
    lo = path.with_name(f".~lock.{name}#")
    if lo.exists():
        found.append(OwnerFile(lo, "LibreOffice", libreoffice_user(_read_head(lo))))
    return found


def check_not_open(path: Path) -> None:
    """An output that Word/Excel/WPS holds open would be overwritten under it: busy, retry later."""
    owners = owner_files(path)
    if owners:
        owner = owners[0]
        raise LedgerBusy(
            f"{path} {owner.who()} 打开（发现 {owner.name}）。请先关闭该文件，再重新运行本命令。"
        )
