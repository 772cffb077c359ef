import datetime as dt

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from ledger_tools.jobs import refresh
from tests.builders import column_values, item, make_ledger, sha

AS_OF = dt.date(2026, 11, 20)


def row_of(path, item_id):
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    header = [c.value for c in ws[1]]
    for r in ws.iter_rows(min_row=2, values_only=True):
        values = dict(zip(header, r))
        if values.get("事项编号") == item_id:
            return values
    raise AssertionError(item_id)


def test_refresh_computes_tool_columns_and_numbers_new_items(tmp_path):
    path = make_ledger(
        tmp_path / "t.xlsx",
        [
            item(事项编号="2026-CW12-01", 完成时限=dt.date(2026, 11, 10)),  # overdue
            item(完成时限=dt.date(2026, 11, 24)),  # new id, due soon
            item(
                来源类型="领导批示",
                来源名称="市长关于冬季安全生产的批示",
                交办日期=None,
                印发日期=dt.date(2026, 11, 2),
            ),  # assignment late
        ],
    )
    stats = refresh.run(path, AS_OF)
    assert stats.saved and stats.ids_assigned == ["2026-CW12-02", "2026-PS00-01"]
    overdue = row_of(path, "2026-CW12-01")
    assert overdue["办理状态"] == "办理中" and overdue["督办预警"] == "逾期"
    assert overdue["剩余工作日"] == -8 and overdue["当前时限"].date() == dt.date(2026, 11, 10)
    assert row_of(path, "2026-CW12-02")["督办预警"] == "临期"
    late = row_of(path, "2026-PS00-01")
    assert late["办理状态"] == "待交办" and late["督办预警"] == "交办超时"
    assert openpyxl.load_workbook(path)["说明"]["B18"].value.date() == AS_OF


def test_refresh_twice_changes_nothing(tmp_path):
    path = make_ledger(tmp_path / "t.xlsx", [item(), item(事项类型="长期", 完成时限=None)])
    refresh.run(path, AS_OF)
    digest = sha(path)
    stats = refresh.run(path, AS_OF)
    assert stats.cells_changed == 0 and not stats.saved
    assert sha(path) == digest


def test_approved_extension_moves_the_deadline(tmp_path):
    path = make_ledger(
        tmp_path / "t.xlsx",
        [
            item(事项编号="2026-CW12-01", 完成时限=dt.date(2026, 11, 10), 办理状态="申请延期"),
            item(事项编号="2026-CW12-02", 完成时限=dt.date(2026, 11, 10), 办理状态="申请延期"),
        ],
        extensions=[
            {
                "事项编号": "2026-CW12-01",
                "申请延期至": dt.date(2027, 1, 31),
                "审批结果": "同意",
                "审批日期": dt.date(2026, 11, 5),
                "批准时限": dt.date(2027, 1, 31),
            },
            {
                "事项编号": "2026-CW12-02",
                "申请延期至": dt.date(2027, 1, 31),
                "审批结果": "不同意",
                "审批日期": dt.date(2026, 11, 5),
            },
        ],
    )
    refresh.run(path, AS_OF)
    approved, refused = row_of(path, "2026-CW12-01"), row_of(path, "2026-CW12-02")
    assert approved["办理状态"] == "办理中" and approved["延期次数"] == 1
    assert approved["当前时限"].date() == dt.date(2027, 1, 31) and approved["督办预警"] == "正常"
    assert refused["办理状态"] == "办理中" and refused["延期次数"] == 0
    assert refused["当前时限"].date() == dt.date(2026, 11, 10) and refused["督办预警"] == "逾期"


