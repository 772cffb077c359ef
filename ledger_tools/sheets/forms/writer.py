"""Writing one feedback form (反馈表, SPEC §4) with XlsxWriter.

XlsxWriter rather than openpyxl because a form is written once and never read back by us with
openpyxl: XlsxWriter writes exactly the parts Excel, WPS and LibreOffice expect (protection,
validations, print setup, a very hidden sheet) and is fast for a hundred forms.

Everything shown in a locked cell is written as text and the same text goes into `_meta`, so
what a unit sees, what is signed and what the checks compare are one string (form_layout).

Long because one form is one XlsxWriter workbook of four sheets (反馈表, 协办事项, 填报说明,
_meta) sharing one set of formats, the protection and the row-height measurement; the 填报说明
text lives beside the layout it explains.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import xlsxwriter

from ledger_tools.core import signing
from ledger_tools.core.confidential import PLACEHOLDER
from ledger_tools.core.dates import cn_date
from ledger_tools.core.model import Item, Settings
from ledger_tools.sheets.files import atomic_output
from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.styles import FONT_NAME, HEADER

__all__ = ["CoItem", "FormContent", "locked_texts", "write_form"]

INPUT_FILL = "FFF2CC"
INPUT_HEADER_FILL = "FFD966"
CONFIDENTIAL_FILL = "F8CBAD"
BORDER_COLOUR = "808080"
MAX_ROW_HEIGHT = 409.0
LINE_HEIGHT = 13.5
MAX_CELL_TEXT = 32_000  # below Excel's 32,767 so nothing is cut after signing

# Width (Excel character units) of each table column; a CJK character takes two.
WIDTHS = {
    "序号": 9,
    "事项编号": 14,
    "来源名称": 18,
    "议定事项": 24,
    "办理要求": 24,
    "责任领导": 10,
    "协办单位": 14,
    "当前时限": 11,
    "事项类型": 7,
    "上期进展": 26,
    "办理状态": 10,
    "本期进展情况": 34,
    "办结日期": 11,
    "阶段性目标": 20,
    "延期原因": 18,
    "申请延期至": 11,
    "存在问题及建议": 20,
}
CENTRED = ("序号", "事项编号", "责任领导", "当前时限", "事项类型", "联系电话")
CO_COLUMNS = (
    ("序号", 7),
    ("事项编号", 15),
    ("来源名称", 20),
    ("议定事项", 30),
    ("办理要求", 30),
    ("责任领导", 11),
    ("主责单位", 18),
    ("主责单位联系人", 12),
    ("联系电话", 14),
    ("当前时限", 12),
    ("事项类型", 9),
)

# Sheet 反馈表, 0-based rows: title, two header-block rows, a note, then the table.
ROW_TITLE, ROW_BLOCK1, ROW_BLOCK2, ROW_NOTE, ROW_HEADER = 0, 1, 2, 3, 4
FIRST_ITEM_ROW = ROW_HEADER + 1

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass
class CoItem:
    """An item on another unit's form where this unit co-handles (sheet 协办事项)."""

    item: Item
    lead_contact: str | None = None
    lead_phone: str | None = None


@dataclass
class FormContent:
    """Everything one form shows; the job decides it, this module only lays it out."""

    ledger_id: str
    unit: str
    period: str
    due: dt.date
    generated: dt.datetime
    settings: Settings = field(default_factory=Settings)
    contact: str | None = None
    phone: str | None = None
    items: list[Item] = field(default_factory=list)
    co_items: list[CoItem] = field(default_factory=list)


