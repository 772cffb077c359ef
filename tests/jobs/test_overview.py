"""The workbench's read-only view: as of the ledger's 计算日期, nothing written, nothing held."""

import datetime as dt

import openpyxl

from ledger_tools.demo.sample import REFERENCE_DATE, build_sample
from ledger_tools.jobs import overview, refresh
from ledger_tools.sheets.ledger.file import LedgerFile
from tests.builders import sha


def test_reads_as_of_the_ledgers_own_date_and_changes_nothing(tmp_path):
    ledger = build_sample(tmp_path / "台账.xlsx")
    refresh.run(ledger, REFERENCE_DATE)
    before = sha(ledger)
    view = overview.run(ledger, today=dt.date(2030, 1, 1))
    assert view.computed_on == REFERENCE_DATE and view.as_of == REFERENCE_DATE
    assert sha(ledger) == before
    wb = openpyxl.load_workbook(ledger, read_only=True)
    header = next(wb["台账"].iter_rows(max_row=1, values_only=True))
    col = header.index("督办预警")
    written = {r[0]: r[col] for r in wb["台账"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert {i.id: i.alert.value for i in view.items if i.id and i.alert} == written
    assert view.backups and view.backups[0].name > view.backups[-1].name  # newest first
    with LedgerFile(ledger, writable=True):  # nothing holds the ledger afterwards
        pass


def test_a_ledger_never_recomputed_is_shown_as_of_today(tmp_path):
    ledger = build_sample(tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(ledger)
    for row in wb["说明"].iter_rows(min_col=1, max_col=2):
        if row[0].value == "计算日期":
            row[1].value = None
    wb.save(ledger)
    view = overview.run(ledger, today=dt.date(2026, 11, 25))
    assert view.computed_on is None and view.as_of == dt.date(2026, 11, 25)


def test_snapshots_in_month_order_and_sources_newest_first(tmp_path):
    from ledger_tools.jobs import briefing

    ledger = build_sample(tmp_path / "台账.xlsx")
    for month in ("2026-10", "2026-09"):
        briefing.run(ledger, month, tmp_path / "通报", today=REFERENCE_DATE)
    view = overview.run(ledger)
    assert [s.month for s in view.snapshots] == ["2026-09", "2026-10"]
    assert all(0 <= s.completion_rate <= 1 for s in view.snapshots)
    issued = {i.source_name: i.issued for i in view.items}
    assert issued[view.sources[0]] == max(d for d in issued.values() if d)


def test_units_are_counted_by_their_registered_name_as_the_briefing_counts_them(tmp_path):
    """The sample types 东城区, 东城区政府 and 东城区人民政府: one unit on 概览, not three."""
    ledger = build_sample(tmp_path / "台账.xlsx")
    refresh.run(ledger, REFERENCE_DATE)
    ws = openpyxl.load_workbook(ledger, read_only=True)["台账"]
    header = next(ws.iter_rows(max_row=1, values_only=True))
    col = header.index("主责单位")
    typed = {r[col] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert {"东城区", "东城区政府", "东城区人民政府"} <= typed  # aliases as staff type them
    view = overview.run(ledger)
    units = {i.lead_unit for i in view.items}
    assert "东城区人民政府" in units
    assert not units & {"东城区", "东城区政府"}
