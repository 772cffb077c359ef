"""A ledger with a password to open, an .xls under an .xlsx name, a ledger marked read-only: each
is named for what it is before any parser or writer touches it, and left as it was."""

import os

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from ledger_tools.errors import NotALedger, UsageError
from ledger_tools.sheets.ledger.access import refuse_if_read_only, refuse_if_unopenable
from ledger_tools.sheets.ledger.data import read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile
from tests.builders import (
    GLOBALS_BOF,
    STREAM,
    assert_chinese,
    biff,
    compound_file,
    item,
    make_ledger,
    sha,
)


@pytest.fixture
def ledger(tmp_path):
    return make_ledger(tmp_path / "台账.xlsx", [item()])


def _encrypt(plain, path):
    with open(plain, "rb") as src, open(path, "wb") as out:
        OOXMLFile(src).encrypt("secret", out)
    return path


@pytest.mark.parametrize("writable", [False, True])
def test_a_ledger_with_a_password_says_so_and_how_to_remove_it(ledger, tmp_path, writable):
    locked = _encrypt(ledger, tmp_path / "加密台账.xlsx")
    digest = sha(locked)
    with pytest.raises(NotALedger) as e, LedgerFile(locked, writable=writable):
        pass
    message = str(e.value)
    assert "加密台账.xlsx" in message and "打开密码" in message
    assert "保护工作簿" in message and "文档加密" in message  # Excel's way and WPS's way
    assert "损坏" not in message and "备份" not in message  # restoring a backup loses work
    assert_chinese(message)
    assert sha(locked) == digest
    assert not (tmp_path / "台账备份").exists() or not any((tmp_path / "台账备份").iterdir())


def test_an_xls_renamed_to_xlsx_is_named_as_such(tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(compound_file([("Workbook", STREAM, biff(GLOBALS_BOF))]))
    with pytest.raises(NotALedger, match=r"\.xls.*另存为") as e:
        refuse_if_unopenable(path)
    assert_chinese(str(e.value))


def test_an_ordinary_ledger_and_a_broken_compound_file_go_on_to_the_loader(ledger, tmp_path):
    refuse_if_unopenable(ledger)
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    refuse_if_unopenable(broken)  # the loader calls it damaged, as it is
    with pytest.raises(NotALedger, match="损坏"), LedgerFile(broken):
        pass


@pytest.mark.posix_only
def test_a_read_only_ledger_is_refused_for_saving_though_root_could_write_it(ledger):
    digest = sha(ledger)
    os.chmod(ledger, 0o444)
    try:
        assert os.access(ledger, os.W_OK) or os.geteuid() != 0  # root: access() says yes
        with pytest.raises(UsageError, match="只读") as e:
            refuse_if_read_only(ledger)
        assert_chinese(str(e.value))
        with pytest.raises(UsageError, match="只读"), LedgerFile(ledger, writable=True):
            pass
        assert sha(ledger) == digest
        # reading is what a read-only ledger is for: validate, check, sample still work
        with LedgerFile(ledger) as lf:
            assert read_ledger(lf).items
    finally:
        os.chmod(ledger, 0o644)


@pytest.mark.posix_only
def test_a_ledger_made_read_only_while_a_command_ran_is_not_replaced(ledger):
    with LedgerFile(ledger, writable=True) as lf:
        lf.wb["台账"]["AZ1"] = "staff"
        os.chmod(ledger, 0o444)
        digest_before = sha(ledger)
        try:
            with pytest.raises(UsageError, match="只读"):
                lf.save()
        finally:
            os.chmod(ledger, 0o644)
    assert sha(ledger) == digest_before


@pytest.mark.posix_only
@pytest.mark.parametrize("mode", [0o644, 0o600, 0o664, 0o200])
def test_a_writable_ledger_passes(ledger, mode):
    os.chmod(ledger, mode)
    try:
        refuse_if_read_only(ledger)
    finally:
        os.chmod(ledger, 0o644)
