"""Art. 10 referral evidence: which items, and each one's whole history up to the cut-off."""

from __future__ import annotations

import datetime as dt

from ledger_tools.core.confidential import PLACEHOLDER
from ledger_tools.core.model import (
    Approval,
    Extension,
    Item,
    Reminder,
    ReminderMethod,
    Report,
    UnitReportStatus,
)
from ledger_tools.core.referrals import referrals
from ledger_tools.core.scoring import Deduction, Reason

D = dt.date
AS_OF = D(2026, 11, 30)


def _d(unit, reason, item_id):
    return Deduction(unit, reason, item_id, D(2026, 11, 3), 1.0, f"{reason.value}的依据")


ITEMS = {
    "A": Item(id="A", matter="甲事项", lead_unit="东城区"),
    "B": Item(id="B", matter="乙事项", lead_unit="东城区"),
    "C": Item(id="C", matter=PLACEHOLDER, lead_unit="西山县", confidential=True),
}


def test_only_escalated_overdue_and_false_reports_with_history_in_date_order():
    deductions = [
        _d("东城区", Reason.OVERDUE, "A"),
        _d("东城区", Reason.MISSED_REPORT, "B"),  # a missed report alone is no referral ground
        _d("西山县", Reason.FALSE_REPORT, "C"),
    ]
    reports = [
        Report(dt.datetime(2026, 10, 20, 9), "A", "东城区", "2026-10", UnitReportStatus.ONGOING,
               "正在推进"),
        Report(D(2026, 12, 5), "A", "东城区", "2026-12", progress="在截止日之后"),
        Report(D(2026, 11, 20), "C", "西山县", "2026-11", UnitReportStatus.DONE, "绝密进展",
               done_date=D(2026, 11, 18)),
    ]  # fmt: skip
    reminders = [
        Reminder(D(2026, 11, 3), "A", method=ReminderMethod.PHONE, clerk="李华"),
        Reminder(D(2026, 10, 22), " A ", method=ReminderMethod.WRITTEN, content="请抓紧"),
    ]
    extensions = [
        Extension("A", D(2026, 10, 25), "东城区", D(2026, 10, 15), D(2026, 12, 31), "天气",
                  approved_on=D(2026, 10, 28), result=Approval.REFUSED),
    ]  # fmt: skip
    out = referrals(deductions, ITEMS, reports, reminders, extensions, as_of=AS_OF)
    assert [(u.unit, [c.item.id for c in u.cases]) for u in out] == [
        ("东城区", ["A"]),
        ("西山县", ["C"]),
    ]
    a = out[0].cases[0]
    assert a.reasons == [Reason.OVERDUE] and a.evidence == ["逾期未落实的依据"]
    assert [(e.date, e.kind) for e in a.history] == [
        (D(2026, 10, 20), "报送"),
        (D(2026, 10, 22), "催办"),
        (D(2026, 10, 25), "延期"),
        (D(2026, 11, 3), "催办"),
    ]  # the December report is after the cut-off
    assert a.history[0].text == "2026-10 期，推进中：正在推进"
    assert a.history[1].text == "书面督办：请抓紧" and a.history[3].who == "李华"
    assert "不同意" in a.history[2].text and "天气" in a.history[2].text
    c = out[1].cases[0]
    assert c.history[0].text == f"2026-11 期，已办结，办结日期 2026-11-18：{PLACEHOLDER}"


def test_confidential_history_text_when_included():
    out = referrals(
        [_d("西山县", Reason.FALSE_REPORT, "C")],
        ITEMS,
        [Report(D(2026, 11, 20), "C", progress="绝密进展")],
        [],
        [],
        as_of=AS_OF,
        include_confidential=True,
    )
    assert out[0].cases[0].history[0].text.endswith("绝密进展")
