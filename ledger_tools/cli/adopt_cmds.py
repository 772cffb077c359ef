"""Adopting an office's existing ledger: adopt (SPEC §12).

The command calls the adopt job, then (when NEW was made) refresh and validate on NEW, and
prints what each did in Chinese; app.py adds it to the `ledger` group.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
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
    print_findings,
    warn_unconfirmed,
)
from ledger_tools.cli.grid import print_table

_SHOWN = 20  # problems listed on the terminal; the preview workbook has them all


@click.command("adopt", cls=ChineseCommand, context_settings=CONTEXT)
@click.argument("old", metavar="原台账", type=click.Path(path_type=Path))
@click.argument("new", metavar="新台账.xlsx", type=click.Path(path_type=Path))
@click.option(
    "--map",
    "map_file",
    metavar="文件",
    type=click.Path(path_type=Path),
    help="表头对照表（两列：原表头 · 台账表头），覆盖自动识别的对应关系。",
)
@click.option(
    "--preview",
    "preview",
    metavar="文件.xlsx",
    type=click.Path(path_type=Path),
    help="只生成预览工作簿（列对照、导入预览、无法识别的值），不创建新台账。",
)
@click.option(
    "--units",
    "units_file",
    metavar="文件",
    type=click.Path(path_type=Path),
    help="本单位的单位名单（表头同「单位」表），按名称和别名合并单位。",
)
@as_of_option
@guarded
def adopt_cmd(
    old: Path,
    new: Path,
    map_file: Path | None,
    preview: Path | None,
    units_file: Path | None,
    as_of: dt.date,
):
    """把现有的督查台账（xlsx/xls/ods，自己的表头）导入为新台账（原台账不改动）。"""
    from ledger_tools.jobs import adopt

    result = adopt.run(old, new, map_file=map_file, preview=preview, units_file=units_file)
    for note in result.notes:
        console.print(f"[yellow]注意：[/]{escape(note)}")
    _print_mapping(result)
    skipped = Counter(s.reason for s in result.skipped)
    if skipped:
        console.print(
            "跳过的行："
            + "、".join(f"{reason} {n} 行" for reason, n in skipped.items())
            + "（行号见预览工作簿的「跳过的行」）。"
        )
    problems = result.problems
    for p in problems[:_SHOWN]:
        console.print(
            f"[yellow]需核对：[/]{escape(p.sheet)} {p.cell} {p.header}「{escape(p.raw)}」：{p.reason}"
        )
    if len(problems) > _SHOWN:
        console.print(f"……共 {len(problems)} 处需核对，全部列在 --preview 生成的「无法识别」表中。")
    if result.preview is not None:
        console.print(
            f"预览已写入 {result.preview}：可导入事项 {len(result.items)} 个。未创建新台账，原台账未改动。"
            "核对无误后去掉 --preview 重新运行。"
        )
        return EXIT_OK
    console.print(
        f"已创建新台账 {result.new}：导入事项 {len(result.items)} 个，单位 {len(result.units)} 个，"
        f"保留自定义列 {len(result.custom)} 列；原台账 {result.old.name} 未改动。"
    )
    from ledger_tools.jobs import refresh, validate

    stats = refresh.run(result.new, as_of)
    warn_unconfirmed(stats.unconfirmed_years)
    console.print(f"已按 {as_of} 重算，新编号 {len(stats.ids_assigned)} 个。")
    checked = validate.run(result.new)
    print_findings(checked.findings)
    if checked.errors:
        console.print(
            f"[yellow]新台账中有 {checked.errors} 处需要补填或更正（多为原台账中留空或无法识别的值），"
            "请在「台账」中补齐后运行 ledger validate。[/]"
        )
        return EXIT_REJECTED
    return EXIT_OK


def _print_mapping(result) -> None:
    rows: list[tuple[str, ...]] = []
    for p in result.plans:
        if p.header_row is None:
            rows.append((p.name, "", "", "", p.note))
        rows.extend((p.name, str(p.header_row), c.header, c.lands_as, c.how) for c in p.columns)
    print_table(console, ("工作表", "表头所在行", "原表头", "台账表头", "依据"), rows)
