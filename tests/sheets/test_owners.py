"""Owner files of every program that opens our files, who has the file open, and no false alarm
from another workbook's owner file."""

from __future__ import annotations

import pytest

from ledger_tools.errors import LedgerBusy
from ledger_tools.sheets.owners import (
    check_not_open,
    libreoffice_user,
    office_user,
    owner_files,
)


def excel_owner_bytes(user: str) -> bytes:
    """An Excel ``~$`` owner file as Excel writes it: length byte, the ANSI name padded to 54
    bytes, a two-byte length, the UTF-16LE name padded with spaces (165 bytes in all)."""
    ansi = user.encode("gbk")
    head = bytes([len(ansi)]) + ansi.ljust(53, b" ")
    wide = user.encode("utf-16-le")
    tail = len(user).to_bytes(2, "little") + wide
    return (head + tail).ljust(165, b"\x20")


@pytest.mark.parametrize(
    "owner, program",
    [("~${}", "Excel 或 WPS"), (".~{}", "WPS"), (".~lock.{}#", "LibreOffice")],
    ids=["windows", "wps-linux", "libreoffice"],
)
def test_each_programs_owner_file_is_found_and_named(tmp_path, owner, program):
    target = tmp_path / "通报-2026-03.xlsx"
    target.write_bytes(b"x")
    assert owner_files(target) == []
    (tmp_path / owner.format(target.name)).write_bytes(b"")
    [found] = owner_files(target)
    assert found.program == program and found.name == owner.format(target.name)
    with pytest.raises(LedgerBusy, match=program):
        check_not_open(target)


def test_a_word_document_is_open_in_word_or_wps(tmp_path):
    target = tmp_path / "通报-2026-03.docx"
    (tmp_path / f"~${target.name}").write_bytes(b"")
    assert owner_files(target)[0].program == "Word 或 WPS"


def test_excel_owner_file_says_who_has_it_open(tmp_path):
    target = tmp_path / "台账.xlsx"
    (tmp_path / "~$台账.xlsx").write_bytes(excel_owner_bytes("张晓明"))
    [found] = owner_files(target)
    assert found.user == "张晓明"
    with pytest.raises(LedgerBusy) as caught:
        check_not_open(target)
    assert "张晓明 正在用 Excel 或 WPS 打开" in str(caught.value)


def test_the_user_is_read_from_the_ansi_copy_when_the_wide_one_is_missing():
    assert office_user(excel_owner_bytes("李四")[:54]) == "李四"
    assert office_user(b"") is None and office_user(b"owner") is None


def test_a_libreoffice_lock_names_the_user():
    data = "王五,WORKSTATION,wangwu,21.03.2026 09:30,file:///home/wangwu/.config/libreoffice/4;"
    assert libreoffice_user(data.encode()) == "王五"
    assert libreoffice_user(b",host,zhao,21.03.2026 09:30,url;") == "zhao"
    assert libreoffice_user(b"\xff\xfe") is None


def test_another_workbooks_owner_file_is_not_ours(tmp_path):
    """A colleague has 台账.xlsx open beside 督查台账.xlsx: ``~$台账.xlsx`` is that workbook's."""
    ours = tmp_path / "督查台账.xlsx"
    ours.write_bytes(b"x")
    (tmp_path / "台账.xlsx").write_bytes(b"x")
    (tmp_path / "~$台账.xlsx").write_bytes(excel_owner_bytes("同事"))
    assert owner_files(ours) == []
    check_not_open(ours)  # no exception


def test_a_truncated_owner_file_counts_when_no_other_workbook_is_spelt_by_it(tmp_path):
    """Word shortens long names by their first two characters: with no 台账.xlsx beside it,
    ``~$台账.xlsx`` can only be 督查台账.xlsx's."""
    ours = tmp_path / "督查台账.xlsx"
    ours.write_bytes(b"x")
    (tmp_path / "~$台账.xlsx").write_bytes(b"")
    assert [o.name for o in owner_files(ours)] == ["~$台账.xlsx"]
