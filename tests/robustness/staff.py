"""The "staff ledger" family of the robustness corpus: ledgers as staff really keep them.

Every case starts from the sample ledger (ledger_tools/demo/sample.py), refreshed as of its
reference date, and changes what one clerk changed on a copy of it (SPEC §3 "Fail closed", §5
L314–L320, ISSUE 12): an odd 涉密 spelling, an alias two units share, a deadline nobody can
read, a formula, a fact without its date, an incomplete approval, a decimal weight, merged
cells, a totals row, a wrapped header, a renamed sheet, a calendar conflict, a read-only or
password-protected file. Each case then names the commands to run, in order, and what each
must end with: handled correctly (the user-visible result: a 台账 cell, a file's content, a
warning) or refused with its code and exit code, the ledger byte-identical.

The catalogue is a table (``CASES``) so it reads as a list of what staff do; test_staff.py
runs it. The base ledger is loaded once and deep-copied per case (an openpyxl load costs far
more than a copy), and every command runs in-process through the CLI.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import stat
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from ledger_tools.cli.app import cli
from ledger_tools.demo.sample import REFERENCE_DATE, SAMPLE_UNITS, build_sample
from ledger_tools.jobs import forms, refresh
from ledger_tools.sheets.forms import layout as fl
from tests.builders import GENERATED, fill, form_table, sha

__all__ = [
    "AS_OF",
    "CASES",
    "Base",
    "Outcome",
    "StaffCase",
    "Step",
    "execute",
    "texts_of",
    "wide_console",
]

AS_OF = REFERENCE_DATE  # 2026-11-20: the sample's own day
DAY = AS_OF.isoformat()
PERIOD = AS_OF.strftime("%Y-%m")

# Items of the sample ledger the cases change (their state as of AS_OF, after refresh).
OVERDUE = "2026-CW01-04"  # 青河市人民政府, 一般, 完成时限 2026-09-05, 逾期, 催办 2 次, two co-units
PUBLIC = "2026-CW10-03"  # 西山县政府 (alias), co 市自然资源和规划局、市生态环境局, 正常, 2027-03-16
NOVEMBER = "2026-CW12-05"  # 东城区 (alias), assigned 2026-11-14: its first month is optional
PENDING = "2026-CW06-02"  # 市财政局, 申请延期 (asked 2026-11-16), 当前时限 2027-01-23
UNREPORTED = "2026-PS00-04"  # 高新技术产业开发区管委会, obliged in 2026-11, nothing reported yet
UNASSIGNED = ("2026-PS00-09", "2026-PS00-10", "2026-PS00-11")  # 待交办, one source
NEWEST_SOURCE = "冬季安全生产"  # a unique part of that source's name
TAIL = "2026-CW12-07"  # the last item row
ODD_SECRET = ("√", "机密", "秘密", "Y", "是（内部）", "涉密", " 是", "是 ")
WHITESPACE_SECRET = (" 是", "是 ")  # 是 with a stray space: confidential, L319 optional


# --- the base ledger ------------------------------------------------------------------------


class Base:
    """The sample ledger refreshed as of AS_OF, loaded once; cases edit deep copies of it."""

    def __init__(self, root: Path):
        root.mkdir(parents=True, exist_ok=True)
        self.path = build_sample(root / "台账.xlsx")
        refresh.run(self.path, AS_OF)
        ws = openpyxl.load_workbook(self.path)["台账"]
        self.cols = {c.value: c.column for c in ws[1] if c.value}
        self.rows = {
            ws.cell(r, self.cols["事项编号"]).value: r
            for r in range(2, ws.max_row + 1)
            if ws.cell(r, self.cols["事项编号"]).value
        }
        self.values = {
            item: {h: ws.cell(r, c).value for h, c in self.cols.items()}
            for item, r in self.rows.items()
        }
        self.aliases = {a: u.name for u in SAMPLE_UNITS for a in (u.name, *u.aliases)}

    def ref(self, item: str, header: str) -> str:
        """The A1 address of ``item``'s cell under ``header`` in 台账."""
        return f"{get_column_letter(self.cols[header])}{self.rows[item]}"

    def lead(self, item: str) -> str:
        """The registered name of ``item``'s lead unit."""
        name = self.values[item]["主责单位"]
        return self.aliases.get(name, name)

    def typed_as(self, name: str) -> list[str]:
        """The open items whose 主责单位 is typed exactly ``name``."""
        return [
            i
            for i, v in self.values.items()
            if v["主责单位"] == name and v["办理状态"] in ("办理中", "长期推进", "申请延期")
        ]

    def make(self, dest: Path, case: StaffCase) -> Path:
        if case.edit is None:
            shutil.copyfile(self.path, dest)
        else:
            book = openpyxl.load_workbook(self.path)
            case.edit(Book(book, self))
            book.save(dest)
        if case.post is not None:
            case.post(dest, self)
        return dest


class Book:
    """The workbook a case edits, with the few moves staff make, found by header text."""

    def __init__(self, wb, base: Base):
        self.wb, self.base = wb, base

    def set(self, item: str, header: str, value) -> None:
        self.wb["台账"][self.base.ref(item, header)].value = value

    def header(self, sheet: str) -> dict[str, int]:
        return {c.value: c.column for c in self.wb[sheet][1] if c.value}

    def append(self, sheet: str, row: dict) -> int:
        ws = self.wb[sheet]
        cols = self.header(sheet)
        r = ws.max_row + 1
        for h, v in row.items():
            ws.cell(r, cols[h]).value = v
        return r

    def record(self, sheet: str, item: str) -> int:
        """The row of ``item``'s (first) record in a log sheet."""
        ws = self.wb[sheet]
        col = self.header(sheet)["事项编号"]
        return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == item)

    def setting(self, key: str, value) -> None:
        ws = self.wb["设置"]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == key:
                row[1].value = value
                return
        self.append("设置", {"项目": key, "值": value, "说明": "督查室填写"})

    def alias(self, unit: str, extra: str) -> None:
        ws = self.wb["单位"]
        cols = self.header("单位")
        r = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == unit)
        old = ws.cell(r, cols["别名"]).value
        ws.cell(r, cols["别名"]).value = f"{old}、{extra}" if old else extra


