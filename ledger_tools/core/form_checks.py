"""The row rules of SPEC §5 for a returned feedback form, as pure functions.

The shell (jobs/intake.py) reads a returned file, cleans every cell (text trimmed, line breaks
normalised, dates parsed from any shape SPEC §4 lists, locked values reduced to a canonical
text) and hands this module plain ``FormEntry`` rows; what comes back are findings and, per
row, what merge may do with it. Nothing here knows that a spreadsheet exists, so every rule is
tested with plain dates and strings.

Decisions worth knowing:

- **Blank rows.** A row whose input cells are all empty is "not reported this time". That is
  only allowed for an item that is not yet obliged in the form's period (assigned during the
  month, SPEC §3) or no longer open; for an obliged item it is R103 + R104, because the form
  exists to report it.
- **Final items.** A filled row for an item the office has struck off or ended (已销号/已终止)
  is W203 and ignored; its content is not checked further (it will not be stored), but R101,
  R102 and R109 still apply, since they concern the form's integrity.
- **R102** compares every locked cell with the value `_meta` recorded when the form was made
  (signed, so authentic). `_meta`, not the ledger, is the reference: the ledger may have
  moved on legitimately since (上期进展 after a later merge, 当前时限 after an approved
  extension), and a unit must not be blamed for that.
- **R106** "after the file was made" is read as "after the day of checking" (--as-of): a unit
  cannot have finished on a day that has not come yet.
- **R108** the cycle of a long-term item is counted in whole months from its first accepted
  report (the first row in 办理记录, or this report): first reported 2026-11-20 with a 12-month
  cycle, a target may run to 2027-11-30 ("原则上…不超过1年"). A stage target is free text: every
  date it names (2027年6月, 2027-06-30, 2027年底 ...) must lie within the cycle. A month named
  without a day counts from its first day and a bare year from 1 January, so only targets
  clearly beyond it are refused.
- **A deleted row** (``check_missing``): `_meta` lists every item the form was made with; an
  item missing from the returned rows is judged like a blank row: R103 when the item is obliged
  in the form's period (and still this unit's and open), nothing otherwise. The finding has no
  cell, since the row is gone; it names the item.
- **Confidential items** (SPEC §3): findings travel further than the unit's own form (the
  ``--report`` workbook lists every unit's problems, the console and JSON are read by staff),
  so a message never quotes a confidential item's content, locked or typed: R102, R103, R105
  and W201 say 「涉密事项，内容不显示」 instead. A quote for any other row is withheld too when
  it carries a confidential item's text (two item numbers swapped move one row's content under
  the other's number).
- **Superseded forms** (``superseded``): SPEC says the later-made form wins. The same holds
  across runs: a report from a form made earlier than one already merged for the same item and
  period is logged (办理记录, 导入记录) but does not change the 台账 row, with W205.
- **W206**: a request received (the day of checking, --as-of) after 当前时限 is late; it is
  still stored as a request, and the warning says the clock did not stop.
- **F006** (``check_period``): a form is accepted for the month of --as-of and for the month
  before (a late return still counts for its own period); any other period is refused, and so
  is a form whose unit already had a form of a *later* period merged (it has been superseded).

Long because this is the whole catalogue of SPEC §5's row rules: they share ``FormContext`` and
the decisions above, and each check is a short function; cut in two, a rule would sit apart
from the decision that shapes it.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter

from ledger_tools.core import findings as fnd
from ledger_tools.core import rules
from ledger_tools.core.confidential import TEXT_FIELDS
from ledger_tools.core.dates import dates_in_text
from ledger_tools.core.model import FINAL_STATUSES, Item, Settings, UnitReportStatus

__all__ = [
    "COL_DONE",
    "COL_EXT_REASON",
    "COL_EXT_TO",
    "COL_PROBLEMS",
    "COL_PROGRESS",
    "COL_STAGE",
    "COL_STATUS",
    "FormContext",
    "FormEntry",
    "HIDDEN",
    "MAX_TEXT",
    "RowOutcome",
    "add_months",
    "check_contact",
    "check_missing",
    "check_period",
    "check_rows",
    "dates_in_text",
    "formula_like",
    "is_perfunctory",
    "prejudge",
    "superseded",
]

SHEET = "反馈表"
COL_ID = "事项编号"
COL_LAST = "上期进展"
COL_STATUS = "办理状态"
COL_PROGRESS = "本期进展情况"
COL_DONE = "办结日期"
COL_STAGE = "阶段性目标"
COL_EXT_REASON = "延期原因"
COL_EXT_TO = "申请延期至"
COL_PROBLEMS = "存在问题及建议"
INPUTS = (COL_STATUS, COL_PROGRESS, COL_DONE, COL_STAGE, COL_EXT_REASON, COL_EXT_TO, COL_PROBLEMS)

HIDDEN = "涉密事项，内容不显示"
STATUS_HINT = "请从下拉列表选择：推进中、已办结、申请延期。"
# Locked columns that carry an item's content (the others are numbers, dates and unit names).
CONTENT_COLUMNS = ("来源名称", "议定事项", "办理要求", COL_LAST)
MIN_SECRET = 4  # shorter texts are too common to withhold a quote for

MAX_TEXT = 2000
MIN_PROGRESS = 10  # characters, punctuation and spaces not counted
EARLIEST_YEAR = 2000

# Progress texts that say nothing on their own (W201), longest first so that removing them
# from a text leaves nothing when the text is only a string of them.
_STOCK = sorted(
    (
        "正在推进",
        "按计划推进",
        "推进中",
        "有序推进",
        "正常推进",
        "稳步推进",
        "持续推进",
        "积极推进",
        "加快推进",
        "扎实推进",
        "按期推进",
        "全力推进",
        "正在办理",
        "办理中",
        "正在落实",
        "抓紧落实",
        "进展顺利",
        "进展正常",
        "已完成",
        "已办结",
        "完成",
        "无进展",
        "暂无进展",
        "同上期",
        "同上",
        "无",
        "正在",
        "按计划",
        "推进",
    ),
    key=len,
    reverse=True,
)
_STOCK_CHARS = frozenset("".join(_STOCK))


# --- what the shell hands in -----------------------------------------------------------


@dataclass
class FormEntry:
    """One item row of a returned form, its cells already cleaned by the shell."""

    row: int  # worksheet row, 1-based
    item_id: str | None
    refs: dict[str, str] = field(default_factory=dict)  # header → A1 of each column found
    locked: dict[str, str | None] = field(default_factory=dict)  # canonical text as returned
    texts: dict[str, str | None] = field(default_factory=dict)  # input header → text as typed
    dates: dict[str, dt.date | None] = field(default_factory=dict)  # date inputs read
    bad_dates: dict[str, str] = field(default_factory=dict)  # date inputs unreadable → text
    # header → the merged range (A1:B2) that swallows the cell: it reads empty (see MERGED_NOTE)
    merged: dict[str, str] = field(default_factory=dict)
    # What ``prejudge`` works out from the row alone where the form is read (None: not done):
    # W201's look at 本期进展情况, the dates 阶段性目标 names, R110 and W202 of the inputs.
    perfunctory: str | None = None
    stage_dates: tuple[dt.date, ...] | None = None
    text_notes: tuple[tuple[str, str, str | None], ...] | None = None
    # header → column letters, one mapping shared by the rows of a form: the A1 of a column
    # found is these letters and ``row`` when ``refs`` does not name it (thousands of rows
    # of A1 texts would be most of what a worker sends back)
    columns: Mapping[str, str] = field(default_factory=dict)

    @property
    def blank(self) -> bool:
        return not any(self.texts.get(h) for h in INPUTS) and not self.bad_dates

    def text(self, header: str) -> str | None:
        return self.texts.get(header)

    def checked(self) -> None:
        """Forget what only the checks look at (cell references, locked values, merged
        ranges, unread dates, the prejudged notes): the findings hold what they need of
        it, and a merge keeps every row's texts and dates until it saves (at 50,000 items
        some 40,000 rows)."""
        self.refs, self.locked, self.merged, self.bad_dates = {}, {}, {}, {}
        self.columns = {}
        self.perfunctory = self.stage_dates = self.text_notes = None

    def ref(self, header: str) -> str | None:
        ref = self.refs.get(header)
        if ref is None and (letters := self.columns.get(header)) is not None:
            return f"{letters}{self.row}"
        return ref


@dataclass
class FormContext:
    """What the rules need to know beyond the row: the form's header and the ledger."""

    file: str
    unit: str  # the form's unit, registered name
    period: str  # YYYY-MM
    as_of: dt.date
    meta_locked: Mapping[str, Mapping[str, str | None]]  # item id → header → canonical text
    items: Mapping[str, Item]  # the ledger's items by id, status and 当前时限 as of as_of
    unit_names: Mapping[str, str]  # name or alias → registered name
    settings: Settings = field(default_factory=Settings)
    first_reports: Mapping[str, dt.date] = field(default_factory=dict)  # item id → first report
    sheet: str = SHEET
    # (item id, 申请延期至) of requests in 延期记录 still awaiting approval: asked again, not late
    pending_requests: frozenset[tuple[str, dt.date | None]] = frozenset()

    @cached_property
    def secret_texts(self) -> frozenset[str]:
        """The content of this form's confidential items (as on the form and in the ledger) that
        no other item of the form shares: a quote containing one is withheld."""
        secret: set[str] = set()
        others: list[tuple[Mapping[str, str | None], Item | None]] = []
        for item_id, values in self.meta_locked.items():
            item = self.items.get(item_id)
            if item is not None and item.confidential:
                secret.update(_content_texts(values, item))
            else:
                others.append((values, item))
        secret = {t for t in secret if len(t) >= MIN_SECRET}
        for values, item in others:
            if not secret:
                break  # (a form without a confidential item is done at once)
            secret.difference_update(_content_texts(values, item))
        return frozenset(secret)

    @cached_property
    def _secret_lookup(self) -> tuple[int, tuple[str, ...], dict[str, bool]]:
        """(length of the shortest secret, the secrets, the answers given so far by text):
        ``carries_secret`` is asked for every locked cell of every row, and the short cells
        (序号, 当前时限, 事项类型 ...) and the values repeated from row to row are answered
        without a search."""
        secrets = tuple(self.secret_texts)
        return (min(map(len, secrets)) if secrets else 0), secrets, {}

    def carries_secret(self, text: object) -> bool:
        shortest, secrets, memo = self._secret_lookup
        if not secrets:
            return False
        whole = "" if text is None else str(text)
        if len(whole) < shortest:
            return False  # no secret fits in it
        known = memo.get(whole)
        if known is None:
            known = memo[whole] = any(s in whole for s in secrets)
        return known

    def carries_any_secret(self, texts: Iterable[object]) -> bool:
        """``any(self.carries_secret(t) for t in texts)``, asked once per row."""
        shortest, secrets, memo = self._secret_lookup
        if not secrets:
            return False
        for text in texts:
            if text is None:
                continue
            whole = str(text)
            if len(whole) < shortest:
                continue
            known = memo.get(whole)
            if known is None:
                known = memo[whole] = any(s in whole for s in secrets)
            if known:
                return True
        return False

    def quote(self, text: object, secret: bool, limit: int = 40) -> str | None:
        """``text`` shortened for a message, or None when it must not be shown (see above)."""
        if secret or self.carries_secret(text):
            return None
        return _short(text, limit)


