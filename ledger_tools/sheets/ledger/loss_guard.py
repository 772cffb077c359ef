"""Refusing a save that would drop something the ledger holds (SPEC §8, exit 4).

openpyxl silently drops what it cannot model (charts and images it did not create, shapes,
``extLst`` content such as data bars and newer data validations, slicers ...). Two signals
catch it: the package's contents counted in the old file and in the new one (``inventory``),
and the warnings openpyxl gives while loading (``recording_load_losses``). Either one
refuses the save with a message naming what would be lost.
"""

from __future__ import annotations

import contextlib
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ledger_tools.errors import WouldLoseData

__all__ = [
    "Counted",
    "PartCount",
    "describe_load_warning",
    "inventory",
    "load_losses",
    "part_families",
    "recording_load_losses",
    "refuse_losses",
]

# --- what a package holds -------------------------------------------------------------------

_PART_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("图表", re.compile(r"^xl/charts/chart\d*\.xml$")),
    ("图表工作表", re.compile(r"^xl/chartsheets/.+\.xml$")),
    ("图片或媒体文件", re.compile(r"^xl/media/")),
    ("数据透视表", re.compile(r"^xl/pivotTables/.+\.xml$")),
    ("数据透视缓存", re.compile(r"^xl/pivotCache/pivotCacheDefinition\d*\.xml$")),
    ("宏（VBA 工程）", re.compile(r"^xl/vbaProject\.bin$")),
    ("切片器", re.compile(r"^xl/slicers?(Caches)?/")),
    ("日程表", re.compile(r"^xl/timeline")),
    ("外部链接", re.compile(r"^xl/externalLinks/externalLink\d*\.xml$")),
    ("线程式批注", re.compile(r"^xl/threadedComments/")),
    ("控件", re.compile(r"^xl/(ctrlProps|activeX)/")),
    ("嵌入对象", re.compile(r"^xl/embeddings/")),
    ("表格（列表）", re.compile(r"^xl/tables/table\d*\.xml$")),
    ("自定义 XML", re.compile(r"^customXml/item\d*\.xml$")),
    ("墨迹/签名", re.compile(r"^xl/(ink|signatures)/|^_xmlsignatures/")),
    ("WPS 单元格图片", re.compile(r"^xl/cellimages\.xml$")),
)
_XML_SIGNALS: tuple[tuple[str, str, re.Pattern[bytes]], ...] = (
    # (kind, part prefix, pattern counted in those parts; see _IN_CELLS for worksheets)
    ("形状或文本框", "xl/drawings/drawing", re.compile(rb"<(?:xdr:)?(?:sp|grpSp|cxnSp)[ >]")),
    ("图片", "xl/drawings/drawing", re.compile(rb"<(?:xdr:)?pic[ >]")),
    (
        "扩展内容（数据条、图标集、新式数据验证或迷你图等）",
        "xl/worksheets/sheet",
        re.compile(rb"<ext [^>]*uri="),
    ),
    ("条件格式", "xl/worksheets/sheet", re.compile(rb"<conditionalFormatting[ >]")),
    ("数据验证（下拉列表）", "xl/worksheets/sheet", re.compile(rb"<dataValidation[ >]")),
    ("批注", "xl/comments", re.compile(rb"<comment ")),
    ("超链接", "xl/worksheets/sheet", re.compile(rb"<hyperlink ")),
    ("合并单元格", "xl/worksheets/sheet", re.compile(rb"<mergeCell ")),
    ("定义的名称", "xl/workbook.xml", re.compile(rb"<definedName ")),
    ("修改权限密码", "xl/workbook.xml", re.compile(rb"<fileSharing ")),
    # A formula's cached result (<f>…</f><v>…</v>): what a viewer that does not recalculate shows.
    (
        "公式的计算结果（缓存值）",
        "xl/worksheets/sheet",
        re.compile(rb"<f\b[^>]*(?:/>|>[^<]*</f>)\s*<v>[^<]"),
    ),
    ("工作表", "xl/workbook.xml", re.compile(rb"<sheet ")),
)


# What a worksheet's cells (<sheetData>) may hold of the signals: a formula, and an extension
# (a cell's or row's <extLst>). Everything else counted there (conditional formats, validations,
# hyperlinks, merged ranges) is a sibling of <sheetData>, and cell text cannot hide a tag (its
# "<" is written &lt;): so those are counted outside <sheetData> alone, which in a ledger's big
# sheets is a few kilobytes of the tens of megabytes.
_IN_CELLS = {
    pattern for kind, _, pattern in _XML_SIGNALS if kind.startswith(("扩展内容", "公式的计算结果"))
}
_SHEET_DATA = re.compile(rb"<sheetData\b[^>]*?(/?)>")
_SHEET_DATA_END = b"</sheetData>"

Span = tuple[int, int]


