"""The `ledger` command: the click group, its commands (one module per area), and ``main``.

No rules and no file handling in the face: each command calls one job and prints its result.
The shared machinery (Chinese click, option parsing, errors → exit codes) is in base.py.
"""

from __future__ import annotations

import click

from ledger_tools.cli import (
    adopt_cmds,
    bundle_cmds,
    document_cmds,
    intake_cmds,
    ledger_cmds,
    minutes_cmds,
    serve_cmds,
)
from ledger_tools.cli.base import CONTEXT, ChineseGroup, safe_console


@click.group("ledger", cls=ChineseGroup, context_settings=CONTEXT)
@click.version_option(
    package_name="ledger_tools", message="ledger %(version)s", help="显示版本并退出。"
)
def cli():
    """市政府常务会议议定事项督查台账工具。

    台账是一个 Excel 工作簿（.xlsx），工作人员照常在 Excel/WPS 中编辑；
    本工具负责校验、计算时限与预警、下发和合并反馈表、生成通报与通知。
    """


for _command in (
    ledger_cmds.init_cmd,
    ledger_cmds.validate_cmd,
    ledger_cmds.refresh_cmd,
    ledger_cmds.demo_cmd,
    intake_cmds.forms_cmd,
    intake_cmds.check_cmd,
    intake_cmds.merge_cmd,
    document_cmds.brief_cmd,
    document_cmds.score_cmd,
    document_cmds.notices_cmd,
    document_cmds.remind_cmd,
    document_cmds.sample_cmd,
    minutes_cmds.minutes_cmd,
    serve_cmds.serve_cmd,
    bundle_cmds.bundle_cmd,
    adopt_cmds.adopt_cmd,
):
    cli.add_command(_command)


def main() -> None:
    """The console script: ChineseGroup.main turns click's errors into Chinese and exit codes.

    The streams are made safe first, so that no Chinese text ends a run on a GBK console.
    """
    safe_console()
    cli.main(prog_name="ledger")


if __name__ == "__main__":
    main()
