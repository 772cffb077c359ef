"""Let a real LibreOffice add charts, images and data bars to a workbook, as a clerk would.

Drives tests/realclient/uno_fill.py (its ``decorations``) the way tests/realclient/lo.py drives
it for typing: a throw-away profile, a private copy of the source, every process ended here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.realclient import lo

__all__ = ["decorate"]


def decorate(src: Path, dest: Path, decorations: list[dict]) -> Path:
    """Open ``src`` in LibreOffice, add ``decorations`` (see uno_fill.py), save as xlsx."""
    lo.require_soffice(uno=True)
    src, dest = Path(src).resolve(), Path(dest).resolve()
    dest.unlink(missing_ok=True)
    work = Path(tempfile.mkdtemp(prefix="lo-decorate-"))
    copy = work / "in" / src.name
    copy.parent.mkdir()
    shutil.copyfile(src, copy)
    profile = work / "profile"
    lo._write_profile(profile, "zh-CN")
    port = lo._free_port()
    job = work / "job.json"
    job.write_text(
        json.dumps(
            {
                "port": port,
                "src": str(copy),
                "method": "typed",
                "edits": {},
                "decorations": decorations,
                "outputs": [{"path": str(dest), "filter": lo.FILTERS["xlsx"], "password": None}],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    office = None
    try:
        office = subprocess.Popen(
            [
                lo._soffice(),
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                "--nolockcheck",
                f"--accept=socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        rc, out, err = lo._run(
            [lo.UNO_PYTHON, str(lo.UNO_SCRIPT), str(job)], timeout=lo.TIMEOUT, env=lo._uno_env()
        )
        if rc != 0 or not dest.exists():
            raise lo.LibreOfficeError(f"uno_fill.py failed (exit {rc}) on {src.name}\n{err}\n{out}")
    finally:
        if office is not None:
            lo._kill_group(office)
        shutil.rmtree(work, ignore_errors=True)
    return dest
