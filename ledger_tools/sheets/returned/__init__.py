"""Reading any file a unit sends back, safely.

``workbook.read_returned`` is the way in. On the way: ``sniff`` (may this file be opened at
all: type from the bytes, zip guard, encryption, macros), ``extents`` (is any sheet too big for
calamine's dense grid), then calamine in ``workbook``; ``limits`` holds the ``Limits`` and the
one ``ReturnedFileError``.
"""
