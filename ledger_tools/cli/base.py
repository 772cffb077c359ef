"""What every `ledger` command shares: the console, option parsing, and the mapping of every
error to a Chinese message and an exit code (SPEC §7). click's own words: click_text.py.

The console never crashes on a character it cannot show: a Chinese Windows console or a
redirected stdout encodes in GBK (cp936), so ``safe_console`` makes both streams replace what
GBK lacks, and our own text keeps to GBK (rich draws its tables in ASCII on a non-UTF stream).

Kept apart from cli.py so that the commands read as a list: arguments in, one job, its result
printed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import re
import sys
import traceback
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ledger_tools.cli.click_text import ChineseCommand, chinese_help_option, tidy
from ledger_tools.cli.grid import print_table
from ledger_tools.core import dates
from ledger_tools.core.findings import Finding, Severity
from ledger_tools.errors import LedgerError, os_reason
from ledger_tools.sheets.files import long_path_warnings
from ledger_tools.sheets.ledger import advisories

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_BUSY, EXIT_LOSS = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def safe_console() -> None:
    """Make stdout and stderr replace what their encoding lacks instead of raising
    UnicodeEncodeError (cp936 on a Chinese Windows, whatever a pipe or a file was given)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a closed or detached stream: nothing to print to
                pass


class ChineseGroup(click.Group):
    """The ``ledger`` group: Chinese usage, and click's own errors as Chinese text with exit codes.

    The error handling lives in ``main`` (not only in the console-script function) so that
    ``CliRunner`` in the tests sees exactly what a clerk sees.
    """

    command_class = ChineseCommand
    get_help_option = chinese_help_option

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as e:
            click.echo(e.ctx.get_help())
            sys.exit(EXIT_OK)
        except click.UsageError as e:
            hint = f"\n{e.ctx.get_usage()}\n可用 -h 查看说明。" if e.ctx else ""
            err_console.print(f"[bold red]用法错误：[/]{escape(tidy(e.format_message()) + hint)}")
            sys.exit(EXIT_USAGE)
        except click.ClickException as e:
            err_console.print(f"[bold red]错误：[/]{escape(tidy(e.format_message()))}")
            sys.exit(e.exit_code)
        except click.exceptions.Abort:
            err_console.print("已取消。")
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else EXIT_OK)


# --- shared pieces -------------------------------------------------------------------------


YEARS = (2000, 2100)  # dates and years outside are typing mistakes (0206, 2206), not plans
_INT = re.compile(r"[+-]?\d+")


def _ascii(value: str) -> str:
    """Full-width digits and punctuation typed with a Chinese input method, as ASCII."""
    return unicodedata.normalize("NFKC", value).strip()


def _in_years(year: int, value: str) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        raise click.BadParameter(
            f"「{value}」的年份不在 {YEARS[0]}–{YEARS[1]} 年之间，请检查是否输错。"
        )


def parse_date_option(ctx, param, value: str | None) -> dt.date:
    """YYYY-MM-DD; 2026/3/5, 2026.3.5, 2026年3月5日 and full-width digits (``core.dates``, strict)."""
    if value is None:
        return dt.date.today()
    try:
        day = dates.parse_date(value, strict=True)
    except dates.UnreadableDate:
        day = None
    if day is None:
        raise click.BadParameter(f"「{value}」不是有效日期，请写成 YYYY-MM-DD，例如 2026-03-05。")
    _in_years(day.year, value)
    return day


def parse_month_option(ctx, param, value: str | None) -> str | None:
    """YYYY-MM; 2026/3, 2026.3, 2026年3月 and full-width digits (``core.dates``, strict)."""
    if value is None:
        return None
    try:
        month = dates.parse_month(value, strict=True)
    except dates.UnreadableDate:
        month = None
    if month is None:
        raise click.BadParameter(f"「{value}」不是有效月份，请写成 YYYY-MM，例如 2026-03。")
    _in_years(month[0], value)
    return f"{month[0]:04d}-{month[1]:02d}"


