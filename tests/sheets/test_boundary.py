"""Dependencies' exceptions become ours, with Chinese messages, at one boundary.

Each exception is raised for real by its dependency where that is cheap (a broken zip, bad
XML, a Rust panic in calamine); the rest are built by hand.
"""

from __future__ import annotations

import errno
import io
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
import python_calamine
from defusedxml import ElementTree as SafeET

from ledger_tools.errors import LedgerError, NotALedger, UsageError
from ledger_tools.sheets.boundary import Cause, Failure, classify, map_exceptions
from ledger_tools.sheets.returned.limits import ReturnedFileError, refuse


def assert_chinese(message: str) -> None:
    """A user message: Chinese, no exception class name, no English sentence."""
    assert re.search(r"[\u4e00-\u9fff]", message), message
    assert not re.search(r"(Error|Exception|Invalid|[a-z]{4,} [a-z]{3,})", message), message


def _bad_zip():
    zipfile.ZipFile(io.BytesIO(b"PK\x03\x04 not really a zip"))


def _missing_member():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.xml", "<a/>")
    zipfile.ZipFile(buf).getinfo("xl/workbook.xml")


def _large_zip():
    raise zipfile.LargeZipFile("Zipfile size would require ZIP64 extensions")


def _zlib():
    zlib.decompress(b"\xff\xff\xff\xff")


def _calamine():
    python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(b"\x00" * 64))


def _password():
    raise python_calamine.PasswordError("Workbook is password protected")


def _openpyxl(tmp: Path):
    (tmp / "x.txt").write_text("a")
    openpyxl.load_workbook(tmp / "x.txt")


def _lxml():
    from lxml import etree

    etree.fromstring(b"<a><b></a>")


def _etree():
    ElementTree.fromstring("<a><b></a>")


def _defused():
    SafeET.fromstring('<!DOCTYPE t [<!ENTITY a "aaaa">]><t>&a;</t>')


def _missing_file(tmp: Path):
    open(tmp / "无此文件.xlsx", "rb")  # noqa: SIM115


def _folder(tmp: Path):
    open(tmp, "rb")  # noqa: SIM115


def _denied():
    raise PermissionError(errno.EACCES, "Permission denied", "台账.xlsx")


def _unknown_errno():  # an errno errors.os_reason has no Chinese text for: named by its number
    raise OSError(9999, "Some English reason")


def _parser_oserror():  # olefile raises OSError("not an OLE2 structured storage file")
    raise OSError("not an OLE2 structured storage file")


CASES = [
    (_bad_zip, Cause.DAMAGED, "已损坏或不完整"),
    (_missing_member, Cause.DAMAGED, "已损坏或不完整"),
    (_large_zip, Cause.TOO_LARGE, "过大"),
    (_zlib, Cause.INFLATE, "无法解压"),
    (_calamine, Cause.UNSUPPORTED, "格式不受支持"),
    (_password, Cause.ENCRYPTED, "密码"),
    (_openpyxl, Cause.UNSUPPORTED, "格式不受支持"),
    (_lxml, Cause.MALFORMED, "内部结构已损坏"),
    (_etree, Cause.MALFORMED, "内部结构已损坏"),
    (_defused, Cause.UNSAFE, "不安全"),
    (_missing_file, Cause.NOT_FOUND, "不存在"),
    (_folder, Cause.IS_FOLDER, "文件夹"),
    (_denied, Cause.NO_ACCESS, "权限"),
    (_unknown_errno, Cause.SYSTEM, "系统错误（错误码 9999）"),
    (_parser_oserror, Cause.DAMAGED, "已损坏"),
]


def _call(fn, tmp: Path):
    return fn(tmp) if fn.__code__.co_argcount else fn()


@pytest.mark.parametrize(("fn", "cause", "words"), CASES, ids=[c[0].__name__ for c in CASES])
def test_each_dependency_failure_has_a_cause_and_a_chinese_reason(tmp_path, fn, cause, words):
    failures: list[Failure] = []

    def keep(f: Failure) -> LedgerError:
        failures.append(f)
        return LedgerError(f.message)

    with pytest.raises(LedgerError) as e:
        with map_exceptions(keep, path=tmp_path / "反馈表.xlsx", what="文件"):
            _call(fn, tmp_path)
    (failure,) = failures
    assert failure.cause is cause and classify(failure.error) is cause
    assert words in failure.reason and "反馈表.xlsx" not in failure.reason
    assert str(e.value) == failure.message and "文件「反馈表.xlsx」" in failure.message
    assert_chinese(failure.message)
    assert e.value.__cause__ is None and e.value.__suppress_context__


