"""ledger minutes: the decided items of a 会议纪要 proposed as 台账 rows (SPEC §10, Art. 5).

The .docx is read by ``sheets/minutes/reader.py``, the items decided by ``core/minutes.py``. With a
preview file the proposal goes to a review workbook and the ledger is only read. Without it the
proposed rows are appended to 台账 as 待交办 with 备注 由纪要导入，待核对, and the file is logged in
导入记录 with its SHA-256, in one save.

Refusals leave the ledger byte-identical (nothing is saved):
- **the same file again** (its 文件指纹 in 导入记录): nothing is added; the result says when it
  was imported (exit 0, like a form merged twice);
- **the same minutes again in another file** (re-saved by WPS, say): when 台账 already holds
  items of this 来源名称, importing would double them: refused (exit 1), with the count, so staff
  compare with --preview and add what is missing by hand;
- nothing to propose (every item 未列入交办): nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ledger_tools.core import minutes as cm
from ledger_tools.core.model import SourceType, Status
from ledger_tools.errors import InputRejected
from ledger_tools.sheets.documents.minutes import preview_target, write_preview
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.data import LedgerData, read_ledger, require_clean
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.minutes.reader import read_minutes_docx

__all__ = ["IMPORTED", "MinutesResult", "run"]

IMPORTED = "已导入"  # 导入记录.结果 of an imported minutes file


@dataclass
class MinutesResult:
    path: Path
    sha256: str
    reading: cm.MinutesReading
    preview: Path | None = None
    rows: list[int] = field(default_factory=list)  # 台账 rows appended
    saved: bool = False
    backup: Path | None = None
    duplicate_of: str | None = None  # when the very file was imported before (导入时间)
    existing: int = 0  # items of this 来源名称 already in 台账

    @property
    def appended(self) -> int:
        return len(self.rows)

    @property
    def unconfirmed_years(self) -> set[int]:
        return self.reading.unconfirmed_years


def run(
    ledger: Path,
    file: Path,
    *,
    source_type: SourceType | str | None = None,
    preview: Path | None = None,
    now: dt.datetime | None = None,
) -> MinutesResult:
    """Read the minutes, then write the preview or append to 台账 (see the module's docstring)."""
    ledger, file = Path(ledger), Path(file)
    target = preview_target(preview, ledger) if preview is not None else None
    doc = read_minutes_docx(file)  # a .doc or a broken file is refused before the ledger is locked
    with LedgerFile(ledger, writable=target is None, values_first=True) as lf:
        data = read_ledger(lf)
        require_clean(data)
        reading = cm.read_minutes(
            doc.paragraphs,
            data.units,
            source_type=source_type,
            calendar=data.calendar(),
        )
        result = MinutesResult(file, doc.sha256, reading)
        result.duplicate_of = _imported_before(data, doc.sha256)
        result.existing = sum(
            1
            for i in data.items
            if reading.source_name
            and cm.normalize(i.source_name or "") == cm.normalize(reading.source_name)
        )
        if target is not None:
            result.preview = write_preview(target, reading, _notes(result))
            return result
        if result.duplicate_of is not None or not reading.proposals:
            return result
        if result.existing:
            raise InputRejected(
                f"台账中已有「{reading.source_name}」的 {result.existing} 个事项，再导入会重复，本次未导入，"
                f"台账未改动。请用 --preview 生成预览与台账核对，缺少的事项在台账中补录。"
            )
        _append(data, result, now or dt.datetime.now())
        result.backup = lf.save()
        result.saved = True
    return result


def _imported_before(data: LedgerData, sha: str) -> str | None:
    for row in data.table(sc.IMPORTS).rows():
        if str(row.get("fingerprint") or "").strip().lower() == sha:
            when = row.get("time")
            return (
                when.strftime("%Y-%m-%d %H:%M")
                if isinstance(when, dt.datetime)
                else str(when or "")
            )
    return None


def _append(data: LedgerData, result: MinutesResult, stamp: dt.datetime) -> None:
    items = data.table(sc.ITEMS)
    for p in result.reading.proposals:
        row = items.append(
            {
                "source_type": p.source_type,
                "source_name": p.source_name,
                "issued": p.issued,
                "matter": p.matter,
                "requirement": p.requirement,
                "leader": p.leader,
                "section": p.section,
                "lead_unit": p.lead_unit,
                "co_units": p.co_units,
                "kind": p.kind,
                "deadline": p.deadline,
                "status": Status.PENDING_ASSIGNMENT,
                "note": cm.NOTE,
            }
        )
        result.rows.append(row)
    data.table(sc.IMPORTS).append(
        {
            "time": stamp.replace(microsecond=0),
            "file": result.path.name,
            "fingerprint": result.sha256,
            "result": IMPORTED,
            "items": len(result.rows),
            "problems": len(result.reading.unmatched),
        }
    )


def _notes(result: MinutesResult) -> list[str]:
    r = result.reading
    lines = [
        f"纪要文件：{result.path.name}（文件指纹 {result.sha256[:16]}…）",
        f"来源类型：{r.source_type.value}；来源名称：{r.source_name or '（未读出）'}；"
        f"印发日期：{r.issued or '（未读出）'}",
        f"拟交办事项 {len(r.proposals)} 个；未列入交办 {len(r.not_assigned)} 个（未明确提出具体办理要求，"
        "《办法》第五条第二项）；待核对 {0} 处。".format(len(r.unmatched)),
        "本预览未修改台账。核对无误后，去掉 --preview 重新运行即把拟交办事项追加到「台账」（办理状态 待交办，"
        f"备注 {cm.NOTE}）。",
        "「待核对」中的单位、领导或时限未能确定，导入时留空，请在台账中补填；单位未在「单位」表登记的，请先登记。",
        "没有年份的时限按印发日期所在年份计算；若该日期已早于印发日期，按次年计算（见各事项的「待核对」）。"
        "「一个月内」「10个工作日内」等从印发日期起算，工作日按工作日历计算。",
        *r.notes,
    ]
    if result.duplicate_of is not None:
        lines.append(f"注意：该文件已于 {result.duplicate_of} 导入过台账，再次导入不会重复添加。")
    elif result.existing:
        lines.append(
            f"注意：台账中已有「{r.source_name}」的 {result.existing} 个事项，直接导入将被拒绝以免重复。"
        )
    return lines
