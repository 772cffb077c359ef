"""The ledger's sheets read into model objects, with every reading problem kept as a finding.

Reading never fails on a bad cell: the value becomes None and a finding names the cell, so
``validate`` can report everything at once and the other commands can refuse with the same
words. Only a workbook that is not a ledger at all (no 台账 or no _系统) raises.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger_tools.core import dates
from ledger_tools.core import findings as fnd
from ledger_tools.core import model as m
from ledger_tools.core import recompute as rc
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.errors import InputRejected, NotALedger
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.new import AS_OF_LABEL
from ledger_tools.sheets.ledger.tables import DATE_FORMAT, Row, Table

__all__ = ["LedgerData", "RefreshStats", "read_ledger", "require_clean"]


@dataclass
class RefreshStats:
    """What a recomputation changed; ``saved``/``backup`` are filled in by the command that saves."""

    as_of: dt.date
    items: int = 0
    cells_changed: int = 0
    ids_assigned: list[str] = field(default_factory=list)
    unconfirmed_years: list[int] = field(default_factory=list)
    problems: list[fnd.Finding] = field(default_factory=list)
    ended_stamped: list[str] = field(default_factory=list)  # 终止日期 filled in for these
    saved: bool = False
    backup: Path | None = None


@dataclass
class LedgerData:
    lf: LedgerFile
    tables: dict[str, Table]
    settings: m.Settings
    system: dict[str, str]
    units: list[m.Unit] = field(default_factory=list)
    items: list[m.Item] = field(default_factory=list)
    reports: list[m.Report] = field(default_factory=list)
    extensions: list[m.Extension] = field(default_factory=list)
    reminders: list[m.Reminder] = field(default_factory=list)
    overrides: list[m.CalendarOverride] = field(default_factory=list)
    problems: list[fnd.Finding] = field(default_factory=list)
    item_rows: list[Row] = field(default_factory=list)
    _unit_index: tuple[list, int, dict[str, str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def name(self) -> str:
        return self.lf.path.name

    @property
    def ledger_id(self) -> str:
        return self.system.get("ledger_id", "")

    @property
    def signing_key(self) -> str:
        return self.system.get("signing_key", "")

    def unit_names(self) -> dict[str, str]:
        """Every name and alias → the unit's registered name."""
        index: dict[str, str] = {}
        for u in self.units:
            index.setdefault(u.name, u.name)
        for u in self.units:
            for a in u.aliases:
                index.setdefault(a, u.name)
        return index

    def canonical_unit(self, name: str | None) -> str | None:
        """The registered name for a name or alias.

        Called once per item (brief, scoring, reminders): the index is built once per list of
        units (units are read once and not edited in place), not once per call.
        """
        if not name:
            return name
        cached = self._unit_index
        if cached is None or cached[0] is not self.units or cached[1] != len(self.units):
            cached = self._unit_index = (self.units, len(self.units), self.unit_names())
        return cached[2].get(name, name)

    def items_by_id(self) -> dict[str, m.Item]:
        return {i.id: i for i in self.items if i.id}

    def table(self, sheet: sc.Sheet) -> Table:
        return self.tables[sheet.name]

    def recompute(
        self, as_of: dt.date, cal: WorkCalendar | None = None, *, write: bool = True
    ) -> RefreshStats:
        """Recompute the ledger as of ``as_of`` (SPEC §3): the model objects, and the cells too.

        Every command that needs today's statuses and alerts comes here, so that what the
        rules say (``core.recompute``) reaches the items and the cells one way. Only
        tool-owned cells whose value changes are written, plus 计算日期 in 说明, so doing it
        twice with the same date changes nothing. ``write=False`` updates only the model
        objects and leaves every cell as read: for commands that save none of it (brief,
        forms), it skips comparing some 70,000 cells, and ``cells_changed`` stays 0.
        """
        cal = cal or WorkCalendar(self.overrides)
        stamped = self.stamp_endings(as_of, write=write)
        result = rc.recompute(
            self.items, self.extensions, self.reports, self.reminders, self.settings, cal, as_of
        )
        stats = self.apply_recomputation(result, as_of, write=write)
        stats.ended_stamped = stamped
        stats.cells_changed += len(stamped) if write else 0
        return stats

    def stamp_endings(self, day: dt.date, *, write: bool = True) -> list[str]:
        """终止日期 for every 已终止 item without one: ``day``, the day it is first seen (SPEC §3).

        So typing 已终止 today never rewrites an earlier month's briefing. With ``write`` the
        cells are written too (a ledger made before 终止日期 existed gains the column, after
        the staff's own); without, only the model objects (a briefing's in-memory reading).
        The ids (or row numbers) stamped, for the command to say so.
        """
        table = self.tables.get(sc.ITEMS.name) if write else None
        if table is not None:
            table.add_column("end_date")
        stamped: list[str] = []
        for item in self.items:
            if item.status is not m.Status.TERMINATED or item.end_date is not None:
                continue
            item.end_date = day
            stamped.append(item.id or f"第 {item.row} 行")
            if table is not None and item.row is not None:
                table.set(item.row, "end_date", day)
        return stamped

    def point_in_time(
        self, day: dt.date, cal: WorkCalendar, *, seen: dt.date
    ) -> tuple[rc.PointInTime, RefreshStats]:
        """The ledger as it stood at the end of ``day`` (SPEC §3 Point in time), in memory only.

        An 已终止 without 终止日期 is taken as ended on ``seen`` (the run's day, as refresh
        would stamp it): a past day's figures do not change because of it.
        """
        stats = RefreshStats(as_of=day, items=len(self.items), problems=list(self.problems))
        stats.ended_stamped = self.stamp_endings(seen, write=False)
        view = rc.point_in_time(
            self.items, self.extensions, self.reports, self.reminders, self.settings, cal, day
        )
        stats.unconfirmed_years = sorted(cal.unconfirmed_years)
        return view, stats

    def apply_recomputation(
        self, result: rc.Recomputation, as_of: dt.date, *, write: bool = True
    ) -> RefreshStats:
        """Put ``result`` into the items and, with ``write``, into 台账 and 计算日期."""
        stats = RefreshStats(as_of=as_of, items=len(self.items), problems=list(self.problems))
        table = self.table(sc.ITEMS) if write else None
        for index, new_id in result.ids.items():
            item = self.items[index]
            item.id = new_id
            stats.ids_assigned.append(new_id)
            if table is not None and item.row is not None:
                stats.cells_changed += table.set(item.row, "id", new_id)
        fields = rc.COMPUTED_FIELDS
        for index, computed in result.computed.items():
            item = self.items[index]
            row = item.row if table is not None else None
            for f in fields:
                value = getattr(computed, f)
                setattr(item, f, value)
                if table is not None and row is not None:
                    stats.cells_changed += table.set(row, f, value)
        if table is not None:
            stats.cells_changed += self._write_as_of(as_of)
        stats.unconfirmed_years = list(result.unconfirmed_years)
        return stats

    def _write_as_of(self, as_of: dt.date) -> int:
        """计算日期 in 说明, beside its label wherever staff moved that row; 1 when written."""
        wb = self.lf.wb
        if wb is None or sc.INTRO.name not in wb.sheetnames:
            return 0
        ws = wb[sc.INTRO.name]
        for row in ws.iter_rows(min_col=1, max_col=1):
            cell = row[0]
            if isinstance(cell.value, str) and cell.value.strip() == AS_OF_LABEL:
                target = ws.cell(row=cell.row, column=2)
                current = (
                    target.value.date() if isinstance(target.value, dt.datetime) else target.value
                )
                if current == as_of:
                    return 0
                target.value = as_of
                target.number_format = DATE_FORMAT
                return 1
        return 0


