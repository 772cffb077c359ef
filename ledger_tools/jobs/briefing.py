"""ledger brief: the monthly briefing (通报) as a workbook and a Word document (SPEC §6).

Everything is computed as of the cut-off date from the ledger as it stood then
(``LedgerData.point_in_time``: items issued later absent, later reports, approvals, reminders,
strike-offs and endings not yet happened), in memory: the tool columns are *not* saved (that
is ``refresh``'s job and the staff's call); the one change written to the ledger is the
month's row in 月度快照, and a finished month's row, once written, is kept as a record. The
ledger is opened writable (locked, refused while open in Excel) but read with calamine, and
that row is written into the 月度快照 part alone (``package_writer``), so the full openpyxl
load and save happen only for a ledger with formulas or a package the writer does not handle.
Both
documents are written into a hidden staging folder first (the Word document in a worker
process while the workbook is written here), so a broken template leaves neither the ledger
nor the output folder half-changed; they are moved into place after the ledger is saved.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ledger_tools.core import briefing as core
from ledger_tools.core import rules, scoring
from ledger_tools.core.dates import cn_date
from ledger_tools.core.findings import Finding
from ledger_tools.errors import UsageError
from ledger_tools.sheets.documents import briefing as brief_writer
from ledger_tools.sheets.documents import word as docx_render
from ledger_tools.sheets.documents.tables import weights_note
from ledger_tools.sheets.documents.templates import template_path
from ledger_tools.sheets.files import check_not_open, output_dir
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.data import read_ledger, require_clean
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.tables import Table
from ledger_tools.sheets.ledger.value_book import paused_gc
from ledger_tools.sheets.staging import Staging
from ledger_tools.sheets.workers import spare_worker

__all__ = [
    "BriefResult",
    "NARRATIVE_TEMPLATE",
    "DOCX_TEMPLATE",
    "FILTERS",
    "is_record",
    "run",
    "resolve_as_of",
]

NARRATIVE_TEMPLATE = "通报正文.j2"
RATE_FORMAT = "0.0%"
DOCX_TEMPLATE = "通报.docx"


def _ids(rows) -> str:
    """事项编号 joined with 、, for items or for list rows (which carry their item)."""
    return "、".join(getattr(r, "item", r).id or "" for r in rows)


FILTERS: dict[str, Callable[..., object]] = {
    "cn_date": cn_date,
    "cn_month": core.cn_month,
    "pct": core.pct,
    "points": scoring.fmt_points,
    "ids": _ids,
}


@dataclass
class BriefResult:
    month: str
    as_of: dt.date
    xlsx: Path
    docx: Path
    briefing: core.Briefing
    snapshot_changed: bool = False
    # A finished month's recorded row that this run's figures differ from, kept as it was
    # (without --update-snapshot): each changed figure as 「事项总数 4 → 3」.
    snapshot_kept: list[str] = field(default_factory=list)
    backup: Path | None = None
    ended_stamped: list[str] = field(default_factory=list)
    unconfirmed_years: list[int] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)


def resolve_as_of(month: str, as_of: dt.date | None, today: dt.date | None = None) -> dt.date:
    """The cut-off date: given, or the month's last day once it is over, else today."""
    try:
        start = rules.period_start(month)
    except ValueError:
        raise UsageError(f"「{month}」不是有效月份，请写成 YYYY-MM，例如 2026-11。") from None
    as_of = as_of or core.default_as_of(month, today or dt.date.today())
    if as_of < start:
        raise UsageError(
            f"截止日期 {as_of} 早于 {core.cn_month(month)}，无法生成该月通报。"
            f"请用 --as-of 指定 {start} 或之后的日期。"
        )
    return as_of


def _snapshots(table: Table) -> dict[str, tuple[int, core.Snapshot]]:
    """月度快照 rows by month (as YYYY-MM, however the cell was typed) → (row, snapshot)."""
    out: dict[str, tuple[int, core.Snapshot]] = {}
    for r in table.rows():
        month = rules.normalize_period(r.get("month"))
        if not month:
            continue
        ints = {
            f: int(r.get(f) or 0)
            for f in ("total", "closed", "done", "in_progress", "long_term", "overdue", "due_soon")
        }
        as_of = r.get("as_of")
        if isinstance(as_of, dt.datetime):
            as_of = as_of.date()
        out[month] = (
            r.number,
            core.Snapshot(
                month, as_of, completion_rate=float(r.get("completion_rate") or 0), **ints
            ),
        )
    return out


