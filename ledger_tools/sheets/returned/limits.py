"""What a returned file may be, and the one error raised when it may not be read.

Shared by the gate (``sniff``: type, zip guard, encryption), the measuring of sheet areas
(``extents``) and the parser (``workbook``); it sits below all three so none imports another's
internals. Every failure is one ``ReturnedFileError`` carrying a finding code (F001 unreadable,
F002 encrypted, F003 too large) and a Chinese detail, so nothing raw reaches the user;
``refuse`` is the boundary policy (``sheets.boundary.map_exceptions``) that builds it from a
dependency's exception.
"""

from __future__ import annotations

from dataclasses import dataclass

from ledger_tools.core.findings import CATALOGUE, Finding, make
from ledger_tools.errors import LedgerError
from ledger_tools.sheets.boundary import Cause, Failure

__all__ = ["MIB", "Limits", "ReturnedFileError", "mb", "refuse"]

MIB = 1024 * 1024
MAX_MEMBERS = 10_000


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * MIB
    max_uncompressed_bytes: int = 200 * MIB  # sum of declared sizes in the zip directory
    max_ratio: float = 100.0  # per part over 1 MiB: declared uncompressed / compressed
    max_rows: int = 20_000  # per sheet, from row 1 to the last row holding a value
    max_cells: int = 2_000_000  # rows × columns of the A1-anchored grids, all sheets together
    max_members: int = MAX_MEMBERS


class ReturnedFileError(LedgerError, ValueError):
    """A returned file that cannot be read. ``str(e)`` is the finding's Chinese message."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(CATALOGUE[code].template.format(detail=detail, item="", sheet=""))

    def __reduce__(self):
        return (type(self), (self.code, self.detail))

    def finding(self, file: str | None = None) -> Finding:
        return make(self.code, file=file, detail=self.detail)


def refuse(failure: Failure) -> ReturnedFileError:
    """The boundary policy for returned files: encrypted is F002, too large F003, the rest
    F001 with the boundary's Chinese reason as detail (the finding names the file itself)."""
    if failure.cause is Cause.ENCRYPTED:
        return ReturnedFileError("F002")
    if failure.cause is Cause.TOO_LARGE:
        return ReturnedFileError("F003", failure.reason)
    return ReturnedFileError("F001", failure.reason)


def mb(n: int) -> str:
    """A size as a clerk reads it: 35.2 MB, 20 MB."""
    return f"{n / MIB:.1f} MB".replace(".0 MB", " MB")
