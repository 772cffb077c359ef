"""ledger check / ledger merge: returned feedback forms checked, then merged into the ledger.

``check`` is read-only. ``merge`` checks the same way, applies every file without an error (a
file is all-or-nothing; with ``partial`` its valid rows go in and only its bad rows are
refused), refreshes (SPEC §3, as of --as-of) and saves the ledger once. The row rules, and the
F006 and blank-row decisions, live in core/form_checks.py; this module reads files, gathers
what the rules need from the ledger, and writes the results.

Decisions worth knowing:

- **Nothing merged, nothing saved.** 导入记录 gets one row per file checked (merged, rejected
  or skipped), but only in a run that merges something: a run that only rejects or skips
  leaves the ledger byte-identical (SPEC §8), so merging the same file twice changes nothing.
- **F007**: a file whose SHA-256 is in 导入记录 with 已合并, or that appeared earlier in the
  same run, is skipped before it is parsed.
- **Order.** Accepted forms are applied by (period, `_meta` generation time, file order); every
  report goes to 办理记录, and for each item the last one decides the 台账 row and, if it asks
  for an extension, the 延期记录 request (an identical request still pending is not repeated).
- **The 台账 row** gets 最新进展, 最近报送日期 (the --as-of day), 办结日期 + 已办结 for a
  completion, 申请延期 for a request (not for an item already 已办结), and 阶段性目标 only at a
  long-term item's first report. A blank on the form never blanks the ledger. 办理记录 keeps
  the fields that belong to the chosen status (办结日期 for 已办结, 延期原因 and 申请延期至 for
  申请延期) plus 阶段性目标 and 存在问题及建议 as given.
- **Later-made forms win, across runs too.** A report from a form made before another form
  already merged (or merged in the same run) for the same item and period goes to 办理记录
  and 导入记录 but leaves the 台账 row alone, with W205. Across runs this needs to know when
  the merged forms were made: 导入记录 keeps it in a column 表格生成时间 (``form_made``), which
  a ledger made before the column existed gains at its first merge.
- **The header block is compared with `_meta`** (报送期次, 截止日期, like 填报单位): a validly
  signed `_meta` pasted in from another month's form is F005, not a report for that month.
- **Checking against the present.** 办理状态 and 当前时限 are derived (rules) from the ledger
  and 延期记录 before the rules run, so an extension approved or an item struck off since the
  last refresh is already taken into account.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ledger_tools.core import form_checks as fc
from ledger_tools.core import rules
from ledger_tools.core.findings import Finding, has_errors, make
from ledger_tools.core.model import Extension, Report, Status, UnitReportStatus
from ledger_tools.errors import LedgerBusy, UsageError
from ledger_tools.jobs import refresh
from ledger_tools.sheets.cells import BadValue, clean_text, parse_date
from ledger_tools.sheets.documents.findings import check_target, write_report
from ledger_tools.sheets.files import output_dir
from ledger_tools.sheets.forms import annotate as ann
from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.forms.reader import header_block, parse_form
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.data import LedgerData, read_ledger, require_clean
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.tables import Table
from ledger_tools.sheets.returned.workbook import (
    ReturnedFileError,
    ReturnedWorkbook,
    fingerprint,
    read_returned,
)

__all__ = ["FileOutcome", "IntakeResult", "check", "collect_inputs", "merge"]

FORM_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
MERGED, REJECTED, DUPLICATE = "已合并", "已退回", "重复跳过"
CAN_MERGE, MUST_RETURN = "可合并", "需退回"  # what `check` says a merge would do
_SKIP_PREFIXES = ("~$", ".", ann.PREFIX)  # office owner files, hidden files, our copies
FORM_MADE = "form_made"  # 导入记录: when the file's form was made (its `_meta` generation time)


def _imports(data: LedgerData, *, for_writing: bool = False) -> Table:
    """导入记录; a ledger made before 表格生成时间 existed gains that header when written to."""
    table = data.table(sc.IMPORTS)
    if for_writing:
        table.add_column(FORM_MADE)
    return table


@dataclass
class FileOutcome:
    """One returned file: what was read from it, every finding, and what became of it."""

    path: Path
    order: int
    sha256: str | None = None
    kind: str | None = None
    unit: str | None = None
    period: str | None = None
    generated: dt.datetime | None = None
    contact: str | None = None
    phone: str | None = None
    findings: list[Finding] = field(default_factory=list)
    rows: list[fc.RowOutcome] = field(default_factory=list)
    file_error: bool = False  # an error outside the item rows: the whole file is refused
    duplicate: bool = False
    result: str = ""
    returned: ReturnedWorkbook | None = None
    annotated: Path | None = None
    superseded: dict[str, dt.datetime] = field(default_factory=dict)  # item id → newer form made

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def has_errors(self) -> bool:
        return has_errors(self.findings)

    def accepted(self, partial: bool) -> list[fc.RowOutcome]:
        """The rows a merge applies: all reports of a clean file, or the valid ones with partial."""
        if self.duplicate or self.file_error or (self.has_errors and not partial):
            return []
        return [r for r in self.rows if r.action == fc.REPORT and r.ok]

    @property
    def reports(self) -> int:
        """Item rows the unit filled in (事项数 of 导入记录)."""
        return sum(1 for r in self.rows if r.action in (fc.REPORT, fc.IGNORED))

    @property
    def problems(self) -> int:
        """Errors and warnings (问题数); F007's notice is not a problem."""
        return sum(1 for f in self.findings if f.code != "F007")

    def summary(self) -> tuple:
        return (
            self.name,
            self.unit or "",
            self.period or "",
            self.result,
            self.reports,
            self.problems,
        )

    def add(self, finding: Finding, *, whole_file: bool = True) -> None:
        self.findings.append(finding)
        if whole_file and finding.is_error:
            self.file_error = True


