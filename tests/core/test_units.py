"""Resolving typed unit names: a name two units share resolves to no unit (L314)."""

from ledger_tools.core.model import Unit
from ledger_tools.core.units import CLASH_MARK, Clash, UnitIndex, find_clashes

UNITS = [
    Unit("东城区人民政府", ["东城区", "城区"]),
    Unit("西山县人民政府", ["西山县", "城区"]),  # 城区: two units' alias
    Unit("市财政局", ["西山县人民政府"]),  # another unit's registered name as an alias
    Unit("东城区人民政府", ["东城区政府"]),  # the same unit listed twice: no clash
]


def test_every_shared_name_or_alias_is_found_with_its_owners():
    assert find_clashes(UNITS) == [
        Clash("城区", ("东城区人民政府", "西山县人民政府")),
        Clash("西山县人民政府", ("西山县人民政府", "市财政局")),
    ]
    assert Clash("城区", ("甲", "乙")).owners_text == "「甲」、「乙」"


def test_a_shared_name_resolves_to_no_unit_and_others_as_before():
    index = UnitIndex.of(UNITS)
    assert index.resolve("城区") is None and index.resolve("西山县人民政府") is None
    assert index.resolve("东城区") == "东城区人民政府" == index.resolve("东城区政府")
    assert index.resolve("西山县") == "西山县人民政府"  # its unambiguous alias still routes
    assert index.resolve("不认识的局") == "不认识的局" and index.resolve(None) is None
    routing = index.routing()
    assert routing["城区"] == CLASH_MARK and CLASH_MARK not in {u.name for u in UNITS}
    assert routing["东城区"] == "东城区人民政府"


def test_no_clash_without_a_shared_name():
    assert find_clashes([Unit("甲局", ["甲"]), Unit("乙局", ["乙"])]) == []