def test_staff_changes_survive_refresh(tmp_path):
    """Columns reordered, an own column with formulas and colours, an own sheet: all intact."""
    path = make_ledger(tmp_path / "t.xlsx", [item(), item(主责单位="西山县人民政府")])
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    ws.move_range("A1:A3", rows=0, cols=35)  # 事项编号 moved to the far right (AJ)
    ws.move_range("AC1:AC3", rows=0, cols=9)  # 督办预警 moved to AL
    ws["AK1"] = "我的备注"
    ws["AK2"] = "=LEN(E2)"
    ws["AK3"] = "人工核实"
    ws["AK3"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["E2"].fill = PatternFill("solid", fgColor="00B0F0")
    own = wb.create_sheet("我的统计")
    own["A1"] = "=COUNTA(台账!E:E)"
    wb.save(path)

    refresh.run(path, AS_OF)
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    assert ws["AJ1"].value == "事项编号" and ws["AJ2"].value == "2026-CW12-01"
    assert ws["AL1"].value == "督办预警" and ws["AL2"].value == "正常"
    assert ws["AK2"].value == "=LEN(E2)" and ws["AK3"].value == "人工核实"
    assert ws["AK3"].fill.fgColor.rgb.endswith("FFFF00") and ws["E2"].fill.fgColor.rgb.endswith(
        "00B0F0"
    )
    assert wb["我的统计"]["A1"].value == "=COUNTA(台账!E:E)"
    assert ws["A1"].value is None  # the old place of 事项编号 stays empty


def test_staff_columns_are_never_written(tmp_path):
    path = make_ledger(tmp_path / "t.xlsx", [item(备注="原样保留", 议定事项="=1+1 不是公式")])
    wb = openpyxl.load_workbook(path)
    wb["台账"]["E2"].data_type = "s"
    wb.save(path)
    refresh.run(path, AS_OF)
    assert column_values(path, "台账", "备注") == ["原样保留"]
    assert column_values(path, "台账", "议定事项") == ["=1+1 不是公式"]


def test_apply_without_writing_gives_the_same_items_and_leaves_every_cell_alone(tmp_path):
    from ledger_tools.sheets.ledger.data import read_ledger
    from ledger_tools.sheets.ledger.file import LedgerFile

    path = make_ledger(
        tmp_path / "t.xlsx",
        [
            item(事项编号="2026-CW12-01", 完成时限=dt.date(2026, 11, 10)),
            item(完成时限=dt.date(2026, 11, 24)),  # no id yet: numbered in memory alike
            item(事项编号="2026-CW12-03", 事项类型="长期", 完成时限=None),
        ],
    )

    def refreshed(write: bool):
        with LedgerFile(path, writable=True) as lf:
            data = read_ledger(lf)
            before = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in lf.wb}
            stats = data.recompute(AS_OF, write=write)
            after = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in lf.wb}
            return data.items, stats, before == after

    written, written_stats, unchanged = refreshed(True)
    assert written_stats.cells_changed > 0 and not unchanged
    dry, dry_stats, unchanged = refreshed(False)
    assert dry == written and dry_stats.ids_assigned == written_stats.ids_assigned == [
        "2026-CW12-04"
    ]
    assert unchanged and dry_stats.cells_changed == 0 and not dry_stats.saved


# --- the ledger's own shape (issue 12): merged cells, rows that are no items -----------------


def _letters(path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path)["台账"]
    return {c.value: c.column_letter for c in ws[1] if c.value}


def _merge(path, *ranges) -> None:
    wb = openpyxl.load_workbook(path)
    for rng in ranges:
        wb["台账"].merge_cells(rng)
    wb.save(path)


def test_merged_cells_in_a_tool_column_are_left_alone_and_named_exit_1(tmp_path):
    from click.testing import CliRunner

    from ledger_tools.cli.app import cli

    path = make_ledger(
        tmp_path / "t.xlsx",
        [
            item(事项编号="2026-CW12-01", 完成时限=dt.date(2026, 11, 10)),
            item(事项编号="2026-CW12-02", 完成时限=dt.date(2026, 11, 10)),
            item(事项编号="2026-CW12-03", 完成时限=dt.date(2026, 11, 24)),
        ],
    )
    col = _letters(path)
    alert, flag = col["督办预警"], col["本期报送"]
    _merge(path, f"{alert}2:{alert}3")  # a print layout: one 督办预警 over two items
    r = CliRunner().invoke(cli, ["refresh", str(path), "--as-of", AS_OF.isoformat()])
    assert r.exit_code == 1, r.output
    assert f"台账 {alert}2:{alert}3" in r.output and "合并单元格" in r.output
    assert "取消" in r.output and "Error" not in r.output and "MergedCell" not in r.output
    ws = openpyxl.load_workbook(path)["台账"]
    assert f"{alert}2:{alert}3" in {str(m) for m in ws.merged_cells.ranges}
    assert ws[f"{alert}2"].value is None  # the merged range untouched
    assert ws[f"{alert}4"].value == "临期"  # everything else written
    assert [ws[f"{flag}{n}"].value for n in (2, 3, 4)] == ["未报送"] * 3
    assert ws[f"{col['剩余工作日']}2"].value == -8
    # and again: the stale range is named every time, nothing else to write
    digest = sha(path)
    r = CliRunner().invoke(cli, ["refresh", str(path), "--as-of", AS_OF.isoformat()])
    assert r.exit_code == 1 and f"{alert}2:{alert}3" in r.output and sha(path) == digest