@dataclass
class IntakeResult:
    as_of: dt.date
    files: list[FileOutcome] = field(default_factory=list)
    reports_merged: int = 0
    extension_requests: int = 0
    saved: bool = False
    backup: Path | None = None
    cells_changed: int = 0
    unconfirmed_years: list[int] = field(default_factory=list)
    report_path: Path | None = None
    annotated: list[Path] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for o in self.files for f in o.findings]

    @property
    def rejected(self) -> list[FileOutcome]:
        """Files refused in whole or in part: the ones that get a 退回 copy."""
        return [o for o in self.files if o.has_errors]

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected else 0

    def count(self, result: str) -> int:
        return sum(1 for o in self.files if o.result == result)


# --- inputs --------------------------------------------------------------------------------


def collect_inputs(inputs: list[Path], ledger: Path | None = None) -> list[Path]:
    """Files named, and every form file inside folders named (not their subfolders).

    Office lock files (~$…), hidden files, annotated copies (退回-…) and the ledger itself are
    skipped inside folders; a file named explicitly is always checked.
    """
    own = ledger.resolve() if ledger else None
    out: list[Path] = []
    seen: set[Path] = set()
    for p in map(Path, inputs):
        if not p.exists():
            raise UsageError(f"找不到文件或文件夹：{p}。请检查路径。")
        if p.is_dir():
            found = sorted(
                c
                for c in p.iterdir()
                if c.is_file()
                and c.suffix.lower() in FORM_SUFFIXES
                and not c.name.startswith(_SKIP_PREFIXES)
            )
        elif own is not None and p.resolve() == own:
            raise UsageError(
                f"{p} 是台账本身，不是单位报回的反馈表。请写反馈表文件或所在的文件夹。"
            )
        else:
            found = [p]
        for c in found:
            key = c.resolve()
            if key not in seen and key != own:
                seen.add(key)
                out.append(c)
    if not out:
        names = "、".join(str(p) for p in inputs)
        raise UsageError(f"在 {names} 中没有找到反馈表文件（.xlsx、.xlsm、.xls、.ods）。")
    return out


# --- what the rules need from the ledger, gathered once --------------------------------------


