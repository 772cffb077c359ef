"""Forms out and back: forms, check, merge.

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
    parse_month_option,
    print_findings,
    progress_bar,
    warn_unconfirmed,
)
from ledger_tools.cli.base import written_name as _name
from ledger_tools.cli.grid import print_table


@click.command("forms", cls=ChineseCommand, context_settings=CONTEXT)
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
        print_table(
            console,
            ("填报单位", "事项数", "其中涉密", "协办事项"),
            [
                (f.unit, str(f.items), str(f.confidential or ""), str(f.co_items or ""))
                for f in result.files
            ],
            right={1, 2, 3},
        )
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
    rows = []
    for o in result.files:
        colour = "green" if o.result in ("已合并", "可合并") else "red" if o.has_errors else "cyan"
        rows.append(
            (
                o.name,
                o.unit or "",
                o.period or "",
                (o.result, colour),
                str(o.reports),
                str(o.problems),
            )
        )
    print_table(console, ("文件", "报送单位", "报送期次", "结果", "事项数", "问题数"), rows)
    print_findings(result.findings)
    if result.report_path:
        console.print(f"问题清单已写入 {result.report_path}。")
    if result.annotated:
        console.print(
            f"已为 {len(result.annotated)} 个需退回的文件生成标注副本（退回-…），保存在 {result.annotated[0].parent}。"
        )


PROGRESS_ABOVE = 3  # a check or merge of more files than this shows a progress bar

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


report_option = click.option(
    "--report",
    "report_file",
    type=click.Path(path_type=Path),
    metavar="文件.xlsx",
    help="把问题清单写入该 Excel 工作簿。",
)


@click.command("check", cls=ChineseCommand, context_settings=CONTEXT)
@ledger_argument
@form_inputs_argument
@as_of_option
@json_option
@report_option
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

    with progress_bar("正在检查", above=PROGRESS_ABOVE) as tell:
        result = intake.check(
            ledger, list(inputs), as_of, report=report_file, annotate=annotate_dir, progress=tell
        )
    _print_intake(result, as_json)
    if not as_json:
        console.print(
            f"共检查 {len(result.files)} 个文件：可合并 {result.count(intake.CAN_MERGE)} 个，"
            f"需退回 {result.count(intake.MUST_RETURN)} 个，重复跳过 {result.count(intake.DUPLICATE)} 个。"
        )
    return result.exit_code


@click.command("merge", cls=ChineseCommand, context_settings=CONTEXT)
@ledger_argument
@form_inputs_argument
@as_of_option
@json_option
@click.option(
    "--partial", is_flag=True, help="有错误的文件也合并其中无误的事项，只退回有错误的行。"
)
@report_option
@annotate_option
@guarded
def merge_cmd(
    ledger: Path,
    inputs: tuple[Path, ...],
    as_of: dt.date,
    as_json: bool,
    partial: bool,
    report_file: Path | None,
    annotate_dir: Path | None,
):
    """检查并把无误的反馈表合并进台账，再按 --as-of 重算（一次保存）。"""
    from ledger_tools.jobs import intake

    with progress_bar("正在检查", above=PROGRESS_ABOVE) as tell:
        result = intake.merge(
            ledger,
            list(inputs),
            as_of,
            partial=partial,
            report=report_file,
            annotate=annotate_dir,
            progress=tell,
        )
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
