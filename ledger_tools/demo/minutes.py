"""A realistic sample 会议纪要 (.docx) for the sample ledger: where ``ledger demo`` starts.

Built with python-docx the way Word stores such a document: the headings 一、 and the items
（一） are Word's automatic numbering (a numbering.xml part with an abstract list, not typed
characters), one item's tasks are in a table, and the text names units as offices write them —
by alias (西山县政府, 市交通局, 高新区), and two that are not in the sample's 单位 (市应急管理局,
市林草局) — with the deadline phrases offices use, and one decision without a concrete
requirement (Art. 5(2)), so every case of ``ledger minutes`` shows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

__all__ = ["ISSUED", "SOURCE_NAME", "TITLE", "build_minutes", "add_numbering"]

ISSUED = dt.date(2026, 11, 18)  # two days before the sample ledger's reference date
SOURCE_NAME = "市人民政府2026年第13次常务会议"
TITLE = f"{SOURCE_NAME}纪要"

# (ilvl, text): level 0 is 一、, level 1 is （一）, both numbered by Word; None = plain paragraph
BODY: tuple[tuple[int | str | None, str], ...] = (
    (0, "研究冬季森林草原防灭火工作"),
    (None, "会议听取了市应急管理局关于全市冬季森林草原防灭火工作的汇报。会议要求："),
    (
        1,
        "由西山县政府牵头，市应急管理局、市林草局配合，12月15日前完成重点林区火灾隐患排查整治，"
        "张副市长负责。",
    ),
    (
        1,
        "请东城区政府会同市交通局落实冬季道路交通安全措施，年底前完成农村公路危险路段安全防护设施建设。",
    ),
    (0, "研究2027年重点项目建设推进工作"),
    (None, "会议原则同意《2027年市级重点建设项目计划（草案）》。会议要求："),
    (
        1,
        "由市发改委牵头，会同市财政局、市自规局，一季度末前完成2027年重点项目前期工作，李副市长负责。",
    ),
    (1, "重点项目推进任务分解如下（责任领导：赵常务副市长）："),
    ("table", ""),
    (1, "由市财政局负责，一个月内拨付重点项目前期工作经费。"),
    (0, "审议《市城市生活垃圾分类管理办法（草案）》"),
    (None, "会议原则通过《市城市生活垃圾分类管理办法（草案）》，待进一步修改完善后另行印发。"),
    (0, "研究民生实事和安全稳定工作"),
    (1, "市教体局要持续做好校园食品安全工作，常态化开展联合检查，市卫健委配合。"),
    (1, "由北岭县牵头，春节前完成农民工工资清欠工作，王副市长负责。"),
    (1, "请青河市政府于2027年1月10日前完成城区供暖管网改造，市住建局配合，刘秘书长负责。"),
)
TABLE = (
    ("序号", "工作任务", "牵头单位", "配合单位", "完成时限"),
    ("1", "完成标准厂房二期主体工程", "高新区", "市住建局", "2027年3月底前"),
    ("2", "开工建设工业园区污水处理厂", "工业园区管委会", "市生态环境局", "上半年"),
    ("3", "完成城区停车场建设用地报批", "市自规局", "东城区政府", "10个工作日内"),
)
ATTENDANCE = (
    "出席：王明、赵刚、张华、李强、王芳、刘洋",
    "列席：市政府办公室、市发展和改革委员会、市财政局、市应急管理局等单位负责同志",
    "抄送：市委办公室，市人大常委会办公室，市政协办公室。",
)


def add_numbering(
    document, levels: tuple[tuple[str, str], ...], *, abstract_id: int = 90, num_id: int = 90
) -> int:
    """Give ``document`` a Word list (numbering.xml: an abstractNum and a num using it) whose
    level i is ``levels[i]`` = (numFmt, lvlText), e.g. ("chineseCounting", "%1、"); the numId."""
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:suff w:val="nothing"/>'
        f'<w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
    )
    nums = [c for c in numbering if c.tag.endswith("}num")]
    if nums:
        nums[0].addprevious(abstract)  # every abstractNum before the first num (schema order)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
    )
    return num_id


def numbered(document, text: str, num_id: int, ilvl: int):
    """A paragraph numbered by Word (numPr), its number not typed into the text."""
    p = document.add_paragraph(text)
    p.paragraph_format.first_line_indent = Pt(32)
    p._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )
    return p


def build_minutes(path: Path, issued: dt.date = ISSUED) -> Path:
    """Write the sample minutes to ``path`` (a .docx); the same content on every run."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(16)
    num_id = add_numbering(document, (("chineseCounting", "%1、"), ("chineseCounting", "（%2）")))
    title = document.add_paragraph(TITLE)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("（第13期）").alignment = WD_ALIGN_PARAGRAPH.CENTER
    dated = document.add_paragraph(
        f"市人民政府办公室\t\t{issued.year}年{issued.month}月{issued.day}日"
    )
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    meeting = issued - dt.timedelta(days=2)
    document.add_paragraph(
        f"{meeting.year}年{meeting.month}月{meeting.day}日，市长王明主持召开{SOURCE_NAME}，"
        "研究冬季森林草原防灭火、重点项目建设、民生实事等工作。现纪要如下："
    )
    for level, text in BODY:
        if level == "table":
            table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
            table.style = "Table Grid"
            for r, row in enumerate(TABLE):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
        elif level is None:
            document.add_paragraph(text).paragraph_format.first_line_indent = Pt(32)
        else:
            numbered(document, text, num_id, int(level))
    for line in ATTENDANCE:
        document.add_paragraph(line)
    document.add_paragraph(f"市人民政府办公室  {issued.year}年{issued.month}月{issued.day}日印发")
    path = Path(path)
    document.save(str(path))
    return path
