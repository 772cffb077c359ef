"""Which files a clerk's command line names as returned forms: the folder they were saved
into, with owner files, hidden files and our own annotated copies lying beside them."""

from pathlib import Path

import pytest

from ledger_tools.errors import UsageError
from ledger_tools.sheets.returned.inputs import collect_inputs


def _touch(folder: Path, *names: str) -> list[Path]:
    out = []
    for name in names:
        p = folder / name
        p.write_bytes(b"PK")
        out.append(p)
    return out


RETURNS = (
    "反馈表-2026-11-东城区人民政府.xlsx",
    "反馈表-2026-11-西山县人民政府.XLSX",  # suffixes in any case
    "南湖县.xls",
    "北岭县.ods",
    "青河市.xlsm",
)
NOT_RETURNS = (
    "~$反馈表-2026-11-东城区人民政府.xlsx",  # Excel's and WPS's owner file on Windows
    ".~反馈表-2026-11-西山县人民政府.xlsx",  # WPS on Linux
    ".~lock.南湖县.xls#",  # LibreOffice
    ".隐藏的.xlsx",
    "退回-反馈表-2026-11-东城区人民政府.xlsx",  # our annotated copy from an earlier check
    "说明.docx",
    "反馈表.pdf",
    "反馈表.csv",
    "反馈表.xlsx.bak",
)


def test_a_folder_gives_its_returned_forms_only(tmp_path):
    returns = _touch(tmp_path, *RETURNS)
    _touch(tmp_path, *NOT_RETURNS)
    (tmp_path / "子文件夹").mkdir()
    _touch(tmp_path / "子文件夹", "反馈表-2026-11-北岭县人民政府.xlsx")  # not walked into
    assert collect_inputs([tmp_path]) == sorted(returns)


def test_the_ledger_lying_in_the_folder_is_not_a_return(tmp_path):
    ledger, form = _touch(tmp_path, "台账.xlsx", "反馈表-东城区.xlsx")
    assert collect_inputs([tmp_path], ledger) == [form]


def test_a_file_named_explicitly_is_always_checked(tmp_path):
    """So that it is reported (e.g. as not a form) rather than silently left out."""
    named = _touch(tmp_path, "~$反馈表.xlsx", "退回-东城区.xlsx", "说明.docx")
    assert collect_inputs(named) == named


def test_files_and_folders_together_each_once_in_the_order_named(tmp_path):
    folder = tmp_path / "报回"
    folder.mkdir()
    a, b = _touch(folder, "a.xlsx", "b.xlsx")
    (c,) = _touch(tmp_path, "c.xlsx")
    assert collect_inputs([c, folder, a, folder / ".." / "报回" / "b.xlsx"]) == [c, a, b]


def test_a_missing_path_is_a_usage_error_naming_it(tmp_path):
    with pytest.raises(UsageError) as e:
        collect_inputs([tmp_path / "没有的文件夹"])
    assert "找不到文件或文件夹" in str(e.value) and "没有的文件夹" in str(e.value)
    assert e.value.exit_code == 2


def test_the_ledger_named_as_a_return_is_refused(tmp_path):
    (ledger,) = _touch(tmp_path, "台账.xlsx")
    with pytest.raises(UsageError) as e:
        collect_inputs([tmp_path / "." / "台账.xlsx"], ledger)
    assert "是台账本身" in str(e.value)


def test_a_folder_without_forms_says_which_suffixes_are_read(tmp_path):
    _touch(tmp_path, "~$反馈表.xlsx", "说明.docx", "照片.jpg")
    with pytest.raises(UsageError) as e:
        collect_inputs([tmp_path])
    message = str(e.value)
    assert "没有找到反馈表文件" in message and str(tmp_path) in message
    assert all(s in message for s in (".xlsx", ".xlsm", ".xls", ".ods"))
