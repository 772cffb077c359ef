"""Which returned files are one return, which conflict, which correct one merged before.

A unit's return is what it filled in, not the bytes of a file: the same form saved by Excel,
WPS or LibreOffice, as .xlsx, .xls or .ods, is one return (``content_fingerprint``, kept in
导入记录 内容指纹, compared by F007). Two returns of one form in one batch with different
content are a conflict staff must settle (``conflicts``, F010); a different return after one
was merged is a correction (``corrections``, W207). See ``core.intake`` for how a merge uses
them. Messages name items and fields, never values: they travel to the --report workbook that
staff forward, and an item may be confidential.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence

from ledger_tools.core import form_checks as fc
from ledger_tools.core.findings import make
from ledger_tools.core.intake import CheckedFile, History

__all__ = ["conflicts", "content_fingerprint", "corrections", "filled_text", "filled_values"]


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if "\n" not in text:  # one line, the most of them
        return text.strip()
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(line.strip() for line in lines).strip()


def filled_values(entries: Iterable[fc.FormEntry]) -> dict[str, dict[str, str]]:
    """What the unit filled in, per item: input header → value as the rules read it (a date as
    its day, so a date cell, a serial and 2026年3月5日 agree; text trimmed line by line). Blank
    rows and rows without 事项编号 carry nothing."""
    out: dict[str, dict[str, str]] = {}
    for e in entries:
        values: dict[str, str] = {}
        for header in fc.INPUTS:
            day = e.dates.get(header)
            if day is not None:
                values[header] = day.isoformat()
                continue
            text = e.bad_dates.get(header) or e.texts.get(header)
            if text and (normal := _normal(text)):
                values[header] = normal
        if e.item_id and values:
            out.setdefault(e.item_id, {}).update(values)
    return out


def content_fingerprint(
    unit: str | None,
    period: str | None,
    filled: dict[str, dict[str, str]],
    *,
    text: str | None = None,
) -> str:
    """内容指纹: SHA-256 of the unit, the period and ``filled`` (``filled_values``), in a fixed
    order, so that only what the unit filled in decides it, never the program that saved it.

    ``text``: ``filled_text(filled)``, when it was made already (where the form was read)."""
    if text is None:
        text = filled_text(filled)
    # the JSON list [unit, period, filled in order], put together from its parts
    payload = f"[{_json(unit or '')},{_json(period or '')},{text}]"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def filled_text(filled: dict[str, dict[str, str]]) -> str:
    """``filled`` as the content fingerprint reads it: JSON, items and headers sorted."""
    return _json(sorted((k, sorted(v.items())) for k, v in filled.items()))


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _differences(a: dict[str, dict[str, str]], b: dict[str, dict[str, str]]) -> str:
    """Which items and fields differ between two returns, for staff to compare (no values:
    the message travels to the --report workbook, and an item may be confidential)."""
    parts = []
    for item_id in sorted(set(a) | set(b)):
        x, y = a.get(item_id, {}), b.get(item_id, {})
        fields = [h for h in fc.INPUTS if x.get(h) != y.get(h)]
        if fields:
            parts.append(f"事项 {item_id} 的{'、'.join(f'「{h}」' for h in fields)}")
    if not parts:
        return "填写内容有差异"
    shown = "；".join(parts[:5])
    return shown + (f"等 {len(parts)} 项" if len(parts) > 5 else "")


def conflicts(files: Sequence[CheckedFile], partial: bool = False) -> None:
    """F010 for every return of a (unit, period, form) that the batch holds in more than one
    content, each of which a merge would apply; see the module. A return refused anyway (an
    error, a duplicate) leaves no doubt which one counts, so it takes no part."""
    groups: dict[tuple[str, str, dt.datetime | None], list[CheckedFile]] = defaultdict(list)
    for o in files:
        if o.content is None or not o.unit or not o.period or not o.accepted(partial):
            continue
        groups[(o.unit, o.period, o.generated)].append(o)
    for group in groups.values():
        if len({o.content for o in group}) < 2:
            continue
        for o in group:
            others = [x for x in group if x.content != o.content]
            described = "；".join(
                f"「{x.name}」（不同之处：{_differences(o.filled or {}, x.filled or {})}）"
                for x in others
            )
            o.add(
                make(
                    "F010",
                    file=o.name,
                    detail=f"「{o.unit}」{o.period} 期的同一份反馈表，本次还有内容不同的 {described}，"
                    "无法判断以哪一份为准",
                )
            )


def corrections(files: Sequence[CheckedFile], hist: History, partial: bool) -> None:
    """W207 for a return that differs from one merged before for its unit and period (a
    correction: merged, the earlier file named). A form W205 already explains is left alone."""
    for o in files:
        if o.superseded or not o.accepted(partial) or not o.unit or not o.period:
            continue
        earlier = [
            name
            for name, content in hist.merged_returns.get((o.unit, o.period), [])
            if content != o.content
        ]
        if not earlier:
            continue
        names = "、".join(f"「{n}」" for n in dict.fromkeys(earlier) if n) or "另一份反馈表"
        o.add(
            make(
                "W207",
                file=o.name,
                detail=f"「{o.unit}」{o.period} 期已合并过 {names}，本表内容与之不同，按更正处理："
                "已合并，台账以本表为准，先前的报送仍保留在「办理记录」中",
            )
        )
