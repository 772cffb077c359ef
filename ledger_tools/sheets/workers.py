"""Writing independent output files in worker processes, on every platform.

A hundred feedback forms, or a briefing's Word document beside its workbook, are independent
files, and on two cores they are written in about half the time. ``concurrent.futures`` does
the work with whatever start method the platform uses (fork on Linux, spawn on Windows and
macOS), so what runs in a worker is a top-level function whose arguments pickle. An error in a
worker is raised here as it was raised there: the same Chinese ``LedgerError`` the command
would have given in-process. With fewer than two cores or two calls the calls simply run here.

A worker ignores Ctrl-C (the command stops them: pending calls are cancelled and running ones
finish their file, which is written atomically, so nothing is left half written), and ends
itself when the command's process is gone, so it never outlives the command.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import itertools
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed, wait
from typing import Any

__all__ = [
    "START_METHOD",
    "in_background",
    "map_ahead",
    "map_all",
    "run_all",
    "SpareWorker",
    "spare_worker",
    "usable_cores",
]

START_METHOD: str | None = None  # the platform's default; tests set "spawn" to try Windows' way


def usable_cores() -> int:
    """The cores this process may use: a container's CPU set, not the host's count."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(START_METHOD),
        initializer=_worker_started,
    )


def _worker_started() -> None:
    """In each worker: leave Ctrl-C to the command, and end when the command's process ends.

    A forked worker inherits the command's whole heap (the ledger read); freezing it keeps the
    garbage collector from walking (and copying) those pages on every collection, which
    otherwise cost a tenth of the CPU time of `ledger forms` at 100 units.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()


def _exit_with(sentinel: Any) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _stop(pool: ProcessPoolExecutor) -> None:
    pool.shutdown(wait=True, cancel_futures=True)


def run_all(
    fn: Callable[..., object],
    calls: Sequence[tuple],
    *,
    workers: int,
    done: Callable[[int], None] | None = None,
) -> None:
    """``fn(*args)`` for every ``args`` in ``calls``, in up to ``workers`` processes.

    ``done(index)`` runs here after each call (a progress bar). The first error stops the rest
    (calls not started are cancelled) and is raised.
    """
    if workers < 2 or len(calls) < 2:
        for index, args in enumerate(calls):
            fn(*args)
            if done:
                done(index)
        return
    pool = _pool(min(workers, len(calls)))
    try:
        index_of: dict[Future, int] = {pool.submit(fn, *args): n for n, args in enumerate(calls)}
        for future in as_completed(index_of):
            future.result()  # raises the worker's error
            if done:
                done(index_of[future])
    finally:
        _stop(pool)


def map_all(fn: Callable[..., Any], calls: Sequence[tuple], *, workers: int) -> list[Any]:
    """``[fn(*args) for args in calls]``, in up to ``workers`` processes, results in order (the
    returned forms of a merge are read on both cores). ``fn`` and its results must pickle; the
    first error stops the rest and is raised."""
    if workers < 2 or len(calls) < 2:
        return [fn(*args) for args in calls]
    pool = _pool(min(workers, len(calls)))
    try:
        futures = [pool.submit(fn, *args) for args in calls]
        return [f.result() for f in futures]
    finally:
        _stop(pool)


@contextlib.contextmanager
def map_ahead(
    fn: Callable[..., Any], calls: Sequence[tuple], *, workers: int, window: int = 32
) -> Iterator[Callable[[], Iterator[Any]]]:
    """``map_all`` begun on entry while the block goes on here: the block gets a function that
    gives the results one by one, in order (waiting for what is not done yet; a worker's error
    is raised there).

    At most ``window`` calls are under way or done but not yet handed over: the workers read
    that far ahead while the block does other work (merge reads the ledger meanwhile), then
    one more call starts as each result is taken, and each is let go here once handed over.
    So the caller holds a bounded number of results, however many calls there are. Leaving the block cancels what has not
    started. With fewer than two cores or calls the calls run here, as asked for."""
    if workers < 2 or len(calls) < 2:
        yield lambda: (fn(*args) for args in calls)
        return
    pool = _pool(min(workers, len(calls)))
    try:
        todo = iter(calls)
        pending = collections.deque(
            pool.submit(fn, *args) for args in itertools.islice(todo, window)
        )

        def results() -> Iterator[Any]:
            while pending:
                future = pending.popleft()
                following = next(todo, None)
                if following is not None:  # keep the workers busy while this one is used
                    pending.append(pool.submit(fn, *following))
                yield future.result()

        yield results
    finally:
        _stop(pool)


@contextlib.contextmanager
def in_background(fn: Callable[..., object], *args: object) -> Iterator[None]:
    """Run ``fn(*args)`` in a worker process while the block runs here; its error is raised
    after the block. With one core, the call simply runs first, here."""
    if usable_cores() < 2:
        fn(*args)
        yield
        return
    pool = _pool(1)
    try:
        future = pool.submit(fn, *args)
        yield
        future.result()
    finally:
        _stop(pool)  # even when the block failed: the worker's file is finished or never begun


def _started() -> None:
    """Nothing: the call that makes a pool start its worker."""


class SpareWorker:
    """One worker process, started before its work is known (``spare_worker``)."""

    def __init__(self, pool: ProcessPoolExecutor | None) -> None:
        self._pool = pool

    def ahead(self, fn: Callable[[], object]) -> None:
        """Run ``fn()`` there now, while this process goes on (the imports a later call will
        need); its result is not waited for, and an error in it is left for that call to meet
        again. Nothing, with one core (the call will import what it needs, here)."""
        if self._pool is not None:
            self._pool.submit(fn)

    @contextlib.contextmanager
    def background(self, fn: Callable[..., object], *args: object) -> Iterator[None]:
        """``in_background`` in this worker: ``fn(*args)`` there while the block runs here,
        its error raised after the block. With one core the call simply runs first, here."""
        if self._pool is None:
            with in_background(fn, *args):
                yield
            return
        future = self._pool.submit(fn, *args)
        try:
            yield
        finally:  # the call is over before the caller goes on, whatever happened here
            wait([future])
        future.result()


@contextlib.contextmanager
def spare_worker() -> Iterator[SpareWorker]:
    """A worker process started now, while this process is small (forking it later, with the
    ledger read, costs more), for calls whose arguments are known only later: the briefing's
    Word document, its imports done ahead (``SpareWorker.ahead``) while the ledger is read.
    Leaving the block stops it as ``in_background`` does. With one core nothing is started."""
    if usable_cores() < 2:
        yield SpareWorker(None)
        return
    pool = _pool(1)
    try:
        pool.submit(_started)
        yield SpareWorker(pool)
    finally:
        _stop(pool)