def _finding_for_bad(sheet: sc.Sheet, table: Table, row: Row, file: str) -> list[fnd.Finding]:
    out = []
    for f, raw in row.bad.items():
        col = sheet.column(f)
        common = dict(
            file=file,
            sheet=sheet.name,
            cell=table.ref(row.number, f),
            column=col.header,
            actual=raw,
        )
        if col.kind in ("date", "datetime"):
            out.append(fnd.make("L305", **common))
        elif col.kind == "choice":
            choices = col.choices.values() if col.choices is not None else []
            out.append(fnd.make("L309", detail="、".join(choices), **common))
        else:
            out.append(fnd.make("L309", detail="整数" if col.kind == "int" else "数字", **common))
    return out


def _settings(table: Table, rows: list[Row], file: str, problems: list) -> m.Settings:
    s = m.Settings()
    by_key = {r.get("key"): r for r in rows if r.get("key")}
    for key, attr, default, _note in sc.SETTING_KEYS:
        row = by_key.get(key)
        if row is None or row.get("value") in (None, ""):
            continue
        raw = row.get("value")
        value: object
        try:
            if isinstance(default, int):
                value = int(float(raw))
                if value < 0 or (attr == "report_day" and not 1 <= value <= 31):
                    raise ValueError
            elif isinstance(default, float):
                value = float(raw)
            else:
                value = str(raw)
            setattr(s, attr, value)
        except ValueError:
            problems.append(
                fnd.make(
                    "L312",
                    file=file,
                    sheet=sc.SETTINGS.name,
                    cell=table.ref(row.number, "value"),
                    column=key,
                    actual=raw,
                    detail=f"已按默认值 {default} 计算",
                )
            )
    return s


