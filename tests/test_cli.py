"""The command line: exit codes of SPEC §7 with real files, the ledger unchanged on every refusal."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from ledger_tools.cli import cli
from tests.builders import item, make_ledger, sha
from tests.sheets.test_ledger_file import _data_bar, _ledger_by_xlsxwriter


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def ledger(tmp_path):
    return make_ledger(tmp_path / "台账.xlsx", [item()])


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


def test_would_lose_a_data_bar_exits_4_and_leaves_the_ledger(tmp_path):
    path = _ledger_by_xlsxwriter(tmp_path / "台账.xlsx", _data_bar)
    digest = sha(path)
    r = run("refresh", path, "--as-of", "2026-11-20")
    assert r.exit_code == 4 and "拒绝保存" in r.output and "数据条" in r.output
    assert sha(path) == digest


def test_validate_exit_codes(tmp_path, ledger):
    assert run("validate", ledger).exit_code == 0
    bad = make_ledger(tmp_path / "bad.xlsx", [item(印发日期="不是日期")])
    r = run("validate", bad)
    assert r.exit_code == 1 and "L305" in r.output


def test_unconfirmed_year_warns(tmp_path):
    path = make_ledger(tmp_path / "t.xlsx", [item(印发日期="2027-12-01", 完成时限="2028-01-31", 交办日期=None)])
    r = run("refresh", path, "--as-of", "2027-12-10")
    assert r.exit_code == 0 and "调休安排未确认" in r.output


def test_help_is_chinese_and_module_entry_point_works():
    r = subprocess.run([sys.executable, "-m", "ledger_tools", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "督查台账" in r.stdout


def test_demo_runs_and_refuses_a_foreign_folder(tmp_path):
    out = tmp_path / "demo"
    r = run("demo", out)
    assert r.exit_code == 0, r.output
    assert (out / "督查台账-示例.xlsx").exists()
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("keep")
    assert run("demo", foreign).exit_code == 2 and (foreign / "mine.txt").exists()
