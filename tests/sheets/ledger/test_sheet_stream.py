"""One worksheet part streamed with some cells changed, block by block."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from ledger_tools.sheets.ledger import sheet_stream
from ledger_tools.sheets.ledger.changes import CellWrite, SheetChanges
from ledger_tools.sheets.ledger.sheet_stream import Unsupported

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


def _run(xml: bytes, changes: SheetChanges, block: int, flush: int = 1 << 20) -> bytes:
    out = io.BytesIO()
    saved = sheet_stream.BLOCK, sheet_stream.FLUSH
    sheet_stream.BLOCK, sheet_stream.FLUSH = block, flush
    try:
        sheet_stream.rewrite_sheet(io.BytesIO(xml), out.write, changes, _Formats())
    finally:
        sheet_stream.BLOCK, sheet_stream.FLUSH = saved
    return out.getvalue()


@pytest.mark.parametrize("block,flush", [(7, 1), (64, 40), (1 << 18, 1 << 20)])
def test_only_the_written_cells_change_and_appended_rows_extend_the_ranges(block, flush):
    changes = SheetChanges()
    changes.put(1, 2, "x <&>")
    changes.put(2, 1, 5.5)
    changes.appending_after(3)
    changes.put(5, 2, 3, "0.0%")
    got = _run(HEAD + ROWS + TAIL, changes, block, flush)
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


@pytest.mark.parametrize("block", [5, 1 << 18])
def test_untouched_rows_are_copied_as_they_were(block):
    rows = b"".join(
        b'<row r="%d" spans="1:2"><c r="A%d"><v>%d</v></c></row>' % (r, r, 100 + r)
        for r in range(4, 60)
    )
    changes = SheetChanges()
    changes.put(2, 1, 9)
    changes.put(30, 2, 7)
    got = _run(HEAD + ROWS + rows + TAIL, changes, block, flush=100)
    touched = b'<row r="30"><c r="A30"><v>130</v></c><c r="B30"><v>7</v></c></row>'
    assert touched in got
    assert (
        got.replace(b"<v>9</v>", b"<v>1</v>").replace(
            touched, b'<row r="30" spans="1:2"><c r="A30"><v>130</v></c></row>'
        )
        == HEAD.replace(b"A1:C3", b"A1:C30") + ROWS + rows + TAIL
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


def test_an_appended_row_holds_each_kind_of_value_as_excel_reads_it():
    changes = SheetChanges()
    for col, (value, code) in enumerate(
        [
            (" 前后有空格 ", None),
            ("a\rb & <c>", None),
            (True, None),
            (12, "0"),
            (0.25, "0.0%"),
            (dt.date(2026, 11, 20), "yyyy-mm-dd"),
            (dt.datetime(2026, 11, 20, 9, 30), "yyyy-mm-dd hh:mm"),
            (None, "yyyy-mm-dd"),  # nothing to write: no cell
        ],
        start=1,
    ):
        changes.put(9, col, value, code)
    got = _run(HEAD + ROWS + TAIL, changes, 1 << 18)
    assert (
        '<row r="9"><c r="A9" t="inlineStr"><is><t xml:space="preserve"> 前后有空格 </t></is></c>'
        '<c r="B9" t="inlineStr"><is><t>a&#13;b &amp; &lt;c&gt;</t></is></c>'
        '<c r="C9" t="b"><v>1</v></c><c r="D9" s="40"><v>12</v></c><c r="E9" s="40"><v>0.25</v></c>'
        '<c r="F9" s="40"><v>46346</v></c><c r="G9" s="40"><v>46346.395833333336</v></c></row>'
    ).encode() in got


@pytest.mark.parametrize(
    "day,serial",
    [
        (dt.date(1900, 2, 28), b"59"),
        (dt.date(1900, 3, 1), b"61"),
        (dt.date(2026, 11, 20), b"46346"),
    ],
)
def test_dates_are_the_serials_excel_counts(day, serial):
    """1900's phantom 29 February counted, as Excel (and openpyxl) do."""
    changes = SheetChanges()
    changes.put(2, 2, day)
    assert b'<c r="B2"><v>' + serial + b"</v></c>" in _run(HEAD + ROWS + TAIL, changes, 64)


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        "控制\x07字符",
        object(),
        dt.date(1899, 12, 31),
        dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc),
    ],
    ids=["nan", "inf", "control", "object", "before-1900", "time-zone"],
)
def test_a_value_it_cannot_write_is_refused(value):
    changes = SheetChanges()
    changes.put(9, 1, value)
    with pytest.raises(Unsupported):
        _run(HEAD + ROWS + TAIL, changes, 64)


