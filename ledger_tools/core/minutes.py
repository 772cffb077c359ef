"""Reading decided items out of the text of a 会议纪要 (SPEC §10, Art. 5).

Pure: the paragraphs come from ``sheets/minutes.py`` (which knows .docx), the units from 单位;
the result is a list of proposed 台账 rows for staff to check, plus everything that could not
be matched, each with the sentence it came from. Nothing is guessed: a unit not in 单位, a
vice-mayor without a name, a deadline that names no day are left blank and listed.

How the text is cut into items
  The numbering labels (一、 · （一） · 1. · （1） · ①, as the reader sees them, Word's automatic
  numbering already rendered) give a tree. The top rank present is the heading (a meeting
  topic); its descendants without children are the candidate items; an unnumbered paragraph
  continues the item before it (or, under a heading without numbered children, is an item of
  its own; before the first child it introduces them). Paragraphs before the first heading
  (title, date, "…主持召开…") and from the first tail line (出席/列席/抄送/…印发) on are not
  items. A table whose header row names the columns (事项/任务, 牵头单位, 配合单位, 完成时限 …)
  gives one item per row; any other table row is read as an unnumbered paragraph.

  An item lacking a unit, a leader or a deadline takes it from its own heading and parents
  (「（一）由市住建局牵头，做好以下工作：1. … 2. …」): that is how a reader takes it, not a guess.

Concrete requirement (Art. 5(2): 未明确提出具体办理要求的事项，原则上不列入交办范围)
  An item is proposed when it names who must act — a unit in a role (由…牵头/负责, 请…,
  责成…, …配合, 会同…, 牵头单位：…), known in 单位 or not — or when it sets a time (a deadline
  phrase, readable or not, or 长期/持续/常态化). Anything else — 会议听取了…汇报, 会议原则同意…,
  各级各部门要高度重视… — is listed as 未列入交办 with its text.

Deadlines: ``deadline_from_phrase`` (to be folded into core/dates.py, the one date parser).
  A year left out is the year of 印发日期; if that day is then already before 印发日期 (minutes
  issued in November asking for 「3月底前」) the following year is meant, and the item says so.
  Relative periods (一个月内, 10个工作日内) count from 印发日期. When an item names several
  deadlines (a milestone and the completion), the latest is its 完成时限 and the item says so.
  长期: the word 长期 always makes an item 长期; 持续/常态化 only when no deadline is readable
  (「持续推进，12月底前完成」 is a 一般 item due 12-31). An item with no readable deadline stays
  一般 with 完成时限 blank (it shows 时限不明 until staff fill it).
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ledger_tools.core.calendar import WorkCalendar
from ledger_tools.core.model import ItemKind, SourceType, Unit

__all__ = [
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


# --- text ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as the reader sees it (numbering label included), in reading order.

    ``where`` is body, table or textbox; a table cell carries its table/row/column numbers
    (0-based) and all its paragraphs joined by new lines.
    """

    text: str
    where: str = "body"
    table: int | None = None
    row: int | None = None
    col: int | None = None


_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGITS.update({"七": 7, "八": 8, "九": 9})
_CN_NUMBER = re.compile(
    r"[〇零一二两三四五六七八九十百]+(?=年|月|日|号|天|个|周|星期|季度|工作日|次|期)"
)