def is_record(snap: core.Snapshot) -> bool:
    """A finished month's row: its 截止日期 is the month's last day (SPEC §6). Such a row is a
    record; a row cut off earlier belongs to a month still running and is replaced."""
    return snap.as_of == rules.period_end(snap.month)


def _snapshot_values(snap: core.Snapshot) -> dict[str, object]:
    return {
        "month": snap.month,
        "as_of": snap.as_of,
        "total": snap.total,
        "closed": snap.closed,
        "done": snap.done,
        "in_progress": snap.in_progress,
        "long_term": snap.long_term,
        "overdue": snap.overdue,
        "due_soon": snap.due_soon,
        "completion_rate": snap.completion_rate,
    }


def _upsert_snapshot(
    table: Table, existing: dict[str, tuple[int, core.Snapshot]], snap: core.Snapshot
) -> int | None:
    """Put the month's row in 月度快照; its row number, or None when it was there already."""
    values = _snapshot_values(snap)
    if snap.month in existing:
        row = existing[snap.month][0]
        changed = [table.set(row, f, v) for f, v in values.items()]
        if not any(changed):
            return None
    else:
        row = table.append(values)
    if "completion_rate" in table.positions:
        table.set_format(row, "completion_rate", RATE_FORMAT)
    return row


def _save_snapshot(lf: LedgerFile) -> Path | None:
    """Save the month's row (already put in the table); the backup's path.

    The row is written into the 月度快照 part alone by the package writer, a fraction of a
    second where loading and saving the whole ledger with openpyxl takes as long as a bare
    round trip; a package the writer is not sure of goes the openpyxl way (``LedgerFile.save``).
    """
    return lf.save()


def _docx_context(b: core.Briefing, paragraphs: list[str]) -> dict:
    """Plain strings for the Word template, so staff's placeholders need no filters."""

    def d(x: dt.date | None) -> str:
        return x.isoformat() if x else ""

    return {
        "title": b.title,
        "as_of_text": cn_date(b.as_of),
        "month_text": core.cn_month(b.month),
        "office_name": b.settings.office_name,
        "org_name": b.settings.org_name,
        "year": b.year,
        "paragraphs": paragraphs,
        "totals": [
            {"label": label, "count": getattr(b.totals, attr)} for label, attr in core.STATUS_ROWS
        ],
        "overdue": [
            {
                "no": n,
                "id": r.item.id,
                "unit": r.item.lead_unit,
                "leader": r.item.leader or "",
                "matter": r.item.matter or "",
                "deadline": d(r.item.current_deadline),
                "days": r.days_shown,
                "reminders": r.reminder_text or "未催办",
                "progress": r.item.latest_progress or "",
            }
            for n, r in enumerate(b.overdue, start=1)
        ],
        "units": [
            {
                "rank": u.rank,
                "unit": u.unit,
                "total": u.tally.total,
                "finished": u.tally.finished,
                "open": u.tally.open,
                "overdue": u.tally.overdue,
                "not_on_time": u.not_on_time,
                "rate": core.pct(u.tally.completion_rate),
                "points": scoring.fmt_points(u.points),
            }
            for u in b.by_unit
        ],
        "scores": [
            {
                "unit": s.unit,
                "overdue": s.counts[scoring.Reason.OVERDUE],
                "missed": s.counts[scoring.Reason.MISSED_REPORT],
                "false_report": s.counts[scoring.Reason.FALSE_REPORT],
                "ineffective": s.counts[scoring.Reason.INEFFECTIVE],
                "total": scoring.fmt_points(s.total),
            }
            for s in b.scores
        ],
        "weights_note": weights_note(b.settings),
    }


