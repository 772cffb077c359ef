"""ledger adopt on office-style ledgers: every mapped field, OLD unchanged, NEW validating except
the listed cells, and the monthly cycle (forms, merge, brief) on NEW (SPEC §12)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from ledger_tools.demo.old_ledger import build_office_units, build_old_ledger
from ledger_tools.errors import UsageError
from ledger_tools.jobs import adopt, briefing, forms, intake, refresh, validate
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.data import read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile
from tests.builders import GOOD, fill, form_table, sha

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def old(tmp_path) -> Path:
    return build_old_ledger(tmp_path / "原台账.xlsx")


def _items(path: Path) -> dict[str, dict[str, object]]:
    """台账 rows by 议定事项, header → value."""
    ws = openpyxl.load_workbook(path)[sc.ITEMS.name]
    headers = [c.value for c in ws[1]]
    rows = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        if any(v is not None for v in row):
            values = dict(zip(headers, row))
            rows[values["议定事项"]] = values
    return rows


def _day(value: object) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[return-value]


def test_every_mapped_field_lands_and_old_is_unchanged(tmp_path, old):
    units = build_office_units(tmp_path / "单位名单.xlsx")
    before = sha(old)
    result = adopt.run(old, tmp_path / "新台账.xlsx", units_file=units)
    assert sha(old) == before
    assert result.created and len(result.items) == 10
    rows = _items(result.new)
    first = rows["加快推进城东片区棚户区改造"]
    assert first["来源名称"] == "市人民政府2025年第8次常务会议"  # merged 会议名称
    assert first["来源类型"] == "常务会议"
    assert _day(first["印发日期"]) == dt.date(2025, 4, 10)  # merged 会议时间
    assert first["责任领导"] == "李副市长"
    assert first["主责单位"] == "市发展和改革委员会"  # alias merged through --units
    assert first["协办单位"] == "市财政局、市自然资源局"  # stray space gone
    assert _day(first["完成时限"]) == dt.date(2025, 12, 31)  # 2025年12月底
    assert _day(first["交办日期"]) == dt.date(2025, 4, 14)
    assert first["办理状态"] == "已办结"
    assert _day(first["办结日期"]) == dt.date(2025, 12, 20)  # from 已办结（2025.12.20）
    assert first["最新进展"] == "已完成全部签约和拆除。"
    assert first["涉密"] == "否"
    assert first["督查人员"] == "王明"  # an unmapped column kept as a staff column
    assert "原工作表「2025年」" in first["备注"]
    # the merged meeting cells are read on every row they cover
    assert rows["持续优化营商环境"]["来源名称"] == "市人民政府2025年第8次常务会议"
    second = rows["建立重点项目周调度机制"]
    assert second["涉密"] == "是"  # √ is confidential, and listed
    assert second["主责单位"] == "市住房和城乡建设局"  # " 市住建局 " by alias
    assert _day(second["完成时限"]) == dt.date(2025, 9, 30)  # 2025.9.30
    assert second["办理状态"] == "已办结" and second["办结日期"] is None
    long_term = rows["持续优化营商环境"]
    assert long_term["事项类型"] == "长期" and long_term["完成时限"] is None
    assert long_term["备注"].startswith("每季度通报")  # the office's own 备注 kept first
    assert _day(rows["完成城市主干道交通信号改造"]["完成时限"]) == dt.date(2025, 12, 31)  # serial
    assert _day(rows["完善中小学课后服务"]["完成时限"]) == dt.date(2026, 12, 15)  # full-width
    assert _day(rows["启动垃圾分类示范片区建设"]["完成时限"]) == dt.date(2026, 11, 30)  # 20261130
    assert _day(rows["编制城市更新三年行动方案"]["完成时限"]) == dt.date(2026, 7, 31)
    assert rows["编制城市更新三年行动方案"]["来源类型"] == "专题会议"
    order = rows["做好今冬供暖保障"]
    assert order["来源类型"] == "领导批示" and _day(order["完成时限"]) == dt.date(2026, 12, 31)
    # the unreadable: blank, kept verbatim in 备注, listed with its cell
    audit = rows["开展全市财政资金绩效审计"]
    assert audit["主责单位"] is None and audit["完成时限"] is None and audit["办理状态"] is None
    for raw in ("待定", "市财政局、市审计局", "基本完成"):
        assert f"原填「{raw}」" in audit["备注"]
    listed = {(p.sheet, p.cell, p.raw) for p in result.problems}
    assert {
        ("2025年", "H7", "待定"),
        ("2025年", "E7", "市财政局、市审计局"),
        ("2025年", "L7", "基本完成"),
        ("2025年", "J4", "√"),
        ("2025年", "L4", "是"),
    } == listed
    # title, totals, blank and repeated-header rows skipped and listed
    assert {(s.sheet, s.row, s.reason) for s in result.skipped} == {
        ("2025年", 8, "合计行"),
        ("2026年", 5, "空行"),
        ("2026年", 6, "重复表头"),
        ("2026年", 9, "合计行"),
    }
    ws = openpyxl.load_workbook(result.new)[sc.UNITS.name]
    names = [r[0] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
    assert names[:5] == [
        "市发展和改革委员会",
        "市住房和城乡建设局",
        "东城区人民政府",
        "西山县人民政府",
        "市财政局",
    ]
    assert {"市交通运输局", "市公安局", "市教育局", "市城管局", "市自然资源局"} <= set(names)
    assert "市发展改革委" not in names and "东城区" not in names


def test_new_validates_except_the_listed_cells_and_gets_ids(tmp_path, old):
    result = adopt.run(old, tmp_path / "新台账.xlsx")
    stats = refresh.run(result.new, AS_OF)
    assert len(stats.ids_assigned) == 10
    assert "2025-CW08-01" in stats.ids_assigned and "2026-PS00-01" in stats.ids_assigned
    errors = [f for f in validate.run(result.new).findings if f.is_error]
    # the item with the unreadable lead unit and deadline, and the 已办结 typed without a date
    # (L320 asks for it, SPEC §12), are all that validate stops at
    assert {(f.code, f.cell) for f in errors} == {("L304", "I6"), ("L304", "L6"), ("L320", "V3")}
    (undated,) = [f for f in errors if f.code == "L320"]
    with LedgerFile(result.new) as lf:
        undated_item = read_ledger(lf).items_by_id()[undated.item]
    assert undated_item.matter == "建立重点项目周调度机制"
    with LedgerFile(result.new) as lf:
        data = read_ledger(lf)
    audit = next(i for i in data.items if i.matter == "开展全市财政资金绩效审计")
    assert audit.id == "2025-CW11-02" and audit.alert is not None
    assert audit.alert.value == "时限不明"  # never 正常
    assert next(i for i in data.items if i.matter == "建立重点项目周调度机制").confidential


def test_monthly_cycle_runs_on_the_adopted_ledger(tmp_path, old):
    units = build_office_units(tmp_path / "单位名单.xlsx")
    new = adopt.run(old, tmp_path / "新台账.xlsx", units_file=units).new
    refresh.run(new, AS_OF)
    made = forms.run(new, "2026-11", tmp_path / "反馈表", AS_OF)
    assert made.files, "forms for the open items of the adopted ledger"
    assert made.without_id == 0
    back = tmp_path / "报回"
    back.mkdir()
    for f in made.files:
        ws = openpyxl.load_workbook(f.path)["反馈表"]
        _header, cols, ids = form_table(ws)
        rows = {
            i: {**GOOD, "阶段性目标": "2026年12月底前完成本阶段任务"}
            if ws.cell(r, cols["事项类型"]).value == "长期"
            else GOOD
            for i, r in ids.items()
            if i
        }
        fill(f.path, back / f.path.name, rows, block={"联系人": "张三", "联系电话": "13800000000"})
    merged = intake.merge(new, [back], AS_OF)
    assert merged.saved and merged.reports_merged >= len(made.files)
    assert all(o.result == intake.MERGED for o in merged.files), [
        (o.path.name, [f.message for f in o.findings if f.is_error]) for o in merged.files
    ]
    brief = briefing.run(new, "2026-11", tmp_path / "通报", AS_OF)
    assert brief.xlsx.exists() and brief.docx.exists()
    assert brief.briefing.totals.total == 10


def test_preview_writes_no_new_ledger(tmp_path, old):
    new = tmp_path / "新台账.xlsx"
    result = adopt.run(old, new, preview=tmp_path / "预览.xlsx")
    assert not new.exists() and result.preview is not None and result.preview.exists()
    wb = openpyxl.load_workbook(result.preview)
    assert wb.sheetnames == ["列对照", "导入预览", "无法识别", "跳过的行", "单位", "说明"]
    mapping = {(r[0], r[1]): r[3] for r in wb["列对照"].iter_rows(min_row=2, values_only=True)}
    assert mapping[("2025年", "牵头单位")] == "主责单位"
    assert mapping[("2025年", "督查人员")] == "保留为自定义列「督查人员」"
    assert mapping[("2025年", "序号")] == "不导入"
    cells = {(r[0], r[1]) for r in wb["无法识别"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert ("2025年", "H7") in cells


def test_map_overrides_the_guesses(tmp_path, old):
    wb = openpyxl.Workbook()
    wb.active.append(("原表头", "台账表头"))
    wb.active.append(("进展情况", "保留为自定义列"))
    wb.active.append(("督查人员", "承办科室"))
    wb.active.append(("备注", "不导入"))
    wb.save(tmp_path / "对照.xlsx")
    result = adopt.run(old, tmp_path / "新台账.xlsx", map_file=tmp_path / "对照.xlsx")
    row = _items(result.new)["完善中小学课后服务"]
    assert row["承办科室"] == "王明"
    assert row["进展情况"] == "试点学校已扩大到 30 所。" and row["最新进展"] is None
    assert "批示件" not in (_items(result.new)["做好今冬供暖保障"]["备注"] or "")


def test_map_naming_no_ledger_header_is_refused(tmp_path, old):
    wb = openpyxl.Workbook()
    wb.active.append(("原表头", "台账表头"))
    wb.active.append(("进展情况", "进度"))
    wb.save(tmp_path / "对照.xlsx")
    with pytest.raises(UsageError, match="第 2 行：「进度」不是台账的表头"):
        adopt.run(old, tmp_path / "新台账.xlsx", map_file=tmp_path / "对照.xlsx")
    assert not (tmp_path / "新台账.xlsx").exists()


def test_new_is_never_overwritten(tmp_path, old):
    new = tmp_path / "新台账.xlsx"
    new.write_bytes(b"staff's file")
    with pytest.raises(UsageError, match="已存在") as e:
        adopt.run(old, new)
    assert e.value.exit_code == 2 and new.read_bytes() == b"staff's file"


def test_headings_name_the_meeting_of_the_rows_below(tmp_path):
    """A merged heading row 「一、市政府2026年第5次常务会议」 gives its rows their 来源名称."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(("序号", "督办事项", "责任单位", "时间节点", "落实情况", "是否涉密"))
    ws.append(("一、市政府2026年第5次常务会议",))
    ws.merge_cells("A2:F2")
    ws.append((1, "修缮老城区排水管网", "市住建局", "2026年10月底", "已开工", "机密"))
    ws.append((None, None, None, None, None, None))
    ws.append(("二、2026年招商引资专题会议",))
    ws.merge_cells("A5:F5")
    ws.append((2, "引进先进制造业项目", "市商务局", dt.datetime(2026, 12, 1), "洽谈中", "否"))
    wb.save(tmp_path / "old.xlsx")
    result = adopt.run(tmp_path / "old.xlsx", tmp_path / "新台账.xlsx")
    rows = _items(result.new)
    first, second = rows["修缮老城区排水管网"], rows["引进先进制造业项目"]
    assert first["来源名称"] == "市政府2026年第5次常务会议" and first["来源类型"] == "常务会议"
    assert first["涉密"] == "是" and _day(first["完成时限"]) == dt.date(2026, 10, 31)
    assert first["最新进展"] == "已开工" and first["主责单位"] == "市住建局"
    assert second["来源名称"] == "2026年招商引资专题会议" and second["来源类型"] == "专题会议"
    assert _day(second["完成时限"]) == dt.date(2026, 12, 1)
    assert [s.reason for s in result.skipped] == ["标题行", "空行", "标题行"]
    assert "原工作表" not in (first["备注"] or "")  # Sheet1 names neither a year nor a meeting


