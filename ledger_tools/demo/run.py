"""ledger demo: the monthly cycle on the bundled sample ledger, in a folder of its own.

Everything runs through the same job functions the commands use, on the sample ledger as of
its reference date: the items of the sample 会议纪要 read into 台账 (a preview first, as staff
would), assignment notices, this period's forms, the units filling them in (most
correctly, two with the mistakes units really make), check with an annotated return, merge,
reminders, a spot-check sample, the briefing and the scoring proposals.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ledger_tools.core.dates import cn_date
from ledger_tools.core.rules import period_of
from ledger_tools.demo.minutes import TITLE as MINUTES_TITLE
from ledger_tools.demo.minutes import build_minutes
from ledger_tools.demo.sample import REFERENCE_DATE, build_sample
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
from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.forms.filling import FormRowView, OpenForm
from ledger_tools.sheets.ledger.data import read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile

MARKER = ".ledger-demo"
LEDGER_NAME = "督查台账-示例.xlsx"
INSTRUCTION = "冬季安全生产"  # the sample's newest leader instruction, still waiting for assignment
SEED = 2026

PROGRESS = (
    "本月召开专题推进会，细化任务分工，完成方案编制并报分管领导审定，下一步组织实施。",
    "已完成现场踏勘和前期手续办理，施工单位已进场，累计完成投资约四成，下月完成主体工程。",
    "牵头制定工作方案，建立周调度机制，本月解决用地、资金问题两项，计划月底前完成阶段任务。",
    "会同协办单位开展联合检查，发现问题12个，已整改9个，其余3个明确责任人和时限，月底前整改到位。",
)
DONE_TEXT = "已按交办要求全部完成，相关资料已归档，请予销号。"
EXTENSION_REASON = "受征地拆迁和冬季施工条件影响，工程进度滞后，难以按期完成。"
STAGE_TARGET = "2026年12月底前完成本阶段建设任务并组织验收。"
DATE_SHAPES: tuple[Callable[[dt.date], object], ...] = (  # how units type a date
    lambda d: d,
    cn_date,
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: d.isoformat().translate(str.maketrans("0123456789-", "０１２３４５６７８９－")),
    lambda d: f"{d.isoformat()} ",
)


def prepare(directory: Path) -> Path:
    """An empty demo folder; a previous demo's folder is cleared, anything else is refused."""
    directory = Path(directory)
    if directory.exists():
        if not directory.is_dir():
            raise UsageError(f"{directory} 不是文件夹。")
        if any(directory.iterdir()):
            if not (directory / MARKER).exists():
                raise UsageError(
                    f"文件夹 {directory} 不是空的，为避免误删文件，演示不会使用它。请换一个新文件夹名。"
                )
            shutil.rmtree(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / MARKER).write_text("ledger demo output\n", encoding="utf-8")
    return directory


