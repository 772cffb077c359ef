"""Reading a 会议纪要 .docx as Word, WPS and LibreOffice save it: the one place that knows .docx.

The file is untrusted input like any returned file: the type is decided from the bytes (a .doc
or .wps is an OLE compound file, and so is a password-protected .docx), the size and the zip
directory are checked (part count, declared and real inflated sizes) before any XML is parsed,
and the XML is parsed with defusedxml (no DTDs, no entities).

What comes out is the text as the reader sees it, in reading order (``core.minutes.Paragraph``):

- Word's automatic numbering is rendered from numbering.xml — abstractNum/num, the paragraph's
  (or its style's) numId and ilvl, lvlText such as 「%1、」 or 「（%2）」, numFmt (decimal,
  chineseCounting, chineseCountingThousand, ideographTraditional …), start values, startOverride,
  counters per level restarting under a higher level — so 一、 （一） 1. appear as displayed,
  not as stored. Counters belong to the abstract list, as in Word: two num instances of one
  abstractNum continue one another unless a startOverride restarts them.
- tables come cell by cell, row by row (a vertically merged cell repeats the text of the cell
  it continues, as the reader sees it);
- text boxes (w:txbxContent, DrawingML or VML) come after the paragraph that anchors them; of
  an mc:AlternateContent only the first choice is read, never the fallback copy of it;
- deleted revisions, field instructions and hidden text are left out; inserted revisions are in.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from ledger_tools.core.minutes import Paragraph, find_issue_date, find_source_name
from ledger_tools.errors import UsageError
from ledger_tools.sheets.returned.limits import Limits, ReturnedFileError
from ledger_tools.sheets.returned.sniff import check_inflated_sizes, check_zip_limits

__all__ = ["MinutesDocument", "read_minutes_docx", "SAVE_AS_DOCX"]

MIB = 1024 * 1024
MAX_BYTES = 20 * MIB
SAVE_AS_DOCX = "请在 Word/WPS 中另存为 .docx 后重试"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_LIMITS = Limits(max_file_bytes=MAX_BYTES)


@dataclass
class MinutesDocument:
    path: Path
    sha256: str
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def title(self) -> str | None:
        return find_source_name(self.paragraphs)[1]

    @property
    def source_name(self) -> str | None:
        return find_source_name(self.paragraphs)[0]

    @property
    def issued(self):
        return find_issue_date(self.paragraphs)


def read_minutes_docx(path: Path | str) -> MinutesDocument:
    """The paragraphs of a minutes .docx, or a Chinese ``UsageError`` saying what to do."""
    path = Path(path)
    data = _read_bytes(path)
    if data.startswith(_OLE_MAGIC):
        raise UsageError(
            f"{path.name} 是 Word 97-2003（.doc）或 WPS（.wps）格式的文件，或设置了打开密码的文档，"
            f"本工具无法读取。{SAVE_AS_DOCX}（如有打开密码，请先取消密码）。"
        )
    if not data.startswith(_ZIP_MAGIC):
        raise UsageError(f"{path.name} 不是 Word 文档（.docx）。{SAVE_AS_DOCX}。")
    parts = _parts(path, data)
    try:
        document = _xml(parts, "word/document.xml")
        numbering = _Numbering(parts.get("word/numbering.xml"), parts.get("word/styles.xml"))
    except (SafeET.ParseError, DefusedXmlException, ValueError):
        raise UsageError(
            f"{path.name} 的内容已损坏或含有不安全的内容，无法读取。{SAVE_AS_DOCX}。"
        ) from None
    body = next((c for c in document if _local(c) == "body"), None)
    reader = _Reader(numbering)
    if body is not None:
        reader.blocks(body)
    return MinutesDocument(path, hashlib.sha256(data).hexdigest(), reader.out)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise UsageError(f"{path} 是文件夹，不是会议纪要文件。")
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"找不到会议纪要文件：{path}。请检查路径。") from None
    except OSError:
        raise UsageError(
            f"无法读取会议纪要文件 {path.name}（没有权限，或正被其他程序占用）。"
        ) from None
    if len(data) > MAX_BYTES:
        raise UsageError(f"{path.name} 超过 {MAX_BYTES // MIB} MB，不像是会议纪要。请检查文件。")
    if not data:
        raise UsageError(f"{path.name} 是空文件。请检查文件。")
    return data


def _parts(path: Path, data: bytes) -> dict[str, bytes]:
    """The XML parts we read, after the zip checks every returned file gets."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
        check_zip_limits(infos, _LIMITS)
        if any(i.flag_bits & 0x1 for i in infos):
            raise UsageError(f"{path.name} 设置了密码，无法读取。请取消密码后重试。")
        check_inflated_sizes(data, infos)
        names = {i.filename for i in infos}
        if "word/document.xml" not in names:
            what = (
                "Excel 工作簿"
                if "xl/workbook.xml" in names
                else "其他 OpenDocument 文档"
                if "mimetype" in names
                else "压缩包"
            )
            raise UsageError(f"{path.name} 是{what}，不是 Word 文档（.docx）。{SAVE_AS_DOCX}。")
        wanted = ("word/document.xml", "word/numbering.xml", "word/styles.xml")
        return {n: zf.read(n) for n in wanted if n in names}
    except ReturnedFileError as e:
        raise UsageError(f"{path.name} 无法读取：{e.detail or '文件已损坏'}。") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError):
        raise UsageError(
            f"{path.name} 已损坏或不完整（文件可能未传输完整）。{SAVE_AS_DOCX}。"
        ) from None


