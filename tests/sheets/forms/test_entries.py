"""A returned form's cells in the rules' terms: whatever Excel, WPS or LibreOffice saved, the
same text and the same dates reach the checks."""

import datetime as dt

import pytest

from ledger_tools.sheets.forms.entries import (
    canonical_text,
    form_entry,
    form_text,
    header_against_meta,
)
from ledger_tools.sheets.forms.layout import LABEL_DUE, LABEL_PERIOD, FormCell, FormMeta, FormRow

DONE = "办结日期"
EXTEND_TO = "申请延期至"
PROGRESS = "本期进展情况"


def _row(values: dict[str, object], item_id: object = "2026-CW12-01", number: int = 7) -> FormRow:
    """A form row as the reader hands it over: header → cell, columns from B on."""
    cells = {
        h: FormCell(v, f"{chr(ord('B') + i)}{number}") for i, (h, v) in enumerate(values.items())
    }
    return FormRow(number, item_id, cells)


def _meta(**over) -> FormMeta:
    values = dict(
        version="1",
        ledger_id="0" * 32,
        unit="东城区人民政府",
        period="2026-11",
        due=dt.date(2026, 11, 25),
        generated=dt.datetime(2026, 11, 2, 9, 0),
    )
    values.update(over)
    return FormMeta(**values)


# --- text --------------------------------------------------------------------------------------


def test_text_is_trimmed_and_windows_line_breaks_become_plain():
    """A clerk's paste from Word brings \\r\\n, which would show as _x000D_ in the ledger."""
    assert form_text("  第一行\r\n第二行\r第三行\u3000") == "第一行\n第二行\n第三行"
    assert form_text("   ") is None and form_text(None) is None
    assert form_text(13800000000.0) == "13800000000"  # a phone typed as a number


@pytest.mark.parametrize(
    ("returned", "text"),
    [
        ("2026-12-31", "2026-12-31"),
        (dt.datetime(2026, 12, 31), "2026-12-31"),  # Excel turned the locked text into a date
        (dt.date(2026, 12, 31), "2026-12-31"),
        (3.0, "3"),  # 序号 back as a number
        (None, None),
        ("  加快推进  ", "加快推进"),
    ],
)
def test_canonical_text_is_the_same_whatever_program_saved_the_cell(returned, text):
    assert canonical_text(returned) == text


# --- a row -------------------------------------------------------------------------------------


def test_a_row_in_the_rules_terms():
    row = _row(
        {
            "序号": 1.0,
            "议定事项": "加快推进第1项工作",
            "办理状态": " 推进中 ",
            PROGRESS: "已完成招标\r\n施工单位已进场",
            DONE: None,
        },
        item_id=" 2026-CW12-01 ",
    )
    raw = {"序号": "1", "议定事项": "加快推进第1项工作"}
    e = form_entry(row, raw, {h: canonical_text(v) for h, v in raw.items()})
    assert (e.row, e.item_id) == (7, "2026-CW12-01")
    assert e.locked == {"序号": "1", "议定事项": "加快推进第1项工作"}
    assert e.text("办理状态") == "推进中"
    assert e.text(PROGRESS) == "已完成招标\n施工单位已进场"
    assert e.text(DONE) is None and DONE not in e.dates and not e.bad_dates
    assert e.ref(PROGRESS) == "E7" and e.ref("序号") == "B7"
    assert not e.blank


def test_rows_given_the_forms_column_letters_share_them_and_name_the_same_cells():
    """What a worker sends back of each row: the form's column letters, shared, not an A1 text
    per cell; the cells named are the same, and a checked row forgets them."""
    values = {"序号": 1.0, "办理状态": "推进中", PROGRESS: "已完成招标"}
    columns = {h: chr(ord("B") + i) for i, h in enumerate(values)}
    plain = form_entry(_row(values), {}, {})
    shared = form_entry(_row(values), {}, {}, columns)
    assert shared.columns is columns and not shared.refs
    assert [shared.ref(h) for h in [*values, "延期原因"]] == [
        plain.ref(h) for h in [*values, "延期原因"]
    ]
    assert shared.ref(PROGRESS) == "D7"
    shared.checked()
    assert shared.ref(PROGRESS) is None


