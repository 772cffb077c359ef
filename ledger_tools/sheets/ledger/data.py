"""The ledger's sheets read into model objects, with every reading problem kept as a finding.

Reading never fails on a bad cell: the value becomes None and a finding names the cell, so
``validate`` can report everything at once and the other commands can refuse with the same
words. Only a workbook that is not a ledger at all (no 台账 or no _系统) raises.

Long because reading the ledger is one pass whose steps (cells to model objects, 设置, the unit
names, the findings that name cells) share the same rows and tables; cut apart, each piece would
need the whole read state handed to it.
"""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import MISSING, dataclass, field, replace
from itertools import compress
from operator import attrgetter
from pathlib import Path
from typing import Any

from ledger_tools.core import dates
from ledger_tools.core import findings as fnd
from ledger_tools.core import model as m
from ledger_tools.core import recompute as rc
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.confidential import is_confidential
from ledger_tools.core.rules import Computed
from ledger_tools.core.units import UnitIndex
from ledger_tools.errors import InputRejected, NotALedger
from ledger_tools.sheets import cells
from ledger_tools.sheets.ledger import headers, non_items, shape
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.advisories import advise
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.formulas import CachedValues, read_cached
from ledger_tools.sheets.ledger.tables import DATE_FORMAT, Row, Table, merged_ranges
from ledger_tools.sheets.ledger.value_book import paused_gc

