"""Commands on the ledger itself: init, validate, refresh, and the demo.

Each command calls one job and prints its result in Chinese (SPEC §7); app.py adds it to the
`ledger` group.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.markup import escape

from ledger_tools.cli.base import (
    CONTEXT,
    EXIT_OK,
    EXIT_REJECTED,
    ChineseCommand,
    as_of_option,
    console,
    guarded,
    ledger_argument,
    print_findings,
    warn_unconfirmed,
)
from ledger_tools.cli.base import written_name as _name
from ledger_tools.sheets.ledger import advisories


@click.command("init", cls=ChineseCommand, context_settings=CONTEXT)
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


@click.command("validate", cls=ChineseCommand, context_settings=CONTEXT)
@ledger_argument
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出问题清单。")
@guarded
def validate_cmd(ledger: Path, as_json: bool):
    """检查台账本身的问题（只读，不修改台账）。"""
    from ledger_tools.jobs import validate

    with advisories.collecting(lambda finding: None):  # validate lists them all itself
        result = validate.run(ledger)
    if not as_json:
        console.print(f"台账 {ledger.name}：共 {result.items} 个事项。")
    print_findings(result.findings, as_json=as_json)
    return EXIT_REJECTED if result.errors else EXIT_OK


@click.command("refresh", cls=ChineseCommand, context_settings=CONTEXT)
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
    if stats.ended_stamped:
        console.print(
            f"[yellow]{len(stats.ended_stamped)} 个已终止事项未填终止日期，已按 {as_of} 填入"
            f"（{'、'.join(stats.ended_stamped[:10])}{'……' if len(stats.ended_stamped) > 10 else ''}）。"
            "如终止日期不对，请在台账「终止日期」列改正。[/]"
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


@click.command("demo", cls=ChineseCommand, context_settings=CONTEXT)
@click.argument("directory", metavar="文件夹", type=click.Path(path_type=Path))
@guarded
def demo_cmd(directory: Path):
    """在一个新文件夹中生成示例台账，并演示一个月的完整流程。"""
    from ledger_tools.demo import run as demo

    demo.run(directory, console)
