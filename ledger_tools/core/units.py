"""Which registered unit a typed name means: the one place names and aliases are resolved.

A name or alias that the 单位 sheet gives to two units means neither (SPEC §5, L314): routing
by it would send one unit another's items, a confidential one included. Until staff fix the
sheet, an item typed with such a name goes to no unit — no form, notice or reminder through
it — and every command says so. A name the sheet does not know at all is kept as typed (L303
tells staff to register it); only an ambiguous one is withheld.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ledger_tools.core.model import Unit

__all__ = ["CLASH_MARK", "Clash", "UnitIndex", "find_clashes"]

# What a clashing name resolves to where a consumer needs text (a returned form's checks): it
# equals no unit's name, so nothing is routed by it, and it says why.
CLASH_MARK = "单位名称冲突，待改正"


@dataclass(frozen=True)
class Clash:
    """``name`` is given to each of ``units`` (registered names, in the sheet's order)."""

    name: str
    units: tuple[str, ...]

    @property
    def owners_text(self) -> str:
        return "、".join(f"「{u}」" for u in self.units)


def find_clashes(units: Iterable[Unit]) -> list[Clash]:
    """Every name or alias that belongs to more than one unit, in the order first seen.

    A unit listed twice under one 单位名称 is one unit, not a clash: its name routes to it either
    way (the repetition itself is for the unit list's own checks).
    """
    owners: dict[str, list[str]] = {}
    for u in units:
        for n in (u.name, *u.aliases):
            if n:
                mine = owners.setdefault(n, [])
                if u.name not in mine:
                    mine.append(u.name)
    return [Clash(n, tuple(us)) for n, us in owners.items() if len(us) > 1]


@dataclass
class UnitIndex:
    """Names and aliases → registered name, without the clashing ones (``clashes``)."""

    names: dict[str, str] = field(default_factory=dict)
    clashes: dict[str, Clash] = field(default_factory=dict)

    @classmethod
    def of(cls, units: Iterable[Unit]) -> UnitIndex:
        units = list(units)
        clashes = {c.name: c for c in find_clashes(units)}
        names: dict[str, str] = {}
        for u in units:
            for n in (u.name, *u.aliases):
                if n and n not in clashes:
                    names.setdefault(n, u.name)
        return cls(names, clashes)

    def resolve(self, name: str | None) -> str | None:
        """The registered unit ``name`` means; None for a clashing name (it means no unit);
        an unknown name as typed."""
        if not name:
            return name
        if name in self.clashes:
            return None
        return self.names.get(name, name)

    def routing(self) -> dict[str, str]:
        """``names`` with each clashing name mapped to ``CLASH_MARK``: for a consumer that looks
        names up in a mapping, so that a clashing name is known but matches no unit."""
        return {**self.names, **dict.fromkeys(self.clashes, CLASH_MARK)}