def parse_year_option(ctx, param, value: str | None) -> int | None:
    if value is None:
        return None
    text = _ascii(value).removesuffix("年")
    if not re.fullmatch(r"\d{4}", text):
        raise click.BadParameter(f"「{value}」不是有效年度，请写四位年份，例如 2026。")
    _in_years(int(text), value)
    return int(text)


def _integer(value: str, what: str, example: str) -> int:
    text = _ascii(value)
    if not _INT.fullmatch(text):
        raise click.BadParameter(f"「{value}」不是整数。{what}，例如 {example}。")
    return int(text)


def parse_count_option(ctx, param, value: str | None) -> int | None:
    if value is None:
        return None
    n = _integer(value, "须为正整数", "5")
    if n < 1:
        raise click.BadParameter(f"「{value}」不是正整数。须至少为 1，例如 5。")
    return n


def parse_seed_option(ctx, param, value: str | None) -> int | None:
    return None if value is None else _integer(value, "随机种子须为整数", "2026")


def parse_text_option(ctx, param, value: str | None) -> str | None:
    """Text an option cannot do without: blanks are a mistake, not a wildcard."""
    if value is None:
        return None
    if not value.strip():
        raise click.BadParameter("不能为空。")
    return value.strip()


as_of_option = click.option(
    "--as-of",
    "as_of",
    callback=parse_date_option,
    metavar="YYYY-MM-DD",
    help="按哪一天计算（默认今天）。",
)
ledger_argument = click.argument("ledger", metavar="台账文件", type=click.Path(path_type=Path))


def _os_error_message(e: OSError) -> str:
    """A file the system refused us (read-only, full disk, share gone) named in Chinese.

    Our own temporary files (``.name.xxxx.tmp.xlsx``, ``.~…``) mean nothing to the user: the
    folder they were to be written in is what to check.
    """
    names = [Path(str(n)) for n in (e.filename2, e.filename) if n]
    shown = []
    for name in names:
        hidden = name.name.startswith((".~", ".")) and (
            ".tmp" in name.name or name.name.startswith(".~")
        )
        shown.append(f"文件夹 {name.parent}" if hidden else str(name))
    where = shown[0] if shown else "文件"
    reason = os_reason(e)
    return (
        f"无法读写 {where}（{reason}）。请检查该文件或文件夹是否只读、是否正在被其他程序打开，"
        "以及磁盘空间和权限，然后重新运行。"
    )


def _quiet_stdout() -> None:
    """The reader of our output went away (``ledger validate 台账.xlsx | head``): stop quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _warn_long_path(message: str) -> None:
    err_console.print(f"[yellow]注意：[/]{escape(message)}")


def bug_id(e: BaseException) -> str:
    """A short code for one of our bugs: the same failure at the same line gives the same code,
    so maintainers can tell reports apart, while the clerk sees no exception name or English
    text (LEDGER_DEBUG=1 shows the traceback)."""
    frames = traceback.extract_tb(e.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    key = f"{type(e).__module__}.{type(e).__qualname__}@{where}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:6].upper()


def _print_advisories(findings: list[Finding]) -> bool:
    """The ledger's shape findings a command came across (``advisories``), each once; True
    when one of them is an error."""
    seen: set[tuple] = set()
    errors = False
    for f in findings:
        key = (f.code, f.sheet, f.cell, f.message)
        if key in seen:
            continue
        seen.add(key)
        errors = errors or f.is_error
        label = "[bold red]错误：[/]" if f.is_error else "[yellow]注意：[/]"
        where = " ".join(x for x in (f.sheet, f.cell) if x)
        err_console.print(f"{label}{escape(f'（{f.code}）{where}：{f.message}')}")
    return errors


def guarded(fn):
    """Map our errors to exit codes with a Chinese message; hide tracebacks of internal bugs.

    The ledger is saved in one atomic step, so whatever stops a command (an error, Ctrl-C) leaves
    it either as it was or completely saved: the messages say no more than that.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        shown: list[Finding] = []
        try:
            with long_path_warnings(_warn_long_path), advisories.collecting(shown.append):
                code = fn(*args, **kwargs)
            if _print_advisories(shown) and not code:
                code = EXIT_REJECTED  # a write left undone (L315): the clerk must act
        except LedgerError as e:
            _print_advisories(shown)
            err_console.print(f"[bold red]错误：[/]{escape(str(e))}")
            sys.exit(e.exit_code)
        except KeyboardInterrupt:
            err_console.print(
                "已中断（Ctrl-C）。台账要么保持原样，要么已完整保存，不会损坏；"
                "输出文件可能只生成了一部分，请重新运行本命令。"
            )
            sys.exit(EXIT_INTERRUPTED)
        except click.exceptions.Exit:
            raise
        except BrokenPipeError:
            _quiet_stdout()
            sys.exit(EXIT_REJECTED)
        except OSError as e:  # the system refused a file: read-only, disk full, share gone ...
            if os.environ.get("LEDGER_DEBUG"):
                raise
            err_console.print(f"[bold red]错误：[/]{escape(_os_error_message(e))}")
            sys.exit(EXIT_USAGE)
        except Exception as e:  # a bug of ours, not the user's: say so plainly
            if os.environ.get("LEDGER_DEBUG"):
                raise
            err_console.print(
                f"[bold red]程序内部错误[/]（编号 {bug_id(e)}）。台账的保存是一次完成的，不会因此损坏。"
                "请将本信息和所用文件发给维护人员；设置环境变量 LEDGER_DEBUG=1 可看到详细信息。"
            )
            sys.exit(EXIT_REJECTED)
        sys.exit(code or EXIT_OK)

    return wrapper