def run(directory: Path, console: Console) -> Path:
    directory = prepare(directory)
    ledger = directory / LEDGER_NAME
    as_of = REFERENCE_DATE
    period = period_of(as_of)
    year = as_of.year
    morning = dt.datetime.combine(as_of, dt.time(9, 0))
    say = _Steps(console)
    console.rule(f"[bold]ledger 演示：{period} 月的督查流程（参考日期 {as_of}）")

    build_sample(ledger, as_of)
    say(f"生成示例台账 {ledger.name}（15 个单位，约 100 个事项）。")

    minutes_file = build_minutes(directory / f"{MINUTES_TITLE}.docx")
    looked = minutes.run(ledger, minutes_file, preview=directory / "纪要导入预览.xlsx")
    r = looked.reading
    say(
        f"读取会议纪要 {minutes_file.name}：拟交办 {len(r.proposals)} 个事项，未列入交办 "
        f"{len(r.not_assigned)} 个，待核对 {len(r.unmatched)} 处（预览 {_name(looked.preview)}）。"
    )
    imported = minutes.run(ledger, minutes_file, now=morning.replace(hour=8))
    say(
        f"核对预览后导入：{imported.appended} 个事项追加到台账（待交办，备注 由纪要导入，待核对），"
        f"纪要已登记在 导入记录。"
    )

    result = validate.run(ledger)
    say(
        f"校验台账：{result.items} 个事项，发现问题 {len(result.findings)} 条{_codes(result.findings)}。"
    )

    stats = refresh.run(ledger, as_of)
    say(
        f"按 {as_of} 重算：新编号 {len(stats.ids_assigned)} 个，更新 {stats.cells_changed} 个单元格。"
    )

    sent = notices.run(ledger, INSTRUCTION, directory / "交办通知", as_of, as_of=as_of)
    say(
        f"交办「{sent.source}」：{len(sent.files)} 份督查检查办理事项通知（{_names(sent.files)}）。"
    )
    if sent.late:
        console.print(
            f"   [yellow]超过 {sent.assign_workdays} 个工作日交办时限：[/]"
            + "、".join(f"{item}（应于 {due} 前）" for item, due in sorted(sent.late))
        )

    made = forms.run(ledger, period, directory / "反馈表", as_of, console=console, now=morning)
    say(
        f"生成 {period} 反馈表 {len(made.files)} 份，报送截止 {made.due}，保存在 {made.out_dir.name}/。"
    )

    returned, mistakes = _fill_like_units([f.path for f in made.files], directory / "报回")
    say(
        f"模拟各单位填报：{len(returned)} 份报回，其中 {len(mistakes)} 份有常见错误："
        + "；".join(f"{unit}（{what}）" for unit, what in mistakes.items())
        + "。"
    )

    checked = intake.check(
        ledger,
        [directory / "报回"],
        as_of,
        report=directory / "问题清单.xlsx",
        annotate=directory / "退回",
    )
    errors = [f for f in checked.findings if f.is_error]
    say(
        f"检查报回文件：{sum(o.result == intake.CAN_MERGE for o in checked.files)} 份可合并，"
        f"{sum(o.result == intake.MUST_RETURN for o in checked.files)} 份需退回；"
        f"错误 {len(errors)} 条{_codes(errors)}，提示 {len(checked.findings) - len(errors)} 条。"
    )
    for f in errors[:6]:
        console.print(
            f"   [red]{f.code}[/] {Path(f.file or '').name} {f.sheet}!{f.cell} {f.message}"
        )
    assert checked.report_path is not None  # report= was given: intake always writes it
    console.print(
        f"   问题清单：{checked.report_path.name}；标注后的退回件：{len(checked.annotated)} 份，在 退回/。"
    )

    merged = intake.merge(ledger, [directory / "报回"], as_of, now=morning.replace(hour=16))
    say(
        f"合并：{sum(o.result == intake.MERGED for o in merged.files)} 份并入台账，"
        f"{sum(o.result == intake.REJECTED for o in merged.files)} 份退回；新增进展 {merged.reports_merged} 条，"
        f"延期申请 {merged.extension_requests} 条，台账保存一次（备份 {_name(merged.backup)}）。"
    )

    chased = reminders.run(ledger, directory / "催办", as_of, record=True, clerk="督查室 李华")
    say(
        f"催办：{len(chased.units)} 个单位的催办通知和电话督办清单，已登记催办记录 {chased.recorded} 条。"
    )

    drawn = sampling.run(ledger, 5, SEED, directory / "抽查.xlsx", now=morning)
    say(
        f"随机抽查：从 {drawn.candidates} 个已办结待销号事项中抽取 {len(drawn.item_ids)} 个（种子 {SEED}）。"
    )

    brief = briefing.run(ledger, period, directory / "通报", as_of)
    t = brief.briefing.totals
    say(
        f"{period} 通报：事项 {t.total} 件，已销号 {t.closed} 件，逾期 {t.overdue} 件，"
        f"办结率 {brief.briefing.snapshot.completion_rate:.1%}（{brief.xlsx.name}、{brief.docx.name}）。"
    )

    scored = scoring.run(ledger, year, directory / f"扣分意见-{year}.xlsx", as_of)
    say(
        f"{year} 年度考评扣分意见：{len(scored.scores)} 个单位，{len(scored.deductions)} 条（{scored.out.name}）。"
    )

    with LedgerFile(ledger) as lf:
        data = read_ledger(lf)
    _summary(console, data)
    console.print(
        f"\n演示完成。所有文件在 {directory}；可用 Excel/WPS 打开 {ledger.name} 查看「台账」中的督办预警着色，"
        "打开 退回/ 中的文件查看给单位的标注。"
    )
    console.print(
        f"在浏览器中打开工作台（概览、事项、收表、下发、台账）：ledger serve {ledger}"
        "（或双击 ledger-workbench 选择该台账）。"
    )
    return ledger


