"""Reading a returned feedback form into ``ParsedForm`` (SPEC §4, §5).

The reader decides nothing about the content: it finds the metadata, checks the signature and
hands every row of the table, raw, to the checks. It finds the table by its header text, not
by position, because units insert rows above it, and WPS or LibreOffice may save it as xls or
ods. What it cannot read at all becomes a ``ReturnedFileError``: F004 when the file is not a
form of ours (no or foreign `_meta`), F009 when the form's sheet or a header is gone.

``header_block`` hands out the block above the table (填报单位, 报送期次, 截止日期 ...) as shown,
so that the checks can compare what the unit sees with what `_meta` signs: a validly signed
`_meta` pasted in from another form is only caught there.
"""

from __future__ import annotations

import datetime as dt

from ledger_tools.core import signing
from ledger_tools.sheets.boundary import Failure, map_exceptions
from ledger_tools.sheets.cells import clean_text
from ledger_tools.sheets.excel import column_letter
from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.returned.workbook import ReturnedFileError, ReturnedSheet, ReturnedWorkbook

__all__ = [
    "check_ledger",
    "header_block",
    "parse_form",
    "parse_form_and_block",
    "parse_form_table",
    "read_meta",
    "signed",
]

HEADER_SEARCH_ROWS = 200  # how far down the table header may have been pushed
MIN_HEADER_MATCHES = 3


def parse_form(wb: ReturnedWorkbook, key: str, *, ledger_id: str | None = None) -> fl.ParsedForm:
    """Parse a returned form. ``ledger_id``, when given, rejects another ledger's form (F004)."""
    return parse_form_and_block(wb, key, ledger_id=ledger_id)[0]


def parse_form_and_block(
    wb: ReturnedWorkbook,
    key: str,
    *,
    ledger_id: str | None = None,
    read: tuple[fl.FormMeta, str] | None = None,
) -> tuple[fl.ParsedForm, dict[str, fl.FormCell]]:
    """``parse_form`` and ``header_block`` at once: the table header is looked for once.
    ``read``: what ``read_meta`` gave for ``wb``, when the caller has read it already."""
    form, block, table = parse_form_table(wb, key, ledger_id=ledger_id, read=read)
    form.rows = _rows(table)
    return form, block


def parse_form_table(
    wb: ReturnedWorkbook,
    key: str,
    *,
    ledger_id: str | None = None,
    read: tuple[fl.FormMeta, str] | None = None,
) -> tuple[fl.ParsedForm, dict[str, fl.FormCell], fl.FormTable]:
    """``parse_form_and_block`` with the table's rows as read (``FormTable``) instead of the
    form's ``rows``, for a caller that turns them into something else at once."""
    meta, signature = read or read_meta(wb)
    check_ledger(meta.ledger_id, ledger_id)
    sheet = _form_sheet(wb)
    header_idx, columns = _find_header(sheet)
    block = _header_block(sheet, header_idx)
    table = _table(sheet, header_idx, columns)
    form = fl.ParsedForm(
        path_name=wb.path.name,
        sha256=wb.sha256,
        kind=wb.kind,
        has_macros=wb.has_macros,
        meta=meta,
        signature_ok=signing.verify(meta, key, signature),
        unit_cell=block.get(fl.LABEL_UNIT),
        contact=block.get(fl.LABEL_CONTACT),
        phone=block.get(fl.LABEL_PHONE),
        header_row=header_idx + 1,
        signature=signature,
        columns=table.columns,
    )
    return form, block, table


def check_ledger(form_ledger_id: str, ledger_id: str | None) -> None:
    """F004 for a form whose `_meta` names another ledger, when ``ledger_id`` is given."""
    if ledger_id and form_ledger_id != ledger_id:
        raise ReturnedFileError("F004", "这份反馈表是另一本台账下发的，不属于本台账")


def signed(form: fl.ParsedForm, key: str, *, text: str | None = None) -> bool:
    """Whether ``form``'s `_meta` carries the signature ``key`` gives it; ``text``: the meta's
    ``signing.canonical`` text, when it was made already."""
    if text is None:
        return signing.verify(form.meta, key, form.signature)
    return signing.verify_text(text, key, form.signature)


# --- _meta -------------------------------------------------------------------------------------


# `_meta` holds text cells; one that a client turned into a number or date reads back as text.
_meta_text = fl.locked_text