def print_findings(findings: list[Finding], *, as_json: bool = False, limit: int = 200) -> None:
    if as_json:
        click.echo(
            json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2, default=str)
        )
        return
    if not findings:
        console.print("[green]未发现问题。[/]")
        return
    colour = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
    print_table(
        console,
        ("级别", "代码", "文件", "工作表", "单元格", "事项编号", "说明"),
        [
            (
                (f.severity.label, colour[f.severity]),
                f.code,
                f.file or "",
                f.sheet or "",
                f.cell or "",
                f.item or "",
                f.message,
            )
            for f in findings[:limit]
        ],
    )
    if len(findings) > limit:
        console.print(
            f"……另有 {len(findings) - limit} 条未显示，可用 --json 或 --report 查看全部。"
        )
    errors = sum(f.is_error for f in findings)
    console.print(f"共 {len(findings)} 条：错误 {errors} 条，其他 {len(findings) - errors} 条。")


def warn_unconfirmed(years) -> None:
    for y in years:
        err_console.print(
            f"[yellow]注意：[/]{y} 年的节假日调休安排尚未确认（调休安排未确认），按周末与固定节日计算；"
            "如已公布，请在「工作日历」中登记该年的放假日和调休上班日，"
            "并在「设置」的「已确认调休年份」中填写该年份。"
        )


def written_name(path: Path | None) -> str:
    """The name of a file a job wrote (the ledger's backup, a checklist) for the message that
    says so. Results keep such fields optional for the runs that wrote nothing; the message is
    only printed when the file was written."""
    assert path is not None
    return path.name


@contextlib.contextmanager
def progress_bar(label: str, *, above: int = 0) -> Iterator[Callable[[int, int, str], None]]:
    """A job's ``progress(done, total, what)`` callback drawn as a rich bar (jobs never print).

    The bar appears only once there are more than ``above`` steps (a check of two files needs
    none), and vanishes when the work is done, leaving the command's own summary.
    """
    bar: Progress | None = None
    task = None

    def tell(done: int, total: int, what: str) -> None:
        nonlocal bar, task
        if total <= above:
            return
        if bar is None:
            bar = Progress(
                TextColumn(label),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                console=console,
                transient=True,
            )
            task = bar.add_task("", total=total)
            bar.start()
        assert task is not None
        bar.update(task, completed=done, description=escape(what))

    try:
        yield tell
    finally:
        if bar is not None:
            bar.stop()
