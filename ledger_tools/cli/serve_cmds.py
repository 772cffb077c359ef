"""The workbench: serve.

``ledger serve`` starts the browser face (ledger_tools.web) on this computer. It is the one
command that reaches into the other face: cli → web, never web → cli (the import contract in
pyproject.toml holds the arrow); everything else the page does goes through the jobs.
"""

from __future__ import annotations

from pathlib import Path

import click

from ledger_tools.cli.base import CONTEXT, ChineseCommand, console, guarded, ledger_argument


def _port(ctx, param, value: str | None) -> int | None:
    if value is None:
        return None
    text = value.strip()
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise click.BadParameter(f"「{value}」不是有效端口，请写 1–65535 之间的整数，例如 8765。")
    return int(text)


@click.command("serve", cls=ChineseCommand, context_settings=CONTEXT)
@ledger_argument
@click.option(
    "--port", callback=_port, metavar="端口", help="监听的端口（默认自动选一个空闲端口）。"
)
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器，只显示地址。")
@guarded
def serve_cmd(ledger: Path, port: int | None, no_browser: bool):
    """在本机启动督查台账工作台（浏览器页面），按 Ctrl-C 停止。"""
    from ledger_tools.web.server import serve

    try:
        serve(ledger, port, open_browser=not no_browser, tell=console.print)
    except KeyboardInterrupt:
        console.print("工作台已停止。")
