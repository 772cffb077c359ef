"""Confidential items (涉密 = 是) in files meant for circulation (SPEC §3).

They are counted everywhere but their content never leaves the office: in circulated files an
item is shown only as 「涉密事项」 with its 事项编号, unless the caller explicitly includes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ledger_tools.core.dates import SPACES
from ledger_tools.core.model import Item, YesNo

__all__ = ["PLACEHOLDER", "TEXT_FIELDS", "is_confidential", "redact", "for_circulation"]

PLACEHOLDER = "涉密事项"
# Every free-text field that could carry an item's content.
TEXT_FIELDS = (
    "source_name",
    "matter",
    "requirement",
    "stage_target",
    "latest_progress",
    "note",
    "notice_no",
)


def is_confidential(value: object) -> bool:
    """Whether a 涉密 cell makes its item confidential: the one reading of that column.

    Only a blank cell or 否 says "not confidential"; 是 and *every other value* staff type
    (√, 机密, 秘密, Y, 是（内部）, a formula) say or may say it is, and a value the tool cannot
    read must never make an item less secret than it may be (SPEC §3 Fail closed).
    """
    if value is None:
        return False
    if isinstance(value, YesNo):
        return value is YesNo.YES
    if isinstance(value, bool):
        return value
    text = str(value).strip(" \t\r\n" + SPACES)
    return text not in ("", YesNo.NO.value)


def redact(item: Item) -> Item:
    """A copy of a confidential item with its content replaced; others are returned unchanged."""
    if not item.confidential:
        return item
    hidden: dict[str, Any] = {f: (PLACEHOLDER if getattr(item, f) else None) for f in TEXT_FIELDS}
    return replace(item, **hidden)


def for_circulation(items: Iterable[Item], include_confidential: bool = False) -> list[Item]:
    return list(items) if include_confidential else [redact(i) for i in items]