def _counter(pattern: re.Pattern[bytes]) -> Callable[[bytes, Span], int]:
    """A function giving how often ``pattern`` occurs in ``data[start:end]``.

    "<tag[ >]" and "<tag " are literal substrings, counted in C (occurrences cannot overlap,
    so the counts agree with ``findall``); the other patterns start with a literal, which
    ``findall`` skips to just as fast (16 MB of 台账 XML in 9 ms).
    """
    literal = re.fullmatch(rb"(<[A-Za-z]+)(\[ >\]| )", pattern.pattern)
    if literal:
        tag = literal.group(1)
        ends = (b" ", b">") if literal.group(2) == b"[ >]" else (b" ",)
        return lambda data, span: sum(data.count(tag + end, *span) for end in ends)
    return lambda data, span: len(pattern.findall(data, *span))


_COUNTERS = {pattern: _counter(pattern) for _, _, pattern in _XML_SIGNALS}

_PREFIXED_ROOT = re.compile(rb"<(\w+):(?:worksheet|workbook|comments)\b")
_PIECE = 1 << 20  # bytes of XML counted at a time: a 50,000-item 台账 is 80 MB of it
_CELL_START = re.compile(rb"<(?:\w+:)?c[ >]")


def _same(data: bytes) -> bytes:
    return data


def _unprefixer(head: bytes) -> Callable[[bytes], bytes]:
    """What takes the main namespace's prefix off the tags of a part that opens with ``head``
    (nothing, for the usual part)."""
    root = _PREFIXED_ROOT.search(head, 0, 4096)
    if root is None:
        return _same
    tag = re.compile(rb"<(/?)" + re.escape(root.group(1)) + rb":")
    return lambda data: tag.sub(rb"<\1", data)


class PartCount:
    """What one part holds, counted as its XML passes by (``feed``), a piece at a time: a
    50,000-item 台账 is 80 MB of XML, and memory holds a piece of about 1 MiB, not the part.

    ``inventory`` feeds it the part read from the package; the package writer feeds it the
    worksheet it reads and the one it writes, so a save need not inflate either again.
    A piece is counted up to just before a "<", so no tag is split between two pieces and
    every pattern above, which lies within one tag, is counted whole; where the piece holds
    cells it is cut before its last cell (a cell's XML, a few hundred KB at most, is shorter
    than a piece, and one that is not waits for more), so a formula and its cached value
    (<f>…</f><v>…, two tags) stay together too. A part whose main namespace is bound to a prefix
    (``<x:worksheet …>``, as some generators write it) is counted with that prefix taken off
    its tags: otherwise a formula's cached value there (``<x:f>…</x:f><x:v>…``) would go
    uncounted and be lost unseen.
    """

    def __init__(self, name: str):
        self.found: Counter[str] = Counter(
            kind for kind, part_pattern in _PART_KINDS if part_pattern.search(name)
        )
        self.signals = [
            (kind, pattern)
            for kind, prefix, pattern in _XML_SIGNALS
            if name.startswith(prefix) and name.endswith(".xml")
        ]
        self._place = "before" if name.startswith("xl/worksheets/") else "outside"
        self._unprefix: Callable[[bytes], bytes] | None = None
        self._pending: list[bytes] = []
        self._size = 0

    def feed(self, data: bytes) -> None:
        if not self.signals or not data:
            return
        self._pending.append(data)
        self._size += len(data)
        if self._size >= _PIECE:
            self._count_ready(final=False)

    def result(self) -> Counter[str]:
        """The counts, once the whole part has been fed."""
        self._count_ready(final=True)
        return self.found

    def _count_ready(self, final: bool) -> None:
        data = b"".join(self._pending)
        self._pending, self._size = [], 0
        if self._unprefix is None:
            if len(data) < 4096 and not final:  # the root's opening tag is looked for in these
                self._keep(data)
                return
            self._unprefix = _unprefixer(data)
        cut = len(data)
        if not final:
            if self._unprefix is _same:  # the usual part: the last cell found from the end
                cut = max(data.rfind(b"<c "), data.rfind(b"<c>"))
            else:
                cells = [m.start() for m in _CELL_START.finditer(data)]
                cut = cells[-1] if cells else -1
            if cut < 0:
                cut = data.rfind(b"<")
            if cut <= 0:  # no tag begins in it: wait for more
                self._keep(data)
                return
            self._keep(data[cut:])
        if cut:
            self._count(self._unprefix(data[:cut]))

    def _keep(self, data: bytes) -> None:
        self._pending, self._size = [data], len(data)

    def _count(self, piece: bytes) -> None:
        """Count the signals in ``piece``; in a worksheet, a pattern that cannot occur among
        the cells is looked for outside <sheetData> only."""
        around: list[Span] = []  # the spans outside <sheetData>
        pos = 0
        if self._place == "before":
            start = _SHEET_DATA.search(piece)
            if start is None:
                around.append((0, len(piece)))
            else:
                around.append((0, start.start()))
                pos = start.end()
                self._place = "after" if start.group(1) else "cells"  # <sheetData/>: no cells
        if self._place == "cells" and (end := piece.find(_SHEET_DATA_END, pos)) >= 0:
            self._place, pos = "after", end
        if self._place in ("after", "outside"):
            around.append((pos, len(piece)))
        for kind, pattern in self.signals:
            count = _COUNTERS[pattern]
            if pattern in _IN_CELLS:
                self.found[kind] += count(piece, (0, len(piece)))
            else:
                self.found[kind] += sum(count(piece, span) for span in around)


