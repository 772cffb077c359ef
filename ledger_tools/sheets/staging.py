"""Many output files published together: all of them, or none (a run's notices, a briefing).

A run writes its files into a hidden folder inside the output folder first (same volume, so
the moves are renames); only when everything is written, and the ledger saved where the command
saves it, are they moved into place. A file that cannot be replaced (open in Word on Windows,
after ``files``' brief retry) puts back the ones already moved, so the output folder is as it
was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ledger_tools.sheets.files import (
    STAGING_PREFIX,
    check_not_open,
    fsync_dir,
    mode_for,
    output_dir,
    refuse_folder_in_place,
    replace_file,
    unwritable,
)

__all__ = ["Staging"]

T = TypeVar("T")

_KEPT = ".replaced"  # inside the staging folder: the files publishing replaced, until it is done


class Staging:
    """A hidden folder inside the output folder where a run writes its files first.

    Only when everything is written (and the ledger saved, where the command saves it) are the
    files moved into place, all or none: a file that cannot be replaced (open in Word on
    Windows) puts back the ones already moved, so the output folder is as it was.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        if not self.out_dir.is_dir():
            output_dir(self.out_dir, "输出文件")
        try:
            self.dir = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.out_dir))
        except OSError as e:
            raise unwritable(self.out_dir, e) from None

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name: str) -> Path:
        return self.dir / name

    def _staged(self) -> list[Path]:
        return sorted(p for p in self.dir.iterdir() if p.name != _KEPT)

    def check(self) -> None:
        """Refuse before anything is saved when a file to be replaced is open in Word/Excel/WPS."""
        for staged in self._staged():
            target = self.out_dir / staged.name
            check_not_open(target)
            refuse_folder_in_place(target)

    def publish(self) -> list[Path]:
        """Move every staged file into the output folder (replacing files of the same name)."""
        self.check()
        done: list[tuple[Path, Path | None]] = []  # (target, the file it replaced, kept)
        try:
            for staged in self._staged():
                target = self.out_dir / staged.name
                with contextlib.suppress(OSError):
                    os.chmod(staged, mode_for(target))
                kept = self._keep(target)
                replace_file(staged, target)
                done.append((target, kept))
        except BaseException:
            self._put_back(done)
            raise
        fsync_dir(self.out_dir)
        return [target for target, _ in done]

    def publish_after(self, save: Callable[[], T]) -> T:
        """``save()`` (the ledger's), then publish; what ``save`` returned.

        An output open in Word/Excel/WPS refuses the run before the ledger is saved, and a
        refused save publishes nothing: the ledger and the folder change together or not at all.
        """
        self.check()
        saved = save()
        self.publish()
        return saved

    def _keep(self, target: Path) -> Path | None:
        """A second name for the file about to be replaced, so that it can be put back."""
        if not target.exists():
            return None
        kept = self.dir / _KEPT / target.name
        try:
            kept.parent.mkdir(exist_ok=True)
            try:
                os.link(target, kept)
            except OSError:  # no hard links on this file system: a copy
                shutil.copy2(target, kept)
        except OSError as e:
            raise unwritable(target, e) from None
        return kept

    @staticmethod
    def _put_back(done: list[tuple[Path, Path | None]]) -> None:
        for target, kept in reversed(done):
            with contextlib.suppress(OSError):
                if kept is None:
                    target.unlink()
                else:
                    os.replace(kept, target)
