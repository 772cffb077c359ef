"""ledger remind: 书面督办 notices and the 电话督办 call list (Art. 7, SPEC §6).

The items needing a reminder (逾期, 未按时报送, 临期) are found by refreshing the ledger in
memory as of ``--as-of``, so the reminders never rest on yesterday's alerts. Without
``--record`` the ledger is opened read-only and stays byte-identical; with it the reminders
are appended to 催办记录 and the ledger refreshed (催办次数) in one save. Recording twice on
the same day adds nothing: an item already chased in writing that day is not chased again.

A unit's notice may show its own confidential items; the call list goes round the staff
making the calls, so there a confidential item is 「涉密事项」 with its 事项编号 only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger_tools.core import reminders as cn
from ledger_tools.core.confidential import redact
from ledger_tools.core.model import Alert, Reminder, ReminderMethod, Settings, Unit
from ledger_tools.sheets.documents.notices import Column, ListSheet, write_list_workbook
from ledger_tools.sheets.documents.templates import template_path
from ledger_tools.sheets.documents.word import render_docx
from ledger_tools.sheets.files import output_dir, safe_filename
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.data import LedgerData, read_ledger, require_clean
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.staging import Staging

__all__ = [
    "CHECKLIST",
    "PHONE_COLUMNS",
    "TEMPLATE",
    "RemindResult",
    "UnitReminder",
    "counts",
    "run",
]

TEMPLATE = "催办通知.docx"
CHECKLIST = "电话督办清单.xlsx"
METHOD = ReminderMethod.WRITTEN

PHONE_COLUMNS = (
    Column("序号", 6, "int"),
    Column("单位", 22),
    Column("联系人", 10),
    Column("联系电话", 15),
    Column("事项编号", 15),
    Column("议定事项", 36),
    Column("督办预警", 10),
    Column("当前时限", 12, "date"),
    Column("剩余工作日", 9, "int"),
    Column("本期报送", 10),
    Column("已催办次数", 9, "int"),
    Column("通话时间", 14, blank=True),
    Column("接听人", 10, blank=True),
    Column("通话结果", 30, blank=True),
    Column("经办人", 10, blank=True),
)


@dataclass
class UnitReminder:
    unit: str
    item_ids: list[str]
    alerts: Counter
    contact: str | None
    phone: str | None
    path: Path


@dataclass
class RemindResult:
    as_of: dt.date
    out_dir: Path
    units: list[UnitReminder] = field(default_factory=list)
    checklist: Path | None = None
    recorded: int = 0
    already_recorded: list[str] = field(default_factory=list)  # chased in writing today already
    unnumbered: int = 0  # items needing a reminder that have no 事项编号 yet (not recorded)
    no_contact: list[str] = field(default_factory=list)
    unconfirmed_years: list[int] = field(default_factory=list)
    saved: bool = False
    backup: Path | None = None

    @property
    def items(self) -> int:
        return sum(len(u.item_ids) for u in self.units)


def _chased_today(data: LedgerData, as_of: dt.date) -> set[str]:
    return {
        r.item_id.strip()
        for r in data.reminders
        if r.item_id and r.date == as_of and r.method is METHOD
    }


def _phone_rows(
    plan: list[cn.ReminderNotice], units: dict[str, Unit], include_confidential: bool
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for rn in plan:
        unit = units.get(rn.unit)
        for item in rn.items:
            shown = item if include_confidential else redact(item)
            rows.append(
                {
                    "序号": len(rows) + 1,
                    "单位": rn.unit,
                    "联系人": unit.contact if unit else None,
                    "联系电话": unit.phone if unit else None,
                    "事项编号": item.id or cn.UNNUMBERED,
                    "议定事项": shown.matter,
                    "督办预警": item.alert.value if item.alert else None,
                    "当前时限": item.current_deadline or item.deadline,
                    "剩余工作日": item.workdays_left,
                    "本期报送": item.period_flag.value if item.period_flag else None,
                    "已催办次数": item.reminders or 0,
                }
            )
    return rows


def _phone_notes(
    as_of: dt.date, settings: Settings, rows: int, include_confidential: bool
) -> list[str]:
    notes = [
        f"截至 {as_of}，需电话督办的事项共 {rows} 个（督办预警为逾期、未按时报送或临期），按单位排列。",
        "请逐一致电联系人，提醒其抓紧办理并按时报送办理情况；在黄色列中填写通话时间、接听人、通话结果和经办人。",
        f"通话后请在台账「催办记录」登记一行：催办方式选「电话督办」，催办日期填通话日期，以便计入催办次数"
        f"（催办达到 {settings.escalate_reminders} 次仍逾期的，计入逾期未落实扣分）。",
    ]
    if not include_confidential:
        notes.append(
            "本清单供工作人员传阅，涉密事项只显示「涉密事项」和事项编号，具体内容请查阅台账。"
        )
    return notes


def run(
    ledger: Path,
    out_dir: Path,
    as_of: dt.date | None = None,
    *,
    record: bool = False,
    clerk: str | None = None,
    include_confidential: bool = False,
) -> RemindResult:
    """Write the 催办通知 per unit and the call list; with ``record`` log them in 催办记录."""
    as_of = as_of or dt.date.today()
    out_dir = output_dir(out_dir, "催办通知", create=False)
    result = RemindResult(as_of=as_of, out_dir=out_dir)
    with LedgerFile(ledger, writable=record, values_first=True) as lf:
        data = read_ledger(lf)
        require_clean(data)
        output_dir(out_dir, "催办通知")
        template = template_path(TEMPLATE, lf.path)
        cal = data.calendar()
        unnumbered = [i for i in data.items if not i.id]
        data.recompute(as_of, cal)
        if not record:
            for item in unnumbered:  # not saved: never print an id the ledger does not hold
                item.id = None
        chased = _chased_today(data, as_of)
        plan = cn.plan_reminders(  # none through a name two units share (L314)
            [i for i in data.items if data.routed(i)],
            unit_of=data.canonical_unit,
            unit_order=[u.name for u in data.units],
        )
        units = {u.name: u for u in data.units}
        with Staging(out_dir) as staging:
            for rn in plan:
                context = cn.reminder_context(rn, as_of, data.settings, counted=chased)
                name = f"催办通知-{as_of.isoformat()}-{safe_filename(rn.unit)}.docx"
                render_docx(template, context, staging.path(name))
                unit = units.get(rn.unit)
                contact, phone = (unit.contact, unit.phone) if unit else (None, None)
                if not contact or not phone:
                    result.no_contact.append(rn.unit)
                result.units.append(
                    UnitReminder(
                        rn.unit,
                        [i.id or cn.UNNUMBERED for i in rn.items],
                        Counter(i.alert for i in rn.items),
                        contact,
                        phone,
                        out_dir / name,
                    )
                )
            if plan:
                rows = _phone_rows(plan, units, include_confidential)
                write_list_workbook(
                    staging.path(CHECKLIST),
                    ListSheet("电话督办清单", PHONE_COLUMNS, rows),
                    title=f"电话督办清单（截至 {as_of}）",
                    notes=_phone_notes(as_of, data.settings, len(rows), include_confidential),
                    author=data.settings.office_name,
                )
                result.checklist = out_dir / CHECKLIST
            result.unnumbered = sum(1 for rn in plan for i in rn.items if not i.id)
            if record:
                _record(data, plan, as_of, clerk, chased, result)
            if not result.recorded:
                staging.publish()
            else:
                stats = data.recompute(as_of, cal)
                result.backup = staging.publish_after(lf.save)
                result.saved = True
                result.unconfirmed_years = stats.unconfirmed_years
        if not result.unconfirmed_years:
            result.unconfirmed_years = sorted(cal.unconfirmed_years)
    return result


def _record(
    data: LedgerData,
    plan: list[cn.ReminderNotice],
    as_of: dt.date,
    clerk: str | None,
    chased: set[str],
    result: RemindResult,
) -> None:
    """Append one 书面督办 row per item to 催办记录 (in memory too, for the refresh after)."""
    table = data.table(sc.REMINDERS)
    for rn in plan:
        for item in rn.items:
            if not item.id:
                continue
            if item.id in chased:
                result.already_recorded.append(item.id)
                continue
            values: dict[str, Any] = {
                "date": as_of,
                "item_id": item.id,
                "unit": rn.unit,
                "method": METHOD,
                "content": cn.reminder_content(item, as_of, data.settings),
                "clerk": (clerk or "").strip() or None,
            }
            row = table.append(values)
            data.reminders.append(Reminder(row=row, **values))
            chased.add(item.id)
            result.recorded += 1


def counts(result: RemindResult) -> dict[Alert, int]:
    """Totals by alert over every unit, for the terminal summary."""
    total: Counter = Counter()
    for u in result.units:
        total.update(u.alerts)
    return {a: total.get(a, 0) for a in cn.REMIND_ALERTS}
