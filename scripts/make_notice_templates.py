"""Build the Word templates of the assignment notice and the reminder notice.

Writes templates/督查检查办理事项通知.docx and templates/催办通知.docx.
The generated files are committed; run ``python scripts/make_notice_templates.py`` again only
to start the layout over. Staff may restyle the templates in Word (fonts, spacing, a red
header, the 落款) as long as the {{ }} and {%p %} placeholders stay intact; a copy in a 模板
folder beside the ledger overrides the bundled one.

Layout after GB/T 9704-2012 (党政机关公文格式): A4, margins top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm; title in 方正小标宋简体 二号 (22 pt, with 宋体 as the substitute Word picks when
the font is missing), body in 仿宋_GB2312 三号 (16 pt, substitute 仿宋), level-one headings in
黑体, level-two in 楷体_GB2312, exact 28.95 pt lines (22 lines a page), page numbers
「— 1 —」 in 宋体 四号 at the foot.

Placeholders of the assignment notice (filled by ``ledger notices``):
  notice_no, unit, intro, items [heading, id, requirement, leader, co_units, deadline,
  confidential], rules (each already numbered （一）…), office_name, date_text.
Placeholders of the reminder notice (filled by ``ledger remind``):
  unit, intro, items [heading, id, source, deadline, state, last_report, reminders, ask,
  confidential], rules, office_name, date_text.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NOTICE = TEMPLATES / "督查检查办理事项通知.docx"
REMINDER = TEMPLATES / "催办通知.docx"

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# Fonts an office PC may lack, and what Word should use instead (fontTable w:altName).
SUBSTITUTES = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋",
    HEADING2_FONT: "楷体",
    HEADING1_FONT: "SimHei",
}
LINE = Pt(28.95)  # 22 lines on the type area of GB/T 9704
FIXED_DATE = dt.datetime(2026, 1, 1)  # reproducible core properties


def _fonts(style, east_asian: str, latin: str = LATIN_FONT) -> None:
    """python-docx sets only the Latin font; Chinese text needs w:eastAsia as well."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)


def _style(
    doc,
    name: str,
    font: str,
    size: float,
    *,
    bold: bool = False,
    align=None,
    indent: bool = True,
    latin: str = LATIN_FONT,
    before: float = 0,
):
    styles = doc.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    style.base_style = styles["Normal"]
    style.font.size = Pt(size)
    style.font.bold = bold
    _fonts(style, font, latin)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE if size <= 16 else Pt(size * 1.6)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(size * 2) if indent else Pt(0)
    fmt.widow_control = True
    if align is not None:
        fmt.alignment = align
    return style


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), "579")


def _page_number(doc) -> None:
    """「— 1 —」 centred in the footer: a PAGE field between two dashes."""
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.style = doc.styles["公文页码"]
    p.add_run("— ")
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = p.add_run()
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    p.add_run(" —")


def _font_table(doc) -> None:
    """Declare the GB fonts with a substitute, so Word without them falls back sensibly."""
    part = doc.part.part_related_by(RT.FONT_TABLE)
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"modern" if alt == "SimHei" else "roman"}"/><w:pitch w:val="variable"/></w:font>'
        for name, alt in SUBSTITUTES.items()
        if f'w:name="{name}"' not in xml
    )
    xml = re.sub(r"</w:fonts>\s*$", entries + "</w:fonts>", xml)
    part._blob = xml.encode("utf-8")