def _cn_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十五 → 25, 二〇二七 → 2027 (digit by digit when there is no 十/百)."""
    if not text:
        return None
    if "十" not in text and "百" not in text:
        if text in ("两",):
            return 2
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, current = 0, 0
    for c in text:
        if c == "百":
            total += (current or 1) * 100
            current = 0
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[c]
    return total + current


def normalize(text: str) -> str:
    """Full-width forms folded (NFKC: （）１２ → ()12), spaces dropped, Chinese numerals before a
    time word turned into digits (十二月 → 12月, 两个月 → 2个月): what every matcher reads."""
    t = _SPACES.sub("", unicodedata.normalize("NFKC", text or ""))
    return _CN_NUMBER.sub(lambda m: str(_cn_to_int(m.group(0))), t)


def _sentence(text: str, needle: str) -> str:
    """The sentence of ``text`` holding ``needle`` (the whole text when it cannot be found)."""
    for s in re.split(r"(?<=[。；;！!？?])", text):
        if needle and needle in normalize(s):
            return s.strip()
    return text.strip()


# --- deadlines (to be folded into core/dates.py) ---------------------------------------------

_YEAR = r"(?:(?P<y>\d{4})年|(?P<rel>今|明|本|当|次)年)?"
_BEFORE = r"(?:前|之前|以前|止|为止)"
_DEADLINE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("date", _YEAR + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号](?:" + _BEFORE + r"|内)"),
    ("date", r"(?:于|在|截至|截止到?|到)" + _YEAR + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]"),
    ("month_end", _YEAR + r"(?P<m>\d{1,2})月(?:份)?(?:底|末)" + _BEFORE + "?"),
    ("xun", _YEAR + r"(?P<m>\d{1,2})月(?P<x>上|中|下)旬(?:" + _BEFORE + r"|末|内)?"),
    (
        "year_end",
        r"(?:(?P<y>\d{4})|(?P<rel>今|明|本|当|次))?年(?:年|度)?(?:底|末|内)" + _BEFORE + "?",
    ),
    ("quarter", _YEAR + r"第?(?P<q>[1-4])季度(?:末|底|内|结束前)"),
    ("half", _YEAR + r"(?P<h>上|下)半年(?:末|底|内|前)?"),
    ("spring", _YEAR + r"春节" + _BEFORE),
    ("new_year", r"元旦" + _BEFORE),
    ("within", r"(?P<n>\d{1,3}|半)个?(?P<u>个工作日|工作日|月|年|周|星期|天|日)(?:内|之内|以内)"),
)
_DEADLINES = tuple((kind, re.compile(p)) for kind, p in _DEADLINE_PATTERNS)

# a time named without a day (「12月前」, 「3月份完成」): listed as unreadable, never guessed
_VAGUE = re.compile(r"(?<![\d年])(?:\d{1,2})月(?:份)?(?:前|之前|以前|内|完成)")
LONG_TERM_WORDS = ("长期", "持续", "常态化")


@dataclass(frozen=True)
class Deadline:
    """A deadline phrase found in a text: the date it means (None if it cannot be had) and a
    note for staff when the reading took a decision (a year rolled over, no 印发日期)."""

    phrase: str
    date: dt.date | None
    note: str | None = None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _cal.monthrange(year, month)[1])


def _add_months(d: dt.date, n: int) -> dt.date:
    month = d.month - 1 + n
    year, month = d.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(d.day, _cal.monthrange(year, month)[1]))


@lru_cache(maxsize=64)
def spring_festival(year: int) -> dt.date | None:
    """The first day of the Spring Festival (正月初一) in ``year``, from the holidays data."""
    try:
        import holidays

        table = holidays.China(years=year, language="en_US")
    except Exception:  # a year the package cannot give: no date rather than a guess
        return None
    days = sorted(
        d
        for d, name in table.items()
        if "Spring Festival" in str(name) and "Eve" not in str(name) and d.year == year
    )
    return days[0] if days else None


def _before_spring_festival(year: int, calendar: WorkCalendar) -> dt.date | None:
    """The last working day before the Spring Festival holiday of ``year`` begins."""
    day = spring_festival(year)
    if day is None:
        return None
    day -= dt.timedelta(days=1)
    while not calendar.is_workday(day):  # back over the days off (除夕, the weekend before)
        day -= dt.timedelta(days=1)
    return day


def _read_match(
    kind: str, m: re.Match, issued: dt.date | None, calendar: WorkCalendar
) -> tuple[dt.date | None, str | None]:
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    phrase = m.group(0)
    if kind == "within":
        if issued is None:
            return None, f"纪要未写印发日期，无法推算「{phrase}」"
        n = 0.5 if g["n"] == "半" else int(g["n"])
        unit = g["u"]
        if unit in ("个工作日", "工作日"):
            if n != int(n):
                return None, None
            return calendar.add_workdays(issued, int(n)), None
        if unit == "月":
            return (
                issued + dt.timedelta(days=15) if n == 0.5 else _add_months(issued, int(n))
            ), None
        if unit == "年":
            return _add_months(issued, int(n * 12)), None
        if unit in ("周", "星期"):
            return issued + dt.timedelta(days=int(n * 7)), None
        return (issued + dt.timedelta(days=int(n)) if n == int(n) else None), None
    # absolute: the year as written, or relative to 印发日期
    explicit = "y" in g
    if explicit:
        year = int(g["y"])
    elif issued is None:
        if kind == "new_year":
            return None, f"纪要未写印发日期，无法确定「{phrase}」的年份"
        return None, f"纪要未写印发日期，无法确定「{phrase}」的年份"
    else:
        year = issued.year + (1 if g.get("rel") in ("明", "次") else 0)
        explicit = "rel" in g
    try:
        if kind == "date":
            date = dt.date(year, int(g["m"]), int(g["d"]))
        elif kind == "month_end":
            date = _month_end(year, int(g["m"]))
        elif kind == "xun":
            month = int(g["m"])
            date = (
                _month_end(year, month)
                if g["x"] == "下"
                else dt.date(year, month, 10 if g["x"] == "上" else 20)
            )
        elif kind == "year_end" or kind == "new_year":
            date = dt.date(year, 12, 31)
        elif kind == "quarter":
            date = _month_end(year, int(g["q"]) * 3)
        elif kind == "half":
            date = dt.date(year, 6, 30) if g["h"] == "上" else dt.date(year, 12, 31)
        else:  # spring
            if not explicit and issued is not None:
                festival = spring_festival(year)
                if festival is not None and festival <= issued:
                    year += 1
                explicit = True  # the next Spring Festival after 印发日期 is meant
            before = _before_spring_festival(year, calendar)
            if before is None:
                return None, f"节假日数据中没有 {year} 年春节的日期，无法推算「{phrase}」"
            date = before
    except ValueError:  # 2月30日, 13月底
        return None, f"「{phrase}」不是有效日期"
    if not explicit and issued is not None and date < issued:
        return _next_year(kind, m, date, calendar), (
            f"「{phrase}」未写年份，且当年该日期早于印发日期 {issued}，按次年 {date.year + 1} 年理解"
        )
    return date, None


def _next_year(kind: str, m: re.Match, date: dt.date, calendar: WorkCalendar) -> dt.date:
    if date.month == 2 and date.day == 29:
        return dt.date(date.year + 1, 2, 28)
    if kind in ("month_end", "quarter") or (kind == "xun" and m.group(0).find("下旬") >= 0):
        return _month_end(date.year + 1, date.month)
    return date.replace(year=date.year + 1)


def find_deadlines(
    text: str, issued: dt.date | None, calendar: WorkCalendar | None = None
) -> list[Deadline]:
    """Every deadline phrase in ``text`` (readable or not), in order."""
    cal = calendar or WorkCalendar()
    t = normalize(text)
    found = [(m.start(), i, m) for i, (_, rx) in enumerate(_DEADLINES) for m in rx.finditer(t)]
    out: list[Deadline] = []
    taken: list[tuple[int, int]] = []
    for start, i, m in sorted(found, key=lambda x: (x[0], x[1], -len(x[2].group(0)))):
        if any(a < m.end() and start < b for a, b in taken):
            continue  # a shorter reading inside a phrase already read (年内 in 上半年内)
        date, note = _read_match(_DEADLINES[i][0], m, issued, cal)
        out.append(Deadline(m.group(0), date, note))
        taken.append(m.span())
    for m in _VAGUE.finditer(t):
        if not any(a <= m.start() < b for a, b in taken):
            out.append(Deadline(m.group(0), None, f"时限「{m.group(0)}」没有写明具体日期"))
    return out


def deadline_from_phrase(
    phrase: str, issued: dt.date | None, calendar: WorkCalendar | None = None
) -> Deadline | None:
    """The date a deadline phrase means (12月底前, 年底前, 12月15日前, 2027年3月底前, 一季度末,
    上半年, 一个月内, 10个工作日内, 春节前 …) for minutes issued on ``issued``; None when the
    text holds no deadline phrase. To be folded into core/dates.py, the one date parser."""
    found = [d for d in find_deadlines(phrase, issued, calendar) if d.date or d.note]
    return found[0] if found else None


# --- units ----------------------------------------------------------------------------------


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
class _Mention:
    kind: str  # known · unknown · group
    name: str  # the unit's registered name, or the text as written
    start: int


def _chain(t: str, pos: int, index: UnitIndex) -> tuple[list[_Mention], int]:
    """Unit names one after the other from ``pos`` (joined by 、和及与): (mentions, end)."""
    found: list[_Mention] = []
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
            found.append(_Mention("known", known[1], pos))
            pos = known[0]
        elif group:
            found.append(_Mention("group", group.group(0), pos))
            pos = group.end()
        elif unknown and not _LEADER.search(unknown.group(0)):
            found.append(_Mention("unknown", unknown.group(0), pos))
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
class _Roles:
    lead: list[_Mention] = field(default_factory=list)
    co: list[_Mention] = field(default_factory=list)

    @property
    def any(self) -> bool:
        """Whether a particular unit is named: 各县（市、区）政府 alone names nobody to assign."""
        return any(m.kind != "group" for m in (*self.lead, *self.co))


def _roles(text: str, index: UnitIndex) -> _Roles:
    """Who leads and who helps, from the role phrases of one text."""
    t = normalize(text)
    roles = _Roles()
    for clause in re.split(r"[,。;!?\n]", t):
        if not clause:
            continue
        _clause_roles(clause, index, roles)
    return roles


def _clause_roles(c: str, index: UnitIndex, roles: _Roles) -> None:
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


# --- leaders --------------------------------------------------------------------------------

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


# --- title and date -------------------------------------------------------------------------

_TITLE = re.compile(r"^(?P<name>.{2,60}?(?:会议|批示|会))(?:会议)?纪要$")
_FULL_NAME = re.compile(
    r"[\u4e00-\u9fff()]{0,20}?\d{4}年第\d{1,3}次[\u4e00-\u9fff]{0,10}?(?:常务会议|专题会议|会议)"
)
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_DATE_LINE = re.compile(
    r"^(?:[\u4e00-\u9fff()]{0,30}?)?(?:印发日期:?|日期:?)?\(?(\d{4})年(\d{1,2})月(\d{1,2})日(?:印发|印)?\)?$"
)


def find_source_name(paragraphs: Sequence[Paragraph]) -> tuple[str | None, str | None]:
    """(来源名称, the title as written) from the first paragraphs.

    The title 「市人民政府2026年第12次常务会议纪要」 gives its name without 纪要; a title without
    the meeting's number (a red-header 「市人民政府常务会议纪要」) takes the full name as the
    opening paragraph writes it (「…主持召开市人民政府2026年第12次常务会议」), else the title.
    """
    head = [p for p in paragraphs[:15] if p.text.strip()]
    title = None
    for p in head:
        line = normalize(p.text).replace("\n", "")
        m = _TITLE.match(line)
        if m:
            title = p.text.strip()
            name = m.group("name")
            if re.search(r"第\d+次", name):
                return name, title
            for q in head:
                full = _FULL_NAME.search(normalize(q.text))
                if full and q is not p:
                    return _strip_intro(full.group(0)), title
            return name, title
    for q in head:
        full = _FULL_NAME.search(normalize(q.text))
        if full:
            return _strip_intro(full.group(0)), title
    return None, title


def _strip_intro(name: str) -> str:
    return re.sub(r"^.*?(?:主持召开了?|召开了?|主持)", "", name)


def find_issue_date(paragraphs: Sequence[Paragraph]) -> dt.date | None:
    """印发日期: a line that is a date (2026年11月18日, or …办公室 2026年11月18日印发) near the
    top or the bottom; the 版记's 「…印发」 line wins over a date line at the top."""
    lines = [p for p in paragraphs if p.text.strip()]
    near = lines[:12] + lines[-12:]
    found: list[tuple[int, dt.date]] = []
    for p in near:
        t = normalize(p.text).replace("\n", "")
        m = _DATE_LINE.match(t)
        if not m:
            continue
        try:
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        found.append((0 if "印发" in t else 1, d))
    if not found:
        return None
    return min(found, key=lambda x: x[0])[1]


