"""The 时限不明 colour rule, added to an older ledger's 督办预警 formatting (SPEC §8 owned change).

A ledger made before 时限不明 existed colours 逾期 and the other alerts on 督办预警 but not
时限不明, so an item whose deadline cannot be read would show uncoloured, looking less urgent
than it is. The first save adds the missing rule: red like 逾期 (``styles.ALERT_COLOURS``),
over the same range as the ledger's own 逾期 rule. Where the ledger has no 逾期 rule (staff
removed the alert colours, or formatted the column their own way) nothing is added: the rule
joins the tool's formatting, it does not impose one.

The package writer adds it as a ``<conditionalFormatting>`` block in the 台账 part and one
``<dxf>`` in styles.xml; the openpyxl fallback adds the same rule to the workbook.
"""

from __future__ import annotations

import html
import re
from typing import Any

from ledger_tools.sheets import styles

__all__ = ["LIKE", "VALUE", "add_to_workbook", "dxf_xml", "missing_rule_range", "with_rule"]

VALUE = "时限不明"
LIKE = "逾期"  # the rule whose range the new one takes
_BLOCK = re.compile(rb"<conditionalFormatting\b[^>]*>.*?</conditionalFormatting>", re.S)
_SQREF = re.compile(rb'\ssqref="([^"]*)"')
_FORMULA = re.compile(rb"<formula>([^<]*)</formula>")
_PRIORITY = re.compile(rb'\spriority="(\d+)"')


def _formulas(block: bytes) -> set[str]:
    """The formulas of a block's rules as text: the XML may write 逾期 as it is, as character
    references (openpyxl writes ``&#36926;&#26399;``) and its quotes as ``&quot;``."""
    return {html.unescape(f.decode("utf-8", "replace")).strip() for f in _FORMULA.findall(block)}


def missing_rule_range(tail: bytes) -> str | None:
    """The range to colour 时限不明 on, when the worksheet's part after ``</sheetData>`` has the
    ledger's 逾期 rule and no 时限不明 rule; None when nothing is to be added."""
    like, have = f'"{LIKE}"', f'"{VALUE}"'
    found = None
    for block in _BLOCK.findall(tail):
        formulas = _formulas(block)
        if have in formulas:
            return None
        if found is None and like in formulas:
            sqref = _SQREF.search(block)
            found = sqref.group(1).decode() if sqref else None
    return found


def dxf_xml() -> str:
    fill, font = styles.ALERT_COLOURS[VALUE]
    return (
        f'<dxf><font><color rgb="00{font}"/></font><fill><patternFill patternType="solid">'
        f'<fgColor rgb="00{fill}"/><bgColor rgb="00{fill}"/></patternFill></fill></dxf>'
    )


def with_rule(tail: bytes, sqref: str, dxf_id: int) -> bytes:
    """``tail`` with the 时限不明 rule as a block of its own after the last existing block (the
    schema's place for conditional formatting), its priority after every other rule's."""
    blocks = list(_BLOCK.finditer(tail))
    if not blocks:
        return tail
    priority = max((int(p) for p in _PRIORITY.findall(tail)), default=0) + 1
    rule = (
        f'<conditionalFormatting sqref="{sqref}"><cfRule type="cellIs" dxfId="{dxf_id}" '
        f'priority="{priority}" operator="equal"><formula>&quot;{VALUE}&quot;</formula>'
        f"</cfRule></conditionalFormatting>"
    ).encode()
    at = blocks[-1].end()
    return tail[:at] + rule + tail[at:]


def add_to_workbook(ws: Any) -> bool:
    """The same rule on an openpyxl worksheet (the fallback's save); True when added."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill

    target = None
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            formula = list(rule.formula or ())
            if formula == [f'"{VALUE}"']:
                return False
            if target is None and formula == [f'"{LIKE}"']:
                target = str(cf.sqref)
    if target is None:
        return False
    fill, font = styles.ALERT_COLOURS[VALUE]
    ws.conditional_formatting.add(
        target,
        CellIsRule(
            operator="equal",
            formula=[f'"{VALUE}"'],
            fill=PatternFill("solid", fgColor=fill, bgColor=fill),
            font=Font(color=font),
        ),
    )
    return True
