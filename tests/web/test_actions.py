"""The buttons call the jobs as the CLI does; fields read as the CLI reads its options."""

import openpyxl
import pytest

from ledger_tools.demo.minutes import build_minutes
from ledger_tools.errors import UsageError
from ledger_tools.web.actions import ACTIONS, date_field, int_field, month_field
from tests.builders import sha


def test_fields_are_read_as_the_cli_reads_them():
    assert month_field({"m": "２０２６年11月"}, "m", "通报月份") == "2026-11"
    assert str(date_field({"d": "2026/3/5"}, "d", "计算日期")) == "2026-03-05"
    with pytest.raises(UsageError, match="不是有效日期"):
        date_field({"d": "2026-02-30"}, "d", "计算日期")
    with pytest.raises(UsageError, match="不是有效月份"):
        month_field({"m": ""}, "m", "报送期次")
    with pytest.raises(UsageError, match="须至少为 1"):
        int_field({"n": "0"}, "n", "抽取数量", low=1)


def test_every_control_of_spec_9_has_its_action():
    titles = {a.title for a in ACTIONS.values()}
    assert {
        "检查",
        "合并入台账",
        "生成反馈表",
        "生成交办通知",
        "生成催办通知",
        "随机抽查",
        "生成通报",
        "生成扣分意见",
        "校验",
        "重算",
        "导入纪要",
        "确认导入",
    } == titles


def test_documents_are_named_as_the_cli_names_them(act, sample):
    r = act("forms", {"period": "2026-11", "as_of": "2026-11-20"})
    assert "反馈表-2026-11.zip" in r.text and "期反馈表" in r.text
    r = act("brief", {"month": "2026-11"})
    assert "通报-2026-11.zip" in r.text
    r = act("score", {"year": "2026", "as_of": "2026-11-20"})
    assert "扣分意见-2026.xlsx" in r.text
    r = act("sample", {"n": "3", "seed": "7"})
    assert "抽查清单.xlsx" in r.text and "抽中：" in r.text


def test_a_bad_field_is_refused_and_the_ledger_unchanged(act, sample):
    before = sha(sample)
    r = act("refresh", {"as_of": "2026-13-01"})
    assert "错误：" in r.text and "不是有效日期" in r.text
    assert sha(sample) == before
    r = act("check", {"as_of": "2026-11-20"})
    assert "请先选择或拖入" in r.text


def test_minutes_preview_then_confirm(act, sample, tmp_path):
    import re

    minutes = build_minutes(tmp_path / "纪要.docx")
    before = sha(sample)
    files = {"minutes": (minutes.name, minutes.read_bytes())}
    r = act("minutes", {"source_type": ""}, files)
    assert "纪要导入预览.xlsx" in r.text and "确认导入" in r.text
    assert sha(sample) == before  # the preview changes nothing
    preview = re.search(
        r"&#34;preview&#34;: &#34;([\w-]{22})&#34;|\"preview\": \"([\w-]{22})\"", r.text
    )
    task_id = next(g for g in preview.groups() if g)
    r = act("minutes-import", {"preview": task_id})
    assert "已在台账中追加" in r.text
    rows = openpyxl.load_workbook(sample, read_only=True)["台账"].iter_rows(values_only=True)
    assert any(v == "由纪要导入，待核对" for row in rows for v in row)
    r = act("minutes-import", {"preview": task_id})  # the same preview cannot import twice
    assert "请先上传会议纪要并生成预览" in r.text
