"""One worksheet part streamed with some cells changed, block by block."""

from __future__ import annotations

import io

import pytest

from ledger_tools.sheets.ledger import sheet_stream
from ledger_tools.sheets.ledger.changes import SheetChanges
from ledger_tools.sheets.ledger.sheet_patch import Unsupported

HEAD = (
    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="A1:C3"/><sheetData>'
)
ROWS = (
    b'<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="C1" s="2"><f>A1</f><v>7</v></c></row>'
    b'<row r="2"><c r="A2"><v>1</v></c></row><row r="3"/>'
)
TAIL = b'</sheetData><autoFilter ref="A1:C3"/><conditionalFormatting sqref="B2:B3 D9:D99"/></worksheet>'


class _Formats:
    def with_format(self, base: int, code: str) -> int:
        return 40 + base


def _run(xml: bytes, changes: SheetChanges, block: int) -> bytes:
    out = io.BytesIO()
    saved, sheet_stream.BLOCK = sheet_stream.BLOCK, block
    try:
        sheet_stream.rewrite_sheet(io.BytesIO(xml), out.write, changes, _Formats())
    finally:
        sheet_stream.BLOCK = saved
    return out.getvalue()


@pytest.mark.parametrize("block", [7, 64, 1 << 18])
def test_only_the_written_cells_change_and_appended_rows_extend_the_ranges(block):
    changes = SheetChanges()
    changes.put(1, 2, "x <&>")
    changes.put(2, 1, 5.5)
    changes.appending_after(3)
    changes.put(5, 2, 3, "0.0%")
    got = _run(HEAD + ROWS + TAIL, changes, block)
    assert got.startswith(HEAD.replace(b"A1:C3", b"A1:C5"))
    assert (
        b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>x &lt;&amp;&gt;</t>'
        b'</is></c><c r="C1" s="2"><f>A1</f><v>7</v></c></row>'
    ) in got
    assert (
        b'<row r="2"><c r="A2"><v>5.5</v></c></row><row r="3"/><row r="5"><c r="B5" s="40"><v>3</v></c></row></sheetData>'
        in got
    )
    assert got.endswith(
        b'<autoFilter ref="A1:C5"/><conditionalFormatting sqref="B2:B5 D9:D99"/></worksheet>'
    )


def test_untouched_rows_are_copied_as_they_were():
    changes = SheetChanges()
    changes.put(2, 1, 9)
    assert (
        _run(HEAD + ROWS + TAIL, changes, 5).replace(b"<v>9</v>", b"<v>1</v>") == HEAD + ROWS + TAIL
    )


@pytest.mark.parametrize(
    "rows",
    [
        b'<row r="2"><c r="A2"><v>1</v></c></row><row r="1"/>',  # out of order
        b'<row><c r="A2"><v>1</v></c></row>',  # no number
        b'<row r="2"><c><v>1</v></c></row>',  # a cell without its reference
        b'<row r="2"><c r="A2"><f t="shared" ref="A2:A9" si="0">B2</f><v>1</v></c></row>',
    ],
    ids=["order", "row-number", "cell-ref", "shared-formula"],
)
def test_what_it_is_not_sure_of_is_refused(rows):
    changes = SheetChanges()
    changes.put(2, 1, 9)
    with pytest.raises(Unsupported):
        _run(HEAD + rows + TAIL, changes, 1 << 18)
