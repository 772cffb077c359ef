"""Publishing many outputs together: all of them or none, and the staging folder goes."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

import pytest

from ledger_tools.errors import LedgerBusy, UsageError
from ledger_tools.sheets import staging as staging_module
from ledger_tools.sheets.staging import Staging


@pytest.fixture
def umask_022():
    saved = os.umask(0o022)
    yield
    os.umask(saved)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _hidden(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


def _stage(out: Path, names: dict[str, bytes]) -> Staging:
    staging = Staging(out)
    for name, data in names.items():
        staging.path(name).write_bytes(data)
    return staging


@pytest.mark.posix_only
def test_staged_files_appear_together_and_the_staging_folder_goes(tmp_path, umask_022):
    with _stage(tmp_path, {"a.docx": b"A", "b.docx": b"B"}) as staging:
        moved = staging.publish()
    assert sorted(p.name for p in moved) == ["a.docx", "b.docx"]
    assert (tmp_path / "a.docx").read_bytes() == b"A" and _hidden(tmp_path) == []
    assert {_mode(p) for p in moved} == {0o644}


def test_a_run_that_fails_before_publishing_leaves_the_folder_as_it_was(tmp_path):
    with pytest.raises(RuntimeError), _stage(tmp_path, {"a.docx": b"A"}):
        raise RuntimeError("the ledger could not be saved")
    assert list(tmp_path.iterdir()) == []


def test_a_staged_file_open_in_word_publishes_nothing(tmp_path):
    (tmp_path / "b.docx").write_bytes(b"old B")
    (tmp_path / "~$b.docx").write_bytes(b"owner")
    with pytest.raises(LedgerBusy), _stage(tmp_path, {"a.docx": b"A", "b.docx": b"B"}) as staging:
        staging.publish()
    assert not (tmp_path / "a.docx").exists() and (tmp_path / "b.docx").read_bytes() == b"old B"


def test_a_replace_refused_midway_puts_back_what_was_already_moved(tmp_path, monkeypatch):
    (tmp_path / "a.docx").write_bytes(b"old A")
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst).name == "c.docx":
            e = PermissionError(errno.EACCES, "The process cannot access the file", str(dst))
            e.winerror = 32
            raise e
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr("ledger_tools.sheets.files.REPLACE_RETRY_SECONDS", 0.2)
    staged = {"a.docx": b"A", "b.docx": b"B", "c.docx": b"C"}
    with pytest.raises(LedgerBusy, match="c.docx"), _stage(tmp_path, staged) as staging:
        staging.publish()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]
    assert (tmp_path / "a.docx").read_bytes() == b"old A"


def test_a_staging_folder_that_cannot_be_made_names_the_output_folder(tmp_path, monkeypatch):
    def refuse(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(staging_module.tempfile, "mkdtemp", refuse)
    with pytest.raises(UsageError, match=f"文件夹 {re.escape(str(tmp_path))}.*没有权限"):
        Staging(tmp_path)
