"""The run lock and the owner-file check: two runs never write one ledger at once, and a ledger
open in Excel, WPS or LibreOffice is left alone."""

import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from ledger_tools.errors import LedgerBusy
from ledger_tools.sheets.ledger.backups import BACKUP_DIR
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.lock import RunLock, lock_path, refuse_if_open_elsewhere
from tests.builders import item, make_ledger


@pytest.fixture
def ledger(tmp_path):
    return make_ledger(tmp_path / "台账.xlsx", [item()])


def _touch_and_save(path, **kw):
    with LedgerFile(path, writable=True, **kw) as lf:
        lf.wb["台账"]["AZ1"] = "staff"
        return lf.save()


def test_a_second_run_waits_for_the_lock_then_gives_up(ledger):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            from ledger_tools.sheets.ledger.file import LedgerFile
            with LedgerFile({str(ledger)!r}, writable=True):
                print("held", flush=True)
                time.sleep(5)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LedgerBusy):
            _touch_and_save(ledger, lock_wait=0.3)
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_file_and_the_temporary_save_are_in_the_backup_folder_not_beside_the_ledger(
    ledger,
):
    """On Windows a leading dot hides nothing: the clerk sees only the ledger and 台账备份."""
    before = sorted(os.listdir(ledger.parent))
    _touch_and_save(ledger)
    assert sorted(os.listdir(ledger.parent)) == sorted({*before, BACKUP_DIR})
    assert lock_path(ledger) == ledger.parent / BACKUP_DIR / f"{ledger.name}.lock"
    backup_names = os.listdir(ledger.parent / BACKUP_DIR)
    assert lock_path(ledger).name in backup_names
    assert not [n for n in backup_names if n.startswith(".~")]  # the temporary file is gone


def test_the_lock_is_exclusive_until_released(ledger):
    first = RunLock(ledger)
    first.acquire()
    assert first.held
    started = time.monotonic()
    with pytest.raises(LedgerBusy, match="正被另一个 ledger 命令使用"):
        RunLock(ledger, wait=0.3).acquire()
    assert time.monotonic() - started >= 0.3  # it waited before giving up
    first.release()
    first.release()  # twice is harmless
    with RunLock(ledger, wait=0) as second:
        assert second.held
    assert not second.held


def test_a_waiting_run_goes_on_once_the_lock_is_released(ledger):
    first = RunLock(ledger)
    first.acquire()
    timer = threading.Timer(0.3, first.release)
    timer.start()
    try:
        second = RunLock(ledger, wait=10)
        second.acquire()
        assert second.held
        second.release()
    finally:
        timer.cancel()
        first.release()


def test_the_lock_of_one_ledger_does_not_hold_another(tmp_path):
    a = make_ledger(tmp_path / "甲.xlsx")
    b = make_ledger(tmp_path / "乙.xlsx")
    with RunLock(a), RunLock(b, wait=0) as other:
        assert other.held


@pytest.mark.parametrize("owner", ["~$台账.xlsx", ".~lock.台账.xlsx#"])
def test_an_owner_file_is_refused_naming_it(ledger, owner):
    refuse_if_open_elsewhere(ledger)  # nothing open: no exception
    (ledger.parent / owner).write_text("x")
    with pytest.raises(LedgerBusy) as e:
        refuse_if_open_elsewhere(ledger)
    assert owner in str(e.value) and "请先保存并关闭台账" in str(e.value)


def test_the_message_names_the_program_and_the_user(ledger):
    user = "张晓明".encode("utf-16-le")
    data = bytes([6]) + "张晓明".encode("gbk").ljust(53, b" ") + (3).to_bytes(2, "little") + user
    (ledger.parent / "~$台账.xlsx").write_bytes(data)
    with pytest.raises(LedgerBusy, match="正在被 张晓明 用 Excel 或 WPS 打开"):
        refuse_if_open_elsewhere(ledger)


def test_wps_on_linux_is_recognised(ledger):
    (ledger.parent / ".~台账.xlsx").write_bytes(b"")
    with pytest.raises(LedgerBusy, match="正在被 WPS 打开"):
        _touch_and_save(ledger)


def test_another_workbooks_owner_file_does_not_refuse_the_ledger(tmp_path):
    """``~$台账.xlsx`` beside 督查台账.xlsx while a colleague has 台账.xlsx open: not ours."""
    ledger = make_ledger(tmp_path / "督查台账.xlsx", [item()])
    make_ledger(tmp_path / "台账.xlsx", [item()])
    (tmp_path / "~$台账.xlsx").write_bytes(b"owner")
    assert _touch_and_save(ledger) is not None  # saved, with a backup
