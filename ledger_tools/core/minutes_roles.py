"""Who a decided item names: units in their roles (lead, co-units) and city leaders (SPEC §10).

Units are matched against 单位 names and aliases, longest first, with full-width brackets and
spaces forgiven; a name shaped like a unit (…局, …委员会, …政府) but not in 单位 is kept as written
so that it can be listed, never matched to a neighbour. Roles come from the phrases offices
write: 由 … 牵头/负责 and 牵头单位： name the lead; 配合/协助/参与, 会同 … and 配合单位： the co-units;
请/责成 … a unit asked to act. Leaders come by title (市长, 常务副市长, 副市长, 秘书长, 副秘书长),
with the name written before or after it; a 副市长 without a name is not a leader we can name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ledger_tools.core.dates import fold_text as normalize
from ledger_tools.core.model import Unit

__all__ = ["Mention", "Roles", "UnitIndex", "cell_roles", "find_leaders", "roles_in"]


class UnitIndex:
    """Units by every name and alias, normalised (brackets, widths and spaces forgiven).

    A name or alias given to two units belongs to neither (as validate's L314 says: routing by
    a clashing name would send one unit another's items).
    """

    def __init__(self, units: Iterable[Unit]):
        self.units = {u.name: u for u in units if u.name}
        owners: dict[str, set[str]] = {}
        for u in self.units.values():
            for name in (u.name, *u.aliases):
                key = normalize(name)
                if key:
                    owners.setdefault(key, set()).add(u.name)
        self.by_key = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}
        self.keys = sorted(self.by_key, key=len, reverse=True)  # longest match first

    def lookup(self, name: str) -> str | None:
        return self.by_key.get(normalize(name))

    def match_at(self, text: str, pos: int) -> tuple[int, str] | None:
        """The longest name or alias starting at ``pos`` of normalised ``text``: (end, unit)."""
        for key in self.keys:
            if text.startswith(key, pos):
                return pos + len(key), self.by_key[key]
        return None

    def section(self, name: str | None) -> str | None:
        unit = self.units.get(name or "")
        return unit.section if unit else None


_SUFFIX = (
    r"(?:委员会|办公室|人民政府|管委会|管理委员会|指挥部|领导小组|中心|公司|集团|银行|医院|大学|学校"
    r"|局|委|办|政府|院|厅|署|队|站|所|社|馆|会)"
)
_BOUNDARY = (
    r"(?=于|在|会同|牵头|负责|主责|配合|协助|参与|协办|按|根据|抓紧|加快|尽快|进一步|认真|切实|做好|"
    r"研究|制定|完成|组织|开展|落实|推进|对|将|就|要|统筹|结合|积极|全力|继续|立即|及时|等|和|及|与|"
    r"共同|分别|做|抓|、|,|。|;|:|\)|$)"
)
_UNKNOWN_UNIT = re.compile(
    r"(?!会同|配合|协助|参与|由|请|要求|责成|督促|会议)[\u4e00-\u9fff()]{1,24}?"
    + _SUFFIX
    + _BOUNDARY
)
_GROUP = re.compile(
    r"(?:市直)?(?:各有关|各相关|各|有关|相关|其他)[\u4e00-\u9fff()、]{0,20}?"
    r"(?:人民政府|政府|管委会|部门|单位|委办局|县\(市、区\)|县市区)(?:人民政府|政府|管委会)?"
)
_SAME_UNIT = ("政府", "人民政府", "管委会", "管理委员会")
_JOINERS = re.compile(r"和|以及|及|与|、")
_TAIL_WORDS = re.compile(r"等(?:单位|部门|有关单位|相关单位)?")


@dataclass
class Mention:
    kind: str  # known · unknown · group
    name: str  # the unit's registered name, or the text as written
    start: int


def _chain(t: str, pos: int, index: UnitIndex) -> tuple[list[Mention], int]:
    """Unit names one after the other from ``pos`` (joined by 、和及与): (mentions, end)."""
    found: list[Mention] = []
    while pos < len(t):
        if found:
            j = _JOINERS.match(t, pos)
            if not j:
                tail = _TAIL_WORDS.match(t, pos)
                if tail:
                    pos = tail.end()
                break
            pos = j.end()
        known = index.match_at(t, pos)
        group = _GROUP.match(t, pos)
        unknown = _UNKNOWN_UNIT.match(t, pos)
        if known and not (
            unknown
            and unknown.end() > known[0]
            and t[known[0] : unknown.end()] not in _SAME_UNIT  # 青河市 + 政府: the same unit
        ):  # else 西山县 + 教育局: a department of it, not in 单位
            found.append(Mention("known", known[1], pos))
            pos = known[0]
        elif group:
            found.append(Mention("group", group.group(0), pos))
            pos = group.end()
        elif unknown and not _LEADER.search(unknown.group(0)):
            found.append(Mention("unknown", unknown.group(0), pos))
            pos = unknown.end()
        else:
            break
    return found, pos


_LEAD_LABEL = re.compile(r"(?:牵头单位|主责单位|责任单位|主办单位|承办单位|牵头部门|责任部门):?")
_CO_LABEL = re.compile(r"(?:配合单位|协办单位|参与单位|协助单位|配合部门):?")
_BY = re.compile(r"由(?!于)")
_BY_END = re.compile(r"牵头负责|牵头|负责|主责|承办|主办|组织实施|组织")
_ASK = re.compile(r"请|责成|要求|督促|安排|委托")
_CO_VERB = re.compile(r"配合|协助|参与|协办")
_WITH = re.compile(r"会同")
_OPENERS = re.compile(
    r"^(?:会议(?:要求|明确|决定|议定|同意|原则同意|强调|指出|确定|提出)?|同时|另外|此外|并|其中|对此|为此)"
)


@dataclass
class Roles:
    lead: list[Mention] = field(default_factory=list)
    co: list[Mention] = field(default_factory=list)

    @property
    def any(self) -> bool:
        """Whether a particular unit is named: 各县（市、区）政府 alone names nobody to assign."""
        return any(m.kind != "group" for m in (*self.lead, *self.co))


def roles_in(text: str, index: UnitIndex) -> Roles:
    """Who leads and who helps, from the role phrases of one text."""
    t = normalize(text)
    roles = Roles()
    for clause in re.split(r"[,。;!?\n]", t):
        if not clause:
            continue
        _clause_roles(clause, index, roles)
    return roles


def cell_roles(lead: str, co: str, index: UnitIndex) -> Roles:
    """Who leads and who helps, from a table row's 牵头单位 and 配合单位 cells: every name in a
    cell (split at 、，；, 和, 及 outside brackets, so 各县（市、区）政府 stays whole; a trailing
    等单位 dropped) is that role, known in 单位 or not."""
    roles = Roles()
    for cell, target in ((lead, roles.lead), (co, roles.co)):
        for piece in re.split(r"[、,，;；\n](?![^(]*\))|和|及", normalize(cell)):
            if piece.endswith(("等", "等单位", "等部门")):
                piece = _TAIL_WORDS.sub("", piece)
            if piece:
                known = index.lookup(piece)
                kind = "known" if known else "group" if _GROUP.match(piece) else "unknown"
                target.append(Mention(kind, known or piece, 0))
    return roles


def _clause_roles(c: str, index: UnitIndex, roles: Roles) -> None:
    label = _LEAD_LABEL.search(c) or _CO_LABEL.search(c)
    if label:
        found, _ = _chain(c, label.end(), index)
        (roles.lead if _LEAD_LABEL.fullmatch(label.group(0)) else roles.co).extend(found)
        rest = c[: label.start()]
        if rest:
            _clause_roles(rest, index, roles)
        return
    for by in _BY.finditer(c):
        found, end = _chain(c, by.end(), index)
        if found and (_BY_END.match(c, end) or _WITH.match(c, end)):
            roles.lead.extend(found)
            if _WITH.match(c, end):
                co, _ = _chain(c, end + 2, index)
                roles.co.extend(co)
            return
    start = _OPENERS.match(c)
    pos = start.end() if start else 0
    if _WITH.match(c, pos):  # 「…牵头，会同市财政局、市自规局，…」
        roles.co.extend(_chain(c, pos + 2, index)[0])
        return
    ask = _ASK.match(c, pos)
    if ask:
        pos = ask.end()
    found, end = _chain(c, pos, index)
    if found and not c.startswith(("关于", "的"), end):
        (roles.co if _CO_VERB.match(c, end) else roles.lead).extend(found)
        if _WITH.match(c, end):
            co, _ = _chain(c, end + 2, index)
            roles.co.extend(co)
        return
    with_ = _WITH.search(c)
    if with_:
        roles.co.extend(_chain(c, with_.end(), index)[0])
    for ask in _ASK.finditer(c):
        found, _ = _chain(c, ask.end(), index)
        if found:
            roles.lead.extend(found)
            return


_LEADER = re.compile(
    r"常务副市长|副秘书长|副市长|秘书长|(?<![城全本该各我县州都省])市长(?![期效远久足江])"
)
_UNIQUE_TITLES = ("市长", "常务副市长", "秘书长")  # one holder each: the title names the leader
_BEFORE_NAME = set(
    "由请经报向和及与同的是为给在并对将把让等要求、,。;:()（）会议牵头负责主持分管联系定意示交送呈"
)
_AFTER_NAME = set("牵负分主同要在和及与对会督协指担为亲具抓统挂联等、,。;:()（）审阅批示")
_NOT_NAMES = ("分管", "联系", "对口", "常务", "有关", "相关", "各", "其他", "主持", "担任")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def find_leaders(text: str) -> list[tuple[str | None, str]]:
    """Every city leader named in ``text``: (责任领导 as written, or None when a 副市长/副秘书长
    is named without a name, the text found)."""
    t = normalize(text)
    out: list[tuple[str | None, str]] = []
    for m in _LEADER.finditer(t):
        title = m.group(0)
        pre = ""
        i = m.start()
        while i > 0 and len(pre) < 3 and _HAN.match(t[i - 1]) and t[i - 1] not in _BEFORE_NAME:
            pre = t[i - 1] + pre
            i -= 1
        if pre.endswith(_NOT_NAMES) or pre in _NOT_NAMES:
            pre = ""
        post = ""
        if not pre:
            j = m.end()
            while j < len(t) and len(post) < 3 and _HAN.match(t[j]) and t[j] not in _AFTER_NAME:
                post += t[j]
                j += 1
            if len(post) < 2:
                post = ""
        written = pre + title + post
        if pre or post or title in _UNIQUE_TITLES:
            out.append((written, written))
        else:
            out.append((None, written))
    return out
