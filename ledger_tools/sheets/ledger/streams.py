"""A worksheet's bytes on their way through the package writer.

A rewritten worksheet is inflated and deflated by threads of their own while its rows are
made (zlib releases the GIL: on two cores the rows of one block are made while the next block
is inflated and the last output deflated), and what is read and written is handed to the loss
guard's counter (``loss_guard.PartCount``) on the way, so that the save check need not
inflate the parts again.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator

from ledger_tools.sheets.ledger.sheet_stream import BLOCK, Source

__all__ = ["Fed", "fed", "read_ahead", "write_behind"]

# At most this many blocks wait in each direction.
_WAITING = 4


class _Queued:
    """The blocks a ``read_ahead`` thread has read, as a ``Source``."""

    def __init__(self, blocks: queue.Queue[bytes | BaseException]):
        self.blocks = blocks
        self.rest = b""
        self.ended = False

    def read(self, n: int = -1, /) -> bytes:
        while not self.ended and (n < 0 or len(self.rest) < n):
            block = self.blocks.get()
            if isinstance(block, BaseException):
                raise block
            self.ended = not block
            self.rest += block
        if n < 0:
            n = len(self.rest)
        data, self.rest = self.rest[:n], self.rest[n:]
        return data


@contextlib.contextmanager
def read_ahead(member: Source) -> Iterator[Source]:
    """``member`` read a few blocks ahead by a thread; an error there is raised on reading."""
    blocks: queue.Queue[bytes | BaseException] = queue.Queue(_WAITING)
    stop = threading.Event()

    def put(item: bytes | BaseException) -> None:
        while not stop.is_set():
            with contextlib.suppress(queue.Full):
                blocks.put(item, timeout=0.05)
                return

    def run() -> None:
        try:
            while not stop.is_set():
                block = member.read(BLOCK)
                put(block)
                if not block:
                    return
        except BaseException as e:  # noqa: BLE001 - handed to the reader, which raises it
            put(e)

    reader = threading.Thread(target=run, name="read-ahead", daemon=True)
    reader.start()
    try:
        yield _Queued(blocks)
    finally:
        stop.set()
        reader.join()


@contextlib.contextmanager
def write_behind(write: Callable[[bytes], object]) -> Iterator[Callable[[bytes], None]]:
    """``write`` done by a thread, in order, while the caller goes on; an error there is
    raised at the caller's next write or when the block ends."""
    pieces: queue.Queue[bytes | None] = queue.Queue(_WAITING)
    failed: list[BaseException] = []

    def run() -> None:
        while (piece := pieces.get()) is not None:
            if not failed:
                try:
                    write(piece)
                except BaseException as e:  # noqa: BLE001 - raised in the caller
                    failed.append(e)

    def put(piece: bytes) -> None:
        if failed:
            raise failed[0]
        pieces.put(piece)

    writer = threading.Thread(target=run, name="write-behind", daemon=True)
    writer.start()
    try:
        yield put
    finally:
        pieces.put(None)
        writer.join()
    if failed:
        raise failed[0]


class Fed:
    """A part read, each block handed to ``feed`` as well."""

    def __init__(self, source: Source, feed: Callable[[bytes], None]):
        self.source, self.feed = source, feed

    def read(self, n: int = -1, /) -> bytes:
        data = self.source.read(n)
        self.feed(data)
        return data


def fed(write: Callable[[bytes], object], feed: Callable[[bytes], None]) -> Callable[[bytes], None]:
    """``write``, each piece handed to ``feed`` as well."""

    def both(data: bytes) -> None:
        feed(data)
        write(data)

    return both
