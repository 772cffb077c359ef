"""The one error a returned file can raise: a finding code and a Chinese message, built from a
dependency's failure without letting anything raw through."""

import pickle
import zipfile
import zlib

import pytest

from ledger_tools.errors import LedgerError
from ledger_tools.sheets.boundary import Cause, Failure, map_exceptions
from ledger_tools.sheets.returned.limits import MIB, Limits, ReturnedFileError, mb, refuse


def _refused(exc: BaseException, what: str = "压缩包") -> ReturnedFileError:
    with pytest.raises(ReturnedFileError) as e:
        with map_exceptions(refuse, what=what):
            raise exc
    return e.value


def test_the_limits_a_clerk_s_file_must_stay_within():
    """The defaults: generous for a form of a few dozen rows, far below what hurts the machine."""
    limits = Limits()
    assert limits.max_file_bytes == 20 * MIB and limits.max_uncompressed_bytes == 200 * MIB
    assert (limits.max_rows, limits.max_cells, limits.max_members) == (20_000, 2_000_000, 10_000)
    assert Limits(max_rows=30).max_rows == 30


@pytest.mark.parametrize(
    ("size", "shown"), [(20 * MIB, "20 MB"), (int(35.2 * MIB), "35.2 MB"), (MIB // 2, "0.5 MB")]
)
def test_sizes_read_as_a_clerk_reads_them(size, shown):
    assert mb(size) == shown


def test_a_damaged_zip_is_f001_with_the_reason_in_chinese():
    e = _refused(zipfile.BadZipFile("File is not a zip file"))
    assert (e.code, e.detail) == ("F001", "压缩包已损坏或不完整（文件可能未传输完整）")
    assert str(e) == (
        "文件无法作为电子表格读取（压缩包已损坏或不完整（文件可能未传输完整））。"
        "请重新从反馈表另存为 .xlsx 后报送。"
    )
    assert "BadZipFile" not in str(e) and "zip file" not in str(e)


def test_a_part_that_does_not_inflate_is_f001():
    assert _refused(zlib.error("invalid distance")).code == "F001"


def test_too_large_is_f003_and_encrypted_is_f002():
    e = _refused(zipfile.LargeZipFile("Zipfile size would require ZIP64"))
    assert (e.code, e.detail) == ("F003", "压缩包过大，超出可以读取的范围")
    encrypted = refuse(Failure(Cause.ENCRYPTED, "文件", None, RuntimeError("password")))
    assert (encrypted.code, encrypted.detail) == ("F002", "")
    assert "密码" in str(encrypted)


def test_the_error_is_ours_survives_a_process_pool_and_becomes_a_finding():
    """Returned files are read in worker processes: the error must pickle whole."""
    e = ReturnedFileError("F003", "工作表「反馈表」行数过多（30 行），超过上限 29 行")
    assert isinstance(e, LedgerError) and isinstance(e, ValueError)
    again = pickle.loads(pickle.dumps(e))
    assert (again.code, again.detail, str(again)) == (e.code, e.detail, str(e))
    f = e.finding("反馈表-东城区.xlsx")
    assert (f.code, f.file, f.is_error) == ("F003", "反馈表-东城区.xlsx", True)
    assert f.message.startswith("工作表「反馈表」行数过多") and "重新报送" in f.message
