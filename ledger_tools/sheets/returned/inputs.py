"""Which files named on the command line (or uploaded into a folder) are returned forms.

A clerk names the folder the returns were saved into; beside them lie Excel's and WPS's owner
files, hidden files and our own 退回- copies from an earlier check, which must not be checked
as returns. A file named explicitly is always checked (and so reported if it is not a form);
the ledger itself never is.
"""

from __future__ import annotations

from pathlib import Path

from ledger_tools.errors import UsageError
from ledger_tools.sheets.forms.layout import ANNOTATED_PREFIX

__all__ = ["FORM_SUFFIXES", "collect_inputs"]

FORM_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_SKIP_PREFIXES = ("~$", ".", ANNOTATED_PREFIX)  # office owner files, hidden files, our copies


def collect_inputs(inputs: list[Path], ledger: Path | None = None) -> list[Path]:
    """Files named, and every form file inside folders named (not their subfolders).

    Office lock files (~$…), hidden files, annotated copies (退回-…) and the ledger itself are
    skipped inside folders; a file named explicitly is always checked.
    """
    own = ledger.resolve() if ledger else None
    out: list[Path] = []
    seen: set[Path] = set()
    for p in map(Path, inputs):
        if not p.exists():
            raise UsageError(f"找不到文件或文件夹：{p}。请检查路径。")
        if p.is_dir():
            found = sorted(
                c
                for c in p.iterdir()
                if c.is_file()
                and c.suffix.lower() in FORM_SUFFIXES
                and not c.name.startswith(_SKIP_PREFIXES)
            )
        elif own is not None and p.resolve() == own:
            raise UsageError(
                f"{p} 是台账本身，不是单位报回的反馈表。请写反馈表文件或所在的文件夹。"
            )
        else:
            found = [p]
        for c in found:
            key = c.resolve()
            if key not in seen and key != own:
                seen.add(key)
                out.append(c)
    if not out:
        names = "、".join(str(p) for p in inputs)
        raise UsageError(f"在 {names} 中没有找到反馈表文件（.xlsx、.xlsm、.xls、.ods）。")
    return out
