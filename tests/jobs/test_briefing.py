"""ledger brief end to end: every number recounted from the ledger, confidential text kept out,
only 月度快照 saved, print setup, and (slow) LibreOffice's PDF pages."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import stat
import zipfile
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from ledger_tools.cli.app import cli
from ledger_tools.core import scoring
from ledger_tools.demo.sample import build_sample
from ledger_tools.errors import LedgerBusy, UsageError
from ledger_tools.jobs import briefing, refresh
from ledger_tools.sheets.ledger import package_writer
from ledger_tools.sheets.ledger.backups import backups_of
from tests.builders import (
    SECRET_REASON,
    SECRETS,
    item,
    make_ledger,
    report_row,
    scenario_ledger,
    sha,
)

MONTH = "2026-11"
AS_OF = dt.date(2026, 11, 30)
D = dt.date


@pytest.fixture
def ledger(tmp_path):
    return scenario_ledger(tmp_path / "台账.xlsx")


@pytest.fixture(scope="module")
def sample_brief(tmp_path_factory):
    """The sample ledger briefed once for the module: (ledger copy, result)."""
    folder = tmp_path_factory.mktemp("sample")
    path = build_sample(folder / "台账.xlsx")
    refresh.run(
        path, dt.date(2026, 11, 1)
    )  # an earlier refresh: its tool columns must stay as they are
    before = _cells(path)
    result = briefing.run(path, MONTH, folder / "通报", AS_OF)
    return path, result, before


# -- reading back --------------------------------------------------------------------------


def _cells(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb}


def _table(ws, header_row: int = 3, first: int = 1, last: int | None = None) -> list[dict]:
    """The data rows below ``header_row`` up to the first blank row, without the 合计 row."""
    last = last or ws.max_column
    header = [c.value for c in ws[header_row][first - 1 : last]]
    rows = []
    for values in ws.iter_rows(
        min_row=header_row + 1, min_col=first, max_col=last, values_only=True
    ):
        if all(v is None for v in values):
            break
        row = dict(zip(header, values))
        if "合计" in values[:2]:
            continue
        rows.append(row)
    return rows


def _ledger_frames(path: Path, as_of: dt.date) -> dict[str, pd.DataFrame]:
    """The ledger after a refresh at ``as_of`` (on a copy), read with pandas."""
    copy = path.with_name("recount-" + path.name)
    shutil.copy(path, copy)
    refresh.run(copy, as_of)
    frames = pd.read_excel(copy, sheet_name=None, engine="openpyxl")
    for name in ("台账", "延期记录"):
        for col in frames[name].columns:
            if col.endswith(("日期", "时限")):
                frames[name][col] = pd.to_datetime(frames[name][col]).dt.date
    return frames


def _alias_map(units: pd.DataFrame) -> dict[str, str]:
    out = {}
    for name, aliases in zip(units["单位名称"], units["别名"].fillna("")):
        out[name] = name
        for a in re.split(r"[、，,;；]", aliases):
            if a.strip():
                out[a.strip()] = name
    return out


def _narrative(ws) -> str:
    return "".join(
        c.value
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("　　")
    )


# -- (1) every count recomputed independently from the ledger ------------------------------


def test_every_count_of_every_sheet_matches_the_ledger(sample_brief):
    path, result, _ = sample_brief
    f = _ledger_frames(path, AS_OF)
    items = f["台账"]
    units = _alias_map(f["单位"])
    items["单位"] = items["主责单位"].map(lambda u: units.get(u, u))
    wb = openpyxl.load_workbook(result.xlsx)
    assert wb.sheetnames == [
        "通报",
        "分领导",
        "分单位",
        "分科室",
        "逾期事项",
        "临期事项",
        "长期事项报送",
        "延期事项",
        "本月办结",
        "扣分意见",
        "趋势",
    ]
    by_section = {}
    for row in wb["分科室"].iter_rows(min_row=4, values_only=True):
        by_section[row[0]] = by_section.get(row[0], 0) + 1
    expected = items["承办科室"].fillna("").map(lambda s: s.strip() or "（未填写承办科室）")
    assert by_section == expected.value_counts().to_dict()

    status = items["办理状态"].value_counts().to_dict()
    alert = items["督办预警"].value_counts().to_dict()
    cover = wb["通报"]
    got_status = {
        r["办理状态"]: r["件数"] for r in _table(cover, 5, 1, 3) if r["办理状态"] != "事项总数"
    }
    assert got_status == {
        s: status.get(s, 0)
        for s in ("已销号", "已办结待销号", "办理中", "长期推进", "申请延期", "待交办", "已终止")
    } | {"已办结待销号": status.get("已办结", 0)}
    assert cover["B13"].value == len(items)  # 事项总数 row
    got_alert = {cover.cell(r, 5).value: cover.cell(r, 6).value for r in range(6, 10)}
    assert got_alert == {a: alert.get(a, 0) for a in ("逾期", "临期", "未按时报送", "交办超时")}
    finished = status.get("已销号", 0) + status.get("已办结", 0)
    rate = round(finished / (len(items) - status.get("已终止", 0)), 4)
    assert cover["F11"].value == rate

    def tallies(group: pd.DataFrame) -> dict:
        s = group["办理状态"].value_counts()
        return {
            "事项总数": len(group),
            "已销号": s.get("已销号", 0),
            "已办结待销号": s.get("已办结", 0),
            "在办": s.get("办理中", 0) + s.get("长期推进", 0) + s.get("申请延期", 0),
            "待交办": s.get("待交办", 0),
            "已终止": s.get("已终止", 0),
            "逾期": int((group["督办预警"] == "逾期").sum()),
            "临期": int((group["督办预警"] == "临期").sum()),
        }

    src_rows = _table(cover, 16)
    by_source = {k: tallies(g) for k, g in items.groupby("来源类型")}
    assert {
        r["来源类型"]: {k: r[k] for k in by_source["常务会议"]} for r in src_rows if r["事项总数"]
    } == by_source

    leaders = {k: tallies(g) for k, g in items.groupby("责任领导")}
    assert {
        r["责任领导"]: {k: r[k] for k in leaders[next(iter(leaders))]} for r in _table(wb["分领导"])
    } == leaders

    unit_rows = {r["单位名称"]: r for r in _table(wb["分单位"])}
    month_start = D(2026, 11, 1)
    for name, g in items.groupby("单位"):
        row = unit_rows.pop(name)
        assert {k: row[k] for k in tallies(g)} == tallies(g), name
        obliged = g[
            g["办理状态"].isin(["办理中", "长期推进", "申请延期"]) & (g["交办日期"] < month_start)
        ]
        flags = obliged["本期报送"].value_counts()
        assert row["本月应报送"] == len(obliged)
        assert row["按时报送"] == flags.get("已报送", 0)
        assert row["未按时报送"] == flags.get("未报送", 0) + flags.get("逾期报送", 0), name
        t = tallies(g)
        assert row["办结率"] == round(
            (t["已销号"] + t["已办结待销号"]) / (t["事项总数"] - t["已终止"]), 4
        )
    assert unit_rows == {}
    ranked = _table(wb["分单位"])
    keys = [(-r["办结率"], r["逾期"], r["未按时报送"]) for r in ranked]
    assert keys == sorted(keys) and ranked[0]["排名"] == 1

    overdue = items[items["督办预警"] == "逾期"]
    got = {r["事项编号"]: r["逾期工作日"] for r in _table(wb["逾期事项"])}
    assert got == dict(zip(overdue["事项编号"], -overdue["剩余工作日"]))
    reminders = f["催办记录"]["事项编号"].value_counts()
    assert all(r["催办次数"] == reminders.get(r["事项编号"], 0) for r in _table(wb["逾期事项"]))
    assert {r["事项编号"] for r in _table(wb["临期事项"])} == set(
        items.loc[items["督办预警"] == "临期", "事项编号"]
    )

    in_month = lambda col: items[col].map(lambda d: pd.notna(d) and month_start <= d <= AS_OF)  # noqa: E731
    assert {r["事项编号"] for r in _table(wb["本月办结"])} == set(
        items.loc[in_month("办结日期") | in_month("销号日期"), "事项编号"]
    )

    long_term = items[
        (items["事项类型"] == "长期")
        & ((items["本期报送"] != "无需报送") | items["办理状态"].isin(["长期推进", "申请延期"]))
    ]
    assert {r["事项编号"]: r["本月报送"] for r in _table(wb["长期事项报送"])} == dict(
        zip(long_term["事项编号"], long_term["本期报送"])
    )

    ext = f["延期记录"]
    since = lambda col: ext[col].map(lambda d: pd.notna(d) and d >= month_start)  # noqa: E731
    wanted = ext[
        ext["申请日期"].map(lambda d: pd.isna(d) or d <= AS_OF)
        & (ext["审批结果"].isna() | since("申请日期") | since("审批日期"))
    ]
    assert sorted(r["事项编号"] for r in _table(wb["延期事项"])) == sorted(wanted["事项编号"])

    # 扣分意见: the month's column adds up the month's evidence; November's missed reports are 分单位's
    ws = wb["扣分意见"]
    summary = _table(ws)
    evidence_top = (
        next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "本月新增扣分依据") + 1
    )
    evidence = _table(ws, evidence_top)
    assert evidence and all(e["发生日期"].date() >= month_start for e in evidence)
    weights = {"逾期未落实": 1, "未按时报送": 0.5, "报送不实": 2, "措施不力": 1}
    for row in summary:
        mine = [e for e in evidence if e["单位名称"] == row["单位名称"]]
        assert row["其中本月新增"] == pytest.approx(sum(weights[e["扣分事由"]] for e in mine))
        assert row["拟扣分合计"] == pytest.approx(
            sum(weights[r.split("（")[0]] * row[r] for r in row if r and "（" in r)
        )
    november = [e for e in evidence if e["扣分事由"] == "未按时报送" and e["报送期次"] == MONTH]
    assert len(november) == sum(r["未按时报送"] for r in ranked)
    verified = items[items["核查结果"].isin(["报送不实", "措施不力"])]
    assert sum(r["报送不实（件）"] + r["措施不力（件）"] for r in summary) == len(verified)

    trend = _table(wb["趋势"])
    assert (
        trend[-1]["月份"] == MONTH
        and trend[-1]["事项总数"] == len(items)
        and trend[-1]["逾期"] == alert.get("逾期", 0)
    )


def test_narrative_numbers_equal_the_tables_in_the_workbook_and_the_document(sample_brief):
    from docx import Document

    _, result, _ = sample_brief
    wb = openpyxl.load_workbook(result.xlsx)
    text = _narrative(wb["通报"])
    cover = wb["通报"]
    status = {r["办理状态"]: r["件数"] for r in _table(cover, 5, 1, 3)}

    def n(pattern: str) -> float:
        return float(re.search(pattern, text).group(1))

    assert n(r"共跟踪督办议定事项(\d+)件") == cover["B13"].value
    for label in ("已销号", "已办结待销号", "办理中", "长期推进"):
        assert n(label + r"(\d+)件") == status[label]
    assert n(r"办结率([\d.]+)%") == round(cover["F11"].value * 100, 1)
    assert n(r"逾期未办结事项(\d+)件") == len(_table(wb["逾期事项"]))
    assert n(r"报告办结(\d+)件") == sum(
        1 for r in _table(wb["本月办结"]) if r["办结日期"] and r["办结日期"].month == 11
    )
    lt = _table(wb["长期事项报送"])
    must = [r for r in lt if r["应报送"] == "是"]
    assert n(r"本月应报送(\d+)件") == len(must)
    assert n(r"按时报送(\d+)件") == sum(r["本月报送"] == "已报送" for r in must)
    assert n(r"，未按时报送(\d+)件") == sum(r["本月报送"] in ("未报送", "逾期报送") for r in must)
    summary = _table(wb["扣分意见"])
    assert n(r"拟对(\d+)个单位") == len(summary)
    assert n(r"合计([\d.]+)分") == pytest.approx(sum(r["拟扣分合计"] for r in summary))
    for r in summary:
        assert f"{r['单位名称']}拟扣" in text

    doc = Document(str(result.docx))
    paragraphs = [p.text for p in doc.paragraphs]
    narrative = [
        c.value[2:]
        for row in cover.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("　　")
    ]
    assert narrative and all(p in paragraphs for p in narrative)
    overdue_table = doc.tables[0]
    assert len(overdue_table.rows) - 1 == len(_table(wb["逾期事项"]))


def test_only_the_month_snapshot_is_saved_and_a_rerun_saves_nothing(sample_brief, tmp_path):
    path, result, before = sample_brief
    after = _cells(path)
    assert {k: v for k, v in after.items() if k != "月度快照"} == {
        k: v for k, v in before.items() if k != "月度快照"
    }
    snap = after["月度快照"]
    assert snap[0][:3] == ("月份", "截止日期", "事项总数") and len(snap) == 2
    t = result.briefing.totals
    assert snap[1][0] == MONTH and snap[1][1].date() == AS_OF
    assert snap[1][2:] == (
        t.total,
        t.closed,
        t.done,
        t.in_progress,
        t.long_term,
        t.overdue,
        t.due_soon,
        t.completion_rate,
    )
    assert result.snapshot_changed and result.backup.exists()

    digest = sha(path)
    again = briefing.run(path, MONTH, tmp_path, AS_OF)
    assert not again.snapshot_changed and sha(path) == digest


def test_the_snapshot_row_is_updated_in_place_and_earlier_months_make_the_trend(ledger, tmp_path):
    briefing.run(ledger, "2026-10", tmp_path)  # October is over: cut off on 10-31
    briefing.run(ledger, MONTH, tmp_path, D(2026, 11, 20))
    result = briefing.run(ledger, MONTH, tmp_path, AS_OF)
    rows = _cells(ledger)["月度快照"][1:]
    assert [(r[0], r[1].date()) for r in rows] == [("2026-10", D(2026, 10, 31)), (MONTH, AS_OF)]
    assert openpyxl.load_workbook(ledger)["月度快照"]["J3"].number_format == "0.0%"
    trend = _table(openpyxl.load_workbook(result.xlsx)["趋势"])
    assert [r["月份"] for r in trend] == ["2026-10", MONTH]


# -- (2) confidential text ----------------------------------------------------------------


def _xml_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(
            z.read(n).decode("utf-8", "replace")
            for n in z.namelist()
            if n.endswith((".xml", ".rels"))
        )


def test_confidential_text_is_in_no_part_of_either_file_unless_included(ledger, tmp_path):
    result = briefing.run(ledger, MONTH, tmp_path / "out", AS_OF)
    b = result.briefing
    secret_ids = set(SECRETS)
    # each confidential item is in the lists it belongs to, shown by its id
    assert secret_ids & {r.item.id for r in b.overdue} == {"2026-CW12-20"}
    assert "2026-CW12-21" in {r.item.id for r in b.long_term}
    assert "2026-CW12-22" in {r.ext.item_id for r in b.extensions}
    assert "2026-CW12-23" in {r.item.id for r in b.finished}
    assert "2026-CW12-24" in {r.item.id for r in b.due_soon}
    texts = [t for triple in SECRETS.values() for t in triple] + [SECRET_REASON]
    for file in (result.xlsx, result.docx):
        xml = _xml_text(file)
        assert not [t for t in texts if t in xml], file.name
        assert "涉密事项" in xml and "2026-CW12-20" in xml

    opened = briefing.run(ledger, MONTH, tmp_path / "inside", AS_OF, include_confidential=True)
    for file in (opened.xlsx, opened.docx):
        xml = _xml_text(file)
        assert "涉密甲议定事项：某某专项工作" in xml and "涉密甲最新进展：已完成七成" in xml
    assert SECRET_REASON in _xml_text(opened.xlsx)


def test_scenario_lists_and_text_written_as_text(ledger, tmp_path):
    result = briefing.run(ledger, MONTH, tmp_path, AS_OF)
    wb = openpyxl.load_workbook(result.xlsx)
    overdue = {r["事项编号"]: r for r in _table(wb["逾期事项"])}
    assert set(overdue) == {"2026-CW12-01", "2026-CW12-02", "2026-CW12-20"}
    assert overdue["2026-CW12-01"]["拟扣分"] == "是" and overdue["2026-CW12-02"]["拟扣分"] is None
    assert overdue["2026-CW12-01"]["催办情况"] == "2026-10-22 书面督办、2026-11-03 电话督办"
    assert (
        overdue["2026-CW12-02"]["主责单位"] == "西山县人民政府"
    )  # the alias is shown as the registered name
    assert overdue["2026-CW12-02"]["议定事项"].startswith("=HYPERLINK")
    with zipfile.ZipFile(result.xlsx) as z:
        assert not any(
            "<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")
        )
    lt = {r["事项编号"]: r["本月报送"] for r in _table(wb["长期事项报送"])}
    assert lt == {
        "2026-CW12-04": "逾期报送",
        "2026-CW12-05": "未报送",
        "2026-CW12-21": "未报送",
        "2026-CW12-06": "无需报送",
    }
    ext = {r["事项编号"]: r["审批结果"] for r in _table(wb["延期事项"])}
    assert ext == {"2026-CW12-11": "待审批", "2026-CW12-22": "待审批", "2026-CW12-12": "同意"}
    done = {r["事项编号"]: r["办结情况"] for r in _table(wb["本月办结"])}
    assert done == {
        "2026-CW12-07": "按期办结",
        "2026-CW12-08": "按期办结",
        "2026-CW12-23": "按期办结",
    }
    reasons = {
        (r["单位名称"], r["扣分事由"], r["事项编号"])
        for r in _table(
            wb["扣分意见"],
            next(r for r in range(1, 99) if wb["扣分意见"].cell(r, 1).value == "本月新增扣分依据")
            + 1,
        )
    }
    assert ("东城区人民政府", "逾期未落实", "2026-CW12-01") in reasons
    assert ("西山县人民政府", "报送不实", "2026-CW12-08") in reasons
    assert ("青河市人民政府", "未按时报送", "2026-CW12-05") in reasons


# -- (3) print setup, and LibreOffice's PDF ---------------------------------------------


def test_every_sheet_is_set_up_for_a4_landscape_printing(ledger, tmp_path):
    result = briefing.run(ledger, MONTH, tmp_path, AS_OF)
    with zipfile.ZipFile(result.xlsx) as z:
        workbook = z.read("xl/workbook.xml").decode()
        sheets = [
            z.read(n).decode()
            for n in sorted(z.namelist())
            if re.match(r"xl/worksheets/sheet\d+\.xml$", n)
        ]
    assert len(sheets) == 11
    titles = re.findall(
        r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">([^<]+)<', workbook
    )
    assert {int(i) for i, _ in titles} == set(
        range(1, 11)
    )  # every list sheet repeats its header row
    assert all(ref.endswith("!$3:$3") for _, ref in titles)
    for xml in sheets:
        assert '<pageSetup paperSize="9" fitToHeight="0" orientation="landscape"/>' in xml
        assert (
            "<headerFooter><oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter></headerFooter>"
            in xml
        )
        assert '<pageSetUpPr fitToPage="1"/>' in xml
    with zipfile.ZipFile(result.xlsx) as z:
        assert "宋体" in z.read("xl/styles.xml").decode()
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3


MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")


def _page_sizes(pdf: Path) -> list[tuple[int, int]]:
    return [
        (round(float(x1) - float(x0)), round(float(y1) - float(y0)))
        for x0, y0, x1, y1 in MEDIABOX.findall(pdf.read_bytes())
    ]


@pytest.mark.slow
def test_libreoffice_prints_both_files_on_a4_landscape_pages(ledger, tmp_path):
    from tests.realclient import lo

    lo.require_soffice()
    result = briefing.run(ledger, MONTH, tmp_path / "out", AS_OF)
    for file in (result.xlsx, result.docx):
        pdf = lo.convert(file, "pdf", tmp_path / file.suffix[1:])
        sizes = _page_sizes(pdf)
        assert sizes and set(sizes) == {(842, 595)}, (file.name, sizes)


# -- usage, templates, refusals ---------------------------------------------------------


def test_a_staff_template_beside_the_ledger_is_used(ledger, tmp_path):
    own = ledger.parent / "模板"
    own.mkdir()
    (own / "通报正文.j2").write_text(
        "本月共{{ t.total }}件，逾期{{ b.overdue|length }}件。\n\n第二段{{ b.as_of|cn_date }}。",
        encoding="utf-8",
    )
    result = briefing.run(ledger, MONTH, tmp_path, AS_OF)
    text = _narrative(openpyxl.load_workbook(result.xlsx)["通报"])
    assert text == "　　本月共17件，逾期3件。　　第二段2026年11月30日。"


def test_a_broken_template_changes_nothing_and_says_where(ledger, tmp_path):
    own = ledger.parent / "模板"
    own.mkdir()
    (own / "通报正文.j2").write_text("第一行\n本月{{ t.totl }}件", encoding="utf-8")
    digest = sha(ledger)
    r = CliRunner().invoke(
        cli,
        [
            "brief",
            str(ledger),
            "--month",
            MONTH,
            "--out",
            str(tmp_path / "out"),
            "--as-of",
            "2026-11-30",
        ],
    )
    assert r.exit_code == 2 and "通报正文.j2" in r.output and "第 2 行" in r.output
    assert sha(ledger) == digest and list((tmp_path / "out").iterdir()) == []


def test_an_output_open_in_excel_is_refused(ledger, tmp_path):
    (tmp_path / f"~$通报-{MONTH}.xlsx").write_bytes(b"owner")
    with pytest.raises(LedgerBusy):
        briefing.run(ledger, MONTH, tmp_path, AS_OF)


@pytest.mark.parametrize(("month", "as_of"), [("2026-13", None), ("2026-12", D(2026, 11, 30))])
def test_bad_month_or_a_cut_off_before_the_month_is_a_usage_error(ledger, tmp_path, month, as_of):
    with pytest.raises(UsageError):
        briefing.run(ledger, month, tmp_path, as_of)


def test_default_cut_off_and_cli(ledger, tmp_path):
    assert briefing.resolve_as_of(MONTH, None, today=D(2026, 12, 2)) == AS_OF
    assert briefing.resolve_as_of(MONTH, None, today=D(2026, 11, 26)) == D(2026, 11, 26)
    r = CliRunner().invoke(
        cli,
        ["brief", str(ledger), "--month", MONTH, "--out", str(tmp_path), "--as-of", "2026-11-30"],
    )
    assert r.exit_code == 0, r.output
    assert "办结率" in r.output and (tmp_path / f"通报-{MONTH}.docx").exists()
    assert [
        p.name for p in tmp_path.iterdir() if p.name.startswith(".通报")
    ] == []  # no temporary files left


# -- (5) what the brief reads and saves, and how ------------------------------------------


@pytest.fixture
def openpyxl_loads(monkeypatch):
    """How many times the ledger was loaded with openpyxl (the slow, full load a save needs)."""
    from ledger_tools.sheets.ledger.file import LedgerFile

    calls = []
    original = LedgerFile._load_workbook

    def counting(self):
        calls.append(self.path)
        return original(self)

    monkeypatch.setattr(LedgerFile, "_load_workbook", counting)
    return calls


@pytest.fixture
def plain_ledger(tmp_path):
    """Values only: a ledger with a formula anywhere is always read with openpyxl."""
    return make_ledger(
        tmp_path / "台账.xlsx",
        [
            item(事项编号="2026-CW12-01", 完成时限=D(2026, 10, 15)),
            item(事项编号="2026-CW12-02", 完成时限=D(2026, 11, 25)),
            item(事项编号="2026-CW12-03", 办理状态="已办结", 办结日期=D(2026, 11, 12)),
        ],
        reports=[report_row("2026-CW12-01", MONTH, D(2026, 11, 18))],
    )


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def test_the_snapshot_row_is_saved_without_loading_the_ledger_into_openpyxl(
    plain_ledger, tmp_path, openpyxl_loads
):
    ledger = plain_ledger
    before = _parts(ledger)
    first = briefing.run(ledger, MONTH, tmp_path, D(2026, 11, 20))  # no row yet: written, saved
    assert first.snapshot_changed and first.backup.exists() and openpyxl_loads == []
    after = _parts(ledger)
    changed = {n for n in before if before[n] != after.get(n)}
    assert after.keys() == before.keys() and changed == {
        "xl/worksheets/sheet10.xml",
        "xl/styles.xml",
    }
    digest = sha(ledger)
    again = briefing.run(ledger, MONTH, tmp_path, D(2026, 11, 20))  # same numbers: nothing saved
    assert not again.snapshot_changed and sha(ledger) == digest
    assert again.briefing == first.briefing
    later = briefing.run(ledger, MONTH, tmp_path, AS_OF)  # the row changes: updated in place
    assert later.snapshot_changed and openpyxl_loads == []
    wb = openpyxl.load_workbook(ledger)
    rows = [[c.value for c in r] for r in wb["月度快照"].iter_rows(min_row=2)]
    assert [(r[0], r[1].date(), r[2]) for r in rows] == [
        (MONTH, AS_OF, later.briefing.totals.total)
    ]
    assert (
        wb["月度快照"]["B2"].number_format == "yyyy-mm-dd"
        and wb["月度快照"]["J2"].number_format == "0.0%"
    )


def test_a_ledger_with_formulas_is_saved_through_openpyxl(tmp_path, openpyxl_loads):
    ledger = make_ledger(
        tmp_path / "台账.xlsx", [item(事项编号="2026-CW12-01", 完成时限=D(2026, 10, 15))]
    )
    wb = openpyxl.load_workbook(ledger)
    wb["台账"]["AZ2"] = "=1+1"  # staff's own formula column
    wb.save(ledger)
    result = briefing.run(ledger, MONTH, tmp_path / "out", AS_OF)
    assert result.snapshot_changed and len(openpyxl_loads) == 1
    wb = openpyxl.load_workbook(ledger)
    assert wb["台账"]["AZ2"].value == "=1+1" and wb["月度快照"]["A2"].value == MONTH


def test_a_package_the_writer_does_not_handle_is_saved_through_openpyxl(
    plain_ledger, tmp_path, openpyxl_loads, monkeypatch
):
    def unsupported(*args, **kwargs):
        raise package_writer.Unsupported("1904 date system")

    monkeypatch.setattr(package_writer, "write_package", unsupported)
    result = briefing.run(plain_ledger, MONTH, tmp_path / "out", AS_OF)
    assert (
        result.snapshot_changed and len(openpyxl_loads) == 1 and len(backups_of(plain_ledger)) == 1
    )
    ws = openpyxl.load_workbook(plain_ledger)["月度快照"]
    assert (ws["A2"].value, ws["B2"].value.date(), ws["J2"].number_format) == (MONTH, AS_OF, "0.0%")
    assert not list(plain_ledger.parent.glob(".台账.*.tmp.xlsx"))  # no temporary file left


def test_a_ledger_changed_while_the_brief_was_written_is_not_overwritten(
    plain_ledger, tmp_path, monkeypatch
):
    ledger = plain_ledger
    briefing.run(ledger, MONTH, tmp_path / "first", D(2026, 11, 20))
    write_brief = briefing.brief_writer.write_brief

    def meanwhile(*args, **kw):  # staff save the ledger in Excel while the briefing is written
        wb = openpyxl.load_workbook(ledger)
        wb["台账"]["AZ1"] = "typed meanwhile"
        wb.save(ledger)
        return write_brief(*args, **kw)

    monkeypatch.setattr(briefing.brief_writer, "write_brief", meanwhile)
    with pytest.raises(LedgerBusy, match="修改过"):
        briefing.run(ledger, MONTH, tmp_path / "out", AS_OF)
    assert openpyxl.load_workbook(ledger)["台账"]["AZ1"].value == "typed meanwhile"
    assert list((tmp_path / "out").iterdir()) == []


def test_a_broken_word_template_is_reported_from_the_document_writer(ledger, tmp_path):
    own = ledger.parent / "模板"
    own.mkdir()
    (own / "通报.docx").write_bytes(b"not a word document")
    digest = sha(ledger)
    r = CliRunner().invoke(
        cli,
        [
            "brief",
            str(ledger),
            "--month",
            MONTH,
            "--out",
            str(tmp_path / "out"),
            "--as-of",
            "2026-11-30",
        ],
    )
    assert r.exit_code == 2 and "通报.docx" in r.output and "Traceback" not in r.output, r.output
    assert sha(ledger) == digest and list((tmp_path / "out").iterdir()) == []


@pytest.mark.posix_only  # file modes are POSIX
def test_the_briefing_files_get_the_mode_of_any_new_file(ledger, tmp_path):
    saved = os.umask(0o022)
    try:
        result = briefing.run(ledger, MONTH, tmp_path, AS_OF)
    finally:
        os.umask(saved)
    assert {stat.S_IMODE(p.stat().st_mode) for p in (result.xlsx, result.docx)} == {0o644}


def test_the_word_document_written_by_a_spawned_worker_is_the_one_written_here(
    ledger, tmp_path, monkeypatch
):
    """Windows has no fork: the document writer's function and arguments must travel by pickle."""
    from ledger_tools.sheets import workers

    monkeypatch.setattr(workers, "usable_cores", lambda: 1)
    here = briefing.run(ledger, MONTH, tmp_path / "here", AS_OF)
    monkeypatch.setattr(workers, "usable_cores", lambda: 2)
    monkeypatch.setattr(workers, "START_METHOD", "spawn")
    there = briefing.run(ledger, MONTH, tmp_path / "there", AS_OF)
    with zipfile.ZipFile(here.docx) as a, zipfile.ZipFile(there.docx) as b:
        assert a.read("word/document.xml") == b.read("word/document.xml")


