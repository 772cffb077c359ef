"""ledger check / ledger merge: returned feedback forms checked, then merged into the ledger.

Long because the examine step (reading ahead on every core, then one file's checks in order)
is one sequence of decisions that reads best in one place.

``check`` is read-only. ``merge`` checks the same way, applies every file without an error (a
file is all-or-nothing; with ``partial`` its valid rows go in and only its bad rows are
refused), refreshes (SPEC §3, as of --as-of) and saves the ledger once. The two commands share
this module's examine step: read each returned file (sheets/returned, sheets/forms/entries.py
for the rules' terms), run the checks and keep one outcome per file. The row rules and the F006
and blank-row decisions live in core/form_checks.py; what a merge adds and changes is decided
in core/intake.py and written by the ledger store (sheets/ledger/merging.py); the findings
workbook and the annotated 退回- copies are written by sheets/documents/findings.py and
sheets/forms/annotate.py.

Decisions worth knowing:

- **Nothing merged, nothing saved.** 导入记录 gets one row per file checked (merged, rejected
  or skipped), but only in a run that merges something: a run that only rejects or skips
  leaves the ledger byte-identical (SPEC §8), so merging the same file twice changes nothing.
- **F007**: a file whose SHA-256 is in 导入记录 with 已合并, or that appeared earlier in the
  same run, is skipped before it is parsed; one whose content (内容指纹, core/returns.py) was
  merged or appeared earlier in the run (the same return saved as .ods and as .xls) is skipped
  once it has been read. F010 (two different returns of one form in the run) and W207 (a
  correction of a return merged before) are decided in core/returns.py over the whole run.
- **The header block is compared with `_meta`** (报送期次, 截止日期, like 填报单位): a validly
  signed `_meta` pasted in from another month's form is F005, not a report for that month.
- **Checking against the present.** 办理状态 and 当前时限 are derived (rules) from the ledger
  and 延期记录 before the rules run, so an extension approved or an item struck off since the
  last refresh is already taken into account.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ledger_tools.core import form_checks as fc
from ledger_tools.core import intake as ci
from ledger_tools.core import returns, rules, signing
from ledger_tools.core.findings import Finding, make
from ledger_tools.core.intake import CAN_MERGE, DUPLICATE, MERGED, MUST_RETURN, REJECTED
from ledger_tools.core.recompute import by_item
from ledger_tools.errors import LedgerBusy
from ledger_tools.sheets.cells import clean_text
from ledger_tools.sheets.files import output_dir
from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.forms.entries import (
    canonical_text,
    form_text,
    header_against_meta,
    table_entries,
)
from ledger_tools.sheets.forms.reader import (
    check_ledger,
    parse_form_table,
    read_meta,
    signed,
)
from ledger_tools.sheets.ledger.data import LedgerData, read_ledger, require_clean
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.merging import apply_merge, import_records
from ledger_tools.sheets.ledger.value_book import paused_gc
from ledger_tools.sheets.returned.inputs import collect_inputs
from ledger_tools.sheets.returned.limits import MIB
from ledger_tools.sheets.returned.workbook import (
    ReturnedFileError,
    ReturnedWorkbook,
    fingerprint,
    read_returned,
)
from ledger_tools.sheets.workers import map_ahead, usable_cores

__all__ = [
    "CAN_MERGE",
    "DUPLICATE",
    "MERGED",
    "MUST_RETURN",
    "REJECTED",
    "FileOutcome",
    "IntakeResult",
    "check",
    "collect_inputs",
    "merge",
]


@dataclass
class FileOutcome(ci.CheckedFile):
    """A checked file, with the workbook as read (annotating reuses it) and its 退回 copy."""

    returned: ReturnedWorkbook | None = None
    annotated: Path | None = None


@dataclass
class IntakeResult:
    """What one check or merge run did, for the face to report (findings, counts, files)."""

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


# --- what the rules need from the ledger, gathered once --------------------------------------


class _LedgerIndex:
    """Lookups built once per run, so that checking 200 forms never rescans a sheet."""

    def __init__(self, data: LedgerData, as_of: dt.date):
        self.data = data
        self.as_of = as_of
        self.unit_names = data.unit_names()
        extensions = by_item(data.extensions)
        for item in data.items:  # status and 当前时限 as of now, as refresh would make them
            if item.id:
                mine = extensions.get(item.id, ())
                item.status = rules.derive_status(item, mine)
                item.current_deadline = rules.current_deadline(item, mine)[0]
        self.items = data.items_by_id()
        self.history = ci.history(import_records(data), data.reports, self.unit)
        self.pending_requests = frozenset(
            (x.item_id or "", x.requested_to) for x in data.extensions if x.pending
        )

    def unit(self, name: object) -> str | None:
        text = clean_text(name)
        return self.unit_names.get(text, text) if text else None


Progress = Callable[[int, int, str], None]  # (files done, files in all, the file's name)


def _examine(
    data: LedgerData,
    paths: list[Path],
    as_of: dt.date,
    partial: bool = False,
    progress: Progress | None = None,
    ahead: Ahead | None = None,
    keep_workbooks: bool = True,
) -> list[FileOutcome]:
    """One outcome per file, in order; ``ahead`` gives the files read ahead (``_reading_ahead``).

    Each file's workbook is let go once it is examined unless ``keep_workbooks`` (the annotated
    copies of rejected files are made from it), so the forms held at once stay few.

    The rows and findings (a hundred thousand objects at 10,000 items, and no reference cycle
    among them) are made with the cyclic garbage collector paused and then frozen, as
    ``read_ledger`` does with the ledger: they are kept to the end of the command, and every
    later full collection (the recomputation, the save) would walk them again. Leaving the
    ``LedgerFile`` block unfreezes them."""
    with paused_gc():
        outcomes = _examined(data, paths, as_of, partial, progress, ahead, keep_workbooks)
    gc.freeze()
    return outcomes


def _examined(
    data: LedgerData,
    paths: list[Path],
    as_of: dt.date,
    partial: bool,
    progress: Progress | None,
    ahead: Ahead | None,
    keep_workbooks: bool,
) -> list[FileOutcome]:
    index = _LedgerIndex(data, as_of)
    seen: dict[str, str] = {}
    seen_content: dict[str, str] = {}
    outcomes = []
    reads = ahead(data) if ahead is not None else iter([None] * len(paths))
    for order, (path, read) in enumerate(zip(paths, reads, strict=True)):
        o = FileOutcome(path, order)
        _examine_file(o, index, seen, read)
        del read
        if not keep_workbooks:
            o.returned = None
        _skip_same_content(o, index, seen_content)
        outcomes.append(o)
        if progress is not None:
            progress(order + 1, len(paths), o.name)
    returns.conflicts(outcomes, partial)
    ci.supersede(outcomes, index.history.newest_made, partial)
    returns.corrections(outcomes, index.history, partial)
    return outcomes


def _skip_same_content(o: FileOutcome, index: _LedgerIndex, seen: dict[str, str]) -> None:
    """F007 for a file whose content was merged or met earlier in the run in another format or
    program's save: one return is merged once. Its row findings are dropped, as it is skipped."""
    if o.content is None or o.duplicate:
        return
    merged = index.history.merged_contents.get(o.content)
    earlier = merged if merged is not None else seen.get(o.content)
    if earlier is None:
        seen[o.content] = o.name
        return
    where = "已合并的" if merged is not None else "本次的"
    o.duplicate, o.rows = True, []
    o.findings = [
        make(
            "F007",
            file=o.name,
            detail=f"与{where} {earlier or '文件'} 填写内容完全相同（只是另存为其他格式或由其他程序保存）",
        )
    ]


