"""Word's automatic numbering as the reader sees it, rendered from numbering.xml (SPEC §10).

A 会议纪要 saved by Word, WPS or LibreOffice rarely types 一、 or （一）: the paragraph names a
list (numId, ilvl, directly or through its style) and Word draws the label. So the labels are
rendered here as Word does — abstractNum/num, lvlText such as 「%1、」 or 「（%2）」, numFmt (decimal,
chineseCounting, chineseCountingThousand, ideographTraditional …), start values, startOverride,
counters per level restarting under a higher level. Counters belong to the abstract list, as
in Word: two num instances of one abstractNum continue one another unless a startOverride
restarts them. The XML is parsed with defusedxml (no DTDs, no entities).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

__all__ = ["Numbering", "attr", "child", "int_of", "local"]


def local(e: Element) -> str:
    tag = e.tag
    return tag.rsplit("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)


def attr(e: Element | None, name: str) -> str | None:
    """A w: attribute (any namespace, so Strict OOXML reads too)."""
    if e is None:
        return None
    for k, v in e.attrib.items():
        if k == name or k.endswith("}" + name):
            return v
    return None


def child(e: Element | None, name: str) -> Element | None:
    if e is None:
        return None
    for c in e:
        if local(c) == name:
            return c
    return None


def int_of(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # lvlRestart: None = after any higher level, 0 = never
    legal: bool = False
    suffix: str = "tab"


class Numbering:
    """The lists of one document, with their counters as the paragraphs are read in order."""

    def __init__(self, numbering: bytes | None, styles: bytes | None):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        if numbering:
            root = SafeET.fromstring(numbering, forbid_dtd=True)
            for a in root:
                if local(a) == "abstractNum":
                    self.abstract[attr(a, "abstractNumId") or ""] = {
                        int_of(attr(lvl, "ilvl"), 0): _level(lvl)
                        for lvl in a
                        if local(lvl) == "lvl"
                    }
            for n in root:
                if local(n) == "num":
                    abstract = attr(child(n, "abstractNumId"), "val") or ""
                    starts: dict[int, int] = {}
                    levels: dict[int, _Level] = {}
                    for o in n:
                        if local(o) != "lvlOverride":
                            continue
                        ilvl = int_of(attr(o, "ilvl"), 0)
                        so = child(o, "startOverride")
                        if so is not None:
                            starts[ilvl] = int_of(attr(so, "val"), 1)
                        lvl = child(o, "lvl")
                        if lvl is not None:
                            levels[ilvl] = _level(lvl)
                    self.nums[attr(n, "numId") or ""] = (abstract, starts, levels)
        if styles:
            for s in SafeET.fromstring(styles, forbid_dtd=True):
                if local(s) != "style":
                    continue
                ppr = child(s, "pPr")
                num = child(ppr, "numPr")
                self.styles[attr(s, "styleId") or ""] = (
                    attr(child(s, "basedOn"), "val"),
                    attr(child(num, "numId"), "val"),
                    attr(child(num, "ilvl"), "val"),
                )
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()

    def _style_num(self, style: str | None) -> tuple[str | None, str | None]:
        seen = set()
        while style and style not in seen:
            seen.add(style)
            based, num, ilvl = self.styles.get(style, (None, None, None))
            if num is not None or ilvl is not None:
                return num, ilvl
            style = based
        return None, None

    def label(self, ppr: Element | None) -> str:
        """The rendered number of a paragraph ('' when it has none), advancing the counters."""
        num_pr = child(ppr, "numPr")
        num_id = attr(child(num_pr, "numId"), "val")
        ilvl_s = attr(child(num_pr, "ilvl"), "val")
        style_num, style_ilvl = self._style_num(attr(child(ppr, "pStyle"), "val"))
        num_id = num_id if num_id is not None else style_num
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = int_of(ilvl_s if ilvl_s is not None else style_ilvl, 0)
        abstract, starts, overrides = self.nums[num_id]
        levels = {**self.abstract.get(abstract, {}), **overrides}
        counters = self.counters.setdefault(abstract, [None] * 10)
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, value in starts.items():
                if 0 <= lvl < 10:
                    counters[lvl] = value - 1
        if not 0 <= ilvl < 10:
            return ""
        level = levels.get(ilvl, _Level())
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, 10):
            restart = levels.get(deeper, _Level()).restart
            if restart is None or (restart != 0 and ilvl < restart):
                counters[deeper] = None
        if level.fmt == "none":
            return ""
        text = level.text
        for k in range(9, 0, -1):
            token = f"%{k}"
            if token in text:
                ref = levels.get(k - 1, _Level())
                counted = counters[k - 1]
                value = ref.start if counted is None else counted
                text = text.replace(token, _format(value, "decimal" if level.legal else ref.fmt))
        if not text:
            return ""
        if level.suffix == "nothing" or text[-1] in "、，．。:：)）":
            return text
        return text + " "


def _level(lvl: Element) -> _Level:
    restart = child(lvl, "lvlRestart")
    return _Level(
        start=int_of(attr(child(lvl, "start"), "val"), 0 if child(lvl, "start") is None else 1),
        fmt=attr(child(lvl, "numFmt"), "val") or "decimal",
        text=attr(child(lvl, "lvlText"), "val") or "",
        restart=int_of(attr(restart, "val"), 0) if restart is not None else None,
        legal=child(lvl, "isLgl") is not None
        and attr(child(lvl, "isLgl"), "val") not in ("0", "false"),
        suffix=attr(child(lvl, "suff"), "val") or "tab",
    )


_CN = "〇一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(
    n: int, digits: str = _CN, ten: str = "十", hundred: str = "百", thousand: str = "千"
) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (as Word counts in Chinese)."""
    if n <= 0:
        return digits[0]
    if n >= 10000:
        return str(n)
    out = ""
    units = ((1000, thousand), (100, hundred), (10, ten))
    zero = False
    for size, word in units:
        q, n = divmod(n, size)
        if q:
            if zero:
                out += digits[0]
                zero = False
            out += ("" if (size == 10 and q == 1 and not out) else digits[q]) + word
        elif out:
            zero = True
    if n:
        out += (digits[0] if zero else "") + digits[n]
    return out


def _roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = ""
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "ideographLegalTraditional"):  # fmt: skip
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _LEGAL, "拾", "佰", "仟")
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital"):
        return "".join(_CN[int(c)] for c in str(n))
    if fmt == "ideographTraditional":
        return _STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _BRANCHES[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "bullet":
        return ""
    return str(n)
