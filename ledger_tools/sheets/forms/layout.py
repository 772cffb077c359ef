"""The feedback form (反馈表) contract of SPEC §4: sheet names, headers, and the parsed shape.

The writer (sheets/form_writer.py) and the reader (sheets/form_reader.py) both follow this file;
the checks of SPEC §5 (jobs/intake.py, core/form_checks.py) only see ``ParsedForm``.
The reader finds the header row and the header block by their text, so a unit that inserts a
row above the table does not break its form.

Values the form shows in locked cells are written as *text* (dates as ISO ``2026-12-31``), and
``FormMeta.locked`` holds exactly that text, so a locked cell compares with ``_meta`` as plain
strings whatever program re-saved the file.

`_meta` (very hidden; LibreOffice may turn it into merely hidden, which is accepted) holds, all
as text cells:

    row 1     A "key"        B "value"
    rows 2..  A META_FORMAT  B META_FORMAT_VALUE      (marks the sheet as ours)
              A version      B FORM_VERSION
              A ledger_id    B the ledger's id (``_系统``)
              A unit         B the registered unit name
              A period       B YYYY-MM
              A due          B YYYY-MM-DD
              A generated    B YYYY-MM-DDTHH:MM:SS
              A signature    B hex HMAC-SHA256 of core.signing.canonical(meta)
    (blank row)
    next      A "locked"     B.. the LOCKED_COLUMNS headers
    then      A item id      B.. that item's locked values, one row per item, in form order

The reader takes keys and headers by text, so row and column order may change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ledger_tools.core.signing import FormMeta
from ledger_tools.sheets.files import safe_filename

__all__ = [
    "CONFIDENTIAL_MARK",
    "DATE_INPUTS",
    "FORM_COLUMNS",
    "FORM_VERSION",
    "FormCell",
    "FormMeta",
    "FormRow",
    "INPUT_COLUMNS",
    "LOCKED_COLUMNS",
    "META_KEYS",
    "META_FORMAT",
    "META_FORMAT_VALUE",
    "META_LOCKED",
    "META_SIGNATURE",
    "ParsedForm",
    "STATUS_CHOICES",
    "header_key",
    "form_file_name",
    "locked_text",
]

FORM_VERSION = "1"
SHEET_FORM = "反馈表"
SHEET_CO = "协办事项"
SHEET_HELP = "填报说明"
SHEET_META = "_meta"
ANNOTATED_PREFIX = "退回-"  # the annotated copy of a form to return: 退回-{the file's name}

# Header block labels (the value sits in the cell right of the label).
LABEL_ORG = "机构名称"
LABEL_UNIT = "填报单位"
LABEL_PERIOD = "报送期次"
LABEL_DUE = "截止日期"
LABEL_CONTACT = "联系人"
LABEL_PHONE = "联系电话"

# Item table columns, in order. Unit-filled (unlocked) ones are marked with * on the form.
LOCKED_COLUMNS = (
    "序号",
    "事项编号",
    "来源名称",
    "议定事项",
    "办理要求",
    "责任领导",
    "协办单位",
    "当前时限",
    "事项类型",
    "上期进展",
)
INPUT_COLUMNS = (
    "办理状态",
    "本期进展情况",
    "办结日期",
    "阶段性目标",
    "延期原因",
    "申请延期至",
    "存在问题及建议",
)
FORM_COLUMNS = LOCKED_COLUMNS + INPUT_COLUMNS
DATE_INPUTS = ("办结日期", "申请延期至")
CONFIDENTIAL_MARK = "涉密"
STATUS_CHOICES = ("推进中", "已办结", "申请延期")

# `_meta` keys (column A); see the module docstring for the layout.
META_FORMAT = "format"
META_FORMAT_VALUE = "ledger_tools/反馈表"
META_KEYS = ("version", "ledger_id", "unit", "period", "due", "generated")
META_SIGNATURE = "signature"
META_LOCKED = "locked"
META_HEADER = ("key", "value")


def form_file_name(period: str, unit: str) -> str:
    """反馈表-{期次}-{单位}.xlsx, made safe on every system as any output's name (files)."""
    return safe_filename(f"反馈表-{period}-{unit}") + ".xlsx"


def locked_text(value: object) -> str:
    """A returned cell's raw value as the text `_meta` holds, for comparing locked cells.

    Locked cells are written as text, but a client may hand them back otherwise: empty as None,
    a date typed over as a date, digits as a number. Those map to the text they would have been.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def header_key(text: object) -> str:
    """A header as matched by the reader: without *, spaces and full-width spaces."""
    return (
        str(text or "")
        .replace("*", "")
        .replace("＊", "")
        .replace(" ", "")
        .replace("\u3000", "")
        .strip()
    )


@dataclass
class FormCell:
    """One input (or locked) cell as returned: raw value and where it is."""

    value: object
    ref: str  # A1 on SHEET_FORM
    merged: str | None = None  # the merged range (A1:B2) that swallows this cell, if any


@dataclass
class FormRow:
    number: int  # 1-based worksheet row
    item_id: str | None
    cells: dict[str, FormCell]  # header (without *) → cell, for every FORM_COLUMNS header found


@dataclass
class FormTable:
    """The table's rows as read, before any is made into ``FormRow`` cells: the headers found
    (their columns' letters), and per row with something in a table column its 1-based
    number, its values in the headers' order and, when a merged range reaches below the
    header, the range swallowing each cell (None for each)."""

    columns: dict[str, str]  # header → column letters, in the header's order
    rows: list[tuple[int, list[object], list[str | None] | None]] = field(default_factory=list)


@dataclass
class ParsedForm:
    path_name: str
    sha256: str
    kind: str  # xlsx | xlsm | xls | ods
    has_macros: bool
    meta: FormMeta
    signature_ok: bool
    unit_cell: FormCell | None  # 填报单位 value as shown on the form
    contact: FormCell | None
    phone: FormCell | None
    rows: list[FormRow] = field(default_factory=list)
    header_row: int | None = None  # 1-based worksheet row of the table header on SHEET_FORM
    signature: str = ""  # as found in `_meta`
    columns: dict[str, str] = field(default_factory=dict)  # table header → column letters
