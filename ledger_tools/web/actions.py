"""The buttons of 收表, 下发 and 台账: each one job, called as its CLI command calls it.

Each action reads its fields, starts its job in a task (``tasks``) with a private output
folder, and leaves the outcome for the page: the job's result, what to download (named as
the CLI names the files; a zip for many), or the refusal the CLI would print. The job opens
the ledger itself with its usual lock and owner-file checks and closes it when done, so
between two clicks nothing holds the ledger.
"""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ledger_tools.core import dates
from ledger_tools.errors import UsageError
from ledger_tools.jobs import (
    briefing,
    forms,
    intake,
    minutes,
    notices,
    refresh,
    reminders,
    sampling,
    scoring,
    validate,
)
from ledger_tools.web.tasks import Task, Tasks

__all__ = ["ACTIONS", "Action"]

YEARS = (2000, 2100)


# --- fields, read as the CLI reads its options (cli/base.py) --------------------------------


def _text(fields: dict[str, str], name: str) -> str:
    return unicodedata.normalize("NFKC", fields.get(name, "")).strip()


def date_field(fields: dict[str, str], name: str, label: str) -> dt.date:
    value = _text(fields, name)
    if not value:
        return dt.date.today()
    try:
        day = dates.parse_date(value, strict=True)
    except dates.UnreadableDate:
        day = None
    if day is None or not YEARS[0] <= day.year <= YEARS[1]:
        raise UsageError(f"{label}「{value}」不是有效日期，请写成 YYYY-MM-DD，例如 2026-03-05。")
    return day


def month_field(fields: dict[str, str], name: str, label: str) -> str:
    value = _text(fields, name)
    try:
        month = dates.parse_month(value, strict=True) if value else None
    except dates.UnreadableDate:
        month = None
    if month is None or not YEARS[0] <= month[0] <= YEARS[1]:
        raise UsageError(f"{label}「{value}」不是有效月份，请写成 YYYY-MM，例如 2026-03。")
    return f"{month[0]:04d}-{month[1]:02d}"


def int_field(fields: dict[str, str], name: str, label: str, *, low: int | None = None) -> int:
    value = _text(fields, name).removesuffix("年")
    try:
        n = int(value)
    except ValueError:
        raise UsageError(f"{label}「{value}」不是整数，例如 5。") from None
    if low is not None and n < low:
        raise UsageError(f"{label}「{value}」须至少为 {low}。")
    return n


def _ticked(fields: dict[str, str], name: str) -> bool:
    return fields.get(name, "") in ("on", "1", "true", "是")


# --- the actions -------------------------------------------------------------------------------

Work = Callable[[Task, Path, dict[str, str], list[Path], Tasks], None]


class Action:
    """A button: its visible name, whether it takes files, and the work it does."""

    def __init__(self, title: str, work: Work, *, files: bool = False):
        self.title, self.work, self.files = title, work, files


def _offer(task: Task, tasks: Tasks, label: str, paths: list[Path], zip_name: str, out: Path):
    paths = [p for p in paths if p and Path(p).is_file()]
    if paths:
        task.downloads.append((label, tasks.downloads.bundle(paths, zip_name, out)))


def _intake(merge: bool) -> Work:
    def work(task: Task, ledger: Path, f: dict[str, str], files: list[Path], tasks: Tasks):
        if not files:
            raise UsageError("请先选择或拖入单位报回的反馈表（报回文件）。")
        as_of = date_field(f, "as_of", "计算日期")
        out = tasks.folder("out")
        report, annotate = out / "问题清单.xlsx", out / "退回"
        if merge:
            result = intake.merge(
                ledger,
                files,
                as_of,
                partial=_ticked(f, "partial"),
                report=report,
                annotate=annotate,
                progress=task.progress,
            )
        else:
            result = intake.check(
                ledger, files, as_of, report=report, annotate=annotate, progress=task.progress
            )
        task.template = "outcome_intake.html"
        task.outcome = {"result": result, "merge": merge, "intake": intake}
        _offer(task, tasks, "问题清单", [report], "问题清单.xlsx", out)
        _offer(task, tasks, "退回件（标注副本）", result.annotated, "退回文件.zip", out)

    return work


def _forms(task: Task, ledger: Path, f: dict[str, str], files: list[Path], tasks: Tasks):
    period = month_field(f, "period", "报送期次")
    as_of = date_field(f, "as_of", "计算日期")
    out = tasks.folder("out")
    result = forms.run(ledger, period, out / "反馈表", as_of, progress=task.progress)
    task.template, task.outcome = "outcome_forms.html", {"result": result}
    _offer(task, tasks, "反馈表", [x.path for x in result.files], f"反馈表-{period}.zip", out)


def _notices(task: Task, ledger: Path, f: dict[str, str], files: list[Path], tasks: Tasks):
    source = _text(f, "source")
    if not source:
        raise UsageError("请选择来源名称（哪一次会议或批示）。")
    date = date_field(f, "date", "通知日期")
    out = tasks.folder("out")
    result = notices.run(ledger, source, out / "交办通知", date, as_of=date)
    task.template, task.outcome = "outcome_notices.html", {"result": result}
    _offer(task, tasks, "交办通知", [x.path for x in result.files], "交办通知.zip", out)


