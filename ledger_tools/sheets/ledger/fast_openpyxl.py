"""Loading a workbook with openpyxl faster than stock openpyxl, with the very same result.

Used by ``LedgerFile`` for every open that may save (refresh, merge, brief, notices ...): on a
10,000-item ledger the two shortcuts below take the load from about 9 s to 5 s of CPU. Both are
switched on only for the duration of one load (``faster_openpyxl_load``) and hand everything
they do not cover back to openpyxl's own code.
"""

from __future__ import annotations

import contextlib
import re
from xml.etree import ElementTree

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet import _reader as _worksheet_reader
from openpyxl.worksheet._reader import WorkSheetParser

__all__ = ["faster_openpyxl_load"]

# openpyxl (3.1) writes every text cell as an inline string, and reads each one back through
# its generic ``Text.from_tree`` object mapper: on a 10,000-item ledger that is a third of the
# load time. The plain case, ``<is><t>text</t></is>`` without formula or rich text, is read
# directly here with exactly the value openpyxl would give; everything else goes to openpyxl.

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_INLINE_TAG, _TEXT_TAG, _FORMULA_TAG = (f"{{{_MAIN_NS}}}{t}" for t in ("is", "t", "f"))
_stock_parse_cell = WorkSheetParser.parse_cell


def _parse_cell(self: WorkSheetParser, element) -> dict:
    if element.get("t") != "inlineStr" or self.rich_text:
        return _stock_parse_cell(self, element)
    inline = element.find(_INLINE_TAG)
    if (
        inline is None
        or len(inline) != 1
        or inline[0].tag != _TEXT_TAG
        or len(inline[0])
        or element.find(_FORMULA_TAG) is not None
    ):
        return _stock_parse_cell(self, element)
    style_id = element.get("s", 0)
    if style_id:
        style_id = int(style_id)
    coordinate = element.get("r")
    if coordinate:
        row, column = coordinate_to_tuple(coordinate)
        self.col_counter = column
    else:
        self.col_counter += 1
        row, column = self.row_counter, self.col_counter
    return {
        "row": row,
        "column": column,
        "value": inline[0].text or "",
        "data_type": "s",
        "style_id": style_id,
    }


# openpyxl parses worksheets with defusedxml's iterparse, which runs the pure-Python expat
# handlers of ElementTree: another sixth of the load. defusedxml is there to refuse DTDs that
# declare entities; a DTD can only stand before the root element, so a worksheet whose root
# starts in the first bytes without any "<!DOCTYPE"/"<!ENTITY" before it has none, and the C
# parser reads it with the same result. Anything else still goes through defusedxml.

_PROLOG_BYTES = 1 << 16
_ROOT_START = re.compile(rb"<[A-Za-z_]")


class _Prefixed:
    """A binary stream with some bytes already read from it put back in front."""

    def __init__(self, head: bytes, rest):
        self._head, self._rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data, self._head = self._head + self._rest.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._rest.read(size)


def _iterparse(source, *args, **kwargs):
    head = source.read(_PROLOG_BYTES)
    root = _ROOT_START.search(head)
    stream = _Prefixed(head, source)
    if root is None or b"<!DOCTYPE" in head[: root.start()] or b"<!ENTITY" in head:
        return _stock_iterparse(stream, *args, **kwargs)
    return ElementTree.iterparse(stream, *args, **kwargs)


_stock_iterparse = _worksheet_reader.iterparse


@contextlib.contextmanager
def faster_openpyxl_load():
    """The direct inline-string reader and the C XML parser, for the duration of one load."""
    WorkSheetParser.parse_cell = _parse_cell
    _worksheet_reader.iterparse = _iterparse
    try:
        yield
    finally:
        WorkSheetParser.parse_cell = _stock_parse_cell
        _worksheet_reader.iterparse = _stock_iterparse
