"""ledger forms, check and merge on real files: every refusal Chinese, the ledger unchanged."""

import pytest

from tests.builders import (
    BAD_LEDGERS,
    COMMANDS,
    invoke,
    sweep_bad_option,
    sweep_chmod_read_only,
    sweep_ctrl_c,
    sweep_open_in_excel,
    sweep_wrong_ledger,
    sweep_wrong_output,
)

# --- the bad-input sweep (tests/builders.py) over these commands -------------------------------


@pytest.mark.parametrize("command", ["forms", "check", "merge"])
@pytest.mark.parametrize(("kind", "code"), BAD_LEDGERS, ids=[k for k, _ in BAD_LEDGERS])
def test_a_wrong_ledger_file_is_refused_by_every_command(
    tmp_path, command, kind, code, fresh_ledger
):
    sweep_wrong_ledger(tmp_path, command, kind, code, fresh_ledger)


def test_a_ledger_open_in_excel_exits_3_for_every_command_that_saves(tmp_path, fresh_ledger):
    sweep_open_in_excel(tmp_path, "merge", fresh_ledger)


@pytest.mark.posix_only
@pytest.mark.parametrize("command", ["merge"])
def test_a_ledger_marked_read_only_is_refused_before_anything_is_written(
    tmp_path, command, fresh_ledger
):
    sweep_chmod_read_only(tmp_path, command, fresh_ledger)


OPTION_MISTAKES = [  # (command, option, value)
    ("check", "--as-of", "20261120"),
    ("merge", "--as-of", "2026-11-31"),
    ("forms", "--period", "2026-13"),
    ("forms", "--period", "二〇二六年十一月"),
    ("forms", "--period", "0"),
    ("forms", "--period", "2026-11-20"),
]


@pytest.mark.parametrize(("command", "option", "value"), OPTION_MISTAKES)
def test_a_bad_option_value_is_a_chinese_usage_error(
    tmp_path, command, option, value, fresh_ledger
):
    sweep_bad_option(tmp_path, command, option, value, fresh_ledger)


OUTPUT_MISTAKES = [  # (command, option, what it points at, code, word the message must hold)
    ("forms", "--out", "a text file", 2, "不是文件夹"),
    ("check", "--annotate", "a text file", 2, "afile.txt"),
    ("check", "--report", "the ledger", 2, "台账本身"),
    ("check", "--report", "a folder", 2, "--report 须是问题清单的文件名"),
    ("merge", "--report", "a folder", 2, "--report 须是问题清单的文件名"),
]


@pytest.mark.parametrize(("command", "option", "target", "code", "word"), OUTPUT_MISTAKES)
def test_a_wrong_output_path_is_refused_before_anything_is_written(
    tmp_path, command, option, target, code, word, fresh_ledger
):
    sweep_wrong_output(tmp_path, command, option, target, code, word, fresh_ledger)


@pytest.mark.parametrize("command", ["check", "merge"])
@pytest.mark.parametrize("target", ["a folder", "the ledger"])
def test_a_wrong_report_path_names_report_not_out(tmp_path, command, target, fresh_ledger):
    """The message names the option the clerk gave (--report) and an example file to give."""
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    (tmp_path / "文件夹").mkdir()
    out = {"a folder": tmp_path / "文件夹", "the ledger": ledger}[target]
    r = invoke(COMMANDS[command], ledger, tmp_path, "--report", str(out))
    assert r.exit_code == 2, r.output
    assert "--report" in r.output and "--out" not in r.output and "问题清单.xlsx" in r.output


def test_ctrl_c_is_a_short_message_not_a_traceback(tmp_path, monkeypatch, fresh_ledger):
    sweep_ctrl_c(tmp_path, "forms", monkeypatch, fresh_ledger)