# --- the item tree --------------------------------------------------------------------------

_LABELS: tuple[re.Pattern, ...] = (
    re.compile(r"^[一二三四五六七八九十百〇零]+[、.．]"),
    re.compile(r"^[（(][一二三四五六七八九十百〇零]+[）)]"),
    re.compile(r"^[0-9０-９]{1,3}(?:[.．、](?![0-9０-９])|\s)"),
    re.compile(r"^[（(][0-9０-９]{1,3}[）)]"),
    re.compile(r"^[①-⑳⑴-⒇]"),
)
_TAIL = re.compile(
    r"^(?:出席|列席|请假|缺席|记录|抄送|主送|分送|发送|送:|印发|\(此件|\(此页|附件:?$)|.{0,30}\d{4}年\d{1,2}月\d{1,2}日印发$"
)
_INTRO = re.compile(r"主持召开|纪要如下|议定如下|议定事项如下|会议议定|现纪要如下")


def _label(text: str) -> tuple[int | None, str, str]:
    """(rank of the numbering label or None, label, text after it)."""
    s = text.strip()
    for rank, pattern in enumerate(_LABELS):
        m = pattern.match(s)
        if m:
            return rank, m.group(0).strip(), s[m.end() :].strip()
    return None, "", s


@dataclass
class _Node:
    text: str  # without the label
    source: str  # as the reader sees it
    rank: int | None
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)  # unnumbered lines before the first child
    more: list[str] = field(default_factory=list)  # unnumbered lines continuing this node
    row: dict[str, str] | None = None  # a table row with named columns

    def context(self) -> list[str]:
        out: list[str] = []
        node = self.parent
        while node is not None:
            out[:0] = [node.text, *node.intro]
            node = node.parent
        return out