def _content_texts(values: Mapping[str, str | None], item: Item | None) -> list[str]:
    """An item's content on the form (its `_meta` values) and in the ledger, trimmed (what is
    blank left out: it is never a secret)."""
    texts = [v.strip() for v in map(values.get, CONTENT_COLUMNS) if v]
    if item is not None:
        texts += [str(v).strip() for v in _ITEM_TEXTS(item) if v]
    return texts


_ITEM_TEXTS = attrgetter(*TEXT_FIELDS)


REPORT, BLANK, IGNORED = "report", "blank", "ignored"

# Added to a finding on a cell the unit merged with its neighbours: only a merged range's
# top-left cell keeps a value, so the others read empty whatever the unit saw in them.
MERGED_NOTE = (
    "（{cell} 在合并单元格 {range} 中：合并后只有左上角的单元格有内容，其余单元格读不到内容。"
    "请选中 {range} 取消合并，为每个事项分别填写后重新报送。）"
)


@dataclass
class RowOutcome:
    """The verdict on one row: its findings and what merge may do with it."""

    entry: FormEntry
    item: Item | None
    action: str  # REPORT (store it when it has no error) · BLANK (nothing) · IGNORED (W203)
    status: UnitReportStatus | None = None
    findings: list[fnd.Finding] = field(default_factory=list)
    secret: bool = False  # the row shows a confidential item's content: messages do not quote it

    @property
    def ok(self) -> bool:
        return not fnd.has_errors(self.findings)


