"""Reading a 会议纪要 .docx as Word, WPS and LibreOffice save it: the one place that knows .docx.

The file is untrusted input like any returned file: the type is decided from the bytes (a .doc
or .wps is an OLE compound file, and so is a password-protected .docx), the size and the zip
directory are checked (part count, declared and real inflated sizes) before any XML is parsed,
and the XML is parsed with defusedxml (no DTDs, no entities).

What comes out is the text as the reader sees it, in reading order (``core.minutes.Paragraph``):

- Word's automatic numbering is rendered from numbering.xml (``sheets/minutes/numbering.py``), so
  一、 （一） 1. appear as displayed, not as stored;
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
from ledger_tools.sheets.minutes.numbering import Numbering, attr, child, int_of, local
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
        numbering = Numbering(parts.get("word/numbering.xml"), parts.get("word/styles.xml"))
    except (SafeET.ParseError, DefusedXmlException, ValueError):
        raise UsageError(
            f"{path.name} 的内容已损坏或含有不安全的内容，无法读取。{SAVE_AS_DOCX}。"
        ) from None
    body = next((c for c in document if local(c) == "body"), None)
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


# --- the body in reading order -------------------------------------------------------------

_CONTAINERS = {"sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo", "hyperlink", "fldSimple", "dir", "bdo"}  # fmt: skip
_SKIPPED = {"del", "moveFrom", "instrText", "delText", "delInstrText", "pPr", "rPr", "sdtPr", "sdtEndPr", "Fallback"}  # fmt: skip


class _Reader:
    def __init__(self, numbering: Numbering):
        self.numbering = numbering
        self.out: list[Paragraph] = []
        self.tables = 0

    def blocks(self, parent: Element, cell: tuple[int, int, int] | None = None) -> list[str]:
        """Paragraphs and tables under ``parent``; inside a table cell, the texts are returned
        (the cell's paragraph is made by the caller) and text boxes still go to ``out``."""
        texts: list[str] = []
        for el in parent:
            name = local(el)
            if name == "p":
                text, boxes = self.paragraph(el)
                if cell is None:
                    self.out.append(Paragraph(text))
                else:
                    texts.append(text)
                for box in boxes:
                    self.out.append(Paragraph(box, where="textbox"))
            elif name == "tbl":
                if cell is None:
                    self.table(el)
                else:  # a table inside a cell: its text belongs to the cell
                    texts.extend(self.nested(el))
            elif name in ("sdt", "sdtContent", "customXml"):
                texts.extend(self.blocks(el, cell))
        return texts

    def nested(self, tbl: Element) -> list[str]:
        out = []
        for tr in (c for c in tbl if local(c) == "tr"):
            row = []
            for tc in (c for c in tr if local(c) == "tc"):
                row.append("\n".join(t for t in self.blocks(tc, (0, 0, 0)) if t))
            out.append("；".join(t for t in row if t))
        return out

    def table(self, tbl: Element) -> None:
        number = self.tables
        self.tables += 1
        above: dict[int, str] = {}
        for r, tr in enumerate(c for c in _rows(tbl)):
            col = 0
            for tc in (c for c in tr if local(c) == "tc"):
                tcpr = child(tc, "tcPr")
                span = int_of(attr(child(tcpr, "gridSpan"), "val"), 1)
                vmerge = child(tcpr, "vMerge")
                text = "\n".join(t for t in self.blocks(tc, (number, r, col)) if t.strip())
                if vmerge is not None and attr(vmerge, "val") in (None, "continue"):
                    text = above.get(col, "")  # a merged cell shows the text of its first cell
                else:
                    above[col] = text
                self.out.append(Paragraph(text, where="table", table=number, row=r, col=col))
                col += max(span, 1)

    def paragraph(self, p: Element) -> tuple[str, list[str]]:
        label = self.numbering.label(child(p, "pPr"))
        parts: list[str] = []
        boxes: list[str] = []
        self._runs(p, parts, boxes)
        return label + "".join(parts), boxes

    def _runs(self, e: Element, parts: list[str], boxes: list[str]) -> None:
        for c in e:
            name = local(c)
            if name in _SKIPPED:
                continue
            if name == "r":
                if _hidden(child(c, "rPr")):
                    continue
                self._run(c, parts, boxes)
            elif name in _CONTAINERS:
                self._runs(c, parts, boxes)

    def _run(self, r: Element, parts: list[str], boxes: list[str]) -> None:
        for c in r:
            name = local(c)
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
        name = local(c)
        if name == "tr":
            yield c
        elif name in ("sdt", "sdtContent", "customXml"):
            yield from _rows(c)


def _hidden(rpr: Element | None) -> bool:
    vanish = child(rpr, "vanish")
    return vanish is not None and attr(vanish, "val") not in ("0", "false", "off")


def _text_boxes(e: Element) -> Iterator[Element]:
    """The w:txbxContent elements under a drawing, skipping mc:Fallback (a copy of the Choice)."""
    for c in e:
        name = local(c)
        if name == "txbxContent":
            yield c
        elif name == "Fallback":
            continue
        elif name == "AlternateContent":
            choice = child(c, "Choice")
            if choice is not None:
                yield from _text_boxes(choice)
            else:
                fallback = child(c, "Fallback")
                if fallback is not None:
                    yield from _text_boxes(fallback)
        else:
            yield from _text_boxes(c)
