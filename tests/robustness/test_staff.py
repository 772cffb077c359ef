"""The staff-ledger family of the corpus (tests/robustness/staff.py) through the command line.

For each case, each command: no traceback and no internal error, the documented exit code, a
refused command (exit 2, or a step marked ``unchanged``) leaving the ledger byte-identical,
`validate --json` reporting the named codes at the named cells, and the case's own check of
what the clerk sees (a 台账 cell, a form, the briefing, a warning). A second test greps every
message of the run, and of `check` over the returned-file corpus, for English.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.robustness.corpus import CASES as RETURNED
from tests.robustness.helpers import invoke
from tests.robustness.staff import (
    CASES,
    OVERDUE,
    PENDING,
    PUBLIC,
    TAIL,
    UNREPORTED,
    execute,
    wide_console,
)

_DONE: dict[str, list] = {}


@pytest.fixture(scope="session")
def run_case(staff_base, tmp_path_factory):
    """Each case's commands run once per session, whichever test asks first."""

    def run(case):
        if case.id not in _DONE:
            _DONE[case.id] = execute(case, staff_base, tmp_path_factory.mktemp("staff"))
        return _DONE[case.id]

    return run


def test_the_family_is_a_catalogue_of_thirty_or_more_ledgers():
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)
    commands = Counter(s.command for c in CASES for s in c.steps)
    assert {"validate", "refresh", "forms", "brief", "remind", "score", "notices"} <= set(commands)
    refused = [c for c in CASES if any(s.unchanged and s.command != "validate" for s in c.steps)]
    assert len(refused) >= 5, refused


def test_the_sample_ledger_is_what_the_cases_change(staff_base):
    """The cases name items by their state in the sample: if the sample changes, say so here
    rather than let a case hold nothing."""
    v = staff_base.values
    assert v[OVERDUE]["督办预警"] == "逾期" and v[OVERDUE]["催办次数"] == 2
    assert v[PUBLIC]["督办预警"] == "正常" and v[PUBLIC]["协办单位"]
    assert v[PENDING]["办理状态"] == "申请延期"
    assert v[UNREPORTED]["本期报送"] == "未报送"
    assert staff_base.rows[TAIL] == 109 and staff_base.ref(OVERDUE, "督办预警") == "AC5"


def _param(c):
    return pytest.param(c, id=c.id)


def _codes(o, expected) -> None:
    got = [(f["code"], f.get("sheet"), f.get("cell")) for f in o.findings]
    for e in expected:
        code, sheet, cell = (e, None, None) if isinstance(e, str) else e
        cell = cell(o.base) if callable(cell) else cell
        assert any(
            g[0] == code and (sheet is None or g[1] == sheet) and (cell is None or g[2] == cell)
            for g in got
        ), (code, sheet, cell, got)
    errors = any(f["severity"] == "error" for f in o.findings)
    assert o.exit_code == (1 if errors else 0), (o.exit_code, got)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_staff_ledger(case, run_case):
    for n, o in enumerate(run_case(case), start=1):
        where = f"{case.id} step {n}: ledger {o.step.args}"
        assert o.exception is None, (where, o.exception, o.output)
        assert "Traceback" not in o.output and "程序内部错误" not in o.output, (where, o.output)
        allowed = o.step.exit if isinstance(o.step.exit, tuple) else (o.step.exit,)
        assert o.exit_code in allowed, (where, o.exit_code, o.output)
        if o.step.unchanged or o.exit_code == 2:
            assert not o.changed, (where, "the ledger changed", o.output)
        if o.step.command == "validate" and "--json" in o.step.args:
            _codes(o, o.step.codes)
        for pattern in o.step.says:
            assert re.search(pattern, o.output), (where, pattern, o.output)
        for pattern in o.step.never:
            assert not re.search(pattern, o.output), (where, pattern, o.output)
        if o.step.then is not None:
            o.step.then(o)


# --- no English reaches a user ----------------------------------------------------------------

