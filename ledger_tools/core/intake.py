"""Merging checked feedback forms, as plain data: what goes into the ledger and what it changes.

The shell (jobs/intake.py) reads every returned file and runs the row rules (form_checks);
what is decided from those outcomes lives here, free of cells, so that the merge rules are
tested with plain objects and the ledger store (sheets/ledger/merging.py) is the one place
that writes them. Decisions worth knowing:

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
  the merged forms were made: 导入记录 keeps it in 表格生成时间 (``ImportRecord.form_made``).
- **One return is its content** (``core.returns.content_fingerprint``, 导入记录 内容指纹): the unit, the
  period and each item's filled values, read as the rules read them (a date is its day, text
  trimmed and NFC-normalised), so the same return saved by Excel, WPS or LibreOffice, as xlsx,
  xls or ods, has one fingerprint. F007 skips a file whose 文件指纹 *or* 内容指纹 was merged.
- **Two different returns of one form in one batch** (``returns.conflicts``, F010): a unit that saved
  its form twice with different content (…局.xlsx and …局(1).xlsx) has not said which one it
  means; neither is merged, and the finding names the other file and the items and fields that
  differ. Returns from forms made at different times are not a conflict: the later-made form
  wins (W205), as above.
- **A different return after one was merged** (``returns.corrections``, W207) is the unit's correction:
  merged, naming the earlier file, which stays in 办理记录.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ledger_tools.core import form_checks as fc
from ledger_tools.core import rules
from ledger_tools.core.findings import Finding, has_errors, make
from ledger_tools.core.model import Extension, Item, Report, Status, UnitReportStatus

__all__ = [
    "CAN_MERGE",
    "DUPLICATE",
    "MERGED",
    "MUST_RETURN",
    "REJECTED",
    "CheckedFile",
    "History",
    "ImportRecord",
    "ItemUpdate",
    "MergePlan",
    "history",
    "plan_merge",
    "supersede",
]

MERGED, REJECTED, DUPLICATE = "已合并", "已退回", "重复跳过"  # 导入记录 结果
CAN_MERGE, MUST_RETURN = "可合并", "需退回"  # what `check` says a merge would do


@dataclass
class CheckedFile:
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
    superseded: dict[str, dt.datetime] = field(default_factory=dict)  # item id → newer form made
    filled: dict[str, dict[str, str]] | None = None  # item id → input header → value (F010)
    content: str | None = None  # 内容指纹 of ``filled`` with unit and period

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


@dataclass(frozen=True)
class ImportRecord:
    """One row of 导入记录. Read back from the ledger, each field holds whatever its cell held."""

    time: dt.datetime | None = None
    file: str | None = None
    fingerprint: str | None = None
    unit: str | None = None
    period: str | None = None
    result: str | None = None
    items: int | None = None
    problems: int | None = None
    form_made: dt.datetime | None = None
    content: str | None = None


# --- what earlier merges tell the checks -----------------------------------------------------


@dataclass
class History:
    """What the ledger says about earlier merges, gathered once per run."""

    merged_files: dict[str, str] = field(default_factory=dict)  # SHA-256 → file name (F007)
    merged_periods: dict[str, set[str]] = field(default_factory=dict)  # unit → periods (F006)
    first_reports: dict[str, dt.date] = field(default_factory=dict)  # item id → first 记录时间
    newest_made: dict[tuple[str, str], dt.datetime] = field(default_factory=dict)  # W205
    merged_contents: dict[str, str] = field(default_factory=dict)  # 内容指纹 → file name (F007)
    # (unit, period) → [(file name, 内容指纹 or None)] of every return merged for it (W207)
    merged_returns: dict[tuple[str, str], list[tuple[str, str | None]]] = field(
        default_factory=dict
    )


def history(
    imports: Iterable[ImportRecord],
    reports: Iterable[Report],
    unit_of: Callable[[object], str | None],
) -> History:
    """From 导入记录 (merged rows only count) and 办理记录; ``unit_of`` gives a registered name."""
    out = History()
    periods: dict[str, set[str]] = defaultdict(set)
    made_by_sha: dict[str, dt.datetime] = {}
    for row in imports:
        if row.result != MERGED:
            continue
        sha = str(row.fingerprint or "").strip().lower()
        if sha:
            out.merged_files[sha] = row.file or ""
            if isinstance(row.form_made, dt.datetime):
                made_by_sha[sha] = row.form_made
        period = rules.normalize_period(row.period)
        unit = unit_of(row.unit) if row.unit else None
        content = str(row.content or "").strip().lower() or None
        if content:
            out.merged_contents[content] = row.file or ""
        if unit and period:
            periods[unit].add(period)
            out.merged_returns.setdefault((unit, period), []).append((row.file or "", content))
    out.merged_periods = periods
    for r in reports:
        d = r.recorded_date
        if (
            r.item_id
            and d
            and (r.item_id not in out.first_reports or d < out.first_reports[r.item_id])
        ):
            out.first_reports[r.item_id] = d
        made = made_by_sha.get(str(r.fingerprint or "").strip().lower())
        key = (r.item_id or "", rules.normalize_period(r.period) or "")
        if made and all(key) and made > out.newest_made.get(key, dt.datetime.min):
            out.newest_made[key] = made
    return out


def supersede(
    files: Sequence[CheckedFile],
    newest_made: dict[tuple[str, str], dt.datetime],
    partial: bool,
) -> None:
    """W205 for reports a later-made form overrides (this run or merged before); see above."""
    claims: list[fc.Claim] = [
        (o.order, _item(row).id or "", o.period or "", o.generated)
        for o in files
        for row in o.accepted(partial)
    ]
    beaten = fc.superseded(claims, newest_made)
    for o in files:
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


def _item(row: fc.RowOutcome) -> Item:
    """The ledger item of an accepted row (the rules accept no row without one)."""
    assert row.item is not None, "an accepted row always names a ledger item"
    return row.item


# --- the merge ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemUpdate:
    """New values for one 台账 row: field → value, in the order they are decided."""

    item: Item
    changes: dict[str, object]


@dataclass
class MergePlan:
    """Everything a merge adds or changes, for the ledger store to apply."""

    results: dict[int, str] = field(default_factory=dict)  # file order → 导入记录 结果
    reports: list[Report] = field(default_factory=list)  # new 办理记录 rows, in order
    extensions: list[Extension] = field(default_factory=list)  # new 延期记录 requests
    updates: list[ItemUpdate] = field(default_factory=list)  # 台账 rows
    imports: list[ImportRecord] = field(default_factory=list)  # 导入记录, one per file


def plan_merge(
    files: Sequence[CheckedFile],
    extensions: Iterable[Extension],
    as_of: dt.date,
    stamp: dt.datetime,
    partial: bool,
) -> MergePlan:
    """What merging ``files`` does; ``extensions`` are 延期记录 as it stands (pending requests).

    ``stamp`` is 记录时间/导入时间. Nothing given is changed: the items named in the rows
    are read as they are now (阶段性目标 already set, 已办结, 当前时限).
    """
    plan = MergePlan()
    winners: dict[str, tuple[CheckedFile, fc.RowOutcome]] = {}
    ordered = sorted(files, key=lambda o: (o.period or "", o.generated or dt.datetime.min, o.order))
    for o in ordered:
        rows = o.accepted(partial)
        plan.results[o.order] = (
            DUPLICATE if o.duplicate else MERGED if rows or not o.has_errors else REJECTED
        )
        for row in rows:
            plan.reports.append(_report(o, row, stamp))
            item_id = _item(row).id or ""
            if item_id not in o.superseded:
                winners[item_id] = (o, row)
    pending = {(x.item_id, x.requested_to) for x in extensions if x.pending}
    for o, row in winners.values():
        update, request = _update_item(o, row, pending, as_of)
        plan.updates.append(update)
        if request is not None:
            plan.extensions.append(request)
    plan.imports = [
        ImportRecord(
            time=stamp,
            file=o.name,
            fingerprint=o.sha256,
            unit=o.unit,
            period=o.period,
            result=plan.results[o.order],
            items=o.reports,
            problems=o.problems,
            form_made=o.generated,
            content=o.content,
        )
        for o in files
    ]
    return plan


def _report(o: CheckedFile, row: fc.RowOutcome, stamp: dt.datetime) -> Report:
    e, status = row.entry, row.status
    done = status is UnitReportStatus.DONE
    ext = status is UnitReportStatus.EXTENSION
    return Report(
        recorded=stamp,
        item_id=_item(row).id,
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
    o: CheckedFile,
    row: fc.RowOutcome,
    pending: set[tuple[str | None, dt.date | None]],
    as_of: dt.date,
) -> tuple[ItemUpdate, Extension | None]:
    """The 台账 row after its latest accepted report, and the extension request it adds."""
    item, e, status = _item(row), row.entry, row.status
    changes: dict[str, object] = {
        "latest_progress": e.text(fc.COL_PROGRESS),
        "last_report": as_of,
    }
    target = e.text(fc.COL_STAGE)
    if item.is_long_term and target and not item.stage_target:
        changes["stage_target"] = target
    update = ItemUpdate(item, changes)
    if status is UnitReportStatus.DONE:
        changes["status"] = Status.DONE
        changes["done_date"] = e.dates.get(fc.COL_DONE)
        return update, None
    if status is not UnitReportStatus.EXTENSION or item.status is Status.DONE:
        return update, None
    changes["status"] = Status.EXTENSION_REQUESTED
    wanted = e.dates.get(fc.COL_EXT_TO)
    if (item.id, wanted) in pending:  # the same request, still waiting for approval
        return update, None
    request = Extension(
        item_id=item.id,
        requested=as_of,
        unit=o.unit,
        old_deadline=item.current_deadline,
        requested_to=wanted,
        reason=e.text(fc.COL_EXT_REASON),
    )
    return update, request
