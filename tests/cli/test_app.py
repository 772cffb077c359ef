"""The command line: exit codes of SPEC §7 with real files, the ledger unchanged on every refusal."""

import datetime as dt
import errno
import importlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from ledger_tools.cli.app import cli
from ledger_tools.sheets.documents.templates import bundled_template
from tests.builders import add_data_bar, item, ledger_by_xlsxwriter, make_ledger, sha


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
    path = ledger_by_xlsxwriter(tmp_path / "台账.xlsx", add_data_bar)
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
    path = make_ledger(
        tmp_path / "t.xlsx", [item(印发日期="2027-12-01", 完成时限="2028-01-31", 交办日期=None)]
    )
    r = run("refresh", path, "--as-of", "2027-12-10")
    assert r.exit_code == 0 and "调休安排未确认" in r.output


def test_help_is_chinese_and_module_entry_point_works():
    r = subprocess.run(
        [sys.executable, "-m", "ledger_tools", "--help"], capture_output=True, text=True
    )
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


# --- the bad-input sweep: the mistakes a clerk makes, through the real command line ------------
#
# Every case must end with the documented exit code, a Chinese message naming the file (or the
# option), no traceback, no English from click, and the ledger byte-identical.

AS_OF = "2026-11-20"
ENGLISH = re.compile(
    r"\b(Error|Usage|Invalid|Missing|Options|required|not a valid|is not|range|Traceback|Aborted)\b"
)
COMMANDS = {  # {L}: the ledger, {D}: a scratch folder, {F}: a returned form
    "init": "init {L}",
    "validate": "validate {L}",
    "refresh": "refresh {L} --as-of 2026-11-20",
    "forms": "forms {L} --period 2026-11 --out {D}/反馈表 --as-of 2026-11-20",
    "check": "check {L} {F} --as-of 2026-11-20",
    "merge": "merge {L} {F} --as-of 2026-11-20",
    "brief": "brief {L} --month 2026-11 --out {D}/通报",
    "score": "score {L} --year 2026 --out {D}/扣分.xlsx",
    "notices": "notices {L} --source 第12次常务会议 --out {D}/通知 --date 2026-11-20",
    "remind": "remind {L} --out {D}/催办 --as-of 2026-11-20 --record",
    "sample": "sample {L} --n 2 --seed 1 --out {D}/抽查.xlsx",
}
WRITERS = ("refresh", "merge", "brief", "notices", "remind")


def _build_ledger(path: Path) -> Path:
    return make_ledger(
        path,
        [
            item(),
            item(议定事项="新议定事项", 交办日期=None),
            item(议定事项="已办结的事项", 办理状态="已办结", 办结日期=dt.date(2026, 11, 2)),
            item(议定事项="逾期的事项", 完成时限=dt.date(2026, 11, 10)),
        ],
    )


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> dict[str, Path]:
    """Each kind of ledger built once for the module; tests work on copies (building is slow)."""
    folder = tmp_path_factory.mktemp("pristine")
    good = _build_ledger(folder / "good.xlsx")
    out = {"good": good}
    for kind, change in (
        ("sheet renamed", lambda wb: setattr(wb["台账"], "title", "台账2026")),
        (
            "header deleted",
            lambda wb: setattr(
                next(c for c in wb["台账"][1] if c.value == "主责单位"), "value", None
            ),
        ),
    ):
        wb = openpyxl.load_workbook(good)
        change(wb)
        wb.save(folder / f"{kind}.xlsx")
        out[kind] = folder / f"{kind}.xlsx"
    return out


@pytest.fixture
def fresh_ledger(pristine):
    """A fresh copy of the good ledger at ``path``."""

    def copy(path: Path, kind: str = "good") -> Path:
        shutil.copy(pristine[kind], path)
        return path

    return copy


def _bad_ledger(kind: str, folder: Path, fresh_ledger) -> Path:
    path = folder / "台账.xlsx"
    if kind == "missing":
        return path
    if kind == "folder":
        path.mkdir()
    elif kind == "word":
        shutil.copy(bundled_template("通报.docx"), path)
    elif kind == "text":
        path.write_text("事项编号,议定事项\n1,修路\n", encoding="utf-8")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "foreign":
        wb = openpyxl.Workbook()
        wb.active["A1"] = "工资表"
        wb.save(path)
    else:
        fresh_ledger(path, kind)
    return path


def _invoke(template: str, ledger: Path, folder: Path, *extra: str):
    form = folder / "反馈表-2026-11-东城区人民政府.xlsx"
    if not form.exists():
        openpyxl.Workbook().save(form)
    args = shlex.split(
        template.format(
            L=shlex.quote(str(ledger)), D=shlex.quote(str(folder)), F=shlex.quote(str(form))
        )
    )
    return CliRunner().invoke(cli, [*args, *extra])


