"""Assignment notices (交办, Art. 5, SPEC §6) as pure decisions.

Which items go on whose notice, which 文号 each notice gets, and whether an assignment came
later than the 3-working-day rule: all decided here from model objects and plain dates, so the
rules are tested without a file. The words are the office's own (the regulation's phrasing),
built here so that the documents and the terminal agree. The 公文 numbering (一、（一）) and
the order of units are shared with the reminders (``core/reminders.py``).
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ledger_tools.core import rules
from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.dates import cn_date
from ledger_tools.core.model import FINAL_STATUSES, Item, Settings, SourceType

__all__ = [
    "UNNUMBERED",
    "LateAssignment",
    "Notice",
    "NoticeFormatError",
    "NoticePlan",
    "UnitOf",
    "cn_number",
    "deadline_text",
    "late_assignments",
    "match_source",
    "next_sequence",
    "notice_context",
    "notice_number",
    "numbered",
    "plan_notices",
    "unit_order_key",
]

UNNUMBERED = "（未编号）"

UnitOf = Callable[[str | None], str | None]


# -- words ------------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 105 → 一百零五: the numbering of 公文 headings."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    head = cn_number(hundreds) + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + _DIGITS[rest]
    tens, ones = divmod(rest, 10)
    return head + _DIGITS[tens] + "十" + (_DIGITS[ones] if ones else "")


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def numbered(texts: Iterable[str]) -> list[str]:
    """（一）…（二）…: the numbered paragraphs of a 公文, for notices and reminders alike."""
    return [f"（{cn_number(k)}）{t}" for k, t in enumerate(texts, start=1)]


# -- choosing the source ----------------------------------------------------------------

_BRACKETS = str.maketrans(
    {
        "[": "〔",
        "［": "〔",
        "【": "〔",
        "(": "〔",
        "（": "〔",
        "]": "〕",
        "］": "〕",
        "】": "〕",
        ")": "〕",
        "）": "〕",
    }
)


def _norm(text: str) -> str:
    """Full-width digits, stray spaces and bracket variants do not make a different name."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text)


def match_source(names: Iterable[str | None], query: str) -> tuple[str | None, list[str]]:
    """(the 来源名称 meant, []) or (None, the candidates): exact first, then a unique substring.

    Names are compared after NFKC, so 第１２次 typed with full-width digits still matches.
    """
    distinct = list(dict.fromkeys(n for n in names if n and n.strip()))
    q = _norm(query)
    if not q:
        return None, distinct
    exact = [n for n in distinct if _norm(n) == q]
    if exact:
        return exact[0], []
    hits = [n for n in distinct if q in _norm(n)]
    if len(hits) == 1:
        return hits[0], []
    return None, hits


# -- 文号 --------------------------------------------------------------------------------


class NoticeFormatError(ValueError):
    """The 交办文号格式 setting cannot number notices; the message is for staff."""


_FIELDS = ("年", "序号")


def _parts(fmt: str) -> list[tuple[str, str | None, str]]:
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        raise NoticeFormatError("花括号不成对：每个「{」都要有对应的「}」") from None
    out: list[tuple[str, str | None, str]] = []
    seen: set[str] = set()
    for literal, name, spec, conversion in parsed:
        if name is not None:
            if name not in _FIELDS or conversion:
                raise NoticeFormatError(f"只能使用 {{年}} 和 {{序号}}，不能使用「{{{name}}}」")
            seen.add(name)
        out.append((literal, name, spec or ""))
    if "序号" not in seen:
        raise NoticeFormatError("缺少 {序号}，每份通知的文号会相同")
    return out


def notice_number(fmt: str, year: int, seq: int) -> str:
    """督查通〔2026〕13号 from 督查通〔{年}〕{序号}号; a spec such as {序号:03d} is honoured."""
    out = []
    for literal, name, spec in _parts(fmt):
        out.append(literal)
        if name is not None:
            try:
                out.append(format(year if name == "年" else seq, spec))
            except ValueError:
                raise NoticeFormatError(
                    f"「{{{name}:{spec}}}」格式有误：冒号后只能写位数，如 {{{name}:03d}}（不足三位补零）"
                ) from None
    return "".join(out)


