"""Build the Word template of the monthly briefing: templates/通报.docx.

The generated file is committed; run this script again only to start the layout over
(``python scripts/make_brief_template.py``). Staff may restyle the template in Word (fonts,
spacing, a red header, the 落款) as long as the {{ }} and {% %} placeholders stay intact; a copy
in a 模板 folder beside the ledger overrides the bundled one.

Placeholders (all filled by ``ledger brief`` from the same computation as the workbook):
  title, as_of_text, office_name, org_name, month_text, paragraphs (the narrative from
  通报正文.j2), totals [label, count, share], overdue [no, id, unit, leader, matter, deadline,
  days, reminders, progress], units [rank, unit, total, finished, open, overdue, not_on_time,
  rate, points], scores [unit, overdue, missed, false_report, ineffective, total], weights_note,
  year.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

TARGET = Path(__file__).resolve().parent.parent / "templates" / "通报.docx"
BODY_FONT = "仿宋"
TITLE_FONT = "宋体"


def _east_asian(style_or_run, name: str) -> None:
    """python-docx sets only the Latin font; Chinese text needs w:eastAsia as well."""
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _para(
    doc,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    align=None,
    font: str = BODY_FONT,
    indent: bool = False,
    before: float = 0,
    after: float = 0,
):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.25
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if text:
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        _east_asian(run, font)
    return p


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that every viewer updates when it lays out the pages."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    fld.append(inner)
    paragraph._p.append(fld)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    trpr.append(mark)


def _cell_text(
    cell, text: str, *, bold: bool = False, size: float = 10.5, center: bool = False
) -> None:
    p = cell.paragraphs[0]
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    _east_asian(run, BODY_FONT)


def _loop_table(
    doc, headers: list[tuple[str, float]], loop: str, fields: list[str], centered: set[str]
):
    """Header row, a {%tr for %} row, the row repeated per record, a {%tr endfor %} row."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, (_header, width) in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), headers):
        col.set(qn("w:w"), str(int(Cm(width).twips)))  # LibreOffice lays out by the grid
    for i, (header, width) in enumerate(headers):
        for row in table.rows:
            row.cells[i].width = Cm(width)
        _cell_text(table.rows[0].cells[i], header, bold=True, center=True)
    _repeat_header(table.rows[0])
    _cell_text(table.rows[1].cells[0], f"{{%tr for r in {loop} %}}")
    for i, name in enumerate(fields):
        _cell_text(table.rows[2].cells[i], f"{{{{ r.{name} }}}}", center=name in centered)
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    return table


def build(target: Path = TARGET) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)

    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    _east_asian(normal, BODY_FONT)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _field(footer, "PAGE")
    footer.add_run(" 页 共 ")
    _field(footer, "NUMPAGES")
    footer.add_run(" 页")

    _para(
        doc,
        "{{ title }}",
        size=22,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        font=TITLE_FONT,
        after=6,
    )
    _para(doc, "（截至{{ as_of_text }}）", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    _para(doc, "{%p for p in paragraphs %}")
    _para(doc, "{{ p }}", indent=True)
    _para(doc, "{%p endfor %}")

    _para(doc, "附表1　逾期事项（重点通报）", size=14, bold=True, before=12, after=6)
    _loop_table(
        doc,
        [
            ("序号", 1.1),
            ("事项编号", 3.0),
            ("主责单位", 3.2),
            ("责任领导", 1.9),
            ("议定事项", 4.6),
            ("当前时限", 2.6),
            ("逾期工作日", 1.6),
            ("催办情况", 3.4),
            ("最新进展", 3.9),
        ],
        "overdue",
        ["no", "id", "unit", "leader", "matter", "deadline", "days", "reminders", "progress"],
        {"no", "deadline", "days"},
    )
    _para(doc, "{%p if not overdue %}")
    _para(doc, "无逾期事项。", size=12)
    _para(doc, "{%p endif %}")

    _para(doc, "附表2　分单位办理情况", size=14, bold=True, before=12, after=6)
    _loop_table(
        doc,
        [
            ("排名", 1.4),
            ("单位名称", 6.0),
            ("事项总数", 2.2),
            ("已办结（含销号）", 2.8),
            ("在办", 2.0),
            ("逾期", 2.0),
            ("未按时报送", 2.4),
            ("办结率", 2.2),
            ("年度拟扣分", 2.4),
        ],
        "units",
        ["rank", "unit", "total", "finished", "open", "overdue", "not_on_time", "rate", "points"],
        {"rank", "total", "finished", "open", "overdue", "not_on_time", "rate", "points"},
    )

    _para(doc, "附表3　扣分意见（{{ year }}年度累计）", size=14, bold=True, before=12, after=6)
    _loop_table(
        doc,
        [
            ("单位名称", 7.0),
            ("逾期未落实（件）", 3.2),
            ("未按时报送（次）", 3.2),
            ("报送不实（件）", 3.2),
            ("措施不力（件）", 3.2),
            ("拟扣分合计", 3.2),
        ],
        "scores",
        ["unit", "overdue", "missed", "false_report", "ineffective", "total"],
        {"overdue", "missed", "false_report", "ineffective", "total"},
    )
    _para(doc, "{%p if not scores %}")
    _para(doc, "暂无扣分意见。", size=12)
    _para(doc, "{%p endif %}")
    _para(doc, "{{ weights_note }}", size=10.5, before=6)

    _para(doc, "{{ office_name }}", align=WD_ALIGN_PARAGRAPH.RIGHT, before=24)
    _para(doc, "{{ as_of_text }}", align=WD_ALIGN_PARAGRAPH.RIGHT)

    doc.core_properties.title = "常务会议议定事项落实情况通报"
    doc.core_properties.author = "ledger"
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET))
