"""Opening and saving the ledger without ever risking it (SPEC §8).

- a lock file beside the ledger keeps two ``ledger`` runs apart (the second waits, then gives up);
- an Excel/WPS owner file (``~$name.xlsx``) or a LibreOffice lock (``.~lock.name#``) means the
  ledger is open in a program that would overwrite our save: we refuse (exit 3);
- the file's fingerprint is taken when read and checked again before saving: a ledger changed on
  disk meanwhile is not overwritten;
- before saving we compare what the package holds (charts, images, shapes, pivot tables, VBA,
  extension lists ...) in the old file and in the new one, and refuse when anything would be
  lost (exit 4). openpyxl's own load warnings about dropped features count too;
- the save is atomic: a temporary file in the same folder, flushed and fsynced, then renamed,
  after a timestamped backup (the last 30 are kept); the new file keeps the old one's
  permission bits (``mkstemp`` would have made it 0600, unreadable to colleagues);
- a writable open may read values first (``values_first``, calamine) and load the openpyxl
  workbook only when there is something to save (``make_editable``): ``brief`` saves one row
  at most, and usually none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import os
import re
import shutil
import stat
import tempfile
import time
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook

from ledger_tools.errors import LedgerBusy, NotALedger, UsageError, WouldLoseData
from ledger_tools.sheets.ledger import sheet_patch
from ledger_tools.sheets.ledger.fast_openpyxl import faster_openpyxl_load
from ledger_tools.sheets.ledger.schema import ITEMS, SHEETS
from ledger_tools.sheets.ledger.value_book import ValueBook, plain_values

__all__ = [
    "LedgerFile",
    "default_file_mode",
    "inventory",
    "owner_files",
    "BACKUP_DIR",
    "KEEP_BACKUPS",
]

SHEET_NAMES = tuple(s.name for s in SHEETS)
BACKUP_DIR = "台账备份"
KEEP_BACKUPS = 30
LOCK_WAIT_SECONDS = 120.0


def owner_files(path: Path) -> list[Path]:
    """Lock files that Excel, WPS or LibreOffice leave beside a workbook they have open."""
    name = path.name
    candidates = [f"~${name}", f".~lock.{name}#"]
    if len(name) > 2:
        candidates.append(f"~${name[2:]}")  # Word-style truncation seen with long names
    return [path.with_name(c) for c in candidates if path.with_name(c).exists()]


# --- what a package holds -------------------------------------------------------------------

_PART_KINDS: tuple[tuple[str, re.Pattern], ...] = (
    ("图表", re.compile(r"^xl/charts/chart\d*\.xml$")),
    ("图表工作表", re.compile(r"^xl/chartsheets/.+\.xml$")),
    ("图片或媒体文件", re.compile(r"^xl/media/")),
    ("数据透视表", re.compile(r"^xl/pivotTables/.+\.xml$")),
    ("数据透视缓存", re.compile(r"^xl/pivotCache/pivotCacheDefinition\d*\.xml$")),
    ("宏（VBA 工程）", re.compile(r"^xl/vbaProject\.bin$")),
    ("切片器", re.compile(r"^xl/slicers?(Caches)?/")),
    ("日程表", re.compile(r"^xl/timeline")),
    ("外部链接", re.compile(r"^xl/externalLinks/externalLink\d*\.xml$")),
    ("线程式批注", re.compile(r"^xl/threadedComments/")),
    ("控件", re.compile(r"^xl/(ctrlProps|activeX)/")),
    ("嵌入对象", re.compile(r"^xl/embeddings/")),
    ("表格（列表）", re.compile(r"^xl/tables/table\d*\.xml$")),
    ("自定义 XML", re.compile(r"^customXml/item\d*\.xml$")),
    ("墨迹/签名", re.compile(r"^xl/(ink|signatures)/|^_xmlsignatures/")),
)
_XML_SIGNALS: tuple[tuple[str, str, re.Pattern], ...] = (
    # (kind, part prefix, pattern counted in those parts)
    ("形状或文本框", "xl/drawings/drawing", re.compile(rb"<(?:xdr:)?(?:sp|grpSp|cxnSp)[ >]")),
    ("图片", "xl/drawings/drawing", re.compile(rb"<(?:xdr:)?pic[ >]")),
    (
        "扩展内容（数据条、图标集、新式数据验证或迷你图等）",
        "xl/worksheets/sheet",
        re.compile(rb"<ext [^>]*uri="),
    ),
    ("条件格式", "xl/worksheets/sheet", re.compile(rb"<conditionalFormatting[ >]")),
    ("数据验证（下拉列表）", "xl/worksheets/sheet", re.compile(rb"<dataValidation[ >]")),
    ("批注", "xl/comments", re.compile(rb"<comment ")),
    ("超链接", "xl/worksheets/sheet", re.compile(rb"<hyperlink ")),
    ("合并单元格", "xl/worksheets/sheet", re.compile(rb"<mergeCell ")),
    ("定义的名称", "xl/workbook.xml", re.compile(rb"<definedName ")),
    ("工作表", "xl/workbook.xml", re.compile(rb"<sheet ")),
)


def inventory(path: Path, parts: set[str] | None = None) -> Counter:
    """How many of each kind of content the package at ``path`` holds (in ``parts``, if given).

    Each part is decompressed at most once: the worksheets of a 10,000-item ledger are tens of
    megabytes of XML, and the save check reads both the old and the new package.
    """
    found: Counter = Counter()
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            name = info.filename
            if parts is not None and name not in parts:
                continue
            for kind, pattern in _PART_KINDS:
                if pattern.search(name):
                    found[kind] += 1
            signals = [
                (kind, pattern)
                for kind, prefix, pattern in _XML_SIGNALS
                if name.startswith(prefix) and name.endswith(".xml")
            ]
            if signals:
                data = z.read(info)
                for kind, pattern in signals:
                    found[kind] += _COUNTERS[pattern](data)
    return found


def _counter(pattern: re.Pattern):
    """A function giving ``len(pattern.findall(data))``, counted in C where the pattern allows.

    "<tag[ >]" and "<tag " are literal substrings (occurrences cannot overlap, so the counts
    agree); a pattern starting "<tag " only runs where that literal occurs at all.
    """
    literal = re.fullmatch(rb"(<[A-Za-z]+)(\[ >\]| )", pattern.pattern)
    if literal:
        tag = literal.group(1)
        ends = (b" ", b">") if literal.group(2) == b"[ >]" else (b" ",)
        return lambda data: sum(data.count(tag + end) for end in ends)
    prefix = re.match(rb"<[A-Za-z]+ ", pattern.pattern)
    if prefix:
        probe = prefix.group(0)
        return lambda data: len(pattern.findall(data)) if probe in data else 0
    return lambda data: len(pattern.findall(data))


_COUNTERS = {pattern: _counter(pattern) for _, _, pattern in _XML_SIGNALS}


_LOAD_WARNINGS = (
    ("Data Validation extension", "新式数据验证（扩展）"),
    ("Conditional Formatting extension", "新式条件格式（数据条、图标集等扩展）"),
    ("Unknown extension", "未知的扩展内容"),
    ("Slicer List extension", "切片器"),
    ("DrawingML support is incomplete", "形状或绘图对象"),
    ("Sparkline Group extension", "迷你图"),
)


def _describe_load_warning(message: str) -> str | None:
    for needle, label in _LOAD_WARNINGS:
        if needle in message:
            return label
    if "will be removed" in message or "not supported" in message:
        return f"openpyxl 不支持的内容（{message}）"
    return None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --- the ledger file ------------------------------------------------------------------------


class LedgerFile:
    """An opened ledger. Use as a context manager; ``save()`` only when ``writable``."""

    def __init__(
        self,
        path: Path | str,
        *,
        writable: bool = False,
        lock_wait: float = LOCK_WAIT_SECONDS,
        fast_read: bool = True,
        values_first: bool = False,
    ):
        self.path = Path(path)
        self.writable = writable
        self.lock_wait = lock_wait
        # Read-only opens read values with calamine (ValueBook) unless the ledger holds formulas
        # or error cells; ``fast_read=False`` always loads the full openpyxl workbook.
        self.fast_read = fast_read
        # A writable open that may well save nothing (brief): lock and owner-file check as for
        # any writable open, but read values first; ``make_editable`` loads openpyxl when needed.
        self.values_first = values_first
        self._lock_fd: int | None = None
        self.wb: Workbook | ValueBook | None = None
        self.load_losses: list[str] = []
        self._stamp: tuple[int, int, str] | None = None

    # context management
    def __enter__(self) -> LedgerFile:
        self._check_exists()
        if self.writable:
            self._check_owner_files()
            self._acquire_lock()
        try:
            self._load()
        except BaseException:
            self._release_lock()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._release_lock()

    # opening
    def _check_exists(self) -> None:
        if not self.path.exists():
            raise UsageError(
                f"找不到台账文件：{self.path}。请检查路径，或先用 ledger init 创建台账。"
            )
        if self.path.is_dir():
            raise UsageError(f"{self.path} 是文件夹，不是台账文件。")
        if self.path.suffix.lower() not in (".xlsx", ".xlsm"):
            raise NotALedger(
                f"{self.path.name} 不是 .xlsx 台账文件。台账须为 Excel 工作簿（.xlsx）。"
            )

    def _check_owner_files(self) -> None:
        owners = owner_files(self.path)
        if owners:
            raise LedgerBusy(
                f"台账 {self.path.name} 正在被 Excel/WPS/LibreOffice 打开（发现 {owners[0].name}）。"
                "请先保存并关闭台账，再运行本命令。若确认没有打开，可删除该锁定文件。"
            )

    def _lock_path(self) -> Path:
        return self.path.with_name(f".{self.path.name}.ledger-lock")

    def _acquire_lock(self) -> None:
        try:
            fd = os.open(self._lock_path(), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise UsageError(
                f"无法在 {self.path.parent} 中创建锁定文件（{e.strerror}）。请检查文件夹权限。"
            ) from None
        deadline = time.monotonic() + self.lock_wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    os.close(fd)
                    raise LedgerBusy(
                        f"台账 {self.path.name} 正被另一个 ledger 命令使用。请等它结束后再运行。"
                    ) from None
                time.sleep(0.1)
        self._lock_fd = fd

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
                os.close(self._lock_fd)
            self._lock_fd = None

    def _stamp_now(self) -> tuple[int, int, str]:
        st = self.path.stat()
        return (st.st_mtime_ns, st.st_size, _sha256(self.path))

    def _load(self) -> None:
        self._stamp = self._stamp_now()
        if (not self.writable or self.values_first) and self.fast_read and self._load_values():
            return
        self._load_workbook()

    @property
    def editable(self) -> bool:
        """True when ``wb`` is the openpyxl workbook that ``save`` writes."""
        return isinstance(self.wb, Workbook)

    def make_editable(self) -> Workbook:
        """The openpyxl workbook of a ``values_first`` open, loaded now from the very file read.

        The lock has been held since the values were read, so only another program can have
        changed the file meanwhile; then nothing computed from those values may be saved.
        """
        assert self.writable, "ledger opened read-only"
        if not self.editable:
            self._refuse_if_changed()
            self._load_workbook()
        return self.wb

    def _load_workbook(self) -> None:
        with warnings.catch_warnings(record=True) as caught, faster_openpyxl_load():
            warnings.simplefilter("always")
            try:
                self.wb = openpyxl.load_workbook(
                    self.path, keep_vba=self.path.suffix.lower() == ".xlsm", keep_links=True
                )
            except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
                raise NotALedger(
                    f"{self.path.name} 无法作为 Excel 工作簿打开（{type(e).__name__}）。"
                    "文件可能已损坏：请从「台账备份」文件夹恢复最近的备份。"
                ) from None
            except Exception as e:  # openpyxl failing on content it cannot model (e.g. a chart
                # without a plot area, as LibreOffice writes one): intact, but not ours to rewrite
                error = WouldLoseData if self.writable else NotALedger
                raise error(
                    f"台账 {self.path.name} 中有本工具无法读取的内容（{type(e).__name__}），多见于在 "
                    "WPS/LibreOffice 中插入的图表、图形或控件。台账未作任何修改。"
                    "请把这些内容移到另一个工作簿后重试。"
                ) from None
        losses = {_describe_load_warning(str(w.message)) for w in caught}
        self.load_losses = sorted(x for x in losses if x)

    def _load_values(self) -> bool:
        """The calamine view for a read-only open; False sends the caller to openpyxl.

        Anything unusual (formulas, error cells, a package calamine cannot read) falls back, so
        the openpyxl path keeps giving the established values and error messages.
        """
        try:
            if not plain_values(self.path):
                return False
            book = ValueBook(self.path)
            book.preload([ITEMS.name, *SHEET_NAMES])  # read now, inside this guard
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # calamine's (a Rust panic is a BaseException) and zipfile's alike
            return False
        self.wb = book
        return True

    # saving
    def save(self) -> Path | None:
        """Save atomically after a backup; refuse if anything would be lost. The backup's path."""
        assert self.writable and self.editable, (
            "ledger opened read-only, or values_first without make_editable"
        )
        return self._commit(self.wb.save)

    def save_cells(
        self, sheet: str, rows: dict[int, dict[int, object]], formats: dict[int, str]
    ) -> Path | None:
        """Save a change of a few cells of one small sheet without openpyxl: that sheet's part is
        rewritten and every other part carried over (``sheet_patch``). Same backup, atomic
        rename and checks as ``save``; ``sheet_patch.Unsupported`` (nothing written) when the
        package is one to save through openpyxl instead."""
        assert self.writable, "ledger opened read-only"
        return self._commit(
            lambda tmp: sheet_patch.patch_cells(self.path, tmp, sheet, rows, formats)
        )

    def _commit(self, write: Callable[[Path], set[str] | None]) -> Path | None:
        """Write the new package with ``write`` (which returns the parts it changed, when it
        carried all others over byte for byte: only those need the loss check), then replace."""
        self._refuse_if_changed()
        self._check_owner_files()
        folder = self.path.parent
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{self.path.stem}.", suffix=".tmp.xlsx", dir=folder
        )
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            changed = write(tmp)
            os.chmod(tmp, self._mode())
            self._refuse_losses(tmp, changed)
            backup = self._backup()
            with open(tmp, "rb+") as f:
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
            _fsync_dir(folder)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        self._stamp = self._stamp_now()
        return backup

    def _refuse_if_changed(self) -> None:
        if self._stamp_now() != self._stamp:
            raise LedgerBusy(
                f"台账 {self.path.name} 在本命令运行期间被其他程序修改过，为避免覆盖，本次未保存。请重新运行命令。"
            )

    def _mode(self) -> int:
        """The ledger's own permission bits: the saved file replaces it and must stay as shared."""
        try:
            return stat.S_IMODE(self.path.stat().st_mode)
        except OSError:
            return default_file_mode()

    def _refuse_losses(self, new: Path, parts: set[str] | None = None) -> None:
        old_inv, new_inv = inventory(self.path, parts), inventory(new, parts)
        lost = [
            f"{kind}（原有 {n} 处，保存后 {new_inv.get(kind, 0)} 处）"
            for kind, n in sorted(old_inv.items())
            if new_inv.get(kind, 0) < n
        ]
        lost += [f"{x}（读取时无法保留）" for x in self.load_losses]
        if lost:
            raise WouldLoseData(
                f"拒绝保存台账 {self.path.name}：保存后将丢失以下内容："
                + "；".join(lost)
                + "。台账未作任何修改。请把这些内容移到另一个工作簿，或联系维护人员。"
            )

    def _backup(self) -> Path:
        folder = self.path.parent / BACKUP_DIR
        folder.mkdir(exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{self.path.stem}-{stamp}{self.path.suffix}"
        shutil.copy2(self.path, target)
        olds = sorted(folder.glob(f"{glob_escape(self.path.stem)}-*{self.path.suffix}"))
        for old in olds[:-KEEP_BACKUPS]:
            with contextlib.suppress(OSError):
                old.unlink()
        return target


def default_file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give a new file: 0666 less the umask.

    ``tempfile.mkstemp`` creates 0600 files; a ledger, form or briefing renamed from one would
    otherwise be unreadable to colleagues sharing the folder. The umask can only be read by
    setting it, so it is set back at once.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
