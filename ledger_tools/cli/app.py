"""The `ledger` command: arguments in, Chinese text and exit codes out (SPEC §7).

No rules and no file handling here: each command calls one job and prints its result. The
shared machinery (Chinese click, option parsing, errors → exit codes) is in cli_base.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ledger_tools.cli.base import (
    CONTEXT,
    EXIT_OK,
    EXIT_REJECTED,
    ChineseGroup,
    as_of_option,
    console,
    guarded,
    ledger_argument,
    parse_count_option,
    parse_date_option,
    parse_month_option,
    parse_seed_option,
    parse_text_option,
    parse_year_option,
    print_findings,
    warn_unconfirmed,
)

# --- commands ------------------------------------------------------------------------------


def _name(path: Path | None) -> str:
    """The name of a file a job wrote (the ledger's backup, a checklist) for the message that
    says so. Results keep such fields optional for the runs that wrote nothing; the message is
    only printed when the file was written."""
    assert path is not None
    return path.name


@click.group("ledger", cls=ChineseGroup, context_settings=CONTEXT)
@click.version_option(
    package_name="ledger_tools", message="ledger %(version)s", help="显示版本并退出。"
)
def cli():
    """市政府常务会议议定事项督查台账工具。

    台账是一个 Excel 工作簿（.xlsx），工作人员照常在 Excel/WPS 中编辑；
    本工具负责校验、计算时限与预警、下发和合并反馈表、生成通报与通知。
    """


@cli.command("init", context_settings=CONTEXT)
@ledger_argument
@click.option(
    "--units",
    "units_file",
    metavar="文件",
    type=click.Path(path_type=Path),
    help="单位名单（xlsx/xls/ods/csv，表头同「单位」表）。",
)
@guarded
def init_cmd(ledger: Path, units_file: Path | None):
    """新建一个空台账（台账文件已存在则拒绝）。"""
    from ledger_tools.jobs import init

    result = init.run(ledger, units_file)
    for note in result.notes:
        console.print(f"[yellow]注意：[/]{escape(note)}")
    console.print(
        f"已创建台账 {result.path}（登记单位 {result.units} 个）。请在 Excel 中打开「台账」工作表录入事项。"
    )


@cli.command("validate", context_settings=CONTEXT)
@ledger_argument
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出问题清单。")
@guarded
def validate_cmd(ledger: Path, as_json: bool):
    """检查台账本身的问题（只读，不修改台账）。"""
    from ledger_tools.jobs import validate

    result = validate.run(ledger)
    if not as_json:
        console.print(f"台账 {ledger.name}：共 {result.items} 个事项。")
    print_findings(result.findings, as_json=as_json)
    return EXIT_REJECTED if result.errors else EXIT_OK


@cli.command("refresh", context_settings=CONTEXT)
@ledger_argument
@as_of_option
@guarded
def refresh_cmd(ledger: Path, as_of: dt.date):
    """重算当前时限、剩余工作日、督办预警、本期报送等，并为新事项编号。"""
    from ledger_tools.jobs import refresh

    stats = refresh.run(ledger, as_of)
    warn_unconfirmed(stats.unconfirmed_years)
    if stats.ids_assigned:
        console.print(
            f"新编号 {len(stats.ids_assigned)} 个：{'、'.join(stats.ids_assigned[:10])}"
            + ("……" if len(stats.ids_assigned) > 10 else "")
        )
    errors = [f for f in stats.problems if f.is_error]
    if errors:
        console.print(
            f"[yellow]台账中有 {len(errors)} 处问题（如无法识别的日期），相关事项按可读部分计算。"
            "运行 ledger validate 查看详情。[/]"
        )
    if stats.saved:
        console.print(
            f"已按 {as_of} 重算 {stats.items} 个事项，更新 {stats.cells_changed} 个单元格（备份：{_name(stats.backup)}）。"
        )
    else:
        console.print(f"已按 {as_of} 重算 {stats.items} 个事项，没有需要更新的内容，台账未改动。")


@cli.command("demo", context_settings=CONTEXT)
@click.argument("directory", metavar="文件夹", type=click.Path(path_type=Path))
@guarded
def demo_cmd(directory: Path):
    """在一个新文件夹中生成示例台账，并演示一个月的完整流程。"""
    from ledger_tools.demo import run as demo

    demo.run(directory, console)


@cli.command("forms", context_settings=CONTEXT)
@ledger_argument
@click.option(
    "--period",
    required=True,
    callback=parse_month_option,
    metavar="YYYY-MM",
    help="报送期次，如 2026-03。",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    metavar="文件夹",
    type=click.Path(path_type=Path),
    help="反馈表存放的文件夹。",
)
@as_of_option
@guarded
def forms_cmd(ledger: Path, period: str, out_dir: Path, as_of: dt.date):
    """为每个有在办事项的主责单位生成本期反馈表（不修改台账）。"""
    from ledger_tools.jobs import forms

    result = forms.run(ledger, period, out_dir, as_of, console=console)
    warn_unconfirmed(result.unconfirmed_years)
    if not result.files:
        console.print(f"截至 {as_of} 没有已交办的在办事项，未生成反馈表。")
    else:
        table = Table(header_style="bold")
        for h in ("填报单位", "事项数", "其中涉密", "协办事项"):
            table.add_column(h, overflow="fold", justify="left" if h == "填报单位" else "right")
        for f in result.files:
            table.add_row(f.unit, str(f.items), str(f.confidential or ""), str(f.co_items or ""))
        console.print(table)
        console.print(
            f"已生成 {len(result.files)} 份 {result.period} 期反馈表（共 {result.items} 个事项），"
            f"报送截止 {result.due}，保存在 {result.out_dir}（文件名：反馈表-{result.period}-单位名称.xlsx）。"
        )
    if result.co_only_units:
        console.print(
            f"[yellow]注意：[/]{'、'.join(result.co_only_units)} 只有协办事项，没有主责事项，未单独生成反馈表；"
            "请提醒其在办理时限内将办理情况或意见书面函告主责单位。"
        )
    for unit in result.unregistered:
        console.print(
            f"[yellow]注意：[/]主责单位「{unit}」未在「单位」表登记，反馈表按台账中的名称生成；建议先在「单位」表登记。"
        )
    if result.no_contact:
        console.print(
            f"[yellow]注意：[/]{'、'.join(result.no_contact)} 在「单位」表中没有联系人或联系电话，"
            "反馈表中这两项留空，由单位填写。"
        )
    if result.without_id:
        console.print(
            f"[yellow]注意：[/]{result.without_id} 个在办事项没有事项编号，未列入反馈表；请先运行 ledger refresh 编号。"
        )


def _print_intake(result, as_json: bool) -> None:
    """The per-file table, then every finding, then what happened (check and merge alike)."""
    if as_json:
        print_findings(result.findings, as_json=True)
        return
    table = Table(header_style="bold")
    for h in ("文件", "报送单位", "报送期次", "结果", "事项数", "问题数"):
        table.add_column(h, overflow="fold")
    for o in result.files:
        colour = "green" if o.result in ("已合并", "可合并") else "red" if o.has_errors else "cyan"
        table.add_row(
            o.name,
            o.unit or "",
            o.period or "",
            f"[{colour}]{o.result}[/]",
            str(o.reports),
            str(o.problems),
        )
    console.print(table)
    print_findings(result.findings)
    if result.report_path:
        console.print(f"问题清单已写入 {result.report_path}。")
    if result.annotated:
        console.print(
            f"已为 {len(result.annotated)} 个需退回的文件生成标注副本（退回-…），保存在 {result.annotated[0].parent}。"
        )


form_inputs_argument = click.argument(
    "inputs", metavar="反馈表...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
json_option = click.option("--json", "as_json", is_flag=True, help="以 JSON 输出问题清单。")
annotate_option = click.option(
    "--annotate",
    "annotate_dir",
    type=click.Path(path_type=Path),
    metavar="文件夹",
    help="为每个需退回的文件在该文件夹中生成标注副本「退回-原文件名」（问题单元格标红并附批注）。",
)


@cli.command("check", context_settings=CONTEXT)
@ledger_argument
@form_inputs_argument
@as_of_option
@json_option
@click.option(
    "--report",
    "report_file",
    type=click.Path(path_type=Path),
    metavar="文件.xlsx",
    help="把问题清单写入该 Excel 工作簿。",
)
@annotate_option
@guarded
def check_cmd(
    ledger: Path,
    inputs: tuple[Path, ...],
    as_of: dt.date,
    as_json: bool,
    report_file: Path | None,
    annotate_dir: Path | None,
):
    """检查单位报回的反馈表（文件或文件夹，可写多个），不修改台账。"""
    from ledger_tools.jobs import intake

    result = intake.check(ledger, list(inputs), as_of, report=report_file, annotate=annotate_dir)
    _print_intake(result, as_json)
    if not as_json:
        console.print(
            f"共检查 {len(result.files)} 个文件：可合并 {result.count(intake.CAN_MERGE)} 个，"
            f"需退回 {result.count(intake.MUST_RETURN)} 个，重复跳过 {result.count(intake.DUPLICATE)} 个。"
        )
    return result.exit_code


@cli.command("merge", context_settings=CONTEXT)
@ledger_argument
@form_inputs_argument
@as_of_option
@json_option
@click.option(
    "--partial", is_flag=True, help="有错误的文件也合并其中无误的事项，只退回有错误的行。"
)
@annotate_option
@guarded
def merge_cmd(
    ledger: Path,
    inputs: tuple[Path, ...],
    as_of: dt.date,
    as_json: bool,
    partial: bool,
    annotate_dir: Path | None,
):
    """检查并把无误的反馈表合并进台账，再按 --as-of 重算（一次保存）。"""
    from ledger_tools.jobs import intake

    result = intake.merge(ledger, list(inputs), as_of, partial=partial, annotate=annotate_dir)
    _print_intake(result, as_json)
    if as_json:
        return result.exit_code
    warn_unconfirmed(result.unconfirmed_years)
    console.print(
        f"共 {len(result.files)} 个文件：已合并 {result.count(intake.MERGED)} 个，"
        f"已退回 {result.count(intake.REJECTED)} 个，重复跳过 {result.count(intake.DUPLICATE)} 个。"
    )
    if result.saved:
        console.print(
            f"已合并 {result.reports_merged} 条事项报送（延期申请 {result.extension_requests} 条），"
            f"并按 {as_of} 重算台账（备份：{_name(result.backup)}）。"
        )
    else:
        console.print("没有可合并的报送，台账未改动。")
    return result.exit_code


def _optional_date(ctx, param, value: str | None) -> dt.date | None:
    """--as-of whose default depends on the command (a month's or a year's end), not today."""
    return None if value is None else parse_date_option(ctx, param, value)


confidential_option = click.option(
    "--include-confidential",
    is_flag=True,
    help="写入涉密事项的内容（默认只显示「涉密事项」和事项编号）。仅限内部使用。",
)


@cli.command("brief", context_settings=CONTEXT)
@ledger_argument
@click.option(
    "--month",
    required=True,
    callback=parse_month_option,
    metavar="YYYY-MM",
    help="通报月份，如 2026-11。",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    metavar="文件夹",
    type=click.Path(path_type=Path),
    help="通报存放的文件夹。",
)
@click.option(
    "--as-of",
    "as_of",
    callback=_optional_date,
    metavar="YYYY-MM-DD",
    help="截止日期（默认：该月已过去则为月末，否则为今天）。",
)
@confidential_option
@guarded
def brief_cmd(
    ledger: Path, month: str, out_dir: Path, as_of: dt.date | None, include_confidential: bool
):
    """生成月度通报（Excel 与 Word），并在「月度快照」中记录本月数字（台账只改这一行）。"""
    from ledger_tools.jobs import briefing

    result = briefing.run(ledger, month, out_dir, as_of, include_confidential=include_confidential)
    warn_unconfirmed(result.unconfirmed_years)
    errors = [f for f in result.problems if f.is_error]
    if errors:
        console.print(
            f"[yellow]台账中有 {len(errors)} 处问题（如无法识别的日期），相关事项按可读部分统计。"
            "运行 ledger validate 查看详情。[/]"
        )
    b = result.briefing
    t = b.totals
    console.print(
        f"已生成 {month} 通报（截至 {result.as_of}）：事项 {t.total} 件，已销号 {t.closed} 件，"
        f"已办结待销号 {t.done} 件，逾期 {t.overdue} 件，临期 {t.due_soon} 件，办结率 {b.snapshot.completion_rate:.1%}。"
    )
    console.print(f"  {result.xlsx}\n  {result.docx}")
    if include_confidential:
        console.print("[yellow]注意：[/]本次通报包含涉密事项内容，请按保密规定管理，不得外传。")
    if result.snapshot_changed:
        console.print(
            f"已在台账「月度快照」中记录 {month} 的数字（备份：{_name(result.backup)}）。"
        )
    else:
        console.print(f"台账「月度快照」中 {month} 的数字未变，台账未改动。")


@cli.command("score", context_settings=CONTEXT)
@ledger_argument
@click.option(
    "--year", required=True, callback=parse_year_option, metavar="YYYY", help="考评年度，如 2026。"
)
@click.option(
    "--out",
    "out_file",
    required=True,
    metavar="文件.xlsx",
    type=click.Path(path_type=Path),
    help="输出的工作簿，如 扣分意见-2026.xlsx。",
)
@click.option(
    "--as-of",
    "as_of",
    callback=_optional_date,
    metavar="YYYY-MM-DD",
    help="截止日期（默认：该年已过去则为 12 月 31 日，否则为今天）。",
)
@confidential_option
@guarded
def score_cmd(
    ledger: Path, year: int, out_file: Path, as_of: dt.date | None, include_confidential: bool
):
    """按《办法》第九条生成年度综合考评扣分意见及依据（只读，不修改台账）。"""
    from ledger_tools.core.scoring import fmt_points
    from ledger_tools.jobs import scoring

    result = scoring.run(ledger, year, out_file, as_of, include_confidential=include_confidential)
    warn_unconfirmed(result.unconfirmed_years)
    if not result.scores:
        console.print(f"{year} 年度截至 {result.as_of} 没有扣分意见。已写入 {result.out}。")
        return
    table = Table(header_style="bold")
    for h in ("单位", "逾期未落实", "未按时报送", "报送不实", "措施不力", "拟扣分"):
        table.add_column(h, overflow="fold")
    for s in result.scores:
        table.add_row(s.unit, *(str(n) for n in s.counts.values()), fmt_points(s.total))
    console.print(table)
    console.print(
        f"{year} 年度截至 {result.as_of}：{len(result.scores)} 个单位，{len(result.deductions)} 条扣分意见，"
        f"合计 {fmt_points(result.total)} 分。已写入 {result.out}（含每条依据）。"
    )


# --- notices, remind, sample (assignment notices, reminders and spot checks) ----------------


@cli.command("notices", context_settings=CONTEXT)
@ledger_argument
@click.option(
    "--source",
    required=True,
    callback=parse_text_option,
    metavar="来源名称",
    help="来源名称（完整名称或其中独有的一部分），如「第12次常务会议」。",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    metavar="文件夹",
    type=click.Path(path_type=Path),
    help="通知存放的文件夹。",
)
@click.option(
    "--date",
    "date",
    callback=parse_date_option,
    metavar="YYYY-MM-DD",
    help="通知日期，即交办日期（默认今天）。",
)
@as_of_option
@guarded
def notices_cmd(ledger: Path, source: str, out_dir: Path, date: dt.date, as_of: dt.date):
    """按主责单位生成《督查检查办理事项通知》，并在台账中填写交办日期和交办文号。"""
    from ledger_tools.jobs import notices

    result = notices.run(ledger, source, out_dir, date, as_of=as_of)
    warn_unconfirmed(result.unconfirmed_years)
    if not result.files:
        console.print(f"「{result.source}」没有可以交办的事项，未生成通知。")
    else:
        table = Table(header_style="bold")
        for h in ("主送单位", "文号", "日期", "事项"):
            table.add_column(h, overflow="fold")
        for f in result.files:
            table.add_row(f.unit, f.number or "（无文号）", str(f.date), "、".join(f.item_ids))
        console.print(table)
    if result.reissue and result.files:
        console.print(
            f"「{result.source}」的事项均已交办：已按原交办文号和交办日期重新生成 {len(result.files)} 份通知，"
            f"台账未改动。保存在 {result.out_dir}。"
        )
    elif result.saved:
        console.print(
            f"已为「{result.source}」生成 {len(result.files)} 份通知（{result.items} 个事项），"
            f"并在台账中填写交办日期 {result.date} 和交办文号（备份：{_name(result.backup)}）。保存在 {result.out_dir}。"
        )
    late: dict[dt.date, list[str]] = {}
    for item, due in result.late:
        late.setdefault(due, []).append(item)
    for due, items in sorted(late.items()):
        console.print(
            f"[yellow]注意：[/]事项 {'、'.join(items)} 应于 {due} 前交办（纪要印发后 {result.assign_workdays} "
            f"个工作日内，《办法》第五条），通知日期 {result.date} 已超过交办时限。"
        )
    if result.no_issue_date:
        console.print(
            f"[yellow]注意：[/]{'、'.join(result.no_issue_date)} 未填写「印发日期」，无法检查交办时限。"
        )
    if result.no_unit:
        console.print(
            f"[yellow]注意：[/]{'、'.join(result.no_unit)} 未填写「主责单位」，未交办；请填写后重新运行。"
        )
    if result.ended:
        console.print(f"{'、'.join(result.ended)} 已销号或已终止，未交办。")
    for unit in result.unregistered:
        console.print(
            f"[yellow]注意：[/]主送单位「{unit}」未在「单位」表登记，通知按台账中的名称生成。"
        )


@cli.command("remind", context_settings=CONTEXT)
@ledger_argument
@click.option(
    "--out",
    "out_dir",
    required=True,
    metavar="文件夹",
    type=click.Path(path_type=Path),
    help="催办通知和电话督办清单存放的文件夹。",
)
@as_of_option
@click.option(
    "--record", is_flag=True, help="同时在「催办记录」中登记本次书面督办（否则不修改台账）。"
)
@click.option("--clerk", metavar="姓名", help="登记到「催办记录」的经办人。")
@click.option(
    "--include-confidential",
    is_flag=True,
    help="电话督办清单中写入涉密事项的内容（默认只显示「涉密事项」和事项编号）。仅限内部使用。",
)
@guarded
def remind_cmd(
    ledger: Path,
    out_dir: Path,
    as_of: dt.date,
    record: bool,
    clerk: str | None,
    include_confidential: bool,
):
    """对逾期、未按时报送、临期事项按单位生成催办通知和电话督办清单。"""
    from ledger_tools.jobs import reminders

    result = reminders.run(
        ledger,
        out_dir,
        as_of,
        record=record,
        clerk=clerk,
        include_confidential=include_confidential,
    )
    warn_unconfirmed(result.unconfirmed_years)
    if not result.units:
        console.print(f"截至 {as_of} 没有需要催办的事项（逾期、未按时报送、临期），未生成文件。")
        return
    labels = [a.value for a in reminders.counts(result)]
    table = Table(header_style="bold")
    for h in ("单位", *labels, "联系人", "联系电话"):
        table.add_column(h, overflow="fold")
    for u in result.units:
        table.add_row(
            u.unit,
            *(str(u.alerts.get(a, 0) or "") for a in reminders.counts(result)),
            u.contact or "",
            u.phone or "",
        )
    console.print(table)
    totals = "，".join(f"{a.value} {n} 件" for a, n in reminders.counts(result).items() if n)
    console.print(
        f"截至 {as_of}：{len(result.units)} 个单位 {result.items} 个事项需要催办（{totals}）。"
        f"已生成催办通知和 {_name(result.checklist)}，保存在 {result.out_dir}。"
    )
    if result.no_contact:
        console.print(
            f"[yellow]注意：[/]{'、'.join(result.no_contact)} 在「单位」表中没有联系人或联系电话，请补充。"
        )
    if include_confidential:
        console.print("[yellow]注意：[/]电话督办清单包含涉密事项内容，请按保密规定管理。")
    if record:
        if result.saved:
            console.print(
                f"已在「催办记录」登记 {result.recorded} 条书面督办（备份：{_name(result.backup)}）。"
            )
        if result.already_recorded:
            console.print(
                f"{len(result.already_recorded)} 个事项今天已登记过书面督办，未重复登记。"
            )
        if result.unnumbered:
            console.print(
                f"[yellow]注意：[/]{result.unnumbered} 个事项没有事项编号，未登记；请先运行 ledger refresh。"
            )
    else:
        console.print("台账未改动；如需登记催办次数，请加 --record 重新运行。")


@cli.command("sample", context_settings=CONTEXT)
@ledger_argument
@click.option(
    "--n", "n", required=True, callback=parse_count_option, metavar="数量", help="抽取的事项数。"
)
@click.option(
    "--seed",
    required=True,
    callback=parse_seed_option,
    metavar="整数",
    help="随机种子（整数）；同一种子抽取结果相同，便于复核。",
)
@click.option(
    "--out",
    "out_file",
    required=True,
    metavar="文件.xlsx",
    type=click.Path(path_type=Path),
    help="输出的抽查清单，如 抽查清单.xlsx。",
)
@click.option(
    "--include-confidential",
    is_flag=True,
    help="写入涉密事项的内容（默认只显示「涉密事项」和事项编号）。仅限内部使用。",
)
@guarded
def sample_cmd(ledger: Path, n: int, seed: int, out_file: Path, include_confidential: bool):
    """从已办结待销号的事项中随机抽取，生成随机抽查/实地检查清单（只读，不修改台账）。"""
    from ledger_tools.jobs import sampling

    result = sampling.run(ledger, n, seed, out_file, include_confidential=include_confidential)
    if not result.candidates:
        console.print(f"台账中没有已办结待销号的事项，抽查清单为空。已写入 {result.path}。")
        return
    if result.all_taken:
        console.print(
            f"[yellow]注意：[/]要求抽取 {n} 个，但已办结待销号的事项只有 {result.candidates} 个，已全部列入。"
        )
    else:
        console.print(
            f"从 {result.candidates} 个已办结待销号的事项中按随机种子 {seed} 抽取 {len(result.item_ids)} 个。"
        )
    console.print(f"抽中：{'、'.join(result.item_ids)}")
    console.print(
        f"已写入 {result.path}。核查后请将核查结果填入台账「核查结果」列，并在「催办记录」登记核查。"
    )


# --- minutes (items in from a 会议纪要) ------------------------------------------------------

_SOURCE_TYPES = ("常务会议", "专题会议", "领导批示")


def _parse_source_type(ctx, param, value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if text not in _SOURCE_TYPES:
        raise click.BadParameter(
            f"「{value}」不是来源类型。请写 {' · '.join(_SOURCE_TYPES)} 之一。"
        )
    return text


@cli.command("minutes", context_settings=CONTEXT)
@ledger_argument
@click.argument("minutes_file", metavar="纪要.docx", type=click.Path(path_type=Path))
@click.option(
    "--type",
    "source_type",
    callback=_parse_source_type,
    metavar="来源类型",
    help="常务会议 · 专题会议 · 领导批示（默认按纪要标题判断，否则为常务会议）。",
)
@click.option(
    "--preview",
    "preview",
    metavar="文件.xlsx",
    type=click.Path(path_type=Path),
    help="只把拟导入的事项写入该预览工作簿供核对，不修改台账。",
)
@guarded
def minutes_cmd(ledger: Path, minutes_file: Path, source_type: str | None, preview: Path | None):
    """从会议纪要（.docx）中读出议定事项，追加到台账（待交办），或先生成预览核对。"""
    from ledger_tools.jobs import minutes

    result = minutes.run(ledger, minutes_file, source_type=source_type, preview=preview)
    warn_unconfirmed(result.unconfirmed_years)
    r = result.reading
    console.print(
        f"纪要 {result.path.name}：{r.source_name or '（未读出来源名称）'}，印发日期 {r.issued or '（未读出）'}，"
        f"来源类型 {r.source_type.value}。"
    )
    for note in r.notes:
        console.print(f"[yellow]注意：[/]{escape(note)}")
    if r.proposals:
        table = Table(header_style="bold")
        for h in ("序号", "议定事项", "主责单位", "协办单位", "责任领导", "完成时限", "事项类型"):
            table.add_column(h, overflow="fold")
        for p in r.proposals:
            table.add_row(
                str(p.number),
                escape(p.matter[:20]),
                p.lead_unit or "[red]（待核对）[/]",
                "、".join(p.co_units),
                p.leader or "",
                str(p.deadline or ("" if p.kind.value == "长期" else "[red]（时限不明）[/]")),
                p.kind.value,
            )
        console.print(table)
    if r.not_assigned:
        console.print(
            f"未列入交办 {len(r.not_assigned)} 个（未明确提出具体办理要求，《办法》第五条第二项）："
            + "；".join(escape(n.matter) for n in r.not_assigned[:5])
            + ("……" if len(r.not_assigned) > 5 else "")
        )
    for u in r.unmatched:
        console.print(f"[yellow]待核对：[/]事项 {u.item} {u.field}：{escape(u.reason)}")
    if result.preview is not None:
        console.print(
            f"预览已写入 {result.preview}，台账未改动。核对无误后去掉 --preview 重新运行即可导入。"
        )
    elif result.duplicate_of is not None:
        console.print(
            f"该纪要文件已于 {result.duplicate_of} 导入过（文件指纹相同），本次没有重复添加，台账未改动。"
        )
    elif not r.proposals:
        console.print("纪要中没有可列入交办的事项，台账未改动。")
    elif result.saved:
        console.print(
            f"已在台账中追加 {result.appended} 个事项（办理状态 待交办，备注「由纪要导入，待核对」），"
            f"并在「导入记录」中登记（备份：{result.backup.name}）。请核对后运行 ledger refresh 编号，再用 ledger notices 交办。"
        )


def main() -> None:
    """The console script: ChineseGroup.main turns click's errors into Chinese and exit codes."""
    cli.main(prog_name="ledger")


if __name__ == "__main__":
    main()
