"""Uploads: limits refused before anything is checked, names without folders, folder removed."""

import asyncio

import pytest
from starlette.requests import Request

from ledger_tools.web.uploads import UploadLimits, UploadRefused, receive, safe_name

BOUNDARY = "----b0undary"


def _body(parts: list[tuple[str, str | None, bytes]]) -> bytes:
    out = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (
            f'; filename="{filename}"' if filename is not None else ""
        )
        out += (
            f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"
        )
    return out + f"--{BOUNDARY}--\r\n".encode()


def _receive(body: bytes, folder, limits=None, content_type=None):
    chunks = [body[i : i + 4096] for i in range(0, len(body), 4096)] or [b""]

    async def incoming():
        chunk = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    ctype = content_type or f"multipart/form-data; boundary={BOUNDARY}"
    scope = {
        "type": "http",
        "method": "POST",
        "headers": [
            (b"content-type", ctype.encode()),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    return asyncio.run(receive(Request(scope, incoming), folder, limits or UploadLimits()))


def test_files_and_fields_arrive_in_the_private_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    got = _receive(
        _body(
            [
                ("as_of", None, b"2026-11-20"),
                ("files", "反馈表-2026-11-东城区.xlsx", b"PK" + b"x" * 10_000),
                ("files", "..\\..\\台账.xlsx", b"PK2"),
                ("files", "", b""),  # an empty file input
            ]
        ),
        folder,
    )
    assert got.fields == {"as_of": "2026-11-20"}
    assert [p.name for p in got.files] == ["反馈表-2026-11-东城区.xlsx", "台账.xlsx"]
    assert all(p.parent == folder for p in got.files)
    assert got.files[0].stat().st_size == 10_002
    got.remove()
    assert not folder.exists()


@pytest.mark.parametrize(
    "limits, parts, message",
    [
        (UploadLimits(max_file_bytes=1000), [("files", "大.xlsx", b"x" * 5000)], "超过"),
        (
            UploadLimits(max_files=2),
            [("files", f"{n}.xlsx", b"x") for n in range(3)],
            "最多上传 2 个",
        ),
        (UploadLimits(max_total_bytes=3000), [("files", "a.xlsx", b"x" * 5000)], "合计超过"),
        (UploadLimits(max_field_bytes=10), [("as_of", None, b"9" * 100)], "过长"),
    ],
)
def test_limits_refuse_the_upload_and_keep_nothing(tmp_path, limits, parts, message):
    folder = tmp_path / "in"
    folder.mkdir()
    with pytest.raises(UploadRefused) as e:
        _receive(_body(parts), folder, limits)
    assert message in str(e.value)
    assert not folder.exists()


def test_not_a_form_post_is_refused(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with pytest.raises(UploadRefused, match="不是文件上传"):
        _receive(b"{}", folder, content_type="application/json")


def test_safe_names_stay_in_the_folder_and_unique():
    taken: set[str] = set()
    assert safe_name("../../etc/passwd", taken) == "passwd"
    assert safe_name("C:\\Users\\a\\反馈表.xlsx", taken) == "反馈表.xlsx"
    assert safe_name("反馈表.xlsx", taken) == "2-反馈表.xlsx"
    assert safe_name("...", taken) == "文件"
    assert "\x00" not in safe_name("a\x00b.xlsx", taken)
