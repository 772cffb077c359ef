"""Units and leaders a decided item names: longest match, aliases, roles, titles."""

from __future__ import annotations

import pytest

from ledger_tools.core.minutes_roles import UnitIndex, cell_roles, find_leaders, roles_in
from ledger_tools.core.model import Unit

UNITS = [
    Unit("高新技术产业开发区管委会", ["高新区", "高新区管委会"], section="经济科"),
    Unit("市发展和改革委员会", ["市发改委"], section="经济科"),
    Unit("市财政局", [], section="经济科"),
    Unit("市自然资源和规划局", ["市自然资源局", "市自规局"], section="城建科"),
    Unit("市教育体育局（市体育局）", ["市教体局"], section="社会科"),
]


def test_units_longest_match_and_forgiving_brackets():
    index = UnitIndex(UNITS)
    assert index.lookup("市教育体育局(市体育局)") == "市教育体育局（市体育局）"
    assert index.lookup(" 市 自规局 ") == "市自然资源和规划局"
    text = "高新区管委会"
    assert index.match_at(text, 0) == (len(text), "高新技术产业开发区管委会")


def test_a_name_shared_by_two_units_routes_to_neither():
    index = UnitIndex([Unit("甲局", ["同名"]), Unit("乙局", ["同名"])])
    assert index.lookup("同名") is None


@pytest.mark.parametrize(
    ("text", "leaders"),
    [
        ("由张副市长牵头", ["张副市长"]),
        ("副市长张三负责", ["副市长张三"]),
        ("请李明副市长审定", ["李明副市长"]),
        ("由赵常务副市长负责", ["赵常务副市长"]),
        ("报市长审定", ["市长"]),
        ("刘秘书长督办", ["刘秘书长"]),
        ("由王副秘书长协调", ["王副秘书长"]),
        ("常务副市长负责", ["常务副市长"]),
        ("建立城市长效机制，全市长期坚持", []),
    ],
)
def test_leaders(text, leaders):
    assert [w for w, _ in find_leaders(text)] == leaders


def test_a_vice_mayor_without_name_is_not_guessed():
    assert find_leaders("由分管副市长牵头") == [(None, "副市长")]


def _names(mentions):
    return [(m.kind, m.name) for m in mentions]


def test_roles_from_the_phrases_offices_write():
    index = UnitIndex(UNITS)
    roles = roles_in("由市发改委牵头，会同市财政局、市自规局，一季度末前完成。", index)
    assert _names(roles.lead) == [("known", "市发展和改革委员会")]
    assert _names(roles.co) == [("known", "市财政局"), ("known", "市自然资源和规划局")]
    roles = roles_in("请高新区负责，市应急管理局配合。", index)
    assert _names(roles.lead) == [("known", "高新技术产业开发区管委会")]
    assert _names(roles.co) == [("unknown", "市应急管理局")]  # kept as written, to be listed


def test_roles_from_table_cells():
    roles = cell_roles("高新区", "市财政局、市林草局等单位", UnitIndex(UNITS))
    assert _names(roles.lead) == [("known", "高新技术产业开发区管委会")]
    assert _names(roles.co) == [("known", "市财政局"), ("unknown", "市林草局")]
    assert not cell_roles("各县(市、区)政府", "", UnitIndex(UNITS)).any  # names nobody
