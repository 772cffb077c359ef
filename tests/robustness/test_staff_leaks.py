"""Leak scan over odd 涉密 spellings: any value other than blank or 否 is confidential everywhere
(SPEC §3 Fail closed, §8; ISSUE 12).

The sample ledger's 涉密 column gets each spelling staff really type (√, 机密, 秘密, Y,
是（内部）, 涉密, ' 是', '是 ') on several items — open ones with co-units, finished ones
the spot check draws, overdue ones the briefing and reminders list — and every piece of their
text (议定事项, 办理要求, 最新进展, 延期原因) becomes a unique marker. Then every command that
writes something runs without --include-confidential: forms, brief, notices, remind, sample,
score, and check with --annotate and --report on returned forms. Every file written is opened
(each xlsx/docx part, raw and without tags) and a marker may appear only in its lead unit's own
files: its form, its notice, its reminder, its annotated return.
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from ledger_tools.demo.sample import SAMPLE_UNITS
from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.ledger.backups import BACKUP_DIR
from tests.builders import form_table
from tests.robustness.helpers import invoke
from tests.robustness.staff import AS_OF, ODD_SECRET, texts_of

DAY = AS_OF.isoformat()
PERIOD = AS_OF.strftime("%Y-%m")
MARK = re.compile(r"涉密样本(\d{3})-(议定|要求|进展|延期)")
FIELDS = {"议定事项": "议定", "办理要求": "要求", "最新进展": "进展"}
OPEN = ("办理中", "长期推进", "申请延期")
OWN_PREFIXES = ("反馈表-", "督查检查办理事项通知-", "催办通知-", "退回-反馈表-")
UNIT_NAMES = sorted((u.name for u in SAMPLE_UNITS), key=len, reverse=True)
REPORT = "问题清单.xlsx"


class OddSecrets:
    """Gives items the odd spellings and their text markers; knows each marker's lead unit."""

    def __init__(self, ledger: Path):
        aliases = {a: u.name for u in SAMPLE_UNITS for a in (u.name, *u.aliases)}
        wb = openpyxl.load_workbook(ledger)
        ws = wb["台账"]
        cols = {c.value: c.column for c in ws[1] if c.value}

        def v(r: int, h: str):
            return ws.cell(r, cols[h]).value

        rows = range(2, ws.max_row + 1)
        public = [r for r in rows if v(r, "涉密") in (None, "", "否")]
        # Every spelling on an open item with co-units (forms' 协办事项), a finished one (the
        # spot check), an open one past its deadline (briefing, reminders), then every third.
        groups = [
            [r for r in public if v(r, "办理状态") in OPEN and v(r, "协办单位")],
            [r for r in public if v(r, "办理状态") == "已办结"],
            [r for r in public if v(r, "督办预警") == "逾期"],
        ]
        chosen: dict[int, str] = {}
        for group in groups:
            fresh = [r for r in group if r not in chosen]
            for n, r in enumerate(fresh[: len(ODD_SECRET)]):
                chosen[r] = ODD_SECRET[n]
        for n, r in enumerate(r for r in public[::3] if r not in chosen):
            chosen[r] = ODD_SECRET[n % len(ODD_SECRET)]
        self.lead: dict[str, str] = {}
        self.spelling: dict[str, str] = {}
        self.kinds: dict[str, set[str]] = defaultdict(set)
        ids: dict[str, str] = {}
        for r, spelling in chosen.items():
            number = f"{r:03}"
            self.lead[number] = aliases.get(v(r, "主责单位"), v(r, "主责单位"))
            self.spelling[number] = spelling
            for kind, group in zip(("co", "done", "overdue"), groups):
                if r in group:
                    self.kinds[spelling].add(kind)
            ws.cell(r, cols["涉密"]).value = spelling
            for header, tag in FIELDS.items():
                if v(r, header) or header != "最新进展":
                    ws.cell(r, cols[header]).value = f"涉密样本{number}-{tag}"
            ids[v(r, "事项编号")] = number
        ext = wb["延期记录"]
        ecols = {c.value: c.column for c in ext[1] if c.value}
        for r in range(2, ext.max_row + 1):
            number = ids.get(ext.cell(r, ecols["事项编号"]).value)
            if number and ext.cell(r, ecols["延期原因"]).value:
                ext.cell(r, ecols["延期原因"]).value = f"涉密样本{number}-延期"
        self.sources = sorted(
            {v(r, "来源名称") for r in chosen if v(r, "交办日期") and v(r, "办理状态") in OPEN}
        )
        wb.save(ledger)


def own_unit(path: Path) -> str | None:
    if not path.name.startswith(OWN_PREFIXES):
        return None
    return next((u for u in UNIT_NAMES if path.stem.endswith(f"-{u}")), None)


