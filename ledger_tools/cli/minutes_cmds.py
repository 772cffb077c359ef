"""Items in from a 会议纪要: minutes.

Each command calls one job and prints its result in Chinese (SPEC §7); app.py adds it to the
`ledger` group.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from ledger_tools.cli.base import (
    CONTEXT,
    ChineseCommand,
    console,
    guarded,
    ledger_argument,
    warn_unconfirmed,
    written_name,
)
from ledger_tools.cli.grid import print_table

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


@click.command("minutes", cls=ChineseCommand, context_settings=CONTEXT)
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
        unclear = ("（时限不明）", "red")
        print_table(
            console,
            ("序号", "议定事项", "主责单位", "协办单位", "责任领导", "完成时限", "事项类型"),
            [
                (
                    str(p.number),
                    p.matter[:20],
                    p.lead_unit or ("（待核对）", "red"),
                    "、".join(p.co_units),
                    p.leader or "",
                    str(p.deadline) if p.deadline else "" if p.kind.value == "长期" else unclear,
                    p.kind.value,
                )
                for p in r.proposals
            ],
        )
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
            f"并在「导入记录」中登记（备份：{written_name(result.backup)}）。请核对后运行 ledger refresh 编号，再用 ledger notices 交办。"
        )