def test_the_job_reports_each_merged_range_once(tmp_path):
    path = make_ledger(tmp_path / "t.xlsx", [item(事项编号=f"2026-CW12-0{n}") for n in (1, 2, 3)])
    col = _letters(path)
    _merge(path, f"{col['督办预警']}2:{col['本期报送']}3")  # two tool columns, two items
    stats = refresh.run(path, AS_OF)
    found = [f for f in stats.problems if f.code == "L315"]
    assert [f.cell for f in found] == [f"{col['督办预警']}2:{col['本期报送']}3"]
    assert found[0].sheet == "台账" and found[0].is_error
    assert row_of(path, "2026-CW12-03")["督办预警"] == "正常"


def test_rows_that_are_no_items_are_never_written_numbered_or_counted(tmp_path):
    path = make_ledger(
        tmp_path / "t.xlsx",
        [
            item(),
            item(议定事项="第二项工作"),
            {"事项编号": "合计", "延期次数": 2, "剩余工作日": 40},  # a totals row
            {"事项类型": "一般", "涉密": "否"},  # drop-downs filled down
            {
                h: h
                for h in ("事项编号", "来源类型", "议定事项", "主责单位", "督办预警", "本期报送")
            },
            item(议定事项="第三项工作"),
        ],
    )
    before = openpyxl.load_workbook(path)["台账"]
    rows_before = {n: [c.value for c in before[n]] for n in (4, 5, 6)}
    stats = refresh.run(path, AS_OF)
    assert stats.items == 3 and len(stats.ids_assigned) == 3
    assert sorted(stats.ids_assigned) == ["2026-CW12-01", "2026-CW12-02", "2026-CW12-03"]
    after = openpyxl.load_workbook(path)["台账"]
    for n, values in rows_before.items():
        assert [c.value for c in after[n]] == values, n
    assert [f.cell for f in stats.problems if f.code == "L316"] == ["4:4", "5:5", "6:6"]
    assert all(not f.is_error for f in stats.problems if f.code == "L316")


@pytest.mark.slow
def test_a_ledger_merged_and_saved_by_libreoffice(tmp_path):
    """The print layout as a clerk makes it in LibreOffice: refresh and validate name the range."""
    from click.testing import CliRunner

    from ledger_tools.cli.app import cli
    from tests.realclient.lo import convert, require_soffice

    require_soffice()
    src = make_ledger(
        tmp_path / "src" / "台账.xlsx",
        [
            item(事项编号="2026-CW12-01"),
            item(事项编号="2026-CW12-02"),
            item(事项编号="2026-CW12-03"),
        ],
    )
    col = _letters(src)
    _merge(src, f"{col['督办预警']}2:{col['督办预警']}3")
    path = convert(src, "xlsx", tmp_path / "lo")
    r = CliRunner().invoke(cli, ["validate", str(path)])
    assert "L315" in r.output and r.exit_code == 1, r.output
    r = CliRunner().invoke(cli, ["refresh", str(path), "--as-of", AS_OF.isoformat()])
    assert r.exit_code == 1, r.output
    assert f"台账 {col['督办预警']}2:{col['督办预警']}3" in r.output
    assert "程序内部错误" not in r.output
    ws = openpyxl.load_workbook(path)["台账"]
    assert ws[f"{col['督办预警']}2"].value is None and ws[f"{col['督办预警']}4"].value == "正常"


def test_an_unreadable_setting_stops_refresh_and_leaves_the_ledger_byte_identical(tmp_path):
    from click.testing import CliRunner

    from ledger_tools.cli.app import cli

    path = make_ledger(
        tmp_path / "t.xlsx",
        [item(完成时限=dt.date(2026, 11, 10))],
        settings={"扣分_报送不实": "两分"},
    )
    digest = sha(path)
    r = CliRunner().invoke(cli, ["refresh", str(path), "--as-of", "2026-11-20"])
    assert r.exit_code == 1 and "扣分_报送不实" in r.output and "两分" in r.output, r.output
    assert sha(path) == digest
