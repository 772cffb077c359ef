"""The row rules of a returned form, on plain values (no files)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger_tools.core import form_checks as fc
from ledger_tools.core.model import Item, ItemKind, Settings, Status

D = dt.date
AS_OF = D(2026, 11, 20)
UNIT = "东城区人民政府"
NAMES = {UNIT: UNIT, "东城区": UNIT, "西山县人民政府": "西山县人民政府"}
LOCKED = {
    "序号": "1",
    "事项编号": "A",
    "议定事项": "加快推进老旧小区改造",
    "当前时限": "2026-12-31",
    "上期进展": "已完成前期调查摸底，形成问题清单。",
}
PROGRESS = "已完成项目招标，施工单位已进场，完成路基工程约40%。"


def regular(item_id: str = "A", **over) -> Item:
    values = dict(
        id=item_id,
        lead_unit="东城区",
        kind=ItemKind.REGULAR,
        status=Status.IN_PROGRESS,
        assigned=D(2026, 9, 22),
        deadline=D(2026, 12, 31),
        current_deadline=D(2026, 12, 31),
    )
    values.update(over)
    return Item(**values)


def ctx(*items: Item, **over) -> fc.FormContext:
    values = dict(
        file="f.xlsx",
        unit=UNIT,
        period="2026-11",
        as_of=AS_OF,
        meta_locked={i.id: {**LOCKED, "事项编号": i.id} for i in items},
        items={i.id: i for i in items},
        unit_names=NAMES,
        settings=Settings(),
    )
    values.update(over)
    return fc.FormContext(**values)


def entry(
    item_id: str = "A", row: int = 6, locked=None, dates=None, bad=None, **texts
) -> fc.FormEntry:
    headers = ("序号", "事项编号", "议定事项", "当前时限", "上期进展") + fc.INPUTS
    refs = {h: f"{chr(65 + n)}{row}" for n, h in enumerate(headers)}
    return fc.FormEntry(
        row,
        item_id,
        refs,
        dict(locked or {**LOCKED, "事项编号": item_id}),
        {h: texts.get(h) for h in fc.INPUTS},
        dict(dates or {}),
        dict(bad or {}),
    )


def report(item_id: str = "A", **texts) -> fc.FormEntry:
    values = {fc.COL_STATUS: "推进中", fc.COL_PROGRESS: PROGRESS}
    values.update(texts)
    return entry(item_id, **values)


def found(outcomes) -> list[tuple[str, str | None]]:
    return [(f.code, f.cell) for o in outcomes for f in o.findings]


# --- helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027年6月30日前完成一期工程", [D(2027, 6, 30)]),
        ("2027年6月底前完成", [D(2027, 6, 30)]),
        ("2027年6月完成主体", [D(2027, 6, 1)]),
        ("力争2027年底建成，2028年投用", [D(2027, 12, 31), D(2028, 1, 1)]),
        ("２０２７－０３－０５前", [D(2027, 3, 5)]),
        ("2027.3 完成验收", [D(2027, 3, 1)]),
        ("完成 12 个项目", []),
        ("2027年13月", []),
    ],
)
def test_dates_in_a_stage_target(text, expected):
    assert fc.dates_in_text(text) == expected


@given(st.text(max_size=200))
def test_dates_in_text_never_fails(text):
    assert all(isinstance(d, dt.date) for d in fc.dates_in_text(text))


def test_add_months_clamps_to_the_months_end():
    assert fc.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert fc.add_months(D(2026, 5, 21), 12) == D(2027, 5, 21)
    assert fc.add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("正在推进", "过于简略"),
        ("按计划推进中。", "过于简略"),
        ("正在推进，按计划推进，有序推进！", "只有套话"),
        ("已完成前期调查摸底，形成问题清单。", "与上期进展完全相同"),
        (PROGRESS, None),
    ],
)
def test_perfunctory_progress(text, why):
    result = fc.is_perfunctory(text, LOCKED["上期进展"])
    assert (result is None) if why is None else (why in result)


def test_formula_like_text():
    assert all(fc.formula_like(t) for t in ("=SUM(A1)", "+86", "-完成", "@x", "＝1"))
    assert not any(fc.formula_like(t) for t in ("完成=100%", "", None))


@pytest.mark.parametrize(
    ("period", "merged", "words"),
    [
        ("2026-11", (), None),
        ("2026-10", (), None),
        ("2026-10", ("2026-10",), None),
        ("2026-09", (), "已过报送期"),
        ("2026-12", (), "尚未到该期"),
        ("2026-10", ("2026-11",), "已被替代"),
    ],
)
def test_period_rule(period, merged, words):
    result = fc.check_period(period, AS_OF, merged)
    assert (result is None) if words is None else (words in result)


def test_contact_and_phone():
    c = ctx(regular())
    refs = {"联系人": "D3", "联系电话": "F3"}
    assert [(f.code, f.cell) for f in fc.check_contact(None, "0875", refs, c)] == [("W204", "D3")]
    assert [f.code for f in fc.check_contact("李\x00明", "0875", refs, c)] == ["R110"]
    assert fc.check_contact("李明", "0875-2101001", refs, c) == []


# --- rows ----------------------------------------------------------------------------------


def test_a_good_report_has_no_findings_and_the_unit_may_be_named_by_alias():
    (out,) = fc.check_rows([report()], ctx(regular()))
    assert out.findings == [] and out.action == fc.REPORT and out.ok and out.item.id == "A"


def test_blank_rows_obliged_or_not():
    obliged, fresh = regular("A"), regular("B", assigned=D(2026, 11, 5))
    outs = fc.check_rows([entry("A"), entry("B", row=7)], ctx(obliged, fresh))
    assert found(outs) == [("R103", "F6"), ("R104", "G6")]
    assert outs[1].action == fc.BLANK and outs[1].findings == []


def test_an_empty_line_without_an_id_is_skipped_but_text_without_an_id_is_not():
    c = ctx(regular())
    assert fc.check_rows([entry(None)], c) == []
    (out,) = fc.check_rows([report(None)], c)
    assert [f.code for f in out.findings] == ["R101"]


def test_struck_off_item_is_ignored_without_checking_its_content():
    closed = regular(status=Status.CLOSED)
    (out,) = fc.check_rows([entry(**{fc.COL_STATUS: "乱填", fc.COL_PROGRESS: "x"})], ctx(closed))
    assert [f.code for f in out.findings] == ["W203"] and out.action == fc.IGNORED
    assert "已销号" in out.findings[0].message and "已已" not in out.findings[0].message


def test_locked_values_are_compared_with_meta_not_the_ledger():
    moved_on = regular(latest_progress="更新的进展", current_deadline=D(2027, 3, 31))
    (out,) = fc.check_rows([report()], ctx(moved_on))
    assert out.findings == []
    edited = report(locked={**LOCKED, "议定事项": "加快推进老旧小区改造（已完成）"})
    (out,) = fc.check_rows([edited], ctx(regular()))
    assert [(f.code, f.cell) for f in out.findings] == [("R102", "C6")]


def test_unknown_foreign_and_off_form_items():
    theirs = regular("W", lead_unit="西山县人民政府")
    off_form = regular("B")
    c = ctx(regular(), theirs)
    c.items["B"] = off_form
    outs = fc.check_rows([report("Z"), report("W", row=7), report("B", row=8)], c)
    messages = [o.findings[0].message for o in outs]
    assert [f for f, _ in found(outs)] == ["R101"] * 3
    assert "不存在" in messages[0] and "西山县人民政府" in messages[1] and "不在" in messages[2]


def test_another_units_confidential_item_does_not_name_its_lead_unit():
    secret = regular("S", lead_unit="西山县人民政府", confidential=True)
    (out,) = fc.check_rows([report("S")], ctx(regular(), secret))
    assert out.findings[0].code == "R101" and "西山县" not in out.findings[0].message


def test_the_same_item_twice_names_the_first_row():
    outs = fc.check_rows([report(), report(row=9)], ctx(regular()))
    assert found(outs) == [("R109", "B9")] and "第 6 行" in outs[1].findings[0].message


def test_status_progress_and_dates():
    c = ctx(regular())
    (out,) = fc.check_rows([report(**{fc.COL_STATUS: "差不多了"})], c)
    assert [f.code for f in out.findings] == ["R103"]
    (out,) = fc.check_rows([report(**{fc.COL_PROGRESS: None})], c)
    assert [f.code for f in out.findings] == ["R104"]
    bad = report(**{fc.COL_STATUS: "已办结", fc.COL_DONE: "下周"})
    bad.bad_dates = {fc.COL_DONE: "下周"}
    (out,) = fc.check_rows([bad], c)
    assert [f.code for f in out.findings] == ["R105"]  # not R106 as well


def test_completion_date_rules():
    c = ctx(regular())

    def done(day):
        e = report(**{fc.COL_STATUS: "已办结", fc.COL_DONE: str(day)})
        e.dates = {fc.COL_DONE: day}
        return [f.code for f in fc.check_rows([e], c)[0].findings]

    assert done(D(2026, 11, 18)) == [] and done(AS_OF) == []
    assert done(D(2026, 9, 1)) == ["R106"] and done(D(2026, 11, 21)) == ["R106"]


def test_extension_must_be_after_the_current_deadline_not_the_original():
    extended = regular(current_deadline=D(2027, 1, 31))
    e = report(
        **{fc.COL_STATUS: "申请延期", fc.COL_EXT_REASON: "资金未到位", fc.COL_EXT_TO: "2027-01-15"}
    )
    e.dates = {fc.COL_EXT_TO: D(2027, 1, 15)}
    (out,) = fc.check_rows([e], ctx(extended))
    assert [f.code for f in out.findings] == ["R107"] and "2027-01-31" in out.findings[0].message
    e.dates = {fc.COL_EXT_TO: D(2027, 2, 15)}
    assert fc.check_rows([e], ctx(extended))[0].findings == []


@pytest.mark.parametrize(
    ("deadline", "pending", "w206"),
    [
        pytest.param(D(2026, 11, 10), False, True, id="asked-after-the-deadline"),
        pytest.param(AS_OF, False, False, id="asked-on-the-last-day"),
        pytest.param(D(2026, 12, 31), False, False, id="asked-in-time"),
        pytest.param(D(2026, 11, 10), True, False, id="the-pending-request-asked-again"),
        pytest.param(None, False, False, id="no-readable-deadline"),
    ],
)
def test_w206_an_extension_asked_after_the_deadline_is_late_but_still_a_request(
    deadline, pending, w206
):
    """Art. 8(3): ask before 当前时限 passes. Late, the request is kept (a warning, not an error:
    the row still merges) and the message says the item stays overdue until approved."""
    late = regular(current_deadline=deadline)
    e = report(
        **{fc.COL_STATUS: "申请延期", fc.COL_EXT_REASON: "资金未到位", fc.COL_EXT_TO: "2027-03-31"}
    )
    e.dates = {fc.COL_EXT_TO: D(2027, 3, 31)}
    requests = frozenset({("A", D(2027, 3, 31))}) if pending else frozenset()
    (out,) = fc.check_rows([e], ctx(late, pending_requests=requests))
    assert [f.code for f in out.findings] == (["W206"] if w206 else [])
    assert out.ok and out.action == fc.REPORT
    if w206:
        (f,) = out.findings
        assert f.severity.value == "warning" and f.item == "A" and f.cell == e.ref(fc.COL_STATUS)
        assert "2026-11-10" in f.message and "逾期" in f.message and "延期记录" in f.message


def test_long_term_target_rules():
    long = regular(
        kind=ItemKind.LONG_TERM, status=Status.LONG_TERM, deadline=None, current_deadline=None
    )
    c = ctx(long)
    assert [f.code for f in fc.check_rows([report()], c)[0].findings] == ["R108"]
    done = report(**{fc.COL_STATUS: "已办结", fc.COL_DONE: "x"})
    done.dates = {fc.COL_DONE: D(2026, 11, 1)}
    assert fc.check_rows([done], c)[0].findings == []  # finished: no target needed
    within = report(**{fc.COL_STAGE: "2027年10月底前完成"})
    assert fc.check_rows([within], c)[0].findings == []
    month_end = report(**{fc.COL_STAGE: "2027年11月30日前完成"})  # the cycle counts whole months
    assert fc.check_rows([month_end], c)[0].findings == []
    beyond = report(**{fc.COL_STAGE: "2027年11月完成设计，2027年12月开工"})
    (f,) = fc.check_rows([beyond], c)[0].findings
    assert f.code == "R108" and "2027-12-01" in f.message and "2027-11-30" in f.message
    c.first_reports = {"A": D(2026, 5, 21)}  # the cycle runs from the first report
    assert [f.code for f in fc.check_rows([within], c)[0].findings] == ["R108"]
    with_target = regular(kind=ItemKind.LONG_TERM, status=Status.LONG_TERM, stage_target="已有目标")
    assert fc.check_rows([report()], ctx(with_target))[0].findings == []


def test_text_limits_and_formula_warnings():
    c = ctx(regular())
    (out,) = fc.check_rows([report(**{fc.COL_PROGRESS: "长" * 2001})], c)
    assert [f.code for f in out.findings] == ["R110"]  # not also W201
    (out,) = fc.check_rows([report(**{fc.COL_PROBLEMS: "=1+1 资金缺口", fc.COL_STAGE: "@目标"})], c)
    assert sorted(f.code for f in out.findings) == ["W202", "W202"] and out.ok


# --- rows gone, confidential rows, superseded forms -------------------------------------------


def test_a_deleted_row_is_judged_like_a_blank_one():
    obliged, fresh = regular("A"), regular("B", assigned=D(2026, 11, 5))
    closed, moved = regular("C", status=Status.CLOSED), regular("E", lead_unit="西山县人民政府")
    c = ctx(obliged, fresh, closed, moved, regular("K"))
    outs = fc.check_rows([report("K")], c)
    (f,) = fc.check_missing(outs, c)
    assert (f.code, f.item, f.cell, f.sheet) == (
        "R103",
        "A",
        None,
        "反馈表",
    ) and "删除" in f.message
    assert (
        fc.check_missing(fc.check_rows([entry("A"), report("K", row=7)], c), c) == []
    )  # blank: R103 there


def test_a_confidential_rows_content_is_never_quoted():
    secret = regular("S", confidential=True, matter="某涉密项目的具体内容")
    c = ctx(regular(), secret)
    c.meta_locked["S"] = {
        **LOCKED,
        "事项编号": "S",
        "议定事项": "某涉密项目的具体内容",
        "上期进展": "涉密进展的具体内容",
    }
    edited = report(
        "S",
        locked={**c.meta_locked["S"], "议定事项": "改了"},
        **{fc.COL_STATUS: "差不多", fc.COL_PROGRESS: "正在推进", fc.COL_DONE: "下周"},
    )
    edited.bad_dates = {fc.COL_DONE: "下周"}
    (out,) = fc.check_rows([edited], c)
    assert sorted(f.code for f in out.findings) == ["R102", "R103", "R105", "W201"] and out.secret
    for f in out.findings:
        assert fc.HIDDEN in f.message and not any(
            t in f.message for t in ("改了", "差不多", "正在推进", "下周")
        )
    # its content moved under a public item's number (numbers swapped) is withheld as well
    moved = report("A", locked={**c.meta_locked["S"], "事项编号": "A"})
    (out,) = fc.check_rows([moved], c)
    assert {f.code for f in out.findings} == {"R102"} and out.secret
    assert all("具体内容" not in f.message for f in out.findings)
    # a public row is quoted as before
    (out,) = fc.check_rows([report(locked={**LOCKED, "议定事项": "改了"})], c)
    assert (
        "原为「加快推进老旧小区改造」，被改为「改了」" in out.findings[0].message and not out.secret
    )


def test_text_shared_with_a_public_item_is_not_treated_as_secret():
    secret = regular("S", confidential=True, source_name="市人民政府2026年第12次常务会议")
    c = ctx(regular(), secret)
    shared = {"来源名称": "市人民政府2026年第12次常务会议"}
    c.meta_locked["A"].update(shared)
    c.meta_locked["S"].update(shared)
    assert "市人民政府2026年第12次常务会议" not in c.secret_texts


def test_the_later_made_form_wins_across_runs():
    t = dt.datetime
    merged = {("A", "2026-11"): t(2026, 11, 5, 9)}
    claims = [
        ("old", "A", "2026-11", t(2026, 11, 2, 9)),
        ("old", "B", "2026-11", t(2026, 11, 2, 9)),
        ("same", "A", "2026-11", t(2026, 11, 5, 9)),
        ("oct", "A", "2026-10", t(2026, 10, 2, 9)),
    ]
    assert fc.superseded(claims, merged) == {"old": {"A": t(2026, 11, 5, 9)}}
    assert fc.superseded(claims[:2], {}) == {}
    newer = ("new", "B", "2026-11", t(2026, 11, 9, 9))
    assert fc.superseded([*claims[:2], newer], merged) == {
        "old": {"A": t(2026, 11, 5, 9), "B": t(2026, 11, 9, 9)}
    }


def _stock_only_by_replacing(progress: str) -> bool:
    """W201's 只有套话 as the rule reads: every stock phrase removed in turn leaves nothing."""
    rest = fc._letters(progress)
    for phrase in fc._STOCK:
        rest = rest.replace(phrase, "")
    return not rest


