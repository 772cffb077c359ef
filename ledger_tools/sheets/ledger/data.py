"""The ledger's sheets read into model objects, with every reading problem kept as a finding.

Reading never fails on a bad cell: the value becomes None and a finding names the cell, so
``validate`` can report everything at once and the other commands can refuse with the same
words. Only a workbook that is not a ledger at all (no 台账 or no _系统) raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger_tools.core import findings as fnd
from ledger_tools.core import model as m
from ledger_tools.errors import InputRejected, NotALedger
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.tables import Row, Table

__all__ = ["LedgerData", "read_ledger", "require_clean"]


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
            out.append(fnd.make("L309", detail="、".join(col.choices.values()), **common))
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
    data.reports = [m.Report(row=r.number, **r.values) for r in rows[sc.REPORTS.name]]
    data.extensions = [m.Extension(row=r.number, **r.values) for r in rows[sc.EXTENSIONS.name]]
    data.reminders = [m.Reminder(row=r.number, **r.values) for r in rows[sc.REMINDERS.name]]
    data.overrides = [
        m.CalendarOverride(r.get("date"), r.get("day_type"), r.get("note"))
        for r in rows[sc.CALENDAR.name]
        if r.get("date") and r.get("day_type")
    ]
    return data


def _v(choice):
    return choice.value if isinstance(choice, m._Choice) else choice


def _item(r: Row) -> m.Item:
    values = dict(r.values)
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
