"""`ledger bundle DIR`: the offline install bundle for intranets (SPEC §11)."""

from __future__ import annotations

from pathlib import Path

import click

from ledger_tools.cli.base import CONTEXT, console, err_console, guarded


@click.command("bundle", context_settings=CONTEXT)
@click.argument("out_dir", metavar="文件夹", type=click.Path(path_type=Path))
@guarded
def bundle_cmd(out_dir: Path):
    """在能访问软件包索引的电脑上生成离线安装包（Windows 与信创 Linux 通用）。

    文件夹中会有 wheels（本工具及全部依赖）、安装.bat、install.sh 和 说明.txt，
    整个文件夹拷到内网电脑上即可安装，无需联网。
    """
    from ledger_tools.jobs import bundle

    result = bundle.run(out_dir, progress=lambda message: err_console.print(f"{message}……"))
    console.print(
        f"离线安装包已生成：{result.out_dir}（{len(result.wheels)} 个安装包，"
        f"共 {result.size / 1024 / 1024:.1f} MB）。把整个文件夹拷到内网电脑，"
        "Windows 上双击 安装.bat，Linux 上运行 sh install.sh。"
    )
