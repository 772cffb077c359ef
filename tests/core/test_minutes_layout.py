"""The layout of minutes text: title, 印发日期, and the tree of numbered items."""

from __future__ import annotations

import datetime as dt

from ledger_tools.core.minutes_layout import (
    Paragraph,
    find_issue_date,
    find_source_name,
    item_tree,
    leaves,
)

ISSUED = dt.date(2026, 11, 18)


def _doc(*lines: str) -> list[Paragraph]:
    return [Paragraph(t) for t in lines]


HEAD = (
    "市人民政府2026年第13次常务会议纪要",
    "市人民政府办公室 2026年11月18日",
    "2026年11月16日，市长王明主持召开市人民政府2026年第13次常务会议。现纪要如下：",
)


def test_title_and_date():
    paragraphs = _doc(*HEAD, "一、研究工作", "出席：王明", "市人民政府办公室 2026年11月19日印发")
    assert find_source_name(paragraphs) == (
        "市人民政府2026年第13次常务会议",
        "市人民政府2026年第13次常务会议纪要",
    )
    assert find_issue_date(paragraphs) == dt.date(2026, 11, 19)  # the 版记's 印发 line wins
    assert find_issue_date(_doc(*HEAD)) == ISSUED


def test_red_header_title_takes_the_number_from_the_opening():
    paragraphs = _doc("市人民政府常务会议纪要", "二〇二六年十一月十八日", HEAD[2])
    assert find_source_name(paragraphs)[0] == "市人民政府2026年第13次常务会议"
    assert find_issue_date(paragraphs) == ISSUED


def test_items_are_the_leaves_under_the_headings_preamble_and_tail_left_out():
    paragraphs = _doc(
        *HEAD,
        "一、研究冬季防火工作",
        "会议要求：",
        "（一）由市林业局牵头排查隐患。",
        "（二）请市交通局落实安全措施。",
        "同时加强宣传。",
        "二、研究项目建设",
        "由市发改委牵头推进。",
        "出席：王明",
        "（三）不是事项",
    )
    items = list(leaves(item_tree(paragraphs)))
    assert [(n.text, n.more) for n in items] == [
        ("由市林业局牵头排查隐患。", []),
        ("请市交通局落实安全措施。", ["同时加强宣传。"]),
        ("由市发改委牵头推进。", []),
    ]
    assert items[0].context() == ["研究冬季防火工作", "会议要求："]


def test_a_table_with_named_columns_gives_rows_as_items():
    paragraphs = [Paragraph("一、分解任务")] + [
        Paragraph(text, "table", 0, r, c)
        for r, row in enumerate(
            (("工作任务", "牵头单位", "完成时限"), ("建厂房", "高新区", "年底前"))
        )
        for c, text in enumerate(row)
    ]
    (item,) = leaves(item_tree(paragraphs))
    assert item.row == {"matter": "建厂房", "lead": "高新区", "deadline": "年底前"}