COMMAND_NAMES = (
    "ledger init validate refresh forms check merge brief notices remind sample score minutes "
    "serve bundle adopt demo"
).split()
# Names a Chinese clerk reads as they are: programs and file kinds.
PRODUCTS = (
    "Excel WPS LibreOffice Word Windows Linux JSON HMAC SHA PDF PNG CSV ZIP HTML XML KB MB GB _meta"
).split()
ALLOWED = [  # in this order: a file name may hold a date, an option a word
    # file names, .xlsx (a Chinese word may follow at once: 台账.xlsx中有…)
    r"[^\s/\\：:（）()「」“”]*\.(xlsx|xlsm|xls|ods|docx|csv|json|txt)(?![A-Za-z0-9])",
    r"[\w.\-]+(/[\w.\-]+)+",  # paths, and package parts (xl/media/image1.bin)
    r"--[a-z][a-z-]*",  # options
    r"\b[FRWL]\d{3}\b",  # finding codes
    r"\b\d{4}-\d{2}(-\d{2})?\b",
    r"\b[A-Z]{1,3}\d+(:[A-Z]{1,3}\d+)?\b",  # cells and ranges
    rf"\b({'|'.join(COMMAND_NAMES)})\b",
    rf"(?<![A-Za-z])({'|'.join(PRODUCTS)})(?![A-Za-z])",
    r"\bYYYY-MM(-DD)?\b",
]


def english_in(text: str, paths: tuple[str, ...] = ()) -> list[str]:
    """The English words left in a message once paths, file names, codes, cells, dates,
    options, command and product names are taken out."""
    for p in sorted(paths, key=len, reverse=True):
        text = text.replace(p, " ")
    for pattern in ALLOWED:
        text = re.sub(pattern, " ", text)
    return re.findall(r"[A-Za-z]{2,}", text)


def _messages(o) -> list[str]:
    """What a user reads of a step: the terminal text, and for --json each finding's text."""
    if o.findings:
        texts = [o.stderr]
        for f in o.findings:
            texts += [str(f.get(k) or "") for k in ("title", "message")]
        return texts
    return [o.output]


def test_english_in_finds_english_and_spares_what_is_allowed():
    assert english_in("无法读取（BadZipFile）") == ["BadZipFile"]
    assert english_in("（Read-only file system）") == ["Read", "only", "file", "system"]
    assert english_in("台账.xlsx 第 AB5:AB6 格，运行 ledger validate --json；L315；2026-11") == []
    assert english_in("台账 台账.xlsx中有问题；请在 Windows 或 Linux 中去掉只读") == []
    assert english_in("台账.xlsxfile 中") == ["xlsxfile"]


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_no_message_of_the_staff_family_has_english(case, run_case):
    for o in run_case(case):
        paths = (str(o.ledger.parent), str(o.out))
        for text in _messages(o):
            assert english_in(text, paths) == [], (case.id, o.step.args, text)


def test_no_finding_of_the_returned_file_corpus_has_english(workshop, tmp_path):
    """`check` over every (fast) file of the returned-file corpus at once: the terminal table
    and each finding's title and message as JSON."""
    files = []
    for c in RETURNED:
        if c.slow:
            continue
        folder = tmp_path / c.id
        folder.mkdir()
        files += [str(p) for p in c.build(workshop, folder)]
    with wide_console():
        plain = invoke("check", workshop.ledger, *files, "--as-of", "2026-11-20")
        as_json = invoke("check", workshop.ledger, *files, "--as-of", "2026-11-20", "--json")
    findings = json.loads(as_json.stdout)
    assert len(findings) >= 40
    paths = (str(tmp_path), str(workshop.root))
    texts = [plain.output, as_json.stderr] + [
        str(f.get(k) or "") for f in findings for k in ("title", "message")
    ]
    bad = [(t, english_in(t, paths)) for t in texts if english_in(t, paths)]
    assert bad == [], bad[:10]


def test_a_calamine_panic_prints_nothing_to_the_real_stderr(workshop, tmp_path):
    """The one file of the returned-file corpus that makes calamine panic (a date cell holding
    -1e12), checked by the real command in its own process, RUST_BACKTRACE set: Rust's panic
    hook writes to file descriptor 2, which no in-process run sees."""
    case = next(c for c in RETURNED if c.id == "number-beyond-any-date-in-a-date-cell")
    (path,) = case.build(workshop, tmp_path)
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "RUST_BACKTRACE": "1", "PYTHONPATH": root, "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-m", "ledger_tools", "check", str(workshop.ledger), str(path)]
        + ["--as-of", "2026-11-20"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "F001" in done.stdout, done.stdout
    assert "panicked" not in done.stderr and "backtrace" not in done.stderr, done.stderr
    paths = (str(tmp_path), str(workshop.root))
    assert english_in(done.stderr, paths) == [], done.stderr
    assert english_in(done.stdout, paths) == [], done.stdout
