"""The model's closed value sets read the words staff type; defaults are SPEC §2's."""

import datetime as dt

import pytest

from ledger_tools.core.model import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Alert,
    Extension,
    Item,
    ItemKind,
    Report,
    Settings,
    SourceType,
    Status,
)


def test_a_cell_value_converts_by_its_chinese_word():
    assert Status("已办结") is Status.DONE
    assert Status.parse(" 办理中\n") is Status.IN_PROGRESS
    assert Alert.parse("临期") is Alert.DUE_SOON
    assert Status.parse("完成") is None and Status.parse(None) is None
    assert ItemKind.values() == ["一般", "长期"]
    assert str(Status.DONE) == "已办结"


@pytest.mark.parametrize(
    ("source", "code"), [("常务会议", "CW"), ("专题会议", "ZT"), ("领导批示", "PS")]
)
def test_source_codes_of_item_ids(source, code):
    assert SourceType(source).code == code


def test_open_and_final_statuses():
    assert {s for s in Status if s.is_open} == OPEN_STATUSES
    assert not OPEN_STATUSES & FINAL_STATUSES
    assert Status.DONE not in OPEN_STATUSES | FINAL_STATUSES  # done awaits 销号
    assert Status.PENDING_ASSIGNMENT not in OPEN_STATUSES


def test_item_kind_and_a_reports_day():
    assert (
        Item(kind=ItemKind.LONG_TERM).is_long_term and not Item(kind=ItemKind.REGULAR).is_long_term
    )
    assert not Item().is_long_term
    assert Report(recorded=dt.datetime(2026, 11, 20, 9, 30)).recorded_date == dt.date(2026, 11, 20)
    assert Report(recorded=dt.date(2026, 11, 20)).recorded_date == dt.date(2026, 11, 20)
    assert Report().recorded_date is None


def test_an_extension_without_a_result_is_pending():
    from ledger_tools.core.model import Approval

    assert Extension().pending
    assert not Extension(result=Approval.REFUSED).pending


def test_settings_defaults_are_the_specs():
    s = Settings()
    assert (s.org_name, s.office_name) == ("市人民政府", "市政府督查室")
    assert (s.assign_workdays, s.warn_workdays, s.report_day) == (3, 5, 25)
    assert (s.max_cycle_months, s.escalate_reminders) == (12, 2)
    assert s.notice_number_format == "督查通〔{年}〕{序号}号"
    assert (
        s.weight_overdue,
        s.weight_missed_report,
        s.weight_false_report,
        s.weight_ineffective,
    ) == (
        1.0,
        0.5,
        2.0,
        1.0,
    )


def test_items_do_not_share_their_co_unit_lists():
    a, b = Item(), Item()
    a.co_units.append("市财政局")
    assert b.co_units == []
