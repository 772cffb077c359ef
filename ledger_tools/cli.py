"""The `ledger` command: arguments in, Chinese text and exit codes out (SPEC §7).

No rules and no file handling here: each command calls one job and prints its result. Every
error type of ledger_tools.errors maps to its exit code; nothing a user does ends in a traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ledger_tools.core.findings import Finding, Severity
from ledger_tools.errors import LedgerError

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_BUSY, EXIT_LOSS = 0, 1, 2, 3, 4
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# --- Chinese face for click's own words ------------------------------------------------------


class ChineseHelpFormatter(click.HelpFormatter):
    HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        super().write_heading(self.HEADINGS.get(heading, heading))


click.Context.formatter_class = ChineseHelpFormatter


def _chinese_help_option(self, ctx):
    option = click.Command.get_help_option(self, ctx)
    if option is not None:
        option.help = "显示本帮助并退出。"
    return option


class ChineseCommand(click.Command):
    get_help_option = _chinese_help_option


class ChineseGroup(click.Group):
    command_class = ChineseCommand
    get_help_option = _chinese_help_option


_CLICK_MESSAGES = (
    (re.compile(r"Missing argument '(.+?)'\."), r"缺少参数 \1。"),
    (re.compile(r"Missing option '(.+?)'\."), r"缺少选项 \1。"),
    (re.compile(r"No such option: (\S+)"), r"没有这个选项：\1"),
    (re.compile(r"No such command '(.+?)'\."), r"没有这个命令：\1。可用 ledger -h 查看全部命令。"),
    (re.compile(r"Got unexpected extra arguments? \((.+?)\)"), r"多余的参数：\1"),
    (re.compile(r"Option '(.+?)' requires an argument\."), r"选项 \1 需要一个值。"),
    (re.compile(r"Invalid value for '(.+?)': "), r"参数 \1 的值无效："),
    (re.compile(r"'(.+?)' is not a valid integer\."), r"「\1」不是整数。"),
)


def _chinese(message: str) -> str:
    for pattern, replacement in _CLICK_MESSAGES:
        message = pattern.sub(replacement, message)
    return message


# --- shared pieces -------------------------------------------------------------------------


def parse_date_option(ctx, param, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"「{value}」不是有效日期，请写成 YYYY-MM-DD，例如 2026-03-05。") from None


def parse_month_option(ctx, param, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m").strftime("%Y-%m")
    except ValueError:
        raise click.BadParameter(f"「{value}」不是有效月份，请写成 YYYY-MM，例如 2026-03。") from None


as_of_option = click.option(
    "--as-of", "as_of", callback=parse_date_option, metavar="YYYY-MM-DD",
    help="按哪一天计算（默认今天）。",
)
ledger_argument = click.argument("ledger", type=click.Path(path_type=Path))


def guarded(fn):
    """Map our errors to exit codes with a Chinese message; hide tracebacks of internal bugs."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            code = fn(*args, **kwargs)
        except LedgerError as e:
            err_console.print(f"[bold red]错误：[/]{e}")
            sys.exit(e.exit_code)
        except KeyboardInterrupt:
            err_console.print("已中断，台账未被修改。")
            sys.exit(130)
        except click.exceptions.Exit:
            raise
        except Exception as e:  # a bug of ours, not the user's: say so plainly
            if os.environ.get("LEDGER_DEBUG"):
                raise
            err_console.print(
                f"[bold red]程序内部错误[/]（{type(e).__name__}: {e}）。台账未被修改。"
                "请将本信息和所用文件发给维护人员；设置环境变量 LEDGER_DEBUG=1 可看到详细信息。"
            )
            sys.exit(EXIT_REJECTED)
        sys.exit(code or EXIT_OK)

    return wrapper