def read_ledger(lf: LedgerFile) -> LedgerData:
    wb = lf.wb
    assert wb is not None, "read_ledger needs an opened LedgerFile"
    file = lf.path.name
    if sc.ITEMS.name not in wb.sheetnames or sc.SYSTEM.name not in wb.sheetnames:
        raise NotALedger(
            f"{file} 不是 ledger 台账（缺少「{sc.ITEMS.name}」或隐藏的「{sc.SYSTEM.name}」工作表）。"
            "请用 ledger init 创建台账，不要删除其中的工作表。"
        )
    problems: list[fnd.Finding] = []
    tables: dict[str, Table] = {}
    rows: dict[str, list[Row]] = {}
    for sheet in sc.SHEETS:
        if not sheet.columns:
            continue
        if sheet.name not in wb.sheetnames:
            problems.append(
                fnd.make(
                    "L311",
                    file=file,
                    sheet=sheet.name,
                    detail=(
                        f"台账缺少工作表「{sheet.name}」（被删除或改名）。请把它改回原名，或从「台账备份」中最近的备份里"
                        "复制回来。"
                    ),
                )
            )
            rows[sheet.name] = []
            continue
        t = Table(wb[sheet.name], sheet)
        tables[sheet.name] = t
        for col in t.missing:
            if col.required:
                problems.append(
                    fnd.make(
                        "L311",
                        file=file,
                        sheet=sheet.name,
                        detail=(
                            f"工作表「{sheet.name}」缺少表头「{col.header}」。请恢复该列表头（第 1 行）。"
                        ),
                    )
                )
        rows[sheet.name] = list(t.rows())
        if sheet.name == sc.ITEMS.name:
            for r in rows[sheet.name]:
                _read_deadline(r)
        for r in rows[sheet.name]:
            problems.extend(_finding_for_bad(sheet, t, r, file))

    system = {
        str(r.get("key")): str(r.get("value") or "") for r in rows[sc.SYSTEM.name] if r.get("key")
    }
    settings = (
        _settings(tables[sc.SETTINGS.name], rows[sc.SETTINGS.name], file, problems)
        if sc.SETTINGS.name in tables
        else m.Settings()
    )
    data = LedgerData(lf=lf, tables=tables, settings=settings, system=system, problems=problems)
    data.units = [
        m.Unit(
            r.get("name"),
            r.get("aliases") or [],
            _v(r.get("category")),
            r.get("section"),
            r.get("contact"),
            r.get("phone"),
        )
        for r in rows[sc.UNITS.name]
        if r.get("name")
    ]
    data.item_rows = rows[sc.ITEMS.name]
    data.items = [_item(r) for r in data.item_rows]
    data.reports = [m.Report(row=r.number, **_fields(r)) for r in rows[sc.REPORTS.name]]
    data.extensions = [m.Extension(row=r.number, **_fields(r)) for r in rows[sc.EXTENSIONS.name]]
    data.reminders = [m.Reminder(row=r.number, **_fields(r)) for r in rows[sc.REMINDERS.name]]
    data.overrides = [
        m.CalendarOverride(r.get("date"), r.get("day_type"), r.get("note"))
        for r in rows[sc.CALENDAR.name]
        if r.get("date") and r.get("day_type")
    ]
    return data


def _fields(r: Row) -> dict[str, Any]:
    """A row's values as model keyword arguments: each column's kind (schema) gives its type."""
    return r.values


def _v(choice):
    return choice.value if isinstance(choice, m._Choice) else choice


def _read_deadline(r: Row) -> None:
    """完成时限 that is no plain date but still says one (2026年7月底, 年底 with 印发日期) is read
    by ``dates.parse_deadline``; what it cannot read stays bad, and so reported (L305)."""
    raw = r.bad.get("deadline")
    if raw is None:
        return
    try:
        day = dates.parse_deadline(raw, r.get("issued"))
    except dates.UnreadableDate:
        return
    r.values["deadline"] = day
    del r.bad["deadline"]


def _item(r: Row) -> m.Item:
    values = dict(_fields(r))
    # An unreadable 完成时限 is None like a blank one; the flag keeps them apart (时限不明).
    values["deadline_unreadable"] = "deadline" in r.bad
    values["confidential"] = values.get("confidential") is m.YesNo.YES
    values["co_units"] = values.get("co_units") or []
    return m.Item(
        row=r.number, **{k: v for k, v in values.items() if k in m.Item.__dataclass_fields__}
    )


def require_clean(data: LedgerData, *, codes: tuple[str, ...] = ("L311",)) -> None:
    """Refuse to go on when the ledger lacks a sheet or header the command needs."""
    blocking = [f for f in data.problems if f.code in codes]
    if blocking:
        lines = "\n".join(f"  - {f.sheet} {f.cell or ''} {f.message}" for f in blocking[:20])
        raise InputRejected(f"台账 {data.name} 的结构有问题，无法继续：\n{lines}")
