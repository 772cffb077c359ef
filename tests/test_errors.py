"""The exception family and the Chinese reason given for a refused file."""

from __future__ import annotations

import errno
import re

import pytest

from ledger_tools.errors import (
    InputRejected,
    LedgerBusy,
    LedgerError,
    NotALedger,
    UsageError,
    WouldLoseData,
    os_reason,
)

ENGLISH = re.compile(r"[A-Za-z]{3,}")


@pytest.mark.parametrize(
    ("cls", "builtin", "code"),
    [
        (UsageError, ValueError, 2),
        (NotALedger, ValueError, 2),
        (LedgerBusy, RuntimeError, 3),
        (WouldLoseData, RuntimeError, 4),
        (InputRejected, ValueError, 1),
    ],
)
def test_each_error_is_ours_and_the_matching_builtin_with_its_exit_code(cls, builtin, code):
    e = cls("消息")
    assert isinstance(e, LedgerError) and isinstance(e, builtin) and e.exit_code == code


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.EACCES, "没有权限"),
        (errno.EROFS, "只读"),
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.ENAMETOOLONG, "路径太长"),
        (errno.ENOENT, "找不到"),
    ],
)
def test_known_refusals_are_named_in_chinese(number, words):
    assert words in os_reason(OSError(number, "English strerror"))


def test_an_unknown_refusal_gives_its_number_not_the_english_strerror():
    reason = os_reason(OSError(99999, "Some English strerror"))
    assert reason == "系统错误（错误码 99999）"


def test_an_error_without_a_number_names_no_class():
    for e in (OSError("disk went away"), RuntimeError("boom"), PermissionError()):
        assert os_reason(e) == "系统错误"


def test_windows_reasons_come_from_winerror_before_the_generic_errno():
    e = PermissionError(errno.EACCES, "The process cannot access the file")
    e.winerror = 32  # what Windows sets when Word holds the file open
    assert os_reason(e) == "正被其他程序使用"
    unknown = OSError(errno.EINVAL, "Invalid argument")
    unknown.winerror = 4242
    assert os_reason(unknown) == "系统错误（错误码 4242）"


def test_an_oserror_wrapped_by_a_dependency_is_read_through():
    class FileCreateError(Exception):  # as XlsxWriter wraps the error of opening its file
        pass

    assert os_reason(FileCreateError(OSError(errno.ENOSPC, "No space left"))) == "磁盘空间不足"


@pytest.mark.parametrize("number", [errno.EACCES, errno.EIO, errno.EXDEV, 12345, None])
def test_no_reason_is_english(number):
    e = OSError(number, "English words here") if number is not None else OSError("English")
    assert not ENGLISH.search(os_reason(e))
