"""Leak scan: no file meant for circulation carries a confidential item's content (SPEC §3, §8).

`ledger demo` is run into a folder, then every command that writes something for circulation
runs on its ledger — feedback forms, the briefing (xlsx and docx), assignment notices,
reminder notices and the phone checklist, the spot-check sample, the scoring proposals, and
`check` with annotated returns and a findings report — without --include-confidential. To make
a leak findable wherever it lands, every third item is made confidential and every piece of
confidential text (议定事项, 办理要求, 最新进展, 阶段性目标, 备注, 延期原因) is replaced by a
unique marker such as 机密样本007-议定.

Every file written is scanned: every part inside an xlsx/docx (the raw XML, and its text with
the tags removed, so that text split over runs is found too), the bytes of any other file.
The only files allowed to carry a marker are a unit's own form, notices and annotated return,
and only for items that unit leads.
"""

from __future__ import annotations

import html
import re
import shutil
import zipfile
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from ledger_tools.demo.run import LEDGER_NAME
from ledger_tools.demo.sample import REFERENCE_DATE, SAMPLE_UNITS
from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.backups import BACKUP_DIR
from tests.builders import form_table
from tests.robustness.helpers import invoke

AS_OF = REFERENCE_DATE.isoformat()
PERIOD = REFERENCE_DATE.strftime("%Y-%m")
MARK = re.compile(r"机密样本(\d{3})-(议定|要求|进展|目标|备注|延期)")
FIELDS = {
    "议定事项": "议定",
    "办理要求": "要求",
    "最新进展": "进展",
    "阶段性目标": "目标",
    "备注": "备注",
}
REPORT = "问题清单.xlsx"
OWN_PREFIXES = ("反馈表-", "督查检查办理事项通知-", "催办通知-", "退回-反馈表-")
UNIT_NAMES = sorted((u.name for u in SAMPLE_UNITS), key=len, reverse=True)


class Secrets:
    """Marks the confidential content of a ledger; knows which unit leads each marked item."""

    def __init__(self, ledger: Path):
        self.lead: dict[str, str] = {}  # marker number → lead unit (registered name)
        aliases = {a: u.name for u in SAMPLE_UNITS for a in (u.name, *u.aliases)}
        wb = openpyxl.load_workbook(ledger)
        ws = wb[sc.ITEMS.name]
        cols = {c.value: c.column for c in ws[1]}
        marked_ids: dict[str, str] = {}
        for r in range(2, ws.max_row + 1):
            if r % 3 == 0:
                ws.cell(r, cols["涉密"]).value = "是"
            if ws.cell(r, cols["涉密"]).value != "是":
                continue
            number = f"{r:03}"
            self.lead[number] = aliases.get(
                ws.cell(r, cols["主责单位"]).value, ws.cell(r, cols["主责单位"]).value
            )
            for header, tag in FIELDS.items():
                cell = ws.cell(r, cols[header])
                if cell.value or header in ("议定事项", "办理要求"):
                    cell.value = f"机密样本{number}-{tag}"
            if ws.cell(r, cols["事项编号"]).value:
                marked_ids[ws.cell(r, cols["事项编号"]).value] = number
        ext = wb[sc.EXTENSIONS.name]
        ecols = {c.value: c.column for c in ext[1]}
        for r in range(2, ext.max_row + 1):
            number = marked_ids.get(ext.cell(r, ecols["事项编号"]).value)
            if number and ext.cell(r, ecols["延期原因"]).value:
                ext.cell(r, ecols["延期原因"]).value = f"机密样本{number}-延期"
        wb.save(ledger)
        assert len(self.lead) >= 20 and len(set(self.lead.values())) >= 8


def texts_of(path: Path) -> list[tuple[str, str]]:
    """(part, text) to scan: each package part raw and without tags, or the file's bytes."""
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        out = []
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                raw = z.read(name).decode("utf-8", errors="replace")
                out.append((name, raw))
                out.append((f"{name} (text)", html.unescape(re.sub(r"<[^>]+>", "", raw))))
        return out
    return [("", data.decode("utf-8", errors="replace"))]


def own_unit(path: Path) -> str | None:
    """The unit a per-unit file is addressed to (its name ends with -单位名称), if any."""
    if not path.name.startswith(OWN_PREFIXES):
        return None
    return next((u for u in UNIT_NAMES if path.stem.endswith(f"-{u}")), None)


