"""ledger brief, score, notices, remind and sample on real files: every refusal Chinese, the
ledger unchanged, no output left half written."""

import errno
import tempfile
from pathlib import Path

import pytest

from tests.builders import (
    BAD_LEDGERS,
    COMMANDS,
    assert_refused,
    invoke,
    run,
    sha,
    sweep_bad_option,
    sweep_chmod_read_only,
    sweep_ctrl_c,
    sweep_open_in_excel,
    sweep_read_only,
    sweep_wrong_ledger,
    sweep_wrong_output,
)

AS_OF = "2026-11-20"
MINE = ("brief", "score", "notices", "remind", "sample")


@pytest.mark.parametrize("command", ["notices", "remind"])
def test_a_notice_open_in_word_exits_3_and_the_ledger_stays(tmp_path, command, fresh_ledger):
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    r = invoke(COMMANDS[command], ledger, tmp_path)
    assert r.exit_code == 0, r.output
    made = next(
        p
        for p in (tmp_path / ("通知" if command == "notices" else "催办")).iterdir()
        if p.suffix == ".docx"
    )
    (made.parent / f"~${made.name}").write_bytes(b"owner")
    ledger.unlink()
    fresh_ledger(ledger)  # a fresh ledger again: the first run filled 交办日期 or 催办记录
    digest = sha(ledger)
    r = invoke(COMMANDS[command], ledger, tmp_path)
    assert_refused(r, 3, made.name)
    assert sha(ledger) == digest


@pytest.mark.parametrize("command", ["notices", "remind", "score", "sample"])
def test_a_refused_run_leaves_no_output_folder_behind(tmp_path, command):
    r = invoke(COMMANDS[command], tmp_path / "没有.xlsx", tmp_path)
    assert_refused(r, 2, "没有.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["反馈表-2026-11-东城区人民政府.xlsx"]


def test_an_unwritable_folder_is_named(tmp_path, monkeypatch, fresh_ledger):
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    digest = sha(ledger)
    real_mkstemp = tempfile.mkstemp

    real_mkdtemp = tempfile.mkdtemp

    def refuse(real):
        def make(*a, dir=None, **k):
            if dir is not None and Path(dir).name == "出口":
                raise PermissionError(
                    errno.EROFS, "Read-only file system", str(Path(dir) / ".~tmp")
                )
            return real(*a, dir=dir, **k)

        return make

    monkeypatch.setattr(tempfile, "mkstemp", refuse(real_mkstemp))
    monkeypatch.setattr(tempfile, "mkdtemp", refuse(real_mkdtemp))
    (tmp_path / "出口").mkdir()
    for args in (
        ["score", ledger, "--year", "2026", "--out", tmp_path / "出口" / "扣分.xlsx"],
        ["sample", ledger, "--n", "1", "--seed", "1", "--out", tmp_path / "出口" / "抽查.xlsx"],
        ["remind", ledger, "--out", tmp_path / "出口", "--as-of", AS_OF],
        ["brief", ledger, "--month", "2026-11", "--out", tmp_path / "出口"],
    ):
        assert_refused(run(*args), 2, "出口")
    assert sha(ledger) == digest and list((tmp_path / "出口").iterdir()) == []


# --- the bad-input sweep (tests/builders.py) over these commands -------------------------------


@pytest.mark.parametrize("command", MINE)
@pytest.mark.parametrize(("kind", "code"), BAD_LEDGERS, ids=[k for k, _ in BAD_LEDGERS])
def test_a_wrong_ledger_file_is_refused_by_every_command(
    tmp_path, command, kind, code, fresh_ledger
):
    sweep_wrong_ledger(tmp_path, command, kind, code, fresh_ledger)


@pytest.mark.parametrize("command", ["brief", "notices", "remind"])
def test_a_ledger_open_in_excel_exits_3_for_every_command_that_saves(
    tmp_path, command, fresh_ledger
):
    sweep_open_in_excel(tmp_path, command, fresh_ledger)


@pytest.mark.parametrize("command", ["brief", "notices", "remind"])
def test_a_read_only_ledger_is_a_clear_error_and_stays_whole(
    tmp_path, command, monkeypatch, fresh_ledger
):
    sweep_read_only(tmp_path, command, monkeypatch, fresh_ledger)


@pytest.mark.posix_only
@pytest.mark.parametrize("command", ["brief", "notices", "remind"])
def test_a_ledger_marked_read_only_is_refused_before_anything_is_written(
    tmp_path, command, fresh_ledger
):
    sweep_chmod_read_only(tmp_path, command, fresh_ledger)


OPTION_MISTAKES = [  # (command, option, value)
    ("remind", "--as-of", "11/20/2026"),
    ("brief", "--month", "-1"),
    ("brief", "--month", "11月"),
    ("score", "--year", "26"),
    ("score", "--year", "二〇二六"),
    ("score", "--year", "0"),
    ("score", "--year", "-1"),
    ("score", "--year", "2026-11"),
    ("score", "--year", "1999"),
    ("sample", "--n", "0"),
    ("sample", "--n", "-1"),
    ("sample", "--n", "三"),
    ("sample", "--n", "1.5"),
    ("sample", "--seed", "abc"),
    ("sample", "--seed", ""),
    ("notices", "--date", "2026-13-01"),
    ("notices", "--date", "0"),
    ("notices", "--source", ""),
    ("notices", "--source", "  "),
]


@pytest.mark.parametrize(("command", "option", "value"), OPTION_MISTAKES)
def test_a_bad_option_value_is_a_chinese_usage_error(
    tmp_path, command, option, value, fresh_ledger
):
    sweep_bad_option(tmp_path, command, option, value, fresh_ledger)


OUTPUT_MISTAKES = [  # (command, option, what --out points at, code, word the message must hold)
    ("score", "--out", "the ledger", 2, "台账本身"),
    ("sample", "--out", "the ledger", 2, "台账本身"),
    ("score", "--out", "another ledger", 2, "是一个台账"),
    ("sample", "--out", "another ledger", 2, "是一个台账"),
    ("score", "--out", "a folder", 2, "是文件夹"),
    ("sample", "--out", "a folder", 2, "是文件夹"),
    ("score", "--out", "a text file", 2, ".xlsx"),
    ("sample", "--out", "a text file", 2, ".xlsx"),
    ("score", "--out", "a workbook open in Excel", 3, "正在"),
    ("sample", "--out", "a workbook open in Excel", 3, "正在"),
    ("brief", "--out", "a text file", 2, "不是文件夹"),
    ("notices", "--out", "a text file", 2, "不是文件夹"),
    ("remind", "--out", "a text file", 2, "不是文件夹"),
]


@pytest.mark.parametrize(("command", "option", "target", "code", "word"), OUTPUT_MISTAKES)
def test_a_wrong_output_path_is_refused_before_anything_is_written(
    tmp_path, command, option, target, code, word, fresh_ledger
):
    sweep_wrong_output(tmp_path, command, option, target, code, word, fresh_ledger)


@pytest.mark.parametrize("command", MINE)
def test_ctrl_c_is_a_short_message_not_a_traceback(tmp_path, command, monkeypatch, fresh_ledger):
    sweep_ctrl_c(tmp_path, command, monkeypatch, fresh_ledger)
