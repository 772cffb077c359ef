"""The threads a rewritten worksheet passes through, and what they hand to the loss guard."""

import zipfile

import pytest

from ledger_tools.sheets.ledger import streams
from ledger_tools.sheets.ledger.sheet_stream import BLOCK


def test_an_error_in_the_reading_or_writing_thread_is_raised_in_the_writer():
    """A worksheet is inflated and deflated by threads of their own (``read_ahead``,
    ``write_behind``): what goes wrong there (a damaged member, a full disk)
    is raised where the rows are made, as it would be without them."""

    class Damaged:
        def __init__(self):
            self.reads = 0

        def read(self, n=-1):
            self.reads += 1
            if self.reads > 2:
                raise zipfile.BadZipFile("Bad CRC-32")
            return b"x" * n

    with streams.read_ahead(Damaged()) as source:
        assert source.read(BLOCK) == b"x" * BLOCK
        source.read(BLOCK)
        with pytest.raises(zipfile.BadZipFile):
            source.read(BLOCK)
    written: list[bytes] = []

    def write(piece: bytes) -> None:
        if len(written) == 1:
            raise OSError(28, "No space left on device")
        written.append(piece)

    with pytest.raises(OSError) as full, streams.write_behind(write) as put:
        put(b"a")
        put(b"b")
    assert full.value.errno == 28 and written == [b"a"]


def test_a_part_read_ahead_reads_as_the_part_itself_in_any_sizes_and_the_thread_ends():
    """What ``read_ahead`` hands on is the member's bytes, whatever sizes are asked for; a
    reader that stops early (a row the writer is not sure of) leaves no thread behind."""
    import io
    import threading

    data = bytes(range(256)) * (3 * BLOCK // 256 + 7)
    seen: list[bytes] = []
    with streams.read_ahead(io.BytesIO(data)) as source:
        fed = streams.Fed(source, seen.append)
        got = fed.read(10) + fed.read(BLOCK) + fed.read(-1)
    assert got == data and b"".join(seen) == data
    with streams.read_ahead(io.BytesIO(data)) as source:
        source.read(5)
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
