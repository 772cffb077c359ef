"""Reading an office's own ledger into 台账's columns (SPEC §12): headers, rows, values.

Every office keeps its items in a workbook of its own: 序号 · 会议名称 · 议定事项 · 牵头单位 · 配合
单位 · 分管领导 · 完成时限 · 进展情况 · 是否办结 · 备注, or 主办单位, 责任单位, 时间节点, 落实情况 …
``SYNONYMS`` is the one table of the words offices use for each 台账 header: extend it there.
Headers are compared folded (full-width forms, spaces, a trailing * or ：, a bracketed note), so
「完成时限（时间节点）」 and 「 牵头单位* 」 are found too.

The rows of such a workbook are not all items: a title above the header, a totals row, a
repeated header (a sheet printed page by page), blank rows, a sub-heading naming the meeting
whose items follow. ``row_kind`` tells them apart; the caller skips and lists them. This is the
old layout's recognition, kept here: it is not 台账's (whose non-item rows validate reports).

Values are read as ``validate`` would read them and fail closed (SPEC §3): ``values.py``-style
conversion is in ``core.adopt_values``. Nothing here knows a file format.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ledger_tools.core.dates import SPACES

__all__ = [
    "CUSTOM",
    "IGNORE",
    "IGNORED",
    "SYNONYMS",
    "TOOL_HEADERS",
    "ColumnPlan",
    "SheetContext",
    "SheetPlan",
    "Skipped",
    "heading_source",
    "match_header",
    "fold_header",
    "find_header_row",
    "plan_columns",
    "row_kind",
    "sheet_context",
]

# 台账 header → the headers offices use for it (the 台账 header itself always matches).
SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "事项编号": ("督查编号", "督办编号", "事项代码"),
    "来源类型": ("事项来源类型", "会议类型", "来源类别"),
    "来源名称": (
        "会议名称",
        "来源",
        "会议",
        "会议纪要",
        "纪要名称",
        "事项来源",
        "会议及文件",
        "批示名称",
    ),
    "印发日期": (
        "印发时间",
        "纪要印发日期",
        "纪要印发时间",
        "会议时间",
        "会议日期",
        "发文日期",
        "批示日期",
        "批示时间",
    ),
    "议定事项": (
        "事项内容",
        "议定内容",
        "督办事项",
        "督查事项",
        "议定事项内容",
        "工作事项",
        "工作任务",
        "任务内容",
        "事项",
    ),
    "办理要求": ("工作要求", "具体要求", "落实要求", "督办要求", "办理意见"),
    "责任领导": ("分管领导", "分管市领导", "牵头领导", "责任市领导", "市级领导"),
    "承办科室": ("督查科室", "对口科室", "责任科室", "跟踪科室"),
    "主责单位": (
        "牵头单位",
        "主办单位",
        "责任单位",
        "承办单位",
        "牵头部门",
        "责任部门",
        "主办部门",
        "主责部门",
    ),
    "协办单位": ("配合单位", "协助单位", "配合部门", "协办部门", "参与单位"),
    "事项类型": ("事项类别",),
    "完成时限": ("办结时限", "时间节点", "时限", "完成期限", "时限要求", "办理时限"),
    "交办日期": ("交办时间",),
    "交办文号": ("通知文号", "交办通知文号"),
    "涉密": ("是否涉密", "密级"),
    "办理状态": ("是否办结", "办理结果", "办结情况", "办结与否"),
    "最新进展": (
        "进展情况",
        "落实情况",
        "办理情况",
        "完成情况",
        "推进情况",
        "工作进展",
        "进展",
        "办理进展",
    ),
    "阶段性目标": ("阶段目标",),
    "办结日期": ("办结时间", "完成日期", "实际完成时间", "实际办结时间"),
    "销号日期": ("销号时间",),
    "销号经办人": ("销号人",),
    "核查结果": ("核查情况", "抽查结果"),
    "最近报送日期": ("报送日期", "最近报送时间"),
    "备注": ("说明", "其他"),
}

# Columns an old ledger numbers its rows with: they name no item and are not adopted.
IGNORED = ("序号", "编号", "序", "NO", "NO.")

# 台账 columns only the tool writes (refresh recomputes them): an old copy is not adopted.
TOOL_HEADERS = ("当前时限", "延期次数", "催办次数", "剩余工作日", "督办预警", "本期报送")

IGNORE = "不导入"  # a --map target that drops a column
CUSTOM = "保留为自定义列"  # a --map target, and the preview's word, for a staff column

_BRACKETS = re.compile(r"[(（【\[].*?[)）】\]]")
_TRAIL = "*＊:："


def fold_header(text: object) -> str:
    """A header as compared: NFKC, no spaces, no trailing * or ：, upper case (NO.)."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = "".join(ch for ch in s if not ch.isspace() and ch not in SPACES)
    return s.rstrip(_TRAIL).upper()