# The keys in column A of `_meta` are the file's own names; a message glosses them in Chinese.
_META_KEY_LABELS = {
    "version": "模板版本",
    "ledger_id": "台账标识",
    "unit": "填报单位",
    "period": "报送期次",
    "due": "截止日期",
    "generated": "生成时间",
    fl.META_SIGNATURE: "签名",
    fl.META_LOCKED: "锁定内容表",
}


def _meta_key_label(key: str) -> str:
    label = _META_KEY_LABELS.get(key)
    return f"{label}（{key}）" if label else key


def read_meta(wb: ReturnedWorkbook) -> tuple[fl.FormMeta, str]:
    """The form's metadata and the signature found beside it; F004 when absent or not ours."""
    sheet = wb.sheet(fl.SHEET_META)
    if sheet is None:
        raise ReturnedFileError(
            "F004", f"文件中没有反馈表的隐藏信息（工作表 {fl.SHEET_META}），不是督查室下发的反馈表"
        )
    values: dict[str, str] = {}
    locked_idx = None
    for r, row in enumerate(sheet.rows):
        k = _meta_text(row[0] if row else None).strip()
        if k == fl.META_LOCKED:
            locked_idx = r
            break
        if k and k not in values:
            values[k] = _meta_text(row[1] if len(row) > 1 else None).strip()
    if values.get(fl.META_FORMAT) != fl.META_FORMAT_VALUE:
        raise ReturnedFileError("F004", f"隐藏信息（工作表 {fl.SHEET_META}）不是本工具生成的")
    if values.get("version") != fl.FORM_VERSION:
        raise ReturnedFileError(
            "F004",
            f"反馈表模板版本「{values.get('version') or '空'}」不受支持（应为 {fl.FORM_VERSION}）",
        )
    missing = [k for k in (*fl.META_KEYS, fl.META_SIGNATURE) if not values.get(k)]
    if missing or locked_idx is None:
        what = "、".join(_meta_key_label(k) for k in (missing or [fl.META_LOCKED]))
        raise ReturnedFileError("F004", f"隐藏信息（工作表 {fl.SHEET_META}）不完整，缺少 {what}")
    with map_exceptions({ValueError: _meta_date_unreadable}, path=wb.path, what="隐藏信息"):
        due = dt.date.fromisoformat(values["due"])
        generated = dt.datetime.fromisoformat(values["generated"])
    meta = fl.FormMeta(
        version=values["version"],
        ledger_id=values["ledger_id"],
        unit=values["unit"],
        period=values["period"],
        due=due,
        generated=generated,
        locked=_locked_table(sheet, locked_idx),
    )
    return meta, values[fl.META_SIGNATURE]


def _meta_date_unreadable(_failure: Failure) -> ReturnedFileError:
    return ReturnedFileError("F004", f"隐藏信息（工作表 {fl.SHEET_META}）中的日期无法识别")


def _ref(row_idx: int, col_idx: int) -> str:
    """The A1 reference a clerk reads in Excel for 0-based (row, column): (6, 10) is K7."""
    return f"{column_letter(col_idx + 1)}{row_idx + 1}"


def _locked_table(sheet: ReturnedSheet, locked_idx: int) -> dict[str, dict[str, str]]:
    header = sheet.rows[locked_idx]
    columns = {_meta_text(v).strip(): c for c, v in enumerate(header) if c > 0 and v is not None}
    missing = [h for h in fl.LOCKED_COLUMNS if h not in columns]
    if missing:
        raise ReturnedFileError(
            "F004", f"隐藏信息（工作表 {fl.SHEET_META}）不完整，缺少 {'、'.join(missing)}"
        )
    locked: dict[str, dict[str, str]] = {}
    pairs = [(h, c) for h, c in columns.items() if h in fl.LOCKED_COLUMNS]
    text = _meta_text
    for row in sheet.rows[locked_idx + 1 :]:
        item_id = text(row[0] if row else None).strip()
        if not item_id:
            break
        n = len(row)
        values = {}
        for h, c in pairs:
            v = row[c] if c < n else None
            values[h] = v if type(v) is str else text(v)  # text is what locked_text gives it
        locked[item_id] = values
    return locked


# --- 反馈表 ------------------------------------------------------------------------------------


