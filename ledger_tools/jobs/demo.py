"""ledger demo: the monthly cycle on the bundled sample ledger, in a folder of its own."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ledger_tools.errors import UsageError
from ledger_tools.jobs import refresh, validate
from ledger_tools.sample_ledger import REFERENCE_DATE, build_sample
from ledger_tools.sheets.ledger_data import read_ledger
from ledger_tools.sheets.ledger_file import LedgerFile

MARKER = ".ledger-demo"
LEDGER_NAME = "督查台账-示例.xlsx"


def prepare(directory: Path) -> Path:
    """An empty demo folder; a previous demo's folder is cleared, anything else is refused."""
    directory = Path(directory)
    if directory.exists():
        if not directory.is_dir():
            raise UsageError(f"{directory} 不是文件夹。")
        if any(directory.iterdir()):
            if not (directory / MARKER).exists():
                raise UsageError(f"文件夹 {directory} 不是空的，为避免误删文件，演示不会使用它。请换一个新文件夹名。")
            shutil.rmtree(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / MARKER).write_text("ledger demo output\n", encoding="utf-8")
    return directory


def run(directory: Path, console: Console) -> Path:
    directory = prepare(directory)
    ledger = directory / LEDGER_NAME
    as_of = REFERENCE_DATE
    console.rule("[bold]ledger 演示：一个月的督查流程")
    build_sample(ledger, REFERENCE_DATE)
    console.print(f"1. 已生成示例台账：{ledger}（参考日期 {as_of}）")

    result = validate.run(ledger)
    codes = Counter(f.code for f in result.findings)
    console.print(f"2. 校验台账：{result.items} 个事项，发现问题 {len(result.findings)} 条"
                  + (f"（{'、'.join(f'{c}×{n}' for c, n in sorted(codes.items()))}）" if codes else ""))

    stats = refresh.run(ledger, as_of)
    console.print(f"3. 按 {as_of} 重算：新编号 {len(stats.ids_assigned)} 个，更新 {stats.cells_changed} 个单元格。")

    with LedgerFile(ledger) as lf:
        data = read_ledger(lf)
    _summary(console, data)
    console.print(f"\n演示完成。可用 Excel/WPS 打开 {ledger} 查看「台账」中的督办预警着色。")
    return ledger


def _summary(console: Console, data) -> None:
    status = Counter(i.status.value if i.status else "（空）" for i in data.items)
    alert = Counter(i.alert.value if i.alert else "（空）" for i in data.items)
    t = Table(title="办理状态与督办预警", header_style="bold")
    t.add_column("办理状态")
    t.add_column("件数", justify="right")
    t.add_column("督办预警")
    t.add_column("件数", justify="right")
    left, right = sorted(status.items()), sorted(alert.items())
    for k in range(max(len(left), len(right))):
        a = left[k] if k < len(left) else ("", "")
        b = right[k] if k < len(right) else ("", "")
        t.add_row(a[0], str(a[1]), b[0], str(b[1]))
    console.print(t)
