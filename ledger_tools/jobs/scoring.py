"""ledger score: the year's scoring proposals per lead unit, with evidence (SPEC §3, Art. 9).

Read-only on the ledger: the proposals are computed from the ledger as it stood at the cut-off
(``LedgerData.point_in_time``: the year's end, or ``--as-of``), in memory, and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ledger_tools.core import scoring
from ledger_tools.core.confidential import for_circulation
from ledger_tools.core.referrals import UnitCases, referrals
from ledger_tools.errors import UsageError
from ledger_tools.sheets.documents import scores as score_writer
from ledger_tools.sheets.files import output_workbook
from ledger_tools.sheets.ledger.data import read_ledger, require_clean
from ledger_tools.sheets.ledger.file import LedgerFile

__all__ = ["ScoreResult", "resolve_as_of", "run"]


@dataclass
class ScoreResult:
    year: int
    as_of: dt.date
    out: Path
    scores: list[scoring.UnitScore] = field(default_factory=list)
    deductions: list[scoring.Deduction] = field(default_factory=list)
    referrals: list[UnitCases] = field(default_factory=list)  # Art. 10 evidence, by unit
    unconfirmed_years: list[int] = field(default_factory=list)

    @property
    def total(self) -> float:
        return round(sum(s.total for s in self.scores), 2)


def resolve_as_of(year: int, as_of: dt.date | None, today: dt.date | None = None) -> dt.date:
    """The cut-off: given, or the year's last day once it is over, else today."""
    if not 2000 <= year <= 2100:
        raise UsageError(f"年度 {year} 无效，请写四位年份，例如 --year 2026。")
    end = dt.date(year, 12, 31)
    as_of = as_of or min(end, today or dt.date.today())
    if as_of < dt.date(year, 1, 1):
        raise UsageError(
            f"截止日期 {as_of} 早于 {year} 年，无法计算该年度扣分意见。请用 --as-of 指定 {year} 年内的日期。"
        )
    return as_of


def run(
    path: Path,
    year: int,
    out: Path,
    as_of: dt.date | None = None,
    *,
    include_confidential: bool = False,
    today: dt.date | None = None,
) -> ScoreResult:
    as_of = resolve_as_of(year, as_of, today)
    out = output_workbook(out, ledger=Path(path), what="扣分意见", example=f"扣分意见-{year}.xlsx")
    with LedgerFile(path) as lf:
        data = read_ledger(lf)
        require_clean(data)
    cal = data.calendar()
    # The ledger as it stood at the cut-off, in memory only (opened read-only): a reminder or
    # an approval dated later does not reach a year already scored.
    view, _ = data.point_in_time(as_of, cal, seen=today or dt.date.today())
    deductions = scoring.propose(
        view.items,
        view.reports,
        view.reminders,
        year=year,
        as_of=as_of,
        settings=data.settings,
        cal=cal,
        unit_of=data.canonical_unit,
        extensions=view.extensions,
    )
    scores = scoring.summarise(deductions)
    shown = {i.id: i for i in for_circulation(view.items, include_confidential) if i.id}
    cases = referrals(
        deductions,
        shown,
        view.reports,
        view.reminders,
        view.extensions,
        as_of=as_of,
        include_confidential=include_confidential,
    )
    score_writer.write_scores(
        out,
        year=year,
        as_of=as_of,
        settings=data.settings,
        scores=scores,
        deductions=deductions,
        items=shown,
        referrals=cases,
    )
    return ScoreResult(year, as_of, out, scores, deductions, cases, sorted(cal.unconfirmed_years))
