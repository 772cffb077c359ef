"""The pure decisions behind assignment notices: plain items and dates."""

import datetime as dt

import pytest

from ledger_tools.core import notices as cn
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.model import Item, ItemKind, Settings, SourceType, Status

S = Settings()
CAL = WorkCalendar()


def it(**kw) -> Item:
    base = dict(
        id="2026-CW12-01",
        source_type=SourceType.EXECUTIVE,
        source_name="市人民政府2026年第12次常务会议",
        issued=dt.date(2026, 9, 18),
        matter="加快推进老旧小区改造",
        requirement="年底前完成",
        leader="张副市长",
        lead_unit="东城区人民政府",
        kind=ItemKind.REGULAR,
        deadline=dt.date(2026, 12, 31),
        status=Status.PENDING_ASSIGNMENT,
    )
    base.update(kw)
    return Item(**base)


# -- source names -------------------------------------------------------------------------

NAMES = [
    "市人民政府2026年第11次常务会议",
    "市人民政府2026年第12次常务会议",
    "市人民政府2026年第1次专题会议",
    "市人民政府2026年第12次常务会议",
    None,
]


def test_source_exact_name_wins_over_substring():
    assert cn.match_source(
        NAMES + ["市人民政府2026年第12次常务会议（续）"], "市人民政府2026年第12次常务会议"
    ) == ("市人民政府2026年第12次常务会议", [])


def test_source_unique_substring_and_full_width_digits():
    assert cn.match_source(NAMES, "第１２次")[0] == "市人民政府2026年第12次常务会议"
    assert cn.match_source(NAMES, " 专题 ")[0] == "市人民政府2026年第1次专题会议"


def test_source_ambiguous_or_unknown_gives_candidates():
    chosen, candidates = cn.match_source(NAMES, "常务会议")
    assert chosen is None and candidates == [
        "市人民政府2026年第11次常务会议",
        "市人民政府2026年第12次常务会议",
    ]
    assert cn.match_source(NAMES, "批示") == (None, [])


# -- 文号 ----------------------------------------------------------------------------------

FMT = "督查通〔{年}〕{序号}号"


def test_notice_number_format():
    assert cn.notice_number(FMT, 2026, 13) == "督查通〔2026〕13号"
    assert cn.notice_number("督通字〔{年}〕第{序号:03d}号", 2026, 7) == "督通字〔2026〕第007号"


@pytest.mark.parametrize(
    "bad", ["督查通〔{年}〕号", "督查通{年份}{序号}", "督查通{序号", "督查通{序号!r}"]
)
def test_unusable_format_is_explained(bad):
    with pytest.raises(cn.NoticeFormatError):
        cn.notice_number(bad, 2026, 1)


def test_sequence_continues_after_highest_of_that_year_only():
    used = [
        "督查通〔2026〕3号",
        "督查通〔2026〕12号",
        "督查通〔2025〕40号",
        None,
        "",
        "别的文号 99",
        "督查通〔２０２６〕１５号",  # typed with full-width digits
        "督查通[2026]14号",
        " 督查通〔2026〕 9号 ",
    ]
    assert cn.next_sequence(FMT, 2026, used) == 16
    assert cn.next_sequence(FMT, 2025, used) == 41
    assert cn.next_sequence(FMT, 2027, used) == 1


def test_sequence_with_padded_format():
    assert cn.next_sequence("督通〔{年}〕第{序号:03d}号", 2026, ["督通〔2026〕第009号"]) == 10


# -- the 3-working-day rule across the National Day holiday ---------------------------------


def test_minutes_issued_before_national_day_due_on_make_up_saturday():
    minutes = it(issued=dt.date(2026, 9, 30))
    assert cn.late_assignments([minutes], dt.date(2026, 10, 9), CAL, S) == []
    assert (
        cn.late_assignments([minutes], dt.date(2026, 10, 10), CAL, S) == []
    )  # Saturday, a working day
    late = cn.late_assignments([minutes], dt.date(2026, 10, 12), CAL, S)
    assert [x.due for x in late] == [dt.date(2026, 10, 10)]


def test_sunday_make_up_day_counts_as_a_working_day():
    minutes = it(issued=dt.date(2026, 9, 18))  # Fri; Sun 09-20 is a make-up working day
    assert cn.late_assignments([minutes], dt.date(2026, 9, 22), CAL, S) == []
    assert [x.due for x in cn.late_assignments([minutes], dt.date(2026, 9, 23), CAL, S)] == [
        dt.date(2026, 9, 22)
    ]


def test_no_issue_date_no_late_warning():
    assert cn.late_assignments([it(issued=None)], dt.date(2027, 1, 1), CAL, S) == []


