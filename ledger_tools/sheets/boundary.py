"""Dependencies' exceptions translated into ours, at one boundary.

Reading a file a person handed us goes through zipfile, zlib, python-calamine, openpyxl, lxml,
defusedxml and olefile, and each fails in its own way: ``zipfile.BadZipFile``, a ``KeyError``
for a missing zip member, ``zlib.error``, an ``OSError`` whose ``strerror`` is English whatever
the locale, a Rust panic that arrives as pyo3's ``PanicException`` (a ``BaseException``, which
``except Exception`` lets through). None of that may reach the user (SPEC §7: no traceback,
Chinese only, no exception class names). In the manner of httpx's ``map_exceptions``, the code
that calls a dependency wraps the call and one place decides what each failure becomes::

    with map_exceptions(policy, path=path, what="内容类型清单"):
        root = SafeET.fromstring(xml)

``classify`` sorts the exception into a ``Cause``; the ``Failure`` handed to the policy carries
it with a Chinese ``reason`` that names ``what`` was being read (``message`` adds the file's
name). The policy is either

- a fixed policy, a callable ``Failure -> exception``: every failure this module recognises is
  translated (``sheets.returned.limits.refuse`` makes a ``ReturnedFileError`` F001/F002/F003), or
- a mapping, as in httpx: ``{dependency exception type or Cause: our exception type or a
  callable}``; only what it lists is translated (the most specific exception type first, then
  the cause), everything else propagates unchanged. A type is called with ``failure.message``,
  a callable with the ``Failure``; a callable that returns None lets that exception propagate
  (for a decision the type alone cannot make: was it raised by a template's own code?).

To adopt it elsewhere (the ledger store's load, docx rendering), wrap the dependency call::

    from ledger_tools.sheets.boundary import Cause, map_exceptions

    with map_exceptions(
        {Cause.DAMAGED: NotALedger, Cause.MALFORMED: NotALedger, OSError: UsageError},
        path=path, what="台账",
    ):
        wb = openpyxl.load_workbook(path)

which raises e.g. ``NotALedger("台账「台账.xlsx」已损坏或不完整（文件可能未传输完整）")``.

Our own exceptions (``LedgerError``) pass through untouched, and so do ``KeyboardInterrupt``,
``SystemExit`` and ``GeneratorExit``: only ``Exception``s and the Rust panic are translated.
``unexpected=Cause.X`` treats any other ``Exception`` as X too; use it only around a call into a
parser whose every failure means a bad file (calamine, olefile), never around our own logic.
The translated exception is raised ``from None``: the dependency's text is not the user's.
"""

from __future__ import annotations

import functools
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ledger_tools.errors import LedgerError, os_reason

__all__ = ["Cause", "Failure", "Policy", "classify", "map_exceptions"]


class Cause(Enum):
    """Why a dependency could not read something, as far as the user is concerned."""

    NOT_FOUND = "not_found"  # FileNotFoundError
    NO_ACCESS = "no_access"  # PermissionError (on Windows also: open in another program)
    IS_FOLDER = "is_folder"  # IsADirectoryError
    SYSTEM = "system"  # any other OSError the system raised (errno set)
    DAMAGED = "damaged"  # a broken or truncated container: zip, compound file, missing member
    INFLATE = "inflate"  # zlib could not inflate a part
    TOO_LARGE = "too_large"  # zipfile.LargeZipFile
    MALFORMED = "malformed"  # XML syntax, a bad cell reference, a value that does not parse
    UNSAFE = "unsafe"  # defusedxml refused entities or a DTD
    ENCRYPTED = "encrypted"  # calamine's PasswordError
    UNSUPPORTED = "unsupported"  # calamine or openpyxl could not make sense of the content
    PANIC = "panic"  # calamine's Rust code panicked (a date no calendar holds, ...)
    OTHER = "other"  # an exception a mapping listed by type, of no cause above


_REASONS = {
    Cause.NOT_FOUND: "{what}不存在",
    Cause.NO_ACCESS: "没有读取{what}的权限，或它正被其他程序占用",
    Cause.IS_FOLDER: "所选的{what}是一个文件夹，不是文件",
    Cause.SYSTEM: "读取{what}出错：{os}",
    Cause.DAMAGED: "{what}已损坏或不完整（文件可能未传输完整）",
    Cause.INFLATE: "{what}已损坏，部分内容无法解压",
    Cause.TOO_LARGE: "{what}过大，超出可以读取的范围",
    Cause.MALFORMED: "{what}内部结构已损坏，无法解析",
    Cause.UNSAFE: "{what}含有不安全的内部定义（如实体展开），已拒绝读取",
    Cause.ENCRYPTED: "{what}设置了打开密码或已加密",
    Cause.UNSUPPORTED: "{what}内容已损坏或格式不受支持，无法读取",
    Cause.PANIC: "{what}中有无法读取的数值或日期（如超出范围的日期）",
    Cause.OTHER: "{what}无法读取",
}


