"""ledger init: a new, empty ledger laid out as SPEC §2."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ledger_tools.errors import UsageError
from ledger_tools.sheets.ledger_new import new_ledger
from ledger_tools.sheets.units_import import read_units


@dataclass
class InitResult:
    path: Path
    ledger_id: str
    units: int


def run(path: Path, units_file: Path | None = None) -> InitResult:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"台账文件名应以 .xlsx 结尾：{path.name}")
    if path.exists():
        raise UsageError(f"{path} 已存在，为避免覆盖已有台账，init 不会改写它。请换一个文件名。")
    if not path.parent.exists():
        raise UsageError(f"文件夹不存在：{path.parent}")
    units = read_units(Path(units_file)) if units_file else []
    try:
        ledger_id = new_ledger(path, units)
    except FileExistsError:
        raise UsageError(f"{path} 已存在，init 不会改写它。") from None
    return InitResult(path, ledger_id, len(units))
