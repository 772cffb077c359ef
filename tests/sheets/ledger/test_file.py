"""Safe saving (SPEC §8), the steps in order: owner files, lock, changed-on-disk, loss guard,
backup, atomic save. Each step's own behaviour is tested beside its module (test_lock,
test_loss_guard, test_backups); here, that LedgerFile runs them at the right moments."""

import errno
import os
import stat

import openpyxl
import pytest

from ledger_tools.errors import LedgerBusy, NotALedger, UsageError, WouldLoseData
from ledger_tools.sheets.ledger.backups import BACKUP_DIR
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.lock import lock_path
from tests.builders import add_data_bar, add_image, item, ledger_by_xlsxwriter, make_ledger, sha


@pytest.fixture
def ledger(tmp_path):
    return make_ledger(tmp_path / "台账.xlsx", [item()])


def _touch_and_save(path, **kw):
    with LedgerFile(path, writable=True, **kw) as lf:
        lf.wb["台账"]["AZ1"] = "staff"
        return lf.save()


def test_save_is_atomic_and_backed_up(ledger):
    before = ledger.read_bytes()
    backup = _touch_and_save(ledger)
    assert backup.parent.name == BACKUP_DIR and backup.read_bytes() == before
    assert openpyxl.load_workbook(ledger)["台账"]["AZ1"].value == "staff"
    workbooks = [p.name for p in ledger.parent.iterdir() if p.suffix == ".xlsx"]
    assert workbooks == [ledger.name]  # no temporary file left beside it


@pytest.mark.parametrize("owner", ["~$台账.xlsx", ".~lock.台账.xlsx#"])
def test_open_in_excel_or_libreoffice_is_busy(ledger, owner):
    (ledger.parent / owner).write_text("x")
    digest = sha(ledger)
    with pytest.raises(LedgerBusy):
        _touch_and_save(ledger)
    assert sha(ledger) == digest


def test_changed_on_disk_is_not_overwritten(ledger):
    with LedgerFile(ledger, writable=True) as lf:
        other = openpyxl.load_workbook(ledger)
        other["台账"]["AY1"] = "typed meanwhile"
        other.save(ledger)
        digest = sha(ledger)
        lf.wb["台账"]["AZ1"] = "ours"
        with pytest.raises(LedgerBusy):
            lf.save()
    assert sha(ledger) == digest


def test_missing_and_foreign_files(tmp_path):
    with pytest.raises(UsageError):
        LedgerFile(tmp_path / "nope.xlsx").__enter__()
    bogus = tmp_path / "bogus.xlsx"
    bogus.write_text("not a zip")
    with pytest.raises(NotALedger):
        LedgerFile(bogus).__enter__()


@pytest.mark.parametrize("writable", [False, True])
def test_a_damaged_ledger_says_so_and_points_to_the_backups(tmp_path, writable):
    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(b"PK\x03\x04 cut short in transfer")
    with pytest.raises(NotALedger) as e, LedgerFile(ledger, writable=writable):
        pass
    message = str(e.value)
    assert "台账「台账.xlsx」已损坏" in message and "「台账备份」" in message
    assert "Error" not in message and "Zip" not in message


@pytest.mark.parametrize("decorate, what", [(add_data_bar, "数据条"), (add_image, "图片")])
def test_refuses_to_save_what_it_would_lose(tmp_path, decorate, what):
    path = ledger_by_xlsxwriter(tmp_path / "台账.xlsx", decorate)
    digest = sha(path)
    with pytest.raises(WouldLoseData) as e:
        _touch_and_save(path)
    assert sha(path) == digest
    # no backup and no temporary file: 台账备份 holds the run lock's file only
    assert [p.name for p in (tmp_path / BACKUP_DIR).iterdir()] == [lock_path(path).name]
    assert "拒绝保存" in str(e.value)
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx"] == ["台账.xlsx"]


# --- file mode: a saved ledger is as shared as it was -------------------------------------------


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.posix_only
@pytest.mark.parametrize("mode", [0o664, 0o640, 0o600])
def test_a_saved_ledger_keeps_the_mode_it_had(ledger, umask, mode):
    umask(0o077)  # the strictest umask must not narrow a shared ledger either
    os.chmod(ledger, mode)
    _touch_and_save(ledger)
    assert _mode(ledger) == mode
    assert openpyxl.load_workbook(ledger)["台账"]["AZ1"].value == "staff"


# --- values first: a writable open that may not need openpyxl at all ----------------------------


def test_values_first_reads_values_under_the_lock_and_loads_openpyxl_only_when_asked(ledger):
    with LedgerFile(ledger, writable=True, values_first=True) as lf:
        assert not lf.editable and lf.wb["台账"].cell(row=1, column=1).value == "事项编号"
        with pytest.raises(LedgerBusy):  # the lock is held as for any writable open
            LedgerFile(ledger, writable=True, lock_wait=0.2).__enter__()
        with pytest.raises(AssertionError):
            lf.save()  # values cannot be saved
        wb = lf.make_editable()
        assert lf.editable and wb is lf.wb and lf.make_editable() is wb
        wb["台账"]["AZ1"] = "staff"
        assert lf.save() is not None
    assert openpyxl.load_workbook(ledger)["台账"]["AZ1"].value == "staff"


def test_values_first_refuses_to_edit_a_ledger_changed_since_it_was_read(ledger):
    with LedgerFile(ledger, writable=True, values_first=True) as lf:
        other = openpyxl.load_workbook(ledger)
        other["台账"]["AY1"] = "typed meanwhile"
        other.save(ledger)
        digest = sha(ledger)
        with pytest.raises(LedgerBusy, match="修改过"):
            lf.make_editable()
    assert sha(ledger) == digest


def test_values_first_still_refuses_a_ledger_open_in_excel(ledger):
    (ledger.parent / f"~${ledger.name}").write_text("x")
    with pytest.raises(LedgerBusy):
        LedgerFile(ledger, writable=True, values_first=True).__enter__()


def test_a_ledger_held_open_by_another_program_is_busy_and_untouched(ledger, monkeypatch):
    """Windows: replacing a ledger another program holds open fails (WinError 32) every time."""
    digest = sha(ledger)

    def replace(src, dst):
        e = PermissionError(errno.EACCES, "The process cannot access the file", str(dst))
        e.winerror = 32
        raise e

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr("ledger_tools.sheets.files.REPLACE_RETRY_SECONDS", 0.3)
    with pytest.raises(LedgerBusy) as caught:
        _touch_and_save(ledger)
    assert caught.value.exit_code == 3 and ledger.name in str(caught.value)
    monkeypatch.undo()
    assert sha(ledger) == digest
    assert not [p for p in (ledger.parent / BACKUP_DIR).iterdir() if p.name.startswith(".~")]
