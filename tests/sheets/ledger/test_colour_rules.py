"""The 时限不明 colour rule an older ledger lacks is added on its first save (SPEC §8)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formatting.formatting import ConditionalFormattingList

from ledger_tools.sheets import styles
from ledger_tools.sheets.ledger import colour_rules
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.data import read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile
from tests.builders import AS_OF, ITEMS, make_ledger


def _older_ledger(path: Path) -> Path:
    """A ledger as made before 时限不明 existed: every alert colour but that one."""
    make_ledger(path, ITEMS)
    wb = openpyxl.load_workbook(path)
    ws = wb[sc.ITEMS.name]
    kept = ConditionalFormattingList()
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if rule.formula != [f'"{colour_rules.VALUE}"']:
                kept.add(str(cf.sqref), rule)
    ws.conditional_formatting = kept
    wb.save(path)
    return path


def _rules(path: Path) -> list[tuple[str, str, str | None]]:
    """(range, formula, fill colour) of every rule on 台账, as openpyxl reads the file."""
    ws = openpyxl.load_workbook(path)[sc.ITEMS.name]
    return [
        (str(cf.sqref), rule.formula[0], rule.dxf.fill.bgColor.rgb if rule.dxf else None)
        for cf in ws.conditional_formatting
        for rule in cf.rules
    ]


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _remind(lf: LedgerFile) -> None:
    """A save that writes no cell of 台账 (remind --record appends a 催办记录 row)."""
    read_ledger(lf).table(sc.REMINDERS).append(
        {
            "date": AS_OF,
            "item_id": ITEMS[0]["事项编号"],
            "unit": "东城区人民政府",
            "method": "书面督办",
        }
    )


def _save(path: Path, command) -> LedgerFile:
    with LedgerFile(path, writable=True, values_first=True) as lf:
        command(lf)
        lf.save()
    return lf


def _unclear(rules):
    return [r for r in rules if r[1] == f'"{colour_rules.VALUE}"']


def test_the_first_save_of_an_older_ledger_adds_the_red_rule_through_the_writer(tmp_path):
    ledger = _older_ledger(tmp_path / "台账.xlsx")
    before = _rules(ledger)
    assert not _unclear(before)
    old = _parts(ledger)
    assert _save(ledger, _remind).saved_by == "writer"
    after = _rules(ledger)
    overdue = next(r for r in before if r[1] == f'"{colour_rules.LIKE}"')
    red = styles.ALERT_COLOURS[colour_rules.VALUE][0]
    assert overdue[2][-6:] == red  # red like 逾期, as a new ledger colours it
    assert _unclear(after) == [(overdue[0], f'"{colour_rules.VALUE}"', overdue[2])]
    assert sorted(after) == sorted([*before, *_unclear(after)])  # the others as they were
    new = _parts(ledger)
    items_part = next(
        n
        for n, x in new.items()
        if n.startswith("xl/worksheets/") and colour_rules.VALUE.encode() in x and n in old
    )
    changed = {n for n in old if old[n] != new.get(n)}
    reminders = {n for n in changed if n not in (items_part, "xl/styles.xml")}
    assert items_part in changed and "xl/styles.xml" in changed and len(reminders) == 1
    # the cells of 台账 are untouched: only the formatting after </sheetData> differs
    data = re.compile(rb"<sheetData.*</sheetData>", re.S)
    assert data.search(old[items_part]).group(0) == data.search(new[items_part]).group(0)


def test_a_second_save_adds_no_second_rule_and_leaves_the_items_part_alone(tmp_path):
    ledger = _older_ledger(tmp_path / "台账.xlsx")
    _save(ledger, _remind)
    once = _parts(ledger)
    _save(ledger, _remind)
    twice = _parts(ledger)
    assert len(_unclear(_rules(ledger))) == 1
    changed = {n for n in once if once[n] != twice.get(n)}
    assert len(changed) == 1 and "xl/styles.xml" not in changed  # the 催办记录 part only


def test_a_save_that_writes_items_adds_the_rule_once(tmp_path):
    ledger = _older_ledger(tmp_path / "台账.xlsx")

    def refresh(lf: LedgerFile) -> None:
        read_ledger(lf).recompute(AS_OF)

    assert _save(ledger, refresh).saved_by == "writer"
    assert len(_unclear(_rules(ledger))) == 1
    with LedgerFile(ledger) as lf:
        assert read_ledger(lf).items  # still a readable ledger


def test_a_ledger_without_the_tools_alert_colours_gets_none(tmp_path):
    ledger = make_ledger(tmp_path / "台账.xlsx", ITEMS)
    wb = openpyxl.load_workbook(ledger)
    wb[sc.ITEMS.name].conditional_formatting = ConditionalFormattingList()
    wb.save(ledger)
    _save(ledger, _remind)
    assert _rules(ledger) == []


def test_a_new_ledger_keeps_its_one_rule(tmp_path):
    ledger = make_ledger(tmp_path / "台账.xlsx", ITEMS)
    before = _rules(ledger)
    _save(ledger, _remind)
    assert sorted(_rules(ledger)) == sorted(before)
    assert len(_unclear(before)) == 1


def test_the_openpyxl_fallback_adds_the_same_rule(tmp_path):
    ledger = _older_ledger(tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(ledger)
    assert colour_rules.add_to_workbook(wb[sc.ITEMS.name])
    assert not colour_rules.add_to_workbook(wb[sc.ITEMS.name])  # once
    wb.save(tmp_path / "out.xlsx")
    red = styles.ALERT_COLOURS[colour_rules.VALUE][0]
    assert [r[2][-6:] for r in _unclear(_rules(tmp_path / "out.xlsx"))] == [red]


def test_the_range_is_read_from_the_overdue_rule():
    tail = (
        b'</sheetData><conditionalFormatting sqref="V2:V5000"><cfRule type="cellIs" dxfId="1" '
        b'priority="2" operator="equal"><formula>"\xe9\x80\xbe\xe6\x9c\x9f"</formula></cfRule>'
        b"</conditionalFormatting>"
    )
    assert colour_rules.missing_rule_range(tail) == "V2:V5000"
    added = colour_rules.with_rule(tail, "V2:V5000", 7)
    assert colour_rules.missing_rule_range(added) is None
    assert b'dxfId="7" priority="3"' in added
    assert colour_rules.missing_rule_range(b"</sheetData>") is None


@pytest.mark.slow
def test_libreoffice_reads_the_added_rule(tmp_path):
    """LibreOffice understands the block the writer added: saved again by LibreOffice, the
    ledger still colours 时限不明 red on the 逾期 rule's range."""
    ledger = _older_ledger(tmp_path / "台账.xlsx")
    _save(ledger, _remind)
    out = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(ledger),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    rules = _rules(out / ledger.name)
    red = styles.ALERT_COLOURS[colour_rules.VALUE][0]
    overdue = next(r for r in rules if r[1] == f'"{colour_rules.LIKE}"')
    unclear = _unclear(rules)
    assert len(unclear) == 1 and unclear[0][0] == overdue[0]
    assert (unclear[0][2] or "")[-6:] == red
