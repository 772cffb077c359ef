"""Files the clerk drops on the page, received into a private folder within limits.

The request body is parsed as it arrives (python-multipart's streaming parser) and each file
is written straight into a folder only this user can read, counting its bytes: a file over
the limit, too many files or too large a request ends the upload there with a Chinese
message, before anything is checked. Starlette's own form parser would spool large files
into the system's shared temporary folder first; this one never does. The limits are the
returned-file limits of check/merge (a file over 20 MiB would be refused there as F003
anyway); the zip and size checks inside each file are the job's, as on the command line.

File names are the unit's own (findings name them), reduced to their last part: a name
carrying a folder (``..\\..\\台账.xlsx``) cannot reach outside the upload folder.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from ledger_tools.errors import UsageError

__all__ = ["MIB", "UploadLimits", "Uploaded", "UploadRefused", "receive"]

MIB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    max_files: int = 200
    max_file_bytes: int = 20 * MIB  # the returned-file limit of check/merge (F003)
    max_total_bytes: int = 400 * MIB
    max_field_bytes: int = 10_000  # a date, a number, a name: never more


class UploadRefused(UsageError):
    """The upload broke a limit or was not a form post: nothing of it is kept."""


@dataclass
class Uploaded:
    folder: Path
    files: list[Path] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def safe_name(raw: str, taken: set[str]) -> str:
    """The file's own name without any folder part, unique within this upload."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip().lstrip(".") or "文件"
    name = name[-120:]
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{n}-{name}"
    taken.add(candidate.casefold())
    return candidate


async def receive(request: Request, folder: Path, limits: UploadLimits) -> Uploaded:
    """Parse a multipart/form-data request into ``folder``; refuses (UploadRefused) on a limit.

    On a refusal the folder is removed before the error is raised.
    """
    result = Uploaded(folder)
    try:
        await _parse(request, result, limits)
    except BaseException:
        result.remove()
        raise
    return result


async def _parse(request: Request, result: Uploaded, limits: UploadLimits) -> None:
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or b"boundary" not in params:
        raise UploadRefused("请求格式有误（不是文件上传）。请刷新页面后重新操作。")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.max_total_bytes:
        raise UploadRefused(_too_big_total(limits))
    state = _State(result, limits)
    parser = MultipartParser(
        params[b"boundary"],
        {
            "on_part_begin": state.begin,
            "on_header_field": state.header_field,
            "on_header_value": state.header_value,
            "on_header_end": state.header_end,
            "on_headers_finished": state.headers_finished,
            "on_part_data": state.data,
            "on_part_end": state.end,
        },
    )
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limits.max_total_bytes:
            raise UploadRefused(_too_big_total(limits))
        parser.write(chunk)
        if state.error:
            raise UploadRefused(state.error)
    parser.finalize()
    if state.error:
        raise UploadRefused(state.error)


def _too_big_total(limits: UploadLimits) -> str:
    return f"一次上传的文件合计超过 {limits.max_total_bytes // MIB} MB，未接收。请分几次上传。"


class _State:
    """The parser's callbacks: one part at a time, a file written as its bytes arrive."""

    def __init__(self, result: Uploaded, limits: UploadLimits):
        self.result, self.limits = result, limits
        self.taken: set[str] = set()
        self.error = ""
        self._headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self._name = ""
        self._file: BinaryIO | None = None
        self._path: Path | None = None
        self._size = 0
        self._text = bytearray()
        self._kind = "skip"  # this part is a "file", a text "field", or an empty file input

    def begin(self) -> None:
        self._headers, self._field, self._value = {}, b"", b""

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field, self._value = b"", b""

    def headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = params.get(b"name", b"").decode("utf-8", "replace")
        self._size = 0
        self._text = bytearray()
        self._file, self._path = None, None
        if b"filename" not in params:
            self._kind = "field"
            return
        raw = params[b"filename"].decode("utf-8", "replace")
        self._kind = "file" if raw else "skip"  # an empty file input sends a part without a file
        if not raw:
            return
        if len(self.result.files) >= self.limits.max_files:
            self.error = f"一次最多上传 {self.limits.max_files} 个文件，未接收。请分几次上传。"
            return
        self._path = self.result.folder / safe_name(raw, self.taken)
        self._file = self._path.open("xb")

    def data(self, data: bytes, start: int, end: int) -> None:
        if self.error:
            return
        self._size += end - start
        if self._kind == "file" and self._file is not None and self._path is not None:
            if self._size > self.limits.max_file_bytes:
                self._file.close()
                self.error = (
                    f"文件 {self._path.name} 超过 {self.limits.max_file_bytes // MIB} MB，未接收。"
                    "单位报回的反馈表通常不到 1 MB，请确认是否选错了文件。"
                )
                return
            self._file.write(data[start:end])
        elif self._kind == "field":
            if self._size > self.limits.max_field_bytes:
                self.error = f"表单项「{self._name}」过长，未接收。"
                return
            self._text += data[start:end]

    def end(self) -> None:
        if self._kind == "file" and self._file is not None:
            self._file.close()
            if not self.error and self._path is not None:
                self.result.files.append(self._path)
        elif self._kind == "field" and self._name:
            self.result.fields[self._name] = self._text.decode("utf-8", "replace")
        self._file, self._path, self._kind = None, None, "skip"
