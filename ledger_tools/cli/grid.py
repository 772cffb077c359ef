"""The terminal's tables: rich's look (a heavy header, cells folded to fit), at a fraction of
its cost.

rich's ``Table`` measures and renders every cell through its general machinery, about 0.4 ms
a cell: a merge of 200 returned forms spent over half a second of CPU printing its file list
and findings (here: a tenth of that). A table of plain text needs
far less: each column's width from the cells' display widths (a Chinese character takes two
columns), the widest columns narrowed until the table fits the terminal, and each cell folded
to its column's width. The result is one ``Text`` printed once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console
from rich.text import Text

__all__ = ["Cell", "print_table", "render"]

Cell = str | tuple[str, str]  # text, or (text, rich style) for a coloured cell


def _fold(text: str, width: int) -> list[str]:
    """The text's lines, each cut to at most ``width`` display columns."""
    lines: list[str] = []
    for part in text.split("\n"):
        if cell_len(part) <= width:
            lines.append(part)
            continue
        line: list[str] = []
        used = 0
        for ch in part:
            size = get_character_cell_size(ch)
            if used + size > width and line:
                lines.append("".join(line))
                line, used = [], 0
            line.append(ch)
            used += size
        lines.append("".join(line))
    return lines


def _widths(natural: list[int], available: int) -> list[int]:
    """Column widths within ``available``: the widest columns are narrowed first, to the
    largest common cap that fits; what the cap leaves over goes back to them, left to right."""
    if sum(natural) <= available:
        return natural
    lo, hi = 1, max(natural)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sum(min(n, mid) for n in natural) <= available:
            lo = mid
        else:
            hi = mid - 1
    widths = [min(n, lo) for n in natural]
    spare = available - sum(widths)
    for i, n in enumerate(natural):
        if spare <= 0:
            break
        extra = min(spare, n - widths[i])
        widths[i] += extra
        spare -= extra
    return widths


def render(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    width: int,
    right: Collection[int] = (),
) -> Text:
    """The table as text no wider than ``width``; columns in ``right`` are right-aligned."""
    table = [[c if isinstance(c, tuple) else (c, "") for c in row] for row in rows]
    n = len(headers)
    natural = [
        max(
            [
                cell_len(h),
                *(max(cell_len(x) for x in row[i][0].split("\n")) for row in table),
            ]
        )
        for i, h in enumerate(headers)
    ]
    widths = _widths([max(w, 1) for w in natural], max(n, width - (3 * n + 1)))
    out = Text()

    def rule(left: str, middle: str, end: str, fill: str) -> None:
        out.append(left + middle.join(fill * (w + 2) for w in widths) + end + "\n")

    def line(row: list[tuple[str, str]], bar: str, style: str | None = None) -> None:
        folded = [_fold(text, w) for (text, _), w in zip(row, widths)]
        for k in range(max(len(f) for f in folded)):
            out.append(bar)
            for i, ((_, own), f, w) in enumerate(zip(row, folded, widths)):
                piece = f[k] if k < len(f) else ""
                pad = " " * (w - cell_len(piece))
                out.append(" " + pad if i in right else " ")
                out.append(piece, style=style or own or None)
                out.append(" " + bar if i in right else pad + " " + bar)
            out.append("\n")

    rule("┏", "┳", "┓", "━")
    line([(h, "") for h in headers], "┃", "bold")
    rule("┡", "╇", "┩", "━")
    for row in table:
        line(row, "│")
    rule("└", "┴", "┘", "─")
    return out


def print_table(
    console: Console,
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    right: Collection[int] = (),
) -> None:
    console.print(render(headers, rows, width=console.width, right=right), end="", soft_wrap=True)