class _LedgerIndex:
    """Lookups built once per run, so that checking 200 forms never rescans a sheet."""

    def __init__(self, data: LedgerData, as_of: dt.date):
        self.data = data
        self.as_of = as_of
        self.unit_names = data.unit_names()
        extensions = _by_item(data.extensions)
        for item in data.items:  # status and 当前时限 as of now, as refresh would make them
            if item.id:
                mine = extensions.get(item.id, ())
                item.status = rules.derive_status(item, mine)
                item.current_deadline = rules.current_deadline(item, mine)[0]
        self.items = data.items_by_id()
        self.merged_shas: dict[str, str] = {}
        self.merged_periods: dict[str, set[str]] = defaultdict(set)
        made_by_sha: dict[str, dt.datetime] = {}
        for row in _imports(data).rows():
            if row.get("result") != MERGED:
                continue
            sha = str(row.get("fingerprint") or "").strip().lower()
            if sha:
                self.merged_shas[sha] = row.get("file") or ""
                if isinstance(row.get(FORM_MADE), dt.datetime):
                    made_by_sha[sha] = row.get(FORM_MADE)
            period = rules.normalize_period(row.get("period"))
            if row.get("unit") and period:
                self.merged_periods[self.unit(row.get("unit"))].add(period)
        self.first_reports: dict[str, dt.date] = {}
        self.newest_made: dict[tuple[str, str], dt.datetime] = {}  # (item, period) → form made
        for r in data.reports:
            d = r.recorded_date
            if (
                r.item_id
                and d
                and (r.item_id not in self.first_reports or d < self.first_reports[r.item_id])
            ):
                self.first_reports[r.item_id] = d
            made = made_by_sha.get(str(r.fingerprint or "").strip().lower())
            key = (r.item_id or "", rules.normalize_period(r.period) or "")
            if made and all(key) and made > self.newest_made.get(key, dt.datetime.min):
                self.newest_made[key] = made

    def unit(self, name: object) -> str | None:
        text = clean_text(name)
        return self.unit_names.get(text, text) if text else None


def _by_item(records) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for r in records:
        if r.item_id:
            grouped[r.item_id].append(r)
    return grouped


# --- reading one file into the rules' terms -------------------------------------------------


def _text(value: object) -> str | None:
    """Cleaned text with Windows line breaks made plain (they would show as _x000D_)."""
    if value is None:
        return None
    text = clean_text(value)
    if text and "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _canon(value: object) -> str | None:
    """A cell as comparable text: the same on the form, in `_meta`, after any client's save."""
    return _text(value if type(value) is str else fl.locked_text(value))


def _entry(row: fl.FormRow, raw_meta: dict[str, str], meta: dict[str, str | None]) -> fc.FormEntry:
    """A row in the rules' terms. ``raw_meta``/``meta``: this item's `_meta` values as written
    and as canonical text; a locked cell still holding what was written is not re-cleaned."""
    e = fc.FormEntry(row.number, clean_text(row.item_id))
    for header, cell in row.cells.items():
        e.refs[header] = cell.ref
        value = cell.value
        if header in _LOCKED:
            same = value is not None and value == raw_meta.get(header)
            e.locked[header] = meta[header] if same else _canon(value)
            continue
        text = e.texts[header] = _text(value)
        if text and header in fl.DATE_INPUTS:
            try:
                d = parse_date(value)
                if d is None or not fc.EARLIEST_YEAR <= d.year <= 2099:
                    raise BadValue(value)
                e.dates[header] = d
            except BadValue:
                e.bad_dates[header] = text
    return e


_LOCKED = frozenset(fl.LOCKED_COLUMNS)


def _examine(
    data: LedgerData, paths: list[Path], as_of: dt.date, partial: bool = False
) -> list[FileOutcome]:
    index = _LedgerIndex(data, as_of)
    seen: dict[str, str] = {}
    outcomes = []
    for order, path in enumerate(paths):
        o = FileOutcome(path, order)
        _examine_file(o, index, seen)
        outcomes.append(o)
    _supersede(outcomes, index, partial)
    return outcomes


