"""Advisories reach the sink of the run that raised them, and nowhere without one."""

from __future__ import annotations

from ledger_tools.core.findings import make
from ledger_tools.sheets.ledger import advisories


def _finding(n: int):
    return make("L316", sheet="台账", cell=f"{n}:{n}", detail=f"第 {n} 行")


def test_the_innermost_sink_receives_and_the_outer_one_is_restored():
    outer: list = []
    inner: list = []
    with advisories.collecting(outer.append):
        advisories.advise([_finding(2)])
        with advisories.collecting(inner.append):
            advisories.advise([_finding(3), _finding(4)])
        advisories.advise([_finding(5)])
    assert [f.cell for f in outer] == ["2:2", "5:5"]
    assert [f.cell for f in inner] == ["3:3", "4:4"]


def test_without_a_sink_nothing_happens():
    advisories.advise([_finding(2)])  # a job called from code: dropped, no error