# --- what a command must end with ---------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One command of a case. ``args`` is the command line after ``ledger``: {L} is the ledger,
    {O} a fresh folder for this step's outputs. ``exit`` is the exit code (or the codes) it
    must end with; ``codes`` the finding codes `validate --json` must report, each optionally
    with the cell it names (``(code, sheet, cell)``; cell may be a callable of the base);
    ``unchanged`` that the ledger stays byte-identical; ``says``/``never`` regexes the
    terminal output must / must not match; ``then`` any further check of the outcome."""

    args: str
    exit: int | tuple[int, ...]
    codes: tuple = ()
    unchanged: bool = False
    says: tuple[str, ...] = ()
    never: tuple[str, ...] = ()
    then: Callable[[Outcome], None] | None = None

    @property
    def command(self) -> str:
        return self.args.split()[0]


Edit = Callable[[Book], None]
Post = Callable[[Path, Base], None]
Returns = Callable[[Path, Path], list[Path]]  # (ledger, folder) -> the files {F1} {F2} …


@dataclass(frozen=True)
class StaffCase:
    id: str
    what: str  # what the clerk did, in a line
    steps: tuple[Step, ...]
    edit: Edit | None = None  # on the workbook (openpyxl), before saving the case's ledger
    post: Post | None = None  # on the saved file (formulas' cached values, passwords, modes)
    returns: Returns | None = None  # returned forms, built from this ledger's own forms
    owner: str = ""  # the helper (issue 12 part) whose behaviour the case holds


@dataclass
class Outcome:
    """What one step did: exit code, terminal text, the ledger before and after, its outputs."""

    step: Step
    exit_code: int
    output: str  # stdout and stderr as the clerk saw them
    stdout: str
    stderr: str
    exception: str | None
    before: str
    after: str
    ledger: Path  # a copy of the ledger as this step left it
    out: Path
    base: Base
    findings: list[dict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @cached_property
    def items(self) -> dict[str, dict]:
        """台账 rows as this step left them, {事项编号: {header: value}} (read with calamine)."""
        rows = CalamineWorkbook.from_path(str(self.ledger)).get_sheet_by_name("台账").to_python()
        header = [str(h) for h in rows[0]]
        return {r[0]: dict(zip(header, r)) for r in rows[1:] if r and r[0]}

    def value(self, item: str, header: str):
        v = self.items[item][header]
        return v.date() if isinstance(v, dt.datetime) else (None if v == "" else v)

    def files(self) -> list[Path]:
        return sorted(p for p in self.out.rglob("*") if p.is_file())

    def form(self, unit: str) -> Path:
        return self.out / fl.form_file_name(PERIOD, unit)

    def form_ids(self, unit: str) -> set[str]:
        """事项编号 of the rows of ``unit``'s own form (none when it has no form)."""
        path = self.form(unit)
        if not path.exists():
            return set()
        _h, _c, ids = form_table(openpyxl.load_workbook(path)[fl.SHEET_FORM])
        return {i for i in ids if i}

    def all_form_ids(self) -> set[str]:
        return set().union(*(self.form_ids(u.name) for u in SAMPLE_UNITS))

    def sheet_rows(self, file: str, sheet: str) -> list[tuple]:
        wb = openpyxl.load_workbook(self.out / file, read_only=True)
        return list(wb[sheet].iter_rows(values_only=True))


def texts_of(path: Path) -> list[tuple[str, str]]:
    """(part, text) of a written file: each package part's XML raw and without its tags (text
    split over runs is found too), or the file's bytes decoded."""
    data = path.read_bytes()
    if not data.startswith(b"PK\x03\x04"):
        return [("", data.decode("utf-8", errors="replace"))]
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            raw = z.read(name).decode("utf-8", errors="replace")
            out += [(name, raw), (f"{name} (text)", re.sub(r"<[^>]+>", "", raw))]
    return out


@contextmanager
def wide_console() -> Iterator[None]:
    """The CLI's consoles without wrapping at 80 columns, so a word in a table cell is never cut
    in two (the clerk's terminal is as wide as the table)."""
    from ledger_tools.cli import base as cli_base

    consoles = (cli_base.console, cli_base.err_console)
    saved = [c._width for c in consoles]
    for c in consoles:
        c.width = 1000
    try:
        yield
    finally:
        for c, width in zip(consoles, saved):
            c._width = width


def execute(case: StaffCase, base: Base, folder: Path) -> list[Outcome]:
    """Build the case's ledger in ``folder`` and run its steps in order, recording each."""
    folder.mkdir(parents=True, exist_ok=True)
    ledger = base.make(folder / "台账.xlsx", case)
    files = case.returns(ledger, folder) if case.returns else []
    names = {f"F{n}": str(p) for n, p in enumerate(files, start=1)}
    outcomes = []
    for n, step in enumerate(case.steps, start=1):
        out = folder / f"输出{n}"
        args = step.args.format(L=ledger, O=out, D=folder, F=" ".join(map(str, files)), **names)
        args = args.split()
        before = sha(ledger)
        with wide_console():
            result = CliRunner().invoke(cli, args)
        exc = result.exception
        error = None if exc is None or isinstance(exc, SystemExit) else repr(exc)
        snapshot = folder / f"第{n}步后.xlsx"
        shutil.copyfile(ledger, snapshot)
        outcome = Outcome(
            step,
            result.exit_code,
            result.output,
            result.stdout,
            result.stderr,
            error,
            before,
            sha(ledger),
            snapshot,
            out,
            base,
        )
        if "--json" in args and error is None:
            try:
                outcome.findings = json.loads(result.stdout)
            except ValueError:
                outcome.findings = []
        outcomes.append(outcome)
    return outcomes


# --- the catalogue ------------------------------------------------------------------------


def validate(*codes, exit=(0, 1)) -> Step:
    return Step("validate {L} --json", exit, codes=codes, unchanged=True)


REFRESH = f"refresh {{L}} --as-of {DAY}"
FORMS = f"forms {{L}} --period {PERIOD} --out {{O}} --as-of {DAY}"
BRIEF = f"brief {{L}} --month {PERIOD} --out {{O}} --as-of {DAY}"
REMIND = f"remind {{L}} --out {{O}} --as-of {DAY}"
SCORE = f"score {{L}} --year {AS_OF.year} --out {{O}}/扣分意见.xlsx --as-of {DAY}"
NOTICES = f"notices {{L}} --source {NEWEST_SOURCE} --out {{O}} --date {DAY}"
BRIEF_FILE = f"通报-{PERIOD}.xlsx"


