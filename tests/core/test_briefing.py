"""The briefing's numbers: counts, rates, ranking, the lists, confidential text, the trend."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger_tools.core import briefing
from ledger_tools.core.briefing import Snapshot, Tally
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.confidential import PLACEHOLDER
from ledger_tools.core.dates import cn_date
from ledger_tools.core.model import (
    Alert,
    Approval,
    Extension,
    Item,
    ItemKind,
    Reminder,
    ReminderMethod,
    Report,
    Settings,
    SourceType,
    Status,
)
from tests.builders import refreshed

D = dt.date
CAL = WorkCalendar()
SET = Settings()
MONTH, AS_OF = "2026-11", D(2026, 11, 30)


def make_item(n: int, **over) -> Item:
    base = dict(
        id=f"2026-CW12-{n:02d}",
        source_type=SourceType.EXECUTIVE,
        source_name="第12次常务会议",
        issued=D(2026, 9, 18),
        matter=f"第{n}项工作",
        leader="张副市长",
        kind=ItemKind.REGULAR,
        deadline=D(2026, 12, 31),
        assigned=D(2026, 9, 22),
        lead_unit="东城区人民政府",
    )
    base.update(over)
    return Item(**base)


def compute(items, reports=(), extensions=(), reminders=(), **kw) -> briefing.Briefing:
    """Refresh the items the way ``refresh`` does, then compute the briefing."""
    done = refreshed(items, extensions, reports, reminders, SET, CAL, AS_OF)
    kw.setdefault("month", MONTH)
    kw.setdefault("as_of", AS_OF)
    return briefing.compute(
        items=done,
        reports=reports,
        extensions=extensions,
        reminders=reminders,
        settings=SET,
        cal=CAL,
        **kw,
    )


def nov(item_id: str, day: int = 20) -> Report:
    return Report(item_id=item_id, period=MONTH, recorded=D(2026, 11, day))


def test_completion_rate_leaves_terminated_items_out():
    t = Tally(total=10, closed=3, done=1, terminated=2)
    assert t.completion_rate == 0.5 and t.finished == 4
    assert Tally().completion_rate == 0.0


def test_totals_by_status_and_alert_and_source():
    items = [
        make_item(1, deadline=D(2026, 11, 10)),  # overdue
        make_item(2, deadline=D(2026, 12, 2)),  # due soon
        make_item(3, status=Status.DONE, done_date=D(2026, 11, 12)),
        make_item(4, closed_date=D(2026, 11, 20), done_date=D(2026, 11, 15)),
        make_item(5, status=Status.TERMINATED),
        make_item(
            6, source_type=SourceType.INSTRUCTION, assigned=None, issued=D(2026, 11, 2), id=None
        ),
        make_item(7, kind=ItemKind.LONG_TERM, deadline=None),
    ]
    b = compute(items, [nov(f"2026-CW12-{n:02d}") for n in range(1, 8)])
    t = b.totals
    assert (t.total, t.in_progress, t.done, t.closed, t.terminated, t.pending, t.long_term) == (
        7,
        2,
        1,
        1,
        1,
        1,
        1,
    )
    assert (t.overdue, t.due_soon, t.assignment_late) == (1, 1, 1)
    assert t.completion_rate == round(2 / 6, 4)
    assert [(g.label, g.tally.total) for g in b.by_source] == [
        ("常务会议", 6),
        ("专题会议", 0),
        ("领导批示", 1),
    ]
    assert [r.item.id for r in b.finished] == ["2026-CW12-03", "2026-CW12-04"]
    assert [r.label for r in b.finished] == ["按期办结", "按期办结"]
    assert b.snapshot == Snapshot(MONTH, AS_OF, 7, 1, 1, 2, 1, 1, 1, t.completion_rate)


def test_overdue_list_has_working_days_reminders_and_escalation():
    item = make_item(1, deadline=D(2026, 11, 10))
    reminders = [
        Reminder(D(2026, 11, 12), "2026-CW12-01", method=ReminderMethod.WRITTEN),
        Reminder(D(2026, 11, 19), "2026-CW12-01", method=ReminderMethod.PHONE),
        Reminder(D(2026, 12, 3), "2026-CW12-01", method=ReminderMethod.PHONE),
    ]  # after the cut-off
    b = compute([item], [nov("2026-CW12-01")], reminders=reminders)
    (row,) = b.overdue
    assert row.days == CAL.workdays_left(D(2026, 11, 10), AS_OF) == 14
    assert row.reminder_text == "2026-11-12 书面督办、2026-11-19 电话督办"
    assert row.escalated and b.escalated == [row]
    assert b.overdue_by_unit == [("东城区人民政府", ["2026-CW12-01"])]


def test_units_ranked_by_rate_then_overdue_then_missed_reports_ties_share_a_rank():
    items = [
        make_item(1, lead_unit="A", status=Status.DONE, done_date=D(2026, 11, 2)),
        make_item(2, lead_unit="A"),
        make_item(3, lead_unit="B", status=Status.DONE, done_date=D(2026, 11, 2)),
        make_item(4, lead_unit="B"),
        make_item(5, lead_unit="C", status=Status.DONE, done_date=D(2026, 11, 2)),
        make_item(6, lead_unit="C", deadline=D(2026, 11, 3)),
        make_item(7, lead_unit="D"),
    ]
    reports = [
        nov("2026-CW12-02"),
        nov("2026-CW12-06"),
        nov("2026-CW12-07"),
    ]  # B's item 4 missed November
    b = compute(items, reports)
    assert [(u.unit, u.rank) for u in b.by_unit] == [("A", 1), ("B", 2), ("C", 3), ("D", 4)]
    units = {u.unit: u for u in b.by_unit}
    assert (units["B"].obliged, units["B"].on_time, units["B"].missed, units["B"].not_on_time) == (
        1,
        0,
        1,
        1,
    )
    assert (
        units["B"].points == 1.5
    )  # the year so far: October for items 3 and 4, November for item 4

    tied = compute(
        [make_item(1, lead_unit="乙"), make_item(2, lead_unit="甲")],
        [nov("2026-CW12-01"), nov("2026-CW12-02")],
    )
    assert [(u.unit, u.rank) for u in tied.by_unit] == [("乙", 1), ("甲", 1)]


def test_aliases_are_counted_under_the_registered_unit():
    names = {"东城区": "东城区人民政府"}
    b = compute(
        [make_item(1, lead_unit="东城区"), make_item(2)],
        [nov("2026-CW12-01"), nov("2026-CW12-02")],
        unit_of=lambda n: names.get(n, n),
    )
    assert [(u.unit, u.tally.total) for u in b.by_unit] == [("东城区人民政府", 2)]


def test_long_term_reporting_reads_pending_before_the_due_day_and_missed_after():
    items = [
        make_item(1, kind=ItemKind.LONG_TERM, deadline=None),
        make_item(2, kind=ItemKind.LONG_TERM, deadline=None),
        make_item(3, kind=ItemKind.LONG_TERM, deadline=None, assigned=D(2026, 11, 4)),
    ]
    before = compute(items, as_of=D(2026, 11, 20))
    assert {r.item.id: r.label for r in before.long_term} == {
        "2026-CW12-01": "待报送",
        "2026-CW12-02": "待报送",
        "2026-CW12-03": "无需报送",
    }
    assert before.long_term_missed == [] and not before.due_passed
    after = compute(items, [nov("2026-CW12-02", 27)])
    assert [(r.item.id, r.label) for r in after.long_term] == [
        ("2026-CW12-01", "未报送"),
        ("2026-CW12-02", "逾期报送"),
        ("2026-CW12-03", "无需报送"),
    ]
    assert len(after.long_term_obliged) == 2 and len(after.long_term_missed) == 2
    assert after.long_term_missed_by_unit == [("东城区人民政府", ["2026-CW12-01", "2026-CW12-02"])]


def test_extension_rows_are_this_months_and_the_pending_ones():
    exts = [
        Extension(
            "2026-CW12-01",
            D(2026, 9, 1),
            result=Approval.APPROVED,
            approved_on=D(2026, 9, 5),
            granted_to=D(2027, 1, 31),
        ),  # old business: out
        Extension("2026-CW12-01", D(2026, 10, 20)),  # still pending: in
        Extension(
            "2026-CW12-02", D(2026, 11, 3), result=Approval.REFUSED, approved_on=D(2026, 11, 9)
        ),
        Extension("2026-CW12-02", D(2026, 12, 2)),  # after the cut-off
    ]
    b = compute([make_item(1, status=Status.EXTENSION_REQUESTED), make_item(2)], extensions=exts)
    assert [(r.ext.item_id, r.result) for r in b.extensions] == [
        ("2026-CW12-01", "待审批"),
        ("2026-CW12-02", "不同意"),
    ]


def test_confidential_items_are_counted_but_their_text_never_kept():
    secret = make_item(
        1,
        deadline=D(2026, 11, 10),
        confidential=True,
        matter="绝密甲",
        requirement="绝密乙",
        latest_progress="绝密丙",
        source_name="绝密丁",
    )
    ext = Extension("2026-CW12-01", D(2026, 11, 3), reason="绝密戊")
    b = compute([secret, make_item(2)], [nov("2026-CW12-01")], [ext])
    assert b.totals.total == 2 and b.totals.overdue == 1
    shown = b.overdue[0].item
    assert (
        shown.id == "2026-CW12-01"
        and shown.matter == PLACEHOLDER
        and shown.latest_progress == PLACEHOLDER
    )
    assert (
        b.extensions[0].ext.reason == PLACEHOLDER
        and b.items_by_id["2026-CW12-01"].matter == PLACEHOLDER
    )
    everything = repr(b)
    assert not any(
        word in everything for word in ("绝密甲", "绝密乙", "绝密丙", "绝密丁", "绝密戊")
    )
    opened = compute(
        [secret, make_item(2)], [nov("2026-CW12-01")], [ext], include_confidential=True
    )
    assert opened.overdue[0].item.matter == "绝密甲" and opened.extensions[0].ext.reason == "绝密戊"


def test_trend_takes_earlier_snapshots_and_replaces_this_months():
    old = [
        Snapshot("2026-10", D(2026, 10, 31), 5, 1, 0, 4, 0, 0, 0, 0.2),
        Snapshot("2026-11", D(2026, 11, 15), 99, 0, 0, 0, 0, 0, 0, 0.0),
        Snapshot("2026-12", D(2026, 12, 31), 9, 0, 0, 0, 0, 0, 0, 0.0),
    ]
    b = compute([make_item(1)], [nov("2026-CW12-01")], snapshots=old)
    assert [(s.month, s.total) for s in b.trend] == [("2026-10", 5), ("2026-11", 1)]


def test_deductions_of_the_month_are_the_ones_dated_in_it():
    item = make_item(1, deadline=D(2026, 10, 15))
    reminders = [
        Reminder(D(2026, 10, 20), "2026-CW12-01"),
        Reminder(D(2026, 11, 2), "2026-CW12-01"),
    ]
    b = compute(
        [item],
        [Report(item_id="2026-CW12-01", period="2026-10", recorded=D(2026, 10, 28))],
        reminders=reminders,
    )
    assert [(d.reason.value, d.date) for d in b.deductions] == [
        ("逾期未落实", D(2026, 11, 2)),
        ("未按时报送", D(2026, 10, 25)),
        ("未按时报送", D(2026, 11, 25)),
    ]
    assert [d.date for d in b.month_deductions] == [D(2026, 11, 2), D(2026, 11, 25)]
    assert b.total_points == 2.0 and b.year == 2026


@pytest.mark.parametrize(
    ("today", "expected"), [(D(2026, 12, 3), D(2026, 11, 30)), (D(2026, 11, 20), D(2026, 11, 20))]
)
def test_default_cut_off_is_the_months_end_once_it_is_over(today, expected):
    assert briefing.default_as_of(MONTH, today) == expected


def test_chinese_formatting():
    assert cn_date(D(2026, 3, 5)) == "2026年3月5日"
    assert briefing.cn_month("2026-03") == "2026年3月"
    assert briefing.pct(0.4306) == "43.1%"
    assert Alert.OVERDUE.value == "逾期"


def test_each_section_gets_its_items_and_a_blank_section_is_listed_last():
    items = [
        make_item(3, section="综合二科"),
        make_item(1, section=" 综合一科 "),
        make_item(2, section=None, deadline=D(2026, 11, 10)),
        make_item(4, section="综合二科", confidential=True, matter="绝密甲"),
    ]
    b = compute(items, [nov(i.id) for i in items])
    assert [(s.section, [i.id for i in s.items]) for s in b.by_section] == [
        ("综合一科", ["2026-CW12-01"]),
        ("综合二科", ["2026-CW12-03", "2026-CW12-04"]),
        ("（未填写承办科室）", ["2026-CW12-02"]),
    ]
    blank = b.by_section[-1].items[0]
    assert blank.alert is Alert.OVERDUE and blank.current_deadline == D(2026, 11, 10)
    assert b.by_section[1].items[1].matter == PLACEHOLDER  # circulated like every other sheet
    assert sum(len(s.items) for s in b.by_section) == b.totals.total


def test_confidential_text_in_the_sections_only_when_included():
    secret = make_item(1, section="综合一科", confidential=True, matter="绝密甲")
    b = compute([secret], [nov("2026-CW12-01")], include_confidential=True)
    assert b.by_section[0].items[0].matter == "绝密甲"


# -- SPEC §3 Clarifications: one table per line ------------------------------------------------

RATES = [
    # (statuses of a unit's items, 办结率 = (已销号 + 已办结) ÷ (总数 − 已终止))
    (["已销号", "已办结", "办理中", "办理中"], 0.5),
    (["已销号", "已终止", "已终止", "办理中"], 0.5),  # 已终止 leaves the base
    (["已终止", "已终止"], 0.0),  # nothing left to finish: 0, never a division by zero
    (["已办结", "申请延期", "长期推进"], round(1 / 3, 4)),
    (["待交办", "已办结"], 0.5),  # an unassigned item is still to be finished
]


def _as(n: int, status: str, **over) -> Item:
    """Item ``n`` in ``status`` as staff and units leave it (refresh derives the rest)."""
    fields: dict = {"待交办": dict(assigned=None, id=None)}.get(status, {})
    if status == "已办结":
        fields = dict(status=Status.DONE, done_date=D(2026, 11, 2))
    elif status == "已销号":
        fields = dict(done_date=D(2026, 11, 2), closed_date=D(2026, 11, 5))
    elif status == "已终止":
        fields = dict(status=Status.TERMINATED)
    elif status == "申请延期":
        fields = dict(status=Status.EXTENSION_REQUESTED)
    elif status == "长期推进":
        fields = dict(kind=ItemKind.LONG_TERM, deadline=None)
    return make_item(n, **fields, **over)


@pytest.mark.parametrize("statuses, rate", RATES)
def test_clarification_completion_rate_leaves_out_terminated_items(statuses, rate):
    b = compute([_as(n, s) for n, s in enumerate(statuses, start=1)])
    assert b.totals.completion_rate == rate
    (unit,) = b.by_unit
    assert unit.tally.completion_rate == rate


RANKING = [
    # (unit: statuses and overdue deadlines; the expected order): by 办结率, then fewer overdue
    (
        {"甲": ["已办结", "办理中"], "乙": ["已办结", "已办结"], "丙": ["办理中"]},
        ["乙", "甲", "丙"],
    ),
    ({"甲": ["已办结", "逾期"], "乙": ["已办结", "办理中"]}, ["乙", "甲"]),  # same rate
    ({"甲": ["已办结", "逾期", "逾期"], "乙": ["已办结", "逾期", "办理中"]}, ["乙", "甲"]),
    ({"甲": ["已办结", "已终止", "逾期"], "乙": ["已办结", "办理中", "办理中"]}, ["甲", "乙"]),
]


@pytest.mark.parametrize("units, order", RANKING)
def test_clarification_units_rank_by_completion_rate_then_fewer_overdue(units, order):
    items, n = [], 0
    for unit, statuses in units.items():
        for s in statuses:
            n += 1
            if s == "逾期":
                items.append(make_item(n, lead_unit=unit, deadline=D(2026, 11, 3)))
            else:
                items.append(_as(n, s, lead_unit=unit))
    reports = [nov(i.id) for i in items if i.id]  # every one reported: no tie-break on reports
    b = compute(items, reports)
    assert [u.unit for u in b.by_unit] == order


LISTED = [
    # (what, item fields, listed in 重点通报, 逾期工作日 cell shown)
    ("办理中 past its deadline", dict(deadline=D(2026, 11, 10)), True, 14),
    (
        "申请延期 past its deadline",
        dict(deadline=D(2026, 11, 10), status=Status.EXTENSION_REQUESTED),
        True,
        14,
    ),
    (
        "unassigned, past its deadline and its assignment due",
        dict(deadline=D(2026, 11, 10), assigned=None, id=None, issued=D(2026, 10, 20)),
        True,
        "14（交办超时）",
    ),
    (
        "unassigned, deadline not yet reached",
        dict(assigned=None, id=None, issued=D(2026, 11, 20)),
        False,
        None,
    ),
    (
        "已办结 late",
        dict(deadline=D(2026, 11, 10), status=Status.DONE, done_date=D(2026, 11, 12)),
        False,
        None,
    ),
    (
        "已销号",
        dict(deadline=D(2026, 11, 10), done_date=D(2026, 11, 12), closed_date=D(2026, 11, 13)),
        False,
        None,
    ),
    ("已终止", dict(deadline=D(2026, 11, 10), status=Status.TERMINATED), False, None),
    ("办理中, deadline today", dict(deadline=AS_OF), False, None),
]


@pytest.mark.parametrize("what, fields, listed, shown", LISTED, ids=[r[0] for r in LISTED])
def test_clarification_the_overdue_list_has_every_unfinished_item_past_its_deadline(
    what, fields, listed, shown
):
    b = compute([make_item(1, **fields)], [nov("2026-CW12-01")])
    rows = b.overdue
    assert bool(rows) is listed, rows
    if listed:
        assert rows[0].days_shown == shown


def test_tallies_counted_column_wise_are_tallies_added_item_by_item():
    """``_tallies``/``_grouped`` (the briefing's five tallies) against ``Tally.add`` per item,
    on every status and alert, a missing one of each, and groups in first-seen order."""
    import itertools

    from ledger_tools.core.model import Alert, Item, Status

    statuses = [*Status, None]
    alerts = [*Alert, None]
    items = [
        Item(id=f"D{n}", status=s, alert=a, leader=("王", "李", None)[n % 3])
        for n, (s, a) in enumerate(itertools.product(statuses, alerts))
    ]
    keys = [i.leader or "（未填）" for i in items]
    by_hand: dict[str, Tally] = {}
    for key, item in zip(keys, items):
        by_hand.setdefault(key, Tally()).add(item)
    got = briefing._tallies(keys, briefing._fields(items))
    assert list(got) == list(by_hand) and got == by_hand
    rows = briefing._grouped(items, lambda i: i.leader or "（未填）", ["赵", "王"])
    assert [(g.label, g.tally) for g in rows] == [("赵", Tally()), *by_hand.items()][:1] + [
        (k, by_hand[k]) for k in ["王", *[k for k in by_hand if k != "王"]]
    ]
    assert briefing._tallies([], []) == {}
