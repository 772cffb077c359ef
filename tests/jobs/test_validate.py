import datetime as dt

from ledger_tools.jobs import validate
from tests.builders import item, make_ledger, sha


def codes(result):
    return sorted((f.code, f.cell) for f in result.findings)


def test_a_clean_ledger_has_no_findings(tmp_path):
    path = make_ledger(tmp_path / "t.xlsx", [item(事项编号="2026-CW12-01")])
    digest = sha(path)
    assert validate.run(path).findings == []
    assert sha(path) == digest  # read-only


def test_each_ledger_problem_is_named_with_its_cell(tmp_path):
    path = make_ledger(
        tmp_path / "t.xlsx",
        [
            item(事项编号="2026-CW12-01"),
            item(事项编号="2026-CW12-01"),  # row 3: duplicate
            item(事项编号="第一项"),  # row 4: malformed
            item(主责单位="不存在局", 协办单位="市财政局、某某办"),  # row 5: unknown units
            item(完成时限=None),  # row 6: 一般 without deadline
            item(印发日期="2026年13月1日"),  # row 7: unreadable date
            item(销号日期=dt.date(2026, 10, 1)),  # row 8: closed without done
            item(来源类型="电话会议"),  # row 9: not a choice
        ],
        extensions=[
            {"事项编号": "2026-CW99-01", "申请日期": dt.date(2026, 10, 1)},  # unknown item
            {"事项编号": "2026-CW12-01", "审批结果": "同意"},  # approval without 批准时限
        ],
        reminders=[{"催办日期": dt.date(2026, 10, 1), "事项编号": "2026-ZT01-09"}],
    )
    got = codes(validate.run(path))
    assert ("L301", "A3") in got
    assert ("L302", "A4") in got
    assert ("L303", "I5") in got and ("L303", "J5") in got
    assert ("L304", "L6") in got
    assert ("L305", "D7") in got
    assert ("L306", "W8") in got
    assert ("L309", "B9") in got
    assert ("L307", "A2") in got  # 延期记录 row 2
    assert ("L308", "J3") in got
    assert [c for c, cell in got if c == "L307"].count("L307") == 2  # 延期记录 and 催办记录


def test_text_dates_in_every_shape_are_accepted(tmp_path):
    rows = [
        item(印发日期=d)
        for d in ("2026-9-18", "2026/09/18", "2026年9月18日", "2026.9.18", "２０２６－９－１８")
    ]
    path = make_ledger(tmp_path / "t.xlsx", rows)
    assert [f for f in validate.run(path).findings if f.code == "L305"] == []


def test_aliases_count_as_registered_units(tmp_path):
    path = make_ledger(tmp_path / "t.xlsx", [item(主责单位="东城区", 协办单位="西山县")])
    assert [f for f in validate.run(path).findings if f.code == "L303"] == []


def test_a_deleted_sheet_or_header_is_named_with_how_to_restore_it(tmp_path):
    import openpyxl

    path = make_ledger(tmp_path / "t.xlsx", [item(事项编号="2026-CW12-01")])
    wb = openpyxl.load_workbook(path)
    del wb["月度快照"]
    wb["催办记录"]["A1"] = "日期"  # the header 催办日期 renamed
    wb.save(path)
    found = {f.sheet: f for f in validate.run(path).findings if f.code == "L311"}
    assert (
        "缺少工作表「月度快照」" in found["月度快照"].message
        and "备份" in found["月度快照"].message
    )
    assert "缺少表头「催办日期」" in found["催办记录"].message


# --- the ledger's own shape (issue 12) -------------------------------------------------------


def _merged(path, *ranges):
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    col = {c.value: c.column_letter for c in ws[1] if c.value}
    for rng in ranges:
        ws.merge_cells(rng.format(**col))
    wb.save(path)
    return col


