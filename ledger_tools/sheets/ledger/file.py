"""Opening and saving the ledger without ever risking it (SPEC §8): the order of the steps.

Each step lives in its own module; ``LedgerFile`` only puts them in order.

Open: the file must exist and be an .xlsx/.xlsm; a writable open refuses a ledger that Excel,
WPS or LibreOffice has open and takes the run lock (``lock``); then the file's fingerprint is
taken and the workbook read, by calamine (``value_book``) where only values are needed, else by
openpyxl (``fast_openpyxl``) with its warnings about dropped features recorded (``loss_guard``).
A ``values_first`` writable open (``brief`` saves one row at most, and usually none) reads
values first and loads openpyxl only when there is something to save (``make_editable``).

Commit: a ledger changed on disk since it was read, or opened in Excel meanwhile, is not
overwritten; the new package is written to a temporary file in 台账备份 beside the ledger
(same volume, out of the clerk's sight; ``sheets.files.atomic_output``, which keeps the
ledger's own permission bits), compared with
the old one (``loss_guard``: refused, exit 4, when anything would be lost), the old one is
backed up (``backups``), and only then does the temporary file replace the ledger, fsynced.
A crash at any moment leaves the old ledger or the new one, never half of one.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ledger_tools.errors import LedgerBusy, NotALedger, UsageError, WouldLoseData
from ledger_tools.sheets.boundary import Cause, Failure, Policy, map_exceptions
from ledger_tools.sheets.files import atomic_output
from ledger_tools.sheets.ledger import (
    backups,
    colour_rules,
    loss_guard,
    package_writer,
)
from ledger_tools.sheets.ledger.access import refuse_if_read_only, refuse_if_unopenable
from ledger_tools.sheets.ledger.changes import Changes, replay
from ledger_tools.sheets.ledger.lock import (
    LOCK_WAIT_SECONDS,
    RunLock,
    refuse_if_open_elsewhere,
    temp_dir,
)
from ledger_tools.sheets.ledger.schema import ITEMS, SHEETS
from ledger_tools.sheets.ledger.value_book import ValueBook, paused_gc, plain_values

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

__all__ = ["LedgerFile"]

SHEET_NAMES = tuple(s.name for s in SHEETS)

Stamp = tuple[int, int, str]

# How openpyxl's failures on load are sorted (``_load_policy``): a broken package, the system
# refusing the read, and everything else (content openpyxl cannot model).
_DAMAGED = (Cause.DAMAGED, Cause.INFLATE, Cause.MALFORMED, Cause.UNSAFE)
_SYSTEM = (Cause.NOT_FOUND, Cause.NO_ACCESS, Cause.IS_FOLDER, Cause.SYSTEM, Cause.TOO_LARGE)
_CONTENT = Cause.UNSUPPORTED


def _damaged(failure: Failure) -> NotALedger:
    return NotALedger(f"{failure.message}。请从「台账备份」文件夹恢复最近的备份。")


def _unreadable(failure: Failure) -> NotALedger:
    return NotALedger(f"{failure.message}。请检查文件后重试。")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


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
        self.lock = RunLock(self.path, lock_wait)
        # Read-only opens read values with calamine (ValueBook) unless the ledger holds formulas
        # or error cells; ``fast_read=False`` always loads the full openpyxl workbook.
        self.fast_read = fast_read
        # A writable open that may well save nothing (brief): lock and owner-file check as for
        # any writable open, but read values first; ``make_editable`` loads openpyxl when needed.
        self.values_first = values_first
        self.wb: Workbook | ValueBook | None = None
        # What the command wrote through the tables; ``save`` hands it to the package writer.
        self.changes = Changes()
        self.load_losses: list[str] = []
        self.saved_by: str | None = None  # "writer" or "openpyxl", once saved
        self._stamp: Stamp | None = None

    # --- opening ----------------------------------------------------------------------------

    def __enter__(self) -> LedgerFile:
        self._check_exists()
        refuse_if_unopenable(self.path)
        if self.writable:
            refuse_if_read_only(self.path)
            refuse_if_open_elsewhere(self.path)
            self.lock.acquire()
        try:
            self._load()
        except BaseException:
            self.lock.release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()
        gc.unfreeze()  # what ``read_ledger`` froze is collected as usual from now on

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

    def _stamp_now(self) -> Stamp:
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
        return self.wb is not None and not isinstance(self.wb, ValueBook)

    def make_editable(self) -> Workbook:
        """The openpyxl workbook of a ``values_first`` open, loaded now from the very file read.

        The lock has been held since the values were read, so only another program can have
        changed the file meanwhile; then nothing computed from those values may be saved.
        """
        assert self.writable, "ledger opened read-only"
        if not self.editable:
            self._refuse_if_changed()
            self._load_workbook()
            replay(self.changes, self.wb)  # what was written on the values view so far
        assert self.editable
        return cast("Workbook", self.wb)

    def _load_workbook(self) -> None:
        import openpyxl  # here only: importing it costs ~0.4 s, and most opens never need it

        from ledger_tools.sheets.ledger.fast_openpyxl import faster_openpyxl_load

        with (
            loss_guard.recording_load_losses() as losses,
            faster_openpyxl_load(),
            map_exceptions(self._load_policy(), path=self.path, what="台账", unexpected=_CONTENT),
        ):
            self.wb = openpyxl.load_workbook(
                self.path, keep_vba=self.path.suffix.lower() == ".xlsm", keep_links=True
            )
        self.load_losses = losses

    def _load_policy(self) -> Policy:
        """What openpyxl's failures become: a broken package is a damaged ledger (restore the
        backup); anything else openpyxl raises is content it cannot model (e.g. a chart without
        a plot area, as LibreOffice writes one): intact, but not ours to rewrite."""
        content = WouldLoseData if self.writable else NotALedger

        def cannot_model(failure: Failure) -> BaseException:
            return content(
                f"台账 {self.path.name} 中有本工具无法读取的内容，多见于在 "
                "WPS/LibreOffice 中插入的图表、图形或控件。台账未作任何修改。"
                "请把这些内容移到另一个工作簿后重试。"
            )

        return {
            **dict.fromkeys(_DAMAGED, _damaged),
            TypeError: _damaged,  # openpyxl's way of saying a part holds what it cannot be
            **dict.fromkeys(_SYSTEM, _unreadable),
            _CONTENT: cannot_model,
        }

    def _load_values(self) -> bool:
        """The calamine view for a read-only open; False sends the caller to openpyxl.

        Anything unusual (formulas, error cells, a package calamine cannot read) falls back, so
        the openpyxl path keeps giving the established values and error messages.
        """
        try:
            book = ValueBook(self.path)
            with paused_gc():  # read now, inside this guard; the formula scan while 台账 is read
                if not book.preload([ITEMS.name, *SHEET_NAMES], lambda: plain_values(self.path)):
                    return False
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # calamine's (a Rust panic is a BaseException) and zipfile's alike
            return False
        self.wb = book
        return True

    # --- saving -----------------------------------------------------------------------------

    def save(self) -> Path:
        """Save atomically after a backup; refuse if anything would be lost. The backup's path.

        A ``values_first`` open writes only through its tables, so what it wrote is all in
        ``changes``: the package writer puts just those cells into the package and carries
        every other part over (SPEC §8). Where the writer is not sure of the package
        (``Unsupported``), and for an open that edits the openpyxl workbook itself, the
        workbook is saved by openpyxl, behind the loss guard.
        """
        assert self.writable, "ledger opened read-only"
        assert self.editable or self.changes, "values_first: nothing written, nothing to save"
        if self.values_first and self.changes:
            try:
                return self.save_changes()
            except package_writer.Unsupported:
                pass  # the openpyxl way, below
        wb = self.make_editable() if self.values_first else self.wb
        assert wb is not None and self.editable, "ledger opened read-only"
        wb = cast("Workbook", wb)
        if ITEMS.name in wb.sheetnames:  # the owned colour rule, as the writer adds it
            colour_rules.add_to_workbook(wb[ITEMS.name])
        return self._commit(wb.save)

    def save_changes(self) -> Path:
        """Save ``changes`` through the package writer; ``Unsupported`` (nothing saved) when
        the package is one it is not sure of."""
        assert self.writable, "ledger opened read-only"
        changes = self.changes
        counted: loss_guard.Counted = {}
        return self._commit(
            lambda tmp: package_writer.write_package(self.path, tmp, changes, counted=counted),
            counted,
        )

    def _commit(
        self, write: Callable[[Path], set[str] | None], counted: loss_guard.Counted | None = None
    ) -> Path:
        """Write the new package with ``write`` (which returns the parts it changed, when it
        carried all others over byte for byte: only those need the loss check), then replace.

        Inside the block the temporary file is complete but the ledger untouched: a refusal or
        a crash there leaves the ledger as it was (and the temporary file is removed, unless
        the process was killed). The backup is taken last, just before the rename.
        """
        self._refuse_if_changed()
        refuse_if_read_only(self.path)
        refuse_if_open_elsewhere(self.path)
        with atomic_output(self.path, check_open=False, temp_dir=temp_dir(self.path)) as tmp:
            changed = write(tmp)
            # openpyxl's warnings on load matter only when openpyxl writes the package.
            losses = self.load_losses if changed is None else []
            loss_guard.refuse_losses(self.path, tmp, changed, losses, counted)
            saved = backups.backup(self.path)
        self._stamp = self._stamp_now()
        self.saved_by = "openpyxl" if changed is None else "writer"
        return saved

    def _refuse_if_changed(self) -> None:
        if self._stamp_now() != self._stamp:
            raise LedgerBusy(
                f"台账 {self.path.name} 在本命令运行期间被其他程序修改过，为避免覆盖，本次未保存。请重新运行命令。"
            )
