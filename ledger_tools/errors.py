"""The flat exception family. Each type maps to one exit code in cli.py (SPEC §7).

Exceptions inherit the package base *and* the matching builtin, so callers may catch either;
a dependency's exceptions are translated into these at the boundary.
"""

from __future__ import annotations


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