# -- planning notices -------------------------------------------------------------------------

UNITS = {"东城区": "东城区人民政府", "西山县": "西山县人民政府"}


def unit_of(name):
    return UNITS.get(name, name)


def test_one_notice_per_lead_unit_aliases_merged_numbered_in_unit_order():
    items = [
        it(id="A", lead_unit="西山县"),
        it(id="B", lead_unit="东城区人民政府"),
        it(id="C", lead_unit="东城区"),
        it(id="D", assigned=dt.date(2026, 9, 20), notice_no="督查通〔2026〕5号"),
    ]
    plan = cn.plan_notices(
        items,
        dt.date(2026, 9, 21),
        S,
        ["督查通〔2026〕5号"],
        unit_of=unit_of,
        unit_order=["东城区人民政府", "西山县人民政府"],
    )
    assert not plan.reissue
    assert [(n.unit, n.number, [i.id for i in n.items]) for n in plan.notices] == [
        ("东城区人民政府", "督查通〔2026〕6号", ["B", "C"]),
        ("西山县人民政府", "督查通〔2026〕7号", ["A"]),
    ]


def test_items_without_lead_unit_or_ended_are_not_assigned():
    items = [it(id="A", lead_unit=None), it(id="B", status=Status.TERMINATED), it(id="C")]
    plan = cn.plan_notices(items, dt.date(2026, 9, 21), S, [])
    assert [i.id for i in plan.no_unit] == ["A"] and [i.id for i in plan.ended] == ["B"]
    assert [[i.id for i in n.items] for n in plan.notices] == [["C"]]


def test_all_assigned_reissues_with_recorded_number_and_date():
    items = [
        it(id="A", assigned=dt.date(2026, 9, 21), notice_no="督查通〔2026〕6号"),
        it(id="B", assigned=dt.date(2026, 9, 21), notice_no="督查通〔2026〕6号"),
        it(
            id="C", lead_unit="西山县", assigned=dt.date(2026, 9, 22), notice_no="督查通〔2026〕7号"
        ),
    ]
    plan = cn.plan_notices(items, dt.date(2026, 11, 20), S, ["督查通〔2026〕7号"], unit_of=unit_of)
    assert plan.reissue
    assert [(n.unit, n.number, n.date, len(n.items)) for n in plan.notices] == [
        ("东城区人民政府", "督查通〔2026〕6号", dt.date(2026, 9, 21), 2),
        ("西山县人民政府", "督查通〔2026〕7号", dt.date(2026, 9, 22), 1),
    ]


def test_notice_context_words():
    items = [
        it(id="A", co_units=["西山县", "东城区"]),
        it(id="B", kind=ItemKind.LONG_TERM, deadline=None, confidential=True),
    ]
    notice = cn.Notice("东城区人民政府", "督查通〔2026〕6号", dt.date(2026, 10, 9), items)
    ctx = cn.notice_context(notice, S, unit_of=unit_of)
    assert ctx["date_text"] == "2026年10月9日" and ctx["notice_no"] == "督查通〔2026〕6号"
    assert (
        "《市人民政府2026年第12次常务会议纪要》（2026年9月18日印发）" in ctx["intro"]
        and "2项" in ctx["intro"]
    )
    a, b = ctx["items"]
    assert (
        a["heading"] == "（一）加快推进老旧小区改造" and a["co_units"] == "西山县人民政府"
    )  # lead unit dropped
    assert a["deadline"] == "2026年12月31日"
    assert (
        b["deadline"].startswith("长期：每月25日前报送")
        and b["confidential"]
        and b["co_units"] == "无"
    )
    rules_text = "".join(ctx["rules"])
    assert ctx["rules"][0].startswith("（一）")
    assert (
        "每月25日前" in rules_text and "书面函告你单位" in rules_text and "保密规定" in rules_text
    )


def test_instruction_basis_has_no_minutes():
    notice = cn.Notice(
        "东城区人民政府",
        "x",
        dt.date(2026, 11, 20),
        [it(source_type=SourceType.INSTRUCTION, source_name="市长关于冬季安全生产的批示")],
    )
    ctx = cn.notice_context(notice, S)
    assert (
        "根据市长关于冬季安全生产的批示（2026年9月18日印发）" in ctx["intro"]
        and "批示事项" in ctx["intro"]
    )
    assert all("书面函告" not in r for r in ctx["rules"])  # no co-units, no Art. 6 paragraph


@pytest.mark.parametrize(
    "n, text",
    [
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (35, "三十五"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
    ],
)
def test_chinese_numerals(n, text):
    assert cn.cn_number(n) == text
