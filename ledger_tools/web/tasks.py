"""Work the page started: one action at a time, its progress, its outcome, its downloads.

A job can take a while (a hundred forms, a briefing), so an action runs in a thread and the
page asks for its state until it is done (``Task``). Only one action runs at a time: jobs take
the ledger's run lock anyway, and a clerk who clicks twice should hear "wait", not get a
busy-ledger error from the second click.

Every file an action writes goes into a folder of its own inside the workbench's private
temporary folder (``tempfile.mkdtemp``: readable by this user only), and is offered only by
an opaque random id (``Downloads``): a request names an id, never a path, so no request can
reach any other file. The folder goes when the workbench stops.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger_tools.errors import LedgerError, os_reason

__all__ = ["Download", "Downloads", "Refusal", "Task", "Tasks", "refusal_of"]

ID_LENGTH = 22  # secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Download:
    id: str
    path: Path
    name: str  # the name the browser saves it under: the CLI's name for the file


@dataclass(frozen=True)
class Refusal:
    """What the CLI would have printed after 错误：, and its exit code (SPEC §7)."""

    message: str
    exit_code: int


def refusal_of(e: BaseException) -> Refusal:
    """The CLI's message for an error (cli/base.py ``guarded``), without the terminal."""
    if isinstance(e, LedgerError):
        return Refusal(str(e), e.exit_code)
    if isinstance(e, OSError):
        where = e.filename or "文件"
        return Refusal(
            f"无法读写 {where}（{os_reason(e)}）。请检查该文件或文件夹是否只读、是否正在被其他程序打开，"
            "以及磁盘空间和权限，然后重新运行。",
            2,
        )
    return Refusal(
        f"程序内部错误（{type(e).__name__}: {e}）。台账的保存是一次完成的，不会因此损坏。"
        "请将本信息和所用文件发给维护人员。",
        1,
    )


class Downloads:
    """Files a job produced, each by a random id; nothing else can be downloaded."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self._files: dict[str, Download] = {}
        self._lock = threading.Lock()

    def add(self, path: Path, name: str | None = None) -> Download:
        path = Path(path).resolve()
        if not path.is_file() or not path.is_relative_to(self.root):
            raise ValueError(f"not a file this workbench wrote: {path}")
        d = Download(secrets.token_urlsafe(16), path, name or path.name)
        with self._lock:
            self._files[d.id] = d
        return d

    def bundle(self, paths: list[Path], name: str, folder: Path) -> Download:
        """One file as itself; many as one zip named ``name`` (the files keep their names)."""
        if len(paths) == 1:
            return self.add(paths[0])
        target = folder / name
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for p in paths:
                z.write(p, p.name)
        return self.add(target)

    def get(self, download_id: str) -> Download | None:
        """The download by its id; anything that is not exactly an issued id is None."""
        if len(download_id) != ID_LENGTH:
            return None
        with self._lock:
            found = self._files.get(download_id)
        if found is None or not found.path.is_file():
            return None
        return found


@dataclass
class Task:
    """One action: running with its progress, then finished with an outcome or a refusal."""

    id: str
    title: str
    done: int = 0
    total: int = 0
    what: str = ""
    finished: bool = False
    outcome: dict[str, Any] = field(default_factory=dict)  # what the outcome template shows
    template: str = ""
    refusal: Refusal | None = None
    downloads: list[tuple[str, Download]] = field(default_factory=list)  # (label, file)

    def progress(self, done: int, total: int, what: str) -> None:
        self.done, self.total, self.what = done, total, what

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


class Busy(Exception):
    """Another action is still running."""


class Tasks:
    """The workbench's private folder, its running action and every finished one."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="ledger-workbench-")).resolve()
        os.chmod(self.root, 0o700)
        self.downloads = Downloads(self.root)
        self._tasks: dict[str, Task] = {}
        self._running = threading.Lock()
        # 导入纪要: the minutes previewed, by the preview's task id, until 确认导入 imports them
        self.pending_minutes: dict[str, Path] = {}

    def folder(self, kind: str) -> Path:
        """A new private folder inside ours (``in``: uploads, ``out``: what a job writes)."""
        base = self.root / kind
        base.mkdir(exist_ok=True, mode=0o700)
        return Path(tempfile.mkdtemp(dir=base))

    def start(
        self,
        title: str,
        work: Callable[[Task], None],
        *,
        cleanup: Callable[[], None] | None = None,
        wait: bool = False,
    ) -> Task:
        """Run ``work(task)`` in a thread; refuses (Busy) while another action runs.

        ``cleanup`` runs when the work ends whatever happened (uploads removed afterwards).
        """
        if not self._running.acquire(blocking=False):
            if cleanup:
                cleanup()
            raise Busy
        task = Task(secrets.token_urlsafe(16), title)
        self._tasks[task.id] = task

        def body() -> None:
            try:
                work(task)
            except BaseException as e:  # the page shows it; nothing raw reaches the clerk
                task.refusal = refusal_of(e)
            finally:
                try:
                    if cleanup:
                        cleanup()
                finally:
                    task.finished = True
                    self._running.release()

        thread = threading.Thread(target=body, name=f"workbench-{title}", daemon=True)
        thread.start()
        if wait:
            thread.join()
        return task

    def get(self, task_id: str) -> Task | None:
        return self._tasks.get(task_id) if len(task_id) == ID_LENGTH else None

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