def _assert_refused(r, code: int, *names: str) -> None:
    out = r.output
    assert r.exit_code == code, out
    assert "Traceback" not in out and not isinstance(
        r.exception, (AssertionError, TypeError, AttributeError)
    )
    assert not ENGLISH.search(out), out
    assert any(n in out for n in names), out


BAD_LEDGERS = [
    ("missing", 2),
    ("folder", 2),
    ("word", 2),
    ("text", 2),
    ("empty", 2),
    ("foreign", 2),
    ("sheet renamed", 2),
    ("header deleted", 1),
]


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "init"])
@pytest.mark.parametrize(("kind", "code"), BAD_LEDGERS, ids=[k for k, _ in BAD_LEDGERS])
def test_a_wrong_ledger_file_is_refused_by_every_command(
    tmp_path, command, kind, code, fresh_ledger
):
    ledger = _bad_ledger(kind, tmp_path, fresh_ledger)
    before = sha(ledger) if ledger.is_file() else None
    r = _invoke(COMMANDS[command], ledger, tmp_path)
    _assert_refused(r, code, "台账.xlsx")
    assert (sha(ledger) if ledger.is_file() else None) == before
    if kind == "header deleted":
        assert "主责单位" in r.output


@pytest.mark.parametrize("command", WRITERS)
def test_a_ledger_open_in_excel_exits_3_for_every_command_that_saves(
    tmp_path, command, fresh_ledger
):
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    (tmp_path / "~$台账.xlsx").write_bytes(b"owner")
    digest = sha(ledger)
    _assert_refused(_invoke(COMMANDS[command], ledger, tmp_path), 3, "台账.xlsx")
    assert sha(ledger) == digest


@pytest.mark.parametrize("command", ["refresh", "brief", "notices", "remind"])
def test_a_read_only_ledger_is_a_clear_error_and_stays_whole(
    tmp_path, command, monkeypatch, fresh_ledger
):
    """As on Windows, where a read-only file cannot be replaced (root ignores chmod here)."""
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    digest = sha(ledger)
    real_replace = os.replace

    def replace(src, dst, *a, **k):
        if Path(dst) == ledger:
            raise PermissionError(errno.EACCES, "Permission denied", str(src), None, str(dst))
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", replace)
    r = _invoke(COMMANDS[command], ledger, tmp_path)
    _assert_refused(r, 2, "台账.xlsx")
    assert "只读" in r.output and sha(ledger) == digest


OPTION_MISTAKES = [  # (command, option, value)
    ("refresh", "--as-of", "2026-13-01"),
    ("refresh", "--as-of", "2026-02-30"),
    ("refresh", "--as-of", "2026/11"),
    ("refresh", "--as-of", "二〇二六年"),
    ("refresh", "--as-of", "-1"),
    ("refresh", "--as-of", "0"),
    ("refresh", "--as-of", "0206-11-20"),
    ("check", "--as-of", "20261120"),
    ("merge", "--as-of", "2026-11-31"),
    ("remind", "--as-of", "11/20/2026"),
    ("forms", "--period", "2026-13"),
    ("forms", "--period", "二〇二六年十一月"),
    ("forms", "--period", "0"),
    ("forms", "--period", "2026-11-20"),
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
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    digest = sha(ledger)
    r = _invoke(COMMANDS[command], ledger, tmp_path, option, value)  # the last value given wins
    _assert_refused(r, 2, option)
    assert "用法：ledger" in r.output and sha(ledger) == digest


@pytest.mark.parametrize(
    "value", ["2026/11/20", "２０２６-１１-２０", "2026年11月20日", "2026.11.20"]
)
def test_dates_typed_the_chinese_way_are_read(tmp_path, value, fresh_ledger):
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    r = run("refresh", ledger, "--as-of", value)
    assert r.exit_code == 0 and "已按 2026-11-20 重算" in r.output, r.output


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
    _assert_refused(r, 2, "缺少", "没有这个", "多余的参数", "需要一个值")
    assert sha(ledger) == digest


@pytest.mark.parametrize("command", list(COMMANDS) + [None])
def test_help_has_no_english(command):
    r = CliRunner().invoke(cli, [command, "-h"] if command else ["-h"])
    assert r.exit_code == 0 and "用法：ledger" in r.output and "选项：" in r.output
    assert (
        not ENGLISH.search(r.output) and "[OPTIONS]" not in r.output and "PATH" not in r.output
    ), r.output


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
    ("forms", "--out", "a text file", 2, "不是文件夹"),
    ("brief", "--out", "a text file", 2, "不是文件夹"),
    ("notices", "--out", "a text file", 2, "不是文件夹"),
    ("remind", "--out", "a text file", 2, "不是文件夹"),
    ("check", "--annotate", "a text file", 2, "afile.txt"),
    ("check", "--report", "the ledger", 2, "台账本身"),
    ("demo", None, "a text file", 2, "不是文件夹"),
]


