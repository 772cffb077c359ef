"""core.returns: one return whatever saved it (内容指纹), two different returns of one form in
a batch (F010), a correction of a merged return (W207), as plain data."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger_tools.core import form_checks as fc
from ledger_tools.core import intake as ci
from ledger_tools.core import returns
from ledger_tools.core.findings import make
from ledger_tools.core.model import Item, ItemKind, Status, UnitReportStatus

D = dt.date
MADE = dt.datetime(2026, 11, 1, 9, 0)
UNIT = "东城区人民政府"
A, B = "2026-CW12-01", "2026-CW12-02"


def _item(item_id: str) -> Item:
    return Item(
        id=item_id,
        kind=ItemKind.REGULAR,
        deadline=D(2026, 12, 31),
        current_deadline=D(2026, 12, 31),
        status=Status.IN_PROGRESS,
    )


def entry(item_id: str | None, dates=None, bad=None, **texts) -> fc.FormEntry:
    e = fc.FormEntry(6, item_id)
    e.texts = {fc.COL_STATUS: "推进中", fc.COL_PROGRESS: "已完成主体工程", **texts}
    e.dates = dict(dates or {})
    e.bad_dates = dict(bad or {})
    return e


def checked(name: str, entries, *, generated=MADE, period="2026-11", **over) -> ci.CheckedFile:
    o = ci.CheckedFile(Path(name), 0, sha256=name, unit=UNIT, period=period, generated=generated)
    o.rows = [
        fc.RowOutcome(e, _item(e.item_id or ""), fc.REPORT, UnitReportStatus.ONGOING)
        for e in entries
    ]
    for key, value in over.items():
        setattr(o, key, value)
    o.filled = returns.filled_values(e for e in entries)
    o.content = returns.content_fingerprint(o.unit, o.period, o.filled)
    return o


def fp(*entries, unit=UNIT, period="2026-11") -> str:
    return returns.content_fingerprint(unit, period, returns.filled_values(entries))


# --- 内容指纹 ----------------------------------------------------------------------------------


def test_the_fingerprint_is_what_was_filled_in_not_how_it_was_saved():
    """A date cell, a date typed as text and an xls serial all reach the rules as one day; text
    differs only by spaces and line breaks a program added: one fingerprint."""
    day = {fc.COL_DONE: D(2026, 11, 18)}
    excel = entry(A, dates=day, **{fc.COL_STATUS: "已办结", fc.COL_DONE: "2026-11-18 00:00:00"})
    wps = entry(A, dates=day, **{fc.COL_STATUS: " 已办结 ", fc.COL_DONE: "2026年11月18日"})
    assert fp(excel) == fp(wps)
    lines = entry(B, **{fc.COL_PROGRESS: "第一段\r\n第二段  "})
    plain = entry(B, **{fc.COL_PROGRESS: "第一段\n第二段"})
    assert fp(lines) == fp(plain)
    assert fp(excel, plain) == fp(plain, wps)  # row order is not content


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(lambda: fp(entry(A, **{fc.COL_PROGRESS: "已完成主体工程。"})), id="a-value"),
        pytest.param(lambda: fp(entry(A), unit="西山县人民政府"), id="the-unit"),
        pytest.param(lambda: fp(entry(A), period="2026-10"), id="the-period"),
        pytest.param(lambda: fp(entry(B)), id="the-item"),
        pytest.param(lambda: fp(entry(A), entry(B)), id="one-more-row"),
        pytest.param(
            lambda: fp(entry(A, bad={fc.COL_DONE: "下周"}, **{fc.COL_DONE: "下周"})),
            id="an-unreadable-date",
        ),
    ],
)
def test_any_difference_in_what_was_filled_in_is_another_fingerprint(other):
    assert other() != fp(entry(A))


def test_the_fingerprint_is_the_sha256_of_one_json_list_whether_its_text_is_given_or_not():
    """Where a form is read (a worker) ``filled_text`` is made ahead; the fingerprint made from it
    is the one 导入记录 has always kept: SHA-256 of the JSON list [unit, period, filled]."""
    import hashlib
    import json

    filled = returns.filled_values(
        [
            entry(B, **{fc.COL_PROGRESS: '引号"与\\反斜杠'}),
            entry(A, dates={fc.COL_DONE: D(2026, 11, 18)}),
        ]
    )
    payload = json.dumps(
        [UNIT, "2026-11", sorted((k, sorted(v.items())) for k, v in filled.items())],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    kept = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    assert returns.content_fingerprint(UNIT, "2026-11", filled) == kept
    text = returns.filled_text(filled)
    assert returns.content_fingerprint(UNIT, "2026-11", {}, text=text) == kept
    assert returns.content_fingerprint(None, None, {}) == hashlib.sha256(b'["","",[]]').hexdigest()


def test_blank_rows_and_rows_without_an_id_carry_nothing():
    blank = fc.FormEntry(7, B)
    assert returns.filled_values([entry(A), blank, entry(None)]) == returns.filled_values(
        [entry(A)]
    )


# --- F010 ------------------------------------------------------------------------------------


def test_f010_two_different_returns_of_one_form_neither_merges_and_each_names_the_other():
    first = checked("东城区.xlsx", [entry(A), entry(B)])
    second = checked(
        "东城区(1).xlsx",
        [entry(A, **{fc.COL_PROGRESS: "更正后的进展"}), entry(B, **{fc.COL_STATUS: "已办结"})],
    )
    returns.conflicts([first, second])
    for o, other in ((first, second), (second, first)):
        (f,) = o.findings
        assert f.code == "F010" and f.is_error and f.file == o.name
        assert other.name in f.message and o.file_error and o.accepted(False) == []
        assert f"事项 {A} 的「本期进展情况」" in f.message
        assert f"事项 {B} 的「办理状态」" in f.message
        assert "更正后的进展" not in f.message  # names fields, never values


def test_no_f010_for_the_same_content_other_forms_other_periods_or_a_refused_return():
    same = [checked("a.xlsx", [entry(A)]), checked("b.ods", [entry(A)])]
    later_form = [
        checked("a.xlsx", [entry(A)]),
        checked("b.xlsx", [entry(B)], generated=MADE + dt.timedelta(days=3)),  # W205 decides
    ]
    periods = [checked("a.xlsx", [entry(A)]), checked("b.xlsx", [entry(B)], period="2026-10")]
    bad = checked("b.xlsx", [entry(B), entry(A)])
    bad.add(make("R104", file="b.xlsx", item=B), whole_file=False)
    bad.rows[0].findings.append(bad.findings[-1])
    refused = [checked("a.xlsx", [entry(A)]), bad]
    for batch in (same, later_form, periods, refused):
        returns.conflicts(batch)
        assert all(f.code != "F010" for o in batch for f in o.findings), batch
    # with --partial the bad return's valid row would go in: then it is a conflict
    returns.conflicts(refused, partial=True)
    assert ["F010"] in [[f.code for f in o.findings if f.code == "F010"] for o in refused]


# --- W207 ------------------------------------------------------------------------------------


def test_w207_a_different_return_after_one_was_merged_is_a_correction_naming_the_earlier():
    earlier = checked("东城区.xlsx", [entry(A)])
    hist = ci.History(merged_returns={(UNIT, "2026-11"): [("东城区.xlsx", earlier.content)]})
    correction = checked("东城区-更正.xlsx", [entry(A, **{fc.COL_PROGRESS: "更正"})])
    returns.corrections([correction], hist, partial=False)
    (f,) = correction.findings
    assert f.code == "W207" and not f.is_error and "东城区.xlsx" in f.message
    assert correction.accepted(False)  # merged


def test_no_w207_for_the_first_return_another_period_an_older_form_or_a_refused_one():
    hist = ci.History(merged_returns={(UNIT, "2026-10"): [("十月.xlsx", "x")]})
    first = checked("东城区.xlsx", [entry(A)])
    returns.corrections([first], hist, partial=False)
    assert first.findings == []
    hist = ci.History(merged_returns={(UNIT, "2026-11"): [("东城区.xlsx", "x")]})
    older = checked("旧表.xlsx", [entry(A)], superseded={A: MADE})  # W205 says it already
    refused = checked("错.xlsx", [entry(A)])
    refused.add(make("F005", file="错.xlsx", detail="隐藏信息与签名不符"))
    returns.corrections([older, refused], hist, partial=False)
    assert older.findings == [] and [f.code for f in refused.findings] == ["F005"]


@given(st.lists(st.sampled_from([*" \t\r\n\u3000\u00a0\u2028\x85\x1c", "a", "中", "e\u0301"])))
def test_a_one_line_text_is_trimmed_as_the_line_by_line_rule_trims_it(pieces):
    """``_normal`` takes a text without a line break the short way: as the full rule does."""
    text = "".join(pieces)
    lines = unicodedata.normalize("NFC", text).replace("\r\n", "\n").split("\n")
    assert returns._normal(text) == "\n".join(line.strip() for line in lines).strip()
