"""A returned form's cells in the terms of the checks (core/form_checks.py), read once.

The rules compare text and dates; what a cell holds after Excel, WPS or LibreOffice saved it
(a date as a serial, a number for a locked text, Windows line breaks) is made comparable here,
so the rules never see a cell and every client's save gives the same entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ledger_tools.core import form_checks as fc
from ledger_tools.core import rules
from ledger_tools.core.dates import SPACES
from ledger_tools.sheets.cells import BadValue, clean_text, parse_date
from ledger_tools.sheets.forms.layout import (
    DATE_INPUTS,
    LABEL_DUE,
    LABEL_PERIOD,
    LOCKED_COLUMNS,
    FormCell,
    FormMeta,
    FormRow,
    FormTable,
    locked_text,
)

__all__ = ["canonical_text", "form_entry", "form_text", "header_against_meta", "table_entries"]


# what ``clean_text`` strips from a text: asked for every cell of every row, a plain str is
# stripped here directly (tests compare the two on every kind of space)
_STRIP = " \t\r\n" + SPACES


def form_text(value: object) -> str | None:
    """Cleaned text with Windows line breaks made plain (they would show as _x000D_)."""
    if value is None:
        return None
    text = (value.strip(_STRIP) or None) if type(value) is str else clean_text(value)
    if text and "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def canonical_text(value: object) -> str | None:
    """A cell as comparable text: the same on the form, in `_meta`, after any client's save."""
    return form_text(value if type(value) is str else locked_text(value))


def form_entry(
    row: FormRow,
    raw_meta: Mapping[str, str],
    meta: Mapping[str, str | None],
    columns: Mapping[str, str] | None = None,
) -> fc.FormEntry:
    """A row in the rules' terms. ``raw_meta``/``meta``: this item's `_meta` values as written
    and as canonical text; a locked cell still holding what was written is not re-cleaned.
    ``columns``: the form's header → column letters (``ParsedForm.columns``), when each cell of
    the row is where they say (as ``parse_form`` reads it); shared by the entries, not copied."""
    e = fc.FormEntry(row.number, clean_text(row.item_id))
    if columns is not None:
        e.columns = columns
    else:
        e.refs.update((header, cell.ref) for header, cell in row.cells.items())
    cells = row.cells.values()
    merged = [c.merged for c in cells] if any(c.merged for c in cells) else None
    _fill(e, row.cells.keys(), [c.value for c in cells], merged, raw_meta, meta)
    return e


def table_entries(
    table: FormTable,
    locked_raw: Mapping[str, Mapping[str, str]],
    locked: Mapping[str, Mapping[str, str | None]],
) -> list[fc.FormEntry]:
    """``form_entry`` of every row of ``table`` (the form's ``columns``), made from the values
    as read without making cells first. ``locked_raw``/``locked``: `_meta`'s values by item."""
    out = []
    headers = table.columns.keys()
    id_at = list(headers).index(fc.COL_ID)
    no_meta: dict[str, str] = {}
    for number, values, merged in table.rows:
        item_id = clean_text(values[id_at])
        e = fc.FormEntry(number, clean_text(item_id))
        e.columns = table.columns
        key = item_id or ""
        _fill(e, headers, values, merged, locked_raw.get(key, no_meta), locked.get(key, no_meta))
        out.append(e)
    return out


def _fill(
    e: fc.FormEntry,
    headers: Iterable[str],
    values: list[object],
    merged: list[str | None] | None,
    raw_meta: Mapping[str, str],
    meta: Mapping[str, str | None],
) -> None:
    locked, texts = e.locked, e.texts
    for i, (header, value) in enumerate(zip(headers, values, strict=True)):
        if merged is not None and (swallowed := merged[i]):
            e.merged[header] = swallowed
        if header in _LOCKED:
            same = value is not None and value == raw_meta.get(header)
            locked[header] = meta[header] if same else canonical_text(value)
            continue
        text = texts[header] = form_text(value)
        if text and header in _DATES:
            try:
                d = parse_date(value)
                if d is None or not fc.EARLIEST_YEAR <= d.year <= 2099:
                    raise BadValue(value)
                e.dates[header] = d
            except BadValue:
                e.bad_dates[header] = text


_LOCKED = frozenset(LOCKED_COLUMNS)
_DATES = frozenset(DATE_INPUTS)


def header_against_meta(block: dict[str, FormCell], meta: FormMeta) -> list[tuple[str, str]]:
    """(cell, F005 detail) for every header value the form shows that `_meta` does not sign."""
    out: list[tuple[str, str]] = []
    cell = block.get(LABEL_PERIOD)
    if cell is not None and rules.normalize_period(cell.value) != rules.normalize_period(
        meta.period
    ):
        out.append(
            (
                cell.ref,
                f"表中「{LABEL_PERIOD}」为「{form_text(locked_text(cell.value)) or '（空）'}」，"
                f"隐藏信息中为「{meta.period}」",
            )
        )
    cell = block.get(LABEL_DUE)
    if cell is not None:
        try:
            shown = parse_date(cell.value)
        except BadValue:
            shown = None
        if shown != meta.due:
            out.append(
                (
                    cell.ref,
                    f"表中「{LABEL_DUE}」为「{form_text(locked_text(cell.value)) or '（空）'}」，"
                    f"隐藏信息中为「{meta.due.isoformat()}」",
                )
            )
    return out