def test_l315_merged_cells_in_a_column_the_tool_writes(tmp_path):
    path = make_ledger(
        tmp_path / "t.xlsx",
        [item(事项编号=f"2026-CW12-0{n}") for n in (1, 2, 3)] + [{"事项编号": "合计"}],
    )
    col = _merged(
        path,
        "{督办预警}2:{督办预警}3",  # a tool column over two items: reported
        "{交办日期}3:{交办文号}3",  # 交办日期/交办文号 (notices writes them): reported
        "{议定事项}2:{办理要求}2",  # staff columns only: nothing to report
        "{事项编号}5:{督办预警}5",  # the 合计 row, no item: never written
    )
    digest = sha(path)
    result = validate.run(path)
    found = [f for f in result.findings if f.code == "L315"]
    assert sorted(f.cell for f in found) == sorted(
        [f"{col['督办预警']}2:{col['督办预警']}3", f"{col['交办日期']}3:{col['交办文号']}3"]
    )
    assert all(f.is_error and f.sheet == "台账" for f in found)
    assert "「督办预警」列" in next(f.message for f in found if f.cell.startswith(col["督办预警"]))
    assert result.errors and sha(path) == digest


def test_l316_rows_that_are_no_items_are_warnings(tmp_path):
    path = make_ledger(
        tmp_path / "t.xlsx",
        [
            item(事项编号="2026-CW12-01"),
            {"来源名称": "合计", "延期次数": 1},
            {h: h for h in ("事项编号", "议定事项", "主责单位", "完成时限")},
            {"事项类型": "一般", "涉密": "否"},
        ],
    )
    result = validate.run(path)
    assert result.items == 1
    found = {f.cell: f for f in result.findings if f.code == "L316"}
    assert set(found) == {"3:3", "4:4", "5:5"} and not result.errors
    assert "合计行" in found["3:3"].message and "「来源名称」为“合计”" in found["3:3"].message
    assert "重复的表头行" in found["4:4"].message and "空行" in found["5:5"].message
    assert [c for c, _ in codes(result)] == ["L316"] * 3  # and no L304 for any of them


def test_an_item_with_a_totals_word_elsewhere_is_still_an_item(tmp_path):
    path = make_ledger(tmp_path / "t.xlsx", [item(事项编号="合计", 主责单位=None)])
    result = validate.run(path)
    assert result.items == 1 and ("L304", "I2") in codes(result)


def test_l317_calendar_conflicts_and_incomplete_rows(tmp_path):
    path = make_ledger(
        tmp_path / "t.xlsx",
        [item(事项编号="2026-CW12-01")],
        calendar=[
            {"日期": dt.date(2026, 11, 16), "类型": "休息日", "说明": "本地调整"},
            {"日期": dt.date(2026, 11, 16), "类型": "工作日"},  # row 3: disagrees
            {"日期": dt.date(2026, 11, 17), "类型": "休息日"},
            {"日期": dt.date(2026, 11, 17), "类型": "休息日"},  # the same twice: fine
            {"类型": "休息日", "说明": "忘了日期"},  # row 6
            {"日期": dt.date(2026, 11, 18), "说明": "忘了类型"},  # row 7
        ],
    )
    result = validate.run(path)
    found = {f.cell: f.message for f in result.findings if f.code == "L317"}
    assert set(found) == {"A3", "A6", "B7"}
    assert (
        "第 2 行「休息日」，第 3 行「工作日」" in found["A3"]
        and "删除其中错误的一行" in found["A3"]
    )
    assert "没有日期" in found["A6"] and "没有类型" in found["B7"]
    assert not result.errors  # warnings: the calendar is read the way that fails closed


def test_已确认调休年份_that_is_no_year_is_reported(tmp_path):
    path = make_ledger(tmp_path / "t.xlsx", [item()], settings={"已确认调休年份": "明年"})
    (f,) = [f for f in validate.run(path).findings if f.code == "L312"]
    assert f.sheet == "设置" and "已确认调休年份" in f.message and "明年" in f.message