@pytest.mark.parametrize(("command", "option", "target", "code", "word"), OUTPUT_MISTAKES)
def test_a_wrong_output_path_is_refused_before_anything_is_written(
    tmp_path, command, option, target, code, word, fresh_ledger
):
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    digest = sha(ledger)
    other = fresh_ledger(tmp_path / "另一个台账.xlsx")
    text = tmp_path / "afile.txt"
    text.write_text("keep")
    (tmp_path / "文件夹").mkdir()
    (tmp_path / "~$打开的.xlsx").write_bytes(b"owner")
    (tmp_path / "打开的.xlsx").write_bytes(b"mine")
    out = {
        "the ledger": ledger,
        "another ledger": other,
        "a folder": tmp_path / "文件夹",
        "a text file": text,
        "a workbook open in Excel": tmp_path / "打开的.xlsx",
    }[target]
    kept = {p: sha(p) for p in (other, text, tmp_path / "打开的.xlsx")}
    if command == "demo":
        r = run("demo", out)
    else:
        r = _invoke(COMMANDS[command], ledger, tmp_path, option, str(out))
    _assert_refused(r, code, word)
    assert out.name in r.output or word in r.output
    assert sha(ledger) == digest and all(sha(p) == h for p, h in kept.items())


@pytest.mark.parametrize("command", ["notices", "remind"])
def test_a_notice_open_in_word_exits_3_and_the_ledger_stays(tmp_path, command, fresh_ledger):
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    r = _invoke(COMMANDS[command], ledger, tmp_path)
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
    r = _invoke(COMMANDS[command], ledger, tmp_path)
    _assert_refused(r, 3, made.name)
    assert sha(ledger) == digest


@pytest.mark.parametrize("command", ["notices", "remind", "score", "sample"])
def test_a_refused_run_leaves_no_output_folder_behind(tmp_path, command):
    r = _invoke(COMMANDS[command], tmp_path / "没有.xlsx", tmp_path)
    _assert_refused(r, 2, "没有.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["反馈表-2026-11-东城区人民政府.xlsx"]


@pytest.mark.parametrize(
    "command", ["validate", "refresh", "forms", "brief", "score", "notices", "remind", "sample"]
)
def test_ctrl_c_is_a_short_message_not_a_traceback(tmp_path, command, monkeypatch, fresh_ledger):
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    digest = sha(ledger)
    import ledger_tools.sheets.ledger.data as ledger_data

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(ledger_data, "read_ledger", interrupted)
    for module in (
        "validate",
        "refresh",
        "forms",
        "briefing",
        "scoring",
        "notices",
        "reminders",
        "sampling",
    ):
        job = importlib.import_module(f"ledger_tools.jobs.{module}")
        if hasattr(job, "read_ledger"):
            monkeypatch.setattr(job, "read_ledger", interrupted)
    r = _invoke(COMMANDS[command], ledger, tmp_path)
    assert r.exit_code == 130 and "已中断" in r.output and "Traceback" not in r.output, r.output
    assert sha(ledger) == digest


def test_init_mistakes(tmp_path, fresh_ledger):
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    digest = sha(ledger)
    _assert_refused(run("init", ledger), 2, "已存在")
    _assert_refused(run("init", tmp_path / "台账"), 2, "台账.xlsx")
    _assert_refused(run("init", tmp_path / "没有的文件夹" / "台账.xlsx"), 2, "没有的文件夹")
    for units, word in (
        (tmp_path / "没有.xlsx", "没有.xlsx"),
        (tmp_path, "是文件夹"),
        (ledger.with_name("空.xlsx"), "空文件"),
    ):
        if units.name == "空.xlsx":
            units.write_bytes(b"")
        _assert_refused(run("init", tmp_path / "新台账.xlsx", "--units", units), 2, word)
        assert not (tmp_path / "新台账.xlsx").exists()
    assert sha(ledger) == digest


def test_init_tells_what_of_the_unit_list_it_left_out(tmp_path):
    units = tmp_path / "单位.csv"
    units.write_text(
        "单位名称,单位类别\n市财政局,市直部门\n市财政局,市直部门\n东城区,火星\n", encoding="utf-8"
    )
    r = run("init", tmp_path / "台账.xlsx", "--units", units)
    assert r.exit_code == 0 and "登记单位 2 个" in r.output
    assert "第 3 行：「市财政局」重复" in r.output and "单位类别「火星」" in r.output


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
        _assert_refused(run(*args), 2, "出口")
    assert sha(ledger) == digest and list((tmp_path / "出口").iterdir()) == []
