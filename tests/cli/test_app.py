"""The `ledger` group: help, version, the exit code of each error type, click's own complaints
in Chinese. Each command's own tests are in tests/cli/test_<area>_cmds.py."""

import subprocess
import sys
import zipfile
from importlib.metadata import version

import pytest
from click.testing import CliRunner

from ledger_tools.cli.app import cli
from tests.builders import (
    COMMANDS,
    ENGLISH,
    add_data_bar,
    assert_refused,
    ledger_by_xlsxwriter,
    rows_without_numbers,
    run,
    sha,
)


def test_missing_ledger_is_usage_error(tmp_path):
    r = run("refresh", tmp_path / "没有.xlsx")
    assert r.exit_code == 2 and "找不到台账文件" in r.output


def test_not_a_ledger_is_usage_error_and_untouched(tmp_path):
    import openpyxl

    other = tmp_path / "别的表.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "工资表"
    wb.save(other)
    digest = sha(other)
    r = run("refresh", other, "--as-of", "2026-11-20")
    assert r.exit_code == 2 and "不是 ledger 台账" in r.output
    assert sha(other) == digest


def test_bad_date_is_usage_error(ledger):
    digest = sha(ledger)
    r = run("refresh", ledger, "--as-of", "2026-13-01")
    assert r.exit_code == 2 and "不是有效日期" in r.output
    assert sha(ledger) == digest


def test_open_in_excel_exits_3_and_leaves_the_ledger(ledger):
    (ledger.parent / f"~${ledger.name}").write_bytes(b"owner")
    digest = sha(ledger)
    r = run("refresh", ledger, "--as-of", "2026-11-20")
    assert r.exit_code == 3 and "正在被" in r.output
    assert sha(ledger) == digest


def test_a_data_bar_is_kept_by_a_refresh(tmp_path):
    path = ledger_by_xlsxwriter(tmp_path / "台账.xlsx", add_data_bar)
    r = run("refresh", path, "--as-of", "2026-11-20")
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(path) as z:
        assert any(b"dataBar" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_would_lose_a_data_bar_exits_4_and_leaves_the_ledger(tmp_path):
    """Only where the package writer is not sure of the package does openpyxl save it."""
    path = rows_without_numbers(ledger_by_xlsxwriter(tmp_path / "台账.xlsx", add_data_bar))
    digest = sha(path)
    r = run("refresh", path, "--as-of", "2026-11-20")
    assert r.exit_code == 4 and "拒绝保存" in r.output and "数据条" in r.output
    assert sha(path) == digest


def test_help_is_chinese_and_module_entry_point_works():
    r = subprocess.run(
        [sys.executable, "-m", "ledger_tools", "--help"], capture_output=True, text=True
    )
    assert r.returncode == 0 and "督查台账" in r.stdout


def test_version_is_the_installed_one():
    r = run("--version")
    assert r.exit_code == 0 and r.output.strip() == f"ledger {version('ledger_tools')}"


USAGE_MISTAKES = [
    ("refresh",),
    ("nosuch",),
    ("refresh", "{L}", "--as_of", "2026-11-20"),
    ("refresh", "{L}", "{L}"),
    ("forms", "{L}", "--out", "{D}"),
    ("forms", "{L}", "--out", "{D}", "--period"),
    ("score", "{L}", "--year", "2026"),
    ("sample", "{L}", "--n", "2", "--out", "{D}/x.xlsx"),
    ("check", "{L}"),
]


@pytest.mark.parametrize("args", USAGE_MISTAKES, ids=" ".join)
def test_click_s_own_complaints_are_chinese(tmp_path, args, fresh_ledger):
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    digest = sha(ledger)
    r = CliRunner().invoke(cli, [a.format(L=ledger, D=tmp_path) for a in args])
    assert_refused(r, 2, "缺少", "没有这个", "多余的参数", "需要一个值")
    assert sha(ledger) == digest


@pytest.mark.parametrize("command", list(COMMANDS) + [None])
def test_help_has_no_english(command):
    r = CliRunner().invoke(cli, [command, "-h"] if command else ["-h"])
    assert r.exit_code == 0 and "用法：ledger" in r.output and "选项：" in r.output
    assert (
        not ENGLISH.search(r.output) and "[OPTIONS]" not in r.output and "PATH" not in r.output
    ), r.output
