"""A new ledger: SPEC §2's sheets and headers, drop-downs, a secret key, never over a file."""

import datetime as dt
import os
import stat

import openpyxl
import pytest

from ledger_tools.core import model as m
from ledger_tools.errors import UsageError
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.new import new_ledger
from tests.builders import UNITS, item, make_ledger


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.posix_only  # file modes are POSIX
@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_ledger_gets_the_mode_of_any_new_file(tmp_path, umask, mask, mode):
    umask(mask)
    ledger = make_ledger(tmp_path / "台账.xlsx", [item()])
    assert _mode(ledger) == mode == 0o666 & ~mask
    (tmp_path / "plain.txt").write_text("x")  # what the clerk's other files get
    assert _mode(tmp_path / "plain.txt") == mode


def test_every_sheet_in_order_with_its_headers(tmp_path):
    path = tmp_path / "台账.xlsx"
    ledger_id = new_ledger(path, list(UNITS), today=dt.date(2026, 11, 2))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [s.name for s in sc.SHEETS]
    assert wb.active.title == sc.ITEMS.name
    for sheet in sc.SHEETS:
        if sheet.columns:
            assert [c.value for c in wb[sheet.name][1]] == sheet.headers
    assert [c.value for c in wb["导入记录"][1]][-2:] == ["表格生成时间", "内容指纹"]  # SPEC §2
    system = {r[0]: r[1] for r in wb[sc.SYSTEM.name].iter_rows(min_row=2, values_only=True)}
    assert wb[sc.SYSTEM.name].sheet_state == "veryHidden"
    assert system["ledger_id"] == ledger_id and len(system["signing_key"]) == 64
    assert system["created"] == "2026-11-02"
    units = [r[0] for r in wb[sc.UNITS.name].iter_rows(min_row=2, values_only=True)]
    assert units == [u.name for u in UNITS]


def test_choice_columns_get_drop_downs_and_the_alert_its_colours(tmp_path):
    path = tmp_path / "台账.xlsx"
    new_ledger(path)
    ws = openpyxl.load_workbook(path)[sc.ITEMS.name]
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"' + ",".join(m.Status.values()) + '"' in lists
    assert len(lists) == sum(c.kind == "choice" for c in sc.ITEMS.columns)
    assert len(ws.conditional_formatting) >= 1


def test_two_ledgers_never_share_an_id_or_a_key(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert new_ledger(a) != new_ledger(b)


def test_an_existing_file_is_never_overwritten(tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"staff's own file")
    with pytest.raises(UsageError, match="已存在"):
        new_ledger(path)
    assert path.read_bytes() == b"staff's own file"
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]
