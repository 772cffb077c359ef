"""Reading any file a unit sends back (xlsx, xlsm, xls, ods from Excel, WPS or LibreOffice).

``read_returned`` is the one way in: the bytes are read once and pass the gate (``sniff``:
type from the bytes, zip guard, encryption, macros) and the measuring of every sheet
(``extents``) before calamine parses them here; cell values come from calamine, which reads
what is in the cells rather than what the ``<dimension>`` tag claims. Every failure is one
``ReturnedFileError`` (``limits``) with a finding code and a Chinese detail; calamine's errors
and panics are translated at the boundary (``sheets.boundary``).

Rows are indexed from A1 (``rows[0][0]`` is A1 even when the top-left of the data is lower),
so row r, column c is the cell ``f"{get_column_letter(c + 1)}{r + 1}"`` a clerk would click.
Values are what calamine returns: str, float (xlsx/ods numbers; int from xls integer
records), bool, date, datetime, time, timedelta (durations), None for empty. Error cells
(#N/A, #DIV/0!) read as None.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as calamine

from ledger_tools.sheets.boundary import Cause, map_exceptions
from ledger_tools.sheets.returned.extents import check_extents, ods_merges
from ledger_tools.sheets.returned.limits import MIB, Limits, ReturnedFileError, refuse
from ledger_tools.sheets.returned.sniff import read_bytes, sniff_parts

__all__ = [
    "Limits",
    "ReturnedFileError",
    "ReturnedSheet",
    "ReturnedWorkbook",
    "fingerprint",
    "read_returned",
    "rust_panic_text_discarded",
]


@dataclass
class ReturnedSheet:
    name: str
    visible: str  # "visible" | "hidden" | "veryhidden"
    rows: list[list[object]] = field(default_factory=list)
    # merged ranges as 0-based (first row, first column, last row, last column), inclusive
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)

    def covered(self, row_idx: int, col_idx: int) -> str | None:
        """The A1 range of the merged cells that swallow 0-based (row, col): a cell of a merged
        range other than its top-left one, which reads empty whatever the unit saw there."""
        for r0, c0, r1, c1 in self.merged:
            if r0 <= row_idx <= r1 and c0 <= col_idx <= c1 and (row_idx, col_idx) != (r0, c0):
                return f"{_a1(r0, c0)}:{_a1(r1, c1)}"
        return None

    def value(self, row_idx: int, col_idx: int) -> object:
        """The value at 0-based (row, col), None outside the read area."""
        if 0 <= row_idx < len(self.rows) and 0 <= col_idx < len(self.rows[row_idx]):
            return self.rows[row_idx][col_idx]
        return None


@dataclass
class ReturnedWorkbook:
    path: Path
    sha256: str
    kind: str  # "xlsx" | "xlsm" | "xls" | "ods"
    has_macros: bool
    sheets: list[ReturnedSheet] = field(default_factory=list)

    def sheet(self, name: str) -> ReturnedSheet | None:
        for s in self.sheets:
            if s.name == name:
                return s
        return None

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]


def fingerprint(path: Path | str) -> str:
    """SHA-256 hex of the file's bytes (the key of 导入记录 and of duplicate detection)."""
    h = hashlib.sha256()
    with map_exceptions(refuse, path=path, what="文件"):
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(MIB), b""):
                h.update(chunk)
    return h.hexdigest()


def read_returned(path: Path | str, limits: Limits = Limits()) -> ReturnedWorkbook:  # noqa: B008
    """Read every worksheet of a returned file, or raise ``ReturnedFileError``."""
    path = Path(path)
    data = read_bytes(path, limits)
    sha = hashlib.sha256(data).hexdigest()
    kind, has_macros, inflated = sniff_parts(data, limits)
    check_extents(data, kind, limits, inflated)
    del inflated
    # calamine's Rust panics (e.g. a date cell holding -1e12) reach Python as pyo3's
    # PanicException, a BaseException: the boundary translates it too, and the text Rust's
    # panic hook writes to the terminal is kept off it
    with map_exceptions(refuse, path=path, what="文件"), rust_panic_text_discarded():
        sheets = _load(data, kind, limits)
    if kind == "ods":  # calamine knows no merged cells of ods
        merges = ods_merges(data)
        for sheet in sheets:
            sheet.merged = sheet.merged or merges.get(sheet.name, [])
    return ReturnedWorkbook(path, sha, kind, has_macros, sheets)


_FD2 = threading.RLock()
_PANIC = b"panicked at"


@contextlib.contextmanager
def rust_panic_text_discarded() -> Iterator[None]:
    """Keep what Rust's default panic hook prints off the clerk's terminal.

    When calamine panics (a date cell holding -1e12: chrono's "TimeDelta::milliseconds out of
    bounds"), Rust writes "thread '…' panicked at …" and, with RUST_BACKTRACE set, a whole
    backtrace straight to file descriptor 2, before pyo3 turns the panic into an exception
    that the boundary translates into F001. No Python setting silences that hook, so file
    descriptor 2 goes to a temporary file while calamine runs. Afterwards whatever was written
    there before the panic text (another thread's output, say) is copied to the real stderr,
    and the panic text is dropped. A process with no usable descriptor 2 (a GUI launcher)
    runs the block as it is: nothing could reach a terminal anyway.
    """
    with _FD2:
        try:
            sys.stderr.flush()
        except (AttributeError, OSError, ValueError):
            pass
        try:
            saved = os.dup(2)
        except OSError:
            saved = -1
        if saved < 0:
            yield
            return
        try:
            with tempfile.TemporaryFile() as sink:
                os.dup2(sink.fileno(), 2)
                try:
                    yield
                finally:
                    with contextlib.suppress(AttributeError, OSError, ValueError):
                        sys.stderr.flush()
                    os.dup2(saved, 2)
                    sink.seek(0)
                    _replay(sink.read(), saved)
        finally:
            os.close(saved)