def test_an_odd_涉密_value_is_l319_naming_the_cell(tmp_path):
    path = make_ledger(
        tmp_path / "t.xlsx",
        [item(事项编号="2026-CW12-01", 涉密="√"), item(事项编号="2026-CW12-02", 涉密=" 是 ")],
    )
    found = [f for f in validate.run(path).findings if f.code in ("L309", "L319")]
    assert [(f.code, f.cell, f.item) for f in found] == [("L319", "O2", "2026-CW12-01")]
    assert "「√」" in found[0].message and "涉密" in found[0].message and found[0].is_error


def test_a_name_two_units_share_is_l314_at_the_unit_and_at_each_item_typed_with_it(tmp_path):
    from ledger_tools.core.model import Unit
    from tests.builders import UNITS

    units = [*UNITS[:2], Unit("市财政局", ["东城区"])]  # 东城区 is also 东城区人民政府's alias
    path = make_ledger(
        tmp_path / "t.xlsx",
        [item(事项编号="2026-CW12-01", 主责单位="东城区", 协办单位="东城区、西山县")],
        units=units,
    )
    found = [(f.code, f.sheet, f.cell) for f in validate.run(path).findings if f.code[:2] == "L3"]
    assert ("L314", "单位", "B4") in found  # the alias cell of the row that shared it
    assert ("L314", "台账", "I2") in found and ("L314", "台账", "J2") in found
    assert not [f for f in found if f[0] == "L303"]
    message = next(f.message for f in validate.run(path).findings if f.code == "L314")
    assert "「东城区人民政府」、「市财政局」" in message and "不分派" in message


def test_facts_without_their_dates_are_l320(tmp_path):
    from tests.builders import report_row

    dateless = {**report_row("2026-CW12-01", "2026-11", dt.date(2026, 11, 18)), "记录时间": None}
    path = make_ledger(
        tmp_path / "t.xlsx",
        [
            item(事项编号="2026-CW12-01", 办理状态="已办结"),  # no 办结日期
            item(事项编号="2026-CW12-02", 办理状态="已办结", 办结日期=dt.date(2026, 11, 2)),
        ],
        reports=[dateless, report_row("2026-CW12-02", "2026-11", dt.date(2026, 11, 18))],
    )
    found = [f for f in validate.run(path).findings if f.code == "L320"]
    assert [(f.sheet, f.cell, f.item) for f in found] == [
        ("台账", "V2", "2026-CW12-01"),
        ("办理记录", "A2", "2026-CW12-01"),
    ]
    assert "办结日期" in found[0].message and "未办结" in found[0].message
    assert "记录时间" in found[1].message and "不算作已报送" in found[1].message


def test_incomplete_or_future_approvals_are_l318(tmp_path):
    ask = {
        "事项编号": "2026-CW12-01",
        "申请日期": dt.date(2026, 11, 1),
        "申请延期至": dt.date(2027, 3, 1),
    }
    path = make_ledger(
        tmp_path / "t.xlsx",
        [item(事项编号="2026-CW12-01", 办理状态="申请延期")],
        extensions=[
            {**ask, "审批结果": "同意", "批准时限": dt.date(2027, 3, 1)},  # row 2: no 审批日期
            {**ask, "审批结果": "不同意"},  # row 3: no 审批日期
            {
                **ask,
                "批准时限": dt.date(2027, 3, 1),
                "审批日期": dt.date(2026, 11, 5),
            },  # row 4: no result
            {
                **ask,
                "审批结果": "同意",
                "批准时限": dt.date(2027, 3, 1),
                "审批日期": dt.date(2099, 1, 5),
            },
            {
                **ask,
                "审批结果": "同意",
                "批准时限": dt.date(2027, 3, 1),
                "审批日期": dt.date(2026, 11, 5),
            },
        ],
    )
    found = [f for f in validate.run(path).findings if f.code == "L318"]
    assert [f.cell for f in found] == ["H2", "H3", "I4", "H5"]
    assert "审批日期" in found[0].message and "仍按申请延期" in found[0].message
    assert "审批结果" in found[2].message and "2099-01-05" in found[3].message
    assert [f for f in validate.run(path).findings if f.code == "L308"] == []
