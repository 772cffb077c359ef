"""A1 cell references from 0-based indices, and back.

Findings name cells the way a clerk reads them in Excel ("K7"), while readers index rows and
columns from 0; this is the one place the two meet.
"""

from __future__ import annotations

import re

__all__ = ["MAX_COLS", "MAX_ROWS", "a1", "column_letter", "parse_a1"]

MAX_ROWS = 1_048_576
MAX_COLS = 16_384

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")


def column_letter(col_idx: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA", 16383 → "XFD"."""
    if not 0 <= col_idx < MAX_COLS:
        raise ValueError(f"column index out of range: {col_idx}")
    letters = ""
    n = col_idx + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row_idx: int, col_idx: int) -> str:
    """0-based (row, column) → "A1"-style reference: a1(0, 0) == "A1", a1(6, 10) == "K7"."""
    if not 0 <= row_idx < MAX_ROWS:
        raise ValueError(f"row index out of range: {row_idx}")
    return f"{column_letter(col_idx)}{row_idx + 1}"


def parse_a1(ref: str) -> tuple[int, int]:
    """ "K7" (or "$K$7", any case) → 0-based (6, 10)."""
    m = _A1.match(ref.strip())
    if not m:
        raise ValueError(f"not an A1 reference: {ref!r}")
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    row = int(m.group(2))
    if col > MAX_COLS or row > MAX_ROWS:
        raise ValueError(f"A1 reference out of range: {ref!r}")
    return row - 1, col - 1