def _index() -> dict[str, str]:
    out: dict[str, str] = {}
    for target, words in SYNONYMS.items():
        for w in (target, *words):
            out.setdefault(fold_header(w), target)
    return out


_BY_WORD = _index()
_IGNORED = {fold_header(w) for w in IGNORED}
_TOOL = {fold_header(w) for w in TOOL_HEADERS}


def match_header(text: object) -> tuple[str | None, str]:
    """(台账 header or None, how): how is 表头相同, 同义词, 序号不导入, 工具计算列不导入 or ''."""
    folded = fold_header(text)
    if not folded:
        return None, ""
    for candidate in (folded, _BRACKETS.sub("", folded)):
        if candidate in _IGNORED:
            return None, "序号不导入"
        if candidate in _TOOL:
            return None, "工具计算列不导入"
        target = _BY_WORD.get(candidate)
        if target is not None:
            return target, "表头相同" if candidate == fold_header(target) else "同义词"
    return None, ""


def find_header_row(rows: Sequence[Sequence[object]], scan: int = 20) -> int | None:
    """The 0-based row with the most recognised headers (at least two, one of them 议定事项 or
    主责单位 or 来源名称) among the first ``scan`` rows; a title row above it is passed over."""
    best, best_score = None, 1
    for r, row in enumerate(rows[:scan]):
        targets = {t for t in (match_header(v)[0] for v in row) if t}
        if not targets & {"议定事项", "主责单位", "来源名称"}:
            continue
        if len(targets) > best_score:
            best, best_score = r, len(targets)
    return best


@dataclass(frozen=True)
class ColumnPlan:
    """One column of OLD: its header and where it lands. ``target`` is a 台账 header, or None
    with ``custom`` set (kept as a staff column under that header), or neither (not adopted)."""

    index: int  # 0-based column
    header: str
    target: str | None
    custom: str | None
    how: str

    @property
    def lands_as(self) -> str:
        if self.target:
            return self.target
        return f"{CUSTOM}「{self.custom}」" if self.custom else "不导入"


def plan_columns(
    headers: Sequence[object],
    overrides: Mapping[str, str] | None = None,
    ledger_headers: Sequence[str] = (),
) -> list[ColumnPlan]:
    """Each header's landing: ``overrides`` (--map, by folded 原表头) first, then the header's
    own text and ``SYNONYMS``. The first column for a 台账 header wins; a later one, and every
    column not recognised, is kept as a staff column, under a name no 台账 header has."""
    by_fold = {fold_header(k): v for k, v in (overrides or {}).items()}
    taken: set[str] = set()
    used_names = {fold_header(h) for h in ledger_headers} | {fold_header(t) for t in SYNONYMS}
    customs: set[str] = set()
    out: list[ColumnPlan] = []
    for index, raw in enumerate(headers):
        header = "" if raw is None else str(raw).strip(" \t\r\n" + SPACES)
        if not header:
            continue
        folded = fold_header(header)
        target: str | None
        if folded in by_fold:
            wanted = by_fold[folded]
            if wanted == IGNORE:
                out.append(ColumnPlan(index, header, None, None, "按 --map 不导入"))
                continue
            target, how = (None, "按 --map 保留") if wanted == CUSTOM else (wanted, "按 --map 指定")
        else:
            target, how = match_header(header)
            if target is None and how:
                out.append(ColumnPlan(index, header, None, None, how))
                continue
        if target is not None and target in taken:
            target, how = None, f"「{target}」已由前面的列导入，本列保留"
        if target is not None:
            taken.add(target)
            out.append(ColumnPlan(index, header, target, None, how))
            continue
        name = header if fold_header(header) not in used_names else f"原表·{header}"
        base, n = name, 2
        while fold_header(name) in customs:
            name, n = f"{base}({n})", n + 1
        customs.add(fold_header(name))
        out.append(ColumnPlan(index, header, None, name, how or "未识别，保留"))
    return out


