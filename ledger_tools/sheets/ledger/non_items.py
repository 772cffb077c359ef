"""Rows of 台账 that are not decision items: a totals row, a header row pasted again, a blank row.

Staff keep their ledger the way they keep any table: a 合计 row at the bottom, the header row
copied under a block of data when printing, a separator row that carries nothing but the
drop-downs (事项类型 一般, 涉密 否) filled down past the last item. Read as items, such rows got
an id, 待交办 and 无需报送 written into them, were counted in the briefing, and a repeated header
had its header cells overwritten. This module is the one rule that tells them apart; the reader
keeps them out of the items, so every command leaves them alone and counts nothing in them.

The rule fails closed: a row is an item unless it positively looks like one of the three kinds,
and a row with any real text in 议定事项 or 主责单位 (not the header word, not a totals word, not
a bare number) is always an item, whatever else it holds. So an item with missing fields stays
an item and is reported (L304) rather than silently dropped.
"""

from __future__ import annotations

import re

from ledger_tools.sheets.ledger.schema import ITEMS
from ledger_tools.sheets.ledger.tables import Row, header_key

__all__ = ["TOTALS", "HEADER", "BLANK", "contents", "evidence", "kind_of"]

TOTALS, HEADER, BLANK = "合计行", "重复的表头行", "空行"

# 合计 / 总计 / 小计, also spaced out (合  计), with a colon or a note in brackets (合计（12项）).
_TOTALS = re.compile(r"^(合|总|小)\s*计\s*[:：]?\s*([(（].*[)）])?$")

# A count a totals row carries where the matter would be: 共 108 项, 共计108个事项, 12项. Alone it
# makes no item and no totals row either (such a row stays an item: fail closed); beside a
# totals word it is that row's count, not a decision.
_COUNT = re.compile(r"^(共\s*计?)?\s*\d+\s*(项|个|条|件)(事项)?\s*[。.]?$")

# The fields that make a row an item when they hold real text.
_DECISIVE = ("matter", "lead_unit")
# Fields whose value alone says nothing about an item: drop-downs staff fill down past the last
# row (事项类型, 涉密, 办理状态) and the columns the tool itself computes.
_NO_CONTENT = frozenset(
    {"kind", "confidential", "status"} | {c.field for c in ITEMS.columns if c.owner == "T"}
)
_HEADERS = {c.field: c.header for c in ITEMS.columns}
_HEADER_KEYS = {f: header_key(h) for f, h in _HEADERS.items()}
_NUMBERS = re.compile(r"[\d.,，\s]+")


def contents(row: Row) -> dict[str, object]:
    """Each of our cells that holds something, read or not (a header word in a choice or date
    column does not read, and is kept in ``bad``)."""
    out: dict[str, object] = {}
    for f, v in row.values.items():
        if v not in (None, "", []):
            out[f] = v
    out.update(row.bad)
    return out


def _is_totals(value: object) -> bool:
    return isinstance(value, str) and _TOTALS.match(value.strip()) is not None


def _is_header(f: str, value: object) -> bool:
    return isinstance(value, str) and header_key(value) == _HEADER_KEYS[f]


def _real_text(f: str, value: object) -> bool:
    if isinstance(value, list):  # a column read as a list of names
        value = "、".join(str(v) for v in value)
    if not isinstance(value, str):
        return value is not None and not isinstance(value, (int, float))
    text = value.strip()
    if not text or _is_totals(text) or _is_header(f, text) or _COUNT.match(text):
        return False
    return not _NUMBERS.fullmatch(text)


def evidence(row: Row, kind: str) -> dict[str, object]:
    """The cells that made ``kind_of`` say ``kind``, for the message: the totals word, the
    header words, or what a blank row holds."""
    texts = contents(row)
    if kind == HEADER:
        return {f: v for f, v in texts.items() if _is_header(f, v)}
    if kind == TOTALS:
        return {f: v for f, v in texts.items() if _is_totals(v)}
    return texts


def kind_of(row: Row) -> str | None:
    """TOTALS, HEADER or BLANK for a row that is not an item; None for an item (the default)."""
    for f in _DECISIVE:  # the common case, an item, decided from its two cells alone
        v = row.bad[f] if f in row.bad else row.values.get(f)
        if v not in (None, "", []) and _real_text(f, v):
            return None
    texts = contents(row)
    if any(_real_text(f, texts[f]) for f in _DECISIVE if f in texts):
        return None
    if sum(_is_header(f, v) for f, v in texts.items()) >= 2:
        return HEADER
    if any(_is_totals(v) for v in texts.values()):
        return TOTALS
    if all(f in _NO_CONTENT for f in texts):
        return BLANK
    return None
