"""The layout of a 会议纪要's text: its title, its date, and the tree of its numbered items.

Pure: the paragraphs come as the reader sees them (``sheets/minutes/reader.py`` renders Word's
automatic numbering first). The numbering labels (一、 · （一） · 1. · （1） · ①) give a tree;
the top rank present is the heading (a meeting topic), and its descendants without children
are the candidate items. An unnumbered paragraph continues the item before it (or, under a
heading without numbered children, is an item of its own; before the first child it introduces
them). Paragraphs before the first heading (title, date, 「…主持召开…」) and from the first tail
line (出席/列席/抄送/…印发) on are not items. A table whose header row names the columns
(事项/任务, 牵头单位, 配合单位, 完成时限 …) gives one item per row; any other table row is read
as an unnumbered paragraph.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ledger_tools.core.dates import fold_text as normalize

__all__ = ["Node", "Paragraph", "find_issue_date", "find_source_name", "item_tree", "leaves"]


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


_TITLE = re.compile(r"^(?P<name>.{2,60}?(?:会议|批示|会))(?:会议)?纪要$")
_FULL_NAME = re.compile(
    r"[\u4e00-\u9fff()]{0,20}?\d{4}年第\d{1,3}次[\u4e00-\u9fff]{0,10}?(?:常务会议|专题会议|会议)"
)
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
class Node:
    text: str  # without the label
    source: str  # as the reader sees it
    rank: int | None
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
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


def item_tree(paragraphs: Sequence[Paragraph]) -> list[Node]:
    """The top-level nodes of the body (preamble and tail left out)."""
    lines = _lines(paragraphs)
    ranks = [_label(t)[0] for t, _ in lines]
    top = min((r for r in ranks if r is not None), default=None)
    # without headings, the body starts after the opening line (…主持召开… / 纪要如下), if any
    started = top is not None or not any(_INTRO.search(normalize(t)) for t, _ in lines)
    roots: list[Node] = []
    stack: list[Node] = []
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
            node = Node(body, text.strip(), _ROW if row is not None else rank, row=row)
            while stack and (stack[-1].rank or 0) >= (node.rank or 0):
                stack.pop()
            if stack:
                node.parent = stack[-1]
                stack[-1].children.append(node)
            else:
                roots.append(node)
            stack.append(node)
        elif not stack:
            roots.append(Node(body, text.strip(), None))
        elif stack[-1].parent is None:
            stack[-1].intro.append(body)  # a heading's own paragraphs, before any numbered item
        else:
            stack[-1].more.append(body)  # continues the item above
    return roots


def leaves(roots: list[Node]) -> Iterable[Node]:
    for root in roots:
        if root.children:
            yield from _descend(root.children)
        elif root.intro:
            # a heading without numbered items: each of its paragraphs is an item of its own
            heading = Node(root.text, root.source, root.rank)
            for line in root.intro:
                yield Node(line, line, None, parent=heading)
        else:
            yield root


def _descend(nodes: list[Node]) -> Iterable[Node]:
    for n in nodes:
        if n.children:
            yield from _descend(n.children)
        else:
            yield n


# --- proposals ------------------------------------------------------------------------------