_COLUMN_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("lead", ("牵头单位", "主责单位", "责任单位", "牵头部门", "主办单位", "承办单位")),
    ("co", ("配合单位", "协办单位", "参与单位", "协助单位", "配合部门")),
    ("deadline", ("完成时限", "时间节点", "完成时间", "办结时限", "时限")),
    ("leader", ("责任领导", "分管领导", "牵头领导", "责任市领导")),
    ("requirement", ("办理要求", "工作要求", "具体要求", "工作措施", "目标要求")),
    (
        "matter",
        (
            "议定事项",
            "工作任务",
            "任务内容",
            "工作内容",
            "具体事项",
            "重点任务",
            "事项",
            "任务",
            "内容",
            "项目",
        ),
    ),
)


def _column_field(header: str) -> str | None:
    h = normalize(header)
    for f, names in _COLUMN_NAMES:
        if any(n in h for n in names):
            return f
    return None


def _tables(paragraphs: Sequence[Paragraph]) -> list[Paragraph | list[list[str]]]:
    """Body and text-box paragraphs as they are; each table as its rows of cell texts."""
    out: list[Paragraph | list[list[str]]] = []
    current: int | None = None
    for p in paragraphs:
        if p.where == "table" and p.table is not None:
            if p.table != current:
                out.append([])
                current = p.table
            rows = out[-1]
            assert isinstance(rows, list)
            while len(rows) <= (p.row or 0):
                rows.append([])
            rows[p.row or 0].append(p.text)
        else:
            current = None
            out.append(p)
    return out