def _number_pattern(fmt: str, year: int) -> re.Pattern[str]:
    pieces = []
    for literal, name, spec in _parts(fmt):
        pieces.append(re.escape(_norm(literal).translate(_BRACKETS)))
        if name == "年":
            pieces.append(re.escape(format(year, spec)))
        elif name == "序号":
            pieces.append(r"(\d+)")
    return re.compile("".join(pieces))


def next_sequence(fmt: str, year: int, used: Iterable[str | None]) -> int:
    """The next 序号 of ``year``: one after the highest already in the 交办文号 column.

    Numbers typed by hand with full-width digits, spaces or other brackets ([2026], （2026）)
    still count, so a hand-made notice is never numbered twice; gaps are not refilled.
    """
    pattern = _number_pattern(fmt, year)
    highest = 0
    for number in used:
        if not number:
            continue
        match = pattern.fullmatch(_norm(str(number)).translate(_BRACKETS))
        if match:
            highest = max(highest, int(match.group(1)))
    return highest + 1


# -- the 3-working-day rule (Art. 5) ----------------------------------------------------


@dataclass(frozen=True)
class LateAssignment:
    item: Item
    due: dt.date


def late_assignments(
    items: Iterable[Item], date: dt.date, cal: WorkCalendar, settings: Settings
) -> list[LateAssignment]:
    """Items whose notice dated ``date`` comes after add_workdays(印发日期, 交办时限工作日)."""
    out = []
    for item in items:
        due = rules.assignment_due(item, cal, settings)
        if due is not None and date > due:
            out.append(LateAssignment(item, due))
    return out


# -- planning assignment notices ----------------------------------------------------------


@dataclass
class Notice:
    """One 督查检查办理事项通知: one lead unit, its items of one source, one 文号."""

    unit: str
    number: str
    date: dt.date
    items: list[Item]
    reissue: bool = False


@dataclass
class NoticePlan:
    notices: list[Notice] = field(default_factory=list)
    reissue: bool = False  # every item was assigned already: the notices are reprinted
    no_unit: list[Item] = field(default_factory=list)  # cannot be sent: 主责单位 blank
    ended: list[Item] = field(default_factory=list)  # 已销号/已终止 before assignment: skipped


def unit_order_key(order: Sequence[str]) -> Callable[[str], tuple[int, str]]:
    """Units in the order of the 单位 sheet (how the office lists them), unknown ones last."""
    index = {u: n for n, u in enumerate(order)}
    return lambda name: (index.get(name, len(index)), name)


def plan_notices(
    items: Sequence[Item],
    date: dt.date,
    settings: Settings,
    used_numbers: Iterable[str | None],
    *,
    unit_of: UnitOf = lambda n: n,
    unit_order: Sequence[str] = (),
) -> NoticePlan:
    """The notices for the items of one source.

    Items without 交办日期 are assigned now: one notice per lead unit, numbered on from the
    highest 文号 of the notice date's year. When every item was assigned before, the notices
    are reprinted as they were (their 交办文号 and 交办日期 kept) and nothing is to be written.
    """
    plan = NoticePlan()
    fresh: list[Item] = []
    for item in items:
        if item.assigned is not None:
            continue
        if item.status in FINAL_STATUSES or item.closed_date is not None:
            plan.ended.append(item)
        elif not (item.lead_unit and item.lead_unit.strip()):
            plan.no_unit.append(item)
        else:
            fresh.append(item)
    key = unit_order_key(unit_order)
    if fresh or plan.no_unit:
        groups: dict[str, list[Item]] = defaultdict(list)
        for item in fresh:  # each has a 主责单位 (checked above)
            groups[unit_of(item.lead_unit) or item.lead_unit or ""].append(item)
        seq = next_sequence(settings.notice_number_format, date.year, used_numbers)
        for unit in sorted(groups, key=key):
            number = notice_number(settings.notice_number_format, date.year, seq)
            plan.notices.append(Notice(unit, number, date, groups[unit]))
            seq += 1
        return plan

    plan.reissue = True
    reprint: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        if item.lead_unit and item.assigned is not None:
            unit = unit_of(item.lead_unit) or item.lead_unit
            reprint[(unit, (item.notice_no or "").strip())].append(item)
    for unit, number in sorted(reprint, key=lambda k: (key(k[0]), k[1])):
        group = reprint[(unit, number)]
        date_of = max(_day(i.assigned) for i in group if i.assigned is not None)
        plan.notices.append(Notice(unit, number, date_of, group, reissue=True))
    return plan