class _Steps:
    def __init__(self, console: Console):
        self.console, self.n = console, 0

    def __call__(self, text: str) -> None:
        self.n += 1
        self.console.print(f"{self.n:>2}. {text}")


def _codes(findings) -> str:
    codes = Counter(f.code for f in findings)
    return f"（{'、'.join(f'{c}×{n}' for c, n in sorted(codes.items()))}）" if codes else ""


def _names(files) -> str:
    return "、".join(f.unit for f in files[:5]) + ("等" if len(files) > 5 else "")


def _name(path: Path | None) -> str:
    return path.name if path else "无"


def _fill_like_units(paths: list[Path], out: Path) -> tuple[list[Path], dict[str, str]]:
    """Every unit fills in its form; the second and fifth make the mistakes units really make."""
    out.mkdir(parents=True, exist_ok=True)
    returned, mistakes = [], {}
    for n, path in enumerate(sorted(paths)):
        form = OpenForm(path)
        rng = random.Random(f"{SEED}/{path.name}")
        form.put_label(fl.LABEL_CONTACT, "办公室 张敏")
        form.put_label(fl.LABEL_PHONE, "0871-63112233")
        for row in form.rows:
            _answer(form, row, rng)
        unit = path.stem.rsplit("-", 1)[-1]
        if n == 1 and form.rows:
            mistakes[unit] = _forget_progress_and_misdate(form)
        elif n == 4 and form.rows:
            mistakes[unit] = _move_deadline(form)
        returned.append(form.save(out / path.name))
    return returned, mistakes


def _answer(form: OpenForm, row: FormRowView, rng: random.Random) -> None:
    """A careful unit's answer for one row: progress, and a completion or extension where due."""
    shown = row.shown
    deadline = _date(shown.get("当前时限"))
    roll = rng.random()
    status, progress = "推进中", rng.choice(PROGRESS)
    if shown.get("事项类型") == "长期":
        if not shown.get("阶段性目标"):
            form.put(row, "阶段性目标", STAGE_TARGET)
    elif deadline and deadline <= REFERENCE_DATE + dt.timedelta(days=20) and roll < 0.5:
        status, progress = "已办结", DONE_TEXT
        form.put(
            row,
            "办结日期",
            rng.choice(DATE_SHAPES)(REFERENCE_DATE - dt.timedelta(days=rng.randint(1, 10))),
        )
    elif deadline and roll > 0.9:
        status = "申请延期"
        form.put(row, "延期原因", EXTENSION_REASON)
        form.put(
            row,
            "申请延期至",
            rng.choice(DATE_SHAPES)(max(deadline, REFERENCE_DATE) + dt.timedelta(days=60)),
        )
    form.put(row, "办理状态", status)
    form.put(row, "本期进展情况", progress)


def _forget_progress_and_misdate(form: OpenForm) -> str:
    """The progress of one row left blank, and a completion dated on a day that does not exist."""
    first, last = form.rows[0], form.rows[-1]
    form.put(first, "本期进展情况", None)
    form.put(last, "办理状态", "已办结")
    form.put(last, "本期进展情况", DONE_TEXT)
    form.put(last, "办结日期", "2026年11月31日")
    return "漏填进展、办结日期写成 11 月 31 日"


def _move_deadline(form: OpenForm) -> str:
    """A locked deadline overtyped with a later date (the unit unprotected the sheet)."""
    row = form.rows[0]
    deadline = _date(row.shown.get("当前时限")) or REFERENCE_DATE
    form.put(row, "当前时限", (deadline + dt.timedelta(days=90)).isoformat())
    return "自行改动了锁定的「当前时限」"


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value).strip()) if value else None
    except ValueError:
        return None


def _summary(console: Console, data) -> None:
    status = Counter(i.status.value if i.status else "（空）" for i in data.items)
    alert = Counter(i.alert.value if i.alert else "（空）" for i in data.items)
    t = Table(title="合并后的办理状态与督办预警", header_style="bold")
    t.add_column("办理状态")
    t.add_column("件数", justify="right")
    t.add_column("督办预警")
    t.add_column("件数", justify="right")
    left, right = sorted(status.items()), sorted(alert.items())
    for k in range(max(len(left), len(right))):
        a = left[k] if k < len(left) else ("", "")
        b = right[k] if k < len(right) else ("", "")
        t.add_row(a[0], str(a[1]), b[0], str(b[1]))
    console.print(t)