# merge_row cuts a plain row only where the written columns are; any other row goes cell by
# cell. Both ways must give the same row, or both refuse it.
ODD_ROWS = [
    b'<row r="7" spans="1:5"><c r="A7" t="s"><v>0</v></c><c r="C7" s="3"><v>2</v></c><c r="E7"/></row>',
    b'<row r="7"><c r="A7"><v>1</v></c>\n  <c r="D7" s="2"><v>4</v></c> </row>',  # spaced out
    b'<row r="7"><c r="D7"><v>4</v></c><c r="A7"><v>1</v></c></row>',  # out of column order
    b'<row r="7"><c r="A7"><v>1</v></c><c r="A7"><v>2</v></c></row>',  # one column twice
    b'<row r="7" ht="20" customHeight="1"/>',
    b'<row r="7">  </row>',
    (
        '<row r="7"><c s="4" t="inlineStr" r="B7"><is><r><rPr><b/></rPr><t>富</t></r><r><t>文本</t>'
        '</r></is></c><c r="C7" t="str"><f>B7&amp;"&lt;/c"</f><v>x</v></c><c r="AA7" s="9"/></row>'
    ).encode(),
    b'<row r="7"><c r="B7" s="5"><f>A7*2</f><v>2</v></c><c r="C7" vm="1"><v>0</v></c></row>',
    b'<row r="7"><c r="A7"><v>1</v></c>text<c r="B7"/></row>',
    b'<row r="7"><c r="A7"><v>1</v></c><c><v>2</v></c></row>',
    b'<row r="7"><c r="A8"><v>1</v></c></row>',
    b'<row r="7"><c r="B7"><f t="shared" ref="B7:B9" si="0">A7</f><v>1</v></c></row>',
]
WRITES = [
    {2: CellWrite("新"), 4: CellWrite(None)},
    {3: CellWrite(5, "0.0%"), 27: CellWrite(dt.date(2026, 11, 20), "yyyy-mm-dd")},
    {1: CellWrite("表头", style_like=3), 6: CellWrite(None, style_like=27)},
    {26: CellWrite(1.5), 28: CellWrite(True)},
]


def _either(merge, row: bytes, writes: dict) -> bytes | type:
    try:
        return merge(row, writes)
    except Unsupported:
        return Unsupported


@pytest.mark.parametrize("row", ODD_ROWS, ids=range(len(ODD_ROWS)))
@pytest.mark.parametrize("writes", WRITES, ids=range(len(WRITES)))
def test_a_row_cut_where_it_is_written_is_the_row_merged_cell_by_cell(row, writes):
    def by_cells(row: bytes, writes: dict) -> bytes:
        head, body = sheet_stream._row_head(row)
        return sheet_stream._merge_row_cell_by_cell(head, body, 7, writes, _Formats())

    fast = _either(lambda r, w: sheet_stream.merge_row(r, 7, w, _Formats()), row, writes)
    assert fast == _either(by_cells, row, writes)
    if fast is not Unsupported:
        assert b"spans" not in fast and re.match(rb"<row\b[^>]*[^/]>", fast)


def test_appended_rows_made_with_the_dates_remembered_are_the_rows_made_one_by_one():
    """A log's stamps and days repeat row after row: their cell text is made once per sheet,
    and every row reads as if made alone (a date, a datetime of the same day, text, a bool,
    a number, an empty cell)."""
    day, stamp = dt.date(2026, 11, 24), dt.datetime(2026, 11, 24, 9, 30)
    rows = [
        {
            1: CellWrite(stamp, "yyyy-mm-dd hh:mm"),
            2: CellWrite(day, "yyyy-mm-dd"),
            3: CellWrite(dt.datetime(2026, 11, 24), "yyyy-mm-dd"),
            4: CellWrite(f"第{n}行"),
            5: CellWrite(n % 2 == 0),
            6: CellWrite(float(n)),
            7: CellWrite(None),
        }
        for n in range(4)
    ]
    dates: dict = {}
    made = [sheet_stream._new_row(r, w, _Formats(), dates) for r, w in enumerate(rows, 5)]
    assert made == [sheet_stream._new_row(r, w, _Formats()) for r, w in enumerate(rows, 5)]
    assert len(dates) == 3 and b'<c r="G5"' not in made[0]
    assert made[0].startswith(b'<row r="5"><c r="A5" s="40"><v>46350.395833333336</v></c>')