def _replay(captured: bytes, fd: int) -> None:
    """Write ``captured`` to ``fd`` up to the line where a Rust panic message starts (and the
    blank line Rust puts before it)."""
    at = captured.find(_PANIC)
    if at >= 0:
        captured = captured[: captured.rfind(b"\n", 0, at) + 1]
        if captured == b"\n" or captured.endswith(b"\n\n"):
            captured = captured[:-1]
    with contextlib.suppress(OSError):
        while captured:
            captured = captured[os.write(fd, captured) :]


def _load(data: bytes, kind: str, limits: Limits) -> list[ReturnedSheet]:
    """Parse from memory; when calamine's format auto-detection fails, ask the reader for the
    sniffed kind through a private temporary copy, which names the real cause: an encrypted
    xls (FILEPASS) or ods only reports "cannot detect file format" from memory."""
    try:
        with map_exceptions({Cause.ENCRYPTED: refuse}):
            book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except ReturnedFileError:
        raise
    except Exception:  # calamine cannot tell the format from memory: retried by name below
        book = None
    if book is not None:
        return _read_book(book, limits)
    suffix = "xlsx" if kind in ("xlsx", "xlsm") else kind
    # calamine, zip or decoding errors of a damaged file; an OSError of the temporary copy
    with map_exceptions(refuse, what="文件", unexpected=Cause.UNSUPPORTED):
        with tempfile.TemporaryDirectory(prefix="ledger-returned-") as tmp:
            copy = Path(tmp) / f"returned.{suffix}"
            copy.write_bytes(data)
            book = calamine.CalamineWorkbook.from_path(str(copy))
            return _read_book(book, limits)


def _read_book(book: calamine.CalamineWorkbook, limits: Limits) -> list[ReturnedSheet]:
    try:
        return _read_sheets(book, limits)
    finally:
        # closing a half-read workbook must not mask the real cause
        with contextlib.suppress(Exception):
            book.close()


# --- cells ---------------------------------------------------------------------------------

_VISIBILITY = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryhidden"}


def _read_sheets(book: calamine.CalamineWorkbook, limits: Limits) -> list[ReturnedSheet]:
    out: list[ReturnedSheet] = []
    with map_exceptions(refuse, what="文件", unexpected=Cause.UNSUPPORTED):
        metas = list(book.sheets_metadata)
    for meta in metas:
        if _enum_name(meta.typ) != "WorkSheet":
            continue  # chart sheets, dialog and macro sheets hold no form data
        visible = _VISIBILITY.get(_enum_name(meta.visible), "hidden")
        with map_exceptions(refuse, what=f"工作表「{meta.name}」", unexpected=Cause.UNSUPPORTED):
            sheet = book.get_sheet_by_name(meta.name)
            rows = _sheet_rows(sheet, limits)
            merged = [
                (r0, c0, r1, c1)
                for (r0, c0), (r1, c1) in getattr(sheet, "merged_cell_ranges", None) or []
            ]
        out.append(ReturnedSheet(meta.name, visible, rows, merged))
    return out


def _a1(row_idx: int, col_idx: int) -> str:
    letters = ""
    n = col_idx + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row_idx + 1}"


def _enum_name(value: object) -> str:
    return str(value).rsplit(".", 1)[-1]


def _sheet_rows(sheet: calamine.CalamineSheet, limits: Limits) -> list[list[object]]:
    start, end = sheet.start, sheet.end
    if start is None or end is None:
        return []
    n_rows, n_cols = end[0] + 1, end[1] + 1  # A1-anchored extent
    if n_rows > limits.max_rows:
        raise ReturnedFileError(
            "F003",
            f"工作表「{sheet.name}」行数过多（{n_rows} 行），超过上限 {limits.max_rows} 行",
        )
    if n_rows * n_cols > limits.max_cells:
        raise ReturnedFileError(
            "F003",
            f"工作表「{sheet.name}」数据区域过大（{n_rows} 行 × {n_cols} 列），"
            "请删除表格外无关的内容",
        )
    raw = sheet.to_python(skip_empty_area=False, nrows=n_rows)
    # calamine ≥ 0.2 pads the grid from A1; older versions start at the first used cell.
    if len(raw) == n_rows - start[0] and start[0] > 0:
        raw = [[] for _ in range(start[0])] + raw
    if start[1] > 0 and raw and max(len(r) for r in raw) == n_cols - start[1]:
        raw = [[""] * start[1] + list(r) for r in raw]
    rows = [_clean_row(r) for r in raw]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _clean_row(row: Sequence[object]) -> list[object]:
    out = [None if v == "" else v for v in row]
    while out and out[-1] is None:
        out.pop()
    return out
