"""Drive a real LibreOffice the way a unit would: convert files, type into cells, save.

Every soffice run gets its own throw-away profile (``-env:UserInstallation``), so runs never
share or lock a user profile and can go in parallel; every process started here is ended here,
by its process group, in a ``finally``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

__all__ = [
    "FILTERS",
    "LibreOfficeError",
    "convert",
    "fill_and_save",
    "require_soffice",
    "soffice_available",
    "uno_available",
]

UNO_PYTHON = "/usr/bin/python3"
UNO_SCRIPT = Path(__file__).with_name("uno_fill.py")
TIMEOUT = 120.0

# Export filters by target extension, as LibreOffice names them.
FILTERS = {
    "xlsx": "Calc MS Excel 2007 XML",
    "xls": "MS Excel 97",
    "ods": "calc8",
}


class LibreOfficeError(RuntimeError):
    pass


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_available() -> bool:
    return _soffice() is not None


@cache
def uno_available() -> bool:
    """The system Python with the ``uno`` module that ``uno_fill.py`` needs."""
    if not soffice_available() or not Path(UNO_PYTHON).exists():
        return False
    try:
        r = subprocess.run(
            [UNO_PYTHON, "-c", "import uno"], env=_uno_env(), capture_output=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


def require_soffice(*, uno: bool = False) -> None:
    """Skip when LibreOffice is missing, but fail in CI, where it must be installed."""
    import pytest

    ok = soffice_available() and (not uno or uno_available())
    if ok:
        return
    what = "LibreOffice (soffice) with python3-uno" if uno else "LibreOffice (soffice)"
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI but is not installed")
    pytest.skip(f"{what} not installed")


def _uno_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return env


def _profile_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="lo-profile-"))


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _kill_group(proc: subprocess.Popen) -> None:
    """soffice is a wrapper around oosplash and soffice.bin, and the wrapper may be gone while
    soffice.bin lives on: end the whole process group this module started (its id is the
    leader's pid, from ``start_new_session``)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            proc.poll()  # reap the leader so it does not linger as a zombie
            if not _group_alive(proc.pid):
                break
            time.sleep(0.1)
        else:
            continue
        break
    proc.poll()


def _run(
    cmd: list[str], *, timeout: float, env: Mapping[str, str] | None = None
) -> tuple[int, str, str]:
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env) if env is not None else None,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, err = proc.communicate()
        raise LibreOfficeError(
            f"timed out after {timeout:.0f} s: {' '.join(cmd)}\n{err.decode(errors='replace')}"
        ) from None
    finally:
        _kill_group(proc)
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def convert(src: Path, fmt: str, out_dir: Path) -> Path:
    """``soffice --headless --convert-to fmt``; returns the new file or raises with stderr."""
    soffice = _soffice()
    if soffice is None:
        raise LibreOfficeError("soffice not found")
    src, out_dir = Path(src).resolve(), Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{src.stem}.{fmt}"
    if target == src:
        raise ValueError(f"converting {src} to itself")
    target.unlink(missing_ok=True)  # soffice exits 0 even when it wrote nothing
    profile = _profile_dir()
    try:
        rc, out, err = _run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                fmt,
                "--outdir",
                str(out_dir),
                str(src),
            ],
            timeout=TIMEOUT,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if rc != 0 or not target.exists():
        raise LibreOfficeError(
            f"soffice --convert-to {fmt} {src.name} failed (exit {rc})\nstdout: {out}\nstderr: {err}"
        )
    return target


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">\
<value>{locale}</value></prop></item>
</oor:items>
"""


def _write_profile(profile: Path, locale: str) -> None:
    """Seed a fresh profile with the office locale, which number recognition follows."""
    user = profile / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(
        _PROFILE_XCU.format(locale=locale), encoding="utf-8"
    )


ATTEMPTS = 3


def fill_and_save(*args, **kwargs) -> dict[str, Path]:
    """`_fill_and_save_once`, retried: headless LibreOffice 7.4 now and then aborts while saving
    under load (seen about 3 times in 8 runs at load 4-5, never on a quiet machine). A crash is
    LibreOffice's, not the form's, so it is retried; a real failure fails every attempt."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _fill_and_save_once(*args, **kwargs)
        except LibreOfficeError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _fill_and_save_once(
    src: Path,
    edits: Mapping[str, Mapping[str, str]],
    out_dir: Path,
    formats: Iterable[str] = ("xlsx", "xls", "ods"),
    *,
    password: str | None = None,
    locale: str = "zh-CN",
    method: str = "typed",
    report: dict | None = None,
) -> dict[str, Path]:
    """Open ``src`` in a headless soffice over UNO, type ``edits`` ({sheet: {"K7": text}}) into
    the cells, and save one copy per format as ``out_dir/{src.stem}.{fmt}``.

    ``locale`` is the office locale of the throw-away profile: it decides which typed dates
    are recognised (zh-CN: 2026-3-5, 2026/3/5, 2026年3月5日, 2026.3.5, full-width digits).
    ``method`` "typed" enters text as the input line does (``FormulaLocal``: dates in the
    locale, and the cell gets a date format, as in real use); "api" uses ``XCell.setFormula``
    (en-US parsing; a date typed into a General cell stays a bare serial number).
    ``password`` saves the copies encrypted: an xls with FILEPASS (RC4), an ods with ODF
    encryption. Not for xlsx: LibreOffice 7.4's OOXML export ignores "Password" over UNO and
    fails with "EncryptionData" (make encrypted xlsx with msoffcrypto-tool instead).
    ``report``, when given, receives what LibreOffice made of each typed cell and any notes
    (e.g. a locked cell on a protected sheet that had to be unprotected to type into).
    """
    soffice = _soffice()
    if soffice is None:
        raise LibreOfficeError("soffice not found")
    src, out_dir = Path(src).resolve(), Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs: dict[str, Path] = {}
    formats = tuple(formats)
    if password and "xlsx" in formats:
        raise ValueError("LibreOffice cannot save an encrypted xlsx over UNO; use msoffcrypto-tool")
    for fmt in formats:
        if fmt not in FILTERS:
            raise ValueError(f"unknown format {fmt!r}; one of {sorted(FILTERS)}")
        target = out_dir / f"{src.stem}.{fmt}"
        if target == src:
            raise ValueError(f"saving over the source file {src}")
        target.unlink(missing_ok=True)
        outputs[fmt] = target

    work = Path(tempfile.mkdtemp(prefix="lo-fill-"))
    # Open a private copy: a crashed soffice leaves a .~lock file beside the document, and
    # the next headless load of a locked file silently returns nothing.
    copy = work / "in" / src.name
    copy.parent.mkdir()
    shutil.copyfile(src, copy)
    profile = work / "profile"
    _write_profile(profile, locale)
    port = _free_port()
    job = {
        "port": port,
        "src": str(copy),
        "method": method,
        "edits": {sheet: dict(cells) for sheet, cells in edits.items()},
        "outputs": [
            {"path": str(p), "filter": FILTERS[fmt], "password": password}
            for fmt, p in outputs.items()
        ],
    }
    job_path = work / "job.json"
    job_path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    log = open(work / "soffice.log", "wb")
    office = None
    try:
        office = subprocess.Popen(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                "--nolockcheck",
                f"--accept=socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        rc, out, err = _run(
            [UNO_PYTHON, str(UNO_SCRIPT), str(job_path)], timeout=TIMEOUT, env=_uno_env()
        )
        if rc != 0:
            log.flush()
            soffice_log = (work / "soffice.log").read_text(errors="replace")
            raise LibreOfficeError(
                f"uno_fill.py failed (exit {rc}) on {src.name}\nstderr: {err}\n"
                f"stdout: {out}\nsoffice: {soffice_log}"
            )
        if report is not None:
            report.update(json.loads(out.strip().splitlines()[-1]))
    finally:
        if office is not None:
            _kill_group(office)
        log.close()
        shutil.rmtree(work, ignore_errors=True)
    missing = [str(p) for p in outputs.values() if not p.exists()]
    if missing:
        raise LibreOfficeError(f"LibreOffice did not write: {', '.join(missing)}")
    return outputs
