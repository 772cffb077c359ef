"""事项编号 (SPEC §3): ``{年}-{来源代码}{会次:02}-{序号:02}``, e.g. 2026-CW12-01.

An id is circulated on forms and notices, so it must never come to mean another item: new ids
continue after the highest number of their prefix and gaps are not refilled. The year and the
meeting number are read from the row's 印发日期 and 来源名称 as staff type them (第十二次,
第 5 次, full-width digits).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ledger_tools.core.dates import chinese_number
from ledger_tools.core.model import Item

__all__ = ["ID_PATTERN", "assign_ids", "chinese_number", "item_id_prefix"]

# re.ASCII: full-width digits typed by staff must not pass as an id.
ID_PATTERN: re.Pattern[str] = re.compile(r"^\d{4}-(CW|ZT|PS)\d{2,}-\d{2,}\Z", re.ASCII)

_MEETING = re.compile(r"第\s*([0-9]+|[零〇一二两三四五六七八九十百]+)\s*次")
_YEAR_IN_NAME = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")


def _meeting_number(source_name: str) -> int:
    match = _MEETING.search(source_name)
    if not match:
        return 0
    text = match.group(1)
    return int(text) if text.isdigit() else chinese_number(text)


def item_id_prefix(item: Item) -> str:
    """``{年}-{来源代码}{会次:02}-``; ValueError when the row lacks what the id is made of."""
    if item.source_type is None:
        raise ValueError("来源类型未填写，无法编号")
    name = unicodedata.normalize("NFKC", item.source_name or "")
    if item.issued is not None:
        year = item.issued.year
    else:
        match = _YEAR_IN_NAME.search(name)
        if match is None:
            raise ValueError("印发日期未填写，来源名称中也没有年份，无法编号")
        year = int(match.group(1))
    meeting = _meeting_number(name)
    return f"{year:04d}-{item.source_type.code}{meeting:02d}-"


def _split_id(item_id: str) -> tuple[str, int] | None:
    """(prefix, sequence number) of a well-formed id."""
    if not ID_PATTERN.match(item_id):
        return None
    prefix, _, seq = item_id.rpartition("-")
    return prefix + "-", int(seq)


def assign_ids(items: Sequence[Item]) -> dict[int, str]:
    """New ids for rows with a blank 事项编号, continuing after the highest existing number.

    Gaps left by deleted rows are never refilled: an id once circulated on a form or notice
    must not come to mean another item.
    """
    highest: dict[str, int] = {}
    for item in items:
        parts = _split_id(item.id.strip()) if item.id else None
        if parts:
            prefix, seq = parts
            highest[prefix] = max(highest.get(prefix, 0), seq)
    assigned: dict[int, str] = {}
    for index, item in enumerate(items):
        if item.id is not None and item.id.strip():
            continue
        try:
            prefix = item_id_prefix(item)
        except ValueError:
            continue  # validate reports the missing source fields
        seq = highest.get(prefix, 0) + 1
        highest[prefix] = seq
        assigned[index] = f"{prefix}{seq:02d}"
    return assigned
