"""Documents for people: brief, score, notices, remind, sample.

Each command calls one job and prints its result in Chinese (SPEC §7); app.py adds it to the
`ledger` group.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ledger_tools.cli.base import (
    CONTEXT,
    ChineseCommand,
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
    progress_bar,
    warn_unconfirmed,
)
from ledger_tools.cli.base import written_name as _name
from ledger_tools.cli.grid import print_table


def _optional_date(ctx, param, value: str | None) -> dt.date | None:
    """--as-of whose default depends on the command (a month's or a year's end), not today."""
    return None if value is None else parse_date_option(ctx, param, value)


confidential_option = click.option(
    "--include-confidential",
    is_flag=True,
    help="写入涉密事项的内容（默认只显示「涉密事项」和事项编号）。仅限内部使用。",
)


@click.command("brief", cls=ChineseCommand, context_settings=CONTEXT)
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
@click.option(
    "--update-snapshot",
    is_flag=True,
    help="已结束月份的「月度快照」记录与本次计算不同时，用本次数字改写（默认保留原记录并提示）。",
)
@guarded
def brief_cmd(
    ledger: Path,
    month: str,
    out_dir: Path,
    as_of: dt.date | None,
    include_confidential: bool,
    update_snapshot: bool,
):
    """生成月度通报（Excel 与 Word），并在「月度快照」中记录本月数字（台账只改这一行）。"""
    from ledger_tools.jobs import briefing

    with progress_bar("正在生成通报") as tell:
        result = briefing.run(
            ledger,
            month,
            out_dir,
            as_of,
            include_confidential=include_confidential,
            update_snapshot=update_snapshot,
            progress=tell,
        )
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
    if result.ended_stamped:
        console.print(
            f"[yellow]{len(result.ended_stamped)} 个已终止事项未填终止日期，本次按今天计为终止"
            "（运行 ledger refresh 会把日期填入台账「终止日期」列）。[/]"
        )
    if result.snapshot_kept:
        console.print(
            f"[yellow]注意：[/]台账「月度快照」中 {month} 的记录与本次计算不同："
            f"{'，'.join(result.snapshot_kept)}。已保留原记录；如确需改写，请加 --update-snapshot 重新运行。"
        )
    elif result.snapshot_changed:
        console.print(
            f"已在台账「月度快照」中记录 {month} 的数字（备份：{_name(result.backup)}）。"
        )
    else:
        console.print(f"台账「月度快照」中 {month} 的数字未变，台账未改动。")


@click.command("score", cls=ChineseCommand, context_settings=CONTEXT)
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
    print_table(
        console,
        ("单位", "逾期未落实", "未按时报送", "报送不实", "措施不力", "拟扣分"),
        [
            (s.unit, *(str(n) for n in s.counts.values()), fmt_points(s.total))
            for s in result.scores
        ],
    )
    console.print(
        f"{year} 年度截至 {result.as_of}：{len(result.scores)} 个单位，{len(result.deductions)} 条扣分意见，"
        f"合计 {fmt_points(result.total)} 分。已写入 {result.out}（含每条依据）。"
    )


# --- notices, remind, sample (assignment notices, reminders and spot checks) ----------------


@click.command("notices", cls=ChineseCommand, context_settings=CONTEXT)
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
    if result.day_off:
        console.print(
            f"[yellow]注意：[/]通知日期 {result.date} 不是工作日（{result.day_off}），"
            "通知和台账的交办日期仍按这一天填写。如日期有误，请在台账中改正「交办日期」，或用 --date 指定正确日期。"
        )
    if not result.files:
        console.print(f"「{result.source}」没有可以交办的事项，未生成通知。")
    else:
        print_table(
            console,
            ("主送单位", "文号", "日期", "事项"),
            [
                (f.unit, f.number or "（无文号）", str(f.date), "、".join(f.item_ids))
                for f in result.files
            ],
        )
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


@click.command("remind", cls=ChineseCommand, context_settings=CONTEXT)
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
    rows = [
        (
            u.unit,
            *(str(u.alerts.get(a, 0) or "") for a in reminders.counts(result)),
            u.contact or "",
            u.phone or "",
        )
        for u in result.units
    ]
    print_table(console, ("单位", *labels, "联系人", "联系电话"), rows)
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


@click.command("sample", cls=ChineseCommand, context_settings=CONTEXT)
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