def text(value: object) -> str:
    """What a cell shows, as text that survives any client's round trip unchanged.

    Carriage returns would come back as plain line feeds from an XML parser, and other control
    characters are not allowed in a cell: both are normalised before the text is written *and*
    signed.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value.replace(microsecond=0)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        value = value.value
    s = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", s)[:MAX_CELL_TEXT]


def _put(ws, row: int, col: int, value: str, fmt) -> None:
    """Text as a string cell (never a formula); an empty text as a formatted blank."""
    if value:
        ws.write_string(row, col, value, fmt)
    else:
        ws.write_blank(row, col, None, fmt)


def locked_texts(item: Item, number: int) -> dict[str, str]:
    """The locked cells of one item row (LOCKED_COLUMNS header → text)."""
    mark = f"{number}（{fl.CONFIDENTIAL_MARK}）" if item.confidential else str(number)
    return {
        "序号": mark,
        "事项编号": text(item.id),
        "来源名称": text(item.source_name),
        "议定事项": text(item.matter),
        "办理要求": text(item.requirement),
        "责任领导": text(item.leader),
        "协办单位": "、".join(text(u) for u in item.co_units if u),
        "当前时限": text(item.current_deadline or item.deadline),
        "事项类型": text(item.kind),
        "上期进展": text(item.latest_progress),
    }


def _exact_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


@functools.cache
def _wide_runs() -> re.Pattern:
    """Runs of the basic plane's wide and full-width characters, as one character class.

    Built from ``unicodedata`` itself (65,536 look-ups, about 10 ms, once), so the count agrees
    with ``_exact_width`` character for character; characters beyond the basic plane are rare
    and take the exact path.
    """
    ranges: list[list[int]] = []
    for cp in range(0x10000):
        if unicodedata.east_asian_width(chr(cp)) in "WF":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    members = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile(f"[{members}]+")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _display_width(s: str) -> int:
    """Columns the text takes, a wide character two: ``_exact_width``, five times faster.

    A hundred forms measure some 70,000 cell texts for their row heights; the per-character
    Python loop was a tenth of ``ledger forms``.
    """
    if s.isascii():
        return len(s)
    if _ASTRAL.search(s):
        return _exact_width(s)
    return 2 * len(s) - len(_wide_runs().sub("", s))


@functools.lru_cache(maxsize=8192)
def _lines(s: str, width: float) -> int:
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(_display_width(p) / usable)) for p in s.split("\n")) if s else 1


def _row_height(cells: dict[str, str], widths: Mapping[str, float], min_lines: int = 3) -> float:
    lines = max([min_lines] + [_lines(v, widths.get(h, 10)) for h, v in cells.items()])
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 6)


class _Formats:
    """The workbook's few formats, all in a CJK font so every client renders the same glyphs."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": FONT_NAME, "font_size": 10, "valign": "vcenter"}
        box = {"border": 1, "border_color": BORDER_COLOUR, "text_wrap": True}
        wb.formats[0].set_font_name(FONT_NAME)  # the Normal style, for cells without a format

        def f(**kw):
            return wb.add_format({**base, **kw})

        self.title = f(bold=True, font_size=16, align="center")
        self.label = f(bold=True, align="right")
        self.value = f(num_format="@", bottom=1, bottom_color=BORDER_COLOUR)
        self.input_value = f(num_format="@", locked=False, bg_color=INPUT_FILL, **box)
        self.note = f(text_wrap=True, font_color="595959", font_size=10, valign="top")
        self.header = f(bold=True, align="center", bg_color=HEADER, **box)
        self.input_header = f(bold=True, align="center", bg_color=INPUT_HEADER_FILL, **box)
        self.cell = f(num_format="@", **box)
        self.centre = f(num_format="@", align="center", **box)
        self.secret = f(num_format="@", bg_color=CONFIDENTIAL_FILL, **box)
        self.secret_centre = f(num_format="@", align="center", bg_color=CONFIDENTIAL_FILL, **box)
        self.secret_mark = f(
            num_format="@",
            align="center",
            bold=True,
            font_color="C00000",
            bg_color=CONFIDENTIAL_FILL,
            **box,
        )
        self.input_text = f(num_format="@", locked=False, bg_color=INPUT_FILL, valign="top", **box)
        self.input_choice = f(
            num_format="@", locked=False, bg_color=INPUT_FILL, align="center", **box
        )
        self.input_date = f(
            num_format="yyyy-mm-dd", locked=False, bg_color=INPUT_FILL, align="center", **box
        )
        self.para = f(text_wrap=True, valign="top")
        self.para_bold = f(text_wrap=True, valign="top", bold=True)
        self.meta = wb.add_format({"num_format": "@"})


def _print_setup(ws, header_row: int) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    ws.repeat_rows(0, header_row)
    ws.set_footer("&C第 &P 页，共 &N 页")


def _protect(ws) -> None:
    # No password (SPEC §4): protection guides the hand; the signature is the security.
    ws.protect("", {"format_rows": True, "format_columns": True})


# --- 反馈表 ------------------------------------------------------------------------------------


