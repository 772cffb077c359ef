"""ledger minutes: the sample minutes into a ledger, a preview, and every refusal unchanged."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from ledger_tools.cli.app import cli
from ledger_tools.core.minutes import NOTE
from ledger_tools.demo.minutes import ISSUED, SOURCE_NAME, build_minutes
from ledger_tools.demo.sample import SAMPLE_UNITS
from ledger_tools.errors import InputRejected, UsageError
from ledger_tools.jobs import minutes
from tests.builders import item, make_ledger, sha

S = SOURCE_NAME
# (议定事项, 主责单位, 协办单位, 责任领导, 承办科室, 事项类型, 完成时限, 办理要求 begins)
EXPECTED = [
    ("研究冬季森林草原防灭火工作", "西山县人民政府", None, "张副市长", "综合一科", "一般", dt.date(2026, 12, 15), "由西山县政府牵头"),
    ("研究冬季森林草原防灭火工作", "东城区人民政府", "市交通运输局", None, "综合一科", "一般", dt.date(2026, 12, 31), "请东城区政府会同市交通局"),
    ("研究2027年重点项目建设推进工作", "市发展和改革委员会", "市财政局、市自然资源和规划局", "李副市长", "经济科", "一般", dt.date(2027, 3, 31), "由市发改委牵头"),
    ("研究2027年重点项目建设推进工作", "高新技术产业开发区管委会", "市住房和城乡建设局", "赵常务副市长", "经济科", "一般", dt.date(2027, 3, 31), "完成标准厂房二期主体工程"),
    ("研究2027年重点项目建设推进工作", "工业园区管委会", "市生态环境局", "赵常务副市长", "经济科", "一般", dt.date(2027, 6, 30), "开工建设工业园区污水处理厂"),
    ("研究2027年重点项目建设推进工作", "市自然资源和规划局", "东城区人民政府", "赵常务副市长", "城建科", "一般", dt.date(2026, 12, 2), "完成城区停车场建设用地报批"),
    ("研究2027年重点项目建设推进工作", "市财政局", None, None, "经济科", "一般", dt.date(2026, 12, 18), "由市财政局负责"),
    ("研究民生实事和安全稳定工作", "市教育体育局", "市卫生健康委员会", None, "社会科", "长期", None, "市教体局要持续做好"),
    ("研究民生实事和安全稳定工作", "北岭县人民政府", None, "王副市长", "综合二科", "一般", dt.date(2027, 2, 4), "由北岭县牵头"),
    ("研究民生实事和安全稳定工作", "青河市人民政府", "市住房和城乡建设局", "刘秘书长", "综合二科", "一般", dt.date(2027, 1, 10), "请青河市政府"),
]  # fmt: skip


@pytest.fixture
def files(tmp_path) -> tuple[Path, Path]:
    ledger = make_ledger(tmp_path / "台账.xlsx", [item()], units=SAMPLE_UNITS)
    return ledger, build_minutes(tmp_path / "纪要.docx")


def _rows(path: Path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    headers = [c.value for c in ws[1]]
    return [
        dict(zip(headers, row))
        for row in ws.iter_rows(min_row=2, values_only=True)
        if any(v is not None for v in row)
    ]


def _date(value):
    return value.date() if isinstance(value, dt.datetime) else value


def test_appends_every_proposal_field_by_field(files):
    ledger, docx = files
    result = minutes.run(ledger, docx, now=dt.datetime(2026, 11, 19, 9, 30))
    assert result.saved and result.appended == 10 and result.backup.exists()
    rows = _rows(ledger, "台账")
    assert (
        rows[0]["来源名称"] == "市人民政府2026年第12次常务会议"
    )  # the row already there: untouched
    new = rows[1:]
    assert len(new) == len(EXPECTED)
    for row, (matter, lead, co, leader, section, kind, deadline, req) in zip(new, EXPECTED):
        assert (row["来源类型"], row["来源名称"], _date(row["印发日期"])) == ("常务会议", S, ISSUED)
        assert (row["议定事项"], row["主责单位"], row["协办单位"], row["责任领导"]) == (
            matter,
            lead,
            co,
            leader,
        )
        assert (row["承办科室"], row["事项类型"], _date(row["完成时限"])) == (
            section,
            kind,
            deadline,
        )
        assert row["办理要求"].startswith(req)
        assert (row["办理状态"], row["备注"], row["事项编号"], row["交办日期"]) == (
            "待交办",
            NOTE,
            None,
            None,
        )
    [log] = _rows(ledger, "导入记录")
    assert (log["文件名"], log["文件指纹"], log["结果"], log["事项数"]) == (
        "纪要.docx",
        sha(docx),
        minutes.IMPORTED,
        10,
    )
    assert log["问题数"] == len(result.reading.unmatched) == 2
    assert log["导入时间"] == dt.datetime(2026, 11, 19, 9, 30)


def test_the_same_minutes_twice_adds_nothing(files):
    ledger, docx = files
    minutes.run(ledger, docx)
    before = sha(ledger)
    again = minutes.run(ledger, docx)
    assert again.duplicate_of and not again.saved and again.appended == 0
    assert sha(ledger) == before


def test_the_same_minutes_in_another_file_is_refused_unchanged(files, tmp_path):
    ledger, docx = files
    minutes.run(ledger, docx)
    before = sha(ledger)
    other = tmp_path / "另存.docx"  # the same text in other bytes (as another program saves it)
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(other, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    assert sha(other) != sha(docx)
    with pytest.raises(InputRejected, match="已有「市人民政府2026年第13次常务会议」的 10 个事项"):
        minutes.run(ledger, other)
    assert sha(ledger) == before


def test_preview_writes_the_review_workbook_and_leaves_the_ledger(files, tmp_path):
    ledger, docx = files
    before = sha(ledger)
    result = minutes.run(ledger, docx, preview=tmp_path / "预览")
    assert result.preview == tmp_path / "预览.xlsx" and not result.saved
    assert sha(ledger) == before
    wb = openpyxl.load_workbook(result.preview)
    assert wb.sheetnames == ["拟交办事项", "未列入交办", "待核对", "说明"]
    proposals = _rows(result.preview, "拟交办事项")
    assert [(r["主责单位"], _date(r["完成时限"])) for r in proposals] == [
        (e[1], e[6]) for e in EXPECTED
    ]
    assert proposals[0]["纪要原文"].startswith("（一）由西山县政府牵头")
    assert "市应急管理局" in proposals[0]["待核对"]
    [left_out] = _rows(result.preview, "未列入交办")
    assert left_out["议定事项"] == "审议《市城市生活垃圾分类管理办法（草案）》"
    assert [r["纪要中的写法"] for r in _rows(result.preview, "待核对")] == [
        "市应急管理局",
        "市林草局",
    ]
    ws = wb["拟交办事项"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$1:$1"


def test_preview_may_not_overwrite_the_ledger(files):
    ledger, docx = files
    before = sha(ledger)
    with pytest.raises(UsageError, match="不能是台账本身"):
        minutes.run(ledger, docx, preview=ledger)
    assert sha(ledger) == before


def test_nothing_to_propose_saves_nothing(files, tmp_path):
    from docx import Document

    ledger, _ = files
    doc = Document()
    for line in (
        "市人民政府2026年第14次常务会议纪要",
        "2026年11月25日",
        "一、听取汇报",
        "会议听取了市财政局的汇报。",
    ):
        doc.add_paragraph(line)
    doc.save(tmp_path / "空.docx")
    before = sha(ledger)
    result = minutes.run(ledger, tmp_path / "空.docx")
    assert result.reading.proposals == [] and len(result.reading.not_assigned) == 1
    assert sha(ledger) == before


def test_type_option(files):
    ledger, docx = files
    result = minutes.run(ledger, docx, source_type="专题会议")
    assert {r["来源类型"] for r in _rows(ledger, "台账")[1:]} == {"专题会议"}
    assert result.reading.source_type.value == "专题会议"


def _cli(*args):
    return CliRunner().invoke(cli, ["minutes", *(str(a) for a in args)])


def test_cli_exit_codes_and_messages(files, tmp_path):
    ledger, docx = files
    before = sha(ledger)
    old = tmp_path / "纪要.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    r = _cli(ledger, old)
    assert r.exit_code == 2 and "另存为 .docx" in r.output
    r = _cli(ledger, docx, "--type", "常委会")
    assert r.exit_code == 2 and "不是来源类型" in r.output
    r = _cli(ledger, docx, "--preview", tmp_path / "p.xlsx")
    assert r.exit_code == 0 and "台账未改动" in r.output
    assert sha(ledger) == before
    r = _cli(ledger, docx)
    assert r.exit_code == 0 and "已在台账中追加 10 个事项" in r.output
    r = _cli(ledger, docx)
    assert r.exit_code == 0 and "没有重复添加" in r.output
    assert "Traceback" not in r.output