@given(
    st.lists(st.sampled_from([*fc._STOCK, "推", "进", "中", "调", "研", "，", "已"]), max_size=12)
)
def test_the_stock_phrase_shortcut_changes_no_verdict(pieces):
    """A text with a character no stock phrase has is passed without the removals: the
    verdict is the one the removals give."""
    text = "".join(pieces)
    why = fc.is_perfunctory(text)
    if why is not None and why.startswith("过于简略"):
        return
    assert (why is not None) == _stock_only_by_replacing(text)


@given(st.lists(st.one_of(st.none(), st.text("涉密项目甲乙丙东城", max_size=12)), max_size=8))
def test_the_secret_probe_per_row_answers_as_per_cell(texts):
    items = {"DB-1": Item(id="DB-1", confidential=True)}
    locked = {"DB-1": {**LOCKED, "议定事项": "涉密项目甲", "事项编号": "DB-1"}}
    c = ctx(*items.values(), meta_locked=locked, items=items)
    assert "涉密项目甲" in c.secret_texts
    assert c.carries_any_secret(texts) == any(c.carries_secret(t) for t in texts)
    assert c.carries_any_secret(texts) == any(
        t is not None and any(s in t for s in c.secret_texts) for t in texts
    )


def test_rows_prejudged_where_the_form_is_read_get_the_same_verdicts():
    """``prejudge`` (in a merge's worker) works out what a row alone tells (W201's look, the
    dates of a stage target, R110 and W202): the findings are the same."""
    secret = regular("S", confidential=True, matter="某涉密项目的具体内容")
    long = regular(
        "L", kind=ItemKind.LONG_TERM, status=Status.LONG_TERM, deadline=None, current_deadline=None
    )
    c = ctx(regular(), regular("B"), regular("D"), regular("E"), long, secret)

    def rows() -> list[fc.FormEntry]:
        return [
            report("A", **{fc.COL_PROGRESS: "正在推进，按计划推进，有序推进"}),  # stock phrases
            report("B", **{fc.COL_PROGRESS: LOCKED["上期进展"]}),  # as last time
            report("D", **{fc.COL_PROGRESS: "推进中。"}),  # too short
            report("E"),  # fine
            report("S", **{fc.COL_PROGRESS: "推进"}),  # not quoted
            report("E", **{fc.COL_PROGRESS: None}),  # no progress: R104, nothing to prejudge
            report("L", **{fc.COL_STAGE: "2027年11月完成设计，2027年12月开工"}),  # R108
            report("D", **{fc.COL_PROGRESS: "=已完成" + "很长" * 1000, fc.COL_PROBLEMS: "\x07"}),
        ]

    plain, ahead = rows(), rows()
    fc.prejudge(ahead)
    assert [e.perfunctory for e in ahead] == ["stock", "same", "short", "", "short", None, "", ""]
    assert ahead[6].stage_dates == (D(2027, 11, 1), D(2027, 12, 1))
    assert [c for c, *_ in ahead[7].text_notes or ()] == ["R110", "W202", "R110"]

    def seen(entries):
        return [(f.code, f.cell, f.message) for o in fc.check_rows(entries, c) for f in o.findings]

    assert seen(ahead) == seen(plain)
    assert {code for code, _cell, _message in seen(plain)} >= {
        "W201",
        "R104",
        "R108",
        "R110",
        "W202",
    }


def test_a_checked_row_keeps_what_a_merge_writes_and_forgets_what_only_the_checks_read():
    """A merge holds every accepted row until it saves (40,000 at 50,000 items): once checked,
    a row keeps its texts and dates and lets go of cell references and locked values."""
    e = fc.FormEntry(5, "2026-001")
    e.refs["本期进展情况"] = "H5"
    e.locked["事项编号"] = "2026-001"
    e.texts["本期进展情况"] = "已完成选址"
    e.dates["完成日期"] = dt.date(2026, 11, 5)
    e.bad_dates["申请延期至"] = "下月"
    e.checked()
    assert e.text("本期进展情况") == "已完成选址" and e.dates == {"完成日期": dt.date(2026, 11, 5)}
    assert not e.refs and not e.locked and not e.bad_dates and e.ref("本期进展情况") is None
