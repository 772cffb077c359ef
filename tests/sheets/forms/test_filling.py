"""The demo's simulated unit clerk: a generated form opened, typed into by header text and
saved, must read back as the unit's report, the locked cells and the signature untouched."""

import datetime as dt

import openpyxl
import pytest

from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.forms.filling import OpenForm
from ledger_tools.sheets.forms.reader import parse_form
from ledger_tools.sheets.forms.writer import write_form
from ledger_tools.sheets.returned.workbook import read_returned
from tests.builders import KEY, content


@pytest.fixture
def form(tmp_path):
    path = tmp_path / "反馈表-2026-11-东城区人民政府.xlsx"
    write_form(path, content(), KEY)
    return path


def test_the_clerk_sees_every_item_row_with_its_shown_values(form):
    f = OpenForm(form)
    assert [r.item_id for r in f.rows] == ["2026-CW12-01", "2026-CW12-02", "2026-CW12-03"]
    first, long_term, secret = f.rows
    assert (
        first.shown["议定事项"] == "加快推进第1项工作" and first.shown["当前时限"] == "2026-12-31"
    )
    assert first.shown["办理状态"] is None and first.shown["本期进展情况"] is None
    assert long_term.shown["事项类型"] == "长期" and long_term.shown["当前时限"] is None
    assert secret.shown["序号"] == "3（涉密）"
    assert set(first.shown) == set(fl.FORM_COLUMNS)  # headers without the * of input columns


def test_what_the_clerk_types_is_read_back_as_the_unit_s_report(form, tmp_path):
    f = OpenForm(form)
    first = f.rows[0]
    ref = f.put(first, "办理状态", "已办结")
    f.put(first, "本期进展情况", "已全部完成。")
    f.put(first, "办结日期", dt.datetime(2026, 11, 18))
    f.put_label(fl.LABEL_PHONE, "0871-63112233", only_if_blank=False)
    saved = f.save(tmp_path / "报回" / form.name)  # the folder is made
    assert saved.exists() and form.read_bytes() != saved.read_bytes()

    parsed = parse_form(read_returned(saved), KEY)
    assert parsed.signature_ok and parsed.meta.unit == "东城区人民政府"
    row = next(r for r in parsed.rows if r.item_id == "2026-CW12-01")
    assert row.cells["办理状态"].ref == ref and row.cells["办理状态"].value == "已办结"
    assert row.cells["本期进展情况"].value == "已全部完成。"
    assert row.cells["办结日期"].value in (dt.datetime(2026, 11, 18), dt.date(2026, 11, 18))
    assert row.cells["议定事项"].value == "加快推进第1项工作"
    assert parsed.phone.value == "0871-63112233" and parsed.contact.value == "李明"


def test_a_label_already_filled_is_kept_unless_asked(form, tmp_path):
    f = OpenForm(form)
    f.put_label(fl.LABEL_CONTACT, "办公室 张敏")  # 李明 was prefilled from the last report
    f.save(tmp_path / "kept.xlsx")
    assert parse_form(read_returned(tmp_path / "kept.xlsx"), KEY).contact.value == "李明"

    blank = tmp_path / "blank.xlsx"
    write_form(blank, content(contact=None), KEY)
    f = OpenForm(blank)
    f.put_label(fl.LABEL_CONTACT, "办公室 张敏")
    f.save(blank)
    assert parse_form(read_returned(blank), KEY).contact.value == "办公室 张敏"


def test_a_workbook_that_is_no_form_says_so_in_chinese(tmp_path):
    path = tmp_path / "别的表.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = fl.SHEET_FORM
    wb.active["A1"] = "工资表"
    wb.save(path)
    with pytest.raises(ValueError, match="别的表.xlsx：找不到反馈表表头"):
        OpenForm(path)