def test_an_unreadable_deadline_is_counted_and_listed_with_the_overdue(tmp_path):
    """SPEC §3 Fail closed: 完成时限 「待定」 on an item long overdue-looking is 时限不明 in 台账,
    counted with 逾期 and listed, marked, among the overdue items; 2026年10月底 and 年底 are read."""
    ledger = make_ledger(
        tmp_path / "台账.xlsx",
        [
            item(事项编号="2026-CW12-01", 完成时限="待定"),
            item(事项编号="2026-CW12-02", 完成时限=D(2026, 10, 15)),
            item(事项编号="2026-CW12-03", 完成时限="2026年10月底。"),
            item(事项编号="2026-CW12-04", 完成时限="年底"),
            item(事项编号="2026-CW12-05", 完成时限="即时", 事项类型="长期"),
        ],
        reports=[report_row(f"2026-CW12-0{n}", MONTH, D(2026, 11, 18)) for n in range(1, 6)],
        reminders=[
            {"催办日期": D(2026, 11, day), "事项编号": f"2026-CW12-0{n}", "催办方式": "电话督办"}
            for n in (1, 2)
            for day in (2, 9)
        ],
    )
    # the narrative as this tree bundles it (the installed package may hold another copy)
    own = tmp_path / "模板"
    own.mkdir()
    bundled = Path(__file__).parents[2] / "templates" / "通报正文.j2"
    shutil.copy(bundled, own / "通报正文.j2")
    refresh.run(ledger, AS_OF)
    wb = openpyxl.load_workbook(ledger)
    ws = wb["台账"]
    header = {c.value: c.column for c in ws[1] if c.value}
    alerts = {
        ws.cell(r, header["事项编号"]).value: ws.cell(r, header["督办预警"]).value
        for r in range(2, 7)
    }
    deadlines = {
        ws.cell(r, header["事项编号"]).value: ws.cell(r, header["当前时限"]).value
        for r in range(2, 7)
    }
    assert alerts == {
        "2026-CW12-01": "时限不明",
        "2026-CW12-02": "逾期",
        "2026-CW12-03": "逾期",
        "2026-CW12-04": "正常",
        "2026-CW12-05": "时限不明",
    }
    assert deadlines["2026-CW12-01"] is None and deadlines["2026-CW12-05"] is None
    assert deadlines["2026-CW12-03"].date() == D(2026, 10, 31)
    assert deadlines["2026-CW12-04"].date() == D(2026, 12, 31)

    result = briefing.run(ledger, MONTH, tmp_path / "通报", AS_OF)
    b = result.briefing
    assert b.totals.overdue == 4 and b.snapshot.overdue == 4
    listed = {r.item.id: r.days_shown for r in b.overdue}
    assert listed["2026-CW12-01"] == "时限不明" and listed["2026-CW12-05"] == "时限不明"
    assert isinstance(listed["2026-CW12-02"], int) and listed["2026-CW12-02"] > 0
    assert set(listed) == {"2026-CW12-01", "2026-CW12-02", "2026-CW12-03", "2026-CW12-05"}
    # the workbook's list and the narrative say the same
    out = openpyxl.load_workbook(result.xlsx)
    rows = [[c.value for c in r] for r in out["逾期事项"].iter_rows()]
    marked = [r for r in rows if "2026-CW12-01" in r]
    assert marked and "时限不明" in marked[0]
    assert sum(1 for r in rows if any(str(v).startswith("2026-CW12-0") for v in r if v)) == 4
    text = "".join(p.text for p in docx.Document(str(result.docx)).paragraphs)
    assert "逾期未办结事项4件" in text and "其中2件完成时限无法识别" in text
    # chased twice like 02, but no 逾期未落实 without a date to have been late against
    charged = {d.item_id for d in b.deductions if d.reason is scoring.Reason.OVERDUE}
    assert charged == {"2026-CW12-02"}