@dataclass(frozen=True)
class Failure:
    """One dependency failure, sorted: what the policy needs to build our exception."""

    cause: Cause
    what: str  # what was being read, in Chinese: "文件", "压缩包", "工作表「反馈表」"
    path: Path | None
    error: BaseException  # the dependency's exception, for logs and tests, never for the user

    @property
    def reason(self) -> str:
        """Chinese, without the file's name (a finding names its file in a column of its own)."""
        return self._format(self.what)

    @property
    def message(self) -> str:
        """The reason with the file's name: 「文件「a.xlsx」不存在」."""
        if self.path is None:
            return self.reason
        return self._format(f"{self.what}「{self.path.name}」")

    def _format(self, what: str) -> str:
        return _REASONS[self.cause].format(what=what, os=os_reason(self.error))


Translate = Callable[[Failure], BaseException | None]
Policy = Translate | Mapping[type[BaseException] | Cause, type[BaseException] | Translate]


@dataclass(frozen=True)
class _Types:
    password: tuple[type[BaseException], ...]
    calamine: tuple[type[BaseException], ...]
    unsafe: tuple[type[BaseException], ...]
    syntax: tuple[type[BaseException], ...]
    unsupported: tuple[type[BaseException], ...]
    reference: tuple[type[BaseException], ...]


@functools.cache
def _types() -> _Types:
    """The dependencies' exception types, imported on the first failure only (lxml and
    calamine cost import time that a successful read should not pay here)."""
    from xml.etree.ElementTree import ParseError

    import python_calamine
    from defusedxml.common import DefusedXmlException
    from openpyxl.utils.exceptions import CellCoordinatesException, InvalidFileException

    from ledger_tools.sheets.excel import BadReference

    syntax: tuple[type[BaseException], ...] = (ParseError,)
    try:
        from lxml.etree import XMLSyntaxError

        syntax += (XMLSyntaxError,)
    except ImportError:  # lxml comes with python-docx; a reader must not need it
        pass
    return _Types(
        password=(python_calamine.PasswordError,),
        calamine=(python_calamine.CalamineError,),
        unsafe=(DefusedXmlException,),
        syntax=syntax,
        unsupported=(InvalidFileException,),
        reference=(CellCoordinatesException, BadReference),
    )


def _is_panic(exc: BaseException) -> bool:
    # pyo3 creates the type at run time in the module "pyo3_runtime"; it cannot be imported
    t = type(exc)
    return t.__name__ == "PanicException" and t.__module__ == "pyo3_runtime"


def classify(exc: BaseException) -> Cause | None:
    """The cause of a dependency's exception; None for one this module does not know."""
    if _is_panic(exc):
        return Cause.PANIC
    if not isinstance(exc, Exception) or isinstance(exc, LedgerError):
        return None
    t = _types()
    checks: tuple[tuple[tuple[type[BaseException], ...], Cause], ...] = (
        (t.password, Cause.ENCRYPTED),
        (t.calamine, Cause.UNSUPPORTED),
        (t.unsafe, Cause.UNSAFE),  # a ValueError: before ValueError below
        (t.syntax, Cause.MALFORMED),
        (t.unsupported, Cause.UNSUPPORTED),
        (t.reference, Cause.MALFORMED),
        ((zipfile.LargeZipFile,), Cause.TOO_LARGE),
        ((zipfile.BadZipFile, EOFError, KeyError), Cause.DAMAGED),
        ((zlib.error,), Cause.INFLATE),
    )
    for types, cause in checks:
        if isinstance(exc, types):
            return cause
    if isinstance(exc, OSError):
        if exc.errno is None:  # raised by a parser over bytes (olefile: "not an OLE2 file")
            return Cause.DAMAGED
        if isinstance(exc, FileNotFoundError):
            return Cause.NOT_FOUND
        if isinstance(exc, PermissionError):
            return Cause.NO_ACCESS
        if isinstance(exc, IsADirectoryError):
            return Cause.IS_FOLDER
        return Cause.SYSTEM
    if isinstance(exc, ValueError | struct.error):
        return Cause.MALFORMED
    return None


def _translate(
    policy: Policy, exc: BaseException, cause: Cause | None, what: str, path: Path | None
) -> BaseException | None:
    if not isinstance(policy, Mapping):
        return None if cause is None else policy(Failure(cause, what, path, exc))
    for cls in type(exc).__mro__:  # the most specific listed type wins, as in httpx
        if cls in policy:
            target = policy[cls]
            break
    else:
        if cause is None or cause not in policy:
            return None
        target = policy[cause]
    failure = Failure(cause or Cause.OTHER, what, path, exc)
    if isinstance(target, type):
        return target(failure.message)
    return target(failure)


@contextmanager
def map_exceptions(
    policy: Policy,
    *,
    path: Path | str | None = None,
    what: str = "文件",
    unexpected: Cause | None = None,
) -> Iterator[None]:
    """Translate a dependency's exception raised in the block into ours (see the module).

    ``path`` is the file being read, ``what`` names in Chinese the thing being read (the
    file, a part of it, a sheet); ``unexpected`` is the cause of any other ``Exception``.
    """
    try:
        yield
    except (KeyboardInterrupt, SystemExit, GeneratorExit, LedgerError):
        raise
    except BaseException as exc:
        cause = classify(exc)
        if cause is None and unexpected is not None and isinstance(exc, Exception):
            cause = unexpected
        translated = _translate(policy, exc, cause, what, Path(path) if path else None)
        if translated is None:
            raise
        raise translated from None
