"""The ledgers the command-line tests run on: each kind built once per session, used as copies."""

import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.builders import item, make_ledger, sweep_ledger


@pytest.fixture
def ledger(tmp_path):
    return make_ledger(tmp_path / "台账.xlsx", [item()])


@pytest.fixture(scope="session")
def pristine(tmp_path_factory) -> dict[str, Path]:
    """Each kind of ledger built once (building is slow); tests work on copies."""
    folder = tmp_path_factory.mktemp("pristine")
    good = sweep_ledger(folder / "good.xlsx")
    out = {"good": good}
    for kind, change in (
        ("sheet renamed", lambda wb: setattr(wb["台账"], "title", "台账2026")),
        (
            "header deleted",
            lambda wb: setattr(
                next(c for c in wb["台账"][1] if c.value == "主责单位"), "value", None
            ),
        ),
    ):
        wb = openpyxl.load_workbook(good)
        change(wb)
        wb.save(folder / f"{kind}.xlsx")
        out[kind] = folder / f"{kind}.xlsx"
    return out


@pytest.fixture
def fresh_ledger(pristine):
    """A fresh copy of the good ledger (or of ``kind``) at ``path``."""

    def copy(path: Path, kind: str = "good") -> Path:
        shutil.copy(pristine[kind], path)
        return path

    return copy
