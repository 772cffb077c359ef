"""A new ledger: SPEC §2's sheets and headers, drop-downs, a secret key, never over a file."""

import os
import stat

import pytest

from tests.builders import item, make_ledger


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_ledger_gets_the_mode_of_any_new_file(tmp_path, umask, mask, mode):
    umask(mask)
    ledger = make_ledger(tmp_path / "台账.xlsx", [item()])
    assert _mode(ledger) == mode == 0o666 & ~mask
    (tmp_path / "plain.txt").write_text("x")  # what the clerk's other files get
    assert _mode(tmp_path / "plain.txt") == mode
