"""Reading a 会议纪要 .docx as the reader sees it: numbering, tables, text boxes, refusals."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from ledger_tools.core.minutes import read_minutes
from ledger_tools.demo.minutes import ISSUED, SOURCE_NAME, add_numbering, build_minutes, numbered
from ledger_tools.demo.sample import SAMPLE_UNITS
from ledger_tools.errors import UsageError
from ledger_tools.sheets.minutes.reader import SAVE_AS_DOCX, read_minutes_docx


def _texts(path: Path) -> list[str]:
    return [p.text for p in read_minutes_docx(path).paragraphs]


def test_literal_numbering_is_read_as_typed(tmp_path):
    doc = Document()
    for line in ("一、研究工作", "（一）由市财政局负责。", "1.完成方案。"):
        doc.add_paragraph(line)
    doc.save(tmp_path / "m.docx")
    assert _texts(tmp_path / "m.docx") == ["一、研究工作", "（一）由市财政局负责。", "1.完成方案。"]


def test_word_numbering_rendered_as_displayed(tmp_path):
    doc = Document()
    num = add_numbering(
        doc, (("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."))
    )
    for ilvl, text in ((0, "甲"), (1, "乙"), (1, "丙"), (2, "丁"), (2, "戊"), (0, "己"), (1, "庚")):
        numbered(doc, text, num, ilvl)
    doc.add_paragraph("不编号")
    doc.save(tmp_path / "m.docx")
    assert _texts(tmp_path / "m.docx") == [
        "一、甲",
        "（一）乙",
        "（二）丙",
        "1.丁",
        "2.戊",
        "二、己",
        "（一）庚",  # restarted under the higher level
        "不编号",
    ]


def test_numbering_formats_start_values_and_overrides(tmp_path):
    doc = Document()
    a = add_numbering(doc, (("ideographTraditional", "%1."),), abstract_id=91, num_id=91)
    b = add_numbering(doc, (("chineseCountingThousand", "第%1条"),), abstract_id=92, num_id=92)
    numbering = doc.part.numbering_part.element
    start = numbering.xpath('.//w:abstractNum[@w:abstractNumId="92"]//w:start')[0]
    start.set(start.tag.replace("start", "val"), "10")
    # a second instance of list 92 restarting at 1 (Word's 「重新开始编号」)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="93"><w:abstractNumId w:val="92"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    numbered(doc, "甲项", a, 0)
    numbered(doc, "乙项", a, 0)
    numbered(doc, "十条", b, 0)
    numbered(doc, "十一条", b, 0)
    numbered(doc, "再一条", 93, 0)
    doc.save(tmp_path / "m.docx")
    assert _texts(tmp_path / "m.docx") == [
        "甲.甲项",
        "乙.乙项",
        "第十条十条",
        "第十一条十一条",
        "第一条再一条",
    ]


def test_numbering_from_the_paragraph_style(tmp_path):
    doc = Document()
    num = add_numbering(doc, (("chineseCounting", "%1、"),))
    style = doc.styles.add_style("纪要标题", 1)
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{num}"/></w:numPr>')
    )
    doc.add_paragraph("研究工作", style="纪要标题")
    doc.add_paragraph("审议办法", style="纪要标题")
    doc.save(tmp_path / "m.docx")
    assert _texts(tmp_path / "m.docx") == ["一、研究工作", "二、审议办法"]


def test_tables_cell_by_cell_row_by_row(tmp_path):
    doc = Document()
    doc.add_paragraph("前")
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate(
        (("任务", "牵头单位", "完成时限"), ("甲", "市财政局", "年底前"), ("乙", "", "12月底前"))
    ):
        for c, v in enumerate(row):
            table.cell(r, c).text = v
    table.cell(1, 1).merge(table.cell(2, 1))  # one unit for both rows (vMerge)
    doc.add_paragraph("后")
    doc.save(tmp_path / "m.docx")
    paragraphs = read_minutes_docx(tmp_path / "m.docx").paragraphs
    assert paragraphs[0].text == "前" and paragraphs[-1].text == "后"
    cells = [(p.row, p.col, p.text) for p in paragraphs if p.where == "table"]
    assert cells == [
        (0, 0, "任务"), (0, 1, "牵头单位"), (0, 2, "完成时限"),
        (1, 0, "甲"), (1, 1, "市财政局"), (1, 2, "年底前"),
        (2, 0, "乙"), (2, 1, "市财政局"), (2, 2, "12月底前"),
    ]  # fmt: skip


TEXT_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:v="urn:schemas-microsoft-com:vml">'
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>'
    "<w:p><w:r><w:t>市人民政府2026年第13次常务会议纪要</w:t></w:r></w:p>"
    "</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
    "<w:p><w:r><w:t>市人民政府2026年第13次常务会议纪要</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def test_text_boxes_once_after_their_paragraph(tmp_path):
    doc = Document()
    host = doc.add_paragraph("红头")
    host._p.append(parse_xml(TEXT_BOX))
    doc.add_paragraph("正文")
    doc.save(tmp_path / "m.docx")
    paragraphs = read_minutes_docx(tmp_path / "m.docx").paragraphs
    assert [(p.where, p.text) for p in paragraphs] == [
        ("body", "红头"),
        ("textbox", "市人民政府2026年第13次常务会议纪要"),
        ("body", "正文"),
    ]
    assert read_minutes_docx(tmp_path / "m.docx").source_name == "市人民政府2026年第13次常务会议"


def test_deleted_revisions_and_hidden_text_left_out(tmp_path):
    doc = Document()
    p = doc.add_paragraph("由市财政局负责")
    p._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>删去</w:delText></w:r></w:del>'
        )
    )
    p._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>，年底前完成</w:t></w:r></w:ins>'
        )
    )
    p._p.append(parse_xml(f"<w:r {nsdecls('w')}><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>"))
    doc.save(tmp_path / "m.docx")
    assert _texts(tmp_path / "m.docx") == ["由市财政局负责，年底前完成"]


def test_a_doc_or_wps_file_is_refused_with_save_as(tmp_path):
    old = tmp_path / "纪要.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    with pytest.raises(UsageError) as e:
        read_minutes_docx(old)
    assert SAVE_AS_DOCX in str(e.value) and "纪要.doc" in str(e.value)
    renamed = tmp_path / "纪要.docx"  # the name does not matter, the bytes do
    shutil.copy(old, renamed)
    with pytest.raises(UsageError, match="另存为 .docx"):
        read_minutes_docx(renamed)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"just text", "不是 Word 文档"),
        (b"", "空文件"),
        (b"PK\x03\x04broken", "已损坏"),
    ],
)
def test_other_files_are_refused_in_chinese(tmp_path, content, says):
    path = tmp_path / "m.docx"
    path.write_bytes(content)
    with pytest.raises(UsageError, match=says):
        read_minutes_docx(path)


def test_a_workbook_is_not_minutes(tmp_path):
    path = tmp_path / "m.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UsageError, match="Excel 工作簿"):
        read_minutes_docx(path)


def test_entities_are_refused(tmp_path):
    build_minutes(tmp_path / "ok.docx")
    path = tmp_path / "m.docx"
    with zipfile.ZipFile(tmp_path / "ok.docx") as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = (
                    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "x">]>' + data.split(b"?>", 1)[1]
                )
            dst.writestr(info, data)
    with pytest.raises(UsageError, match="不安全"):
        read_minutes_docx(path)


def test_the_sample_minutes(tmp_path):
    doc = read_minutes_docx(build_minutes(tmp_path / "m.docx"))
    assert (doc.source_name, doc.issued) == (SOURCE_NAME, ISSUED)
    texts = [p.text for p in doc.paragraphs]
    assert "一、研究冬季森林草原防灭火工作" in texts and "四、研究民生实事和安全稳定工作" in texts
    assert any(t.startswith("（三）由市财政局负责") for t in texts)


@pytest.mark.slow
def test_a_docx_saved_by_libreoffice_reads_the_same(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    original = build_minutes(tmp_path / "纪要.docx")
    out = tmp_path / "lo"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(original),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = out / "纪要.docx"
    assert saved.read_bytes() != original.read_bytes()
    with zipfile.ZipFile(saved) as z:  # LibreOffice keeps the numbering automatic
        assert b"<w:numPr>" in z.read("word/document.xml")
    a = read_minutes(read_minutes_docx(original).paragraphs, SAMPLE_UNITS)
    b = read_minutes(read_minutes_docx(saved).paragraphs, SAMPLE_UNITS)
    assert (b.source_name, b.issued) == (SOURCE_NAME, ISSUED)
    assert len(b.proposals) == len(a.proposals) == 10
    for x, y in zip(a.proposals, b.proposals):
        assert (y.matter, y.lead_unit, y.co_units, y.leader, y.deadline, y.kind) == (
            x.matter,
            x.lead_unit,
            x.co_units,
            x.leader,
            x.deadline,
            x.kind,
        )
        assert y.requirement == x.requirement
    assert [n.matter for n in b.not_assigned] == [n.matter for n in a.not_assigned]
    assert dt.date(2026, 12, 15) in {p.deadline for p in b.proposals}
