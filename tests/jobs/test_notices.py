"""ledger notices: the documents read back with python-docx, and what lands in the ledger."""

import datetime as dt
import subprocess

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from ledger_tools.cli.app import cli
from ledger_tools.errors import UsageError
from ledger_tools.jobs import notices
from tests.builders import item, make_ledger, sha

SOURCE = "市人民政府2026年第12次常务会议"
DATE = dt.date(2026, 9, 22)


def unassigned(**over):
    return item(交办日期=None, **over)


def ledger_rows(path) -> dict[str, dict]:
    ws = openpyxl.load_workbook(path)["台账"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    return {r["事项编号"]: r for r in rows if r.get("事项编号")}


def text_of(path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def file_of(result, unit):
    return next(f for f in result.files if f.unit == unit)


@pytest.fixture
def ledger(tmp_path):
    return make_ledger(
        tmp_path / "台账.xlsx",
        [
            unassigned(
                事项编号="2026-CW12-01",
                议定事项="推进“三旧”改造 & <试点>",
                协办单位="西山县、南湖县人民政府",
            ),
            unassigned(
                事项编号="2026-CW12-02",
                主责单位="东城区",
                事项类型="长期",
                完成时限=None,
                议定事项="持续抓好东城区安全生产",
            ),
            unassigned(
                事项编号="2026-CW12-03",
                主责单位="西山县人民政府",
                涉密="是",
                议定事项="西山县涉密工程建设",
            ),
            item(
                事项编号="2026-CW11-01",
                来源名称="市人民政府2026年第11次常务会议",
                交办文号="督查通〔2026〕7号",
            ),
            item(
                事项编号="2025-CW30-01",
                来源名称="市人民政府2025年第30次常务会议",
                交办文号="督查通〔2025〕31号",
            ),
        ],
    )


def test_one_notice_per_lead_unit_numbered_on_and_recorded_in_the_ledger(ledger, tmp_path):
    out = tmp_path / "通知"
    result = notices.run(ledger, "第12次", out, DATE, as_of=DATE)
    assert result.source == SOURCE and result.saved and not result.reissue and result.late == []
    assert [(f.unit, f.number, f.item_ids) for f in result.files] == [
        ("东城区人民政府", "督查通〔2026〕8号", ["2026-CW12-01", "2026-CW12-02"]),
        ("西山县人民政府", "督查通〔2026〕9号", ["2026-CW12-03"]),
    ]

    east = text_of(file_of(result, "东城区人民政府").path)
    assert "督查通〔2026〕8号" in east and "东城区人民政府：" in east
    assert "《市人民政府2026年第12次常务会议纪要》（2026年9月18日印发）" in east
    assert "（一）推进“三旧”改造 & <试点>" in east  # escaped in XML, read back as typed
    assert "事项编号：2026-CW12-01" in east and "事项编号：2026-CW12-02" in east
    assert "协办单位：西山县人民政府、南湖县人民政府" in east
    assert "完成时限：2026年12月31日" in east and "完成时限：长期：每月25日前报送" in east
    assert "书面函告你单位" in east and "每月25日前" in east
    assert east.rstrip().endswith("市政府督查室\n2026年9月22日")
    assert (
        "涉密" not in east and "西山县涉密工程建设" not in east
    )  # another unit's secret stays out

    west = text_of(file_of(result, "西山县人民政府").path)
    assert "督查通〔2026〕9号" in west and "西山县涉密工程建设" in west and "保密规定" in west

    rows = ledger_rows(ledger)
    for item_id, number, status in (
        ("2026-CW12-01", "督查通〔2026〕8号", "办理中"),
        ("2026-CW12-02", "督查通〔2026〕8号", "长期推进"),
        ("2026-CW12-03", "督查通〔2026〕9号", "办理中"),
    ):
        row = rows[item_id]
        assert (
            row["交办日期"].date() == DATE
            and row["交办文号"] == number
            and row["办理状态"] == status
        )
    assert rows["2026-CW11-01"]["交办文号"] == "督查通〔2026〕7号"
    assert not list(out.glob(".~*"))  # no staging left behind


def test_second_run_reissues_with_the_recorded_numbers_and_leaves_the_ledger(ledger, tmp_path):
    first = notices.run(ledger, SOURCE, tmp_path / "a", DATE, as_of=DATE)
    digest = sha(ledger)
    again = notices.run(
        ledger, SOURCE, tmp_path / "b", dt.date(2026, 11, 20), as_of=dt.date(2026, 11, 20)
    )
    assert again.reissue and not again.saved and sha(ledger) == digest
    assert [(f.unit, f.number, f.date) for f in again.files] == [
        (f.unit, f.number, f.date) for f in first.files
    ]
    assert "2026年9月22日" in text_of(again.files[0].path)


def test_new_items_of_an_assigned_source_get_the_next_number(ledger, tmp_path):
    notices.run(ledger, SOURCE, tmp_path / "a", DATE, as_of=DATE)
    wb = openpyxl.load_workbook(ledger)
    ws = wb["台账"]
    header = {c.value: c.column for c in ws[1]}
    r = ws.max_row + 1
    for h, v in unassigned(议定事项="补充事项", 主责单位="南湖县").items():
        ws.cell(row=r, column=header[h], value=v)
    wb.save(ledger)
    result = notices.run(
        ledger, SOURCE, tmp_path / "b", dt.date(2026, 9, 23), as_of=dt.date(2026, 9, 23)
    )
    assert [(f.unit, f.number, f.item_ids) for f in result.files] == [
        ("南湖县人民政府", "督查通〔2026〕10号", ["2026-CW12-04"])
    ]  # numbered by the same save
    assert ledger_rows(ledger)["2026-CW12-04"]["交办文号"] == "督查通〔2026〕10号"


@pytest.mark.parametrize(
    "date, late",
    [(dt.date(2026, 10, 9), False), (dt.date(2026, 10, 10), False), (dt.date(2026, 10, 12), True)],
)
def test_three_working_days_across_national_day(tmp_path, date, late):
    path = make_ledger(
        tmp_path / "t.xlsx",
        [
            unassigned(
                事项编号="2026-CW13-01",
                来源名称="市人民政府2026年第13次常务会议",
                印发日期=dt.date(2026, 9, 30),
            )
        ],
    )
    result = notices.run(path, "第13次", tmp_path / "out", date, as_of=date)
    assert result.late == ([("2026-CW13-01", dt.date(2026, 10, 10))] if late else [])


def test_ambiguous_or_unknown_source_lists_candidates_and_changes_nothing(ledger, tmp_path):
    digest = sha(ledger)
    with pytest.raises(UsageError) as e:
        notices.run(ledger, "常务会议", tmp_path / "out", DATE)
    assert "市人民政府2026年第11次常务会议" in str(
        e.value
    ) and "市人民政府2026年第12次常务会议" in str(e.value)
    with pytest.raises(UsageError, match="没有来源名称包含「专题」"):
        notices.run(ledger, "专题", tmp_path / "out", DATE)
    assert sha(ledger) == digest and not (tmp_path / "out").exists()  # not even an empty folder


def test_notice_date_before_the_minutes_is_refused(ledger, tmp_path):
    digest = sha(ledger)
    with pytest.raises(UsageError, match="早于纪要印发日期"):
        notices.run(ledger, SOURCE, tmp_path / "out", dt.date(2026, 9, 1))
    assert sha(ledger) == digest


def test_broken_template_in_the_staff_folder_is_a_usage_error(ledger, tmp_path):
    (ledger.parent / "模板").mkdir()
    (ledger.parent / "模板" / notices.TEMPLATE).write_bytes(b"not a docx")
    digest = sha(ledger)
    with pytest.raises(UsageError, match="模板"):
        notices.run(ledger, SOURCE, tmp_path / "out", DATE)
    assert sha(ledger) == digest


def test_bad_number_format_in_settings_is_a_usage_error(tmp_path):
    path = make_ledger(
        tmp_path / "t.xlsx", [unassigned()], settings={"交办文号格式": "督查通〔{年}〕号"}
    )
    with pytest.raises(UsageError, match="交办文号格式"):
        notices.run(path, SOURCE, tmp_path / "out", DATE)


def test_layout_follows_gbt_9704(ledger, tmp_path):
    result = notices.run(ledger, SOURCE, tmp_path / "out", DATE, as_of=DATE)
    d = docx.Document(str(result.files[0].path))
    s = d.sections[0]
    for actual, mm in (
        (s.page_width, 210),
        (s.page_height, 297),
        (s.top_margin, 37),
        (s.bottom_margin, 35),
        (s.left_margin, 28),
        (s.right_margin, 26),
    ):
        assert abs(actual - Mm(mm)) < Mm(0.2)
    title, number = d.paragraphs[0], d.paragraphs[1]
    assert title.text == "督查检查办理事项通知" and title.style.font.size == Pt(22)
    assert "小标宋" in title.style.element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert number.text == "督查通〔2026〕8号"
    assert (
        number.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    )  # 文号 centred under the title
    body = next(p for p in d.paragraphs if p.text.startswith("事项编号"))
    assert body.style.font.size == Pt(16)
    assert "仿宋" in body.style.element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    footer_xml = s.footer._element.xml
    assert "PAGE" in footer_xml  # page numbers


def test_cli_notices_warns_about_late_assignment(tmp_path):
    path = make_ledger(tmp_path / "t.xlsx", [unassigned(事项编号="2026-CW12-01")])
    r = CliRunner().invoke(
        cli,
        [
            "notices",
            str(path),
            "--source",
            "第12次",
            "--out",
            str(tmp_path / "out"),
            "--date",
            "2026-09-28",
            "--as-of",
            "2026-09-28",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "督查通〔2026〕1号" in r.output and "2026-CW12-01 应于 2026-09-22 前交办" in r.output
    r = CliRunner().invoke(
        cli, ["notices", str(path), "--source", "没有这个", "--out", str(tmp_path / "out")]
    )
    assert r.exit_code == 2 and "没有来源名称包含" in r.output


@pytest.mark.slow
def test_libreoffice_converts_a_notice_to_pdf(ledger, tmp_path):
    from tests.realclient.lo import convert, require_soffice

    require_soffice()
    result = notices.run(ledger, SOURCE, tmp_path / "out", DATE, as_of=DATE)
    pdf = convert(result.files[0].path, "pdf", tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    try:
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, timeout=60
        ).stdout.decode()
    except FileNotFoundError:
        return  # poppler missing: the conversion itself is what this test needs
    assert "督查通〔2026〕8号" in text.replace(" ", "") and "2026-CW12-01" in text


# --- the ledger's own shape and the notice date (issue 12) ----------------------------------


def test_a_merged_交办日期_is_left_alone_the_rest_assigned_and_exit_1(ledger, tmp_path):
    wb = openpyxl.load_workbook(ledger)
    ws = wb["台账"]
    col = {c.value: c.column_letter for c in ws[1] if c.value}
    rng = f"{col['交办日期']}2:{col['交办日期']}3"  # items 01 and 02, one date typed for both
    ws.merge_cells(rng)
    wb.save(ledger)
    r = CliRunner().invoke(
        cli,
        [
            "notices",
            str(ledger),
            "--source",
            "第12次",
            "--out",
            str(tmp_path / "out"),
            "--date",
            DATE.isoformat(),
        ],
    )
    assert r.exit_code == 1, r.output
    assert f"台账 {rng}" in r.output and "合并单元格" in r.output
    assert "程序内部错误" not in r.output and "MergedCell" not in r.output
    rows = ledger_rows(ledger)
    # the merged range as it was; its items get no notice and no 文号 until it is unmerged
    assert rows["2026-CW12-01"]["交办日期"] is None and rows["2026-CW12-01"]["交办文号"] is None
    assert rows["2026-CW12-02"]["办理状态"] == "待交办"
    # everything else assigned and written
    assert rows["2026-CW12-03"]["交办日期"].date() == DATE
    assert rows["2026-CW12-03"]["交办文号"] == "督查通〔2026〕8号"
    (notice,) = (tmp_path / "out").glob("*.docx")
    assert "西山县人民政府" in notice.name


@pytest.mark.parametrize(
    "day, why",
    [
        ("2026-10-01", "法定节假日（国庆节）"),
        ("2026-09-26", "星期六"),
        ("2026-09-27", "星期日"),
    ],
)
def test_a_notice_dated_on_a_day_off_warns_and_goes_ahead(ledger, tmp_path, day, why):
    r = CliRunner().invoke(
        cli,
        [
            "notices",
            str(ledger),
            "--source",
            "第12次",
            "--out",
            str(tmp_path / "out"),
            "--date",
            day,
        ],
    )
    assert r.exit_code == 0, r.output
    assert f"通知日期 {day} 不是工作日（{why}）" in r.output
    assert ledger_rows(ledger)["2026-CW12-01"]["交办日期"].date().isoformat() == day


def test_a_notice_dated_on_a_working_day_has_no_such_warning(ledger, tmp_path):
    r = CliRunner().invoke(
        cli,
        [
            "notices",
            str(ledger),
            "--source",
            "第12次",
            "--out",
            str(tmp_path / "out"),
            "--date",
            "2026-09-28",
        ],
    )
    assert r.exit_code == 0 and "不是工作日" not in r.output
    assert notices.run(ledger, SOURCE, tmp_path / "again", DATE, as_of=DATE).day_off is None
