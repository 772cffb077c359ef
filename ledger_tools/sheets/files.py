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

Output folders (``output_dir``), a command's one output workbook (``output_workbook``) and
file names made from unit names or 文号 (``safe_filename``) live here too, so every command
treats them alike.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from ledger_tools.errors import LedgerBusy, LedgerError, UsageError, os_reason

T = TypeVar("T")

__all__ = [
    "Staging",
    "atomic_output",
    "check_not_open",
    "default_file_mode",
    "fsync_dir",
    "output_dir",
    "output_workbook",
    "owner_files",
    "safe_filename",
    "unwritable",
    "write_atomically",
]

# --- owner files of the programs that open our files -----------------------------------------


def owner_files(path: Path) -> list[Path]:
    """Owner (lock) files that Excel, WPS or LibreOffice leave beside a file they have open.

    Excel and WPS on Windows write ``~$name``, WPS on Linux ``.~name``, LibreOffice
    ``.~lock.name#``.
    """
    path = Path(path)
    name = path.name
    candidates = [f"~${name}", f".~{name}", f".~lock.{name}#"]
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
        st = target.stat()
    except OSError:
        return default_file_mode()
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else default_file_mode()


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

# Windows: access denied, sharing violation, lock violation. A replace onto a file that Word,
# Excel or WPS holds open fails with one of these, whatever the owner file says.
_WINERROR_HELD_OPEN = {5, 32, 33}


def _held_open(e: OSError) -> bool:
    return getattr(e, "winerror", None) in _WINERROR_HELD_OPEN or e.errno in (
        errno.EBUSY,
        errno.ETXTBSY,
    )


def unwritable(path: Path, e: OSError) -> LedgerError:
    """The Chinese message for an ``OSError`` met while writing ``path``.

    Held open by another program (Windows says so) is busy (exit 3, retry once it is closed);
    anything else is the user's to fix: the folder when there is no file yet, else the file.
    """
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
        f"无法写入 {path}（{reason}）。请检查该文件是否只读、是否正在 Word/Excel/WPS 中打开，以及文件夹权限。"
    )


def _os_error_in(e: BaseException) -> OSError | None:
    """The OSError behind ``e``: itself, or the one a dependency wrapped (XlsxWriter's
    FileCreateError carries it as its argument)."""
    if isinstance(e, OSError):
        return e
    if isinstance(e, LedgerError):  # already the user's message
        return None
    for inner in (*e.args[:1], e.__cause__):
        if isinstance(inner, OSError):
            return inner
    return None


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


def _same_file(a: Path, b: Path | None) -> bool:
    try:
        return b is not None and a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _is_a_ledger(path: Path) -> bool:
    """Whether ``path`` is some ledger workbook (it has the hidden _系统 sheet): never overwritten."""
    try:
        with zipfile.ZipFile(path) as z:
            return 'name="_系统"' in z.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False


def output_workbook(out: Path, *, ledger: Path | None, what: str, example: str) -> Path:
    """Where a command's one output workbook goes, refusing the clerk's mistakes that destroy files.

    No suffix gets .xlsx; another suffix, a folder, the ledger itself or any other ledger, and a
    workbook open in Excel/WPS are refused before anything is read or written. An older output
    of the same name is replaced, as a re-run should.
    """
    out = Path(out)
    if out.suffix == "" and not out.is_dir():
        out = out.with_name(out.name + ".xlsx")
    if out.is_dir():
        raise UsageError(f"{out} 是文件夹。--out 须是{what}的文件名，例如 --out {out / example}。")
    if out.suffix.lower() != ".xlsx":
        raise UsageError(
            f"{what}须保存为 .xlsx 工作簿，「{out.name}」不是。例如 --out {out.with_suffix('.xlsx')}。"
        )
    if _same_file(out, ledger):
        raise UsageError(
            f"--out 不能是台账本身（{out}），否则台账会被覆盖。请换一个文件名，例如 --out {out.parent / example}。"
        )
    if out.exists() and _is_a_ledger(out):
        raise UsageError(
            f"{out} 是一个台账，不能用作输出文件（会被覆盖）。请换一个文件名，例如 --out {out.parent / example}。"
        )
    if out.parent.exists() and not out.parent.is_dir():
        raise UsageError(f"{out.parent} 是一个文件，不是文件夹。请检查 --out 的路径。")
    check_not_open(out)
    return out  # the folder is made when the workbook is written, after the ledger was read


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- the atomic write ------------------------------------------------------------------------