def leaks(folder: Path, secrets: Secrets, skip: set[Path]) -> tuple[list[str], int, int]:
    """Every marker found where it must not be; also how many files and own-item hits."""
    found: list[str] = []
    scanned = allowed = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path in skip or BACKUP_DIR in path.parts:
            continue
        scanned += 1
        unit = own_unit(path)
        for part, text in texts_of(path):
            for m in MARK.finditer(text):
                if unit is not None and secrets.lead.get(m.group(1)) == unit:
                    allowed += 1
                    continue
                found.append(
                    f"{path.relative_to(folder)} [{part}]: {m.group(0)} (主责：{secrets.lead.get(m.group(1))})"
                )
    return found, scanned, allowed


def _fill_returns(forms: Path, out: Path, secrets: Secrets) -> list[Path]:
    """Three units' forms back: one clean, one with a confidential row left without progress,
    one with a confidential row's locked 议定事项 edited (both get annotated returns)."""
    out.mkdir()
    paths = sorted(forms.glob("*.xlsx"))
    chosen = []
    for path in paths:
        wb = openpyxl.load_workbook(path)
        ws = wb[fl.SHEET_FORM]
        _h, cols, ids = form_table(ws)
        secret_rows = [
            r for i, r in ids.items() if i and MARK.search(str(ws.cell(r, cols["议定事项"]).value))
        ]
        if not secret_rows:
            continue
        for item_id, r in ids.items():
            if item_id:
                ws.cell(r, cols["办理状态"]).value = "推进中"
                ws.cell(
                    r, cols["本期进展情况"]
                ).value = f"{item_id}本月完成方案编制和现场踏勘，下一步组织施工招标。"
                if ws.cell(r, cols["事项类型"]).value == "长期":
                    ws.cell(r, cols["阶段性目标"]).value = "2026年12月底前完成第一阶段任务"
        if len(chosen) == 1:
            ws.cell(secret_rows[0], cols["本期进展情况"]).value = None
        elif len(chosen) == 2:
            ws.cell(secret_rows[0], cols["议定事项"]).value = "改动后的事项内容"
        wb.save(out / path.name)
        chosen.append(out / path.name)
        if len(chosen) == 3:
            break
    assert len(chosen) == 3
    return chosen


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    root = tmp_path_factory.mktemp("leaks")
    demo = root / "demo"
    result = invoke("demo", demo)
    assert result.exit_code == 0, result.output
    ledger = demo / LEDGER_NAME
    demo_files = {p for p in demo.rglob("*") if p.is_file()}

    work = root / "work"
    work.mkdir()
    mine = work / LEDGER_NAME
    shutil.copy(ledger, mine)
    secrets = Secrets(mine)
    assert invoke("refresh", mine, "--as-of", AS_OF).exit_code == 0
    runs = [
        ("forms", mine, "--period", PERIOD, "--out", work / "反馈表", "--as-of", AS_OF),
        ("brief", mine, "--month", PERIOD, "--out", work / "通报", "--as-of", AS_OF),
        ("remind", mine, "--out", work / "催办", "--as-of", AS_OF),
        ("sample", mine, "--n", "100", "--seed", "7", "--out", work / "抽查.xlsx"),
        (
            "score",
            mine,
            "--year",
            str(REFERENCE_DATE.year),
            "--out",
            work / "扣分意见.xlsx",
            "--as-of",
            AS_OF,
        ),
    ]
    wb = openpyxl.load_workbook(mine)
    ws = wb[sc.ITEMS.name]
    cols = {c.value: c.column for c in ws[1]}
    sources = sorted(
        {
            ws.cell(r, cols["来源名称"]).value
            for r in range(2, ws.max_row + 1)
            if ws.cell(r, cols["涉密"]).value == "是" and ws.cell(r, cols["交办日期"]).value
        }
    )
    runs += [
        ("notices", mine, "--source", s, "--out", work / "通知", "--date", AS_OF) for s in sources
    ]
    for args in runs:
        r = invoke(*args)
        assert r.exit_code in (0, 1), (args[0], r.output)
    returned = _fill_returns(work / "反馈表", work / "报回", secrets)
    r = invoke(
        "check",
        mine,
        *returned,
        "--as-of",
        AS_OF,
        "--annotate",
        work / "退回",
        "--report",
        work / REPORT,
    )
    assert r.exit_code == 1, r.output
    return {
        "demo": demo,
        "demo_files": demo_files,
        "demo_ledger": ledger,
        "work": work,
        "ledger": mine,
        "secrets": secrets,
        "returned": set(returned),
    }


