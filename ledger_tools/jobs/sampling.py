"""ledger sample: a reproducible random draw of finished items for spot checks (Art. 7, SPEC §6).

Candidates are the items units reported finished (已办结) that the office has not struck off;
they are sorted by 事项编号 and drawn with ``random.Random(seed)``, so the same ledger and seed
give the same items on any machine, whatever order the rows are in, and anyone can re-run the
draw to show it was not hand-picked. The ledger is only read. The workbook carries empty
columns for the check, which staff copy into 核查结果 (and 催办记录) afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ledger_tools.core import sampling as cn
from ledger_tools.core.confidential import redact
from ledger_tools.core.model import Item, ReminderMethod, Verification
from ledger_tools.errors import UsageError
from ledger_tools.sheets.documents.notices import Column, ListSheet, write_list_workbook
from ledger_tools.sheets.files import output_workbook
from ledger_tools.sheets.ledger.data import LedgerData, read_ledger, require_clean
from ledger_tools.sheets.ledger.file import LedgerFile

__all__ = ["SAMPLE_COLUMNS", "SampleResult", "run"]

CHECK_METHODS = (ReminderMethod.SPOT_CHECK.value, ReminderMethod.SITE_VISIT.value)

SAMPLE_COLUMNS = (
    Column("序号", 6, "int"),
    Column("事项编号", 15),
    Column("来源名称", 24),
    Column("议定事项", 34),
    Column("办理要求", 28),
    Column("责任领导", 10),
    Column("主责单位", 20),
    Column("协办单位", 16),
    Column("当前时限", 12, "date"),
    Column("办结日期", 12, "date"),
    Column("最近报送日期", 12, "date"),
    Column("最新进展", 36),
    Column("已有核查结果", 10),
    Column("核查方式", 10, choices=CHECK_METHODS, blank=True),
    Column("核查结果", 11, choices=tuple(Verification.values()), blank=True),
    Column("核查人", 10, blank=True),
    Column("核查日期", 12, "date", blank=True),
    Column("备注", 24, blank=True),
)


@dataclass
class SampleResult:
    path: Path
    seed: int
    requested: int
    candidates: int
    item_ids: list[str] = field(default_factory=list)
    confidential: int = 0

    @property
    def all_taken(self) -> bool:
        """Fewer candidates than asked for: every candidate is in the list."""
        return self.requested >= self.candidates


def _row(n: int, item: Item, data: LedgerData, include_confidential: bool) -> dict[str, object]:
    shown = item if include_confidential else redact(item)
    lead = data.canonical_unit(item.lead_unit)
    co = [
        c
        for c in dict.fromkeys(data.canonical_unit(u) for u in item.co_units if u)
        if c and c != lead
    ]
    return {
        "序号": n,
        "事项编号": item.id,
        "来源名称": shown.source_name,
        "议定事项": shown.matter,
        "办理要求": shown.requirement,
        "责任领导": item.leader,
        "主责单位": lead,
        "协办单位": "、".join(co),
        "当前时限": item.current_deadline or item.deadline,
        "办结日期": item.done_date,
        "最近报送日期": item.last_report,
        "最新进展": shown.latest_progress,
        "已有核查结果": item.verification.value if item.verification else None,
    }


def _notes(
    result: SampleResult, ledger: Path, generated: dt.datetime, include_confidential: bool
) -> list[str]:
    if result.all_taken:
        drawn = (
            f"要求抽取 {result.requested} 个，但已办结待销号的事项只有 {result.candidates} 个，"
            "已全部列入。"
        )
    else:
        drawn = f"从 {result.candidates} 个已办结待销号的事项中随机抽取 {len(result.item_ids)} 个。"
    notes = [
        f"台账：{ledger.name}；随机种子：{result.seed}；生成时间：{generated:%Y-%m-%d %H:%M}。",
        drawn,
        "抽取方法：候选事项按事项编号排序后，用给定的随机种子抽取；同一台账、同一种子再次抽取，结果相同，可供复核。",
        "核查后请在黄色列中填写核查方式（随机抽查/实地检查）、核查结果（属实/报送不实/措施不力）、核查人和核查日期。",
        "然后将核查结果填入台账「台账」工作表的「核查结果」列，并在「催办记录」中登记一行"
        "（催办方式选「随机抽查」或「实地检查」，催办日期填核查日期），综合考评按核查日期计入扣分意见。",
        "核查属实的事项，可填写「销号日期」和「销号经办人」予以销号。",
    ]
    if not include_confidential and result.confidential:
        notes.append(
            f"其中 {result.confidential} 个涉密事项只显示「涉密事项」和事项编号，具体内容请查阅台账。"
        )
    return notes


def run(
    ledger: Path,
    n: int,
    seed: int,
    out: Path,
    *,
    include_confidential: bool = False,
    now: dt.datetime | None = None,
) -> SampleResult:
    """Draw ``n`` items with ``seed`` and write the spot-check list to ``out`` (read-only)."""
    if n < 1:
        raise UsageError(f"--n 须为正整数（现为 {n}）。")
    ledger = Path(ledger)
    out = output_workbook(out, ledger=ledger, what="抽查清单", example="抽查清单.xlsx")
    with LedgerFile(ledger) as lf:
        data = read_ledger(lf)
        require_clean(data)
    candidates = cn.spot_check_candidates(data.items)
    picked = cn.draw_sample(candidates, n, seed)
    result = SampleResult(
        out,
        seed,
        n,
        len(candidates),
        [i.id for i in picked if i.id],
        sum(1 for i in picked if i.confidential),
    )
    rows = [_row(k, item, data, include_confidential) for k, item in enumerate(picked, start=1)]
    generated = now or dt.datetime.now()
    write_list_workbook(
        out,
        ListSheet("抽查清单", SAMPLE_COLUMNS, rows),
        title=f"随机抽查事项清单（随机种子 {seed}）",
        notes=_notes(result, ledger, generated, include_confidential),
        author=data.settings.office_name,
    )
    return result