def _refuse_folder_in_place(target: Path) -> None:
    if target.is_dir():
        raise UsageError(
            f"无法写入 {target}：那里有一个同名的文件夹。请移走或改名该文件夹，再重新运行本命令。"
        )


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
        _refuse_folder_in_place(target)
        raise unwritable(target, e) from None


def _already_there(target: Path) -> UsageError:
    return UsageError(f"{target} 已存在，为避免覆盖，没有改写它。请换一个文件名。")


def _link_new(source: Path, target: Path) -> None:
    """Put ``source`` at ``target`` only if nothing is there: a hard link fails if it exists."""
    try:
        os.link(source, target)
        return
    except FileExistsError:
        raise _already_there(target) from None
    except OSError:  # a file system without hard links (FAT, some shares): rename, checked first
        if target.exists():
            raise _already_there(target) from None
    _replace(source, target)


@contextlib.contextmanager
def atomic_output(
    target: Path, *, mode: int | None = None, check_open: bool = True, exclusive: bool = False
) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; when the block ends normally, the file written
    there replaces ``target`` (fsynced, with ``mode`` or the target's own / the default mode).

    On any error the temporary file is removed and ``target`` is as it was. ``OSError`` raised
    inside the block (or wrapped by a dependency) or by the rename becomes a Chinese
    ``UsageError``/``LedgerBusy``, so the block should not read other files. ``exclusive``
    never replaces an existing file (a new ledger): it is refused as a ``UsageError``.
    """
    target = Path(target)
    if check_open:
        check_not_open(target)
    _refuse_folder_in_place(target)
    if exclusive and target.exists():
        raise _already_there(target)
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
        except Exception as e:
            cause = _os_error_in(e)
            if cause is None:
                raise
            raise unwritable(target, cause) from None
        if exclusive:
            _link_new(tmp, target)
        else:
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

_KEPT = ".replaced"  # inside the staging folder: the files publishing replaced, until it is done


class Staging:
    """A hidden folder inside the output folder where a run writes its files first.

    Only when everything is written (and the ledger saved, where the command saves it) are the
    files moved into place, all or none: a file that cannot be replaced (open in Word on
    Windows) puts back the ones already moved, so the output folder is as it was.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        if not self.out_dir.is_dir():
            output_dir(self.out_dir, "输出文件")
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

    def _staged(self) -> list[Path]:
        return sorted(p for p in self.dir.iterdir() if p.name != _KEPT)

    def check(self) -> None:
        """Refuse before anything is saved when a file to be replaced is open in Word/Excel/WPS."""
        for staged in self._staged():
            target = self.out_dir / staged.name
            check_not_open(target)
            _refuse_folder_in_place(target)

    def publish(self) -> list[Path]:
        """Move every staged file into the output folder (replacing files of the same name)."""
        self.check()
        done: list[tuple[Path, Path | None]] = []  # (target, the file it replaced, kept)
        try:
            for staged in self._staged():
                target = self.out_dir / staged.name
                with contextlib.suppress(OSError):
                    os.chmod(staged, _mode_for(target))
                kept = self._keep(target)
                _replace(staged, target)
                done.append((target, kept))
        except BaseException:
            self._put_back(done)
            raise
        fsync_dir(self.out_dir)
        return [target for target, _ in done]

    def publish_after(self, save: Callable[[], T]) -> T:
        """``save()`` (the ledger's), then publish; what ``save`` returned.

        An output open in Word/Excel/WPS refuses the run before the ledger is saved, and a
        refused save publishes nothing: the ledger and the folder change together or not at all.
        """
        self.check()
        saved = save()
        self.publish()
        return saved

    def _keep(self, target: Path) -> Path | None:
        """A second name for the file about to be replaced, so that it can be put back."""
        if not target.exists():
            return None
        kept = self.dir / _KEPT / target.name
        try:
            kept.parent.mkdir(exist_ok=True)
            try:
                os.link(target, kept)
            except OSError:  # no hard links on this file system: a copy
                shutil.copy2(target, kept)
        except OSError as e:
            raise unwritable(target, e) from None
        return kept

    @staticmethod
    def _put_back(done: list[tuple[Path, Path | None]]) -> None:
        for target, kept in reversed(done):
            with contextlib.suppress(OSError):
                if kept is None:
                    target.unlink()
                else:
                    os.replace(kept, target)