def _remind(task: Task, ledger: Path, f: dict[str, str], files: list[Path], tasks: Tasks):
    as_of = date_field(f, "as_of", "计算日期")
    out = tasks.folder("out")
    result = reminders.run(
        ledger,
        out / "催办",
        as_of,
        record=_ticked(f, "record"),
        clerk=_text(f, "clerk") or None,
    )
    task.template = "outcome_remind.html"
    task.outcome = {"result": result, "counts": reminders.counts(result) if result.units else {}}
    paths = [u.path for u in result.units] + ([result.checklist] if result.checklist else [])
    _offer(task, tasks, "催办通知和电话督办清单", paths, "催办通知.zip", out)


def _sample(task: Task, ledger: Path, f: dict[str, str], files: list[Path], tasks: Tasks):
    n = int_field(f, "n", "抽取数量", low=1)
    seed = int_field(f, "seed", "随机种子")
    out = tasks.folder("out")
    result = sampling.run(ledger, n, seed, out / "抽查清单.xlsx")
    task.template, task.outcome = "outcome_sample.html", {"result": result}
    _offer(task, tasks, "抽查清单", [result.path], "抽查清单.xlsx", out)


def _brief(task: Task, ledger: Path, f: dict[str, str], files: list[Path], tasks: Tasks):
    month = month_field(f, "month", "通报月份")
    as_of = date_field(f, "as_of", "截止日期") if _text(f, "as_of") else None
    out = tasks.folder("out")
    result = briefing.run(ledger, month, out / "通报", as_of, progress=task.progress)
    task.template, task.outcome = "outcome_brief.html", {"result": result}
    _offer(task, tasks, "通报", [result.xlsx, result.docx], f"通报-{month}.zip", out)


def _score(task: Task, ledger: Path, f: dict[str, str], files: list[Path], tasks: Tasks):
    year = int_field(f, "year", "考评年度", low=YEARS[0])
    as_of = date_field(f, "as_of", "截止日期") if _text(f, "as_of") else None
    out = tasks.folder("out")
    result = scoring.run(ledger, year, out / f"扣分意见-{year}.xlsx", as_of)
    task.template, task.outcome = "outcome_score.html", {"result": result}
    _offer(task, tasks, "扣分意见", [result.out], result.out.name, out)


def _validate(task: Task, ledger: Path, f: dict[str, str], files: list[Path], tasks: Tasks):
    result = validate.run(ledger)
    task.template, task.outcome = "outcome_validate.html", {"result": result}


def _refresh(task: Task, ledger: Path, f: dict[str, str], files: list[Path], tasks: Tasks):
    as_of = date_field(f, "as_of", "计算日期")
    task.template, task.outcome = "outcome_refresh.html", {"result": refresh.run(ledger, as_of)}


def _minutes_preview(task: Task, ledger: Path, f: dict[str, str], files: list[Path], tasks: Tasks):
    docx = [p for p in files if p.suffix.lower() == ".docx"] or files
    if len(docx) != 1:
        raise UsageError("请选择一个会议纪要文件（.docx）。")
    out = tasks.folder("out")
    kept = out / docx[0].name  # kept (privately) until 确认导入, so the same file is imported
    shutil.copyfile(docx[0], kept)
    source_type = _text(f, "source_type") or None
    result = minutes.run(ledger, kept, source_type=source_type, preview=out / "纪要导入预览.xlsx")
    task.template = "outcome_minutes.html"
    task.outcome = {"result": result, "confirm": True, "source_type": source_type or ""}
    tasks.pending_minutes[task.id] = kept
    _offer(task, tasks, "纪要导入预览", [out / "纪要导入预览.xlsx"], "纪要导入预览.xlsx", out)


def _minutes_import(task: Task, ledger: Path, f: dict[str, str], files: list[Path], tasks: Tasks):
    kept = tasks.pending_minutes.pop(_text(f, "preview"), None)
    if kept is None or not kept.is_file():
        raise UsageError("请先上传会议纪要并生成预览，核对后再确认导入。")
    try:
        result = minutes.run(ledger, kept, source_type=_text(f, "source_type") or None)
    finally:
        kept.unlink(missing_ok=True)
    task.template, task.outcome = "outcome_minutes.html", {"result": result, "confirm": False}


ACTIONS: dict[str, Action] = {
    "check": Action("检查", _intake(merge=False), files=True),
    "merge": Action("合并入台账", _intake(merge=True), files=True),
    "forms": Action("生成反馈表", _forms),
    "notices": Action("生成交办通知", _notices),
    "remind": Action("生成催办通知", _remind),
    "sample": Action("随机抽查", _sample),
    "brief": Action("生成通报", _brief),
    "score": Action("生成扣分意见", _score),
    "validate": Action("校验", _validate),
    "refresh": Action("重算", _refresh),
    "minutes": Action("导入纪要", _minutes_preview, files=True),
    "minutes-import": Action("确认导入", _minutes_import),
}


def outcome_context(task: Task) -> dict[str, Any]:
    return {"task": task, **task.outcome}