def test_returned_files_policy_gives_the_finding_codes(tmp_path):
    def code(fn) -> ReturnedFileError:
        with pytest.raises(ReturnedFileError) as e:
            with map_exceptions(refuse, path=tmp_path / "a.xlsx", what="压缩包"):
                _call(fn, tmp_path)
        assert_chinese(str(e.value))
        return e.value

    assert code(_bad_zip).code == "F001"
    assert code(_bad_zip).detail == "压缩包已损坏或不完整（文件可能未传输完整）"
    assert code(_password).code == "F002"
    assert code(_large_zip).code == "F003"
    assert code(_zlib).detail == "压缩包已损坏，部分内容无法解压"


def _panic():
    """calamine panics on a number beyond any date in a date-formatted cell."""
    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active["A1"] = -(10**12)
    wb.active["A1"].number_format = "yyyy-mm-dd"
    wb.save(buf)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(buf.getvalue()))
    book.get_sheet_by_name(book.sheet_names[0]).to_python()


def test_a_rust_panic_is_translated(capfd):
    with pytest.raises(ReturnedFileError) as e:
        with map_exceptions(refuse, what="工作表「反馈表」"):
            _panic()
    capfd.readouterr()  # the Rust runtime's report on stderr
    assert e.value.code == "F001"
    assert e.value.detail == "工作表「反馈表」中有无法读取的数值或日期（如超出范围的日期）"


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), SystemExit(2), GeneratorExit()])
def test_interrupts_and_exits_are_never_swallowed(exc):
    with pytest.raises(type(exc)):
        with map_exceptions(refuse, unexpected=Cause.UNSUPPORTED):
            raise exc


def test_our_own_and_unknown_exceptions_pass_through():
    ours = ReturnedFileError("F003", "太大")
    with pytest.raises(ReturnedFileError) as e:
        with map_exceptions(refuse):
            raise ours
    assert e.value is ours
    with pytest.raises(RuntimeError):  # a bug of ours is not a damaged file
        with map_exceptions(refuse):
            raise RuntimeError("bug")
    with pytest.raises(ReturnedFileError) as e:  # ... unless the block calls a parser only
        with map_exceptions(refuse, unexpected=Cause.UNSUPPORTED):
            raise RuntimeError("calamine said something odd")
    assert e.value.code == "F001"


def test_a_mapping_translates_only_what_it_lists(tmp_path):
    """httpx's manner: {dependency type or cause: our type or a callable}."""
    ledger = tmp_path / "台账.xlsx"
    table = {Cause.DAMAGED: NotALedger, OSError: UsageError, FileNotFoundError: NotALedger}
    with pytest.raises(NotALedger) as e:
        with map_exceptions(table, path=ledger, what="台账"):
            _bad_zip()
    assert str(e.value) == "台账「台账.xlsx」已损坏或不完整（文件可能未传输完整）"
    with pytest.raises(NotALedger):  # the most specific listed type wins
        with map_exceptions(table, path=ledger, what="台账"):
            _missing_file(tmp_path)
    with pytest.raises(UsageError) as e:
        with map_exceptions(table, path=ledger, what="台账"):
            _denied()
    assert str(e.value) == "没有读取台账「台账.xlsx」的权限，或它正被其他程序占用"
    with pytest.raises(zlib.error):  # not listed: unchanged
        with map_exceptions(table, path=ledger, what="台账"):
            _zlib()


def test_a_mapping_may_name_any_exception_type():
    with pytest.raises(UsageError) as e:
        with map_exceptions(
            {ValueError: lambda f: UsageError(f"日期无法识别（{f.what}）")}, what="截止日期"
        ):
            raise ValueError("Invalid isoformat string")
    assert str(e.value) == "日期无法识别（截止日期）"


def test_a_callable_that_returns_none_lets_the_exception_through():
    """For what the type alone cannot decide (was it raised by a template's own code?)."""

    def only_ours(f):
        return UsageError("模板有误") if "template" in str(f.error) else None

    with pytest.raises(UsageError, match="模板有误"):
        with map_exceptions({ValueError: only_ours}):
            raise ValueError("from the template")
    with pytest.raises(ValueError, match="elsewhere"):
        with map_exceptions({ValueError: only_ours}):
            raise ValueError("elsewhere")
