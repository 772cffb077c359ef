"""ledger forms: one signed feedback form per lead unit for a reporting period (SPEC §4).

Read-only on the ledger: the statuses and 当前时限 on the forms are recomputed in memory as of
``--as-of`` (LedgerData.recompute) so a form never shows yesterday's deadline, but nothing is saved.
Forms go to lead units only (Art. 6: the lead unit reports for everyone); a unit that only
co-handles items is named in the result so the office can tell it to write to the lead unit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ledger_tools.core import rules
from ledger_tools.core.model import OPEN_STATUSES, Item, Unit
from ledger_tools.errors import InputRejected, UsageError
from ledger_tools.sheets.files import check_not_open, output_dir
from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.forms.writer import CoItem, FormContent, write_form
from ledger_tools.sheets.ledger.data import LedgerData, read_ledger, require_clean
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.workers import run_all, usable_cores

__all__ = ["FormFile", "FormsResult", "plan", "run", "write_forms"]

PROGRESS_ABOVE = 3  # show a progress bar when writing more forms than this
PARALLEL_FROM = 8  # forms per worker process below which the forms are written here
MAX_WORKERS = 4


@dataclass
class FormFile:
    unit: str
    path: Path
    items: int
    co_items: int
    confidential: int


@dataclass
class FormsResult:
    period: str
    as_of: dt.date
    due: dt.date
    out_dir: Path
    files: list[FormFile] = field(default_factory=list)
    co_only_units: list[str] = field(default_factory=list)  # co-handle open items, lead none
    no_contact: list[str] = field(default_factory=list)  # forms written without 联系人/联系电话
    unregistered: list[str] = field(default_factory=list)  # lead units not in 单位
    without_id: int = 0  # open items skipped because they have no 事项编号
    unconfirmed_years: list[int] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(f.items for f in self.files)


def _is_due_for_form(item: Item, as_of: dt.date) -> bool:
    return item.status in OPEN_STATUSES and item.assigned is not None and item.assigned <= as_of


def plan(
    data: LedgerData, period: str, as_of: dt.date, generated: dt.datetime
) -> tuple[list[FormContent], FormsResult]:
    """Decide every form's content from a ledger already refreshed as of ``as_of``."""
    due = rules.report_due(period, data.settings)
    result = FormsResult(period=period, as_of=as_of, due=due, out_dir=Path())
    units: dict[str, Unit] = {u.name: u for u in data.units}
    name = data.canonical_unit  # None for a name two units share (L314): it goes to no unit

    open_items = [i for i in data.items if _is_due_for_form(i, as_of)]
    result.without_id = sum(1 for i in open_items if not i.id)
    open_items = [i for i in open_items if i.id and i.lead_unit and data.routed(i)]

    leads: dict[str, list[Item]] = defaultdict(list)
    co: dict[str, list[Item]] = defaultdict(list)
    for original in open_items:
        assert original.lead_unit  # items without a lead unit were left out above
        # The form shows registered names: what the unit and the checks both recognise.
        lead = name(original.lead_unit)
        assert lead  # items led through a shared name were left out above
        co_units = (name(u) for u in original.co_units if u)
        item = replace(
            original, lead_unit=lead, co_units=list(dict.fromkeys(u for u in co_units if u))
        )
        leads[lead].append(item)
        for u in item.co_units:
            if u != lead:
                co[u].append(item)

    contents: list[FormContent] = []
    for lead in sorted(leads, key=_unit_order(data.units)):
        unit = units.get(lead)
        if unit is None:
            result.unregistered.append(lead)
        contact, phone = (unit.contact, unit.phone) if unit else (None, None)
        if not contact or not phone:
            result.no_contact.append(lead)
        co_items = [CoItem(i, *(_contact(units.get(i.lead_unit or "")))) for i in co.get(lead, ())]
        contents.append(
            FormContent(
                ledger_id=data.ledger_id,
                unit=lead,
                period=period,
                due=due,
                generated=generated,
                settings=data.settings,
                contact=contact,
                phone=phone,
                items=list(leads[lead]),
                co_items=co_items,
            )
        )
    result.co_only_units = sorted((u for u in co if u not in leads), key=_unit_order(data.units))
    return contents, result


def _contact(unit: Unit | None) -> tuple[str | None, str | None]:
    return (unit.contact, unit.phone) if unit else (None, None)