def print_findings(findings: list[Finding], *, as_json: bool = False, limit: int = 200) -> None:
    if as_json:
        click.echo(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2, default=str))
        return
    if not findings:
        console.print("[green]未发现问题。[/]")
        return
    table = Table(show_lines=False, header_style="bold")
    for h in ("级别", "代码", "文件", "工作表", "单元格", "事项编号", "说明"):
        table.add_column(h, overflow="fold")
    colour = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
    for f in findings[:limit]:
        table.add_row(f"[{colour[f.severity]}]{f.severity.label}[/]", f.code, f.file or "", f.sheet or "",
                      f.cell or "", f.item or "", f.message)
    console.print(table)
    if len(findings) > limit:
        console.print(f"……另有 {len(findings) - limit} 条未显示，可用 --json 或 --report 查看全部。")
    errors = sum(f.is_error for f in findings)
    console.print(f"共 {len(findings)} 条：错误 {errors} 条，其他 {len(findings) - errors} 条。")


def warn_unconfirmed(years) -> None:
    for y in years:
        err_console.print(
            f"[yellow]注意：[/]{y} 年的节假日调休安排尚未确认（调休安排未确认），按周末与固定节日计算；"
            "如已公布，请在「工作日历」中登记。"
        )


# --- commands ------------------------------------------------------------------------------


@click.group(cls=ChineseGroup, context_settings=CONTEXT)
@click.version_option(package_name="ledger_tools", message="ledger %(version)s", help="显示版本并退出。")
def cli():
    """市政府常务会议议定事项督查台账工具。

    台账是一个 Excel 工作簿（.xlsx），工作人员照常在 Excel/WPS 中编辑；
    本工具负责校验、计算时限与预警、下发和合并反馈表、生成通报与通知。
    """


@cli.command("init", context_settings=CONTEXT)
@ledger_argument
@click.option("--units", "units_file", type=click.Path(path_type=Path), help="单位名单（xlsx/xls/ods/csv，表头同「单位」表）。")
@guarded
def init_cmd(ledger: Path, units_file: Path | None):
    """新建一个空台账 LEDGER（已存在则拒绝）。"""
    from ledger_tools.jobs import init

    result = init.run(ledger, units_file)
    console.print(f"已创建台账 {result.path}（登记单位 {result.units} 个）。请在 Excel 中打开「台账」工作表录入事项。")


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
        console.print(f"新编号 {len(stats.ids_assigned)} 个：{'、'.join(stats.ids_assigned[:10])}"
                      + ("……" if len(stats.ids_assigned) > 10 else ""))
    errors = [f for f in stats.problems if f.is_error]
    if errors:
        console.print(f"[yellow]台账中有 {len(errors)} 处问题（如无法识别的日期），相关事项按可读部分计算。"
                      "运行 ledger validate 查看详情。[/]")
    if stats.saved:
        console.print(f"已按 {as_of} 重算 {stats.items} 个事项，更新 {stats.cells_changed} 个单元格（备份：{stats.backup.name}）。")
    else:
        console.print(f"已按 {as_of} 重算 {stats.items} 个事项，没有需要更新的内容，台账未改动。")


@cli.command("demo", context_settings=CONTEXT)
@click.argument("directory", type=click.Path(path_type=Path))
@guarded
def demo_cmd(directory: Path):
    """在 DIRECTORY 中生成示例台账并演示一个月的完整流程。"""
    from ledger_tools.jobs import demo

    demo.run(directory, console)


def main() -> None:
    try:
        cli.main(prog_name="ledger", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as e:
        click.echo(e.ctx.get_help())
        sys.exit(EXIT_OK)
    except click.UsageError as e:
        hint = f"\n{e.ctx.get_usage()}\n可用 -h 查看说明。" if e.ctx else ""
        err_console.print(f"[bold red]用法错误：[/]{_chinese(e.format_message())}{hint}")
        sys.exit(EXIT_USAGE)
    except click.ClickException as e:
        err_console.print(f"[bold red]错误：[/]{_chinese(e.format_message())}")
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        err_console.print("已取消。")
        sys.exit(130)


if __name__ == "__main__":
    main()