def _examine_file(o: FileOutcome, index: _LedgerIndex, seen: dict[str, str]) -> None:
    data, name = index.data, o.name
    try:
        o.sha256 = fingerprint(o.path)
    except ReturnedFileError as e:
        o.add(e.finding(file=name))
        return
    if o.sha256 in index.merged_shas:
        o.duplicate = True
        o.add(
            make(
                "F007",
                file=name,
                detail=f"与已合并的 {index.merged_shas[o.sha256] or '文件'} 完全相同",
            )
        )
        return
    if o.sha256 in seen:
        o.duplicate = True
        o.add(make("F007", file=name, detail=f"与本次的 {seen[o.sha256]} 完全相同"))
        return
    seen[o.sha256] = name
    try:
        wb = read_returned(o.path)
        o.sha256, o.kind, o.returned = wb.sha256, wb.kind, wb
        if wb.has_macros:
            o.add(make("F008", file=name))
        form = parse_form(wb, data.signing_key, ledger_id=data.ledger_id)
        block = header_block(wb)
    except ReturnedFileError as e:
        o.add(e.finding(file=name))
        return
    meta = form.meta
    o.unit, o.generated = index.unit(meta.unit), meta.generated
    o.period = rules.normalize_period(meta.period) or meta.period
    o.contact = _text(form.contact.value) if form.contact else None
    o.phone = _text(form.phone.value) if form.phone else None
    sheet = fl.SHEET_FORM
    if not form.signature_ok:
        o.add(make("F005", file=name, sheet=fl.SHEET_META, detail="隐藏信息与签名不符"))
    shown = index.unit(form.unit_cell.value) if form.unit_cell else None
    if form.unit_cell is not None and shown != o.unit:
        o.add(
            make(
                "F005",
                file=name,
                sheet=sheet,
                cell=form.unit_cell.ref,
                detail=f"填报单位由「{meta.unit}」被改为「{shown or '（空）'}」",
            )
        )
    for cell, detail in _shown_against_meta(block, meta):
        o.add(make("F005", file=name, sheet=sheet, cell=cell, detail=detail))
    stale = fc.check_period(o.period, index.as_of, index.merged_periods.get(o.unit or "", ()))
    if stale:
        shown_period = block.get(fl.LABEL_PERIOD)
        o.add(
            make(
                "F006",
                file=name,
                sheet=sheet,
                cell=shown_period.ref if shown_period else None,
                detail=stale,
            )
        )
    canonical = {i: {h: _canon(v) for h, v in vals.items()} for i, vals in meta.locked.items()}
    ctx = fc.FormContext(
        file=name,
        unit=o.unit or "",
        period=o.period,
        as_of=index.as_of,
        meta_locked=canonical,
        items=index.items,
        unit_names=index.unit_names,
        settings=data.settings,
        first_reports=index.first_reports,
        sheet=sheet,
    )
    refs = {
        fl.LABEL_CONTACT: form.contact.ref if form.contact else None,
        fl.LABEL_PHONE: form.phone.ref if form.phone else None,
    }
    for f in fc.check_contact(o.contact, o.phone, refs, ctx):
        o.add(f)
    if o.file_error:
        return  # rows of a form that is not authentic or not current would only add noise
    no_meta: dict[str, str] = {}
    entries = (
        _entry(
            r, meta.locked.get(r.item_id or "", no_meta), canonical.get(r.item_id or "", no_meta)
        )
        for r in form.rows
    )
    o.rows = fc.check_rows(entries, ctx)
    for row in o.rows:
        for f in row.findings:
            o.add(f, whole_file=False)
    for f in fc.check_missing(o.rows, ctx):
        o.add(f, whole_file=False)


def _shown_against_meta(block: dict[str, fl.FormCell], meta: fl.FormMeta) -> list[tuple[str, str]]:
    """(cell, F005 detail) for every header value the form shows that `_meta` does not sign."""
    out = []
    cell = block.get(fl.LABEL_PERIOD)
    if cell is not None and rules.normalize_period(cell.value) != rules.normalize_period(
        meta.period
    ):
        out.append(
            (
                cell.ref,
                f"表中「{fl.LABEL_PERIOD}」为「{_text(fl.locked_text(cell.value)) or '（空）'}」，"
                f"隐藏信息中为「{meta.period}」",
            )
        )
    cell = block.get(fl.LABEL_DUE)
    if cell is not None:
        try:
            shown = parse_date(cell.value)
        except BadValue:
            shown = None
        if shown != meta.due:
            out.append(
                (
                    cell.ref,
                    f"表中「{fl.LABEL_DUE}」为「{_text(fl.locked_text(cell.value)) or '（空）'}」，"
                    f"隐藏信息中为「{meta.due.isoformat()}」",
                )
            )
    return out


