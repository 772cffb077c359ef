"""The schema is SPEC §2 as data: every header once, every field a model attribute."""

import dataclasses

import pytest

from ledger_tools.core import model as m
from ledger_tools.sheets.ledger import schema as sc

MODELS = {
    sc.ITEMS: m.Item,
    sc.REPORTS: m.Report,
    sc.EXTENSIONS: m.Extension,
    sc.REMINDERS: m.Reminder,
    sc.UNITS: m.Unit,
}


@pytest.mark.parametrize("sheet", sc.SHEETS, ids=lambda s: s.name)
def test_headers_and_fields_are_unique_within_a_sheet(sheet):
    assert len(set(sheet.headers)) == len(sheet.headers)
    assert len({c.field for c in sheet.columns}) == len(sheet.columns)


@pytest.mark.parametrize("sheet", list(MODELS), ids=lambda s: s.name)
def test_every_field_is_an_attribute_of_the_model(sheet):
    attributes = {f.name for f in dataclasses.fields(MODELS[sheet])}
    assert {c.field for c in sheet.columns} <= attributes


def test_choice_columns_and_only_they_know_their_values():
    for sheet in sc.SHEETS:
        for col in sheet.columns:
            assert (col.kind == "choice") == (col.choices is not None), col.header
            if col.kind == "choice":
                assert col.choice_set.values()


def test_kinds_ownership_and_lookup():
    kinds = {"text", "date", "datetime", "int", "number", "choice", "list"}
    assert {c.kind for s in sc.SHEETS for c in s.columns} <= kinds
    assert sc.ITEMS.column("alert").tool_owned and not sc.ITEMS.column("matter").tool_owned
    with pytest.raises(KeyError):
        sc.ITEMS.column("nothing")
    assert sc.BY_NAME["台账"] is sc.ITEMS and sc.SYSTEM.hidden
    assert sc.REQUIRED_SHEETS == tuple(s.name for s in sc.SHEETS)


def test_every_setting_has_a_settings_attribute_and_its_default():
    settings = m.Settings()
    assert len({key for key, *_ in sc.SETTING_KEYS}) == len(sc.SETTING_KEYS)
    for _key, attr, default, _note in sc.SETTING_KEYS:
        assert getattr(settings, attr) == default