# -- the notice's words -----------------------------------------------------------------


def _co_units(item: Item, unit: str, unit_of: UnitOf) -> str:
    names = [unit_of(u) or u for u in item.co_units if u and u.strip()]
    names = [u for u in dict.fromkeys(names) if u != unit]
    return "、".join(names) or "无"


def deadline_text(item: Item, settings: Settings) -> str:
    if item.is_long_term:
        return f"长期：每月{settings.report_day}日前报送工作进展情况，直至办结"
    # The deadline the meeting set: a reprinted notice must not show a later extension.
    return cn_date(item.deadline or item.current_deadline)


def _basis(item: Item) -> tuple[str, str]:
    """(what the items were decided in, what they are called) for the opening sentence."""
    name = (item.source_name or "").strip() or "会议"
    issued = f"（{cn_date(item.issued)}印发）" if item.issued else ""
    if item.source_type is SourceType.INSTRUCTION:
        return f"{name}{issued}", "批示事项"
    minutes = name if name.endswith("纪要") else f"{name}纪要"
    return f"《{minutes}》{issued}", "会议议定事项"


def notice_context(notice: Notice, settings: Settings, *, unit_of: UnitOf = lambda n: n) -> dict:
    """Everything the 督查检查办理事项通知 template shows; see scripts/make_notice_templates.py."""
    items = notice.items
    basis, called = _basis(items[0])
    office, org = settings.office_name, settings.org_name
    intro = (
        f"根据{basis}，经{org}秘书长审签同意，现将需由你单位牵头办理的{len(items)}项{called}"
        "交办如下，请认真抓好落实。"
    )
    lines = [
        {
            "heading": f"（{cn_number(k)}）{(i.matter or '（议定事项未填写）').strip()}",
            "id": i.id or UNNUMBERED,
            "requirement": (i.requirement or "按会议要求办理").strip(),
            "leader": (i.leader or "—").strip(),
            "co_units": _co_units(i, notice.unit, unit_of),
            "deadline": deadline_text(i, settings),
            "confidential": i.confidential,
            "long_term": i.is_long_term,
        }
        for k, i in enumerate(items, start=1)
    ]
    asks = [
        f"请你单位按照办理要求，明确责任人和时间节点，认真抓好落实，并于完成时限前将办理情况书面报送{office}。"
    ]
    if any(i.is_long_term for i in items):
        asks.append(
            f"长期事项请于首次报送办理情况时明确阶段性目标任务（周期原则上不超过{settings.max_cycle_months}个月），"
            f"并于每月{settings.report_day}日前向{office}报送1次工作进展情况，直至办结。"
        )
    if any(line["co_units"] != "无" for line in lines):
        asks.append(
            "有协办单位的事项由你单位牵头办理，请加强沟通协调，按本通知明确的完成时限汇总上报办理情况；"
            "协办单位须在办理时限内提前将办理情况或意见书面函告你单位。"
        )
    asks.append(
        f"因客观原因难以按时限办结的，请在办结时限内作出情况说明，以书面形式报{office}；"
        f"需重新明确办理时限的，须报经{org}分管领导审批同意。"
    )
    if any(i.confidential for i in items):
        asks.append("涉密事项按照有关保密规定办理并接受督查。")
    asks.append(
        f"办理落实情况纳入市级综合考评。对落实不力、未按时报送或报送不实的，{office}将予以通报，并提出扣分意见。"
    )
    return {
        "notice_no": notice.number,
        "unit": notice.unit,
        "intro": intro,
        "items": lines,
        "rules": numbered(asks),
        "office_name": office,
        "org_name": org,
        "date_text": cn_date(notice.date),
        "date": notice.date.isoformat(),
    }
