"""ledger notices: the 督查检查办理事项通知 of one source, one per lead unit (Art. 5, SPEC §6).

New items of the source (no 交办日期 yet) are assigned: each lead unit's notice gets the next
文号 of the year, and 交办日期/交办文号 go into the ledger in the same save that refreshes their
status (待交办 → 办理中/长期推进). When every item of the source was assigned before, the
notices are reprinted with their recorded 文号 and 交办日期 and the ledger is left alone, so a
lost notice can be produced again without consuming a number.

The documents are written to a hidden folder first and moved into place only after the ledger
is saved: a refused save leaves neither half-numbered notices nor a half-filled ledger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ledger_tools.core import notices as cn
from ledger_tools.core.model import Item
from ledger_tools.errors import UsageError
from ledger_tools.sheets.documents.templates import template_path
from ledger_tools.sheets.documents.word import render_docx
from ledger_tools.sheets.files import output_dir, safe_filename
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.data import LedgerData, read_ledger, require_clean
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.staging import Staging

__all__ = ["TEMPLATE", "NoticeFile", "NoticesResult", "run"]

TEMPLATE = "督查检查办理事项通知.docx"
MAX_CANDIDATES_SHOWN = 15


@dataclass
class NoticeFile:
    unit: str
    number: str
    date: dt.date
    item_ids: list[str]
    confidential: int
    path: Path


@dataclass
class NoticesResult:
    source: str
    date: dt.date
    out_dir: Path
    files: list[NoticeFile] = field(default_factory=list)
    reissue: bool = False
    late: list[tuple[str, dt.date]] = field(default_factory=list)  # (item, assignment due)
    assign_workdays: int = 3  # 交办时限工作日 the late check used
    no_issue_date: list[str] = field(default_factory=list)
    no_unit: list[str] = field(default_factory=list)  # items left 待交办: 主责单位 blank
    ended: list[str] = field(default_factory=list)  # ended before assignment: not assigned
    unregistered: list[str] = field(default_factory=list)
    unconfirmed_years: list[int] = field(default_factory=list)
    # Why the notice date is no working day (a weekend, a public holiday ...), None when it is:
    # a notice dated on a holiday is usually a typing mistake in --date, so the face warns.
    day_off: str | None = None
    saved: bool = False
    backup: Path | None = None

    @property
    def items(self) -> int:
        return sum(len(f.item_ids) for f in self.files)


def _label(item) -> str:
    """How the terminal names an item: its id, or its row when it has none yet."""
    return item.id or f"第 {item.row} 行"


def _choose_source(data: LedgerData, query: str) -> str:
    names = [i.source_name for i in data.items]
    chosen, candidates = cn.match_source(names, query)
    if chosen is not None:
        return chosen
    if not candidates:
        known = list(dict.fromkeys(n for n in names if n))
        shown = (
            "\n".join(f"  - {n}" for n in known[-MAX_CANDIDATES_SHOWN:]) or "  （台账中还没有事项）"
        )
        raise UsageError(
            f"台账 {data.name} 中没有来源名称包含「{query}」的事项。台账中的来源名称（最近 {MAX_CANDIDATES_SHOWN} 个）：\n"
            f"{shown}\n请用 --source 写出完整名称或其中独有的一部分。"
        )
    shown = "\n".join(f"  - {n}" for n in candidates[:MAX_CANDIDATES_SHOWN])
    more = (
        f"\n  ……另有 {len(candidates) - MAX_CANDIDATES_SHOWN} 个"
        if len(candidates) > MAX_CANDIDATES_SHOWN
        else ""
    )
    raise UsageError(
        f"台账 {data.name} 中有多个来源名称包含「{query}」：\n{shown}{more}\n"
        "请用 --source 写得更具体一些（完整名称或其中独有的一部分）。"
    )


def _assignable(data: LedgerData, item: Item) -> bool:
    """False for an item whose 交办日期 or 交办文号 cell is merged: its assignment could not be
    recorded, so it gets no notice (and no 文号) until staff unmerge; the range is named (L315)."""
    table = data.table(sc.ITEMS)
    for f in ("assigned", "notice_no"):
        ref = table.merged_range(item.row, f) if item.row is not None else None
        if ref is not None and item.assigned is None:
            data.refuse_merged_write(sc.ITEMS, ref, f)
            return False
    return True


def _plan(data: LedgerData, source: str, date: dt.date) -> cn.NoticePlan:
    # an item led through a name two units share (L314) is assigned to no unit until fixed
    mine = [
        i for i in data.items if i.source_name == source and data.routed(i) and _assignable(data, i)
    ]
    try:
        return cn.plan_notices(
            mine,
            date,
            data.settings,
            [i.notice_no for i in data.items],
            unit_of=data.canonical_unit,
            unit_order=[u.name for u in data.units],
        )
    except cn.NoticeFormatError as e:
        raise UsageError(
            f"「设置」中「交办文号格式」的值「{data.settings.notice_number_format}」无效：{e}。"
            "请改为如 督查通〔{年}〕{序号}号 的格式。"
        ) from None


def _file_name(notice: cn.Notice) -> str:
    parts = ["督查检查办理事项通知"]
    if notice.number:
        parts.append(safe_filename(notice.number))
    parts.append(safe_filename(notice.unit))
    return "-".join(parts) + ".docx"


def run(
    ledger: Path,
    source: str,
    out_dir: Path,
    date: dt.date | None = None,
    *,
    as_of: dt.date | None = None,
) -> NoticesResult:
    """Write the notices of ``source`` into ``out_dir``; fill and refresh the ledger (one save).

    ``date`` is the notice date and the 交办日期 written (default today); ``as_of`` is the date
    the ledger is refreshed as of (default today: a notice dated ahead or back does not move
    the ledger's 计算日期 away from the day of the run).
    """
    today = dt.date.today()
    date, as_of = date or today, as_of or today
    out_dir = output_dir(out_dir, "通知", create=False)
    with LedgerFile(ledger, writable=True, values_first=True) as lf:
        data = read_ledger(lf)
        require_clean(data)
        source = _choose_source(data, source)
        output_dir(out_dir, "通知")
        template = template_path(TEMPLATE, lf.path)
        plan = _plan(data, source, date)
        result = NoticesResult(
            source=source,
            date=date,
            out_dir=out_dir,
            reissue=plan.reissue,
            assign_workdays=data.settings.assign_workdays,
            no_unit=[_label(i) for i in plan.no_unit],
            ended=[_label(i) for i in plan.ended],
        )
        cal = data.calendar()
        if not plan.reissue and plan.notices:
            data.recompute(as_of, cal)  # numbers new rows, so the notices show their ids
            fresh = [i for n in plan.notices for i in n.items]
            early = [i for i in fresh if i.issued is not None and date < i.issued]
            if early:
                raise UsageError(
                    f"通知日期 {date} 早于纪要印发日期 {early[0].issued}（{'、'.join(_label(i) for i in early[:10])}）。"
                    "请检查 --date 或台账中的「印发日期」。台账未被修改。"
                )
            result.late = [
                (_label(x.item), x.due)
                for x in cn.late_assignments(fresh, date, cal, data.settings)
            ]
            result.no_issue_date = [_label(i) for i in fresh if i.issued is None]
            result.day_off = cal.day_off_reason(date)

        registered = {u.name for u in data.units}
        result.unregistered = [n.unit for n in plan.notices if n.unit not in registered]
        with Staging(out_dir) as staging:
            for notice in plan.notices:
                context = cn.notice_context(notice, data.settings, unit_of=data.canonical_unit)
                name = _file_name(notice)
                render_docx(template, context, staging.path(name))
                result.files.append(
                    NoticeFile(
                        notice.unit,
                        notice.number,
                        notice.date,
                        [_label(i) for i in notice.items],
                        sum(1 for i in notice.items if i.confidential),
                        out_dir / name,
                    )
                )
            if plan.reissue or not plan.notices:
                staging.publish()
            else:
                _record_assignment(data, plan, date)
                stats = data.recompute(as_of, cal)
                result.backup = staging.publish_after(lf.save)
                result.saved = True
                result.unconfirmed_years = stats.unconfirmed_years
        if not result.unconfirmed_years:
            result.unconfirmed_years = sorted(cal.unconfirmed_years)
        return result


def _record_assignment(data: LedgerData, plan: cn.NoticePlan, date: dt.date) -> None:
    table = data.table(sc.ITEMS)
    for notice in plan.notices:
        for item in notice.items:
            assert item.row is not None  # items read from the ledger know their row
            item.assigned, item.notice_no = date, notice.number
            table.set(item.row, "assigned", date)
            table.set(item.row, "notice_no", notice.number)
