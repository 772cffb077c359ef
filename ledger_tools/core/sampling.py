"""Spot checks (Art. 7: 随机抽查、实地检查): which finished items may be drawn, and the draw."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from ledger_tools.core.model import Item, Status

__all__ = ["draw_sample", "spot_check_candidates"]


def spot_check_candidates(items: Iterable[Item]) -> list[Item]:
    """Items a unit reported finished that the office has not struck off yet, by 事项编号."""
    found = [i for i in items if i.id and i.status is Status.DONE and i.closed_date is None]
    return sorted(found, key=lambda i: i.id or "")


def draw_sample(candidates: Sequence[Item], n: int, seed: int) -> list[Item]:
    """A reproducible draw: the same ledger and seed give the same items, in 事项编号 order.

    Candidates are sorted by id before drawing, so the order of rows in the sheet (which staff
    may sort any way they like) does not change the draw.
    """
    pool = sorted(candidates, key=lambda i: i.id or "")
    if n >= len(pool):
        return pool
    picked = random.Random(seed).sample(pool, n)
    return sorted(picked, key=lambda i: i.id or "")
