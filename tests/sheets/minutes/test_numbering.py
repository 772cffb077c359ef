"""Word's automatic numbering rendered as the reader sees it, from numbering.xml bytes."""

from __future__ import annotations

from xml.etree.ElementTree import fromstring

from ledger_tools.sheets.minutes.numbering import Numbering

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _numbering(levels: str, nums: str) -> bytes:
    return (f'<w:numbering {W}><w:abstractNum w:abstractNumId="0">{levels}</w:abstractNum>'
            f"{nums}</w:numbering>").encode()  # fmt: skip


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1) -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:suff w:val="nothing"/></w:lvl>')  # fmt: skip


def _ppr(num_id: str, ilvl: int):
    return fromstring(
        f'<w:pPr {W}><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
    )


LEVELS = _lvl(0, "chineseCounting", "%1、") + _lvl(1, "chineseCounting", "（%2）")


def test_chinese_headings_and_items_restart_under_each_heading():
    n = Numbering(
        _numbering(LEVELS, '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'), None
    )
    labels = [n.label(_ppr("1", ilvl)) for ilvl in (0, 1, 1, 0, 1)]
    assert labels == ["一、", "（一）", "（二）", "二、", "（一）"]


def test_two_lists_of_one_abstract_continue_unless_restarted():
    nums = (
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="0"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    )
    n = Numbering(_numbering(LEVELS, nums), None)
    assert [n.label(_ppr(i, 0)) for i in ("1", "2", "3")] == ["一、", "二、", "一、"]


def test_no_list_no_label_and_numid_zero_switches_numbering_off():
    n = Numbering(
        _numbering(LEVELS, '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'), None
    )
    assert n.label(None) == ""
    assert n.label(_ppr("0", 0)) == ""
    assert n.label(_ppr("9", 0)) == ""  # a list the part does not define


def test_decimal_with_a_tab_gets_a_space_and_counts_from_its_start():
    levels = _lvl(0, "decimal", "%1.", start=3).replace('<w:suff w:val="nothing"/>', "")
    n = Numbering(
        _numbering(levels, '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'), None
    )
    assert [n.label(_ppr("1", 0)) for _ in range(2)] == ["3. ", "4. "]