def _returns(forms: Path, out: Path) -> list[Path]:
    """Three forms back that carry marked rows: one filled in full, one with a marked row's
    progress left blank, one with a marked row's locked 议定事项 edited (both rejected, so
    they get annotated copies)."""
    out.mkdir()
    chosen: list[Path] = []
    for path in sorted(forms.glob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        ws = wb[fl.SHEET_FORM]
        _h, cols, ids = form_table(ws)
        marked = [
            r for i, r in ids.items() if i and MARK.search(str(ws.cell(r, cols["议定事项"]).value))
        ]
        if not marked:
            continue
        for item, r in ids.items():
            if item:
                ws.cell(r, cols["办理状态"]).value = "推进中"
                ws.cell(
                    r, cols["本期进展情况"]
                ).value = f"{item}本月完成方案编制和现场踏勘，下一步组织施工招标。"
                if ws.cell(r, cols["事项类型"]).value == "长期":
                    ws.cell(r, cols["阶段性目标"]).value = "2026年12月底前完成第一阶段任务"
        if len(chosen) == 1:
            ws.cell(marked[0], cols["本期进展情况"]).value = None
        elif len(chosen) == 2:
            ws.cell(marked[0], cols["议定事项"]).value = "改动后的事项内容"
        wb.save(out / path.name)
        chosen.append(out / path.name)
        if len(chosen) == 3:
            return chosen
    raise AssertionError(f"only {len(chosen)} forms carry marked items")


@pytest.fixture(scope="module")
def scene(staff_base, tmp_path_factory):
    work = tmp_path_factory.mktemp("odd-secrets")
    ledger = work / "台账.xlsx"
    shutil.copy(staff_base.path, ledger)
    secrets = OddSecrets(ledger)
    assert invoke("refresh", ledger, "--as-of", DAY).exit_code == 0
    runs = [
        ("forms", ledger, "--period", PERIOD, "--out", work / "反馈表", "--as-of", DAY),
        ("brief", ledger, "--month", PERIOD, "--out", work / "通报", "--as-of", DAY),
        ("remind", ledger, "--out", work / "催办", "--as-of", DAY),
        ("sample", ledger, "--n", "100", "--seed", "7", "--out", work / "抽查.xlsx"),
        (
            "score",
            ledger,
            "--year",
            str(AS_OF.year),
            "--out",
            work / "扣分意见.xlsx",
            "--as-of",
            DAY,
        ),
    ]
    runs += [
        ("notices", ledger, "--source", s, "--out", work / "通知", "--date", DAY)
        for s in secrets.sources
    ]
    codes = {}
    for args in runs:
        codes[f"{args[0]} {args[-3] if args[0] == 'notices' else ''}"] = invoke(*args).exit_code
    returned = _returns(work / "反馈表", work / "报回")
    checked = invoke(
        "check",
        ledger,
        *returned,
        "--as-of",
        DAY,
        "--annotate",
        work / "退回",
        "--report",
        work / REPORT,
    )
    return {
        "work": work,
        "ledger": ledger,
        "secrets": secrets,
        "skip": {ledger, *returned},
        "codes": codes,
        "check": checked.exit_code,
    }


def _scan(scene) -> tuple[dict[str, list[str]], dict[str, int], int]:
    """Markers found where they must not be, by spelling; own-file hits by spelling; files."""
    work, secrets = scene["work"], scene["secrets"]
    found: dict[str, list[str]] = defaultdict(list)
    allowed: dict[str, int] = defaultdict(int)
    scanned = 0
    for path in sorted(p for p in work.rglob("*") if p.is_file()):
        if path in scene["skip"] or BACKUP_DIR in path.parts:
            continue
        scanned += 1
        unit = own_unit(path)
        for part, text in texts_of(path):
            for m in MARK.finditer(text):
                spelling = secrets.spelling[m.group(1)]
                if unit is not None and secrets.lead[m.group(1)] == unit:
                    allowed[spelling] += 1
                else:
                    found[spelling].append(
                        f"{path.relative_to(work)} [{part}]: {m.group(0)}（主责：{secrets.lead[m.group(1)]}）"
                    )
    return found, allowed, scanned


@pytest.fixture(scope="module")
def scanned(scene):
    return _scan(scene)


def test_every_command_ran_and_wrote_its_files(scene):
    assert all(code in (0, 1) for code in scene["codes"].values()), scene["codes"]
    assert scene["check"] == 1  # two of the three returns are rejected, so annotated
    work = scene["work"]
    for path in (
        "通报/通报-2026-11.xlsx",
        "通报/通报-2026-11.docx",
        "抽查.xlsx",
        "扣分意见.xlsx",
        REPORT,
    ):
        assert (work / path).exists(), path
    for folder, least in (("反馈表", 10), ("通知", 1), ("催办", 2), ("退回", 2)):
        assert len(list((work / folder).iterdir())) >= least, folder


def test_every_spelling_sits_on_every_kind_of_item(scene):
    kinds = scene["secrets"].kinds
    for spelling in ODD_SECRET:
        assert {"co", "done"} <= kinds[spelling], (spelling, kinds[spelling])
    assert {s for s in ODD_SECRET if "overdue" in kinds[s]}, kinds


@pytest.mark.parametrize(
    "spelling",
    [pytest.param(s, id={" 是": "lead-space", "是 ": "trail-space"}.get(s, s)) for s in ODD_SECRET],
)
def test_an_odd_spelling_stays_with_its_lead_unit(scanned, spelling):
    found, allowed, files = scanned
    assert files >= 30
    assert allowed[spelling] > 0, "the lead unit's own form does not show its own item"
    assert found[spelling] == [], "\n".join(found[spelling][:20])
