"""Confidential items (涉密 = 是) in files meant for circulation (SPEC §3).

They are counted everywhere but their content never leaves the office: in circulated files an
item is shown only as 「涉密事项」 with its 事项编号, unless the caller explicitly includes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ledger_tools.core.model import Item

__all__ = ["PLACEHOLDER", "TEXT_FIELDS", "redact", "for_circulation"]

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


def redact(item: Item) -> Item:
    """A copy of a confidential item with its content replaced; others are returned unchanged."""
    if not item.confidential:
        return item
    hidden: dict[str, Any] = {f: (PLACEHOLDER if getattr(item, f) else None) for f in TEXT_FIELDS}
    return replace(item, **hidden)


def for_circulation(items: Iterable[Item], include_confidential: bool = False) -> list[Item]:
    return list(items) if include_confidential else [redact(i) for i in items]
