"""The spot-check draw (随机抽查): which finished items may be drawn, and reproducibility."""

import datetime as dt

from ledger_tools.core import sampling as cn
from ledger_tools.core.model import Item, ItemKind, SourceType, Status


def it(**kw) -> Item:
    base = dict(
        id="2026-CW12-01",
        source_type=SourceType.EXECUTIVE,
        source_name="市人民政府2026年第12次常务会议",
        issued=dt.date(2026, 9, 18),
        matter="加快推进老旧小区改造",
        requirement="年底前完成",
        leader="张副市长",
        lead_unit="东城区人民政府",
        kind=ItemKind.REGULAR,
        deadline=dt.date(2026, 12, 31),
        status=Status.PENDING_ASSIGNMENT,
    )
    base.update(kw)
    return Item(**base)


def done(id_, **kw):
    return it(id=id_, status=Status.DONE, done_date=dt.date(2026, 10, 1), **kw)


def test_candidates_are_done_not_struck_off():
    items = [
        done("B"),
        done("A"),
        done("C", closed_date=dt.date(2026, 10, 5)),
        it(id="D", status=Status.IN_PROGRESS),
        done(None),
    ]
    assert [i.id for i in cn.spot_check_candidates(items)] == ["A", "B"]


def test_draw_is_reproducible_and_independent_of_row_order():
    pool = [done(f"2026-CW01-{k:02d}") for k in range(1, 31)]
    first = [i.id for i in cn.draw_sample(pool, 5, seed=7)]
    assert first == [i.id for i in cn.draw_sample(list(reversed(pool)), 5, seed=7)]
    assert first == sorted(first) and len(set(first)) == 5
    assert first != [i.id for i in cn.draw_sample(pool, 5, seed=8)]
    assert len(cn.draw_sample(pool, 99, seed=7)) == 30