def _unit_order(units: list[Unit]):
    """Units in the order of the 单位 sheet (how the office lists them), unknown ones last."""
    order = {u.name: n for n, u in enumerate(units)}
    return lambda name: (order.get(name, len(order)), name)


def _normalise_period(period: str) -> str:
    value = rules.normalize_period(period)
    if value is None:
        raise UsageError(f"报送期次「{period}」格式有误，请写成 YYYY-MM，例如 2026-03。")
    return value


def run(
    ledger: Path,
    period: str,
    out_dir: Path,
    as_of: dt.date | None = None,
    *,
    console: Console | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> FormsResult:
    """Write the period's forms into ``out_dir``; the ledger is opened read-only.

    ``console`` shows a progress bar for more than a few forms; ``progress(done, total, unit)``
    is told after each form instead, for a face that draws its own (the workbench); ``now``
    fixes the generation time (tests, reproducible demo files).
    """
    period = _normalise_period(period)
    as_of = as_of or dt.date.today()
    generated = (now or dt.datetime.now()).replace(microsecond=0, tzinfo=None)
    with LedgerFile(ledger) as lf:
        data = read_ledger(lf)
        require_clean(data)
        key = data.signing_key
        if not key or not data.ledger_id:
            raise InputRejected(
                f"台账 {data.name} 的隐藏工作表「_系统」缺少台账编号或签名密钥，无法生成可校验的反馈表。"
                "请从「台账备份」恢复，或用 ledger init 新建台账后迁入事项。"
            )
        stats = data.recompute(as_of, write=False)
        contents, result = plan(data, period, as_of, generated)
    result.unconfirmed_years = stats.unconfirmed_years
    result.out_dir = output_dir(out_dir, "反馈表")
    _write_all(contents, result, key, console, progress)
    return result


def _write_all(
    contents: list[FormContent],
    result: FormsResult,
    key: str,
    console: Console | None,
    progress_to: Callable[[int, int, str], None] | None = None,
) -> None:
    jobs = [(result.out_dir / fl.form_file_name(result.period, c.unit), c) for c in contents]
    progress = None
    if console is not None and len(contents) > PROGRESS_ABOVE:
        progress = Progress(
            TextColumn("正在生成反馈表"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=console,
            transient=True,
        )
    task = progress.add_task("", total=len(contents)) if progress else None
    started: list[bool] = []
    finished: list[int] = []

    def written(index: int) -> None:
        finished.append(index)
        if progress_to is not None:
            progress_to(len(finished), len(contents), contents[index].unit)
        if progress and task is not None:
            if not started:  # started once the workers run, so that they fork without its thread
                progress.start()
                started.append(True)
            progress.update(task, description=contents[index].unit)
            progress.advance(task)

    for path, _content in jobs:  # every form open in Excel/WPS is refused before any is written
        check_not_open(path)
    try:
        write_forms(jobs, key, workers=_workers(len(jobs)), written=written)
    finally:
        if progress:
            progress.stop()
    result.files.extend(
        FormFile(
            unit=c.unit,
            path=path,
            items=len(c.items),
            co_items=len(c.co_items),
            confidential=sum(1 for i in c.items if i.confidential),
        )
        for path, c in jobs
    )


def _workers(forms: int) -> int:
    """Worker processes for this many forms: one per core, none below PARALLEL_FROM forms each."""
    return max(1, min(MAX_WORKERS, usable_cores(), forms // PARALLEL_FROM))


# --- many forms --------------------------------------------------------------------------------


def write_forms(
    jobs: Sequence[tuple[Path, FormContent]],
    key: str,
    *,
    workers: int = 1,
    written: Callable[[int], None] | None = None,
) -> None:
    """Write every (path, content) job, in ``workers`` processes when more than one.

    Forms are independent files and writing them is most of ``ledger forms``: two cores write a
    city's hundred forms in half the time (sheets.workers). ``written(index)`` runs here after
    each form, for a progress bar. A form that cannot be written raises the Chinese
    ``UsageError``/``LedgerBusy`` naming it, from a worker as from here; the forms not begun
    are then not written, and none is left half written.
    """
    run_all(
        write_form, [(path, content, key) for path, content in jobs], workers=workers, done=written
    )