def _form_sheet(wb, fm: _Formats, c: FormContent, rows: list[tuple[Item, dict[str, str]]]) -> None:
    ws = wb.add_worksheet(fl.SHEET_FORM)
    col = {h: i for i, h in enumerate(fl.FORM_COLUMNS)}
    for h, i in col.items():
        ws.set_column(i, i, WIDTHS[h])
    last = len(fl.FORM_COLUMNS) - 1

    ws.set_row(ROW_TITLE, 30)
    ws.merge_range(
        ROW_TITLE,
        0,
        ROW_TITLE,
        last,
        f"{c.settings.org_name}议定事项办理情况反馈表（{c.period}）",
        fm.title,
    )
    block = (
        (
            ROW_BLOCK1,
            (
                (fl.LABEL_ORG, c.settings.org_name, False),
                (fl.LABEL_UNIT, c.unit, False),
                (fl.LABEL_PERIOD, c.period, False),
            ),
        ),
        (
            ROW_BLOCK2,
            (
                (fl.LABEL_DUE, c.due.isoformat(), False),
                (fl.LABEL_CONTACT + "*", c.contact, True),
                (fl.LABEL_PHONE + "*", c.phone, True),
            ),
        ),
    )
    for r, pairs in block:
        ws.set_row(r, 22)
        for k, (label, value, is_input) in enumerate(pairs):
            lc = 2 * k
            ws.write_string(r, lc, label, fm.label)
            fmt = fm.input_value if is_input else fm.value
            if k == 2:  # the narrow 责任领导 column: give the value two columns
                ws.merge_range(r, lc + 1, r, lc + 2, "", fmt)
            _put(ws, r, lc + 1, text(value), fmt)
    ws.set_row(ROW_NOTE, 32)
    ws.merge_range(
        ROW_NOTE,
        0,
        ROW_NOTE,
        last,
        f"请于 {cn_date(c.due)}（含）前填写带 * 的黄色单元格并报送{c.settings.office_name}。"
        "其他单元格已锁定，请勿修改，也不要增删行列、改动工作表名称；填写要求见「填报说明」工作表。",
        fm.note,
    )

    ws.set_row(ROW_HEADER, 32)
    for h, i in col.items():
        starred = h in fl.INPUT_COLUMNS
        ws.write_string(
            ROW_HEADER, i, h + ("*" if starred else ""), fm.input_header if starred else fm.header
        )

    for n, (item, locked) in enumerate(rows):
        r = FIRST_ITEM_ROW + n
        ws.set_row(r, _row_height(locked, WIDTHS))
        for h in fl.LOCKED_COLUMNS:
            if item.confidential:
                fmt = (
                    fm.secret_mark
                    if h == "序号"
                    else fm.secret_centre
                    if h in CENTRED
                    else fm.secret
                )
            else:
                fmt = fm.centre if h in CENTRED else fm.cell
            _put(ws, r, col[h], locked[h], fmt)
        for h in fl.INPUT_COLUMNS:
            fmt = (
                fm.input_date
                if h in fl.DATE_INPUTS
                else fm.input_choice
                if h == "办理状态"
                else fm.input_text
            )
            ws.write_blank(r, col[h], None, fmt)

    if rows:
        _validations(ws, col, FIRST_ITEM_ROW, FIRST_ITEM_ROW + len(rows) - 1)
        ws.set_selection(FIRST_ITEM_ROW, col["办理状态"], FIRST_ITEM_ROW, col["办理状态"])
    ws.freeze_panes(FIRST_ITEM_ROW, 2)
    _print_setup(ws, ROW_HEADER)
    _protect(ws)
    ws.activate()


def _validations(ws, col: dict[str, int], first: int, last: int) -> None:
    c = col["办理状态"]
    ws.data_validation(
        first,
        c,
        last,
        c,
        {
            "validate": "list",
            "source": list(fl.STATUS_CHOICES),
            "input_title": "办理状态",
            "input_message": "请从下拉列表选择：推进中、已办结、申请延期。",
            "error_title": "办理状态",
            "error_message": "只能选择：推进中、已办结、申请延期。",
        },
    )
    for h in fl.DATE_INPUTS:
        c = col[h]
        # A warning, not a stop: a date typed as text (2026年3月5日) is still accepted; check reads it.
        ws.data_validation(
            first,
            c,
            last,
            c,
            {
                "validate": "date",
                "criteria": "between",
                "minimum": dt.date(2000, 1, 1),
                "maximum": dt.date(2099, 12, 31),
                "error_type": "warning",
                "ignore_blank": True,
                "input_title": h,
                "input_message": "请填写日期，如 2026-03-05。",
                "error_title": h,
                "error_message": "这不是有效日期，建议按 2026-03-05 的格式填写。仍要保留吗？",
            },
        )
    for h in ("本期进展情况", "阶段性目标", "延期原因", "存在问题及建议"):
        c = col[h]
        ws.data_validation(
            first,
            c,
            last,
            c,
            {
                "validate": "length",
                "criteria": "<=",
                "value": 2000,
                "error_type": "warning",
                "ignore_blank": True,
                "error_title": h,
                "error_message": "内容超过 2000 字，报送时将被退回，请精简。",
            },
        )


