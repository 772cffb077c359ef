"""Writing any file the tool produces: the one place for the file-system workarounds.

Every output (forms, notices, briefings, lists, reports, returned copies, a new ledger, the
ledger's own save) is written the same way:

- to a temporary file on the target's own volume (``os.replace`` is atomic only within one
  volume): beside the target, or in a folder the caller names (the ledger's goes into 台账备份,
  so that a clerk never sees a file of ours beside the ledger), flushed and fsynced, then
  renamed over the target, and the folder fsynced where the system can; a crash leaves either
  the old file or the whole new one, never half a file that looks complete;
- with the mode a plain new file gets (0666 less the umask): ``mkstemp`` makes 0600, which
  would keep colleagues on the shared folder out; a replaced file keeps its own mode;
- an output that Excel, WPS or Word holds open (its owner file beside it, ``owners``) is refused
  as busy before anything is written; a replace that Windows refuses because another program
  holds the file (WinError 5/32) is retried for a moment, then refused as busy naming the file;
- a path longer than Excel can open (218 characters) is reported to the face before writing
  (``long_path_warnings``): the face prints it, the file is still written;
- every ``OSError`` becomes a Chinese message naming the file and what to do: ``strerror`` is
  English whatever the locale.

Output folders (``output_dir``), a command's one output workbook (``output_workbook``) and
file names made from unit names or 文号 (``safe_filename``) live here too, so every command
treats them alike. Many files published together: ``staging``.

Long because every file-system workaround is kept in this one place on purpose (SPEC §11).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

from ledger_tools.errors import LedgerBusy, LedgerError, UsageError, os_reason
from ledger_tools.sheets.owners import OwnerFile, owner_files
from ledger_tools.sheets.owners import check_not_open as _owner_check

__all__ = [
    "EXCEL_PATH_LIMIT",
    "OwnerFile",
    "atomic_output",
    "check_not_open",
    "default_file_mode",
    "fsync_dir",
    "long_path_warnings",
    "mode_for",
    "output_dir",
    "output_workbook",
    "owner_files",
    "refuse_folder_in_place",
    "replace_file",
    "safe_filename",
    "unwritable",
    "write_atomically",
]

# --- paths too long for Excel ----------------------------------------------------------------

# Excel (and WPS, which follows it) cannot open or save a workbook whose full path is longer
# than 218 characters: the file is written fine and then "cannot be found" by the clerk.
EXCEL_PATH_LIMIT = 218
STAGING_PREFIX = ".~ledger-"  # the staging folders (``staging``): their final target is checked

_long_paths: ContextVar[tuple[list[str], Callable[[str], None] | None] | None] = ContextVar(
    "long_paths", default=None
)


def _note_long_path(path: Path) -> None:
    watch = _long_paths.get()
    if watch is None or any(part.startswith(STAGING_PREFIX) for part in Path(path).parts[:-1]):
        return
    sink, tell = watch
    full = os.path.abspath(path)
    if len(full) > EXCEL_PATH_LIMIT:
        message = (
            f"{full} 的完整路径有 {len(full)} 个字符，超过 Excel/WPS 能打开的 {EXCEL_PATH_LIMIT} 个字符，"
            "文件照常写入，但可能打不开。请把输出文件夹换到路径较短的位置（例如 D:\\督查），或缩短文件夹名称。"
        )
        if message not in sink:
            sink.append(message)
            if tell is not None:
                tell(message)


@contextlib.contextmanager
def long_path_warnings(tell: Callable[[str], None] | None = None) -> Iterator[list[str]]:
    """Collect, for the face, a warning for each output whose path Excel cannot open.

    A face opens it around a command; ``tell`` (the face's printer) hears each warning when it
    arises, before that file is written. Every output is checked before it is written
    (``check_not_open``, in the command's own process), so a job neither prints nor needs a
    field for it. Outside the block nothing is collected.
    """
    sink: list[str] = []
    token = _long_paths.set((sink, tell))
    try:
        yield sink
    finally:
        _long_paths.reset(token)


def check_not_open(path: Path) -> None:
    """Refuse (busy) an output that Word/Excel/WPS holds open; note a path Excel cannot open."""
    _note_long_path(Path(path))
    _owner_check(path)


# --- modes and names -------------------------------------------------------------------------


def default_file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give a new file: 0666 less the umask.

    The umask can only be read by setting it, so it is set back at once.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def mode_for(target: Path) -> int:
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
    if path.parent.name.startswith(STAGING_PREFIX):  # a staged output: name where it goes
        path = path.parent.parent / path.name
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


def output_workbook(
    out: Path,
    *,
    ledger: Path | None,
    what: str,
    example: str,
    option: str = "--out",
    keep: tuple[Path, ...] = (),
) -> Path:
    """Where a command's one output workbook goes, refusing the clerk's mistakes that destroy files.

    No suffix gets .xlsx; another suffix, a folder, the ledger itself or any other ledger, a file
    of ``keep`` (the command's inputs and outputs, existing or not), and a workbook open in
    Excel/WPS are refused before anything is read or written (the messages name ``option``); an
    older output of the same name is replaced, as a re-run should."""
    out = Path(out)
    if out.suffix == "" and not out.is_dir():
        out = out.with_name(out.name + ".xlsx")
    if out.is_dir():
        raise UsageError(
            f"{out} 是文件夹。{option} 须是{what}的文件名，例如 {option} {out / example}"
        )
    if out.suffix.lower() != ".xlsx":
        raise UsageError(
            f"{what}须保存为 .xlsx 工作簿，「{out.name}」不是。例如 {option} {out.with_suffix('.xlsx')}。"
        )
    if _same_file(out, ledger):
        raise UsageError(
            f"{option} 不能是台账本身（{out}），否则台账会被覆盖。请换一个文件名，例如 {option} {out.parent / example}。"
        )
    for other in keep:
        if out.resolve() == Path(other).resolve():
            raise UsageError(
                f"{option} 不能与 {other} 同名，否则它会被覆盖。请换一个文件名，例如 {option} {out.parent / example}。"
            )
    if out.exists() and _is_a_ledger(out):
        raise UsageError(
            f"{out} 是一个台账，不能用作输出文件（会被覆盖）。请换一个文件名，例如 {option} {out.parent / example}。"
        )
    if out.parent.exists() and not out.parent.is_dir():
        raise UsageError(f"{out.parent} 是一个文件，不是文件夹。请检查 {option} 的路径。")
    check_not_open(out)
    return out  # the folder is made when the workbook is written, after the ledger was read


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); a no-op on Windows, where a folder cannot
    be opened (NTFS makes the rename durable itself), and wherever else the open fails."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- the atomic write ------------------------------------------------------------------------


def refuse_folder_in_place(target: Path) -> None:
    if target.is_dir():
        raise UsageError(
            f"无法写入 {target}：那里有一个同名的文件夹。请移走或改名该文件夹，再重新运行本命令。"
        )


def _temp_in(folder: Path, target: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=STAGING_PREFIX, suffix=target.suffix, dir=folder)
    except OSError as e:
        raise unwritable(target, e) from None
    os.close(fd)
    return Path(name)


# Word, Excel or WPS closing a file, an antivirus scan or the search indexer hold it for a
# moment: a replace refused as held open is tried again for about two seconds before the
# run is refused as busy (exit 3) naming the file.
REPLACE_RETRY_SECONDS = 2.0
_REPLACE_PAUSE = 0.1


def replace_file(source: Path, target: Path) -> None:
    deadline = time.monotonic() + REPLACE_RETRY_SECONDS
    while True:
        try:
            os.replace(source, target)
            return
        except OSError as e:
            if _held_open(e) and time.monotonic() < deadline:
                time.sleep(_REPLACE_PAUSE)
                continue
            refuse_folder_in_place(target)
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
    replace_file(source, target)


@contextlib.contextmanager
def atomic_output(
    target: Path,
    *,
    mode: int | None = None,
    check_open: bool = True,
    exclusive: bool = False,
    temp_dir: Path | None = None,
) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` (or in ``temp_dir``, which must be on the same
    volume, and is created if need be); when the block ends normally, the file written there
    replaces ``target`` (fsynced, with ``mode`` or the target's own / the default mode).

    On any error the temporary file is removed and ``target`` is as it was. ``OSError`` raised
    inside the block (or wrapped by a dependency) or by the rename becomes a Chinese
    ``UsageError``/``LedgerBusy``, so the block should not read other files. ``exclusive``
    never replaces an existing file (a new ledger): it is refused as a ``UsageError``.
    """
    target = Path(target)
    if check_open:
        check_not_open(target)
    refuse_folder_in_place(target)
    if exclusive and target.exists():
        raise _already_there(target)
    if not target.parent.is_dir():
        output_dir(target.parent, "输出文件")
    final_mode = mode if mode is not None else mode_for(target)
    tmp = _temp_in(Path(temp_dir) if temp_dir is not None else target.parent, target)
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
            replace_file(tmp, target)
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
