"""Finding the templates (Jinja2 text and .docx) that staff may edit.

The bundled templates live in the package; a folder named 模板 beside the ledger overrides any
of them by file name, so staff can restyle a notice in Word without touching the installation.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ledger_tools.errors import UsageError

__all__ = ["OVERRIDE_DIR", "template_path", "bundled_template"]

OVERRIDE_DIR = "模板"


def bundled_template(name: str) -> Path:
    path = Path(str(resources.files("ledger_tools.templates") / name))
    if not path.exists():
        raise UsageError(f"找不到模板 {name}。请重新安装 ledger_tools。")
    return path


def template_path(name: str, ledger: Path | None = None) -> Path:
    """The staff's copy in 模板/ beside the ledger if there is one, else the bundled one."""
    if ledger is not None:
        own = Path(ledger).parent / OVERRIDE_DIR / name
        if own.is_file():
            return own
    return bundled_template(name)
