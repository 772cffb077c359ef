"""Backups before every save: in 台账备份 beside the ledger, the newest 30 kept, per ledger."""

import datetime as dt
import os

import pytest

from ledger_tools.errors import UsageError
from ledger_tools.sheets.ledger.backups import (
    BACKUP_DIR,
    KEEP_BACKUPS,
    backup,
    backups_of,
    rotate,
)
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.lock import lock_path
from tests.builders import item, make_ledger, sha

T0 = dt.datetime(2026, 11, 2, 9, 0, 0)


def _at(minute: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minute, microseconds=minute)


@pytest.fixture
def ledger(tmp_path):
    return make_ledger(tmp_path / "台账.xlsx", [item()])


def test_a_backup_is_a_copy_beside_the_ledger_named_by_time(ledger):
    saved = backup(ledger, now=T0)
    assert saved == ledger.parent / BACKUP_DIR / "台账-20261102-090000-000000.xlsx"
    assert sha(saved) == sha(ledger) and backups_of(ledger) == [saved]


def test_only_the_last_backups_are_kept(ledger):
    for _ in range(KEEP_BACKUPS + 3):
        with LedgerFile(ledger, writable=True) as lf:
            lf.wb["台账"]["AZ1"] = "staff"
            lf.save()
    kept = [p for p in (ledger.parent / BACKUP_DIR).iterdir() if p != lock_path(ledger)]
    assert len(kept) == KEEP_BACKUPS  # (the run lock's file lives in 台账备份 too)


def test_rotation_keeps_the_newest(ledger):
    made = [backup(ledger, now=_at(m)) for m in range(KEEP_BACKUPS + 5)]
    assert backups_of(ledger) == made[-KEEP_BACKUPS:]
    rotate(ledger, keep=3)
    assert backups_of(ledger) == made[-3:]


@pytest.mark.parametrize("stem", ["台账[2026]", "台账*", "台账?", "[台账]", "台账[!]"])
def test_a_stem_with_glob_characters_counts_its_own_backups_only(tmp_path, stem):
    ledger = make_ledger(tmp_path / f"{stem}.xlsx", [item()])
    neighbour = make_ledger(tmp_path / "台账1.xlsx", [item()])
    theirs = [backup(neighbour, now=_at(m)) for m in range(3)]
    ours = [backup(ledger, now=_at(m), keep=2) for m in range(KEEP_BACKUPS + 2)]
    assert backups_of(ledger) == ours[-2:]
    assert backups_of(neighbour) == theirs
    assert all(p.exists() for p in theirs)


def test_a_ledger_whose_name_extends_another_keeps_its_backups(tmp_path):
    short = make_ledger(tmp_path / "台账.xlsx", [item()])
    longer = make_ledger(tmp_path / "台账-2025.xlsx", [item()])
    theirs = [backup(longer, now=_at(m)) for m in range(3)]
    for m in range(5):
        backup(short, now=_at(10 + m), keep=1)
    assert backups_of(longer) == theirs and len(backups_of(short)) == 1


@pytest.mark.posix_only
@pytest.mark.skipif(
    getattr(os, "geteuid", lambda: -1)() == 0, reason="root ignores folder permissions"
)
def test_a_backup_that_cannot_be_written_says_so_in_chinese(ledger):
    folder = ledger.parent / BACKUP_DIR
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(UsageError, match="无法在文件夹 .* 中留存台账备份"):
            backup(ledger)
    finally:
        folder.chmod(0o700)


def test_a_file_in_the_place_of_the_backup_folder_refuses_the_save(ledger):
    (ledger.parent / BACKUP_DIR).write_text("not a folder")
    digest = sha(ledger)
    with pytest.raises(UsageError, match="留存台账备份"), LedgerFile(ledger, writable=True) as lf:
        lf.wb["台账"]["AZ1"] = "staff"
        lf.save()
    assert sha(ledger) == digest
    assert [p.name for p in ledger.parent.iterdir() if p.suffix == ".xlsx"] == [ledger.name]