_TOTALS = re.compile(r"^(?:合计|总计|小计|共计|累计|总数|汇总)|^共\d+[项件个条]")
_NOTE_ROW = re.compile(r"^(?:注|备注|说明|填表|制表|审核|填报)[:：]")
_MEETING = re.compile(r"会议|纪要|第\s*[0-9一二三四五六七八九十百]+\s*次|批示")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def row_kind(
    own: Sequence[object],
    shown: Sequence[object],
    header: Sequence[object],
    plans: Sequence[ColumnPlan],
) -> str | None:
    """None for an item row, else why it is not one: 空行, 合计行, 重复表头, 标题行, 说明行.

    ``own`` holds each cell's own value, ``shown`` what it shows (a merged range's value on
    every cell it covers): a row that only shows a meeting's merged name is blank, and a row
    that is one merged heading across the table is a 标题行 (its text may name the meeting of
    the rows below it: see ``heading_source``).
    """
    adopted = {p.index for p in plans if p.target or p.custom}
    texts = [fold_header(v) for v in own]
    filled = [i for i, t in enumerate(texts) if t]
    shown_texts = {fold_header(v) for v in shown if fold_header(v)}
    span = sum(1 for v in shown if fold_header(v))
    if len(shown_texts) == 1 and span >= max(2, len(adopted) // 2) and len(filled) == 1:
        return "标题行"
    if not [i for i in filled if i in adopted]:
        return "空行"
    heads = [fold_header(v) for v in header]
    same = sum(1 for i, t in enumerate(texts) if t and i < len(heads) and t == heads[i])
    if same >= max(2, len([h for h in heads if h]) // 2):
        return "重复表头"
    if any(_TOTALS.match(texts[i]) for i in filled):
        return "合计行"
    if len(filled) == 1 and _NOTE_ROW.match(texts[filled[0]]):
        return "说明行"
    return None


def heading_source(text: object) -> str | None:
    """The meeting a 标题行 names (「市政府2025年第3次常务会议」), for the rows under it."""
    s = "" if text is None else str(text).strip(" \t\r\n" + SPACES)
    s = re.sub(r"^[一二三四五六七八九十]+[、.．]\s*", "", s)
    return s if s and _MEETING.search(s) else None


@dataclass(frozen=True)
class Skipped:
    """A row of OLD that is not an item (1-based row), with why and what it showed."""

    sheet: str
    row: int
    reason: str
    text: str


@dataclass
class SheetPlan:
    """How one sheet of OLD is read: its header row (1-based) and columns, or why not at all."""

    name: str
    header_row: int | None = None
    columns: list[ColumnPlan] = field(default_factory=list)
    items: int = 0
    note: str = ""


@dataclass(frozen=True)
class SheetContext:
    """What a sheet's name says: a year (2025年, 2025) and/or a meeting (第3次常务会议)."""

    name: str
    year: int | None
    meeting: str | None

    @property
    def note(self) -> str | None:
        """The provenance kept in 备注 when the name names a year or a meeting."""
        return f"原工作表「{self.name}」" if self.year or self.meeting else None


def sheet_context(name: str) -> SheetContext:
    m = _YEAR.search(unicodedata.normalize("NFKC", name))
    meeting = name.strip() if _MEETING.search(name) else None
    return SheetContext(name, int(m.group(1)) if m else None, meeting)