def _document(title: str):
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    _fonts(normal, BODY_FONT)
    _style(doc, "公文标题", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _style(doc, "公文文号", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _style(doc, "公文主送", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False, before=16)
    _style(doc, "公文正文", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _style(doc, "公文一级标题", HEADING1_FONT, 16, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _style(doc, "公文二级标题", HEADING2_FONT, 16, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    sign = _style(doc, "公文落款", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    sign.paragraph_format.right_indent = Pt(64)  # 右空四字
    _style(
        doc,
        "公文页码",
        PAGE_FONT,
        14,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        latin=PAGE_FONT,
    )
    _page_setup(doc)
    _page_number(doc)
    _font_table(doc)
    props = doc.core_properties
    props.title, props.author = title, "ledger_tools"
    props.created = props.modified = FIXED_DATE
    props.last_modified_by, props.revision = "ledger_tools", 1
    # The default document holds one empty paragraph; start from nothing.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    return doc


def _save(doc, target: Path) -> Path:
    """Save with fixed zip timestamps, so regenerating an unchanged layout changes no bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))
    with zipfile.ZipFile(target) as z:
        parts = [(info.filename, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(
                zipfile.ZipInfo(name, date_time=FIXED_DATE.timetuple()[:6]),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return target


def _p(doc, text: str, style: str) -> None:
    doc.add_paragraph(text, style=doc.styles[style])


def build_notice(target: Path = NOTICE) -> Path:
    doc = _document("督查检查办理事项通知")
    _p(doc, "督查检查办理事项通知", "公文标题")
    _p(doc, "{{ notice_no }}", "公文文号")
    _p(doc, "{{ unit }}：", "公文主送")
    _p(doc, "{{ intro }}", "公文正文")
    _p(doc, "一、交办事项", "公文一级标题")
    _p(doc, "{%p for it in items %}", "公文正文")
    _p(doc, "{{ it.heading }}", "公文二级标题")
    _p(doc, "事项编号：{{ it.id }}", "公文正文")
    _p(doc, "办理要求：{{ it.requirement }}", "公文正文")
    _p(doc, "责任领导：{{ it.leader }}", "公文正文")
    _p(doc, "协办单位：{{ it.co_units }}", "公文正文")
    _p(doc, "完成时限：{{ it.deadline }}", "公文正文")
    _p(doc, "{%p if it.confidential %}", "公文正文")
    _p(doc, "本事项为涉密事项，请按照有关保密规定办理，严格控制知悉范围。", "公文正文")
    _p(doc, "{%p endif %}", "公文正文")
    _p(doc, "{%p endfor %}", "公文正文")
    _p(doc, "二、有关要求", "公文一级标题")
    _p(doc, "{%p for r in rules %}", "公文正文")
    _p(doc, "{{ r }}", "公文正文")
    _p(doc, "{%p endfor %}", "公文正文")
    _p(doc, "", "公文正文")
    _p(doc, "", "公文正文")
    _p(doc, "{{ office_name }}", "公文落款")
    _p(doc, "{{ date_text }}", "公文落款")
    return _save(doc, target)


def build_reminder(target: Path = REMINDER) -> Path:
    doc = _document("催办通知")
    _p(doc, "催办通知", "公文标题")
    _p(doc, "{{ unit }}：", "公文主送")
    _p(doc, "{{ intro }}", "公文正文")
    _p(doc, "一、催办事项", "公文一级标题")
    _p(doc, "{%p for it in items %}", "公文正文")
    _p(doc, "{{ it.heading }}", "公文二级标题")
    _p(doc, "事项编号：{{ it.id }}；来源：{{ it.source }}", "公文正文")
    _p(doc, "完成时限：{{ it.deadline }}", "公文正文")
    _p(doc, "督办预警：{{ it.state }}", "公文正文")
    _p(doc, "最近报送：{{ it.last_report }}；已催办：{{ it.reminders }}", "公文正文")
    _p(doc, "催办要求：{{ it.ask }}", "公文正文")
    _p(doc, "{%p endfor %}", "公文正文")
    _p(doc, "二、有关要求", "公文一级标题")
    _p(doc, "{%p for r in rules %}", "公文正文")
    _p(doc, "{{ r }}", "公文正文")
    _p(doc, "{%p endfor %}", "公文正文")
    _p(doc, "", "公文正文")
    _p(doc, "", "公文正文")
    _p(doc, "{{ office_name }}", "公文落款")
    _p(doc, "{{ date_text }}", "公文落款")
    return _save(doc, target)


def main(argv: list[str]) -> int:
    for path in (build_notice(), build_reminder()):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