@dataclass
class _Read:
    """What is read of one returned file, before anything is checked against the ledger: its
    fingerprint, its form, or the finding that stopped the reading.

    What depends on the file alone is made where it is read (in a worker for a batch): the rows
    in the rules' terms, what the unit filled in, the text the signature covers. The workbook
    itself is kept only when asked for (annotating rebuilds from it): it would be most of what
    a worker sends back."""

    sha256: str | None = None
    error: Finding | None = None
    read: bool = False  # False: fingerprinted only
    ledger_id: str | None = None  # the ledger `_meta` names, once it was read
    opened: tuple[str, str, bool] | None = None  # the workbook's (SHA-256, kind, has macros)
    wb: ReturnedWorkbook | None = None  # the workbook, when kept
    form: fl.ParsedForm | None = None  # without rows and locked values (``entries``, ``locked``)
    block: dict[str, fl.FormCell] = field(default_factory=dict)
    locked: dict[str, dict[str, str | None]] = field(default_factory=dict)  # `_meta`, canonical
    entries: list[fc.FormEntry] = field(default_factory=list)
    filled: dict[str, dict[str, str]] = field(default_factory=dict)  # returns.filled_values
    filled_text: str = ""  # returns.filled_text, for the content fingerprint
    signed_text: str = ""  # signing.canonical of the form's meta


def _fingerprinted(path: Path, name: str) -> _Read:
    try:
        return _Read(sha256=fingerprint(path))
    except ReturnedFileError as e:
        return _Read(error=e.finding(file=name), read=True)


