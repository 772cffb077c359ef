"""ledger forms: who gets a form, what is on it, what never leaves the office (SPEC §3, §4)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from ledger_tools.cli.app import cli
from ledger_tools.core.model import OPEN_STATUSES, Item, Status
from ledger_tools.demo.sample import build_sample
from ledger_tools.errors import InputRejected, UsageError
from ledger_tools.jobs import forms
from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.forms.reader import parse_form
from ledger_tools.sheets.forms.writer import FormContent
from ledger_tools.sheets.ledger.data import read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.returned.workbook import read_returned
from tests.builders import UNITS, item, make_ledger, sha

AS_OF = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 8, 30)
KEY = "5e" * 32
SECRET_MATTER = "秘密事项甲某某工程"
SECRET_REQUIREMENT = "秘密要求乙某某节点"
SECRET_PROGRESS = "秘密进展丙某某阶段"
DONGCHENG, XISHAN, NANHU, BEILING, QINGHE = (u.name for u in UNITS)


def _items() -> list[dict]:
    return [
        item(
            事项编号="2026-CW12-01", 主责单位="东城区", 协办单位="西山县"
        ),  # alias → registered name
        item(
            事项编号="2026-CW12-02",
            涉密="是",
            议定事项=SECRET_MATTER,
            办理要求=SECRET_REQUIREMENT,
            最新进展=SECRET_PROGRESS,
            协办单位=f"{XISHAN}、{NANHU}",
        ),
        item(
            事项编号="2026-CW12-03",
            主责单位=XISHAN,
            事项类型="长期",
            完成时限=None,
            议定事项="西山县长期推进的工作",
        ),
        item(
            事项编号="2026-CW12-04",
            主责单位=NANHU,
            办理状态="已办结",
            办结日期=dt.date(2026, 11, 2),
        ),
        item(事项编号="2026-CW12-05", 主责单位=BEILING, 交办日期=None),  # 待交办
        item(事项编号="2026-CW12-06", 主责单位=BEILING, 办理状态="已终止"),
        item(
            事项编号="2026-CW12-07", 主责单位=QINGHE, 交办日期=dt.date(2026, 11, 24)
        ),  # after as-of
    ]


@pytest.fixture
def ledger(tmp_path) -> Path:
    return make_ledger(
        tmp_path / "台账.xlsx",
        _items(),
        extensions=[
            {
                "事项编号": "2026-CW12-01",
                "申请日期": dt.date(2026, 11, 1),
                "申请单位": DONGCHENG,
                "原时限": dt.date(2026, 12, 31),
                "申请延期至": dt.date(2027, 1, 31),
                "延期原因": "冬季停工",
                "审批领导": "张副市长",
                "审批日期": dt.date(2026, 11, 5),
                "审批结果": "同意",
                "批准时限": dt.date(2027, 1, 31),
            }
        ],
    )


def _system(ledger: Path) -> tuple[str, str]:
    with LedgerFile(ledger) as lf:
        data = read_ledger(lf)
        return data.signing_key, data.ledger_id


def _run(ledger: Path, as_of: dt.date = AS_OF, **kw) -> forms.FormsResult:
    return forms.run(ledger, "2026-11", ledger.parent / "反馈表", as_of, now=NOW, **kw)


def _parsed(result: forms.FormsResult, unit: str, ledger: Path):
    key, ledger_id = _system(ledger)
    f = next(f for f in result.files if f.unit == unit)
    return parse_form(read_returned(f.path), key, ledger_id=ledger_id)


def test_one_form_per_lead_unit_with_open_assigned_items(ledger):
    digest = sha(ledger)
    result = _run(ledger)
    assert [f.unit for f in result.files] == [DONGCHENG, XISHAN]
    assert [f.path.name for f in result.files] == [
        f"反馈表-2026-11-{DONGCHENG}.xlsx",
        f"反馈表-2026-11-{XISHAN}.xlsx",
    ]
    assert [(f.items, f.confidential, f.co_items) for f in result.files] == [(2, 1, 0), (1, 0, 2)]
    assert sorted(p.name for p in result.out_dir.iterdir()) == sorted(
        f.path.name for f in result.files
    )
    # 南湖县 only co-handles an open item: no form, but the office is told
    assert result.co_only_units == [NANHU]
    assert result.due == dt.date(2026, 11, 25) and result.items == 3
    assert sha(ledger) == digest  # read-only on the ledger
    assert not list(ledger.parent.glob("台账备份"))


def test_form_shows_items_as_refreshed_on_the_as_of_date(ledger):
    parsed = _parsed(_run(ledger), DONGCHENG, ledger)
    assert parsed.signature_ok
    assert parsed.meta.unit == DONGCHENG and parsed.meta.period == "2026-11"
    assert parsed.meta.due == dt.date(2026, 11, 25) and parsed.meta.generated == NOW
    assert [r.item_id for r in parsed.rows] == ["2026-CW12-01", "2026-CW12-02"]
    first = parsed.meta.locked["2026-CW12-01"]
    assert (
        first["当前时限"] == "2027-01-31"
    )  # the approved extension, though the ledger was never refreshed
    assert first["协办单位"] == XISHAN  # registered name, not the alias typed in the ledger
    assert parsed.meta.locked["2026-CW12-02"]["序号"] == "2（涉密）"
    assert parsed.meta.locked["2026-CW12-02"]["上期进展"] == SECRET_PROGRESS
    assert (parsed.contact.value, parsed.phone.value) == (UNITS[0].contact, UNITS[0].phone)


def test_confidential_content_is_only_in_its_own_units_form(ledger):
    result = _run(ledger)
    seen = {}
    for f in result.files:
        with zipfile.ZipFile(f.path) as z:
            text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        seen[f.unit] = [
            s for s in (SECRET_MATTER, SECRET_REQUIREMENT, SECRET_PROGRESS) if s in text
        ]
    assert seen == {DONGCHENG: [SECRET_MATTER, SECRET_REQUIREMENT, SECRET_PROGRESS], XISHAN: []}
    ws = openpyxl.load_workbook(next(f.path for f in result.files if f.unit == XISHAN))[fl.SHEET_CO]
    rows = [[c for c in r if c] for r in ws.iter_rows(values_only=True)]
    secret_row = next(r for r in rows if "2026-CW12-02" in r)
    assert "涉密事项" in secret_row and DONGCHENG not in secret_row
    plain_row = next(r for r in rows if "2026-CW12-01" in r)
    assert DONGCHENG in plain_row and UNITS[0].contact in plain_row and "2027-01-31" in plain_row


def test_the_as_of_date_decides_which_assigned_items_count(ledger):
    result = _run(ledger, as_of=dt.date(2026, 11, 24))
    assert QINGHE in [f.unit for f in result.files]


def test_units_without_contact_are_warned_not_refused(tmp_path):
    units = [dataclasses.replace(UNITS[0], contact=None, phone=None), *UNITS[1:]]
    path = make_ledger(tmp_path / "台账.xlsx", [item()], units=units)
    result = forms.run(path, "2026-11", tmp_path / "out", AS_OF)
    assert result.no_contact == [DONGCHENG] and len(result.files) == 1
    key, _ = _system(path)
    parsed = parse_form(read_returned(result.files[0].path), key)
    assert parsed.contact.value is None and parsed.phone.value is None


def test_an_unregistered_lead_unit_still_gets_a_form(tmp_path):
    path = make_ledger(tmp_path / "台账.xlsx", [item(主责单位="市新成立的局")])
    result = forms.run(path, "2026-11", tmp_path / "out", AS_OF)
    assert (
        result.unregistered == ["市新成立的局"]
        and result.files[0].path.name == "反馈表-2026-11-市新成立的局.xlsx"
    )


def test_nothing_open_writes_nothing(tmp_path):
    path = make_ledger(tmp_path / "台账.xlsx", [item(交办日期=None)])
    result = forms.run(path, "2026-11", tmp_path / "out", AS_OF)
    assert result.files == [] and list((tmp_path / "out").iterdir()) == []


def test_bad_period_and_bad_out_are_usage_errors(ledger):
    with pytest.raises(UsageError, match="报送期次"):
        forms.run(ledger, "2026-13", ledger.parent / "out", AS_OF)
    blocker = ledger.parent / "一个文件"
    blocker.write_text("x")
    with pytest.raises(UsageError, match="不是文件夹"):
        forms.run(ledger, "2026-11", blocker, AS_OF)


def test_period_is_normalised(ledger):
    result = forms.run(ledger, "2026年11月", ledger.parent / "out", AS_OF)
    assert result.period == "2026-11" and result.files[0].path.name.startswith("反馈表-2026-11-")


def test_a_ledger_without_signing_key_is_refused(ledger):
    wb = openpyxl.load_workbook(ledger)
    for row in wb["_系统"].iter_rows():
        if row[0].value == "signing_key":
            row[1].value = None
    wb.save(ledger)
    with pytest.raises(InputRejected, match="签名密钥"):
        _run(ledger)


def test_sample_ledger_every_form_verifies_and_covers_every_open_item(tmp_path):
    path = build_sample(tmp_path / "台账.xlsx")
    result = forms.run(path, "2026-11", tmp_path / "out", dt.date(2026, 11, 20))
    with LedgerFile(path) as lf:
        data = read_ledger(lf)
        data.recompute(dt.date(2026, 11, 20))
        expected = {
            i.id
            for i in data.items
            if i.status in OPEN_STATUSES and i.assigned and i.assigned <= dt.date(2026, 11, 20)
        }
        key, ledger_id = data.signing_key, data.ledger_id
    on_forms: set[str] = set()
    for f in result.files:
        parsed = parse_form(read_returned(f.path), key, ledger_id=ledger_id)
        assert parsed.signature_ok and parsed.meta.unit == f.unit
        ids = [r.item_id for r in parsed.rows]
        assert len(ids) == f.items and not on_forms & set(ids)
        on_forms |= set(ids)
    assert on_forms == expected and len(result.files) > 5


def test_cli_forms(ledger):
    r = CliRunner().invoke(
        cli,
        [
            "forms",
            str(ledger),
            "--period",
            "2026-11",
            "--out",
            str(ledger.parent / "out"),
            "--as-of",
            "2026-11-20",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "已生成 2 份 2026-11 期反馈表" in r.output and NANHU in r.output and "协办" in r.output
    assert (ledger.parent / "out" / f"反馈表-2026-11-{DONGCHENG}.xlsx").exists()
    r = CliRunner().invoke(
        cli, ["forms", str(ledger), "--period", "11月", "--out", str(ledger.parent / "out")]
    )
    assert r.exit_code == 2


# --- a real LibreOffice opens, saves and converts the form -------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_libreoffice_round_trip_keeps_meta_and_signature(ledger, tmp_path, fmt):
    from tests.realclient.lo import convert, require_soffice

    require_soffice()
    result = _run(ledger)
    src = next(f.path for f in result.files if f.unit == DONGCHENG)
    key, ledger_id = _system(ledger)
    before = parse_form(read_returned(src), key)
    out = convert(src, fmt, tmp_path / f"lo-{fmt}")
    wb = read_returned(out)
    # LibreOffice 7.x turns "very hidden" into "hidden"; either must still verify
    assert wb.sheet(fl.SHEET_META).visible in ("hidden", "veryhidden")
    after = parse_form(wb, key, ledger_id=ledger_id)
    assert after.signature_ok and after.meta == before.meta
    for row in after.rows:
        for header, text in after.meta.locked[row.item_id].items():
            assert fl.locked_text(row.cells[header].value) == text, (row.item_id, header)


@pytest.mark.slow
def test_libreoffice_user_typing_into_the_protected_form(ledger, tmp_path):
    from tests.realclient.lo import fill_and_save, require_soffice

    require_soffice(uno=True)
    src = next(f.path for f in _run(ledger).files if f.unit == DONGCHENG)
    edits = {
        fl.SHEET_FORM: {"K6": "已办结", "L6": "=已完成全部整改 ", "M6": "2026-11-15", "D3": "王五"}
    }
    outputs = fill_and_save(
        src, edits, tmp_path / "filled", formats=("xlsx", "ods")
    )  # retries LO crashes
    key, _ = _system(ledger)
    for fmt, path in outputs.items():
        parsed = parse_form(read_returned(path), key)
        cells = parsed.rows[0].cells
        assert parsed.signature_ok, fmt
        assert cells["办理状态"].value == "已办结"
        assert (
            cells["本期进展情况"].value == "=已完成全部整改 "
        )  # the text cell format kept it text
        assert cells["办结日期"].value in (dt.date(2026, 11, 15), dt.datetime(2026, 11, 15))
        assert parsed.contact.value == "王五"


def _parts(folder: Path) -> dict[str, dict[str, bytes]]:
    out = {}
    for path in sorted(folder.glob("*.xlsx")):
        with zipfile.ZipFile(path) as z:
            out[path.name] = {n: z.read(n) for n in z.namelist()}
    return out


@pytest.mark.posix_only  # file modes are POSIX
def test_forms_written_by_worker_processes_are_the_forms_written_here(tmp_path, monkeypatch):
    path = build_sample(tmp_path / "台账.xlsx")
    here = forms.run(path, "2026-11", tmp_path / "here", AS_OF, now=NOW)
    monkeypatch.setattr(forms, "PARALLEL_FROM", 1)  # a worker for every form, however few
    assert forms._workers(4) >= 2 or forms._workers(4) == os.cpu_count() == 1
    there = forms.run(path, "2026-11", tmp_path / "there", AS_OF, now=NOW)
    assert [(f.unit, f.path.name, f.items, f.co_items) for f in there.files] == [
        (f.unit, f.path.name, f.items, f.co_items) for f in here.files
    ]
    assert len(here.files) > 5 and _parts(tmp_path / "there") == _parts(tmp_path / "here")
    assert {stat.S_IMODE(f.path.stat().st_mode) for f in there.files} == {0o666 & ~_umask()}


def test_forms_written_by_spawned_workers_are_the_forms_written_here(tmp_path, monkeypatch):
    """Windows has no fork: what a worker gets must travel by pickle, and give the same files."""
    from ledger_tools.sheets import workers

    path = build_sample(tmp_path / "台账.xlsx")
    here = forms.run(path, "2026-11", tmp_path / "here", AS_OF, now=NOW)
    monkeypatch.setattr(forms, "PARALLEL_FROM", 1)
    monkeypatch.setattr(forms, "usable_cores", lambda: 2)
    monkeypatch.setattr(workers, "START_METHOD", "spawn")
    there = forms.run(path, "2026-11", tmp_path / "there", AS_OF, now=NOW)
    assert len(there.files) == len(here.files) > 5
    assert _parts(tmp_path / "there") == _parts(tmp_path / "here")


def test_a_form_a_worker_cannot_write_is_a_usage_error(ledger, monkeypatch):
    monkeypatch.setattr(forms, "PARALLEL_FROM", 1)
    out = ledger.parent / "反馈表"
    (out / f"反馈表-2026-11-{DONGCHENG}.xlsx").mkdir(parents=True)  # a folder where the form goes
    with pytest.raises(UsageError, match=f"无法写入 .*{DONGCHENG}"):
        _run(ledger)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("workers", [1, 3])
def test_many_forms_are_written_alike_by_one_process_or_several(tmp_path, workers):
    jobs = [(tmp_path / f"f{n}.xlsx", _content(unit=f"单位{n}")) for n in range(7)]
    seen: list[int] = []
    forms.write_forms(jobs, KEY, workers=workers, written=seen.append)
    assert sorted(seen) == list(range(7))
    for path, c in jobs:
        parsed = parse_form(read_returned(path), KEY)
        assert parsed.signature_ok and parsed.meta.unit == c.unit
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files


@pytest.mark.parametrize("workers", [1, 2])
def test_a_form_that_cannot_be_written_names_its_path(tmp_path, workers):
    jobs = [(tmp_path / f"f{n}.xlsx", _content()) for n in range(4)]
    jobs[2][0].mkdir()  # a folder where the form should go
    with pytest.raises(UsageError) as caught:  # Chinese, from a worker as from here
        forms.write_forms(jobs, KEY, workers=workers)
    assert f"无法写入 {jobs[2][0]}" in str(caught.value)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files


def _content(unit: str = DONGCHENG) -> FormContent:
    return FormContent(
        ledger_id="0123456789abcdef0123456789abcdef",
        unit=unit,
        period="2026-11",
        due=dt.date(2026, 11, 25),
        generated=NOW,
        items=[
            Item(
                id="2026-CW12-01",
                source_name="市人民政府2026年第12次常务会议",
                matter="推进工作",
                lead_unit=unit,
                status=Status.IN_PROGRESS,
                assigned=dt.date(2026, 9, 1),
            )
        ],
    )
