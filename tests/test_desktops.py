"""The clerks' desktops (SPEC §11): no POSIX-only module on the way of any command, pools that
work with spawn, every command's output through a GBK console, and nothing of ours beside the
ledger but 台账备份."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger_tools.cli import cli
from ledger_tools.demo.sample import REFERENCE_DATE, build_sample
from ledger_tools.sheets.ledger.backups import BACKUP_DIR

ROOT = Path(__file__).resolve().parent.parent

# Put first on PYTHONPATH, so that it runs in the command and in every spawned worker too.
NO_POSIX = textwrap.dedent("""
    import importlib.abc
    import multiprocessing
    import sys

    BLOCKED = {"fcntl", "termios", "pwd", "grp", "resource"}


    class _NoPosix(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"No module named {name!r} (as on Windows)")
            return None


    sys.meta_path.insert(0, _NoPosix())
    for _name in BLOCKED:
        sys.modules.pop(_name, None)
    multiprocessing.set_start_method("spawn", force=True)
""")

# Runs each argv list through the real console script in one process, stdout a GBK pipe.
DRIVER = textwrap.dedent("""
    import json, sys
    from ledger_tools.cli import main
    for argv in json.loads(sys.argv[1]):
        sys.argv = ["ledger", *argv]
        print(f"=== {' '.join(argv)}", flush=True)
        try:
            main()
        except SystemExit as e:
            print(f"=== exit {e.code}", flush=True)
""")


def _run_without_posix(tmp_path: Path, commands: list[list[str]]) -> subprocess.CompletedProcess:
    import json

    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(NO_POSIX, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]),
        "PYTHONIOENCODING": "gbk",  # a Chinese Windows console, or stdout redirected there
        "COLUMNS": "100",
    }
    env.pop("LEDGER_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(commands)],
        capture_output=True,
        env=env,
        timeout=600,
        check=False,
    )


def _help_of_every_command() -> list[list[str]]:
    return [["-h"], *([name, "-h"] for name in sorted(cli.commands))]


@pytest.mark.slow
def test_the_monthly_cycle_runs_with_no_posix_module_spawned_workers_and_a_gbk_stdout(tmp_path):
    """As on Windows: no fcntl/termios/pwd/grp/resource, workers spawned, output in cp936."""
    demo = tmp_path / "演示"
    ledger = demo / "督查台账-示例.xlsx"
    commands = [
        ["demo", str(demo)],
        ["validate", str(ledger)],
        ["check", str(ledger), str(demo / "报回"), "--as-of", "2026-11-20"],
        ["refresh", str(ledger), "--as-of", "2026-11-20"],
        ["validate", str(tmp_path / "没有这个台账.xlsx")],
        ["forms", str(ledger), "--period", "2026-13", "--out", str(tmp_path / "x")],
        *_help_of_every_command(),
    ]
    done = _run_without_posix(tmp_path, commands)
    out = done.stdout.decode("gbk")  # strictly: every byte is GBK
    err = done.stderr.decode("gbk")
    assert done.returncode == 0, err
    for text in (out, err):
        assert "Traceback" not in text and "UnicodeEncodeError" not in text
        assert "程序内部错误" not in text and "ModuleNotFoundError" not in text
    assert "演示完成" in out
    exits = [line for line in out.splitlines() if line.startswith("=== exit")]
    assert exits[0] == "=== exit 0"  # the demo
    assert len(exits) == len(commands)
    assert set(exits) <= {"=== exit 0", "=== exit 1", "=== exit 2"}
    assert "找不到台账文件" in err  # the missing ledger, said in Chinese


def test_every_commands_help_goes_through_a_gbk_stdout(tmp_path):
    done = _run_without_posix(tmp_path, _help_of_every_command())
    out = done.stdout.decode("gbk")
    assert done.returncode == 0 and "Traceback" not in done.stderr.decode("gbk")
    assert out.count("=== exit 0") == len(cli.commands) + 1 and "bundle" in out


def test_the_ledgers_folder_holds_nothing_new_but_the_backup_folder(tmp_path):
    """refresh, forms, merge and brief leave beside the ledger only 台账备份 (outputs go to --out)."""
    office = tmp_path / "督查室"
    office.mkdir()
    ledger = build_sample(office / "督查台账.xlsx")
    out = tmp_path / "输出"
    as_of = REFERENCE_DATE.isoformat()
    month = f"{REFERENCE_DATE:%Y-%m}"
    runner = CliRunner()
    for argv in (
        ["refresh", str(ledger), "--as-of", as_of],
        ["forms", str(ledger), "--period", month, "--out", str(out / "反馈表"), "--as-of", as_of],
        ["merge", str(ledger), str(out / "反馈表"), "--as-of", as_of],
        ["brief", str(ledger), "--month", month, "--out", str(out / "通报"), "--as-of", as_of],
    ):
        r = runner.invoke(cli, argv)
        assert r.exit_code in (0, 1), r.output
        assert sorted(p.name for p in office.iterdir()) == [BACKUP_DIR, ledger.name], argv
    kept = sorted(p.name for p in (office / BACKUP_DIR).iterdir())
    assert not [n for n in kept if n.startswith(".~")]  # no temporary file left
