"""Findings about the ledger's own shape that every command must show, not only ``validate``.

A totals row left alone (L316), a disputed 工作日历 date (L317), a merged range in a column the
tool writes and so left stale (L315): each command reads the ledger through ``read_ledger`` and
writes it through ``Table``, but each returns its own result type, and a warning about the
ledger must reach the clerk whatever command was run. So the reading and writing code hands
such findings to the sink the face installed for the run (``collecting``), the way
``sheets.files.long_path_warnings`` does for long paths; the face prints them once, and an
error among them (a write left undone) makes the command end with exit 1. Without a sink
(a job called from code) they are dropped here and still found in the job's own result.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar

from ledger_tools.core.findings import Finding

__all__ = ["advise", "collecting"]

Sink = Callable[[Finding], None]
_SINK: ContextVar[Sink | None] = ContextVar("ledger_advisories", default=None)


@contextlib.contextmanager
def collecting(sink: Sink) -> Iterator[None]:
    """Send the advisories of the code run inside the block to ``sink`` (an inner block wins)."""
    token = _SINK.set(sink)
    try:
        yield
    finally:
        _SINK.reset(token)


def advise(findings: Iterable[Finding]) -> None:
    sink = _SINK.get()
    if sink is None:
        return
    for f in findings:
        sink(f)
