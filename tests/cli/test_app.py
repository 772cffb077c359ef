"""The `ledger` group: help, version, the exit code of each error type, click's own complaints
in Chinese. Each command's own tests are in tests/cli/test_<area>_cmds.py."""

import re
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


# --- no English reaches the clerk ------------------------------------------------------------
# Each situation a clerk meets (a broken file, a full or read-only disk, a name already taken, a
# missing file, a password, a bad setting, and one of our own bugs) is driven through the real
# command line; what it prints may hold file names, option names, finding codes and program
# names, and no other Latin word (no strerror, no exception class, no Python message).

ALLOWED_WORDS = re.compile(
    r"--[a-z-]+|\b[FRWL]\d{3}\b|LEDGER_DEBUG|\b(?:ledger|Excel|WPS|Word|LibreOffice|xlsx|xlsm|"
    r"xls|ods|docx|csv|Windows|Linux|Ctrl)\b"
)


def _english_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{3,}", ALLOWED_WORDS.sub(" ", text))


def _os_error(number: int, text: str):
    def fail(*args, **kwargs):
        raise OSError(number, text, str(args[-1]) if args else None)

    return fail


def _situation(kind: str, folder, monkeypatch, fresh_ledger) -> list[str]:
    """Prepare ``kind`` in ``folder`` (the working directory); the command line to run."""
    import errno
    import os
    import tempfile

    import openpyxl

    ledger = fresh_ledger(folder / "台账.xlsx")
    if kind == "broken return":
        (folder / "坏表.xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 40)
        return ["check", "台账.xlsx", "坏表.xlsx", "--as-of", "2026-11-20"]
    if kind == "truncated ledger":
        data = ledger.read_bytes()
        ledger.write_bytes(data[: len(data) // 2])
        return ["validate", "台账.xlsx"]
    if kind == "read-only disk":
        monkeypatch.setattr(os, "replace", _os_error(errno.EROFS, "Read-only file system"))
        return ["brief", "台账.xlsx", "--month", "2026-11", "--out", "通报"]
    if kind == "read-only disk, ledger":
        monkeypatch.setattr(os, "replace", _os_error(errno.EROFS, "Read-only file system"))
        return ["refresh", "台账.xlsx", "--as-of", "2026-11-20"]
    if kind == "disk full":
        monkeypatch.setattr(tempfile, "mkstemp", _os_error(errno.ENOSPC, "No space left on device"))
        return ["sample", "台账.xlsx", "--n", "1", "--seed", "1", "--out", "抽查.xlsx"]
    if kind == "name taken":
        monkeypatch.setattr(os, "link", _os_error(errno.EEXIST, "File exists"))
        return ["init", "新台账.xlsx"]
    if kind == "no such return":
        return ["check", "台账.xlsx", "没有的表.xlsx"]
    if kind == "no such minutes":
        return ["minutes", "台账.xlsx", "没有的纪要.docx"]
    if kind == "no such units file":
        return ["init", "新台账.xlsx", "--units", "没有的名单.xlsx"]
    if kind == "broken minutes":
        (folder / "坏纪要.docx").write_bytes(b"PK\x03\x04" + b"\0" * 40)
        return ["minutes", "台账.xlsx", "坏纪要.docx"]
    if kind == "broken units file":
        (folder / "坏名单.xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 40)
        return ["init", "新台账.xlsx", "--units", "坏名单.xlsx"]
    if kind == "password":
        from msoffcrypto.format.ooxml import OOXMLFile

        plain = folder / "明文.xlsx"
        ledger.rename(plain)
        with open(plain, "rb") as src, open(ledger, "wb") as out:
            OOXMLFile(src).encrypt("secret", out)
        return ["validate", "台账.xlsx"]
    if kind == "report is a folder":
        (folder / "问题").mkdir()
        (folder / "表.xlsx").write_bytes(b"")
        return ["check", "台账.xlsx", "表.xlsx", "--report", "问题"]
    if kind.startswith("notice number"):
        fmt = {"notice number braces": "督查通〔{年}〕{序号号", "notice number spec": "{序号:zz}"}
        wb = openpyxl.load_workbook(ledger)
        ws = wb["设置"]
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "交办文号格式")
        ws.cell(row, 2).value = fmt[kind]
        wb.save(ledger)
        return ["notices", "台账.xlsx", "--source", "第12次常务会议", "--out", "通知"]
    if kind == "our bug":
        import ledger_tools.jobs.validate as job

        def boom(*a, **k):
            raise KeyError("internal_key_name")

        monkeypatch.setattr(job, "read_ledger", boom)
        return ["validate", "台账.xlsx"]
    raise AssertionError(kind)


SITUATIONS = [  # (situation, exit code, a word the message must hold)
    ("broken return", 1, "F001"),
    ("truncated ledger", 2, "损坏"),
    ("read-only disk", 2, "只读"),
    ("read-only disk, ledger", 2, "只读"),
    ("disk full", 2, "磁盘空间不足"),
    ("name taken", 2, "已存在"),
    ("no such return", 2, "没有的表.xlsx"),
    ("no such minutes", 2, "没有的纪要.docx"),
    ("no such units file", 2, "没有的名单.xlsx"),
    ("broken minutes", 2, "坏纪要.docx"),
    ("broken units file", 2, "坏名单.xlsx"),
    ("password", 2, "密码"),
    ("report is a folder", 2, "--report"),
    ("notice number braces", 2, "花括号"),
    ("notice number spec", 2, "{序号:zz}"),
    ("our bug", 1, "程序内部错误"),
]


@pytest.mark.parametrize(("kind", "code", "word"), SITUATIONS, ids=[s[0] for s in SITUATIONS])
def test_every_message_is_chinese(tmp_path, monkeypatch, fresh_ledger, kind, code, word):
    monkeypatch.chdir(tmp_path)
    args = _situation(kind, tmp_path, monkeypatch, fresh_ledger)
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == code, r.output
    assert word in r.output, r.output
    assert "Traceback" not in r.output and _english_words(r.output) == [], r.output
    if kind != "our bug":  # a clerk's situation is never reported as our bug
        assert "程序内部错误" not in r.output, r.output
    else:
        assert "KeyError" not in r.output and "编号" in r.output