# --- small pure helpers ------------------------------------------------------------------


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (01-31 + 1 → 02-28)."""
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(d.day, _stdcal.monthrange(year, month)[1]))


_NOT_LETTERS = re.compile(r"[\W_]+")
# Cc, the C0 and C1 control characters, except tab and line feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _letters(text: str) -> str:
    """The text without spaces, punctuation and symbols: what W201 counts."""
    return _NOT_LETTERS.sub("", unicodedata.normalize("NFKC", text))


def is_perfunctory(progress: str, last: str | None = None, *, quote: bool = True) -> str | None:
    """Why a progress text says too little (W201 detail), or None when it is fine.

    ``quote=False`` leaves the text out of the detail (a confidential item's progress)."""
    return _perfunctory_detail(_perfunctory(progress, last), progress, quote)


_SAME, _TOO_SHORT, _STOCK_ONLY = "same", "short", "stock"  # what ``_perfunctory`` finds


def _perfunctory(progress: str, last: str | None) -> str:
    """Which way a progress text says too little: _SAME, _TOO_SHORT, _STOCK_ONLY, "" if fine."""
    letters = _letters(progress)
    if last and letters and letters == _letters(last):
        return _SAME
    if len(letters) < MIN_PROGRESS:
        return _TOO_SHORT
    if not _STOCK_CHARS.issuperset(letters):
        return ""  # a character no stock phrase has is never removed: not only stock phrases
    rest = letters
    for phrase in _STOCK:
        rest = rest.replace(phrase, "")
    return "" if rest else _STOCK_ONLY


def _perfunctory_detail(why: str, progress: str, quote: bool) -> str | None:
    if not why:
        return None
    if why == _SAME:
        return "与上期进展完全相同"
    shown = f"「{_short(progress)}」" if quote else HIDDEN
    return f"过于简略（{shown}）" if why == _TOO_SHORT else f"只有套话（{shown}）"


def formula_like(text: str | None) -> bool:
    """Text Excel would take for a formula if it were typed: W202 (it is stored as text)."""
    return bool(text and text[0] in "=+-@＝＋－＠")


def _control_chars(text: str) -> list[str]:
    if _CONTROL.search(text) is None:  # the common case, without building a list
        return []
    return sorted(set(_CONTROL.findall(text)))


def _short(text: object, limit: int = 40) -> str:
    s = "" if text is None else str(text)
    return s if len(s) <= limit else s[:limit] + "……"


def _text_problem(text: str) -> str | None:
    """R110 detail for a text, or None."""
    if len(text) > MAX_TEXT:
        return f"共 {len(text)} 个字，超过 {MAX_TEXT} 字上限"
    bad = _control_chars(text)
    if bad:
        codes = "、".join(f"U+{ord(c):04X}" for c in bad[:5])
        return f"含有不可见的控制字符（{codes}），可能是从其他软件粘贴带入的"
    return None


# --- file-level rules --------------------------------------------------------------------


def _previous_period(period: str) -> str:
    return rules.period_of(rules.period_start(period) - dt.timedelta(days=1))


def check_period(period: str, as_of: dt.date, merged_periods: Iterable[str] = ()) -> str | None:
    """F006 detail for a form of ``period`` checked on ``as_of``, or None when it may be merged.

    ``merged_periods`` are the periods of this unit's forms already merged (导入记录).
    """
    current = rules.period_of(as_of)
    previous = _previous_period(current)
    if period > current:
        return f"本表为 {period} 期反馈表，当前（{as_of}）为 {current} 期，尚未到该期报送时间"
    if period < previous:
        return (
            f"本表为 {period} 期反馈表，已过报送期（当前为 {current} 期，"
            f"只接收 {current} 期和 {previous} 期的反馈表）"
        )
    later = sorted(p for p in merged_periods if p and p > period)
    if later:
        return f"本单位 {later[-1]} 期的反馈表已经合并，本表（{period} 期）已被替代"
    return None


def check_contact(
    contact: str | None, phone: str | None, refs: Mapping[str, str | None], ctx: FormContext
) -> list[fnd.Finding]:
    """W204 for a missing contact or phone, R110 for unusable text there."""
    out: list[fnd.Finding] = []
    for label, value in (("联系人", contact), ("联系电话", phone)):
        where = dict(file=ctx.file, sheet=ctx.sheet, cell=refs.get(label))
        if not value:
            out.append(fnd.make("W204", column=label, **where))
            continue
        problem = _text_problem(value)
        if problem:
            out.append(fnd.make("R110", column=label, detail=problem, **where))
    return out


# --- row rules ---------------------------------------------------------------------------


def check_rows(entries: Iterable[FormEntry], ctx: FormContext) -> list[RowOutcome]:
    """Every row's verdict, in sheet order; every finding of the form is collected (lazy)."""
    seen: dict[str, int] = {}
    outcomes: list[RowOutcome] = []
    for entry in entries:
        if not entry.item_id and entry.blank:
            continue  # an empty line the unit left or inserted
        outcomes.append(_check_row(entry, ctx, seen))
    return outcomes


def prejudge(entries: Iterable[FormEntry]) -> None:
    """What the row rules can tell from a row alone, worked out where the form is read (in a
    worker for a batch), so that checking it against the ledger has less to do."""
    for entry in entries:
        progress = entry.texts.get(COL_PROGRESS)
        if progress:
            entry.perfunctory = _perfunctory(progress, entry.locked.get(COL_LAST))
        target = entry.texts.get(COL_STAGE)
        if target:
            entry.stage_dates = tuple(dates_in_text(target))
        entry.text_notes = _text_notes(entry)


def check_missing(outcomes: Iterable[RowOutcome], ctx: FormContext) -> list[fnd.Finding]:
    """R103 for every item `_meta` lists whose row is gone although it must be reported now."""
    found = {o.entry.item_id for o in outcomes if o.entry.item_id}
    out: list[fnd.Finding] = []
    for item_id in ctx.meta_locked:
        item = ctx.items.get(item_id)
        if item_id in found or item is None or item.status is None or item.status in FINAL_STATUSES:
            continue
        if ctx.unit_names.get(item.lead_unit or "", item.lead_unit) != ctx.unit:
            continue  # moved to another unit since the form was made: not this unit's to report
        if rules.is_obliged(item, ctx.period):
            out.append(
                fnd.make(
                    "R103",
                    file=ctx.file,
                    sheet=ctx.sheet,
                    item=item_id,
                    detail=f"事项 {item_id} 本期必须报送，但它所在的行已从「{ctx.sheet}」中删除。"
                    "请恢复该行（可从督查室下发的原表中整行复制），填写「办理状态」和「本期进展情况」后重新报送。",
                )
            )
    return out


Claim = tuple[object, str, str, dt.datetime | None]  # (form, item id, period, form made at)


def superseded(
    claims: Iterable[Claim], merged: Mapping[tuple[str, str], dt.datetime]
) -> dict[object, dict[str, dt.datetime]]:
    """Reports that a later-made form overrides: form → item id → when that later form was made.

    ``claims`` are the reports about to be merged; ``merged`` the newest form already merged per
    (item id, period). Only a strictly later-made form wins: the same form filled in again (a
    correction) is not older than itself, and the later of the two merges decides.
    """
    claims = list(claims)
    newest = dict(merged)
    for _form, item_id, period, made in claims:
        key = (item_id, period)
        if made is not None and (key not in newest or made > newest[key]):
            newest[key] = made
    out: dict[object, dict[str, dt.datetime]] = {}
    for form, item_id, period, made in claims:
        top = newest.get((item_id, period))
        if made is not None and top is not None and made < top:
            out.setdefault(form, {})[item_id] = top
    return out


def _check_row(entry: FormEntry, ctx: FormContext, seen: dict[str, int]) -> RowOutcome:
    item_id = entry.item_id
    out = RowOutcome(entry, None, BLANK)
    add = out.findings.append

    def make(code: str, header: str | None = None, **values) -> None:
        finding = fnd.make(
            code,
            file=ctx.file,
            sheet=ctx.sheet,
            cell=entry.ref(header or COL_ID),
            item=item_id,
            **values,
        )
        merged = entry.merged.get(header or COL_ID)
        if merged:  # the cell reads empty because it is merged: say so, not just 未填写
            finding.message += MERGED_NOTE.format(cell=finding.cell, range=merged)
        add(finding)

    if not item_id:
        make("R101", detail=f"第 {entry.row} 行没有「事项编号」，不是反馈表原有的事项")
        return out
    if item_id in seen:
        make("R109", detail=str(seen[item_id]))
    else:
        seen[item_id] = entry.row

    item = ctx.items.get(item_id)
    if item is None:
        make("R101", detail=f"事项 {item_id} 在台账中不存在")
        return out
    if item_id not in ctx.meta_locked:
        make("R101", detail=f"事项 {item_id} 不在「{ctx.unit}」本期反馈表中")
        return out
    lead = ctx.unit_names.get(item.lead_unit or "", item.lead_unit)
    if lead != ctx.unit:  # a confidential item's lead unit is not told to another unit
        named = "" if item.confidential else f"（主责单位为「{lead or '未填写'}」）"
        make("R101", detail=f"事项 {item_id} 不是「{ctx.unit}」主责的事项{named}")
        return out
    out.item = item
    out.secret = item.confidential or ctx.carries_any_secret(entry.locked.values())

    expected = ctx.meta_locked[item_id]
    for header, actual in entry.locked.items():
        if header == COL_ID or header not in expected:
            continue
        if (actual or "") != (expected[header] or ""):
            was, now = ctx.quote(expected[header], out.secret), ctx.quote(actual, out.secret)
            detail = (
                f"锁定内容被改动（{HIDDEN}）"
                if was is None or now is None
                else f"原为「{was or '（空）'}」，被改为「{now or '（空）'}」"
            )
            make("R102", header, column=header, detail=detail)

    if item.status in FINAL_STATUSES:
        if not entry.blank:
            out.action = IGNORED
            make("W203", _first_filled(entry), detail=item.status.value.removeprefix("已"))
        return out
    if entry.blank:
        if item.status is not None and rules.is_obliged(item, ctx.period):
            make(
                "R103",
                COL_STATUS,
                detail=f"「办理状态」未填写（本事项本期必须报送）。{STATUS_HINT}",
            )
            make("R104", COL_PROGRESS)
        return out

    out.action = REPORT
    _check_content(entry, item, ctx, out, make)
    return out


def _first_filled(entry: FormEntry) -> str:
    for h in INPUTS:
        if entry.texts.get(h):
            return h
    return COL_STATUS


def _text_notes(entry: FormEntry) -> tuple[tuple[str, str, str | None], ...]:
    """(R110 or W202, header, R110's detail) for the inputs, in order."""
    notes: list[tuple[str, str, str | None]] = []
    for header in INPUTS:
        text = entry.texts.get(header)
        if not text:
            continue
        problem = _text_problem(text)
        if problem:
            notes.append(("R110", header, problem))
        if header not in (COL_DONE, COL_EXT_TO) and formula_like(text):
            notes.append(("W202", header, None))
    return tuple(notes)


def _check_content(entry: FormEntry, item: Item, ctx: FormContext, out: RowOutcome, make) -> None:
    too_long: set[str] = set()
    notes = entry.text_notes
    for code, header, problem in _text_notes(entry) if notes is None else notes:
        if code == "R110":
            too_long.add(header)
            make("R110", header, column=header, detail=problem)
        else:
            make("W202", header, column=header)

    status_text = entry.text(COL_STATUS)
    status = UnitReportStatus.parse(status_text)
    out.status = status
    if not status_text:
        make("R103", COL_STATUS, detail=f"「办理状态」未填写。{STATUS_HINT}")
    elif status is None:
        shown = ctx.quote(status_text, out.secret, 20)
        what = f"「{shown}」" if shown is not None else f"的内容（{HIDDEN}）"
        make("R103", COL_STATUS, detail=f"「办理状态」填写{what}不是可选值。{STATUS_HINT}")

    progress = entry.text(COL_PROGRESS)
    if not progress:
        make("R104", COL_PROGRESS)
    elif COL_PROGRESS not in too_long:
        why = entry.perfunctory
        if why is None:
            why = _perfunctory(progress, entry.locked.get(COL_LAST))
        if why:
            quote = ctx.quote(progress, out.secret) is not None
            make("W201", COL_PROGRESS, detail=_perfunctory_detail(why, progress, quote))

    for header, raw in entry.bad_dates.items():
        shown = ctx.quote(raw, out.secret, 30)
        make(
            "R105",
            header,
            column=header,
            detail=f"的「{shown}」" if shown is not None else f"填写的内容（{HIDDEN}）",
        )

    if status is UnitReportStatus.DONE:
        _check_done(entry, item, ctx, make)
    elif status is UnitReportStatus.EXTENSION:
        _check_extension(entry, item, make)
        _check_late_request(entry, item, ctx, make)
    if item.is_long_term:
        _check_stage(entry, item, status, ctx, make)


def _check_done(entry: FormEntry, item: Item, ctx: FormContext, make) -> None:
    done = entry.dates.get(COL_DONE)
    if done is None:
        if COL_DONE not in entry.bad_dates:
            make(
                "R106",
                COL_DONE,
                detail="办理状态为「已办结」，但未填写「办结日期」。请填写实际办结的日期。",
            )
        return
    assigned = _day(item.assigned)
    if assigned is not None and done < assigned:
        make(
            "R106", COL_DONE, detail=f"「办结日期」{done} 早于交办日期 {assigned}。请核对办结日期。"
        )
    if done > ctx.as_of:
        make(
            "R106",
            COL_DONE,
            detail=f"「办结日期」{done} 晚于报送核对日 {ctx.as_of}，尚未到来。"
            "请填写实际办结的日期；尚未办结的请选择「推进中」。",
        )


def _check_extension(entry: FormEntry, item: Item, make) -> None:
    if not entry.text(COL_EXT_REASON):
        make(
            "R107",
            COL_EXT_REASON,
            detail="办理状态为「申请延期」，但未填写「延期原因」。请说明难以按时办结的客观原因。",
        )
    wanted = entry.dates.get(COL_EXT_TO)
    if wanted is None:
        if COL_EXT_TO not in entry.bad_dates:
            make(
                "R107",
                COL_EXT_TO,
                detail="办理状态为「申请延期」，但未填写「申请延期至」。请填写申请延至的日期。",
            )
        return
    deadline = _day(item.current_deadline or item.deadline)
    if deadline is not None and wanted <= deadline:
        make(
            "R107",
            COL_EXT_TO,
            detail=f"「申请延期至」{wanted} 不晚于当前时限 {deadline}。"
            "请填写当前时限之后的日期，或选择「推进中」。",
        )


def _check_late_request(entry: FormEntry, item: Item, ctx: FormContext, make) -> None:
    """W206 (Art. 8(3)): an extension must be asked for before 当前时限 passes. A late request
    is still recorded (staff decide on it) and does not stop the item being overdue; a request
    already pending, asked again on a later form, was asked when it was first received."""
    deadline = _day(item.current_deadline)
    if not isinstance(deadline, dt.date) or ctx.as_of <= deadline:
        return
    if (item.id or "", entry.dates.get(COL_EXT_TO)) in ctx.pending_requests:
        return
    make("W206", COL_STATUS, detail=deadline.isoformat())


def _check_stage(entry: FormEntry, item: Item, status, ctx: FormContext, make) -> None:
    target = entry.text(COL_STAGE)
    if not target:
        if not item.stage_target and status is not UnitReportStatus.DONE:
            make(
                "R108",
                COL_STAGE,
                detail="本事项为长期事项，首次报送须填写「阶段性目标」（目标任务及完成时间）。",
            )
        return
    first = ctx.first_reports.get(item.id or "", ctx.as_of)
    months = int(ctx.settings.max_cycle_months)
    limit = _month_end(add_months(first, months))
    named = entry.stage_dates
    beyond = [d for d in (dates_in_text(target) if named is None else named) if d > limit]
    if beyond:
        make(
            "R108",
            COL_STAGE,
            detail=f"「阶段性目标」中的时间 {max(beyond)} 超出长期事项最长周期"
            f"（自首次报送 {first} 起 {months} 个月，即 {limit} 前）。"
            "请把目标分解为周期内可完成的阶段任务。",
        )


def _month_end(d: dt.date) -> dt.date:
    return d.replace(day=_stdcal.monthrange(d.year, d.month)[1])


def _day(value) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value
