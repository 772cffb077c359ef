"""Writing outputs: atomic, with the mode of any new file, refused while open, Chinese messages."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

import pytest

from ledger_tools.errors import LedgerBusy, UsageError
from ledger_tools.sheets import files
from ledger_tools.sheets.files import (
    atomic_output,
    output_dir,
    output_workbook,
    safe_filename,
    write_atomically,
)
from tests.builders import make_ledger


def _english(message: str) -> bool:
    """Whether a strerror or an exception class got into a message (paths and programs aside)."""
    words = set(re.findall(r"[A-Za-z]{3,}", message.split("（", 1)[-1]))
    return bool(words - {"Word", "Excel", "WPS", "LibreOffice", "ledger", "tools"})


@pytest.fixture
def umask_022():
    saved = os.umask(0o022)
    yield
    os.umask(saved)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _hidden(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


# --- the atomic write ------------------------------------------------------------------------


def test_an_error_while_writing_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "清单.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("the writer crashed")
    assert target.read_bytes() == b"old" and _hidden(tmp_path) == []


def test_the_new_file_replaces_the_old_one_whole(tmp_path):
    target = tmp_path / "清单.xlsx"
    target.write_bytes(b"old")
    assert write_atomically(target, lambda tmp: tmp.write_bytes(b"new")) == target
    assert target.read_bytes() == b"new" and _hidden(tmp_path) == []


@pytest.mark.posix_only
def test_a_new_output_gets_the_mode_of_any_new_file_a_replaced_one_keeps_its_own(
    tmp_path, umask_022
):
    new = write_atomically(tmp_path / "新.xlsx", lambda tmp: tmp.write_bytes(b"x"))
    (tmp_path / "plain.txt").write_text("x")
    assert _mode(new) == _mode(tmp_path / "plain.txt") == 0o644  # not mkstemp's 0600
    kept = tmp_path / "旧.xlsx"
    kept.write_bytes(b"old")
    os.chmod(kept, 0o640)
    write_atomically(kept, lambda tmp: tmp.write_bytes(b"new"))
    assert _mode(kept) == 0o640


@pytest.mark.parametrize("owner", ["~${}", ".~{}", ".~lock.{}#"])
def test_an_output_open_in_excel_wps_or_libreoffice_is_busy_and_untouched(tmp_path, owner):
    target = tmp_path / "扣分意见.xlsx"
    target.write_bytes(b"old")
    (tmp_path / owner.format(target.name)).write_bytes(b"owner")
    with pytest.raises(LedgerBusy, match="扣分意见.xlsx") as caught:
        write_atomically(target, lambda tmp: tmp.write_bytes(b"new"))
    assert caught.value.exit_code == 3 and target.read_bytes() == b"old"


def test_a_replace_refused_because_another_program_holds_the_file_is_busy(tmp_path, monkeypatch):
    """Windows: os.replace onto a file Word holds open fails with WinError 32 (EACCES)."""
    target = tmp_path / "通报-2026-11.docx"
    target.write_bytes(b"old")

    def replace(src, dst):
        e = PermissionError(errno.EACCES, "The process cannot access the file", str(src))
        e.winerror = 32
        raise e

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(LedgerBusy) as caught:
        write_atomically(target, lambda tmp: tmp.write_bytes(b"new"))
    message = str(caught.value)
    assert str(target) in message and "关闭" in message and not _english(message)
    monkeypatch.undo()
    assert target.read_bytes() == b"old" and _hidden(tmp_path) == []


def test_a_refused_replace_elsewhere_is_a_usage_error_in_chinese(tmp_path, monkeypatch):
    target = tmp_path / "清单.xlsx"
    target.write_bytes(b"old")

    def replace(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(src))

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(UsageError) as caught:
        write_atomically(target, lambda tmp: tmp.write_bytes(b"new"))
    message = str(caught.value)
    assert str(target) in message and "只读" in message and not _english(message)


def test_an_oserror_inside_the_writer_is_a_chinese_message_naming_the_folder(tmp_path):
    class FileCreateError(Exception):  # XlsxWriter wraps the OSError of opening its file
        pass

    target = tmp_path / "抽查清单.xlsx"
    with pytest.raises(UsageError) as caught, atomic_output(target):
        raise FileCreateError(OSError(errno.ENOSPC, "No space left on device"))
    assert "磁盘空间不足" in str(caught.value) and str(tmp_path) in str(caught.value)
    assert not target.exists() and _hidden(tmp_path) == []


def test_a_folder_where_the_file_should_go_is_named(tmp_path):
    target = tmp_path / "反馈表-2026-11-东城区.xlsx"
    target.mkdir()
    with pytest.raises(UsageError, match=f"无法写入 {re.escape(str(target))}.*文件夹"):
        write_atomically(target, lambda tmp: tmp.write_bytes(b"x"))
    assert target.is_dir() and _hidden(tmp_path) == []


def test_an_exclusive_write_never_replaces_an_existing_file(tmp_path):
    target = tmp_path / "台账.xlsx"
    with atomic_output(target, exclusive=True) as tmp:
        tmp.write_bytes(b"first")
    with pytest.raises(UsageError, match="已存在"), atomic_output(target, exclusive=True) as tmp:
        tmp.write_bytes(b"second")
    assert target.read_bytes() == b"first" and _hidden(tmp_path) == []


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('东城区/西城区:联合*?"<>|', "东城区_西城区_联合_"),
        ("督查通〔2026〕1号", "督查通〔2026〕1号"),
        ("市财政局. . ", "市财政局"),
        ("  市财政局", "市财政局"),
        ("第一行\n第二行\t", "第一行_第二行_"),
        ("CON", "_CON"),
        ("nul", "_nul"),
        ("COM1", "_COM1"),
        ("con.txt", "_con.txt"),
        ("CONSOLE", "CONSOLE"),
        ("", "未命名"),
        ("...", "未命名"),
    ],
)
def test_safe_filename_gives_a_name_windows_accepts(text, name):
    assert safe_filename(text) == name


def test_safe_filename_is_cut_without_leaving_a_trailing_dot_or_space():
    assert safe_filename("单位" * 50, limit=10) == "单位" * 5
    assert safe_filename("一二三四 .五六七", limit=6) == "一二三四"


# --- folders ---------------------------------------------------------------------------------


def test_a_file_given_as_the_output_folder_is_a_usage_error(tmp_path):
    path = tmp_path / "通知.docx"
    path.write_bytes(b"x")
    with pytest.raises(UsageError, match="是一个文件，不是文件夹.*通知"):
        output_dir(path, "通知")
    with pytest.raises(UsageError):
        output_dir(path, "通知", create=False)


def test_the_output_folder_is_made_only_when_asked(tmp_path):
    assert not output_dir(tmp_path / "a" / "b", "通报", create=False).exists()
    assert output_dir(tmp_path / "a" / "b", "通报").is_dir()


def test_a_folder_that_cannot_be_made_is_named_in_chinese(tmp_path, monkeypatch):
    def refuse(self, *a, **k):
        raise PermissionError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(UsageError) as caught:
        output_dir(tmp_path / "出口", "催办通知")
    message = str(caught.value)
    assert "出口" in message and "只读" in message and not _english(message)


def test_output_workbook_refuses_a_ledger_a_folder_and_another_suffix(tmp_path):
    ledger = make_ledger(tmp_path / "台账.xlsx")
    assert output_workbook(tmp_path / "扣分", ledger=None, what="扣分意见", example="x.xlsx") == (
        tmp_path / "扣分.xlsx"
    )
    for out in (ledger, tmp_path, tmp_path / "扣分.csv"):
        with pytest.raises(UsageError):
            output_workbook(out, ledger=ledger, what="扣分意见", example="x.xlsx")
    other = tmp_path / "旧台账.xlsx"
    other.write_bytes(ledger.read_bytes())
    with pytest.raises(UsageError, match="是一个台账"):
        output_workbook(other, ledger=ledger, what="扣分意见", example="x.xlsx")


# --- held open on Windows, long paths --------------------------------------------------------


def _held_by_word(calls: list[str], fail_times: int):
    real_replace = os.replace

    def replace(src, dst):
        calls.append(str(dst))
        if len(calls) <= fail_times:
            e = PermissionError(errno.EACCES, "The process cannot access the file", str(dst))
            e.winerror = 32
            raise e
        return real_replace(src, dst)

    return replace


def test_a_file_held_for_a_moment_is_replaced_after_a_retry(tmp_path, monkeypatch):
    """An antivirus scan or Word closing the file holds it briefly: the replace is tried again."""
    target = tmp_path / "通报-2026-11.docx"
    target.write_bytes(b"old")
    calls: list[str] = []
    monkeypatch.setattr(os, "replace", _held_by_word(calls, fail_times=2))
    write_atomically(target, lambda tmp: tmp.write_bytes(b"new"))
    assert target.read_bytes() == b"new" and len(calls) == 3


def test_a_file_held_open_is_retried_briefly_then_refused_naming_it(tmp_path, monkeypatch):
    target = tmp_path / "通报-2026-11.xlsx"
    target.write_bytes(b"old")
    calls: list[str] = []
    monkeypatch.setattr(os, "replace", _held_by_word(calls, fail_times=10**6))
    monkeypatch.setattr(files, "REPLACE_RETRY_SECONDS", 0.3)
    with pytest.raises(LedgerBusy) as caught:
        write_atomically(target, lambda tmp: tmp.write_bytes(b"new"))
    assert caught.value.exit_code == 3 and str(target) in str(caught.value)
    assert len(calls) > 1 and not _english(str(caught.value))
    monkeypatch.undo()
    assert target.read_bytes() == b"old" and _hidden(tmp_path) == []


def test_the_temporary_file_can_live_in_another_folder_of_the_volume(tmp_path):
    target = tmp_path / "台账.xlsx"
    hidden = tmp_path / "台账备份"
    with atomic_output(target, temp_dir=hidden) as tmp:
        assert tmp.parent == hidden
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new" and list(hidden.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx", "台账备份"]


def test_a_path_excel_cannot_open_is_warned_about_before_writing(tmp_path):
    deep = tmp_path / ("很长的文件夹名称" * 4)
    for _ in range(6):
        deep = deep / ("督查室材料" * 4)
    target = deep / "通报-2026-03.xlsx"
    assert len(str(target)) > files.EXCEL_PATH_LIMIT
    short = tmp_path / "通报.xlsx"
    with files.long_path_warnings() as warnings:
        write_atomically(short, lambda tmp: tmp.write_bytes(b"x"))
        assert warnings == []
        files.check_not_open(target)  # before anything is written
        assert len(warnings) == 1 and str(target) in warnings[0] and "218" in warnings[0]
        write_atomically(target, lambda tmp: tmp.write_bytes(b"x"))
    assert len(warnings) == 1 and target.exists()  # warned once, and written all the same
    files.check_not_open(target)  # outside the block nothing is collected