def test_rows_that_are_no_items_are_not_counted(ledger, tmp_path):
    """A 合计 row, a repeated header and filled-down drop-downs: the same totals as without."""
    plain = briefing.run(ledger, MONTH, tmp_path / "a", AS_OF).briefing.totals
    wb = openpyxl.load_workbook(ledger)
    ws = wb["台账"]
    col = {c.value: c.column for c in ws[1] if c.value}
    last = ws.max_row
    ws.cell(last + 1, col["事项编号"], "合计")
    ws.cell(last + 1, col["剩余工作日"], 99)
    for h in ("事项编号", "议定事项", "主责单位", "督办预警"):
        ws.cell(last + 2, col[h], h)
    ws.cell(last + 3, col["事项类型"], "一般")
    ws.cell(last + 3, col["涉密"], "否")
    wb.save(ledger)
    shaped = briefing.run(ledger, MONTH, tmp_path / "b", AS_OF).briefing.totals
    assert shaped == plain


def test_the_heap_is_frozen_and_collection_paused_only_while_the_briefing_is_made():
    """A long-lived process (the workbench) collects the ledger's objects again afterwards,
    also after a failed run."""
    import gc

    from ledger_tools.jobs.briefing import _gc_frozen

    before = gc.get_freeze_count()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), _gc_frozen():
        assert gc.get_freeze_count() > before and not gc.isenabled()
        raise RuntimeError
    assert gc.get_freeze_count() == 0 and gc.isenabled()