def _read_form(
    path: Path, name: str, key: str, ledger_id: str | None, keep_workbook: bool = True
) -> _Read:
    """Fingerprint, read and parse one returned form (in a worker process for a batch)."""
    r = _fingerprinted(path, name)
    if r.error is not None:
        return r
    r.read = True
    try:
        wb = read_returned(path)
        r.opened = (wb.sha256, wb.kind, wb.has_macros)
        if keep_workbook:
            r.wb = wb
        found = read_meta(wb)
        r.ledger_id = found[0].ledger_id
        form, r.block, table = parse_form_table(wb, key, ledger_id=ledger_id, read=found)
    except ReturnedFileError as e:
        r.error = e.finding(file=name)
        return r
    meta = form.meta
    r.locked = {
        i: {h: canonical_text(v) for h, v in vals.items()} for i, vals in meta.locked.items()
    }
    r.entries = table_entries(table, meta.locked, r.locked)
    del table
    fc.prejudge(r.entries)
    r.filled = returns.filled_values(r.entries)
    r.filled_text = returns.filled_text(r.filled)
    r.signed_text = signing.canonical(meta)
    # what the checks need of the rows and of `_meta`'s locked values is in entries and locked
    r.form = dataclasses.replace(form, meta=dataclasses.replace(meta, locked={}))
    return r


_BATCH = 4  # from this many files on, they are read on every core
# The files read ahead of the checks at most, by their size on disk: a form read holds about
# 7 (50 items) to 13 (250 items) times its file's size. Within it, a merge of 200 forms of a
# 10,000-item ledger reads them all while the ledger is read.
_AHEAD_BYTES = 4 * MIB
_AHEAD_FILES = 32  # and at least this many

Ahead = Callable[[LedgerData], Iterator[_Read | None]]


@contextlib.contextmanager
def _reading_ahead(paths: list[Path], keep_workbooks: bool) -> Iterator[Ahead]:
    """The returned files read on every core while the ledger is read here (reading and
    parsing is most of a merge's work on the forms, and each file's is independent).

    The workers start before the ledger is known, so they read without its key and id; once
    the ledger is read, each form's ledger is checked and its signature verified here
    (``_bound``), with the same finding as a read that knew them. None for each file when
    there are few. The workbooks come back only if ``keep_workbooks``."""
    workers = usable_cores()
    if workers < 2 or len(paths) < _BATCH:
        yield lambda _data: iter([None] * len(paths))
        return
    calls = [(p, p.name, "", None, keep_workbooks) for p in paths]
    with map_ahead(_read_form, calls, workers=workers, window=_window(paths)) as results:
        yield lambda data: (_bound(r, p.name, data) for r, p in zip(results(), paths, strict=True))


def _window(paths: list[Path]) -> int:
    """How many files the workers may read ahead: those within ``_AHEAD_BYTES``."""
    total = 0
    for n, path in enumerate(paths):
        with contextlib.suppress(OSError):  # reading the file will tell what is wrong with it
            total += path.stat().st_size
        if total > _AHEAD_BYTES:
            return max(n, _AHEAD_FILES)
    return len(paths)


def _bound(r: _Read, name: str, data: LedgerData) -> _Read:
    """A form read without the ledger, checked against it: another ledger's form is F004
    (before any finding of its table, as ``parse_form`` decides), the signature is verified."""
    if r.ledger_id is None:
        return r  # stopped before `_meta` was read: nothing depends on the ledger
    try:
        check_ledger(r.ledger_id, data.ledger_id)
    except ReturnedFileError as e:
        r.error, r.form, r.block = e.finding(file=name), None, {}
        return r
    if r.form is not None:
        r.form.signature_ok = signed(r.form, data.signing_key, text=r.signed_text)
    return r