def test_every_kind_of_circulated_file_was_produced(scene):
    work = scene["work"]
    kinds = defaultdict(int)
    for p in work.rglob("*"):
        if p.is_file():
            kinds[p.suffix] += 1
    for path in (
        "通报/通报-2026-11.xlsx",
        "通报/通报-2026-11.docx",
        "催办/电话督办清单.xlsx",
        "抽查.xlsx",
        "扣分意见.xlsx",
        REPORT,
    ):
        assert (work / path).exists(), path
    for folder, least in (("反馈表", 10), ("通知", 3), ("催办", 3), ("退回", 2)):
        assert len(list((work / folder).iterdir())) >= least, folder


def test_no_circulated_file_carries_a_confidential_items_content(scene):
    work = scene["work"]
    skip = {scene["ledger"], *scene["returned"], work / REPORT}
    found, scanned, allowed = leaks(work, scene["secrets"], skip)
    assert scanned >= 30
    assert allowed > 0, "no unit's own form or notice showed its own confidential items"
    assert found == [], "\n".join(found[:30])


def test_the_findings_report_carries_no_confidential_content(scene):
    work = scene["work"]
    report = work / REPORT
    found, scanned, _ = leaks(work, scene["secrets"], {p for p in work.rglob("*") if p != report})
    assert scanned == 1
    assert found == [], "\n".join(found[:30])


def test_nothing_the_demo_writes_leaks_either(scene):
    """Whatever `ledger demo` itself writes (beyond its ledger) obeys the same rule, for the
    confidential texts of its ledger that no other item shares."""
    ledger = scene["demo_ledger"]
    wb = openpyxl.load_workbook(ledger)
    ws = wb[sc.ITEMS.name]
    cols = {c.value: c.column for c in ws[1]}
    secret, public = defaultdict(set), set()
    for r in range(2, ws.max_row + 1):
        values = [ws.cell(r, cols[h]).value for h in ("议定事项", "办理要求", "最新进展")]
        if ws.cell(r, cols["涉密"]).value == "是":
            for v in values:
                if v:
                    secret[str(v)].add(str(ws.cell(r, cols["主责单位"]).value))
        else:
            public.update(str(v) for v in values if v)
    secret = {t: units for t, units in secret.items() if not any(t in p for p in public)}
    assert secret, "the demo ledger has no confidential text of its own to look for"
    aliases = {a: u.name for u in SAMPLE_UNITS for a in (u.name, *u.aliases)}
    found = []
    for path in sorted(scene["demo_files"]):
        if path == ledger or BACKUP_DIR in path.parts or path.name.startswith("."):
            continue
        unit = own_unit(path)
        for part, text in texts_of(path):
            for t, units in secret.items():
                if t in text and unit not in {aliases.get(u, u) for u in units}:
                    found.append(f"{path.name} [{part}]: {t}")
    assert found == [], "\n".join(found[:30])


def test_the_scan_does_find_confidential_content_where_it_is_asked_for(scene, tmp_path):
    """The scan's own check: with --include-confidential the same commands do show the markers."""
    ledger = tmp_path / LEDGER_NAME
    shutil.copy(scene["ledger"], ledger)
    out = tmp_path / "内部"
    assert (
        invoke(
            "brief",
            ledger,
            "--month",
            PERIOD,
            "--out",
            out,
            "--as-of",
            AS_OF,
            "--include-confidential",
        ).exit_code
        == 0
    )
    assert (
        invoke(
            "sample",
            ledger,
            "--n",
            "100",
            "--seed",
            "7",
            "--out",
            out / "抽查.xlsx",
            "--include-confidential",
        ).exit_code
        == 0
    )
    found, scanned, _ = leaks(out, scene["secrets"], set())
    assert scanned == 3
    assert {line.split(" ")[0] for line in found} == {
        "通报-2026-11.xlsx",
        "通报-2026-11.docx",
        "抽查.xlsx",
    }