def at(item: str, header: str) -> Callable[[Base], str]:
    return lambda base: base.ref(item, header)


def alert_is(item: str, alert: str) -> Callable[[Outcome], None]:
    def check(o: Outcome) -> None:
        assert o.value(item, "督办预警") == alert, (item, o.items[item])

    return check


def all_of(*checks: Callable[[Outcome], None]) -> Callable[[Outcome], None]:
    def check(o: Outcome) -> None:
        for c in checks:
            c(o)

    return check


def cells_are(item: str, **expected) -> Callable[[Outcome], None]:
    """The 台账 cells of ``item`` (header=value) as the step left them."""

    def check(o: Outcome) -> None:
        got = {h: o.value(item, h) for h in expected}
        assert got == expected, (item, got)

    return check


def listed_overdue(item: str) -> Callable[[Outcome], None]:
    """The briefing's 逾期事项 sheet (重点通报) lists ``item``."""

    def check(o: Outcome) -> None:
        ids = {r[1] for r in o.sheet_rows(BRIEF_FILE, "逾期事项")}
        assert item in ids, ids

    return check


def chased(item: str) -> Callable[[Outcome], None]:
    """`remind` lists ``item`` in its lead unit's reminder notice."""

    def check(o: Outcome) -> None:
        unit = o.base.lead(item)
        notice = [p for p in o.files() if p.name.startswith("催办通知-") and unit in p.name]
        assert notice and any(item in t for _p, t in texts_of(notice[0])), o.files()

    return check


def only_lead_sees(item: str, marker: str) -> Callable[[Outcome], None]:
    """``marker`` (the item's 议定事项) is in its lead unit's form and in no other file."""

    def check(o: Outcome) -> None:
        own = o.form(o.base.lead(item))
        hits = {p.name for p in o.files() for _part, t in texts_of(p) if marker in t}
        assert own.name in hits, (own.name, sorted(hits))
        assert hits == {own.name}, sorted(hits)

    return check


def in_no_form(*items: str) -> Callable[[Outcome], None]:
    def check(o: Outcome) -> None:
        assert not set(items) & o.all_form_ids(), set(items) & o.all_form_ids()

    return check


def in_form(unit: str, *items: str) -> Callable[[Outcome], None]:
    def check(o: Outcome) -> None:
        assert set(items) <= o.form_ids(unit), (unit, o.form_ids(unit))

    return check


def total_items(n: int) -> Callable[[Outcome], None]:
    """The briefing counts ``n`` items (its 趋势 row for the month: 事项总数)."""

    def check(o: Outcome) -> None:
        rows = [r for r in o.sheet_rows(BRIEF_FILE, "趋势") if r and r[0] == PERIOD]
        assert rows and rows[0][2] == n, rows

    return check


def merged_kept(header: str, first: str, second: str, value) -> Callable[[Outcome], None]:
    """The merged range is still merged, still holds what staff typed, and the command's
    output names it (so no stale cell goes unseen)."""

    def check(o: Outcome) -> None:
        rng = _merged_range(header, first, second)(o.base)
        ws = openpyxl.load_workbook(o.ledger)["台账"]
        assert rng in {str(r) for r in ws.merged_cells.ranges}, ws.merged_cells.ranges
        got = ws[rng.split(":")[0]].value
        got = got.date() if isinstance(got, dt.datetime) else got
        assert got == value, got
        assert rng in o.output or rng.split(":")[0] in o.output, o.output

    return check


def row_kept(row: int, values: dict) -> Callable[[Outcome], None]:
    """A row that is not an item keeps exactly what staff typed (and nothing more)."""

    def check(o: Outcome) -> None:
        ws = openpyxl.load_workbook(o.ledger)["台账"]
        got = {c.value: ws.cell(row, c.column).value for c in ws[1] if c.value}
        assert {h: v for h, v in got.items() if v not in (None, "")} == values, got

    return check


def scored(reason: str, points: float) -> Callable[[Outcome], None]:
    """Every line of 扣分依据 for ``reason`` carries the weight the office set."""

    def check(o: Outcome) -> None:
        rows = o.sheet_rows("扣分意见.xlsx", "扣分依据")
        header = next(r for r in rows if r and "扣分事由" in r)
        reason_col, points_col = header.index("扣分事由"), header.index("扣分")
        got = {r[points_col] for r in rows if r and r[reason_col] == reason}
        assert got == {points}, (reason, got)

    return check


def nothing_written(o: Outcome) -> None:
    assert o.files() == [], o.files()


def finding_row(code: str, row: int) -> Callable[[Outcome], None]:
    """validate names the row (its cell reference carries the row number)."""

    def check(o: Outcome) -> None:
        cells = [f.get("cell") or "" for f in o.findings if f["code"] == code]
        assert any(str(row) in re.findall(r"\d+", c) for c in cells), cells

    return check


# Build steps shared by cases.


def _secret(spelling: str) -> Edit:
    def edit(b: Book) -> None:
        b.set(PUBLIC, "涉密", spelling)
        b.set(PUBLIC, "议定事项", f"机密标记{ODD_SECRET.index(spelling)}号事项")

    return edit


def _deadline(item: str, value) -> Edit:
    return lambda b: b.set(item, "完成时限", value)


def _formula(cached: bool) -> tuple[Edit, Post]:
    """完成时限 = 印发日期 + 120 days as a formula, with or without Excel's cached result."""
    issued_col = None

    def edit(b: Book) -> None:
        nonlocal issued_col
        issued_col = get_column_letter(b.base.cols["印发日期"])
        row = b.base.rows[OVERDUE]
        b.set(OVERDUE, "完成时限", dt.date(2026, 5, 8) if cached else f"={issued_col}{row}+120")

    def post(path: Path, base: Base) -> None:
        if not cached:
            return
        ref = base.ref(OVERDUE, "完成时限")
        formula = f"{get_column_letter(base.cols['印发日期'])}{base.rows[OVERDUE]}+120"
        patch_sheet(path, "台账", lambda xml: _with_formula(xml, ref, formula))

    return edit, post


def _with_formula(xml: str, ref: str, formula: str) -> str:
    new, n = re.subn(rf'(<c r="{ref}"[^>]*>)(<v>)', rf"\1<f>{formula}</f>\2", xml)
    assert n == 1, ref
    return new