_SIGNATURE = re.compile(r"^[\u4e00-\u9fff()]{2,20}(?:办公室|人民政府|督查室)$")


def _skip(norm: str) -> bool:
    """A line that is not content: the title, a date or signature line, a page mark."""
    return bool(
        _TITLE.match(norm)
        or _DATE_LINE.match(norm)
        or _SIGNATURE.match(norm)
        or re.fullmatch(r"[-—\d第页共()]*", norm)
    )


def _lines(paragraphs: Sequence[Paragraph]) -> list[tuple[str, dict[str, str] | None]]:
    """Text lines in reading order; a table row with named columns as (its text, its cells)."""
    lines: list[tuple[str, dict[str, str] | None]] = []
    for b in _tables(paragraphs):
        if isinstance(b, Paragraph):
            for part in b.text.split("\n") if b.where == "textbox" else [b.text]:
                if part.strip():
                    lines.append((part, None))
            continue
        header = [_column_field(h) for h in (b[0] if b else [])]
        named = "matter" in header and bool({"lead", "deadline"} & set(header))
        for i, row in enumerate(b):
            text = "；".join(v.strip() for v in row if v.strip())
            if named and i > 0:
                cells = {f: v.strip() for f, v in zip(header, row) if f and v.strip()}
                if cells.get("matter"):
                    lines.append((text, cells))
            elif text and not named:
                lines.append((text, None))
    return lines


