"""The terminal tables: every cell's whole text shown, within the terminal's width, aligned."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from ledger_tools.cli.grid import print_table, render

HEADERS = ("文件", "报送单位", "结果", "说明")


def _lines(text) -> list[str]:
    return text.plain.rstrip("\n").split("\n")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip("│┃").split("│" if "│" in line else "┃")]


def test_a_table_that_fits_shows_each_row_on_one_line_with_rich_s_heavy_header():
    text = render(HEADERS, [("东城区.xlsx", "东城区人民政府", "已合并", "")], width=80)
    lines = _lines(text)
    assert lines[0].startswith("┏") and lines[2].startswith("┡") and lines[-1].startswith("└")
    assert _cells(lines[1]) == list(HEADERS)
    assert _cells(lines[3]) == ["东城区.xlsx", "东城区人民政府", "已合并", ""]
    assert len({cell_len(x) for x in lines}) == 1  # every line as wide as the others


def test_long_text_is_folded_within_the_width_and_nothing_is_lost():
    note = "联系人一栏填写了多余的空格，已自动去除；请下次注意保持格式一致。" * 3
    lines = _lines(
        render(
            HEADERS, [("很长的文件名" * 6 + ".xlsx", "西山县人民政府", "已退回", note)], width=60
        )
    )
    assert all(cell_len(x) <= 60 for x in lines)
    body = [_cells(x) for x in lines[3:-1]]
    assert "".join(row[3] for row in body) == note
    assert "".join(row[0] for row in body) == "很长的文件名" * 6 + ".xlsx"


def test_right_aligned_columns_and_styles():
    text = render(("单位", "事项数"), [("东城区人民政府", ("42", "green"))], width=80, right={1})
    row = _lines(text)[3]
    assert row.endswith(" 42 │")
    assert any(span.style == "green" for span in text.spans)


def test_markup_in_a_cell_is_shown_as_typed():
    lines = _lines(render(("文件",), [("[red]反馈表[/].xlsx",)], width=80))
    assert "[red]反馈表[/].xlsx" in lines[3]


def test_print_table_writes_through_the_console_at_its_width():
    console = Console(file=io.StringIO(), width=40, highlight=False, soft_wrap=True)
    print_table(
        console, HEADERS, [("东城区.xlsx", "东城区人民政府", "已合并", "完全相同的内容" * 4)]
    )
    assert all(cell_len(x) <= 40 for x in console.file.getvalue().splitlines())


@given(
    st.lists(
        st.tuples(st.text("东城区abc 1-.", max_size=40), st.text("已合并退回x", max_size=12)),
        max_size=5,
    ),
    st.integers(20, 120),
)
def test_any_table_fits_and_keeps_every_character(rows, width):
    lines = _lines(render(("文件", "结果"), rows, width=width))
    assert all(cell_len(x) <= width for x in lines)
    body = [_cells(x) for x in lines[3:-1]]
    for column in (0, 1):
        shown = "".join(row[column] for row in body).replace(" ", "")
        assert shown == "".join(r[column] for r in rows).replace(" ", "")