def test_a_file_that_is_no_workbook_is_refused_in_chinese(tmp_path):
    bad = tmp_path / "原台账.xlsx"
    bad.write_bytes(b"not a workbook at all")
    with pytest.raises(UsageError, match="无法读取原台账 原台账.xlsx"):
        adopt.run(bad, tmp_path / "新台账.xlsx")
    assert not (tmp_path / "新台账.xlsx").exists()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_a_ledger_saved_by_libreoffice(tmp_path, old, kind):
    """Saved by LibreOffice as .xls or .ods: merges, dates and every field read as from xlsx."""
    profile = f"file://{tmp_path / 'profile'}"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            kind,
            "--outdir",
            str(tmp_path),
            str(old),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = old.with_suffix(f".{kind}")
    before = sha(converted)
    from_xlsx = adopt.run(old, tmp_path / "a.xlsx")
    result = adopt.run(converted, tmp_path / "b.xlsx")
    assert sha(converted) == before
    assert _items(result.new).keys() == _items(from_xlsx.new).keys()
    for matter, row in _items(from_xlsx.new).items():
        other = _items(result.new)[matter]
        for header in (
            "来源名称",
            "印发日期",
            "主责单位",
            "协办单位",
            "完成时限",
            "办理状态",
            "涉密",
        ):
            assert _day(other[header]) == _day(row[header]), (matter, header)
    assert {(p.cell, p.raw) for p in result.problems} == {
        (p.cell, p.raw) for p in from_xlsx.problems
    }
    assert [(s.sheet, s.row, s.reason) for s in result.skipped] == [
        (s.sheet, s.row, s.reason) for s in from_xlsx.skipped
    ]