def patch_sheet(path: Path, sheet: str, change: Callable[[str], str]) -> None:
    """Rewrite one worksheet's XML in place (what openpyxl cannot write: a cached value)."""
    with zipfile.ZipFile(path) as z:
        names = openpyxl.load_workbook(path, read_only=True).sheetnames
        part = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
        members = {i: z.read(i) for i in z.infolist()}
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members.items():
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            out.writestr(info, data)
    os.replace(tmp, path)


def _no_formula_cache_lost(o: Outcome) -> None:
    """The staff formula and its cached value survive refresh's save (SPEC §8)."""
    ref = o.base.ref(OVERDUE, "完成时限")
    names = openpyxl.load_workbook(o.ledger, read_only=True).sheetnames
    with zipfile.ZipFile(o.ledger) as z:
        xml = z.read(f"xl/worksheets/sheet{names.index('台账') + 1}.xml").decode()
    cell = re.search(rf'<c r="{ref}"[^>]*>.*?</c>', xml)
    assert cell and "<f>" in cell.group(0) and re.search(r"<v>\d", cell.group(0)), cell


def _approval(**values) -> Edit:
    def edit(b: Book) -> None:
        ws = b.wb["延期记录"]
        cols = b.header("延期记录")
        r = b.record("延期记录", PENDING)
        for h, v in values.items():
            ws.cell(r, cols[h]).value = v

    return edit


def _merge(header: str, first: str, second: str) -> Edit:
    def edit(b: Book) -> None:
        rng = f"{b.base.ref(first, header)}:{b.base.ref(second, header)}"
        b.wb["台账"].merge_cells(rng)

    return edit


def _merged_range(header: str, first: str, second: str) -> Callable[[Base], str]:
    return lambda base: f"{base.ref(first, header)}:{base.ref(second, header)}"


def _calendar(*rows: tuple) -> Edit:
    def edit(b: Book) -> None:
        for day, kind, note in rows:
            b.append("工作日历", {"日期": day, "类型": kind, "说明": note})

    return edit


def _rename_header(old: str, new: str) -> Edit:
    def edit(b: Book) -> None:
        b.wb["台账"].cell(1, b.base.cols[old]).value = new

    return edit


def _header_kept(header: str, typed: str) -> Callable[[Outcome], None]:
    """The header cell still holds what staff typed (the tool reads it, never rewrites it)."""

    def check(o: Outcome) -> None:
        ws = openpyxl.load_workbook(o.ledger, read_only=True)["台账"]
        got = next(ws.iter_rows(min_row=1, max_row=1, values_only=True))[o.base.cols[header] - 1]
        assert got == typed, got

    return check


def _title_row(b: Book) -> None:
    ws = b.wb["台账"]
    ws.insert_rows(1)
    ws.cell(1, 1).value = "2026年市政府督查事项台账"


def _read_only(path: Path, base: Base) -> None:
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def _encrypt(path: Path, base: Base) -> None:
    plain = path.with_name("明文.xlsx")
    path.rename(plain)
    with open(plain, "rb") as src, open(path, "wb") as dst:
        OOXMLFile(src).encrypt("123456", dst)
    plain.unlink()


TOTALS = {"事项编号": "合计", "议定事项": "共 108 项"}
HEADERS_AGAIN = ("事项编号", "来源类型", "来源名称", "印发日期", "议定事项", "主责单位", "办理状态")


def _totals_row(b: Book) -> None:
    b.append("台账", TOTALS)


def _header_again(b: Book) -> None:
    b.append("台账", {h: h for h in HEADERS_AGAIN})


def _blank_alert(item: str) -> Edit:
    return lambda b: b.set(item, "督办预警", None)


def _edits(*edits: Edit) -> Edit:
    def edit(b: Book) -> None:
        for e in edits:
            e(b)

    return edit


def _day_off(day: str) -> str:
    """A warning that names the notice's date as a day off (not the 调休安排未确认 note, which
    names no date)."""
    y, m, d = day.split("-")
    date = f"({day}|{int(y)}年{int(m)}月{int(d)}日)"
    words = "(休息日|节假日|法定假日|周末|星期六|星期日|周六|周日|非工作日)"
    return rf"{date}[^。]{{0,40}}{words}|{words}[^。]{{0,40}}{date}"


QINGHE = "青河市人民政府"
QINGHE_FORM = fl.form_file_name(PERIOD, QINGHE)
MERGE = f"merge {{L}} {{F}} --as-of {DAY} --json"
LATE_EXTENSION = {
    OVERDUE: {
        "办理状态": "申请延期",
        "延期原因": "管网材料未到货",
        "申请延期至": dt.date(2027, 3, 31),
    }
}
CORRECTED = {OVERDUE: {"本期进展情况": "更正：已完成管网改造的 60%，下一步组织通水验收。"}}
FILLED = "本月完成方案编制和现场踏勘，下一步组织施工招标。"


def _returned(
    ledger: Path, folder: Path, rows: dict, *, name: str = QINGHE_FORM, merge: str = ""
) -> Path:
    """青河市人民政府's form of this ledger, filled in (every row 推进中 with progress, a stage
    target for 长期 rows), then ``rows``' values typed over it; ``merge`` merges that column's
    cells of the first two rows."""
    issued = folder / "下发"
    if not (issued / QINGHE_FORM).exists():
        forms.run(ledger, PERIOD, issued, AS_OF, now=GENERATED)
    ws = openpyxl.load_workbook(issued / QINGHE_FORM)[fl.SHEET_FORM]
    _h, cols, ids = form_table(ws)
    values = {}
    for item, r in ids.items():
        if not item:
            continue
        values[item] = {"办理状态": "推进中", "本期进展情况": f"{item}{FILLED}"}
        if ws.cell(r, cols["事项类型"]).value == "长期":
            values[item]["阶段性目标"] = "2027年6月底前完成第一阶段任务"
        values[item].update(rows.get(item, {}))

    def merged(wb, ws, cols, ids):
        first, second = sorted(r for i, r in ids.items() if i)[:2]
        ws.cell(second, cols[merge]).value = None
        letter = get_column_letter(cols[merge])
        ws.merge_cells(f"{letter}{first}:{letter}{second}")

    returned = folder / "报回"
    returned.mkdir(exist_ok=True)
    block = {"联系人": "陈静", "联系电话": "0875-2101005"}
    return fill(
        issued / QINGHE_FORM, returned / name, values, block=block, edit=merged if merge else None
    )


