"""Writing any file the tool produces: the one place for the file-system workarounds.

Every output (forms, notices, briefings, lists, reports, returned copies, a new ledger, the
ledger's own save) is written the same way:

- to a temporary file in the target's own folder (``os.replace`` is atomic only within one
  volume), flushed and fsynced, then renamed over the target, and the folder fsynced; a crash
  leaves either the old file or the whole new one, never half a file that looks complete;
- with the mode a plain new file gets (0666 less the umask): ``mkstemp`` makes 0600, which
  would keep colleagues on the shared folder out; a replaced file keeps its own mode;
- an output that Excel, WPS or Word holds open (its owner file beside it) is refused as busy
  before anything is written, and so is a replace that the system refuses because another
  program holds the file (Windows);
- every ``OSError`` becomes a Chinese message naming the file and what to do: ``strerror`` is
  English whatever the locale.

Output folders (``output_dir``) and file names made from unit names or 文号 (``safe_filename``)
live here too, so every command treats them alike.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ledger_tools.errors import LedgerBusy, LedgerError, UsageError, os_reason

__all__ = [
    "Staging",
    "atomic_output",
    "check_not_open",
    "default_file_mode",
    "fsync_dir",
    "output_dir",
    "owner_files",
    "safe_filename",
    "unwritable",
    "write_atomically",
]

# --- owner files of the programs that open our files -----------------------------------------


def owner_files(path: Path) -> list[Path]:
    """Owner (lock) files that Excel, WPS or LibreOffice leave beside a file they have open."""
    path = Path(path)
    name = path.name
    candidates = [f"~${name}", f".~lock.{name}#"]
    if len(name) > 2:
        candidates.append(f"~${name[2:]}")  # Word-style truncation seen with long names
    return [path.with_name(c) for c in candidates if path.with_name(c).exists()]


def check_not_open(path: Path) -> None:
    """An output that Word/Excel/WPS holds open would be overwritten under it: busy, retry later."""
    owners = owner_files(path)
    if owners:
        raise LedgerBusy(
            f"{path} 正在 Word/Excel/WPS 中打开（发现 {owners[0].name}）。"
            "请先关闭该文件，再重新运行本命令。"
        )


# --- modes and names -------------------------------------------------------------------------


def default_file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give a new file: 0666 less the umask.

    The umask can only be read by setting it, so it is set back at once.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _mode_for(target: Path) -> int:
    """A replaced file keeps its own permission bits; a new one gets the plain default."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return default_file_mode()


_BAD_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$", re.IGNORECASE)


def safe_filename(text: str, limit: int = 80) -> str:
    """A unit's name or a 文号 as part of a file name on Windows, macOS and Linux.

    Characters Windows forbids become ``_``, trailing dots and spaces go (Explorer cannot open
    such a file), and a reserved device name (CON, NUL, COM1 …) gets a ``_`` in front.
    """
    cleaned = _BAD_IN_NAME.sub("_", str(text)).strip(" .")[:limit].rstrip(" .") or "未命名"
    if _RESERVED.match(cleaned):
        cleaned = "_" + cleaned
    return cleaned


# --- messages --------------------------------------------------------------------------------

_HELD_OPEN = {errno.EACCES, errno.EPERM, errno.EBUSY}
_WINERROR_HELD_OPEN = {5, 32, 33}  # access denied, sharing violation, lock violation


def _held_open(e: OSError) -> bool:
    return getattr(e, "winerror", None) in _WINERROR_HELD_OPEN


def unwritable(path: Path, e: OSError) -> LedgerError:
    """The Chinese message for an ``OSError`` met while writing ``path``."""
    path = Path(path)
    reason = os_reason(e)
    if _held_open(e):
        return LedgerBusy(
            f"{path} 正被其他程序打开（{reason}）。请先在 Word/Excel/WPS 中关闭它，再重新运行本命令。"
        )
    if path.is_dir() or not path.exists():  # nothing there to be open elsewhere: the folder refused
        folder = path if path.is_dir() else path.parent
        return UsageError(
            f"无法在文件夹 {folder} 中写入文件（{reason}）。请检查文件夹是否只读、权限是否足够，或换一个文件夹。"
        )
    return UsageError(
        f"无法写入 {path}（{reason}）。如该文件正在 Word/Excel/WPS 中打开，请先关闭；并检查文件夹权限。"
    )


# --- folders ---------------------------------------------------------------------------------


def output_dir(out_dir: Path, what: str, *, create: bool = True) -> Path:
    """The output folder, created if needed; a file in its place is the user's mistake.

    ``create=False`` only checks, so that a run refused later (a missing ledger) leaves no
    empty folder behind.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir} 是一个文件，不是文件夹。请用 --out 指定存放{what}的文件夹。")
    if not create:
        return out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(
            f"无法创建文件夹 {out_dir}（{os_reason(e)}）。请检查路径和权限。"
        ) from None
    return out_dir


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- the atomic write ------------------------------------------------------------------------


def _temp_beside(target: Path) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=".~ledger-", suffix=target.suffix, dir=target.parent)
    except OSError as e:
        raise unwritable(target, e) from None
    os.close(fd)
    return Path(name)


def _replace(source: Path, target: Path) -> None:
    try:
        os.replace(source, target)
    except OSError as e:
        raise unwritable(target, e) from None


@contextlib.contextmanager
def atomic_output(
    target: Path, *, mode: int | None = None, check_open: bool = True
) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; when the block ends normally, the file written
    there replaces ``target`` (fsynced, with ``mode`` or the target's own / the default mode).

    On any error the temporary file is removed and ``target`` is as it was. ``OSError`` raised
    inside the block or by the rename becomes a Chinese ``UsageError``/``LedgerBusy``.
    """
    target = Path(target)
    if check_open:
        check_not_open(target)
    if not target.parent.is_dir():
        output_dir(target.parent, "输出文件")
    final_mode = mode if mode is not None else _mode_for(target)
    tmp = _temp_beside(target)
    try:
        try:
            yield tmp
            os.chmod(tmp, final_mode)
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
        except OSError as e:
            raise unwritable(target, e) from None
        _replace(tmp, target)
        fsync_dir(target.parent)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_atomically(
    target: Path, write: Callable[[Path], object], *, mode: int | None = None
) -> Path:
    """``write(tmp)`` fills a temporary file that then atomically replaces ``target``."""
    with atomic_output(target, mode=mode) as tmp:
        write(tmp)
    return Path(target)


# --- many files at once ----------------------------------------------------------------------


class Staging:
    """A hidden folder inside the output folder where a run writes its files first.

    Only when everything is written (and the ledger saved, where the command saves it) are the
    files moved into place; a failure leaves the output folder as it was.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        try:
            self.dir = Path(tempfile.mkdtemp(prefix=".~ledger-", dir=self.out_dir))
        except OSError as e:
            raise unwritable(self.out_dir, e) from None

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name: str) -> Path:
        return self.dir / name

    def check(self) -> None:
        """Refuse before anything is saved when a file to be replaced is open in Word/Excel/WPS."""
        for staged in self.dir.iterdir():
            check_not_open(self.out_dir / staged.name)

    def publish(self) -> list[Path]:
        """Move every staged file into the output folder (replacing files of the same name)."""
        self.check()
        moved = []
        for staged in sorted(self.dir.iterdir()):
            target = self.out_dir / staged.name
            with contextlib.suppress(OSError):
                os.chmod(staged, _mode_for(target))
            _replace(staged, target)
            moved.append(target)
        fsync_dir(self.out_dir)
        return moved
