"""Property tests: whatever a unit types into a real form, merge either takes it or says why.

Hypothesis types arbitrary content (text with formulas, control characters and huge strings,
numbers, dates, booleans, blanks) into the cells of the east unit's real form, then merges.
The properties: no exception; a file with an error finding leaves the ledger byte-identical,
a file without one is merged; a merge changes only what a unit report may change (the unit's
own 台账 rows in report and tool columns, appended log rows), stores the unit's text as text,
never as a formula; and any edit of a locked cell is refused.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger_tools.errors import LedgerError
from ledger_tools.jobs import intake
from ledger_tools.sheets.cells import clean_text
from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.ledger import schema as sc
from tests.builders import EAST, GOOD_ROWS, OTHER, form_table, sha
from tests.robustness.corpus import AS_OF
from tests.robustness.helpers import sheet_values

SETTINGS = dict(
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
STAFF_COLUMNS = [
    c.header
    for c in sc.ITEMS.columns
    if "S" in c.owner and "U" not in c.owner and "T" not in c.owner
]
APPEND_ONLY = {sc.REPORTS.name, sc.EXTENSIONS.name, sc.IMPORTS.name}
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# --- the real form, once per module ----------------------------------------------------------


class Base:
    def __init__(self, workshop, root: Path):
        self.ledger = root / "台账.xlsx"
        shutil.copy(workshop.ledger, self.ledger)
        self.form = workshop.form(EAST)
        self.sha = sha(self.ledger)
        self.values = sheet_values(self.ledger)
        ws = openpyxl.load_workbook(self.form)[fl.SHEET_FORM]
        header, self.cols, self.ids = form_table(ws)
        self.ids = {k: v for k, v in self.ids.items() if k}
        self.inputs = [(item, h) for item in self.ids for h in fl.INPUT_COLUMNS]
        self.locked = [(item, h) for item in self.ids for h in fl.LOCKED_COLUMNS if h != "事项编号"]
        self.locked_values = {
            (item, h): ws.cell(self.ids[item], self.cols[h]).value for item, h in self.locked
        }
        labels = {
            fl.header_key(c.value): c
            for row in ws.iter_rows(max_row=header)
            for c in row
            if isinstance(c.value, str)
        }
        self.block = [
            ws.cell(labels[k].row, labels[k].column + 1).coordinate
            for k in (fl.LABEL_CONTACT, fl.LABEL_PHONE)
        ]  # the cells right of the labels


@pytest.fixture(scope="module")
def base(workshop, tmp_path_factory) -> Base:
    return Base(workshop, tmp_path_factory.mktemp("properties"))


def excel_text(text: str) -> str:
    """What Excel writes for characters XML cannot hold: the _xHHHH_ escape."""
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def write_form(base: Base, dest: Path, cells: dict, *, start_filled: bool, formulas: bool) -> Path:
    wb = openpyxl.load_workbook(base.form)
    ws = wb[fl.SHEET_FORM]
    if start_filled:
        for item, values in GOOD_ROWS.items():
            for h, v in values.items():
                ws.cell(base.ids[item], base.cols[h]).value = v
    for key, value in cells.items():
        cell = ws[key[1]] if key[0] == "block" else ws.cell(base.ids[key[0]], base.cols[key[1]])
        if isinstance(value, str):
            cell.value = excel_text(value)
            if not (formulas and value.startswith("=")):
                cell.data_type = "s"
        else:
            cell.value = value
    wb.save(dest)
    return dest


# --- what a unit may type ----------------------------------------------------------------------

texts = st.text(max_size=60)
values = st.one_of(
    st.none(),
    texts,
    st.sampled_from(fl.STATUS_CHOICES),
    st.sampled_from(
        [
            "2026-11-18",
            "2026年11月18日",
            "２０２６／１１／１８",
            "2027.3.31",
            "2026-02-30",
            "上周五",
        ]
    ),
    st.sampled_from("=+-@＝").flatmap(lambda p: texts.map(lambda t: p + t)),
    st.integers(min_value=2_000, max_value=40_000).map(lambda n: "长" * n),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 12, 31)),
    st.booleans(),
)


def _cells(keys: list) -> st.SearchStrategy[dict]:
    """Up to ten of ``keys`` (cells), each with something typed into it."""
    return st.dictionaries(st.sampled_from(keys), values, max_size=10)


# --- properties --------------------------------------------------------------------------------


def _merge(base: Base, tmp: Path, form: Path):
    ledger = tmp / "台账.xlsx"
    shutil.copy(base.ledger, ledger)
    try:
        result = intake.merge(ledger, [form], AS_OF)
    except LedgerError:  # a documented error: nothing may have been written
        assert sha(ledger) == base.sha
        return ledger, None
    return ledger, result


def _no_formulas(ledger: Path) -> None:
    with zipfile.ZipFile(ledger) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name


def _check_merged(base: Base, ledger: Path, result) -> None:
    after = sheet_values(ledger)
    assert set(after) == set(base.values)
    for name, rows in base.values.items():
        if name in APPEND_ONLY:
            assert after[name][: len(rows)] == rows, f"{name}: history changed"
        elif name != sc.ITEMS.name:
            assert after[name] == rows, f"{name} changed"
    header = list(base.values[sc.ITEMS.name][0])
    before_items = {r[header.index("事项编号")]: r for r in base.values[sc.ITEMS.name][1:]}
    after_items = {r[header.index("事项编号")]: r for r in after[sc.ITEMS.name][1:]}
    assert set(after_items) == set(before_items)
    assert after_items[OTHER] == before_items[OTHER], "another unit's item changed"
    for item_id, row in after_items.items():
        for h in STAFF_COLUMNS:
            i = header.index(h)
            assert row[i] == before_items[item_id][i], (item_id, h)
    reports = after[sc.REPORTS.name][len(base.values[sc.REPORTS.name]) :]
    assert len(reports) == result.reports_merged > 0
    report_header = list(after[sc.REPORTS.name][0])
    assert {r[report_header.index("事项编号")] for r in reports} <= set(base.ids)
    assert len(after[sc.IMPORTS.name]) == len(base.values[sc.IMPORTS.name]) + 1
    _no_formulas(ledger)


@settings(max_examples=120, **SETTINGS)
@given(data=st.data(), start_filled=st.booleans(), formulas=st.booleans())
def test_anything_typed_into_unlocked_cells_merges_or_is_refused(
    base, tmp_path_factory, data, start_filled, formulas
):
    keys = base.inputs + [("block", ref) for ref in base.block]
    cells = data.draw(_cells(keys), label="cells")
    tmp = tmp_path_factory.mktemp("p")
    form = write_form(
        base, tmp / "反馈表.xlsx", cells, start_filled=start_filled, formulas=formulas
    )
    ledger, result = _merge(base, tmp, form)
    if result is None:
        return
    errors = [f for f in result.findings if f.is_error]
    assert result.saved == (not errors), [(f.code, f.message) for f in result.findings]
    if not result.saved:
        assert sha(ledger) == base.sha
        assert all(f.code and f.message for f in result.findings)
        return
    _check_merged(base, ledger, result)
    # what the unit wrote as progress is in the ledger as that text, not evaluated
    wb = openpyxl.load_workbook(ledger)
    ws = wb[sc.ITEMS.name]
    cols = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, cols["事项编号"]).value: r for r in range(2, ws.max_row + 1)}
    for row in result.files[0].accepted(False):
        typed = cells.get(
            (row.item.id, "本期进展情况"),
            GOOD_ROWS.get(row.item.id, {}).get("本期进展情况") if start_filled else None,
        )
        if isinstance(typed, str) and not (formulas and typed.startswith("=")):
            stored = ws.cell(rows[row.item.id], cols["最新进展"])
            expected = clean_text(typed.replace("\r\n", "\n").replace("\r", "\n"))
            if stored.value is not None or expected is not None:
                assert stored.value == expected and stored.data_type == "s"


@settings(max_examples=60, **SETTINGS)
@given(data=st.data())
def test_any_edit_of_a_locked_cell_is_refused(base, tmp_path_factory, data):
    key = data.draw(st.sampled_from(base.locked), label="locked cell")
    value = data.draw(
        values.filter(lambda v: v is not None or base.locked_values[key] is not None), label="value"
    )
    original = base.locked_values[key]
    if clean_text(fl.locked_text(value) if not isinstance(value, str) else value) == clean_text(
        original
    ):
        return  # the same text again (or only spaces added): not an edit
    tmp = tmp_path_factory.mktemp("l")
    form = write_form(base, tmp / "反馈表.xlsx", {key: value}, start_filled=True, formulas=False)
    ledger, result = _merge(base, tmp, form)
    assert result is not None and not result.saved
    assert "R102" in {f.code for f in result.findings}, (
        key,
        value,
        [(f.code, f.message) for f in result.findings],
    )
    assert sha(ledger) == base.sha


@settings(max_examples=40, **SETTINGS)
@given(data=st.data())
def test_with_partial_only_the_rows_without_an_error_go_in(base, tmp_path_factory, data):
    cells = data.draw(_cells(base.inputs), label="cells")
    tmp = tmp_path_factory.mktemp("q")
    form = write_form(base, tmp / "反馈表.xlsx", cells, start_filled=True, formulas=False)
    ledger = tmp / "台账.xlsx"
    shutil.copy(base.ledger, ledger)
    result = intake.merge(ledger, [form], AS_OF, partial=True)
    outcome = result.files[0]
    good = {r.item.id for r in outcome.accepted(True)}
    bad = {f.item for f in outcome.findings if f.is_error and f.item}
    assert not good & bad
    if not result.saved:
        assert sha(ledger) == base.sha and not good
        return
    _check_merged(base, ledger, result)
    log = sheet_values(ledger)[sc.REPORTS.name]
    column = log[0].index("事项编号")
    logged = [r[column] for r in log[len(base.values[sc.REPORTS.name]) :]]
    assert sorted(logged) == sorted(good)