def _form_sheet(wb: ReturnedWorkbook) -> ReturnedSheet:
    sheet = wb.sheet(fl.SHEET_FORM)
    if sheet is None:
        sheet = next((s for s in wb.sheets if s.name.strip() == fl.SHEET_FORM), None)
    if sheet is None:
        names = "、".join(f"「{n}」" for n in wb.sheet_names if n != fl.SHEET_META) or "无"
        raise ReturnedFileError(
            "F009", f"找不到工作表「{fl.SHEET_FORM}」（文件中的工作表：{names}）"
        )
    return sheet


def _header_map(row: list[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for c, v in enumerate(row):
        if isinstance(v, str):
            k = fl.header_key(v)
            if k in fl.FORM_COLUMNS and k not in found:
                found[k] = c
    return found


def _find_header(sheet: ReturnedSheet) -> tuple[int, dict[str, int]]:
    """The row holding the most table headers; every FORM_COLUMNS header must be in it."""
    best_idx = -1
    best: dict[str, int] = {}
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        found = _header_map(row)
        if len(found) > len(best):
            best_idx, best = r, found
            if len(found) == len(fl.FORM_COLUMNS):
                break
    if len(best) < MIN_HEADER_MATCHES:
        raise ReturnedFileError(
            "F009",
            f"工作表「{sheet.name}」中找不到事项表的表头（事项编号、办理状态、本期进展情况等）",
        )
    missing = [h for h in fl.FORM_COLUMNS if h not in best]
    if missing:
        raise ReturnedFileError(
            "F009",
            f"工作表「{sheet.name}」第 {best_idx + 1} 行的事项表缺少表头"
            + "、".join(f"「{h}」" for h in missing),
        )
    return best_idx, best


def _header_block(sheet: ReturnedSheet, header_idx: int) -> dict[str, fl.FormCell]:
    """填报单位, 联系人, 联系电话 (and the other labels): the cell right of each label."""
    labels = (
        fl.LABEL_ORG,
        fl.LABEL_UNIT,
        fl.LABEL_PERIOD,
        fl.LABEL_DUE,
        fl.LABEL_CONTACT,
        fl.LABEL_PHONE,
    )
    found: dict[str, fl.FormCell] = {}
    for r in range(header_idx):
        row = sheet.rows[r]
        for c, v in enumerate(row):
            if not isinstance(v, str):
                continue
            k = fl.header_key(v).rstrip(":：")
            if k in labels and k not in found:
                found[k] = fl.FormCell(sheet.value(r, c + 1), _ref(r, c + 1))
    return found


def header_block(wb: ReturnedWorkbook) -> dict[str, fl.FormCell]:
    """The header block's value cells by label, as the unit's file shows them."""
    sheet = _form_sheet(wb)
    header_idx, _columns = _find_header(sheet)
    return _header_block(sheet, header_idx)


def _table(sheet: ReturnedSheet, header_idx: int, columns: dict[str, int]) -> fl.FormTable:
    """Every row below the header with something in a table column, its values by header.

    Merged ranges are looked at only when one reaches below the header (the title and header
    block are merged on every form)."""
    table = fl.FormTable({h: column_letter(c + 1) for h, c in columns.items()})
    out = table.rows
    positions = list(columns.values())
    merged_below = any(r1 > header_idx for _r0, _c0, r1, _c1 in sheet.merged)
    covered = sheet.covered
    rows = sheet.rows
    for r in range(header_idx + 1, len(rows)):
        row = rows[r]
        if not row:
            continue
        n = len(row)
        values = [row[c] if c < n else None for c in positions]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        merged = [covered(r, c) for c in positions] if merged_below else None
        out.append((r + 1, values, merged))
    return table


def _rows(table: fl.FormTable) -> list[fl.FormRow]:
    """The table's rows as ``FormRow``: each cell with its A1 reference."""
    out: list[fl.FormRow] = []
    cols = list(table.columns.items())
    id_at = list(table.columns).index("事项编号")
    for number, values, merged in table.rows:
        cells = {
            h: fl.FormCell(v, f"{letters}{number}", merged[i] if merged is not None else None)
            for i, ((h, letters), v) in enumerate(zip(cols, values, strict=True))
        }
        out.append(fl.FormRow(number=number, item_id=clean_text(values[id_at]), cells=cells))
    return out