def _saved_twice(path: Path) -> list[Path]:
    """The file, and the same content saved again: every part the same, the package stored
    uncompressed (other bytes, so another 文件指纹; the content is what must match)."""
    again = path.with_name(f"{path.stem}（另存）.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(again, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    assert sha(again) != sha(path)
    return [path, again]


def _reported(code: str) -> Callable[[Outcome], None]:
    def check(o: Outcome) -> None:
        assert code in {f["code"] for f in o.findings}, (code, o.findings)

    return check


def _extension_logged(item: str, to: dt.date) -> Callable[[Outcome], None]:
    """延期记录 holds the unit's request (recorded even though it came late)."""

    def check(o: Outcome) -> None:
        rows = CalamineWorkbook.from_path(str(o.ledger)).get_sheet_by_name("延期记录").to_python()
        header = list(rows[0])
        asked = [
            r[header.index("申请延期至")] for r in rows[1:] if r[header.index("事项编号")] == item
        ]
        asked = [a.date() if isinstance(a, dt.datetime) else a for a in asked]
        assert to in asked, asked

    return check


def _reports_of(item: str, period: str, n: int) -> Callable[[Outcome], None]:
    def check(o: Outcome) -> None:
        rows = CalamineWorkbook.from_path(str(o.ledger)).get_sheet_by_name("办理记录").to_python()
        header = list(rows[0])
        got = [
            r
            for r in rows[1:]
            if r[header.index("事项编号")] == item and r[header.index("报送期次")] == period
        ]
        assert len(got) == n, got

    return check


def _prints_landscape(o: Outcome) -> None:
    """问题清单 of the 退回- copy and of the findings workbook: A4 landscape, fit to width, the
    header row repeated (SPEC §6)."""
    copies = [p for p in o.files() if p.name.startswith("退回-")]
    assert copies, o.files()
    for path in (copies[0], o.ledger.parent / "问题清单.xlsx"):
        wb = openpyxl.load_workbook(path)
        ws = wb["问题清单"] if "问题清单" in wb.sheetnames else wb.worksheets[0]
        setup = ws.page_setup
        assert setup.orientation == "landscape", (path.name, setup.orientation)
        assert str(setup.paperSize) == "9", (path.name, setup.paperSize)
        # One page wide, as many down as it takes. XlsxWriter leaves fitToWidth out when it is
        # 1, the OOXML default (openpyxl then reads None); fitToHeight 0 is always written.
        assert ws.sheet_properties.pageSetUpPr.fitToPage, path.name
        assert setup.fitToWidth in (None, 1, "1"), (path.name, setup.fitToWidth)
        assert setup.fitToHeight in (0, "0"), (path.name, setup.fitToHeight)
        assert ws.print_title_rows, path.name


def _merged_named(o: Outcome) -> None:
    """The merged cell is called merged, not 「未填写」."""
    messages = [f["message"] for f in o.findings if f["severity"] == "error"]
    assert any("合并" in m for m in messages), messages


def _late_first_report(item: str, unit: str, target: str | None = None) -> Edit:
    """A report of ``item`` for PERIOD logged on the 28th, after the due day (25th)."""
    row = {
        "记录时间": dt.datetime(2026, 11, 28, 9, 30),
        "事项编号": item,
        "报送单位": unit,
        "报送期次": PERIOD,
        "办理状态": "推进中",
        "进展情况": "已完成方案编制，正在组织招标。",
    }
    if target:
        row["阶段性目标"] = target
    return lambda b: b.append("办理记录", row) and None


def _long_term_shown(item: str, label: str) -> Callable[[Outcome], None]:
    """The briefing's 长期事项报送 sheet shows ``item``'s 本月报送 as ``label``."""

    def check(o: Outcome) -> None:
        rows = o.sheet_rows(BRIEF_FILE, "长期事项报送")
        header = next(r for r in rows if r and "本月报送" in r)
        got = [r[header.index("本月报送")] for r in rows if r and item in r]
        assert got == [label], (item, got)

    return check


def _not_charged(reason: str, *items: str) -> Callable[[Outcome], None]:
    """No line of 扣分依据 for ``reason`` names any of ``items``."""

    def check(o: Outcome) -> None:
        rows = o.sheet_rows("扣分意见.xlsx", "扣分依据")
        header = next(r for r in rows if r and "扣分事由" in r)
        col = header.index("扣分事由")
        hits = [r for r in rows if r and r[col] == reason and set(items) & set(r)]
        assert hits == [], hits

    return check


LAST_ROW = 110  # the sample's 108 items fill rows 2–109: a row staff add lands on 110
UNCLEAR = "时限不明"


def _unreadable_deadline(value: str) -> StaffCase:
    return StaffCase(
        f"deadline-{value}",
        f"完成时限 of an overdue item typed 「{value}」",
        (
            validate(("L305", "台账", at(OVERDUE, "完成时限"))),
            Step(
                REFRESH,
                0,
                then=all_of(alert_is(OVERDUE, UNCLEAR), cells_are(OVERDUE, 当前时限=None)),
            ),
            Step(BRIEF, 0, then=listed_overdue(OVERDUE)),
            Step(REMIND, 0, then=chased(OVERDUE)),
        ),
        edit=_deadline(OVERDUE, value),
        owner="main",
    )


def _odd_secret(spelling: str) -> StaffCase:
    marker = f"机密标记{ODD_SECRET.index(spelling)}号事项"
    codes = () if spelling in WHITESPACE_SECRET else (("L319", "台账", at(PUBLIC, "涉密")),)
    name = {" 是": "lead-space", "是 ": "trail-space"}.get(spelling, spelling)
    return StaffCase(
        f"secret-{name}",
        f"涉密 typed 「{spelling}」 on an item two co-units see",
        (validate(*codes), Step(FORMS, 0, then=only_lead_sees(PUBLIC, marker))),
        edit=_secret(spelling),
        owner="i12a",
    )


_cached_formula = _formula(cached=True)
_bare_formula = _formula(cached=False)
CLASHING = ["2026-CW05-04", "2026-CW09-04", "2026-CW12-05", "2026-PS00-05"]  # typed 东城区
FINANCE = ["2026-CW06-02", "2026-CW07-06", "2026-CW12-02"]  # typed 市财政局

CASES: list[StaffCase] = [
    # --- confidentiality and routing
    *(_odd_secret(s) for s in ODD_SECRET),
    StaffCase(
        "alias-clash",
        "单位: the alias 东城区 given to 西山县人民政府 too",
        (
            validate("L314"),
            Step(
                FORMS,
                (0, 1),
                then=all_of(in_no_form(*CLASHING), in_form("东城区人民政府", "2026-PS00-08")),
            ),
        ),
        edit=lambda b: b.alias("西山县人民政府", "东城区"),
        owner="i12a",
    ),
    StaffCase(
        "alias-is-another-units-name",
        "单位: 市财政局 given as an alias of 市发展和改革委员会",
        (validate("L314"), Step(FORMS, (0, 1), then=in_no_form(*FINANCE))),
        edit=lambda b: b.alias("市发展和改革委员会", "市财政局"),
        owner="i12a",
    ),
    # --- nothing looks better than it is
    *(_unreadable_deadline(v) for v in ("即时", "待定", "2026-09-31")),
    StaffCase(
        "deadline-blank",
        "完成时限 of an overdue 一般 item deleted",
        (
            validate(("L304", "台账", at(OVERDUE, "完成时限"))),
            Step(REFRESH, 0, then=alert_is(OVERDUE, UNCLEAR)),
            Step(BRIEF, 0, then=listed_overdue(OVERDUE)),
        ),
        edit=_deadline(OVERDUE, None),
        owner="main",
    ),
    StaffCase(
        "deadline-month-end-text",
        "完成时限 typed 「2026年7月底。」",
        (
            Step(
                REFRESH,
                0,
                then=all_of(
                    cells_are(PUBLIC, 当前时限=dt.date(2026, 7, 31)), alert_is(PUBLIC, "逾期")
                ),
            ),
        ),
        edit=_deadline(PUBLIC, "2026年7月底。"),
        owner="main",
    ),
    StaffCase(
        "deadline-year-end",
        "完成时限 typed 「年底」 (the year is 印发日期's)",
        (Step(REFRESH, 0, then=cells_are(PUBLIC, 当前时限=dt.date(2026, 12, 31))),),
        edit=_deadline(PUBLIC, "年底"),
        owner="main",
    ),
    StaffCase(
        "deadline-formula-cached",
        "完成时限 is =印发日期+120, saved by Excel with its value",
        (
            Step(
                REFRESH,
                0,
                then=all_of(
                    cells_are(OVERDUE, 当前时限=dt.date(2026, 5, 8)),
                    alert_is(OVERDUE, "逾期"),
                    _no_formula_cache_lost,
                ),
            ),
        ),
        edit=_cached_formula[0],
        post=_cached_formula[1],
        owner="i12a",
    ),
    StaffCase(
        "deadline-formula-uncached",
        "完成时限 is =印发日期+120 with no cached value (written by a program, never opened)",
        (
            Step(REFRESH, 0, then=alert_is(OVERDUE, UNCLEAR)),
            Step(BRIEF, 0, then=listed_overdue(OVERDUE)),
        ),
        edit=_bare_formula[0],
        owner="i12a",
    ),
    StaffCase(
        "done-without-date",
        "办理状态 set to 已办结 by hand, 办结日期 left blank",
        (
            validate(("L320", "台账", at(OVERDUE, "办结日期"))),
            Step(REFRESH, 0, then=alert_is(OVERDUE, "逾期")),
            Step(BRIEF, 0, then=listed_overdue(OVERDUE)),
        ),
        edit=lambda b: b.set(OVERDUE, "办理状态", "已办结"),
        owner="i12a",
    ),
    StaffCase(
        "report-without-time",
        "a 办理记录 row typed by hand without 记录时间",
        (
            validate("L320"),
            Step(REFRESH, 0, then=cells_are(UNREPORTED, 本期报送="未报送")),
        ),
        edit=lambda b: b.append(
            "办理记录",
            {
                "事项编号": UNREPORTED,
                "报送单位": "高新技术产业开发区管委会",
                "报送期次": PERIOD,
                "办理状态": "推进中",
                "进展情况": "电话报告：正在推进。",
            },
        ),
        owner="i12a",
    ),
    StaffCase(
        "approval-without-limit",
        "延期记录: 同意 and 审批日期 typed, 批准时限 left blank",
        (
            # 同意 without 批准时限 keeps its own code, L308 (SPEC §5: "approval without 批准时限"),
            # at the blank cell; L318 is for the rest of an incomplete or future approval.
            validate(("L308", "延期记录", None)),
            Step(
                REFRESH,
                0,
                then=cells_are(
                    PENDING, 办理状态="申请延期", 当前时限=dt.date(2027, 1, 23), 延期次数=0
                ),
            ),
        ),
        edit=_approval(审批领导="王副市长", 审批日期=dt.date(2026, 11, 18), 审批结果="同意"),
        owner="i12a",
    ),
    StaffCase(
        "approval-without-date",
        "延期记录: 同意 and 批准时限 typed, 审批日期 left blank",
        (
            validate("L318"),
            Step(REFRESH, 0, then=cells_are(PENDING, 办理状态="申请延期")),
        ),
        edit=_approval(审批领导="王副市长", 审批结果="同意", 批准时限=dt.date(2027, 3, 9)),
        owner="i12a",
    ),
    StaffCase(
        "approval-future-date",
        "延期记录: an approval dated after the as-of day",
        (
            validate("L318"),
            Step(
                REFRESH,
                0,
                then=cells_are(PENDING, 办理状态="申请延期", 当前时限=dt.date(2027, 1, 23)),
            ),
        ),
        edit=_approval(
            审批领导="王副市长",
            审批日期=dt.date(2026, 12, 5),
            审批结果="同意",
            批准时限=dt.date(2027, 3, 9),
        ),
        owner="i12a",
    ),
    StaffCase(
        "approval-complete",
        "延期记录: 同意, 批准时限 and 审批日期 all typed (the control case)",
        (
            Step(
                REFRESH,
                0,
                then=cells_are(
                    PENDING, 办理状态="办理中", 当前时限=dt.date(2027, 3, 9), 延期次数=1
                ),
            ),
        ),
        edit=_approval(
            审批领导="王副市长",
            审批日期=dt.date(2026, 11, 18),
            审批结果="同意",
            批准时限=dt.date(2027, 3, 9),
        ),
        owner="main",
    ),
    StaffCase(
        "weights-decimal",
        "设置: 扣分_逾期未落实 1.5, 扣分_报送不实 2.5, 扣分_措施不力 0.75",
        (
            Step(
                SCORE,
                0,
                then=all_of(scored("逾期未落实", 1.5), scored("报送不实", 2.5)),
            ),
        ),
        edit=lambda b: [
            b.setting(k, v)
            for k, v in (("扣分_逾期未落实", 1.5), ("扣分_报送不实", 2.5), ("扣分_措施不力", 0.75))
        ],
        owner="i12a",
    ),
    StaffCase(
        "setting-unreadable",
        "设置: 扣分_逾期未落实 typed 「一分」",
        (
            validate(("L312", "设置", None)),
            Step(SCORE, 1, unchanged=True, then=nothing_written),
            Step(REFRESH, 1, unchanged=True),
        ),
        edit=lambda b: b.setting("扣分_逾期未落实", "一分"),
        owner="i12a",
    ),
    StaffCase(
        "first-month-late-report",
        "two items assigned mid-month (一般 and 长期) report after the 25th (optional that month)",
        (
            Step(
                "refresh {L} --as-of 2026-11-30",
                0,
                then=cells_are(NOVEMBER, 本期报送="已报送"),
            ),
            Step(
                f"brief {{L}} --month {PERIOD} --out {{O}} --as-of 2026-11-30",
                0,
                then=all_of(cells_are(TAIL, 本期报送="已报送"), _long_term_shown(TAIL, "已报送")),
            ),
            Step(
                f"score {{L}} --year {AS_OF.year} --out {{O}}/扣分意见.xlsx --as-of 2026-11-30",
                0,
                then=_not_charged("未按时报送", NOVEMBER, TAIL),
            ),
        ),
        edit=_edits(
            _late_first_report(NOVEMBER, "东城区人民政府"),
            _late_first_report(TAIL, "北岭县人民政府", "2027年6月底前完成一期建设"),
        ),
        owner="none of i12a-c (SPEC §3 Clarifications; point-in-time?)",
    ),
    # --- the ledger's own shape
    StaffCase(
        "merged-alert-cells",
        "督办预警 of two rows merged for printing; a third row's 督办预警 cleared",
        (
            validate("L315"),
            Step(
                REFRESH,
                1,
                then=all_of(
                    merged_kept("督办预警", OVERDUE, "2026-CW01-05", "逾期"),
                    alert_is(PUBLIC, "正常"),
                ),
            ),
        ),
        edit=_edits(_merge("督办预警", OVERDUE, "2026-CW01-05"), _blank_alert(PUBLIC)),
        owner="i12b",
    ),
    StaffCase(
        "merged-assignment-date",
        "交办日期 of two unassigned items merged; `notices` issues their source",
        (
            validate("L315"),
            Step(
                NOTICES,
                1,
                then=all_of(
                    merged_kept("交办日期", UNASSIGNED[0], UNASSIGNED[1], None),
                    cells_are(UNASSIGNED[2], 交办日期=AS_OF),
                ),
            ),
        ),
        edit=_merge("交办日期", UNASSIGNED[0], UNASSIGNED[1]),
        owner="i12b",
    ),
    StaffCase(
        "totals-row",
        "a 合计 row typed under the items",
        (
            validate(("L316", "台账", f"{LAST_ROW}:{LAST_ROW}"), exit=(0, 1)),
            # A command that writes names the row and ends with exit 1 (SPEC §5): it is left as
            # staff typed it and counted nowhere, and no row meant as an item goes unseen.
            Step(REFRESH, 1, says=(rf"第 ?{LAST_ROW} ?行",), then=row_kept(LAST_ROW, TOTALS)),
            Step(BRIEF, (0, 1), then=total_items(108)),
        ),
        edit=_totals_row,
        owner="i12b",
    ),
    StaffCase(
        "header-row-again",
        "the header row pasted again under the items",
        (
            validate(("L316", "台账", f"{LAST_ROW}:{LAST_ROW}")),
            Step(
                REFRESH,
                1,
                says=(rf"第 ?{LAST_ROW} ?行",),
                then=row_kept(LAST_ROW, {h: h for h in HEADERS_AGAIN}),
            ),
            Step(BRIEF, (0, 1), then=total_items(108)),
        ),
        edit=_header_again,
        owner="i12b",
    ),
    StaffCase(
        "header-wrapped",
        "the header 完成时限 wrapped onto two lines (完成⏎时限); a deadline typed under it",
        (
            # Only white space differs, and no other header reads the same: it is 完成时限.
            Step("validate {L}", 0, unchanged=True),
            Step(
                REFRESH,
                0,
                then=all_of(
                    cells_are(PUBLIC, 当前时限=dt.date(2026, 7, 31)),
                    alert_is(PUBLIC, "逾期"),
                    _header_kept("完成时限", "完成\n时限"),
                ),
            ),
        ),
        edit=_edits(
            _rename_header("完成时限", "完成\n时限"), _deadline(PUBLIC, dt.date(2026, 7, 31))
        ),
        owner="i12b",
    ),
    StaffCase(
        "header-near-miss",
        "the header typed 完成时限（日期）",
        (
            Step("validate {L}", 1, unchanged=True, says=("完成时限（日期）",)),
            Step(REFRESH, 1, unchanged=True, says=("完成时限（日期）",)),
        ),
        edit=_rename_header("完成时限", "完成时限（日期）"),
        owner="i12b",
    ),
    StaffCase(
        "title-row",
        "a title row inserted above the header",
        (
            Step("validate {L}", (1, 2), unchanged=True, says=(r"第\s*2\s*行",)),
            Step(REFRESH, (1, 2), unchanged=True),
        ),
        edit=_title_row,
        owner="i12b",
    ),
    StaffCase(
        "sheet-renamed",
        "the 台账 sheet renamed 2026年台账",
        (
            Step("validate {L}", 2, unchanged=True, says=("2026年台账",)),
            Step(REFRESH, 2, unchanged=True, says=("2026年台账",)),
        ),
        edit=lambda b: setattr(b.wb["台账"], "title", "2026年台账"),
        owner="i12b",
    ),
    # --- calendar
    StaffCase(
        "calendar-conflict",
        "工作日历: 2026-12-05 typed twice, once 工作日 and once 休息日",
        (validate("L317"),),
        edit=_calendar(
            (dt.date(2026, 12, 5), "工作日", "调休"), (dt.date(2026, 12, 5), "休息日", "")
        ),
        owner="i12b",
    ),
    StaffCase(
        "calendar-incomplete",
        "工作日历: a row without 类型 and a row without 日期",
        (
            validate("L317"),
            Step("validate {L} --json", (0, 1), unchanged=True, then=finding_row("L317", 2)),
        ),
        edit=_calendar((dt.date(2026, 12, 6), None, "调休"), (None, "工作日", "春节调休")),
        owner="i12b",
    ),
    StaffCase(
        "calendar-one-2027-row",
        "工作日历: one 2027 row (the year's arrangement is not entered)",
        (Step(REFRESH, 0, says=(r"2027 ?年.*调休安排未确认",)),),
        edit=_calendar((dt.date(2027, 2, 7), "工作日", "春节调休上班")),
        owner="i12b",
    ),
    StaffCase(
        "calendar-2027-confirmed",
        "工作日历 rows for 2027 and 设置 已确认调休年份 = 2027",
        (
            validate(),
            Step(REFRESH, 0, never=(r"2027 ?年.*调休安排未确认",)),
        ),
        edit=_edits(
            _calendar((dt.date(2027, 2, 7), "工作日", "春节调休上班")),
            lambda b: b.setting("已确认调休年份", "2027"),
        ),
        owner="i12b",
    ),
    StaffCase(
        "notices-on-a-sunday",
        "`notices --date` on a Sunday",
        (
            Step(
                f"notices {{L}} --source {NEWEST_SOURCE} --out {{O}} --date 2026-11-22",
                0,
                says=(_day_off("2026-11-22"),),
            ),
        ),
        owner="i12b",
    ),
    StaffCase(
        "notices-on-a-holiday",
        "`notices --date` on 元旦",
        (
            Step(
                f"notices {{L}} --source {NEWEST_SOURCE} --out {{O}} --date 2027-01-01",
                0,
                says=(_day_off("2027-01-01"),),
            ),
        ),
        owner="i12b",
    ),
    # --- other programs and the file system
    StaffCase(
        "read-only-ledger",
        "the ledger file made read-only (chmod 444)",
        (
            Step("validate {L}", 0, unchanged=True),
            Step(REFRESH, 2, unchanged=True, says=("只读",)),
            Step(NOTICES, 2, unchanged=True, says=("只读",), then=nothing_written),
        ),
        edit=_blank_alert(PUBLIC),  # so that refresh has something to write
        post=_read_only,
        owner="i12c",
    ),
    StaffCase(
        "encrypted-ledger",
        "the ledger saved with an opening password",
        (
            Step("validate {L}", 2, unchanged=True, says=("密码",), never=("损坏",)),
            Step(REFRESH, 2, unchanged=True, says=("密码",), never=("损坏",)),
        ),
        post=_encrypt,
        owner="i12c",
    ),
    # --- returns (the unit's form back, through check and merge)
    StaffCase(
        "extension-asked-after-the-deadline",
        "a unit asks for an extension of an item already past its deadline (Art. 8(3))",
        (
            Step(
                MERGE,
                0,
                then=all_of(
                    _reported("W206"),
                    alert_is(OVERDUE, "逾期"),
                    _extension_logged(OVERDUE, dt.date(2027, 3, 31)),
                ),
            ),
        ),
        returns=lambda ledger, folder: [_returned(ledger, folder, LATE_EXTENSION)],
        owner="i12c",
    ),
    StaffCase(
        "two-returns-in-one-batch",
        "one unit's form and its correction (…(1).xlsx) arrive in the same batch",
        (
            Step(
                f"merge {{L}} {{F}} --as-of {DAY} --json", 1, unchanged=True, then=_reported("F010")
            ),
        ),
        returns=lambda ledger, folder: [
            _returned(ledger, folder, {}),
            _returned(ledger, folder, CORRECTED, name=f"{QINGHE_FORM[:-5]}(1).xlsx"),
        ],
        owner="i12c",
    ),
    StaffCase(
        "correction-after-a-merge",
        "a different return of the same unit and period after the first was merged",
        (
            Step(f"merge {{L}} {{F1}} --as-of {DAY} --json", 0),
            Step(f"merge {{L}} {{F2}} --as-of {DAY} --json", 0, then=_reported("W207")),
        ),
        returns=lambda ledger, folder: [
            _returned(ledger, folder, {}),
            _returned(ledger, folder, CORRECTED, name=f"{QINGHE_FORM[:-5]}(1).xlsx"),
        ],
        owner="i12c",
    ),
    StaffCase(
        "same-content-saved-again",
        "the merged return saved again by another program (new bytes, same content)",
        (
            Step(f"merge {{L}} {{F1}} --as-of {DAY} --json", 0),
            Step(
                f"merge {{L}} {{F2}} --as-of {DAY} --json",
                0,
                then=all_of(_reported("F007"), _reports_of(OVERDUE, PERIOD, 1)),
            ),
        ),
        returns=lambda ledger, folder: _saved_twice(_returned(ledger, folder, {})),
        owner="i12c",
    ),
    StaffCase(
        "check-report-is-a-folder",
        "`check --report` given a folder",
        (
            Step(
                f"check {{L}} {{F}} --as-of {DAY} --report {{D}}",
                2,
                unchanged=True,
                says=("--report",),
                never=("--out",),
            ),
        ),
        returns=lambda ledger, folder: [_returned(ledger, folder, {})],
        owner="i12c",
    ),
    StaffCase(
        "returned-copy-prints",
        "a rejected return: its 退回- copy and the findings workbook go to the printer",
        (
            Step(
                f"check {{L}} {{F}} --as-of {DAY} --annotate {{O}} --report {{D}}/问题清单.xlsx",
                1,
                unchanged=True,
                then=_prints_landscape,
            ),
        ),
        returns=lambda ledger, folder: [
            _returned(ledger, folder, {OVERDUE: {"本期进展情况": None}})
        ],
        owner="i12c",
    ),
    StaffCase(
        "returned-form-with-merged-cells",
        "a unit merged two rows' 本期进展情况 cells before typing",
        (
            Step(
                f"check {{L}} {{F}} --as-of {DAY} --json",
                1,
                unchanged=True,
                then=_merged_named,
            ),
        ),
        returns=lambda ledger, folder: [_returned(ledger, folder, {}, merge="本期进展情况")],
        owner="i12b",
    ),
]
