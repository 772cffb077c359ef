"""ledger init, validate, refresh and demo on real files; the ledger unchanged on every refusal."""

import pytest

from tests.builders import (
    BAD_LEDGERS,
    assert_refused,
    item,
    make_ledger,
    run,
    sha,
    sweep_bad_option,
    sweep_chmod_read_only,
    sweep_ctrl_c,
    sweep_open_in_excel,
    sweep_read_only,
    sweep_wrong_ledger,
    sweep_wrong_output,
)


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


def test_demo_runs_and_refuses_a_foreign_folder(tmp_path):
    out = tmp_path / "demo"
    r = run("demo", out)
    assert r.exit_code == 0, r.output
    assert (out / "督查台账-示例.xlsx").exists()
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("keep")
    assert run("demo", foreign).exit_code == 2 and (foreign / "mine.txt").exists()


@pytest.mark.parametrize(
    "value", ["2026/11/20", "２０２６-１１-２０", "2026年11月20日", "2026.11.20"]
)
def test_dates_typed_the_chinese_way_are_read(tmp_path, value, fresh_ledger):
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    r = run("refresh", ledger, "--as-of", value)
    assert r.exit_code == 0 and "已按 2026-11-20 重算" in r.output, r.output


def test_init_mistakes(tmp_path, fresh_ledger):
    ledger = fresh_ledger(tmp_path / "台账.xlsx")
    digest = sha(ledger)
    assert_refused(run("init", ledger), 2, "已存在")
    assert_refused(run("init", tmp_path / "台账"), 2, "台账.xlsx")
    assert_refused(run("init", tmp_path / "没有的文件夹" / "台账.xlsx"), 2, "没有的文件夹")
    for units, word in (
        (tmp_path / "没有.xlsx", "没有.xlsx"),
        (tmp_path, "是文件夹"),
        (ledger.with_name("空.xlsx"), "空文件"),
    ):
        if units.name == "空.xlsx":
            units.write_bytes(b"")
        assert_refused(run("init", tmp_path / "新台账.xlsx", "--units", units), 2, word)
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


# --- the bad-input sweep (tests/builders.py) over these commands -------------------------------


@pytest.mark.parametrize("command", ["validate", "refresh"])
@pytest.mark.parametrize(("kind", "code"), BAD_LEDGERS, ids=[k for k, _ in BAD_LEDGERS])
def test_a_wrong_ledger_file_is_refused_by_every_command(
    tmp_path, command, kind, code, fresh_ledger
):
    sweep_wrong_ledger(tmp_path, command, kind, code, fresh_ledger)


def test_a_ledger_open_in_excel_exits_3_for_every_command_that_saves(tmp_path, fresh_ledger):
    sweep_open_in_excel(tmp_path, "refresh", fresh_ledger)


def test_a_read_only_ledger_is_a_clear_error_and_stays_whole(tmp_path, monkeypatch, fresh_ledger):
    sweep_read_only(tmp_path, "refresh", monkeypatch, fresh_ledger)


@pytest.mark.posix_only
@pytest.mark.parametrize("command", ["refresh"])
def test_a_ledger_marked_read_only_is_refused_before_anything_is_written(
    tmp_path, command, fresh_ledger
):
    sweep_chmod_read_only(tmp_path, command, fresh_ledger)


OPTION_MISTAKES = [  # (command, option, value)
    ("refresh", "--as-of", "2026-13-01"),
    ("refresh", "--as-of", "2026-02-30"),
    ("refresh", "--as-of", "2026/11"),
    ("refresh", "--as-of", "二〇二六年"),
    ("refresh", "--as-of", "-1"),
    ("refresh", "--as-of", "0"),
    ("refresh", "--as-of", "0206-11-20"),
]


@pytest.mark.parametrize(("command", "option", "value"), OPTION_MISTAKES)
def test_a_bad_option_value_is_a_chinese_usage_error(
    tmp_path, command, option, value, fresh_ledger
):
    sweep_bad_option(tmp_path, command, option, value, fresh_ledger)


def test_a_wrong_output_path_is_refused_before_anything_is_written(tmp_path, fresh_ledger):
    sweep_wrong_output(tmp_path, "demo", None, "a text file", 2, "不是文件夹", fresh_ledger)


@pytest.mark.parametrize("command", ["validate", "refresh"])
def test_ctrl_c_is_a_short_message_not_a_traceback(tmp_path, command, monkeypatch, fresh_ledger):
    sweep_ctrl_c(tmp_path, command, monkeypatch, fresh_ledger)


# --- issue 12: the ledger's shape is shown by every command, validate lists it once ---------


def _shaped_ledger(path):
    import datetime as dt

    from tests.builders import sweep_ledger

    sweep_ledger(path)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    col = {c.value: c.column for c in ws[1] if c.value}
    ws.cell(ws.max_row + 1, col["事项编号"], "合计")
    cal = wb["工作日历"]
    for r, kind in ((2, "休息日"), (3, "工作日")):
        cal.cell(r, 1, dt.datetime(2026, 11, 16))
        cal.cell(r, 2, kind)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    "command",
    ["refresh", "forms", "check", "merge", "brief", "score", "notices", "remind", "sample"],
)
def test_every_command_shows_the_ledgers_shape_warnings(tmp_path, command):
    from tests.builders import COMMANDS, ENGLISH, invoke

    ledger = _shaped_ledger(tmp_path / "台账.xlsx")
    r = invoke(COMMANDS[command], ledger, tmp_path)
    assert "（L316）台账 6:6" in r.output and "合计行" in r.output, r.output
    assert "（L317）工作日历 A3" in r.output, r.output
    assert r.output.count("（L316）") == 1  # once, however often the ledger was read
    assert "Traceback" not in r.output and not ENGLISH.search(r.output)


def test_validate_lists_the_shape_findings_once_in_its_table(tmp_path):
    ledger = _shaped_ledger(tmp_path / "台账.xlsx")
    r = run("validate", ledger)
    assert r.exit_code == 0, r.output  # warnings only
    assert "（L316）" not in r.output and r.output.count("L316") == 1
    assert r.output.count("L317") == 1
