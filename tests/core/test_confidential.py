"""Confidential items in circulated files: counted, their content never shown."""

import dataclasses
import datetime as dt

from ledger_tools.core.confidential import PLACEHOLDER, TEXT_FIELDS, for_circulation, redact
from ledger_tools.core.model import Item, Status

# Text fields of Item that are not an item's content: who handles it and how it is filed.
NOT_CONTENT = {"id", "leader", "section", "lead_unit", "closed_by"}


def secret(**kw) -> Item:
    base = dict(
        id="2026-CW12-03",
        source_name="市人民政府2026年第12次常务会议",
        matter="某涉密项目选址",
        requirement="年底前报方案",
        lead_unit="市发改委",
        leader="张副市长",
        deadline=dt.date(2026, 12, 31),
        status=Status.IN_PROGRESS,
        latest_progress="已完成初步论证",
        notice_no="督查通〔2026〕7号",
        confidential=True,
    )
    base.update(kw)
    return Item(**base)


def test_every_text_field_of_an_item_is_either_content_or_known_not_to_be():
    text_fields = {f.name for f in dataclasses.fields(Item) if f.type in ("str | None", "str")}
    assert text_fields == set(TEXT_FIELDS) | NOT_CONTENT  # a new field must be classified
    assert not set(TEXT_FIELDS) & NOT_CONTENT


def test_redact_hides_the_content_and_keeps_what_is_counted():
    item = secret()
    shown = redact(item)
    assert shown.matter == shown.requirement == shown.source_name == PLACEHOLDER
    assert shown.latest_progress == shown.notice_no == PLACEHOLDER
    assert shown.stage_target is None and shown.note is None  # blank stays blank
    # What is counted and who is responsible still show.
    assert shown.id == "2026-CW12-03" and shown.lead_unit == "市发改委"
    assert shown.deadline == dt.date(2026, 12, 31) and shown.status is Status.IN_PROGRESS
    assert item.matter == "某涉密项目选址"  # the ledger's item is not touched


def test_an_ordinary_item_passes_unchanged():
    item = secret(confidential=False)
    assert redact(item) is item


def test_for_circulation_redacts_unless_asked_not_to():
    items = [secret(), secret(id="2026-CW12-04", confidential=False)]
    out = for_circulation(iter(items))
    assert [i.matter for i in out] == [PLACEHOLDER, "某涉密项目选址"]
    assert for_circulation(items, include_confidential=True) == items