# --- 协办事项 -----------------------------------------------------------------------------------


def _co_sheet(wb, fm: _Formats, c: FormContent) -> None:
    ws = wb.add_worksheet(fl.SHEET_CO)
    widths = dict(CO_COLUMNS)
    for i, (_h, w) in enumerate(CO_COLUMNS):
        ws.set_column(i, i, w)
    last = len(CO_COLUMNS) - 1
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, last, f"{c.unit}协办事项（{c.period}）", fm.title)
    ws.set_row(1, 48)
    ws.merge_range(
        1,
        0,
        1,
        last,
        "以下事项由其他单位主责、本单位协办，本表仅供查阅，无需在本表填写或报送。"
        "根据《督查落实办法》第六条，请在办理时限内提前将办理情况或意见书面函告主责单位，"
        f"由主责单位汇总报送（本期报送截止日期为 {cn_date(c.due)}）。",
        fm.note,
    )
    header_row = 2
    ws.set_row(header_row, 28)
    for i, (h, _w) in enumerate(CO_COLUMNS):
        ws.write_string(header_row, i, h, fm.header)
    if not c.co_items:
        ws.merge_range(
            header_row + 1, 0, header_row + 1, last, "本期没有本单位协办的事项。", fm.cell
        )
    for n, co in enumerate(c.co_items, start=1):
        r = header_row + n
        it = co.item
        if it.confidential:
            values = {
                "序号": str(n),
                "事项编号": text(it.id),
                "议定事项": PLACEHOLDER,
                "办理要求": f"具体内容请与{c.settings.office_name}联系。",
            }
        else:
            values = {
                "序号": str(n),
                "事项编号": text(it.id),
                "来源名称": text(it.source_name),
                "议定事项": text(it.matter),
                "办理要求": text(it.requirement),
                "责任领导": text(it.leader),
                "主责单位": text(it.lead_unit),
                "主责单位联系人": text(co.lead_contact),
                "联系电话": text(co.lead_phone),
                "当前时限": text(it.current_deadline or it.deadline),
                "事项类型": text(it.kind),
            }
        ws.set_row(r, _row_height(values, widths, min_lines=2))
        for i, (h, _w) in enumerate(CO_COLUMNS):
            _put(ws, r, i, values.get(h, ""), fm.centre if h in CENTRED else fm.cell)
    ws.freeze_panes(header_row + 1, 0)
    _print_setup(ws, header_row)
    _protect(ws)


# --- 填报说明 -----------------------------------------------------------------------------------


def help_paragraphs(c: FormContent) -> list[tuple[str, bool]]:
    """(text, is_heading) lines of the 填报说明 sheet: the rules `ledger check` enforces, in words."""
    s = c.settings
    due = cn_date(c.due)
    return [
        (f"{c.unit}　{c.period} 期反馈表填报说明", True),
        (
            f"一、报送时间：请于 {due}（含）前将本表报送{s.office_name}；逾期报送的，记为“逾期报送”，"
            "纳入年度综合考评。",
            False,
        ),
        (
            "二、填写范围：只填写「反馈表」中带 * 的黄色单元格（联系人、联系电话和每个事项的办理状态至存在问题及建议）。"
            "其他单元格已锁定，请勿修改；不要增删行列、调整列的顺序或修改工作表名称；不要复制本表给其他单位使用。",
            False,
        ),
        ("三、填写要求（报送后由系统逐项检查，不符合的将整表退回）：", True),
        ("1. 办理状态：必填，只能从下拉列表选择“推进中”“已办结”“申请延期”。", False),
        (
            "2. 本期进展情况：必填，写明本期采取的具体措施、取得的进度和下一步安排；只写“正在推进”“按计划推进”等"
            "过于简略的内容将被提示。",
            False,
        ),
        (
            "3. 日期：办结日期、申请延期至请填写有效日期，如 2026-03-05（也可写 2026年3月5日）。",
            False,
        ),
        ("4. 已办结：须填写办结日期，办结日期不得早于交办日期，也不得晚于填表当天。", False),
        (
            "5. 申请延期：须填写延期原因和申请延期至，申请延期至须晚于当前时限；延期经市人民政府分管领导审批同意后生效，"
            "审批前仍按原时限计算。",
            False,
        ),
        (
            f"6. 长期事项：首次报送时须填写阶段性目标，目标完成时间一般不超过首次报送后 {s.max_cycle_months} 个月；"
            f"此后每月 {s.report_day} 日前报送一次进展，直至办结。",
            False,
        ),
        ("7. 每个事项只填写一行，不要重复。", False),
        (
            "8. 每个单元格不超过 2000 字，不要包含特殊控制字符；以 =、+、-、@ 开头的内容将按普通文字保存。",
            False,
        ),
        ("9. 请填写联系人和联系电话，便于督查室核实。", False),
        ("四、标注“涉密”的事项，请按有关保密规定办理和报送。", False),
        (
            "五、本单位协办的事项列在「协办事项」工作表中，请在办理时限内提前将办理情况或意见书面函告主责单位，"
            "无需在本表填报。",
            False,
        ),
        (
            "六、可使用 Excel、WPS 或 LibreOffice 填写，保存为 .xlsx 格式后报送；请勿另存为图片或 PDF。",
            False,
        ),
    ]


