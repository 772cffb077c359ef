"""ledger init: a new, empty ledger laid out as SPEC §2."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ledger_tools.errors import UsageError
from ledger_tools.sheets.ledger.new import new_ledger
from ledger_tools.sheets.ledger.units_file import read_units


@dataclass
class InitResult:
    path: Path
    ledger_id: str
    units: int
    notes: list[str] = field(default_factory=list)  # what of the unit list was left out, and why


def run(path: Path, units_file: Path | None = None) -> InitResult:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(
            f"台账文件名应以 .xlsx 结尾：{path.name}。例如 ledger init {path.with_suffix('.xlsx').name}。"
        )
    if path.exists():
        raise UsageError(f"{path} 已存在，为避免覆盖已有台账，init 不会改写它。请换一个文件名。")
    if not path.parent.is_dir():
        raise UsageError(f"文件夹不存在：{path.parent}。请先建好该文件夹，或检查路径。")
    notes: list[str] = []
    units = read_units(Path(units_file), notes) if units_file else []
    # new_ledger refuses a file that appeared meanwhile, and the system's refusals, in Chinese
    ledger_id = new_ledger(path, units)
    return InitResult(path, ledger_id, len(units), notes)