def inventory(path: Path, parts: set[str] | None = None) -> Counter[str]:
    """How many of each kind of content the package at ``path`` holds (in ``parts``, if given).

    Each part is inflated once, a piece at a time (``PartCount``).
    """
    found: Counter[str] = Counter()
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if parts is not None and info.filename not in parts:
                continue
            part = PartCount(info.filename)
            if part.signals:
                with z.open(info) as stream:
                    while data := stream.read(_PIECE):
                        part.feed(data)
            found.update(part.result())
    return found


# --- what openpyxl said it dropped while loading --------------------------------------------

_LOAD_WARNINGS = (
    ("Data Validation extension", "新式数据验证（扩展）"),
    ("Conditional Formatting extension", "新式条件格式（数据条、图标集等扩展）"),
    ("Unknown extension", "未知的扩展内容"),
    ("Slicer List extension", "切片器"),
    ("DrawingML support is incomplete", "形状或绘图对象"),
    ("Sparkline Group extension", "迷你图"),
)


def describe_load_warning(message: str) -> str | None:
    """What an openpyxl load warning says will be lost, in Chinese; None for a harmless one."""
    for needle, label in _LOAD_WARNINGS:
        if needle in message:
            return label
    if "will be removed" in message or "not supported" in message:
        return f"openpyxl 不支持的内容（{message}）"
    return None


def load_losses(caught: Iterable[warnings.WarningMessage]) -> list[str]:
    """The distinct losses announced by the warnings ``caught``, sorted."""
    losses = {describe_load_warning(str(w.message)) for w in caught}
    return sorted(x for x in losses if x)


@contextlib.contextmanager
def recording_load_losses() -> Iterator[list[str]]:
    """Record every warning raised in the block; the list yielded is filled, when the block
    ends normally, with what they say will be lost."""
    found: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield found
    found[:] = load_losses(caught or [])


# --- the refusal ----------------------------------------------------------------------------


# Parts that any writer may leave out or name differently without losing anything: relationship
# parts (what they point to is counted) and Excel's calculation chain (rebuilt on opening).
_STRUCTURE = re.compile(r"(^|/)_rels/|^xl/calcChain\.xml$")


def part_families(path: Path) -> Counter[str]:
    """The package's parts by kind (their names with numbers left out: xl/media/imageN.png)."""
    with zipfile.ZipFile(path) as z:
        return Counter(re.sub(r"\d+", "N", n) for n in z.namelist() if not _STRUCTURE.search(n))


Counted = dict[str, tuple[Counter[str], Counter[str]]]  # part → (in old, in new)


def refuse_losses(
    old: Path,
    new: Path,
    parts: set[str] | None = None,
    dropped: Iterable[str] = (),
    counted: Counted | None = None,
) -> None:
    """``WouldLoseData`` when the package ``new`` holds less of any kind than the ledger
    ``old`` (counted in ``parts``, when only those changed), or when loading ``old`` already
    ``dropped`` something (``recording_load_losses``). ``counted`` holds what the writer
    counted of the parts it streamed (``PartCount``), old and new; those are not read again.
    """
    counted = counted or {}
    rest = None if parts is None else parts - counted.keys()
    # The two packages are read side by side: inflating releases the GIL.
    with ThreadPoolExecutor(1) as beside:
        reading_old = beside.submit(inventory, old, rest)
        new_inv = inventory(new, rest)
        old_inv = reading_old.result()
    for before, after in counted.values():
        old_inv.update(before)
        new_inv.update(after)
    lost = [
        f"{kind}（原有 {n} 处，保存后 {new_inv.get(kind, 0)} 处）"
        for kind, n in sorted(old_inv.items())
        if new_inv.get(kind, 0) < n
    ]
    if parts is None:  # a package written anew: any kind of part it no longer has is lost
        old_parts, new_parts = part_families(old), part_families(new)
        lost += [
            f"文件部件 {name}（原有 {n} 个，保存后 {new_parts.get(name, 0)} 个）"
            for name, n in sorted(old_parts.items())
            if new_parts.get(name, 0) < n
        ]
    lost += [f"{x}（读取时无法保留）" for x in dropped]
    if lost:
        raise WouldLoseData(
            f"拒绝保存台账 {Path(old).name}：保存后将丢失以下内容："
            + "；".join(lost)
            + "。台账未作任何修改。请把这些内容移到另一个工作簿，或联系维护人员。"
        )