def _help_sheet(wb, fm: _Formats, c: FormContent) -> None:
    ws = wb.add_worksheet(fl.SHEET_HELP)
    ws.set_column(0, 0, 110)
    for r, (line, heading) in enumerate(help_paragraphs(c)):
        ws.set_row(r, 24 if heading else max(20.0, _lines(line, 110) * LINE_HEIGHT + 6))
        ws.write_string(r, 0, line, fm.para_bold if heading else fm.para)
    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    _protect(ws)


# --- _meta -------------------------------------------------------------------------------------


def _meta_sheet(wb, fm: _Formats, meta: signing.FormMeta, signature: str) -> None:
    ws = wb.add_worksheet(fl.SHEET_META)
    pairs = [fl.META_HEADER, (fl.META_FORMAT, fl.META_FORMAT_VALUE)]
    pairs += [(k, _meta_value(meta, k)) for k in fl.META_KEYS]
    pairs.append((fl.META_SIGNATURE, signature))
    for r, (k, v) in enumerate(pairs):
        _put(ws, r, 0, k, fm.meta)
        _put(ws, r, 1, v, fm.meta)
    r = len(pairs) + 1
    ws.write_string(r, 0, fl.META_LOCKED, fm.meta)
    for i, h in enumerate(fl.LOCKED_COLUMNS, start=1):
        ws.write_string(r, i, h, fm.meta)
    for item_id, values in meta.locked.items():
        r += 1
        ws.write_string(r, 0, item_id, fm.meta)
        for i, h in enumerate(fl.LOCKED_COLUMNS, start=1):
            if values.get(h):
                ws.write_string(r, i, values[h], fm.meta)
    ws.very_hidden()
    _protect(ws)


def _meta_value(meta: signing.FormMeta, key: str) -> str:
    value = getattr(meta, key)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- the workbook ------------------------------------------------------------------------------


def build_meta(c: FormContent) -> tuple[signing.FormMeta, list[tuple[Item, dict[str, str]]]]:
    rows = [(item, locked_texts(item, n)) for n, item in enumerate(c.items, start=1)]
    meta = signing.FormMeta(
        version=fl.FORM_VERSION,
        ledger_id=c.ledger_id,
        unit=c.unit,
        period=c.period,
        due=c.due,
        generated=c.generated.replace(microsecond=0, tzinfo=None),
        locked={locked["事项编号"]: locked for _item, locked in rows},
    )
    return meta, rows


def write_form(path: Path, content: FormContent, key: str) -> signing.FormMeta:
    """Write the form atomically (files.atomic_output); returns its metadata.

    A folder that cannot be written, or a form open in Excel/WPS, is a Chinese
    ``UsageError``/``LedgerBusy`` naming the form.
    """
    meta, rows = build_meta(content)
    signature = signing.sign(meta, key)
    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "in_memory": True,
            },
        )
        wb.set_properties(
            {
                "title": f"反馈表-{content.period}-{content.unit}",
                "author": content.settings.office_name,
                "company": content.settings.org_name,
                "created": meta.generated,
            }
        )
        fm = _Formats(wb)
        _form_sheet(wb, fm, content, rows)
        _co_sheet(wb, fm, content)
        _help_sheet(wb, fm, content)
        _meta_sheet(wb, fm, meta, signature)
        wb.close()
    return meta
