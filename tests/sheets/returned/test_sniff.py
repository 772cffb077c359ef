"""The gate before any parser: type from the bytes, zip guard, encryption, macros.

Every input is built here, in code: zips by zipfile (bombs by patching the sizes the central
directory declares), compound files byte by byte (olefile only reads them).
"""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from ledger_tools.sheets.returned import sniff as sniff_module
from ledger_tools.sheets.returned.limits import Limits, ReturnedFileError
from ledger_tools.sheets.returned.sniff import compound_names, read_bytes, sniff
from ledger_tools.sheets.returned.workbook import read_returned
from tests.builders import (
    FILEPASS,
    GLOBALS_BOF,
    PNG,
    STORAGE,
    STREAM,
    assert_chinese,
    biff,
    build_form,
    build_ods,
    compound_file,
    ods_text,
    patch_central_sizes,
    xlsx_members,
    zip_bytes,
)


def refused(data: bytes, code: str, limits: Limits = Limits()) -> ReturnedFileError:  # noqa: B008
    with pytest.raises(ReturnedFileError) as e:
        sniff(data, limits)
    assert e.value.code == code, (e.value.code, e.value.detail)
    assert_chinese(str(e.value))
    return e.value


# --- compound files ------------------------------------------------------------------------------


def test_compound_file_names_come_from_olefile():
    data = compound_file(
        [
            ("Workbook", STREAM, b"x" * 5000),
            ("_VBA_PROJECT_CUR", STORAGE, b""),
            ("Book", STREAM, b""),
        ]
    )
    assert compound_names(data) == {"workbook", "_vba_project_cur", "book"}


@pytest.mark.parametrize(
    ("entries", "kind"),
    [
        ([("Workbook", STREAM, biff(GLOBALS_BOF))], ("xls", False)),
        ([("Book", STREAM, biff(GLOBALS_BOF))], ("xls", False)),  # BIFF5
        ([("Workbook", STREAM, biff()), ("_VBA_PROJECT_CUR", STORAGE, b"")], ("xls", True)),
    ],
)
def test_xls_by_its_streams(entries, kind):
    assert sniff(compound_file(entries), Limits()) == kind


def test_encrypted_ooxml_in_a_compound_file_is_f002():
    """Excel and WPS save a password-protected xlsx as a compound file with these streams."""
    data = compound_file([("EncryptionInfo", STREAM, b""), ("EncryptedPackage", STREAM, b"")])
    assert "密码" in str(refused(data, "F002"))


def test_encrypted_xls_is_f002_before_calamine(tmp_path):
    """FILEPASS in the workbook globals: found while the records are measured."""
    p = tmp_path / "加密.xls"
    p.write_bytes(compound_file([("Workbook", STREAM, biff(GLOBALS_BOF, FILEPASS))]))
    with pytest.raises(ReturnedFileError) as e:
        read_returned(p)
    assert e.value.code == "F002"


@pytest.mark.parametrize(
    ("stream", "word"),
    [
        ("WordDocument", "Word 文档"),  # .doc, and WPS Writer's .wps
        ("PowerPoint Document", "PowerPoint"),
        ("Contents", "其他 Office 复合文档"),
    ],
)
def test_other_compound_documents_are_named(stream, word):
    assert word in refused(compound_file([(stream, STREAM, b"")]), "F001").detail


@pytest.mark.parametrize("cut", [8, 100, 600, 1100])
def test_a_truncated_or_garbled_compound_file_is_f001(cut):
    data = compound_file([("Workbook", STREAM, biff(GLOBALS_BOF))])
    assert "已损坏" in refused(data[:cut], "F001").detail
    garbled = data[:0x30] + b"\xff" * 8 + data[0x38:]  # first directory sector far away
    assert "已损坏" in refused(garbled, "F001").detail


# --- zip containers ------------------------------------------------------------------------------


def test_xlsx_xlsm_and_ods_by_content(tmp_path):
    members = xlsx_members(build_form(tmp_path / "f.xlsx"))
    assert sniff(zip_bytes(members), Limits()) == ("xlsx", False)
    assert sniff(zip_bytes({**members, "xl/vbaProject.bin": b"vba"}), Limits()) == ("xlsm", True)
    types = members["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
    )
    assert types != members["[Content_Types].xml"]
    macro_type = {**members, "[Content_Types].xml": types}
    assert sniff(zip_bytes(macro_type), Limits()) == ("xlsm", True)
    ods = build_ods({"反馈表": f"<table:table-row>{ods_text('x')}</table:table-row>"})
    assert sniff(ods, Limits()) == ("ods", False)


