"""Crash tests: `ledger merge` killed with SIGKILL at random moments never damages the ledger.

The scene is the bundled sample ledger (100 items, 15 units) with every unit's form of the
month filled in: one merge of the folder writes hundreds of cells in one save. "After" is what
an uninterrupted run of the same command makes (wall-clock stamps reduced to their day). Each
trial copies the ledger, starts the merge in a subprocess, kills it after a random delay
within the duration of an uninterrupted run, and then requires:

- the ledger is byte-identical to the one before, or equals the after state and a backup
  of the before bytes exists;
- nothing is left locked: the next writer gets the lock at once;
- (every fifth trial) merging again finishes the job: the after state, or, when the killed
  run had finished, nothing new (every file a duplicate).

The save goes through the package writer (SPEC §8 "Only what it owns"): the uninterrupted run
must change no part but worksheets and styles. The same trials, fewer of them, kill a
`ledger refresh` a week on, the writer's other common path (T cells only, no appended rows).

More trials: ``pytest tests/robustness/test_crash.py --crash-trials 200`` or
LEDGER_CRASH_TRIALS=200; the seed is LEDGER_CRASH_SEED (default 2026).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import subprocess
import time
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from ledger_tools.demo.sample import REFERENCE_DATE, build_sample
from ledger_tools.jobs import forms, intake, refresh
from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.ledger.backups import BACKUP_DIR
from ledger_tools.sheets.ledger.data import read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.lock import RunLock
from tests.builders import form_table, sha
from tests.robustness.helpers import backups, ledger_command, state

AS_OF = REFERENCE_DATE
# The temporary file a save writes in 台账备份 before the rename (sheets/files.py).
TEMPORARY = f"{BACKUP_DIR}/.~ledger-*.xlsx"
SEED = int(os.environ.get("LEDGER_CRASH_SEED", "2026"))


def fill_all(form_paths: list[Path], folder: Path) -> Path:
    """Every item of every form reported 推进中 with a real progress text."""
    folder.mkdir()
    for path in form_paths:
        wb = openpyxl.load_workbook(path)
        ws = wb[fl.SHEET_FORM]
        _header, cols, ids = form_table(ws)
        for item_id, r in ids.items():
            if not item_id:
                continue
            ws.cell(r, cols["办理状态"]).value = "推进中"
            ws.cell(
                r, cols["本期进展情况"]
            ).value = f"事项{item_id}本月完成方案编制和现场踏勘，下一步组织施工招标。"
            if ws.cell(r, cols["事项类型"]).value == "长期":
                ws.cell(r, cols["阶段性目标"]).value = "2026年12月底前完成第一阶段任务"
        wb.save(folder / path.name)
    return folder


class Scene:
    """The ledger before, the command, and what its uninterrupted run makes (``after_state``)."""

    def __init__(self, root: Path, command: str = "merge"):
        self.kind = command
        (root / "before").mkdir()
        self.before = build_sample(root / "before" / "台账.xlsx")
        refresh.run(self.before, AS_OF)
        self.before_sha = sha(self.before)
        made = forms.run(
            self.before, "2026-11", root / "forms", AS_OF, now=dt.datetime(2026, 11, 2, 9)
        )
        self.returned = fill_all([f.path for f in made.files], root / "returned")
        checked = intake.check(self.before, [self.returned], AS_OF)
        assert not [f for f in checked.findings if f.is_error], checked.findings
        self.files = len(made.files)

        after = root / "after" / "台账.xlsx"
        after.parent.mkdir()
        shutil.copy(self.before, after)
        start = time.monotonic()
        run = subprocess.run(self.command(after), capture_output=True, text=True)
        self.duration = time.monotonic() - start
        assert run.returncode == 0, run.stderr
        self.after_state = state(after)
        assert self.after_state != state(self.before)
        _assert_saved_by_the_writer(self.before, after)

    def command(self, ledger: Path) -> list[str]:
        if self.kind == "refresh":
            return ledger_command("refresh", ledger, "--as-of", LATER.isoformat())
        return ledger_command("merge", ledger, self.returned, "--as-of", AS_OF.isoformat())

    def run_again(self, ledger: Path) -> bool:
        """The command run again, in process; whether it saved."""
        if self.kind == "refresh":
            return refresh.run(ledger, LATER).saved
        result = intake.merge(ledger, [self.returned], AS_OF)
        assert result.saved or result.count(intake.DUPLICATE) == self.files
        return result.saved


LATER = AS_OF + dt.timedelta(days=7)  # refresh's day: every open item's 剩余工作日 moves


def _assert_saved_by_the_writer(before: Path, after: Path) -> None:
    """Only worksheets and styles changed, every other part byte for byte as it was: the
    package writer saved it (an openpyxl save rewrites every part)."""
    with zipfile.ZipFile(before) as a, zipfile.ZipFile(after) as b:
        assert a.namelist() == b.namelist()
        changed = {n for n in a.namelist() if a.read(n) != b.read(n)}
    assert changed and all(
        n.startswith("xl/worksheets/sheet") or n == "xl/styles.xml" for n in changed
    ), changed


@pytest.fixture(scope="module")
def scene(tmp_path_factory) -> Scene:
    return Scene(tmp_path_factory.mktemp("crash"))


@pytest.fixture(scope="module")
def refresh_scene(tmp_path_factory) -> Scene:
    return Scene(tmp_path_factory.mktemp("crash-refresh"), "refresh")


def _start(scene: Scene, folder: Path) -> tuple[Path, subprocess.Popen]:
    folder.mkdir()
    ledger = folder / "台账.xlsx"
    shutil.copy(scene.before, ledger)
    proc = subprocess.Popen(
        scene.command(ledger), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return ledger, proc


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()  # SIGKILL: no cleanup of any kind runs
    proc.wait()


def _judge(scene: Scene, ledger: Path) -> str:
    """'before' or 'after'; fails on anything else."""
    if sha(ledger) == scene.before_sha:
        outcome = "before"
    else:
        assert state(ledger) == scene.after_state, (
            "the ledger is neither the state before nor after"
        )
        saved = backups(ledger)
        assert len(saved) == 1 and sha(saved[0]) == scene.before_sha, "changed without a backup"
        with LedgerFile(ledger) as lf:
            assert read_ledger(lf).items
        outcome = "after"
    _assert_unlocked(ledger)
    return outcome


def _assert_unlocked(ledger: Path) -> None:
    """A killed run leaves no lock behind: the next writer would get it at once."""
    with RunLock(ledger, wait=0) as lock:
        assert lock.held


def _finish(scene: Scene, ledger: Path, outcome: str) -> None:
    """Running the command again finishes the job: the after state, or nothing new to save."""
    saved = scene.run_again(ledger)
    if outcome == "before":
        assert saved and state(ledger) == scene.after_state
    else:
        assert not saved and state(ledger) == scene.after_state


def test_merges_killed_at_random_moments_leave_the_ledger_before_or_after(
    scene, crash_trials, tmp_path
):
    _random_kills(scene, crash_trials, tmp_path)


def test_refreshes_killed_at_random_moments_leave_the_ledger_before_or_after(
    refresh_scene, crash_trials, tmp_path
):
    _random_kills(refresh_scene, max(5, crash_trials // 4), tmp_path)


def _random_kills(scene: Scene, crash_trials: int, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    outcomes: Counter = Counter()
    leftovers = 0
    for trial in range(crash_trials):
        delay = rng.uniform(0, scene.duration)
        ledger, proc = _start(scene, tmp_path / f"trial-{trial:03}")
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            pass
        _kill(proc)
        outcome = _judge(scene, ledger)
        outcomes[outcome] += 1
        leftovers += bool(list(ledger.parent.glob(TEMPORARY)))
        if trial % 5 == 0:
            _finish(scene, ledger, outcome)
    print(
        f"\n{crash_trials} killed {scene.kind} runs (seed {SEED}, delays 0–{scene.duration:.2f} s): "
        f"{dict(outcomes)}; temporary files left by a kill mid-save: {leftovers}"
    )
    assert sum(outcomes.values()) == crash_trials


def _kill_when(scene: Scene, folder: Path, happened) -> tuple[Path, bool]:
    """Kill the merge the moment ``happened(ledger)`` is true (polled every millisecond)."""
    ledger, proc = _start(scene, folder)
    inode = ledger.stat().st_ino
    seen = False
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if happened(ledger, inode):
            seen = True
            break
        time.sleep(0.001)
    _kill(proc)
    return ledger, seen


MOMENTS = {  # moment → (has it come?, the outcomes allowed)
    "while-writing-the-new-file": (
        lambda ledger, ino: any(ledger.parent.glob(TEMPORARY)),
        {"before"},
    ),
    "right-after-the-backup": (lambda ledger, ino: bool(backups(ledger)), {"before", "after"}),
    "right-after-the-rename": (lambda ledger, ino: ledger.stat().st_ino != ino, {"after"}),
}


@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize("command", ["merge", "refresh"])
def test_a_command_killed_inside_the_save_leaves_the_ledger_before_or_after(
    command, moment, request, tmp_path
):
    scene = request.getfixturevalue("scene" if command == "merge" else "refresh_scene")
    happened, allowed = MOMENTS[moment]
    for trial in range(2):
        ledger, seen = _kill_when(scene, tmp_path / f"{trial}", happened)
        assert seen, f"the {command} ended before the moment {moment}"
        outcome = _judge(scene, ledger)
        assert outcome in allowed, (moment, outcome)
        if trial == 0:
            _finish(scene, ledger, outcome)