def _supersede(outcomes: list[FileOutcome], index: _LedgerIndex, partial: bool) -> None:
    """W205 for reports a later-made form overrides (this run or merged before); see above."""
    claims = [
        (o.order, row.item.id, o.period or "", o.generated)
        for o in outcomes
        for row in o.accepted(partial)
    ]
    beaten = fc.superseded(claims, index.newest_made)
    for o in outcomes:
        o.superseded = beaten.get(o.order, {})
        if not o.superseded:
            continue
        ids = sorted(o.superseded)
        listed = "、".join(ids[:10]) + (f" 等 {len(ids)} 项" if len(ids) > 10 else "")
        detail = (
            f"本表生成于 {_minute(o.generated)}，本单位 {o.period} 期另有一份生成时间更晚"
            f"（{_minute(max(o.superseded.values()))}）的反馈表已经合并或在本次一并报送。"
            f"事项 {listed} 的台账信息以较晚生成的反馈表为准，本表的报送只记入「办理记录」。"
            "如需更正，请在最新下发的反馈表上填写后重新报送。"
        )
        o.add(make("W205", file=o.name, item=ids[0] if len(ids) == 1 else None, detail=detail))


def _minute(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "（未知）"


# --- merging -------------------------------------------------------------------------------


def _apply(
    data: LedgerData,
    outcomes: list[FileOutcome],
    as_of: dt.date,
    stamp: dt.datetime,
    partial: bool,
    result: IntakeResult,
) -> None:
    """Append every accepted report and update the 台账 rows; sets each file's result."""
    reports, extensions, items = (
        data.table(sc.REPORTS),
        data.table(sc.EXTENSIONS),
        data.table(sc.ITEMS),
    )
    winners: dict[str, tuple[FileOutcome, fc.RowOutcome]] = {}
    ordered = sorted(
        outcomes, key=lambda o: (o.period or "", o.generated or dt.datetime.min, o.order)
    )
    for o in ordered:
        rows = o.accepted(partial)
        o.result = DUPLICATE if o.duplicate else MERGED if rows or not o.has_errors else REJECTED
        for row in rows:
            report = _report(o, row, stamp)
            reports.append({f: v for f in _REPORT_FIELDS if (v := getattr(report, f)) is not None})
            data.reports.append(report)
            if row.item.id not in o.superseded:
                winners[row.item.id] = (o, row)
            result.reports_merged += 1
    pending = {(x.item_id, x.requested_to) for x in data.extensions if x.pending}
    for o, row in winners.values():
        result.extension_requests += _update_item(data, items, extensions, pending, o, row, as_of)


_REPORT_FIELDS = tuple(c.field for c in sc.REPORTS.columns)


def _report(o: FileOutcome, row: fc.RowOutcome, stamp: dt.datetime) -> Report:
    e, status = row.entry, row.status
    done = status is UnitReportStatus.DONE
    ext = status is UnitReportStatus.EXTENSION
    return Report(
        recorded=stamp,
        item_id=row.item.id,
        unit=o.unit,
        period=o.period,
        status=status,
        progress=e.text(fc.COL_PROGRESS),
        done_date=e.dates.get(fc.COL_DONE) if done else None,
        stage_target=e.text(fc.COL_STAGE),
        extension_reason=e.text(fc.COL_EXT_REASON) if ext else None,
        extension_to=e.dates.get(fc.COL_EXT_TO) if ext else None,
        problems=e.text(fc.COL_PROBLEMS),
        contact=o.contact,
        phone=o.phone,
        source_file=o.name,
        fingerprint=o.sha256,
    )


def _update_item(
    data: LedgerData,
    items,
    extensions,
    pending: set,
    o: FileOutcome,
    row: fc.RowOutcome,
    as_of: dt.date,
) -> int:
    """The 台账 row after its latest accepted report; 1 when an extension request was added."""
    item, e, status = row.item, row.entry, row.status
    items.set(item.row, "latest_progress", e.text(fc.COL_PROGRESS))
    items.set(item.row, "last_report", as_of)
    item.latest_progress, item.last_report = e.text(fc.COL_PROGRESS), as_of
    target = e.text(fc.COL_STAGE)
    if item.is_long_term and target and not item.stage_target:
        item.stage_target = target
        items.set(item.row, "stage_target", target)
    if status is UnitReportStatus.DONE:
        item.status, item.done_date = Status.DONE, e.dates.get(fc.COL_DONE)
        items.set(item.row, "status", item.status)
        items.set(item.row, "done_date", item.done_date)
        return 0
    if status is not UnitReportStatus.EXTENSION or item.status is Status.DONE:
        return 0
    item.status = Status.EXTENSION_REQUESTED
    items.set(item.row, "status", item.status)
    wanted = e.dates.get(fc.COL_EXT_TO)
    if (item.id, wanted) in pending:  # the same request, still waiting for approval
        return 0
    ext = Extension(
        item_id=item.id,
        requested=as_of,
        unit=o.unit,
        old_deadline=item.current_deadline,
        requested_to=wanted,
        reason=e.text(fc.COL_EXT_REASON),
    )
    extensions.append(
        {
            f: getattr(ext, f)
            for f in ("item_id", "requested", "unit", "old_deadline", "requested_to", "reason")
        }
    )
    data.extensions.append(ext)
    return 1


def _log_imports(data: LedgerData, outcomes: list[FileOutcome], stamp: dt.datetime) -> None:
    table = _imports(data, for_writing=True)
    for o in outcomes:
        table.append(
            {
                "time": stamp,
                "file": o.name,
                "fingerprint": o.sha256,
                "unit": o.unit,
                "period": o.period,
                "result": o.result,
                "items": o.reports,
                "problems": o.problems,
                FORM_MADE: o.generated,
            }
        )


# --- the commands --------------------------------------------------------------------------


def check(
    ledger: Path,
    inputs: list[Path],
    as_of: dt.date,
    *,
    report: Path | None = None,
    annotate: Path | None = None,
) -> IntakeResult:
    """Check returned files against the ledger; nothing in the ledger changes."""
    paths = _before_any_work(ledger, inputs, report, annotate)
    with LedgerFile(ledger) as lf:
        data = read_ledger(lf)
        require_clean(data)
        outcomes = _examine(data, paths, as_of)
    for o in outcomes:
        o.result = DUPLICATE if o.duplicate else MUST_RETURN if o.has_errors else CAN_MERGE
    result = IntakeResult(as_of=as_of, files=outcomes)
    _outputs(result, report, annotate)
    return result


def merge(
    ledger: Path,
    inputs: list[Path],
    as_of: dt.date,
    *,
    partial: bool = False,
    report: Path | None = None,
    annotate: Path | None = None,
    now: dt.datetime | None = None,
) -> IntakeResult:
    """Check, merge what passed, refresh as of ``as_of``: one save, or none if nothing merged.

    ``now`` fixes the clock time of 记录时间/导入时间 (the date is always ``as_of``).
    """
    paths = _before_any_work(ledger, inputs, report, annotate)
    clock = (now or dt.datetime.now()).time().replace(microsecond=0)
    stamp = dt.datetime.combine(as_of, clock)
    result = IntakeResult(as_of=as_of)
    with LedgerFile(ledger, writable=True) as lf:
        data = read_ledger(lf)
        require_clean(data)
        result.files = _examine(data, paths, as_of, partial)
        _apply(data, result.files, as_of, stamp, partial, result)
        if result.reports_merged:
            _log_imports(data, result.files, stamp)
            stats = refresh.apply(data, as_of)
            result.cells_changed = stats.cells_changed
            result.unconfirmed_years = stats.unconfirmed_years
            result.backup = lf.save()
            result.saved = True
    _outputs(result, report, annotate)
    return result


def _before_any_work(
    ledger: Path, inputs: list[Path], report: Path | None, annotate: Path | None
) -> list[Path]:
    """Refuse the output mistakes (the ledger as --report, an output open in Excel) up front."""
    if report is not None:
        check_target(report, Path(ledger))
    if annotate is not None and output_dir(annotate, "退回文件", create=False).is_dir():
        for owner in Path(annotate).glob(f"~${ann.PREFIX}*"):
            raise LedgerBusy(
                f"{Path(annotate) / owner.name[2:]} 正在 Excel/WPS 中打开（发现 {owner.name}）。"
                "请先关闭该文件，再重新运行本命令。"
            )
    return collect_inputs(inputs, Path(ledger))


def _outputs(result: IntakeResult, report: Path | None, annotate: Path | None) -> None:
    if report is not None:
        result.report_path = write_report(
            Path(report), result.findings, [o.summary() for o in result.files]
        )
    if annotate is not None:
        for o in result.rejected:
            o.annotated = ann.annotate(o.path, o.kind, o.findings, Path(annotate), o.returned)
            result.annotated.append(o.annotated)
