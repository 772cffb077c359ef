"""``ledger-workbench``: the double-clickable workbench (a gui-script: no console window).

With a ledger as argument it serves that one; without, it asks with a file dialog, starting
in the folder of the ledger it served last (remembered in a small per-user file). With no
console, what goes wrong is shown in a message box. Some Linux systems ship Python without
tkinter: then the launcher says so (on stderr, and exit 2) and names the command that does
the same from a terminal.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ledger_tools.errors import LedgerError
from ledger_tools.web.server import check_ledger, serve

__all__ = ["config_file", "last_ledger", "main", "remember"]

NO_TK = (
    "本机的 Python 没有安装 tkinter，无法显示选择台账的对话框。请在命令行运行："
    "ledger serve 台账.xlsx（或 ledger-workbench 台账.xlsx）；"
    "在 UOS/麒麟/Debian 上也可先安装 python3-tk。"
)


def config_file() -> Path:
    """Where the last ledger is remembered: %APPDATA% on Windows, XDG_CONFIG_HOME elsewhere."""
    if os.name == "nt" and os.environ.get("APPDATA"):
        base = Path(os.environ["APPDATA"])
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "ledger_tools" / "workbench.json"


def last_ledger() -> Path | None:
    try:
        value = json.loads(config_file().read_text(encoding="utf-8")).get("last_ledger")
    except (OSError, ValueError, AttributeError):
        return None
    return Path(value) if isinstance(value, str) and value else None


def remember(ledger: Path) -> None:
    """Best effort: a launcher that cannot write its note still serves the ledger."""
    target = config_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps({"last_ledger": str(ledger)}, ensure_ascii=False), "utf-8")
        os.replace(tmp, target)
    except OSError:
        pass


def _ask(tk) -> Path | None:
    from tkinter import filedialog

    last = last_ledger()
    root = tk.Tk()
    root.withdraw()
    try:
        chosen = filedialog.askopenfilename(
            title="选择督查台账",
            initialdir=str(last.parent) if last and last.parent.is_dir() else None,
            initialfile=last.name if last else None,
            filetypes=[("Excel 工作簿", "*.xlsx *.xlsm"), ("所有文件", "*.*")],
        )
    finally:
        root.destroy()
    return Path(chosen) if chosen else None


def _show(tk, message: str) -> None:
    if tk is None:
        print(message, file=sys.stderr)
        return
    from tkinter import messagebox

    root = tk.Tk()
    root.withdraw()
    messagebox.showerror("督查台账工作台", message)
    root.destroy()


def _tk():
    try:
        import tkinter

        return tkinter
    except ImportError:
        return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    tk = _tk()
    if args:
        ledger: Path | None = Path(args[0])
    elif tk is None:
        print(NO_TK, file=sys.stderr)
        return 2
    else:
        ledger = _ask(tk)
        if ledger is None:
            return 0  # the clerk closed the dialog
    assert ledger is not None
    try:
        remember(check_ledger(ledger))
        serve(ledger, tell=lambda text: print(text, file=sys.stderr) if sys.stderr else None)
    except LedgerError as e:
        _show(tk, str(e))
        return e.exit_code
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
