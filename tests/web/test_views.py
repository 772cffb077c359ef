"""Counting for 概览: alert order and colours as the ledger's, tallies, filters, the SVG chart."""

import datetime as dt
import re

from ledger_tools.core import model as m
from ledger_tools.jobs.overview import Snapshot
from ledger_tools.sheets.styles import ALERT_COLOURS
from ledger_tools.web import views
from ledger_tools.web.app import STATIC


def _item(n, alert, status=m.Status.IN_PROGRESS, unit="东城区", **kw):
    return m.Item(id=f"2026-CW01-{n:02d}", alert=alert, status=status, lead_unit=unit, **kw)


def test_tones_are_the_ledgers_conditional_formatting():
    css = (STATIC / "workbench.css").read_text(encoding="utf-8")
    names = {"RED": "red", "AMBER": "amber", "GREY": "grey", "GREEN": "green"}
    for alert, (fill, ink) in ALERT_COLOURS.items():
        tone = views.ALERT_TONE[alert]
        assert f"--{tone}: #{fill}" in css and f"--{tone}-ink: #{ink}" in css
    assert set(views.ALERT_TONE.values()) <= set(names.values())
    assert set(views.ALERT_TONE) == set(ALERT_COLOURS)


def test_counts_in_rule_order_and_unknown_shown():
    items = [
        _item(1, m.Alert.DUE_SOON),
        _item(2, m.Alert.OVERDUE),
        _item(3, m.Alert.OVERDUE),
        _item(4, None),
    ]
    assert views.alert_counts(items) == [
        ("逾期", 2, "red"),
        ("临期", 1, "amber"),
        ("（未计算）", 1, "plain"),
    ]


def test_tallies_count_unclear_deadlines_as_overdue():
    items = [
        _item(1, m.Alert.DEADLINE_UNCLEAR, unit="甲"),
        _item(2, m.Alert.OVERDUE, unit="乙"),
        _item(3, m.Alert.NORMAL, unit="乙"),
        _item(4, m.Alert.CLOSED, status=m.Status.CLOSED, unit="丙"),
    ]
    rows = {t.name: t for t in views.by_unit(items)}
    assert (rows["甲"].overdue, rows["乙"].overdue, rows["乙"].open, rows["丙"].closed) == (
        1,
        1,
        2,
        1,
    )
    assert [i.id for i in views.overdue_items(items)] == ["2026-CW01-01", "2026-CW01-02"]


def test_filter_by_each_field_and_free_text():
    items = [
        _item(
            1,
            m.Alert.OVERDUE,
            leader="李副市长",
            matter="道路改造",
            source_type=m.SourceType.EXECUTIVE,
        ),
        _item(2, m.Alert.NORMAL, unit="西山县", leader="王副市长", matter="防汛"),
    ]
    pick = lambda **q: [i.id[-2:] for i in views.filtered(items, views.ItemFilter.from_query(q))]  # noqa: E731
    assert pick(unit="西山县") == ["02"]
    assert pick(alert="逾期") == ["01"]
    assert pick(leader="王副市长") == ["02"]
    assert pick(source_type="常务会议") == ["01"]
    assert pick(status="办理中") == ["01", "02"]
    assert pick(text="道路") == ["01"] and pick(text="2026-cw01-02") == ["02"]


def test_trend_chart_is_inline_svg_with_each_month():
    snaps = [Snapshot("2026-09", 100, 10, 4, 2, 0.3), Snapshot("2026-10", 110, 20, 2, 1, 0.45)]
    svg = views.trend_svg(snaps)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "2026-09 办结率 30.0%" in svg and "2026-10 逾期 2 件" in svg
    assert len(re.findall("<circle", svg)) == 2
    assert views.trend_svg([]) == ""


def test_history_of_one_item_oldest_first():
    from ledger_tools.jobs.overview import Overview

    view = Overview(path=None, as_of=dt.date(2026, 11, 20), computed_on=None)  # type: ignore[arg-type]
    view.reports = [
        m.Report(recorded=dt.datetime(2026, 10, 20), item_id="A"),
        m.Report(recorded=dt.datetime(2026, 9, 20), item_id="A"),
        m.Report(recorded=dt.datetime(2026, 9, 1), item_id="B"),
    ]
    h = views.history(view, "A")
    assert [r.recorded.month for r in h["reports"]] == [9, 10]
    assert h["extensions"] == [] and h["reminders"] == []