def _examine_file(
    o: FileOutcome, index: _LedgerIndex, seen: dict[str, str], ahead: _Read | None = None
) -> None:
    data, name = index.data, o.name
    r = ahead or _fingerprinted(o.path, name)
    sha = r.sha256
    if sha is None:  # not even fingerprinted
        assert r.error is not None
        o.add(r.error)
        return
    o.sha256 = sha
    if sha in index.history.merged_files:
        o.duplicate = True
        o.add(
            make(
                "F007",
                file=name,
                detail=f"与已合并的 {index.history.merged_files[sha] or '文件'} 完全相同",
            )
        )
        return
    if sha in seen:
        o.duplicate = True
        o.add(make("F007", file=name, detail=f"与本次的 {seen[sha]} 完全相同"))
        return
    seen[sha] = name
    if not r.read:
        r = _read_form(o.path, name, data.signing_key, data.ledger_id)
    if r.opened is not None:
        o.sha256, o.kind, macros = r.opened
        o.returned = r.wb
        if macros:
            o.add(make("F008", file=name))
    if r.error is not None:
        o.add(r.error)
        return
    form, block = r.form, r.block
    assert form is not None  # read without an error
    meta = form.meta
    o.unit, o.generated = index.unit(meta.unit), meta.generated
    o.period = rules.normalize_period(meta.period) or meta.period
    o.contact = form_text(form.contact.value) if form.contact else None
    o.phone = form_text(form.phone.value) if form.phone else None
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
    for cell, detail in header_against_meta(block, meta):
        o.add(make("F005", file=name, sheet=sheet, cell=cell, detail=detail))
    stale = fc.check_period(
        o.period, index.as_of, index.history.merged_periods.get(o.unit or "", ())
    )
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
    ctx = fc.FormContext(
        file=name,
        unit=o.unit or "",
        period=o.period,
        as_of=index.as_of,
        meta_locked=r.locked,
        items=index.items,
        unit_names=index.unit_names,
        settings=data.settings,
        first_reports=index.history.first_reports,
        sheet=sheet,
        pending_requests=index.pending_requests,
    )
    refs = {
        fl.LABEL_CONTACT: form.contact.ref if form.contact else None,
        fl.LABEL_PHONE: form.phone.ref if form.phone else None,
    }
    for f in fc.check_contact(o.contact, o.phone, refs, ctx):
        o.add(f)
    if o.file_error:
        return  # rows of a form that is not authentic or not current would only add noise
    o.rows = fc.check_rows(r.entries, ctx)
    o.filled = r.filled  # blank rows without 事项编号, which check_rows skips, fill nothing
    o.content = returns.content_fingerprint(o.unit, o.period, o.filled, text=r.filled_text)
    for row in o.rows:
        for f in row.findings:
            o.add(f, whole_file=False)
    for f in fc.check_missing(o.rows, ctx):
        o.add(f, whole_file=False)
    for row in o.rows:
        row.entry.checked()


# --- the commands --------------------------------------------------------------------------


def check(
    ledger: Path,
    inputs: list[Path],
    as_of: dt.date,
    *,
    report: Path | None = None,
    annotate: Path | None = None,
    progress: Progress | None = None,
) -> IntakeResult:
    """Check returned files against the ledger; nothing in the ledger changes.

    ``progress(done, total, name)`` is told after each file, for a face's progress bar.
    """
    paths = _before_any_work(ledger, inputs, report, annotate)
    with _reading_ahead(paths, annotate is not None) as ahead, LedgerFile(ledger) as lf:
        data = read_ledger(lf)
        require_clean(data)
        outcomes = _examine(
            data, paths, as_of, progress=progress, ahead=ahead, keep_workbooks=annotate is not None
        )
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
    progress: Progress | None = None,
) -> IntakeResult:
    """Check, merge what passed, refresh as of ``as_of``: one save, or none if nothing merged.

    ``now`` fixes the clock time of 记录时间/导入时间 (the date is always ``as_of``);
    ``progress`` is told after each file is checked, as in ``check``.
    """
    paths = _before_any_work(ledger, inputs, report, annotate)
    clock = (now or dt.datetime.now()).time().replace(microsecond=0)
    stamp = dt.datetime.combine(as_of, clock)
    result = IntakeResult(as_of=as_of)
    with (
        _reading_ahead(paths, annotate is not None) as ahead,
        LedgerFile(ledger, writable=True, values_first=True) as lf,
    ):
        data = read_ledger(lf)
        require_clean(data)
        result.files = _examine(
            data, paths, as_of, partial, progress, ahead, keep_workbooks=annotate is not None
        )
        plan = ci.plan_merge(result.files, data.extensions, as_of, stamp, partial)
        for o in result.files:
            o.result = plan.results[o.order]
        result.reports_merged, result.extension_requests = len(plan.reports), len(plan.extensions)
        if result.reports_merged:
            apply_merge(data, plan)
            stats = data.recompute(as_of)
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
        from ledger_tools.sheets.documents.findings import check_target  # xlsxwriter: only then

        check_target(report, Path(ledger))
    if annotate is not None and output_dir(annotate, "退回文件", create=False).is_dir():
        for owner in Path(annotate).glob(f"~${fl.ANNOTATED_PREFIX}*"):
            raise LedgerBusy(
                f"{Path(annotate) / owner.name[2:]} 正在 Excel/WPS 中打开（发现 {owner.name}）。"
                "请先关闭该文件，再重新运行本命令。"
            )
    return collect_inputs(inputs, Path(ledger))


def _outputs(result: IntakeResult, report: Path | None, annotate: Path | None) -> None:
    if report is not None:
        from ledger_tools.sheets.documents.findings import write_report

        result.report_path = write_report(
            Path(report), result.findings, [o.summary() for o in result.files]
        )
    if annotate is not None:
        from ledger_tools.sheets.forms import annotate as ann  # openpyxl: only when annotating

        for o in result.rejected:
            o.annotated = ann.annotate(o.path, o.kind, o.findings, Path(annotate), o.returned)
            result.annotated.append(o.annotated)
