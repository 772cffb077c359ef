"""The findings catalogue: every code once, each with Chinese words that say what to do."""

import json
import re
import string

import pytest

from ledger_tools.core import findings as fnd
from ledger_tools.core.findings import CATALOGUE, CODES, FINDING_COLUMNS, Severity

HAN = re.compile(r"[\u4e00-\u9fff]")
# The values ``make`` is called with anywhere in the package.
PLACEHOLDERS = {"item", "sheet", "column", "actual", "detail"}


def test_codes_are_unique_and_the_catalogue_has_every_one():
    codes = [c.code for c in CODES]
    assert len(codes) == len(set(codes))
    assert set(CATALOGUE) == set(codes)
    assert all(CATALOGUE[c.code] is c for c in CODES)


@pytest.mark.parametrize("code", CODES, ids=lambda c: c.code)
def test_every_code_has_a_chinese_title_and_message_template(code):
    assert re.fullmatch(r"[FRWL]\d{3}", code.code)
    assert isinstance(code.severity, Severity)
    assert code.title.strip() and HAN.search(code.title)
    assert code.template.strip()
    fields = [f for _, f, _, _ in string.Formatter().parse(code.template) if f is not None]
    assert all(f in PLACEHOLDERS for f in fields), fields  # keyword placeholders only
    # Either all the words come from the check ({detail}), or the template's own are Chinese
    # and end a sentence.
    if code.template != "{detail}":
        assert HAN.search(code.template) and code.template.endswith("。")


@pytest.mark.parametrize("code", CODES, ids=lambda c: c.code)
def test_every_code_makes_a_finding(code):
    values = {"column": "办结日期", "actual": "明天", "detail": "示例"}
    f = fnd.make(
        code.code, file="东城区.xlsx", sheet="反馈表", cell="F6", item="2026-CW12-01", **values
    )
    assert f.severity is code.severity and f.title == code.title
    assert "{" not in f.message and f.message.strip()


def test_w_codes_are_warnings_and_r_codes_errors():
    assert all(c.severity is Severity.WARNING for c in CODES if c.code.startswith("W"))
    assert all(c.severity is Severity.ERROR for c in CODES if c.code.startswith("R"))


def test_a_missing_template_value_is_a_programming_error():
    with pytest.raises(ValueError, match="R105"):
        fnd.make("R105", detail="「明天」")  # no column


def test_a_finding_serialises_and_fills_the_fixed_columns():
    f = fnd.make(
        "L305", sheet="台账", cell="L7", item="2026-CW12-01", column="完成时限", actual="明天"
    )
    d = f.to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False))["title"] == "日期无法识别"
    assert (
        d["severity"] == "error"
        and d["message"] == "「完成时限」的「明天」不是有效日期。请按 2026-03-05 的格式填写。"
    )
    row = fnd.as_row(f)
    assert len(row) == len(FINDING_COLUMNS)
    assert row[:3] == ("错误", "L305", "日期无法识别") and row[5:7] == ("L7", "2026-CW12-01")
    assert row[3] == ""  # no file: an empty cell, never "None"


def test_has_errors_ignores_warnings_and_notes():
    warning = fnd.make("W204", column="联系人")
    note = fnd.make("F007", detail="与已导入文件相同")
    assert not fnd.has_errors([warning, note])
    assert fnd.has_errors([warning, fnd.make("R104")])
    assert [s.label for s in Severity] == ["错误", "警告", "提示"]