def _xml(parts: dict[str, bytes], name: str) -> Element:
    return SafeET.fromstring(parts[name], forbid_dtd=True)


def _local(e: Element) -> str:
    tag = e.tag
    return tag.rsplit("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)


def _attr(e: Element | None, name: str) -> str | None:
    """A w: attribute (any namespace, so Strict OOXML reads too)."""
    if e is None:
        return None
    for k, v in e.attrib.items():
        if k == name or k.endswith("}" + name):
            return v
    return None


def _child(e: Element | None, name: str) -> Element | None:
    if e is None:
        return None
    for c in e:
        if _local(c) == name:
            return c
    return None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# --- numbering -----------------------------------------------------------------------------


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # lvlRestart: None = after any higher level, 0 = never
    legal: bool = False
    suffix: str = "tab"


class _Numbering:
    def __init__(self, numbering: bytes | None, styles: bytes | None):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        if numbering:
            root = SafeET.fromstring(numbering, forbid_dtd=True)
            for a in root:
                if _local(a) == "abstractNum":
                    self.abstract[_attr(a, "abstractNumId") or ""] = {
                        _int(_attr(lvl, "ilvl"), 0): _level(lvl)
                        for lvl in a
                        if _local(lvl) == "lvl"
                    }
            for n in root:
                if _local(n) == "num":
                    abstract = _attr(_child(n, "abstractNumId"), "val") or ""
                    starts: dict[int, int] = {}
                    levels: dict[int, _Level] = {}
                    for o in n:
                        if _local(o) != "lvlOverride":
                            continue
                        ilvl = _int(_attr(o, "ilvl"), 0)
                        so = _child(o, "startOverride")
                        if so is not None:
                            starts[ilvl] = _int(_attr(so, "val"), 1)
                        lvl = _child(o, "lvl")
                        if lvl is not None:
                            levels[ilvl] = _level(lvl)
                    self.nums[_attr(n, "numId") or ""] = (abstract, starts, levels)
        if styles:
            for s in SafeET.fromstring(styles, forbid_dtd=True):
                if _local(s) != "style":
                    continue
                ppr = _child(s, "pPr")
                num = _child(ppr, "numPr")
                self.styles[_attr(s, "styleId") or ""] = (
                    _attr(_child(s, "basedOn"), "val"),
                    _attr(_child(num, "numId"), "val"),
                    _attr(_child(num, "ilvl"), "val"),
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
        num_pr = _child(ppr, "numPr")
        num_id = _attr(_child(num_pr, "numId"), "val")
        ilvl_s = _attr(_child(num_pr, "ilvl"), "val")
        style_num, style_ilvl = self._style_num(_attr(_child(ppr, "pStyle"), "val"))
        num_id = num_id if num_id is not None else style_num
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = _int(ilvl_s if ilvl_s is not None else style_ilvl, 0)
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
    restart = _child(lvl, "lvlRestart")
    return _Level(
        start=_int(_attr(_child(lvl, "start"), "val"), 0 if _child(lvl, "start") is None else 1),
        fmt=_attr(_child(lvl, "numFmt"), "val") or "decimal",
        text=_attr(_child(lvl, "lvlText"), "val") or "",
        restart=_int(_attr(restart, "val"), 0) if restart is not None else None,
        legal=_child(lvl, "isLgl") is not None
        and _attr(_child(lvl, "isLgl"), "val") not in ("0", "false"),
        suffix=_attr(_child(lvl, "suff"), "val") or "tab",
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


# --- the body in reading order -------------------------------------------------------------

_CONTAINERS = {"sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo", "hyperlink", "fldSimple", "dir", "bdo"}  # fmt: skip
_SKIPPED = {"del", "moveFrom", "instrText", "delText", "delInstrText", "pPr", "rPr", "sdtPr", "sdtEndPr", "Fallback"}  # fmt: skip


class _Reader:
    def __init__(self, numbering: _Numbering):
        self.numbering = numbering
        self.out: list[Paragraph] = []
        self.tables = 0

    def blocks(self, parent: Element, cell: tuple[int, int, int] | None = None) -> list[str]:
        """Paragraphs and tables under ``parent``; inside a table cell, the texts are returned
        (the cell's paragraph is made by the caller) and text boxes still go to ``out``."""
        texts: list[str] = []
        for child in parent:
            name = _local(child)
            if name == "p":
                text, boxes = self.paragraph(child)
                if cell is None:
                    self.out.append(Paragraph(text))
                else:
                    texts.append(text)
                for box in boxes:
                    self.out.append(Paragraph(box, where="textbox"))
            elif name == "tbl":
                if cell is None:
                    self.table(child)
                else:  # a table inside a cell: its text belongs to the cell
                    texts.extend(self.nested(child))
            elif name in ("sdt", "sdtContent", "customXml"):
                texts.extend(self.blocks(child, cell))
        return texts

    def nested(self, tbl: Element) -> list[str]:
        out = []
        for tr in (c for c in tbl if _local(c) == "tr"):
            row = []
            for tc in (c for c in tr if _local(c) == "tc"):
                row.append("\n".join(t for t in self.blocks(tc, (0, 0, 0)) if t))
            out.append("；".join(t for t in row if t))
        return out

    def table(self, tbl: Element) -> None:
        number = self.tables
        self.tables += 1
        above: dict[int, str] = {}
        for r, tr in enumerate(c for c in _rows(tbl)):
            col = 0
            for tc in (c for c in tr if _local(c) == "tc"):
                tcpr = _child(tc, "tcPr")
                span = _int(_attr(_child(tcpr, "gridSpan"), "val"), 1)
                vmerge = _child(tcpr, "vMerge")
                text = "\n".join(t for t in self.blocks(tc, (number, r, col)) if t.strip())
                if vmerge is not None and _attr(vmerge, "val") in (None, "continue"):
                    text = above.get(col, "")  # a merged cell shows the text of its first cell
                else:
                    above[col] = text
                self.out.append(Paragraph(text, where="table", table=number, row=r, col=col))
                col += max(span, 1)

    def paragraph(self, p: Element) -> tuple[str, list[str]]:
        label = self.numbering.label(_child(p, "pPr"))
        parts: list[str] = []
        boxes: list[str] = []
        self._runs(p, parts, boxes)
        return label + "".join(parts), boxes

    def _runs(self, e: Element, parts: list[str], boxes: list[str]) -> None:
        for c in e:
            name = _local(c)
            if name in _SKIPPED:
                continue
            if name == "r":
                if _hidden(_child(c, "rPr")):
                    continue
                self._run(c, parts, boxes)
            elif name in _CONTAINERS:
                self._runs(c, parts, boxes)

    def _run(self, r: Element, parts: list[str], boxes: list[str]) -> None:
        for c in r:
            name = _local(c)
            if name == "t":
                parts.append(c.text or "")
            elif name == "tab":
                parts.append(" ")
            elif name in ("br", "cr"):
                parts.append("\n")
            elif name == "noBreakHyphen":
                parts.append("-")
            elif name in ("drawing", "pict", "AlternateContent", "object"):
                for box in _text_boxes(c):
                    texts = self.blocks(box, (0, 0, 0))
                    text = "\n".join(t for t in texts if t.strip())
                    if text:
                        boxes.append(text)


def _rows(tbl: Element) -> Iterator[Element]:
    for c in tbl:
        name = _local(c)
        if name == "tr":
            yield c
        elif name in ("sdt", "sdtContent", "customXml"):
            yield from _rows(c)


def _hidden(rpr: Element | None) -> bool:
    vanish = _child(rpr, "vanish")
    return vanish is not None and _attr(vanish, "val") not in ("0", "false", "off")


def _text_boxes(e: Element) -> Iterator[Element]:
    """The w:txbxContent elements under a drawing, skipping mc:Fallback (a copy of the Choice)."""
    for c in e:
        name = _local(c)
        if name == "txbxContent":
            yield c
        elif name == "Fallback":
            continue
        elif name == "AlternateContent":
            choice = _child(c, "Choice")
            if choice is not None:
                yield from _text_boxes(choice)
            else:
                fallback = _child(c, "Fallback")
                if fallback is not None:
                    yield from _text_boxes(fallback)
        else:
            yield from _text_boxes(c)
