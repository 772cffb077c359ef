"""Reading decided items out of the text of a 会议纪要 (SPEC §10, Art. 5).

Pure: the paragraphs come from ``sheets/minutes/reader.py`` (which knows .docx), the units from 单位;
the result is a list of proposed 台账 rows for staff to check, plus everything that could not
be matched, each with the sentence it came from. Nothing is guessed: a unit not in 单位, a
vice-mayor without a name, a deadline that names no day are left blank and listed.

The pieces: ``minutes_layout`` cuts the text into a tree of numbered items (title and date
found on the way), ``minutes_roles`` finds the units and leaders an item names, and
``core.dates.find_deadlines`` reads its deadline phrases; this module decides, item by item.

Inheritance
  An item lacking a unit, a leader or a deadline takes it from its own heading and parents
  (「（一）由市住建局牵头，做好以下工作：1. … 2. …」): that is how a reader takes it, not a guess.

Concrete requirement (Art. 5(2): 未明确提出具体办理要求的事项，原则上不列入交办范围)
  An item is proposed when it names who must act — a unit in a role (由…牵头/负责, 请…,
  责成…, …配合, 会同…, 牵头单位：…), known in 单位 or not — or when it sets a time (a deadline
  phrase, readable or not, or 长期/持续/常态化). Anything else — 会议听取了…汇报, 会议原则同意…,
  各级各部门要高度重视… — is listed as 未列入交办 with its text.

Deadlines (read by ``core.dates``, the one date parser)
  When an item names several deadlines (a milestone and the completion), the latest is its 完成时限 and the item says so.
  长期: the word 长期 always makes an item 长期; 持续/常态化 only when no deadline is readable
  (「持续推进，12月底前完成」 is a 一般 item due 12-31). An item with no readable deadline stays
  一般 with 完成时限 blank (it shows 时限不明 until staff fill it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.dates import Deadline, deadline_from_phrase, find_deadlines, spring_festival
from ledger_tools.core.dates import fold_text as normalize
from ledger_tools.core.minutes_layout import (
    Node,
    Paragraph,
    find_issue_date,
    find_source_name,
    item_tree,
    leaves,
)
from ledger_tools.core.minutes_roles import (
    Mention,
    UnitIndex,
    cell_roles,
    find_leaders,
    roles_in,
)
from ledger_tools.core.model import ItemKind, SourceType, Unit

__all__ = [
    "LONG_TERM_WORDS",
    "NOTE",
    "Deadline",
    "MinutesReading",
    "NotAssigned",
    "Paragraph",
    "Proposal",
    "Unmatched",
    "UnitIndex",
    "deadline_from_phrase",
    "find_deadlines",
    "find_issue_date",
    "find_leaders",
    "find_source_name",
    "normalize",
    "read_minutes",
    "spring_festival",
]

NOTE = "由纪要导入，待核对"  # 备注 of every row the import appends
LONG_TERM_WORDS = ("长期", "持续", "常态化")


def _sentence(text: str, needle: str) -> str:
    """The sentence of ``text`` holding ``needle`` (the whole text when it cannot be found)."""
    for s in re.split(r"(?<=[。；;！!？?])", text):
        if needle and needle in normalize(s):
            return s.strip()
    return text.strip()


@dataclass
class Proposal:
    """One proposed 台账 row, with the text it came from and what staff should check."""

    number: int
    source_type: SourceType
    source_name: str | None
    issued: dt.date | None
    matter: str
    requirement: str
    leader: str | None
    section: str | None
    lead_unit: str | None
    co_units: list[str]
    kind: ItemKind
    deadline: dt.date | None
    sentence: str
    notes: list[str] = field(default_factory=list)


@dataclass
class NotAssigned:
    """An item without a concrete requirement (Art. 5(2)): listed, not proposed."""

    matter: str
    sentence: str
    reason: str = "未明确责任单位和完成时限（《办法》第五条第二项，原则上不列入交办）"


@dataclass
class Unmatched:
    """Something read but not matched: left blank in the proposal, listed for staff."""

    item: int  # the proposal's number
    field: str  # 主责单位 · 协办单位 · 责任领导 · 完成时限
    value: str
    sentence: str
    reason: str


@dataclass
class MinutesReading:
    source_type: SourceType
    source_name: str | None
    issued: dt.date | None
    title: str | None
    proposals: list[Proposal] = field(default_factory=list)
    not_assigned: list[NotAssigned] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unconfirmed_years: set[int] = field(default_factory=set)


_ACTION = re.compile(
    r"完成|落实|推进|开展|制定|出台|印发|组织|实施|建立|健全|做好|抓好|办理|研究|提出|报送|上报|启动|建成|"
    r"整改|编制|修订|审定|拨付|保障|协调|解决|加快|确保|督促|牵头|负责|配合|报|抓|建|改|修|查|治|"
    r"招|引|筹|拟|起草|评估|验收|清理|排查|处置|移交|调度|对接|争取|申报|安排"
)


def _first_sentence(text: str, limit: int = 60) -> str:
    s = re.split(r"[。；;]", text.strip(), maxsplit=1)[0].strip().rstrip("：:") or text.strip()
    return s if len(s) <= limit else s[:limit] + "…"


def _source_type(given: SourceType | str | None, title: str | None) -> SourceType:
    if given:
        return SourceType(given) if not isinstance(given, SourceType) else given
    t = normalize(title or "")
    if "专题会议" in t:
        return SourceType.TOPICAL
    if "批示" in t:
        return SourceType.INSTRUCTION
    return SourceType.EXECUTIVE


def read_minutes(
    paragraphs: Sequence[Paragraph],
    units: Iterable[Unit],
    *,
    source_type: SourceType | str | None = None,
    calendar: WorkCalendar | None = None,
    issued: dt.date | None = None,
    source_name: str | None = None,
) -> MinutesReading:
    """Proposals, 未列入交办 and the unmatched list for the minutes given as ``paragraphs``.

    ``source_type`` None takes it from the title (专题会议, 批示), else 常务会议; ``issued`` and
    ``source_name`` override what the text says (None: read from it).
    """
    cal = calendar or WorkCalendar()
    index = UnitIndex(units)
    name, title = find_source_name(paragraphs)
    reading = MinutesReading(
        source_type=_source_type(source_type, title),
        source_name=source_name or name,
        issued=issued or find_issue_date(paragraphs),
        title=title,
    )
    if reading.source_name is None:
        reading.notes.append(
            "未能从纪要标题读出来源名称（如 市人民政府2026年第12次常务会议），请在台账中填写。"
        )
    if reading.issued is None:
        reading.notes.append(
            "未能读出纪要的印发日期（如 2026年11月18日），请在台账中填写；按天数计算的时限未推算。"
        )
    for leaf in leaves(item_tree(paragraphs)):
        _propose(leaf, reading, index, cal)
    reading.unconfirmed_years = cal.unconfirmed_years
    return reading


def _matter_of(leaf: Node) -> str:
    node = leaf
    while node.parent is not None:
        node = node.parent
    if node is leaf:
        return _first_sentence(leaf.text)
    return _first_sentence(node.text)


def _propose(leaf: Node, reading: MinutesReading, index: UnitIndex, cal: WorkCalendar) -> None:
    own = "\n".join([leaf.text, *leaf.more])
    source = "\n".join([leaf.source, *leaf.more])
    context = leaf.context()
    matter = _matter_of(leaf)
    number = len(reading.proposals) + 1
    unmatched: list[Unmatched] = []
    notes: list[str] = []

    if leaf.row is not None:
        own = leaf.row.get("matter", "") + (
            "\n" + leaf.row["requirement"] if leaf.row.get("requirement") else ""
        )
        roles = cell_roles(leaf.row.get("lead", ""), leaf.row.get("co", ""), index)
        deadline_text = leaf.row.get("deadline", "")
        deadlines = find_deadlines(deadline_text, reading.issued, cal) if deadline_text else []
        if deadline_text and not deadlines:
            deadlines = [Deadline(deadline_text, None, f"时限「{deadline_text}」无法识别")]
        leader_text = leaf.row.get("leader", "") or own
        leaders = find_leaders(leader_text)
        if leaf.row.get("leader") and not leaders:
            unmatched.append(
                Unmatched(number, "责任领导", leaf.row["leader"], source, "未识别出市领导职务")
            )
        long_words = [w for w in LONG_TERM_WORDS if w in normalize(own + deadline_text)]
    else:
        roles = roles_in(own, index)
        deadlines = find_deadlines(own, reading.issued, cal)
        leaders = find_leaders(own)
        long_words = [w for w in LONG_TERM_WORDS if w in normalize(own)]
    # what the item does not say itself, its heading and parents say for it
    for text in reversed(context):
        if not roles.lead and not roles.co:
            inherited = roles_in(text, index)
            if inherited.any:
                roles = inherited
        if not deadlines and not long_words:
            deadlines = find_deadlines(text, reading.issued, cal)
            long_words = [w for w in LONG_TERM_WORDS if w in normalize(text)]
        if not leaders:
            leaders = find_leaders(text)

    readable = [d for d in deadlines if d.date is not None]
    concrete = (roles.any or bool(deadlines) or bool(long_words)) and bool(
        _ACTION.search(normalize(own)) or roles.any or readable
    )
    if not concrete:
        reading.not_assigned.append(NotAssigned(matter, source))
        return

    # units
    lead: str | None = None
    leads = [x for x in roles.lead]
    co: list[str] = []
    if leads:
        first = leads[0]
        if first.kind == "known":
            lead = first.name
        else:
            unmatched.append(_unit_problem(number, "主责单位", first, source))
        for extra in leads[1:]:
            if extra.kind == "known" and extra.name != lead:
                co.append(extra.name)
                notes.append(
                    f"有多个牵头单位，以「{lead or first.name}」为主责单位、「{extra.name}」列为协办单位，请核对"
                )
            elif extra.kind != "known":
                unmatched.append(_unit_problem(number, "主责单位", extra, source))
    for x in roles.co:
        if x.kind == "known":
            if x.name != lead and x.name not in co:
                co.append(x.name)
        else:
            unmatched.append(_unit_problem(number, "协办单位", x, source))
    if not leads:
        unmatched.append(
            Unmatched(number, "主责单位", "", source, "纪要未写明牵头（主责）单位，请填写")
        )

    # leader
    leader = None
    for written, found in leaders:
        if written:
            leader = written
            break
        unmatched.append(
            Unmatched(
                number,
                "责任领导",
                found,
                _sentence(source, found),
                "只写了职务、未写姓名，无法确定是哪位领导",
            )
        )
    distinct = list(dict.fromkeys(w for w, _ in leaders if w))
    if len(distinct) > 1:
        notes.append(f"写到多位市领导（{'、'.join(distinct)}），以「{leader}」为责任领导，请核对")

    # deadline and kind
    deadline = max((d.date for d in readable if d.date is not None), default=None)
    for d in deadlines:
        if d.note:
            if d.date is None:
                unmatched.append(
                    Unmatched(number, "完成时限", d.phrase, _sentence(source, d.phrase), d.note)
                )
            else:
                notes.append(d.note)
    if len(readable) > 1:
        notes.append(
            f"写有多个时限（{'、'.join(d.phrase for d in readable)}），以最晚的 {deadline} 为完成时限，请核对"
        )
    if "长期" in long_words or (long_words and deadline is None):
        kind = ItemKind.LONG_TERM
    else:
        kind = ItemKind.REGULAR
        if long_words:
            notes.append(f"含「{'、'.join(long_words)}」，但写有完成时限，按一般事项")
        if deadline is None and not any(u.field == "完成时限" for u in unmatched):
            unmatched.append(
                Unmatched(
                    number,
                    "完成时限",
                    "",
                    source,
                    "纪要未写明完成时限，导入后显示「时限不明」，请填写",
                )
            )

    requirement = (
        own.strip() if leaf.row is not None else "\n".join([leaf.text, *leaf.more]).strip()
    )
    reading.proposals.append(
        Proposal(
            number=number,
            source_type=reading.source_type,
            source_name=reading.source_name,
            issued=reading.issued,
            matter=matter,
            requirement=requirement,
            leader=leader,
            section=index.section(lead),
            lead_unit=lead,
            co_units=co,
            kind=kind,
            deadline=deadline,
            sentence=source if leaf.row is None else leaf.source,
            notes=notes,
        )
    )
    reading.unmatched.extend(unmatched)


def _unit_problem(number: int, field_name: str, m: Mention, source: str) -> Unmatched:
    if m.kind == "group":
        reason = f"「{m.name}」不是「单位」表中的某一个单位，请拆分或指定{field_name}"
    else:
        reason = f"「{m.name}」未在「单位」表登记（也不是已登记的别名），请登记后填写"
    return Unmatched(number, field_name, m.name, _sentence(source, m.name), reason)