def test_password_protected_ods_is_f002():
    data = build_ods({"反馈表": ""})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["META-INF/manifest.xml"] = members["META-INF/manifest.xml"].replace(
        b'manifest:media-type="text/xml"/>',
        b'manifest:media-type="text/xml"><manifest:encryption-data/></manifest:file-entry>',
    )
    assert b"encryption-data" in members["META-INF/manifest.xml"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", members.pop("mimetype"), zipfile.ZIP_STORED)
        for name, body in members.items():
            z.writestr(name, body, zipfile.ZIP_DEFLATED)
    refused(buf.getvalue(), "F002")


def test_zip_encryption_flag_is_f002(tmp_path):
    data = bytearray(build_form(tmp_path / "f.xlsx").read_bytes())
    pos = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, pos + 8, struct.unpack_from("<H", data, pos + 8)[0] | 1)
    refused(bytes(data), "F002")


def test_declared_sizes_are_refused_before_anything_is_inflated(tmp_path, monkeypatch):
    """The central directory is checked first: a bomb's claim never reaches zlib."""
    data = build_form(tmp_path / "f.xlsx").read_bytes()
    bomb = patch_central_sizes(data, "xl/styles.xml", file_size=300 * 1024 * 1024)

    def no_inflating(*_a, **_k):
        raise AssertionError("inflated before the directory was checked")

    monkeypatch.setattr(sniff_module.zlib, "decompressobj", no_inflating)
    assert "超过上限 200 MB" in refused(bomb, "F003").detail


def test_ratio_member_count_and_lying_sizes_are_f003(tmp_path):
    members = xlsx_members(build_form(tmp_path / "f.xlsx"))
    ratio = zip_bytes({**members, "xl/media/zeros.bin": bytes(8 * 1024 * 1024)})
    detail = refused(ratio, "F003").detail
    assert "压缩比" in detail and "xl/media/zeros.bin" in detail

    many = zip_bytes({**members, **{f"customXml/item{i}.xml": b"<a/>" for i in range(20)}})
    assert "部件" in refused(many, "F003", Limits(max_members=25)).detail

    liar = patch_central_sizes(
        zip_bytes({**members, "xl/media/zeros.bin": bytes(4 * 1024 * 1024)}),
        "xl/media/zeros.bin",
        file_size=60_000,
    )
    assert "声明" in refused(liar, "F003").detail


def test_a_part_that_does_not_inflate_is_f001(tmp_path):
    members = xlsx_members(build_form(tmp_path / "f.xlsx"))
    data = bytearray(zip_bytes(members))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/styles.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start : start + 16] = b"\xff" * 16  # an invalid deflate block
    assert "无法解压" in refused(bytes(data), "F001").detail


def test_an_unsupported_compression_method_is_f001(tmp_path):
    members = xlsx_members(build_form(tmp_path / "f.xlsx"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_BZIP2) as z:
        for name, body in members.items():
            z.writestr(name, body)
    assert "不支持的压缩方式" in refused(buf.getvalue(), "F001").detail


def test_a_damaged_directory_is_f001(tmp_path):
    data = build_form(tmp_path / "f.xlsx").read_bytes()
    assert "压缩包已损坏" in refused(data[: len(data) // 2], "F001").detail
    end = data.rfind(b"PK\x05\x06")
    broken = data[:end] + b"PK\x05\x06" + b"\xff" * 18  # end record points nowhere
    refused(broken, "F001")


def test_an_unreadable_content_types_part_is_f001(tmp_path):
    members = xlsx_members(build_form(tmp_path / "f.xlsx"))
    members["[Content_Types].xml"] = b"<Types><Override"
    assert "内容类型清单" in refused(zip_bytes(members), "F001").detail
    members["[Content_Types].xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">]><Types>&a;</Types>'
    )
    assert "不安全" in refused(zip_bytes(members), "F001").detail


# --- other files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "word"),
    [
        (PNG, "图片"),
        (b"%PDF-1.7\n", "PDF"),
        (b"Rar!\x1a\x07\x00", "RAR"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "7z"),
        (b"\x1f\x8b\x08\x00", "gz"),
        (b"PK\x05\x06" + b"\0" * 18, "压缩包为空"),
        ("事项编号,办理状态\n".encode("gb18030"), "纯文本"),
    ],
)
def test_foreign_files_are_named(data, word):
    assert word in refused(data, "F001").detail


def test_read_bytes_reads_once_and_refuses_early(tmp_path):
    p = tmp_path / "f.xlsx"
    p.write_bytes(b"x" * 5000)
    assert read_bytes(p, Limits()) == b"x" * 5000
    with pytest.raises(ReturnedFileError) as e:
        read_bytes(p, Limits(max_file_bytes=4096))
    assert e.value.code == "F003" and "超过上限" in e.value.detail
    for path, detail in [(tmp_path / "无.xlsx", "文件不存在"), (tmp_path, "文件夹")]:
        with pytest.raises(ReturnedFileError) as e:
            read_bytes(path, Limits())
        assert e.value.code == "F001" and detail in e.value.detail
        assert_chinese(str(e.value))