SHEET_NAMES = tuple(s.name for s in sc.SHEETS)

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
    # the rows the items were read from: their numbers and unreadable cells (``bad``); their
    # values are the items' own, so each row's ``values`` is left empty
    item_rows: list[Row] = field(default_factory=list)
    # rows of 台账 that are not items (non_items: a totals row, a repeated header, a blank row)
    non_item_rows: list[tuple[Row, str]] = field(default_factory=list)
    # writes left undone because the cell is merged (L315), in the order they were refused
    blocked: list[fnd.Finding] = field(default_factory=list)
    confirmed_years: frozenset[int] = frozenset()  # 设置 已确认调休年份
    _unit_index: tuple[list, int, UnitIndex] | None = field(
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

    def unit_index(self) -> UnitIndex:
        """The names and aliases of 单位, built once per list of units (units are read once and
        not edited in place), not once per call: brief, scoring and reminders ask per item."""
        cached = self._unit_index
        if cached is None or cached[0] is not self.units or cached[1] != len(self.units):
            cached = self._unit_index = (self.units, len(self.units), UnitIndex.of(self.units))
        return cached[2]

    def unit_names(self) -> dict[str, str]:
        """Every name and alias → the unit's registered name; a name two units share (L314) →
        ``core.units.CLASH_MARK``, which is no unit's name."""
        return self.unit_index().routing()

    def canonical_unit(self, name: str | None) -> str | None:
        """The registered name for a name or alias; None for a name two units share (it goes
        to no unit until fixed); an unknown name as typed."""
        return self.unit_index().resolve(name)

    def routed(self, item: m.Item) -> bool:
        """False when the item's 主责单位 is a name two units share: no form, notice or reminder
        may go out for it until 单位 is fixed."""
        return not (item.lead_unit and self.canonical_unit(item.lead_unit) is None)

    def calendar(self) -> WorkCalendar:
        """The working-day calendar of this ledger: 工作日历 and 设置 已确认调休年份."""
        return WorkCalendar(self.overrides, self.confirmed_years)

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
        cal = cal or self.calendar()
        stamped = self.stamp_endings(as_of, write=write)
        # A few objects per item and no cycle among them: some 120 collections of them paused
        with paused_gc():
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
        with paused_gc():
            return self._apply_recomputation(result, as_of, write=write)

    def _apply_recomputation(
        self, result: rc.Recomputation, as_of: dt.date, *, write: bool
    ) -> RefreshStats:
        stats = RefreshStats(as_of=as_of, items=len(self.items), problems=list(self.problems))
        table = self.table(sc.ITEMS) if write else None
        for index, new_id in result.ids.items():
            item = self.items[index]
            item.id = new_id
            stats.ids_assigned.append(new_id)
            if table is not None and item.row is not None:
                stats.cells_changed += table.set(item.row, "id", new_id)
        fields = rc.COMPUTED_FIELDS
        values_of = attrgetter(*fields)
        rows: list[int] = []  # the rows written, and their items' results
        results: list[Computed] = []
        keep_status: set[int] = set()
        for index, computed in result.computed.items():
            item = self.items[index]
            row = item.row
            if table is not None and row is not None:
                rows.append(row)
                results.append(computed)
                # 已办结 typed without 办结日期 counts as open (core.state), but the cell keeps
                # what staff typed (SPEC §12): validate's L320 asks for the date until given.
                if item.status is m.Status.DONE and item.done_date is None:
                    keep_status.add(row)
            item.__dict__.update(zip(fields, values_of(computed)))
        if table is not None:
            # A column at a time (some 70,000 cells), in the row order of one item after the
            # other, each row's fields in their order; merged ranges are reported in that order
            # too, as ``set_column`` then writes cell by cell.
            if table.merged_in(fields):
                stats.cells_changed += self._write_by_item(table, rows, results, keep_status)
            else:
                for f in fields:
                    column = list(map(attrgetter(f), results))
                    if f == "status" and keep_status:
                        kept = [r not in keep_status for r in rows]
                        stats.cells_changed += table.set_column(
                            f, compress(rows, kept), compress(column, kept)
                        )
                    else:
                        stats.cells_changed += table.set_column(f, rows, column)
            stats.cells_changed += self._write_as_of(as_of)
        stats.unconfirmed_years = list(result.unconfirmed_years)
        seen = {(f.code, f.sheet, f.cell) for f in stats.problems}
        stats.problems.extend(b for b in self.blocked if (b.code, b.sheet, b.cell) not in seen)
        return stats

    @staticmethod
    def _write_by_item(
        table: Table, rows: list[int], results: list[Computed], keep_status: set[int]
    ) -> int:
        """The computed cells written one item after the other (a merged range is reported in
        the order its cells are met)."""
        fields = rc.COMPUTED_FIELDS
        values_of = attrgetter(*fields)
        setters = [table.setter(f) for f in fields]
        changed = 0
        for row, computed in zip(rows, results):
            for f, set_cell, value in zip(fields, setters, values_of(computed)):
                if not (f == "status" and row in keep_status):
                    changed += set_cell(row, value)
        return changed

    def refuse_merged_write(self, sheet: sc.Sheet, ref: str, f: str) -> None:
        """A write ``Table`` left undone (a merged cell): reported once per range and column,
        as an error, so the command ends with exit 1 and the stale range is named."""
        if any(b.sheet == sheet.name and b.cell == ref for b in self.blocked):
            return
        finding = shape.blocked_finding(sheet, ref, f, self.name)
        self.blocked.append(finding)
        advise([finding])

    def _write_as_of(self, as_of: dt.date) -> int:
        """计算日期 in 说明, beside its label wherever staff moved that row; 1 when written."""
        wb = self.lf.wb
        if wb is None or sc.INTRO.name not in wb.sheetnames:
            return 0
        ws = wb[sc.INTRO.name]
        for row in ws.iter_rows(min_col=1, max_col=1):
            cell = row[0]
            if isinstance(cell.value, str) and cell.value.strip() == sc.AS_OF_LABEL:
                target = ws.cell(row=cell.row, column=2)
                if _covered(ws, cell.row, 2):  # merged into its label: staff's layout
                    return 0
                current = (
                    target.value.date() if isinstance(target.value, dt.datetime) else target.value
                )
                if current == as_of:
                    return 0
                target.value = as_of
                target.number_format = DATE_FORMAT
                self.lf.changes.sheet(sc.INTRO.name).put(cell.row, 2, as_of, DATE_FORMAT)
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
        if f == "confidential" and sheet is sc.ITEMS:
            out.append(fnd.make("L319", item=row.get("id"), **common))
        elif col.kind in ("date", "datetime"):
            out.append(fnd.make("L305", **common))
        elif col.kind == "choice":
            choices = col.choices.values() if col.choices is not None else []
            out.append(fnd.make("L309", detail="、".join(choices), **common))
        else:
            out.append(fnd.make("L309", detail="整数" if col.kind == "int" else "数字", **common))
    return out


def _settings(table: Table, rows: list[Row], file: str, problems: list) -> m.Settings:
    """设置 as typed; a value that cannot be read is L312 naming its cell.

    Each value is read as the type of its ``Settings`` field, never of its default: the weights
    default to whole numbers (1, 2) but are decimals (SPEC §2), and reading 1.5 as an int would
    make units look better than the office decided. An L312 stops every command but validate
    (``require_clean``): guessing a default would compute with a rule the office did not set.
    """
    s = m.Settings()
    by_key = {r.get("key"): r for r in rows if r.get("key")}
    for key, attr, _default, _note in sc.SETTING_KEYS:
        row = by_key.get(key)
        if row is None or row.get("value") in (None, ""):
            continue
        raw = row.get("value")
        kind = type(getattr(s, attr))
        value: object
        try:
            if kind is int:
                value = cells.parse_int(raw)
                if value is None or value < 0 or (attr == "report_day" and not 1 <= value <= 31):
                    raise ValueError
            elif kind is float:
                value = cells.parse_number(raw)
                if value is None or not 0 <= value < float("inf"):
                    raise ValueError
            else:
                value = str(raw)
            setattr(s, attr, value)
        except ValueError:  # cells.BadValue is one too
            if kind is int:
                detail = "应为不小于 0 的整数" + ("（1 至 31）" if attr == "report_day" else "")
            else:
                detail = "应为不小于 0 的数字（可带小数，如 1.5）"
            problems.append(
                fnd.make(
                    "L312",
                    file=file,
                    sheet=sc.SETTINGS.name,
                    cell=table.ref(row.number, "value"),
                    column=key,
                    actual=raw,
                    detail=f"{detail}。请改正后重新运行",
                )
            )
    return s


def read_ledger(lf: LedgerFile) -> LedgerData:
    """The ledger as model objects, with every reading problem in ``problems``; the ones every
    command must mention (L314, L316, L317) also go to the face's ``advisories`` sink.

    Read with the cyclic garbage collector paused (``paused_gc``), and what was read is then
    frozen (``gc.freeze``) until the ledger file is closed: every later full collection of the
    command (checking forms, writing the package) would otherwise walk those millions of
    objects again, only to find them alive.
    """
    with paused_gc():
        data = _read_ledger(lf)
        gc.freeze()  # before the collector runs again: its first collection would walk them all
    return data


def _read_ledger(lf: LedgerFile) -> LedgerData:
    wb = lf.wb
    assert wb is not None, "read_ledger needs an opened LedgerFile"
    file = lf.path.name
    if sc.ITEMS.name not in wb.sheetnames:
        alike = headers.look_alike_sheet(wb, sc.ITEMS, SHEET_NAMES)
        if alike is not None:
            name, found = alike
            raise NotALedger(
                f"{file} 中没有名为「{sc.ITEMS.name}」的工作表，但工作表「{name}」看起来就是台账"
                f"（有表头 {'、'.join(found[:5])}{'等' if len(found) > 5 else ''}）。"
                f"请把工作表「{name}」改名为「{sc.ITEMS.name}」后重新运行（其他工作表的名称也请保持原样）。"
            )
    if sc.ITEMS.name not in wb.sheetnames or sc.SYSTEM.name not in wb.sheetnames:
        raise NotALedger(
            f"{file} 不是 ledger 台账（缺少「{sc.ITEMS.name}」或隐藏的「{sc.SYSTEM.name}」工作表）。"
            "请用 ledger init 创建台账，不要删除其中的工作表。"
        )
    problems: list[fnd.Finding] = []
    others: list[tuple[Row, str]] = []
    tables: dict[str, Table] = {}
    cached = CachedValues(lf.path)
    rows: dict[str, list[Row]] = {}
    for sheet in sc.SHEETS:
        if not sheet.columns:
            continue
        if sheet.name not in wb.sheetnames:
            alike = headers.look_alike_sheet(wb, sheet, SHEET_NAMES)
            detail = (
                f"台账缺少工作表「{sheet.name}」；工作表「{alike[0]}」看起来就是它，请把它改名为「{sheet.name}」。"
                if alike is not None
                else f"台账缺少工作表「{sheet.name}」（被删除或改名）。请把它改回原名，或从「台账备份」中最近的备份里"
                "复制回来。"
            )
            problems.append(fnd.make("L311", file=file, sheet=sheet.name, detail=detail))
            rows[sheet.name] = []
            continue
        t = Table(wb[sheet.name], sheet, lf.changes.sheet(sheet.name))
        tables[sheet.name] = t
        for cell, detail in headers.header_problems(t, sheet):
            problems.append(fnd.make("L311", file=file, sheet=sheet.name, cell=cell, detail=detail))
        rows[sheet.name] = list(t.rows())
        read_cached(wb, t, rows[sheet.name], cached)
        if sheet.name == sc.ITEMS.name:
            for r in rows[sheet.name]:
                _read_deadline(r)
            rows[sheet.name], others = shape.separate_non_items(rows[sheet.name], file, problems)
            problems.extend(shape.merged_findings(t, rows[sheet.name], file))
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
    data.non_item_rows = others
    for spec in sc.SHEETS:
        if spec.name in tables:
            tables[spec.name].on_blocked = lambda ref, f, spec=spec: data.refuse_merged_write(
                spec, ref, f
            )
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
    data.items = [_item(r) for r in data.item_rows]  # (their values not kept twice: 40 MB)
    _unit_clashes(data, rows[sc.UNITS.name])
    data.reports = [m.Report(row=r.number, **_fields(r)) for r in rows[sc.REPORTS.name]]
    data.extensions = [m.Extension(row=r.number, **_fields(r)) for r in rows[sc.EXTENSIONS.name]]
    data.reminders = [m.Reminder(row=r.number, **_fields(r)) for r in rows[sc.REMINDERS.name]]
    data.overrides = [
        m.CalendarOverride(r.get("date"), r.get("day_type"), r.get("note"))
        for r in rows[sc.CALENDAR.name]
        if r.get("date") and r.get("day_type")
    ]
    if sc.CALENDAR.name in tables:
        problems.extend(
            shape.calendar_findings(tables[sc.CALENDAR.name], rows[sc.CALENDAR.name], file)
        )
    data.confirmed_years = shape.confirmed_years(
        settings.confirmed_years,
        tables.get(sc.SETTINGS.name),
        rows.get(sc.SETTINGS.name, []),
        file,
        problems,
    )
    # A command that writes ends with exit 1 naming each totals or repeated header row (SPEC
    # §5), so that no row staff meant as an item goes unseen; a blank row (drop-downs filled
    # down) stays a warning, and validate lists them all as warnings.
    loud = {
        f"{r.number}:{r.number}"
        for r, kind in data.non_item_rows
        if kind in (non_items.TOTALS, non_items.HEADER)
    }
    advise(
        replace(f, severity=fnd.Severity.ERROR) if lf.writable and f.cell in loud else f
        for f in problems
        if f.code in shape.ADVISED
    )
    return data


def _unit_clashes(data: LedgerData, unit_rows: list[Row]) -> None:
    """L314 for each name or alias two units share, at the 单位 cell that gave it to the second;
    and, for the commands (``advisories``), a warning naming the items that go to no unit
    because of it (validate lists the error itself)."""
    index = data.unit_index()
    table = data.tables.get(sc.UNITS.name)
    for clash in index.clashes.values():
        cell = None
        holders = [r for r in unit_rows if clash.name in (r.get("name"), *(r.get("aliases") or []))]
        if table is not None and holders:
            f = "name" if holders[-1].get("name") == clash.name else "aliases"
            cell = table.ref(holders[-1].number, f) if f in table.positions else None
        finding = fnd.make(
            "L314",
            file=data.name,
            sheet=sc.UNITS.name,
            cell=cell,
            actual=clash.name,
            detail=clash.owners_text,
        )
        data.problems.append(finding)
        typed = [
            i.id or f"第 {i.row} 行" for i in data.items if clash.name in (i.lead_unit, *i.co_units)
        ]
        shown = "、".join(typed[:10]) + ("等" if len(typed) > 10 else "")
        extra = f"现有 {len(typed)} 个事项填写了「{clash.name}」：{shown}。" if typed else ""
        advise([replace(finding, severity=fnd.Severity.WARNING, message=finding.message + extra)])


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


_ITEM_FIELDS = frozenset(m.Item.__dataclass_fields__)
# Each Item field's default in field order, as ``Item.__init__`` sets it (co_units, the one
# made by a factory, is always given by ``_item``).
_ITEM_DEFAULTS = {
    name: None if f.default is MISSING else f.default
    for name, f in m.Item.__dataclass_fields__.items()
}
_new_item = m.Item.__new__


def _item(r: Row) -> m.Item:
    """The item a row of 台账 holds; its values move into the item (``LedgerData.item_rows``).

    The instance's dict made at once, as ``Item(row=..., **values)`` would fill it (every
    台账 field is an Item field, and every field keeps its place): past 30 fields a dict that
    ``__init__`` grows field by field is no longer shared-key and twice the size, 37 MB at
    50,000 items, and making it at once takes half the time.
    """
    values, r.values = r.values, {}
    fields = _ITEM_DEFAULTS.copy()
    fields.update(values)
    fields["row"] = r.number
    # An unreadable 完成时限 is None like a blank one; the flag keeps them apart (时限不明).
    fields["deadline_unreadable"] = "deadline" in r.bad
    # What 涉密 says is decided in one place; an odd value (√, 机密, 是（内部）) is confidential.
    fields["confidential"] = is_confidential(r.bad.get("confidential", values.get("confidential")))
    fields["co_units"] = values.get("co_units") or []
    item = _new_item(m.Item)
    item.__dict__ = fields
    return item


def require_clean(data: LedgerData, *, codes: tuple[str, ...] = ("L311", "L312")) -> None:
    """Refuse to go on when the ledger lacks a sheet or header the command needs, or a 设置
    value it cannot read (a rule the office set that the tool would otherwise replace)."""
    blocking = [f for f in data.problems if f.code in codes]
    if blocking:
        lines = "\n".join(f"  - {f.sheet} {f.cell or ''} {f.message}" for f in blocking[:20])
        what = "的结构有问题" if all(f.code == "L311" for f in blocking) else "中有须先改正的问题"
        raise InputRejected(f"台账 {data.name}{what}，无法继续（台账未作修改）：\n{lines}")


def _covered(ws, row: int, column: int) -> bool:
    """True for a cell inside a merged range but not its first cell (what openpyxl makes a
    ``MergedCell``, which cannot be written), on the openpyxl workbook or the values view alike."""
    return any(
        r0 <= row <= r1 and c0 <= column <= c1 and (row, column) != (r0, c0)
        for r0, c0, r1, c1 in merged_ranges(ws)
    )