_ROW = 99  # the rank of a table row: always a leaf


def _tree(paragraphs: Sequence[Paragraph]) -> list[_Node]:
    """The top-level nodes of the body (preamble and tail left out)."""
    lines = _lines(paragraphs)
    ranks = [_label(t)[0] for t, _ in lines]
    top = min((r for r in ranks if r is not None), default=None)
    # without headings, the body starts after the opening line (…主持召开… / 纪要如下), if any
    started = top is not None or not any(_INTRO.search(normalize(t)) for t, _ in lines)
    roots: list[_Node] = []
    stack: list[_Node] = []
    for (text, row), rank in zip(lines, ranks):
        norm = normalize(text)
        if _TAIL.match(norm):
            break
        if not started:
            started = bool(_INTRO.search(norm))
            continue
        if top is not None and not roots and rank != top:
            continue  # preamble: before the first heading
        if row is None and rank is None and _skip(norm):
            continue
        body = _label(text)[2] if row is None else text
        if row is not None or rank is not None:
            node = _Node(body, text.strip(), _ROW if row is not None else rank, row=row)
            while stack and (stack[-1].rank or 0) >= (node.rank or 0):
                stack.pop()
            if stack:
                node.parent = stack[-1]
                stack[-1].children.append(node)
            else:
                roots.append(node)
            stack.append(node)
        elif not stack:
            roots.append(_Node(body, text.strip(), None))
        elif stack[-1].parent is None:
            stack[-1].intro.append(body)  # a heading's own paragraphs, before any numbered item
        else:
            stack[-1].more.append(body)  # continues the item above
    return roots


def _leaves(roots: list[_Node]) -> Iterable[_Node]:
    for root in roots:
        if root.children:
            yield from _descend(root.children)
        elif root.intro:
            # a heading without numbered items: each of its paragraphs is an item of its own
            heading = _Node(root.text, root.source, root.rank)
            for line in root.intro:
                yield _Node(line, line, None, parent=heading)
        else:
            yield root


def _descend(nodes: list[_Node]) -> Iterable[_Node]:
    for n in nodes:
        if n.children:
            yield from _descend(n.children)
        else:
            yield n


# --- proposals ------------------------------------------------------------------------------


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
    roots = _tree(paragraphs)
    for leaf in _leaves(roots):
        _propose(leaf, reading, index, cal)
    reading.unconfirmed_years = cal.unconfirmed_years
    return reading


def _matter_of(leaf: _Node) -> str:
    node = leaf
    while node.parent is not None:
        node = node.parent
    if node is leaf:
        return _first_sentence(leaf.text)
    return _first_sentence(node.text)


def _propose(leaf: _Node, reading: MinutesReading, index: UnitIndex, cal: WorkCalendar) -> None:
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
        roles = _Roles()
        for f, target in (("lead", roles.lead), ("co", roles.co)):
            for piece in re.split(r"[、,，;；\n]|和|及", normalize(leaf.row.get(f, ""))):
                piece = (
                    _TAIL_WORDS.sub("", piece)
                    if piece.endswith(("等", "等单位", "等部门"))
                    else piece
                )
                if piece:
                    known = index.lookup(piece)
                    kind = "known" if known else "group" if _GROUP.match(piece) else "unknown"
                    target.append(_Mention(kind, known or piece, 0))
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
        roles = _roles(own, index)
        deadlines = find_deadlines(own, reading.issued, cal)
        leaders = find_leaders(own)
        long_words = [w for w in LONG_TERM_WORDS if w in normalize(own)]
    # what the item does not say itself, its heading and parents say for it
    for text in reversed(context):
        if not roles.lead and not roles.co:
            inherited = _roles(text, index)
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


def _unit_problem(number: int, field_name: str, m: _Mention, source: str) -> Unmatched:
    if m.kind == "group":
        reason = f"「{m.name}」不是「单位」表中的某一个单位，请拆分或指定{field_name}"
    else:
        reason = f"「{m.name}」未在「单位」表登记（也不是已登记的别名），请登记后填写"
    return Unmatched(number, field_name, m.name, _sentence(source, m.name), reason)