@contextlib.contextmanager
def _gc_frozen() -> Iterator[None]:
    """No garbage collection while the briefing is computed and written, the ledger as read
    left out of the collector's walks.

    Computing and writing create some 300,000 objects (the view's items, rows, cell records)
    and no reference cycles worth collecting; every few thousand of them the collector runs,
    and its collections walk what was made so far (a tenth of the time of computing and
    writing), though none of it can be garbage yet. Paused (``paused_gc``) and the ledger
    frozen; both undone at the end, so a long-lived process (the workbench) collects as usual
    afterwards, what was made here included.
    """
    gc.freeze()
    try:
        with paused_gc():
            yield
    finally:
        gc.unfreeze()


def run(
    path: Path,
    month: str,
    out_dir: Path,
    as_of: dt.date | None = None,
    *,
    include_confidential: bool = False,
    update_snapshot: bool = False,
    today: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> BriefResult:
    """The briefing for ``month`` as of its cut-off, from the ledger as it stood then.

    ``today`` is the run's day (default: the clock's): an 已终止 without 终止日期 is taken as
    ended on it, as refresh would stamp it. A finished month's 月度快照 row is a record: it is
    rewritten only with ``update_snapshot``; otherwise a differing run keeps it and reports
    each changed figure (``BriefResult.snapshot_kept``). ``progress(step, steps, what)`` is
    told as each step begins (reading the ledger, computing, writing both files), for a face's
    progress bar.
    """
    tell = progress or (lambda _done, _total, _what: None)
    as_of = resolve_as_of(month, as_of, today)
    out_dir = output_dir(out_dir, "通报")
    targets = (out_dir / f"通报-{month}.xlsx", out_dir / f"通报-{month}.docx")
    for target in targets:
        check_not_open(target)

    tell(0, 3, "读取台账")
    # The Word document's worker is started now, while this process is small, and does its
    # imports while the ledger is read (after the file is loaded, which takes both cores).
    with (
        spare_worker() as worker,
        contextlib.ExitStack() as stack,
        LedgerFile(path, writable=True, values_first=True) as lf,
    ):
        worker.ahead(docx_render.prepare_docx)
        data = read_ledger(lf)
        require_clean(data)
        cal = data.calendar()
        stack.enter_context(_gc_frozen())
        view, stats = data.point_in_time(as_of, cal, seen=today or dt.date.today())
        table = data.table(sc.SNAPSHOTS)
        existing = _snapshots(table)
        b = core.compute(
            month=month,
            as_of=as_of,
            items=view.items,
            reports=view.reports,
            extensions=view.extensions,
            reminders=view.reminders,
            settings=data.settings,
            cal=cal,
            unit_of=data.canonical_unit,
            snapshots=[s for _, s in existing.values()],
            include_confidential=include_confidential,
        )
        tell(1, 3, "统计本月数字")
        recorded = existing.get(month)
        kept: list[str] = []
        if recorded is not None and is_record(recorded[1]) and not update_snapshot:
            kept = recorded[1].changes(b.snapshot)
            # The 趋势 sheet shows the recorded rows: this month's record stands.
            b.trend = [recorded[1] if s.month == month else s for s in b.trend]
        paragraphs = docx_render.render_paragraphs(
            template_path(NARRATIVE_TEMPLATE, path),
            {"b": b, "t": b.totals, "s": b.settings},
            FILTERS,
        )
        tell(2, 3, "生成通报工作簿和 Word 文档")
        with Staging(out_dir) as staging:
            staged = [staging.path(t.name) for t in targets]
            with worker.background(
                docx_render.render_docx,
                template_path(DOCX_TEMPLATE, path),
                _docx_context(b, paragraphs),
                staged[1],
                FILTERS,
            ):
                brief_writer.write_brief(staged[0], b, paragraphs)
            result = BriefResult(
                month,
                as_of,
                targets[0],
                targets[1],
                b,
                unconfirmed_years=sorted(cal.unconfirmed_years),
                problems=stats.problems,
                snapshot_kept=kept,
                ended_stamped=stats.ended_stamped,
            )
            keep = recorded is not None and is_record(recorded[1]) and not update_snapshot
            row = None if keep else _upsert_snapshot(table, existing, b.snapshot)
            if row is None:
                staging.publish()
            else:
                result.backup = staging.publish_after(lambda: _save_snapshot(lf))
                result.snapshot_changed = True
    tell(3, 3, "完成")
    return result
