"""事项编号: the prefix read from how staff name a meeting, numbering that never refills a gap."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger_tools.core import ids
from ledger_tools.core.model import Item, ItemKind, SourceType, Status

D = dt.date


def make_item(**over) -> Item:
    base = dict(
        id="2026-CW12-01",
        source_type=SourceType.EXECUTIVE,
        source_name="市人民政府2026年第12次常务会议",
        issued=D(2026, 9, 18),
        kind=ItemKind.REGULAR,
        deadline=D(2026, 12, 31),
        assigned=D(2026, 9, 22),
        status=Status.IN_PROGRESS,
    )
    base.update(over)
    return Item(**base)


@pytest.mark.parametrize(
    ("source_type", "name", "issued", "expected"),
    [
        (SourceType.EXECUTIVE, "市人民政府2026年第12次常务会议", D(2026, 9, 18), "2026-CW12-"),
        (SourceType.TOPICAL, "2026年第3次专题会议（招商引资）", D(2026, 4, 1), "2026-ZT03-"),
        (SourceType.INSTRUCTION, "关于加强安全生产的批示", D(2026, 5, 6), "2026-PS00-"),
        (SourceType.EXECUTIVE, "市人民政府常务会议", D(2026, 1, 8), "2026-CW00-"),
        (SourceType.EXECUTIVE, "市人民政府2026年第十二次常务会议", D(2026, 9, 18), "2026-CW12-"),
        (SourceType.EXECUTIVE, "第二十三次常务会议", D(2026, 9, 18), "2026-CW23-"),
        (SourceType.EXECUTIVE, "第 5 次常务会议", D(2026, 9, 18), "2026-CW05-"),
        (SourceType.EXECUTIVE, "２０２６年第１２次常务会议", None, "2026-CW12-"),
        (SourceType.EXECUTIVE, "市人民政府2025年第40次常务会议", None, "2025-CW40-"),
        (SourceType.EXECUTIVE, "市人民政府2025年第40次常务会议", D(2026, 1, 3), "2026-CW40-"),
        (SourceType.TOPICAL, "第99次专题会议", D(2026, 1, 3), "2026-ZT99-"),
    ],
)
def test_item_id_prefix(source_type, name, issued, expected):
    item = make_item(source_type=source_type, source_name=name, issued=issued)
    assert ids.item_id_prefix(item) == expected


def test_meeting_numbers_beyond_99_widen_the_id():
    item = make_item(
        source_type=SourceType.TOPICAL, source_name="2026年第105次专题会议", issued=D(2026, 9, 18)
    )
    assert ids.item_id_prefix(item) == "2026-ZT105-"
    assert ids.ID_PATTERN.match("2026-ZT105-01")


@pytest.mark.parametrize(
    ("source_type", "name", "issued"),
    [
        (SourceType.EXECUTIVE, "市人民政府第12次常务会议", None),  # no year anywhere
        (SourceType.EXECUTIVE, None, None),
        (None, "市人民政府2026年第12次常务会议", D(2026, 9, 18)),  # no source type
    ],
)
def test_item_id_prefix_impossible(source_type, name, issued):
    item = make_item(source_type=source_type, source_name=name, issued=issued)
    with pytest.raises(ValueError):
        ids.item_id_prefix(item)


def _ids_of(specs):
    """specs: (id, source_type, meeting) -> items issued in 2026."""
    items = []
    for item_id, st, meeting in specs:
        name = f"2026年第{meeting}次会议" if meeting is not None else "关于某事项的批示"
        items.append(make_item(id=item_id, source_type=st, source_name=name))
    return items


CW, ZT, PS = SourceType.EXECUTIVE, SourceType.TOPICAL, SourceType.INSTRUCTION


@pytest.mark.parametrize(
    ("specs", "expected"),
    [
        pytest.param([(None, CW, 12)], {0: "2026-CW12-01"}, id="first"),
        pytest.param(
            [(None, CW, 12), (None, CW, 12), (None, ZT, 3), (None, PS, None)],
            {0: "2026-CW12-01", 1: "2026-CW12-02", 2: "2026-ZT03-01", 3: "2026-PS00-01"},
            id="in-order-per-prefix",
        ),
        pytest.param(
            [("2026-CW12-01", CW, 12), ("2026-CW12-03", CW, 12), (None, CW, 12)],
            {2: "2026-CW12-04"},
            id="gaps-not-refilled",
        ),
        pytest.param(
            [(None, CW, 12), ("2026-CW12-07", CW, 12)],
            {0: "2026-CW12-08"},
            id="existing-id-below-counts",
        ),
        pytest.param(
            [("2026-CW11-05", CW, 11), (None, CW, 12)],
            {1: "2026-CW12-01"},
            id="other-meeting-independent",
        ),
        pytest.param(
            [(" 2026-CW12-02 ", CW, 12), ("  ", CW, 12), ("", CW, 12)],
            {1: "2026-CW12-03", 2: "2026-CW12-04"},
            id="whitespace-is-blank",
        ),
        pytest.param(
            [("2026-CW12-xx", CW, 12), ("临时编号", CW, 12), (None, CW, 12)],
            {2: "2026-CW12-01"},
            id="malformed-ids-ignored",
        ),
        pytest.param(
            [("2026-CW12-99", CW, 12), (None, CW, 12), (None, CW, 12)],
            {1: "2026-CW12-100", 2: "2026-CW12-101"},
            id="past-99",
        ),
        pytest.param(
            [(None, None, 12), (None, CW, 12)],
            {1: "2026-CW12-01"},
            id="row-without-source-skipped",
        ),
        pytest.param([("2026-CW12-01", CW, 12)], {}, id="nothing-to-do"),
    ],
)
def test_assign_ids(specs, expected):
    items = _ids_of(specs)
    assigned = ids.assign_ids(items)
    assert assigned == expected
    assert all(ids.ID_PATTERN.match(v) for v in assigned.values())


def test_assign_ids_does_not_modify_items():
    items = _ids_of([(None, CW, 12)])
    ids.assign_ids(items)
    assert items[0].id is None


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2026-CW12-01", True),
        ("2026-ZT03-15", True),
        ("2026-PS00-01", True),
        ("2026-CW12-100", True),
        ("2026-CW12-1", False),
        ("2026-CW1-01", False),
        ("2026-XX12-01", False),
        ("26-CW12-01", False),
        ("2026-cw12-01", False),
        ("2026-CW12-01\n", False),
        ("２０２６-CW12-01", False),
        (" 2026-CW12-01", False),
    ],
)
def test_id_pattern(text, ok):
    assert bool(ids.ID_PATTERN.match(text)) is ok


@pytest.mark.parametrize(
    ("text", "number"),
    [("十二", 12), ("二十三", 23), ("一百零五", 105), ("一〇五", 105), ("两", 2), ("十", 10)],
)
def test_chinese_numbers_as_meeting_names_write_them(text, number):
    assert ids.chinese_number(text) == number