def test_a_locked_cell_still_as_written_keeps_the_signed_text_and_an_edited_one_is_cleaned():
    """Unchanged, the value `_meta` signed is compared as is; a unit's edit is made comparable."""
    raw = {"议定事项": "加快推进\u3000", "当前时限": "2026-12-31"}
    meta = {"议定事项": "signed text", "当前时限": "2026-12-31"}
    kept = form_entry(_row({"议定事项": "加快推进\u3000"}), raw, meta)
    assert kept.locked["议定事项"] == "signed text"
    edited = form_entry(
        _row({"议定事项": "  改过的事项  ", "当前时限": dt.datetime(2027, 3, 31)}), raw, meta
    )
    assert edited.locked == {"议定事项": "改过的事项", "当前时限": "2027-03-31"}


@pytest.mark.parametrize(
    "typed",
    [
        dt.datetime(2026, 11, 18),  # a date cell
        dt.date(2026, 11, 18),
        46344,  # a serial: the cell lost its date format
        46344.0,
        "46344",
        "2026-11-18",
        "2026/11/18",
        "2026.11.18",
        "2026年11月18日",
        "２０２６－１１－１８",  # full-width, as a Chinese IME types it
        " 2026-11-18 ",
    ],
)
def test_a_date_typed_any_way_is_read(typed):
    e = form_entry(_row({"办理状态": "已办结", DONE: typed, EXTEND_TO: typed}), {}, {})
    assert e.dates == {DONE: dt.date(2026, 11, 18), EXTEND_TO: dt.date(2026, 11, 18)}
    assert not e.bad_dates


@pytest.mark.parametrize(
    "typed", ["下个月", "2026-13-01", "11/18/2026", "1999-12-31", "2100-01-01"]
)
def test_an_unreadable_or_implausible_date_is_kept_as_typed_for_the_finding(typed):
    e = form_entry(_row({"办理状态": "已办结", DONE: typed}), {}, {})
    assert DONE not in e.dates
    assert e.bad_dates == {DONE: typed}
    assert not e.blank  # a bad date alone still makes the row a report to answer


def test_a_row_left_empty_is_blank():
    e = form_entry(_row({PROGRESS: "  ", DONE: None, "办理状态": None}), {}, {})
    assert e.blank and e.dates == {} and e.bad_dates == {}


# --- the header block against `_meta` ----------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "due"),
    [
        ("2026-11", "2026-11-25"),
        ("2026年11月", "2026年11月25日"),
        (dt.datetime(2026, 11, 1), dt.datetime(2026, 11, 25)),  # Excel made both dates
        ("2026-11", 46351),  # the due date as a serial
    ],
)
def test_the_header_matching_meta_in_any_shape_is_fine(period, due):
    block = {LABEL_PERIOD: FormCell(period, "D3"), LABEL_DUE: FormCell(due, "F3")}
    assert header_against_meta(block, _meta()) == []


def test_a_header_the_signature_does_not_cover_is_named_with_both_values():
    block = {LABEL_PERIOD: FormCell("2026-12", "D3"), LABEL_DUE: FormCell("2026-11-30", "F3")}
    assert header_against_meta(block, _meta()) == [
        ("D3", "表中「报送期次」为「2026-12」，隐藏信息中为「2026-11」"),
        ("F3", "表中「截止日期」为「2026-11-30」，隐藏信息中为「2026-11-25」"),
    ]


def test_an_unreadable_or_emptied_due_date_is_reported_not_raised():
    for value, shown in (("下周五", "下周五"), (None, "（空）")):
        block = {LABEL_DUE: FormCell(value, "F3")}
        assert header_against_meta(block, _meta()) == [
            ("F3", f"表中「截止日期」为「{shown}」，隐藏信息中为「2026-11-25」")
        ]


def test_a_header_block_without_the_labels_has_nothing_to_compare():
    assert header_against_meta({}, _meta()) == []
